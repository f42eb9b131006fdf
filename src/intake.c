#include "intake.h"

#include "cpr.h"
#include "db.h"
#include "i18n.h"
#include "kommune.h"
#include "lists.h"
#include "record.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void intake_init(struct intake *in)
{
	memset(in, 0, sizeof(*in));
}

void intake_free(struct intake *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->values[i].key);
		free(in->values[i].value);
	}
	free(in->values);
	intake_init(in);
}

static struct intake_value *find(const struct intake *in, const char *key)
{
	for (size_t i = 0; i < in->n; i++)
		if (str_eq(in->values[i].key, key))
			return &in->values[i];
	return NULL;
}

void intake_set(struct intake *in, const char *key, const char *value)
{
	struct intake_value *v = find(in, key);
	if (str_empty(value)) {
		if (v) { /* keep the order of the rest: drafts and dumps stay stable */
			free(v->key);
			free(v->value);
			size_t i = (size_t)(v - in->values);
			memmove(v, v + 1, (in->n - i - 1) * sizeof(*v));
			in->n--;
		}
		return;
	}
	if (v) {
		free(v->value);
		v->value = xstrdup(value);
		return;
	}
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 32;
		in->values = xrealloc(in->values, in->cap * sizeof(*in->values));
	}
	in->values[in->n].key = xstrdup(key);
	in->values[in->n].value = xstrdup(value);
	in->n++;
}

const char *intake_get(const struct intake *in, const char *key)
{
	const struct intake_value *v = find(in, key);
	return v ? v->value : NULL;
}

/* --- checking ---------------------------------------------------------------------------- */

static int is_date(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && date_parse_iso(s, &y, &m, &d) == 0;
}

static int known_code(const struct choice_list *list, const char *code)
{
	return choice_label(list, code) != code; /* an unknown code comes back as itself */
}

static const char *check_person(const struct intake *in, const char *today, const char **key)
{
	const char *name = intake_get(in, "name");
	char *trimmed = text_fold(name ? name : "");
	int empty = trimmed[0] == '\0';
	free(trimmed);
	if (empty)
		return *key = "name", N_("A name is needed (a nickname will do).");
	const char *birth = intake_get(in, "birth_date");
	if (birth && (!is_date(birth) || strcmp(birth, today) > 0))
		return *key = "birth_date", N_("The birth date is not a real date in the past.");
	const char *cpr = intake_get(in, "cpr");
	char cpr_birth[DATE_LEN];
	if (cpr && !cpr_is_valid(cpr, cpr_birth))
		return *key = "cpr", N_("The CPR number must be DDMMYY-XXXX with a real date.");
	if (cpr && birth && strcmp(cpr_birth, birth) != 0)
		return *key = "cpr", N_("The CPR number does not match the birth date.");
	const char *gender = intake_get(in, "gender");
	if (gender && !known_code(&list_genders, gender))
		return *key = "gender", N_("Choose a gender from the list.");
	return NULL;
}

static const char *check_arrival(const struct intake *in, const char *now, const char **key)
{
	const char *arrival = intake_get(in, "arrival");
	time_t t;
	if (!arrival || local_minute_to_time(arrival, &t) != 0)
		return *key = "arrival", N_("The arrival must be a date and time.");
	if (strcmp(arrival, now) > 0)
		return *key = "arrival", N_("The arrival cannot be in the future.");
	static const char *const kommune_keys[] = {"home_kommune", "acting_kommune",
						   "paying_kommune"};
	for (size_t i = 0; i < ARRAY_SIZE(kommune_keys); i++) {
		const char *k = intake_get(in, kommune_keys[i]);
		if (k && !kommune_by_code(k))
			return *key = kommune_keys[i], N_("Choose a municipality from the list.");
	}
	const char *living = intake_get(in, "previous_living");
	if (living && !known_code(&list_living, living))
		return *key = "previous_living", N_("Choose from the list.");
	return NULL;
}

static const char *check_rest(const struct intake *in, const char **key)
{
	static const char *const dates[] = {"consent_date", "ban_until"};
	for (size_t i = 0; i < ARRAY_SIZE(dates); i++) {
		const char *d = intake_get(in, dates[i]);
		if (d && !is_date(d))
			return *key = dates[i], N_("Not a real date.");
	}
	const char *total = intake_get(in, "debt_total");
	long v;
	if (total && parse_long(total, 0, 1000000000L, &v) != 0)
		return *key = "debt_total", N_("The debt is a whole number of kroner.");
	static const char *const flags[] = {"debt_rki", "debt_counselling"};
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		const char *f = intake_get(in, flags[i]);
		if (f && !str_eq(f, "0") && !str_eq(f, "1"))
			return *key = flags[i], N_("Answer yes or no.");
	}
	const char *consent = intake_get(in, "consent");
	if (consent && !known_code(&list_consent, consent))
		return *key = "consent", N_("Choose yes, limited or no.");
	const char *income = intake_get(in, "income");
	if (income && !known_code(&list_incomes, income))
		return *key = "income", N_("Choose from the list.");
	return NULL;
}

const char *intake_check(const struct intake *in, const char *today, const char *now,
			 const char **key)
{
	/* Text typed into a field but not yet valid is kept (as "typed/KEY") so nothing is lost;
	 * it must be finished before the intake is saved. */
	for (size_t i = 0; i < in->n; i++)
		if (strncmp(in->values[i].key, INTAKE_TYPED, strlen(INTAKE_TYPED)) == 0)
			return *key = in->values[i].key + strlen(INTAKE_TYPED),
			       N_("Finish or clear this field.");
	const char *msg = check_person(in, today, key);
	if (!msg)
		msg = check_arrival(in, now, key);
	if (!msg)
		msg = check_rest(in, key);
	if (!msg)
		*key = NULL;
	return msg;
}

/* --- names ------------------------------------------------------------------------------- */

int name_distance(const char *a, const char *b)
{
	/* Levenshtein over bytes of folded names (ASCII after folding, bar other scripts), two
	 * rows, stopped early: only "close or not" matters. */
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return str_eq(a, b) ? 0 : 9;
	int prev[65], cur[65];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		int best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > 9)
			return 9;
		memcpy(prev, cur, (lb + 1) * sizeof(int));
	}
	return prev[lb] > 9 ? 9 : prev[lb];
}
