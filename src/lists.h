/* The answer lists of the intake and the checklist: stable codes stored in the database, with
 * labels (English message ids, shown translated). A stored code missing from a list still shows,
 * as the code itself, so renaming or hiding an entry never hides a value.
 *
 * The lists below are the defaults. husly.conf may rename, add and hide entries of the lists
 * named in configurable_lists[], and rename, add, hide and reorder the checklist's steps
 * (husly.conf(5)); lists_configure applies that. A label from husly.conf is shown as written,
 * a default one translated. Until lists_configure is called, or when nothing is configured,
 * everything below behaves as the defaults. */
#ifndef HUSLY_LISTS_H
#define HUSLY_LISTS_H

#include <stddef.h>

struct config;

struct choice {
	const char *code;
	const char *label; /* a message id, or husly.conf's text: show it with choice_label */
};

struct choice_list {
	const char *name;
	const struct choice *items;
	size_t n;
};

extern const struct choice_list list_causes, list_substances, list_misuse_values, list_debts,
    list_incomes, list_living, list_destinations, list_genders, list_support, list_status,
    list_responsible, list_consent, list_furniture, list_furniture_states, list_items;

/* The lists husly.conf may change, by their names: cause, substance, debt, income, living,
 * destination, furniture. */
extern const struct choice_list *const configurable_lists[];
extern const size_t configurable_lists_count;
/* The configurable list of that name, or NULL. */
const struct choice_list *list_configurable(const char *name);

/* The label of code in list, as configured: husly.conf's label as written, else the default one
 * translated; also for hidden entries. The code itself when the list has no such entry, and ""
 * for NULL. */
const char *choice_label(const struct choice_list *list, const char *code);

/* The entries to offer for a new answer: the list's entries that are not hidden, in order.
 * Fills out[0 .. max-1] and returns how many there are (which may be more than max; out may be
 * NULL when max is 0). Show each with choice_label(list, out[i]->code), not with its label
 * member, which may be a message id or husly.conf's text. The pointers stay valid until the
 * next lists_configure or lists_reset. */
size_t choice_offered(const struct choice_list *list, const struct choice **out, size_t max);
/* Type-ahead: the offered entries whose label starts with what was typed, then those that
 * contain it (case and Danish spellings folded); fills out[0 .. max-1], returns how many. */
size_t choice_search(const struct choice_list *list, const char *typed,
		     const struct choice **out, size_t max);
/* The entry of code, hidden or not; NULL when the list has none. */
const struct choice *choice_find(const struct choice_list *list, const char *code);
/* Whether code is an entry of list that husly.conf hides (stored values still show). */
int choice_hidden(const struct choice_list *list, const char *code);

/* The move-out checklist's steps: item is one of list_items' codes. */
struct step_def {
	const char *item;
	const char *code;
	const char *label; /* a message id, or husly.conf's text: show it with step_label */
};
/* The default steps, in their default order, whatever husly.conf says. Screens use the
 * functions below instead. */
extern const struct step_def checklist_steps[];
extern const size_t checklist_steps_count;

/* The steps to offer, as configured: not hidden, grouped by item in list_items' order and in
 * the configured order within each item. checklist_step_at returns NULL from
 * checklist_step_count() on. */
size_t checklist_step_count(void);
const struct step_def *checklist_step_at(size_t i);
/* Every step husly knows, hidden ones too (their stored data is kept and shown), in the same
 * order. */
size_t checklist_known_count(void);
const struct step_def *checklist_known_at(size_t i);
/* The step of that code, hidden or not, default or added in husly.conf; NULL if none. */
const struct step_def *step_by_code(const char *code);
/* The step's label as configured (husly.conf's as written, else the default one translated);
 * def may also point into checklist_steps[]. "" for NULL. */
const char *step_label(const struct step_def *def);
/* Whether husly.conf hides the step of that code. */
int step_hidden(const char *code);

/* Applies the lists and checklist of c (config.h): renamed, added, hidden and reordered entries
 * and steps, replacing what an earlier call applied. The strings are copied: c may be freed
 * afterwards. Returns 0, or -1 with *err set to "FILE:LINE: what is wrong" (free it), leaving
 * the lists as they were; config_load has checked the same already. */
int lists_configure(const struct config *c, char **err);
/* Checks c as lists_configure would apply it, changing nothing. */
int lists_check(const struct config *c, char **err);
/* Back to the defaults, freeing what lists_configure made. */
void lists_reset(void);

#endif
