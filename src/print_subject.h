/* The subject access (GDPR article 15): everything husly holds about one person, readable, for
 * a coordinator to hand them. Every field of the resident and of each stay with the labels
 * staff see and the values in words (the CPR number whole: it is the person's own), the intake
 * answers, each stay's checklist with its steps and things, the notes about them, every change
 * of every field (who, when, old and new), the values sync kept aside, and the audit log's
 * entries about them (who opened or printed their record, and when). */
#ifndef HUSLY_PRINT_SUBJECT_H
#define HUSLY_PRINT_SUBJECT_H

#include <stdio.h>

#include "print.h"
#include "print_doc.h"

struct db;

/* The document of the resident with id, as it will be printed. Returns 0, or -1 with *err. */
int subject_access_doc(struct db *db, const char *id, const struct print_context *ctx,
		       struct doc *out, char **err);

/* Records the subject access in the audit log (AUDIT_SUBJECT_ACCESS, detail where), then
 * writes the document to out in format. Returns the pages written, or -1 with *err. */
long print_subject_access(struct db *db, const char *id, enum print_format format,
			  const struct print_context *ctx, FILE *out, const char *where,
			  char **err);

#endif
