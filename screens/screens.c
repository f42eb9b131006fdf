/* The screen table and the start of the UI; the text page and warning words the screens share. */
#include "screens.h"
#include "tui.h"

#include "app.h"
#include "audit.h"
#include "checklist.h"
#include "db.h"
#include "i18n.h"
#include "lists.h"
#include "print.h"
#include "text.h"
#include "util.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every screen husly has. The loop opens the first; the others are pushed by key. */
static const struct ui_screen_ops *const screens[] = {
	&list_screen,
	&resident_screen,
	&intake_screen,
	&departure_screen,
	&edit_screen,
	&checklist_screen,
	&step_screen,
	&shiftlog_screen,
	&sync_screen,
	&conflicts_screen,
	&audit_screen,
	&overview_screen,
	&help_screen, /* the last one */
};

int tui_run(struct app *app)
{
	char *err = NULL;
	/* The first start of a terminal makes its database at the default path; a path someone
	 * named must exist, so a typing mistake never opens an empty shelter. */
	int rc = app->db_path_is_default ? db_open(app->db_path, &app->db, &err)
					 : db_open_existing(app->db_path, &app->db, &err);
	if (rc != 0) {
		eprintf_safe("husly: %s\n", err);
		if (!app->db_path_is_default && access(app->db_path, F_OK) != 0)
			eprintf_safe(_("husly: make a new database with: husly -d %s init\n"),
				     app->db_path);
		free(err);
		return 1;
	}
	db_set_actor(app->db, app->login);
	db_set_terminal_name(app->db, app->cfg.terminal);
	ui_set_help_screen(screens[ARRAY_SIZE(screens) - 1]);
	return ui_run(app, screens[0], NULL);
}

void today_iso(char out[DATE_LEN])
{
	time_to_local_date(clock_now(), out);
}

const char *dk_minute(const char *local, char *out, size_t n)
{
	char d[DATE_LEN];
	date_iso_to_dk(local, d);
	snprintf(out, n, "%s %s", d, local && strlen(local) >= 16 ? local + 11 : "");
	return out;
}

const char *utc_dk_minute(const char *utc, char *out, size_t n)
{
	char local[LOCAL_MIN_LEN];
	iso_utc_to_local_minute(utc, local);
	if (local[0])
		return dk_minute(local, out, n);
	snprintf(out, n, "%s", utc ? utc : "-");
	return out;
}

static void add_warning(char *out, size_t n, const char *sym_utf8, const char *sym_ascii,
			const char *text)
{
	size_t len = strlen(out);
	snprintf(out + len, n - len, "%s%s %s", len ? (ui_is_utf8() ? " · " : " - ") : "",
		 ui_sym(sym_utf8, sym_ascii), text);
}

void warnings_text(unsigned w, const struct list_row *row, const char *today, char *out,
		   size_t n)
{
	out[0] = '\0';
	char buf[64];
	if (w & WARN_BAN)
		add_warning(out, n, "⚠", "!!", _("house ban"));
	if (w & WARN_SAFETY)
		add_warning(out, n, "⚠", "!!", _("safety"));
	if (w & WARN_MEDICAL)
		add_warning(out, n, "⚠", "!!", _("medical"));
	if (w & WARN_NOT_NOTIFIED)
		add_warning(out, n, "!", "!", _("municipality not notified"));
	if (w & WARN_NOT_ASSESSED)
		add_warning(out, n, "!", "!", _("not assessed"));
	if (w & WARN_READY_LONG) {
		snprintf(buf, sizeof(buf), _("ready %ld d"), date_days_between(row->ready_at, today));
		add_warning(out, n, "⚑", "F", buf);
	}
	if (w & WARN_NO_SUPPORT)
		add_warning(out, n, "!", "!", _("moving in without support"));
	if (w & WARN_NO_HOUSING_REG)
		add_warning(out, n, "!", "!", _("no housing registration"));
}


int checklist_housing_registered(const struct checklist *c)
{
	for (size_t i = 0; i < c->nsteps; i++)
		if (str_eq(c->steps[i].code, "housing_registered"))
			return str_eq(c->steps[i].status, "done");
	return 0;
}

void checklist_warnings_text(const struct checklist *c, const char *today, char *out, size_t n)
{
	struct list_row r;
	memset(&r, 0, sizeof(r));
	r.arrival = c->arrival;
	r.departure = c->departure;
	r.ready_at = c->ready_at;
	r.move_in_date = c->move_in_date;
	r.support_granted_at = c->support_granted_at;
	r.housing_registered = checklist_housing_registered(c);
	warnings_text(row_warnings(&r, today) & CHECKLIST_WARNINGS, &r, today, out, n);
}

char *support_text(const char *method, const char *granted, const char *start)
{
	char d[DATE_LEN];
	struct strbuf sb;
	sb_init(&sb);
	if (method)
		sb_add(&sb, choice_label(&list_support, method));
	if (granted) {
		date_iso_to_dk(granted, d);
		sb_addf(&sb, _("%sgranted %s"), sb.len ? ", " : "", d);
	} else if (method) {
		sb_addf(&sb, "%s", _(", not granted yet"));
	}
	if (start) {
		date_iso_to_dk(start, d);
		sb_addf(&sb, _("%sstarts %s"), sb.len ? ", " : "", d);
	}
	char *out = xstrdup(sb.buf ? sb.buf : "");
	sb_free(&sb);
	return out;
}

int resident_checklist(struct app *app, const char *resident_id, struct checklist *c, char *err,
		       size_t errlen)
{
	char stay[ID_LEN];
	char *e = NULL;
	int rc = checklist_stay_of(app->db, resident_id, stay, &e);
	if (rc == 1 && checklist_load(app->db, stay, c, &e) != 0)
		rc = -1;
	if (rc < 0)
		snprintf(err, errlen, "%s", e ? e : _("Could not read the checklist."));
	free(e);
	return rc;
}

void show_busy(const char *text)
{
	move(LINES - 2, 0);
	clrtoeol();
	ui_text(LINES - 2, 1, COLS - 2, STYLE_NORMAL, text);
	refresh();
}

/* Prints one resident's checklist with the print command and says how it went. */
void print_resident_checklist(struct app *app, const char *resident_id)
{
	char *by = app_signature(app);
	struct print_context ctx = {app->cfg.shelter, by};
	char *err = NULL;
	/* The command may take a moment (a network printer): say so while it runs. */
	show_busy(_("Printing..."));
	long pages = print_to_command(app->db, PRINT_ONE, resident_id, &ctx, app->cfg.print_command,
				      &err);
	if (pages < 0)
		ui_message(_("Could not print: %s"), err ? err : "?");
	else
		ui_message(_("Sent to the printer (%s): %ld page(s)."), app->cfg.print_command,
			   pages);
	free(err);
	free(by);
}

void page_add(struct page *p, enum ui_style style, int indent, const char *fmt, ...)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->lines = xrealloc(p->lines, p->cap * sizeof(*p->lines));
	}
	va_list ap;
	va_start(ap, fmt);
	p->lines[p->n].text = xvasprintf(fmt, ap);
	va_end(ap);
	p->lines[p->n].style = style;
	p->lines[p->n].indent = indent;
	p->n++;
}

/* The first line of s in cols columns: up to the last space that fits, or as much of a word
 * longer than a line as fits (never less than one character). Returns its length in bytes and
 * sets *next to where the rest starts. */
static size_t wrap_line(const char *s, int cols, const char **next)
{
	size_t len = strlen(s), space = 0, i = 0;
	int used = 0;
	while (i < len) {
		uint32_t cp;
		size_t step = utf8_decode(s + i, len - i, &cp);
		char one[5] = {0};
		memcpy(one, s + i, step < 4 ? step : 4);
		int w = ui_width(one);
		if (used + w > cols && i > 0) {
			size_t end = cp == ' ' ? i : space ? space : i;
			*next = s + end + (s[end] == ' ');
			return end;
		}
		if (cp == ' ' && i > 0)
			space = i;
		used += w;
		i += step;
	}
	*next = s + len;
	return len;
}

void page_add_wrapped(struct page *p, enum ui_style style, int indent, int width,
		      const char *text)
{
	int cols = width - 2 - indent; /* as page_draw draws it */
	if (cols < 1)
		cols = 1;
	char *copy = xstrdup(text ? text : "");
	char *line = copy;
	/* Lines break where the text has newlines, and again where they reach the width. */
	while (line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		const char *rest = line, *next;
		do {
			size_t n = wrap_line(rest, cols, &next);
			page_add(p, style, indent, "%.*s", (int)n, rest);
			rest = next;
		} while (*rest);
		line = nl ? nl + 1 : NULL;
	}
	free(copy);
}

void page_clear(struct page *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i].text);
	free(p->lines);
	memset(p, 0, sizeof(*p));
}

void page_draw(struct page *p, int top, int height, int width)
{
	if (height <= 0)
		return; /* the alerts took every row */
	for (int i = 0; i < height && p->scroll + i < (long)p->n; i++) {
		const struct page_line *l = &p->lines[p->scroll + i];
		ui_text(top + i, 1 + l->indent, width - 2 - l->indent, l->style, l->text);
	}
	if (p->scroll > 0)
		ui_text(top, width - 2, 1, STYLE_DIM, ui_sym("↑", "^"));
	if (p->scroll + height < (long)p->n)
		ui_text(top + height - 1, width - 2, 1, STYLE_DIM, ui_sym("↓", "v"));
}

enum ui_result page_scroll(struct page *p, long delta, int height)
{
	long max = (long)p->n - height;
	p->scroll += delta;
	if (p->scroll > max)
		p->scroll = max;
	if (p->scroll < 0)
		p->scroll = 0;
	return UI_HANDLED;
}

/* Whether the user's role may do what need asks. */
static int role_allows(const struct app *app, enum action_need need)
{
	switch (need) {
	case ACTION_COORDINATOR:
		return app_is_coordinator(app);
	case ACTION_SEES_CPR:
		return app_may_see_cpr(app) && app_may_write(app);
	case ACTION_WRITES:
	default:
		return app_may_write(app);
	}
}

size_t actions_for_user(const struct app *app, const struct ui_action *all, size_t n,
			const struct action_rule *rules, size_t nrules, struct ui_action *out)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		int allowed = 1;
		for (size_t r = 0; r < nrules; r++)
			if (rules[r].id == all[i].id && !role_allows(app, rules[r].need))
				allowed = 0;
		if (allowed)
			out[kept++] = all[i];
	}
	return kept;
}

int may_write_or_say(const struct app *app)
{
	if (app_may_write(app))
		return 1;
	ui_message(_("You may only read: your login is not in the staff table of husly.conf."));
	return 0;
}
