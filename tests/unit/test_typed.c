/* What staff type: dates the Danish way and municipalities by a few letters. */
#include "unit.h"

#include "datetyped.h"
#include "kommune.h"

#include <string.h>

#define TODAY "2026-11-25"

static void expect_date(const char *typed, int past_only, const char *want)
{
	char out[DATE_LEN];
	enum date_typed_error e = date_parse_typed(typed, TODAY, past_only, out);
	if (e != DATE_OK || strcmp(out, want) != 0)
		fail_msg("'%s' gave %d '%s', expected %s", typed, (int)e, out, want);
}

static void test_dates(void **state)
{
	(void)state;
	expect_date("24-11-2026", 0, "2026-11-24");
	expect_date("24.11.2026", 0, "2026-11-24");
	expect_date("24/11/26", 0, "2026-11-24");
	expect_date("24112026", 0, "2026-11-24");
	expect_date("241126", 0, "2026-11-24");
	expect_date("24-11", 0, "2026-11-24");
	expect_date("1-2-2026", 0, "2026-02-01");
	expect_date("2026-11-24", 0, "2026-11-24");
	expect_date("i dag", 0, TODAY);
	expect_date("  I DAG ", 0, TODAY);
	expect_date("idag", 0, TODAY);
	expect_date("i går", 0, "2026-11-24");
	expect_date("igår", 0, "2026-11-24");
	expect_date("i morgen", 0, "2026-11-26");
	expect_date("+14", 0, "2026-12-09");
	expect_date("-30", 0, "2026-10-26");
	expect_date("29-02-2024", 0, "2024-02-29");
	/* Two-digit years of birth dates are never in the future. */
	expect_date("12-03-81", 1, "1981-03-12");
	expect_date("120381", 1, "1981-03-12");
	expect_date("01-01-26", 1, "2026-01-01");
	expect_date("01-01-27", 1, "1927-01-01");
}

static void test_bad_dates(void **state)
{
	(void)state;
	char out[DATE_LEN];
	assert_int_equal(date_parse_typed("", TODAY, 0, out), DATE_EMPTY);
	assert_int_equal(date_parse_typed("   ", TODAY, 0, out), DATE_EMPTY);
	assert_int_equal(date_parse_typed("31-02-2026", TODAY, 0, out), DATE_NOT_REAL);
	assert_int_equal(date_parse_typed("29-02-2026", TODAY, 0, out), DATE_NOT_REAL);
	assert_int_equal(date_parse_typed("32-01-2026", TODAY, 0, out), DATE_NOT_REAL);
	assert_int_equal(date_parse_typed("abc", TODAY, 0, out), DATE_FORMAT);
	assert_int_equal(date_parse_typed("24-11-2026x", TODAY, 0, out), DATE_FORMAT);
	assert_int_equal(date_parse_typed("1234567", TODAY, 0, out), DATE_FORMAT);
	assert_int_equal(date_parse_typed("24--11", TODAY, 0, out), DATE_FORMAT);
}

static void expect_kommune(const char *typed, const char *code)
{
	const struct kommune *k[5];
	size_t n = kommune_search(typed, k, 5);
	if (n == 0 || strcmp(k[0]->code, code) != 0)
		fail_msg("'%s' found %s first, expected %s", typed, n ? k[0]->code : "nothing",
			 code);
}

static void test_kommune_search(void **state)
{
	(void)state;
	assert_int_equal(kommuner_count, 102);
	expect_kommune("hels", "217");     /* Helsingør */
	expect_kommune("Helsingør", "217");
	expect_kommune("helsingoer", "217");
	expect_kommune("kbh", "101");      /* København */
	expect_kommune("københavn", "101");
	expect_kommune("aarhus", "751");
	expect_kommune("århus", "751");
	expect_kommune("Aarhus", "751");
	expect_kommune("217", "217");
	expect_kommune("0217", "217");
	expect_kommune("ukendt", "none");
	expect_kommune("uden fast", "none");
	expect_kommune("grønland", "greenland");
	const struct kommune *k[5];
	assert_int_equal(kommune_search("xyzzy", k, 5), 0);
	assert_int_equal(kommune_search("", k, 5), 0);
	assert_non_null(kommune_by_code("101"));
	assert_null(kommune_by_code("999"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_kommune_search),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
