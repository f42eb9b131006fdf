/* A one-line text field for the screens: search boxes, a note, the fields of a form.
 *
 * The field holds UTF-8 text and a cursor, takes the editing keys, and draws itself scrolled so
 * the cursor shows. The screen owns the struct and decides what Enter, Esc, Tab and the arrows
 * up and down mean: ui_input_key returns UI_IGNORED for every key it does not use, so a screen's
 * key handler is usually
 *
 *     if (s->editing) {
 *             enum ui_result r = ui_input_key(&s->field, key);
 *             if (r != UI_IGNORED)
 *                     return r;
 *     }
 *     return UI_IGNORED;   // Enter, Esc... go on to the screen's actions
 *
 * and its draw calls ui_input_draw once per frame for the field that has the keys (it places
 * the terminal's cursor there; the loop hides the cursor on every frame no field was drawn in).
 *
 * Keys: any printable character (every language and emoji; control characters and the
 * bidirectional overrides are refused), Backspace, Delete, Left/Right by whole characters,
 * Home/Ctrl-A, End/Ctrl-E, Ctrl-U clears the field, Ctrl-W deletes the word before the cursor,
 * Ctrl-K deletes from the cursor to the end. ui_input_actions gives these for a screen's ? help.
 *
 * Text is drawn through ui_text, so nothing typed or loaded reaches the terminal raw. */
#ifndef HUSLY_UI_INPUT_H
#define HUSLY_UI_INPUT_H

#include <stddef.h>

#include "ui.h"

struct ui_input {
	char *buf;                   /* the text, always NUL-terminated and well-formed UTF-8 */
	size_t len, cap, cursor;     /* byte offsets; cursor is on a character boundary */
	size_t max_bytes;            /* the most bytes the text may have; 0 for no limit */
	int scroll;                  /* the first column of the text shown */
};

/* Starts a field with initial (NULL for empty; malformed UTF-8 becomes U+FFFD, and text past
 * max_bytes is cut at a character boundary), the cursor at its end. */
void ui_input_init(struct ui_input *in, const char *initial, size_t max_bytes);
void ui_input_free(struct ui_input *in);
/* Replaces the text (as ui_input_init does), the cursor at its end. */
void ui_input_set(struct ui_input *in, const char *text);
/* Whether the text is empty or only white space (nothing typed would be lost). */
int ui_input_is_blank(const struct ui_input *in);

/* Handles an editing key: UI_HANDLED, or UI_IGNORED for keys it does not use (Enter, Esc, Tab,
 * Up, Down, PgUp, PgDn, F-keys, other control keys) so the caller decides. A character that
 * does not fit in max_bytes is refused with a message on the status line. */
enum ui_result ui_input_key(struct ui_input *in, const struct ui_key *k);

/* Draws the field at row y from column x in width columns, its background in style, scrolled so
 * the cursor is visible, and puts the terminal's cursor there (shown). */
void ui_input_draw(struct ui_input *in, int y, int x, int width, enum ui_style style);

/* The editing keys, for a screen to list in its ? help while a field has the keys: no key
 * matches them (they are handled by ui_input_key) and none is shown in the key bar. Their id is
 * UI_INPUT_HELP_ID, which a screen's action function ignores. */
#define UI_INPUT_HELP_ID (-100)
const struct ui_action *ui_input_actions(size_t *n);
/* A screen's actions while it has a field: its own (n of them), then the editing keys, into out
 * (max entries); returns how many. */
size_t ui_input_with_actions(struct ui_action *out, size_t max, const struct ui_action *own,
			     size_t n);

/* For the loop, once per frame just before it refreshes the screen: shows the cursor in the
 * field drawn this frame, or hides it when none was. */
void ui_input_end_frame(void);

#endif
