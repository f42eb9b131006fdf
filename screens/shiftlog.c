/* The shift log (vagtlog): every note about a resident and every entry in the log itself since
 * a time, newest first, for the handover between night and day staff. It starts at the shift
 * before the current one (shifts begin at 07:00, 15:00 and 23:00), so whoever takes over sees
 * the whole last shift; [ and ] move that start a shift at a time. `a` writes an entry that is
 * about no one resident; Enter opens the resident a note is about. */
#include "screens.h"

#include "app.h"
#include "clock.h"
#include "i18n.h"
#include "note.h"
#include "ui_input.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_ADD = 1, A_OPEN, A_EARLIER, A_LATER, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END,
       A_BACK, A_SAVE, A_CANCEL };

static const struct ui_action browse_actions[] = {
	{A_ADD, 'a', 0, N_("a"), N_("new entry"), N_("Write an entry in the shift log that is about no one resident.")},
	{A_OPEN, 0, KEY_ENTER, N_("Enter"), N_("open"), N_("Open the resident the selected note is about.")},
	{A_EARLIER, '[', 0, N_("["), N_("earlier"), N_("Start the log a shift (8 hours) earlier.")},
	{A_LATER, ']', 0, N_("]"), N_("later"), N_("Start the log a shift (8 hours) later.")},
	{A_EARLIER, '-', 0, N_("-"), NULL, N_("The same as [.")},
	{A_LATER, '+', 0, N_("+"), NULL, N_("The same as ].")},
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("The note before; a long note scrolls first.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("The next note; a long note scrolls first.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, ' ', KEY_NPAGE, N_("PgDn/Space"), NULL, N_("One page down.")},
	{A_HOME, 'g', KEY_HOME, N_("Home/g"), NULL, N_("The newest note.")},
	{A_END, 'G', KEY_END, N_("End/G"), NULL, N_("The oldest note.")},
	{A_BACK, 27, 0, N_("Esc"), N_("back"), N_("Back to the list.")},
};

/* While an entry is being written: these, then the field's editing keys. */
static const struct ui_action entry_actions[] = {
	{A_SAVE, 0, KEY_ENTER, N_("Enter"), N_("save"), N_("Save the entry; it shows at once, signed with your login and the time.")},
	{A_SAVE, 0, KEY_F(2), N_("F2"), NULL, N_("The same as Enter.")},
	{A_CANCEL, 27, 0, N_("Esc"), N_("cancel"), N_("Stop writing. When something was written, press Esc once more to discard it.")},
	{A_UP, 0, KEY_UP, N_("Up"), NULL, N_("The note before.")},
	{A_DOWN, 0, KEY_DOWN, N_("Down"), NULL, N_("The next note.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, 0, KEY_NPAGE, N_("PgDn"), NULL, N_("One page down.")},
};
#define ENTRY_CANCEL 2 /* the index of Esc in entry_actions, whose word changes to "discard" */
#define ENTRY_ACTIONS_MAX (ARRAY_SIZE(entry_actions) + 16)

/* A read-only login reads the log and writes nothing in it. */
static const struct action_rule browse_rules[] = {
	{A_ADD, ACTION_WRITES},
};

struct shiftlog_state {
	struct app *app;
	struct ui_action browse[ARRAY_SIZE(browse_actions)]; /* those the user's role may do */
	size_t nbrowse;
	char since[LOCAL_MIN_LEN]; /* a shift boundary, local wall-clock time */
	struct shift_entry *entries;
	size_t n;
	size_t *starts; /* the first page line of each entry; starts[n] is the page's end */
	struct page page;
	size_t sel;
	char sel_id[ID_LEN]; /* the selected note as last drawn: kept when others are added */
	char open_id[ID_LEN];
	int height; /* of the page, from the last draw */
	int writing;
	int discard_armed;
	struct ui_input input;
	struct ui_action writing_actions[ENTRY_ACTIONS_MAX];
	size_t nwriting_actions;
};

static const char *weekday(const char *iso)
{
	static const char *const names[] = {N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
					    N_("Fri"), N_("Sat"), N_("Sun")};
	return _(names[date_weekday(iso) % 7]);
}

/* The start of the current shift, local time. */
static void current_shift(char out[LOCAL_MIN_LEN])
{
	char now[LOCAL_MIN_LEN];
	time_to_local_minute(clock_now(), now);
	shift_start(now, out);
}

static void *shiftlog_open(struct app *app, const void *arg)
{
	(void)arg;
	struct shiftlog_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	char current[LOCAL_MIN_LEN];
	current_shift(current);
	shift_step(current, -1, s->since); /* the last shift and this one */
	s->nbrowse = actions_for_user(app, browse_actions, ARRAY_SIZE(browse_actions), browse_rules,
				      ARRAY_SIZE(browse_rules), s->browse);
	s->nwriting_actions = ui_input_with_actions(s->writing_actions, ENTRY_ACTIONS_MAX,
						    entry_actions, ARRAY_SIZE(entry_actions));
	return s;
}

static const char *shiftlog_title(void *state)
{
	(void)state;
	return _("Shift log");
}

static void free_entries(struct shiftlog_state *s)
{
	shift_entries_free(s->entries, s->n);
	free(s->starts);
	s->entries = NULL;
	s->starts = NULL;
	s->n = 0;
}

static void shiftlog_close(void *state)
{
	struct shiftlog_state *s = state;
	free_entries(s);
	page_clear(&s->page);
	ui_input_free(&s->input);
	free(s);
}

/* Reads the notes since s->since again (others write meanwhile); keeps the selection on the
 * note it was on. */
static void load(struct shiftlog_state *s)
{
	free_entries(s);
	time_t t;
	char since_utc[ISO_TIME_LEN];
	char *err = NULL;
	if (local_minute_to_time(s->since, &t) != 0)
		t = clock_now();
	time_to_iso_utc(t, since_utc);
	if (db_notes_since(s->app->db, since_utc, &s->entries, &s->n, &err) != 0) {
		ui_message("%s", err ? err : _("Could not read the shift log."));
		free(err);
	}
	s->starts = xcalloc(s->n + 1, sizeof(*s->starts));
	for (size_t i = 0; s->sel_id[0] && i < s->n; i++)
		if (str_eq(s->entries[i].id, s->sel_id))
			s->sel = i;
	if (s->sel >= s->n)
		s->sel = s->n ? s->n - 1 : 0;
}

/* "25-11-2026 01:10 · ole · Søren Jensen, room 12A" or "... · ole · Shift log". */
static char *entry_heading(const struct shift_entry *e)
{
	char local[LOCAL_MIN_LEN], d[DATE_LEN];
	iso_utc_to_local_minute(e->created_at, local);
	date_iso_to_dk(local, d);
	const char *dot = ui_sym("·", "-");
	char *who;
	if (!e->resident_id)
		who = xstrdup(_("Shift log"));
	else if (e->room)
		who = xasprintf(_("%s, room %s"), e->name ? e->name : "?", e->room);
	else
		who = xstrdup(e->name ? e->name : "?");
	char *text = xasprintf("%s %s %s %s %s %s", d, local[0] ? local + 11 : "", dot,
			       e->created_by ? e->created_by : "?", dot, who);
	free(who);
	return text;
}

static void build_page(struct shiftlog_state *s, int width)
{
	long scroll = s->page.scroll;
	page_clear(&s->page);
	for (size_t i = 0; i < s->n; i++) {
		s->starts[i] = s->page.n;
		char *heading = entry_heading(&s->entries[i]);
		/* The selected note's heading across the line, so the selection shows without colour. */
		int pad = i == s->sel ? width - 2 - ui_width(heading) : 0;
		page_add(&s->page, i == s->sel ? STYLE_SELECTED : STYLE_HEADING, 0, "%s%*s", heading,
			 pad > 0 ? pad : 0, "");
		free(heading);
		page_add_wrapped(&s->page, STYLE_NORMAL, 2, width, s->entries[i].body);
	}
	s->starts[s->n] = s->page.n;
	if (!s->n)
		page_add(&s->page, STYLE_DIM, 1, "%s",
			 _("Nothing written since then. [ or - goes a shift further back."));
	s->page.scroll = scroll;
}

/* Scrolls so that some of the selected note shows, when none of it does. */
static void show_selected(struct shiftlog_state *s)
{
	if (!s->n)
		return;
	long a = (long)s->starts[s->sel], b = (long)s->starts[s->sel + 1];
	if (b <= s->page.scroll || a >= s->page.scroll + s->height)
		s->page.scroll = a;
	page_scroll(&s->page, 0, s->height);
}

static void draw_header(struct shiftlog_state *s, const struct ui_area *a)
{
	char d[DATE_LEN];
	date_iso_to_dk(s->since, d);
	char *since = xasprintf("%s %s %s", weekday(s->since), d, s->since + 11);
	char *title = xasprintf(_("Shift log since %s"), since);
	char count[64];
	snprintf(count, sizeof(count), ngettext("%zu note", "%zu notes", s->n), s->n);
	int rw = ui_text_right(a->top, a->width - 1, a->width / 3, STYLE_NORMAL, count);
	ui_text(a->top, 1, a->width - rw - 3, STYLE_HEADING, title);
	free(since);
	free(title);
	ui_hline(a->top + 1);
}

static void shiftlog_draw(void *state, const struct ui_area *a)
{
	struct shiftlog_state *s = state;
	load(s);
	draw_header(s, a);
	int y = a->top + 2;
	s->height = a->top + a->height - 1 - y - (s->writing ? 1 : 0);
	build_page(s, a->width);
	show_selected(s);
	page_draw(&s->page, y, s->height, a->width);
	s->sel_id[0] = '\0';
	if (s->n)
		memcpy(s->sel_id, s->entries[s->sel].id, ID_LEN);
	if (s->writing) {
		int row = a->top + a->height - 2;
		int x = 1 + ui_text(row, 1, a->width / 3, STYLE_HEADING, _("Shift log entry:")) + 1;
		ui_input_draw(&s->input, row, x, a->width - 1 - x, STYLE_SELECTED);
	}
	ui_hline(a->top + a->height - 1);
}

/* --- moving ------------------------------------------------------------------------------- */

static void select_entry(struct shiftlog_state *s, size_t i)
{
	s->sel = i;
	s->sel_id[0] = '\0';
	memcpy(s->sel_id, s->entries[i].id, ID_LEN);
}

/* Down: the rest of a long note first, then the next note. */
static void move_down(struct shiftlog_state *s)
{
	if (!s->n)
		return;
	long b = (long)s->starts[s->sel + 1];
	if (b > s->page.scroll + s->height) {
		page_scroll(&s->page, 1, s->height);
		return;
	}
	if (s->sel + 1 >= s->n)
		return;
	select_entry(s, s->sel + 1);
	long a = (long)s->starts[s->sel];
	b = (long)s->starts[s->sel + 1];
	if (b > s->page.scroll + s->height) /* its end in view, or its start if it is taller */
		s->page.scroll = b - s->height < a ? b - s->height : a;
	page_scroll(&s->page, 0, s->height);
}

/* Up: the start of a long note first, then the note before. */
static void move_up(struct shiftlog_state *s)
{
	if (!s->n)
		return;
	long a = (long)s->starts[s->sel];
	if (a < s->page.scroll) {
		page_scroll(&s->page, -1, s->height);
		return;
	}
	if (s->sel == 0)
		return;
	select_entry(s, s->sel - 1);
	a = (long)s->starts[s->sel];
	long b = (long)s->starts[s->sel + 1];
	if (a < s->page.scroll) /* its start in view, or its end if it is taller */
		s->page.scroll = b - s->height > a ? b - s->height : a;
	page_scroll(&s->page, 0, s->height);
}

/* A page: the first note that starts on the new page, else the one the page is inside. */
static void move_page(struct shiftlog_state *s, long delta)
{
	page_scroll(&s->page, delta, s->height);
	if (!s->n)
		return;
	size_t inside = 0;
	for (size_t i = 0; i < s->n; i++) {
		long a = (long)s->starts[i];
		if (a >= s->page.scroll && a < s->page.scroll + s->height) {
			select_entry(s, i);
			return;
		}
		if (a <= s->page.scroll)
			inside = i;
	}
	select_entry(s, inside);
}

static void set_since(struct shiftlog_state *s, long steps)
{
	char current[LOCAL_MIN_LEN], next[LOCAL_MIN_LEN];
	current_shift(current);
	shift_step(s->since, steps, next);
	if (!next[0])
		return;
	if (strcmp(next, current) > 0) {
		ui_message("%s", _("The log already starts at the current shift."));
		return;
	}
	memcpy(s->since, next, LOCAL_MIN_LEN);
	s->sel = 0;
	s->sel_id[0] = '\0';
	s->page.scroll = 0;
}

/* --- writing an entry --------------------------------------------------------------------- */

static void stop_writing(struct shiftlog_state *s)
{
	ui_input_free(&s->input);
	s->writing = 0;
	s->discard_armed = 0;
}

static void save_entry(struct shiftlog_state *s)
{
	char *err = NULL;
	char id[ID_LEN];
	if (note_add_id(s->app->db, NULL, "shift", s->input.buf, id, &err) != 0) {
		ui_message("%s", err ? err : _("The entry could not be saved."));
		free(err);
		return; /* the text stays */
	}
	stop_writing(s);
	memcpy(s->sel_id, id, ID_LEN); /* the draw finds it, and shows it */
	s->page.scroll = 0;
	ui_message("%s", _("The entry is saved."));
}

static void cancel_entry(struct shiftlog_state *s)
{
	if (ui_input_is_blank(&s->input) || s->discard_armed) {
		stop_writing(s);
		return;
	}
	s->discard_armed = 1;
	ui_message("%s", _("Press Esc again to discard the entry, or Enter to save it."));
}

static enum ui_result shiftlog_key(void *state, const struct ui_key *k)
{
	struct shiftlog_state *s = state;
	if (!s->writing)
		return UI_IGNORED;
	if (k->ch != 27)
		s->discard_armed = 0;
	if (k->code == KEY_F(10) && !ui_input_is_blank(&s->input)) {
		ui_message("%s", _("Save the entry with Enter, or discard it with Esc twice, first."));
		return UI_HANDLED;
	}
	return ui_input_key(&s->input, k);
}

static enum ui_result shiftlog_action(void *state, int id)
{
	struct shiftlog_state *s = state;
	switch (id) {
	case A_ADD:
		ui_input_init(&s->input, NULL, NOTE_MAX_BYTES);
		s->writing = 1;
		s->discard_armed = 0;
		break;
	case A_SAVE: save_entry(s); break;
	case A_CANCEL: cancel_entry(s); break;
	case A_OPEN:
		if (!s->n)
			break;
		if (!s->entries[s->sel].resident_id) {
			ui_message("%s", _("This entry is about no one resident."));
			break;
		}
		strlcpy_trunc(s->open_id, s->entries[s->sel].resident_id, ID_LEN);
		ui_push(&resident_screen, s->open_id);
		break;
	case A_EARLIER: set_since(s, -1); break;
	case A_LATER: set_since(s, 1); break;
	case A_UP: move_up(s); break;
	case A_DOWN: move_down(s); break;
	case A_PGUP: move_page(s, -(s->height > 1 ? s->height - 1 : 1)); break;
	case A_PGDN: move_page(s, s->height > 1 ? s->height - 1 : 1); break;
	case A_HOME:
		if (s->n)
			select_entry(s, 0);
		s->page.scroll = 0;
		break;
	case A_END:
		if (s->n) {
			select_entry(s, s->n - 1);
			s->page.scroll = (long)s->starts[s->n - 1];
			page_scroll(&s->page, 0, s->height);
		}
		break;
	case A_BACK: return UI_BACK;
	default: return UI_IGNORED;
	}
	return UI_HANDLED;
}

static const struct ui_action *shiftlog_actions(void *state, size_t *n)
{
	struct shiftlog_state *s = state;
	if (s->writing) {
		s->writing_actions[ENTRY_CANCEL].bar = s->discard_armed ? N_("discard") : N_("cancel");
		*n = s->nwriting_actions;
		return s->writing_actions;
	}
	*n = s->nbrowse;
	return s->browse;
}

const struct ui_screen_ops shiftlog_screen = {
	"shiftlog",	 shiftlog_open,	   shiftlog_title, shiftlog_draw, shiftlog_key,
	shiftlog_action, shiftlog_actions, shiftlog_close,
};
