/* The audit log on a screen, for coordinators: who opened, registered, changed, printed,
 * exported, imported or erased what, when and on which terminal, newest first, one line per
 * entry, with the selected entry in full under the list. `/` filters by any text of the lines
 * (names, logins, words, fields, dates), Enter opens the resident of an entry (an opening like
 * any other, so it is in the log too), and, opened from a resident, `r` switches between their
 * entries and everyone's.
 *
 * Opening this screen is not itself an entry: it shows no record, only the names the resident
 * list shows every login, and only to a coordinator, as `husly audit` does. The entries are read
 * when it opens, when `r` switches, and after a resident opened from it is closed; a log of a
 * hundred thousand entries reads in a fraction of a second. */
#include "screens.h"

#include "app.h"
#include "audit.h"
#include "config.h"
#include "i18n.h"
#include "record.h"
#include "text.h"
#include "ui_input.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_FILTER = 1, A_OPEN, A_SCOPE, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END, A_BACK,
       A_DONE, A_CLEAR };

static const struct ui_action browse_actions[] = {
	{A_FILTER, '/', 0, N_("/"), N_("filter"), N_("Show only the entries whose line holds the text typed: a name, a login, a terminal, an action, a field, a date.")},
	{A_OPEN, 0, KEY_ENTER, N_("Enter"), N_("open"), N_("Open the resident of the selected entry (that opening is in the log too).")},
	{A_SCOPE, 'r', 0, N_("r"), N_("all/resident"), N_("Switch between this resident's entries and everyone's.")},
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("The newer entry.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("The older entry.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, ' ', KEY_NPAGE, N_("PgDn/Space"), NULL, N_("One page down.")},
	{A_HOME, 'g', KEY_HOME, N_("Home/g"), NULL, N_("The newest entry.")},
	{A_END, 'G', KEY_END, N_("End/G"), NULL, N_("The oldest entry.")},
	{A_BACK, 27, 0, N_("Esc"), N_("back"), N_("Clear the filter; without one, go back.")},
};
#define SCOPE_ACTION 2 /* the index of r in browse_actions, left out without a resident */

/* While the filter is typed: these, then the field's editing keys. */
static const struct ui_action filter_actions[] = {
	{A_DONE, 0, KEY_ENTER, N_("Enter"), N_("done"), N_("Stop typing; the filter stays.")},
	{A_CLEAR, 27, 0, N_("Esc"), N_("clear"), N_("Clear the filter and show every entry.")},
	{A_UP, 0, KEY_UP, N_("Up"), NULL, N_("The newer entry.")},
	{A_DOWN, 0, KEY_DOWN, N_("Down"), NULL, N_("The older entry.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, 0, KEY_NPAGE, N_("PgDn"), NULL, N_("One page down.")},
};
#define FILTER_ACTIONS_MAX (ARRAY_SIZE(filter_actions) + 16)
#define FILTER_MAX 200

/* One entry as the screen shows it. */
struct row {
	long long seq;
	char *when;     /* "25-11-2026 02:14", local time */
	char *who;      /* the staff table's name, else the login */
	char *who_full; /* "Mette Holm (mette)", or the login */
	char *terminal;
	const char *action; /* in words, translated */
	char resident_id[ID_LEN]; /* "" when the entry concerns no one resident */
	char *resident; /* the name, "k3m9qx2t7bvr (erased)", or "" */
	int erased;
	char *detail;
	char *folded; /* the line's words folded, for the filter */
};

struct audit_state {
	struct app *app;
	char resident_id[ID_LEN]; /* opened from this resident ("" from the list) */
	char *resident_name;
	int one; /* showing the resident's entries only */
	struct row *rows; /* newest first */
	size_t n, cap;
	size_t *shown; /* the rows that match the filter, newest first */
	size_t nshown;
	size_t sel, top;
	long long sel_seq; /* the selected entry, kept when the log is read again */
	int rows_fit;      /* list rows that fit, from the last draw */
	int reload;        /* read the log again at the next draw */
	int typing;
	struct ui_input filter;
	char open_id[ID_LEN];
	struct ui_action browse[ARRAY_SIZE(browse_actions)];
	size_t nbrowse;
	struct ui_action typing_actions[FILTER_ACTIONS_MAX];
	size_t ntyping;
};

/* The action in words; an action this husly does not know, as it is stored. */
static const char *action_words(const char *action)
{
	static const struct {
		const char *code, *words;
	} words[] = {
		{AUDIT_OPEN, N_("opened")},	{AUDIT_CREATE, N_("created")},
		{AUDIT_CHANGE, N_("changed")},	{AUDIT_PRINT, N_("printed")},
		{AUDIT_DUMP, N_("dumped all")}, {AUDIT_EXPORT, N_("exported")},
		{AUDIT_IMPORT, N_("imported")}, {AUDIT_ERASE, N_("erased")},
		{AUDIT_REPORT, N_("reported")},
	};
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (str_eq(action, words[i].code))
			return _(words[i].words);
	return action ? action : "?";
}

/* --- reading ------------------------------------------------------------------------------ */

static void rows_free(struct audit_state *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct row *r = &s->rows[i];
		char *owned[] = {r->when, r->who, r->who_full, r->terminal, r->resident, r->detail,
				 r->folded};
		for (size_t k = 0; k < ARRAY_SIZE(owned); k++)
			free(owned[k]);
	}
	free(s->rows);
	free(s->shown);
	s->rows = NULL;
	s->shown = NULL;
	s->n = s->cap = s->nshown = 0;
}

static char *row_folded(const struct row *r)
{
	char *line = xasprintf("%s %s %s %s %s %s %s %s", r->when, r->who_full, r->terminal,
			       r->action, r->resident, r->resident_id, r->detail,
			       r->erased ? _("erased") : "");
	char *folded = text_fold(line);
	free(line);
	return folded;
}

static void add_entry(const struct audit_entry *e, void *arg)
{
	struct audit_state *s = arg;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	struct row *r = &s->rows[s->n++];
	memset(r, 0, sizeof(*r));
	char when[40];
	r->seq = e->seq;
	r->when = xstrdup(utc_dk_minute(e->at, when, sizeof(when)));
	const char *login = e->login ? e->login : "?";
	const struct staff_member *m = config_staff(&s->app->cfg, login);
	r->who = xstrdup(m && !str_empty(m->name) ? m->name : login);
	r->who_full = m && !str_empty(m->name) && !str_eq(m->name, login)
			  ? xasprintf("%s (%s)", m->name, login)
			  : xstrdup(login);
	r->terminal = xstrdup(e->terminal ? e->terminal : "");
	r->action = action_words(e->action);
	if (e->resident_id)
		strlcpy_trunc(r->resident_id, e->resident_id, ID_LEN);
	r->erased = e->resident_erased;
	if (!e->resident_id)
		r->resident = xstrdup("");
	else if (e->resident_erased)
		r->resident = xasprintf(_("%s (erased)"), e->resident_id);
	else
		r->resident = xstrdup(e->resident_name ? e->resident_name : e->resident_id);
	r->detail = xstrdup(e->detail ? e->detail : "");
	r->folded = row_folded(r);
}

/* The rows whose line holds the filter's text (both folded: case, Danish letters however spelt,
 * punctuation as spaces), newest first; the selection stays on its entry when still shown. */
static void apply_filter(struct audit_state *s)
{
	free(s->shown);
	s->shown = xcalloc(s->n + 1, sizeof(*s->shown));
	s->nshown = 0;
	char *want = text_fold(s->filter.buf ? s->filter.buf : "");
	for (size_t i = s->n; i-- > 0;)
		if (!want[0] || strstr(s->rows[i].folded, want))
			s->shown[s->nshown++] = i;
	free(want);
	s->sel = 0;
	for (size_t i = 0; i < s->nshown; i++)
		if (s->rows[s->shown[i]].seq == s->sel_seq)
			s->sel = i;
}

static void load(struct audit_state *s)
{
	rows_free(s);
	s->reload = 0;
	char *err = NULL;
	if (db_audit_list(s->app->db, s->one ? s->resident_id : NULL, NULL, add_entry, s, &err) <
	    0) {
		ui_message(_("Could not read the audit log: %s"), err ? err : "?");
		free(err);
	}
	apply_filter(s);
}

/* --- the screen ------------------------------------------------------------------------------ */

static void audit_close(void *state)
{
	struct audit_state *s = state;
	rows_free(s);
	free(s->resident_name);
	ui_input_free(&s->filter);
	free(s);
}

/* The resident's name, for the title: who they are is what the log is read for. */
static int read_resident(struct audit_state *s)
{
	struct record r;
	char *err = NULL;
	int found = db_record_get(s->app->db, "resident", s->resident_id, &r, &err);
	if (found != 1) {
		ui_message("%s", err ? err : _("The resident no longer exists."));
		free(err);
		return 0;
	}
	s->resident_name = xstrdup(record_get(&r, "name") ? record_get(&r, "name") : "");
	record_free(&r);
	return 1;
}

static void *audit_open(struct app *app, const void *arg)
{
	if (!app_is_coordinator(app)) {
		ui_message("%s", _("Only a coordinator may read the audit log."));
		return NULL;
	}
	struct audit_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	s->rows_fit = 10;
	ui_input_init(&s->filter, NULL, FILTER_MAX);
	if (arg) {
		strlcpy_trunc(s->resident_id, arg, ID_LEN);
		s->one = 1;
		if (!read_resident(s)) {
			audit_close(s);
			return NULL;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(browse_actions); i++)
		if (i != SCOPE_ACTION || s->resident_id[0])
			s->browse[s->nbrowse++] = browse_actions[i];
	s->ntyping = ui_input_with_actions(s->typing_actions, FILTER_ACTIONS_MAX, filter_actions,
					   ARRAY_SIZE(filter_actions));
	load(s);
	return s;
}

static const char *audit_title(void *state)
{
	(void)state;
	return _("Audit log");
}

/* --- drawing -------------------------------------------------------------------------------- */

/* Column widths for the terminal's width: the detail takes what the others leave. The terminal
 * shows from 100 columns on; at 80 it is in the selected entry's lines below. */
struct columns {
	int when, who, terminal, action, resident, detail;
};

static struct columns layout(int width)
{
	struct columns c = {16, 12, 0, 10, 18, 0};
	if (width >= 100)
		c.terminal = 12;
	if (width >= 120) {
		c.who = 18;
		c.resident = 24;
	}
	int gaps = c.terminal ? 5 : 4;
	c.detail = width - 2 - gaps - c.when - c.who - c.terminal - c.action - c.resident;
	if (c.detail < 1)
		c.detail = 1;
	return c;
}

static void draw_columns(int y, int width, enum ui_style st, const char *const v[6])
{
	struct columns c = layout(width);
	const int w[6] = {c.when, c.who, c.terminal, c.action, c.resident, c.detail};
	int x = 1;
	for (int i = 0; i < 6; i++) {
		if (!w[i])
			continue;
		ui_text(y, x, w[i], st, v[i]);
		x += w[i] + 1;
	}
}

static void draw_header(struct audit_state *s, const struct ui_area *a)
{
	char *title = s->one ? xasprintf(_("Audit log: %s"), s->resident_name)
			     : xstrdup(_("Audit log: everyone"));
	char count[96];
	if (s->filter.buf && s->filter.buf[0])
		snprintf(count, sizeof(count), _("%zu of %zu entries"), s->nshown, s->n);
	else
		snprintf(count, sizeof(count), ngettext("%zu entry", "%zu entries", s->n), s->n);
	int rw = ui_text_right(a->top, a->width - 1, a->width / 3, STYLE_NORMAL, count);
	ui_text(a->top, 1, a->width - rw - 3, STYLE_HEADING, title);
	free(title);
	if (s->typing || (s->filter.buf && s->filter.buf[0])) {
		int x = 1 + ui_text(a->top + 1, 1, a->width / 3, STYLE_HEADING, _("Filter:")) + 1;
		if (s->typing)
			ui_input_draw(&s->filter, a->top + 1, x, a->width - 1 - x, STYLE_SELECTED);
		else
			ui_text(a->top + 1, x, a->width - 1 - x, STYLE_WARN, s->filter.buf);
	} else {
		ui_hline(a->top + 1);
	}
	const char *const heads[6] = {_("Time"),   _("Who"),	  _("Terminal"),
				      _("Action"), _("Resident"), _("Detail")};
	draw_columns(a->top + 2, a->width, STYLE_HEADING, heads);
}

static void draw_row(const struct row *r, int y, int width, int selected)
{
	if (selected)
		ui_fill(y, STYLE_SELECTED);
	const char *const v[6] = {r->when, r->who, r->terminal, r->action, r->resident, r->detail};
	draw_columns(y, width, selected ? STYLE_SELECTED : STYLE_NORMAL, v);
}

/* The selected entry in full: its number (as `husly check` names entries), when, who, where;
 * what and whom; the detail, wrapped in the rows left. */
static void draw_selected(struct audit_state *s, int y, int rows, int width)
{
	if (!s->nshown)
		return;
	const struct row *r = &s->rows[s->shown[s->sel]];
	const char *dot = ui_sym(" · ", " - ");
	char *line = xasprintf("#%lld%s%s%s%s%s%s", r->seq, dot, r->when, dot, r->who_full, dot,
			       r->terminal);
	ui_text(y, 1, width - 2, STYLE_HEADING, line);
	free(line);
	line = r->resident_id[0] ? xasprintf("%s%s%s", r->action, dot, r->resident)
				 : xstrdup(r->action);
	ui_text(y + 1, 1, width - 2, STYLE_NORMAL, line);
	free(line);
	struct page p = {0};
	page_add_wrapped(&p, STYLE_DIM, 0, width, r->detail);
	for (int i = 0; i < rows - 2 && (size_t)i < p.n; i++) {
		/* The last row holds the rest, cut with an ellipsis. */
		struct strbuf sb;
		sb_init(&sb);
		size_t last = i == rows - 3 ? p.n : (size_t)i + 1;
		for (size_t j = (size_t)i; j < last; j++)
			sb_addf(&sb, "%s%s", j > (size_t)i ? " " : "", p.lines[j].text);
		ui_text(y + 2 + i, 1, width - 2, STYLE_DIM, sb.buf);
		sb_free(&sb);
	}
	page_clear(&p);
}

static void keep_selection_visible(struct audit_state *s)
{
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->rows_fit > 0 && s->sel >= s->top + (size_t)s->rows_fit)
		s->top = s->sel - (size_t)s->rows_fit + 1;
}

static void audit_draw(void *state, const struct ui_area *a)
{
	struct audit_state *s = state;
	if (s->reload)
		load(s);
	int detail_rows = a->height >= 18 ? 4 : 3;
	/* title, filter or line, column titles ... rows ... line, the entry, line */
	s->rows_fit = a->height - 3 - 1 - detail_rows - 1;
	if (s->rows_fit < 1)
		s->rows_fit = 1;
	keep_selection_visible(s);
	draw_header(s, a);
	int y = a->top + 3;
	for (int i = 0; i < s->rows_fit && s->top + (size_t)i < s->nshown; i++) {
		size_t k = s->top + (size_t)i;
		draw_row(&s->rows[s->shown[k]], y + i, a->width, k == s->sel);
	}
	if (!s->nshown)
		ui_text(y + 1, 2, a->width - 4, STYLE_DIM,
			s->n ? _("No entry matches the filter.") : _("The audit log has no entries."));
	int bottom = a->top + a->height - 1;
	ui_hline(bottom - detail_rows - 1);
	draw_selected(s, bottom - detail_rows, detail_rows, a->width);
	ui_hline(bottom);
	if (s->nshown)
		s->sel_seq = s->rows[s->shown[s->sel]].seq;
}

/* --- keys ------------------------------------------------------------------------------------ */

static void move_selection(struct audit_state *s, long delta)
{
	if (!s->nshown)
		return;
	long sel = (long)s->sel + delta;
	if (sel >= (long)s->nshown)
		sel = (long)s->nshown - 1;
	if (sel < 0)
		sel = 0;
	s->sel = (size_t)sel;
	s->sel_seq = s->rows[s->shown[s->sel]].seq;
}

static void open_resident(struct audit_state *s)
{
	if (!s->nshown)
		return;
	const struct row *r = &s->rows[s->shown[s->sel]];
	if (!r->resident_id[0]) {
		ui_message("%s", _("This entry is about no one resident."));
		return;
	}
	if (r->erased) {
		ui_message("%s", _("The resident has been erased."));
		return;
	}
	memcpy(s->open_id, r->resident_id, ID_LEN);
	s->reload = 1; /* the opening is an entry: shown when back */
	ui_push(&resident_screen, s->open_id);
}

static void set_filter_text(struct audit_state *s, const char *text)
{
	ui_input_set(&s->filter, text);
	apply_filter(s);
	s->top = 0;
}

/* While the filter is typed, every character is text; the list narrows at once. */
static enum ui_result audit_key(void *state, const struct ui_key *k)
{
	struct audit_state *s = state;
	if (!s->typing)
		return UI_IGNORED;
	size_t before = s->filter.len;
	char *old = xstrdup(s->filter.buf ? s->filter.buf : "");
	enum ui_result r = ui_input_key(&s->filter, k);
	if (r != UI_IGNORED && (before != s->filter.len || !str_eq(old, s->filter.buf))) {
		apply_filter(s);
		s->top = 0;
	}
	free(old);
	return r;
}

static enum ui_result audit_action(void *state, int id)
{
	struct audit_state *s = state;
	long page = s->rows_fit > 1 ? s->rows_fit - 1 : 1;
	switch (id) {
	case A_FILTER: s->typing = 1; break;
	case A_DONE: s->typing = 0; break;
	case A_CLEAR:
		s->typing = 0;
		set_filter_text(s, NULL);
		break;
	case A_OPEN: open_resident(s); break;
	case A_SCOPE:
		if (!s->resident_id[0])
			return UI_IGNORED;
		s->one = !s->one;
		s->top = 0;
		load(s);
		break;
	case A_UP: move_selection(s, -1); break;
	case A_DOWN: move_selection(s, 1); break;
	case A_PGUP: move_selection(s, -page); break;
	case A_PGDN: move_selection(s, page); break;
	case A_HOME: move_selection(s, -(long)s->nshown); break;
	case A_END: move_selection(s, (long)s->nshown); break;
	case A_BACK:
		if (!s->filter.buf || !s->filter.buf[0])
			return UI_BACK;
		set_filter_text(s, NULL);
		break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED;
}

static const struct ui_action *audit_actions(void *state, size_t *n)
{
	struct audit_state *s = state;
	if (s->typing) {
		*n = s->ntyping;
		return s->typing_actions;
	}
	*n = s->nbrowse;
	return s->browse;
}

const struct ui_screen_ops audit_screen = {
	"audit",      audit_open,    audit_title,   audit_draw,
	audit_key,    audit_action,  audit_actions, audit_close,
};
