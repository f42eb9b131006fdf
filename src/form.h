/* Saving what a form changed without overwriting what someone else saved meanwhile. Many
 * staff work on one database: two may have the same resident open. A form remembers the values
 * it loaded; its save, inside the write transaction, reads every field again and compares:
 *
 *   nobody changed it            nothing to do
 *   only this user changed it    written
 *   only someone else did        theirs is kept (the loaded value is never written back)
 *   both, to the same value      nothing to do
 *   both, to different values    a clash: nothing at all is written, and the user chooses
 *                                per field (form_resolve), then saves again
 *
 * No transaction stays open while the user chooses: the next save reads everything again, and
 * a change that came in meanwhile is one more clash. */
#ifndef HUSLY_FORM_H
#define HUSLY_FORM_H

#include <stddef.h>

#include "record.h"

struct db;

struct form_field {
	const char *table;  /* resident, stay or checklist_step (a static string) */
	char *id;           /* the record; a checklist step's is STAY_ID/STEP */
	const char *field;  /* a static string */
	const char *absent; /* what the field reads as while the record has no row ("todo" for a
			     * step's status, as the checklist shows it); usually NULL */
	char *loaded;       /* the value when the form opened, or at its last save */
	char *mine;         /* what the user wants; equal to loaded while they have not changed it */
	struct field_now now; /* as the last save read it: the value, who changed it last, when */
	int take_theirs;      /* a clash the user settled for the other person's value */
};

enum form_state {
	FORM_UNCHANGED, /* nobody changed it */
	FORM_MINE,      /* only this user changed it */
	FORM_THEIRS,    /* only someone else changed it */
	FORM_AGREE,     /* both changed it, to the same value */
	FORM_CLASH,     /* both changed it, to different values */
};

/* What a save did, for the form's message line. */
struct form_outcome {
	size_t written; /* fields this user's value was written to */
	size_t kept;    /* fields someone else changed whose value was kept */
	size_t clashes; /* when the save returned 1: the fields in a clash */
};

/* A field of the form (id is copied). */
void form_field_init(struct form_field *f, const char *table, const char *id, const char *field,
		     const char *absent);
void form_fields_free(struct form_field *f, size_t n);

/* Reads the fields as the form opens: loaded and mine become the stored values. Returns 0, or
 * -1 with *err. */
int form_load(struct db *db, struct form_field *f, size_t n, char **err);
/* The user's value for a field (NULL or "" for none). */
void form_set_mine(struct form_field *f, const char *value);
/* Whether the user changed the field since it was loaded. */
int form_changed(const struct form_field *f);
/* How the field stands, from loaded, mine and now.value as the last save read them. */
enum form_state form_state(const struct form_field *f);
/* The value a save stores: the user's where they changed it, else the one read now. */
const char *form_value(const struct form_field *f);

/* Checks the values about to be stored (form_value of each), inside the save's transaction;
 * returns 0, or -1 with *err (a translated message): nothing is then written. */
typedef int (*form_check_fn)(struct db *db, const struct form_field *f, size_t n, void *ctx,
			     char **err);

/* Saves the form in one write transaction (BEGIN IMMEDIATE: read, compare, write, commit).
 * Returns 0 when saved (every field's loaded and mine are then what is stored), 1 on a clash
 * (nothing written; now holds the other person's value, who and when), or -1 with *err
 * (nothing written). check may be NULL. */
int form_save(struct db *db, struct form_field *f, size_t n, form_check_fn check, void *ctx,
	      struct form_outcome *out, char **err);

/* After a clash, the user's choice: each clashing field's take_theirs says whose value wins.
 * The values read become the loaded ones, so the next save writes the user's choice and finds
 * only what changed after this. */
void form_resolve(struct form_field *f, size_t n);

#endif
