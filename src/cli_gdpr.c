/* `husly retention`: the residents gone longer than the shelter keeps records (husly.conf's
 * retention_months, or --months), listed, or with --apply erased as `husly erase` does. The
 * subject access is a kind of print (`husly print --subject-access`, cli.c). */
#include "cli.h"
#include "cli_internal.h"

#include "app.h"
#include "clock.h"
#include "db.h"
#include "gdpr.h"
#include "i18n.h"
#include "text.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "(last stay ended 03-01-2024 10:00)" or "(no stay; registered 02-02-2024 09:12)". */
static char *gone_words(const struct retention_due *r)
{
	char d[DATE_LEN];
	if (r->last_departure) {
		date_iso_to_dk(r->last_departure, d);
		return xasprintf(_("(last stay ended %s %s)"), d,
				 strlen(r->last_departure) >= 16 ? r->last_departure + 11 : "");
	}
	char local[LOCAL_MIN_LEN];
	iso_utc_to_local_minute(r->created_at, local);
	date_iso_to_dk(local, d);
	return xasprintf(_("(no stay; registered %s)"), d[0] ? d : "?");
}

static void list_due(const struct retention_due *due, size_t n, int hint)
{
	for (size_t i = 0; i < n; i++) {
		char *gone = gone_words(&due[i]);
		printf_safe("%s  %s  %s\n", due[i].id, due[i].name ? due[i].name : "", gone);
		free(gone);
	}
	if (n && hint)
		printf_safe(_("%zu resident(s) would be erased; husly retention --apply erases them.\n"),
			    n);
}

/* Erases those due, each in its own transaction; returns 0, or -1 after saying what failed. */
static int erase_due(struct app *app, const struct retention_due *due, size_t n,
		     const char *cutoff, long months)
{
	char *detail = xasprintf("%ld months", months);
	size_t erased = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *err = NULL, *gone = gone_words(&due[i]);
		int done = db_retention_erase(app->db, due[i].id, cutoff, detail, &err);
		if (done == 1)
			printf_safe(_("%s  %s  erased %s\n"), due[i].id, due[i].name, gone);
		else if (done == 0)
			printf_safe(_("%s  %s  not erased: no longer due (back, or changed since)\n"),
				    due[i].id, due[i].name);
		else
			eprintf_safe(_("husly: retention: %s: %s\n"), due[i].id, err ? err : "?");
		erased += done == 1;
		rc = done < 0 ? -1 : 0;
		free(gone);
		free(err);
	}
	free(detail);
	if (erased) {
		/* As `husly erase`: nothing erased stays in the write-ahead log. */
		char *busy = NULL;
		db_checkpoint(app->db, &busy);
		free(busy);
		printf_safe(_("%zu resident(s) erased. Export to the other terminals so the "
			      "erasures reach them.\n"),
			    erased);
	}
	return rc;
}

static int parse_retention(int argc, char **argv, int *apply, int *yes, long *months)
{
	static const struct option opts[] = {
		{"apply", no_argument, NULL, 'a'},
		{"yes", no_argument, NULL, 'y'},
		{"months", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'a') {
			*apply = 1;
		} else if (c == 'y') {
			*yes = 1;
		} else if (c == 'm') {
			if (parse_long(optarg, 1, RETENTION_MONTHS_MAX, months) != 0)
				return usage_error(xasprintf(_("retention: --months wants a whole "
							       "number from 1 to %d, not '%s'"),
							     RETENTION_MONTHS_MAX, optarg));
		} else if (c == ':') {
			return usage_error(xasprintf(_("retention: %s needs a value"),
						     argv[optind - 1]));
		} else {
			return usage_error(xasprintf(_("retention: unknown option %s"),
						     argv[optind - 1]));
		}
	}
	if (optind < argc)
		return usage_error(
		    xasprintf(_("retention: unexpected argument '%s'"), argv[optind]));
	if (*apply && !*yes && !isatty(STDIN_FILENO))
		return usage_error(xstrdup(_("retention: --apply asks before it erases; give --yes "
					     "to erase without a question")));
	return 0;
}

/* Asks on the terminal before n residents are erased for good. */
static int confirmed(size_t n, long months)
{
	printf_safe(_("Erase these %zu resident(s) for good (kept %ld months), here and on every "
		      "terminal the erasures reach? Import from every terminal first: someone who "
		      "came back there is not known here. Type yes: "),
		    n, months);
	return answered_yes();
}

int cmd_retention(struct app *app, int argc, char **argv)
{
	int apply = 0, yes = 0;
	long months = 0;
	int bad = parse_retention(argc, argv, &apply, &yes, &months);
	if (bad)
		return bad;
	if (months == 0)
		months = app->cfg.retention_months;
	if (months == 0) {
		eprintf_safe(_("husly: retention: off; set retention_months in husly.conf (the months "
			       "a record is kept after the resident's last stay ended), or give "
			       "--months N\n"));
		return EXIT_USAGE;
	}
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	char today[DATE_LEN], cutoff[DATE_LEN], shown[DATE_LEN];
	time_to_local_date(clock_now(), today);
	retention_cutoff(today, months, cutoff);
	date_iso_to_dk(cutoff, shown);
	struct retention_due *due;
	size_t n;
	char *err = NULL;
	if (db_retention_due(app->db, cutoff, &due, &n, &err) != 0) {
		eprintf_safe("husly: retention: %s\n", err);
		free(err);
		return EXIT_FAIL;
	}
	printf_safe(_("Records are kept %ld months: due for erasure is everyone gone since before "
		      "%s.\n"),
		    months, shown);
	if (!n)
		printf_safe("%s\n", _("No resident is due for erasure."));
	int rc = 0;
	if (!apply) {
		list_due(due, n, 1);
	} else if (n && !yes) {
		list_due(due, n, 0);
		if (confirmed(n, months))
			rc = erase_due(app, due, n, cutoff, months);
		else
			printf_safe("%s\n", _("Nothing erased."));
	} else {
		rc = erase_due(app, due, n, cutoff, months);
	}
	retention_due_free(due, n);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
