/* The database: opening, the schema and its migrations, transactions, and the identity of this
 * terminal. All SQL lives in src/db*.c; nothing above this layer includes sqlite3.h. */
#ifndef HUSLY_DB_H
#define HUSLY_DB_H

#include <signal.h>
#include <stddef.h>

#include "ids.h"

struct db;

#define DB_SCHEMA_VERSION 4
#define HLC_LEN 18 /* "<12 hex ms>-<4 hex counter>" + NUL */

/* Sets SQLite up the way husly uses it; first thing in main, before SQLite starts (later it
 * changes nothing). */
void db_library_init(void);
/* Opens (creating if need be, mode 0600 in a 0700 directory) the database at path and brings its
 * schema up to date. Returns 0, or -1 with *err set (free it). */
int db_open(const char *path, struct db **out, char **err);
/* The same, for commands that only read or verify: a missing file is an error, not a new
 * database (a mistyped -d must not pass as an empty shelter). */
int db_open_existing(const char *path, struct db **out, char **err);
/* Opens an existing database read-only, as it is: no migration, nothing created (`husly check`
 * must not mend what it inspects). An older schema version opens; a newer one does not. */
int db_open_readonly(const char *path, struct db **out, char **err);
void db_close(struct db *db);

/* Who writes from now on (the staff login); recorded as created_by/updated_by and in history. */
void db_set_actor(struct db *db, const char *login);
const char *db_actor(const struct db *db);
/* This database's terminal id (random, made on creation). */
const char *db_terminal_id(const struct db *db);
/* Changes are recorded as made on this terminal id from now on (`husly demo` uses a seeded one
 * so its data does not depend on the database it lands in); NULL goes back to the real one. */
void db_set_origin(struct db *db, const char *terminal_id);

/* Write transactions: BEGIN IMMEDIATE, so a writer takes the lock before it reads. */
int db_begin(struct db *db, char **err);
int db_commit(struct db *db, char **err);
void db_rollback(struct db *db);

/* The next hybrid logical clock value of this terminal (inside a write transaction). */
int db_hlc_next(struct db *db, char out[HLC_LEN], char **err);
/* Moves this terminal's clock past a value received from another (inside a write transaction),
 * so that a change made here after an import comes after everything imported. */
int db_hlc_observe(struct db *db, const char *hlc, char **err);
/* The wall-clock milliseconds of an HLC value; 0 when malformed. */
unsigned long long hlc_ms(const char *hlc);
/* Whether s is an HLC value "<12 hex>-<4 hex>". */
int hlc_is_valid(const char *s);

/* Copies the write-ahead log into the database file and empties it, so that what a transaction
 * deleted (an erasure) is left nowhere in the WAL. Returns 0, or -1 with *err when another
 * process holds it open (the copy is then done as far as it could be). */
int db_checkpoint(struct db *db, char **err);

/* Another process writing: a writer that meets the lock waits (in short sleeps) for as long as
 * it takes, up to minutes, then fails with a message that names the lock. After 300 ms of
 * waiting, and then once a second, fn(w, arg) tells the user. The notice is one for the whole
 * process, since opening a database may already wait; NULL tells no one. */
struct db_wait {
	const char *path; /* the database */
	long seconds;     /* waited so far, rounded up */
	int first;        /* the first notice of this wait */
};
typedef void db_wait_fn(const struct db_wait *w, void *arg);
void db_set_wait_notice(db_wait_fn *fn, void *arg);
/* The notice in force, to put it back after a while with another. */
void db_wait_notice(db_wait_fn **fn, void **arg);
/* A flag (set by a signal handler) that makes a waiting writer give up at once: a terminal
 * that has gone (SIGHUP) or a SIGTERM must not wait minutes for a lock. NULL: none. */
void db_set_wait_abort(volatile sig_atomic_t *flag);
/* How long a writer waits before it gives up (ms; 0 for the default, 5 minutes), for tests. */
void db_set_wait_limit(struct db *db, long ms);
/* Ends any read the connection left open (a statement stepped but not finished), so nothing is
 * held while the user types; returns how many there were (0 when the code is right). */
int db_end_reads(struct db *db);
/* Whether the last failure (since db_begin) was the machine's: the disk full, the database file
 * read-only or failing, the memory out. Its message then says so in words staff understand, and
 * that nothing was saved; it is no fault of what was being saved (an imported bundle). */
int db_storage_failed(const struct db *db);

int db_user_version(struct db *db);
const char *db_path(const struct db *db);

#endif
