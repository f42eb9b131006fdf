#include "cli.h"
#include "cli_internal.h"

#include "app.h"
#include "audit.h"
#include "db.h"
#include "datetyped.h"
#include "clock.h"
#include "demo.h"
#include "dump.h"
#include "i18n.h"
#include "ids.h"
#include "print.h"
#include "sync.h"
#include "record.h"
#include "report.h"
#include "safefile.h"
#include "text.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_usage(FILE *out)
{
	fprintf(out, _("Usage: husly [-d|--db FILE] [-c|--config FILE] [COMMAND [ARGS]]\n"
		       "\n"
		       "husly keeps the records of a shelter's residents. With no command it starts\n"
		       "the terminal UI.\n"
		       "\n"
		       "Commands:\n"
		       "  demo [--residents N] [--edits M] [--seed S] [--log FILE]\n"
		       "                 add N made-up residents (default 40), then make M random\n"
		       "                 edits (default 0); the same seed gives the same data;\n"
		       "                 --log appends a line to FILE per change committed\n"
		       "  dump           print every record as canonical JSON Lines (not night\n"
		       "                 staff: it holds whole CPR numbers)\n"
		       "  check          verify the database; exit 1 and say what is wrong\n"
		       "  init           make a new, empty database (the UI makes one by itself\n"
		       "                 only at the default path)\n"
		       "  print RESIDENT|--all|--ready [-o FILE] [--format pdf|text]\n"
		       "                 print move-out checklists: one resident (an id or a\n"
		       "                 name that finds only them), everyone staying, or those\n"
		       "                 ready to move; to the print command (PDF), or to FILE\n"
		       "                 (.pdf or .txt; - for standard output, text)\n"
		       "  print --subject-access RESIDENT [-o FILE] [--format pdf|text]\n"
		       "                 everything stored about a person, for their right of\n"
		       "                 access under the GDPR (coordinators)\n"
		       "  export -o FILE [--to PEER] [--full] [--plaintext]\n"
		       "                 write the changes PEER (default: default) has not been\n"
		       "                 sent yet, or all with --full, sealed with the shelter key\n"
		       "                 (sync_key_file); - for standard output\n"
		       "  import [--plaintext] FILE...\n"
		       "                 merge bundles (- for standard input), all or nothing each,\n"
		       "                 and say what each did (coordinators)\n"
		       "  conflicts [--all]\n"
		       "                 the values sync kept aside when two terminals changed the\n"
		       "                 same field (--all: resolved ones too; coordinators)\n"
		       "  keygen -o FILE make a new shelter key (mode 0600) for sync_key_file\n"
		       "  audit [--resident RESIDENT] [--since DATE]\n"
		       "                 who opened, changed, printed, exported, imported or\n"
		       "                 erased what, when and where (coordinators)\n"
		       "  erase RESIDENT [--yes]\n"
		       "                 erase a resident for good (GDPR), here and, by sync,\n"
		       "                 everywhere; asks first unless --yes (coordinators)\n"
		       "  retention [--apply [--yes]] [--months N]\n"
		       "                 those gone longer than retention_months (or N months):\n"
		       "                 list them, or with --apply erase them after asking\n"
		       "                 (--yes: without asking) (coordinators)\n"
		       "  report [--from DATE] [--to DATE] [--format text|csv|pdf] [-o FILE]\n"
		       "                 figures for a period (default: this year so far):\n"
		       "                 stays, arrivals, departures, days from ready to moving\n"
		       "                 out, municipalities, monitoring indicators, days per\n"
		       "                 resident and year over the refund limit, VIVE's risk\n"
		       "                 factors by type of stay, the national register's\n"
		       "                 listing by CPR number and its checks; to standard\n"
		       "                 output, or FILE (.txt, .csv for a spreadsheet, .pdf)\n"
		       "                 (those who may run dump, and coordinators)\n"
		       "\n"
		       "Options:\n"
		       "  -d, --db FILE      the database (default: the config's, or\n"
		       "                     $XDG_DATA_HOME/husly/husly.db)\n"
		       "  -c, --config FILE  read only this configuration file (default:\n"
		       "                     /etc/husly/husly.conf, then $XDG_CONFIG_HOME/husly/husly.conf)\n"
		       "  -V, --version      print the version and exit\n"
		       "  -h, --help         print this help and exit\n"
		       "\n"
		       "A login missing from husly.conf's staff table may only read, unless\n"
		       "unknown_login says otherwise.\n"
		       "Exit status: 0 success, 1 failure (a full disk or a read-only database\n"
		       "too: nothing is then saved), 2 usage or configuration error.\n"
		       "See husly(1) and husly.conf(5).\n"));
}

int usage_error(char *msg)
{
	eprintf_safe("husly: %s\n", msg);
	fprintf(stderr, _("Try 'husly --help'.\n"));
	free(msg);
	return EXIT_USAGE;
}

int open_db(struct app *app, enum open_mode mode)
{
	char *err = NULL;
	int rc = mode == OPEN_CREATE	 ? db_open(app->db_path, &app->db, &err)
		 : mode == OPEN_EXISTING ? db_open_existing(app->db_path, &app->db, &err)
					 : db_open_readonly(app->db_path, &app->db, &err);
	if (rc != 0) {
		eprintf_safe("husly: %s\n", err);
		free(err);
		return -1;
	}
	db_set_actor(app->db, app->login);
	db_set_terminal_name(app->db, app->cfg.terminal);
	return 0;
}

static int parse_count(const char *opt, const char *arg, long max, long *out)
{
	if (parse_long(arg, 0, max, out) != 0) {
		eprintf_safe(_("husly: %s wants a whole number from 0 to %ld, not '%s'\n"), opt,
			max, arg);
		return -1;
	}
	return 0;
}

/* demo --log FILE: appended to (mode 0600 when new), so runs one after another share a log. */
static FILE *open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!f) {
		eprintf_safe(_("husly: demo: %s: %s\n"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

static int cmd_demo(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{"residents", required_argument, NULL, 'r'},
		{"edits", required_argument, NULL, 'e'},
		{"seed", required_argument, NULL, 's'},
		{"log", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	struct demo_options o = {40, 0, 1, NULL};
	long seed = 1;
	const char *log = NULL;
	int c;
	opterr = 0; /* our own messages, in the user's language */
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		int bad = 0;
		if (c == 'r')
			bad = parse_count("--residents", optarg, 10000000, &o.residents);
		else if (c == 'e')
			bad = parse_count("--edits", optarg, 100000000, &o.edits);
		else if (c == 's')
			bad = parse_count("--seed", optarg, 0x7FFFFFFFL, &seed);
		else if (c == 'l')
			log = optarg;
		else if (c == ':')
			return usage_error(
			    xasprintf(_("demo: %s needs a value"), argv[optind - 1]));
		else
			return usage_error(
			    xasprintf(_("demo: unknown option %s"), argv[optind - 1]));
		if (bad)
			return EXIT_USAGE;
	}
	if (optind < argc)
		return usage_error(xasprintf(_("demo: unexpected argument '%s'"), argv[optind]));
	o.seed = (uint64_t)seed;
	if (log && !(o.log = open_log(log)))
		return EXIT_FAIL;
	char *err = NULL;
	int rc = open_db(app, OPEN_CREATE) != 0 ? -1 : demo_run(app->db, &o, &err);
	if (rc != 0 && err)
		eprintf_safe("husly: demo: %s\n", err);
	free(err);
	if (o.log && fclose(o.log) != 0 && rc == 0) {
		eprintf_safe(_("husly: demo: %s: %s\n"), log, strerror(errno));
		rc = -1;
	}
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

static int no_arguments(const char *name, int argc, char **argv)
{
	if (argc > 1)
		return usage_error(xasprintf(_("%s: unexpected argument '%s'"), name, argv[1]));
	return 0;
}

static int cmd_dump(struct app *app, int argc, char **argv)
{
	if (no_arguments("dump", argc, argv))
		return EXIT_USAGE;
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	char *err = NULL;
	/* Every record leaves the database: that is recorded before anything is written. */
	if (db_audit(app->db, AUDIT_DUMP, NULL, NULL, &err) != 0 ||
	    db_dump(app->db, stdout, &err) != 0) {
		eprintf_safe("husly: %s\n", err);
		free(err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int cmd_init(struct app *app, int argc, char **argv)
{
	if (no_arguments("init", argc, argv))
		return EXIT_USAGE;
	struct stat sb;
	if (stat(app->db_path, &sb) == 0) {
		eprintf_safe(_("husly: %s already exists; init only makes a new database\n"),
			     app->db_path);
		return EXIT_FAIL;
	}
	if (open_db(app, OPEN_CREATE) != 0)
		return EXIT_FAIL;
	printf_safe(_("%s: new, empty database made\n"), app->db_path);
	return EXIT_OK;
}

static void print_problem(const char *problem, void *arg)
{
	(void)arg;
	printf("%s\n", problem);
}

static int cmd_check(struct app *app, int argc, char **argv)
{
	if (no_arguments("check", argc, argv))
		return EXIT_USAGE;
	if (open_db(app, OPEN_READONLY) != 0)
		return EXIT_FAIL;
	char *err = NULL;
	long problems = db_check(app->db, print_problem, NULL, &err);
	if (problems < 0) {
		/* Problems found before the failure were printed above. */
		eprintf_safe(_("husly: %s: the check could not finish: %s\n"), app->db_path, err);
		free(err);
		return EXIT_FAIL;
	}
	if (problems > 0) {
		eprintf_safe(_("husly: %s: %ld problem(s) found\n"), app->db_path, problems);
		return EXIT_FAIL;
	}
	printf_safe(_("%s: no problems found\n"), app->db_path);
	return EXIT_OK;
}

/* --- audit ------------------------------------------------------------------------------- */

static void print_audit_entry(const struct audit_entry *e, void *arg)
{
	(void)arg;
	char local[LOCAL_MIN_LEN], d[DATE_LEN];
	iso_utc_to_local_minute(e->at, local);
	date_iso_to_dk(local, d);
	char *who = e->resident_id ? xasprintf("%s (%s)", e->resident_name ? e->resident_name : "-",
					       e->resident_id)
				   : xstrdup("-");
	printf_safe("%s %s  %s  %s  %s  %s  %s\n", d, local[0] ? local + 11 : "", e->login,
		    e->terminal, e->action, who, e->detail ? e->detail : "");
	free(who);
}

/* --since as staff type a date: from local midnight of that day. */
static int since_utc(const char *typed, char out[ISO_TIME_LEN])
{
	char today[DATE_LEN], day[DATE_LEN];
	time_to_local_date(clock_now(), today);
	if (date_parse_typed(typed, today, 0, day) != DATE_OK)
		return -1;
	char midnight[LOCAL_MIN_LEN];
	snprintf(midnight, sizeof(midnight), "%s 00:00", day);
	time_t t;
	if (local_minute_to_time(midnight, &t) != 0)
		return -1;
	time_to_iso_utc(t, out);
	return 0;
}

static int cmd_audit(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{"resident", required_argument, NULL, 'r'},
		{"since", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	const char *resident = NULL, *since = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'r')
			resident = optarg;
		else if (c == 's')
			since = optarg;
		else if (c == ':')
			return usage_error(xasprintf(_("audit: %s needs a value"), argv[optind - 1]));
		else
			return usage_error(xasprintf(_("audit: unknown option %s"), argv[optind - 1]));
	}
	if (optind < argc)
		return usage_error(xasprintf(_("audit: unexpected argument '%s'"), argv[optind]));
	char from[ISO_TIME_LEN];
	if (since && since_utc(since, from) != 0)
		return usage_error(xasprintf(_("audit: --since wants a date such as 01-11-2026, not "
					       "'%s'"),
					     since));
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	char id[ID_LEN], *err = NULL;
	/* An id as it is: the log keeps the entries of an erased resident, whom no search finds. */
	if (resident && id_is_valid(resident))
		strlcpy_trunc(id, resident, ID_LEN);
	else if (resident && print_find_resident(app->db, resident, id, &err) != 0) {
		eprintf_safe("husly: audit: %s\n", err);
		free(err);
		return EXIT_FAIL;
	}
	long n = db_audit_list(app->db, resident ? id : NULL, since ? from : NULL,
			       print_audit_entry, NULL, &err);
	if (n < 0) {
		eprintf_safe("husly: audit: %s\n", err);
		free(err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* --- erase ------------------------------------------------------------------------------- */

/* Asks on the terminal; 1 when the answer is yes. */
int answered_yes(void)
{
	fflush(stdout);
	char answer[32] = "";
	if (!fgets(answer, sizeof(answer), stdin))
		return 0;
	answer[strcspn(answer, "\r\n")] = '\0';
	return str_eq(answer, _("yes")) || str_eq(answer, "yes");
}

static int confirmed(const char *name, const char *id)
{
	printf_safe(_("Erase %s (%s) for good: every record, note and change of them, here and "
		      "on every terminal the erasure reaches? Type yes: "),
		    name, id);
	return answered_yes();
}

static int cmd_erase(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{"yes", no_argument, NULL, 'y'},
		{NULL, 0, NULL, 0},
	};
	int c, yes = 0;
	const char *resident = NULL;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-:", opts, NULL)) != -1) {
		if (c == 'y')
			yes = 1;
		else if (c == 1 && !resident)
			resident = optarg;
		else if (c == 1)
			return usage_error(xasprintf(_("erase: unexpected argument '%s'"), optarg));
		else
			return usage_error(xasprintf(_("erase: unknown option %s"), argv[optind - 1]));
	}
	if (!resident)
		return usage_error(xstrdup(_("erase: name the resident (an id, or a name that finds "
					     "only them)")));
	if (!yes && !isatty(STDIN_FILENO))
		return usage_error(xstrdup(_("erase: asks before it erases; give --yes to erase "
					     "without a question")));
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	char id[ID_LEN], *err = NULL;
	struct record r = {0};
	int rc = print_find_resident(app->db, resident, id, &err);
	if (rc == 0 && db_record_get(app->db, "resident", id, &r, &err) != 1)
		rc = -1;
	if (rc == 0 && !yes && !confirmed(record_get(&r, "name"), id)) {
		record_free(&r);
		printf_safe("%s\n", _("Nothing was erased."));
		return EXIT_FAIL;
	}
	if (rc == 0)
		rc = db_erase_resident(app->db, id, &err);
	record_free(&r);
	if (rc != 0) {
		eprintf_safe("husly: erase: %s\n", err ? err : "?");
		free(err);
		return EXIT_FAIL;
	}
	printf_safe(_("%s: erased. Export to the other terminals so the erasure reaches them.\n"),
		    id);
	return EXIT_OK;
}

/* --- print ------------------------------------------------------------------------------- */

struct print_request {
	enum print_selection sel;
	const char *resident; /* PRINT_ONE: as typed */
	const char *out;      /* -o, or NULL for the print command */
	int format;           /* --format, or -1 to follow -o */
};

static int print_usage_error(const char *what)
{
	return usage_error(xasprintf("print: %s", what));
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* The format -o asks for: --format, else the file's ending; standard output is text. */
static int print_format_of(const struct print_request *r, enum print_format *f)
{
	if (r->format >= 0)
		*f = (enum print_format)r->format;
	else if (str_eq(r->out, "-") || ends_with(r->out, ".txt"))
		*f = PRINT_TEXT;
	else if (ends_with(r->out, ".pdf"))
		*f = PRINT_PDF;
	else
		return -1;
	return 0;
}

static int parse_print(int argc, char **argv, struct print_request *r)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},    {"ready", no_argument, NULL, 'r'},
		{"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
		{"subject-access", no_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	int c, chosen = 0, subject = 0;
	opterr = 0;
	/* "-": the resident comes back as option 1, so options may follow it whatever
	 * POSIXLY_CORRECT says. */
	while ((c = getopt_long(argc, argv, "-:o:", opts, NULL)) != -1) {
		if (c == 1 && r->resident)
			return usage_error(
			    xasprintf(_("print: unexpected argument '%s'"), optarg));
		if (c == 1) {
			r->resident = optarg;
			chosen++;
		} else if (c == 'a' || c == 'r') {
			r->sel = c == 'a' ? PRINT_PRESENT : PRINT_READY;
			chosen++;
		} else if (c == 's') {
			subject = 1;
		} else if (c == 'o') {
			r->out = optarg;
		} else if (c == 'f' && (str_eq(optarg, "pdf") || str_eq(optarg, "text"))) {
			r->format = str_eq(optarg, "pdf") ? PRINT_PDF : PRINT_TEXT;
		} else if (c == 'f') {
			return print_usage_error(_("--format is pdf or text"));
		} else if (c == ':') {
			return usage_error(xasprintf(_("print: %s needs a value"), argv[optind - 1]));
		} else {
			return usage_error(xasprintf(_("print: unknown option %s"), argv[optind - 1]));
		}
	}
	if (subject && (chosen != 1 || !r->resident))
		return print_usage_error(_("--subject-access is about one resident: name them"));
	if (chosen != 1)
		return print_usage_error(_("name one resident, or --all, or --ready"));
	if (subject)
		r->sel = PRINT_SUBJECT_ACCESS;
	enum print_format f = PRINT_PDF;
	if (r->out && print_format_of(r, &f) != 0)
		return print_usage_error(_("-o FILE ends in .pdf or .txt (or give --format)"));
	if (!r->out && r->format == PRINT_TEXT)
		return print_usage_error(_("the print command gets PDF; --format text needs -o"));
	if (r->out && str_eq(r->out, "-") && f == PRINT_PDF && isatty(STDOUT_FILENO))
		return print_usage_error(_("a PDF is no text for a terminal: use -o FILE.pdf, or a pipe"));
	return 0;
}


/* A file written whole or not at all (safefile.h): an older file survives a failed print. */
static long print_to_file(struct app *app, const struct print_request *r, const char *id,
			  enum print_format f, const struct print_context *ctx, char **err)
{
	struct safe_file sf;
	if (safe_file_open(&sf, r->out, err) != 0)
		return -1;
	long pages = print_residents(app->db, r->sel, id, f, ctx, sf.f, err);
	if (safe_file_close(&sf, pages >= 0, err) != 0)
		pages = -1;
	return pages;
}

static long print_request_run(struct app *app, const struct print_request *r, const char *id,
			      const struct print_context *ctx, char **err)
{
	enum print_format f = PRINT_PDF;
	if (!r->out)
		return print_to_command(app->db, r->sel, id, ctx, app->cfg.print_command, err);
	print_format_of(r, &f);
	if (!str_eq(r->out, "-"))
		return print_to_file(app, r, id, f, ctx, err);
	long pages = print_residents(app->db, r->sel, id, f, ctx, stdout, err);
	if (pages >= 0 && fflush(stdout) != 0) {
		*err = xasprintf(_("cannot write to standard output: %s"), strerror(errno));
		return -1;
	}
	return pages;
}

static int cmd_print(struct app *app, int argc, char **argv)
{
	struct print_request r = {PRINT_ONE, NULL, NULL, -1};
	int bad = parse_print(argc, argv, &r);
	if (bad)
		return bad;
	if (r.sel == PRINT_SUBJECT_ACCESS && !app_is_coordinator(app)) {
		eprintf_safe(_("husly: print: only a coordinator may print a subject access\n"));
		return EXIT_FAIL;
	}
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	char id[ID_LEN] = "", *err = NULL;
	char *by = app_signature(app);
	struct print_context ctx = {app->cfg.shelter, by};
	long pages = -1;
	if (!r.resident || print_find_resident(app->db, r.resident, id, &err) == 0)
		pages = print_request_run(app, &r, id, &ctx, &err);
	free(by);
	if (pages < 0) {
		eprintf_safe("husly: print: %s\n", err);
		free(err);
		return EXIT_FAIL;
	}
	if (!r.out)
		printf_safe(_("%ld page(s) sent to '%s'\n"), pages, app->cfg.print_command);
	return EXIT_OK;
}

/* --- report ------------------------------------------------------------------------------ */

enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_PDF };

struct report_request {
	const char *from, *to; /* as typed, or NULL */
	const char *out;       /* -o, or NULL for standard output */
	int format;            /* --format, or -1 to follow -o */
};

static int report_usage_error(const char *what)
{
	return usage_error(xasprintf("report: %s", what));
}

static int parse_report(int argc, char **argv, struct report_request *r)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'F'},   {"to", required_argument, NULL, 'T'},
		{"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
		if (c == 'F')
			r->from = optarg;
		else if (c == 'T')
			r->to = optarg;
		else if (c == 'o')
			r->out = optarg;
		else if (c == 'f' && (str_eq(optarg, "text") || str_eq(optarg, "csv") ||
				      str_eq(optarg, "pdf")))
			r->format = str_eq(optarg, "csv")   ? REPORT_CSV
				    : str_eq(optarg, "pdf") ? REPORT_PDF
							    : REPORT_TEXT;
		else if (c == 'f')
			return report_usage_error(_("--format is text, csv or pdf"));
		else if (c == ':')
			return usage_error(xasprintf(_("report: %s needs a value"), argv[optind - 1]));
		else
			return usage_error(xasprintf(_("report: unknown option %s"), argv[optind - 1]));
	}
	if (optind < argc)
		return usage_error(xasprintf(_("report: unexpected argument '%s'"), argv[optind]));
	if (r->format < 0 && r->out && ends_with(r->out, ".csv"))
		r->format = REPORT_CSV;
	else if (r->format < 0 && r->out && ends_with(r->out, ".pdf"))
		r->format = REPORT_PDF;
	else if (r->format < 0 && r->out && !str_eq(r->out, "-") && !ends_with(r->out, ".txt"))
		return report_usage_error(_("-o FILE ends in .csv, .pdf or .txt (or give --format)"));
	else if (r->format < 0)
		r->format = REPORT_TEXT;
	if (r->format == REPORT_PDF && (!r->out || str_eq(r->out, "-")) && isatty(STDOUT_FILENO))
		return report_usage_error(_("a PDF is no text for a terminal: use -o FILE.pdf, or a pipe"));
	return 0;
}

/* The period as typed: default from 1 January of this year to today. */
static int report_period(const struct report_request *r, char from[DATE_LEN], char to[DATE_LEN])
{
	char today[DATE_LEN];
	time_to_local_date(clock_now(), today);
	snprintf(from, DATE_LEN, "%.4s-01-01", today);
	strlcpy_trunc(to, today, DATE_LEN);
	if (r->from && date_parse_typed(r->from, today, 0, from) != DATE_OK)
		return usage_error(xasprintf(_("report: --from wants a date such as 01-01-2026, not "
					       "'%s'"),
					     r->from));
	if (r->to && date_parse_typed(r->to, today, 0, to) != DATE_OK)
		return usage_error(xasprintf(_("report: --to wants a date such as 31-12-2026, not "
					       "'%s'"),
					     r->to));
	if (strcmp(to, today) > 0) /* days yet to come are no figures: count to today */
		strlcpy_trunc(to, today, DATE_LEN);
	if (strcmp(from, to) > 0)
		return report_usage_error(_("--from is after --to (or after today)"));
	return 0;
}

/* 0, or -1 with *err set when the PDF failed (a write error leaves *err to the caller). */
static int report_write(struct app *app, const struct report *rep, int format, FILE *f,
			char **err)
{
	if (format == REPORT_CSV)
		return report_write_csv(rep, f);
	if (format == REPORT_TEXT)
		return report_write_text(rep, f);
	char *by = app_signature(app);
	long pages = report_write_pdf(rep, app->cfg.shelter, by, f, err);
	free(by);
	return pages < 0 ? -1 : 0;
}

static int report_output(struct app *app, const struct report_request *r,
			 const struct report *rep, char **err)
{
	if (!r->out || str_eq(r->out, "-")) {
		if (report_write(app, rep, r->format, stdout, err) != 0 || fflush(stdout) != 0) {
			if (!*err)
				*err = xasprintf(_("cannot write to standard output: %s"),
						 strerror(errno));
			return -1;
		}
		return 0;
	}
	struct safe_file sf;
	if (safe_file_open(&sf, r->out, err) != 0)
		return -1;
	int ok = report_write(app, rep, r->format, sf.f, err) == 0;
	if (!ok && !*err)
		*err = xasprintf(_("cannot write %s: %s"), r->out, strerror(errno));
	return safe_file_close(&sf, ok, ok ? err : NULL) != 0 || !ok ? -1 : 0;
}

static int cmd_report(struct app *app, int argc, char **argv)
{
	struct report_request r = {NULL, NULL, NULL, -1};
	char from[DATE_LEN], to[DATE_LEN];
	int bad = parse_report(argc, argv, &r);
	if (!bad)
		bad = report_period(&r, from, to);
	if (bad)
		return bad;
	if (open_db(app, OPEN_EXISTING) != 0)
		return EXIT_FAIL;
	struct report rep;
	const struct config *c = &app->cfg;
	struct report_rules rules = {
	    {c->refund_limit_days_before, c->refund_limit_days, ""},
	    {c->stay_type_years, c->stay_type_long_days, c->stay_type_episodic_stays}};
	strlcpy_trunc(rules.limit.change, c->refund_limit_change, DATE_LEN);
	char *err = NULL;
	/* CPR numbers leave the database: that is recorded before anything is written. */
	char *detail = xasprintf("%s..%s -> %s", from, to, r.out ? r.out : "-");
	int rc = db_audit(app->db, AUDIT_REPORT, NULL, detail, &err);
	free(detail);
	if (rc == 0)
		rc = db_report(app->db, from, to, &rules, &rep, &err);
	if (rc == 0) {
		rc = report_output(app, &r, &rep, &err);
		report_free(&rep);
	}
	if (rc != 0) {
		eprintf_safe("husly: report: %s\n", err ? err : "?");
		free(err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Who may run a command (app.h): anyone; anyone who may change data (not a read-only login);
 * those who may see whole CPR numbers (a dump and a bundle hold them); a coordinator. */
enum command_need { NEED_ANYONE, NEED_WRITE, NEED_CPR, NEED_COORDINATOR };

static const struct {
	const char *name;
	int (*run)(struct app *, int, char **);
	enum command_need need;
	const char *what; /* for the refusal: "only a coordinator may %s" */
} commands[] = {
	{"demo", cmd_demo, NEED_WRITE, NULL},
	{"dump", cmd_dump, NEED_CPR, NULL},
	{"check", cmd_check, NEED_ANYONE, NULL},
	{"init", cmd_init, NEED_ANYONE, NULL},
	{"print", cmd_print, NEED_ANYONE, NULL},
	{"export", cmd_export, NEED_CPR, NULL},
	{"import", cmd_import, NEED_COORDINATOR, N_("import bundles")},
	{"conflicts", cmd_conflicts, NEED_COORDINATOR, N_("review sync conflicts")},
	{"keygen", cmd_keygen, NEED_ANYONE, NULL},
	{"audit", cmd_audit, NEED_COORDINATOR, N_("read the audit log")},
	{"erase", cmd_erase, NEED_COORDINATOR, N_("erase a resident")},
	{"retention", cmd_retention, NEED_COORDINATOR, N_("erase residents by the retention period")},
	{"report", cmd_report, NEED_CPR, NULL},
};

/* Says why the user may not run the command (exit 1), or returns 0 when they may. --help and
 * usage errors are not reached first: a refusal names the login and role, which is what to
 * take to the coordinator. */
static int refuse(const struct app *app, const char *name, enum command_need need,
		  const char *what)
{
	const char *login = app->login ? app->login : "";
	const char *role = app_user_role(app);
	if (need == NEED_COORDINATOR && !app_is_coordinator(app))
		eprintf_safe(_("husly: %s: only a coordinator may %s; you are logged in as '%s' "
			       "(%s)\n"),
			     name, _(what), login, role);
	else if (need == NEED_WRITE && !app_may_write(app))
		eprintf_safe(_("husly: %s: '%s' may only read: the login is not in husly.conf's "
			       "staff table (see unknown_login in husly.conf(5))\n"),
			     name, login);
	else if (need == NEED_CPR && !app_may_see_cpr(app))
		eprintf_safe(_("husly: %s: its output holds whole CPR numbers, which '%s' (%s) may "
			       "not see\n"),
			     name, login, role);
	else
		return 0;
	return EXIT_FAIL;
}

int cli_is_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (str_eq(name, commands[i].name))
			return 1;
	return 0;
}

int cli_run(struct app *app, int argc, char **argv)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (str_eq(argv[0], commands[i].name)) {
			optind = 0; /* glibc: 0 re-initialises getopt for the command's own options */
			int refused = refuse(app, argv[0], commands[i].need, commands[i].what);
			return refused ? refused : commands[i].run(app, argc, argv);
		}
	}
	return usage_error(xasprintf(_("unknown command '%s'"), argv[0]));
}
