/* A resident leaves (udskrivning): when, where to, and a note. Opened with u from the resident
 * screen; the stay is ended in one transaction by stay_depart. */
#include "screens.h"

#include "app.h"
#include "datetyped.h"
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
};

static void *departure_open(struct app *app, const void *arg)
{
	if (!may_write_or_say(app))
		return NULL;
	struct departure_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	strlcpy_trunc(s->id, arg, ID_LEN);
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
	const char *where = destination_typed(s->input[F_WHERE].buf);
	char *err = NULL;
	if (stay_depart(s->app->db, s->id, when, where, s->input[F_NOTE].buf, &err) != 0) {
		s->field = where ? F_WHEN : F_WHERE;
		snprintf(s->message, sizeof(s->message), "%s", err);
		free(err);
		return UI_HANDLED;
	}
	ui_message("%s", _("The stay is ended."));
	return UI_BACK;
}

static enum ui_result departure_action(void *state, int id)
{
	struct departure_state *s = state;
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
	enum ui_result r = ui_input_key(&s->input[s->field], k);
	if (r == UI_HANDLED)
		s->message[0] = '\0';
	return r;
}

static const struct ui_action *departure_action_list(void *state, size_t *n)
{
	(void)state;
	*n = ARRAY_SIZE(departure_actions);
	return departure_actions;
}

const struct ui_screen_ops departure_screen = {
	"departure",	  departure_open,	 departure_title, departure_draw, departure_key,
	departure_action, departure_action_list, departure_close,
};
