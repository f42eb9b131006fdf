#include "lists.h"

#include "config.h"
#include "i18n.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define LIST(var, name, ...)                                                                    \
	static const struct choice var##_items[] = {__VA_ARGS__};                               \
	const struct choice_list var = {name, var##_items, ARRAY_SIZE(var##_items)}

/* Causes of homelessness (domain.md "Arrival"); several may apply. */
LIST(list_causes, "cause",
     {"eviction", N_("Eviction")},
     {"rent_arrears", N_("Rent arrears")},
     {"breakup", N_("Relationship breakdown")},
     {"family_conflict", N_("Family conflict")},
     {"misuse", N_("Substance misuse")},
     {"mental_illness", N_("Mental illness")},
     {"economy", N_("Economic difficulties")},
     {"prison_release", N_("Release from prison")},
     {"hospital_discharge", N_("Discharge from hospital or treatment")},
     {"no_housing", N_("No suitable or affordable housing")},
     {"cannot_manage", N_("Cannot manage own home")},
     {"violence", N_("Violence or threats")},
     {"arrival", N_("Arrival from abroad or another municipality")},
     {"other", N_("Other")});

LIST(list_substances, "substance",
     {"alcohol", N_("Alcohol")},
     {"cannabis", N_("Cannabis")},
     {"opioids", N_("Opioids")},
     {"cocaine", N_("Cocaine/crack")},
     {"amphetamine", N_("Amphetamine")},
     {"benzodiazepines", N_("Benzodiazepines/pills")},
     {"other", N_("Other substance")});

LIST(list_misuse_values, "misuse_value",
     {"current", N_("current")},
     {"earlier", N_("earlier")},
     {"no", N_("no")},
     {"unknown", N_("unknown")});

LIST(list_debts, "debt",
     {"rent_arrears", N_("Rent arrears to a housing organisation")},
     {"public", N_("Public debt (tax, fines, child support)")},
     {"consumer", N_("Consumer loans")},
     {"utilities", N_("Utilities")});

LIST(list_incomes, "income",
     {"cash_benefit", N_("Cash benefit")},
     {"early_pension", N_("Early retirement pension")},
     {"unemployment", N_("Unemployment benefit")},
     {"su", N_("Student grant (SU)")},
     {"pension", N_("Old-age pension")},
     {"wage", N_("Wage")},
     {"frikort", N_("Social free card")},
     {"none", N_("No income")});

LIST(list_living, "living",
     {"own_rental", N_("Own rental home")},
     {"sofa", N_("Lodger or sofa-surfing")},
     {"street", N_("Sleeping rough")},
     {"shelter", N_("Another shelter")},
     {"prison", N_("Prison")},
     {"hospital", N_("Hospital or psychiatric ward")},
     {"treatment", N_("Treatment centre")},
     {"family", N_("Family")});

/* Where a resident went (the national register's "how the stay ended and where the person
 * went"). own_home and supported_housing are the codes of earlier versions; hospital once also
 * meant treatment. */
LIST(list_destinations, "destination",
     {"own_home_support", N_("Own home with support")},
     {"own_home", N_("Own home without support")},
     {"supported_housing", N_("Supported housing (botilbud)")},
     {"shelter", N_("Another shelter")},
     {"treatment", N_("Treatment")},
     {"hospital", N_("Hospital")},
     {"prison", N_("Prison")},
     {"family", N_("Family or friends")},
     {"street", N_("Street")},
     {"unknown", N_("Unknown")},
     {"died", N_("Died")});

LIST(list_genders, "gender",
     {"male", N_("man")},
     {"female", N_("woman")},
     {"other", N_("other")},
     {"unknown", N_("not stated")});

LIST(list_support, "support",
     {"cti", N_("CTI")},
     {"icm", N_("ICM")},
     {"act", N_("ACT")},
     {"sel85", N_("§ 85 housing support")},
     {"other", N_("Other support")});

LIST(list_status, "status",
     {"todo", N_("not started")},
     {"doing", N_("in progress")},
     {"done", N_("done")},
     {"na", N_("not relevant")});

LIST(list_responsible, "responsible",
     {"shelter", N_("the shelter")},
     {"municipality", N_("the municipality")},
     {"resident", N_("the resident")},
     {"other", N_("other")});

LIST(list_consent, "consent",
     {"yes", N_("yes")},
     {"limited", N_("limited")},
     {"no", N_("no")});

/* What every member of the household needs (Copenhagen's guide, seed 003). */
LIST(list_furniture, "furniture",
     {"bed", N_("Bed")},
     {"chair", N_("Chair")},
     {"table", N_("Table")},
     {"tableware", N_("Plates and cutlery")},
     {"cups", N_("Cups and glasses")},
     {"pots", N_("Pots and pans")},
     {"stove", N_("Cooker")},
     {"wardrobe", N_("Wardrobe")},
     {"duvet", N_("Duvet")},
     {"pillow", N_("Pillow")},
     {"sheet", N_("Sheets")},
     {"towel", N_("Towels")});

LIST(list_furniture_states, "furniture_state",
     {"needed", N_("needed")},
     {"have", N_("have")},
     {"applied", N_("applied")},
     {"granted", N_("granted")});

LIST(list_items, "item",
     {"income", N_("Cash benefit / income")},
     {"housing", N_("Housing registration")},
     {"furniture", N_("Furniture (establishment grant)")},
     {"support", N_("Support visitation")});

const struct step_def checklist_steps[] = {
	{"income", "income_clarified", N_("Income clarified")},
	{"income", "income_applied", N_("Application sent")},
	{"income", "income_granted", N_("Granted")},
	{"income", "income_paid", N_("First payment")},
	{"housing", "housing_registered", N_("Registered for housing allocation")},
	{"housing", "housing_offer", N_("Offer received")},
	{"housing", "housing_viewing", N_("Viewing")},
	{"housing", "housing_lease", N_("Lease signed")},
	{"housing", "housing_deposit", N_("Deposit arranged")},
	{"housing", "housing_move_in", N_("Move-in date set")},
	{"housing", "housing_address", N_("Change of address")},
	{"furniture", "furniture_applied", N_("Establishment grant applied for")},
	{"furniture", "furniture_granted", N_("Grant given")},
	{"furniture", "furniture_delivered", N_("Furniture delivered")},
	{"support", "support_applied", N_("Support visitation requested")},
	{"support", "support_granted", N_("Support granted")},
	{"support", "support_started", N_("Support started")},
};
const size_t checklist_steps_count = ARRAY_SIZE(checklist_steps);


const struct choice_list *const configurable_lists[] = {
    &list_causes, &list_substances, &list_debts, &list_incomes, &list_living, &list_destinations,
    &list_furniture,
};
const size_t configurable_lists_count = ARRAY_SIZE(configurable_lists);

const struct choice_list *list_configurable(const char *name)
{
	for (size_t i = 0; name && i < configurable_lists_count; i++)
		if (str_eq(configurable_lists[i]->name, name))
			return configurable_lists[i];
	return NULL;
}

/* --- as configured ------------------------------------------------------------------------ */

/* An entry of a configured list. c.label is a message id, or husly.conf's text (own_label). */
struct known_choice {
	struct choice c;
	int hidden;
	int own_label, own_code; /* c.label, c.code were allocated here */
};

/* A configurable list as husly.conf changes it; items NULL: the defaults unchanged. */
struct known_list {
	struct known_choice *items;
	size_t n;
};

/* A step as configured. def.item points into list_items or checklist_steps. */
struct known_step {
	struct step_def def;
	int hidden;
	int own_label, own_code;
};

/* Everything lists_configure applies; steps NULL: the default checklist. */
struct configured {
	struct known_list lists[ARRAY_SIZE(configurable_lists)];
	struct known_step *steps; /* every step, in order */
	size_t nsteps;
	const struct step_def **visible; /* the steps not hidden, in order */
	size_t nvisible;
};

static struct configured current;

static void configured_free(struct configured *k)
{
	for (size_t l = 0; l < ARRAY_SIZE(k->lists); l++) {
		for (size_t i = 0; i < k->lists[l].n; i++) {
			struct known_choice *e = &k->lists[l].items[i];
			if (e->own_label)
				free((char *)e->c.label);
			if (e->own_code)
				free((char *)e->c.code);
		}
		free(k->lists[l].items);
	}
	for (size_t i = 0; i < k->nsteps; i++) {
		if (k->steps[i].own_label)
			free((char *)k->steps[i].def.label);
		if (k->steps[i].own_code)
			free((char *)k->steps[i].def.code);
	}
	free(k->steps);
	free(k->visible);
	memset(k, 0, sizeof(*k));
}

static int fail(char **err, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char **err, const char *where, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (err)
		*err = xasprintf("%s: %s", where ? where : "husly.conf", msg);
	free(msg);
	return -1;
}

/* The entries of one list: the defaults, renamed or hidden, and the new ones just before the
 * default "other" (the catch-all stays last), or at the end when the list has none. */
static int build_list(const struct config *c, const struct choice_list *list,
		      struct known_list *out, char **err)
{
	size_t extra = 0;
	for (size_t i = 0; i < c->nentries; i++)
		extra += str_eq(c->entries[i].list, list->name);
	if (!extra)
		return 0;
	size_t other = list->n;
	for (size_t i = 0; i < list->n; i++)
		if (str_eq(list->items[i].code, "other"))
			other = i;
	out->items = xcalloc(list->n + extra, sizeof(*out->items));
	for (size_t i = 0; i < other; i++)
		out->items[out->n++].c = list->items[i];
	for (size_t i = 0; i < c->nentries; i++) {
		const struct list_entry_conf *e = &c->entries[i];
		if (!str_eq(e->list, list->name))
			continue;
		int known = 0;
		for (size_t j = 0; j < list->n; j++)
			known |= str_eq(list->items[j].code, e->code);
		for (size_t j = other; j < out->n; j++)
			known |= str_eq(out->items[j].c.code, e->code);
		if (known)
			continue;
		if (!e->label)
			return fail(err, e->where,
				    "list %s has no entry '%s'; a new entry needs a label", list->name,
				    e->code);
		struct known_choice *k = &out->items[out->n++];
		k->c.code = xstrdup(e->code);
		k->own_code = 1;
	}
	for (size_t i = other; i < list->n; i++)
		out->items[out->n++].c = list->items[i];
	/* Now every entry is there: apply labels and hiding. */
	for (size_t i = 0; i < c->nentries; i++) {
		const struct list_entry_conf *e = &c->entries[i];
		if (!str_eq(e->list, list->name))
			continue;
		for (size_t j = 0; j < out->n; j++) {
			struct known_choice *k = &out->items[j];
			if (!str_eq(k->c.code, e->code))
				continue;
			if (e->label) {
				if (k->own_label)
					free((char *)k->c.label);
				k->c.label = xstrdup(e->label);
				k->own_label = 1;
			}
			k->hidden = e->hidden;
		}
	}
	return 0;
}

static size_t item_rank(const char *item)
{
	for (size_t i = 0; i < list_items.n; i++)
		if (str_eq(list_items.items[i].code, item))
			return i;
	return list_items.n;
}

static struct known_step *find_step(struct known_step *steps, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(steps[i].def.code, code))
			return &steps[i];
	return NULL;
}

/* Moves steps[from] to just after steps[to]. */
static void move_after(struct known_step *steps, size_t from, size_t to)
{
	struct known_step s = steps[from];
	if (from < to) {
		memmove(&steps[from], &steps[from + 1], (to - from) * sizeof(*steps));
		steps[to] = s;
	} else if (from > to + 1) {
		memmove(&steps[to + 2], &steps[to + 1], (from - to - 1) * sizeof(*steps));
		steps[to + 1] = s;
	}
}

/* The checklist: the default steps, renamed or hidden, then the new ones; moved by `after`, then
 * by `order`; finally grouped by item, keeping the order within each item. */
static int build_steps(const struct config *c, struct configured *k, char **err)
{
	if (!c->nsteps && !c->nstep_order)
		return 0;
	size_t cap = checklist_steps_count + c->nsteps, n = 0;
	struct known_step *steps = xcalloc(cap, sizeof(*steps));
	k->steps = steps; /* freed with k on failure */
	for (size_t i = 0; i < checklist_steps_count; i++)
		steps[n++].def = checklist_steps[i];
	k->nsteps = n;
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct step_conf *sc = &c->steps[i];
		struct known_step *st = find_step(steps, n, sc->code);
		if (st) {
			if (sc->item && !str_eq(sc->item, st->def.item))
				return fail(err, sc->where,
					    "step '%s' belongs to item %s; the item of a step cannot "
					    "change",
					    sc->code, st->def.item);
		} else {
			if (!sc->item || !sc->label)
				return fail(err, sc->where,
					    "the checklist has no step '%s'; a new step needs an item "
					    "and a label",
					    sc->code);
			size_t rank = item_rank(sc->item);
			if (rank == list_items.n)
				return fail(err, sc->where, "step '%s': no item '%s'", sc->code,
					    sc->item);
			st = &steps[n++];
			k->nsteps = n;
			st->def.item = list_items.items[rank].code;
			st->def.code = xstrdup(sc->code);
			st->own_code = 1;
		}
		if (sc->label) {
			if (st->own_label)
				free((char *)st->def.label);
			st->def.label = xstrdup(sc->label);
			st->own_label = 1;
		}
		st->hidden = sc->hidden;
	}
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct step_conf *sc = &c->steps[i];
		if (!sc->after)
			continue;
		struct known_step *st = find_step(steps, n, sc->code);
		struct known_step *to = find_step(steps, n, sc->after);
		if (!to)
			return fail(err, sc->where, "step '%s': after '%s': the checklist has no such "
				    "step", sc->code, sc->after);
		if (to == st)
			return fail(err, sc->where, "step '%s' cannot come after itself", sc->code);
		if (!str_eq(to->def.item, st->def.item))
			return fail(err, sc->where,
				    "step '%s' (item %s) cannot come after '%s' of item %s",
				    sc->code, st->def.item, sc->after, to->def.item);
		move_after(steps, (size_t)(st - steps), (size_t)(to - steps));
	}
	if (c->nstep_order) {
		struct known_step *sorted = xcalloc(cap, sizeof(*sorted));
		char *taken = xcalloc(n ? n : 1, 1);
		size_t m = 0;
		for (size_t i = 0; i < c->nstep_order; i++) {
			struct known_step *st = find_step(steps, n, c->step_order[i]);
			const char *problem = !st ? "the checklist has no such step"
					      : taken[st - steps] ? "named twice" : NULL;
			if (problem) {
				free(sorted);
				free(taken);
				return fail(err, c->step_order_where, "order: step '%s': %s",
					    c->step_order[i], problem);
			}
			taken[st - steps] = 1;
			sorted[m++] = *st;
		}
		for (size_t i = 0; i < n; i++)
			if (!taken[i])
				sorted[m++] = steps[i];
		memcpy(steps, sorted, n * sizeof(*steps));
		free(sorted);
		free(taken);
	}
	/* Group by item, stable. */
	struct known_step *grouped = xcalloc(cap, sizeof(*grouped));
	size_t m = 0;
	for (size_t r = 0; r <= list_items.n; r++)
		for (size_t i = 0; i < n; i++)
			if (item_rank(steps[i].def.item) == r)
				grouped[m++] = steps[i];
	memcpy(steps, grouped, n * sizeof(*steps));
	free(grouped);
	k->visible = xcalloc(n, sizeof(const struct step_def *));
	for (size_t i = 0; i < n; i++)
		if (!steps[i].hidden)
			k->visible[k->nvisible++] = &steps[i].def;
	return 0;
}

static int build(const struct config *c, struct configured *k, char **err)
{
	memset(k, 0, sizeof(*k));
	if (err)
		*err = NULL;
	for (size_t i = 0; i < c->nentries; i++)
		if (!list_configurable(c->entries[i].list))
			return fail(err, c->entries[i].where, "no list '%s'", c->entries[i].list);
	for (size_t l = 0; l < configurable_lists_count; l++)
		if (build_list(c, configurable_lists[l], &k->lists[l], err) != 0) {
			configured_free(k);
			return -1;
		}
	if (build_steps(c, k, err) != 0) {
		configured_free(k);
		return -1;
	}
	return 0;
}

int lists_check(const struct config *c, char **err)
{
	struct configured k;
	int rc = build(c, &k, err);
	configured_free(&k);
	return rc;
}

int lists_configure(const struct config *c, char **err)
{
	struct configured k;
	if (build(c, &k, err) != 0)
		return -1;
	configured_free(&current);
	current = k;
	return 0;
}

void lists_reset(void)
{
	configured_free(&current);
}

/* --- looking things up -------------------------------------------------------------------- */

/* The configured entries of list, or NULL when they are the defaults. */
static const struct known_list *known(const struct choice_list *list)
{
	for (size_t l = 0; l < configurable_lists_count; l++)
		if (configurable_lists[l] == list)
			return current.lists[l].items ? &current.lists[l] : NULL;
	return NULL;
}

static const struct known_choice *known_choice(const struct choice_list *list, const char *code)
{
	const struct known_list *k = known(list);
	for (size_t i = 0; k && code && i < k->n; i++)
		if (str_eq(k->items[i].c.code, code))
			return &k->items[i];
	return NULL;
}

const char *choice_label(const struct choice_list *list, const char *code)
{
	if (!code)
		return "";
	if (known(list)) {
		const struct known_choice *e = known_choice(list, code);
		return !e ? code : e->own_label ? e->c.label : _(e->c.label);
	}
	for (size_t i = 0; i < list->n; i++)
		if (str_eq(list->items[i].code, code))
			return _(list->items[i].label);
	return code;
}

size_t choice_offered(const struct choice_list *list, const struct choice **out, size_t max)
{
	const struct known_list *k = known(list);
	size_t n = 0;
	if (k) {
		for (size_t i = 0; i < k->n; i++)
			if (!k->items[i].hidden) {
				if (n < max)
					out[n] = &k->items[i].c;
				n++;
			}
		return n;
	}
	for (size_t i = 0; i < list->n; i++, n++)
		if (n < max)
			out[n] = &list->items[i];
	return n;
}

const struct choice *choice_find(const struct choice_list *list, const char *code)
{
	if (known(list)) {
		const struct known_choice *e = known_choice(list, code);
		return e ? &e->c : NULL;
	}
	for (size_t i = 0; code && i < list->n; i++)
		if (str_eq(list->items[i].code, code))
			return &list->items[i];
	return NULL;
}

int choice_hidden(const struct choice_list *list, const char *code)
{
	const struct known_choice *e = known_choice(list, code);
	return e && e->hidden;
}

size_t checklist_step_count(void)
{
	return current.steps ? current.nvisible : checklist_steps_count;
}

const struct step_def *checklist_step_at(size_t i)
{
	if (i >= checklist_step_count())
		return NULL;
	return current.steps ? current.visible[i] : &checklist_steps[i];
}

size_t checklist_known_count(void)
{
	return current.steps ? current.nsteps : checklist_steps_count;
}

const struct step_def *checklist_known_at(size_t i)
{
	if (i >= checklist_known_count())
		return NULL;
	return current.steps ? &current.steps[i].def : &checklist_steps[i];
}

static const struct known_step *known_step(const char *code)
{
	for (size_t i = 0; code && i < current.nsteps; i++)
		if (str_eq(current.steps[i].def.code, code))
			return &current.steps[i];
	return NULL;
}

const struct step_def *step_by_code(const char *code)
{
	if (current.steps) {
		const struct known_step *k = known_step(code);
		return k ? &k->def : NULL;
	}
	for (size_t i = 0; i < checklist_steps_count; i++)
		if (str_eq(checklist_steps[i].code, code))
			return &checklist_steps[i];
	return NULL;
}

const char *step_label(const struct step_def *def)
{
	if (!def)
		return "";
	const struct known_step *k = known_step(def->code);
	if (k)
		return k->own_label ? k->def.label : _(k->def.label);
	return _(def->label);
}

int step_hidden(const char *code)
{
	const struct known_step *k = known_step(code);
	return k && k->hidden;
}

size_t choice_search(const struct choice_list *list, const char *typed,
		     const struct choice **out, size_t max)
{
	enum { OFFERED_MAX = 64 };
	const struct choice *offered[OFFERED_MAX];
	size_t n = choice_offered(list, offered, OFFERED_MAX);
	if (n > OFFERED_MAX)
		n = OFFERED_MAX;
	char *key = text_fold(typed ? typed : "");
	size_t count = 0;
	for (int pass = 0; pass < 2; pass++) /* starts with, then contains */
		for (size_t i = 0; i < n; i++) {
			char *label = text_fold(choice_label(list, offered[i]->code));
			char *at = strstr(label, key);
			int hit = pass == 0 ? at == label : at && at != label;
			free(label);
			if (hit && count < max)
				out[count++] = offered[i];
		}
	free(key);
	return count;
}
