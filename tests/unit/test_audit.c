/* The audit log: who opened or dumped what, when and on which terminal; and the database itself
 * refuses to change or delete an entry. */
#include "unit.h"

#include <sqlite3.h>

#include "audit.h"
#include "clock.h"
#include "db.h"
#include "ids.h"

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *conn = NULL;
	if (sqlite3_open(path, &conn) != SQLITE_OK)
		fail_msg("sqlite3_open %s: %s", path, sqlite3_errmsg(conn));
	return conn;
}

static long raw_long(sqlite3 *conn, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(conn));
	long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* One audit entry as text, NULL columns as "NULL". */
struct entry {
	char *at, *login, *terminal, *action, *resident_id, *detail;
};

static void entry_free(struct entry *e)
{
	free(e->at);
	free(e->login);
	free(e->terminal);
	free(e->action);
	free(e->resident_id);
	free(e->detail);
}

/* The entry with the given seq (1 is the first); fails when there is none. */
static struct entry read_entry(sqlite3 *conn, long seq)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(conn,
					    "SELECT at, login, terminal, action, resident_id, detail "
					    "FROM audit WHERE seq = ?",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("no audit entry %ld", seq);
	struct entry e;
	char **f[] = {&e.at, &e.login, &e.terminal, &e.action, &e.resident_id, &e.detail};
	for (int i = 0; i < 6; i++) {
		const unsigned char *t = sqlite3_column_text(st, i);
		*f[i] = xstrdup(t ? (const char *)t : "NULL");
	}
	sqlite3_finalize(st);
	return e;
}

static void audit_ok(struct db *db, const char *action, const char *resident_id,
		     const char *detail)
{
	char *err = NULL;
	unit_check_ok(db_audit(db, action, resident_id, detail, &err), err, "db_audit");
}

static void test_audit_records_who_what_where(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	sqlite3 *conn = raw_open(path);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit"), 0);

	clock_fix(1795076800); /* 2026-11-19T08:26:40Z */
	db_set_actor(db, "mette");
	db_set_terminal_name(db, "reception-1");
	char id[ID_LEN];
	id_new(id);
	audit_ok(db, AUDIT_OPEN, id, NULL);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit"), 1);
	struct entry e = read_entry(conn, 1);
	assert_string_equal(e.action, "open");
	assert_string_equal(e.resident_id, id);
	assert_string_equal(e.login, "mette");
	assert_string_equal(e.terminal, "reception-1");
	assert_string_equal(e.at, "2026-11-19T08:26:40Z");
	assert_string_equal(e.detail, "NULL");
	entry_free(&e);

	/* A dump concerns no one resident; another login, another name for the terminal. */
	clock_fix(1795076860);
	db_set_actor(db, "ole");
	db_set_terminal_name(db, "nattevagt");
	audit_ok(db, AUDIT_DUMP, NULL, "every record");
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit"), 2);
	e = read_entry(conn, 2);
	assert_string_equal(e.action, "dump");
	assert_string_equal(e.resident_id, "NULL");
	assert_string_equal(e.login, "ole");
	assert_string_equal(e.terminal, "nattevagt");
	assert_string_equal(e.at, "2026-11-19T08:27:40Z");
	assert_string_equal(e.detail, "every record");
	entry_free(&e);
	/* ... and the first entry is as it was. */
	e = read_entry(conn, 1);
	assert_string_equal(e.login, "mette");
	entry_free(&e);
	db_close(db);

	/* Without a name, the terminal is known by its id. */
	db = unit_db_open(path);
	audit_ok(db, AUDIT_OPEN, id, NULL);
	e = read_entry(conn, 3);
	assert_string_equal(e.terminal, db_terminal_id(db));
	assert_true(id_is_valid(e.terminal));
	entry_free(&e);

	clock_fix(0);
	sqlite3_close(conn);
	db_close(db);
	free(path);
}

/* Runs sql on conn, which must fail with a message containing "append-only". */
static void refused_append_only(sqlite3 *conn, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		fail_msg("%s succeeded on the audit log", sql);
	if (!msg || !strstr(msg, "append-only"))
		fail_msg("%s failed, but not as append-only: %s", sql, msg ? msg : "(no message)");
	sqlite3_free(msg);
}

static void test_audit_is_append_only(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	db_set_actor(db, "mette");
	db_set_terminal_name(db, "reception-1");
	char id[ID_LEN];
	id_new(id);
	audit_ok(db, AUDIT_OPEN, id, NULL);
	audit_ok(db, AUDIT_DUMP, NULL, NULL);
	db_close(db);

	sqlite3 *conn = raw_open(path);
	refused_append_only(conn, "UPDATE audit SET login = 'someone else'");
	refused_append_only(conn, "UPDATE audit SET resident_id = NULL WHERE seq = 1");
	refused_append_only(conn, "DELETE FROM audit WHERE seq = 1");
	refused_append_only(conn, "DELETE FROM audit");
	/* Not even with a transaction around it, or the foreign keys off. */
	refused_append_only(conn, "PRAGMA foreign_keys = OFF; BEGIN; DELETE FROM audit;");
	sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
	/* ... and appending still works. */
	char *msg = NULL;
	if (sqlite3_exec(conn,
			 "INSERT INTO audit (at, login, terminal, action) "
			 "VALUES ('2026-11-25T01:14:00Z', 'sql', 't', 'open')",
			 NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("appending to the audit log failed: %s", msg ? msg : "?");
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit"), 3);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit WHERE login = 'mette'"), 2);
	sqlite3_close(conn);
	free(path);
}

int main(void)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_audit_records_who_what_where, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_audit_is_append_only, unit_setup_tmpdir,
						unit_teardown_tmpdir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
