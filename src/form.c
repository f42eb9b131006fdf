#include "form.h"

#include "checklist.h"
#include "db.h"
#include "i18n.h"
#include "ids.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void form_field_init(struct form_field *f, const char *table, const char *id, const char *field,
		     const char *absent)
{
	memset(f, 0, sizeof(*f));
	f->table = table;
	f->id = xstrdup(id ? id : "");
	f->field = field;
	f->absent = absent;
}

void form_fields_free(struct form_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].id);
		free(f[i].loaded);
		free(f[i].mine);
		field_now_free(&f[i].now);
		memset(&f[i], 0, sizeof(f[i]));
	}
}

/* Two values are the same when both are none, or both the same text. */
static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void set_value(char **slot, const char *value)
{
	char *copy = str_empty(value) ? NULL : xstrdup(value);
	free(*slot);
	*slot = copy;
}

/* Reads each field as it is now into f->now; a record with no row reads as f->absent. */
static int read_now(struct db *db, struct form_field *f, size_t n, char **err)
{
	for (size_t i = 0; i < n; i++) {
		field_now_free(&f[i].now);
		if (db_field_now(db, f[i].table, f[i].id, f[i].field, &f[i].now, err) != 0)
			return -1;
		if (!f[i].now.exists && f[i].absent)
			f[i].now.value = xstrdup(f[i].absent);
	}
	return 0;
}

int form_load(struct db *db, struct form_field *f, size_t n, char **err)
{
	if (read_now(db, f, n, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		set_value(&f[i].loaded, f[i].now.value);
		set_value(&f[i].mine, f[i].now.value);
		f[i].take_theirs = 0;
	}
	return 0;
}

void form_set_mine(struct form_field *f, const char *value)
{
	set_value(&f->mine, value);
}

int form_changed(const struct form_field *f)
{
	return !same(f->loaded, f->mine);
}

enum form_state form_state(const struct form_field *f)
{
	int mine = form_changed(f), theirs = !same(f->loaded, f->now.value);
	if (mine && theirs)
		return same(f->mine, f->now.value) ? FORM_AGREE : FORM_CLASH;
	return mine ? FORM_MINE : theirs ? FORM_THEIRS : FORM_UNCHANGED;
}

const char *form_value(const struct form_field *f)
{
	return form_changed(f) ? f->mine : f->now.value;
}

/* Writes one field inside the transaction: a checklist step through the checklist, which
 * makes the step's row first when the stay has none. */
static int write_field(struct db *db, const struct form_field *f, char **err)
{
	if (!str_eq(f->table, "checklist_step"))
		return db_record_set(db, f->table, f->id, f->field, f->mine, err);
	const char *slash = strchr(f->id, '/');
	char stay[ID_LEN];
	size_t len = slash ? (size_t)(slash - f->id) : 0;
	if (!slash || len >= ID_LEN) {
		*err = xasprintf("not a checklist step: %s", f->id);
		return -1;
	}
	memcpy(stay, f->id, len);
	stay[len] = '\0';
	return checklist_write_step(db, stay, slash + 1, f->field, f->mine, err);
}

/* Whether a record may lack its row until the form writes it: a checklist step's row is made
 * by its first change (write_field). */
static int made_on_write(const struct form_field *f)
{
	return f->absent || str_eq(f->table, "checklist_step");
}

/* A record the user changed a field of is gone: erased meanwhile (an erasure deletes a
 * resident's records), which no choice of the user's could bring back. */
static int record_gone(struct db *db, const struct form_field *f, size_t n, char **err)
{
	for (size_t i = 0; i < n; i++) {
		if (!form_changed(&f[i]))
			continue;
		int gone = db_record_erased(db, f[i].table, f[i].id, err);
		if (gone < 0)
			return -1;
		if (gone || (!f[i].now.exists && !made_on_write(&f[i]))) {
			*err = xstrdup(_("The resident has been erased."));
			return -1;
		}
	}
	return 0;
}

/* Counts the clashes; 0 when there are none. */
static size_t count_clashes(const struct form_field *f, size_t n)
{
	size_t clashes = 0;
	for (size_t i = 0; i < n; i++)
		clashes += form_state(&f[i]) == FORM_CLASH;
	return clashes;
}

/* Inside the transaction, with no clash: writes what only this user changed. */
static int write_mine(struct db *db, const struct form_field *f, size_t n,
		      struct form_outcome *out, char **err)
{
	for (size_t i = 0; i < n; i++) {
		enum form_state st = form_state(&f[i]);
		if (st == FORM_MINE && write_field(db, &f[i], err) != 0)
			return -1;
		out->written += st == FORM_MINE;
		out->kept += st == FORM_THEIRS || (f[i].take_theirs && st == FORM_UNCHANGED);
	}
	return 0;
}

/* After the commit: the form now holds what is stored. */
static void settle(struct form_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		set_value(&f[i].loaded, form_value(&f[i]));
		set_value(&f[i].mine, f[i].loaded);
		f[i].take_theirs = 0;
	}
}

int form_save(struct db *db, struct form_field *f, size_t n, form_check_fn check, void *ctx,
	      struct form_outcome *out, char **err)
{
	memset(out, 0, sizeof(*out));
	if (db_begin(db, err) != 0)
		return -1;
	int rc = read_now(db, f, n, err);
	if (rc == 0)
		rc = record_gone(db, f, n, err);
	if (rc == 0 && (out->clashes = count_clashes(f, n)) > 0) {
		db_rollback(db);
		return 1;
	}
	if (rc == 0 && check)
		rc = check(db, f, n, ctx, err);
	if (rc == 0)
		rc = write_mine(db, f, n, out, err);
	if (rc != 0)
		db_rollback(db);
	else
		rc = db_commit(db, err); /* rolls back itself when it fails */
	if (rc != 0) {
		out->written = out->kept = 0;
		return -1;
	}
	settle(f, n);
	return 0;
}

void form_resolve(struct form_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (form_state(&f[i]) != FORM_CLASH)
			continue;
		set_value(&f[i].loaded, f[i].now.value);
		if (f[i].take_theirs)
			set_value(&f[i].mine, f[i].now.value);
	}
}
