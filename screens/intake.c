/* The intake (indskrivning) of a new arrival: a form in groups, one screen each on 80x24, the
 * group names on the left so staff see how far they are. Every change is kept as a draft at
 * once, so a dropped SSH connection loses nothing; F2 or Ctrl-S saves after a search for the
 * person among those already registered. */
#include "screens.h"

#include "app.h"
#include "cpr.h"
#include "db.h"
#include "fieldkind.h"
#include "i18n.h"
#include "intake.h"
#include "lists.h"
#include "text.h"
#include "ui_input.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct field {
	int group;
	const char *key;   /* the intake key; for K_MULTI and K_MISUSE the list's name */
	const char *label; /* message id */
	enum kind kind;
	const struct choice_list *list;
};

static const char *const group_names[] = {
	N_("Person"),		     N_("Arrival and municipality"), N_("Causes"),
	N_("Substance misuse"),	     N_("Debt and income"),	     N_("Health and network"),
	N_("Alerts and consent"),
};

static const struct field fields[] = {
	{0, "name", N_("Name"), K_TEXT, NULL},
	{0, "cpr", N_("CPR number"), K_CPR, NULL},
	{0, "birth_date", N_("Born"), K_DATE, NULL},
	{0, "gender", N_("Gender"), K_CHOICE, &list_genders},
	{1, "arrival", N_("Arrival"), K_ARRIVAL, NULL},
	{1, "room", N_("Room"), K_TEXT, NULL},
	{1, "home_kommune", N_("Home municipality"), K_KOMMUNE, NULL},
	{1, "acting_kommune", N_("Acting municipality"), K_KOMMUNE, NULL},
	{1, "paying_kommune", N_("Paying municipality"), K_KOMMUNE, NULL},
	{1, "previous_living", N_("Came from"), K_CHOICE, &list_living},
	{2, "cause", N_("Causes"), K_MULTI, &list_causes},
	{2, "causes_other", N_("Other cause"), K_TEXT, NULL},
	{3, "misuse", N_("Substance misuse"), K_MISUSE, &list_substances},
	{4, "debt", N_("Debt"), K_MULTI, &list_debts},
	{4, "debt_rki", N_("Registered as bad payer (RKI)"), K_YESNO, NULL},
	{4, "debt_total", N_("Debt in all (kr.)"), K_NUMBER, NULL},
	{4, "debt_counselling", N_("Debt counselling"), K_YESNO, NULL},
	{4, "income", N_("Income"), K_CHOICE, &list_incomes},
	{5, "mental_health", N_("Mental health"), K_TEXT, NULL},
	{5, "physical_health", N_("Physical health"), K_TEXT, NULL},
	{5, "prison_history", N_("Prison"), K_TEXT, NULL},
	{5, "hospital_history", N_("Hospital"), K_TEXT, NULL},
	{5, "network", N_("Network"), K_TEXT, NULL},
	{5, "work", N_("Work"), K_TEXT, NULL},
	{6, "alert_safety", N_("Safety"), K_TEXT, NULL},
	{6, "alert_medical", N_("Medical"), K_TEXT, NULL},
	{6, "alert_contact", N_("Who to call"), K_TEXT, NULL},
	{6, "ban_until", N_("House ban until"), K_DATE_ANY, NULL},
	{6, "consent", N_("Consent to share"), K_CHOICE, &list_consent},
	{6, "consent_date", N_("Consent given"), K_DATE, NULL},
};
#define NFIELDS ARRAY_SIZE(fields)

enum { A_SAVE = 1, A_NEXT, A_PREV, A_NEXT_GROUP, A_PREV_GROUP, A_LEAVE, A_TOGGLE, A_TREAT,
       A_UP, A_DOWN, A_PICK, A_NEW_PERSON };

static const struct ui_action form_actions[] = {
	{A_SAVE, 19, KEY_F(2), N_("F2/Ctrl-S"), N_("save"), N_("Save the intake.")},
	{A_NEXT, '\t', KEY_ENTER, N_("Tab/Enter"), N_("next"), N_("Next field.")},
	{A_PREV, 0, KEY_BTAB, N_("Shift-Tab"), NULL, N_("Previous field.")},
	{A_NEXT_GROUP, 0, KEY_NPAGE, N_("PgDn"), NULL, N_("Next group of questions.")},
	{A_PREV_GROUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("Previous group of questions.")},
	{A_LEAVE, 27, 0, N_("Esc"), N_("leave (draft kept)"), N_("Leave the form; what is typed is kept as a draft.")},
};

static const struct ui_action list_field_actions[] = {
	{A_SAVE, 19, KEY_F(2), N_("F2/Ctrl-S"), N_("save"), N_("Save the intake.")},
	{A_TOGGLE, ' ', 0, N_("Space"), N_("tick"), N_("Tick or change the answer under the cursor.")},
	{A_TREAT, 'b', 0, N_("b"), N_("in treatment"), N_("Misuse: in treatment or not.")},
	{A_UP, 0, KEY_UP, N_("Up"), NULL, N_("Previous answer in the list.")},
	{A_DOWN, 0, KEY_DOWN, N_("Down"), NULL, N_("Next answer in the list.")},
	{A_NEXT, '\t', KEY_ENTER, N_("Tab/Enter"), N_("next"), N_("Next field.")},
	{A_PREV, 0, KEY_BTAB, N_("Shift-Tab"), NULL, N_("Previous field.")},
	{A_NEXT_GROUP, 0, KEY_NPAGE, N_("PgDn"), NULL, N_("Next group of questions.")},
	{A_PREV_GROUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("Previous group of questions.")},
	{A_LEAVE, 27, 0, N_("Esc"), N_("leave (draft kept)"), N_("Leave the form; what is typed is kept as a draft.")},
};

static const struct ui_action match_actions[] = {
	{A_PICK, 0, KEY_ENTER, N_("Enter"), N_("same person"), N_("The selected resident is the one arriving: a new stay on their record.")},
	{A_NEW_PERSON, 'n', 0, N_("n"), N_("new person"), N_("None of these: register a new person.")},
	{A_UP, 0, KEY_UP, N_("Up"), NULL, N_("Previous match.")},
	{A_DOWN, 0, KEY_DOWN, N_("Down"), NULL, N_("Next match.")},
	{A_LEAVE, 27, 0, N_("Esc"), N_("back to the form"), N_("Back to the form without saving.")},
};

#define OFFERED_MAX 64 /* entries of one answer list */

struct intake_state {
	struct app *app;
	struct intake in;
	size_t field;          /* the field with the cursor */
	struct ui_input edit;  /* its text, for the kinds typed into */
	size_t item;           /* the answer under the cursor, in list fields */
	char message[256];     /* what is wrong with a field, shown under it */
	size_t message_field;  /* the field the message is about */
	char default_arrival[LOCAL_MIN_LEN]; /* the arrival the form filled in */
	struct intake_match *matches; /* when non-NULL: choosing who this is */
	size_t nmatches, match_sel;
	int saved; /* the intake is a resident now: no draft to keep */
	int draft_lost;  /* the draft could not be kept (a full disk): what is typed is only here */
	int leave_armed; /* Esc was pressed once while draft_lost: again leaves */
};


/* The text a field shows for editing: the stored value as staff typed it. */
static char *field_text(const struct intake_state *s, const struct field *f)
{
	char *typed_key = xasprintf("%s%s", INTAKE_TYPED, f->key);
	const char *typed = intake_get(&s->in, typed_key);
	free(typed_key);
	if (typed)
		return xstrdup(typed);
	return kind_to_text(f->kind, f->list, intake_get(&s->in, f->key));
}

static void start_editing(struct intake_state *s)
{
	const struct field *f = &fields[s->field];
	s->item = 0;
	if (!kind_is_typed(f->kind))
		return;
	char *text = field_text(s, f);
	ui_input_free(&s->edit);
	ui_input_init(&s->edit, text, 2000);
	free(text);
}

/* --- turning typed text into values ------------------------------------------------------ */

static void today_and_now(char today[DATE_LEN], char now[LOCAL_MIN_LEN])
{
	time_to_local_date(clock_now(), today);
	time_to_local_minute(clock_now(), now);
}



/* Stores what is typed into the current field; returns a problem (message id) or NULL. What
 * is not valid yet stays as typed ("typed/KEY"), so nothing typed is ever lost. */
static const char *take_typed(struct intake_state *s, const char *typed)
{
	const struct field *f = &fields[s->field];
	char value[2048], birth[DATE_LEN];
	const char *problem = kind_from_typed(f->kind, f->list, typed, value, sizeof(value));
	char *typed_key = xasprintf("%s%s", INTAKE_TYPED, f->key);
	intake_set(&s->in, typed_key, problem ? typed : NULL);
	free(typed_key);
	if (problem)
		return problem;
	intake_set(&s->in, f->key, value);
	/* The CPR number's date part is the birth date (also when the number is corrected). */
	if (f->kind == K_CPR && value[0] && cpr_is_valid(value, birth))
		intake_set(&s->in, "birth_date", birth);
	return NULL;
}

/* Nothing typed yet: at most the arrival, as the form filled it in. */
static int intake_is_blank(const struct intake_state *s)
{
	const struct intake *in = &s->in;
	return in->n == 0 || (in->n == 1 && str_eq(in->values[0].key, "arrival") &&
			      str_eq(in->values[0].value, s->default_arrival));
}

static void keep_draft(struct intake_state *s)
{
	char *err = NULL;
	int blank = s->saved || intake_is_blank(s);
	int rc = blank ? draft_delete(s->app->db, "intake", &err)
		       : draft_save(s->app->db, "intake", &s->in, &err);
	s->draft_lost = rc != 0 && !blank;
	if (rc != 0) {
		/* A full disk, a read-only file: their words say already that nothing was saved. */
		if (db_storage_failed(s->app->db))
			ui_message("%s", err);
		else
			ui_message(_("The draft could not be kept: %s"), err);
		free(err);
	}
}

/* Leaving a field: its text becomes a value (or stays as typed, with a message). */
static void leave_field(struct intake_state *s)
{
	const struct field *f = &fields[s->field];
	if (!kind_is_typed(f->kind))
		return;
	const char *problem = take_typed(s, s->edit.buf);
	if (problem || s->message_field == s->field) {
		snprintf(s->message, sizeof(s->message), "%s", problem ? _(problem) : "");
		s->message_field = s->field;
	}
	keep_draft(s);
}

static void go_to_field(struct intake_state *s, size_t i)
{
	leave_field(s);
	s->field = i;
	start_editing(s);
}

/* --- list answers ------------------------------------------------------------------------ */

/* The answers a list field offers (hidden entries are not offered for a new intake). */
static size_t entries(const struct field *f, const struct choice **out)
{
	size_t n = choice_offered(f->list, out, OFFERED_MAX);
	return n < OFFERED_MAX ? n : OFFERED_MAX;
}

static char *answer_key(const struct field *f, const char *prefix, size_t item)
{
	const struct choice *e[OFFERED_MAX];
	size_t n = entries(f, e);
	return xasprintf("%s/%s", prefix ? prefix : f->key, item < n ? e[item]->code : "?");
}

static void toggle_answer(struct intake_state *s)
{
	const struct field *f = &fields[s->field];
	if (f->kind == K_YESNO) {
		const char *v = intake_get(&s->in, f->key);
		intake_set(&s->in, f->key, !v ? "1" : str_eq(v, "1") ? "0" : NULL);
	} else if (f->kind == K_MULTI) {
		char *key = answer_key(f, NULL, s->item);
		intake_set(&s->in, key, intake_get(&s->in, key) ? NULL : "yes");
		free(key);
	} else if (f->kind == K_MISUSE) {
		static const char *const cycle[] = {"current", "earlier", "no", "unknown"};
		char *key = answer_key(f, NULL, s->item);
		const char *v = intake_get(&s->in, key);
		size_t next = 0;
		for (size_t i = 0; v && i < ARRAY_SIZE(cycle); i++)
			if (str_eq(v, cycle[i]))
				next = i + 1;
		intake_set(&s->in, key, next < ARRAY_SIZE(cycle) ? cycle[next] : NULL);
		free(key);
	}
	keep_draft(s);
}

static void toggle_treatment(struct intake_state *s)
{
	const struct field *f = &fields[s->field];
	if (f->kind != K_MISUSE)
		return;
	char *key = answer_key(f, "treatment", s->item);
	intake_set(&s->in, key, intake_get(&s->in, key) ? NULL : "1");
	free(key);
	keep_draft(s);
}

/* --- open / close ------------------------------------------------------------------------ */

static void *intake_open(struct app *app, const void *arg)
{
	(void)arg;
	if (!may_write_or_say(app))
		return NULL;
	struct intake_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	intake_init(&s->in);
	ui_input_init(&s->edit, "", 2000);
	char *err = NULL;
	int found = draft_load(app->db, "intake", &s->in, &err);
	if (found < 0) {
		ui_message("%s", err);
		free(err);
	} else if (found) {
		ui_message("%s", _("Your unsaved intake is back: carry on where you left off."));
	}
	if (!intake_get(&s->in, "arrival")) {
		char now[LOCAL_MIN_LEN];
		time_to_local_minute(clock_now(), now);
		intake_set(&s->in, "arrival", now);
		memcpy(s->default_arrival, now, LOCAL_MIN_LEN);
	}
	start_editing(s);
	return s;
}

static void intake_close(void *state)
{
	struct intake_state *s = state;
	if (!s->saved)
		leave_field(s); /* also on SIGHUP: the loop closes every screen before it ends */
	intake_matches_free(s->matches, s->nmatches);
	intake_free(&s->in);
	ui_input_free(&s->edit);
	free(s);
}

static const char *intake_title(void *state)
{
	(void)state;
	return _("New arrival");
}

static const struct ui_action *intake_actions(void *state, size_t *n)
{
	struct intake_state *s = state;
	if (s->matches) {
		*n = ARRAY_SIZE(match_actions);
		return match_actions;
	}
	if (!kind_is_typed(fields[s->field].kind)) {
		*n = ARRAY_SIZE(list_field_actions);
		return list_field_actions;
	}
	*n = ARRAY_SIZE(form_actions);
	return form_actions;
}

/* --- drawing ----------------------------------------------------------------------------- */

#define GROUP_COLS 26 /* the group names on the left */
#define LABEL_COLS 24

static void draw_groups(const struct intake_state *s, const struct ui_area *a)
{
	int current = fields[s->field].group;
	ui_text(a->top, 1, GROUP_COLS - 2, STYLE_HEADING, _("New arrival"));
	for (size_t g = 0; g < ARRAY_SIZE(group_names); g++) {
		char line[96];
		snprintf(line, sizeof(line), "%zu %s", g + 1, _(group_names[g]));
		ui_text(a->top + 2 + (int)g, 1, GROUP_COLS - 2,
			(int)g == current ? STYLE_SELECTED : STYLE_NORMAL, line);
	}
}

static int draw_list_field(const struct intake_state *s, const struct field *f, int focused,
			   int y, int x, int width, int bottom)
{
	const struct choice *e[OFFERED_MAX];
	size_t n = entries(f, e);
	for (size_t i = 0; i < n && y < bottom; i++) {
		char *key = answer_key(f, NULL, i);
		const char *v = intake_get(&s->in, key);
		const char *label = choice_label(f->list, e[i]->code);
		char line[256];
		if (f->kind == K_MULTI) {
			snprintf(line, sizeof(line), "[%s] %s", v ? "x" : " ", label);
		} else {
			char *tk = answer_key(f, "treatment", i);
			int pad = 24 - ui_width(label);
			snprintf(line, sizeof(line), "%s%*s %-10s %s", label, pad > 0 ? pad : 0, "",
				 v ? choice_label(&list_misuse_values, v) : "-",
				 intake_get(&s->in, tk) ? _("in treatment") : "");
			free(tk);
		}
		free(key);
		ui_text(y++, x, width, focused && i == s->item ? STYLE_SELECTED : STYLE_NORMAL, line);
	}
	return y;
}

static void draw_fields(struct intake_state *s, const struct ui_area *a)
{
	int group = fields[s->field].group;
	int x = GROUP_COLS, width = a->width - GROUP_COLS - 1, y = a->top;
	int bottom = a->top + a->height - 1;
	ui_text(y, x, width, STYLE_HEADING, _(group_names[group]));
	y += 2;
	for (size_t i = 0; i < NFIELDS && y < bottom; i++) {
		const struct field *f = &fields[i];
		if (f->group != group)
			continue;
		int focused = i == s->field;
		ui_text(y, x, LABEL_COLS - 1, focused ? STYLE_HEADING : STYLE_NORMAL, _(f->label));
		int vx = x + LABEL_COLS, vw = width - LABEL_COLS;
		if (f->kind == K_MULTI || f->kind == K_MISUSE) {
			y = draw_list_field(s, f, focused, y + 1, x + 2, width - 2, bottom);
			continue;
		}
		if (focused && kind_is_typed(f->kind)) {
			ui_input_draw(&s->edit, y, vx, vw, STYLE_SELECTED);
			y = kind_draw_picks(f->kind, f->list, s->edit.buf, y + 1, vx, vw);
		} else if (f->kind == K_YESNO) {
			const char *v = intake_get(&s->in, f->key);
			ui_text(y++, vx, vw, focused ? STYLE_SELECTED : STYLE_NORMAL,
				!v ? "-" : str_eq(v, "1") ? _("yes") : _("no"));
		} else {
			char *text = field_text(s, f);
			ui_text(y++, vx, vw, STYLE_NORMAL, text[0] ? text : "-");
			free(text);
		}
		if (i == s->message_field && s->message[0])
			ui_text(y++, vx, vw, STYLE_WARN, s->message);
	}
}

static void draw_matches(struct intake_state *s, const struct ui_area *a)
{
	int y = a->top;
	ui_text(y++, 1, a->width - 2, STYLE_HEADING,
		_("Is this someone already registered? A returning resident gets a new stay."));
	y++;
	for (size_t i = 0; i < s->nmatches && y < a->top + a->height - 1; i++) {
		const struct intake_match *m = &s->matches[i];
		char line[512], d[DATE_LEN];
		date_iso_to_dk(m->birth_date, d);
		snprintf(line, sizeof(line), "%s  %s  %s%s", m->id, m->name, d[0] ? d : "-",
			 m->present ? _("  (staying here now)") : "");
		ui_text(y++, 2, a->width - 4, i == s->match_sel ? STYLE_SELECTED : STYLE_NORMAL,
			line);
	}
}

static void intake_draw(void *state, const struct ui_area *a)
{
	struct intake_state *s = state;
	if (s->matches) {
		draw_matches(s, a);
		return;
	}
	draw_groups(s, a);
	draw_fields(s, a);
}

/* --- saving ------------------------------------------------------------------------------ */

static enum ui_result save_as(struct intake_state *s, const char *resident_id)
{
	char id[ID_LEN], *err = NULL;
	if (intake_save(s->app->db, &s->in, resident_id, id, &err) != 0) {
		ui_message("%s", err);
		free(err);
		return UI_HANDLED;
	}
	s->saved = 1; /* intake_save removed the draft with the same transaction */
	static char opened[ID_LEN]; /* outlives this screen, which closes before the next opens */
	memcpy(opened, id, ID_LEN);
	ui_message("%s", _("Saved."));
	ui_push(&resident_screen, opened);
	return UI_BACK;
}

static enum ui_result try_save(struct intake_state *s)
{
	leave_field(s);
	char today[DATE_LEN], now[LOCAL_MIN_LEN];
	today_and_now(today, now);
	const char *key;
	const char *problem = intake_check(&s->in, today, now, &key);
	if (problem) {
		for (size_t i = 0; i < NFIELDS; i++)
			if (str_eq(fields[i].key, key))
				s->field = i;
		start_editing(s);
		/* Text left as typed: say again what is wrong with it, not just that it is. */
		char value[2048];
		const char *why = kind_is_typed(fields[s->field].kind)
					  ? kind_from_typed(fields[s->field].kind, fields[s->field].list,
							    s->edit.buf, value, sizeof(value))
					  : NULL;
		snprintf(s->message, sizeof(s->message), "%s", _(why ? why : problem));
		s->message_field = s->field;
		return UI_HANDLED;
	}
	char *err = NULL;
	if (intake_find_matches(s->app->db, intake_get(&s->in, "name"),
				intake_get(&s->in, "birth_date"), intake_get(&s->in, "cpr"),
				&s->matches, &s->nmatches, 8, &err) != 0) {
		ui_message("%s", err);
		free(err);
		return UI_HANDLED;
	}
	if (s->nmatches == 0) {
		free(s->matches);
		s->matches = NULL;
		return save_as(s, NULL);
	}
	s->match_sel = 0;
	return UI_HANDLED;
}

static void end_matches(struct intake_state *s)
{
	intake_matches_free(s->matches, s->nmatches);
	s->matches = NULL;
	s->nmatches = 0;
}

static enum ui_result match_action(struct intake_state *s, int id)
{
	char chosen[ID_LEN];
	switch (id) {
	case A_UP:
		s->match_sel -= s->match_sel > 0;
		return UI_HANDLED;
	case A_DOWN:
		s->match_sel += s->match_sel + 1 < s->nmatches;
		return UI_HANDLED;
	case A_PICK:
		memcpy(chosen, s->matches[s->match_sel].id, ID_LEN);
		end_matches(s);
		return save_as(s, chosen);
	case A_NEW_PERSON:
		end_matches(s);
		return save_as(s, NULL);
	case A_LEAVE:
		end_matches(s);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

/* --- keys -------------------------------------------------------------------------------- */

static size_t first_of_group(int group)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].group == group)
			return i;
	return 0;
}

static enum ui_result intake_action(void *state, int id)
{
	struct intake_state *s = state;
	if (s->matches)
		return match_action(s, id);
	int group = fields[s->field].group, ngroups = (int)ARRAY_SIZE(group_names);
	const struct field *f = &fields[s->field];
	switch (id) {
	case A_SAVE:
		return try_save(s);
	case A_NEXT:
		go_to_field(s, (s->field + 1) % NFIELDS);
		break;
	case A_PREV:
		go_to_field(s, (s->field + NFIELDS - 1) % NFIELDS);
		break;
	case A_NEXT_GROUP:
		go_to_field(s, first_of_group((group + 1) % ngroups));
		break;
	case A_PREV_GROUP:
		go_to_field(s, first_of_group((group + ngroups - 1) % ngroups));
		break;
	case A_TOGGLE:
		toggle_answer(s);
		break;
	case A_TREAT:
		toggle_treatment(s);
		break;
	case A_UP:
		if (f->list && s->item > 0)
			s->item--;
		break;
	case A_DOWN: {
		const struct choice *e[OFFERED_MAX];
		if (f->list && s->item + 1 < entries(f, e))
			s->item++;
		break;
	}
	case A_LEAVE:
		leave_field(s);
		/* What is typed is only on this screen: leaving loses it, not at the first Esc. */
		if (s->draft_lost && !s->leave_armed) {
			s->leave_armed = 1;
			ui_message("%s", _("The intake could not be kept as a draft: Esc again "
					   "leaves and loses it."));
			return UI_HANDLED;
		}
		ui_message("%s", s->draft_lost	       ? _("The intake was not kept.")
				 : intake_is_blank(s) ? _("Nothing was typed, so there is no draft.")
						      : _("The intake is kept as a draft: n on the "
							  "list brings it back."));
		return UI_BACK;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED;
}

/* Typed fields get the keys first; on a yes/no field, Space toggles as in the lists. */
static enum ui_result intake_key(void *state, const struct ui_key *k)
{
	struct intake_state *s = state;
	if (k->ch != 27)
		s->leave_armed = 0;
	/* Quitting would lose what could not be kept as a draft: say so, unless it can be now. */
	if (k->code == KEY_F(10) && s->draft_lost && !s->saved) {
		leave_field(s);
		if (s->draft_lost) {
			ui_message("%s", _("Not kept as a draft: F2 saves the intake, Esc twice "
					   "leaves without it."));
			return UI_HANDLED;
		}
	}
	if (s->matches)
		return UI_IGNORED;
	const struct field *f = &fields[s->field];
	if (f->kind == K_YESNO && k->ch == ' ') {
		toggle_answer(s);
		return UI_HANDLED;
	}
	/* A stray q in the middle of an intake must not end husly: Esc leaves, F10 quits. */
	if (!kind_is_typed(f->kind) && k->ch == 'q') {
		ui_message("%s", _("Esc leaves the form (the draft is kept); F10 quits husly."));
		return UI_HANDLED;
	}
	if (!kind_is_typed(f->kind))
		return UI_IGNORED;
	enum ui_result r = ui_input_key(&s->edit, k);
	if (r == UI_HANDLED) {
		s->message[0] = '\0';
		char *typed_key = xasprintf("%s%s", INTAKE_TYPED, f->key);
		intake_set(&s->in, typed_key, s->edit.buf); /* every keystroke is in the draft */
		free(typed_key);
		keep_draft(s);
	}
	return r;
}

const struct ui_screen_ops intake_screen = {
	"intake", intake_open, intake_title, intake_draw, intake_key, intake_action,
	intake_actions, intake_close,
};
