/* The bundle file that carries changes between terminals (husly export / import), and the
 * shelter key that seals it. The content is text (JSON Lines, written and read by sync.c); this
 * module only packs it:
 *
 *  - sealed (the default): encrypted and authenticated with the shelter key by libsodium's
 *    secretstream (XChaCha20-Poly1305), in chunks, the last one marked final, so a lost USB
 *    stick leaks nothing and a truncated, reordered or altered bundle is refused;
 *  - plain (only on request, --plaintext): the text with a BLAKE2b checksum at the end, which
 *    finds damage but proves nothing about who wrote it.
 *
 * A reader hands out lines as it goes and says at the end whether the whole bundle was intact:
 * the caller applies the lines inside a transaction and rolls back unless bundle_read_line
 * returned 0 (the verified end). Every refusal says which it is (see bundle_problem). */
#ifndef HUSLY_BUNDLE_H
#define HUSLY_BUNDLE_H

#include <stddef.h>
#include <stdio.h>

#define BUNDLE_FORMAT 1 /* the container's version; a newer one is refused */
#define KEY_BYTES 32
#define KEY_ID_BYTES 8

/* The shelter key: the same file on every terminal of a shelter (and its coordinator). */
struct shelter_key {
	unsigned char key[KEY_BYTES];
	unsigned char id[KEY_ID_BYTES]; /* derived from the key, written in clear in each bundle, so
					 * a bundle sealed with another key is told apart from a
					 * damaged one */
};

/* Makes a new random key file at path, mode 0600; refuses to replace an existing file. */
int key_generate_file(const char *path, char **err);
/* Reads a key file. Refuses a file that others than its owner (and group) may read, one that is
 * not a husly key, or a damaged one, saying which. */
int key_load_file(const char *path, struct shelter_key *out, char **err);

/* Why a bundle is refused. */
enum bundle_problem {
	BUNDLE_OK,
	BUNDLE_NOT_A_BUNDLE, /* not a husly bundle at all */
	BUNDLE_NEWER,        /* made by a newer husly: a container version above BUNDLE_FORMAT */
	BUNDLE_WRONG_KEY,    /* sealed with another shelter key */
	BUNDLE_NEEDS_KEY,    /* sealed, and no key is configured here */
	BUNDLE_PLAIN,        /* plain, and plain bundles were not allowed */
	BUNDLE_TRUNCATED,    /* ends before its end */
	BUNDLE_DAMAGED,      /* altered or damaged: authentication or checksum failed */
	BUNDLE_IO,           /* could not read */
};

struct bundle_writer;
/* Starts a bundle on out: sealed with key, or plain when key is NULL. */
struct bundle_writer *bundle_writer_open(FILE *out, const struct shelter_key *key, char **err);
/* Adds text (any bytes; lines are the caller's business). */
int bundle_write(struct bundle_writer *w, const char *data, size_t n, char **err);
/* Finishes the bundle (the final chunk, or the checksum) and flushes out; frees w either way.
 * Returns 0, or -1 with *err set (a write error). */
int bundle_writer_close(struct bundle_writer *w, char **err);

struct bundle_reader;
/* Starts reading a bundle from in. key may be NULL (no key configured); allow_plain accepts a
 * plain bundle. On refusal returns NULL with *problem and *err set. */
struct bundle_reader *bundle_reader_open(FILE *in, const struct shelter_key *key,
					 int allow_plain, enum bundle_problem *problem,
					 char **err);
/* Whether the bundle being read is sealed (1) or plain (0). */
int bundle_is_sealed(const struct bundle_reader *r);
/* The next line of the text, without its newline, in *line (valid until the next call; len
 * bytes, NUL-terminated). Returns 1 for a line, 0 at the end once the whole bundle is verified,
 * -1 with *problem and *err set when it is not intact. Lines longer than max_line are
 * refused as damaged. */
int bundle_read_line(struct bundle_reader *r, const char **line, size_t *len,
		     enum bundle_problem *problem, char **err);
void bundle_reader_close(struct bundle_reader *r);

#endif
