/* Printing the move-out checklist: a sheet per resident, built from the database in words
 * (print.c), then drawn as PDF (print_pdf.c, cairo and pango: A4, DejaVu Sans embedded) or as
 * plain UTF-8 text (print_text.c). Every string in a sheet is already safe to print: control
 * characters and escape sequences are replaced, so neither a terminal reading `-o -` nor a
 * printer sees them. */
#ifndef HUSLY_PRINT_H
#define HUSLY_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "ids.h"

struct db;

enum print_format { PRINT_PDF, PRINT_TEXT };

struct sheet_field {
	const char *label; /* translated already, static */
	char *value;
};

struct sheet_step {
	char *label;
	char status[8];    /* todo, doing, done, na: how the box is drawn */
	char *status_text; /* the status in words: "i gang" */
	char *date;        /* "dd-mm-yyyy" or "" */
	char *responsible; /* "Kommunen (Jobcenter Horsens)" or "" */
	char *note;        /* "" when none */
};

struct sheet_thing {
	char *label;
	char *state_text; /* "" when not recorded: an empty box to tick by hand */
	char state[10];   /* needed, have, applied, granted, or "": how the box is drawn ([x] for
			   * have and granted, [~] applied, [ ] needed or not recorded) */
};

/* How a thing's box is drawn, as a step's status: "done" for have and granted, "doing" for
 * applied, "todo" for needed or not recorded. */
const char *sheet_thing_mark(const struct sheet_thing *t);

struct sheet_item {
	char *title;
	struct sheet_step *steps;
	size_t nsteps;
	struct sheet_thing *things; /* the furniture item's things */
	size_t nthings;
	char *extra; /* a line under the steps (support: "CTI · bevilget ... · start ..."), or "" */
};

#define SHEET_FIELDS 8

/* One resident's checklist, as it goes on paper. */
struct sheet {
	char *shelter;  /* "" when not configured */
	char *title;    /* "Tjekliste til udflytning" */
	char *resident; /* the name */
	struct sheet_field fields[SHEET_FIELDS]; /* id, born, arrival, days, home municipality... */
	size_t nfields;
	char *progress; /* "7 af 17 trin færdige" */
	struct sheet_item *items;
	size_t nitems;
	char *printed; /* "Udskrevet 23-11-2026 18:40 af Mette Holm (mette)" */
};

struct print_context {
	const char *shelter;    /* the configured shelter name, or NULL */
	const char *printed_by; /* "Mette Holm (mette)" */
};

/* The sheet of a resident's current (or latest) stay. Returns 0, or -1 with *err set. */
int sheet_load(struct db *db, const char *resident_id, const struct print_context *ctx,
	       struct sheet *out, char **err);
void sheet_free(struct sheet *s);

/* A renderer: sheets go out one at a time, so printing every resident of a large house holds
 * one sheet in memory. Each sheet starts on a new page; a longer one continues on the next with
 * the resident's name repeated. */
struct printer;
struct printer *printer_open(enum print_format format, FILE *out, char **err);
int printer_sheet(struct printer *p, const struct sheet *s, char **err);
/* Finishes the document; returns the pages written, or -1 with *err set. Frees p either way. */
long printer_close(struct printer *p, char **err);

/* Both renderers, called through printer_*. */
struct printer *print_pdf_open(FILE *out, char **err);
int print_pdf_sheet(struct printer *p, const struct sheet *s, char **err);
long print_pdf_close(struct printer *p, char **err);
struct printer *print_text_open(FILE *out, char **err);
int print_text_sheet(struct printer *p, const struct sheet *s, char **err);
long print_text_close(struct printer *p, char **err);

/* Which residents to print. PRINT_SUBJECT_ACCESS prints not the checklist but everything
 * stored about the one resident, for their right of access (print_subject.h). */
enum print_selection { PRINT_ONE, PRINT_PRESENT, PRINT_READY, PRINT_SUBJECT_ACCESS };

/* Finds the resident a user means: an id, or a search (as the list's) that matches exactly one
 * resident. Returns 0 with id filled; -1 with *err saying there is none, or which ones match. */
int print_find_resident(struct db *db, const char *spec, char id[ID_LEN], char **err);

/* Prints the residents chosen (for PRINT_ONE and PRINT_SUBJECT_ACCESS the one id) to out in
 * format, records the print in the audit log, and returns the pages written; -1 with *err
 * set. */
long print_residents(struct db *db, enum print_selection sel, const char *id,
		     enum print_format format, const struct print_context *ctx, FILE *out,
		     char **err);

/* Runs command (through /bin/sh) with a PDF of the residents chosen on its standard input, as
 * `lpr` wants it. Returns the pages sent; -1 with *err saying what failed (the command's exit
 * status included). */
long print_to_command(struct db *db, enum print_selection sel, const char *id,
		      const struct print_context *ctx, const char *command, char **err);

#endif
