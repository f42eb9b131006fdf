/* The clash screen (clash.h): what someone else saved while this user changed the same fields,
 * and the user's choice. Nothing is written here: the form saves again once the user chose. */
#include "clash.h"

#include "app.h"
#include "form.h"
#include "i18n.h"
#include "screens.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_MINE = 101, C_THEIRS, C_BY_FIELD, C_SWITCH, C_SAVE, C_UP, C_DOWN, C_BACK };

static const struct ui_action choose_actions[] = {
	{C_MINE, 'm', 0, N_("m"), N_("keep yours"), N_("Keep your value in every field shown and save.")},
	{C_THEIRS, 't', 0, N_("t"), N_("take theirs"), N_("Take the other person's value in every field shown and save.")},
	{C_BY_FIELD, 'f', 0, N_("f"), N_("field by field"), N_("Choose field by field: Space switches between yours and theirs, Enter saves.")},
	{C_BACK, 27, 0, N_("Esc"), N_("back"), N_("Back to the form, with what you typed; nothing is saved.")},
};

static const struct ui_action field_actions[] = {
	{C_SWITCH, ' ', 0, N_("Space"), N_("switch"), N_("Switch the field under the cursor between your value and theirs.")},
	{C_SAVE, 0, KEY_ENTER, N_("Enter"), N_("save"), N_("Save the values marked (x).")},
	{C_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("Previous field.")},
	{C_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("Next field.")},
	{C_MINE, 'm', 0, N_("m"), N_("all yours"), N_("Keep your value in every field shown and save.")},
	{C_THEIRS, 't', 0, N_("t"), N_("all theirs"), N_("Take the other person's value in every field shown and save.")},
	{C_BACK, 27, 0, N_("Esc"), N_("back"), N_("Back to the form, with what you typed; nothing is saved.")},
};

#define BLOCK 4 /* rows per field: label, opened, theirs, yours */

void clash_open(struct clash_view *v, struct app *app, struct form_field *f, size_t n,
		const struct clash_form *form, int again)
{
	clash_close(v);
	v->app = app;
	v->f = f;
	v->n = n;
	v->form = *form;
	v->again = again;
	v->rows = xcalloc(n ? n : 1, sizeof(*v->rows));
	for (size_t i = 0; i < n; i++) {
		if (form_state(&f[i]) != FORM_CLASH)
			continue;
		f[i].take_theirs = 0; /* yours, until the user says otherwise */
		v->rows[v->nrows++] = i;
	}
}

void clash_close(struct clash_view *v)
{
	free(v->rows);
	memset(v, 0, sizeof(*v));
}

/* "Anna Holm (anna), 25-11-2026 02:10": who changed the field last and when, with the staff
 * table's name when it has one. */
static char *who_and_when(const struct clash_view *v, const struct form_field *f)
{
	if (!f->now.login)
		return xstrdup(_("Someone else"));
	const struct staff_member *m = config_staff(&v->app->cfg, f->now.login);
	char *who = m && !str_empty(m->name) && !str_eq(m->name, f->now.login)
			? xasprintf("%s (%s)", m->name, f->now.login)
			: xstrdup(f->now.login);
	char when[32];
	char *text = xasprintf("%s, %s", who, utc_dk_minute(f->now.at, when, sizeof(when)));
	free(who);
	return text;
}

/* "  (x) Yours: 14", the marker only when choosing field by field. */
static void draw_value(const struct clash_view *v, size_t i, int y, int width, const char *mark,
		       const char *name, const char *value)
{
	char *shown = v->form.text(v->form.ctx, i, value);
	char *line = xasprintf("%s%s: %s", mark, name, str_empty(shown) ? "-" : shown);
	ui_text(y, 4, width - 5, STYLE_NORMAL, line);
	free(line);
	free(shown);
}

static void draw_field(const struct clash_view *v, size_t row, int y, int width)
{
	size_t i = v->rows[row];
	const struct form_field *f = &v->f[i];
	int sel = v->by_field && row == v->sel;
	ui_text(y, 2, width - 3, sel ? STYLE_SELECTED : STYLE_HEADING,
		v->form.label(v->form.ctx, i));
	const char *theirs = v->by_field ? (f->take_theirs ? "(x) " : "( ) ") : "";
	const char *mine = v->by_field ? (f->take_theirs ? "( ) " : "(x) ") : "";
	draw_value(v, i, y + 1, width, v->by_field ? "    " : "",
		   v->again ? _("When you chose") : _("When you opened it"), f->loaded);
	char *who = who_and_when(v, f);
	draw_value(v, i, y + 2, width, theirs, who, f->now.value);
	free(who);
	draw_value(v, i, y + 3, width, mine, _("Yours"), f->mine);
}

void clash_draw(struct clash_view *v, const struct ui_area *a)
{
	int y = a->top, bottom = a->top + a->height;
	ui_text(y++, 1, a->width - 2, STYLE_WARN,
		v->again ? _("Yet another change came in while you chose. Nothing is saved yet.")
			 : _("Someone else saved this while you were changing it. Nothing is "
			     "saved yet."));
	ui_text(y++, 1, a->width - 2, STYLE_DIM,
		v->by_field ? _("Space switches the field between yours and theirs; Enter saves.")
			    : _("m keeps yours, t takes theirs, f chooses field by field."));
	y++;
	size_t fit = (size_t)((bottom - y) / (BLOCK + 1));
	fit = fit ? fit : 1;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + fit)
		v->top = v->sel - fit + 1;
	for (size_t r = v->top; r < v->nrows && y + BLOCK <= bottom; r++, y += BLOCK + 1)
		draw_field(v, r, y, a->width);
}

const struct ui_action *clash_actions(const struct clash_view *v, size_t *n)
{
	*n = v->by_field ? ARRAY_SIZE(field_actions) : ARRAY_SIZE(choose_actions);
	return v->by_field ? field_actions : choose_actions;
}

/* Everyone's value, or the other person's, in every field shown; then save. */
static enum clash_step choose_all(struct clash_view *v, int theirs)
{
	for (size_t r = 0; r < v->nrows; r++)
		v->f[v->rows[r]].take_theirs = theirs;
	form_resolve(v->f, v->n);
	return CLASH_SAVE;
}

enum clash_step clash_action(struct clash_view *v, int id)
{
	struct form_field *f = v->nrows ? &v->f[v->rows[v->sel]] : NULL;
	switch (id) {
	case C_MINE: return choose_all(v, 0);
	case C_THEIRS: return choose_all(v, 1);
	case C_BY_FIELD: v->by_field = 1; return CLASH_STAY;
	case C_SWITCH:
		if (f)
			f->take_theirs = !f->take_theirs;
		return CLASH_STAY;
	case C_SAVE: form_resolve(v->f, v->n); return CLASH_SAVE;
	case C_UP: v->sel -= v->sel > 0; return CLASH_STAY;
	case C_DOWN: v->sel += v->sel + 1 < v->nrows; return CLASH_STAY;
	case C_BACK: return CLASH_BACK;
	default: return CLASH_STAY;
	}
}

void clash_outcome_text(const struct form_outcome *o, char *out, size_t n)
{
	unsigned long kept = (unsigned long)o->kept;
	if (kept == 0)
		snprintf(out, n, "%s", _("Saved."));
	else if (o->written > 0)
		snprintf(out, n,
			 ngettext("Saved. %lu field changed by someone else is kept.",
				  "Saved. %lu fields changed by someone else are kept.", kept),
			 kept);
	else
		snprintf(out, n,
			 ngettext("Nothing of yours to save: %lu field changed by someone else is "
				  "kept.",
				  "Nothing of yours to save: %lu fields changed by someone else are "
				  "kept.",
				  kept),
			 kept);
}
