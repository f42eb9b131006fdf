/* The coordinator's overview: the house today in a few figures (residents present, free beds,
 * arrivals and departures, length of stay as a bar chart, checklist progress) and the lists a
 * coordinator acts on. Enter on a list opens the resident list holding just those residents. The
 * figures are counted again on every draw, as the resident list is. */
#include "screens.h"

#include "app.h"
#include "i18n.h"
#include "overview.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

enum { A_OPEN = 1, A_UP, A_DOWN };

static const struct ui_action overview_actions[] = {
	{A_OPEN, 0, KEY_ENTER, N_("Enter"), N_("open list"), N_("Open the residents in the selected list.")},
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("The list above.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("The list below.")},
};

/* The lists' names, in the order of overview_list_warning. */
static const char *const list_titles[OVERVIEW_LISTS] = {
	N_("not assessed 6 weeks after arrival"),
	N_("ready to move for more than 120 days"),
	N_("moving in with no support granted"),
	N_("no housing registration 14 days after ready"),
};

struct overview_state {
	struct app *app;
	struct overview o;
	int sel; /* the selected list */
	struct list_only only; /* what the resident list opened from here shows */
};

static void *overview_open(struct app *app, const void *arg)
{
	(void)arg;
	struct overview_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	return s;
}

static const char *overview_title(void *state)
{
	(void)state;
	return _("The shelter at a glance");
}

static void overview_close(void *state)
{
	free(state);
}

static const struct ui_action *overview_actions_now(void *state, size_t *n)
{
	(void)state;
	*n = ARRAY_SIZE(overview_actions);
	return overview_actions;
}

/* Where the next line goes; lines past the area's end are left out. */
struct cursor {
	int y, end, width;
};

static void line(struct cursor *c, enum ui_style style, int indent, const char *text)
{
	if (c->y < c->end)
		ui_text(c->y, 1 + indent, c->width - 2 - indent, style, text);
	c->y++;
}

static void draw_figures(const struct overview_state *s, struct cursor *c)
{
	const struct overview *o = &s->o;
	char buf[256], date[DATE_LEN];
	date_iso_to_dk(o->today, date);
	snprintf(buf, sizeof(buf), _("Today, %s"), date);
	line(c, STYLE_HEADING, 0, buf);
	int beds = s->app->cfg.beds;
	if (beds > 0)
		snprintf(buf, sizeof(buf), _("Residents present: %ld    Free beds: %ld of %d"),
			 o->present, beds - o->present, beds);
	else
		snprintf(buf, sizeof(buf), _("Residents present: %ld"), o->present);
	line(c, STYLE_NORMAL, 2, buf);
	snprintf(buf, sizeof(buf), _("Arrivals: %ld this week, %ld this month"), o->arrivals_week,
		 o->arrivals_month);
	line(c, STYLE_NORMAL, 2, buf);
	snprintf(buf, sizeof(buf), _("Departures: %ld this week, %ld this month"),
		 o->departures_week, o->departures_month);
	line(c, STYLE_NORMAL, 2, buf);
	long pct = o->steps_relevant ? o->steps_done * 100 / o->steps_relevant : 0;
	snprintf(buf, sizeof(buf), _("Checklists: %ld of %ld steps done (%ld%%), %ld complete"),
		 o->steps_done, o->steps_relevant, pct, o->checklists_complete);
	line(c, STYLE_NORMAL, 2, buf);
}

/* A bucket's words: "0-7 days", "over 365 days". */
static void bucket_label(int i, char *out, size_t n)
{
	if (overview_bucket_max[i] < 0)
		snprintf(out, n, _("over %d days"), overview_bucket_max[i - 1]);
	else
		snprintf(out, n, _("%d-%d days"), i ? overview_bucket_max[i - 1] + 1 : 0,
			 overview_bucket_max[i]);
}

#define LABEL_COLS 14
#define COUNT_COLS 5

/* Residents present by days stayed: one bar each, the longest as wide as the screen allows. */
static void draw_chart(const struct overview *o, struct cursor *c)
{
	line(c, STYLE_HEADING, 0, _("Length of stay, residents present"));
	long most = 0;
	for (int i = 0; i < STAY_BUCKETS; i++)
		if (o->by_days[i] > most)
			most = o->by_days[i];
	int x_bar = 3 + LABEL_COLS + COUNT_COLS + 1;
	int room = c->width - 1 - x_bar;
	const char *block = ui_sym("█", "#");
	for (int i = 0; i < STAY_BUCKETS; i++, c->y++) {
		if (c->y >= c->end)
			continue;
		char label[64], count[32];
		bucket_label(i, label, sizeof(label));
		snprintf(count, sizeof(count), "%ld", o->by_days[i]);
		ui_text(c->y, 3, LABEL_COLS, STYLE_NORMAL, label);
		ui_text_right(c->y, 3 + LABEL_COLS + COUNT_COLS, COUNT_COLS, STYLE_NORMAL, count);
		/* Rounded up, so a bucket with anyone in it always shows a bar. */
		long len = most && room > 0 ? (o->by_days[i] * room + most - 1) / most : 0;
		for (long x = 0; x < len; x++)
			ui_text(c->y, x_bar + (int)x, 1, STYLE_HEADING, block);
	}
}

static void draw_lists(const struct overview_state *s, struct cursor *c)
{
	line(c, STYLE_HEADING, 0, _("To act on (Enter opens the list)"));
	for (int i = 0; i < OVERVIEW_LISTS; i++, c->y++) {
		if (c->y >= c->end)
			continue;
		int selected = i == s->sel;
		if (selected)
			ui_fill(c->y, STYLE_SELECTED);
		char buf[256];
		snprintf(buf, sizeof(buf), "%5ld  %s", s->o.listed[i], _(list_titles[i]));
		enum ui_style st = selected ? STYLE_SELECTED
					    : (s->o.listed[i] ? STYLE_WARN : STYLE_NORMAL);
		ui_text(c->y, 1, c->width - 2, st, buf);
	}
}

static void overview_draw(void *state, const struct ui_area *a)
{
	struct overview_state *s = state;
	char *err = NULL;
	if (db_overview(s->app->db, &s->o, &err) != 0) {
		ui_message("%s", err ? err : _("Could not count the overview."));
		free(err);
		return;
	}
	struct cursor c = {a->top, a->top + a->height, a->width};
	/* The lists before the chart: on the smallest terminal (60x14) they are what must show. */
	draw_figures(s, &c);
	c.y++;
	draw_lists(s, &c);
	c.y++;
	draw_chart(&s->o, &c);
}

static enum ui_result overview_action(void *state, int id)
{
	struct overview_state *s = state;
	switch (id) {
	case A_OPEN:
		s->only.warning = overview_list_warning[s->sel];
		s->only.title = list_titles[s->sel];
		ui_push(&list_screen, &s->only);
		break;
	case A_UP:
		if (s->sel > 0)
			s->sel--;
		break;
	case A_DOWN:
		if (s->sel < OVERVIEW_LISTS - 1)
			s->sel++;
		break;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED;
}

const struct ui_screen_ops overview_screen = {
	"overview",	  overview_open,	 overview_title,	overview_draw, NULL,
	overview_action, overview_actions_now, overview_close,
};
