/* A document of sections, for print-outs other than the checklist sheet (the subject access):
 * a title, the person it is about, then headings, labelled fields, dated entries and
 * paragraphs, in words, drawn as PDF (print_doc_pdf.c, cairo and pango as the checklist) or
 * as UTF-8 text (print_doc.c). Every string is made safe as it is added: control characters
 * and escape sequences become '?', so neither a terminal reading `-o -` nor a printer sees
 * them; line breaks are kept where a text may have them (a note written in two lines). */
#ifndef HUSLY_PRINT_DOC_H
#define HUSLY_PRINT_DOC_H

#include <stddef.h>
#include <stdio.h>

#include "print.h"

enum doc_kind {
	DOC_SECTION,    /* a heading: "Stays" */
	DOC_SUBSECTION, /* a heading inside a section: "Stay 1: 02-09-2026 10:00 to now"; what
			 * follows it, up to the next heading, is indented under it */
	DOC_FIELD,      /* a label and its value: "Room: 12A" */
	DOC_ENTRY,      /* a line ("25-11-2026 02:14 · mette · Room") and its text under it */
	DOC_TEXT,       /* a paragraph */
};

struct doc_block {
	enum doc_kind kind;
	char *label; /* the heading, the field's label, the entry's line; NULL for a paragraph */
	char *text;  /* the field's value, the entry's text (NULL: none), the paragraph; NULL for
		      * a heading */
};

struct doc {
	char *title;   /* what the document is: "Subject access" */
	char *shelter; /* "" when not configured */
	char *name;    /* whom it is about, large under the title */
	char *printed; /* "Printed 25-11-2026 02:14 by Mette Holm (mette)", at the foot */
	struct doc_block *blocks;
	size_t n, cap;
};

/* A new document; shelter and printed may be NULL. */
void doc_init(struct doc *d, const char *title, const char *shelter, const char *name,
	      const char *printed);
void doc_section(struct doc *d, const char *heading);
void doc_subsection(struct doc *d, const char *heading);
/* value NULL or "" is written "-": an empty field is shown as empty, not left out. */
void doc_field(struct doc *d, const char *label, const char *value);
/* text may hold line breaks; NULL: the line alone. */
void doc_entry(struct doc *d, const char *line, const char *text);
void doc_text(struct doc *d, const char *text);
void doc_free(struct doc *d);

/* Writes the document to out; returns the pages written (a text is one), or -1 with *err. */
long doc_write(const struct doc *d, enum print_format format, FILE *out, char **err);
long doc_write_pdf(const struct doc *d, FILE *out, char **err);

#endif
