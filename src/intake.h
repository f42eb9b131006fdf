/* An intake (indskrivning) as staff type it, checked and saved in one transaction, and kept as
 * a draft while it is typed so that a dropped connection loses nothing.
 *
 * The intake is a set of named values, all text as typed or picked (NULL: not given):
 *  - resident fields by their column name: name, birth_date, cpr, gender, home_kommune, income,
 *    debt_rki, debt_total, debt_counselling, causes_other, mental_health, physical_health,
 *    prison_history, hospital_history, network, work, consent, consent_date, alert_safety,
 *    ban_until, alert_medical, alert_contact;
 *  - the new stay's: arrival ("YYYY-MM-DD HH:MM"), room, acting_kommune, paying_kommune,
 *    previous_living;
 *  - answers as "LIST/CODE": "cause/eviction" = "yes", "debt/public" = "yes",
 *    "misuse/alcohol" = "current" | "earlier" | "no" | "unknown", and "treatment/alcohol" = "1".
 * Dates are stored ISO ("YYYY-MM-DD"); the form converts what is typed (datetyped.h).
 * "typed/KEY" holds what was typed into a field that is not valid yet: kept in the draft, so
 * nothing typed is lost, and refused by intake_check. */
#ifndef HUSLY_INTAKE_H
#define HUSLY_INTAKE_H

#include <stddef.h>

#include "ids.h"

struct db;

#define INTAKE_TYPED "typed/"

struct intake_value {
	char *key;
	char *value;
};

struct intake {
	struct intake_value *values;
	size_t n, cap;
};

void intake_init(struct intake *in);
void intake_free(struct intake *in);
/* NULL or "" removes the value. */
void intake_set(struct intake *in, const char *key, const char *value);
/* The value, or NULL. */
const char *intake_get(const struct intake *in, const char *key);

/* The first problem that stops a save, for the form to show at its field: *key is the field's
 * key and the return value a message (a message id, translate it), or NULL when the intake can
 * be saved. today: "YYYY-MM-DD"; now: local "YYYY-MM-DD HH:MM". */
const char *intake_check(const struct intake *in, const char *today, const char *now,
			 const char **key);

/* Someone already registered who may be the person being admitted. */
struct intake_match {
	char id[ID_LEN];
	char *name;
	char *birth_date; /* may be NULL */
	int present;      /* has an open stay */
	int score;        /* higher is likelier: 4 the same CPR number, 3 the same name and birth
			   * date ... 1 a similar name */
};

/* The residents who may be this person (the same CPR number, a similar name, the same birth
 * date), likeliest first; at most max. */
int intake_find_matches(struct db *db, const char *name, const char *birth_date,
			const char *cpr, struct intake_match **out, size_t *n, size_t max,
			char **err);
void intake_matches_free(struct intake_match *m, size_t n);

/* Saves the intake in one transaction: a new resident (resident_id NULL) or a new stay for a
 * returning one, the answers, and the stay's checklist. Writes the resident's id to id_out and
 * deletes the login's draft. Refuses (nothing written) when intake_check does, when the
 * returning resident is present already, or when the arrival is before their last departure. */
int intake_save(struct db *db, const struct intake *in, const char *resident_id,
		char id_out[ID_LEN], char **err);

/* Sets one answer of a resident after the intake, in its own transaction, keeping the history:
 * list "cause", "debt" (value "yes"/"no") or "misuse" (value "current", "earlier", "no",
 * "unknown"; treatment "1"/"0", or NULL to leave it). */
int answer_set(struct db *db, const char *resident_id, const char *list, const char *code,
	       const char *value, const char *treatment, char **err);

/* The draft of a form in progress, one per login and form ("intake"). */
int draft_save(struct db *db, const char *form, const struct intake *in, char **err);
/* Loads the login's draft into in (emptied first): 1 when there is one, 0 when not. */
int draft_load(struct db *db, const char *form, struct intake *in, char **err);
int draft_delete(struct db *db, const char *form, char **err);

/* Edit distance between two folded names, for the duplicate search (capped at 9). */
int name_distance(const char *a, const char *b);

#endif
