/* The move-out checklist of a stay (udflytning): the four items and their steps, each with a
 * status, a date, who is responsible and a note; the furniture the household needs
 * (etableringshjælp); and the stay's support visitation. Steps are as husly.conf configures them
 * (lists.h): a step added to husly.conf after a stay began has no row yet and reads as not
 * started until someone changes it; a step hidden later keeps its data, which is loaded (marked
 * hidden) but not counted. */
#ifndef HUSLY_CHECKLIST_H
#define HUSLY_CHECKLIST_H

#include <stddef.h>

#include "ids.h"
#include "lists.h"

struct db;

struct checklist_step {
	const struct step_def *def; /* as configured; NULL for a code husly no longer knows */
	char *code;
	char *item;             /* income, housing, furniture, support (or a stored unknown) */
	char *status;           /* todo, doing, done, na: "todo" when the stay has no row */
	char *date;             /* "YYYY-MM-DD" or NULL */
	char *responsible;      /* shelter, municipality, resident, other, or NULL */
	char *responsible_name; /* or NULL */
	char *note;             /* or NULL */
	int hidden;             /* hidden in husly.conf or unknown: shown apart, not counted */
	int stored;             /* the stay has a row for it */
};

/* A thing the household needs: the furniture list's offered things, then others recorded. */
struct checklist_thing {
	char *thing; /* the list's code, or the words typed for a thing not on the list */
	char *state; /* needed, have, applied, granted; NULL when not recorded */
};

struct checklist {
	char stay_id[ID_LEN];
	char resident_id[ID_LEN];
	struct checklist_step *steps; /* visible steps in configured order, then hidden ones that
				       * hold data */
	size_t nsteps;
	struct checklist_thing *things;
	size_t nthings;
	/* Of the stay; NULL when not set. */
	char *arrival, *departure, *ready_at, *move_in_date, *support_method, *support_granted_at,
	    *support_start;
	int done, relevant; /* visible steps done / visible steps not marked not relevant */
};

/* The stay whose checklist the resident's screens show: the open one, else the latest. Returns
 * 1 and fills stay_id, 0 when the resident has no stay, -1 on error. */
int checklist_stay_of(struct db *db, const char *resident_id, char stay_id[ID_LEN], char **err);

/* Loads the checklist of a stay. Returns 0, or -1 with *err set (free it). */
int checklist_load(struct db *db, const char *stay_id, struct checklist *out, char **err);
void checklist_free(struct checklist *c);

/* Sets a field of a step (status, date, responsible, responsible_name or note; NULL or "" clears
 * it, except status) in its own transaction, keeping the history; makes the step's row first
 * when the stay has none. Refused for a value the schema or lists do not allow. */
int checklist_set_step(struct db *db, const char *stay_id, const char *step, const char *field,
		       const char *value, char **err);
/* The same inside the caller's write transaction (db_begin), for a form saving several fields
 * at once (form.h). */
int checklist_write_step(struct db *db, const char *stay_id, const char *step,
			 const char *field, const char *value, char **err);
/* Sets the state of a thing (needed, have, applied, granted) in its own transaction. A thing
 * not on the furniture list is stored as typed (trimmed, 1..60 characters). */
int checklist_set_thing(struct db *db, const char *stay_id, const char *thing,
			const char *state, char **err);

/* Space: moves a step's status, or a thing's state, one on from seen (what the screen shows),
 * in one transaction. When it is no longer seen (someone else changed it since the screen read
 * it), nothing is written and 1 is returned: the user sees the new value and decides again.
 * seen NULL: a thing not recorded. 0 when moved on (*next set), -1 with *err. */
int checklist_move_step(struct db *db, const char *stay_id, const char *step, const char *seen,
			const char **next, char **err);
int checklist_move_thing(struct db *db, const char *stay_id, const char *thing,
			 const char *seen, const char **next, char **err);

/* Space's cycles: not started → in progress → done → not relevant → not started; and for
 * things: needed → applied → granted → have → needed (NULL, not recorded, → needed). */
const char *checklist_next_status(const char *status);
const char *checklist_next_thing_state(const char *state);

/* The label of a step (configured, translated) or its code when unknown; of a thing, the
 * list's label or the typed words. */
const char *checklist_step_label(const struct checklist_step *s);
const char *checklist_thing_label(const struct checklist_thing *t);

/* A status as a box, in ASCII so every terminal and printer shows it: [ ] not started, [~] in
 * progress, [x] done, [-] not relevant. */
const char *checklist_box(const char *status);

/* Whether a step holds anything beyond "not started". */
int checklist_step_has_data(const struct checklist_step *s);

#endif
