/* The move-out checklist of a resident's current (or latest) stay, to work on: the four items
 * with their steps, the furniture the household needs, and the support. Space moves the step or
 * thing under the cursor on at once (each change its own transaction, kept in the history);
 * Enter opens the step in step_screen; + records a thing that is not on the furniture list; p
 * prints the checklist. The checklist is read again on every draw, so what the step editor or
 * another terminal changed shows without a key, and the cursor stays on the same step. */
#include "screens.h"

#include "app.h"
#include "audit.h"
#include "checklist.h"
#include "i18n.h"
#include "lists.h"
#include "record.h"
#include "text.h"
#include "ui_input.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_CYCLE = 1, A_OPEN, A_ADD, A_PRINT, A_EDIT, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END,
       A_BACK, A_SAVE, A_CANCEL };

static const struct ui_action browse_actions[] = {
	{A_CYCLE, ' ', 0, N_("Space"), N_("status"), N_("Move the step under the cursor on: not started, in progress, done, not relevant; a thing: needed, applied, granted, have. Saved at once.")},
	{A_OPEN, 0, KEY_ENTER, N_("Enter"), N_("change"), N_("Change the step under the cursor: status, date, who is responsible, a note.")},
	{A_ADD, '+', 0, N_("+"), N_("thing"), N_("Add a thing the household needs that is not on the furniture list.")},
	{A_PRINT, 'p', 0, N_("p"), N_("print"), N_("Print this resident's checklist with the configured print command.")},
	{A_EDIT, 'e', 0, N_("e"), NULL, N_("Change the resident's and the stay's fields (ready to move, support, move-in date), each with its history.")},
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("The step or thing above.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("The step or thing below.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, 0, KEY_NPAGE, N_("PgDn"), NULL, N_("One page down.")},
	{A_HOME, 'g', KEY_HOME, N_("Home/g"), NULL, N_("The first step.")},
	{A_END, 'G', KEY_END, N_("End/G"), NULL, N_("The last step.")},
	{A_BACK, 27, 0, N_("Esc"), N_("back"), N_("Go back to the previous screen.")},
};

/* While a thing's name is typed: these, then the field's editing keys (ui_input_actions). */
static const struct ui_action add_actions[] = {
	{A_SAVE, 0, KEY_ENTER, N_("Enter"), N_("save"), N_("Add the thing, as needed.")},
	{A_SAVE, 0, KEY_F(2), N_("F2"), NULL, N_("The same as Enter.")},
	{A_CANCEL, 27, 0, N_("Esc"), N_("cancel"), N_("Add nothing.")},
};
#define ADD_ACTIONS_MAX (ARRAY_SIZE(add_actions) + 16)
#define THING_MAX_BYTES 240 /* the checklist takes 60 characters; the rest says so */

/* A line of the screen: a step or thing (the cursor stops there), or text (headings, notes). */
enum row_kind { ROW_TEXT, ROW_STEP, ROW_THING };

struct row {
	enum row_kind kind;
	size_t index; /* into the checklist's steps or things */
	enum ui_style style;
	int indent;
	int note; /* a step's note: it belongs with the step above */
	char *text;
};

/* A read-only login sees the checklist and prints it, and changes nothing. */
static const struct action_rule browse_rules[] = {
	{A_CYCLE, ACTION_WRITES},
	{A_OPEN, ACTION_WRITES},
	{A_ADD, ACTION_WRITES},
	{A_EDIT, ACTION_WRITES},
};

struct checklist_state {
	struct app *app;
	struct ui_action browse[ARRAY_SIZE(browse_actions)]; /* those the user's role may do */
	size_t nbrowse;
	char id[ID_LEN];
	char *name;
	int have; /* 1: c holds the checklist; 0: the resident has no stay; -1: see err */
	struct checklist c;
	char err[512];
	struct row *rows;
	size_t nrows, cap;
	size_t sel, top;
	int height;  /* rows shown, from the last draw */
	int label_w; /* the step labels' column, from the last draw */
	/* What the cursor is on (kind and code), so it stays there when rows come or go. */
	enum row_kind sel_kind;
	char *sel_code;
	int adding; /* a thing's name is being typed in input */
	struct ui_input input;
	struct ui_action adding_actions[ADD_ACTIONS_MAX];
	size_t nadding_actions;
	struct step_ref ref; /* step_screen's argument, alive until it has opened */
	char *ref_step;
};

/* --- loading ------------------------------------------------------------------------------ */

static void rows_clear(struct checklist_state *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		free(s->rows[i].text);
	s->nrows = 0;
}

static struct row *add_row(struct checklist_state *s, enum row_kind kind, size_t index)
{
	if (s->nrows == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	struct row *r = &s->rows[s->nrows++];
	*r = (struct row){kind, index, STYLE_NORMAL, 0, 0, NULL};
	return r;
}

/* Text wrapped to the width, a row a line. */
static void add_text(struct checklist_state *s, enum ui_style style, int indent, int width,
		     const char *text, int note)
{
	struct page p = {0};
	page_add_wrapped(&p, style, indent, width, text);
	for (size_t i = 0; i < p.n; i++) {
		struct row *r = add_row(s, ROW_TEXT, 0);
		r->style = style;
		r->indent = indent;
		r->note = note;
		r->text = xstrdup(p.lines[i].text);
	}
	page_clear(&p);
}

/* Reads the checklist and the resident's name again; what was read before goes. */
static void reload(struct checklist_state *s)
{
	if (s->have == 1)
		checklist_free(&s->c);
	s->have = resident_checklist(s->app, s->id, &s->c, s->err, sizeof(s->err));
	struct record r;
	char *err = NULL;
	if (db_record_get(s->app->db, "resident", s->id, &r, &err) == 1) {
		free(s->name);
		s->name = xstrdup(record_get(&r, "name") ? record_get(&r, "name") : "");
		record_free(&r);
	}
	free(err);
}

static void add_step_rows(struct checklist_state *s, size_t i, int width)
{
	add_row(s, ROW_STEP, i);
	const char *note = s->c.steps[i].note;
	if (!str_empty(note)) {
		char *quoted = xasprintf("\"%s\"", note);
		add_text(s, STYLE_DIM, 6, width, quoted, 1);
		free(quoted);
	}
}

/* Under the furniture item: what the household needs, a thing a row. */
static void add_things(struct checklist_state *s, int width)
{
	if (!s->c.nthings)
		return;
	add_text(s, STYLE_DIM, 4, width, _("What the household needs:"), 0);
	for (size_t i = 0; i < s->c.nthings; i++)
		add_row(s, ROW_THING, i);
}

/* Under the support item: the support as the stay records it, and the move-in date it must
 * start by. */
static void add_support(struct checklist_state *s, int width)
{
	char d[DATE_LEN];
	char *sup = support_text(s->c.support_method, s->c.support_granted_at, s->c.support_start);
	date_iso_to_dk(s->c.move_in_date, d);
	char *line = xasprintf("%s: %s %s %s: %s", _("Support"), sup[0] ? sup : "-",
			       ui_sym("·", "-"), _("Move-in date"), d[0] ? d : "-");
	add_text(s, STYLE_NORMAL, 4, width, line, 0);
	free(line);
	free(sup);
}

/* The rows in the configured order of items and steps; the hidden steps that hold data last. */
static void build_rows(struct checklist_state *s, int width)
{
	rows_clear(s);
	for (size_t it = 0; it < list_items.n; it++) {
		const char *item = list_items.items[it].code;
		add_text(s, STYLE_HEADING, 0, width, choice_label(&list_items, item), 0);
		for (size_t i = 0; i < s->c.nsteps; i++)
			if (!s->c.steps[i].hidden && str_eq(s->c.steps[i].item, item))
				add_step_rows(s, i, width);
		if (str_eq(item, "furniture"))
			add_things(s, width);
		if (str_eq(item, "support"))
			add_support(s, width);
	}
	int heading = 0;
	for (size_t i = 0; i < s->c.nsteps; i++) {
		if (!s->c.steps[i].hidden)
			continue;
		if (!heading++)
			add_text(s, STYLE_DIM, 0, width, _("Steps no longer used (kept)"), 0);
		add_step_rows(s, i, width);
	}
}

/* --- the cursor ----------------------------------------------------------------------------- */

static const char *row_code(const struct checklist_state *s, const struct row *r)
{
	if (r->kind == ROW_STEP)
		return s->c.steps[r->index].code;
	if (r->kind == ROW_THING)
		return s->c.things[r->index].thing;
	return NULL;
}

static void remember_selection(struct checklist_state *s)
{
	if (s->sel >= s->nrows || s->rows[s->sel].kind == ROW_TEXT)
		return;
	free(s->sel_code);
	s->sel_kind = s->rows[s->sel].kind;
	s->sel_code = xstrdup(row_code(s, &s->rows[s->sel]));
}

/* The selectable row nearest to row from in direction dir (+1 or -1), else the other way. */
static size_t nearest(const struct checklist_state *s, long from, int dir)
{
	if (from < 0)
		from = 0;
	if (from >= (long)s->nrows)
		from = (long)s->nrows - 1;
	for (int pass = 0; pass < 2; pass++, dir = -dir)
		for (long i = from; i >= 0 && i < (long)s->nrows; i += dir)
			if (s->rows[i].kind != ROW_TEXT)
				return (size_t)i;
	return 0;
}

/* After the rows were built: the cursor back on what it was on, or as near as can be. */
static void restore_selection(struct checklist_state *s)
{
	for (size_t i = 0; s->sel_code && i < s->nrows; i++)
		if (s->rows[i].kind == s->sel_kind && str_eq(row_code(s, &s->rows[i]), s->sel_code)) {
			s->sel = i;
			return;
		}
	s->sel = s->nrows ? nearest(s, (long)s->sel, 1) : 0;
	remember_selection(s);
}

static void move_to(struct checklist_state *s, long target, int dir)
{
	if (!s->nrows)
		return;
	s->sel = nearest(s, target, dir);
	remember_selection(s);
}

/* Moves delta selectable rows up or down. */
static void move_by(struct checklist_state *s, int delta)
{
	int dir = delta < 0 ? -1 : 1;
	for (int n = delta < 0 ? -delta : delta; n > 0; n--) {
		long i = (long)s->sel + dir;
		while (i >= 0 && i < (long)s->nrows && s->rows[i].kind == ROW_TEXT)
			i += dir;
		if (i < 0 || i >= (long)s->nrows)
			break;
		s->sel = (size_t)i;
	}
	remember_selection(s);
}

/* Scrolls so the cursor shows with its note; at the first and last steps, the rows before and
 * after them too (the first heading, the support line). */
static void keep_visible(struct checklist_state *s)
{
	size_t height = s->height > 1 ? (size_t)s->height : 1;
	size_t first = s->sel;
	size_t last = first; /* and the step's note lines */
	while (last + 1 < s->nrows && s->rows[last + 1].note)
		last++;
	if (s->sel == nearest(s, 0, 1))
		first = 0;
	if (s->sel == nearest(s, (long)s->nrows - 1, -1))
		last = s->nrows ? s->nrows - 1 : 0;
	if (last >= s->top + height)
		s->top = last - height + 1;
	if (first < s->top)
		s->top = first;
	if (s->nrows <= height)
		s->top = 0;
	else if (s->top > s->nrows - height)
		s->top = s->nrows - height;
}

/* --- drawing -------------------------------------------------------------------------------- */

/* "Kommunen (Jobcenter Helsingør)", the name alone, or "". */
static char *responsible_text(const struct checklist_step *st)
{
	const char *who = st->responsible ? choice_label(&list_responsible, st->responsible) : "";
	const char *name = st->responsible_name;
	if (str_empty(name))
		return xstrdup(who);
	return who[0] ? xasprintf("%s (%s)", who, name) : xstrdup(name);
}

/* The width of the step labels' column: as wide as the longest label, so who is responsible
 * gets the rest of the line; on a narrow terminal the label comes first, leaving who 12
 * columns. */
static int label_width(const struct checklist *c, int width)
{
	int w = 12, most = width - 32;
	for (size_t i = 0; i < c->nsteps; i++) {
		int l = ui_width(checklist_step_label(&c->steps[i]));
		w = l > w ? l : w;
	}
	return w > most && most >= 12 ? most : w;
}

/* "  [x] Label                     05-09-2026  Kommunen (Jobcenter Helsingør)" */
static void draw_step(const struct checklist_step *st, int y, int width, int lw, int selected)
{
	enum ui_style style = selected ? STYLE_SELECTED : st->hidden ? STYLE_DIM : STYLE_NORMAL;
	int x = 3;
	char d[DATE_LEN];
	date_iso_to_dk(st->date, d);
	char *who = responsible_text(st);
	x += ui_text(y, x, 3, style, checklist_box(st->status)) + 1;
	ui_text(y, x, lw, style, checklist_step_label(st));
	x += lw + 2;
	ui_text(y, x, 10, style, d);
	x += 12;
	if (x < width - 1)
		ui_text(y, x, width - 1 - x, style, who);
	free(who);
}

/* "      Seng                     behov" */
static void draw_thing(const struct checklist_thing *t, int y, int width, int lw, int selected)
{
	enum ui_style style = selected ? STYLE_SELECTED : STYLE_NORMAL;
	int x = 7;
	ui_text(y, x, lw, style, checklist_thing_label(t));
	x += lw + 1;
	ui_text(y, x, width - 1 - x, style,
		t->state ? choice_label(&list_furniture_states, t->state) : "-");
}

static void draw_row(const struct checklist_state *s, size_t i, int y, int width)
{
	const struct row *r = &s->rows[i];
	int selected = i == s->sel && r->kind != ROW_TEXT;
	if (selected)
		ui_fill(y, STYLE_SELECTED);
	if (r->kind == ROW_STEP)
		draw_step(&s->c.steps[r->index], y, width, s->label_w, selected);
	else if (r->kind == ROW_THING)
		draw_thing(&s->c.things[r->index], y, width, s->label_w, selected);
	else
		ui_text(y, 1 + r->indent, width - 2 - r->indent, r->style, r->text);
}

/* "Tjekliste for Søren Jensen          7/17 færdige", and the moving-out warnings under it.
 * Returns the next free row. */
static int draw_heading(const struct checklist_state *s, const struct ui_area *a)
{
	int y = a->top;
	char right[64] = "", today[DATE_LEN], warn[512] = "";
	if (s->have == 1) {
		snprintf(right, sizeof(right), _("%d/%d done"), s->c.done, s->c.relevant);
		today_iso(today);
		checklist_warnings_text(&s->c, today, warn, sizeof(warn));
	}
	int rw = ui_text_right(y, a->width - 1, a->width / 3, STYLE_HEADING, right);
	char *title = xasprintf(_("Checklist for %s"), s->name ? s->name : "");
	ui_text(y++, 1, a->width - 3 - rw, STYLE_HEADING, title);
	free(title);
	if (warn[0])
		ui_text(y++, 1, a->width - 2, STYLE_WARN, warn);
	ui_hline(y++);
	return y;
}

static void checklist_draw(void *state, const struct ui_area *a)
{
	struct checklist_state *s = state;
	reload(s);
	int y = draw_heading(s, a), bottom = a->top + a->height - 1;
	ui_hline(bottom);
	if (s->have != 1) {
		rows_clear(s);
		ui_text(y, 2, a->width - 4, s->have < 0 ? STYLE_WARN : STYLE_NORMAL,
			s->have < 0 ? s->err : _("The resident has no stay."));
		return;
	}
	build_rows(s, a->width);
	s->label_w = label_width(&s->c, a->width);
	restore_selection(s);
	s->height = bottom - y - (s->adding ? 1 : 0);
	keep_visible(s);
	for (int i = 0; i < s->height && s->top + (size_t)i < s->nrows; i++)
		draw_row(s, s->top + (size_t)i, y + i, a->width);
	if (s->top > 0)
		ui_text(y, a->width - 2, 1, STYLE_DIM, ui_sym("↑", "^"));
	if (s->top + (size_t)s->height < s->nrows)
		ui_text(y + s->height - 1, a->width - 2, 1, STYLE_DIM, ui_sym("↓", "v"));
	if (s->adding) {
		int x = 1 + ui_text(bottom - 1, 1, a->width / 3, STYLE_HEADING, _("New thing:")) + 1;
		ui_input_draw(&s->input, bottom - 1, x, a->width - 1 - x, STYLE_SELECTED);
	}
}

/* --- changing --------------------------------------------------------------------------------- */

static const struct row *selected_row(const struct checklist_state *s)
{
	if (s->have != 1 || s->sel >= s->nrows || s->rows[s->sel].kind == ROW_TEXT)
		return NULL;
	return &s->rows[s->sel];
}

/* Space: the step's status or the thing's state moves on, saved at once; the next draw reads
 * it back. */
static void cycle(struct checklist_state *s)
{
	const struct row *r = selected_row(s);
	if (!r)
		return;
	char *err = NULL;
	int rc;
	const char *label, *now;
	if (r->kind == ROW_STEP && s->c.steps[r->index].hidden) {
		/* Its row shows only while it holds something: one Space too many would hide it
		 * for good. */
		ui_message("%s", _("This step is no longer used; Enter changes it."));
		return;
	}
	if (r->kind == ROW_STEP) {
		const struct checklist_step *st = &s->c.steps[r->index];
		const char *next = NULL;
		rc = checklist_move_step(s->app->db, s->c.stay_id, st->code, st->status, &next, &err);
		label = checklist_step_label(st);
		now = next ? choice_label(&list_status, next) : "";
	} else {
		const struct checklist_thing *t = &s->c.things[r->index];
		const char *next = NULL;
		rc = checklist_move_thing(s->app->db, s->c.stay_id, t->thing, t->state, &next, &err);
		label = checklist_thing_label(t);
		now = next ? choice_label(&list_furniture_states, next) : "";
	}
	if (rc == 0)
		ui_message("%s %s %s", label, ui_sym("→", "->"), now);
	else if (rc == 1) /* the next draw reads what the other person set */
		ui_message(_("%s was just changed by someone else; see it now, and press Space again "
			     "to move it on."),
			   label);
	else
		ui_message("%s", err ? err : "?");
	free(err);
}

static void open_step(struct checklist_state *s)
{
	const struct row *r = selected_row(s);
	if (!r)
		return;
	if (r->kind == ROW_THING) {
		ui_message("%s", _("Space changes what the household has of a thing."));
		return;
	}
	free(s->ref_step);
	s->ref_step = xstrdup(s->c.steps[r->index].code);
	s->ref = (struct step_ref){s->id, s->ref_step};
	ui_push(&step_screen, &s->ref);
}

static void start_adding(struct checklist_state *s)
{
	if (s->have != 1) {
		ui_message("%s", _("The resident has no stay."));
		return;
	}
	ui_input_init(&s->input, NULL, THING_MAX_BYTES);
	s->adding = 1;
}

static void stop_adding(struct checklist_state *s)
{
	ui_input_free(&s->input);
	s->adding = 0;
}

/* The furniture list's code when what was typed is one of its things by name ("seng" is the
 * bed), else the words as typed, trimmed (a new string). */
static char *thing_code(const char *typed)
{
	char *key = text_fold(typed);
	const struct choice *c[64];
	size_t n = choice_offered(&list_furniture, c, ARRAY_SIZE(c));
	const char *code = NULL;
	for (size_t i = 0; i < n && i < ARRAY_SIZE(c) && !code; i++) {
		char *label = text_fold(choice_label(&list_furniture, c[i]->code));
		if (str_eq(label, key) || str_eq(c[i]->code, key))
			code = c[i]->code;
		free(label);
	}
	free(key);
	if (code)
		return xstrdup(code);
	const char *start = typed;
	while (*start == ' ')
		start++;
	size_t len = strlen(start);
	while (len && start[len - 1] == ' ')
		len--;
	return xstrndup(start, len);
}

/* Whether the stay has a state for the thing already (typed words compared folded). */
static int recorded_thing(const struct checklist_state *s, const char *thing)
{
	char *key = text_fold(thing);
	int found = 0;
	for (size_t i = 0; i < s->c.nthings && !found; i++) {
		char *other = text_fold(s->c.things[i].thing);
		found = s->c.things[i].state && str_eq(key, other);
		free(other);
	}
	free(key);
	return found;
}

static void save_thing(struct checklist_state *s)
{
	if (ui_input_is_blank(&s->input)) {
		stop_adding(s);
		return;
	}
	char *thing = thing_code(s->input.buf);
	char *err = NULL;
	if (recorded_thing(s, thing)) { /* Space changes its state; + must not reset it */
		free(s->sel_code);
		s->sel_kind = ROW_THING;
		s->sel_code = thing;
		stop_adding(s);
		ui_message("%s", _("That thing is on the list already."));
		return;
	}
	if (checklist_set_thing(s->app->db, s->c.stay_id, thing, "needed", &err) != 0) {
		ui_message("%s", err ? err : "?");
		free(err);
		free(thing);
		return; /* the words stay, to correct */
	}
	free(s->sel_code); /* the cursor goes to the new thing */
	s->sel_kind = ROW_THING;
	s->sel_code = thing;
	stop_adding(s);
	ui_message("%s", _("Saved."));
}

/* --- the screen ---------------------------------------------------------------------------- */

static void checklist_close(void *state)
{
	struct checklist_state *s = state;
	if (s->have == 1)
		checklist_free(&s->c);
	rows_clear(s);
	free(s->rows);
	free(s->name);
	free(s->sel_code);
	free(s->ref_step);
	if (s->adding)
		ui_input_free(&s->input);
	free(s);
}

static void *checklist_open(struct app *app, const void *arg)
{
	struct checklist_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	strlcpy_trunc(s->id, arg, ID_LEN);
	s->height = 10;
	s->nbrowse = actions_for_user(app, browse_actions, ARRAY_SIZE(browse_actions), browse_rules,
				      ARRAY_SIZE(browse_rules), s->browse);
	s->nadding_actions = ui_input_with_actions(s->adding_actions, ADD_ACTIONS_MAX, add_actions,
						   ARRAY_SIZE(add_actions));
	reload(s);
	char *err = NULL;
	if (!s->name) {
		ui_message("%s", _("The resident no longer exists."));
	} else if (db_audit(app->db, AUDIT_OPEN, s->id, NULL, &err) != 0) {
		/* As the resident screen: no entry in the audit log, nothing shown. */
		ui_message(_("Could not write the audit log, so the record is not shown: %s"), err);
	} else {
		return s;
	}
	free(err);
	checklist_close(s);
	return NULL;
}

static const char *checklist_title(void *state)
{
	(void)state;
	return _("Move-out checklist");
}

/* While a thing is typed, the keys go to it: letters are text, not actions. */
static enum ui_result checklist_key(void *state, const struct ui_key *k)
{
	struct checklist_state *s = state;
	return s->adding ? ui_input_key(&s->input, k) : UI_IGNORED;
}

static enum ui_result checklist_action(void *state, int id)
{
	struct checklist_state *s = state;
	long page = s->height > 2 ? s->height - 1 : 1;
	switch (id) {
	case A_CYCLE: cycle(s); break;
	case A_OPEN: open_step(s); break;
	case A_ADD: start_adding(s); break;
	case A_PRINT: print_resident_checklist(s->app, s->id); break;
	case A_EDIT: ui_push(&edit_screen, s->id); break;
	case A_UP: move_by(s, -1); break;
	case A_DOWN: move_by(s, 1); break;
	case A_PGUP: move_to(s, (long)s->sel - page, -1); break;
	case A_PGDN: move_to(s, (long)s->sel + page, 1); break;
	case A_HOME: move_to(s, 0, 1); break;
	case A_END: move_to(s, (long)s->nrows - 1, -1); break;
	case A_SAVE: save_thing(s); break;
	case A_CANCEL: stop_adding(s); break;
	case A_BACK: return UI_BACK;
	default: return UI_IGNORED;
	}
	return UI_HANDLED;
}

static const struct ui_action *checklist_actions(void *state, size_t *n)
{
	struct checklist_state *s = state;
	if (s->adding) {
		*n = s->nadding_actions;
		return s->adding_actions;
	}
	*n = s->nbrowse;
	return s->browse;
}

const struct ui_screen_ops checklist_screen = {
	"checklist",	  checklist_open,    checklist_title,	checklist_draw, checklist_key,
	checklist_action, checklist_actions, checklist_close,
};
