/* The answer lists and the move-out checklist: the defaults, and what husly.conf renames, adds,
 * hides and reorders; stored codes always keep a readable label. */
#include "unit.h"

#include <locale.h>

#include "config.h"
#include "lists.h"

static int setup(void **state)
{
	lists_reset();
	return unit_setup_tmpdir(state);
}

static int teardown(void **state)
{
	lists_reset();
	return unit_teardown_tmpdir(state);
}

/* Loading content must fail at line of husly.conf with a message holding every word. */
static void refused_at(const char *dir, const char *content, int line, ...)
{
	char *path = unit_path(dir, "husly.conf");
	unit_write_file(path, content);
	struct config c;
	char *err = NULL;
	if (config_load(&c, path, &err) == 0) {
		config_free(&c);
		fail_msg("accepted:\n%s", content);
	}
	char *prefix = xasprintf("%s:%d: ", path, line);
	assert_starts_with(err, prefix);
	va_list ap;
	va_start(ap, line);
	const char *word;
	while ((word = va_arg(ap, const char *)) != NULL)
		assert_contains(err, word);
	va_end(ap);
	free(prefix);
	free(err);
	free(path);
}

/* The offered codes of list, joined by spaces. */
static char *offered(const struct choice_list *list)
{
	const struct choice *out[64];
	size_t n = choice_offered(list, out, ARRAY_SIZE(out));
	assert_true(n <= ARRAY_SIZE(out));
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", out[i]->code);
	return sb.buf;
}

/* The visible steps of item (all: known steps too), joined by spaces. */
static char *steps_of(const char *item, int all)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	size_t n = all ? checklist_known_count() : checklist_step_count();
	for (size_t i = 0; i < n; i++) {
		const struct step_def *d = all ? checklist_known_at(i) : checklist_step_at(i);
		assert_non_null(d);
		if (str_eq(d->item, item))
			sb_addf(&sb, "%s%s", sb.len ? " " : "", d->code);
	}
	return sb.buf;
}

#define assert_text(expr, expected)                                                             \
	do {                                                                                    \
		char *t_ = (expr);                                                              \
		assert_string_equal(t_, expected);                                              \
		free(t_);                                                                       \
	} while (0)

/* --- the defaults ------------------------------------------------------------------------ */

static void test_defaults(void **state)
{
	(void)state;
	assert_string_equal(choice_label(&list_causes, "eviction"), "Eviction");
	assert_string_equal(choice_label(&list_causes, "no_such_code"), "no_such_code");
	assert_string_equal(choice_label(&list_causes, NULL), "");
	assert_null(choice_find(&list_causes, "gambling"));
	assert_non_null(choice_find(&list_causes, "arrival"));
	assert_false(choice_hidden(&list_causes, "arrival"));
	/* Every default entry is offered, in order. */
	const struct choice *out[64];
	assert_int_equal(choice_offered(&list_causes, out, ARRAY_SIZE(out)), list_causes.n);
	for (size_t i = 0; i < list_causes.n; i++)
		assert_ptr_equal(out[i], &list_causes.items[i]);
	/* Counting only; a short array gets the first ones. */
	assert_int_equal(choice_offered(&list_substances, NULL, 0), list_substances.n);
	assert_int_equal(choice_offered(&list_substances, out, 2), list_substances.n);
	assert_string_equal(out[1]->code, "cannabis");
	/* The checklist as always. */
	assert_int_equal(checklist_step_count(), checklist_steps_count);
	assert_int_equal(checklist_known_count(), checklist_steps_count);
	for (size_t i = 0; i < checklist_steps_count; i++)
		assert_ptr_equal(checklist_step_at(i), &checklist_steps[i]);
	assert_null(checklist_step_at(checklist_steps_count));
	assert_ptr_equal(step_by_code("housing_lease"), &checklist_steps[7]);
	assert_null(step_by_code("housing_keys"));
	assert_string_equal(step_label(step_by_code("housing_lease")), "Lease signed");
	assert_string_equal(step_label(NULL), "");
	assert_false(step_hidden("housing_viewing"));
	/* The lists husly.conf may change. */
	assert_int_equal(configurable_lists_count, 7);
	assert_ptr_equal(list_configurable("cause"), &list_causes);
	assert_ptr_equal(list_configurable("substance"), &list_substances);
	assert_ptr_equal(list_configurable("debt"), &list_debts);
	assert_ptr_equal(list_configurable("income"), &list_incomes);
	assert_ptr_equal(list_configurable("living"), &list_living);
	assert_ptr_equal(list_configurable("furniture"), &list_furniture);
	assert_ptr_equal(list_configurable("destination"), &list_destinations);
	assert_null(list_configurable("gender"));
	assert_null(list_configurable(NULL));
}

static void test_destinations(void **state)
{
	(void)state;
	assert_text(offered(&list_destinations),
		    "own_home_support own_home supported_housing shelter treatment hospital prison "
		    "family street unknown died");
	assert_string_equal(choice_label(&list_destinations, "own_home"), "Own home without support");
	assert_string_equal(choice_label(&list_destinations, "own_home_support"),
			    "Own home with support");
	assert_string_equal(choice_label(&list_destinations, "supported_housing"),
			    "Supported housing (botilbud)");
	assert_string_equal(choice_label(&list_destinations, "treatment"), "Treatment");
	assert_string_equal(choice_label(&list_destinations, "family"), "Family or friends");
}

/* An empty configuration changes nothing. */
static void test_nothing_configured(void **state)
{
	unit_configure(*state, "shelter = \"Herberget\"\n");
	const struct choice *out[64];
	assert_int_equal(choice_offered(&list_causes, out, ARRAY_SIZE(out)), list_causes.n);
	assert_ptr_equal(out[0], &list_causes.items[0]);
	assert_ptr_equal(checklist_step_at(0), &checklist_steps[0]);
	assert_int_equal(checklist_step_count(), checklist_steps_count);
}

/* --- the answer lists -------------------------------------------------------------------- */

static void test_rename_add_hide(void **state)
{
	unit_configure(*state, "list cause {\n"
			  "    entry eviction { label = \"Udsat af boligselskab\" }\n"
			  "    entry gambling { label = \"Ludomani\" }\n"
			  "    entry arrival  { hidden = true }\n"
			  "}\n");
	/* Renamed: shown as written, not translated. */
	assert_string_equal(choice_label(&list_causes, "eviction"), "Udsat af boligselskab");
	/* Added: offered before the catch-all "other", which stays last. */
	assert_string_equal(choice_label(&list_causes, "gambling"), "Ludomani");
	assert_text(offered(&list_causes),
		    "eviction rent_arrears breakup family_conflict misuse mental_illness economy "
		    "prison_release hospital_discharge no_housing cannot_manage violence gambling "
		    "other");
	/* Hidden: no longer offered, but a stored value still reads as before. */
	assert_true(choice_hidden(&list_causes, "arrival"));
	assert_string_equal(choice_label(&list_causes, "arrival"),
			    "Arrival from abroad or another municipality");
	assert_non_null(choice_find(&list_causes, "arrival"));
	/* A stored code no list knows still shows, as itself. */
	assert_string_equal(choice_label(&list_causes, "old_code"), "old_code");
	/* Other lists are untouched. */
	assert_int_equal(choice_offered(&list_debts, NULL, 0), list_debts.n);
	assert_string_equal(choice_label(&list_debts, "public"),
			    "Public debt (tax, fines, child support)");
	/* Found entries are the configured ones. */
	const struct choice *g = choice_find(&list_causes, "gambling");
	assert_non_null(g);
	assert_string_equal(g->label, "Ludomani");
}

static void test_every_list_and_no_other(void **state)
{
	unit_configure(*state, "list substance { entry nicotine { label = \"Nikotin\" } }\n"
			  "list debt { entry sms_loans { label = \"SMS-laan\" }\n"
			  "  entry utilities { hidden = yes } }\n"
			  "list income { entry none { label = \"Ingen indtaegt\" } }\n"
			  "list living { entry camper { label = \"Campingvogn\" } }\n"
			  "list destination { entry abroad { label = \"Udlandet\" }\n"
			  "  entry own_home { label = \"Egen bolig (uden stoette)\" } }\n");
	/* substance has an "other": new entries go before it. */
	assert_text(offered(&list_substances),
		    "alcohol cannabis opioids cocaine amphetamine benzodiazepines nicotine other");
	/* debt has none: at the end. */
	assert_text(offered(&list_debts), "rent_arrears public consumer sms_loans");
	assert_string_equal(choice_label(&list_debts, "utilities"), "Utilities");
	assert_string_equal(choice_label(&list_incomes, "none"), "Ingen indtaegt");
	assert_string_equal(choice_label(&list_living, "camper"), "Campingvogn");
	assert_string_equal(choice_label(&list_destinations, "abroad"), "Udlandet");
	assert_string_equal(choice_label(&list_destinations, "own_home"),
			    "Egen bolig (uden stoette)");
	assert_string_equal(choice_label(&list_destinations, "supported_housing"),
			    "Supported housing (botilbud)");
}

static void test_later_entry_wins(void **state)
{
	/* Two sections of one list both count; the same entry again changes the keys it sets. */
	unit_configure(*state, "list cause {\n"
			  "  entry eviction { label = \"Udsat\" }\n"
			  "  entry gambling { label = \"Spil\" }\n"
			  "}\n"
			  "list cause {\n"
			  "  entry gambling { label = \"Ludomani\" }\n"
			  "  entry eviction { hidden = true }\n"
			  "}\n");
	assert_string_equal(choice_label(&list_causes, "gambling"), "Ludomani");
	/* The label stays, and it is hidden now. */
	assert_string_equal(choice_label(&list_causes, "eviction"), "Udsat");
	assert_true(choice_hidden(&list_causes, "eviction"));
	assert_text(offered(&list_causes),
		    "rent_arrears breakup family_conflict misuse mental_illness economy "
		    "prison_release hospital_discharge no_housing cannot_manage violence arrival "
		    "gambling other");
}

static void test_reconfigure_and_reset(void **state)
{
	unit_configure(*state, "list cause { entry gambling { label = \"Ludomani\" } }\n");
	assert_non_null(choice_find(&list_causes, "gambling"));
	/* A new configuration replaces the old one entirely. */
	unit_configure(*state, "list debt { entry sms { label = \"SMS\" } }\n");
	assert_null(choice_find(&list_causes, "gambling"));
	assert_string_equal(choice_label(&list_causes, "gambling"), "gambling");
	assert_non_null(choice_find(&list_debts, "sms"));
	lists_reset();
	assert_null(choice_find(&list_debts, "sms"));
	assert_int_equal(choice_offered(&list_debts, NULL, 0), list_debts.n);
}

/* --- the checklist ----------------------------------------------------------------------- */

static void test_checklist_hide_add_after(void **state)
{
	unit_configure(*state,
		  "checklist {\n"
		  "    step housing_viewing { hidden = true }\n"
		  "    step housing_keys { item = \"housing\" label = \"Noegler udleveret\"\n"
		  "                        after = \"housing_lease\" }\n"
		  "    step income_granted { label = \"Bevilget af jobcentret\" }\n"
		  "    step support_followup { item = \"support\" label = \"Opfoelgning\" }\n"
		  "}\n");
	assert_text(steps_of("housing", 0),
		    "housing_registered housing_offer housing_lease housing_keys housing_deposit "
		    "housing_move_in housing_address");
	/* The hidden step is still known, in its place, with its label: its data is kept. */
	assert_text(steps_of("housing", 1),
		    "housing_registered housing_offer housing_viewing housing_lease housing_keys "
		    "housing_deposit housing_move_in housing_address");
	assert_true(step_hidden("housing_viewing"));
	const struct step_def *v = step_by_code("housing_viewing");
	assert_non_null(v);
	assert_string_equal(step_label(v), "Viewing");
	/* Added. */
	const struct step_def *k = step_by_code("housing_keys");
	assert_non_null(k);
	assert_string_equal(k->item, "housing");
	assert_string_equal(step_label(k), "Noegler udleveret");
	assert_false(step_hidden("housing_keys"));
	/* Renamed, also when asked through the defaults array. */
	assert_string_equal(step_label(step_by_code("income_granted")), "Bevilget af jobcentret");
	assert_string_equal(step_label(&checklist_steps[2]), "Bevilget af jobcentret");
	/* A new step without after: last of its item. */
	assert_text(steps_of("support", 0),
		    "support_applied support_granted support_started support_followup");
	/* Counts: 17 defaults + 2 new, 1 hidden. */
	assert_int_equal(checklist_known_count(), checklist_steps_count + 2);
	assert_int_equal(checklist_step_count(), checklist_steps_count + 1);
	assert_null(checklist_step_at(checklist_step_count()));
	assert_null(checklist_known_at(checklist_known_count()));
	/* Grouped by item in list_items' order. */
	assert_string_equal(checklist_step_at(0)->item, "income");
	assert_string_equal(checklist_step_at(checklist_step_count() - 1)->code,
			    "support_followup");
	/* The defaults array itself is unchanged (the demo uses it). */
	assert_string_equal(checklist_steps[6].code, "housing_viewing");
	assert_int_equal(checklist_steps_count, 17);
}

static void test_checklist_order(void **state)
{
	/* A partial order: named steps first within their item, the rest after, as before. */
	unit_configure(*state, "checklist {\n"
			  "  order = { \"income_applied\", \"furniture_delivered\",\n"
			  "            \"income_clarified\" }\n"
			  "}\n");
	assert_text(steps_of("income", 0),
		    "income_applied income_clarified income_granted income_paid");
	assert_text(steps_of("furniture", 0),
		    "furniture_delivered furniture_applied furniture_granted");
	assert_string_equal(checklist_step_at(0)->code, "income_applied");
	/* A full order, with a new step in it; order wins over after. */
	unit_configure(*state,
		  "checklist {\n"
		  "  step support_contact { item = \"support\" label = \"Kontaktperson\"\n"
		  "                         after = \"support_started\" }\n"
		  "  order = { \"income_paid\", \"income_granted\", \"income_applied\",\n"
		  "    \"income_clarified\", \"housing_address\", \"housing_move_in\",\n"
		  "    \"housing_deposit\", \"housing_lease\", \"housing_viewing\",\n"
		  "    \"housing_offer\", \"housing_registered\", \"furniture_delivered\",\n"
		  "    \"furniture_granted\", \"furniture_applied\", \"support_contact\",\n"
		  "    \"support_started\", \"support_granted\", \"support_applied\" }\n"
		  "}\n");
	assert_text(steps_of("income", 0),
		    "income_paid income_granted income_applied income_clarified");
	assert_text(steps_of("support", 0),
		    "support_contact support_started support_granted support_applied");
	assert_int_equal(checklist_step_count(), 18);
}

static void test_step_given_twice(void **state)
{
	unit_configure(*state, "checklist {\n"
			  "  step housing_keys { item = \"housing\" label = \"Noegler\" }\n"
			  "}\n"
			  "checklist {\n"
			  "  step housing_keys { hidden = true }\n"
			  "  step housing_viewing { hidden = true }\n"
			  "  step housing_viewing { hidden = false label = \"Fremvisning\" }\n"
			  "}\n");
	assert_true(step_hidden("housing_keys"));
	assert_string_equal(step_label(step_by_code("housing_keys")), "Noegler");
	assert_false(step_hidden("housing_viewing"));
	assert_string_equal(step_label(step_by_code("housing_viewing")), "Fremvisning");
}

static void test_checklist_after_moves_default_step(void **state)
{
	unit_configure(*state, "checklist {\n"
			  "  step housing_deposit { after = \"housing_registered\" }\n"
			  "  step housing_address { after = \"housing_offer\" hidden = false }\n"
			  "}\n");
	assert_text(steps_of("housing", 0),
		    "housing_registered housing_deposit housing_offer housing_address "
		    "housing_viewing housing_lease housing_move_in");
}

/* --- mistakes, with the line to fix ------------------------------------------------------ */

static void test_checklist_errors(void **state)
{
	const char *dir = *state;
	refused_at(dir,
		   "checklist {\n"
		   "  step housing_keys { item = \"housing\" label = \"Noegler\"\n"
		   "    after = \"housing_leese\" }\n"
		   "}\n",
		   2, "housing_keys", "housing_leese", NULL);
	refused_at(dir,
		   "checklist {\n"
		   "\n"
		   "  step housing_keys { item = \"housing\" label = \"Noegler\"\n"
		   "                      after = \"income_paid\" }\n"
		   "}\n",
		   3, "housing_keys", "income_paid", "item", NULL);
	refused_at(dir, "checklist {\n  step income_paid { after = \"income_paid\" }\n}\n", 2,
		   "itself", NULL);
	/* A step added, then changed: the message points at the later section. */
	refused_at(dir,
		   "checklist {\n"
		   "  step housing_keys { item = \"housing\" label = \"Noegler\" }\n"
		   "  step housing_keys { after = \"income_paid\" }\n"
		   "}\n",
		   3, "housing_keys", "income_paid", NULL);
	/* A step the checklist does not have, with no item: a typo, most likely. */
	refused_at(dir, "checklist {\n  step housing_veiwing { hidden = true }\n}\n", 2,
		   "housing_veiwing", "item", NULL);
	refused_at(dir, "checklist {\n  step housing_keys { item = \"housing\" }\n}\n", 2,
		   "housing_keys", "label", NULL);
	refused_at(dir, "checklist {\n  step income_paid { item = \"housing\" }\n}\n", 2,
		   "income_paid", "income", NULL);
	refused_at(dir,
		   "checklist {\n"
		   "  step housing_keys { item = \"housing\" label = \"Noegler\" }\n"
		   "  order = { \"income_paid\",\n"
		   "            \"housing_kyes\" }\n"
		   "}\n",
		   3, "order", "housing_kyes", NULL);
	refused_at(dir, "\n\nchecklist { order = { \"income_paid\", \"income_paid\" } }\n", 3,
		   "income_paid", "twice", NULL);
}

static void test_entry_errors(void **state)
{
	/* Hiding an entry the list does not have: a typo, most likely. */
	refused_at(*state, "list cause {\n  entry arival { hidden = true }\n}\n", 2, "arival",
		   "label", NULL);
}

/* A failed lists_configure leaves the lists as they were. */
static void test_configure_failure_keeps_lists(void **state)
{
	unit_configure(*state, "list cause { entry gambling { label = \"Ludomani\" } }\n");
	struct config c;
	memset(&c, 0, sizeof(c));
	struct step_conf bad = {"new_step", NULL, NULL, NULL, 0, "test:1"};
	c.steps = &bad;
	c.nsteps = 1;
	char *err = NULL;
	assert_int_equal(lists_configure(&c, &err), -1);
	assert_starts_with(err, "test:1: ");
	free(err);
	assert_int_equal(lists_check(&c, NULL), -1);
	assert_string_equal(choice_label(&list_causes, "gambling"), "Ludomani");
	assert_int_equal(checklist_step_count(), checklist_steps_count);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	unit_pin_english();
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_destinations),
		T(test_nothing_configured),
		T(test_rename_add_hide),
		T(test_every_list_and_no_other),
		T(test_later_entry_wins),
		T(test_reconfigure_and_reset),
		T(test_checklist_hide_add_after),
		T(test_checklist_order),
		T(test_step_given_twice),
		T(test_checklist_after_moves_default_step),
		T(test_checklist_errors),
		T(test_entry_errors),
		T(test_configure_failure_keeps_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
