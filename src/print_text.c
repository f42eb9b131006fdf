/* The plain-text renderer: a sheet as UTF-8 lines of at most LINE_COLS columns, for `-o FILE.txt`
 * and `-o -`. Columns are counted one per code point, which is right for Danish (no wide or
 * combining characters in practice). Sheets are separated by a form feed on a line of its own,
 * so lpr and pr start each on a new page; within a sheet nothing is paginated. */
#include "print_text.h"

#include "checklist.h"

#include "i18n.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A step's columns: the label and its leader dots fill those before STATUS_COL. */
#define STATUS_COL 36
#define DATE_COL 51 /* "ikke relevant" is 13 */
#define RESP_COL 63
#define LABEL_COL 4 /* after "[x] " */
#define NOTE_INDENT 6
#define EXTRA_INDENT 4
#define THING_INDENT 4
#define THING_COLS 37 /* two things a line: 4 + 37 + 37 = 78 */
#define FIELD_COLS 39 /* two fields a line */
#define RULED_LINES 4
#define SIGN_COLS 20 /* the least room to sign in */

struct printer {
	enum print_format format; /* first member: print.c reads it through its own struct */
	FILE *out;
	long sheets;
};

/* The columns s (len bytes) takes: one per code point. */
static size_t cols_of(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; n++) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
	}
	return n;
}

size_t txt_cols(const char *s)
{
	return s ? cols_of(s, strlen(s)) : 0;
}

/* The bytes of the first n columns of s (len bytes). */
static size_t bytes_of_cols(const char *s, size_t len, size_t n)
{
	size_t i = 0;
	for (; i < len && n > 0; n--) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
	}
	return i;
}

void txt_put_repeat(struct strbuf *sb, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_addn(sb, &c, 1);
}

/* Spaces up to column col (none when the cursor is there or past it). */
void txt_pad_to(struct cursor *c, size_t col)
{
	if (c->col < col) {
		txt_put_repeat(c->sb, ' ', col - c->col);
		c->col = col;
	}
}

void txt_new_line(struct cursor *c)
{
	sb_add(c->sb, "\n");
	c->col = 0;
	txt_pad_to(c, c->indent);
}

/* One word (len bytes, no blanks) at the cursor, cut at the right edge when it is longer than
 * the room a line has (a pasted link, say), so no line ever passes the edge. */
static void put_word(struct cursor *c, const char *w, size_t len)
{
	size_t n = cols_of(w, len);
	while (c->col + n > c->right) {
		size_t fit = c->right - c->col;
		size_t b = bytes_of_cols(w, len, fit);
		sb_addn(c->sb, w, b);
		w += b;
		len -= b;
		n -= fit;
		txt_new_line(c);
	}
	sb_addn(c->sb, w, len);
	c->col += n;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* text (NULL: none) word-wrapped from the cursor on; a newline in text starts a new line. Leaves
 * the cursor where the text ends, without a newline. */
void txt_put_wrapped(struct cursor *c, const char *text)
{
	if (!text)
		return;
	int line_has_text = 0;
	if (c->indent >= c->right)
		c->indent = 0; /* never a line with no room: put_word would loop */
	const char *s = text;
	while (*s) {
		if (is_blank(*s)) {
			s++;
			continue;
		}
		if (*s == '\n') {
			txt_new_line(c);
			line_has_text = 0;
			s++;
			continue;
		}
		size_t len = strcspn(s, " \t\n");
		if (line_has_text && c->col + 1 + cols_of(s, len) > c->right) {
			txt_new_line(c);
		} else if (line_has_text) {
			sb_add(c->sb, " ");
			c->col++;
		}
		put_word(c, s, len);
		line_has_text = 1;
		s += len;
	}
}

/* A whole paragraph: indented, wrapped at LINE_COLS, ended by a newline. */
void txt_put_paragraph(struct strbuf *sb, const char *text, size_t indent)
{
	struct cursor c = {sb, 0, indent, LINE_COLS};
	txt_pad_to(&c, indent);
	txt_put_wrapped(&c, text);
	sb_add(sb, "\n");
}

/* text, then a line of ch under it as long as the text: a heading. */
void txt_put_underlined(struct strbuf *sb, const char *text, char ch)
{
	txt_put_paragraph(sb, text, 0);
	size_t n = txt_cols(text);
	txt_put_repeat(sb, ch, n < LINE_COLS ? n : LINE_COLS);
	sb_add(sb, "\n");
}

/* The title at the left and the shelter at the right of one line when both fit. */
void txt_put_title(struct strbuf *sb, const char *title, const char *shelter)
{
	struct cursor c = {sb, 0, 0, LINE_COLS};
	txt_put_wrapped(&c, title);
	size_t sw = txt_cols(shelter);
	if (sw > 0 && c.col + 2 + sw <= LINE_COLS)
		txt_pad_to(&c, LINE_COLS - sw);
	else if (sw > 0)
		txt_new_line(&c);
	txt_put_wrapped(&c, shelter);
	sb_add(sb, "\n");
}

/* Cells two to a line, from indent, cell_cols apart, while a pair fits; a cell that does not
 * takes a line of its own, wrapped with a hanging indent. */
static void put_cells(struct strbuf *sb, char *const *cells, size_t n, size_t indent,
		      size_t cell_cols)
{
	for (size_t i = 0; i < n;) {
		struct cursor c = {sb, 0, indent, LINE_COLS};
		txt_pad_to(&c, indent);
		size_t w0 = txt_cols(cells[i]);
		if (i + 1 < n && w0 < cell_cols && txt_cols(cells[i + 1]) <= cell_cols) {
			sb_add(sb, cells[i]);
			c.col += w0;
			txt_pad_to(&c, indent + cell_cols);
			sb_add(sb, cells[i + 1]);
			i += 2;
		} else {
			c.indent = indent + 4;
			txt_put_wrapped(&c, cells[i]);
			i++;
		}
		sb_add(sb, "\n");
	}
}

static void free_cells(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

static void put_fields(struct strbuf *sb, const struct sheet *s)
{
	size_t n = s->nfields;
	if (n > SHEET_FIELDS) /* never, but fields[] holds no more */
		n = SHEET_FIELDS;
	char **cells = xcalloc(n + 1, sizeof(*cells));
	for (size_t i = 0; i < n; i++)
		cells[i] = str_empty(s->fields[i].value)
			       ? xasprintf("%s:", s->fields[i].label) /* no trailing blank */
			       : xasprintf("%s: %s", s->fields[i].label, s->fields[i].value);
	put_cells(sb, cells, n, 0, FIELD_COLS);
	free_cells(cells, n);
}


/* The label wrapped short of STATUS_COL, then leader dots up to it. */
static void put_step_label(struct cursor *c, const char *label)
{
	c->indent = LABEL_COL;
	c->right = STATUS_COL - 2; /* room for a space before the dots and one after */
	txt_put_wrapped(c, label);
	sb_add(c->sb, " ");
	c->col++;
	txt_put_repeat(c->sb, '.', STATUS_COL - 1 - c->col);
	sb_add(c->sb, " ");
	c->col = STATUS_COL;
}

/* Status, date and responsible in their columns; one that would pass the edge goes to the next
 * line, at STATUS_COL, where it has the most room. */
static void put_step_columns(struct cursor *c, const struct sheet_step *st)
{
	const char *fields[] = {st->status_text, st->date, st->responsible};
	const size_t at[] = {STATUS_COL, DATE_COL, RESP_COL};
	c->indent = STATUS_COL;
	c->right = LINE_COLS;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		if (str_empty(fields[i]))
			continue;
		size_t start = at[i];
		if (i > 0 && c->col + 2 > start) /* the field before is wider than its column */
			start = c->col + 2;
		if (i > 0 && start + txt_cols(fields[i]) > LINE_COLS && c->col > STATUS_COL) {
			txt_new_line(c);
			start = STATUS_COL;
		}
		txt_pad_to(c, start);
		txt_put_wrapped(c, fields[i]);
	}
}

/* "[x] Label ......... done          12-11-2026  Kommunen", then the note under it. */
static void put_step(struct strbuf *sb, const struct sheet_step *st)
{
	struct cursor c = {sb, 0, 0, LINE_COLS};
	sb_add(sb, checklist_box(st->status));
	sb_add(sb, " ");
	c.col = LABEL_COL;
	put_step_label(&c, st->label);
	put_step_columns(&c, st);
	sb_add(sb, "\n");
	if (!str_empty(st->note))
		txt_put_paragraph(sb, st->note, NOTE_INDENT);
}

/* The furniture: "[x] Seng – bevilget", two to a line; the box as sheet_thing_mark says. */
static void put_things(struct strbuf *sb, const struct sheet_item *it)
{
	char **cells = xcalloc(it->nthings + 1, sizeof(*cells));
	for (size_t i = 0; i < it->nthings; i++) {
		const struct sheet_thing *t = &it->things[i];
		const char *box = checklist_box(sheet_thing_mark(t));
		if (str_empty(t->state_text))
			cells[i] = xasprintf("%s %s", box, t->label);
		else
			cells[i] = xasprintf("%s %s – %s", box, t->label, t->state_text);
	}
	put_cells(sb, cells, it->nthings, THING_INDENT, THING_COLS);
	free_cells(cells, it->nthings);
}

static void put_item(struct strbuf *sb, const struct sheet_item *it)
{
	sb_add(sb, "\n");
	txt_put_underlined(sb, it->title, '-');
	for (size_t i = 0; i < it->nsteps; i++)
		put_step(sb, &it->steps[i]);
	put_things(sb, it);
	if (!str_empty(it->extra))
		txt_put_paragraph(sb, it->extra, EXTRA_INDENT);
}

/* Room for handwritten notes, and the lines to sign on. */
static void put_notes_and_signatures(struct strbuf *sb)
{
	sb_add(sb, "\n");
	txt_put_underlined(sb, _("Notes"), '-');
	for (int i = 0; i < RULED_LINES; i++) {
		sb_add(sb, "\n");
		txt_put_repeat(sb, '_', LINE_COLS);
		sb_add(sb, "\n");
	}
	const char *captions[] = {_("Signature, resident"), _("Signature, staff"), _("Date")};
	size_t sign_col = 0; /* where the lines to sign on start: after the longest caption */
	for (size_t i = 0; i < ARRAY_SIZE(captions); i++)
		if (txt_cols(captions[i]) + 2 > sign_col)
			sign_col = txt_cols(captions[i]) + 2;
	for (size_t i = 0; i < ARRAY_SIZE(captions); i++) {
		struct cursor c = {sb, 0, 0, LINE_COLS};
		sb_add(sb, "\n\n"); /* two blank lines: room for a hand */
		txt_put_wrapped(&c, captions[i]);
		if (sign_col + SIGN_COLS <= LINE_COLS)
			txt_pad_to(&c, sign_col);
		else
			txt_new_line(&c); /* captions too long to sign after: sign below them */
		txt_put_repeat(sb, '_', LINE_COLS - c.col);
		sb_add(sb, "\n");
	}
}

static void put_sheet(struct strbuf *sb, const struct sheet *s)
{
	txt_put_title(sb, s->title, s->shelter);
	sb_add(sb, "\n");
	txt_put_underlined(sb, s->resident, '=');
	put_fields(sb, s);
	if (!str_empty(s->progress)) {
		sb_add(sb, "\n");
		txt_put_paragraph(sb, s->progress, 0);
	}
	for (size_t i = 0; i < s->nitems; i++)
		put_item(sb, &s->items[i]);
	put_notes_and_signatures(sb);
	if (!str_empty(s->printed)) {
		sb_add(sb, "\n");
		txt_put_paragraph(sb, s->printed, 0);
	}
}

struct printer *print_text_open(FILE *out, char **err)
{
	(void)err;
	struct printer *p = xcalloc(1, sizeof(*p));
	p->format = PRINT_TEXT;
	p->out = out;
	return p;
}

static int write_failed(char **err)
{
	*err = xasprintf(_("Could not write the text: %s"), strerror(errno ? errno : EIO));
	return -1;
}

int print_text_sheet(struct printer *p, const struct sheet *s, char **err)
{
	struct strbuf sb;
	sb_init(&sb);
	if (p->sheets > 0)
		sb_add(&sb, "\f\n"); /* between sheets, not after the last: lpr pages them */
	put_sheet(&sb, s);
	errno = 0;
	size_t written = fwrite(sb.buf, 1, sb.len, p->out);
	int ok = written == sb.len && !ferror(p->out);
	sb_free(&sb);
	if (!ok)
		return write_failed(err);
	p->sheets++;
	return 0;
}

long print_text_close(struct printer *p, char **err)
{
	long pages = p->sheets;
	errno = 0;
	if (fflush(p->out) != 0 || ferror(p->out))
		pages = write_failed(err);
	free(p);
	return pages;
}
