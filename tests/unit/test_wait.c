/* Waiting for another writer (db_wait.c): a writer that meets the lock waits, tells the user
 * after a moment and then each second, gets its turn when the lock is let go, and gives up only
 * after the limit, with a message that names the lock and the process holding it. The holder is
 * a child process with a raw SQLite connection, as another husly or the sqlite3 tool would be. */
#include "unit.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "db_internal.h"

struct notices {
	int calls, firsts;
	long last_seconds;
	char path[512];
};

static void record_notice(const struct db_wait *w, void *arg)
{
	struct notices *n = arg;
	n->calls++;
	n->firsts += w->first;
	if (n->calls == 1)
		assert_true(w->first);
	assert_true(w->seconds >= n->last_seconds);
	n->last_seconds = w->seconds;
	strlcpy_trunc(n->path, w->path, sizeof(n->path));
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A child that takes the write lock of path, says so on the pipe, holds it for hold_ms (or, with
 * hold_ms < 0, until killed) and commits. Returns its pid once the lock is taken. */
static pid_t hold_lock(const char *path, long hold_ms)
{
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		sqlite3 *conn = NULL;
		if (sqlite3_open(path, &conn) != SQLITE_OK ||
		    sqlite3_exec(conn,
		                 "BEGIN IMMEDIATE; INSERT INTO local (key, value) "
		                 "VALUES ('held', 'yes') ON CONFLICT (key) DO NOTHING",
		                 NULL, NULL, NULL) != SQLITE_OK)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		if (hold_ms < 0)
			for (;;)
				pause();
		sqlite3_sleep((int)hold_ms);
		_exit(sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : 1);
	}
	close(ready[1]);
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

static void reap(pid_t pid, int expect_ok)
{
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (expect_ok)
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* A new database in the test's directory, closed again: children open it on their own. */
static char *fresh_file(void **state)
{
	char *path = unit_path(*state, "h.db");
	db_close(unit_db_open(path));
	return path;
}

static void test_waits_tells_and_writes(void **state)
{
	char *path = fresh_file(state);
	struct notices n = {0};
	db_set_wait_notice(record_notice, &n);
	pid_t child = hold_lock(path, 1300);
	struct db *db = unit_db_open(path);
	char *err = NULL;
	long long t0 = now_ms();
	assert_int_equal(db_begin(db, &err), 0);
	long long waited = now_ms() - t0;
	assert_null(err);
	assert_true(waited >= 1000);
	assert_int_equal(db_commit(db, &err), 0);
	reap(child, 1);
	/* Told after 300 ms, then at each new second: once as the first, again as time went by. */
	assert_true(n.calls >= 2);
	assert_int_equal(n.firsts, 1);
	assert_true(n.last_seconds >= 2);
	assert_string_equal(n.path, path);
	db_set_wait_notice(NULL, NULL);
	db_close(db);
	free(path);
}

static void test_short_wait_is_quiet(void **state)
{
	char *path = fresh_file(state);
	struct notices n = {0};
	db_set_wait_notice(record_notice, &n);
	pid_t child = hold_lock(path, 100); /* forked before this process opens the file */
	struct db *db = unit_db_open(path);
	char *err = NULL;
	assert_int_equal(db_begin(db, &err), 0);
	db_rollback(db);
	reap(child, 1);
	assert_int_equal(n.calls, 0);
	db_set_wait_notice(NULL, NULL);
	db_close(db);
	free(path);
}

static void test_gives_up_naming_holder(void **state)
{
	char *path = fresh_file(state);
	pid_t child = hold_lock(path, -1);
	struct db *db = unit_db_open(path);
	db_set_wait_limit(db, 400);
	char *err = NULL;
	long long t0 = now_ms();
	assert_int_equal(db_begin(db, &err), -1);
	assert_true(now_ms() - t0 >= 400);
	assert_non_null(err);
	char pid[32];
	snprintf(pid, sizeof(pid), "(process %ld)", (long)child);
	if (!strstr(err, "write lock") || !strstr(err, pid) || !strstr(err, path) ||
	    strstr(err, "database is locked"))
		fail_msg("the message does not name the lock and its holder %s: %s", pid, err);
	free(err);
	err = NULL;
	/* The holder dies: the kernel lets its lock go, and the write goes through. */
	kill(child, SIGKILL);
	reap(child, 0);
	assert_int_equal(db_begin(db, &err), 0);
	assert_int_equal(db_commit(db, &err), 0);
	db_close(db);
	free(path);
}

/* The holder may be this very process (another connection): the message says so in general. */
static void test_gives_up_in_process(void **state)
{
	char *path = fresh_file(state);
	struct db *holder = unit_db_open(path);
	struct db *db = unit_db_open(path);
	char *err = NULL;
	assert_int_equal(db_begin(holder, &err), 0);
	db_set_wait_limit(db, 300);
	assert_int_equal(db_begin(db, &err), -1);
	assert_non_null(err);
	if (!strstr(err, "write lock") || !strstr(err, "another program"))
		fail_msg("unexpected message: %s", err);
	free(err);
	err = NULL;
	assert_int_equal(db_commit(holder, &err), 0);
	assert_int_equal(db_begin(db, &err), 0);
	db_rollback(db);
	db_close(db);
	db_close(holder);
	free(path);
}

/* A statement left half-read holds a read transaction: db_end_reads ends it. */
/* A hang-up while a save waits: the flag ends the wait at once (with the default limit of
 * minutes, a wait that ignored it would outlast the test's timeout). */
static void test_abort_flag_ends_wait(void **state)
{
	char *path = fresh_file(state);
	struct db *holder = unit_db_open(path);
	struct db *db = unit_db_open(path);
	char *err = NULL;
	assert_int_equal(db_begin(holder, &err), 0);
	static volatile sig_atomic_t gone = 1;
	db_set_wait_abort(&gone);
	assert_int_equal(db_begin(db, &err), -1);
	assert_non_null(err);
	free(err);
	err = NULL;
	db_set_wait_abort(NULL);
	assert_int_equal(db_commit(holder, &err), 0);
	assert_int_equal(db_begin(db, &err), 0);
	db_rollback(db);
	db_close(db);
	db_close(holder);
	free(path);
}

static void test_end_reads(void **state)
{
	char *path = fresh_file(state);
	struct db *db = unit_db_open(path);
	assert_int_equal(db_end_reads(db), 0);
	sqlite3_stmt *st = db_prepare(db, "SELECT name FROM sqlite_schema", NULL);
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_stmt_busy(st));
	assert_int_equal(db_end_reads(db), 1);
	assert_false(sqlite3_stmt_busy(st));
	assert_int_equal(db_end_reads(db), 0);
	db_finish(db, st);
	/* Kept for the next time, reset: it holds no read open. */
	assert_int_equal(db_end_reads(db), 0);
	db_close(db);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_waits_tells_and_writes, unit_setup_tmpdir,
	                                    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_short_wait_is_quiet, unit_setup_tmpdir,
	                                    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_gives_up_naming_holder, unit_setup_tmpdir,
	                                    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_gives_up_in_process, unit_setup_tmpdir,
	                                    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_abort_flag_ends_wait, unit_setup_tmpdir,
					    unit_teardown_tmpdir),
	    cmocka_unit_test_setup_teardown(test_end_reads, unit_setup_tmpdir,
	                                    unit_teardown_tmpdir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
