/* The resident list, the start screen: who is here, where they sleep, how long they have
 * stayed, and what needs doing. f cycles who it shows, s its order; search narrows it as one
 * types; only the rows on screen are read from the database (the flagged filter reads the
 * residents present, to ask each for warnings). */
#include "screens.h"

#include "app.h"
#include "i18n.h"
#include "intake.h"
#include "text.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_SEARCH = 1, A_OPEN, A_NEW, A_SHIFTLOG, A_FILTER, A_SORT, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END,
       A_CLEAR, A_PRINT, A_CHECKLIST, A_SYNC, A_AUDIT, A_OVERVIEW };

static const struct ui_action browse_actions[] = {
	{A_SEARCH, '/', 0, N_("/"), N_("search"), N_("Search by name, id, birth date or room; narrows as you type.")},
	{A_OPEN, 0, KEY_ENTER, N_("Enter"), N_("open"), N_("Open the selected resident.")},
	{A_NEW, 'n', 0, N_("n"), N_("new"), N_("Register a new arrival (or bring back your unsaved one).")},
	{A_PRINT, 'p', 0, N_("p"), NULL, N_("Print the selected resident's move-out checklist.")},
	{A_CHECKLIST, 't', 0, N_("t"), NULL, N_("Open the selected resident's move-out checklist.")},
	{A_SHIFTLOG, 'l', 0, N_("l"), N_("shift log"), N_("The shift log: every note since the start of the last shift, newest first, for the handover.")},
	{A_FILTER, 'f', 0, N_("f"), N_("filter"), N_("Show present, moved out, everyone, or present with a warning.")},
	{A_SORT, 's', 0, N_("s"), N_("sort"), N_("Sort by room, name, newest arrival or longest stay.")},
	/* Not in the bar: at 80 columns it has no room left before "? help  q quit". */
	{A_SYNC, 'y', 0, N_("y"), NULL, N_("Synchronisation: export the changes for another terminal to a bundle file, import one, see the conflicts.")},
	{A_OVERVIEW, 'o', 0, N_("o"), NULL, N_("The overview: residents present, free beds, arrivals and departures, length of stay, checklists, and the lists to act on.")},
	/* Coordinators only: left out of the table (bar, help and keys) for everyone else. */
	{A_AUDIT, 'a', 0, N_("a"), NULL, N_("The audit log: who opened, registered, changed, printed, exported, imported or erased what, when and where.")},
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

/* A read-only login does not admit; syncing is for those who may see whole CPR numbers (a
 * bundle holds them); the audit log is a coordinator's. */
static const struct action_rule browse_rules[] = {
	{A_NEW, ACTION_WRITES},
	{A_SYNC, ACTION_SEES_CPR},
	{A_AUDIT, ACTION_COORDINATOR},
};

#define SEARCH_MAX 200

struct list_state {
	struct app *app;
	struct ui_action browse[ARRAY_SIZE(browse_actions)]; /* those the user's role may do */
	size_t nbrowse;
	enum list_filter filter;
	enum list_sort sort;
	char today[DATE_LEN]; /* for the flagged filter's warnings, set on every draw */
	char search[SEARCH_MAX];
	int typing; /* the search field has the keys */
	long count; /* rows matching, -1 when it must be counted again */
	long present;
	long sel, top;
	int rows_shown; /* how many rows fit, from the last draw */
	/* The selected resident as last drawn ("" after a move): the selection stays on them when
	 * others are admitted or leave, rather than on the row number. */
	char sel_id[ID_LEN];
	int relocate; /* the filter or order changed: find sel_id in the new list */
	/* Opened from the overview: the residents present with this warning only (0: the whole
	 * list, as f chooses), under this title. */
	unsigned only_warning;
	const char *only_title;
};

/* The words for the filters and orders, in the order f and s cycle them. */
static const char *const filter_names[LIST_FILTERS] = {
	[LIST_PRESENT] = N_("present"),
	[LIST_MOVED_OUT] = N_("moved out"),
	[LIST_ALL] = N_("everyone"),
	[LIST_FLAGGED] = N_("flagged"),
};
static const char *const sort_names[LIST_SORTS] = {
	[LIST_SORT_ROOM] = N_("room"),
	[LIST_SORT_NAME] = N_("name"),
	[LIST_SORT_ARRIVAL] = N_("arrival"),
	[LIST_SORT_DAYS] = N_("days stayed"),
};

/* The flagged filter: a resident with at least one warning today (with only_warning: that
 * one). */
static int keep_flagged(const struct list_row *row, void *state)
{
	const struct list_state *s = state;
	unsigned w = row_warnings(row, s->today);
	return s->only_warning ? (w & s->only_warning) != 0 : w != 0;
}

/* The list the screen shows now. */
static struct list_query list_query(struct list_state *s)
{
	struct list_query q = {s->filter, s->sort, s->search, NULL, NULL};
	if (s->filter == LIST_FLAGGED) {
		q.keep = keep_flagged;
		q.keep_arg = s;
	}
	return q;
}

/* An intake left unsaved (a dropped connection, a closed terminal) is offered at once. */
static void offer_draft(struct app *app)
{
	struct intake draft;
	intake_init(&draft);
	char *err = NULL;
	if (draft_load(app->db, "intake", &draft, &err) == 1)
		ui_message("%s", _("You have an unsaved intake: press n to carry on with it."));
	free(err);
	intake_free(&draft);
}

/* An overview list shows one kind of resident: the keys that change which, or open another
 * overview, are left out. */
static void keep_to_one_list(struct list_state *s, const struct list_only *only)
{
	s->filter = LIST_FLAGGED;
	s->only_warning = only->warning;
	s->only_title = only->title;
	size_t kept = 0;
	for (size_t i = 0; i < s->nbrowse; i++)
		if (s->browse[i].id != A_FILTER && s->browse[i].id != A_OVERVIEW)
			s->browse[kept++] = s->browse[i];
	s->nbrowse = kept;
}

static void *list_open(struct app *app, const void *arg)
{
	struct list_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	s->count = -1;
	s->rows_shown = 10;
	s->nbrowse = actions_for_user(app, browse_actions, ARRAY_SIZE(browse_actions), browse_rules,
				      ARRAY_SIZE(browse_rules), s->browse);
	if (arg)
		keep_to_one_list(s, arg);
	else if (app_may_write(app))
		offer_draft(app);
	return s;
}

static const char *list_title(void *state)
{
	const struct list_state *s = state;
	return s->only_title ? _(s->only_title) : _("Resident list");
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
	*n = s->nbrowse;
	return s->browse;
}

static void recount(struct list_state *s)
{
	char *err = NULL;
	struct list_query q = list_query(s);
	const struct list_query present = {.filter = LIST_PRESENT};
	s->count = db_list_count(s->app->db, &q, &err);
	if (s->count >= 0)
		s->present = db_list_count(s->app->db, &present, &err);
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

/* The right of the header: the search (while there is one), the filter and the order, as many
 * as fit in that order: "søg: ib_ (2) · filter: til stede · sortering: værelse". */
static void draw_query(struct list_state *s, int y, int x_end, int room)
{
	char search[SEARCH_MAX + 64], filter[128], sort[128];
	const char *dot = ui_is_utf8() ? " · " : " - ";
	snprintf(search, sizeof(search), _("search: %s%s (%ld)"), s->search,
		 s->typing ? "_" : "", s->count);
	snprintf(filter, sizeof(filter), _("filter: %s"),
		 s->only_title ? _(s->only_title) : _(filter_names[s->filter]));
	snprintf(sort, sizeof(sort), _("sort: %s"), _(sort_names[s->sort]));
	const char *parts[3];
	enum ui_style styles[3];
	int n = 0, w = 0;
	if (s->typing || s->search[0]) {
		parts[n] = search;
		styles[n++] = STYLE_WARN;
	}
	parts[n] = filter;
	styles[n++] = STYLE_NORMAL;
	parts[n] = sort;
	styles[n++] = STYLE_NORMAL;
	int shown = 0;
	for (int i = 0; i < n; i++) {
		int add = ui_width(parts[i]) + (i ? ui_width(dot) : 0);
		if (i > 0 && w + add > room)
			break;
		w += add;
		shown++;
	}
	if (w > room)
		w = room; /* the search alone is too long: its end is cut */
	int x = x_end - w;
	for (int i = 0; i < shown && x < x_end; i++) {
		if (i)
			x += ui_text(y, x, x_end - x, STYLE_NORMAL, dot);
		x += ui_text(y, x, x_end - x, styles[i], parts[i]);
	}
}

static void draw_header(struct list_state *s, const struct ui_area *a)
{
	char buf[256];
	snprintf(buf, sizeof(buf), _("Residents: %ld present"), s->present);
	int left = ui_text(a->top, 1, a->width / 2, STYLE_HEADING, buf);
	draw_query(s, a->top, a->width - 1, a->width - 1 - (1 + left + 2));
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

/* After a change of filter or order: the selection goes to where the resident selected before is
 * in the new list, on the same line of the screen where it can, or to the top when they are not
 * in it. */
static void relocate(struct list_state *s, long line)
{
	s->relocate = 0;
	struct list_query q = list_query(s);
	char *err = NULL;
	long pos = db_list_position(s->app->db, &q, s->sel_id, &err);
	if (pos < -1)
		ui_message("%s", err ? err : _("Could not read the list."));
	free(err);
	if (pos < 0) {
		s->sel_id[0] = '\0';
		s->sel = s->top = 0;
		return;
	}
	s->sel = pos;
	s->top = pos - (line >= 0 && line < s->rows_shown ? line : 0);
	if (s->top > s->count - s->rows_shown)
		s->top = s->count - s->rows_shown;
	if (s->top < 0)
		s->top = 0;
}

static void list_draw(void *state, const struct ui_area *a)
{
	struct list_state *s = state;
	long line = s->sel - s->top; /* where the selection is on the screen */
	today_iso(s->today);
	recount(s); /* every time: others may admit or discharge residents meanwhile */
	s->rows_shown = a->height - 4; /* header, line, column titles ... rows ... line */
	if (s->relocate)
		relocate(s, line);
	keep_selection_visible(s);
	draw_header(s, a);
	ui_hline(a->top + a->height - 1);
	struct list_row *rows;
	size_t n;
	char *err = NULL;
	struct list_query q = list_query(s);
	if (db_list_page(s->app->db, &q, s->top, s->rows_shown, &rows, &n, &err) != 0) {
		ui_message("%s", err);
		free(err);
		return;
	}
	follow_selected(s, rows, n);
	for (size_t i = 0; i < n; i++)
		draw_row(&rows[i], a->top + 3 + (int)i, a->width, s->top + (long)i == s->sel,
			 s->today);
	if (n == 0)
		ui_text(a->top + 4, 2, a->width - 4, STYLE_DIM,
			s->search[0] ? _("No resident matches the search.")
				     : _("No residents to show."));
	s->sel_id[0] = '\0';
	if (n > 0 && s->sel >= s->top && s->sel - s->top < (long)n)
		memcpy(s->sel_id, rows[s->sel - s->top].id, ID_LEN);
	list_rows_free(rows, n);
}

/* The filter or the order changed: the same resident stays selected if they are in the list. */
static void query_changed(struct list_state *s)
{
	s->count = -1;
	s->relocate = 1;
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
		if (s->only_title && !s->typing && !s->search[0])
			return UI_BACK; /* an overview list: back to the overview */
		s->typing = 0;
		s->search[0] = '\0';
		search_changed(s);
		break;
	case A_OPEN:
		if (s->count > 0 && s->sel_id[0])
			ui_push(&resident_screen, s->sel_id);
		break;
	case A_NEW:
		ui_push(&intake_screen, NULL);
		break;
	case A_PRINT:
		if (s->count > 0 && s->sel_id[0])
			print_resident_checklist(s->app, s->sel_id);
		break;
	case A_CHECKLIST:
		if (s->count > 0 && s->sel_id[0])
			ui_push(&checklist_screen, s->sel_id);
		break;
	case A_SHIFTLOG:
		ui_push(&shiftlog_screen, NULL);
		break;
	case A_SYNC:
		ui_push(&sync_screen, NULL);
		break;
	case A_AUDIT:
		ui_push(&audit_screen, NULL);
		break;
	case A_OVERVIEW:
		ui_push(&overview_screen, NULL);
		break;
	case A_FILTER:
		s->filter = (enum list_filter)((s->filter + 1) % LIST_FILTERS);
		query_changed(s);
		break;
	case A_SORT:
		s->sort = (enum list_sort)((s->sort + 1) % LIST_SORTS);
		query_changed(s);
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
