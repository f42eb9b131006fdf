#include "datetyped.h"

#include "i18n.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The quick words, folded (see text_fold), with their offset from today. */
static const struct {
	const char *word;
	int days;
} quick_words[] = {
	{"i dag", 0},	  {"idag", 0},	 {"today", 0},	  {"d", 0},	  {"i gar", -1},
	{"igar", -1},	  {"yesterday", -1}, {"g", -1},	  {"i morgen", 1}, {"imorgen", 1},
	{"tomorrow", 1},
};

static int quick_word(const char *folded, long *days)
{
	for (size_t i = 0; i < ARRAY_SIZE(quick_words); i++)
		if (str_eq(folded, quick_words[i].word)) {
			*days = quick_words[i].days;
			return 1;
		}
	return 0;
}

/* "+3" or "-10": days from today. */
static int relative_days(const char *s, long *days)
{
	if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]))
		return 0;
	return parse_long(s + 1, 0, 36600, days) == 0 ? (*days *= s[0] == '-' ? -1 : 1, 1) : 0;
}

/* Splits "24-11-2026", "24.11.26", "24/11" or "24112026" into numbers; returns how many parts
 * (2 or 3) and the digits of the year, or 0 when it is none of these. */
static int split_date(const char *s, int part[3], int *year_digits)
{
	size_t len = strlen(s);
	*year_digits = 0;
	if (len == 6 || len == 8) {
		for (size_t i = 0; i < len; i++)
			if (!isdigit((unsigned char)s[i]))
				goto separated;
		part[0] = (s[0] - '0') * 10 + (s[1] - '0');
		part[1] = (s[2] - '0') * 10 + (s[3] - '0');
		part[2] = atoi(s + 4);
		*year_digits = (int)len - 4;
		return 3;
	}
separated:;
	int n = 0;
	const char *p = s;
	while (*p && n < 3) {
		if (!isdigit((unsigned char)*p))
			return 0;
		char *end;
		long v = strtol(p, &end, 10);
		int digits = (int)(end - p);
		if (digits > 4 || (n < 2 && digits > 2))
			return 0;
		part[n++] = (int)v;
		if (n == 3)
			*year_digits = digits;
		p = end;
		if (*p == '-' || *p == '.' || *p == '/')
			p++;
		else if (*p)
			return 0;
	}
	return *p || n < 2 ? 0 : n;
}

static int full_year(int year, int digits, int today_year, int past_only)
{
	if (digits == 4)
		return year;
	if (digits != 2)
		return -1;
	int century = today_year / 100 * 100;
	if (past_only && century + year > today_year)
		century -= 100;
	return century + year;
}

enum date_typed_error date_parse_typed(const char *typed, const char *today, int past_only,
				       char out[DATE_LEN])
{
	out[0] = '\0';
	char *folded = text_fold(typed ? typed : "");
	char *trimmed = typed ? xstrdup(typed) : xstrdup("");
	char *t = trimmed;
	while (isspace((unsigned char)*t))
		t++;
	for (size_t n = strlen(t); n && isspace((unsigned char)t[n - 1]); n--)
		t[n - 1] = '\0';
	enum date_typed_error rc = DATE_OK;
	long days;
	int part[3], digits, ty, tm, td;
	if (*t == '\0') {
		rc = DATE_EMPTY;
	} else if (quick_word(folded, &days) || relative_days(t, &days)) {
		date_add_days(today, days, out);
	} else if (date_parse_iso(today, &ty, &tm, &td) != 0) {
		rc = DATE_FORMAT;
	} else if (strlen(t) == 10 && t[4] == '-' && date_parse_iso(t, &ty, &tm, &td) == 0) {
		date_format_iso(ty, tm, td, out); /* ISO, as pasted from elsewhere */
	} else {
		int n = split_date(t, part, &digits);
		int year = n == 2 ? ty : n == 3 ? full_year(part[2], digits, ty, past_only) : -1;
		if (n == 0 || year < 0)
			rc = DATE_FORMAT;
		else if (!date_is_valid(year, part[1], part[0]))
			rc = DATE_NOT_REAL;
		else
			date_format_iso(year, part[1], part[0], out);
	}
	free(folded);
	free(trimmed);
	return rc;
}

const char *datetime_parse_typed(const char *typed, const char *now, char out[LOCAL_MIN_LEN])
{
	char today[DATE_LEN], date[DATE_LEN], copy[64];
	strlcpy_trunc(today, now, DATE_LEN);
	strlcpy_trunc(copy, typed ? typed : "", sizeof(copy));
	char *space = strrchr(copy, ' ');
	char hm[16];
	strlcpy_trunc(hm, now + 11, sizeof(hm));
	if (strchr(copy, ':')) { /* a time was typed: after the last space, or alone */
		strlcpy_trunc(hm, space ? space + 1 : copy, sizeof(hm));
		if (space)
			*space = '\0';
		else
			copy[0] = '\0';
	}
	int h, m;
	char tail;
	if (sscanf(hm, "%2d:%2d%c", &h, &m, &tail) != 2 || h > 23 || m > 59 || h < 0 || m < 0)
		return N_("Type the time as hh:mm.");
	if (copy[0] == '\0')
		strlcpy_trunc(date, today, DATE_LEN);
	else if (date_parse_typed(copy, today, 0, date) != DATE_OK)
		return N_("Type a date as dd-mm-yyyy, or i dag / i går.");
	snprintf(out, LOCAL_MIN_LEN, "%.10s %02u:%02u", date, (unsigned)h % 24u, (unsigned)m % 60u);
	return NULL;
}
