/* husly.conf: defaults, a good file, and errors that name the file and the exact line. */
#include "unit.h"

#include <locale.h>

#include "app.h"
#include "config.h"

/* The directory of the current test, with HOME and the XDG directories pointing into it. */
static int setup(void **state)
{
	char *dir = unit_tmpdir();
	char *data = unit_path(dir, "data");
	char *cfg = unit_path(dir, "config");
	setenv("HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	setenv("XDG_DATA_HOME", data, 1);
	free(data);
	free(cfg);
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	return unit_teardown_tmpdir(state);
}

/* Writes content to dir/name and returns the path (a new string). */
static char *conf_file(const char *dir, const char *name, const char *content)
{
	char *path = unit_path(dir, name);
	unit_write_file(path, content);
	return path;
}

/* Loads path, which must fail; returns the message (a new string). */
static char *load_fails(const char *path)
{
	struct config c;
	char *err = NULL;
	int rc = config_load(&c, path, &err);
	if (rc == 0) {
		config_free(&c);
		fail_msg("%s was accepted; it should have been refused", path);
	}
	assert_int_equal(rc, -1);
	assert_non_null(err);
	return err;
}

/* Asserts that loading content fails with a message starting "PATH:LINE:" and containing
 * every one of the words (NULL-terminated). */
static void fails_at_line(const char *dir, const char *content, int line, ...)
{
	char *path = conf_file(dir, "husly.conf", content);
	char *err = load_fails(path);
	char *prefix = xasprintf("%s:%d: ", path, line);
	assert_starts_with(err, prefix);
	va_list ap;
	va_start(ap, line);
	const char *word;
	while ((word = va_arg(ap, const char *)) != NULL)
		assert_contains(err, word);
	va_end(ap);
	free(prefix);
	free(err);
	free(path);
}

static void load_ok(struct config *c, const char *path)
{
	char *err = NULL;
	int rc = config_load(c, path, &err);
	if (rc != 0)
		fail_msg("config_load %s: %s", path ? path : "(system and user files)",
			 err ? err : "(no message)");
	assert_null(err);
}

static int system_file_exists(void)
{
	struct stat sb;
	return stat(SYSTEM_CONFIG, &sb) == 0;
}

/* --- good files -------------------------------------------------------------------------- */

static void test_defaults_without_any_file(void **state)
{
	if (system_file_exists())
		skip(); /* this machine has a system configuration: the defaults cannot be seen */
	struct config c;
	load_ok(&c, NULL);
	assert_string_equal(c.language, "da");
	assert_string_equal(c.print_command, "lpr");
	assert_string_equal(c.shelter, "");
	char host[256] = "";
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	assert_true(strlen(c.terminal) > 0);
	if (host[0])
		assert_string_equal(c.terminal, host);
	char *db = xasprintf("%s/data/husly/husly.db", (const char *)*state);
	assert_string_equal(c.database, db);
	free(db);
	assert_int_equal(c.nstaff, 0);
	assert_null(config_staff(&c, "anna"));
	assert_int_equal(c.unknown_login, ROLE_READ_ONLY);
	assert_string_equal(c.group, "");
	assert_int_equal(c.retention_months, 0);
	assert_int_equal(c.beds, 0);
	config_free(&c);
}

static void test_default_paths(void **state)
{
	const char *dir = *state;
	char *s = config_user_file();
	char *expect = xasprintf("%s/config/husly/husly.conf", dir);
	assert_string_equal(s, expect);
	free(s);
	free(expect);
	/* Without XDG variables: under HOME. */
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	s = config_user_file();
	expect = xasprintf("%s/.config/husly/husly.conf", dir);
	assert_string_equal(s, expect);
	free(s);
	free(expect);
	s = config_default_database();
	expect = xasprintf("%s/.local/share/husly/husly.db", dir);
	assert_string_equal(s, expect);
	free(s);
	free(expect);
}

static void test_good_file(void **state)
{
	char *path = conf_file(*state, "good.conf",
			       "# Herberget's own settings\n"
			       "shelter = \"Herberget Nordhavn\"\n"
			       "terminal = \"reception-1\"\n"
			       "database = \"/srv/husly/husly.db\"\n"
			       "language = \"en\"\n"
			       "print_command = \"lp -d office\"\n"
			       "\n"
			       "staff anna {\n"
			       "  name = \"Anna Sørensen\"\n"
			       "  role = \"coordinator\"\n"
			       "}\n"
			       "staff bo {\n"
			       "  role = \"night\"\n"
			       "}\n"
			       "staff carl {\n"
			       "  name = \"Carl\"\n"
			       "}\n");
	struct config c;
	load_ok(&c, path);
	assert_string_equal(c.shelter, "Herberget Nordhavn");
	assert_string_equal(c.terminal, "reception-1");
	assert_string_equal(c.database, "/srv/husly/husly.db");
	assert_string_equal(c.language, "en");
	assert_string_equal(c.print_command, "lp -d office");
	assert_int_equal(c.nstaff, 3);
	const struct staff_member *m = config_staff(&c, "anna");
	assert_non_null(m);
	assert_string_equal(m->name, "Anna Sørensen");
	assert_int_equal(m->role, ROLE_COORDINATOR);
	assert_string_equal(role_name(m->role), "coordinator");
	m = config_staff(&c, "bo");
	assert_non_null(m);
	assert_string_equal(m->name, "bo"); /* no name: the login */
	assert_int_equal(m->role, ROLE_NIGHT);
	m = config_staff(&c, "carl");
	assert_non_null(m);
	assert_int_equal(m->role, ROLE_RECEPTION); /* the default role */
	assert_string_equal(role_name(ROLE_RECEPTION), "reception");
	assert_null(config_staff(&c, "dorte"));
	config_free(&c);
	free(path);
}

static void test_explicit_file_is_read_alone(void **state)
{
	const char *dir = *state;
	char *user_dir = unit_path(dir, "config/husly");
	char *cfg_dir = unit_path(dir, "config");
	assert_int_equal(mkdir(cfg_dir, 0700), 0);
	assert_int_equal(mkdir(user_dir, 0700), 0);
	char *user = conf_file(dir, "config/husly/husly.conf",
			       "shelter = \"From the user file\"\nlanguage = \"en\"\n");
	char *path = conf_file(dir, "explicit.conf", "terminal = \"t2\"\n");
	struct config c;
	load_ok(&c, path);
	assert_string_equal(c.shelter, "");
	assert_string_equal(c.language, "da");
	assert_string_equal(c.terminal, "t2");
	config_free(&c);
	free(user);
	free(path);
	free(user_dir);
	free(cfg_dir);
}

static void test_user_file_is_read(void **state)
{
	if (system_file_exists())
		skip(); /* the system file would be read first and could fail or set values */
	const char *dir = *state;
	char *cfg_dir = unit_path(dir, "config");
	char *user_dir = unit_path(dir, "config/husly");
	assert_int_equal(mkdir(cfg_dir, 0700), 0);
	assert_int_equal(mkdir(user_dir, 0700), 0);
	char *user = conf_file(dir, "config/husly/husly.conf",
			       "shelter = \"Mændenes Hjem\"\n"
			       "staff anna {\n  role = \"night\"\n}\n");
	struct config c;
	load_ok(&c, NULL);
	assert_string_equal(c.shelter, "Mændenes Hjem");
	assert_string_equal(c.language, "da");
	assert_int_equal(c.nstaff, 1);
	assert_int_equal(config_staff(&c, "anna")->role, ROLE_NIGHT);
	config_free(&c);

	/* A mistake in the user file is reported with the user file's path and line. */
	unit_write_file(user, "shelter = \"x\"\nlanguage = \"sv\"\n");
	char *err = NULL;
	assert_int_equal(config_load(&c, NULL, &err), -1);
	char *prefix = xasprintf("%s:2: ", user);
	assert_starts_with(err, prefix);
	assert_contains(err, "language");
	free(prefix);
	free(err);
	free(user);
	free(user_dir);
	free(cfg_dir);
}

static void test_apostrophe_in_comment(void **state)
{
	char *path = conf_file(*state, "c.conf",
			       "# The shelter's name, as it's printed\n"
			       "shelter = \"Kirkens Korshær\" # it's ours\n"
			       "// don't forget the terminal\n"
			       "terminal = 'reception-2'\n"
			       "/* a block comment\n with a \" quote */\n"
			       "print_command = \"lpr -P \\\"office\\\"\"\n");
	struct config c;
	load_ok(&c, path);
	assert_string_equal(c.shelter, "Kirkens Korshær");
	assert_string_equal(c.terminal, "reception-2");
	assert_string_equal(c.print_command, "lpr -P \"office\"");
	config_free(&c);
	free(path);
}

/* --- errors, with the line to fix -------------------------------------------------------- */

static void test_unknown_key(void **state)
{
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "terminal = \"t\"\n"
		      "printer = \"lpr\"\n"
		      "language = \"da\"\n",
		      3, "printer", NULL);
	/* Comments before the mistake count as the lines they are (libconfuse 3.3 alone
	 * counts a '#' line three times). */
	fails_at_line(*state,
		      "# husly.conf for the night shift\n"
		      "shelter = \"Herberget\" # the name on print-outs\n"
		      "printer = \"lpr\"\n",
		      3, "printer", NULL);
	fails_at_line(*state,
		      "/* husly.conf\n"
		      "   for the night shift */\n"
		      "// the name\n"
		      "shelter = \"Herberget\"\n"
		      "#\n"
		      "printer = \"lpr\"\n",
		      6, "printer", NULL);
}

static void test_syntax_error(void **state)
{
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "=\n"
		      "terminal = \"t\"\n",
		      2, NULL);
	fails_at_line(*state,
		      "# comment\n"
		      "\n"
		      "shelter = {\n"
		      "terminal = \"t\"\n",
		      3, NULL);
}

static void test_unknown_key_in_staff_section(void **state)
{
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "\n"
		      "staff anna {\n"
		      "  nmae = \"Anna\"\n"
		      "  role = \"night\"\n"
		      "}\n",
		      4, "nmae", NULL);
	fails_at_line(*state,
		      "# staff\n"
		      "staff anna {\n"
		      "  # who she is\n"
		      "  name = \"Anna\" # her name\n"
		      "  rolle = \"night\"\n"
		      "}\n",
		      5, "rolle", NULL);
}

static void test_bad_role(void **state)
{
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "staff anna {\n"
		      "  name = \"Anna\"\n"
		      "  role = \"boss\"\n"
		      "}\n",
		      4, "role", "boss", "coordinator", NULL);
}

/* Read-only is what an unknown login gets, not a role to give staff. */
static void test_read_only_is_no_staff_role(void **state)
{
	fails_at_line(*state,
		      "staff anna {\n"
		      "  role = \"read-only\"\n"
		      "}\n",
		      2, "role", "read-only", NULL);
}

static void test_access_keys(void **state)
{
	char *path = conf_file(*state, "husly.conf",
			       "staff anna { role = \"night\" }\n"
			       "unknown_login = \"reception\"\n"
			       "group = \"root\"\n"
			       "retention_months = 60\n"
			       "beds = 42\n");
	struct config c;
	load_ok(&c, path);
	assert_int_equal(c.beds, 42);
	assert_int_equal(c.unknown_login, ROLE_RECEPTION);
	assert_string_equal(c.group, "root");
	assert_int_equal(c.retention_months, 60);
	/* The roles as app.h gives them: the table's, else unknown_login's. */
	struct app app = {.cfg = c, .login = (char *)"anna"};
	app.me = config_staff(&c, "anna");
	assert_int_equal(app_role(&app), ROLE_NIGHT);
	assert_true(app_may_write(&app));
	assert_false(app_may_see_cpr(&app));
	assert_false(app_is_coordinator(&app));
	app.login = (char *)"bo";
	app.me = NULL;
	assert_int_equal(app_role(&app), ROLE_RECEPTION);
	app.cfg.unknown_login = ROLE_READ_ONLY;
	assert_false(app_may_write(&app));
	assert_false(app_may_see_cpr(&app));
	assert_string_equal(app_user_role(&app), "read-only");
	/* No staff table: the one user may do everything. */
	app.cfg.nstaff = 0;
	assert_true(app_is_coordinator(&app));
	assert_true(app_may_write(&app));
	config_free(&c);
	free(path);
}

/* The system file's staff table stands over a user's file (or -c) that names its user a
 * coordinator; without one, the user's file's table is kept. */
static void test_system_access_stands(void **state)
{
	char *user = conf_file(*state, "user.conf",
			       "staff kim { role = \"coordinator\" }\n"
			       "unknown_login = \"reception\"\n");
	char *system = conf_file(*state, "system.conf",
				 "staff mette { role = \"coordinator\" }\n"
				 "staff kim { name = \"Kim\" role = \"night\" }\n"
				 "group = \"root\"\n");
	char *plain = conf_file(*state, "plain.conf", "shelter = \"x\"\n");
	struct config c, sys, none;
	load_ok(&c, user);
	load_ok(&sys, system);
	load_ok(&none, plain);
	config_apply_system_access(&c, &none); /* no staff table: nothing changes */
	assert_int_equal(c.nstaff, 1);
	assert_int_equal(config_staff(&c, "kim")->role, ROLE_COORDINATOR);
	config_apply_system_access(&c, &sys);
	assert_int_equal(c.nstaff, 2);
	assert_int_equal(config_staff(&c, "kim")->role, ROLE_NIGHT);
	assert_string_equal(config_staff(&c, "kim")->name, "Kim");
	assert_int_equal(c.unknown_login, ROLE_READ_ONLY);
	assert_string_equal(c.group, "root");
	config_free(&c);
	config_free(&sys);
	config_free(&none);
	free(user);
	free(system);
	free(plain);
}

static void test_bad_access_keys(void **state)
{
	fails_at_line(*state, "shelter = \"x\"\nunknown_login = \"coordinator\"\n", 2,
		      "unknown_login", "read-only", NULL);
	fails_at_line(*state, "group = \"no-such-group-husly\"\n", 1, "group",
		      "no-such-group-husly", NULL);
	fails_at_line(*state, "\nretention_months = -3\n", 2, "retention_months", NULL);
	fails_at_line(*state, "beds = -1\n", 1, "beds", NULL);
}

static void test_bad_language(void **state)
{
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "\n"
		      "language = \"de\"\n",
		      3, "language", "'de'", NULL);
}

static void test_empty_print_command(void **state)
{
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "print_command = \"\"\n",
		      2, "print_command", NULL);
}

static void test_missing_title(void **state)
{
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "staff {\n"
		      "  name = \"Anna\"\n"
		      "}\n",
		      2, "staff", NULL);
}

static void test_unterminated_string(void **state)
{
	/* The quote opened on line 2 is never closed; later lines have quotes of their own. */
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "terminal = \"reception-1\n"
		      "language = \"da\"\n"
		      "# the printer\n"
		      "print_command = \"lpr\"\n"
		      "database = \"/srv/husly/husly.db\"\n",
		      2, "unterminated", NULL);
	/* The last thing in the file. */
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "\n"
		      "terminal = 'reception-1\n",
		      3, "unterminated", NULL);
}

static void test_missing_file(void **state)
{
	char *path = unit_path(*state, "no-such-dir/husly.conf");
	char *err = load_fails(path);
	assert_starts_with(err, path);
	assert_contains(err, "No such file");
	free(err);
	free(path);
	/* A directory is not a configuration file. */
	err = load_fails(*state);
	assert_starts_with(err, (const char *)*state);
	free(err);
}

/* --- the answer lists and the checklist -------------------------------------------------- */

static void test_lists_and_checklist(void **state)
{
	char *path = conf_file(*state, "lists.conf",
			       "# the shelter's own words\n"
			       "list cause {\n"
			       "    entry eviction { label = \"Udsat af boligselskab\" }\n"
			       "    entry gambling { label = \"Ludomani\" }\n"
			       "    entry arrival  { hidden = true }\n"
			       "}\n"
			       "list \"destination\" {\n"
			       "    entry abroad {\n"
			       "        label = \"Udlandet\"\n"
			       "    }\n"
			       "}\n"
			       "checklist {\n"
			       "    step housing_viewing { hidden = yes }\n"
			       "    step housing_keys { item = \"housing\" label = \"Keys\"\n"
			       "                        after = \"housing_lease\" }\n"
			       "    order = { \"income_applied\",\n"
			       "              \"income_clarified\" }\n"
			       "}\n");
	struct config c;
	load_ok(&c, path);
	assert_int_equal(c.nentries, 4);
	assert_string_equal(c.entries[0].list, "cause");
	assert_string_equal(c.entries[0].code, "eviction");
	assert_string_equal(c.entries[0].label, "Udsat af boligselskab");
	assert_false(c.entries[0].hidden);
	assert_string_equal(c.entries[1].code, "gambling");
	assert_string_equal(c.entries[2].code, "arrival");
	assert_null(c.entries[2].label);
	assert_true(c.entries[2].hidden);
	assert_string_equal(c.entries[3].list, "destination");
	assert_string_equal(c.entries[3].code, "abroad");
	/* Messages point at the line where an entry opens. */
	char *where = xasprintf("%s:8", path);
	assert_string_equal(c.entries[3].where, where);
	free(where);
	assert_int_equal(c.nsteps, 2);
	assert_string_equal(c.steps[0].code, "housing_viewing");
	assert_true(c.steps[0].hidden);
	assert_null(c.steps[0].item);
	assert_string_equal(c.steps[1].code, "housing_keys");
	assert_string_equal(c.steps[1].item, "housing");
	assert_string_equal(c.steps[1].label, "Keys");
	assert_string_equal(c.steps[1].after, "housing_lease");
	where = xasprintf("%s:14", path);
	assert_string_equal(c.steps[1].where, where);
	free(where);
	assert_int_equal(c.nstep_order, 2);
	assert_string_equal(c.step_order[0], "income_applied");
	assert_string_equal(c.step_order[1], "income_clarified");
	where = xasprintf("%s:16", path);
	assert_string_equal(c.step_order_where, where);
	free(where);
	config_free(&c);
	free(path);
}

static void test_no_lists(void **state)
{
	char *path = conf_file(*state, "plain.conf", "shelter = \"x\"\n");
	struct config c;
	load_ok(&c, path);
	assert_int_equal(c.nentries, 0);
	assert_int_equal(c.nsteps, 0);
	assert_int_equal(c.nstep_order, 0);
	assert_null(c.step_order);
	config_free(&c);
	free(path);
}

static void test_unknown_list(void **state)
{
	/* Reported where the list opens, not where libconfuse notices (its closing brace). */
	fails_at_line(*state,
		      "shelter = \"Herberget\"\n"
		      "# causes of homelessness\n"
		      "list causes {\n"
		      "    entry gambling {\n"
		      "        label = \"Ludomani\"\n"
		      "    }\n"
		      "}\n",
		      3, "list", "'causes'", "cause, substance, debt, income, living, destination, furniture",
		      NULL);
	fails_at_line(*state, "\nlist gender {\n}\n", 2, "'gender'", NULL);
	fails_at_line(*state, "list {\n  entry a { label = \"A\" }\n}\n", 1, "list", NULL);
}

static void test_bad_codes(void **state)
{
	fails_at_line(*state,
		      "list cause {\n"
		      "    entry eviction { label = \"Udsat\" }\n"
		      "    entry Gambling {\n"
		      "        label = \"Ludomani\"\n"
		      "    }\n"
		      "}\n",
		      3, "Gambling", "a-z, 0-9 and _", NULL);
	fails_at_line(*state, "list debt {\n  entry \"sms-lån\" { label = \"SMS\" }\n}\n", 2,
		      "sms-lån", NULL);
	fails_at_line(*state,
		      "checklist {\n"
		      "  step housing_viewing { hidden = true }\n"
		      "  step \"housing keys\" { item = \"housing\" label = \"Keys\" }\n"
		      "}\n",
		      3, "housing keys", "a-z, 0-9 and _", NULL);
	fails_at_line(*state,
		      "checklist {\n"
		      "  step housing_keys { item = \"housing\" label = \"Keys\"\n"
		      "    after = \"Housing_Lease\" }\n"
		      "}\n",
		      3, "Housing_Lease", NULL);
	fails_at_line(*state,
		      "checklist {\n"
		      "  order = { \"income_paid\",\n"
		      "            \"income-granted\" }\n"
		      "}\n",
		      3, "order", "income-granted", NULL);
}

static void test_bad_list_values(void **state)
{
	fails_at_line(*state,
		      "checklist {\n"
		      "  step housing_keys {\n"
		      "    item = \"keys\"\n"
		      "    label = \"Keys\"\n"
		      "  }\n"
		      "}\n",
		      3, "item", "'keys'", "income, housing, furniture, support", NULL);
	fails_at_line(*state, "list cause {\n  entry eviction {\n    label = \"\"\n  }\n}\n", 3,
		      "label", "empty", NULL);
	fails_at_line(*state, "checklist {\n  step income_paid { label = \"\" }\n}\n", 2,
		      "label", NULL);
	fails_at_line(*state, "list cause {\n  entry eviction { hidden = maybe }\n}\n", 2,
		      "hidden", NULL);
	fails_at_line(*state, "list cause {\n  entry eviction { name = \"x\" }\n}\n", 2,
		      "name", NULL);
	fails_at_line(*state, "checklist {\n  step income_paid { hide = true }\n}\n", 2, "hide",
		      NULL);
	/* Cross-checked with the default checklist: an unknown step needs an item. */
	fails_at_line(*state, "# steps\nchecklist {\n  step housing_veiwing { hidden = true }\n}\n",
		      3, "housing_veiwing", NULL);
}

static void test_error_then_good_file(void **state)
{
	/* The first error's message must not stick to the next load. */
	fails_at_line(*state, "a = \"b\"\n", 1, "'a'", NULL);
	char *path = conf_file(*state, "ok.conf", "shelter = \"x\"\n");
	struct config c;
	load_ok(&c, path);
	assert_string_equal(c.shelter, "x");
	config_free(&c);
	free(path);
	fails_at_line(*state, "\n\nb = \"c\"\n", 3, "'b'", NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	unit_pin_english();
	const struct CMUnitTest tests[] = {
		T(test_defaults_without_any_file),
		T(test_default_paths),
		T(test_good_file),
		T(test_explicit_file_is_read_alone),
		T(test_user_file_is_read),
		T(test_apostrophe_in_comment),
		T(test_unknown_key),
		T(test_syntax_error),
		T(test_unknown_key_in_staff_section),
		T(test_bad_role),
		T(test_read_only_is_no_staff_role),
		T(test_access_keys),
		T(test_bad_access_keys),
		T(test_system_access_stands),
		T(test_bad_language),
		T(test_empty_print_command),
		T(test_missing_title),
		T(test_unterminated_string),
		T(test_missing_file),
		T(test_error_then_good_file),
		T(test_lists_and_checklist),
		T(test_no_lists),
		T(test_unknown_list),
		T(test_bad_codes),
		T(test_bad_list_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
