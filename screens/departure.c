/* A resident leaves (udskrivning): when, where to, and a note. Opened with u from the resident
 * screen over the open stay. The form (form.h) remembers the stay's departure fields as it
 * opened; the save reads them again in its transaction, so a departure someone else saved
 * meanwhile is never overwritten unseen: the clash screen (clash.h) shows it and lets the user
 * choose. */
#include "screens.h"

#include "app.h"
#include "clash.h"
#include "datetyped.h"
#include "form.h"
#include "i18n.h"
#include "lists.h"
#include "stay.h"
#include "ui_input.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_WHEN, F_WHERE, F_NOTE, F_COUNT };

static const char *const field_labels[F_COUNT] = {N_("Departure"), N_("Moved to"),
						  N_("Note on leaving")};
/* The stay's fields each form field is saved to. */
static const char *const stay_fields[F_COUNT] = {"departure", "destination", "departure_note"};

enum { A_SAVE = 1, A_NEXT, A_PREV, A_CANCEL };

static const struct ui_action departure_actions[] = {
	{A_SAVE, 19, KEY_F(2), N_("F2/Ctrl-S"), N_("save"), N_("End the stay with these answers.")},
	{A_NEXT, '\t', KEY_ENTER, N_("Tab/Enter"), N_("next"), N_("Next field.")},
	{A_PREV, 0, KEY_BTAB, N_("Shift-Tab"), NULL, N_("Previous field.")},
	{A_CANCEL, 27, 0, N_("Esc"), N_("cancel"), N_("Back to the resident; nothing is changed.")},
};

#define PICKS 6

struct departure_state {
	struct app *app;
	char id[ID_LEN];
	struct ui_input input[F_COUNT];
	int field;
	char message[256];
	struct form_field form[F_COUNT]; /* the stay's departure fields, as loaded */
	struct clash_view clash;
	int clashing; /* the clash screen is shown in place of the form */
};

/* The open stay's departure fields as the form opens. Returns 0, or -1 having said why. */
static int load_stay(struct departure_state *s)
{
	char stay[ID_LEN];
	char *err = NULL;
	int rc = stay_open_of(s->app->db, s->id, stay, &err);
	for (int i = 0; i < F_COUNT; i++)
		form_field_init(&s->form[i], "stay", rc == 1 ? stay : "", stay_fields[i], NULL);
	if (rc == 1)
		rc = form_load(s->app->db, s->form, F_COUNT, &err) == 0 ? 1 : -1;
	if (rc != 1)
		ui_message("%s", rc == 0 ? _("The resident is not staying here.") : err ? err : "?");
	free(err);
	return rc == 1 ? 0 : -1;
}

static void departure_close(void *state);

static void *departure_open(struct app *app, const void *arg)
{
	if (!may_write_or_say(app))
		return NULL;
	struct departure_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	strlcpy_trunc(s->id, arg, ID_LEN);
	if (load_stay(s) != 0) {
		departure_close(s);
		return NULL;
	}
	char now[LOCAL_MIN_LEN], d[DATE_LEN];
	time_to_local_minute(clock_now(), now);
	date_iso_to_dk(now, d);
	char *when = xasprintf("%s %s", d, now + 11);
	ui_input_init(&s->input[F_WHEN], when, 64);
	free(when);
	ui_input_init(&s->input[F_WHERE], "", 200);
	ui_input_init(&s->input[F_NOTE], "", 2000);
	return s;
}

static void departure_close(void *state)
{
	struct departure_state *s = state;
	for (int i = 0; i < F_COUNT; i++)
		ui_input_free(&s->input[i]);
	form_fields_free(s->form, F_COUNT);
	clash_close(&s->clash);
	free(s);
}

static const char *departure_title(void *state)
{
	(void)state;
	return _("Departure");
}

static void departure_draw(void *state, const struct ui_area *a)
{
	struct departure_state *s = state;
	if (s->clashing) {
		clash_draw(&s->clash, a);
		return;
	}
	int y = a->top, label = 22, x = 2 + label;
	ui_text(y, 1, a->width - 2, STYLE_HEADING, _("The resident leaves (udskrivning)"));
	y += 2;
	for (int i = 0; i < F_COUNT; i++) {
		ui_text(y, 2, label - 1, i == s->field ? STYLE_HEADING : STYLE_NORMAL,
			_(field_labels[i]));
		if (i == s->field)
			ui_input_draw(&s->input[i], y, x, a->width - x - 1, STYLE_SELECTED);
		else
			ui_text(y, x, a->width - x - 1, STYLE_NORMAL,
				s->input[i].buf[0] ? s->input[i].buf : "-");
		y++;
		if (i == F_WHERE) {
			const struct choice *c[PICKS];
			size_t n = choice_search(&list_destinations, s->input[i].buf, c, PICKS);
			for (size_t j = 0; j < n && i == s->field; j++)
				ui_text(y++, x + 2, a->width - x - 3,
					j == 0 ? STYLE_SELECTED : STYLE_DIM,
					choice_label(&list_destinations, c[j]->code));
		}
	}
	if (s->message[0])
		ui_text(y + 1, 2, a->width - 3, STYLE_WARN, s->message);
}

/* The destination typed: the first entry the type-ahead offers. */
static const char *destination_typed(const char *typed)
{
	const struct choice *c[1];
	return typed[0] && choice_search(&list_destinations, typed, c, 1) ? c[0]->code : NULL;
}

static const char *field_label(void *ctx, size_t i)
{
	(void)ctx;
	return _(field_labels[i]);
}

/* A stored departure value as staff read it: the time the Danish way, the destination's
 * label. */
static char *field_text(void *ctx, size_t i, const char *value)
{
	(void)ctx;
	char minute[32];
	if (!value)
		return xstrdup("");
	if (i == F_WHEN)
		return xstrdup(dk_minute(value, minute, sizeof(minute)));
	if (i == F_WHERE)
		return xstrdup(choice_label(&list_destinations, value));
	return xstrdup(value);
}

/* Ends the stay with the form's values (form_save, checked by stay_departure_check); a
 * departure someone else saved meanwhile shows the clash screen instead. */
static enum ui_result save_form(struct departure_state *s, int again)
{
	struct form_outcome out;
	char *err = NULL;
	int rc = form_save(s->app->db, s->form, F_COUNT, stay_departure_check, NULL, &out, &err);
	s->clashing = rc == 1;
	if (rc == 1) {
		const struct clash_form cf = {field_label, field_text, s};
		clash_open(&s->clash, s->app, s->form, F_COUNT, &cf, again);
		return UI_HANDLED;
	}
	clash_close(&s->clash);
	if (rc != 0) {
		s->field = form_value(&s->form[F_WHERE]) ? F_WHEN : F_WHERE;
		snprintf(s->message, sizeof(s->message), "%s", err ? err : "?");
		free(err);
		return UI_HANDLED;
	}
	char text[256];
	clash_outcome_text(&out, text, sizeof(text));
	ui_message("%s", out.kept ? text : _("The stay is ended."));
	return UI_BACK;
}

static enum ui_result save(struct departure_state *s)
{
	char now[LOCAL_MIN_LEN], when[LOCAL_MIN_LEN];
	time_to_local_minute(clock_now(), now);
	const char *problem = datetime_parse_typed(s->input[F_WHEN].buf, now, when);
	if (problem) {
		s->field = F_WHEN;
		snprintf(s->message, sizeof(s->message), "%s", _(problem));
		return UI_HANDLED;
	}
	form_set_mine(&s->form[F_WHEN], when);
	form_set_mine(&s->form[F_WHERE], destination_typed(s->input[F_WHERE].buf));
	form_set_mine(&s->form[F_NOTE], s->input[F_NOTE].buf);
	return save_form(s, 0);
}

/* A key on the clash screen: a choice saves again; Esc goes back to the form as typed. */
static enum ui_result clash_key(struct departure_state *s, int id)
{
	enum clash_step step = clash_action(&s->clash, id);
	if (step == CLASH_SAVE)
		return save_form(s, 1);
	if (step == CLASH_BACK) {
		s->clashing = 0;
		clash_close(&s->clash);
		snprintf(s->message, sizeof(s->message), "%s", _("Not saved."));
	}
	return UI_HANDLED;
}

static enum ui_result departure_action(void *state, int id)
{
	struct departure_state *s = state;
	if (s->clashing)
		return clash_key(s, id);
	switch (id) {
	case A_SAVE:
		return save(s);
	case A_NEXT:
		if (s->field == F_COUNT - 1)
			return save(s); /* Enter on the last field saves, as one expects */
		s->field++;
		return UI_HANDLED;
	case A_PREV:
		s->field = (s->field + F_COUNT - 1) % F_COUNT;
		return UI_HANDLED;
	case A_CANCEL:
		return UI_BACK;
	default:
		return UI_IGNORED;
	}
}

static enum ui_result departure_key(void *state, const struct ui_key *k)
{
	struct departure_state *s = state;
	if (s->clashing)
		return UI_IGNORED;
	enum ui_result r = ui_input_key(&s->input[s->field], k);
	if (r == UI_HANDLED)
		s->message[0] = '\0';
	return r;
}

static const struct ui_action *departure_action_list(void *state, size_t *n)
{
	struct departure_state *s = state;
	if (s->clashing)
		return clash_actions(&s->clash, n);
	*n = ARRAY_SIZE(departure_actions);
	return departure_actions;
}

const struct ui_screen_ops departure_screen = {
	"departure",	  departure_open,	 departure_title, departure_draw, departure_key,
	departure_action, departure_action_list, departure_close,
};
