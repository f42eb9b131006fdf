#include "fieldkind.h"

#include "cpr.h"
#include "datetyped.h"
#include "i18n.h"
#include "kommune.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PICK_MAX 6 /* choices shown under a field as one types */

int kind_is_typed(enum kind k)
{
	return k != K_YESNO && k != K_MULTI && k != K_MISUSE;
}

static const char *from_date(enum kind k, const char *typed, char *out, size_t n)
{
	char today[DATE_LEN], value[DATE_LEN];
	time_to_local_date(clock_now(), today);
	enum date_typed_error e = date_parse_typed(typed, today, k == K_DATE, value);
	if (e != DATE_OK)
		return e == DATE_NOT_REAL ? N_("That date does not exist.")
					  : N_("Type a date as dd-mm-yyyy, or i dag / i går.");
	if (k == K_DATE && strcmp(value, today) > 0)
		return N_("That date is in the future.");
	strlcpy_trunc(out, value, n);
	return NULL;
}

static const char *from_arrival(const char *typed, char *out, size_t n)
{
	char now[LOCAL_MIN_LEN], value[LOCAL_MIN_LEN];
	time_to_local_minute(clock_now(), now);
	const char *problem = datetime_parse_typed(typed, now, value);
	if (!problem && strcmp(value, now) > 0)
		problem = N_("The arrival cannot be in the future.");
	if (!problem)
		strlcpy_trunc(out, value, n);
	return problem;
}

/* Keeps the characters of typed that are not in skip, at most n - 1. */
static void keep_chars(const char *typed, const char *keep_only, const char *skip, char *out,
		       size_t n)
{
	size_t j = 0;
	for (const char *c = typed; *c && j + 1 < n; c++)
		if ((!keep_only || strchr(keep_only, *c)) && (!skip || !strchr(skip, *c)))
			out[j++] = *c;
	out[j] = '\0';
}

const char *kind_from_typed(enum kind k, const struct choice_list *list, const char *typed,
			    char *out, size_t n)
{
	out[0] = '\0';
	char buf[64];
	long number;
	const struct choice *c[1];
	const struct kommune *km[1];
	if (str_empty(typed))
		return NULL;
	switch (k) {
	case K_DATE:
	case K_DATE_ANY:
		return from_date(k, typed, out, n);
	case K_ARRIVAL:
		return from_arrival(typed, out, n);
	case K_CPR:
		keep_chars(typed, "0123456789", NULL, buf, sizeof(buf));
		if (strspn(typed, "0123456789- ") != strlen(typed) || !cpr_is_valid(buf, NULL))
			return N_("The CPR number must be DDMMYY-XXXX with a real date.");
		strlcpy_trunc(out, buf, n);
		return NULL;
	case K_NUMBER:
		keep_chars(typed, NULL, ". ", buf, sizeof(buf));
		if (parse_long(buf, 0, 1000000000L, &number) != 0)
			return N_("Type a whole number.");
		snprintf(out, n, "%ld", number);
		return NULL;
	case K_CHOICE:
		if (!choice_search(list, typed, c, 1))
			return N_("Choose from the list.");
		strlcpy_trunc(out, c[0]->code, n);
		return NULL;
	case K_KOMMUNE:
		if (!kommune_search(typed, km, 1))
			return N_("No municipality by that name.");
		strlcpy_trunc(out, km[0]->code, n);
		return NULL;
	default:
		strlcpy_trunc(out, typed, n);
		return NULL;
	}
}

char *kind_to_text(enum kind k, const struct choice_list *list, const char *v)
{
	char d[DATE_LEN];
	if (!v)
		return xstrdup("");
	switch (k) {
	case K_DATE:
	case K_DATE_ANY:
		date_iso_to_dk(v, d);
		return xstrdup(d[0] ? d : v);
	case K_ARRIVAL:
		date_iso_to_dk(v, d);
		return xasprintf("%s %s", d, strlen(v) >= 16 ? v + 11 : "");
	case K_CPR:
		return strlen(v) == 10 ? xasprintf("%.6s-%s", v, v + 6) : xstrdup(v);
	case K_CHOICE:
		return xstrdup(choice_label(list, v));
	case K_YESNO:
		return xstrdup(str_eq(v, "1") ? _("yes") : _("no"));
	case K_KOMMUNE: {
		const struct kommune *km = kommune_by_code(v);
		return xstrdup(km ? km->name : v);
	}
	default:
		return xstrdup(v);
	}
}

int kind_draw_picks(enum kind k, const struct choice_list *list, const char *typed, int y, int x,
		    int width)
{
	if (k == K_CHOICE) {
		const struct choice *shown[PICK_MAX];
		size_t count = choice_search(list, typed, shown, PICK_MAX);
		for (size_t i = 0; i < count; i++)
			ui_text(y++, x + 2, width - 2, i == 0 ? STYLE_SELECTED : STYLE_DIM,
				choice_label(list, shown[i]->code));
	} else if (k == K_KOMMUNE && typed[0]) {
		const struct kommune *km[PICK_MAX];
		size_t count = kommune_search(typed, km, PICK_MAX);
		for (size_t i = 0; i < count; i++)
			ui_text(y++, x + 2, width - 2, i == 0 ? STYLE_SELECTED : STYLE_DIM,
				km[i]->name);
	}
	return y;
}
