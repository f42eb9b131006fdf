#include "db_internal.h"

#include "filemode.h"
#include "i18n.h"

#include "clock.h"
#include "i18n.h"
#include "lists.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* db/schema.sql, turned into bytes by the build (build/schema.c). */
extern const unsigned char husly_schema_sql[];
extern const size_t husly_schema_sql_len;

/* Whether an I/O error came from reading (nothing was being written). */
static int is_read_error(int code)
{
	return code == SQLITE_IOERR_READ || code == SQLITE_IOERR_SHORT_READ ||
	       code == SQLITE_IOERR_FSTAT || code == SQLITE_IOERR_ACCESS;
}

/* The failures of the machine rather than of husly: the disk is full, the file cannot be
 * written, the disk fails, memory runs out. They are said in words staff understand, with what
 * became of their work: every write is one transaction, so a failed one saved nothing. Short:
 * the screens show them on one line of 80 columns. NULL for the other failures, whose SQLite
 * message names a bug. */
static char *storage_message(struct db *db, int code)
{
	int sys = sqlite3_system_errno(db->conn);
	const char *why = sys ? strerror(sys) : sqlite3_errstr(code);
	int primary = code & 0xFF;
	if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT)))
		return xstrdup(_("The disk is full: nothing was saved. Free some space, then try "
				 "again."));
	if (primary == SQLITE_READONLY || (primary == SQLITE_IOERR && sys == EROFS))
		return xstrdup(_("The database cannot be written (it is read-only): nothing was "
				 "saved."));
	if (primary == SQLITE_NOMEM || code == SQLITE_IOERR_NOMEM)
		return xstrdup(_("Out of memory: nothing was saved."));
	if (primary == SQLITE_IOERR && is_read_error(code))
		return xasprintf(_("The database could not be read (%s)."), why);
	if (primary == SQLITE_IOERR)
		return xasprintf(_("The database could not be written (%s): nothing was saved."),
				 why);
	if (primary == SQLITE_CANTOPEN)
		return xasprintf(_("The database could not be opened (%s)."), why);
	if (code == SQLITE_CONSTRAINT_COMMITHOOK || db->lost)
		return xstrdup(_("The database could not be written: nothing was saved."));
	return NULL;
}

/* "what: SQLite's message", or the plain words of storage_message. */
static char *failure_message(struct db *db, const char *what, const char *sqlite_msg)
{
	char *plain = storage_message(db, sqlite3_extended_errcode(db->conn));
	db->storage_failed = plain != NULL;
	return plain ? plain : xasprintf("%s: %s", what, sqlite_msg);
}

int db_fail(struct db *db, char **err, const char *what)
{
	if (err && !*err)
		*err = failure_message(db, what, sqlite3_errmsg(db->conn));
	return -1;
}

int db_step_row(struct db *db, sqlite3_stmt *st, char **err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "database");
}

int db_bound(struct db *db, int bind_rc, char **err)
{
	return bind_rc == SQLITE_OK ? 0 : db_fail(db, err, "database");
}

int db_fail_nomem(struct db *db, char **err)
{
	if (err && !*err)
		*err = storage_message(db, SQLITE_NOMEM);
	db->storage_failed = 1;
	return -1;
}

int db_storage_failed(const struct db *db)
{
	return db->storage_failed;
}

/* --- the statement cache --------------------------------------------------------------------
 * Compiling SQL is most of what a save costs (a field's save runs some twenty statements), so
 * each text is compiled once per connection and its statement kept. A kept statement is handed
 * out to one caller at a time; the same text wanted again while it is out (a loop calling a
 * function that prepares it) gets a statement of its own, finalized when given back. Kept ones
 * are always reset when given back: a reset statement holds no lock and no read transaction,
 * and after a change of the schema SQLite compiles it again by itself. */

static unsigned long sql_hash(const char *sql)
{
	unsigned long h = 5381;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = h * 33 + *p;
	return h;
}

static struct stmt_slot *slot_of_sql(struct db *db, const char *sql, unsigned long hash)
{
	for (size_t i = 0; i < db->nstmts; i++)
		if (db->stmts[i].hash == hash && strcmp(db->stmts[i].sql, sql) == 0)
			return &db->stmts[i];
	return NULL;
}

static struct stmt_slot *slot_of_stmt(struct db *db, const sqlite3_stmt *st)
{
	for (size_t i = 0; i < db->nstmts; i++)
		if (db->stmts[i].st == st)
			return &db->stmts[i];
	return NULL;
}

static void slot_clear(struct stmt_slot *slot)
{
	sqlite3_finalize(slot->st);
	free(slot->sql);
	memset(slot, 0, sizeof(*slot));
}

/* A slot for a new statement: an empty one, or when all are taken the one unused longest that
 * is not handed out; NULL when every one is. */
static struct stmt_slot *slot_to_fill(struct db *db)
{
	if (db->nstmts < STMT_CACHE_SIZE)
		return &db->stmts[db->nstmts++];
	struct stmt_slot *oldest = NULL;
	for (size_t i = 0; i < db->nstmts; i++)
		if (!db->stmts[i].in_use && (!oldest || db->stmts[i].used < oldest->used))
			oldest = &db->stmts[i];
	if (oldest)
		slot_clear(oldest);
	return oldest;
}

/* Gives a slot slot_to_fill took back when nothing could be put in it. */
static void slot_unfill(struct db *db, struct stmt_slot *slot)
{
	struct stmt_slot *last = &db->stmts[db->nstmts - 1];
	if (slot != last)
		*slot = *last;
	memset(last, 0, sizeof(*last));
	db->nstmts--;
}

static sqlite3_stmt *prepare_new(struct db *db, const char *sql, unsigned flags, char **err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->conn, sql, -1, flags, &st, NULL) != SQLITE_OK) {
		db_fail(db, err, "database");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *db_prepare(struct db *db, const char *sql, char **err)
{
	unsigned long hash = sql_hash(sql);
	struct stmt_slot *slot = slot_of_sql(db, sql, hash);
	if (slot && slot->in_use)
		return prepare_new(db, sql, 0, err); /* the same text nested: one of its own */
	if (!slot) {
		slot = slot_to_fill(db);
		if (!slot)
			return prepare_new(db, sql, 0, err);
		sqlite3_stmt *st = prepare_new(db, sql, SQLITE_PREPARE_PERSISTENT, err);
		if (!st) {
			slot_unfill(db, slot);
			return NULL;
		}
		*slot = (struct stmt_slot){xstrdup(sql), hash, st, 0, 0};
	}
	slot->in_use = 1;
	slot->used = ++db->stmt_clock;
	return slot->st;
}

void db_finish(struct db *db, sqlite3_stmt *st)
{
	if (!st)
		return;
	struct stmt_slot *slot = slot_of_stmt(db, st);
	if (!slot) {
		sqlite3_finalize(st);
		return;
	}
	/* The error of a failed step stays the connection's (sqlite3_reset passes it on, as
	 * sqlite3_finalize does); the statement is as new. */
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	slot->in_use = 0;
}

/* Finalizes every kept statement (before the connection closes). */
static void stmt_cache_clear(struct db *db)
{
	for (size_t i = 0; i < db->nstmts; i++)
		slot_clear(&db->stmts[i]);
	db->nstmts = 0;
}

int db_exec(struct db *db, const char *sql, char **err)
{
	char *msg = NULL;
	if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (err && !*err)
			*err = failure_message(db, "database", msg ? msg : sqlite3_errmsg(db->conn));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

char *db_column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

int db_user_version(struct db *db)
{
	sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version", NULL);
	int v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	db_finish(db, st);
	return v;
}

/* Creates the directories leading to path (mode 0700) and the file itself (mode 0600; 0660 and
 * the group on a shared install, filemode.h), so that
 * SQLite, which gives its -wal and -shm files the database's mode, never makes them readable. */
static int create_private_file(const char *path, char **err)
{
	char *dir = xstrdup(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, filemode_dir()) == 0 ? filemode_apply_dir(dir) != 0
						     : errno != EEXIST) {
			*err = xasprintf("%s: cannot create directory: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, filemode_file());
	if (fd < 0 && errno != EEXIST) {
		*err = xasprintf("%s: cannot create database: %s", path, strerror(errno));
		return -1;
	}
	if (fd >= 0) {
		int rc = filemode_apply(fd);
		int saved = errno;
		close(fd);
		if (rc != 0) {
			*err = xasprintf("%s: cannot set its group and mode: %s", path,
					 strerror(saved));
			unlink(path);
			return -1;
		}
	}
	if (filemode_check_shared_dir(path, err) != 0)
		return -1;
	return filemode_check_private(path, _("the database"), err);
}

static int table_count(struct db *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM sqlite_schema", NULL);
	int n = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	db_finish(db, st);
	return n;
}

/* The schema's history. A new database gets db/schema.sql, which is always the latest schema,
 * in one step. An older one gets the migrations from its version on: migrations[i] takes a
 * database from version i + 1 to i + 2. A change to the schema edits db/schema.sql and adds its
 * migration here, and DB_SCHEMA_VERSION grows by one. */
static const char *const migrations[] = {
	/* 1 -> 2: sync. Each change names the change it replaced; its number is never reused (the
	 * table is made again for AUTOINCREMENT); erased ids are remembered; the shift log reads
	 * notes by time. */
	"CREATE TABLE history_v2 (seq INTEGER PRIMARY KEY AUTOINCREMENT, hlc TEXT NOT NULL,"
	"  terminal TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,"
	"  old_value ANY, new_value ANY, login TEXT NOT NULL, at TEXT NOT NULL, base TEXT,"
	"  UNIQUE (hlc, terminal)) STRICT;"
	"INSERT INTO history_v2 SELECT seq, hlc, terminal, tbl, row_id, field, old_value,"
	"  new_value, login, at, NULL FROM history;"
	"DROP TABLE history;"
	"ALTER TABLE history_v2 RENAME TO history;"
	"CREATE INDEX history_field ON history (tbl, row_id, field, hlc);"
	"CREATE TABLE tombstone (tbl TEXT NOT NULL, row_id TEXT NOT NULL, erasure TEXT NOT NULL,"
	"  PRIMARY KEY (tbl, row_id)) STRICT;"
	"CREATE TABLE pending (tbl TEXT NOT NULL, row_id TEXT NOT NULL,"
	"  PRIMARY KEY (tbl, row_id)) STRICT;"
	"CREATE INDEX note_created ON note (created_at);",
	/* 2 -> 3: the audit log's hash chain. Entries written before it have no hash; the chain
	 * runs over them all the same (db_audit.c), from the first entry on. */
	"ALTER TABLE audit ADD COLUMN hash TEXT;",
	/* 3 -> 4: speed at 100,000 residents (make bench). A person's other stays by CPR number
	 * (the register's checks); a resident's latest stay without sorting (the id breaks ties
	 * in the index itself); the list's search over every resident from an index, not the
	 * table, and the residents who had a room. */
	"CREATE INDEX resident_cpr ON resident (cpr);"
	"DROP INDEX stay_resident;"
	"CREATE INDEX stay_resident ON stay (resident_id, arrival, id);"
	/* A field's latest change (hlc, then terminal) read from the index alone, with no sort on
	 * every write. */
	"DROP INDEX resident_name_key;"
	"CREATE INDEX resident_name_key ON resident (name_key, id, birth_date, cpr, erased_at);"
	"CREATE INDEX stay_room ON stay (lower(room));"
	"DROP INDEX history_field;"
	"CREATE INDEX history_field ON history (tbl, row_id, field, hlc, terminal);",
};

/* A database this husly can work with: a husly database no newer than this program. */
static int check_version(struct db *db, int version, char **err)
{
	if (version < 0)
		return db_fail(db, err, "database");
	if (version > DB_SCHEMA_VERSION) {
		*err = xasprintf("database format %d is newer than this husly understands (%d); "
				 "update husly",
				 version, DB_SCHEMA_VERSION);
		return -1;
	}
	if (version == 0 && table_count(db) != 0) {
		*err = xstrdup("not a husly database");
		return -1;
	}
	return 0;
}

/* Creates the schema, or runs the migration after the stored version, and records the new
 * version. */
static int upgrade_once(struct db *db, int version, char **err)
{
	char *sql;
	int to;
	if (version == 0) {
		sql = xmalloc(husly_schema_sql_len + 1);
		memcpy(sql, husly_schema_sql, husly_schema_sql_len);
		sql[husly_schema_sql_len] = '\0';
		to = DB_SCHEMA_VERSION;
	} else if (migrations[version - 1]) {
		sql = xstrdup(migrations[version - 1]);
		to = version + 1;
	} else {
		*err = xasprintf("no migration from database format %d", version);
		return -1;
	}
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", to);
	int rc = db_exec(db, sql, err) == 0 && db_exec(db, pragma, err) == 0 ? 0 : -1;
	free(sql);
	return rc;
}

/* Brings the schema up to date, one step per transaction. The version is read inside the write
 * transaction, so two terminals starting at once on a new or older database never both apply a
 * step. */
static int migrate(struct db *db, char **err)
{
	/* The version and the tables read in one snapshot: a terminal that creates the schema
	 * between two reads must not make a new database look like someone else's. */
	if (db_exec(db, "BEGIN", err) != 0)
		return -1;
	int version = db_user_version(db);
	int known = check_version(db, version, err);
	db_exec(db, "COMMIT", NULL);
	if (known != 0)
		return -1;
	/* An upgrade may build indexes over the whole history: minutes on a database of 100,000
	 * residents, and the screen would stay blank meanwhile. */
	if (version > 0 && version < DB_SCHEMA_VERSION && isatty(STDERR_FILENO))
		eprintf_safe(_("husly: upgrading %s to database format %d; with many residents this "
			       "takes some minutes...\n"),
			     db->path, DB_SCHEMA_VERSION);
	while (version < DB_SCHEMA_VERSION) {
		if (db_begin(db, err) != 0)
			return -1;
		version = db_user_version(db);
		int rc = check_version(db, version, err);
		if (rc == 0 && version < DB_SCHEMA_VERSION)
			rc = upgrade_once(db, version, err);
		if (rc != 0) {
			db_rollback(db);
			return -1;
		}
		if (db_commit(db, err) != 0)
			return -1;
		version = db_user_version(db);
	}
	return 0;
}

static int load_terminal_id(struct db *db, char **err)
{
	sqlite3_stmt *st =
	    db_prepare(db, "SELECT value FROM local WHERE key = 'terminal_id'", err);
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		strlcpy_trunc(db->terminal_id, (const char *)sqlite3_column_text(st, 0), ID_LEN);
		db_finish(db, st);
		return 0;
	}
	db_finish(db, st);
	/* First open: this database becomes a terminal of its own. */
	id_new(db->terminal_id);
	if (db_begin(db, err) != 0)
		return -1;
	st = db_prepare(db, "INSERT OR IGNORE INTO local (key, value) VALUES ('terminal_id', ?)",
			err);
	if (!st) {
		db_rollback(db);
		return -1;
	}
	sqlite3_bind_text(st, 1, db->terminal_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "database");
	db_finish(db, st);
	if (rc != 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, err) != 0)
		return -1;
	/* Another process may have won the race: read back what is stored. */
	return load_terminal_id(db, err);
}

/* Turning a file to WAL needs it alone, and SQLite does not call the busy handler for that: so
 * terminals starting at once on a new file wait here the same way (db_wait.c). WAL is kept in
 * the file, so once it is converted this locks nothing. */
static int set_wal(struct db *db, char **err)
{
	int rc;
	for (int tries = 0;
	     (rc = sqlite3_exec(db->conn, "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) != SQLITE_OK;
	     tries++) {
		if ((rc & 0xFF) != SQLITE_BUSY || !db_wait_step(db, tries))
			return db_lock_error(db, err) ? -1 : db_fail(db, err, "database");
	}
	return 0;
}

/* husly_step_shown(code): whether the checklist step is offered as husly.conf configures it,
 * so the list counts progress over the steps staff see (lists.h), not the rows a stay holds. */
static void step_shown_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *code = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int(ctx, code && step_by_code(code) && !step_hidden(code));
}

static void add_functions(struct db *db)
{
	sqlite3_create_function(db->conn, "husly_step_shown", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				NULL, step_shown_fn, NULL, NULL);
}

static int configure(struct db *db, char **err)
{
	add_functions(db);
	db_wait_install(db);
	sqlite3_extended_result_codes(db->conn, 1);
	/* WAL: readers never block the writer; FULL: a committed intake survives a power cut.
	 * 6 MB of page cache (SQLite's default is 2): with 100,000 residents the few hundred
	 * present lie on as many pages of the resident table, and a keystroke in the list reads
	 * them three times (make bench: a search keystroke 8.2 -> 2.9 ms). 8 MB took the
	 * session past 24 MB at its peak. */
	if (db_exec(db, "PRAGMA foreign_keys = ON", err) != 0 || set_wal(db, err) != 0)
		return -1;
	return db_exec(db,
		       "PRAGMA synchronous = FULL;"
		       "PRAGMA secure_delete = ON;"
		       "PRAGMA cache_size = -6144;",
		       err);
}

void db_library_init(void)
{
	/* No page cache starts with a bulk allocation of 20 pages (87 KB). A statement that sorts
	 * into a temporary b-tree (an ORDER BY ... LIMIT no index covers) has a page cache of its
	 * own for each run, so the bulk was allocated and freed again on each run, and glibc gave
	 * the top of the heap back to the kernel and faulted it in again each time (most of husly
	 * demo's system time). Pages are allocated one by one instead, as they are anyway once the
	 * bulk is used up. */
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)NULL, 0, 0);
}

int db_open(const char *path, struct db **out, char **err)
{
	*out = NULL;
	*err = NULL;
	if (create_private_file(path, err) != 0)
		return -1;
	struct db *db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	db->actor = xstrdup("husly");
	if (sqlite3_open_v2(path, &db->conn, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*err = xasprintf("%s: %s", path, sqlite3_errmsg(db->conn));
		db_close(db);
		return -1;
	}
	char *inner = NULL;
	if (configure(db, &inner) != 0 || migrate(db, &inner) != 0 ||
	    load_terminal_id(db, &inner) != 0) {
		*err = str_empty(inner) ? xasprintf("%s: cannot open", path)
					: xasprintf("%s: %s", path, inner);
		free(inner);
		db_close(db);
		return -1;
	}
	memcpy(db->origin, db->terminal_id, ID_LEN);
	*out = db;
	return 0;
}

/* Reads the terminal id if there is one; a read-only open must not make one. */
static void read_terminal_id(struct db *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT value FROM local WHERE key = 'terminal_id'", NULL);
	if (st && sqlite3_step(st) == SQLITE_ROW)
		strlcpy_trunc(db->terminal_id, (const char *)sqlite3_column_text(st, 0), ID_LEN);
	db_finish(db, st);
}

int db_open_readonly(const char *path, struct db **out, char **err)
{
	*out = NULL;
	*err = NULL;
	struct stat sb;
	if (stat(path, &sb) != 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (filemode_check_private(path, _("the database"), err) != 0 ||
	    filemode_check_shared_dir(path, err) != 0)
		return -1;
	struct db *db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	db->actor = xstrdup("husly");
	char *inner = NULL;
	if (sqlite3_open_v2(path, &db->conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		*err = xasprintf("%s: %s", path, sqlite3_errmsg(db->conn));
		db_close(db);
		return -1;
	}
	db_wait_install(db);
	add_functions(db);
	int version = db_user_version(db);
	if (version == 0 && !inner)
		inner = xstrdup("not a husly database");
	if (inner || check_version(db, version, &inner) != 0) {
		*err = xasprintf("%s: %s", path, inner ? inner : "cannot open");
		free(inner);
		db_close(db);
		return -1;
	}
	read_terminal_id(db);
	memcpy(db->origin, db->terminal_id, ID_LEN);
	*out = db;
	return 0;
}

int db_open_existing(const char *path, struct db **out, char **err)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		*out = NULL;
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return db_open(path, out, err);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	stmt_cache_clear(db);
	sqlite3_finalize(db->rollback);
	sqlite3_close(db->conn);
	free(db->path);
	free(db->actor);
	free(db->terminal_name);
	free(db);
}

void db_set_actor(struct db *db, const char *login)
{
	free(db->actor);
	db->actor = xstrdup(login);
}

const char *db_actor(const struct db *db)
{
	return db->actor;
}

const char *db_terminal_id(const struct db *db)
{
	return db->terminal_id;
}

void db_set_origin(struct db *db, const char *terminal_id)
{
	strlcpy_trunc(db->origin, terminal_id ? terminal_id : db->terminal_id, ID_LEN);
}

const char *db_path(const struct db *db)
{
	return db->path;
}

/* While husly holds a write transaction, nothing commits but its own COMMIT. SQLite rolls a
 * transaction back by itself on some errors (a full disk, an I/O error, no memory); a caller
 * that missed such an error would go on writing outside any transaction, each statement saved
 * on its own: half an intake. Such a commit is turned into a rollback, and db_commit fails. */
static int commit_guard(void *arg)
{
	const struct db *db = arg;
	return db->writing && !db->ending;
}

static void rollback_watch(void *arg)
{
	struct db *db = arg;
	if (db->writing && !db->ending)
		db->lost = 1;
}

int db_begin(struct db *db, char **err)
{
	db->storage_failed = 0;
	db->lost = 0;
	/* A transaction an earlier failure could not end (no memory to roll it back) ends now. */
	if (!db->writing && !sqlite3_get_autocommit(db->conn))
		db_rollback(db);
	/* The rollback is made ready before it is needed: without memory it could not be made.
	 * Made anew each time: after a change of the schema (a temporary table) SQLite would make
	 * it again when it runs, which needs memory. For the same reason no write transaction
	 * changes the schema, a migration aside. */
	sqlite3_finalize(db->rollback);
	db->rollback = NULL;
	if (sqlite3_prepare_v2(db->conn, "ROLLBACK", -1, &db->rollback, NULL) != SQLITE_OK) {
		sqlite3_finalize(db->rollback);
		db->rollback = NULL;
		return db_fail(db, err, "database");
	}
	if (sqlite3_exec(db->conn, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_lock_error(db, err) ? -1 : db_fail(db, err, "database");
	sqlite3_commit_hook(db->conn, commit_guard, db);
	sqlite3_rollback_hook(db->conn, rollback_watch, db);
	db->writing = 1;
	return 0;
}

int db_commit(struct db *db, char **err)
{
	if (db->lost || sqlite3_get_autocommit(db->conn)) {
		/* Rolled back already, on an error its caller did not see. */
		if (err && !*err)
			*err = failure_message(db, "database", "the transaction was rolled back");
		db->writing = 0;
		db->lost = 0;
		return -1;
	}
	/* The audit entries of the changes go in with them, or not at all. */
	if (db_audit_flush(db, err) != 0) {
		db_rollback(db);
		return -1;
	}
	db->ending = 1;
	int rc = db_exec(db, "COMMIT", err);
	db->ending = 0;
	if (rc != 0) {
		db_rollback(db);
		return -1;
	}
	db->writing = 0;
	return 0;
}

/* A TRUNCATE checkpoint holds the write lock while it waits for readers: every other
 * terminal's save waits with it. So it waits for them a few seconds only; what it could not
 * copy yet is copied by a later checkpoint. */
#define CHECKPOINT_WAIT_MS 3000

int db_checkpoint(struct db *db, char **err)
{
	int log = 0, done = 0;
	long long limit = db->wait_limit_ms;
	db->wait_limit_ms = CHECKPOINT_WAIT_MS;
	int rc = sqlite3_wal_checkpoint_v2(db->conn, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
	db->wait_limit_ms = limit;
	if (rc != SQLITE_OK)
		return db_fail(db, err, "checkpoint");
	return 0;
}

void db_rollback(struct db *db)
{
	db_audit_forget(db);
	db->ending = 1;
	if (!sqlite3_get_autocommit(db->conn) && db->rollback) {
		sqlite3_step(db->rollback);
		sqlite3_reset(db->rollback);
	}
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	db->ending = 0;
	db->writing = 0;
	db->lost = 0;
}

int hlc_is_valid(const char *s)
{
	if (!s || strlen(s) != HLC_LEN - 1 || s[12] != '-')
		return 0;
	for (int i = 0; i < HLC_LEN - 1; i++)
		if (i != 12 && !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

unsigned long long hlc_ms(const char *hlc)
{
	unsigned long long ms = 0;
	return hlc_is_valid(hlc) && sscanf(hlc, "%12llx", &ms) == 1 ? ms : 0;
}

static int hlc_store(struct db *db, const char *value, char **err)
{
	sqlite3_stmt *st =
	    db_prepare(db, "INSERT OR REPLACE INTO local (key, value) VALUES ('hlc', ?)", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "database");
	db_finish(db, st);
	return rc;
}

int db_hlc_observe(struct db *db, const char *hlc, char **err)
{
	if (!hlc_is_valid(hlc))
		return 0;
	sqlite3_stmt *st = db_prepare(db, "SELECT value FROM local WHERE key = 'hlc'", err);
	if (!st)
		return -1;
	int later = 1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		later = strcmp(hlc, (const char *)sqlite3_column_text(st, 0)) > 0;
	db_finish(db, st);
	return later ? hlc_store(db, hlc, err) : 0;
}

/* A hybrid logical clock: wall-clock milliseconds, pushed forward by a counter when the clock
 * has not moved on (or went backwards), so every change of this terminal gets a larger value. */
int db_hlc_next(struct db *db, char out[HLC_LEN], char **err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT value FROM local WHERE key = 'hlc'", err);
	if (!st)
		return -1;
	unsigned long long last_ms = 0;
	unsigned last_ctr = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (v && sscanf(v, "%12llx-%4x", &last_ms, &last_ctr) != 2)
			last_ms = 0, last_ctr = 0;
	}
	db_finish(db, st);
	unsigned long long now = (unsigned long long)clock_now_ms();
	if (now > last_ms)
		last_ms = now, last_ctr = 0;
	else if (++last_ctr > 0xFFFF)
		last_ms++, last_ctr = 0; /* 65,536 changes in one millisecond: borrow the next */
	snprintf(out, HLC_LEN, "%012llx-%04x", last_ms & 0xFFFFFFFFFFFFULL, last_ctr & 0xFFFF);
	return hlc_store(db, out, err);
}
