/* Small helpers shared by every layer: allocation that cannot fail silently, strings. */
#ifndef HUSLY_UTIL_H
#define HUSLY_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* NULL stays NULL. */
char *xstrdup_or_null(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Copies src into dst of size n, always terminated; returns dst. */
char *strlcpy_trunc(char *dst, const char *src, size_t n);
int str_empty(const char *s);
int str_eq(const char *a, const char *b);

/* Parses a whole decimal number in [min, max]; returns 0 on success. */
int parse_long(const char *s, long min, long max, long *out);
int parse_int64(const char *s, long long *out);

/* A growing string. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
void sb_init(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *sb);

#endif
