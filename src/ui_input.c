/* The one-line text field (see ui_input.h). The text is kept as well-formed UTF-8, so the
 * cursor can step back over continuation bytes and always lands where a character starts. */
#include "ui_input.h"

#include "i18n.h"
#include "text.h"
#include "util.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* Control keys as get_wch gives them. */
enum { CTRL_A = 1, CTRL_E = 5, CTRL_K = 11, CTRL_U = 21, CTRL_W = 23 };

static const struct ui_action input_actions[] = {
	{UI_INPUT_HELP_ID, 0, 0, N_("Left/Right"), NULL, N_("Move the cursor one character.")},
	{UI_INPUT_HELP_ID, 0, 0, N_("Home/Ctrl-A"), NULL, N_("Go to the start of the text.")},
	{UI_INPUT_HELP_ID, 0, 0, N_("End/Ctrl-E"), NULL, N_("Go to the end of the text.")},
	{UI_INPUT_HELP_ID, 0, 0, N_("Backspace"), NULL, N_("Delete the character before the cursor.")},
	{UI_INPUT_HELP_ID, 0, 0, N_("Delete"), NULL, N_("Delete the character at the cursor.")},
	{UI_INPUT_HELP_ID, 0, 0, N_("Ctrl-W"), NULL, N_("Delete the word before the cursor.")},
	{UI_INPUT_HELP_ID, 0, 0, N_("Ctrl-K"), NULL, N_("Delete from the cursor to the end.")},
	{UI_INPUT_HELP_ID, 0, 0, N_("Ctrl-U"), NULL, N_("Clear the text.")},
};

/* Where the field drawn this frame wants the cursor. */
static struct {
	int drawn;
	int y, x;
} spot;

const struct ui_action *ui_input_actions(size_t *n)
{
	*n = ARRAY_SIZE(input_actions);
	return input_actions;
}

size_t ui_input_with_actions(struct ui_action *out, size_t max, const struct ui_action *own,
			     size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < max; i++)
		out[k++] = own[i];
	for (size_t i = 0; i < ARRAY_SIZE(input_actions) && k < max; i++)
		out[k++] = input_actions[i];
	return k;
}

void ui_input_end_frame(void)
{
	if (spot.drawn) {
		move(spot.y, spot.x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	spot.drawn = 0;
}

static int is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

static void reserve(struct ui_input *in, size_t need)
{
	if (need + 1 <= in->cap)
		return;
	size_t cap = in->cap ? in->cap : 64;
	while (cap < need + 1)
		cap *= 2;
	in->buf = xrealloc(in->buf, cap);
	in->cap = cap;
}

/* Inserts n bytes (whole characters) at the cursor; -1 when they do not fit in max_bytes. */
static int insert(struct ui_input *in, const char *bytes, size_t n)
{
	if (in->max_bytes && in->len + n > in->max_bytes)
		return -1;
	reserve(in, in->len + n);
	memmove(in->buf + in->cursor + n, in->buf + in->cursor, in->len - in->cursor + 1);
	memcpy(in->buf + in->cursor, bytes, n);
	in->len += n;
	in->cursor += n;
	return 0;
}

/* Removes the bytes [from, to) and leaves the cursor at from. */
static void erase_range(struct ui_input *in, size_t from, size_t to)
{
	memmove(in->buf + from, in->buf + to, in->len - to + 1);
	in->len -= to - from;
	in->cursor = from;
}

static size_t prev_char(const struct ui_input *in, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && is_continuation(in->buf[pos]))
		pos--;
	return pos;
}

static size_t next_char(const struct ui_input *in, size_t pos)
{
	if (pos >= in->len)
		return in->len;
	uint32_t cp;
	return pos + utf8_decode(in->buf + pos, in->len - pos, &cp);
}

static int space_at(const struct ui_input *in, size_t pos)
{
	char c = in->buf[pos];
	return c == ' ' || c == '\t' || c == '\n';
}

void ui_input_set(struct ui_input *in, const char *text)
{
	in->len = 0;
	in->cursor = 0;
	in->scroll = 0;
	reserve(in, 0);
	in->buf[0] = '\0';
	const char *s = text ? text : "";
	size_t n = strlen(s);
	/* Character by character, so malformed bytes become U+FFFD and a cut at max_bytes falls
	 * between characters. */
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t step = utf8_decode(s + i, n - i, &cp);
		char enc[4];
		size_t len = cp == REPLACEMENT_CHAR ? utf8_encode(cp, enc) : step;
		if (insert(in, cp == REPLACEMENT_CHAR ? enc : s + i, len) != 0)
			break;
		i += step;
	}
}

void ui_input_init(struct ui_input *in, const char *initial, size_t max_bytes)
{
	memset(in, 0, sizeof(*in));
	in->max_bytes = max_bytes;
	ui_input_set(in, initial);
}

void ui_input_free(struct ui_input *in)
{
	free(in->buf);
	memset(in, 0, sizeof(*in));
}

int ui_input_is_blank(const struct ui_input *in)
{
	for (size_t i = 0; i < in->len; i++)
		if (!space_at(in, i) && in->buf[i] != '\r')
			return 0;
	return 1;
}

/* Whether ch may be typed into the text. */
static int typable(wint_t ch)
{
	return ch >= 0x20 && ch <= 0x10FFFF && !(ch >= 0xD800 && ch <= 0xDFFF) &&
	       !text_is_unsafe((uint32_t)ch);
}

static enum ui_result code_key(struct ui_input *in, int code)
{
	switch (code) {
	case KEY_BACKSPACE:
		erase_range(in, prev_char(in, in->cursor), in->cursor);
		break;
	case KEY_DC:
		erase_range(in, in->cursor, next_char(in, in->cursor));
		break;
	case KEY_LEFT:
		in->cursor = prev_char(in, in->cursor);
		break;
	case KEY_RIGHT:
		in->cursor = next_char(in, in->cursor);
		break;
	case KEY_HOME:
		in->cursor = 0;
		break;
	case KEY_END:
		in->cursor = in->len;
		break;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED;
}

enum ui_result ui_input_key(struct ui_input *in, const struct ui_key *k)
{
	if (k->code)
		return code_key(in, k->code);
	size_t from;
	switch (k->ch) {
	case CTRL_A:
		in->cursor = 0;
		return UI_HANDLED;
	case CTRL_E:
		in->cursor = in->len;
		return UI_HANDLED;
	case CTRL_K:
		erase_range(in, in->cursor, in->len);
		return UI_HANDLED;
	case CTRL_U:
		erase_range(in, 0, in->len);
		return UI_HANDLED;
	case CTRL_W:
		/* The spaces before the cursor, then the word before them. */
		from = in->cursor;
		while (from > 0 && space_at(in, from - 1))
			from--;
		while (from > 0 && !space_at(in, prev_char(in, from)))
			from = prev_char(in, from);
		erase_range(in, from, in->cursor);
		return UI_HANDLED;
	default:
		break;
	}
	if (!typable(k->ch))
		return UI_IGNORED;
	char enc[4];
	size_t n = utf8_encode((uint32_t)k->ch, enc);
	if (insert(in, enc, n) != 0)
		ui_message("%s", _("The text cannot be any longer."));
	return UI_HANDLED;
}

/* --- drawing ------------------------------------------------------------------------------ */

/* The columns the character at pos takes as ui_text draws it. */
static int char_width(const struct ui_input *in, size_t pos, size_t *next)
{
	*next = next_char(in, pos);
	char one[5] = {0};
	memcpy(one, in->buf + pos, *next - pos);
	return ui_width(one);
}

/* The column where the character at byte pos starts. */
static int column_of(const struct ui_input *in, size_t pos)
{
	int col = 0;
	for (size_t i = 0, next; i < pos && i < in->len; i = next)
		col += char_width(in, i, &next);
	return col;
}

void ui_input_draw(struct ui_input *in, int y, int x, int width, enum ui_style style)
{
	if (width < 1)
		return;
	char *blank = xmalloc((size_t)width + 1);
	memset(blank, ' ', (size_t)width);
	blank[width] = '\0';
	ui_text(y, x, width, style, blank);
	free(blank);

	/* Scroll so the cursor is in the field, and no further than needed: the text's end (and
	 * the cursor after it) in the last column when the text was shortened. */
	int cur = column_of(in, in->cursor);
	int total = column_of(in, in->len);
	if (in->scroll > cur)
		in->scroll = cur;
	if (cur - in->scroll > width - 1)
		in->scroll = cur - (width - 1);
	if (in->scroll > 0 && total - in->scroll < width - 1)
		in->scroll = total - (width - 1) > 0 ? total - (width - 1) : 0;

	/* The characters wholly inside [scroll, scroll + width). */
	size_t start = 0, end, next;
	int col = 0;
	while (start < in->len && col < in->scroll) {
		col += char_width(in, start, &next);
		start = next;
	}
	int first_col = col, used = 0;
	for (end = start; end < in->len; end = next) {
		int w = char_width(in, end, &next);
		if (col + w > in->scroll + width)
			break;
		col += w;
		used += w;
	}
	if (end > start) {
		char *shown = xasprintf("%.*s", (int)(end - start), in->buf + start);
		ui_text(y, x + first_col - in->scroll, used, style, shown);
		free(shown);
	}
	spot.drawn = 1;
	spot.y = y;
	spot.x = x + cur - in->scroll;
	move(spot.y, spot.x);
	curs_set(1);
}
