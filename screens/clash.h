/* The clash screen: a form's save (form.h) found fields that someone else changed while this
 * user changed them too, and wrote nothing. A form shows it in place of itself, as a mode
 * (edit.c, departure.c): per field the label, the value when the form was opened, the other
 * person's with who and when, and the user's. m keeps the user's in every field, t takes the
 * other person's, f goes field by field (Space switches, Enter saves); Esc goes back to the form
 * with what was typed. The form then saves again, reading everything once more. */
#ifndef HUSLY_CLASH_H
#define HUSLY_CLASH_H

#include <stddef.h>

#include "ui.h"

struct app;
struct form_field;
struct form_outcome;

/* A field's label (translated) and a value as staff read it (a new string; "" for none). */
struct clash_form {
	const char *(*label)(void *ctx, size_t i);
	char *(*text)(void *ctx, size_t i, const char *value);
	void *ctx;
};

struct clash_view {
	struct app *app;
	struct form_field *f; /* the form's fields (borrowed) */
	size_t n;
	struct clash_form form;
	size_t *rows; /* the clashing fields' indexes */
	size_t nrows, sel, top;
	int by_field; /* choosing field by field */
	int again;    /* shown again: another change came in while the user chose */
};

/* What the user did. */
enum clash_step {
	CLASH_STAY, /* nothing decided yet */
	CLASH_SAVE, /* chosen: the fields are resolved (form_resolve); save again */
	CLASH_BACK, /* Esc: back to the form, nothing decided */
};

/* Starts the screen over the clashes a form_save just found. */
void clash_open(struct clash_view *v, struct app *app, struct form_field *f, size_t n,
		const struct clash_form *form, int again);
void clash_close(struct clash_view *v);
void clash_draw(struct clash_view *v, const struct ui_area *a);
const struct ui_action *clash_actions(const struct clash_view *v, size_t *n);
enum clash_step clash_action(struct clash_view *v, int id);

/* What a save did, for the form's message line: "Saved.", or how many fields someone else
 * changed were kept. */
void clash_outcome_text(const struct form_outcome *o, char *out, size_t n);

#endif
