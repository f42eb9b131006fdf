/* The sync bundle container and the shelter key file; see bundle.h for what they are for.
 *
 * On disk (all numbers big-endian):
 *
 *   "HUSLYBNDL"  version (1 byte, BUNDLE_FORMAT)  kind (1 byte: 'S' sealed, 'P' plain)
 *
 * sealed:  key id (8)  secretstream header (24)
 *          then chunks: length of the ciphertext (4)  ciphertext (length bytes), each holding
 *          at most 64 KiB of text; the first is authenticated together with the 19 bytes
 *          before the secretstream header, the last (and only the last) is tagged FINAL.
 * plain:   the text, followed by a newline if it did not end with one, then the trailer line
 *          "#husly-end COUNT HASH\n": COUNT the bytes between the header and the trailer,
 *          HASH their BLAKE2b-256 in lowercase hex. It is the trailer only as the last line of
 *          the file, so the text may hold any bytes.
 *
 * The text is personal data: every buffer that held it (or key material) is wiped before it is
 * freed, and no message quotes a byte of a bundle or a key. */
#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "filemode.h"

#include "i18n.h"
#include "util.h"

#define MAGIC         "HUSLYBNDL"
#define MAGIC_LEN     9
#define PREFIX_LEN    (MAGIC_LEN + 2) /* magic, version, kind */
#define SEALED_AD_LEN (PREFIX_LEN + KEY_ID_BYTES)
#define KIND_SEALED   'S'
#define KIND_PLAIN    'P'
#define SS_HEADER_LEN crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES     crypto_secretstream_xchacha20poly1305_ABYTES
#define TAG_MESSAGE   crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define TAG_FINAL     crypto_secretstream_xchacha20poly1305_TAG_FINAL
#define CHUNK_TEXT    (64 * 1024)
#define CHUNK_MAX     (CHUNK_TEXT + SS_ABYTES) /* the longest ciphertext a writer makes */
#define LEN_BYTES     4
#define LINE_MAX_LEN  ((size_t)16 * 1024 * 1024)
#define HASH_LEN      32
#define TRAILER       "#husly-end "
#define TRAILER_LEN   (sizeof(TRAILER) - 1)

#define KEY_MAGIC     "husly-shelter-key-1 "
#define KEY_MAGIC_LEN (sizeof(KEY_MAGIC) - 1)
#define KEY_HEX_LEN   (2 * KEY_BYTES)
#define KEY_FILE_LEN  (KEY_MAGIC_LEN + KEY_HEX_LEN + 1)
#define KEY_ID_CTX    "husly-key-id"

_Static_assert(KEY_BYTES == crypto_secretstream_xchacha20poly1305_KEYBYTES,
	       "the shelter key is a secretstream key");
_Static_assert(sizeof(MAGIC) - 1 == MAGIC_LEN, "magic length");
_Static_assert(BUNDLE_FORMAT < 256, "the version is one byte");

/* The message for a failure; err may be NULL when the caller does not want it. */
static void set_err(char **err, char *msg)
{
	if (err)
		*err = msg;
	else
		free(msg);
}

static int crypto_ready(char **err)
{
	if (sodium_init() < 0) {
		set_err(err, xstrdup(_("cannot start the cryptography library (libsodium)")));
		return -1;
	}
	return 0;
}

/* Both the writer and the reader hold a BLAKE2b state, which libsodium declares 64-byte
 * aligned: more than malloc promises. Zeroed, like xcalloc. */
static void *alloc_aligned(size_t align, size_t size)
{
	size_t rounded = (size + align - 1) / align * align; /* C11 asks for a multiple */
	void *p = aligned_alloc(align, rounded);
	if (!p) {
		fputs("husly: out of memory\n", stderr);
		abort();
	}
	return memset(p, 0, rounded);
}

/* Wipes and frees a buffer that held text or key material. */
static void wipe_free(void *p, size_t n)
{
	if (p) {
		sodium_memzero(p, n);
		free(p);
	}
}

/* --- the key file ----------------------------------------------------------------------- */

static void derive_key_id(struct shelter_key *k)
{
	/* BLAKE2b keyed with the key: a fixed label in, so the id reveals nothing about the key.
	 * libsodium's shortest output is 16 bytes; the id is the first 8. */
	unsigned char h[crypto_generichash_BYTES];
	crypto_generichash(h, sizeof(h), (const unsigned char *)KEY_ID_CTX, strlen(KEY_ID_CTX),
			   k->key, sizeof(k->key));
	memcpy(k->id, h, sizeof(k->id));
	sodium_memzero(h, sizeof(h));
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO; /* write made no progress and said nothing */
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes the key text to the new file fd: 0, or -1 with errno set. */
static int write_key_text(int fd)
{
	unsigned char key[KEY_BYTES];
	char text[KEY_FILE_LEN + 1];
	randombytes_buf(key, sizeof(key));
	memcpy(text, KEY_MAGIC, KEY_MAGIC_LEN);
	sodium_bin2hex(text + KEY_MAGIC_LEN, KEY_HEX_LEN + 1, key, sizeof(key));
	text[KEY_FILE_LEN - 1] = '\n';
	/* 0600, or 0660 with the group of a shared install (filemode.h). */
	int rc = filemode_apply(fd);
	if (rc == 0)
		rc = write_all(fd, text, KEY_FILE_LEN);
	if (rc == 0)
		rc = fsync(fd);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(text, sizeof(text));
	return rc;
}

int key_generate_file(const char *path, char **err)
{
	if (crypto_ready(err) != 0)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
	if (fd < 0 && errno == EEXIST) {
		set_err(err, xasprintf(_("%s already exists; husly never replaces a shelter key"),
				       path));
		return -1;
	}
	if (fd < 0) {
		set_err(err, xasprintf(_("cannot create %s: %s"), path, strerror(errno)));
		return -1;
	}
	int rc = write_key_text(fd);
	int saved = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		/* We made the file (O_EXCL), so removing it removes only our half-written key. */
		unlink(path);
		set_err(err, xasprintf(_("cannot write %s: %s"), path, strerror(saved)));
	}
	return rc;
}

/* Reads the whole small file fd into buf (size n): the bytes read, or -1 with errno set. A
 * file longer than n fills buf, which is not the length of a key file either. */
static ssize_t read_small(int fd, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Decodes the key text (exactly KEY_FILE_LEN bytes): 0, or -1 when it is not a key. */
static int parse_key_text(const char *text, size_t len, struct shelter_key *out)
{
	if (len != KEY_FILE_LEN || memcmp(text, KEY_MAGIC, KEY_MAGIC_LEN) != 0 ||
	    text[KEY_FILE_LEN - 1] != '\n')
		return -1;
	const char *hex = text + KEY_MAGIC_LEN;
	/* Lowercase only: sodium_hex2bin also takes uppercase, and the format has one spelling. */
	for (size_t i = 0; i < KEY_HEX_LEN; i++) {
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return -1;
	}
	size_t bin_len = 0;
	int rc = sodium_hex2bin(out->key, sizeof(out->key), hex, KEY_HEX_LEN, NULL, &bin_len, NULL);
	if (rc != 0 || bin_len != KEY_BYTES)
		return -1;
	derive_key_id(out);
	return 0;
}

/* Refuses a key file others may read or change: the key opens every bundle of the shelter. */
static int check_key_mode(const char *path, const struct stat *st, char **err)
{
	if (!S_ISREG(st->st_mode)) {
		set_err(err, xasprintf(_("%s is not a husly shelter key"), path));
		return -1;
	}
	if (st->st_mode & S_IROTH) {
		set_err(err, xasprintf(_("%s can be read by others; chmod 600 %s"), path, path));
		return -1;
	}
	if (st->st_mode & S_IWOTH) {
		set_err(err, xasprintf(_("%s can be changed by others; chmod 600 %s"), path, path));
		return -1;
	}
	/* Its group may read it only on a shared install, and only that install's group. */
	char *problem = NULL;
	if (filemode_check_private(path, _("the shelter key"), &problem) != 0) {
		set_err(err, problem);
		return -1;
	}
	return 0;
}

int key_load_file(const char *path, struct shelter_key *out, char **err)
{
	sodium_memzero(out, sizeof(*out));
	if (crypto_ready(err) != 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_err(err, xasprintf(_("cannot read %s: %s"), path, strerror(errno)));
		return -1;
	}
	struct stat st;
	char text[KEY_FILE_LEN + 1]; /* one more: a longer file is told apart */
	int rc = -1;
	if (fstat(fd, &st) != 0) {
		set_err(err, xasprintf(_("cannot read %s: %s"), path, strerror(errno)));
	} else if (check_key_mode(path, &st, err) == 0) {
		ssize_t n = read_small(fd, text, sizeof(text));
		if (n < 0)
			set_err(err, xasprintf(_("cannot read %s: %s"), path, strerror(errno)));
		else if (parse_key_text(text, (size_t)n, out) != 0)
			set_err(err, xasprintf(_("%s is not a husly shelter key"), path));
		else
			rc = 0;
	}
	close(fd);
	sodium_memzero(text, sizeof(text));
	if (rc != 0)
		sodium_memzero(out, sizeof(*out));
	return rc;
}

/* --- writing ---------------------------------------------------------------------------- */

struct bundle_writer {
	crypto_generichash_state hash; /* plain: of the bytes before the trailer */
	crypto_secretstream_xchacha20poly1305_state ss;
	FILE *out;
	int sealed;
	int saved_errno;                 /* a write failed (nonzero): nothing more is written */
	int pushed;                      /* sealed: a chunk is out, so the header is bound */
	unsigned char ad[SEALED_AD_LEN]; /* the header before the secretstream header */
	unsigned char *text;             /* sealed: text waiting for a full chunk */
	size_t text_len;
	unsigned char *chunk;     /* sealed: length + ciphertext of one chunk */
	unsigned long long total; /* plain: bytes written before the trailer */
	int at_line_start;        /* plain: the text so far is empty or ends in '\n' */
};

static char *write_error(int errnum)
{
	return xasprintf(_("cannot write the bundle: %s"), strerror(errnum));
}

static int put(struct bundle_writer *w, const void *p, size_t n, char **err)
{
	errno = 0;
	if (fwrite(p, 1, n, w->out) != n) {
		w->saved_errno = errno ? errno : EIO; /* a short fwrite need not set errno */
		set_err(err, write_error(w->saved_errno));
		return -1;
	}
	return 0;
}

static void put_be32(unsigned char *p, unsigned long long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Seals the waiting text as one chunk and writes it. */
static int push_chunk(struct bundle_writer *w, unsigned char tag, char **err)
{
	unsigned long long clen = 0;
	/* The first chunk carries the clear header as additional data: changing the version,
	 * kind or key id then fails authentication instead of going unnoticed. */
	const unsigned char *ad = w->pushed ? NULL : w->ad;
	unsigned long long ad_len = w->pushed ? 0 : sizeof(w->ad);
	crypto_secretstream_xchacha20poly1305_push(&w->ss, w->chunk + LEN_BYTES, &clen, w->text,
						   w->text_len, ad, ad_len, tag);
	w->pushed = 1;
	sodium_memzero(w->text, w->text_len);
	w->text_len = 0;
	put_be32(w->chunk, clen);
	return put(w, w->chunk, LEN_BYTES + (size_t)clen, err);
}

static int start_sealed(struct bundle_writer *w, const struct shelter_key *key, char **err)
{
	unsigned char header[SS_HEADER_LEN];
	memcpy(w->ad + PREFIX_LEN, key->id, KEY_ID_BYTES);
	crypto_secretstream_xchacha20poly1305_init_push(&w->ss, header, key->key);
	w->text = xmalloc(CHUNK_TEXT);
	w->chunk = xmalloc(LEN_BYTES + CHUNK_MAX);
	if (put(w, w->ad, SEALED_AD_LEN, err) != 0)
		return -1;
	return put(w, header, sizeof(header), err);
}

static int start_plain(struct bundle_writer *w, char **err)
{
	crypto_generichash_init(&w->hash, NULL, 0, HASH_LEN);
	w->at_line_start = 1;
	return put(w, w->ad, PREFIX_LEN, err);
}

static void writer_free(struct bundle_writer *w)
{
	wipe_free(w->text, CHUNK_TEXT);
	free(w->chunk); /* ciphertext only */
	sodium_memzero(w, sizeof(*w));
	free(w);
}

struct bundle_writer *bundle_writer_open(FILE *out, const struct shelter_key *key, char **err)
{
	if (crypto_ready(err) != 0)
		return NULL;
	struct bundle_writer *w = alloc_aligned(alignof(struct bundle_writer), sizeof(*w));
	w->out = out;
	w->sealed = key != NULL;
	memcpy(w->ad, MAGIC, MAGIC_LEN);
	w->ad[MAGIC_LEN] = BUNDLE_FORMAT;
	w->ad[MAGIC_LEN + 1] = w->sealed ? KIND_SEALED : KIND_PLAIN;
	int rc = w->sealed ? start_sealed(w, key, err) : start_plain(w, err);
	if (rc != 0) {
		writer_free(w);
		return NULL;
	}
	return w;
}

static int write_sealed(struct bundle_writer *w, const char *data, size_t n, char **err)
{
	while (n > 0) {
		size_t take = CHUNK_TEXT - w->text_len;
		if (take > n)
			take = n;
		memcpy(w->text + w->text_len, data, take);
		w->text_len += take;
		data += take;
		n -= take;
		/* Only full chunks go out here: the last one, final, is bundle_writer_close's. */
		if (w->text_len == CHUNK_TEXT && push_chunk(w, TAG_MESSAGE, err) != 0)
			return -1;
	}
	return 0;
}

static int write_plain(struct bundle_writer *w, const char *data, size_t n, char **err)
{
	if (n == 0)
		return 0;
	crypto_generichash_update(&w->hash, (const unsigned char *)data, n);
	w->total += n;
	w->at_line_start = data[n - 1] == '\n';
	return put(w, data, n, err);
}

int bundle_write(struct bundle_writer *w, const char *data, size_t n, char **err)
{
	if (w->saved_errno) {
		set_err(err, write_error(w->saved_errno));
		return -1;
	}
	return w->sealed ? write_sealed(w, data, n, err) : write_plain(w, data, n, err);
}

/* The trailer starts a line of its own, so a newline ends unfinished text; it is counted and
 * hashed like the text, as the reader sees it. */
static int finish_plain(struct bundle_writer *w, char **err)
{
	if (!w->at_line_start && write_plain(w, "\n", 1, err) != 0)
		return -1;
	unsigned char hash[HASH_LEN];
	char hex[2 * HASH_LEN + 1];
	crypto_generichash_final(&w->hash, hash, sizeof(hash));
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	char *trailer = xasprintf(TRAILER "%llu %s\n", w->total, hex);
	int rc = put(w, trailer, strlen(trailer), err);
	free(trailer);
	return rc;
}

int bundle_writer_close(struct bundle_writer *w, char **err)
{
	int rc = -1;
	if (w->saved_errno)
		set_err(err, write_error(w->saved_errno));
	else if (w->sealed)
		rc = push_chunk(w, TAG_FINAL, err);
	else
		rc = finish_plain(w, err);
	errno = 0;
	if (rc == 0 && fflush(w->out) != 0) {
		set_err(err, write_error(errno ? errno : EIO));
		rc = -1;
	}
	writer_free(w);
	return rc;
}

/* --- reading ---------------------------------------------------------------------------- */

struct bundle_reader {
	crypto_generichash_state hash; /* plain: of the lines handed out, with their newlines */
	crypto_secretstream_xchacha20poly1305_state ss;
	FILE *in;
	int sealed;
	int version;                     /* the bundle's container version */
	enum bundle_problem problem;     /* once refused, every later call says it again */
	int saved_errno;                 /* for BUNDLE_IO */
	int done;                        /* the verified end was reached */
	int final_seen;                  /* sealed: the FINAL chunk is in */
	int pulled;                      /* sealed: the first chunk (with the header as ad) */
	unsigned char ad[SEALED_AD_LEN]; /* the header as read */
	unsigned char *cipher;           /* sealed: one chunk as read */
	unsigned char *text;             /* the current chunk of text (plain: as read) */
	size_t text_len, text_pos;
	char *line; /* the line being handed out, NUL-terminated */
	size_t line_len, line_cap;
	unsigned long long total; /* plain: bytes of the lines handed out */
};

static int fail(struct bundle_reader *r, enum bundle_problem p)
{
	r->problem = p;
	return -1;
}

static int fail_io(struct bundle_reader *r)
{
	r->saved_errno = errno ? errno : EIO;
	return fail(r, BUNDLE_IO);
}

static char *problem_text(const struct bundle_reader *r)
{
	switch (r->problem) {
	case BUNDLE_NOT_A_BUNDLE: return xstrdup(_("not a husly bundle"));
	case BUNDLE_NEWER:
		return xasprintf(
		    _("made by a newer version of husly (bundle format %d); update husly"),
		    r->version);
	case BUNDLE_WRONG_KEY: return xstrdup(_("sealed with another shelter key"));
	case BUNDLE_NEEDS_KEY:
		return xstrdup(_("sealed with a shelter key, and none is configured (sync_key_file "
				 "in husly.conf)"));
	case BUNDLE_PLAIN:
		return xstrdup(_("a plain (unencrypted) bundle; import it with --plaintext if you "
				 "trust where it came from"));
	case BUNDLE_TRUNCATED: return xstrdup(_("truncated: it ends before its end"));
	case BUNDLE_DAMAGED: return xstrdup(_("damaged or altered"));
	case BUNDLE_IO: return xasprintf(_("cannot read the bundle: %s"), strerror(r->saved_errno));
	case BUNDLE_OK: break;
	}
	return xstrdup("internal error: no bundle problem");
}

static void report(const struct bundle_reader *r, enum bundle_problem *problem, char **err)
{
	if (problem)
		*problem = r->problem;
	set_err(err, problem_text(r));
}

/* Reads exactly n bytes: 0, or -1 (TRUNCATED at the end of the file, IO on an error). */
static int read_exact(struct bundle_reader *r, void *buf, size_t n)
{
	errno = 0;
	if (fread(buf, 1, n, r->in) == n)
		return 0;
	return ferror(r->in) ? fail_io(r) : fail(r, BUNDLE_TRUNCATED);
}

static unsigned long read_be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
	       (unsigned long)p[3];
}

/* After the final chunk the file must end: more is not ours, and a reader that ignored it
 * would let bytes ride along unchecked. */
static int expect_eof(struct bundle_reader *r)
{
	errno = 0;
	if (fgetc(r->in) != EOF)
		return fail(r, BUNDLE_DAMAGED);
	return ferror(r->in) ? fail_io(r) : 0;
}

/* Reads, checks and decrypts the next chunk into r->text: 1, 0 after the final chunk, -1. */
static int pull_chunk(struct bundle_reader *r)
{
	if (r->final_seen)
		return 0;
	unsigned char len_bytes[LEN_BYTES];
	if (read_exact(r, len_bytes, sizeof(len_bytes)) != 0)
		return -1; /* TRUNCATED here means no final chunk */
	unsigned long clen = read_be32(len_bytes);
	/* Checked before reading, so a damaged length cannot make us read (or allocate) much. */
	if (clen < SS_ABYTES || clen > CHUNK_MAX)
		return fail(r, BUNDLE_DAMAGED);
	if (read_exact(r, r->cipher, clen) != 0)
		return -1;
	unsigned long long mlen = 0;
	unsigned char tag = 0;
	const unsigned char *ad = r->pulled ? NULL : r->ad;
	unsigned long long ad_len = r->pulled ? 0 : sizeof(r->ad);
	if (crypto_secretstream_xchacha20poly1305_pull(&r->ss, r->text, &mlen, &tag, r->cipher,
						       clen, ad, ad_len) != 0)
		return fail(r, BUNDLE_DAMAGED);
	r->pulled = 1;
	r->text_len = (size_t)mlen;
	r->text_pos = 0;
	if (tag == TAG_FINAL) {
		r->final_seen = 1;
		return expect_eof(r) != 0 ? -1 : 1;
	}
	return tag == TAG_MESSAGE ? 1 : fail(r, BUNDLE_DAMAGED); /* we never write others */
}

/* Reads the next piece of a plain bundle into r->text: 1, 0 at the end of the file, -1. */
static int read_plain_piece(struct bundle_reader *r)
{
	errno = 0;
	size_t n = fread(r->text, 1, CHUNK_TEXT, r->in);
	if (n == 0)
		return ferror(r->in) ? fail_io(r) : 0;
	r->text_len = n;
	r->text_pos = 0;
	return 1;
}

static int refill(struct bundle_reader *r)
{
	sodium_memzero(r->text, r->text_len);
	r->text_len = r->text_pos = 0;
	return r->sealed ? pull_chunk(r) : read_plain_piece(r);
}

/* Appends n bytes to the line; a line longer than any husly writes is damage. */
static int line_append(struct bundle_reader *r, const unsigned char *p, size_t n)
{
	if (n > LINE_MAX_LEN - r->line_len)
		return fail(r, BUNDLE_DAMAGED);
	size_t need = r->line_len + n + 1;
	if (need > r->line_cap) {
		/* Grown by hand, not realloc: the old copy of the text must be wiped. */
		size_t cap = r->line_cap * 2 > need ? r->line_cap * 2 : need;
		if (cap > LINE_MAX_LEN + 1)
			cap = LINE_MAX_LEN + 1;
		char *bigger = xmalloc(cap);
		memcpy(bigger, r->line, r->line_len);
		wipe_free(r->line, r->line_cap);
		r->line = bigger;
		r->line_cap = cap;
	}
	memcpy(r->line + r->line_len, p, n);
	r->line_len += n;
	r->line[r->line_len] = '\0';
	return 0;
}

/* Gathers the next line into r->line, without its newline: 1 for a whole line, 0 at the end
 * of the text with what is left of it (perhaps nothing), -1 refused. */
static int gather_line(struct bundle_reader *r)
{
	sodium_memzero(r->line, r->line_len);
	r->line_len = 0;
	for (;;) {
		if (r->text_pos == r->text_len) {
			int rc = refill(r);
			if (rc <= 0)
				return rc;
			continue;
		}
		const unsigned char *start = r->text + r->text_pos;
		size_t avail = r->text_len - r->text_pos;
		const unsigned char *nl = memchr(start, '\n', avail);
		size_t take = nl ? (size_t)(nl - start) : avail;
		if (line_append(r, start, take) != 0)
			return -1;
		r->text_pos += nl ? take + 1 : take;
		if (nl)
			return 1;
	}
}

/* Whether the file ends here, after the line just gathered: 1, 0, -1 refused. */
static int at_eof(struct bundle_reader *r)
{
	if (r->text_pos < r->text_len)
		return 0;
	int rc = refill(r);
	return rc < 0 ? -1 : !rc;
}

/* Parses the decimal count at *s (no sign, no leading zero); advances *s. */
static int parse_count(const char **s, const char *end, unsigned long long *out)
{
	const char *p = *s;
	unsigned long long v = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');
		if (v > (ULLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		p++;
	}
	if (p == *s || (p - *s > 1 && **s == '0'))
		return -1;
	*s = p;
	*out = v;
	return 0;
}

/* Checks the trailer line against the text handed out: 0 (the verified end) or -1. */
static int check_trailer(struct bundle_reader *r)
{
	const char *s = r->line + TRAILER_LEN, *end = r->line + r->line_len;
	unsigned long long count = 0;
	if (parse_count(&s, end, &count) != 0 || end - s != 1 + 2 * HASH_LEN || *s != ' ')
		return fail(r, BUNDLE_DAMAGED);
	s++;
	for (const char *p = s; p < end; p++) {
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return fail(r, BUNDLE_DAMAGED);
	}
	unsigned char want[HASH_LEN], got[HASH_LEN];
	size_t bin_len = 0;
	if (sodium_hex2bin(want, sizeof(want), s, 2 * HASH_LEN, NULL, &bin_len, NULL) != 0)
		return fail(r, BUNDLE_DAMAGED);
	crypto_generichash_final(&r->hash, got, sizeof(got));
	if (count != r->total || sodium_memcmp(want, got, sizeof(got)) != 0)
		return fail(r, BUNDLE_DAMAGED);
	r->done = 1;
	return 0;
}

static int next_sealed(struct bundle_reader *r)
{
	int rc = gather_line(r);
	if (rc < 0)
		return -1;
	if (rc == 0 && r->line_len == 0) {
		r->done = 1; /* the final chunk is verified, and nothing follows it */
		return 0;
	}
	return 1; /* a whole line, or text that did not end in a newline */
}

static int next_plain(struct bundle_reader *r)
{
	int rc = gather_line(r);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return fail(r, BUNDLE_TRUNCATED); /* the end of the file before the trailer */
	if (r->line_len >= TRAILER_LEN && memcmp(r->line, TRAILER, TRAILER_LEN) == 0) {
		int eof = at_eof(r);
		if (eof < 0)
			return -1;
		if (eof)
			return check_trailer(r);
	}
	crypto_generichash_update(&r->hash, (const unsigned char *)r->line, r->line_len);
	crypto_generichash_update(&r->hash, (const unsigned char *)"\n", 1);
	r->total += r->line_len + 1;
	return 1;
}

int bundle_read_line(struct bundle_reader *r, const char **line, size_t *len,
		     enum bundle_problem *problem, char **err)
{
	int rc = 0;
	if (r->problem != BUNDLE_OK)
		rc = -1;
	else if (!r->done)
		rc = r->sealed ? next_sealed(r) : next_plain(r);
	if (rc < 0) {
		report(r, problem, err);
		return -1;
	}
	if (problem)
		*problem = BUNDLE_OK;
	*line = r->line;
	*len = rc == 1 ? r->line_len : 0;
	if (rc == 0)
		r->line[0] = '\0';
	return rc;
}

/* The rest of a sealed header: the key id, checked against key, and the secretstream header. */
static int open_sealed(struct bundle_reader *r, const struct shelter_key *key)
{
	unsigned char header[SS_HEADER_LEN];
	if (read_exact(r, r->ad + PREFIX_LEN, KEY_ID_BYTES) != 0 ||
	    read_exact(r, header, sizeof(header)) != 0)
		return -1;
	if (!key)
		return fail(r, BUNDLE_NEEDS_KEY);
	if (sodium_memcmp(r->ad + PREFIX_LEN, key->id, KEY_ID_BYTES) != 0)
		return fail(r, BUNDLE_WRONG_KEY);
	if (crypto_secretstream_xchacha20poly1305_init_pull(&r->ss, header, key->key) != 0)
		return fail(r, BUNDLE_DAMAGED);
	r->sealed = 1;
	r->cipher = xmalloc(CHUNK_MAX);
	return 0;
}

static int read_header(struct bundle_reader *r, const struct shelter_key *key, int allow_plain)
{
	errno = 0;
	size_t got = fread(r->ad, 1, PREFIX_LEN, r->in);
	if (got < PREFIX_LEN && ferror(r->in))
		return fail_io(r);
	/* Cut short inside the magic is a truncated bundle (an interrupted copy, often empty);
	 * different bytes are something else. */
	if (memcmp(r->ad, MAGIC, got < MAGIC_LEN ? got : MAGIC_LEN) != 0)
		return fail(r, BUNDLE_NOT_A_BUNDLE);
	if (got < PREFIX_LEN)
		return fail(r, BUNDLE_TRUNCATED);
	r->version = r->ad[MAGIC_LEN];
	if (r->version > BUNDLE_FORMAT)
		return fail(r, BUNDLE_NEWER); /* before the kind: a newer format may add kinds */
	if (r->version == 0)
		return fail(r, BUNDLE_DAMAGED);
	unsigned char kind = r->ad[MAGIC_LEN + 1];
	if (kind == KIND_SEALED)
		return open_sealed(r, key);
	if (kind != KIND_PLAIN)
		return fail(r, BUNDLE_DAMAGED);
	if (!allow_plain)
		return fail(r, BUNDLE_PLAIN);
	crypto_generichash_init(&r->hash, NULL, 0, HASH_LEN);
	return 0;
}

struct bundle_reader *bundle_reader_open(FILE *in, const struct shelter_key *key,
					 int allow_plain, enum bundle_problem *problem,
					 char **err)
{
	if (problem)
		*problem = BUNDLE_OK;
	if (crypto_ready(err) != 0) {
		if (problem)
			*problem = BUNDLE_IO;
		return NULL;
	}
	struct bundle_reader *r = alloc_aligned(alignof(struct bundle_reader), sizeof(*r));
	r->in = in;
	r->text = xmalloc(CHUNK_TEXT);
	r->line_cap = 256;
	r->line = xcalloc(1, r->line_cap);
	if (read_header(r, key, allow_plain) != 0) {
		report(r, problem, err);
		bundle_reader_close(r);
		return NULL;
	}
	return r;
}

int bundle_is_sealed(const struct bundle_reader *r)
{
	return r->sealed;
}

void bundle_reader_close(struct bundle_reader *r)
{
	if (!r)
		return;
	wipe_free(r->text, CHUNK_TEXT);
	wipe_free(r->line, r->line_cap);
	free(r->cipher); /* ciphertext only */
	sodium_memzero(r, sizeof(*r));
	free(r);
}
