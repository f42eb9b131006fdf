/* The resident list, the start screen: who is here, where they sleep, how long they have
 * stayed, and what needs doing. Search narrows it as one types; only the rows on screen are read
 * from the database. */
#include "screens.h"

#include "app.h"
#include "i18n.h"
#include "text.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_SEARCH = 1, A_OPEN, A_FILTER, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END, A_CLEAR };

static const struct ui_action browse_actions[] = {
	{A_SEARCH, '/', 0, N_("/"), N_("search"), N_("Search by name or id; the list narrows as you type.")},
	{A_OPEN, 0, KEY_ENTER, N_("Enter"), N_("open"), N_("Open the selected resident.")},
	{A_FILTER, 'f', 0, N_("f"), N_("filter"), N_("Show residents present now, or everyone.")},
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("Move up.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("Move down.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, ' ', KEY_NPAGE, N_("PgDn/Space"), NULL, N_("One page down.")},
	{A_HOME, 'g', KEY_HOME, N_("Home/g"), NULL, N_("First resident.")},
	{A_END, 'G', KEY_END, N_("End/G"), NULL, N_("Last resident.")},
	{A_CLEAR, 27, 0, N_("Esc"), NULL, N_("Clear the search.")},
};

static const struct ui_action search_actions[] = {
	{A_OPEN, 0, KEY_ENTER, N_("Enter"), N_("open"), N_("Open the selected resident.")},
	{A_CLEAR, 27, 0, N_("Esc"), N_("clear search"), N_("Clear the search and show the whole list.")},
	{A_UP, 0, KEY_UP, N_("Up"), NULL, N_("Move up.")},
	{A_DOWN, 0, KEY_DOWN, N_("Down"), NULL, N_("Move down.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, 0, KEY_NPAGE, N_("PgDn"), NULL, N_("One page down.")},
};

#define SEARCH_MAX 200

struct list_state {
	struct app *app;
	enum list_filter filter;
	char search[SEARCH_MAX];
	int typing; /* the search field has the keys */
	long count; /* rows matching, -1 when it must be counted again */
	long present;
	long sel, top;
	int rows_shown; /* how many rows fit, from the last draw */
	/* The selected resident as last drawn ("" after a move): the selection stays on them when
	 * others are admitted or leave, rather than on the row number. */
	char sel_id[ID_LEN];
};

static void *list_open(struct app *app, const void *arg)
{
	(void)arg;
	struct list_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	s->count = -1;
	s->rows_shown = 10;
	return s;
}

static const char *list_title(void *state)
{
	(void)state;
	return _("Resident list");
}

static void list_close(void *state)
{
	free(state);
}

static const struct ui_action *list_actions(void *state, size_t *n)
{
	struct list_state *s = state;
	if (s->typing) {
		*n = ARRAY_SIZE(search_actions);
		return search_actions;
	}
	*n = ARRAY_SIZE(browse_actions);
	return browse_actions;
}

static void recount(struct list_state *s)
{
	char *err = NULL;
	s->count = db_list_count(s->app->db, s->filter, s->search, &err);
	if (s->count >= 0)
		s->present = db_list_count(s->app->db, LIST_PRESENT, NULL, &err);
	if (s->count < 0) {
		ui_message("%s", err ? err : _("Could not read the list."));
		s->count = 0;
	}
	free(err);
	if (s->sel >= s->count)
		s->sel = s->count > 0 ? s->count - 1 : 0;
}

/* Column widths for the terminal's width: the name takes what the others leave. */
struct columns {
	int room, name, arrival, days, steps, warn;
};

static struct columns layout(int width)
{
	struct columns c = {5, 0, 10, 5, 6, 0};
	int fixed = 1 + c.room + 1 + 1 + c.arrival + 1 + c.days + 1 + c.steps + 2;
	int rest = width - fixed;
	/* Warnings matter most at night: they get 27 columns before the name grows past 16. */
	c.name = rest - 27 > 30 ? 30 : rest - 27;
	if (c.name < 16)
		c.name = 16;
	c.warn = rest - c.name;
	return c;
}

static void draw_header(struct list_state *s, const struct ui_area *a)
{
	char buf[256];
	snprintf(buf, sizeof(buf), _("Residents: %ld present"), s->present);
	ui_text(a->top, 1, a->width / 2, STYLE_HEADING, buf);
	if (s->typing || s->search[0]) {
		snprintf(buf, sizeof(buf), _("search: %s%s (%ld)"), s->search, s->typing ? "_" : "",
			 s->count);
		ui_text_right(a->top, a->width - 1, a->width / 2, STYLE_WARN, buf);
	} else {
		snprintf(buf, sizeof(buf), _("filter: %s"),
			 s->filter == LIST_PRESENT ? _("present") : _("everyone"));
		ui_text_right(a->top, a->width - 1, a->width / 2, STYLE_NORMAL, buf);
	}
	ui_hline(a->top + 1);
	struct columns c = layout(a->width);
	int y = a->top + 2, x = 1;
	ui_text(y, x, c.room, STYLE_HEADING, _("Room"));
	x += c.room + 1;
	ui_text(y, x, c.name, STYLE_HEADING, _("Name"));
	x += c.name + 1;
	ui_text(y, x, c.arrival, STYLE_HEADING, _("Arrival"));
	x += c.arrival + 1;
	ui_text_right(y, x + c.days, c.days, STYLE_HEADING, _("Days"));
	x += c.days + 1;
	ui_text_right(y, x + c.steps, c.steps, STYLE_HEADING, _("Check."));
	x += c.steps + 2;
	ui_text(y, x, c.warn, STYLE_HEADING, _("Warnings"));
}

static void draw_row(const struct list_row *r, int y, int width, int selected,
		     const char *today)
{
	struct columns c = layout(width);
	enum ui_style st = selected ? STYLE_SELECTED : STYLE_NORMAL;
	if (selected)
		ui_fill(y, STYLE_SELECTED);
	char date[DATE_LEN], buf[64], warn[512];
	int x = 1;
	ui_text(y, x, c.room, st, r->room ? r->room : "");
	x += c.room + 1;
	ui_text(y, x, c.name, st, r->name);
	x += c.name + 1;
	date_iso_to_dk(r->arrival, date);
	ui_text(y, x, c.arrival, st, date);
	x += c.arrival + 1;
	snprintf(buf, sizeof(buf), "%ld", r->arrival ? row_days(r, today) : 0L);
	ui_text_right(y, x + c.days, c.days, st, r->arrival ? buf : "");
	x += c.days + 1;
	snprintf(buf, sizeof(buf), "%d/%d", r->steps_done, r->steps_relevant);
	ui_text_right(y, x + c.steps, c.steps, st, r->steps_relevant ? buf : "");
	x += c.steps + 2;
	unsigned w = row_warnings(r, today);
	warnings_text(w, r, today, warn, sizeof(warn));
	int alert = w & (WARN_BAN | WARN_SAFETY | WARN_MEDICAL);
	ui_text(y, x, c.warn, selected ? st : (alert ? STYLE_ALERT : STYLE_WARN), warn);
}

static void keep_selection_visible(struct list_state *s)
{
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + s->rows_shown)
		s->top = s->sel - s->rows_shown + 1;
	if (s->top < 0)
		s->top = 0;
}

/* Moves the selection to the resident selected before, if they are among the rows read. */
static void follow_selected(struct list_state *s, const struct list_row *rows, size_t n)
{
	for (size_t i = 0; s->sel_id[0] && i < n; i++)
		if (str_eq(rows[i].id, s->sel_id)) {
			s->sel = s->top + (long)i;
			return;
		}
}

static void list_draw(void *state, const struct ui_area *a)
{
	struct list_state *s = state;
	recount(s); /* every time: others may admit or discharge residents meanwhile */
	s->rows_shown = a->height - 4; /* header, line, column titles ... rows ... line */
	keep_selection_visible(s);
	draw_header(s, a);
	ui_hline(a->top + a->height - 1);
	struct list_row *rows;
	size_t n;
	char *err = NULL;
	if (db_list_page(s->app->db, s->filter, s->search, s->top, s->rows_shown, &rows, &n,
			 &err) != 0) {
		ui_message("%s", err);
		free(err);
		return;
	}
	follow_selected(s, rows, n);
	char today[DATE_LEN];
	today_iso(today);
	for (size_t i = 0; i < n; i++)
		draw_row(&rows[i], a->top + 3 + (int)i, a->width, s->top + (long)i == s->sel,
			 today);
	if (n == 0)
		ui_text(a->top + 4, 2, a->width - 4, STYLE_DIM,
			s->search[0] ? _("No resident matches the search.")
				     : _("No residents to show."));
	s->sel_id[0] = '\0';
	if (n > 0 && s->sel >= s->top && s->sel - s->top < (long)n)
		memcpy(s->sel_id, rows[s->sel - s->top].id, ID_LEN);
	list_rows_free(rows, n);
}

static void search_changed(struct list_state *s)
{
	s->sel_id[0] = '\0';
	s->count = -1;
	s->sel = 0;
	s->top = 0;
}

/* Text typed into the search field: any printable character; Backspace removes the last one. */
static enum ui_result list_key(void *state, const struct ui_key *k)
{
	struct list_state *s = state;
	if (!s->typing)
		return UI_IGNORED;
	size_t len = strlen(s->search);
	if (k->code == KEY_BACKSPACE) {
		while (len > 0 && ((unsigned char)s->search[len - 1] & 0xC0) == 0x80)
			len--; /* the continuation bytes of a UTF-8 character */
		if (len > 0)
			len--;
		s->search[len] = '\0';
		search_changed(s);
		return UI_HANDLED;
	}
	if (k->ch >= 0x20 && k->ch != 0x7F && k->ch != 27) {
		char buf[4];
		size_t n = utf8_encode((uint32_t)k->ch, buf);
		if (n && len + n < sizeof(s->search)) {
			memcpy(s->search + len, buf, n);
			s->search[len + n] = '\0';
			search_changed(s);
		}
		return UI_HANDLED;
	}
	return UI_IGNORED;
}

static void move_selection(struct list_state *s, long delta)
{
	s->sel_id[0] = '\0';
	s->sel += delta;
	if (s->sel >= s->count)
		s->sel = s->count - 1;
	if (s->sel < 0)
		s->sel = 0;
}

static enum ui_result list_action(void *state, int id)
{
	struct list_state *s = state;
	long page = s->rows_shown > 1 ? s->rows_shown - 1 : 1;
	switch (id) {
	case A_SEARCH:
		s->typing = 1;
		break;
	case A_CLEAR:
		s->typing = 0;
		s->search[0] = '\0';
		search_changed(s);
		break;
	case A_OPEN:
		if (s->count > 0 && s->sel_id[0])
			ui_push(&resident_screen, s->sel_id);
		break;
	case A_FILTER:
		s->filter = s->filter == LIST_PRESENT ? LIST_ALL : LIST_PRESENT;
		search_changed(s);
		break;
	case A_UP: move_selection(s, -1); break;
	case A_DOWN: move_selection(s, 1); break;
	case A_PGUP: move_selection(s, -page); break;
	case A_PGDN: move_selection(s, page); break;
	case A_HOME: move_selection(s, -s->count); break;
	case A_END: move_selection(s, s->count); break;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED;
}

const struct ui_screen_ops list_screen = {
	"list", list_open, list_title, list_draw, list_key, list_action, list_actions, list_close,
};
