/* The answer lists of the intake and the checklist: stable codes stored in the database, with
 * labels (English message ids, shown translated). A stored code missing from a list still shows,
 * as the code itself, so renaming or hiding an entry never hides a value. */
#ifndef HUSLY_LISTS_H
#define HUSLY_LISTS_H

#include <stddef.h>

struct choice {
	const char *code;
	const char *label; /* message id; translate with choice_label */
};

struct choice_list {
	const char *name;
	const struct choice *items;
	size_t n;
};

extern const struct choice_list list_causes, list_substances, list_misuse_values, list_debts,
    list_incomes, list_living, list_destinations, list_genders, list_support, list_status,
    list_responsible, list_consent, list_furniture, list_furniture_states, list_items;

/* The translated label of code in list; the code itself when the list has no such entry, and ""
 * for NULL. */
const char *choice_label(const struct choice_list *list, const char *code);

/* The move-out checklist's steps, in order: item is one of list_items' codes. */
struct step_def {
	const char *item;
	const char *code;
	const char *label; /* message id */
};
extern const struct step_def checklist_steps[];
extern const size_t checklist_steps_count;
const struct step_def *step_by_code(const char *code);

#endif
