/* The statement cache (db.c): db_prepare compiles each text once per connection and hands the
 * same statement out again once db_finish has given it back, reset and unbound; the same text
 * wanted while its statement is out gets one of its own; the cache stays bounded however many
 * texts are built; a statement whose step failed works again; a statement given back holds no
 * read open; and a change of the schema does not break a kept statement. */
#include "unit.h"

#include <sqlite3.h>

#include "db_internal.h"

/* Whether st is alive on the connection (not finalized). */
static int is_alive(struct db *db, const sqlite3_stmt *st)
{
	for (sqlite3_stmt *s = sqlite3_next_stmt(db->conn, NULL); s;
	     s = sqlite3_next_stmt(db->conn, s))
		if (s == st)
			return 1;
	return 0;
}

static long live_statements(struct db *db)
{
	long n = 0;
	for (sqlite3_stmt *s = sqlite3_next_stmt(db->conn, NULL); s;
	     s = sqlite3_next_stmt(db->conn, s))
		n++;
	return n;
}

static sqlite3_stmt *prepare_ok(struct db *db, const char *sql)
{
	char *err = NULL;
	sqlite3_stmt *st = db_prepare(db, sql, &err);
	if (!st)
		fail_msg("db_prepare %s: %s", sql, err ? err : "(no message)");
	return st;
}

static void test_same_text_same_statement(void **state)
{
	struct db *db = unit_db_fresh(*state, "h.db");
	sqlite3_stmt *st = prepare_ok(db, "SELECT ?1, 'kept'");
	sqlite3_bind_text(st, 1, "first", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "first");
	db_finish(db, st);
	assert_true(is_alive(db, st));
	assert_false(sqlite3_stmt_busy(st));

	/* The same text in another buffer (as built by xasprintf): the key is the text. */
	char *again = xasprintf("SELECT ?%d, 'kept'", 1);
	sqlite3_stmt *st2 = prepare_ok(db, again);
	free(again);
	assert_ptr_equal(st2, st);
	/* Given back unbound: nothing of the last caller's values is left in it. */
	assert_int_equal(sqlite3_step(st2), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(st2, 0), SQLITE_NULL);
	db_finish(db, st2);
	db_finish(db, NULL); /* nothing */
	db_close(db);
}

/* A loop over the rows of a text that calls something preparing the same text. */
static void test_nested_gets_its_own(void **state)
{
	struct db *db = unit_db_fresh(*state, "h.db");
	const char *sql = "SELECT column1 FROM (VALUES ('a'), ('b'), ('c')) ORDER BY 1";
	long before = live_statements(db);
	sqlite3_stmt *outer = prepare_ok(db, sql);
	assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(outer, 0), "a");

	sqlite3_stmt *inner = prepare_ok(db, sql);
	assert_ptr_not_equal(inner, outer);
	assert_int_equal(sqlite3_step(inner), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(inner, 0), "a");
	assert_int_equal(sqlite3_step(inner), SQLITE_ROW);
	db_finish(db, inner); /* not kept: finalized */
	assert_int_equal(live_statements(db), before + 1);

	/* The outer one went on where it was. */
	assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(outer, 0), "b");
	db_finish(db, outer);
	assert_ptr_equal(prepare_ok(db, sql), outer);
	assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(outer, 0), "a");
	db_finish(db, outer);
	db_close(db);
}

static void test_bounded(void **state)
{
	struct db *db = unit_db_fresh(*state, "h.db");
	const char *kept = "SELECT 'used often'";
	sqlite3_stmt *often = prepare_ok(db, kept);
	db_finish(db, often);
	for (int i = 0; i < 3 * STMT_CACHE_SIZE; i++) {
		char *sql = xasprintf("SELECT %d", i);
		sqlite3_stmt *st = prepare_ok(db, sql);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), i);
		db_finish(db, st);
		free(sql);
		if (i % 16 == 0) { /* used now and then: the longest unused go first */
			assert_ptr_equal(prepare_ok(db, kept), often);
			db_finish(db, often);
		}
	}
	assert_true(db->nstmts <= STMT_CACHE_SIZE);
	assert_true(live_statements(db) <= STMT_CACHE_SIZE + 1); /* and db_begin's rollback */
	assert_true(is_alive(db, often));

	/* Every kept one handed out: one more text still gets a statement, not kept. */
	sqlite3_stmt *out[STMT_CACHE_SIZE];
	for (size_t i = 0; i < db->nstmts; i++)
		out[i] = prepare_ok(db, db->stmts[i].sql);
	size_t n = db->nstmts;
	sqlite3_stmt *extra = prepare_ok(db, "SELECT 'one more'");
	assert_int_equal(sqlite3_step(extra), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(extra, 0), "one more");
	assert_int_equal(db->nstmts, n);
	db_finish(db, extra);
	assert_false(is_alive(db, extra));
	for (size_t i = 0; i < n; i++)
		db_finish(db, out[i]);
	db_close(db);
}

static void test_works_after_an_error(void **state)
{
	struct db *db = unit_db_fresh(*state, "h.db");
	const char *sql = "INSERT INTO local (key, value) VALUES (?, ?)";
	sqlite3_stmt *st = prepare_ok(db, sql);
	sqlite3_bind_text(st, 1, "terminal_id", -1, SQLITE_STATIC); /* there already */
	sqlite3_bind_text(st, 2, "x", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st) & 0xFF, SQLITE_CONSTRAINT);
	db_finish(db, st);
	/* The step's error is the connection's still, as after sqlite3_finalize. */
	assert_int_equal(sqlite3_errcode(db->conn) & 0xFF, SQLITE_CONSTRAINT);
	assert_true(unit_contains(sqlite3_errmsg(db->conn), "UNIQUE"));

	sqlite3_stmt *again = prepare_ok(db, sql);
	assert_ptr_equal(again, st);
	sqlite3_bind_text(again, 1, "test_key", -1, SQLITE_STATIC);
	sqlite3_bind_text(again, 2, "y", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(again), SQLITE_DONE);
	db_finish(db, again);
	assert_int_equal(unit_sql_long(db_path(db), "SELECT count(*) FROM local WHERE key = "
						    "'test_key' AND value = 'y'"),
			 1);
	db_close(db);
}

/* A statement given back in the middle of its rows holds no read: the checkpoint that empties
 * the log, which waits for every reader, goes through, and db_end_reads finds nothing. */
static void test_given_back_holds_no_read(void **state)
{
	struct db *db = unit_db_fresh(*state, "h.db");
	sqlite3_stmt *st = prepare_ok(db, "SELECT name FROM sqlite_schema");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_stmt_busy(st));
	db_finish(db, st);
	assert_false(sqlite3_stmt_busy(st));
	assert_int_equal(db_end_reads(db), 0);

	char *path = unit_path(*state, "h.db");
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "INSERT INTO local VALUES ('other', 'z')", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	int log = -1, done = -1;
	assert_int_equal(sqlite3_wal_checkpoint_v2(other, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log,
						   &done),
			 SQLITE_OK);
	assert_int_equal(log, 0);
	sqlite3_close(other);
	free(path);
	db_close(db);
}

/* A schema change between two uses: SQLite compiles the kept statement again by itself. */
static void test_survives_a_schema_change(void **state)
{
	struct db *db = unit_db_fresh(*state, "h.db");
	const char *sql = "SELECT count(*) FROM local";
	sqlite3_stmt *st = prepare_ok(db, sql);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long n = sqlite3_column_int(st, 0);
	db_finish(db, st);
	char *err = NULL;
	unit_check_ok(db_exec(db, "CREATE TEMP TABLE scratch (a); "
				  "INSERT INTO local VALUES ('more', 'v')",
			      &err),
		      err, "db_exec");
	assert_ptr_equal(prepare_ok(db, sql), st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), n + 1);
	db_finish(db, st);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_same_text_same_statement, unit_setup_tmpdir,
					    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_nested_gets_its_own, unit_setup_tmpdir,
					    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_bounded, unit_setup_tmpdir, unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_works_after_an_error, unit_setup_tmpdir,
					    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_given_back_holds_no_read, unit_setup_tmpdir,
					    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_survives_a_schema_change, unit_setup_tmpdir,
					    unit_teardown_tmpdir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
