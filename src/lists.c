#include "lists.h"

#include "i18n.h"
#include "util.h"

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

LIST(list_destinations, "destination",
     {"own_home", N_("Own home")},
     {"supported_housing", N_("Supported housing")},
     {"shelter", N_("Another shelter")},
     {"family", N_("Family or friends")},
     {"hospital", N_("Hospital or treatment")},
     {"prison", N_("Prison")},
     {"street", N_("Street")},
     {"died", N_("Died")},
     {"unknown", N_("Unknown")});

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

const char *choice_label(const struct choice_list *list, const char *code)
{
	if (!code)
		return "";
	for (size_t i = 0; i < list->n; i++)
		if (str_eq(list->items[i].code, code))
			return _(list->items[i].label);
	return code;
}

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

const struct step_def *step_by_code(const char *code)
{
	for (size_t i = 0; i < checklist_steps_count; i++)
		if (str_eq(checklist_steps[i].code, code))
			return &checklist_steps[i];
	return NULL;
}
