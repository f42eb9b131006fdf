/* The bundle import fuzz target's body: see harness.h. */
#include "harness.h"

#include "bundle.h"
#include "clock.h"
#include "db.h"
#include "demo.h"
#include "dump.h"
#include "sync.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct {
	char *dir;      /* a private temporary directory */
	char *db;       /* the database an input is imported into */
	char *input;    /* the bundle file made from the input */
	char *image;    /* the database as made once, put back before every input */
	size_t image_len;
	char *dump;     /* its dump */
	struct shelter_key key;
} fb;

static char *failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *failure(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The whole file at path in a new buffer (NULL when it cannot be read). */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&sb, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		sb_free(&sb);
		return NULL;
	}
	*len = sb.len;
	return sb.buf;
}

static int write_file(const char *path, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
	if (fd < 0)
		return -1;
	const char *p = bytes;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return close(fd);
}

/* The database's dump, a new string (NULL with *why on failure). */
static char *dump_of(struct db *db, char **why)
{
	char *text = NULL, *err = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out) {
		*why = failure("open_memstream: %s", strerror(errno));
		return NULL;
	}
	int rc = db_dump(db, out, &err);
	fclose(out);
	if (rc != 0) {
		*why = failure("husly dump failed: %s", err ? err : "?");
		free(err);
		free(text);
		return NULL;
	}
	return text;
}

/* What `husly check` reports that two terminals can make between them, each doing nothing
 * wrong: the same resident admitted on both before they synchronised (two open stays, which
 * overlap), the same person registered on both (two residents, one CPR number). Sync keeps both
 * records for staff to settle, and husly check points at them; an import that leads there is no
 * fault of the import. Every other problem is. */
static int between_terminals(const char *problem)
{
	return strstr(problem, "open stays at once") || strstr(problem, "overlap") ||
	       strstr(problem, "share one CPR number");
}

struct problems {
	struct strbuf text;
	long n;
	int tolerate; /* leave out what between_terminals accepts */
};

static void gather_problem(const char *problem, void *arg)
{
	struct problems *p = arg;
	if (p->tolerate && between_terminals(problem))
		return;
	p->n++;
	if (p->text.len < 2000)
		sb_addf(&p->text, "\n  %s", problem);
}

/* What `husly check` says of db: 0 when sound, else -1 with *why. tolerate: after an import,
 * see between_terminals. */
static int check_sound(struct db *db, const char *when, int tolerate, char **why)
{
	struct problems p = {.tolerate = tolerate};
	sb_init(&p.text);
	sb_add(&p.text, "");
	char *err = NULL;
	int rc = 0;
	if (db_check(db, gather_problem, &p, &err) < 0)
		*why = failure("%s: husly check could not finish: %s", when, err ? err : "?"), rc = -1;
	else if (p.n > 0)
		*why = failure("%s: husly check found %ld problems:%s", when, p.n, p.text.buf),
		rc = -1;
	free(err);
	sb_free(&p.text);
	return rc;
}

static int open_db(struct db **db, char **why)
{
	char *err = NULL;
	if (db_open_existing(fb.db, db, &err) != 0) {
		*why = failure("cannot open the database: %s", err ? err : "?");
		free(err);
		return -1;
	}
	db_set_actor(*db, "fuzz");
	return 0;
}

/* A small shelter: the demo's residents, as make-corpus.sh makes them on the terminal whose
 * bundles the corpus holds (the same seed), so imports meet records they know. */
static int make_database(char **why)
{
	struct db *db = NULL;
	char *err = NULL;
	if (db_open(fb.db, &db, &err) != 0) {
		*why = failure("cannot make the database: %s", err ? err : "?");
		free(err);
		return -1;
	}
	db_set_actor(db, "fuzz");
	const struct demo_options o = {2, 6, 1, NULL};
	int rc = demo_run(db, &o, &err);
	clock_fix(FUZZ_NOW); /* demo_run leaves the clock to HUSLY_NOW */
	if (rc != 0)
		*why = failure("demo: %s", err ? err : "?");
	free(err);
	if (rc == 0)
		rc = check_sound(db, "the new database", 0, why);
	if (rc == 0 && !(fb.dump = dump_of(db, why)))
		rc = -1;
	db_close(db);
	if (rc == 0 && !(fb.image = read_file(fb.db, &fb.image_len))) {
		*why = failure("cannot read %s back", fb.db);
		rc = -1;
	}
	return rc;
}

static int load_key(char **why)
{
	char *path = xasprintf("%s/shelter.key", fb.dir);
	char *text = xasprintf("husly-shelter-key-1 %s\n", FUZZ_KEY_HEX);
	char *err = NULL;
	int rc = write_file(path, text, strlen(text));
	if (rc != 0)
		*why = failure("cannot write %s: %s", path, strerror(errno));
	else if ((rc = key_load_file(path, &fb.key, &err)) != 0)
		*why = failure("the test key: %s", err ? err : "?");
	free(err);
	free(text);
	free(path);
	return rc;
}

int fuzz_bundle_setup(char **why)
{
	if (fb.dir)
		return 0;
	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	clock_fix(FUZZ_NOW);
	const char *tmp = getenv("TMPDIR");
	fb.dir = xasprintf("%s/husly-fuzz-XXXXXX", str_empty(tmp) ? "/tmp" : tmp);
	if (!mkdtemp(fb.dir)) {
		*why = failure("mkdtemp %s: %s", fb.dir, strerror(errno));
		free(fb.dir);
		fb.dir = NULL;
		return -1;
	}
	fb.db = xasprintf("%s/husly.db", fb.dir);
	fb.input = xasprintf("%s/in.bundle", fb.dir);
	if (load_key(why) != 0 || make_database(why) != 0) {
		fuzz_bundle_teardown();
		return -1;
	}
	return 0;
}

void fuzz_bundle_teardown(void)
{
	if (fb.dir)
		nftw(fb.dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fb.dir);
	free(fb.db);
	free(fb.input);
	free(fb.image);
	free(fb.dump);
	memset(&fb, 0, sizeof(fb));
}

/* Puts the database back as fuzz_bundle_setup made it. */
static int restore_database(char **why)
{
	const char *suffixes[] = {"-wal", "-shm", "-journal"};
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		char *p = xasprintf("%s%s", fb.db, suffixes[i]);
		unlink(p);
		free(p);
	}
	if (write_file(fb.db, fb.image, fb.image_len) != 0) {
		*why = failure("cannot write %s: %s", fb.db, strerror(errno));
		return -1;
	}
	return 0;
}

/* The bundle file for the input (see harness.h for the three kinds). */
static int make_input(const uint8_t *data, size_t size, char **why)
{
	if (size == 0 || (data[0] != 'S' && data[0] != 'P'))
		return write_file(fb.input, data, size) == 0
			   ? 0
			   : (*why = failure("cannot write %s", fb.input), -1);
	FILE *f = fopen(fb.input, "wb");
	if (!f) {
		*why = failure("cannot write %s: %s", fb.input, strerror(errno));
		return -1;
	}
	char *err = NULL;
	struct bundle_writer *w = bundle_writer_open(f, data[0] == 'S' ? &fb.key : NULL, &err);
	int rc = w ? 0 : -1;
	if (w && bundle_write(w, (const char *)data + 1, size - 1, &err) != 0)
		rc = -1;
	if (w && bundle_writer_close(w, rc == 0 ? &err : NULL) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		*why = failure("cannot write the bundle: %s", err ? err : "?");
	free(err);
	return rc;
}

/* Imports the input file into db as `husly import` does: 0 accepted, 1 refused (*msg says
 * why), -1 when it could not even be read. */
static int import(struct db *db, struct sync_counts *c, char **msg)
{
	FILE *in = fopen(fb.input, "rb");
	if (!in) {
		*msg = failure("cannot read %s: %s", fb.input, strerror(errno));
		return -1;
	}
	int rc = sync_import(db, in, "in.bundle", &fb.key, 1, c, msg);
	fclose(in);
	return rc == 0 ? 0 : 1;
}

/* A refusal: it says why, in text safe for a terminal, and the database is as it was. */
static int check_refused(struct db *db, char *msg, char **why)
{
	if (str_empty(msg)) {
		*why = failure("an import was refused without a message");
		return -1;
	}
	char *safe = text_sanitize(msg);
	int rc = 0;
	if (!str_eq(safe, msg))
		*why = failure("the refusal holds bytes unsafe for a terminal: %s", safe), rc = -1;
	free(safe);
	char *dump = rc == 0 ? dump_of(db, why) : NULL;
	if (rc == 0 && !dump)
		rc = -1;
	if (dump && !str_eq(dump, fb.dump))
		*why = failure("a refused import (%s) changed the database", msg), rc = -1;
	free(dump);
	return rc;
}

/* An accepted import: the database is sound, and the same bundle again changes nothing. */
static int check_accepted(struct db *db, char **why)
{
	if (check_sound(db, "after an import", 1, why) != 0)
		return -1;
	char *before = dump_of(db, why);
	if (!before)
		return -1;
	struct sync_counts c;
	char *msg = NULL;
	int got = import(db, &c, &msg);
	int rc = 0;
	if (got != 0)
		*why = failure("the same bundle, imported again, was refused: %s", msg ? msg : "?"),
		rc = -1;
	else if (c.added || c.changed || c.deleted || c.conflicts)
		*why = failure("the same bundle, imported again, made %ld new, %ld changed, "
			       "%ld deleted, %ld conflicts",
			       c.added, c.changed, c.deleted, c.conflicts),
		rc = -1;
	free(msg);
	char *after = rc == 0 ? dump_of(db, why) : NULL;
	if (rc == 0 && !after)
		rc = -1;
	if (after && !str_eq(before, after))
		*why = failure("the same bundle, imported again, changed the database"), rc = -1;
	free(before);
	free(after);
	return rc;
}

int fuzz_bundle_run(const uint8_t *data, size_t size, char **why)
{
	*why = NULL;
	if (!fb.dir && fuzz_bundle_setup(why) != 0)
		return -1;
	clock_fix(FUZZ_NOW);
	if (restore_database(why) != 0 || make_input(data, size, why) != 0)
		return -1;
	struct db *db = NULL;
	if (open_db(&db, why) != 0)
		return -1;
	struct sync_counts c;
	char *msg = NULL;
	int got = import(db, &c, &msg);
	int rc;
	if (got < 0) {
		*why = msg;
		msg = NULL;
		rc = -1;
	} else {
		rc = got ? check_refused(db, msg, why) : check_accepted(db, why);
	}
	free(msg);
	db_close(db);
	return rc;
}
