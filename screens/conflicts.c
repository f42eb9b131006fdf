/* The conflicts imports have kept: when two terminals changed the same field without seeing each
 * other's change, one value won everywhere and the other was kept here for a coordinator to
 * review. Each shows who the resident is, which field, the value kept and the value lost, with
 * who changed it and when. Enter (or r) restores the lost value, b keeps the current one; both
 * close the conflict, and both ask for the same key once more first, since a conflict closed by
 * a stray key is gone from this list. Everyone may look; only a coordinator (or the one user of
 * an install without a staff table) may resolve. */
#include "screens.h"

#include "app.h"
#include "audit.h"
#include "i18n.h"
#include "record.h"
#include "sync.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_RESTORE = 1, A_KEEP, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END, A_BACK };

static const struct ui_action actions[] = {
	{A_RESTORE, 0, KEY_ENTER, N_("Enter"), N_("restore"), N_("Restore the lost value of the selected conflict: it becomes the field's value again, everywhere the change travels. Press Enter again to confirm.")},
	{A_RESTORE, 'r', 0, N_("r"), NULL, N_("The same as Enter.")},
	{A_KEEP, 'b', 0, N_("b"), N_("keep"), N_("Keep the current value and close the conflict. Press b again to confirm.")},
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("The conflict above.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("The conflict below.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, ' ', KEY_NPAGE, N_("PgDn/Space"), NULL, N_("One page down.")},
	{A_HOME, 'g', KEY_HOME, N_("Home/g"), NULL, N_("The newest conflict.")},
	{A_END, 'G', KEY_END, N_("End/G"), NULL, N_("The oldest conflict.")},
	{A_BACK, 27, 0, N_("Esc"), N_("back"), N_("Go back to the previous screen.")},
};
#define NACTIONS ARRAY_SIZE(actions)

struct conflicts_state {
	struct app *app;
	char resident[ID_LEN]; /* "" for every resident's conflicts */
	char *name;            /* the resident's name, for the title */
	int may_resolve;
	struct conflict_info *c;
	size_t n, sel;
	char *sel_id; /* the selected conflict, kept when others come or go */
	int armed;    /* A_RESTORE or A_KEEP: the key was pressed once over armed_id */
	char *armed_id;
	size_t *starts; /* the first page line of each conflict; starts[n] is the page's end */
	struct page page;
	int height; /* of the page, from the last draw */
	/* The keys as the bar shows them to this user: the same keys for everyone (so the ? help
	 * says what they do), but restore and keep only in the bar of those who may use them. */
	struct ui_action shown[NACTIONS];
};

/* --- loading ------------------------------------------------------------------------------ */

static void free_conflicts(struct conflicts_state *s)
{
	conflicts_free(s->c, s->n);
	free(s->starts);
	s->c = NULL;
	s->starts = NULL;
	s->n = 0;
}

/* Reads the open conflicts again (an import or another coordinator may have changed them);
 * the cursor stays on the conflict it was on, or at the same place when that one is gone. */
static void load(struct conflicts_state *s)
{
	free_conflicts(s);
	char *err = NULL;
	const char *resident = s->resident[0] ? s->resident : NULL;
	if (db_conflicts(s->app->db, resident, 0, &s->c, &s->n, &err) != 0) {
		ui_message("%s", err ? err : _("Could not read the conflicts."));
		free(err);
	}
	s->starts = xcalloc(s->n + 1, sizeof(*s->starts));
	for (size_t i = 0; s->sel_id && i < s->n; i++)
		if (str_eq(s->c[i].id, s->sel_id))
			s->sel = i;
	if (s->sel >= s->n)
		s->sel = s->n ? s->n - 1 : 0;
}

static void select_conflict(struct conflicts_state *s, size_t i)
{
	if (i >= s->n)
		return;
	s->sel = i;
	free(s->sel_id);
	s->sel_id = xstrdup(s->c[i].id);
}

/* --- drawing -------------------------------------------------------------------------------- */

/* "Kept: no  (demo, 24-11-2026 19:12)": a value as staff read it, and whose change it was. */
static char *value_line(const char *label, const char *field, const char *value,
			const char *login, const char *at)
{
	char when[40];
	char *shown = change_value_text(field, value);
	char *line = xasprintf("%s %s  (%s, %s)", label, shown, login ? login : "?",
			       at ? utc_dk_minute(at, when, sizeof(when)) : "?");
	free(shown);
	return line;
}

/* "Søren Jensen · Room", across the line when selected, so the cursor shows without colour. */
static void add_heading(struct conflicts_state *s, size_t i, int width)
{
	const struct conflict_info *c = &s->c[i];
	char *subject = change_subject(c->tbl, c->row_id, c->field);
	char *heading = xasprintf("%s %s %s", c->resident_name ? c->resident_name : "?",
				  ui_sym("·", "-"), subject);
	int pad = i == s->sel ? width - 2 - ui_width(heading) : 0;
	page_add(&s->page, i == s->sel ? STYLE_SELECTED : STYLE_HEADING, 0, "%s%*s", heading,
		 pad > 0 ? pad : 0, "");
	free(heading);
	free(subject);
}

static void build_page(struct conflicts_state *s, int width)
{
	long scroll = s->page.scroll;
	page_clear(&s->page);
	for (size_t i = 0; i < s->n; i++) {
		const struct conflict_info *c = &s->c[i];
		s->starts[i] = s->page.n;
		add_heading(s, i, width);
		char *kept = value_line(_("Kept:"), c->field, c->winner_value, c->winner_login,
					c->winner_at);
		char *lost = value_line(_("Lost:"), c->field, c->value, c->login, c->at);
		page_add_wrapped(&s->page, STYLE_NORMAL, 2, width, kept);
		page_add_wrapped(&s->page, STYLE_WARN, 2, width, lost);
		free(kept);
		free(lost);
	}
	s->starts[s->n] = s->page.n;
	if (!s->n)
		page_add(&s->page, STYLE_DIM, 1, "%s", _("No open conflicts."));
	s->page.scroll = scroll;
}

/* Scrolls so the whole selected conflict shows (its start, when it is taller than the page). */
static void show_selected(struct conflicts_state *s)
{
	if (!s->n)
		return;
	long a = (long)s->starts[s->sel], b = (long)s->starts[s->sel + 1];
	if (b > s->page.scroll + s->height)
		s->page.scroll = b - s->height;
	if (a < s->page.scroll)
		s->page.scroll = a;
	page_scroll(&s->page, 0, s->height);
}

/* The title and count, and a line saying what the keys do, or who may use them. Returns the
 * next free row. */
static int draw_header(const struct conflicts_state *s, const struct ui_area *a)
{
	char count[64];
	snprintf(count, sizeof(count), ngettext("%zu open", "%zu open", s->n), s->n);
	int rw = ui_text_right(a->top, a->width - 1, a->width / 3, STYLE_NORMAL, count);
	char *title = s->resident[0] ? xasprintf(_("Conflicts for %s"), s->name ? s->name : "?")
				     : xstrdup(_("Conflicts from synchronisation"));
	ui_text(a->top, 1, a->width - rw - 3, STYLE_HEADING, title);
	free(title);
	if (s->may_resolve)
		ui_text(a->top + 1, 1, a->width - 2, STYLE_DIM,
			_("Enter restores the lost value, b keeps the current one."));
	else
		ui_text(a->top + 1, 1, a->width - 2, STYLE_WARN,
			_("Only a coordinator can resolve conflicts."));
	ui_hline(a->top + 2);
	return a->top + 3;
}

static void conflicts_draw(void *state, const struct ui_area *a)
{
	struct conflicts_state *s = state;
	load(s);
	int y = draw_header(s, a);
	s->height = a->top + a->height - 1 - y;
	build_page(s, a->width);
	show_selected(s);
	page_draw(&s->page, y, s->height, a->width);
	free(s->sel_id);
	s->sel_id = s->n ? xstrdup(s->c[s->sel].id) : NULL;
	ui_hline(a->top + a->height - 1);
}

/* --- resolving ------------------------------------------------------------------------------ */

static void disarm(struct conflicts_state *s)
{
	s->armed = 0;
	free(s->armed_id);
	s->armed_id = NULL;
}

/* The first press says what the second will do; the second, on the same conflict, does it. */
static int confirmed(struct conflicts_state *s, int action, const char *shown)
{
	const struct conflict_info *c = &s->c[s->sel];
	if (s->armed == action && str_eq(s->armed_id, c->id))
		return 1;
	disarm(s);
	s->armed = action;
	s->armed_id = xstrdup(c->id);
	if (action == A_RESTORE)
		ui_message(_("Press Enter again to restore \"%s\"; any other key cancels."), shown);
	else
		ui_message(_("Press b again to keep \"%s\" and close the conflict; any other key "
			     "cancels."),
			   shown);
	return 0;
}

static void resolve(struct conflicts_state *s, int action)
{
	if (!s->n)
		return;
	if (!s->may_resolve) {
		ui_message("%s", _("Only a coordinator can resolve conflicts."));
		return;
	}
	const struct conflict_info *c = &s->c[s->sel];
	int restore = action == A_RESTORE;
	char *shown = change_value_text(c->field, restore ? c->value : c->winner_value);
	if (confirmed(s, action, shown)) {
		disarm(s);
		char *err = NULL;
		if (db_conflict_resolve(s->app->db, c->id, restore, &err) != 0)
			ui_message(_("Not resolved: %s"), err ? err : "?");
		else if (restore)
			ui_message(_("Restored \"%s\"."), shown);
		else
			ui_message(_("Kept \"%s\"; the conflict is closed."), shown);
		free(err);
	}
	free(shown);
}

/* --- moving --------------------------------------------------------------------------------- */

/* A page: the first conflict that starts on the new page, else the one the page is inside. */
static void move_page(struct conflicts_state *s, long delta)
{
	page_scroll(&s->page, delta, s->height);
	size_t inside = 0;
	for (size_t i = 0; i < s->n; i++) {
		long a = (long)s->starts[i];
		if (a >= s->page.scroll && a < s->page.scroll + s->height) {
			select_conflict(s, i);
			return;
		}
		if (a <= s->page.scroll)
			inside = i;
	}
	select_conflict(s, inside);
}

/* --- the screen ------------------------------------------------------------------------------ */

static void conflicts_close(void *state)
{
	struct conflicts_state *s = state;
	free_conflicts(s);
	page_clear(&s->page);
	free(s->name);
	free(s->sel_id);
	free(s->armed_id);
	free(s);
}

/* One resident's conflicts show values of their record: read their name, and write the audit
 * entry every screen of a record writes (no entry, nothing shown). */
static int open_resident(struct conflicts_state *s)
{
	struct record r;
	char *err = NULL;
	int found = db_record_get(s->app->db, "resident", s->resident, &r, &err);
	int ok = 0;
	if (found != 1) {
		ui_message("%s", err ? err : _("The resident no longer exists."));
	} else {
		s->name = xstrdup(record_get(&r, "name") ? record_get(&r, "name") : "");
		record_free(&r);
		ok = db_audit(s->app->db, AUDIT_OPEN, s->resident, NULL, &err) == 0;
		if (!ok)
			ui_message(_("Could not write the audit log, so the record is not shown: %s"),
				   err ? err : "?");
	}
	free(err);
	return ok;
}

static void *conflicts_open(struct app *app, const void *arg)
{
	if (!app_is_coordinator(app)) {
		ui_message(_("Only a coordinator reviews sync conflicts."));
		return NULL;
	}
	struct conflicts_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	s->may_resolve = app_is_coordinator(app);
	s->height = 10;
	memcpy(s->shown, actions, sizeof(actions));
	for (size_t i = 0; i < NACTIONS && !s->may_resolve; i++)
		if (s->shown[i].id == A_RESTORE || s->shown[i].id == A_KEEP)
			s->shown[i].bar = NULL;
	if (arg)
		strlcpy_trunc(s->resident, arg, ID_LEN);
	if (s->resident[0] && !open_resident(s)) {
		conflicts_close(s);
		return NULL;
	}
	return s;
}

static const char *conflicts_title(void *state)
{
	(void)state;
	return _("Conflicts");
}

/* A confirmation waits for the same key once more: any other key calls it off. */
static enum ui_result conflicts_key(void *state, const struct ui_key *k)
{
	struct conflicts_state *s = state;
	int again = (s->armed == A_RESTORE && (k->code == KEY_ENTER || k->ch == 'r')) ||
		    (s->armed == A_KEEP && k->ch == 'b');
	if (s->armed && !again) {
		disarm(s);
		ui_message("%s", _("Nothing was changed."));
	}
	return UI_IGNORED;
}

static enum ui_result conflicts_action(void *state, int id)
{
	struct conflicts_state *s = state;
	long page = s->height > 2 ? s->height - 1 : 1;
	switch (id) {
	case A_RESTORE:
	case A_KEEP: resolve(s, id); break;
	case A_UP: select_conflict(s, s->sel ? s->sel - 1 : 0); break;
	case A_DOWN: select_conflict(s, s->sel + 1); break;
	case A_PGUP: move_page(s, -page); break;
	case A_PGDN: move_page(s, page); break;
	case A_HOME: select_conflict(s, 0); break;
	case A_END: select_conflict(s, s->n ? s->n - 1 : 0); break;
	case A_BACK: return UI_BACK;
	default: return UI_IGNORED;
	}
	return UI_HANDLED;
}

static const struct ui_action *conflicts_actions(void *state, size_t *n)
{
	struct conflicts_state *s = state;
	*n = NACTIONS;
	return s->shown;
}

const struct ui_screen_ops conflicts_screen = {
	"conflicts",	  conflicts_open,    conflicts_title,	conflicts_draw, conflicts_key,
	conflicts_action, conflicts_actions, conflicts_close,
};
