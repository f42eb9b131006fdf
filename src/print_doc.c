/* A document of sections: built safe (print_doc.h), and written as plain UTF-8 text of at most
 * LINE_COLS columns. Fields are two columns, the label and the value; what follows a
 * subsection's heading is indented under it. Nothing is paginated: a text is one page. */
#include "print_doc.h"

#include "i18n.h"
#include "print_text.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SECTION_INDENT 2 /* a section's fields, entries and paragraphs */
#define SUB_INDENT 4     /* ... and those under a subsection's heading */
#define VALUE_COL 32     /* a field's value, after its label */
#define TEXT_INDENT 4    /* an entry's text, under its line */

/* --- building -------------------------------------------------------------------------------- */

/* s made safe: tabs and lone carriage returns become spaces, and line breaks are kept when
 * keep_lines (else spaces too); every other unsafe character becomes '?'. "" for NULL. */
static char *doc_safe(const char *s, int keep_lines)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	for (const char *p = s ? s : ""; *p;) {
		size_t len = strcspn(p, "\t\r\n");
		char *part = xstrndup(p, len);
		char *clean = text_sanitize(part);
		sb_add(&sb, clean);
		free(clean);
		free(part);
		p += len;
		if (!*p)
			break;
		if (*p == '\r' && p[1] == '\n')
			p++; /* CR LF is one line break */
		sb_add(&sb, *p == '\n' && keep_lines ? "\n" : " ");
		p++;
	}
	return sb.buf;
}

void doc_init(struct doc *d, const char *title, const char *shelter, const char *name,
	      const char *printed)
{
	memset(d, 0, sizeof(*d));
	d->title = doc_safe(title, 0);
	d->shelter = doc_safe(shelter, 0);
	d->name = doc_safe(name, 0);
	d->printed = doc_safe(printed, 0);
}

static void add(struct doc *d, enum doc_kind kind, char *label, char *text)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->blocks = xrealloc(d->blocks, d->cap * sizeof(*d->blocks));
	}
	d->blocks[d->n++] = (struct doc_block){kind, label, text};
}

void doc_section(struct doc *d, const char *heading)
{
	add(d, DOC_SECTION, doc_safe(heading, 0), NULL);
}

void doc_subsection(struct doc *d, const char *heading)
{
	add(d, DOC_SUBSECTION, doc_safe(heading, 0), NULL);
}

void doc_field(struct doc *d, const char *label, const char *value)
{
	add(d, DOC_FIELD, doc_safe(label, 0), doc_safe(str_empty(value) ? "-" : value, 1));
}

void doc_entry(struct doc *d, const char *line, const char *text)
{
	add(d, DOC_ENTRY, doc_safe(line, 0), text ? doc_safe(text, 1) : NULL);
}

void doc_text(struct doc *d, const char *text)
{
	add(d, DOC_TEXT, NULL, doc_safe(text, 1));
}

void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->blocks[i].label);
		free(d->blocks[i].text);
	}
	free(d->blocks);
	free(d->title);
	free(d->shelter);
	free(d->name);
	free(d->printed);
	memset(d, 0, sizeof(*d));
}

/* --- text ------------------------------------------------------------------------------------ */

/* "Label                     value", every value in one column and wrapped under itself; a
 * label too long for its column has the value on the next line. */
static void put_field(struct strbuf *sb, const struct doc_block *b, size_t indent)
{
	struct cursor c = {sb, 0, indent + 2, VALUE_COL - 2};
	txt_pad_to(&c, indent);
	txt_put_wrapped(&c, b->label);
	c.indent = VALUE_COL;
	c.right = LINE_COLS;
	if (c.col + 2 > c.indent)
		txt_new_line(&c);
	txt_pad_to(&c, c.indent);
	txt_put_wrapped(&c, b->text);
	sb_add(sb, "\n");
}

static void put_entry(struct strbuf *sb, const struct doc_block *b, size_t indent)
{
	struct cursor c = {sb, 0, indent + TEXT_INDENT, LINE_COLS};
	txt_pad_to(&c, indent);
	txt_put_wrapped(&c, b->label);
	sb_add(sb, "\n");
	if (b->text)
		txt_put_paragraph(sb, b->text, indent + TEXT_INDENT);
}

static void put_block(struct strbuf *sb, const struct doc_block *b, size_t *indent)
{
	switch (b->kind) {
	case DOC_SECTION:
		sb_add(sb, "\n");
		txt_put_underlined(sb, b->label, '-');
		*indent = SECTION_INDENT;
		break;
	case DOC_SUBSECTION:
		sb_add(sb, "\n");
		txt_put_paragraph(sb, b->label, SECTION_INDENT);
		*indent = SUB_INDENT;
		break;
	case DOC_FIELD:
		put_field(sb, b, *indent);
		break;
	case DOC_ENTRY:
		put_entry(sb, b, *indent);
		break;
	case DOC_TEXT:
		txt_put_paragraph(sb, b->text, *indent);
		break;
	}
}

static long doc_write_text(const struct doc *d, FILE *out, char **err)
{
	struct strbuf sb;
	sb_init(&sb);
	txt_put_title(&sb, d->title, d->shelter);
	sb_add(&sb, "\n");
	txt_put_underlined(&sb, d->name, '=');
	size_t indent = 0;
	for (size_t i = 0; i < d->n; i++)
		put_block(&sb, &d->blocks[i], &indent);
	if (!str_empty(d->printed)) {
		sb_add(&sb, "\n");
		txt_put_paragraph(&sb, d->printed, 0);
	}
	errno = 0;
	int ok = fwrite(sb.buf, 1, sb.len, out) == sb.len && fflush(out) == 0 && !ferror(out);
	sb_free(&sb);
	if (!ok) {
		*err = xasprintf(_("Could not write the text: %s"), strerror(errno ? errno : EIO));
		return -1;
	}
	return 1;
}

long doc_write(const struct doc *d, enum print_format format, FILE *out, char **err)
{
	return format == PRINT_PDF ? doc_write_pdf(d, out, err) : doc_write_text(d, out, err);
}
