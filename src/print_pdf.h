/* Shared by the PDF renderers (print_pdf.c: the checklist sheet; print_doc_pdf.c: documents
 * of sections): the page, the fonts, the printer that holds the cairo surface, and the pen that
 * lays text out down the pages, breaking them where the room ends. A layout is made twice by the
 * same code: measuring (pen.paint 0: pages are counted, nothing drawn), then painting, which
 * then knows "page x of y" for the footers. */
#ifndef HUSLY_PRINT_PDF_H
#define HUSLY_PRINT_PDF_H

#include "print.h"

#include <cairo.h>
#include <pango/pangocairo.h>

/* A4 portrait, in points (cairo's PDF unit). */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 50.0
#define RIGHT (PAGE_W - MARGIN_X)
#define TEXT_W (RIGHT - MARGIN_X)
#define TOP 44.0
#define BOTTOM (PAGE_H - 52.0) /* the body ends here; the footer sits in the margin below */
#define FOOTER_Y (PAGE_H - 40.0)

/* Greys: 0 is black. */
#define INK 0.0
#define DIM 0.55  /* a step marked not relevant */
#define SOFT 0.3  /* notes, the shelter, the footer */
#define RULE 0.65 /* lines */

enum font { F_BODY, F_CELL, F_NOTE, F_SMALL, F_BOLD, F_HEADING, F_TITLE, F_NAME, F_COUNT };

struct printer {
	enum print_format format; /* first member: print.c reads it through its own struct */
	FILE *out;
	int write_errno; /* of the first write that failed; 0 while none has */
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pango;
	PangoFontDescription *fonts[F_COUNT];
	long pages;
	int titled; /* the PDF's title is set (from the first sheet) */
};

/* Where the next thing goes on the sheet or document being laid out. */
struct pen {
	struct printer *p;
	const struct sheet *s; /* the sheet being drawn; NULL for a document */
	const char *name;      /* whom it is about: heads a continuation page, "(continued)" */
	const char *footer;    /* at the foot of every page, left of "Page x of y" */
	int paint;       /* 0 while measuring: pages are counted, nothing is drawn */
	int page;        /* of this sheet, from 1 */
	int pages;       /* of this sheet; known when painting */
	double y;        /* the top of the next thing */
	double page_top; /* where the body starts on this page: nothing is on it while y is here */
	double cont_top; /* where it starts on a continuation page */
};

/* text (NULL: none) in font f, wrapped at width points (0: not wrapped); g_object_unref it. */
PangoLayout *pdf_layout(const struct printer *p, enum font f, const char *text, double width);
double pdf_height(PangoLayout *l);
double pdf_width(PangoLayout *l);
/* From the top of the layout to the baseline of its first line. */
double pdf_baseline(PangoLayout *l);
double pdf_first_line_height(PangoLayout *l);

/* Draws l with its top left corner at x, y (when painting). */
void pdf_show(const struct pen *pen, PangoLayout *l, double x, double y, double grey);
void pdf_line(const struct pen *pen, double x0, double y0, double x1, double y1, double width,
	      double grey);

/* Ends the page: the footer, and the page goes out (when painting). */
void pdf_finish_page(struct pen *pen);
/* Where the body starts on a continuation page: below its header. */
double pdf_continued_top(const struct pen *pen);
/* Makes room for h points: the next page, unless this one has room or is still empty. */
void pdf_need(struct pen *pen, double h);
/* Keeps a block of h points on one page if any page could hold it; otherwise only its first
 * part, first_h, and the rest follows line by line. */
void pdf_keep_together(struct pen *pen, double h, double first_h);
/* Draws a wrapped layout a line at a time from the pen at x, breaking the page between lines
 * where the room ends. */
/* A page's title at the left and the shelter (small, may be empty) at the right on the same
 * baseline; moves the pen below them. */
void pdf_title_line(struct pen *pen, const char *title, const char *shelter);
void pdf_show_lines(struct pen *pen, PangoLayout *l, double x, double grey);

/* The document's title in its metadata (print queues and file managers show it), once. */
void pdf_set_title(struct printer *p, const char *title);
/* 0, or -1 with *err saying what went wrong in cairo or in writing. */
int pdf_check_status(const struct printer *p, char **err);

#endif
