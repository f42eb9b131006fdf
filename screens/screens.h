/* The screens, registered in one table (screens.c), and what they share. */
#ifndef HUSLY_SCREENS_H
#define HUSLY_SCREENS_H

#include <stddef.h>

#include "model.h"
#include "ui.h"

extern const struct ui_screen_ops list_screen;     /* the resident list (start screen) */
extern const struct ui_screen_ops resident_screen; /* one resident; arg: the id */
extern const struct ui_screen_ops edit_screen;      /* change a resident's fields; arg: id */
extern const struct ui_screen_ops departure_screen; /* a resident leaves; arg: the id */
extern const struct ui_screen_ops intake_screen;   /* a new arrival's intake; arg: NULL */
extern const struct ui_screen_ops shiftlog_screen; /* the shift log (vagtlog); arg: NULL */
extern const struct ui_screen_ops help_screen;     /* the keys of the screen below */

/* The warnings of a list row in words, "⚠ karantæne · ! ikke udredt", into out. */
void warnings_text(unsigned warnings, const struct list_row *row, const char *today, char *out,
		   size_t n);
/* Today as "YYYY-MM-DD". */
void today_iso(char out[DATE_LEN]);

/* A page of text lines the screen builds once and the page draws with scrolling. */
struct page_line {
	enum ui_style style;
	int indent;
	char *text;
};
struct page {
	struct page_line *lines;
	size_t n, cap;
	long scroll;
};
void page_add(struct page *p, enum ui_style style, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds text wrapped to fit page_draw's lines when it draws in width columns (at spaces where it
 * can; a word longer than a line is broken), so every word shows. */
void page_add_wrapped(struct page *p, enum ui_style style, int indent, int width,
		      const char *text);
void page_clear(struct page *p);
void page_draw(struct page *p, int top, int height, int width);
/* Scrolls by delta lines (or to an end); returns UI_HANDLED. */
enum ui_result page_scroll(struct page *p, long delta, int height);

#endif
