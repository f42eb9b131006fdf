#include "cli.h"

#include "app.h"
#include "audit.h"
#include "db.h"
#include "demo.h"
#include "dump.h"
#include "i18n.h"
#include "text.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cli_usage(FILE *out)
{
	fprintf(out, _("Usage: husly [-d|--db FILE] [-c|--config FILE] [COMMAND [ARGS]]\n"
		       "\n"
		       "husly keeps the records of a shelter's residents. With no command it starts\n"
		       "the terminal UI.\n"
		       "\n"
		       "Commands:\n"
		       "  demo [--residents N] [--edits M] [--seed S]\n"
		       "                 add N made-up residents (default 40), then make M random\n"
		       "                 edits (default 0); the same seed gives the same data\n"
		       "  dump           print every record as canonical JSON Lines\n"
		       "  check          verify the database; exit 1 and say what is wrong\n"
		       "  init           make a new, empty database (the UI makes one by itself\n"
		       "                 only at the default path)\n"
		       "\n"
		       "Options:\n"
		       "  -d, --db FILE      the database (default: the config's, or\n"
		       "                     $XDG_DATA_HOME/husly/husly.db)\n"
		       "  -c, --config FILE  read only this configuration file (default:\n"
		       "                     /etc/husly/husly.conf, then $XDG_CONFIG_HOME/husly/husly.conf)\n"
		       "  -V, --version      print the version and exit\n"
		       "  -h, --help         print this help and exit\n"
		       "\n"
		       "Exit status: 0 success, 1 failure, 2 usage or configuration error.\n"
		       "See husly(1) and husly.conf(5).\n"));
}

/* Takes the message, already formatted, and frees it. */
static int usage_error(char *msg)
{
	eprintf_safe("husly: %s\n", msg);
	fprintf(stderr, _("Try 'husly --help'.\n"));
	free(msg);
	return EXIT_USAGE;
}

/* How a command opens the database: creating it, only if it exists, or read-only as it is. */
enum open_mode { OPEN_CREATE, OPEN_EXISTING, OPEN_READONLY };

static int open_db(struct app *app, enum open_mode mode)
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

static int cmd_demo(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{"residents", required_argument, NULL, 'r'},
		{"edits", required_argument, NULL, 'e'},
		{"seed", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct demo_options o = {40, 0, 1};
	long seed = 1;
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
	if (open_db(app, OPEN_CREATE) != 0)
		return EXIT_FAIL;
	char *err = NULL;
	if (demo_run(app->db, &o, &err) != 0) {
		eprintf_safe("husly: demo: %s\n", err);
		free(err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
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

static const struct {
	const char *name;
	int (*run)(struct app *, int, char **);
} commands[] = {
	{"demo", cmd_demo},
	{"dump", cmd_dump},
	{"check", cmd_check},
	{"init", cmd_init},
};

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
			return commands[i].run(app, argc, argv);
		}
	}
	return usage_error(xasprintf(_("unknown command '%s'"), argv[0]));
}
