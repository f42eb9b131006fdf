/* husly export, import, conflicts and keygen: sync by bundle files (sync.h). */
#include "cli.h"
#include "cli_internal.h"

#include "app.h"
#include "bundle.h"
#include "db.h"
#include "i18n.h"
#include "safefile.h"
#include "sync.h"
#include "text.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shelter key of husly.conf into key; 0 when none is configured (key untouched), 1 when
 * loaded, -1 (said) when it cannot be read. */
static int configured_key(const struct app *app, struct shelter_key *key)
{
	if (str_empty(app->cfg.sync_key_file))
		return 0;
	char *err = NULL;
	if (key_load_file(app->cfg.sync_key_file, key, &err) != 0) {
		eprintf_safe("husly: %s\n", err);
		free(err);
		return -1;
	}
	return 1;
}

/* --- export ------------------------------------------------------------------------------ */

struct export_request {
	const char *out, *peer;
	int full, plaintext;
};

static int parse_export(int argc, char **argv, struct export_request *r)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"to", required_argument, NULL, 't'},
		{"full", no_argument, NULL, 'f'},	  {"plaintext", no_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
		if (c == 'o')
			r->out = optarg;
		else if (c == 't')
			r->peer = optarg;
		else if (c == 'f')
			r->full = 1;
		else if (c == 'p')
			r->plaintext = 1;
		else if (c == ':')
			return usage_error(xasprintf(_("export: %s needs a value"), argv[optind - 1]));
		else
			return usage_error(xasprintf(_("export: unknown option %s"), argv[optind - 1]));
	}
	if (optind < argc)
		return usage_error(xasprintf(_("export: unexpected argument '%s'"), argv[optind]));
	if (!r->out)
		return usage_error(xstrdup(_("export: -o FILE is needed (- for standard output)")));
	if (str_empty(r->peer))
		return usage_error(xstrdup(_("export: --to needs a peer's name")));
	return 0;
}

static int export_to(struct app *app, const struct export_request *r,
		     const struct shelter_key *key, long *changes, long long *upto, char **err)
{
	if (str_eq(r->out, "-"))
		return sync_export(app->db, r->peer, r->full, app->cfg.terminal, key, stdout,
				   changes, upto, err) != 0 || fflush(stdout) != 0
			   ? -1
			   : 0;
	struct safe_file sf;
	if (safe_file_open(&sf, r->out, err) != 0)
		return -1;
	int rc = sync_export(app->db, r->peer, r->full, app->cfg.terminal, key, sf.f, changes,
			     upto, err);
	return safe_file_close(&sf, rc == 0, err) != 0 ? -1 : rc;
}

int cmd_export(struct app *app, int argc, char **argv)
{
	struct export_request r = {NULL, SYNC_DEFAULT_PEER, 0, 0};
	int bad = parse_export(argc, argv, &r);
	if (bad)
		return bad;
	struct shelter_key key;
	int have = r.plaintext ? 0 : configured_key(app, &key);
	if (have < 0)
		return EXIT_USAGE;
	if (!r.plaintext && have == 0) {
		eprintf_safe(_("husly: export: no shelter key, and bundles are sealed with one: make "
			       "one with 'husly keygen -o FILE', copy it to every terminal, and set "
			       "sync_key_file in husly.conf (or export --plaintext)\n"));
		return EXIT_USAGE;
	}
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	long changes = 0;
	long long upto = 0;
	char *err = NULL;
	int rc = export_to(app, &r, have ? &key : NULL, &changes, &upto, &err);
	explicit_bzero(&key, sizeof(key)); /* no copy of the key lingers in memory */
	if (rc == 0 && sync_export_done(app->db, r.peer, upto, changes, r.full, &err) != 0) {
		/* The bundle is whole; only the note that it was sent is missing, so the next
		 * export sends the same changes again (an import takes them once). */
		eprintf_safe(_("husly: export: %s is written, but the export could not be noted: "
			       "%s\n"),
			     r.out, err ? err : "?");
		free(err);
		return EXIT_FAIL;
	}
	if (rc != 0) {
		eprintf_safe("husly: export: %s\n", err ? err : "?");
		free(err);
		return EXIT_FAIL;
	}
	eprintf_safe(_("%ld changes exported for %s%s\n"), changes, r.peer,
		     r.plaintext ? _(" (plain, not encrypted)") : "");
	return EXIT_OK;
}

/* --- import ------------------------------------------------------------------------------ */

static int import_one(struct app *app, const char *path, const struct shelter_key *key,
		      int plaintext)
{
	FILE *in = str_eq(path, "-") ? stdin : fopen(path, "rb");
	if (!in) {
		eprintf_safe(_("husly: import: cannot read %s\n"), path);
		return -1;
	}
	struct sync_counts c;
	char *err = NULL;
	int rc = sync_import(app->db, in, str_eq(path, "-") ? _("standard input") : path, key,
			     plaintext, &c, &err);
	if (in != stdin)
		fclose(in);
	if (rc != 0 && db_storage_failed(app->db))
		eprintf_safe(_("husly: import: %s was not imported: %s\n"), path, err ? err : "?");
	else if (rc != 0)
		eprintf_safe(_("husly: import: %s; nothing was changed\n"), err ? err : "?");
	if (rc != 0) {
		free(err);
		return -1;
	}
	char *summary = sync_counts_text(&c);
	printf_safe("%s: %s\n", str_eq(path, "-") ? "-" : path, summary);
	free(summary);
	return 0;
}

int cmd_import(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{"plaintext", no_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	int c, plaintext = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != 'p')
			return usage_error(xasprintf(_("import: unknown option %s"), argv[optind - 1]));
		plaintext = 1;
	}
	if (optind >= argc)
		return usage_error(xstrdup(_("import: name a bundle file (- for standard input)")));
	struct shelter_key key;
	int have = configured_key(app, &key);
	if (have < 0)
		return EXIT_USAGE;
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	int failed = 0;
	for (int i = optind; i < argc; i++)
		failed |= import_one(app, argv[i], have ? &key : NULL, plaintext) != 0;
	explicit_bzero(&key, sizeof(key)); /* no copy of the key lingers in memory */
	return failed ? EXIT_FAIL : EXIT_OK;
}

/* --- conflicts ----------------------------------------------------------------------------- */

static void print_conflict(const struct conflict_info *c)
{
	printf_safe("%s  %s (%s)  %s.%s\n", c->id, c->resident_name ? c->resident_name : "?",
		    c->resident_id ? c->resident_id : "?", c->tbl, c->field);
	printf_safe(_("    kept: %s  (%s, %s)\n"), c->winner_value ? c->winner_value : "-",
		    c->winner_login ? c->winner_login : "?", c->winner_at ? c->winner_at : "?");
	printf_safe(_("    lost: %s  (%s, %s)\n"), c->value ? c->value : "-", c->login, c->at);
	if (c->resolved_at)
		printf_safe(_("    resolved %s by %s\n"), c->resolved_at,
			    c->resolved_by ? c->resolved_by : "?");
}

int cmd_conflicts(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	int c, all = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != 'a')
			return usage_error(
			    xasprintf(_("conflicts: unknown option %s"), argv[optind - 1]));
		all = 1;
	}
	if (optind < argc)
		return usage_error(xasprintf(_("conflicts: unexpected argument '%s'"), argv[optind]));
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	struct conflict_info *list;
	size_t n;
	char *err = NULL;
	if (db_conflicts(app->db, NULL, all, &list, &n, &err) != 0) {
		eprintf_safe("husly: conflicts: %s\n", err);
		free(err);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		print_conflict(&list[i]);
	if (n == 0)
		printf_safe("%s\n", all ? _("No conflicts.") : _("No open conflicts."));
	conflicts_free(list, n);
	return EXIT_OK;
}

/* --- keygen -------------------------------------------------------------------------------- */

int cmd_keygen(struct app *app, int argc, char **argv)
{
	(void)app;
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	int c;
	const char *out = NULL;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == ':')
			return usage_error(xasprintf(_("keygen: %s needs a value"), argv[optind - 1]));
		else
			return usage_error(xasprintf(_("keygen: unknown option %s"), argv[optind - 1]));
	}
	if (optind < argc)
		return usage_error(xasprintf(_("keygen: unexpected argument '%s'"), argv[optind]));
	if (!out || str_eq(out, "-"))
		return usage_error(xstrdup(_("keygen: -o FILE is needed (a key is never printed)")));
	char *err = NULL;
	if (key_generate_file(out, &err) != 0) {
		eprintf_safe("husly: keygen: %s\n", err);
		free(err);
		return EXIT_FAIL;
	}
	printf_safe(_("%s: a new shelter key (mode 0600). Copy it to every terminal of the shelter "
		      "and set sync_key_file in husly.conf.\n"),
		    out);
	return EXIT_OK;
}
