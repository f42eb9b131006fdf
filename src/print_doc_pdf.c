/* A document of sections as PDF: A4 pages drawn by the checklist's machinery (print_pdf.h),
 * laid out twice, measuring and then painting, so every footer says "Page x of y".
 *
 * A heading goes to the next page with the first line of what follows it; a field's row and an
 * entry's line with the first line of their text; a longer text continues line by line on the
 * next page, below the person's name marked "(continued)". */
#include "print_doc.h"
#include "print_pdf.h"

#include "util.h"

#include <stdlib.h>

#define SECTION_GAP 10.0   /* above a section's heading */
#define SUB_GAP 6.0        /* above a subsection's heading */
#define HEAD_PAD 3.0       /* between a heading and what follows it */
#define SECTION_INDENT 0.0 /* a section's fields, entries and paragraphs */
#define SUB_INDENT 12.0    /* ... and those under a subsection's heading */
#define VALUE_X (MARGIN_X + SUB_INDENT + 150.0) /* a field's value, after its label */
#define TEXT_INDENT 12.0   /* an entry's text, under its line */
#define ROW_PAD 1.5        /* below a field or an entry */

/* The title at the left, the shelter (small) at the right on the same baseline; the name
 * large under them. */
static void draw_header(struct pen *pen, const struct doc *d)
{
	pdf_title_line(pen, d->title, d->shelter);
	PangoLayout *name = pdf_layout(pen->p, F_NAME, d->name, TEXT_W);
	pdf_show(pen, name, MARGIN_X, pen->y, INK);
	pen->y += pdf_height(name) + 3.0;
	g_object_unref(name);
	pdf_line(pen, MARGIN_X, pen->y, RIGHT, pen->y, 0.8, INK);
	pen->y += 2.0;
}

/* The height of the first line of the block after a heading, which goes with it. */
static double lead_height(const struct pen *pen, const struct doc_block *next)
{
	if (!next || next->kind == DOC_SECTION || next->kind == DOC_SUBSECTION)
		return 0;
	PangoLayout *l = pdf_layout(pen->p, F_BODY, next->label ? next->label : next->text, 0);
	double h = pdf_first_line_height(l);
	g_object_unref(l);
	return h;
}

static void draw_heading(struct pen *pen, const struct doc_block *b, const struct doc_block *next)
{
	int section = b->kind == DOC_SECTION;
	PangoLayout *l = pdf_layout(pen->p, section ? F_HEADING : F_BOLD, b->label, TEXT_W);
	double h = pdf_height(l);
	pen->y += section ? SECTION_GAP : SUB_GAP;
	pdf_need(pen, h + HEAD_PAD + lead_height(pen, next));
	pdf_show(pen, l, MARGIN_X, pen->y, INK);
	pen->y += h + 1.0;
	if (section)
		pdf_line(pen, MARGIN_X, pen->y, RIGHT, pen->y, 0.4, RULE);
	pen->y += HEAD_PAD - 1.0;
	g_object_unref(l);
}

/* The label in bold, the value beside it in the values' column, continued line by line. */
static void draw_field(struct pen *pen, const struct doc_block *b, double indent)
{
	double x = MARGIN_X + indent;
	PangoLayout *label = pdf_layout(pen->p, F_BOLD, b->label, VALUE_X - x - 8.0);
	PangoLayout *value = pdf_layout(pen->p, F_BODY, b->text, RIGHT - VALUE_X);
	double lh = pdf_height(label), vh = pdf_height(value);
	double first = pdf_first_line_height(value);
	pdf_keep_together(pen, lh > vh ? lh : vh, lh > first ? lh : first);
	double top = pen->y;
	int page = pen->page;
	pdf_show(pen, label, x, top, INK);
	pdf_show_lines(pen, value, VALUE_X, INK);
	if (pen->page == page && pen->y < top + lh)
		pen->y = top + lh;
	pen->y += ROW_PAD;
	g_object_unref(label);
	g_object_unref(value);
}

/* The entry's line, small, and its text under it; a long line wraps with a hanging indent. */
static void draw_entry(struct pen *pen, const struct doc_block *b, double indent)
{
	double x = MARGIN_X + indent;
	PangoLayout *line = pdf_layout(pen->p, F_CELL, b->label, RIGHT - x);
	pango_layout_set_indent(line, -(int)(TEXT_INDENT * PANGO_SCALE)); /* hanging */
	PangoLayout *text =
	    b->text ? pdf_layout(pen->p, F_BODY, b->text, RIGHT - x - TEXT_INDENT) : NULL;
	double h = pdf_height(line), th = text ? pdf_height(text) : 0;
	pdf_keep_together(pen, h + th, h + (text ? pdf_first_line_height(text) : 0));
	pdf_show(pen, line, x, pen->y, text ? SOFT : INK); /* alone, the line is the entry */
	pen->y += h;
	if (text) {
		pdf_show_lines(pen, text, x + TEXT_INDENT, INK);
		g_object_unref(text);
	}
	pen->y += ROW_PAD;
	g_object_unref(line);
}

static void draw_paragraph(struct pen *pen, const struct doc_block *b, double indent)
{
	PangoLayout *l = pdf_layout(pen->p, F_BODY, b->text, TEXT_W - indent);
	pdf_show_lines(pen, l, MARGIN_X + indent, INK);
	pen->y += ROW_PAD + 2.0;
	g_object_unref(l);
}

/* Lays the document out from the top of a new page to the end of its last, painting or not. */
static void draw_doc(struct pen *pen, const struct doc *d)
{
	pen->page = 1;
	pen->y = pen->page_top = TOP;
	pen->cont_top = pdf_continued_top(pen);
	draw_header(pen, d);
	double indent = SECTION_INDENT;
	for (size_t i = 0; i < d->n; i++) {
		const struct doc_block *b = &d->blocks[i];
		const struct doc_block *next = i + 1 < d->n ? &d->blocks[i + 1] : NULL;
		switch (b->kind) {
		case DOC_SECTION:
		case DOC_SUBSECTION:
			draw_heading(pen, b, next);
			indent = b->kind == DOC_SECTION ? SECTION_INDENT : SUB_INDENT;
			break;
		case DOC_FIELD:
			draw_field(pen, b, indent);
			break;
		case DOC_ENTRY:
			draw_entry(pen, b, indent);
			break;
		case DOC_TEXT:
			draw_paragraph(pen, b, indent);
			break;
		}
	}
	pdf_finish_page(pen);
}

long doc_write_pdf(const struct doc *d, FILE *out, char **err)
{
	struct printer *p = print_pdf_open(out, err);
	if (!p)
		return -1;
	pdf_set_title(p, d->title);
	struct pen measure = {.p = p, .name = d->name, .footer = d->printed, .paint = 0};
	draw_doc(&measure, d);
	struct pen paint = measure;
	paint.paint = 1;
	paint.pages = measure.page;
	draw_doc(&paint, d);
	char *ignored = NULL;
	int ok = pdf_check_status(p, err) == 0;
	long pages = print_pdf_close(p, ok ? err : &ignored);
	free(ignored);
	return ok ? pages : -1;
}
