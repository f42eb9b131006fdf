/* The screen table and the start of the UI; the text page and warning words the screens share. */
#include "screens.h"
#include "tui.h"

#include "app.h"
#include "db.h"
#include "i18n.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every screen husly has. The loop opens the first; the others are pushed by key. */
static const struct ui_screen_ops *const screens[] = {
	&list_screen,
	&resident_screen,
	&help_screen,
};

int tui_run(struct app *app)
{
	char *err = NULL;
	if (db_open(app->db_path, &app->db, &err) != 0) {
		fprintf(stderr, "husly: %s\n", err);
		free(err);
		return 1;
	}
	db_set_actor(app->db, app->login);
	ui_set_help_screen(screens[ARRAY_SIZE(screens) - 1]);
	return ui_run(app, screens[0], NULL);
}

void today_iso(char out[DATE_LEN])
{
	time_to_local_date(clock_now(), out);
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

void page_add_wrapped(struct page *p, enum ui_style style, int indent, int width,
		      const char *text)
{
	char *copy = xstrdup(text ? text : "");
	char *line = copy;
	/* Lines break where the text has newlines, and again at the last space that fits. */
	while (line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *rest = line;
		while (ui_width(rest) > width - indent && width - indent > 10) {
			char *cut = NULL;
			for (char *c = rest; *c; c++) {
				if (*c != ' ')
					continue;
				*c = '\0';
				int fits = ui_width(rest) <= width - indent;
				*c = ' ';
				if (!fits)
					break;
				cut = c;
			}
			if (!cut)
				break;
			*cut = '\0';
			page_add(p, style, indent, "%s", rest);
			rest = cut + 1;
		}
		page_add(p, style, indent, "%s", rest);
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
