/* Waiting for another writer. Any number of husly processes share one database file; SQLite lets
 * one of them write at a time, and every write is a short transaction (nobody holds one while
 * typing). So a writer that meets the lock waits: in short sleeps, so it takes its turn soon
 * after the lock is free; telling the user after a moment (the notice the layer above sets);
 * and only after a generous limit, which normal use never reaches, giving up with a message
 * that names the lock and, when Linux says, the process holding it. */
#include "db_internal.h"

#include "i18n.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define WAIT_NOTICE_MS 300              /* a wait shorter than this is not worth a word */
#define WAIT_LIMIT_MS  (5L * 60 * 1000) /* then the lock is stuck, not busy: give up */
#define WAIT_STEP_MS   2                /* the longest sleep between two tries */

/* WAL mode's write lock is byte 120 of the -shm file (SQLite's os_unix.c, UNIX_SHM_BASE). */
#define SHM_WRITE_LOCK_BYTE 120

static db_wait_fn *notice_fn;
static void *notice_arg;

void db_set_wait_notice(db_wait_fn *fn, void *arg)
{
	notice_fn = fn;
	notice_arg = arg;
}

void db_wait_notice(db_wait_fn **fn, void **arg)
{
	*fn = notice_fn;
	*arg = notice_arg;
}

void db_set_wait_limit(struct db *db, long ms)
{
	db->wait_limit_ms = ms > 0 ? ms : WAIT_LIMIT_MS;
}

static long long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static volatile sig_atomic_t *abort_flag;

void db_set_wait_abort(volatile sig_atomic_t *flag)
{
	abort_flag = flag;
}

int db_wait_step(struct db *db, int count)
{
	long long now = monotonic_ms();
	if (count == 0) { /* a new wait: SQLite counts the calls for one lock from 0 */
		db->wait_start_ms = now;
		db->wait_told_s = -1;
		db->wait_gave_up = 0;
	}
	long long waited = now - db->wait_start_ms;
	if (waited >= db->wait_limit_ms || (abort_flag && *abort_flag)) {
		db->wait_gave_up = 1;
		return 0;
	}
	long seconds = (long)((waited + 999) / 1000);
	if (waited >= WAIT_NOTICE_MS && seconds != db->wait_told_s && notice_fn) {
		struct db_wait w = {db->path, seconds, db->wait_told_s < 0};
		db->wait_told_s = seconds;
		notice_fn(&w, notice_arg);
	}
	/* Short at first (most locks last a few milliseconds), never long: a writer that sleeps
	 * long keeps missing the moments between other writers' transactions. */
	static const int steps[] = {1, 1, 1};
	sqlite3_sleep(count < (int)ARRAY_SIZE(steps) ? steps[count] : WAIT_STEP_MS);
	return 1;
}

static int on_busy(void *arg, int count)
{
	return db_wait_step(arg, count);
}

void db_wait_install(struct db *db)
{
	if (db->wait_limit_ms <= 0)
		db->wait_limit_ms = WAIT_LIMIT_MS;
	sqlite3_busy_handler(db->conn, on_busy, db);
}

/* The process holding the write lock, from /proc/locks (by the -shm file's device and inode;
 * stat only: opening and closing that file here would drop SQLite's own locks on it, which
 * POSIX ties to the process). Writes its name into name; returns its pid, or 0 when unknown. */
static long lock_holder(const char *path, char *name, size_t n)
{
	char *shm = xasprintf("%s-shm", path);
	struct stat sb;
	int known = stat(shm, &sb) == 0;
	free(shm);
	FILE *f = known ? fopen("/proc/locks", "re") : NULL;
	if (!f)
		return 0;
	long holder = 0;
	char line[256];
	while (!holder && fgets(line, sizeof(line), f)) {
		char kind[16], rw[16], end[24];
		unsigned maj, min;
		unsigned long ino;
		long pid;
		long long start;
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: %15s %*s %15s %ld %x:%x:%lu %lld %23s", kind, rw, &pid, &maj,
		           &min, &ino, &start, end) != 8)
			continue;
		long long last = str_eq(end, "EOF") ? -1 : strtoll(end, NULL, 10);
		if (str_eq(kind, "POSIX") && str_eq(rw, "WRITE") && pid > 0 &&
		    pid != (long)getpid() && maj == major(sb.st_dev) && min == minor(sb.st_dev) &&
		    ino == sb.st_ino && start <= SHM_WRITE_LOCK_BYTE &&
		    (last < 0 || last >= SHM_WRITE_LOCK_BYTE))
			holder = pid;
	}
	fclose(f);
	if (!holder)
		return 0;
	snprintf(line, sizeof(line), "/proc/%ld/comm", holder);
	f = fopen(line, "re");
	if (!f || !fgets(name, (int)n, f))
		strlcpy_trunc(name, "?", n);
	name[strcspn(name, "\n")] = '\0';
	if (f)
		fclose(f);
	return holder;
}

int db_lock_error(struct db *db, char **err)
{
	int busy = (sqlite3_extended_errcode(db->conn) & 0xFF) == SQLITE_BUSY;
	if (!busy || !db->wait_gave_up)
		return 0;
	if (!err || *err)
		return 1;
	long seconds = (long)(db->wait_limit_ms / 1000);
	char name[64];
	long pid = lock_holder(db->path, name, sizeof(name));
	if (pid > 0)
		*err = xasprintf(_("%s: gave up after %ld s waiting for the write lock, which %s "
		                   "(process %ld) holds; nothing was saved"),
		                 db->path, seconds, name, pid);
	else
		*err = xasprintf(_("%s: gave up after %ld s waiting for the write lock, which "
		                   "another program holds; nothing was saved"),
		                 db->path, seconds);
	return 1;
}

int db_end_reads(struct db *db)
{
	int ended = 0;
	for (sqlite3_stmt *st = sqlite3_next_stmt(db->conn, NULL); st;
	     st = sqlite3_next_stmt(db->conn, st)) {
		if (sqlite3_stmt_busy(st)) {
			sqlite3_reset(st);
			ended++;
		}
	}
	return ended;
}
