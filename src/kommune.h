/* The Danish municipalities a resident can belong to, plus the answers staff need when there is
 * none (no fixed address, Greenland, the Faroes, abroad), and the type-ahead that finds them. */
#ifndef HUSLY_KOMMUNE_H
#define HUSLY_KOMMUNE_H

#include <stddef.h>

struct kommune {
	const char *code;   /* "101" (three digits, as in the CSV) or a special code below */
	const char *name;   /* Danish name, UTF-8, e.g. "København", "Helsingør" */
	const char *region; /* "Hovedstaden"... ; "" for special values */
	long population;    /* approximate inhabitants (about 2024, rounded to the thousand), 0 for specials */
};

/* The 98 municipalities in the order of data/kommuner.csv (by code), followed by the special
 * values "none" (Uden fast bopæl / ukendt), "greenland", "faroe" and "abroad". */
extern const struct kommune kommuner[];
extern const size_t kommuner_count;

/* Looks up by code, exactly as stored ("101", "none"); NULL when unknown or code is NULL. */
const struct kommune *kommune_by_code(const char *code);

/* Type-ahead: fills out[] (at most max) with the entries matching what was typed, best first,
 * and returns the number found. Case-insensitive, Danish spellings folded ("aarhus", "århus"),
 * "kbh"/"cph" and "frb" as abbreviations, a typed code ("217", also "0217") finds by code.
 * Ranking: exact code, exact name or abbreviation, name prefix, start of a later word in the
 * name, anywhere in the name; ties go to the larger population. Nothing typed finds nothing. */
size_t kommune_search(const char *typed, const struct kommune **out, size_t max);

#endif
