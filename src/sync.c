/* Sync's bundles: the changes as lines of text, packed by bundle.c, merged by db_sync.c. */
#include "sync.h"

#include "db.h"
#include "db_sync.h"
#include "i18n.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct export_out {
	struct bundle_writer *w;
	char *err;
};

static int write_line(const char *text, size_t len, void *arg)
{
	struct export_out *o = arg;
	if (bundle_write(o->w, text, len, &o->err) != 0 || bundle_write(o->w, "\n", 1, &o->err) != 0)
		return -1;
	return 0;
}

int sync_export(struct db *db, const char *peer, int full, const char *terminal_name,
		const struct shelter_key *key, FILE *out, long *changes, long long *upto,
		char **err)
{
	struct export_out o = {bundle_writer_open(out, key, err), NULL};
	if (!o.w)
		return -1;
	int rc = db_sync_export_lines(db, peer, full, terminal_name, write_line, &o, changes, upto,
				      err);
	if (rc != 0 && o.err) {
		free(*err);
		*err = o.err;
		o.err = NULL;
	}
	char *close_err = NULL;
	if (bundle_writer_close(o.w, rc == 0 ? err : &close_err) != 0)
		rc = -1;
	free(close_err);
	free(o.err);
	return rc;
}

int sync_export_done(struct db *db, const char *peer, long long upto, long changes, int full,
		     char **err)
{
	return db_sync_export_done(db, peer, upto, changes, full, err);
}

/* "FILE: truncated: ..."; a full disk or a read-only database is no fault of the bundle, and
 * its message stands as it is. Takes what. */
static char *import_error(struct db *db, const char *name, char *what)
{
	if (what && db_storage_failed(db))
		return what;
	char *msg = xasprintf("%s: %s", name, what ? what : _("cannot be read"));
	free(what);
	return msg;
}

int sync_import(struct db *db, FILE *in, const char *name, const struct shelter_key *key,
		int allow_plain, struct sync_counts *c, char **err)
{
	memset(c, 0, sizeof(*c));
	enum bundle_problem problem = BUNDLE_OK;
	char *what = NULL;
	struct bundle_reader *r = bundle_reader_open(in, key, allow_plain, &problem, &what);
	if (!r) {
		*err = xasprintf("%s: %s", name, what ? what : _("cannot be read"));
		free(what);
		return -1;
	}
	struct db_import *im = db_import_begin(db, name, err);
	if (!im) {
		bundle_reader_close(r);
		return -1;
	}
	const char *line;
	size_t len;
	int got;
	/* Lines go into the transaction as they come; only a verified end commits it. */
	while ((got = bundle_read_line(r, &line, &len, &problem, &what)) == 1)
		if (db_import_line(im, line, len, &what) != 0) {
			got = -1;
			break;
		}
	bundle_reader_close(r);
	if (got != 0) {
		db_import_abort(im);
		*err = import_error(db, name, what);
		return -1;
	}
	if (db_import_finish(im, c, &what) != 0) {
		*err = import_error(db, name, what);
		return -1;
	}
	return 0;
}
