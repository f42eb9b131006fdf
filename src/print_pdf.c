/* The PDF renderer: cairo draws A4 pages, pango lays out and wraps the text in DejaVu Sans
 * (cairo embeds the glyphs used, so æ, ø and å print as typed and pdftotext reads them back).
 *
 * A sheet is laid out twice by the same code: a measuring pass that only moves a pen down the
 * page and counts the page breaks, then the painting pass, which then knows "page x of y" for
 * the footers. Both passes take the same decisions because they measure the same layouts.
 *
 * Pagination is by blocks: a step row and the first line of its note, and an item's heading
 * and its first row, go to the next page together rather than be torn apart; a note longer than
 * the room left continues line by line on the next page, below the resident's name marked
 * "(continued)". Nothing is ever drawn below BOTTOM. */
#include "print_pdf.h"

#include "i18n.h"
#include "util.h"

#include <cairo-pdf.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A step row: box, label, status, date, responsible. The note goes under the label. */
#define BOX 7.5
#define LABEL_X (MARGIN_X + 14.0)
#define STATUS_X (LABEL_X + 172.0)
#define DATE_X (STATUS_X + 72.0)
#define RESP_X (DATE_X + 70.0) /* a date at 9 pt is 53 pt wide: never wrapped */
#define CELL_GAP 6.0
#define ROW_PAD 2.0   /* below a step (its row and note) */
#define ITEM_GAP 7.0  /* above an item's heading */
#define HEAD_PAD 3.0  /* between a heading and its rule and rows */
#define THING_COLS 3
#define THING_BOX 6.0
#define RULE_STEP 18.0    /* between the ruled lines for handwritten notes */
#define RULED_LINES 5     /* as many as there is room for on the page, down to */
#define MIN_RULED_LINES 2 /* this; fewer and the section goes to a page of its own */
#define SIGN_SPACE 24.0   /* above a line to sign on */

static const struct font_spec {
	double size; /* points */
	PangoWeight weight;
	PangoStyle style;
} font_specs[F_COUNT] = {
	[F_BODY] = {9.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
	[F_CELL] = {9.0, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
	[F_NOTE] = {8.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC},
	[F_SMALL] = {8.0, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
	[F_BOLD] = {9.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
	[F_HEADING] = {10.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
	[F_TITLE] = {11.0, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
	[F_NAME] = {17.0, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
};

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* --- text ------------------------------------------------------------------------------- */

/* text (NULL: none) in font f, wrapped at width points (0: not wrapped); g_object_unref it. */
PangoLayout *pdf_layout(const struct printer *p, enum font f, const char *text,
				double width)
{
	PangoLayout *l = pango_layout_new(p->pango);
	pango_layout_set_font_description(l, p->fonts[f]);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		/* Words first, but a word wider than the column (a link) breaks anywhere: nothing
		 * is ever clipped. */
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

double pdf_height(PangoLayout *l)
{
	PangoRectangle logical;
	pango_layout_get_extents(l, NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

double pdf_width(PangoLayout *l)
{
	PangoRectangle logical;
	pango_layout_get_extents(l, NULL, &logical);
	return (double)logical.width / PANGO_SCALE;
}

/* From the top of the layout to the baseline of its first line. */
double pdf_baseline(PangoLayout *l)
{
	return (double)pango_layout_get_baseline(l) / PANGO_SCALE;
}

double pdf_first_line_height(PangoLayout *l)
{
	PangoRectangle logical;
	pango_layout_line_get_extents(pango_layout_get_line_readonly(l, 0), NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

static void set_grey(cairo_t *cr, double grey)
{
	cairo_set_source_rgb(cr, grey, grey, grey);
}

/* Draws l with its top left corner at x, y (when painting). */
void pdf_show(const struct pen *pen, PangoLayout *l, double x, double y, double grey)
{
	if (!pen->paint)
		return;
	cairo_t *cr = pen->p->cr;
	set_grey(cr, grey);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
}

void pdf_line(const struct pen *pen, double x0, double y0, double x1, double y1,
		 double width, double grey)
{
	if (!pen->paint)
		return;
	cairo_t *cr = pen->p->cr;
	set_grey(cr, grey);
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
}

/* --- pages ------------------------------------------------------------------------------ */

/* "printed" at the left, "Page x of y" at the right, below a thin rule. */
static void draw_footer(const struct pen *pen)
{
	struct printer *p = pen->p;
	char *page = xasprintf(_("Page %d of %d"), pen->page, pen->pages);
	PangoLayout *right = pdf_layout(p, F_SMALL, page, 0);
	double rw = pdf_width(right);
	PangoLayout *left = pdf_layout(p, F_SMALL, pen->footer, 0);
	pango_layout_set_width(left, (int)((TEXT_W - rw - 12.0) * PANGO_SCALE));
	pango_layout_set_ellipsize(left, PANGO_ELLIPSIZE_END);
	pdf_line(pen, MARGIN_X, FOOTER_Y - 4.0, RIGHT, FOOTER_Y - 4.0, 0.4, RULE);
	pdf_show(pen, left, MARGIN_X, FOOTER_Y, SOFT);
	pdf_show(pen, right, RIGHT - rw, FOOTER_Y, SOFT);
	g_object_unref(left);
	g_object_unref(right);
	free(page);
}

void pdf_finish_page(struct pen *pen)
{
	if (!pen->paint)
		return;
	draw_footer(pen);
	cairo_show_page(pen->p->cr);
	pen->p->pages++;
}

/* "Name (continued)", the header of a continuation page; g_object_unref it. */
static PangoLayout *continued_layout(const struct pen *pen)
{
	char *text = xasprintf("%s (%s)", pen->name, _("continued"));
	PangoLayout *l = pdf_layout(pen->p, F_TITLE, text, TEXT_W);
	free(text);
	return l;
}

/* Where the body starts on a continuation page: below its header. */
double pdf_continued_top(const struct pen *pen)
{
	PangoLayout *l = continued_layout(pen);
	double top = TOP + pdf_height(l) + 10.0;
	g_object_unref(l);
	return top;
}

static void draw_continued(const struct pen *pen)
{
	PangoLayout *l = continued_layout(pen);
	double h = pdf_height(l);
	pdf_show(pen, l, MARGIN_X, TOP, INK);
	pdf_line(pen, MARGIN_X, TOP + h + 2.0, RIGHT, TOP + h + 2.0, 0.6, RULE);
	g_object_unref(l);
}

static void page_break(struct pen *pen)
{
	pdf_finish_page(pen);
	pen->page++;
	draw_continued(pen);
	pen->y = pen->page_top = pen->cont_top;
}

/* Makes room for h points: the next page, unless this one has room or is still empty (a block
 * taller than a page then starts at the top; only text drawn line by line can be that tall). */
void pdf_need(struct pen *pen, double h)
{
	if (pen->y + h > BOTTOM && pen->y > pen->page_top)
		page_break(pen);
}

/* Keeps a block of h points on one page if any page could hold it; otherwise only its first
 * part, first_h, and the rest follows line by line. */
void pdf_keep_together(struct pen *pen, double h, double first_h)
{
	pdf_need(pen, h <= BOTTOM - pen->cont_top ? h : first_h);
}

/* Draws a wrapped layout a line at a time from the pen at x, breaking the page between lines
 * where the room ends. */
void pdf_show_lines(struct pen *pen, PangoLayout *l, double x, double grey)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double h = (double)logical.height / PANGO_SCALE;
		pdf_need(pen, h);
		if (pen->paint) {
			double base = (double)(pango_layout_iter_get_baseline(it) - logical.y) /
				      PANGO_SCALE;
			set_grey(pen->p->cr, grey);
			cairo_move_to(pen->p->cr, x + (double)logical.x / PANGO_SCALE, pen->y + base);
			pango_cairo_show_layout_line(pen->p->cr,
						     pango_layout_iter_get_line_readonly(it));
		}
		pen->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* --- boxes ------------------------------------------------------------------------------ */

/* A box of size points with its top left at x, y, marked as status says: done a tick, doing
 * half filled along the diagonal, not relevant a dash, todo empty. */
static void draw_box(const struct pen *pen, double x, double y, double size, const char *status)
{
	if (!pen->paint)
		return;
	cairo_t *cr = pen->p->cr;
	cairo_set_line_width(cr, 0.7);
	set_grey(cr, str_eq(status, "na") ? DIM : INK);
	cairo_rectangle(cr, x, y, size, size);
	cairo_stroke(cr);
	if (str_eq(status, "done")) {
		cairo_set_line_width(cr, 1.3);
		cairo_move_to(cr, x + 0.18 * size, y + 0.52 * size);
		cairo_line_to(cr, x + 0.42 * size, y + 0.80 * size);
		cairo_line_to(cr, x + 0.86 * size, y + 0.16 * size);
		cairo_stroke(cr);
	} else if (str_eq(status, "doing")) {
		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x + size, y + size);
		cairo_line_to(cr, x, y + size);
		cairo_close_path(cr);
		set_grey(cr, 0.45);
		cairo_fill(cr);
	} else if (str_eq(status, "na")) {
		cairo_set_line_width(cr, 1.2);
		cairo_move_to(cr, x + 0.2 * size, y + 0.5 * size);
		cairo_line_to(cr, x + 0.8 * size, y + 0.5 * size);
		cairo_stroke(cr);
	}
}

/* --- the sheet's parts ------------------------------------------------------------------ */

void pdf_title_line(struct pen *pen, const char *title_text, const char *shelter_text)
{
	double shelter_w = str_empty(shelter_text) ? 0 : TEXT_W * 0.45;
	PangoLayout *title = pdf_layout(pen->p, F_TITLE, title_text, TEXT_W - shelter_w - 10.0);
	double h = pdf_height(title);
	pdf_show(pen, title, MARGIN_X, pen->y, INK);
	if (shelter_w > 0) {
		PangoLayout *shelter = pdf_layout(pen->p, F_SMALL, shelter_text, shelter_w);
		pango_layout_set_alignment(shelter, PANGO_ALIGN_RIGHT);
		double dy = pdf_baseline(title) - pdf_baseline(shelter);
		pdf_show(pen, shelter, RIGHT - shelter_w, pen->y + dy, SOFT);
		if (dy + pdf_height(shelter) > h)
			h = dy + pdf_height(shelter);
		g_object_unref(shelter);
	}
	g_object_unref(title);
	pen->y += h + 2.0;
}

/* The title at the left, the shelter (small) at the right on the same baseline. */
static void draw_title(struct pen *pen)
{
	pdf_title_line(pen, pen->s->title, pen->s->shelter);
}

/* "label: value", the label in bold. */
static PangoLayout *field_layout(const struct printer *p, const struct sheet_field *f,
				 double width)
{
	char *text = xasprintf("%s: %s", f->label, f->value);
	PangoLayout *l = pdf_layout(p, F_BODY, text, width);
	PangoAttrList *attrs = pango_attr_list_new();
	PangoAttribute *bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
	bold->start_index = 0;
	bold->end_index = (guint)strlen(f->label) + 1;
	pango_attr_list_insert(attrs, bold);
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	free(text);
	return l;
}

/* The fields two to a row, filled row by row so they read left to right. */
static void draw_fields(struct pen *pen)
{
	const struct sheet *s = pen->s;
	size_t n = min_size(s->nfields, SHEET_FIELDS);
	double col_w = TEXT_W / 2;
	for (size_t i = 0; i < n; i += 2) {
		double h = 0;
		for (size_t j = i; j < i + 2 && j < n; j++) {
			PangoLayout *l = field_layout(pen->p, &s->fields[j], col_w - 10.0);
			double lh = pdf_height(l);
			if (j == i)
				pdf_need(pen, lh);
			pdf_show(pen, l, MARGIN_X + (double)(j - i) * col_w, pen->y, INK);
			h = lh > h ? lh : h;
			g_object_unref(l);
		}
		pen->y += h + 1.0;
	}
}

static void draw_header(struct pen *pen)
{
	const struct sheet *s = pen->s;
	draw_title(pen);
	PangoLayout *name = pdf_layout(pen->p, F_NAME, s->resident, TEXT_W);
	pdf_show(pen, name, MARGIN_X, pen->y, INK);
	pen->y += pdf_height(name) + 3.0;
	g_object_unref(name);
	draw_fields(pen);
	if (!str_empty(s->progress)) {
		PangoLayout *progress = pdf_layout(pen->p, F_BOLD, s->progress, TEXT_W);
		pen->y += 3.0;
		pdf_show(pen, progress, MARGIN_X, pen->y, INK);
		pen->y += pdf_height(progress);
		g_object_unref(progress);
	}
	pen->y += 3.0;
	pdf_line(pen, MARGIN_X, pen->y, RIGHT, pen->y, 0.8, INK);
	pen->y += 2.0;
}

/* A step laid out: its row's cells, and its note (NULL without one). */
struct step_row {
	PangoLayout *cells[4]; /* label, status, date, responsible */
	double cell_dy[4];     /* from the row's top: the cells share the label's first baseline */
	PangoLayout *note;
	double height; /* of the row, without the note or the space below */
};

static const double cell_x[4] = {LABEL_X, STATUS_X, DATE_X, RESP_X};

static void step_row_make(const struct printer *p, const struct sheet_step *st,
			  struct step_row *row)
{
	const char *texts[4] = {st->label, st->status_text, st->date, st->responsible};
	const enum font fonts[4] = {F_BODY, F_BODY, F_CELL, F_CELL};
	row->height = 0;
	for (int i = 0; i < 4; i++) {
		double right = i < 3 ? cell_x[i + 1] - CELL_GAP : RIGHT;
		row->cells[i] = pdf_layout(p, fonts[i], texts[i], right - cell_x[i]);
		row->cell_dy[i] = pdf_baseline(row->cells[0]) - pdf_baseline(row->cells[i]);
		double bottom = row->cell_dy[i] + pdf_height(row->cells[i]);
		row->height = bottom > row->height ? bottom : row->height;
	}
	row->note = NULL;
	if (!str_empty(st->note))
		row->note = pdf_layout(p, F_NOTE, st->note, RIGHT - LABEL_X);
}

static void step_row_free(struct step_row *row)
{
	for (int i = 0; i < 4; i++)
		g_object_unref(row->cells[i]);
	if (row->note)
		g_object_unref(row->note);
}

/* What must go on the same page as the step's row: the row and its note's first line. */
static double step_lead_height(const struct step_row *row)
{
	return row->height + (row->note ? pdf_first_line_height(row->note) : 0);
}

static void draw_step(struct pen *pen, const struct sheet_step *st)
{
	struct step_row row;
	step_row_make(pen->p, st, &row);
	double note_h = row.note ? pdf_height(row.note) : 0;
	pdf_keep_together(pen, row.height + note_h + ROW_PAD, step_lead_height(&row));
	double grey = str_eq(st->status, "na") ? DIM : INK;
	/* The box sits on the label's first baseline, as a printed character would. */
	draw_box(pen, MARGIN_X + 1.0, pen->y + pdf_baseline(row.cells[0]) - BOX + 0.5, BOX,
		 st->status);
	for (int i = 0; i < 4; i++)
		pdf_show(pen, row.cells[i], cell_x[i], pen->y + row.cell_dy[i], grey);
	pen->y += row.height;
	if (row.note)
		pdf_show_lines(pen, row.note, LABEL_X, str_eq(st->status, "na") ? DIM : SOFT);
	pen->y += ROW_PAD;
	step_row_free(&row);
}

/* "Seng – behov" with a small box, ticked when a state is recorded. */
static PangoLayout *thing_layout(const struct printer *p, const struct sheet_thing *t,
				 double width)
{
	char *text = str_empty(t->state_text) ? xstrdup(t->label)
					      : xasprintf("%s – %s", t->label, t->state_text);
	PangoLayout *l = pdf_layout(p, F_CELL, text, width);
	free(text);
	return l;
}

/* The furniture's things, THING_COLS to a row, under the item's steps. */
static void draw_things(struct pen *pen, const struct sheet_item *it)
{
	double col_w = (RIGHT - LABEL_X) / THING_COLS;
	if (it->nthings > 0)
		pen->y += 2.0;
	for (size_t i = 0; i < it->nthings; i += THING_COLS) {
		PangoLayout *cells[THING_COLS] = {NULL};
		double h = 0;
		size_t n = min_size(it->nthings - i, THING_COLS);
		for (size_t j = 0; j < n; j++) {
			cells[j] = thing_layout(pen->p, &it->things[i + j], col_w - THING_BOX - 8.0);
			h = pdf_height(cells[j]) > h ? pdf_height(cells[j]) : h;
		}
		pdf_need(pen, h);
		for (size_t j = 0; j < n; j++) {
			double x = LABEL_X + (double)j * col_w;
			const char *mark = sheet_thing_mark(&it->things[i + j]);
			draw_box(pen, x, pen->y + pdf_baseline(cells[j]) - THING_BOX + 0.5, THING_BOX,
				 mark);
			pdf_show(pen, cells[j], x + THING_BOX + 4.0, pen->y, INK);
			g_object_unref(cells[j]);
		}
		pen->y += h + 1.0;
	}
}

/* The height of what must stay with an item's heading: its first step (or row of things). */
static double item_lead_height(const struct pen *pen, const struct sheet_item *it)
{
	if (it->nsteps > 0) {
		struct step_row row;
		step_row_make(pen->p, &it->steps[0], &row);
		double h = step_lead_height(&row);
		step_row_free(&row);
		return h;
	}
	if (it->nthings > 0) {
		PangoLayout *l = thing_layout(pen->p, &it->things[0], TEXT_W / THING_COLS);
		double h = pdf_first_line_height(l) + 2.0;
		g_object_unref(l);
		return h;
	}
	return 0;
}

static void draw_item(struct pen *pen, const struct sheet_item *it)
{
	PangoLayout *heading = pdf_layout(pen->p, F_HEADING, it->title, TEXT_W);
	double h = pdf_height(heading);
	pen->y += ITEM_GAP;
	pdf_need(pen, h + HEAD_PAD + item_lead_height(pen, it));
	pdf_show(pen, heading, MARGIN_X, pen->y, INK);
	pen->y += h + 1.0;
	pdf_line(pen, MARGIN_X, pen->y, RIGHT, pen->y, 0.4, RULE);
	pen->y += HEAD_PAD - 1.0;
	g_object_unref(heading);
	for (size_t i = 0; i < it->nsteps; i++)
		draw_step(pen, &it->steps[i]);
	draw_things(pen, it);
	if (!str_empty(it->extra)) {
		PangoLayout *extra = pdf_layout(pen->p, F_SMALL, it->extra, RIGHT - LABEL_X);
		pen->y += 1.0;
		pdf_show_lines(pen, extra, LABEL_X, SOFT);
		g_object_unref(extra);
	}
}

/* The lines to sign on, side by side: each caption and the part of the text width its line
 * spans. */
static const struct signature {
	const char *caption;
	double from, to;
} signatures[] = {
	{N_("Signature, resident"), 0.00, 0.36},
	{N_("Signature, staff"), 0.40, 0.74},
	{N_("Date"), 0.78, 1.00},
};

static PangoLayout *caption_layout(const struct printer *p, const struct signature *sig)
{
	return pdf_layout(p, F_SMALL, _(sig->caption), (sig->to - sig->from) * TEXT_W);
}

/* The tallest of the signature captions. */
static double captions_height(const struct printer *p)
{
	double h = 0;
	for (size_t i = 0; i < ARRAY_SIZE(signatures); i++) {
		PangoLayout *l = caption_layout(p, &signatures[i]);
		h = pdf_height(l) > h ? pdf_height(l) : h;
		g_object_unref(l);
	}
	return h;
}

/* The lines to sign on, room to write above each and its caption below. */
static void draw_signatures(struct pen *pen)
{
	double y = pen->y + SIGN_SPACE;
	for (size_t i = 0; i < ARRAY_SIZE(signatures); i++) {
		double x0 = MARGIN_X + signatures[i].from * TEXT_W;
		double x1 = MARGIN_X + signatures[i].to * TEXT_W;
		pdf_line(pen, x0, y, x1, y, 0.6, INK);
		PangoLayout *l = caption_layout(pen->p, &signatures[i]);
		pdf_show(pen, l, x0, y + 2.0, SOFT);
		g_object_unref(l);
	}
	pen->y = y + 2.0 + captions_height(pen->p);
}

/* Room for handwritten notes and the signatures, all on one page: RULED_LINES ruled lines,
 * fewer (down to MIN_RULED_LINES) when that keeps the sheet on the page it is on. */
static void draw_notes_and_signatures(struct pen *pen)
{
	PangoLayout *heading = pdf_layout(pen->p, F_HEADING, _("Notes"), TEXT_W);
	double head_h = ITEM_GAP + pdf_height(heading) + 2.0;
	double fixed = head_h + SIGN_SPACE + 2.0 + captions_height(pen->p);
	int lines = RULED_LINES;
	while (lines > MIN_RULED_LINES && pen->y + fixed + lines * RULE_STEP > BOTTOM)
		lines--;
	if (pen->y + fixed + lines * RULE_STEP > BOTTOM) {
		lines = RULED_LINES;
		pdf_need(pen, fixed + lines * RULE_STEP);
	}
	pen->y += ITEM_GAP;
	pdf_show(pen, heading, MARGIN_X, pen->y, INK);
	pen->y += pdf_height(heading) + 2.0;
	for (int i = 0; i < lines; i++) {
		pen->y += RULE_STEP;
		pdf_line(pen, MARGIN_X, pen->y, RIGHT, pen->y, 0.4, RULE);
	}
	draw_signatures(pen);
	g_object_unref(heading);
}

/* Lays the sheet out from the top of a new page to the end of its last, painting or not. */
static void draw_sheet(struct pen *pen)
{
	pen->page = 1;
	pen->y = pen->page_top = TOP;
	pen->cont_top = pdf_continued_top(pen);
	draw_header(pen);
	for (size_t i = 0; i < pen->s->nitems; i++)
		draw_item(pen, &pen->s->items[i]);
	draw_notes_and_signatures(pen);
	pdf_finish_page(pen);
}

/* --- the renderer ----------------------------------------------------------------------- */

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	struct printer *p = closure;
	errno = 0;
	if (fwrite(data, 1, length, p->out) != length) {
		if (!p->write_errno)
			p->write_errno = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* 0, or -1 with *err saying what went wrong in cairo or in writing. */
int pdf_check_status(const struct printer *p, char **err)
{
	cairo_status_t st = cairo_surface_status(p->surface);
	if (st == CAIRO_STATUS_SUCCESS && p->cr)
		st = cairo_status(p->cr);
	if (st == CAIRO_STATUS_SUCCESS && !p->write_errno)
		return 0;
	if (p->write_errno)
		*err = xasprintf(_("Could not write the PDF: %s"), strerror(p->write_errno));
	else
		*err = xasprintf(_("Could not make the PDF: %s"), cairo_status_to_string(st));
	return -1;
}

/* Text measured for print, not for a screen: no hinting, so widths are the font's own, and
 * 72 dots an inch, so a font's size in points is its size on the page. */
static PangoContext *pango_for_print(cairo_t *cr)
{
	PangoContext *ctx = pango_cairo_create_context(cr);
	pango_cairo_context_set_resolution(ctx, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	return ctx;
}

static void printer_free(struct printer *p)
{
	for (int i = 0; i < F_COUNT; i++)
		if (p->fonts[i])
			pango_font_description_free(p->fonts[i]);
	if (p->pango)
		g_object_unref(p->pango);
	if (p->cr)
		cairo_destroy(p->cr);
	if (p->surface)
		cairo_surface_destroy(p->surface);
	free(p);
}

struct printer *print_pdf_open(FILE *out, char **err)
{
	struct printer *p = xcalloc(1, sizeof(*p));
	p->format = PRINT_PDF;
	p->out = out;
	p->surface = cairo_pdf_surface_create_for_stream(write_out, p, PAGE_W, PAGE_H);
	if (pdf_check_status(p, err) != 0) {
		printer_free(p);
		return NULL;
	}
	p->cr = cairo_create(p->surface);
	p->pango = pango_for_print(p->cr);
	for (int i = 0; i < F_COUNT; i++) {
		p->fonts[i] = pango_font_description_from_string("DejaVu Sans");
		pango_font_description_set_size(p->fonts[i],
						(int)(font_specs[i].size * PANGO_SCALE));
		pango_font_description_set_weight(p->fonts[i], font_specs[i].weight);
		pango_font_description_set_style(p->fonts[i], font_specs[i].style);
	}
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "husly");
#endif
	return p;
}

/* "husly – Tjekliste til udflytning", from the first sheet or document. No name: a PDF's title
 * shows in print queues and file managers. */
void pdf_set_title(struct printer *p, const char *title)
{
	if (p->titled)
		return;
	p->titled = 1;
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
	char *full = str_empty(title) ? xstrdup("husly") : xasprintf("husly – %s", title);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, full);
	free(full);
#else
	(void)title;
#endif
}

int print_pdf_sheet(struct printer *p, const struct sheet *s, char **err)
{
	pdf_set_title(p, s->title);
	struct pen measure = {.p = p, .s = s, .name = s->resident, .footer = s->printed, .paint = 0};
	draw_sheet(&measure);
	struct pen paint = measure;
	paint.paint = 1;
	paint.pages = measure.page;
	draw_sheet(&paint);
	return pdf_check_status(p, err);
}

/* The FILE's buffer out to the file: a full disk shows here. */
static int flush_out(FILE *out, char **err)
{
	errno = 0;
	if (fflush(out) == 0 && !ferror(out))
		return 0;
	*err = xasprintf(_("Could not write the PDF: %s"), strerror(errno ? errno : EIO));
	return -1;
}

long print_pdf_close(struct printer *p, char **err)
{
	cairo_destroy(p->cr);
	p->cr = NULL;
	cairo_surface_finish(p->surface); /* writes the rest of the document */
	long pages = -1;
	if (pdf_check_status(p, err) == 0 && flush_out(p->out, err) == 0)
		pages = p->pages;
	printer_free(p);
	return pages;
}
