/* Text as staff type it: any UTF-8, possibly with control characters or escape sequences. This
 * module decodes it, folds names for search, and says what may never reach a terminal raw. */
#ifndef HUSLY_TEXT_H
#define HUSLY_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#define REPLACEMENT_CHAR 0xFFFD

/* Decodes one character from s (at most len bytes); returns the bytes used (at least 1, so a
 * loop always advances). Malformed or overlong input gives REPLACEMENT_CHAR. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Whether the len bytes at s are UTF-8 text: well-formed, no NUL. husly writes nothing else. */
int text_is_utf8(const char *s, size_t len);
/* Encodes cp into out (4 bytes at most); returns the length. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Characters never written raw to a terminal: C0 and C1 controls, DEL, and the bidirectional
 * overrides that can make text lie about its order. */
int text_is_unsafe(uint32_t cp);

/* An ASCII stand-in for a letter on a terminal that cannot show it ("ø" -> "oe"), or NULL. */
const char *text_ascii(uint32_t cp);

/* The search key of a name: lower case, Danish letters and their spellings folded together
 * ("Søren Ærø", "Soeren Aeroe" and "Soren Aro" all give "soren aro"), punctuation to single
 * spaces, trimmed. Returns a new string. */
char *text_fold(const char *s);

/* A copy of s safe to print to a terminal: unsafe characters and malformed bytes become '?'. */
char *text_sanitize(const char *s);

/* Writes s to f with unsafe characters as '?', keeping newlines and tabs. */
void text_fput_safe(const char *s, FILE *f);
/* printf to stderr through text_fput_safe: for messages that quote paths, names or values. */
void eprintf_safe(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same to stdout. */
void printf_safe(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
