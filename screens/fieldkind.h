/* The kinds of answer a form asks for, and how each is typed, stored and shown: shared by the
 * intake and the editing of a resident's fields. */
#ifndef HUSLY_FIELDKIND_H
#define HUSLY_FIELDKIND_H

#include <stddef.h>

#include "lists.h"

enum kind {
	K_TEXT,     /* free text */
	K_DATE,     /* a date in the past or today, typed the Danish way */
	K_DATE_ANY, /* a date, also in the future (house ban until, move-in) */
	K_ARRIVAL,  /* date and time, not in the future */
	K_CPR,      /* DDMMYY-XXXX */
	K_NUMBER,   /* a whole number ("25.000" as kroner are written) */
	K_YESNO,    /* 1 / 0, cycled with Space */
	K_CHOICE,   /* one of a list: type to narrow, the first match is taken */
	K_KOMMUNE,  /* a municipality: type-ahead over the 98 and the special values */
	K_MULTI,    /* several of a list: Space ticks ("LIST/CODE" = "yes") */
	K_MISUSE,   /* per substance: current / earlier / no / unknown, and in treatment */
};

/* Whether the kind is typed into (the others are ticked or cycled). */
int kind_is_typed(enum kind k);

/* What is typed, as the value to store (into out, n bytes; "" for nothing typed). Returns a
 * message id saying what is wrong, or NULL. */
const char *kind_from_typed(enum kind k, const struct choice_list *list, const char *typed,
			    char *out, size_t n);

/* A stored value as the text to edit or show (a new string; "" for NULL). */
char *kind_to_text(enum kind k, const struct choice_list *list, const char *value);

/* Draws the type-ahead choices under a field being typed; returns the next free row. */
int kind_draw_picks(enum kind k, const struct choice_list *list, const char *typed, int y, int x,
		    int width);

#endif
