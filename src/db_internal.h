/* Shared by the src/db*.c files only. */
#ifndef HUSLY_DB_INTERNAL_H
#define HUSLY_DB_INTERNAL_H

#include <sqlite3.h>

#include "db.h"

/* The statements db_prepare made, kept for the next time the same text is prepared: compiling
 * a statement costs more than running it (db.c). Bounded: some texts are built (a table's name,
 * a list's filter), and a long session must not keep every one it ever ran. */
#define STMT_CACHE_SIZE 256

struct stmt_slot {
	char *sql; /* the text it was prepared from (a copy); NULL: an empty slot */
	unsigned long hash;
	sqlite3_stmt *st;
	int in_use; /* handed out by db_prepare, not yet back through db_finish */
	unsigned long long used; /* when last handed out, to evict the longest unused */
};

struct db {
	sqlite3 *conn;
	char *path;
	char *actor;
	char *terminal_name; /* husly.conf's name for this terminal, for the audit log */
	char terminal_id[ID_LEN];
	char origin[ID_LEN];
	/* What the write transaction in progress changed, per resident, written to the audit log
	 * by db_commit just before COMMIT and dropped by db_rollback (db_audit.c). NULL: nothing. */
	struct audit_batch *audit_batch;
	/* Waiting for the write lock (db_wait.c). */
	long long wait_start_ms, wait_limit_ms;
	long wait_told_s; /* the seconds the notice last said; -1 before the first */
	int wait_gave_up;
	sqlite3_stmt *rollback; /* prepared by db_begin: a rollback must not need memory */
	int writing;        /* between db_begin and db_commit or db_rollback */
	int ending;         /* db_commit or db_rollback is ending the transaction */
	int lost;           /* SQLite rolled the transaction back by itself, on an error */
	int storage_failed; /* the last failure was the disk's or the memory's (db_storage_failed) */
	struct stmt_slot stmts[STMT_CACHE_SIZE]; /* filled from the start: stmts[0 .. nstmts) */
	size_t nstmts;
	unsigned long long stmt_clock; /* counts db_prepare's hand-outs, for stmt_slot.used */
};

/* Sets *err to "what: sqlite's message" (if err is not NULL and *err is not set yet), or, for a
 * full disk, a read-only file, an I/O error or no memory, to words staff understand; returns
 * -1. */
int db_fail(struct db *db, char **err, const char *what);
/* Steps a statement that gives at most one row that matters: 1 a row, 0 none, -1 an error
 * (*err set when err is not NULL). An error is never "no row": inside a write transaction SQLite
 * may have rolled it all back. */
int db_step_row(struct db *db, sqlite3_stmt *st, char **err);
/* The result of binding a value that SQLite copies (SQLITE_TRANSIENT, sqlite3_bind_value): 0, or
 * -1 with *err when the copy could not be made (no memory), which would leave the parameter
 * NULL and write NULL where a value was meant. */
int db_bound(struct db *db, int bind_rc, char **err);
/* Sets *err (if not set yet) to say that memory ran out (a copy SQLite could not make);
 * returns -1. */
int db_fail_nomem(struct db *db, char **err);
/* A statement for sql, to be given back with db_finish: the one prepared for the same text
 * before when it is free (reset, no values bound), else a new one. On failure sets *err and
 * returns NULL. */
sqlite3_stmt *db_prepare(struct db *db, const char *sql, char **err);
/* Gives back a statement of db_prepare (NULL: nothing): reset, its values unbound, kept for the
 * next db_prepare of its text, or finalized when it was not kept. Never sqlite3_finalize one:
 * the cache would keep a freed statement. The error of its last step stays the connection's
 * (sqlite3_errmsg), as after sqlite3_finalize. */
void db_finish(struct db *db, sqlite3_stmt *st);
/* Runs sql with no parameters and no rows. */
int db_exec(struct db *db, const char *sql, char **err);
/* Makes the conflicts of a field what its changes say (sync.h): after an import, and after a
 * change made here, which may take or leave a lost value. *added counts new ones. */
int db_field_conflicts(struct db *db, const char *tbl, const char *row, const char *field,
		       long *added, char **err);
/* Makes the connection wait for the write lock the way db_wait.c describes. */
void db_wait_install(struct db *db);
/* One try of a wait: count 0 starts it. Sleeps a little and returns 1 to try again, or 0 when
 * the wait has lasted too long (the busy handler's contract; set_wal calls it too). */
int db_wait_step(struct db *db, int count);
/* After a failure: when it was a lock waited for until the limit, sets *err (if not set) to a
 * message that names the lock and its holder, and returns 1; otherwise 0. */
int db_lock_error(struct db *db, char **err);
/* Text of column i, or NULL; a new string. */
char *db_column_dup(sqlite3_stmt *st, int i);

/* The audit log's record of the write transaction in progress (db_audit.c). Each names only
 * tables and fields, never a value: the log keeps nothing of a person but the resident's id.
 * db_audit_changed: a record of table was written here (field NULL: made); it counts for the
 * resident the record belongs to. db_audit_collect: the same with words of the caller's (a
 * conflict resolved). Both return -1 with *err when the resident cannot be read: a change that
 * cannot be audited is not made. */
int db_audit_changed(struct db *db, const char *table, const char *row_id, const char *field,
		     char **err);
int db_audit_collect(struct db *db, const char *table, const char *row_id, const char *what,
		     char **err);
/* Writes one entry per resident (and one for records of no resident) of what was collected:
 * "create" when the transaction made the resident (or, without one, a record), else "change".
 * Inside the transaction, before COMMIT. */
int db_audit_flush(struct db *db, char **err);
/* Drops what was collected (the transaction is rolled back). */
void db_audit_forget(struct db *db);

#endif
