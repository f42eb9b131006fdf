/* husly: the records of a shelter's residents, in a terminal. See husly(1).
 *
 * main() sets up what every run needs (locale, clock, options, configuration, language) and
 * hands over to a command or to the terminal UI. */
#include "app.h"
#include "cli.h"
#include "clock.h"
#include "db.h"
#include "filemode.h"
#include "i18n.h"
#include "lists.h"
#include "text.h"
#include "tui.h"
#include "util.h"

#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Translations: $HUSLY_LOCALEDIR, else the installed ones, else those built beside the binary
 * (so `make run` and the tests work from the source tree). */
static void set_up_gettext(void)
{
	const char *dir = getenv("HUSLY_LOCALEDIR");
	char *local = NULL;
	struct stat sb;
	if (str_empty(dir) && stat(LOCALEDIR "/da/LC_MESSAGES/husly.mo", &sb) != 0) {
		char exe[4096];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n > 0) {
			exe[n] = '\0';
			char *slash = strrchr(exe, '/');
			if (slash)
				*slash = '\0';
			local = xasprintf("%s/build/locale", exe);
			dir = local;
		}
	}
	bindtextdomain("husly", str_empty(dir) ? LOCALEDIR : dir);
	bind_textdomain_codeset("husly", "UTF-8");
	textdomain("husly");
	free(local);
}

/* The language: LANGUAGE from the environment wins; otherwise the configuration's (Danish by
 * default). glibc ignores LANGUAGE in the plain C locale, so messages then follow C.UTF-8. */
static void choose_language(const char *configured)
{
	const char *env = getenv("LANGUAGE");
	if (str_empty(env))
		setenv("LANGUAGE", configured && *configured ? configured : "da", 1);
	const char *msgs = setlocale(LC_MESSAGES, NULL);
	if (msgs && (strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0))
		setlocale(LC_MESSAGES, "C.UTF-8");
	set_up_gettext();
}

static char *current_login(void)
{
	struct passwd *pw = getpwuid(geteuid());
	if (pw && !str_empty(pw->pw_name))
		return xstrdup(pw->pw_name);
	return xasprintf("uid%ld", (long)geteuid());
}

/* A command that waits for another husly's save says so once, on standard error (the screens
 * say it on their message line instead: ui.c). */
static void wait_notice(const struct db_wait *w, void *arg)
{
	(void)arg;
	if (w->first)
		eprintf_safe(_("husly: waiting for another husly on %s to finish saving...\n"),
			     w->path);
}

struct options {
	const char *db;
	const char *config;
	int help, version;
	const char *bad; /* the first bad option, reported once the language is known */
	int first_arg;
};

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option long_opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"config", required_argument, NULL, 'c'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof(*o));
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:d:c:Vh", long_opts, NULL)) != -1) {
		if (c == 'd')
			o->db = optarg;
		else if (c == 'c')
			o->config = optarg;
		else if (c == 'V')
			o->version = 1;
		else if (c == 'h')
			o->help = 1;
		else if (!o->bad)
			o->bad = argv[optind - 1];
	}
	opterr = 1;
	o->first_arg = optind;
}

int main(int argc, char **argv)
{
	db_library_init();
	setlocale(LC_ALL, "");
	struct options o;
	parse_options(argc, argv, &o);

	struct app app;
	memset(&app, 0, sizeof(app));
	char *err = NULL;
	if (config_load(&app.cfg, o.config, &err) != 0 || lists_configure(&app.cfg, &err) != 0) {
		choose_language(NULL);
		eprintf_safe("%s\n", err);
		free(err);
		return EXIT_USAGE;
	}
	choose_language(app.cfg.language);
	if (filemode_set_group(app.cfg.group, &err) != 0) {
		eprintf_safe("husly: %s\n", err);
		free(err);
		config_free(&app.cfg);
		return EXIT_USAGE;
	}
	if (clock_init_from_env() != 0) {
		eprintf_safe(_("husly: HUSLY_NOW must look like 2026-11-25 02:14, not '%s'\n"),
			     getenv("HUSLY_NOW"));
		config_free(&app.cfg);
		return EXIT_USAGE;
	}

	if (o.bad) {
		eprintf_safe(_("husly: unknown or incomplete option '%s'\n"), o.bad);
		fprintf(stderr, _("Try 'husly --help'.\n"));
		config_free(&app.cfg);
		return EXIT_USAGE;
	}
	int status = EXIT_OK;
	if (o.help) {
		cli_usage(stdout);
	} else if (o.version) {
		printf("husly %s\n", VERSION);
	} else {
		app.db_path = o.db ? o.db : app.cfg.database;
		app.db_path_is_default = !o.db && app.cfg.database_is_default;
		app.login = current_login();
		app.me = config_staff(&app.cfg, app.login);
		db_set_wait_notice(wait_notice, NULL);
		if (o.first_arg < argc)
			status = cli_run(&app, argc - o.first_arg, argv + o.first_arg);
		else
			status = tui_run(&app);
	}
	db_close(app.db);
	free(app.login);
	config_free(&app.cfg);
	return status;
}
