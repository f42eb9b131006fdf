/* The database layer: creating and opening files, refusing what is not ours, the record API's
 * history, the search key, and the hybrid logical clock. */
#include "unit.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "db.h"
#include "dump.h"
#include "ids.h"
#include "model.h"
#include "record.h"
#include "text.h"

/* --- raw SQLite, to look at and tamper with the file behind husly's back ---------------- */

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *conn = NULL;
	if (sqlite3_open(path, &conn) != SQLITE_OK)
		fail_msg("sqlite3_open %s: %s", path, sqlite3_errmsg(conn));
	return conn;
}

static void raw_exec(sqlite3 *conn, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(conn, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* The first column of the first row of sql with one text parameter, as a new string. */
static char *raw_text(sqlite3 *conn, const char *sql, const char *param)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(conn));
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
	char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static long raw_long(sqlite3 *conn, const char *sql, const char *param)
{
	char *v = raw_text(conn, sql, param);
	long n = v ? strtol(v, NULL, 10) : -1;
	free(v);
	return n;
}

/* Opening a path that must be refused: returns the message (a new string). */
static char *open_refused(const char *path)
{
	struct db *db = NULL;
	char *err = NULL;
	int rc = db_open(path, &db, &err);
	if (rc == 0) {
		db_close(db);
		fail_msg("db_open %s succeeded; it should have been refused", path);
	}
	assert_int_equal(rc, -1);
	assert_null(db);
	assert_non_null(err);
	assert_true(strlen(err) > 0);
	/* The message names the file, once. */
	const char *at = strstr(err, path);
	if (!at || strstr(at + strlen(path), path))
		fail_msg("the message should name %s once: %s", path, err);
	return err;
}

/* --- opening ---------------------------------------------------------------------------- */

static void test_open_creates_private_file(void **state)
{
	const char *dir = *state;
	char *newdir = unit_path(dir, "new");
	char *subdir = unit_path(dir, "new/sub");
	char *path = unit_path(dir, "new/sub/h.db");
	struct db *db = unit_db_open(path);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(stat(newdir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_int_equal(stat(subdir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_string_equal(db_path(db), path);
	db_close(db);
	free(newdir);
	free(subdir);
	free(path);
}

/* A database others can read or write is refused by every way of opening it, with the chmod
 * that mends it; the owner's own mode passes. */
static void test_refuses_database_others_can_read(void **state)
{
	char *path = unit_path(*state, "open.db");
	db_close(unit_db_open(path));
	const mode_t modes[] = {0644, 0604, 0602, 0640, 0660};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(chmod(path, modes[i]), 0);
		struct db *db = NULL;
		char *err = NULL;
		assert_int_equal(db_open(path, &db, &err), -1);
		assert_null(db);
		assert_contains(err, "chmod 600");
		free(err);
		err = NULL;
		assert_int_equal(db_open_readonly(path, &db, &err), -1);
		assert_contains(err, "chmod 600");
		free(err);
	}
	assert_int_equal(chmod(path, 0600), 0);
	db_close(unit_db_open(path));
	free(path);
}

/* The columns of table in order, "a,b,c", so a migrated table can be compared with a new one
 * (the dump's field order follows them). */
static char *column_list(sqlite3 *conn, const char *table)
{
	return raw_text(conn, "SELECT group_concat(name, ',') FROM "
			      "(SELECT name FROM pragma_table_info(?) ORDER BY cid)",
			table);
}

/* A database of the first format (tests/data/schema-v1.sql, as version 1 shipped) is brought up
 * to date on open: same tables, same columns in the same order as a new one, data kept. */
static void test_migration_from_v1(void **state)
{
	char *old = unit_path(*state, "old.db"), *fresh = unit_path(*state, "new.db");
	FILE *f = fopen("tests/data/schema-v1.sql", "r");
	if (!f)
		fail_msg("tests/data/schema-v1.sql: %s", strerror(errno));
	char sql[65536];
	size_t n = fread(sql, 1, sizeof(sql) - 1, f);
	fclose(f);
	sql[n] = '\0';
	sqlite3 *conn = raw_open(old);
	raw_exec(conn, sql);
	raw_exec(conn, "PRAGMA user_version = 1;"
		       "INSERT INTO history (hlc, terminal, tbl, row_id, field, new_value, login, at)"
		       " VALUES ('019a00000000-0000', 'abcdefghjkmn', 'resident', 'r1', 'name', 'X',"
		       " 'ole', '2026-11-01T10:00:00Z');"
		       "INSERT INTO audit (at, login, terminal, action, resident_id) VALUES"
		       " ('2026-11-01T10:00:00Z', 'ole', 'reception', 'open', 'abcdefghjkmn')");
	sqlite3_close(conn);
	struct db *db = unit_db_open(old);
	assert_int_equal(db_user_version(db), DB_SCHEMA_VERSION);
	/* The audit entry from before the hash chain is kept, and chained to the next one. */
	char *err = NULL, *problem = NULL;
	unit_check_ok(db_audit(db, AUDIT_DUMP, NULL, NULL, &err), err, "db_audit");
	assert_int_equal(db_audit_verify(db, &problem, &err), 0);
	assert_null(problem);
	db_close(db);
	db = unit_db_open(fresh);
	db_close(db);
	sqlite3 *a = raw_open(old), *b = raw_open(fresh);
	char *tables_a = raw_text(a, "SELECT group_concat(name, ',') FROM (SELECT name FROM "
				     "sqlite_schema ORDER BY name)", NULL);
	char *tables_b = raw_text(b, "SELECT group_concat(name, ',') FROM (SELECT name FROM "
				     "sqlite_schema ORDER BY name)", NULL);
	assert_string_equal(tables_a, tables_b);
	const char *tables[] = {"history", "tombstone", "note", "resident", "conflict", "audit"};
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		char *ca = column_list(a, tables[i]), *cb = column_list(b, tables[i]);
		assert_string_equal(ca, cb);
		free(ca);
		free(cb);
	}
	assert_int_equal(raw_long(a, "SELECT count(*) FROM history WHERE base IS NULL", NULL), 1);
	assert_int_equal(raw_long(a, "SELECT count(*) FROM audit WHERE hash IS NULL", NULL), 1);
	assert_int_equal(raw_long(a, "SELECT count(*) FROM audit WHERE length(hash) = 64", NULL), 1);
	free(tables_a);
	free(tables_b);
	sqlite3_close(a);
	sqlite3_close(b);
	free(old);
	free(fresh);
}

static void test_open_sets_schema_version(void **state)
{
	struct db *db = unit_db_fresh(*state, "h.db");
	assert_int_equal(db_user_version(db), DB_SCHEMA_VERSION);
	assert_true(DB_SCHEMA_VERSION >= 1);
	db_close(db);
}

static void test_reopen_keeps_terminal_id(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	char first[ID_LEN];
	strlcpy_trunc(first, db_terminal_id(db), ID_LEN);
	assert_true(id_is_valid(first));
	db_close(db);

	db = unit_db_open(path);
	assert_string_equal(db_terminal_id(db), first);
	assert_int_equal(db_user_version(db), DB_SCHEMA_VERSION);
	db_close(db);

	/* Another database is another terminal. */
	struct db *other = unit_db_fresh(*state, "other.db");
	assert_string_not_equal(db_terminal_id(other), first);
	db_close(other);
	free(path);
}

static void test_refuses_newer_schema(void **state)
{
	char *path = unit_path(*state, "h.db");
	db_close(unit_db_open(path));
	sqlite3 *conn = raw_open(path);
	raw_exec(conn, "PRAGMA user_version = 99");
	sqlite3_close(conn);

	char *err = open_refused(path);
	assert_contains(err, "newer");
	assert_contains(err, path);
	free(err);
	free(path);
}

static void test_refuses_foreign_sqlite_file(void **state)
{
	char *path = unit_path(*state, "other.sqlite");
	sqlite3 *conn = raw_open(path);
	raw_exec(conn, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL);"
		       "INSERT INTO invoices (amount) VALUES (12.5);");
	sqlite3_close(conn);

	char *err = open_refused(path);
	assert_contains(err, "not a husly database");
	free(err);

	/* ... and it is left as it was: no husly tables were added to it. */
	conn = raw_open(path);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM sqlite_schema", NULL), 1);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM invoices", NULL), 1);
	sqlite3_close(conn);
	free(path);
}

static void test_refuses_garbage_file(void **state)
{
	char *path = unit_path(*state, "garbage.db");
	unsigned char bytes[8192];
	uint64_t x = 0x243F6A8885A308D3ULL;
	for (size_t i = 0; i < sizeof(bytes); i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		bytes[i] = (unsigned char)x;
	}
	unit_write_bytes(path, bytes, sizeof(bytes));
	char *err = open_refused(path);
	assert_contains(err, path);
	free(err);

	/* Text is not a database either. */
	unit_write_file(path, "shelter = \"this is a config file, not a database\"\n");
	err = open_refused(path);
	free(err);
	free(path);
}

static void test_open_existing(void **state)
{
	char *path = unit_path(*state, "missing/h.db");
	struct db *db = NULL;
	char *err = NULL;
	/* A missing file is an error, and nothing is created. */
	assert_int_equal(db_open_existing(path, &db, &err), -1);
	assert_null(db);
	assert_contains(err, path);
	unit_free(&err);
	char *dir = unit_path(*state, "missing");
	struct stat sb;
	assert_int_equal(stat(dir, &sb), -1);
	/* An existing one opens as with db_open. */
	db_close(unit_db_open(path));
	assert_int_equal(db_open_existing(path, &db, &err), 0);
	assert_null(err);
	assert_non_null(db);
	assert_int_equal(db_user_version(db), DB_SCHEMA_VERSION);
	db_close(db);
	/* ... and refuses what db_open refuses. */
	char *other = unit_path(*state, "other.sqlite");
	sqlite3 *conn = raw_open(other);
	raw_exec(conn, "CREATE TABLE t (x)");
	sqlite3_close(conn);
	assert_int_equal(db_open_existing(other, &db, &err), -1);
	assert_contains(err, "not a husly database");
	free(err);
	free(other);
	free(dir);
	free(path);
}

static void test_refuses_unwritable_place(void **state)
{
	char *file = unit_path(*state, "plain");
	unit_write_file(file, "x");
	char *path = unit_path(*state, "plain/h.db"); /* a file where a directory should be */
	char *err = open_refused(path);
	assert_contains(err, "plain");
	free(err);
	free(path);
	free(file);
}

/* --- records and history ---------------------------------------------------------------- */

struct hist {
	char *old_value, *new_value, *login, *terminal, *at;
};

/* The history rows of row_id.field, oldest first (at most max); returns how many. */
static size_t read_history(sqlite3 *conn, const char *row_id, const char *field,
			   struct hist *out, size_t max)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(conn,
					    "SELECT old_value, new_value, login, terminal, at "
					    "FROM history WHERE row_id = ? AND field = ? ORDER BY hlc",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < max) {
		char **f[] = {&out[n].old_value, &out[n].new_value, &out[n].login, &out[n].terminal,
			      &out[n].at};
		for (int i = 0; i < 5; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			*f[i] = t ? xstrdup((const char *)t) : NULL;
		}
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

static void hist_free(struct hist *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].old_value);
		free(h[i].new_value);
		free(h[i].login);
		free(h[i].terminal);
		free(h[i].at);
	}
}

static void begin(struct db *db)
{
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
}

static void commit(struct db *db)
{
	char *err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

static void set_field(struct db *db, const char *table, const char *id, const char *field,
		      const char *value)
{
	char *err = NULL;
	begin(db);
	unit_check_ok(db_record_set(db, table, id, field, value, &err), err, "db_record_set");
	commit(db);
}

static void test_record_history(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	sqlite3 *conn = raw_open(path);
	long before = raw_long(conn, "SELECT count(*) FROM history", NULL);
	assert_int_equal(before, 0);

	clock_fix(1795076800); /* 2026-11-19T08:26:40Z */
	db_set_actor(db, "anna");
	char id[ID_LEN];
	id_new(id);
	const struct field_value fields[] = {
		{"name", "Søren Ærø"}, {"gender", "male"}, {"debt_total", "5000"}, {"cpr", NULL}};
	char *err = NULL;
	begin(db);
	unit_check_ok(db_record_insert(db, "resident", id, fields, 4, &err), err,
		      "db_record_insert");
	commit(db);

	/* One history row per non-NULL field, new value and actor, no old value. */
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM history", NULL), 3);
	struct hist h[4];
	assert_int_equal(read_history(conn, id, "name", h, 4), 1);
	assert_null(h[0].old_value);
	assert_string_equal(h[0].new_value, "Søren Ærø");
	assert_string_equal(h[0].login, "anna");
	assert_string_equal(h[0].terminal, db_terminal_id(db));
	assert_string_equal(h[0].at, "2026-11-19T08:26:40Z");
	hist_free(h, 1);
	assert_int_equal(read_history(conn, id, "cpr", h, 4), 0);

	/* The stamps. */
	char *v = raw_text(conn, "SELECT created_by || ' ' || updated_by || ' ' || created_at "
				 "FROM resident WHERE id = ?",
			   id);
	assert_string_equal(v, "anna anna 2026-11-19T08:26:40Z");
	free(v);

	/* A change: old and new value and who made it. */
	clock_fix(1795076860);
	db_set_actor(db, "bo");
	set_field(db, "resident", id, "name", "Søren Ærø Hansen");
	assert_int_equal(read_history(conn, id, "name", h, 4), 2);
	assert_string_equal(h[1].old_value, "Søren Ærø");
	assert_string_equal(h[1].new_value, "Søren Ærø Hansen");
	assert_string_equal(h[1].login, "bo");
	assert_string_equal(h[1].at, "2026-11-19T08:27:40Z");
	hist_free(h, 2);
	v = raw_text(conn, "SELECT created_by || ' ' || updated_by || ' ' || updated_at "
			   "FROM resident WHERE id = ?",
		     id);
	assert_string_equal(v, "anna bo 2026-11-19T08:27:40Z");
	free(v);

	/* Setting the value a field already has writes nothing: text, integer, NULL. */
	long count = raw_long(conn, "SELECT count(*) FROM history", NULL);
	assert_int_equal(count, 4);
	set_field(db, "resident", id, "name", "Søren Ærø Hansen");
	set_field(db, "resident", id, "debt_total", "5000");
	set_field(db, "resident", id, "cpr", NULL);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM history", NULL), count);
	v = raw_text(conn, "SELECT updated_by FROM resident WHERE id = ?", id);
	assert_string_equal(v, "bo");
	free(v);

	/* Integer fields are stored as integers; clearing a field records NULL as the new value. */
	set_field(db, "resident", id, "debt_total", "7000");
	assert_int_equal(raw_long(conn, "SELECT debt_total FROM resident WHERE id = ?", id), 7000);
	v = raw_text(conn, "SELECT typeof(debt_total) FROM resident WHERE id = ?", id);
	assert_string_equal(v, "integer");
	free(v);
	set_field(db, "resident", id, "gender", NULL);
	assert_int_equal(read_history(conn, id, "gender", h, 4), 2);
	assert_string_equal(h[1].old_value, "male");
	assert_null(h[1].new_value);
	hist_free(h, 2);

	/* Stamped fields and unknown tables cannot be written through the record API. */
	begin(db);
	assert_int_equal(db_record_set(db, "resident", id, "name_key", "x", &err), -1);
	assert_non_null(err);
	unit_free(&err);
	assert_int_equal(db_record_set(db, "resident", id, "created_by", "x", &err), -1);
	unit_free(&err);
	assert_int_equal(db_record_set(db, "local", "terminal_id", "value", "x", &err), -1);
	unit_free(&err);
	assert_int_equal(db_record_set(db, "resident", "nosuchid0000", "name", "x", &err), -1);
	unit_free(&err);
	db_rollback(db);

	/* db_resident_history sees the same, newest first. */
	struct history_entry *he;
	size_t n;
	unit_check_ok(db_resident_history(db, id, &he, &n, &err), err, "db_resident_history");
	assert_int_equal(n, 6);
	assert_string_equal(he[0].field, "gender");
	assert_string_equal(he[n - 1].login, "anna");
	history_free(he, n);

	clock_fix(0);
	sqlite3_close(conn);
	db_close(db);
	free(path);
}

/* How many residents the list holds for a filter and a search. */
static long list_count(struct db *db, enum list_filter filter, const char *search, char **err)
{
	const struct list_query q = {.filter = filter, .search = search};
	return db_list_count(db, &q, err);
}

static void test_name_key_follows_name(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	sqlite3 *conn = raw_open(path);
	char id[ID_LEN], other[ID_LEN];
	id_new(id);
	id_new(other);
	char *err = NULL;
	const struct field_value f1[] = {{"name", "Jens Hansen"}};
	const struct field_value f2[] = {{"name", "Karen Blixen"}};
	begin(db);
	unit_check_ok(db_record_insert(db, "resident", id, f1, 1, &err), err, "insert");
	unit_check_ok(db_record_insert(db, "resident", other, f2, 1, &err), err, "insert");
	commit(db);
	char *key = raw_text(conn, "SELECT name_key FROM resident WHERE id = ?", id);
	assert_string_equal(key, "jens hansen");
	free(key);
	assert_int_equal(list_count(db, LIST_ALL, "soeren aeroe", &err), 0);
	assert_null(err);

	set_field(db, "resident", id, "name", "Søren Ærø");
	key = raw_text(conn, "SELECT name_key FROM resident WHERE id = ?", id);
	char *folded = text_fold("Søren Ærø");
	assert_string_equal(key, folded);
	free(folded);
	free(key);

	/* Every spelling finds him, and only him; the old name no longer does. */
	const char *spellings[] = {"soeren aeroe", "Søren Ærø", "SOREN ARO", "aerø", "søren",
				   "Soeren"};
	for (size_t i = 0; i < ARRAY_SIZE(spellings); i++) {
		long n = list_count(db, LIST_ALL, spellings[i], &err);
		if (n != 1)
			fail_msg("searching \"%s\" found %ld, expected 1", spellings[i], n);
	}
	assert_int_equal(list_count(db, LIST_ALL, "hansen", &err), 0);
	assert_int_equal(list_count(db, LIST_ALL, "blixen", &err), 1);
	assert_int_equal(list_count(db, LIST_ALL, NULL, &err), 2);
	/* Not present: neither has a stay. */
	assert_int_equal(list_count(db, LIST_PRESENT, NULL, &err), 0);
	/* An id prefix finds by id. */
	char prefix[6];
	strlcpy_trunc(prefix, id, sizeof(prefix));
	assert_true(list_count(db, LIST_ALL, prefix, &err) >= 1);

	struct list_row *rows;
	size_t n;
	const struct list_query q = {.filter = LIST_ALL, .search = "soeren aeroe"};
	unit_check_ok(db_list_page(db, &q, 0, 10, &rows, &n, &err), err, "db_list_page");
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, id);
	assert_string_equal(rows[0].name, "Søren Ærø");
	list_rows_free(rows, n);

	sqlite3_close(conn);
	db_close(db);
	free(path);
}

/* --- the hybrid logical clock ----------------------------------------------------------- */

static void hlc_strictly_increasing(struct db *db, int count, char last[HLC_LEN])
{
	char *err = NULL;
	begin(db);
	for (int i = 0; i < count; i++) {
		char hlc[HLC_LEN];
		unit_check_ok(db_hlc_next(db, hlc, &err), err, "db_hlc_next");
		err = NULL;
		assert_int_equal(strlen(hlc), HLC_LEN - 1);
		assert_int_equal(hlc[12], '-');
		if (last[0] && strcmp(last, hlc) >= 0)
			fail_msg("hlc went from %s to %s (call %d)", last, hlc, i);
		memcpy(last, hlc, HLC_LEN);
	}
	commit(db);
}

static void test_hlc_increases(void **state)
{
	struct db *db = unit_db_fresh(*state, "h.db");
	char last[HLC_LEN] = "";
	/* The real clock: many calls within one millisecond. */
	clock_fix(0);
	hlc_strictly_increasing(db, 5000, last);

	/* A fixed clock far ahead: the counter does the work. */
	time_t ahead = time(NULL) + 86400;
	clock_fix(ahead);
	hlc_strictly_increasing(db, 5000, last);
	char ms[13];
	snprintf(ms, sizeof(ms), "%012llx", (unsigned long long)ahead * 1000ULL);
	assert_memory_equal(last, ms, 12);
	assert_string_equal(last + 12, "-1387"); /* 5000 calls: counter 0 ... 4999 = 0x1387 */

	/* The clock going backwards (a fixed time in the past) never makes it go backwards. */
	clock_fix(1000000000);
	hlc_strictly_increasing(db, 1000, last);

	/* 65,536 changes in one millisecond borrow the next millisecond. */
	clock_fix(ahead + 10);
	hlc_strictly_increasing(db, 70000, last);
	snprintf(ms, sizeof(ms), "%012llx", (unsigned long long)(ahead + 10) * 1000ULL + 1);
	assert_memory_equal(last, ms, 12);
	clock_fix(0);
	db_close(db);
}

static void test_hlc_survives_reopen(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	char last[HLC_LEN] = "";
	clock_fix(time(NULL) + 3600);
	hlc_strictly_increasing(db, 10, last);
	db_close(db);
	/* Reopened with the clock an hour earlier: still after the last value handed out. */
	clock_fix(0);
	db = unit_db_open(path);
	hlc_strictly_increasing(db, 10, last);
	db_close(db);
	free(path);
}

/* --- read-only opening, for check ----------------------------------------------------------- */

/* The whole file at path (*len bytes), a new buffer. */
static char *file_bytes(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* db_open_readonly of a path that must be refused: returns the message (a new string). */
static char *readonly_refused(const char *path)
{
	struct db *db = NULL;
	char *err = NULL;
	int rc = db_open_readonly(path, &db, &err);
	if (rc == 0) {
		db_close(db);
		fail_msg("db_open_readonly %s succeeded; it should have been refused", path);
	}
	assert_int_equal(rc, -1);
	assert_null(db);
	assert_non_null(err);
	assert_contains(err, path);
	return err;
}


static void test_readonly_refuses_empty_file(void **state)
{
	char *path = unit_path(*state, "empty.db");
	unit_write_bytes(path, "", 0);
	char *err = readonly_refused(path);
	assert_contains(err, "not a husly database");
	free(err);
	/* Not given a schema, nor anything else. */
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	free(path);
}

static void test_readonly_refuses_newer_and_foreign(void **state)
{
	char *path = unit_path(*state, "h.db");
	db_close(unit_db_open(path));
	sqlite3 *conn = raw_open(path);
	raw_exec(conn, "PRAGMA user_version = 99");
	sqlite3_close(conn);
	char *err = readonly_refused(path);
	assert_contains(err, "newer");
	free(err);
	conn = raw_open(path);
	assert_int_equal(raw_long(conn, "PRAGMA user_version", NULL), 99);
	sqlite3_close(conn);

	char *other = unit_path(*state, "other.sqlite");
	conn = raw_open(other);
	raw_exec(conn, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
	sqlite3_close(conn);
	err = readonly_refused(other);
	assert_contains(err, "not a husly database");
	free(err);

	/* A file that does not exist is not created. */
	char *missing = unit_path(*state, "missing.db");
	err = readonly_refused(missing);
	free(err);
	struct stat sb;
	assert_int_equal(stat(missing, &sb), -1);
	free(missing);
	free(other);
	free(path);
}

static void test_readonly_check_mends_nothing(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	char id[ID_LEN];
	id_new(id);
	const struct field_value fields[] = {{"name", "Jens Hansen"}};
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	err = NULL;
	unit_check_ok(db_record_insert(db, "resident", id, fields, 1, &err), err, "insert");
	err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
	db_close(db);
	/* The terminal id lost behind husly's back; the last connection to close checkpoints, so
	 * everything is in the main file. */
	sqlite3 *conn = raw_open(path);
	raw_exec(conn, "DELETE FROM local WHERE key = 'terminal_id'");
	assert_int_equal(sqlite3_close(conn), SQLITE_OK);
	size_t len_before;
	char *before = file_bytes(path, &len_before);

	db = NULL;
	assert_int_equal(db_open_readonly(path, &db, &err), 0);
	assert_null(err);
	assert_non_null(db);
	assert_string_equal(db_terminal_id(db), ""); /* none read, none made */
	struct unit_problems p;
	memset(&p, 0, sizeof(p));
	long n = db_check(db, unit_collect_problem, &p, &err);
	if (n < 0)
		fail_msg("db_check failed: %s", err ? err : "(no message)");
	assert_int_equal(n, p.n);
	if (n < 1 || !strstr(p.text, "terminal_id"))
		fail_msg("the check does not report the missing terminal_id:\n%s", p.text);
	db_close(db);

	/* Nothing was mended: the row is still missing, and the file has the same bytes. */
	size_t len_after;
	char *after = file_bytes(path, &len_after);
	assert_int_equal(len_after, len_before);
	assert_memory_equal(after, before, len_before);
	conn = raw_open(path);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM local WHERE key = 'terminal_id'",
				  NULL),
			 0);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM resident", NULL), 1);
	sqlite3_close(conn);
	free(after);
	free(before);
	free(path);
}

/* --- several terminals starting at once on a new database ------------------------------------ */

#define RACERS 4
#define RACES  20

/* In a child: waits for the starting gun (EOF on gun), opens path, writes its terminal id (or
 * "error: why") as one line to result, and exits 0 when the open succeeded. */
static void racer(const char *path, int gun, int result)
{
	char c;
	while (read(gun, &c, 1) < 0 && errno == EINTR)
		;
	struct db *db = NULL;
	char *err = NULL;
	int rc = db_open(path, &db, &err);
	char *line = rc == 0 ? xasprintf("%s\n", db_terminal_id(db))
			     : xasprintf("error: %s\n", err ? err : "?");
	/* Shorter than PIPE_BUF: the lines of the racers do not mix. */
	ssize_t w = write(result, line, strlen(line));
	(void)w;
	free(line);
	free(err);
	db_close(db);
	_exit(rc == 0 ? 0 : 1);
}

static void test_open_race_on_new_file(void **state)
{
	for (int race = 0; race < RACES; race++) {
		char name[32];
		snprintf(name, sizeof(name), "race-%d/h.db", race);
		char *path = unit_path(*state, name);
		int gun[2], result[2];
		assert_int_equal(pipe(gun), 0);
		assert_int_equal(pipe(result), 0);
		pid_t pids[RACERS];
		for (int i = 0; i < RACERS; i++) {
			pids[i] = fork();
			assert_true(pids[i] >= 0);
			if (pids[i] == 0) {
				close(gun[1]);
				close(result[0]);
				racer(path, gun[0], result[1]);
			}
		}
		close(gun[0]);
		close(result[1]);
		close(gun[1]); /* every racer's read returns at once */
		char out[1024];
		size_t n = 0;
		ssize_t got;
		while (n < sizeof(out) - 1 && (got = read(result[0], out + n, sizeof(out) - 1 - n)) != 0) {
			if (got < 0 && errno == EINTR)
				continue;
			assert_true(got > 0);
			n += (size_t)got;
		}
		out[n] = '\0';
		close(result[0]);
		int failed = 0;
		for (int i = 0; i < RACERS; i++) {
			int status = 0;
			assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
			failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		}
		if (failed)
			fail_msg("race %d: %d of %d opens failed:\n%s", race, failed, RACERS, out);

		/* One schema, one terminal id, and every racer saw that one. */
		sqlite3 *conn = raw_open(path);
		assert_int_equal(raw_long(conn, "PRAGMA user_version", NULL), DB_SCHEMA_VERSION);
		assert_int_equal(raw_long(conn, "SELECT count(*) FROM local WHERE key = 'terminal_id'",
					  NULL),
				 1);
		char *tid = raw_text(conn, "SELECT value FROM local WHERE key = 'terminal_id'", NULL);
		sqlite3_close(conn);
		assert_non_null(tid);
		char *want = xasprintf("%s\n", tid);
		size_t seen = 0;
		for (const char *p = out; (p = strstr(p, want)) != NULL; p += strlen(want))
			seen++;
		if (seen != RACERS)
			fail_msg("race %d: %zu of %d racers got terminal id %s:\n%s", race, seen,
				 RACERS, tid, out);
		free(want);
		free(tid);
		free(path);
	}
}

/* --- writes only inside a transaction --------------------------------------------------------- */

static void test_writes_outside_transaction_refused(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	sqlite3 *conn = raw_open(path);
	char id[ID_LEN];
	id_new(id);
	const struct field_value fields[] = {{"name", "Jens Hansen"}, {"gender", "male"}};
	char *err = NULL;
	/* An insert without db_begin: refused, and nothing written. */
	assert_int_equal(db_record_insert(db, "resident", id, fields, 2, &err), -1);
	assert_non_null(err);
	assert_contains(err, "transaction");
	unit_free(&err);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM resident", NULL), 0);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM history", NULL), 0);

	/* The same record in a transaction. */
	begin(db);
	unit_check_ok(db_record_insert(db, "resident", id, fields, 2, &err), err, "insert");
	commit(db);
	long history = raw_long(conn, "SELECT count(*) FROM history", NULL);
	assert_int_equal(history, 2);
	char *hlc = raw_text(conn, "SELECT value FROM local WHERE key = 'hlc'", NULL);

	/* A change without db_begin: refused, the value, history and clock as they were. */
	assert_int_equal(db_record_set(db, "resident", id, "name", "Karen Blixen", &err), -1);
	assert_non_null(err);
	assert_contains(err, "transaction");
	unit_free(&err);
	char *name = raw_text(conn, "SELECT name FROM resident WHERE id = ?", id);
	assert_string_equal(name, "Jens Hansen");
	free(name);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM history", NULL), history);
	char *hlc2 = raw_text(conn, "SELECT value FROM local WHERE key = 'hlc'", NULL);
	assert_string_equal(hlc2, hlc);
	free(hlc2);
	free(hlc);
	sqlite3_close(conn);
	db_close(db);
	free(path);
}

int main(void)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refuses_database_others_can_read, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_open_creates_private_file, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_migration_from_v1, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_open_sets_schema_version, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_terminal_id, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_refuses_newer_schema, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_refuses_foreign_sqlite_file, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_refuses_garbage_file, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_open_existing, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_refuses_unwritable_place, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_record_history, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_name_key_follows_name, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_hlc_increases, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_hlc_survives_reopen, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_readonly_refuses_empty_file, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_readonly_refuses_newer_and_foreign,
						unit_setup_tmpdir, unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_readonly_check_mends_nothing, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_open_race_on_new_file, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_writes_outside_transaction_refused,
						unit_setup_tmpdir, unit_teardown_tmpdir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
