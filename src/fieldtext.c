#include "fieldtext.h"

#include "clock.h"
#include "cpr.h"
#include "i18n.h"
#include "kommune.h"
#include "lists.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* Field names as staff know them. */
static const struct {
	const char *field;
	const char *label;
} field_labels[] = {
	{"name", N_("Name")}, {"birth_date", N_("Born")}, {"cpr", N_("CPR number")},
	{"gender", N_("Gender")}, {"home_kommune", N_("Home municipality")},
	{"income", N_("Income")}, {"debt_rki", N_("Registered as bad payer (RKI)")},
	{"debt_total", N_("Debt in all")}, {"debt_counselling", N_("Debt counselling")},
	{"mental_health", N_("Mental health")}, {"physical_health", N_("Physical health")},
	{"prison_history", N_("Prison")}, {"hospital_history", N_("Hospital")},
	{"network", N_("Network")}, {"work", N_("Work")}, {"consent", N_("Consent to share")},
	{"alert_safety", N_("Safety")}, {"alert_medical", N_("Medical")},
	{"alert_contact", N_("Who to call")}, {"ban_until", N_("House ban until")},
	{"arrival", N_("Arrival")}, {"departure", N_("Departure")}, {"room", N_("Room")},
	{"acting_kommune", N_("Acting municipality")},
	{"paying_kommune", N_("Paying municipality")}, {"previous_living", N_("Came from")},
	{"notified_at", N_("Municipality notified")}, {"assessed_at", N_("Assessed")},
	{"plan_at", N_("Action plan")}, {"ready_at", N_("Ready to move")},
	{"move_in_date", N_("Move-in date")}, {"support_method", N_("Support")},
	{"destination", N_("Moved to")}, {"status", N_("Status")}, {"body", N_("Note")},
	{"notified_how", N_("Notified how")}, {"support_granted_at", N_("Support granted")},
	{"support_start", N_("Support starts")}, {"departure_note", N_("Note on leaving")},
	{"causes_other", N_("Other cause")}, {"consent_date", N_("Consent given")},
	{"date", N_("Date")}, {"responsible", N_("Responsible")},
	{"responsible_name", N_("Responsible, name")}, {"note", N_("Note")},
	{"value", N_("Answer")}, {"treatment", N_("In treatment")}, {"state", N_("State")},
	{"erased_at", N_("Erased")}, {"erased_by", N_("Erased by")},
};

const char *field_label(const char *field)
{
	for (size_t i = 0; i < ARRAY_SIZE(field_labels); i++)
		if (str_eq(field_labels[i].field, field))
			return _(field_labels[i].label);
	return field;
}

int field_structural(const char *field)
{
	static const char *const fields[] = {"resident_id", "stay_id", "kind", "list",
					     "code",	    "item",    "step", "thing"};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (str_eq(fields[i], field))
			return 1;
	return 0;
}

/* Fields whose values are codes of a list. */
static const struct {
	const char *field;
	const struct choice_list *list;
} field_lists[] = {
	{"gender", &list_genders},	    {"income", &list_incomes},
	{"previous_living", &list_living},  {"destination", &list_destinations},
	{"support_method", &list_support},  {"consent", &list_consent},
	{"status", &list_status},	    {"responsible", &list_responsible},
	{"state", &list_furniture_states}, {"value", &list_misuse_values},
};

char *kommune_in_words(const char *code)
{
	const struct kommune *k = kommune_by_code(code);
	if (!code)
		return xstrdup("");
	if (!k)
		return xstrdup(code);
	return k->population ? xasprintf("%s (%s)", _(k->name), k->code) : xstrdup(_(k->name));
}

static int is_flag(const char *field)
{
	return str_eq(field, "debt_rki") || str_eq(field, "debt_counselling") ||
	       str_eq(field, "treatment");
}

/* A date or a local date and time the Danish way; NULL when value is neither. */
static char *date_text(const char *value)
{
	char d[DATE_LEN];
	size_t len = strlen(value);
	if (len != 10 && !(len == 16 && value[10] == ' '))
		return NULL;
	date_iso_to_dk(value, d);
	if (!d[0])
		return NULL;
	return len == 10 ? xstrdup(d) : xasprintf("%s %s", d, value + 11);
}

char *field_value_text(const char *field, const char *value, enum cpr_shown cpr)
{
	char buf[12];
	if (!value)
		return xstrdup("-");
	if (str_eq(field, "cpr")) {
		if (cpr == CPR_MASKED) {
			cpr_mask(value, buf); /* never a whole CPR number on screen */
			return xstrdup(buf);
		}
		cpr_format(value, buf);
		return xstrdup(str_eq(buf, "XXXXXX-XXXX") ? value : buf); /* malformed: as stored */
	}
	if (str_eq(field, "value") && str_eq(value, "yes"))
		return xstrdup(_("yes")); /* causes and debts; misuse has a list of its own */
	if (strstr(field, "kommune"))
		return kommune_in_words(value);
	for (size_t i = 0; i < ARRAY_SIZE(field_lists); i++)
		if (str_eq(field, field_lists[i].field))
			return xstrdup(choice_label(field_lists[i].list, value));
	if (is_flag(field))
		return xstrdup(str_eq(value, "1") ? _("yes") : _("no"));
	char *date = date_text(value);
	return date ? date : xstrdup(value);
}

/* Which step, answer or thing a child record is, from the code its id ends with (the code
 * itself when this version has no label for it); NULL for other records. */
static const char *history_which(const char *tbl, const char *code)
{
	if (str_eq(tbl, "checklist_step"))
		return step_by_code(code) ? step_label(step_by_code(code)) : code;
	if (str_eq(tbl, "furniture"))
		return choice_label(&list_furniture, code);
	if (!str_eq(tbl, "answer"))
		return NULL;
	const struct choice_list *lists[] = {&list_causes, &list_substances, &list_debts};
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		const char *l = choice_label(lists[i], code);
		if (l != code)
			return l;
	}
	return code;
}

char *field_change_subject(const char *tbl, const char *row_id, const char *field)
{
	const char *label = field_label(field);
	const char *slash = row_id ? strrchr(row_id, '/') : NULL;
	const char *which = slash ? history_which(tbl, slash + 1) : NULL;
	if (str_eq(tbl, "note"))
		return xstrdup(_("Note"));
	return which ? xasprintf("%s: %s", which, label) : xstrdup(label);
}
