/* `husly dump` and `husly check` on demo data: the dump is canonical (same data, same bytes;
 * sorted; valid JSON) and the check finds what raw SQL broke behind husly's back. */
#include "unit.h"

#include <sqlite3.h>
#include <time.h>

#include "clock.h"
#include "db.h"
#include "demo.h"
#include "dump.h"
#include "record.h"
#include "text.h"

#define NOW "2026-11-25 02:14"

/* The group's state: a directory, and one demo database made once for the check tests. */
struct group {
	char *dir;
	char *demo; /* path of a closed demo database (60 residents, seed 1) */
};

static void pin_clock(void)
{
	time_t t;
	assert_int_equal(local_minute_to_time(NOW, &t), 0);
	clock_fix(t);
}

/* Makes a new demo database at dir/name and closes it; returns its path. */
static char *make_demo(const char *dir, const char *name, uint64_t seed, long residents,
		       long edits)
{
	char *path = unit_path(dir, name);
	struct db *db = unit_db_open(path);
	pin_clock();
	const struct demo_options o = {residents, edits, seed, NULL};
	char *err = NULL;
	if (demo_run(db, &o, &err) != 0)
		fail_msg("demo_run: %s", err ? err : "(no message)");
	assert_null(err);
	db_close(db);
	return path;
}

/* The dump of the database at path, as a string (*len bytes). */
static char *dump_of(const char *path, size_t *len)
{
	struct db *db = unit_db_open(path);
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);
	assert_non_null(out);
	char *err = NULL;
	if (db_dump(db, out, &err) != 0)
		fail_msg("db_dump: %s", err ? err : "(no message)");
	assert_int_equal(fclose(out), 0);
	db_close(db);
	return buf;
}

static int group_setup(void **state)
{
	struct group *g = xcalloc(1, sizeof(*g));
	g->dir = unit_tmpdir();
	g->demo = make_demo(g->dir, "demo.db", 1, 60, 200);
	*state = g;
	return 0;
}

static int group_teardown(void **state)
{
	struct group *g = *state;
	unit_rmtree(g->dir);
	free(g->dir);
	free(g->demo);
	free(g);
	return 0;
}

/* --- the dump ------------------------------------------------------------------------------ */

static void test_same_seed_same_bytes(void **state)
{
	struct group *g = *state;
	char *a = make_demo(g->dir, "a.db", 7, 40, 150);
	char *b = make_demo(g->dir, "b.db", 7, 40, 150);
	char *c = make_demo(g->dir, "c.db", 8, 40, 150);
	size_t la, lb, lc;
	char *da = dump_of(a, &la), *db = dump_of(b, &lb), *dc = dump_of(c, &lc);
	assert_true(la > 10000);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	/* Dumping twice gives the same too. */
	size_t la2;
	char *da2 = dump_of(a, &la2);
	assert_int_equal(la, la2);
	assert_memory_equal(da, da2, la);
	/* Another seed, other data. */
	assert_true(la != lc || memcmp(da, dc, la) != 0);
	/* The two databases are two terminals, and nothing of theirs is in the dump. */
	struct db *x = unit_db_open(a), *y = unit_db_open(b);
	assert_string_not_equal(db_terminal_id(x), db_terminal_id(y));
	assert_null(strstr(da, db_terminal_id(x)));
	assert_null(strstr(db, db_terminal_id(y)));
	db_close(x);
	db_close(y);
	free(da);
	free(da2);
	free(db);
	free(dc);
	free(a);
	free(b);
	free(c);
}

static void test_dump_is_sorted_valid_json(void **state)
{
	struct group *g = *state;
	size_t len;
	char *dump = dump_of(g->demo, &len);
	assert_true(len > 0);
	assert_int_equal(dump[len - 1], '\n');
	assert_int_equal(strlen(dump), len); /* no NUL bytes */

	sqlite3 *mem = NULL;
	assert_int_equal(sqlite3_open(":memory:", &mem), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(mem, "SELECT json_valid(?1), json_type(?1)", -1, &st,
					    NULL),
			 SQLITE_OK);

	char prev_type[64] = "", prev_id[128] = "";
	long lines = 0, residents = 0, stays = 0, history = 0;
	for (char *line = dump, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		lines++;
		/* Valid JSON, and an object. */
		sqlite3_bind_text(st, 1, line, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) != 1)
			fail_msg("line %ld is not valid JSON: %s", lines, line);
		assert_string_equal((const char *)sqlite3_column_text(st, 1), "object");
		sqlite3_reset(st);
		/* {"type":"T","id":"I", ... first, in that order. */
		char type[64], id[128];
		int n = 0;
		if (sscanf(line, "{\"type\":\"%63[^\"]\",\"id\":\"%127[^\"]\"%n", type, id, &n) != 2 ||
		    n == 0)
			fail_msg("line %ld does not start with type and id: %.120s", lines, line);
		/* Sorted by type, then id, no (type, id) twice. */
		int c = strcmp(prev_type, type);
		if (c > 0 || (c == 0 && strcmp(prev_id, id) >= 0))
			fail_msg("line %ld (%s %s) is not after (%s %s)", lines, type, id, prev_type,
				 prev_id);
		strlcpy_trunc(prev_type, type, sizeof(prev_type));
		strlcpy_trunc(prev_id, id, sizeof(prev_id));
		residents += strcmp(type, "resident") == 0;
		stays += strcmp(type, "stay") == 0;
		history += strcmp(type, "history") == 0;
		/* Nothing derived or local. */
		assert_null(strstr(line, "\"name_key\":"));
		assert_null(strstr(line, "\"seq\":"));
		*nl = '\n';
	}
	sqlite3_finalize(st);
	sqlite3_close(mem);
	assert_int_equal(residents, 60);
	assert_true(stays >= 60);
	assert_true(history > residents);
	free(dump);
}

static void test_dump_follows_changes(void **state)
{
	struct group *g = *state;
	char *path = unit_path(g->dir, "changed.db");
	unit_copy_file(g->demo, path);
	size_t l1, l2;
	char *before = dump_of(path, &l1);
	/* A change made with husly shows in the dump: the new value and a history line. */
	struct db *db = unit_db_open(path);
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT id FROM resident ORDER BY id LIMIT 1", -1,
					    &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char id[ID_LEN];
	strlcpy_trunc(id, (const char *)sqlite3_column_text(st, 0), ID_LEN);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	char *err = NULL;
	pin_clock();
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	err = NULL;
	unit_check_ok(db_record_set(db, "resident", id, "work", "Tester of dumps", &err), err,
		      "db_record_set");
	err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
	db_close(db);
	char *after = dump_of(path, &l2);
	assert_true(l2 > l1);
	assert_null(strstr(before, "Tester of dumps"));
	/* One history line for the change, one resident line with the new value. */
	int history_lines = 0, resident_lines = 0;
	for (char *line = after, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (strstr(line, "\"new_value\":\"Tester of dumps\"")) {
			assert_non_null(strstr(line, "{\"type\":\"history\","));
			assert_non_null(strstr(line, "\"field\":\"work\","));
			assert_non_null(strstr(line, id));
			history_lines++;
		} else if (strstr(line, "\"work\":\"Tester of dumps\"")) {
			assert_non_null(strstr(line, "{\"type\":\"resident\",\"id\":\""));
			assert_non_null(strstr(line, id));
			resident_lines++;
		}
		*nl = '\n';
	}
	assert_int_equal(history_lines, 1);
	assert_int_equal(resident_lines, 1);
	free(before);
	free(after);
	free(path);
}

/* created_at, created_by, updated_at, updated_by of a row made behind husly's back. */
#define STAMPS "'2026-11-25T01:14:00Z', 'sql', '2026-11-25T01:14:00Z', 'sql'"

/* Text that must never reach a terminal raw: DEL, the C1 control CSI (U+009B), the bidi override
 * RIGHT-TO-LEFT OVERRIDE (U+202E), and a lone byte 0x9B, which is not UTF-8 at all. */
static const char nasty[] = "A\x7f" "B\xc2\x9b" "C\xe2\x80\xae" "D\x9b" "E";
/* How it must appear in the dump: each as a \u escape, the malformed byte as \ufffd. */
#define NASTY_ESCAPED "A\\u007fB\\u009bC\\u202eD\\ufffdE"
/* ... and what a JSON reader makes of that. */
#define NASTY_DECODED "A\x7f" "B\xc2\x9b" "C\xe2\x80\xae" "D\xef\xbf\xbd" "E"

/* Runs sql with ?1 bound to the raw bytes of nasty (explicit length: the lone 0x9B is kept). */
static void raw_insert_nasty(sqlite3 *raw, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
	assert_int_equal(sqlite3_bind_text(st, 1, nasty, (int)sizeof(nasty) - 1, SQLITE_STATIC),
			 SQLITE_OK);
	if (sqlite3_step(st) != SQLITE_DONE)
		fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
	sqlite3_finalize(st);
}

/* The dump line of (type, id), a new string without its newline; fails when there is none. */
static char *dump_line(const char *dump, const char *type, const char *id)
{
	char *start = xasprintf("{\"type\":\"%s\",\"id\":\"%s\",", type, id);
	const char *line = strstr(dump, start);
	if (!line || (line != dump && line[-1] != '\n'))
		fail_msg("no dump line starts with %s", start);
	free(start);
	const char *nl = strchr(line, '\n');
	assert_non_null(nl);
	char *copy = xmalloc((size_t)(nl - line) + 1);
	memcpy(copy, line, (size_t)(nl - line));
	copy[nl - line] = '\0';
	return copy;
}

/* json_extract(line, path) through SQLite's JSON reader, which fails on invalid JSON. */
static char *json_field(sqlite3 *mem, const char *line, const char *path)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(mem, "SELECT json_valid(?1), json_extract(?1, ?2)", -1,
					    &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, line, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (sqlite3_column_int(st, 0) != 1)
		fail_msg("not valid JSON: %s", line);
	const unsigned char *t = sqlite3_column_text(st, 1);
	char *v = t ? xstrdup((const char *)t) : NULL;
	sqlite3_finalize(st);
	return v;
}

static void test_dump_escapes_unsafe_characters(void **state)
{
	struct group *g = *state;
	char *path = unit_path(g->dir, "nasty.db");
	db_close(unit_db_open(path));
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	raw_insert_nasty(raw, "INSERT INTO resident (id, name, name_key, created_at, created_by, "
			      "updated_at, updated_by) VALUES ('k3m9qx2t7bvr', ?1, 'a b c d e', "
			 STAMPS ")");
	raw_insert_nasty(raw, "INSERT INTO note (id, resident_id, kind, body, created_at, "
			      "created_by, updated_at, updated_by) VALUES ('n0te5afe7e5t', "
			      "'k3m9qx2t7bvr', 'note', ?1, " STAMPS ")");
	assert_int_equal(sqlite3_close(raw), SQLITE_OK);

	size_t len;
	char *dump = dump_of(path, &len);
	assert_int_equal(strlen(dump), len);
	/* Not one raw byte of them anywhere: no DEL, no C1 control in UTF-8 (C2 80-9F), no
	 * RIGHT-TO-LEFT OVERRIDE (E2 80 AE). */
	assert_null(memchr(dump, 0x7f, len));
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned char a = (unsigned char)dump[i], b = (unsigned char)dump[i + 1];
		if (a == 0xC2 && b >= 0x80 && b <= 0x9F)
			fail_msg("a C1 control (C2 %02X) at byte %zu of the dump", b, i);
		if (i + 2 < len && a == 0xE2 && b == 0x80 && (unsigned char)dump[i + 2] == 0xAE)
			fail_msg("U+202E at byte %zu of the dump", i);
	}
	/* More generally: the dump is valid UTF-8 holding no character unsafe on a terminal
	 * except the newlines between lines. */
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(dump + i, len - i, &cp);
		if (cp == REPLACEMENT_CHAR || (text_is_unsafe(cp) && cp != '\n'))
			fail_msg("U+%04X (or a malformed byte) at byte %zu of the dump", (unsigned)cp,
				 i);
		i += n;
	}

	sqlite3 *mem = NULL;
	assert_int_equal(sqlite3_open(":memory:", &mem), SQLITE_OK);
	const struct {
		const char *type, *id, *field;
	} where[] = {{"resident", "k3m9qx2t7bvr", "name"}, {"note", "n0te5afe7e5t", "body"}};
	for (size_t i = 0; i < ARRAY_SIZE(where); i++) {
		char *line = dump_line(dump, where[i].type, where[i].id);
		char *want = xasprintf("\"%s\":\"" NASTY_ESCAPED "\"", where[i].field);
		assert_contains(line, want);
		free(want);
		/* Valid JSON, and a reader gets the characters back (the lone byte as U+FFFD). */
		char *jpath = xasprintf("$.%s", where[i].field);
		char *value = json_field(mem, line, jpath);
		assert_non_null(value);
		assert_string_equal(value, NASTY_DECODED);
		free(value);
		free(jpath);
		free(line);
	}
	sqlite3_close(mem);
	free(dump);
	free(path);
}

/* --- the check ----------------------------------------------------------------------------- */


/* Runs db_check on path; returns the number it returned, problems in *p. */
static long check(const char *path, struct unit_problems *p)
{
	memset(p, 0, sizeof(*p));
	struct db *db = unit_db_open(path);
	char *err = NULL;
	long n = db_check(db, unit_collect_problem, p, &err);
	if (n < 0)
		fail_msg("db_check failed: %s", err ? err : "(no message)");
	assert_null(err);
	assert_int_equal(n, p->n);
	db_close(db);
	return n;
}

static void test_check_demo_is_clean(void **state)
{
	struct group *g = *state;
	struct unit_problems p;
	long n = check(g->demo, &p);
	if (n != 0)
		fail_msg("%ld problem(s) in the demo database:\n%s", n, p.text);
}

/* A fresh copy of the demo database broken with sql (foreign keys off, as a careless tool
 * would); returns its path. */
static char *broken_copy(struct group *g, const char *name, const char *sql)
{
	char *path = unit_path(g->dir, name);
	unit_copy_file(g->demo, path);
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	assert_int_equal(sqlite3_close(raw), SQLITE_OK);
	return path;
}

/* Breaks a copy with sql and asserts that the check finds at least one problem, one of them
 * containing word. */
static void check_finds(struct group *g, const char *name, const char *sql, const char *word)
{
	char *path = broken_copy(g, name, sql);
	struct unit_problems p;
	long n = check(path, &p);
	if (n < 1)
		fail_msg("the check found nothing after: %s", sql);
	if (!strstr(p.text, word))
		fail_msg("no problem mentions \"%s\":\n%s", word, p.text);
	free(path);
}

/* A present resident: one with an open stay. */
#define PRESENT_STAY "(SELECT id FROM stay WHERE departure IS NULL ORDER BY id LIMIT 1)"
#define PRESENT_RESIDENT "(SELECT resident_id FROM stay WHERE id = " PRESENT_STAY ")"
#define STAY_COLUMNS "id, resident_id, arrival, departure, created_at, created_by, updated_at, " \
		     "updated_by"

static void test_check_finds_overlapping_stays(void **state)
{
	/* A closed stay that began before the open one and ended after it began. */
	check_finds(*state, "overlap.db",
		    "INSERT INTO stay (" STAY_COLUMNS ") SELECT 'overlap00000', resident_id, "
		    "'2000-01-01 10:00', '2099-01-01 10:00', " STAMPS " FROM stay WHERE id = "
		    PRESENT_STAY,
		    "overlap");
}

static void test_check_finds_two_open_stays(void **state)
{
	check_finds(*state, "open.db",
		    "INSERT INTO stay (" STAY_COLUMNS ") SELECT 'secondopen00', resident_id, "
		    "'2026-11-25 01:00', NULL, " STAMPS " FROM stay WHERE id = " PRESENT_STAY,
		    "open stays");
}

static void test_check_finds_missing_resident(void **state)
{
	check_finds(*state, "orphan.db",
		    "PRAGMA foreign_keys = OFF;"
		    "INSERT INTO stay (" STAY_COLUMNS ") VALUES ('orphan000000', 'nobody000000', "
		    "'2026-11-24 10:00', NULL, " STAMPS ")",
		    "missing resident");
}

static void test_check_finds_stale_name_key(void **state)
{
	check_finds(*state, "key.db",
		    "UPDATE resident SET name_key = 'somebody else' WHERE id = " PRESENT_RESIDENT,
		    "search key");
	/* A name changed without its key, as a raw UPDATE would. */
	check_finds(*state, "key2.db",
		    "UPDATE resident SET name = 'Søren Ærø' WHERE id = " PRESENT_RESIDENT,
		    "search key");
}

static void test_check_finds_bad_cpr(void **state)
{
	check_finds(*state, "cpr.db",
		    "UPDATE resident SET cpr = '3002901234' WHERE id = " PRESENT_RESIDENT, "CPR");
	check_finds(*state, "cpr2.db",
		    "UPDATE resident SET cpr = '0101901234', birth_date = '1991-01-01' "
		    "WHERE id = " PRESENT_RESIDENT,
		    "birth date");
}

static void test_check_finds_bad_dates_and_ids(void **state)
{
	check_finds(*state, "date.db",
		    "UPDATE stay SET arrival = '25-11-2026 10:00' WHERE id = " PRESENT_STAY,
		    "arrival");
	check_finds(*state, "kommune.db",
		    "UPDATE resident SET home_kommune = '999' WHERE id = " PRESENT_RESIDENT,
		    "municipality");
	check_finds(*state, "answer.db",
		    "UPDATE answer SET id = 'wrong/cause/x' WHERE id = (SELECT min(id) FROM answer)",
		    "answer");
	check_finds(*state, "history.db",
		    "UPDATE history SET tbl = 'local' WHERE seq = (SELECT max(seq) FROM history)",
		    "unknown table");
}

/* An id that is not 12 base32 characters is reported, and the report carries no escape sequence
 * from the database to the terminal: the ESC shows as '?'. */
static void test_check_finds_bad_ids_safely(void **state)
{
	struct group *g = *state;
	char *path = broken_copy(g, "badid.db",
				 "INSERT INTO resident (id, name, name_key, created_at, created_by, "
				 "updated_at, updated_by) VALUES "
				 /* 12 characters, one of them ESC */
				 "('k3m9' || char(27) || '[7mqx2t', 'Bad Id', 'bad id', " STAMPS "),"
				 /* base32, but too short */
				 "('k3m9qx2t', 'Short Id', 'short id', " STAMPS ")");
	struct unit_problems p;
	long n = check(path, &p);
	assert_true(n >= 2);
	assert_null(strchr(p.text, '\x1b'));
	int esc_line = 0, short_line = 0;
	for (char *line = p.text, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (strstr(line, "k3m9?[7mqx2t")) {
			assert_contains(line, "resident");
			assert_contains(line, "not a valid id");
			esc_line++;
		} else if (strstr(line, "k3m9qx2t") && strstr(line, "not a valid id")) {
			short_line++;
		}
		*nl = '\n';
	}
	if (esc_line != 1 || short_line != 1)
		fail_msg("expected one report of each bad id (%d, %d):\n%s", esc_line, short_line,
			 p.text);
	free(path);
}

static void test_check_finds_corrupt_page(void **state)
{
	struct group *g = *state;
	char *path = unit_path(g->dir, "corrupt.db");
	unit_copy_file(g->demo, path);
	/* Overwrite the middle of the name index's page: the tables stay readable, the index
	 * no longer matches them. */
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(raw,
					    "SELECT rootpage, (SELECT page_size FROM "
					    "pragma_page_size) FROM sqlite_schema "
					    "WHERE name = 'resident_name_key'",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long page = sqlite3_column_int64(st, 0), size = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	assert_true(page > 1 && size >= 512);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	char junk[2048];
	memset(junk, 'A', sizeof(junk));
	assert_int_equal(fseek(f, (page - 1) * size + size / 4, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, (size_t)size / 2, f), (size_t)size / 2);
	assert_int_equal(fclose(f), 0);

	struct unit_problems p;
	memset(&p, 0, sizeof(p));
	struct db *db = NULL;
	char *err = NULL;
	if (db_open(path, &db, &err) != 0) {
		/* Refusing to open is an acceptable answer too, as long as it says why. */
		assert_non_null(err);
		free(err);
		free(path);
		return;
	}
	long n = db_check(db, unit_collect_problem, &p, &err);
	db_close(db);
	/* The integrity check reports before SQLite gives up on the file. */
	if (p.n < 1)
		fail_msg("corrupt page not reported (db_check returned %ld, %s)", n,
			 err ? err : "no error");
	assert_non_null(strstr(p.text, "integrity"));
	free(err);
	free(path);
}

int main(void)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	setenv("HUSLY_NOW", NOW, 1); /* demo_run goes back to this clock when it is done */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_bytes),
		cmocka_unit_test(test_dump_is_sorted_valid_json),
		cmocka_unit_test(test_dump_follows_changes),
		cmocka_unit_test(test_dump_escapes_unsafe_characters),
		cmocka_unit_test(test_check_demo_is_clean),
		cmocka_unit_test(test_check_finds_overlapping_stays),
		cmocka_unit_test(test_check_finds_two_open_stays),
		cmocka_unit_test(test_check_finds_missing_resident),
		cmocka_unit_test(test_check_finds_stale_name_key),
		cmocka_unit_test(test_check_finds_bad_cpr),
		cmocka_unit_test(test_check_finds_bad_dates_and_ids),
		cmocka_unit_test(test_check_finds_bad_ids_safely),
		cmocka_unit_test(test_check_finds_corrupt_page),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
