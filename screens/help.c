/* The ? help: every key of the screen below it, with a sentence each, made from the same action
 * tables as the key bar so the two can never disagree. */
#include "screens.h"

#include "i18n.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

enum { A_UP = 1, A_DOWN, A_PGUP, A_PGDN };

static const struct ui_action help_actions[] = {
	{A_UP, 'k', KEY_UP, N_("Up/k"), NULL, N_("Scroll up.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("Scroll down.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, ' ', KEY_NPAGE, N_("PgDn"), NULL, N_("One page down.")},
};

struct help_state {
	struct page page;
	int height;
};

#define KEY_COLUMN 15 /* where the sentences start, after the key names */

/* "Key            Sentence...", the sentence wrapped under itself on a narrow terminal. */
static void add_actions(struct page *p, const struct ui_action *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t first = p->n;
		page_add_wrapped(p, STYLE_NORMAL, 2 + KEY_COLUMN, COLS, _(a[i].help));
		struct page_line *l = &p->lines[first];
		const char *key = _(a[i].key);
		int pad = KEY_COLUMN - 1 - ui_width(key);
		char *text = xasprintf("%s%*s %s", key, pad > 0 ? pad : 0, "", l->text);
		free(l->text);
		l->text = text;
		l->indent = 2;
	}
}

static void *help_open(struct app *app, const void *arg)
{
	(void)app;
	(void)arg;
	void *below_state;
	const struct ui_screen_ops *below = ui_top_ops(&below_state);
	if (!below)
		return NULL;
	struct help_state *s = xcalloc(1, sizeof(*s));
	size_t n;
	const struct ui_action *a = below->actions(below_state, &n);
	page_add(&s->page, STYLE_HEADING, 0, _("Keys: %s"), below->title(below_state));
	page_add(&s->page, STYLE_NORMAL, 0, "%s", "");
	add_actions(&s->page, a, n);
	page_add(&s->page, STYLE_NORMAL, 0, "%s", "");
	page_add(&s->page, STYLE_HEADING, 0, "%s", _("Everywhere"));
	a = ui_global_actions(&n);
	add_actions(&s->page, a, n);
	page_add(&s->page, STYLE_NORMAL, 0, "%s", "");
	page_add(&s->page, STYLE_DIM, 0, "%s",
		 _("Letters always work; F1 and F10 do the same as ? and q."));
	return s;
}

static const char *help_title(void *state)
{
	(void)state;
	return _("Help");
}

static void help_draw(void *state, const struct ui_area *a)
{
	struct help_state *s = state;
	s->height = a->height - 1;
	page_draw(&s->page, a->top + 1, s->height, a->width);
}

static enum ui_result help_action(void *state, int id)
{
	struct help_state *s = state;
	switch (id) {
	case A_UP: return page_scroll(&s->page, -1, s->height);
	case A_DOWN: return page_scroll(&s->page, 1, s->height);
	case A_PGUP: return page_scroll(&s->page, -s->height, s->height);
	case A_PGDN: return page_scroll(&s->page, s->height, s->height);
	default: return UI_IGNORED;
	}
}

static const struct ui_action *help_action_list(void *state, size_t *n)
{
	(void)state;
	*n = ARRAY_SIZE(help_actions);
	return help_actions;
}

static void help_close(void *state)
{
	struct help_state *s = state;
	page_clear(&s->page);
	free(s);
}

const struct ui_screen_ops help_screen = {
	"help", help_open, help_title, help_draw, NULL, help_action, help_action_list, help_close,
};
