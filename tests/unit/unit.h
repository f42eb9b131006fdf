/* Shared helpers for the cmocka unit tests. Each test file is one translation unit that includes
 * this header, so everything here is static inline: a helper a test does not use costs nothing
 * and draws no -Wunused-function warning.
 *
 * The usual shape of a test that needs files:
 *
 *     static int setup(void **state) { *state = unit_tmpdir(); return 0; }
 *     static int teardown(void **state) { unit_rmtree(*state); free(*state); return 0; }
 *
 * and inside the test, unit_path(dir, "h.db") for a file in it. */
#ifndef HUSLY_UNIT_H
#define HUSLY_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "config.h"
#include "db.h"
#include "lists.h"
#include "util.h"

/* A new private directory under $TMPDIR (or /tmp); a new string, for unit_rmtree and free. */
static inline char *unit_tmpdir(void)
{
	/* Files the tests make behind husly's back (sqlite3_open, fopen) are private, as husly
	 * insists a database be (filemode.h). */
	umask(077);
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/husly-unit-XXXXXX", str_empty(base) ? "/tmp" : base);
	if (!mkdtemp(tmpl)) {
		fail_msg("mkdtemp %s: %s", tmpl, strerror(errno));
	}
	return tmpl;
}

static inline int unit_rm_entry(const char *path, const struct stat *sb, int flag,
				struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything under it (NULL: nothing). */
static inline void unit_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, unit_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* "dir/name", a new string. */
static inline char *unit_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* Writes content to path (creating or truncating it); fails the test when it cannot. */
static inline void unit_write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
}

/* Writes n bytes (which may hold NULs) to path. */
static inline void unit_write_bytes(const char *path, const void *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Copies the file src to dst. */
static inline void unit_copy_file(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb");
	if (!in)
		fail_msg("cannot read %s: %s", src, strerror(errno));
	FILE *out = fopen(dst, "wb");
	if (!out)
		fail_msg("cannot write %s: %s", dst, strerror(errno));
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* Opens (creating) the database at path; fails the test with husly's message if it cannot. */
static inline struct db *unit_db_open(const char *path)
{
	struct db *db = NULL;
	char *err = NULL;
	if (db_open(path, &db, &err) != 0) {
		fail_msg("db_open %s: %s", path, err ? err : "(no message)");
	}
	assert_null(err);
	assert_non_null(db);
	return db;
}

/* A fresh database "name" inside dir. */
static inline struct db *unit_db_fresh(const char *dir, const char *name)
{
	char *path = unit_path(dir, name);
	struct db *db = unit_db_open(path);
	free(path);
	return db;
}

/* Fails the test with the message of a husly call that returned an error. */
static inline void unit_check_ok(int rc, char *err, const char *what)
{
	if (rc != 0)
		fail_msg("%s failed: %s", what, err ? err : "(no message)");
	free(err);
}

/* Frees *p and sets it to NULL. */
static inline void unit_free(void *pp)
{
	void **p = pp;
	free(*p);
	*p = NULL;
}

/* Whether haystack contains needle (NULL haystack: no). */
static inline int unit_contains(const char *haystack, const char *needle)
{
	return haystack && strstr(haystack, needle) != NULL;
}

/* Asserts that haystack contains needle, printing both when it does not. */
#define assert_contains(haystack, needle)                                                       \
	do {                                                                                    \
		const char *h_ = (haystack), *n_ = (needle);                                    \
		if (!unit_contains(h_, n_))                                                     \
			fail_msg("expected \"%s\" to contain \"%s\"", h_ ? h_ : "(null)", n_);   \
	} while (0)

/* Asserts that s starts with prefix. */
#define assert_starts_with(s, prefix)                                                           \
	do {                                                                                    \
		const char *s_ = (s), *p_ = (prefix);                                           \
		if (!s_ || strncmp(s_, p_, strlen(p_)) != 0)                                    \
			fail_msg("expected \"%s\" to start with \"%s\"", s_ ? s_ : "(null)", p_); \
	} while (0)

/* The fixtures most tests use: *state is a fresh temporary directory, removed afterwards. */
static inline int unit_setup_tmpdir(void **state)
{
	*state = unit_tmpdir();
	return 0;
}

static inline int unit_teardown_tmpdir(void **state)
{
	unit_rmtree(*state);
	free(*state);
	*state = NULL;
	return 0;
}


/* Problems reported by db_check, gathered for the assertions. */
struct unit_problems {
	long n;
	char text[4096];
};

static inline void unit_collect_problem(const char *problem, void *arg)
{
	struct unit_problems *p = arg;
	p->n++;
	size_t len = strlen(p->text);
	snprintf(p->text + len, sizeof(p->text) - len, "%s\n", problem);
}


/* The first column of the first row of sql, read with SQLite itself behind husly's back; -1
 * when there is no row. */
static inline long unit_sql_long(const char *path, const char *sql)
{
	sqlite3 *conn = NULL;
	if (sqlite3_open(path, &conn) != SQLITE_OK)
		fail_msg("sqlite3_open %s", path);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(conn));
	long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(conn);
	return n;
}

/* Loads content as dir/husly.conf and applies its lists and checklist; the configuration is
 * freed again (the lists keep copies). lists_reset() undoes it. */
static inline void unit_configure(const char *dir, const char *content)
{
	char *path = unit_path(dir, "husly.conf");
	unit_write_file(path, content);
	struct config c;
	char *err = NULL;
	if (config_load(&c, path, &err) != 0)
		fail_msg("config_load: %s", err ? err : "(no message)");
	unit_check_ok(lists_configure(&c, &err), err, "lists_configure");
	config_free(&c);
	free(path);
}

/* libconfuse's and husly's messages are translated: tests that read them pin English. */
static inline void unit_pin_english(void)
{
	setenv("LANGUAGE", "en", 1);
	setenv("LC_ALL", "C", 1);
	setlocale(LC_ALL, "C");
}

#endif
