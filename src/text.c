#include "text.h"

#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

size_t utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	*cp = REPLACEMENT_CHAR;
	if (len == 0)
		return 1;
	unsigned char c = s[0];
	size_t need;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		need = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 1;
	}
	if (len < need)
		return 1;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 1;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 1;
	*cp = v;
	return need;
}

int text_is_utf8(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		/* A real U+FFFD takes 3 bytes; a malformed byte gives it for 1. */
		if (cp == 0 || (cp == REPLACEMENT_CHAR && n == 1))
			return 0;
		i += n;
	}
	return 1;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int text_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

struct translit {
	uint32_t cp;
	const char *ascii;
};

/* Latin-1 letters and the few symbols husly itself draws. */
static const struct translit translits[] = {
	{0xC0, "A"},   {0xC1, "A"},   {0xC2, "A"},  {0xC3, "A"},  {0xC4, "Ae"}, {0xC5, "Aa"},
	{0xC6, "Ae"},  {0xC7, "C"},   {0xC8, "E"},  {0xC9, "E"},  {0xCA, "E"},  {0xCB, "E"},
	{0xCC, "I"},   {0xCD, "I"},   {0xCE, "I"},  {0xCF, "I"},  {0xD1, "N"},  {0xD2, "O"},
	{0xD3, "O"},   {0xD4, "O"},   {0xD5, "O"},  {0xD6, "Oe"}, {0xD8, "Oe"}, {0xD9, "U"},
	{0xDA, "U"},   {0xDB, "U"},   {0xDC, "Ue"}, {0xDD, "Y"},  {0xDF, "ss"}, {0xE0, "a"},
	{0xE1, "a"},   {0xE2, "a"},   {0xE3, "a"},  {0xE4, "ae"}, {0xE5, "aa"}, {0xE6, "ae"},
	{0xE7, "c"},   {0xE8, "e"},   {0xE9, "e"},  {0xEA, "e"},  {0xEB, "e"},  {0xEC, "i"},
	{0xED, "i"},   {0xEE, "i"},   {0xEF, "i"},  {0xF1, "n"},  {0xF2, "o"},  {0xF3, "o"},
	{0xF4, "o"},   {0xF5, "o"},   {0xF6, "oe"}, {0xF8, "oe"}, {0xF9, "u"},  {0xFA, "u"},
	{0xFB, "u"},   {0xFC, "ue"},  {0xFD, "y"},  {0xFF, "y"},  {0xA7, "S"},  {0xB7, "-"},
	{0x2013, "-"}, {0x2014, "-"}, {0x2026, "..."}, {0x26A0, "!!"}, {0x2691, "F"},
	{0x2191, "^"}, {0x2193, "v"}, {0x23CE, "Enter"}, {0xD7, "x"}, {0x2588, "#"},
};

const char *text_ascii(uint32_t cp)
{
	for (size_t i = 0; i < ARRAY_SIZE(translits); i++)
		if (translits[i].cp == cp)
			return translits[i].ascii;
	return NULL;
}

/* Maps one character to its folded form before digraphs are merged. */
static const char *fold_char(uint32_t cp, char buf[5])
{
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		buf[0] = (char)cp;
		buf[1] = '\0';
		return buf;
	}
	switch (cp) {
	case 0xC6: case 0xE6: case 0xC5: case 0xE5: case 0xC4: case 0xE4:
		return "a";
	case 0xD8: case 0xF8: case 0xD6: case 0xF6:
		return "o";
	case 0xDC: case 0xFC:
		return "u";
	default:
		break;
	}
	const char *a = text_ascii(cp);
	if (a && cp >= 0xC0 && cp <= 0xFF) {
		buf[0] = (char)(a[0] | 0x20); /* accents dropped, lower case */
		buf[1] = '\0';
		return buf;
	}
	if (cp < 0x80 || text_is_unsafe(cp) || cp == REPLACEMENT_CHAR)
		return " ";
	buf[utf8_encode(cp, buf)] = '\0'; /* other scripts: kept as they are */
	return buf;
}

char *text_fold(const char *s)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		char buf[5];
		const char *f = fold_char(cp, buf);
		char prev = sb.len ? sb.buf[sb.len - 1] : ' ';
		if (f[0] == ' ' && prev == ' ')
			continue;
		/* "ae", "oe" and "aa" are how æ, ø and å are written without them. */
		if (f[1] == '\0' && ((prev == 'a' && (f[0] == 'e' || f[0] == 'a')) ||
				     (prev == 'o' && f[0] == 'e')))
			continue;
		sb_add(&sb, f);
	}
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	return sb.buf;
}

char *text_sanitize(const char *s)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (text_is_unsafe(cp) || cp == REPLACEMENT_CHAR)
			sb_add(&sb, "?");
		else
			sb_addn(&sb, s + i, n);
		i += n;
	}
	return sb.buf;
}

void text_fput_safe(const char *s, FILE *f)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (cp != '\n' && cp != '\t' && (text_is_unsafe(cp) || cp == REPLACEMENT_CHAR))
			fputc('?', f);
		else
			fwrite(s + i, 1, n, f);
		i += n;
	}
}

static void vprint_safe(FILE *f, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void vprint_safe(FILE *f, const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);
	text_fput_safe(msg, f);
	free(msg);
}

void eprintf_safe(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint_safe(stderr, fmt, ap);
	va_end(ap);
}

void printf_safe(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint_safe(stdout, fmt, ap);
	va_end(ap);
}
