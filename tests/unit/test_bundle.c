/* Bundles and shelter keys: what is written comes back line by line, and only an intact bundle
 * reaches the verified end (bundle_read_line returning 0). Every cut and every flipped bit of a
 * small bundle is refused, and says why; so are the wrong key, no key, a plain bundle when
 * plain ones are not allowed, a newer format and a file that is no bundle at all. Key files are
 * made private and never replaced, and nothing but an exact key file is taken for one. */
#include "unit.h"

#include <grp.h>

#include <sodium.h>

#include "bundle.h"
#include "filemode.h"

#define MAGIC_LEN     9
#define PREFIX_LEN    11 /* magic, version, kind */
#define SEALED_HEADER (PREFIX_LEN + KEY_ID_BYTES + 24)
#define CHUNK_TEXT    65536
#define LINE_MAX_LEN  (16 * 1024 * 1024)

/* --- helpers ---------------------------------------------------------------------------- */

/* A new key file dir/name, loaded into *key. */
static void make_key(const char *dir, const char *name, struct shelter_key *key)
{
	char *path = unit_path(dir, name);
	char *err = NULL;
	unit_check_ok(key_generate_file(path, &err), err, "key_generate_file");
	err = NULL;
	unit_check_ok(key_load_file(path, key, &err), err, "key_load_file");
	free(path);
}

/* Writes the n pieces of text as a bundle at path (sealed with key, or plain). */
static void write_bundle(const char *path, const struct shelter_key *key, const char *const *pieces,
			 const size_t *lens, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	char *err = NULL;
	struct bundle_writer *w = bundle_writer_open(f, key, &err);
	if (!w)
		fail_msg("bundle_writer_open: %s", err ? err : "(no message)");
	for (size_t i = 0; i < n; i++) {
		unit_check_ok(bundle_write(w, pieces[i], lens[i], &err), err, "bundle_write");
		err = NULL;
	}
	unit_check_ok(bundle_writer_close(w, &err), err, "bundle_writer_close");
	assert_int_equal(fclose(f), 0);
}

/* Writes one string as a bundle. */
static void write_text(const char *path, const struct shelter_key *key, const char *text)
{
	size_t len = strlen(text);
	write_bundle(path, key, &text, &len, 1);
}

/* The whole file at path, in a new buffer; its length in *len. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	struct strbuf sb;
	sb_init(&sb);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&sb, buf, n);
	assert_false(ferror(f));
	fclose(f);
	*len = sb.len;
	unsigned char *bytes = xmalloc(sb.len + 1);
	if (sb.len)
		memcpy(bytes, sb.buf, sb.len);
	sb_free(&sb);
	return bytes;
}

/* What reading a bundle gave. */
struct outcome {
	int opened;                  /* bundle_reader_open gave a reader */
	int sealed;                  /* bundle_is_sealed, when opened */
	int rc;                      /* the last bundle_read_line result; -1 when not opened */
	enum bundle_problem problem; /* BUNDLE_OK unless refused */
	char *err;                   /* the refusal, if any */
	struct strbuf text;          /* the lines read, each followed by a newline */
	int lines;
};

static void outcome_free(struct outcome *o)
{
	free(o->err);
	sb_free(&o->text);
}

/* Reads the bundle in f to its end or its refusal. */
static struct outcome read_stream(FILE *f, const struct shelter_key *key, int allow_plain)
{
	struct outcome o = {.rc = -1, .problem = BUNDLE_OK};
	sb_init(&o.text);
	struct bundle_reader *r = bundle_reader_open(f, key, allow_plain, &o.problem, &o.err);
	if (!r) {
		assert_int_not_equal(o.problem, BUNDLE_OK);
		assert_non_null(o.err);
		return o;
	}
	assert_int_equal(o.problem, BUNDLE_OK);
	assert_null(o.err);
	o.opened = 1;
	o.sealed = bundle_is_sealed(r);
	const char *line = NULL;
	size_t len = 0;
	while ((o.rc = bundle_read_line(r, &line, &len, &o.problem, &o.err)) == 1) {
		assert_int_equal(line[len], '\0');
		sb_addn(&o.text, line, len);
		sb_add(&o.text, "\n");
		o.lines++;
	}
	if (o.rc == 0) {
		assert_int_equal(o.problem, BUNDLE_OK);
		/* The end stays the end. */
		assert_int_equal(bundle_read_line(r, &line, &len, &o.problem, &o.err), 0);
	} else {
		assert_int_equal(o.rc, -1);
		assert_int_not_equal(o.problem, BUNDLE_OK);
		assert_non_null(o.err);
		/* A refusal stays a refusal: a caller that reads on never gets the end. */
		enum bundle_problem again = BUNDLE_OK;
		char *err2 = NULL;
		assert_int_equal(bundle_read_line(r, &line, &len, &again, &err2), -1);
		assert_int_equal(again, o.problem);
		free(err2);
	}
	bundle_reader_close(r);
	return o;
}

static struct outcome read_path(const char *path, const struct shelter_key *key, int allow_plain)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	struct outcome o = read_stream(f, key, allow_plain);
	fclose(f);
	return o;
}

/* Reads n bytes as a bundle (through a file dir/variant); the refusal, failing the test if the
 * bundle reached the verified end. */
static enum bundle_problem refusal_of(const char *dir, const unsigned char *bytes, size_t n,
				      const struct shelter_key *key, const char *what, size_t at)
{
	char *path = unit_path(dir, "variant");
	unit_write_bytes(path, bytes, n);
	struct outcome o = read_path(path, key, 1);
	if (o.rc == 0)
		fail_msg("%s at %zu: the bundle was read to a verified end", what, at);
	enum bundle_problem p = o.problem;
	outcome_free(&o);
	free(path);
	return p;
}

/* The text of the small bundles: a few lines, one empty, one with a byte 0. */
static const char small_text[] = "{\"op\":\"upsert\",\"table\":\"resident\",\"id\":\"r1\"}\n"
				 "\n"
				 "{\"name\":\"S\xc3\xb8ren\",\"room\":\"12\"}\n"
				 "line with a \0 NUL\n";

static void write_small(const char *path, const struct shelter_key *key)
{
	const char *piece = small_text;
	size_t len = sizeof(small_text) - 1;
	write_bundle(path, key, &piece, &len, 1);
}

/* Whether needle occurs in the n bytes at hay. */
static int bytes_contain(const unsigned char *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

/* --- key files -------------------------------------------------------------------------- */

static void test_key_generated_private_and_kept(void **state)
{
	const char *dir = *state;
	char *path = unit_path(dir, "shelter.key");
	char *err = NULL;
	/* A umask that would leave the owner only r--: the key file is 0600 all the same. */
	mode_t old = umask(0377);
	int rc = key_generate_file(path, &err);
	umask(old);
	unit_check_ok(rc, err, "key_generate_file");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	size_t len = 0;
	unsigned char *first = slurp(path, &len);
	assert_int_equal(len, 20 + 64 + 1);
	assert_memory_equal(first, "husly-shelter-key-1 ", 20);
	for (size_t i = 20; i < 84; i++)
		assert_non_null(strchr("0123456789abcdef", first[i]));
	assert_int_equal(first[84], '\n');

	/* Never replaced: the shelter's bundles would no longer open. */
	err = NULL;
	assert_int_equal(key_generate_file(path, &err), -1);
	assert_contains(err, path);
	assert_contains(err, "already exists");
	free(err);
	size_t len2 = 0;
	unsigned char *second = slurp(path, &len2);
	assert_int_equal(len2, len);
	assert_memory_equal(first, second, len);

	/* With umask 0 too, and a new key each time. */
	char *other = unit_path(dir, "other.key");
	old = umask(0);
	err = NULL;
	rc = key_generate_file(other, &err);
	umask(old);
	unit_check_ok(rc, err, "key_generate_file");
	assert_int_equal(stat(other, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	unsigned char *third = slurp(other, &len2);
	assert_int_equal(len2, len);
	assert_memory_not_equal(first, third, len);
	free(first);
	free(second);
	free(third);
	free(other);
	free(path);
}

static void test_key_loaded(void **state)
{
	const char *dir = *state;
	struct shelter_key a, a2, b;
	make_key(dir, "a.key", &a);
	make_key(dir, "b.key", &b);
	char *path = unit_path(dir, "a.key");
	/* Readable by its group: refused, unless that is the group of a shared install
	 * (husly.conf's group, filemode.h). */
	assert_int_equal(chmod(path, 0640), 0);
	char *err = NULL;
	assert_int_equal(key_load_file(path, &a2, &err), -1);
	assert_non_null(strstr(err, "chmod 600"));
	free(err);
	err = NULL;
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	const struct group *g = getgrgid(sb.st_gid);
	assert_non_null(g);
	assert_int_equal(filemode_set_group(g->gr_name, &err), 0);
	int rc = key_load_file(path, &a2, &err);
	unit_check_ok(rc, err, "key_load_file");
	err = NULL;
	assert_int_equal(filemode_set_group(NULL, &err), 0);
	assert_memory_equal(a.key, a2.key, KEY_BYTES);
	assert_memory_equal(a.id, a2.id, KEY_ID_BYTES);
	assert_memory_not_equal(a.key, b.key, KEY_BYTES);
	assert_memory_not_equal(a.id, b.id, KEY_ID_BYTES);

	/* The key is the file's hex, and the id is not a piece of the key. */
	size_t len = 0;
	unsigned char *text = slurp(path, &len);
	char hex[2 * KEY_BYTES + 1];
	for (size_t i = 0; i < KEY_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", a.key[i]);
	assert_memory_equal(text + 20, hex, 2 * KEY_BYTES);
	assert_null(memmem(a.key, KEY_BYTES, a.id, KEY_ID_BYTES));
	free(text);
	free(path);
}

static void test_key_open_to_others_refused(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "shelter.key");
	char *want = xasprintf("%s can be read by others; chmod 600 %s", path, path);
	struct shelter_key out;
	char *err = NULL;
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(key_load_file(path, &out, &err), -1);
	assert_contains(err, want);
	free(err);
	/* Nothing of the key is left in out. */
	static const unsigned char zero[KEY_BYTES];
	assert_memory_equal(out.key, zero, KEY_BYTES);

	assert_int_equal(chmod(path, 0602), 0);
	err = NULL;
	assert_int_equal(key_load_file(path, &out, &err), -1);
	assert_contains(err, "can be changed by others; chmod 600");
	free(err);
	free(want);
	free(path);
}

static void check_not_a_key(const char *path, const void *content, size_t n)
{
	unit_write_bytes(path, content, n);
	assert_int_equal(chmod(path, 0600), 0);
	struct shelter_key out;
	char *err = NULL;
	if (key_load_file(path, &out, &err) == 0)
		fail_msg("taken for a key: \"%.*s\"", (int)n, (const char *)content);
	char *want = xasprintf("%s is not a husly shelter key", path);
	assert_contains(err, want);
	free(want);
	free(err);
}

static void test_key_garbage_refused(void **state)
{
	const char *dir = *state;
	char *path = unit_path(dir, "garbage.key");
	const char hex[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	const char *const bad[] = {
	    "",
	    "hello\n",
	    "husly-shelter-key-1 \n",
	    "husly-shelter-key-2 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
	    "husly-shelter-key-1 00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff\n",
	    "husly-shelter-key-1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeg\n",
	    "husly-shelter-key-1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeef\n",
	    "husly-shelter-key-1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0\n",
	    "husly-shelter-key-1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	    "husly-shelter-key-1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\r",
	    "husly-shelter-key-1  0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
	    "husly-shelter-key-1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		check_not_a_key(path, bad[i], strlen(bad[i]));

	/* The same line, exactly, is a key: the refusals above are for what differs. */
	char *good = xasprintf("husly-shelter-key-1 %s\n", hex);
	unit_write_file(path, good);
	assert_int_equal(chmod(path, 0600), 0);
	struct shelter_key k;
	char *err = NULL;
	unit_check_ok(key_load_file(path, &k, &err), err, "key_load_file");
	assert_int_equal(k.key[1], 0x11);
	assert_int_equal(k.key[31], 0xff);
	free(good);

	/* A directory, and a file that is not there. */
	err = NULL;
	assert_int_equal(key_load_file(dir, &k, &err), -1);
	assert_contains(err, "is not a husly shelter key");
	free(err);
	char *missing = unit_path(dir, "missing.key");
	err = NULL;
	assert_int_equal(key_load_file(missing, &k, &err), -1);
	assert_contains(err, "cannot read");
	assert_contains(err, missing);
	free(err);
	free(missing);
	free(path);
}

/* --- round trips ------------------------------------------------------------------------ */

/* Lines of every kind, written in awkward pieces: a line longer than a chunk, lines across
 * chunk boundaries, an empty line, a byte 0. Returns the whole text (to compare with). */
static char *round_trip_text(const char *path, const struct shelter_key *key, size_t *text_len)
{
	struct strbuf all;
	sb_init(&all);
	sb_add(&all, "{\"first\":\"SECRET-MARKER-\xc3\xa6\xc3\xb8\xc3\xa5\"}\n\n");
	for (size_t i = 0; i < 100000; i++)
		sb_addn(&all, &"abcdefghijklmnopqrstuvwxyz"[i % 26], 1);
	sb_add(&all, "\n");
	for (int i = 0; i < 3000; i++)
		sb_addf(&all, "{\"n\":%d,\"pad\":\"%0*d\"}\n", i, i % 97, 0);
	sb_addn(&all, "a\0b\n", 4);
	sb_add(&all, "last line\n");
	/* Pieces of 1, 2, 3, ... bytes, then the rest in one write. */
	const char *pieces[800];
	size_t lens[800], n = 0, at = 0;
	for (size_t k = 1; n < 700; k++, n++) {
		pieces[n] = all.buf + at;
		lens[n] = k;
		at += k;
	}
	assert_true(at <= all.len);
	pieces[n] = all.buf + at;
	lens[n++] = all.len - at;
	write_bundle(path, key, pieces, lens, n);
	*text_len = all.len;
	return all.buf; /* the strbuf's buffer, now the caller's */
}

static void check_round_trip(const char *dir, const struct shelter_key *key)
{
	char *path = unit_path(dir, "rt.bundle");
	size_t len = 0;
	char *text = round_trip_text(path, key, &len);
	struct outcome o = read_path(path, key, !key);
	if (o.rc != 0)
		fail_msg("round trip refused: %s", o.err);
	assert_int_equal(o.sealed, key != NULL);
	assert_int_equal(o.text.len, len);
	assert_memory_equal(o.text.buf, text, len);
	assert_int_equal(o.lines, 3000 + 5);

	size_t n = 0;
	unsigned char *bytes = slurp(path, &n);
	assert_memory_equal(bytes, "HUSLYBNDL\x01", 10);
	assert_int_equal(bytes[10], key ? 'S' : 'P');
	/* Sealed, nothing of the text is in clear; plain, it is all there. */
	assert_int_equal(bytes_contain(bytes, n, "SECRET-MARKER"), !key);
	assert_int_equal(bytes_contain(bytes, n, "last line"), !key);
	free(bytes);
	outcome_free(&o);
	free(text);
	free(path);
}

static void test_round_trip_sealed(void **state)
{
	struct shelter_key k;
	make_key(*state, "shelter.key", &k);
	check_round_trip(*state, &k);
}

static void test_round_trip_plain(void **state)
{
	check_round_trip(*state, NULL);
}

static void test_empty_bundles(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "empty.bundle");
	for (int sealed = 0; sealed <= 1; sealed++) {
		write_bundle(path, sealed ? &k : NULL, NULL, NULL, 0);
		struct outcome o = read_path(path, &k, 1);
		if (o.rc != 0)
			fail_msg("empty bundle refused: %s", o.err);
		assert_int_equal(o.lines, 0);
		assert_int_equal(o.sealed, sealed);
		outcome_free(&o);
	}
	free(path);
}

/* Text that does not end in a newline still comes back whole, its last line unended. */
static void test_unended_last_line(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "b.bundle");
	for (int sealed = 0; sealed <= 1; sealed++) {
		write_text(path, sealed ? &k : NULL, "one\ntwo");
		struct outcome o = read_path(path, &k, 1);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.lines, 2);
		assert_string_equal(o.text.buf, "one\ntwo\n");
		outcome_free(&o);
	}
	free(path);
}

/* Exactly two chunks of text: the final chunk is empty, and the lines end on a boundary. */
static void test_whole_chunks(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "b.bundle");
	char *text = xmalloc(2 * CHUNK_TEXT + 1);
	memset(text, 'x', 2 * CHUNK_TEXT);
	text[CHUNK_TEXT - 1] = '\n';
	text[2 * CHUNK_TEXT - 1] = '\n';
	text[2 * CHUNK_TEXT] = '\0';
	write_text(path, &k, text);
	struct outcome o = read_path(path, &k, 0);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.lines, 2);
	assert_int_equal(o.text.len, 2 * CHUNK_TEXT);
	assert_memory_equal(o.text.buf, text, 2 * CHUNK_TEXT);
	outcome_free(&o);
	free(text);
	free(path);
}

/* A plain bundle's text may hold lines that look like its trailer: only the last line is. */
static void test_plain_trailer_lookalike(void **state)
{
	const char *dir = *state;
	char *path = unit_path(dir, "b.bundle");
	const char *text = "#husly-end 0 "
			   "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8\n"
			   "x\n"
			   "#husly-end 2 nonsense\n";
	write_text(path, NULL, text);
	struct outcome o = read_path(path, NULL, 1);
	if (o.rc != 0)
		fail_msg("refused: %s", o.err);
	assert_string_equal(o.text.buf, text);
	outcome_free(&o);
	free(path);
}

/* --- refusals --------------------------------------------------------------------------- */

static void test_wrong_and_missing_key(void **state)
{
	const char *dir = *state;
	struct shelter_key a, b;
	make_key(dir, "a.key", &a);
	make_key(dir, "b.key", &b);
	char *path = unit_path(dir, "b.bundle");
	write_small(path, &a);

	struct outcome o = read_path(path, &b, 1);
	assert_false(o.opened);
	assert_int_equal(o.problem, BUNDLE_WRONG_KEY);
	assert_contains(o.err, "sealed with another shelter key");
	outcome_free(&o);

	o = read_path(path, NULL, 1);
	assert_false(o.opened);
	assert_int_equal(o.problem, BUNDLE_NEEDS_KEY);
	assert_contains(o.err, "none is configured (sync_key_file in husly.conf)");
	outcome_free(&o);

	/* allow_plain does not matter to a sealed bundle. */
	o = read_path(path, &a, 0);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.lines, 4);
	outcome_free(&o);

	/* A key with a's id and another key: the id only tells keys apart, and proves nothing. */
	struct shelter_key forged = b;
	memcpy(forged.id, a.id, KEY_ID_BYTES);
	o = read_path(path, &forged, 1);
	assert_true(o.opened);
	assert_int_equal(o.rc, -1);
	assert_int_equal(o.problem, BUNDLE_DAMAGED);
	assert_int_equal(o.lines, 0);
	outcome_free(&o);
	free(path);
}

static void test_plain_refused_unless_allowed(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "p.bundle");
	write_small(path, NULL);
	struct outcome o = read_path(path, &k, 0);
	assert_false(o.opened);
	assert_int_equal(o.problem, BUNDLE_PLAIN);
	assert_contains(o.err, "plain (unencrypted) bundle; import it with --plaintext");
	outcome_free(&o);

	o = read_path(path, &k, 1);
	assert_int_equal(o.rc, 0);
	assert_false(o.sealed);
	assert_int_equal(o.text.len, sizeof(small_text) - 1);
	assert_memory_equal(o.text.buf, small_text, sizeof(small_text) - 1);
	outcome_free(&o);
	free(path);
}

static void test_newer_format_refused(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "b.bundle");
	for (int sealed = 0; sealed <= 1; sealed++) {
		write_small(path, sealed ? &k : NULL);
		size_t n = 0;
		unsigned char *bytes = slurp(path, &n);
		bytes[MAGIC_LEN] = BUNDLE_FORMAT + 1;
		/* A newer format may change the rest, kind included. */
		bytes[MAGIC_LEN + 1] = 'Z';
		unit_write_bytes(path, bytes, n);
		struct outcome o = read_path(path, &k, 1);
		assert_int_equal(o.problem, BUNDLE_NEWER);
		char *want = xasprintf("made by a newer version of husly (bundle format %d); update "
				       "husly",
				       BUNDLE_FORMAT + 1);
		assert_contains(o.err, want);
		free(want);
		outcome_free(&o);
		free(bytes);
	}
	free(path);
}

static void test_not_a_bundle(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "b.bundle");
	const char *const others[] = {"{\"op\":\"upsert\"}\n", "HUSLYBNDX\x01S", "h",
				      "PK\x03\x04 a zip file"};
	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		unit_write_file(path, others[i]);
		struct outcome o = read_path(path, &k, 1);
		assert_int_equal(o.problem, BUNDLE_NOT_A_BUNDLE);
		assert_contains(o.err, "not a husly bundle");
		outcome_free(&o);
	}
	free(path);
}

/* Cut at every length: truncated, every time, and said so. */
static void check_every_cut(const char *dir, const struct shelter_key *key)
{
	char *path = unit_path(dir, "small.bundle");
	write_small(path, key);
	size_t n = 0;
	unsigned char *bytes = slurp(path, &n);
	for (size_t cut = 0; cut < n; cut++) {
		enum bundle_problem p = refusal_of(dir, bytes, cut, key, "cut", cut);
		if (p != BUNDLE_TRUNCATED)
			fail_msg("cut at %zu of %zu: problem %d, not truncated", cut, n, (int)p);
	}
	struct outcome o = read_path(path, key, 1);
	assert_int_equal(o.rc, 0); /* and whole, it is read */
	outcome_free(&o);
	free(bytes);
	free(path);
}

static void test_truncated_everywhere(void **state)
{
	struct shelter_key k;
	make_key(*state, "shelter.key", &k);
	check_every_cut(*state, &k);
	check_every_cut(*state, NULL);

	char *path = unit_path(*state, "b.bundle");
	unit_write_file(path, "");
	struct outcome o = read_path(path, &k, 1);
	assert_int_equal(o.problem, BUNDLE_TRUNCATED);
	assert_contains(o.err, "truncated: it ends before its end");
	outcome_free(&o);
	free(path);
}

/* Flips one bit at every position: never the verified end, and the right refusal for where. */
static void check_every_flip(const char *dir, const struct shelter_key *key)
{
	char *path = unit_path(dir, "small.bundle");
	write_small(path, key);
	size_t n = 0;
	unsigned char *bytes = slurp(path, &n);
	for (size_t at = 0; at < n; at++) {
		bytes[at] ^= 0x01;
		enum bundle_problem p = refusal_of(dir, bytes, n, key, "flip", at);
		bytes[at] ^= 0x01;
		int ok;
		if (at < MAGIC_LEN)
			ok = p == BUNDLE_NOT_A_BUNDLE;
		else if (key && at >= PREFIX_LEN && at < PREFIX_LEN + KEY_ID_BYTES)
			ok = p == BUNDLE_WRONG_KEY; /* the id is in clear: another key's, then */
		else
			ok = p == BUNDLE_DAMAGED || p == BUNDLE_TRUNCATED;
		if (!ok)
			fail_msg("flip at %zu of %zu: problem %d", at, n, (int)p);
	}
	free(bytes);
	free(path);
}

static void test_flipped_everywhere(void **state)
{
	struct shelter_key k;
	make_key(*state, "shelter.key", &k);
	check_every_flip(*state, &k);
	check_every_flip(*state, NULL);
}

/* Where the chunks of a sealed bundle start: offsets into bytes, the end last. */
static size_t chunk_starts(const unsigned char *bytes, size_t n, size_t *starts, size_t max)
{
	size_t count = 0, at = SEALED_HEADER;
	while (at < n && count < max) {
		starts[count++] = at;
		at += 4 + ((size_t)bytes[at] << 24 | (size_t)bytes[at + 1] << 16 |
			   (size_t)bytes[at + 2] << 8 | bytes[at + 3]);
	}
	assert_int_equal(at, n);
	starts[count] = n;
	return count;
}

/* Builds a bundle from the header and the given chunks of bytes, in that order. */
static unsigned char *assemble(const unsigned char *bytes, const size_t *starts, const int *order,
			     size_t norder, size_t *out_len)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_addn(&sb, (const char *)bytes, SEALED_HEADER);
	for (size_t i = 0; i < norder; i++) {
		int c = order[i];
		sb_addn(&sb, (const char *)bytes + starts[c], starts[c + 1] - starts[c]);
	}
	*out_len = sb.len;
	unsigned char *out = xmalloc(sb.len);
	memcpy(out, sb.buf, sb.len);
	sb_free(&sb);
	return out;
}

static void check_spliced(const char *dir, const unsigned char *bytes, const size_t *starts,
			  const struct shelter_key *key, const int *order, size_t norder,
			  enum bundle_problem want, const char *what)
{
	size_t n = 0;
	unsigned char *b = assemble(bytes, starts, order, norder, &n);
	enum bundle_problem p = refusal_of(dir, b, n, key, what, 0);
	if (p != want)
		fail_msg("%s: problem %d, not %d", what, (int)p, (int)want);
	free(b);
}

/* Chunks reordered, dropped, repeated or added, each of them intact in itself. */
static void test_chunks_rearranged(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "big.bundle");
	char *text = xmalloc(2 * CHUNK_TEXT + 100 + 1);
	memset(text, 'y', 2 * CHUNK_TEXT + 100);
	for (size_t i = 99; i < 2 * CHUNK_TEXT + 100; i += 100)
		text[i] = '\n';
	text[2 * CHUNK_TEXT + 100] = '\0';
	write_text(path, &k, text);
	size_t n = 0;
	unsigned char *bytes = slurp(path, &n);
	size_t starts[8];
	assert_int_equal(chunk_starts(bytes, n, starts, 7), 3);

	const int whole[] = {0, 1, 2}, swapped[] = {1, 0, 2}, dropped[] = {0, 2},
		  no_final[] = {0, 1}, repeated[] = {0, 0, 1, 2}, final_twice[] = {0, 1, 2, 2};
	check_spliced(dir, bytes, starts, &k, swapped, 3, BUNDLE_DAMAGED, "swapped");
	check_spliced(dir, bytes, starts, &k, dropped, 2, BUNDLE_DAMAGED, "dropped");
	check_spliced(dir, bytes, starts, &k, no_final, 2, BUNDLE_TRUNCATED, "no final");
	check_spliced(dir, bytes, starts, &k, repeated, 4, BUNDLE_DAMAGED, "repeated");
	check_spliced(dir, bytes, starts, &k, final_twice, 4, BUNDLE_DAMAGED, "final twice");

	/* The whole again, plus one byte after the final chunk. */
	size_t len = 0;
	unsigned char *b = assemble(bytes, starts, whole, 3, &len);
	assert_int_equal(len, n);
	b = xrealloc(b, n + 1);
	b[n] = '\n';
	assert_int_equal(refusal_of(dir, b, n + 1, &k, "appended", 0), BUNDLE_DAMAGED);
	free(b);

	/* Another bundle's chunks under this header: same key, another stream. */
	char *path2 = unit_path(dir, "big2.bundle");
	write_text(path2, &k, text);
	size_t n2 = 0;
	unsigned char *other = slurp(path2, &n2);
	assert_int_equal(n2, n);
	memcpy(other, bytes, SEALED_HEADER);
	assert_int_equal(refusal_of(dir, other, n, &k, "other stream", 0), BUNDLE_DAMAGED);

	/* A length no chunk can have is refused as damage before anything is read (the file is
	 * far shorter, so trying to read it would say truncated). */
	memcpy(other, bytes, n);
	memset(other + starts[1], 0xff, 4);
	assert_int_equal(refusal_of(dir, other, n, &k, "huge length", 0), BUNDLE_DAMAGED);
	other[starts[1]] = 0;
	other[starts[1] + 1] = 1;
	other[starts[1] + 2] = 0;
	other[starts[1] + 3] = 0x12; /* 64 KiB + 18: one more than a chunk can be */
	assert_int_equal(refusal_of(dir, other, n, &k, "long length", 0), BUNDLE_DAMAGED);
	free(other);
	free(path2);
	free(bytes);
	free(text);
	free(path);
}

/* A sealed bundle made by hand, from the layout bundle.c documents, chunk by chunk. */
struct hand_chunk {
	const char *text;
	unsigned char tag;
	int with_ad; /* authenticated with the header before the secretstream header */
};

static void put_be32(struct strbuf *sb, size_t v)
{
	const char b[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
	sb_addn(sb, b, 4);
}

static unsigned char *hand_made(const struct shelter_key *key, const struct hand_chunk *chunks,
				size_t nchunks, size_t *len)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_addn(&sb, "HUSLYBNDL\x01S", PREFIX_LEN);
	sb_addn(&sb, (const char *)key->id, KEY_ID_BYTES);
	unsigned char ad[PREFIX_LEN + KEY_ID_BYTES];
	memcpy(ad, sb.buf, sizeof(ad));
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	assert_int_equal(crypto_secretstream_xchacha20poly1305_init_push(&st, header, key->key), 0);
	sb_addn(&sb, (const char *)header, sizeof(header));
	for (size_t i = 0; i < nchunks; i++) {
		size_t n = strlen(chunks[i].text);
		unsigned char c[256];
		unsigned long long clen = 0;
		assert_true(n + crypto_secretstream_xchacha20poly1305_ABYTES <= sizeof(c));
		crypto_secretstream_xchacha20poly1305_push(
		    &st, c, &clen, (const unsigned char *)chunks[i].text, n,
		    chunks[i].with_ad ? ad : NULL, chunks[i].with_ad ? sizeof(ad) : 0, chunks[i].tag);
		put_be32(&sb, (size_t)clen);
		sb_addn(&sb, (const char *)c, (size_t)clen);
	}
	*len = sb.len;
	unsigned char *out = xmalloc(sb.len);
	memcpy(out, sb.buf, sb.len);
	sb_free(&sb);
	return out;
}

/* The reader takes what the layout says, and refuses chunks a husly writer never makes. */
static void test_hand_made_chunks(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	const unsigned char MSG = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
			    FIN = crypto_secretstream_xchacha20poly1305_TAG_FINAL,
			    PUSH = crypto_secretstream_xchacha20poly1305_TAG_PUSH,
			    REKEY = crypto_secretstream_xchacha20poly1305_TAG_REKEY;
	const struct hand_chunk good[] = {{"a\nb", MSG, 1}, {"", MSG, 0}, {"c\n", FIN, 0}};
	const struct hand_chunk no_ad[] = {{"a\n", MSG, 0}, {"", FIN, 0}};
	const struct hand_chunk ad_twice[] = {{"a\n", MSG, 1}, {"", FIN, 1}};
	const struct hand_chunk push[] = {{"a\n", PUSH, 1}, {"", FIN, 0}};
	const struct hand_chunk rekey[] = {{"a\n", REKEY, 1}, {"", FIN, 0}};
	const struct hand_chunk no_final[] = {{"a\n", MSG, 1}};
	struct {
		const struct hand_chunk *chunks;
		size_t n;
		enum bundle_problem want;
	} cases[] = {
	    {no_ad, ARRAY_SIZE(no_ad), BUNDLE_DAMAGED},
	    {ad_twice, ARRAY_SIZE(ad_twice), BUNDLE_DAMAGED},
	    {push, ARRAY_SIZE(push), BUNDLE_DAMAGED},
	    {rekey, ARRAY_SIZE(rekey), BUNDLE_DAMAGED},
	    {no_final, ARRAY_SIZE(no_final), BUNDLE_TRUNCATED},
	};
	size_t n = 0;
	unsigned char *b = hand_made(&k, good, ARRAY_SIZE(good), &n);
	char *path = unit_path(dir, "hand.bundle");
	unit_write_bytes(path, b, n);
	struct outcome o = read_path(path, &k, 0);
	if (o.rc != 0)
		fail_msg("hand-made bundle refused: %s", o.err);
	assert_string_equal(o.text.buf, "a\nbc\n"); /* lines join across chunks */
	outcome_free(&o);
	free(b);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		b = hand_made(&k, cases[i].chunks, cases[i].n, &n);
		enum bundle_problem p = refusal_of(dir, b, n, &k, "hand-made", i);
		if (p != cases[i].want)
			fail_msg("hand-made case %zu: problem %d, not %d", i, (int)p,
				 (int)cases[i].want);
		free(b);
	}
	free(path);
}

/* A line of 16 MiB is read; one byte more is refused as damage. */
static void test_line_limit(void **state)
{
	const char *dir = *state;
	struct shelter_key k;
	make_key(dir, "shelter.key", &k);
	char *path = unit_path(dir, "long.bundle");
	char *text = xmalloc(LINE_MAX_LEN + 3);
	memset(text, 'z', LINE_MAX_LEN + 1);
	text[LINE_MAX_LEN + 1] = '\n';
	text[LINE_MAX_LEN + 2] = '\0';
	for (int sealed = 0; sealed <= 1; sealed++) {
		write_text(path, sealed ? &k : NULL, text + 1);
		struct outcome o = read_path(path, &k, 1);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.text.len, LINE_MAX_LEN + 1);
		outcome_free(&o);

		write_text(path, sealed ? &k : NULL, text);
		o = read_path(path, &k, 1);
		assert_int_equal(o.rc, -1);
		assert_int_equal(o.problem, BUNDLE_DAMAGED);
		assert_contains(o.err, "damaged or altered");
		outcome_free(&o);
	}
	free(text);
	free(path);
}

static void test_write_error(void **state)
{
	struct shelter_key k;
	make_key(*state, "shelter.key", &k);
	for (int sealed = 0; sealed <= 1; sealed++) {
		FILE *f = fopen("/dev/full", "wb");
		if (!f)
			skip();
		char *err = NULL;
		struct bundle_writer *w = bundle_writer_open(f, sealed ? &k : NULL, &err);
		assert_non_null(w); /* the header waits in stdio's buffer */
		char text[1000];
		memset(text, 'q', sizeof(text));
		int rc = 0;
		for (int i = 0; i < 200 && rc == 0; i++)
			rc = bundle_write(w, text, sizeof(text), &err);
		if (rc != 0) {
			assert_contains(err, "cannot write the bundle: No space left on device");
			free(err);
			err = NULL;
		}
		assert_int_equal(bundle_writer_close(w, &err), -1);
		assert_contains(err, "cannot write the bundle: No space left on device");
		free(err);
		fclose(f);
	}
}

static void test_read_error(void **state)
{
	const char *dir = *state;
	FILE *f = fopen(dir, "rb"); /* a directory: opens, and then reading it fails */
	if (!f)
		skip();
	struct outcome o = read_stream(f, NULL, 1);
	assert_int_equal(o.problem, BUNDLE_IO);
	assert_contains(o.err, "cannot read the bundle: Is a directory");
	outcome_free(&o);
	fclose(f);
}

int main(void)
{
	unit_pin_english();
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, unit_setup_tmpdir, unit_teardown_tmpdir)
		T(test_key_generated_private_and_kept),
		T(test_key_loaded),
		T(test_key_open_to_others_refused),
		T(test_key_garbage_refused),
		T(test_round_trip_sealed),
		T(test_round_trip_plain),
		T(test_empty_bundles),
		T(test_unended_last_line),
		T(test_whole_chunks),
		T(test_plain_trailer_lookalike),
		T(test_wrong_and_missing_key),
		T(test_plain_refused_unless_allowed),
		T(test_newer_format_refused),
		T(test_not_a_bundle),
		T(test_truncated_everywhere),
		T(test_flipped_everywhere),
		T(test_chunks_rearranged),
		T(test_hand_made_chunks),
		T(test_line_limit),
		T(test_write_error),
		T(test_read_error),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
