/* Changing a resident's fields after the intake, and the stay's (notification of the acting
 * municipality, assessment, action plan, ready to move, support): pick a field, type, Enter.
 * Every change goes through the record API, so it keeps its history (old value, who, when),
 * which h shows for the field under the cursor.
 *
 * step_screen is the same screen over one step of the move-out checklist: its status, date,
 * who is responsible and a note, and the stay's fields that belong with the step's item (the
 * support, the move-in date). A step's fields are written through the checklist
 * (checklist_write_step), which makes the step's row when the stay has none yet.
 *
 * Both are forms (form.h): they show the values as loaded when the screen opened, and a save
 * reads them all again in its write transaction. What someone else changed meanwhile in a field
 * this user did not touch is kept (and shown from then on); when they changed the very field
 * this user saves, nothing is written and the clash screen (clash.h) lets the user choose. */
#include "screens.h"

#include "app.h"
#include "checklist.h"
#include "clash.h"
#include "cpr.h"
#include "db.h"
#include "fieldkind.h"
#include "form.h"
#include "i18n.h"
#include "intake.h"
#include "record.h"
#include "ui_input.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct edit_item {
	const char *table; /* "resident", "stay" (the current or latest stay) or "checklist_step" */
	const char *key;
	const char *label; /* message id */
	enum kind kind;
	const struct choice_list *list;
};

static const struct edit_item items[] = {
	{"resident", "name", N_("Name"), K_TEXT, NULL},
	{"resident", "cpr", N_("CPR number"), K_CPR, NULL},
	{"resident", "birth_date", N_("Born"), K_DATE, NULL},
	{"resident", "gender", N_("Gender"), K_CHOICE, &list_genders},
	{"resident", "home_kommune", N_("Home municipality"), K_KOMMUNE, NULL},
	{"stay", "room", N_("Room"), K_TEXT, NULL},
	{"stay", "acting_kommune", N_("Acting municipality"), K_KOMMUNE, NULL},
	{"stay", "paying_kommune", N_("Paying municipality"), K_KOMMUNE, NULL},
	{"stay", "notified_at", N_("Municipality notified"), K_DATE, NULL},
	{"stay", "notified_how", N_("Notified how"), K_TEXT, NULL},
	{"stay", "assessed_at", N_("Assessed"), K_DATE, NULL},
	{"stay", "plan_at", N_("Action plan"), K_DATE, NULL},
	{"stay", "ready_at", N_("Ready to move"), K_DATE, NULL},
	{"stay", "move_in_date", N_("Move-in date"), K_DATE_ANY, NULL},
	{"stay", "support_method", N_("Support"), K_CHOICE, &list_support},
	{"stay", "support_granted_at", N_("Support granted"), K_DATE, NULL},
	{"stay", "support_start", N_("Support starts"), K_DATE_ANY, NULL},
	{"stay", "previous_living", N_("Came from"), K_CHOICE, &list_living},
	{"resident", "income", N_("Income"), K_CHOICE, &list_incomes},
	{"resident", "debt_rki", N_("Registered as bad payer (RKI)"), K_YESNO, NULL},
	{"resident", "debt_total", N_("Debt in all (kr.)"), K_NUMBER, NULL},
	{"resident", "debt_counselling", N_("Debt counselling"), K_YESNO, NULL},
	{"resident", "causes_other", N_("Other cause"), K_TEXT, NULL},
	{"resident", "mental_health", N_("Mental health"), K_TEXT, NULL},
	{"resident", "physical_health", N_("Physical health"), K_TEXT, NULL},
	{"resident", "prison_history", N_("Prison"), K_TEXT, NULL},
	{"resident", "hospital_history", N_("Hospital"), K_TEXT, NULL},
	{"resident", "network", N_("Network"), K_TEXT, NULL},
	{"resident", "work", N_("Work"), K_TEXT, NULL},
	{"resident", "alert_safety", N_("Safety"), K_TEXT, NULL},
	{"resident", "alert_medical", N_("Medical"), K_TEXT, NULL},
	{"resident", "alert_contact", N_("Who to call"), K_TEXT, NULL},
	{"resident", "ban_until", N_("House ban until"), K_DATE_ANY, NULL},
	{"resident", "consent", N_("Consent to share"), K_CHOICE, &list_consent},
	{"resident", "consent_date", N_("Consent given"), K_DATE, NULL},
};
#define NITEMS ARRAY_SIZE(items)
#define ANSWERS_MAX 200 /* answer rows: the offered entries of the three lists */

/* A step of the checklist: its own fields, then the stay's that belong with its item. */
static const struct edit_item step_items[] = {
	{"checklist_step", "status", N_("Status"), K_CHOICE, &list_status},
	{"checklist_step", "date", N_("Date"), K_DATE_ANY, NULL},
	{"checklist_step", "responsible", N_("Responsible"), K_CHOICE, &list_responsible},
	{"checklist_step", "responsible_name", N_("Responsible, name"), K_TEXT, NULL},
	{"checklist_step", "note", N_("Note"), K_TEXT, NULL},
};
static const struct edit_item support_items[] = {
	{"stay", "support_method", N_("Support"), K_CHOICE, &list_support},
	{"stay", "support_granted_at", N_("Support granted"), K_DATE, NULL},
	{"stay", "support_start", N_("Support starts"), K_DATE_ANY, NULL},
};
static const struct edit_item housing_items[] = {
	{"stay", "move_in_date", N_("Move-in date"), K_DATE_ANY, NULL},
};

/* The ticked answers come after the fields: one row per offered cause, debt and substance. */
static const struct {
	const char *list;
	const struct choice_list *choices;
	enum kind kind;
} answer_lists[] = {
	{"cause", &list_causes, K_MULTI},
	{"misuse", &list_substances, K_MISUSE},
	{"debt", &list_debts, K_MULTI},
};

enum { A_EDIT = 1, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HISTORY, A_SAVE, A_CANCEL, A_BACK, A_TREAT };

static const struct ui_action browse_actions[] = {
	{A_EDIT, 0, KEY_ENTER, N_("Enter"), N_("change"), N_("Change the field under the cursor (yes/no fields: Enter switches).")},
	{A_EDIT, ' ', 0, N_("Space"), NULL, N_("Answers: tick or untick a cause or a debt; a substance goes current, earlier, no, unknown.")},
	{A_TREAT, 'b', 0, N_("b"), NULL, N_("Substance under the cursor: in treatment or not.")},
	{A_HISTORY, 'h', 0, N_("h"), N_("history"), N_("Show or hide the history of the field under the cursor: old values, who, when.")},
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("Previous field.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("Next field.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, 0, KEY_NPAGE, N_("PgDn"), NULL, N_("One page down.")},
	{A_BACK, 27, 0, N_("Esc"), N_("back"), N_("Back to the resident.")},
};

/* A step has no answers to tick: Space and b mean nothing here. */
static const struct ui_action step_browse_actions[] = {
	{A_EDIT, 0, KEY_ENTER, N_("Enter"), N_("change"), N_("Change the field under the cursor.")},
	{A_HISTORY, 'h', 0, N_("h"), N_("history"), N_("Show or hide the history of the field under the cursor: old values, who, when.")},
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("Previous field.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("Next field.")},
	{A_BACK, 27, 0, N_("Esc"), N_("back"), N_("Back to the checklist.")},
};

static const struct ui_action typing_actions[] = {
	{A_SAVE, 0, KEY_ENTER, N_("Enter"), N_("save"), N_("Save the new value; the old one stays in the history.")},
	{A_SAVE, 19, KEY_F(2), N_("F2/Ctrl-S"), NULL, N_("The same as Enter.")},
	{A_CANCEL, 27, 0, N_("Esc"), N_("cancel"), N_("Leave the field as it was.")},
};

struct edit_state {
	struct app *app;
	struct edit_item all[ARRAY_SIZE(items) + ANSWERS_MAX]; /* the fields, then the answers */
	size_t nall;
	char id[ID_LEN];
	char stay_id[ID_LEN]; /* "" when the resident has no stay */
	char *step;           /* step_screen: the step's code; NULL for edit_screen */
	char *heading;        /* step_screen: "Step · Item" */
	size_t sel, top;
	int typing, show_history, rows;
	int fresh; /* the old value is shown; the first letter typed replaces it */
	struct ui_input input;
	char message[256];
	struct form_field form[NITEMS]; /* all[i]'s value for each field before the answers */
	size_t nform;
	struct clash_view clash;
	int clashing; /* the clash screen is shown in place of the fields */
};

/* The id of the record an item is a field of (for answers, resident/list/code). */
static char *row_id_of(const struct edit_state *s, const struct edit_item *it)
{
	if (str_eq(it->table, "answer"))
		return xasprintf("%s/%s/%s", s->id, it->kind == K_MISUSE ? "misuse" : it->label,
				 it->key);
	if (str_eq(it->table, "checklist_step")) /* checklist_step.id is stay_id/step */
		return s->stay_id[0] ? xasprintf("%s/%s", s->stay_id, s->step) : xstrdup("");
	return xstrdup(str_eq(it->table, "stay") ? s->stay_id : s->id);
}

/* The record a field is written to; "" when it needs a stay and the resident has none. */
static const char *row_id(const struct edit_state *s, const struct edit_item *it)
{
	return str_eq(it->table, "resident") ? s->id : s->stay_id;
}

/* The answers' rows: the table is "answer", the key the code, the label the list's name. */
static void add_answer_items(struct edit_state *s)
{
	for (size_t l = 0; l < ARRAY_SIZE(answer_lists); l++) {
		const struct choice *c[ANSWERS_MAX];
		size_t n = choice_offered(answer_lists[l].choices, c, ANSWERS_MAX);
		for (size_t i = 0; i < n && i < ANSWERS_MAX && s->nall < ARRAY_SIZE(s->all); i++)
			s->all[s->nall++] = (struct edit_item){"answer", c[i]->code,
							       answer_lists[l].list,
							       answer_lists[l].kind,
							       answer_lists[l].choices};
	}
}

static void load_stay(struct edit_state *s)
{
	struct record *stays;
	size_t n;
	char *err = NULL;
	s->stay_id[0] = '\0';
	if (db_records_where(s->app->db, "stay", "resident_id", s->id, "arrival", &stays, &n,
			     &err) == 0 && n > 0)
		strlcpy_trunc(s->stay_id, record_get(&stays[n - 1], "id"), ID_LEN);
	free(err);
	if (n > 0)
		records_free(stays, n);
}

/* Loads the fields (not the answers, which Space saves at once) as the form shows them. A
 * step's status reads as not started while the stay has no row for it. Returns 0, or -1
 * having said why on the status line. */
static int load_form(struct edit_state *s)
{
	for (size_t i = 0; i < s->nall && !str_eq(s->all[i].table, "answer"); i++) {
		const struct edit_item *it = &s->all[i];
		char *id = row_id_of(s, it);
		int status = str_eq(it->table, "checklist_step") && str_eq(it->key, "status");
		form_field_init(&s->form[i], it->table, id, it->key, status ? "todo" : NULL);
		free(id);
		s->nform++;
	}
	char *err = NULL;
	int rc = form_load(s->app->db, s->form, s->nform, &err);
	if (rc != 0)
		ui_message("%s", err ? err : "?");
	free(err);
	return rc;
}

static void edit_close(void *state);

static void *edit_open(struct app *app, const void *arg)
{
	if (!may_write_or_say(app))
		return NULL;
	struct edit_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	strlcpy_trunc(s->id, arg, ID_LEN);
	ui_input_init(&s->input, "", 2000);
	load_stay(s);
	memcpy(s->all, items, sizeof(items));
	s->nall = NITEMS;
	add_answer_items(s);
	if (load_form(s) != 0) {
		edit_close(s);
		return NULL;
	}
	return s;
}

static void edit_close(void *state)
{
	struct edit_state *s = state;
	form_fields_free(s->form, s->nform);
	clash_close(&s->clash);
	ui_input_free(&s->input);
	free(s->step);
	free(s->heading);
	free(s);
}

static const char *edit_title(void *state)
{
	struct edit_state *s = state;
	return s->step ? _("Change a checklist step") : _("Change fields");
}

static void add_items(struct edit_state *s, const struct edit_item *add, size_t n)
{
	for (size_t i = 0; i < n && s->nall < ARRAY_SIZE(s->all); i++)
		s->all[s->nall++] = add[i];
}

/* Finds the step in the resident's checklist: its stay, its label and its item's. Returns 0,
 * or -1 having said why on the status line. */
static int find_step(struct edit_state *s, const char *code)
{
	struct checklist c;
	char err[512];
	int rc = resident_checklist(s->app, s->id, &c, err, sizeof(err));
	if (rc <= 0) {
		ui_message("%s", rc < 0 ? err : _("The resident has no stay."));
		return -1;
	}
	const struct checklist_step *st = NULL;
	for (size_t i = 0; i < c.nsteps && !st; i++)
		if (str_eq(c.steps[i].code, code))
			st = &c.steps[i];
	if (st) {
		strlcpy_trunc(s->stay_id, c.stay_id, ID_LEN);
		s->step = xstrdup(st->code);
		s->heading = xasprintf("%s %s %s", checklist_step_label(st), ui_sym("·", "-"),
				       choice_label(&list_items, st->item));
		add_items(s, step_items, ARRAY_SIZE(step_items));
		if (str_eq(st->item, "support"))
			add_items(s, support_items, ARRAY_SIZE(support_items));
		if (str_eq(st->item, "housing"))
			add_items(s, housing_items, ARRAY_SIZE(housing_items));
	} else {
		ui_message("%s", _("The checklist has no such step."));
	}
	checklist_free(&c);
	return st ? 0 : -1;
}

static void *step_open(struct app *app, const void *arg)
{
	const struct step_ref *ref = arg;
	if (!may_write_or_say(app))
		return NULL;
	struct edit_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	strlcpy_trunc(s->id, ref->resident_id, ID_LEN);
	ui_input_init(&s->input, "", 2000);
	if (find_step(s, ref->step) != 0 || load_form(s) != 0) {
		edit_close(s);
		return NULL;
	}
	return s;
}

/* An answer's stored value, read now (a new string, NULL when not answered): Space saves an
 * answer at once from what is stored. */
static char *stored(const struct edit_state *s, const struct edit_item *it)
{
	char *id = row_id_of(s, it);
	struct record r;
	char *err = NULL;
	char *v = NULL;
	if (id[0] && db_record_get(s->app->db, it->table, id, &r, &err) == 1) {
		v = xstrdup_or_null(record_get(&r, "value"));
		if (v && it->kind == K_MISUSE && str_eq(record_get(&r, "treatment"), "1")) {
			char *with = xasprintf("%s/1", v); /* "current/1": in treatment */
			free(v);
			v = with;
		}
		record_free(&r);
	}
	free(id);
	free(err);
	return v;
}

/* The value row i shows: a field's as the form loaded it, an answer's as stored now. */
static char *shown(const struct edit_state *s, size_t i)
{
	return i < s->nform ? xstrdup_or_null(s->form[i].loaded) : stored(s, &s->all[i]);
}

/* How an answer row reads: "[x] Eviction", "Alcohol: current, in treatment". */
static char *answer_text(const struct edit_item *it, const char *v)
{
	const char *label = choice_label(it->list, it->key);
	if (it->kind == K_MULTI)
		return xasprintf("[%s] %s", str_eq(v, "yes") ? "x" : " ", label);
	char value[32] = "";
	if (v)
		sscanf(v, "%31[^/]", value);
	return xasprintf("%s: %s%s", label, v ? choice_label(&list_misuse_values, value) : "-",
			 v && strstr(v, "/1") ? _(", in treatment") : "");
}

/* An answer's old or new value in words: "aktuelt", "ja", "i behandling". */
static char *history_answer(const char *field, const char *v)
{
	if (!v)
		return xstrdup("");
	if (str_eq(field, "treatment"))
		return xstrdup(str_eq(v, "1") ? _("in treatment") : _("not in treatment"));
	if (str_eq(v, "yes") || str_eq(v, "no"))
		return xstrdup(str_eq(v, "yes") ? _("yes") : _("no"));
	return xstrdup(choice_label(&list_misuse_values, v));
}

/* What the history says of this field, newest first, under the list. */
static int draw_history(const struct edit_state *s, const struct edit_item *it, int y, int bottom,
			int width)
{
	struct history_entry *h;
	size_t n;
	char *err = NULL;
	if (db_resident_history(s->app->db, s->id, &h, &n, &err) != 0) {
		free(err);
		return y;
	}
	ui_text(y++, 2, width - 4, STYLE_HEADING, _("History of this field"));
	int shown = 0, answer = str_eq(it->table, "answer");
	char *rid = row_id_of(s, it);
	for (size_t i = 0; i < n && y < bottom; i++) {
		int field = answer ? str_eq(h[i].field, "value") || str_eq(h[i].field, "treatment")
				   : str_eq(h[i].field, it->key);
		if (!field || !str_eq(h[i].row_id, rid))
			continue;
		char when[LOCAL_MIN_LEN], d[DATE_LEN];
		iso_utc_to_local_minute(h[i].at, when);
		date_iso_to_dk(when, d);
		char *old = answer ? history_answer(h[i].field, h[i].old_value)
				   : kind_to_text(it->kind, it->list, h[i].old_value);
		char *new = answer ? history_answer(h[i].field, h[i].new_value)
				   : kind_to_text(it->kind, it->list, h[i].new_value);
		if (it->kind == K_CPR) { /* even here, the whole number only to those who need it */
			char mo[12], mn[12];
			cpr_mask(h[i].old_value ? h[i].old_value : "", mo);
			cpr_mask(h[i].new_value ? h[i].new_value : "", mn);
			free(old);
			free(new);
			old = xstrdup(h[i].old_value ? mo : "");
			new = xstrdup(h[i].new_value ? mn : "");
		}
		char *line = xasprintf("%s %s %s: %s %s %s", d, when[0] ? when + 11 : "", h[i].login,
				       old[0] ? old : "-", ui_sym("→", "->"), new[0] ? new : "-");
		ui_text(y++, 4, width - 6, STYLE_NORMAL, line);
		free(line);
		free(old);
		free(new);
		shown++;
	}
	if (!shown)
		ui_text(y++, 4, width - 6, STYLE_DIM, _("No changes recorded."));
	free(rid);
	history_free(h, n);
	return y;
}

static void edit_draw(void *state, const struct ui_area *a)
{
	struct edit_state *s = state;
	if (s->clashing) {
		clash_draw(&s->clash, a);
		return;
	}
	int y = a->top, label = 30, x = 2 + label, bottom = a->top + a->height - 1;
	if (s->step) {
		ui_text(y++, 1, a->width - 2, STYLE_HEADING, s->heading);
		ui_text(y++, 1, a->width - 2, STYLE_DIM, _("Enter changes, h shows its history"));
	} else {
		ui_text(y++, 1, a->width - 2, STYLE_HEADING,
			_("Change a field: Enter changes, h shows its history"));
	}
	int first = y;
	s->rows = (s->show_history ? (bottom - y) / 2 : bottom - y) - (s->typing ? 6 : 0) - 1;
	if (s->rows < 3)
		s->rows = 3;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + (size_t)s->rows)
		s->top = s->sel - (size_t)s->rows + 1;
	for (size_t i = s->top; i < s->nall && y < first + s->rows; i++) {
		const struct edit_item *it = &s->all[i];
		int sel = i == s->sel;
		if (!str_eq(it->table, "answer"))
			ui_text(y, 2, label - 1, sel ? STYLE_SELECTED : STYLE_NORMAL, _(it->label));
		if (sel && s->typing) {
			ui_input_draw(&s->input, y, x, a->width - x - 1, STYLE_SELECTED);
			y = kind_draw_picks(it->kind, it->list, s->input.buf, y + 1, x, a->width - x - 1);
			continue;
		}
		char *v = shown(s, i);
		if (str_eq(it->table, "answer")) {
			char *line = answer_text(it, v);
			ui_text(y++, 2, a->width - 3, sel ? STYLE_SELECTED : STYLE_NORMAL, line);
			free(line);
			free(v);
			continue;
		}
		char *text = it->kind == K_CPR && v ? NULL : kind_to_text(it->kind, it->list, v);
		char masked[12];
		if (it->kind == K_CPR && v)
			cpr_mask(v, masked); /* shown masked; typing it again replaces it */
		ui_text(y++, x, a->width - x - 1, STYLE_NORMAL,
			text ? (text[0] ? text : "-") : masked);
		free(text);
		free(v);
	}
	if (s->message[0]) /* from the left: a message of a save can be long */
		ui_text(y++, 2, a->width - 3, STYLE_WARN, s->message);
	if (s->show_history)
		draw_history(s, &s->all[s->sel], y + 1, bottom, a->width);
}

/* Why a value cannot be saved in a field (a message id), or NULL. */
static const char *field_problem(const struct edit_state *s, const struct edit_item *it,
				 const char *value)
{
	if (!row_id(s, it)[0])
		return N_("The resident has no stay.");
	if (str_eq(it->table, "checklist_step") && str_eq(it->key, "status") && str_empty(value))
		return N_("Choose from the list.");
	if (str_eq(it->table, "resident") && str_eq(it->key, "name") && str_empty(value))
		return N_("A name is needed (a nickname will do).");
	return NULL;
}

static const char *field_label(void *ctx, size_t i)
{
	const struct edit_state *s = ctx;
	return _(s->all[i].label);
}

/* A value on the clash screen as the form shows it (a CPR number masked, as here). */
static char *field_text(void *ctx, size_t i, const char *value)
{
	const struct edit_state *s = ctx;
	const struct edit_item *it = &s->all[i];
	if (it->kind != K_CPR || !value)
		return kind_to_text(it->kind, it->list, value);
	char masked[12];
	cpr_mask(value, masked);
	return xstrdup(masked);
}

/* Saves the form in one transaction (form_save): the field the user changed is written unless
 * someone else changed it too, which shows the clash screen instead; again says the clash
 * screen was shown before. */
static void save_form(struct edit_state *s, int again)
{
	struct form_outcome out;
	char *err = NULL;
	int rc = form_save(s->app->db, s->form, s->nform, NULL, NULL, &out, &err);
	if (rc == 1) {
		const struct clash_form cf = {field_label, field_text, s};
		clash_open(&s->clash, s->app, s->form, s->nform, &cf, again);
		s->clashing = 1;
		return;
	}
	s->clashing = 0;
	clash_close(&s->clash);
	if (rc == 0) {
		s->typing = 0;
		clash_outcome_text(&out, s->message, sizeof(s->message));
	} else {
		/* Nothing written: the form's field is as loaded again, but what was typed stays in
		 * the open field (a long text is not lost to a full disk or a lock that did not
		 * give way): Enter tries again, Esc gives it up. */
		struct form_field *f = &s->form[s->sel];
		form_set_mine(f, f->loaded);
		s->message[0] = '\0';
		if (db_storage_failed(s->app->db)) /* a long message: the message line has room */
			ui_message("%s", err ? err : "?");
		else
			snprintf(s->message, sizeof(s->message), "%s", err ? err : "?");
	}
	free(err);
}

/* Saves the value of the field under the cursor, with the history keeping the old one. */
static void save_field(struct edit_state *s, const char *value)
{
	const char *problem = field_problem(s, &s->all[s->sel], value);
	if (problem) {
		snprintf(s->message, sizeof(s->message), "%s", _(problem));
		s->typing = 0;
		return;
	}
	form_set_mine(&s->form[s->sel], value);
	save_form(s, 0);
}

/* Space on an answer: ticks or unticks, or moves a substance on; treatment: b. */
static void change_answer(struct edit_state *s, const struct edit_item *it, const char *v,
			  int treatment)
{
	static const char *const cycle[] = {"current", "earlier", "no", "unknown"};
	char value[32] = "";
	if (v)
		sscanf(v, "%31[^/]", value);
	const char *next = NULL, *treat = NULL;
	if (it->kind == K_MULTI) {
		next = str_eq(value, "yes") ? "no" : "yes";
	} else if (treatment) {
		next = v ? value : "current";
		treat = v && strstr(v, "/1") ? "0" : "1";
	} else {
		size_t i = 0;
		while (i < ARRAY_SIZE(cycle) && !str_eq(cycle[i], value))
			i++;
		next = cycle[i < ARRAY_SIZE(cycle) ? (i + 1) % ARRAY_SIZE(cycle) : 0];
	}
	char *err = NULL;
	int rc = answer_set(s->app->db, s->id, it->kind == K_MISUSE ? "misuse" : it->label, it->key,
			    next, treat, &err);
	snprintf(s->message, sizeof(s->message), "%s", rc == 0 ? _("Saved.") : err);
	free(err);
}

static enum ui_result start_change(struct edit_state *s)
{
	const struct edit_item *it = &s->all[s->sel];
	s->message[0] = '\0';
	char *v = shown(s, s->sel);
	if (str_eq(it->table, "answer")) {
		change_answer(s, it, v, 0);
		free(v);
		return UI_HANDLED;
	}
	if (it->kind == K_YESNO) {
		save_field(s, !v ? "1" : str_eq(v, "1") ? "0" : NULL);
		free(v);
		return UI_HANDLED;
	}
	char *text = it->kind == K_CPR ? xstrdup("") : kind_to_text(it->kind, it->list, v);
	ui_input_set(&s->input, text);
	free(text);
	free(v);
	s->typing = 1;
	s->fresh = 1;
	return UI_HANDLED;
}

static enum ui_result finish_change(struct edit_state *s)
{
	const struct edit_item *it = &s->all[s->sel];
	char value[2048];
	const char *problem = kind_from_typed(it->kind, it->list, s->input.buf, value, sizeof(value));
	if (problem) {
		snprintf(s->message, sizeof(s->message), "%s", _(problem));
		return UI_HANDLED;
	}
	save_field(s, value);
	return UI_HANDLED;
}

static void move_selection(struct edit_state *s, long delta)
{
	long sel = (long)s->sel + delta;
	s->sel = sel < 0 ? 0 : sel >= (long)s->nall ? s->nall - 1 : (size_t)sel;
	s->message[0] = '\0';
}

/* A key on the clash screen: a choice saves again; Esc goes back to the field as typed. */
static enum ui_result clash_key(struct edit_state *s, int id)
{
	enum clash_step step = clash_action(&s->clash, id);
	if (step == CLASH_SAVE) {
		save_form(s, 1);
	} else if (step == CLASH_BACK) {
		s->clashing = 0;
		clash_close(&s->clash);
		if (!s->typing) /* a yes/no switched with Enter: nothing of it remains */
			form_set_mine(&s->form[s->sel], s->form[s->sel].loaded);
		snprintf(s->message, sizeof(s->message), "%s", _("Not saved."));
	}
	return UI_HANDLED;
}

static enum ui_result edit_action(void *state, int id)
{
	struct edit_state *s = state;
	if (s->clashing)
		return clash_key(s, id);
	switch (id) {
	case A_EDIT: return start_change(s);
	case A_SAVE: return finish_change(s);
	case A_CANCEL:
		s->typing = 0;
		s->message[0] = '\0';
		if (s->sel < s->nform)
			form_set_mine(&s->form[s->sel], s->form[s->sel].loaded);
		return UI_HANDLED;
	case A_HISTORY:
		s->show_history = !s->show_history;
		return UI_HANDLED;
	case A_TREAT:
		if (s->all[s->sel].kind == K_MISUSE) {
			char *v = stored(s, &s->all[s->sel]);
			change_answer(s, &s->all[s->sel], v, 1);
			free(v);
		}
		return UI_HANDLED;
	case A_UP: move_selection(s, -1); return UI_HANDLED;
	case A_DOWN: move_selection(s, 1); return UI_HANDLED;
	case A_PGUP: move_selection(s, -s->rows); return UI_HANDLED;
	case A_PGDN: move_selection(s, s->rows); return UI_HANDLED;
	case A_BACK: return UI_BACK;
	default: return UI_IGNORED;
	}
}

static enum ui_result edit_key(void *state, const struct ui_key *k)
{
	struct edit_state *s = state;
	if (!s->typing || s->clashing)
		return UI_IGNORED;
	/* Typing over the old value replaces it, as in a spreadsheet; arrows or Backspace first
	 * edit it instead. */
	if (s->fresh && k->ch >= 0x20 && k->ch != 0x7F && k->ch != 27)
		ui_input_set(&s->input, "");
	s->fresh = 0;
	enum ui_result r = ui_input_key(&s->input, k);
	if (r == UI_HANDLED)
		s->message[0] = '\0';
	return r;
}

static const struct ui_action *edit_actions(void *state, size_t *n)
{
	struct edit_state *s = state;
	if (s->clashing)
		return clash_actions(&s->clash, n);
	if (s->typing) {
		*n = ARRAY_SIZE(typing_actions);
		return typing_actions;
	}
	if (s->step) {
		*n = ARRAY_SIZE(step_browse_actions);
		return step_browse_actions;
	}
	*n = ARRAY_SIZE(browse_actions);
	return browse_actions;
}

const struct ui_screen_ops edit_screen = {
	"edit", edit_open, edit_title, edit_draw, edit_key, edit_action, edit_actions, edit_close,
};

const struct ui_screen_ops step_screen = {
	"step", step_open, edit_title, edit_draw, edit_key, edit_action, edit_actions, edit_close,
};
