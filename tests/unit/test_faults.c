/* Fault injection, as SQLite tests itself: an allocator that fails at the Nth allocation
 * (SQLITE_CONFIG_MALLOC) and a VFS that fails at the Nth I/O operation (read, write, sync,
 * truncate, size, lock, shared memory, open, delete, access), once or from then on, looped over
 * N through an intake save and a bundle import until the operation completes with no fault hit.
 * Each run either reports success with the change there in full, or reports failure, with a
 * message, and the database exactly as before (as `husly dump` shows it, and every table row by
 * row, terminal-local ones too, so the intake's draft is kept); no transaction or statement is
 * left open; `check` passes; and the same holds after the database is closed and opened again
 * with the real VFS, as a restart would. The files as a power cut would leave them hold the
 * database before or after, whole: after a failed last flush of a commit that may be after
 * (SQLite finds the commit whole in its log), never part of it.
 *
 * Every I/O operation is made to fail. The allocations are thousands, so every 37th is
 * (FAULTS_STRIDE=1 tries each of them: 12,000 runs of the intake passed so, in minutes).
 *
 * Then the messages: a full disk, a read-only file and a failing disk say so in words staff
 * understand, nothing is saved, the draft is kept, and the same save goes through once the disk
 * has room again. */
#include "unit.h"

#include "clock.h"
#include "db_internal.h"
#include "dump.h"
#include "ids.h"
#include "intake.h"
#include "record.h"
#include "sync.h"

/* 2026-11-23 10:00 in Copenhagen. */
#define T0 1795424400

/* One step on the checklist of a new stay, not seventeen: an intake writes each of its fields. */
#define CHECKLIST_OF_ONE                                                                           \
	"checklist {\n"                                                                            \
	"  step income_applied { hidden = true }\n"                                                \
	"  step income_granted { hidden = true }\n"                                                \
	"  step income_paid { hidden = true }\n"                                                   \
	"  step housing_registered { hidden = true }\n"                                            \
	"  step housing_offer { hidden = true }\n"                                                 \
	"  step housing_viewing { hidden = true }\n"                                               \
	"  step housing_lease { hidden = true }\n"                                                 \
	"  step housing_deposit { hidden = true }\n"                                               \
	"  step housing_move_in { hidden = true }\n"                                               \
	"  step housing_address { hidden = true }\n"                                               \
	"  step furniture_applied { hidden = true }\n"                                             \
	"  step furniture_granted { hidden = true }\n"                                             \
	"  step furniture_delivered { hidden = true }\n"                                           \
	"  step support_applied { hidden = true }\n"                                               \
	"  step support_granted { hidden = true }\n"                                               \
	"  step support_started { hidden = true }\n"                                               \
	"}\n"

/* --- an allocator that fails ---------------------------------------------------------------- */

struct fault_plan {
	int armed;      /* counting (only while the operation under test runs) */
	long count;     /* operations counted so far */
	long fail_at;   /* the operation that fails (1 is the first) */
	int persistent; /* and every one after it */
	long hits;      /* operations that failed */
};

static struct fault_plan mem_plan;
static sqlite3_mem_methods real_mem;

/* Whether the operation now being counted fails. */
static int plan_fails(struct fault_plan *p)
{
	if (!p->armed)
		return 0;
	p->count++;
	if (p->count == p->fail_at || (p->persistent && p->count > p->fail_at)) {
		p->hits++;
		return 1;
	}
	return 0;
}

static void *fault_malloc(int n)
{
	return plan_fails(&mem_plan) ? NULL : real_mem.xMalloc(n);
}

static void *fault_realloc(void *p, int n)
{
	return plan_fails(&mem_plan) ? NULL : real_mem.xRealloc(p, n);
}

static void fault_free(void *p)
{
	real_mem.xFree(p);
}

static int fault_size(void *p)
{
	return real_mem.xSize(p);
}

static int fault_roundup(int n)
{
	return real_mem.xRoundup(n);
}

static int fault_mem_init(void *app)
{
	(void)app;
	return real_mem.xInit(real_mem.pAppData);
}

static void fault_mem_shutdown(void *app)
{
	(void)app;
	real_mem.xShutdown(real_mem.pAppData);
}

static const sqlite3_mem_methods fault_mem = {
	fault_malloc,  fault_free,     fault_realloc,	   fault_size,
	fault_roundup, fault_mem_init, fault_mem_shutdown, NULL,
};

/* --- a VFS that fails ------------------------------------------------------------------------ */

static struct fault_plan io_plan;
static int io_writes_only;    /* count only writes (the message tests) */
static int io_write_code;     /* what a failed write returns */
static sqlite3_vfs *unix_vfs; /* the real one */
static sqlite3_vfs fault_vfs;

struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* follows this struct, in the same allocation */
};

#define REAL(f) (((struct fault_file *)(f))->real)

/* Whether this I/O operation fails; writes are counted in both modes. */
static int io_fails(int is_write)
{
	if (io_writes_only && !is_write)
		return 0;
	if (!plan_fails(&io_plan))
		return 0;
	/* SQLite asks errno what went wrong, as after a real failure. */
	errno = !is_write || io_write_code != SQLITE_FULL ? EIO : ENOSPC;
	if (is_write && io_write_code == SQLITE_READONLY)
		errno = EROFS;
	return 1;
}

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int f_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	if (io_fails(0))
		return SQLITE_IOERR_READ;
	return REAL(f)->pMethods->xRead(REAL(f), buf, amt, off);
}

static int f_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	if (io_fails(1))
		return io_write_code;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, amt, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (io_fails(0))
		return SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (io_fails(0))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	if (io_fails(0))
		return SQLITE_IOERR_FSTAT;
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
	if (io_fails(0))
		return SQLITE_IOERR_LOCK;
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

/* Unlocking never fails here: SQLite itself ignores an unlock's failure, and a lock that a
 * failed unlock left behind would only hang the next run. */
static int f_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int f_check_reserved(sqlite3_file *f, int *out)
{
	if (io_fails(0)) {
		*out = 0;
		return SQLITE_IOERR_CHECKRESERVEDLOCK;
	}
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_device_characteristics(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **pp)
{
	if (io_fails(0)) {
		*pp = NULL;
		return SQLITE_IOERR_SHMMAP;
	}
	return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, pp);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	if (!(flags & SQLITE_SHM_UNLOCK) && io_fails(0))
		return SQLITE_IOERR_SHMLOCK;
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, amt, pp);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_io = {
	3,
	f_close,
	f_read,
	f_write,
	f_truncate,
	f_sync,
	f_file_size,
	f_lock,
	f_unlock,
	f_check_reserved,
	f_file_control,
	f_sector_size,
	f_device_characteristics,
	f_shm_map,
	f_shm_lock,
	f_shm_barrier,
	f_shm_unmap,
	f_fetch,
	f_unfetch,
};

static int f_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
		  int *out_flags)
{
	(void)vfs;
	struct fault_file *ff = (struct fault_file *)file;
	ff->base.pMethods = NULL;
	ff->real = (sqlite3_file *)(ff + 1);
	if (io_fails(0))
		return SQLITE_CANTOPEN;
	int rc = unix_vfs->xOpen(unix_vfs, name, ff->real, flags, out_flags);
	if (rc == SQLITE_OK && ff->real->pMethods)
		ff->base.pMethods = &fault_io;
	return rc;
}

static int f_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	if (io_fails(0))
		return SQLITE_IOERR_DELETE;
	return unix_vfs->xDelete(unix_vfs, name, sync_dir);
}

static int f_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	if (io_fails(0)) {
		*out = 0;
		return SQLITE_IOERR_ACCESS;
	}
	return unix_vfs->xAccess(unix_vfs, name, flags, out);
}

/* The real VFS as the default, or the faulty one (which passes everything on while unarmed). */
static void use_real_vfs(int real)
{
	sqlite3_vfs_register(real ? unix_vfs : &fault_vfs, 1);
}

/* Before SQLite starts: the allocator can only be changed then. */
static void install_faults(void)
{
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem), SQLITE_OK);
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &fault_mem), SQLITE_OK);
	assert_int_equal(sqlite3_initialize(), SQLITE_OK);
	unix_vfs = sqlite3_vfs_find("unix");
	assert_non_null(unix_vfs);
	fault_vfs = *unix_vfs;
	fault_vfs.zName = "fault";
	fault_vfs.szOsFile = (int)sizeof(struct fault_file) + unix_vfs->szOsFile;
	fault_vfs.pNext = NULL;
	fault_vfs.xOpen = f_open;
	fault_vfs.xDelete = f_delete;
	fault_vfs.xAccess = f_access;
	assert_int_equal(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
}

/* --- what the database holds ------------------------------------------------------------- */

static char *dump_of(struct db *db)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	char *err = NULL;
	unit_check_ok(db_dump(db, out, &err), err, "db_dump");
	fclose(out);
	return text;
}

/* Every row of every table, terminal-local ones included (drafts, the clock, the sync log),
 * as text: the dump compares the shared data, this the rest. */
static char *raw_of(struct db *db)
{
	sqlite3_stmt *tables = NULL;
	assert_int_equal(sqlite3_prepare_v2(db->conn,
					    "SELECT name FROM sqlite_schema WHERE type = 'table' "
					    "ORDER BY name",
					    -1, &tables, NULL),
			 SQLITE_OK);
	struct strbuf sb;
	sb_init(&sb);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
		sqlite3_stmt *rows = NULL;
		assert_int_equal(sqlite3_prepare_v2(db->conn, sql, -1, &rows, NULL), SQLITE_OK);
		sqlite3_free(sql);
		sb_add(&sb, name);
		sb_add(&sb, ":\n");
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(rows); i++) {
				const char *v = (const char *)sqlite3_column_text(rows, i);
				sb_add(&sb, v ? v : "NULL");
				sb_add(&sb, "|");
			}
			sb_add(&sb, "\n");
		}
		assert_int_equal(sqlite3_finalize(rows), SQLITE_OK);
	}
	assert_int_equal(sqlite3_finalize(tables), SQLITE_OK);
	return sb.buf;
}

static void assert_check_passes(struct db *db)
{
	struct unit_problems problems = {0};
	char *err = NULL;
	long n = db_check(db, unit_collect_problem, &problems, &err);
	if (n != 0)
		fail_msg("check: %ld: %s %s", n, problems.text, err ? err : "");
}

/* --- the operations ------------------------------------------------------------------------ */

struct fixture {
	char *dir;
	char *base;   /* the database every run starts from */
	char *work;   /* the one a run changes */
	char *bundle; /* a plain bundle from another terminal */
	char *base_dump, *base_raw;
	char *stay; /* the stay of the resident in base */
};

typedef int (*operation)(struct fixture *f, struct db *db, char **err);

/* A small intake: each of its allocations is made to fail in turn. */
static void fill_intake(struct intake *in, const char *name)
{
	intake_set(in, "name", name);
	intake_set(in, "arrival", "2026-11-23 09:30");
	intake_set(in, "cause/eviction", "yes");
}

/* The intake screen's save of a new arrival (the draft goes with it), with the ids seed gives:
 * the same in every run, so that a success can be compared whole. */
static int save_intake(struct db *db, const char *name, uint64_t seed, char id[ID_LEN], char **err)
{
	struct intake in;
	intake_init(&in);
	fill_intake(&in, name);
	id_seed(seed);
	int rc = intake_save(db, &in, NULL, id, err);
	id_seed(0);
	intake_free(&in);
	return rc;
}

static int op_intake(struct fixture *f, struct db *db, char **err)
{
	(void)f;
	char id[ID_LEN];
	return save_intake(db, "Testa Fejlsen", 77, id, err);
}

/* `husly import` of another terminal's bundle. */
static int op_import(struct fixture *f, struct db *db, char **err)
{
	FILE *in = fopen(f->bundle, "rb");
	assert_non_null(in);
	struct sync_counts c;
	int rc = sync_import(db, in, "other.bundle", NULL, 1, &c, err);
	fclose(in);
	return rc;
}

/* The change screen's write of a field: one transaction. */
static int op_edit(struct fixture *f, struct db *db, char **err)
{
	if (db_begin(db, err) != 0)
		return -1;
	if (db_record_set(db, "stay", f->stay, "room", "Kælder 9", err) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

static struct db *open_as_ole(const char *path)
{
	struct db *db = unit_db_open(path);
	db_set_actor(db, "ole");
	return db;
}

static void set_room(struct db *db, const char *stay, const char *room)
{
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	err = NULL;
	unit_check_ok(db_record_set(db, "stay", stay, "room", room, &err), err, "room");
	err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

static void export_all(struct db *db, const char *path)
{
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	long changes;
	long long upto;
	char *err = NULL;
	unit_check_ok(sync_export(db, "peer", 1, "t", NULL, out, &changes, &upto, &err), err,
		      "sync_export");
	assert_int_equal(fclose(out), 0);
}

static void import_all(struct db *db, const char *path)
{
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	struct sync_counts c;
	char *err = NULL;
	unit_check_ok(sync_import(db, in, path, NULL, 1, &c, &err), err, "sync_import");
	fclose(in);
}

/* The smallest shelter that shows what matters: one resident, one step on the checklist, a
 * draft in progress. The other terminal's bundle brings a new resident and a change to the
 * same resident's room that loses to one made here (a conflict). */
static int setup(void **state)
{
	unit_pin_english();
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	clock_fix(T0);
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = unit_tmpdir();
	f->base = unit_path(f->dir, "base.db");
	f->work = unit_path(f->dir, "h.db");
	f->bundle = unit_path(f->dir, "other.bundle");
	unit_configure(f->dir, CHECKLIST_OF_ONE);
	use_real_vfs(1);

	struct db *db = open_as_ole(f->base);
	char bo[ID_LEN], anden[ID_LEN], *err = NULL;
	unit_check_ok(save_intake(db, "Bo Basis", 11, bo, &err), err, "intake");
	struct record *stays;
	size_t n;
	err = NULL;
	unit_check_ok(db_records_where(db, "stay", "resident_id", bo, "arrival", &stays, &n, &err),
		      err, "stays");
	assert_int_equal(n, 1);
	char *stay = xstrdup(record_get(&stays[0], "id"));
	records_free(stays, n);

	char *other_path = unit_path(f->dir, "other.db");
	struct db *other = open_as_ole(other_path);
	export_all(db, f->bundle);
	import_all(other, f->bundle);
	clock_fix(T0 + 60);
	set_room(other, stay, "7");
	clock_fix(T0 + 120);
	set_room(db, stay, "9");
	err = NULL;
	unit_check_ok(save_intake(other, "Anden Person", 22, anden, &err), err, "intake");
	export_all(other, f->bundle);
	db_close(other);
	free(other_path);
	f->stay = stay;

	struct intake draft;
	intake_init(&draft);
	fill_intake(&draft, "Testa Fejlsen");
	err = NULL;
	unit_check_ok(draft_save(db, "intake", &draft, &err), err, "draft_save");
	intake_free(&draft);
	f->base_dump = dump_of(db);
	f->base_raw = raw_of(db);
	db_close(db);
	clock_fix(T0 + 180);
	use_real_vfs(0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	use_real_vfs(1);
	unit_rmtree(f->dir);
	free(f->dir);
	free(f->base);
	free(f->work);
	free(f->bundle);
	free(f->base_dump);
	free(f->base_raw);
	free(f->stay);
	free(f);
	clock_fix(0);
	lists_reset();
	return 0;
}

/* The work database as base was: its -wal and -shm went with the last clean close. */
static void fresh_work(struct fixture *f)
{
	unit_copy_file(f->base, f->work);
	for (const char *const *s = (const char *const[]){"-wal", "-shm", NULL}; *s; s++) {
		char *side = xasprintf("%s%s", f->work, *s);
		unlink(side);
		free(side);
	}
}

/* What a run leaves when it succeeds: the operation once, with no fault. */
struct outcome {
	char *dump, *raw;
	long count; /* the allocations or I/O operations it makes */
};

static struct outcome clean_run(struct fixture *f, operation op, struct fault_plan *plan)
{
	fresh_work(f);
	struct db *db = open_as_ole(f->work);
	char *err = NULL;
	*plan = (struct fault_plan){1, 0, 0, 0, 0}; /* counting, failing none */
	int rc = op(f, db, &err);
	plan->armed = 0;
	unit_check_ok(rc, err, "the operation without faults");
	struct outcome o = {dump_of(db), raw_of(db), plan->count};
	assert_string_not_equal(o.dump, f->base_dump); /* it does change something */
	db_close(db);
	return o;
}

/* The first line where got and want differ, for the failure message (a static buffer). */
static const char *first_difference(const char *got, const char *want)
{
	static char out[2048];
	size_t at = 0;
	while (got[at] && got[at] == want[at])
		at++;
	while (at > 0 && got[at - 1] != '\n')
		at--;
	snprintf(out, sizeof(out), "\n--- got\n%.*s\n--- wanted\n%.*s",
		 (int)strcspn(got + at, "\n"), got + at, (int)strcspn(want + at, "\n"), want + at);
	return out;
}

/* The database holds exactly what the operation leaves (ok) or what was there before, as
 * `husly dump` shows it and row by row, and passes `husly check`. */
static void assert_holds(struct fixture *f, struct db *db, const struct outcome *done, int ok,
			 const char *when)
{
	char *dump = dump_of(db), *raw = raw_of(db);
	const char *want_dump = ok ? done->dump : f->base_dump;
	const char *want_raw = ok ? done->raw : f->base_raw;
	if (strcmp(dump, want_dump) != 0 || strcmp(raw, want_raw) != 0)
		fail_msg("%s: the database is not %s: %s", when,
			 ok ? "as the operation leaves it" : "as before",
			 strcmp(dump, want_dump) != 0 ? first_difference(dump, want_dump)
						      : first_difference(raw, want_raw));
	assert_check_passes(db);
	free(dump);
	free(raw);
}

/* The files as a power cut right now would leave them (the database and its write-ahead log;
 * SQLite makes the shared memory again), opened with the real VFS: they hold the database before
 * or after the operation, whole, never part of it. Either, even after a reported failure: when
 * the disk fails the last flush of a commit, the log may yet hold the commit whole, and SQLite
 * takes it up after the power cut. */
static void assert_crash_copy_whole(struct fixture *f, const struct outcome *done, const char *when)
{
	char *crash = unit_path(f->dir, "crash.db");
	for (const char *const *s = (const char *const[]){"", "-wal", "-shm", NULL}; *s; s++) {
		char *from = xasprintf("%s%s", f->work, *s), *to = xasprintf("%s%s", crash, *s);
		unlink(to);
		if (!str_eq(*s, "-shm") && access(from, F_OK) == 0)
			unit_copy_file(from, to);
		free(from);
		free(to);
	}
	use_real_vfs(1);
	struct db *db = open_as_ole(crash);
	char *dump = dump_of(db);
	if (!str_eq(dump, f->base_dump) && !str_eq(dump, done->dump))
		fail_msg("%s: after a power cut the database is neither as before nor whole: %s", when,
			 first_difference(dump, done->dump));
	assert_check_passes(db);
	free(dump);
	db_close(db);
	use_real_vfs(0);
	free(crash);
}

/* A statement that outlives the operation is one the statement cache keeps: given back (not
 * handed out), and reset, so it holds no read open. Any other was left unfinalized. */
static void assert_statement_finished(struct db *db, sqlite3_stmt *st, const char *when)
{
	for (size_t i = 0; i < db->nstmts; i++) {
		if (db->stmts[i].st != st)
			continue;
		if (db->stmts[i].in_use)
			fail_msg("%s: a statement was not given back: %s", when, sqlite3_sql(st));
		if (sqlite3_stmt_busy(st))
			fail_msg("%s: a kept statement was left running: %s", when, sqlite3_sql(st));
		return;
	}
	fail_msg("%s: a statement was left unfinalized: %s", when, sqlite3_sql(st));
}

struct fault_mode {
	const char *name;
	struct fault_plan *plan;
	int persistent;
	int write_code; /* what a failed write returns */
};

/* One run: the operation with the nth counted operation failing (and all after it, when
 * persistent). Returns whether the fault was reached. */
static int run_once(struct fixture *f, operation op, const struct outcome *done,
		    const struct fault_mode *m, long n)
{
	fresh_work(f);
	struct db *db = open_as_ole(f->work);
	*m->plan = (struct fault_plan){1, 0, n, m->persistent, 0};
	io_write_code = m->write_code;
	char *err = NULL;
	int rc = op(f, db, &err);
	m->plan->armed = 0;
	long hits = m->plan->hits;
	char when[512];
	snprintf(when, sizeof(when), "%s, failing at %ld (%s)", m->name, n,
		 rc == 0 ? "reported success"
		 : err   ? err
			 : "failure without a message");
	if (rc != 0 && hits == 0)
		fail_msg("%s: failed with no fault", when);
	if (rc != 0 && str_empty(err))
		fail_msg("%s: failed with no message", when);
	if (!sqlite3_get_autocommit(db->conn))
		fail_msg("%s: a transaction was left open", when);
	for (sqlite3_stmt *st = sqlite3_next_stmt(db->conn, NULL); st;
	     st = sqlite3_next_stmt(db->conn, st))
		if (st != db->rollback) /* kept ready by db_begin */
			assert_statement_finished(db, st, when);
	assert_holds(f, db, done, rc == 0, when);
	assert_crash_copy_whole(f, done, when);
	db_close(db);
	/* A restart: the real VFS, a new connection. */
	use_real_vfs(1);
	db = open_as_ole(f->work);
	assert_holds(f, db, done, rc == 0, when);
	db_close(db);
	use_real_vfs(0);
	free(err);
	return hits > 0;
}

/* Every how many allocations one is made to fail: an intake makes thousands, and each run costs
 * milliseconds under the sanitizers, so the test samples them; FAULTS_STRIDE=1 tries every one
 * (minutes). I/O operations are fewer: each of them fails. */
static long malloc_stride(void)
{
	const char *s = getenv("FAULTS_STRIDE");
	long stride = s ? atol(s) : 37;
	return stride > 0 ? stride : 1;
}

/* n = 1, 1 + stride, ... until the operation runs past the last fault point. */
static void run_all(struct fixture *f, operation op, const struct fault_mode *m, long stride)
{
	struct outcome done = clean_run(f, op, m->plan);
	long runs = 0, n = 1;
	while (run_once(f, op, &done, m, n)) {
		runs++;
		n += stride;
	}
	assert_true(n > done.count); /* every point up to the end was tried */
	print_message("%s: %ld runs over %ld operations\n", m->name, runs + 1, done.count);
	free(done.dump);
	free(done.raw);
}

static const struct fault_mode mem_once = {"malloc, once", &mem_plan, 0, SQLITE_OK};
static const struct fault_mode mem_from = {"malloc, from then on", &mem_plan, 1, SQLITE_OK};
static const struct fault_mode io_once = {"I/O, once", &io_plan, 0, SQLITE_IOERR_WRITE};
static const struct fault_mode io_from = {"I/O, from then on", &io_plan, 1, SQLITE_FULL};

static void test_intake_io(void **state)
{
	run_all(*state, op_intake, &io_once, 1);
	run_all(*state, op_intake, &io_from, 1);
}

static void test_import_io(void **state)
{
	run_all(*state, op_import, &io_once, 1);
	run_all(*state, op_import, &io_from, 1);
}

static void test_intake_malloc(void **state)
{
	run_all(*state, op_intake, &mem_once, malloc_stride());
	run_all(*state, op_intake, &mem_from, malloc_stride());
}

static void test_import_malloc(void **state)
{
	run_all(*state, op_import, &mem_once, malloc_stride());
	run_all(*state, op_import, &mem_from, malloc_stride());
}

/* --- what staff are told -------------------------------------------------------------------- */

/* Whether text is the message msg, where a %s in msg stands for what the system said. */
static int is_message(const char *text, const char *msg)
{
	const char *hole = strstr(msg, "%s");
	if (!hole && !str_eq(text, msg))
		fail_msg("\"%s\" is not the message \"%s\"", text, msg);
	if (!hole)
		return 1;
	size_t head = (size_t)(hole - msg), tail = strlen(hole + 2), len = strlen(text);
	if (len < head + tail || strncmp(text, msg, head) != 0 ||
	    strcmp(text + len - tail, hole + 2) != 0)
		fail_msg("\"%s\" is not the message \"%s\"", text, msg);
	return 1;
}

/* The operation with every write failing with code (a full disk, a read-only file, a failing
 * disk) says msg, and that it is the machine's failure; nothing changed, the draft is kept; the
 * same operation with room again goes through. */
static void says(struct fixture *f, operation op, int code, const char *msg)
{
	fresh_work(f);
	struct db *db = open_as_ole(f->work);
	io_writes_only = 1;
	io_write_code = code;
	io_plan = (struct fault_plan){1, 0, 1, 1, 0};
	char *err = NULL;
	int rc = op(f, db, &err);
	io_plan.armed = 0;
	io_writes_only = 0;
	assert_int_equal(rc, -1);
	assert_true(is_message(err, msg));
	assert_true(db_storage_failed(db));
	struct outcome none = {NULL, NULL, 0};
	assert_holds(f, db, &none, 0, msg);
	struct intake draft;
	intake_init(&draft);
	free(err);
	err = NULL;
	assert_int_equal(draft_load(db, "intake", &draft, &err), 1);
	assert_string_equal(intake_get(&draft, "name"), "Testa Fejlsen");
	intake_free(&draft);
	unit_check_ok(op(f, db, &err), err, "the same with room again");
	db_close(db);
}

static void test_full_disk_says_so(void **state)
{
	const char *msg = "The disk is full: nothing was saved. Free some space, then try again.";
	says(*state, op_intake, SQLITE_FULL, msg);
	says(*state, op_edit, SQLITE_FULL, msg);
	says(*state, op_import, SQLITE_FULL, msg); /* no word of the bundle: it is not to blame */
}

static void test_read_only_says_so(void **state)
{
	const char *msg = "The database cannot be written (it is read-only): nothing was saved.";
	says(*state, op_intake, SQLITE_READONLY, msg);
	says(*state, op_edit, SQLITE_READONLY, msg);
	says(*state, op_import, SQLITE_READONLY, msg);
}

static void test_write_error_says_so(void **state)
{
	const char *msg = "The database could not be written (%s): nothing was saved.";
	says(*state, op_intake, SQLITE_IOERR_WRITE, msg);
	says(*state, op_edit, SQLITE_IOERR_WRITE, msg);
	says(*state, op_import, SQLITE_IOERR_WRITE, msg);
}

/* SQLite rolls a transaction back by itself after some errors (a full disk, an I/O error, no
 * memory). A write that came after such an error, unnoticed, would be committed on its own: half
 * an intake. db.c's guard turns it into a rollback, and db_commit fails. */
static void test_lost_transaction_commits_nothing(void **state)
{
	struct fixture *f = *state;
	fresh_work(f);
	struct db *db = open_as_ole(f->work);
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	assert_int_equal(sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db->conn, "DELETE FROM draft", NULL, NULL, NULL),
			 SQLITE_CONSTRAINT_COMMITHOOK);
	err = NULL;
	assert_int_equal(db_record_set(db, "stay", f->stay, "room", "Kælder 9", &err), -1);
	assert_string_equal(err, "The database could not be written: nothing was saved.");
	free(err);
	err = NULL;
	assert_int_equal(db_commit(db, &err), -1);
	assert_string_equal(err, "The database could not be written: nothing was saved.");
	free(err);
	struct outcome none = {NULL, NULL, 0};
	assert_holds(f, db, &none, 0, "after a lost transaction");
	/* The next transaction is a whole one again. */
	err = NULL;
	unit_check_ok(op_edit(f, db, &err), err, "the next write");
	db_close(db);
}

int main(void)
{
	install_faults();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lost_transaction_commits_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_full_disk_says_so, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_says_so, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_says_so, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intake_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intake_malloc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_malloc, setup, teardown),
	};
	if (getenv("FAULTS_ONLY"))
		cmocka_set_test_filter(getenv("FAULTS_ONLY"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
