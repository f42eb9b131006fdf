/* The rules: CPR numbers, Danish public holidays, the § 110 notification deadline and the
 * warnings of a list row. Every date here was worked out by hand from a calendar. */
#include "unit.h"

#include "model.h"

/* --- CPR ---------------------------------------------------------------------------------- */

static void cpr_valid(const char *cpr, const char *birth)
{
	char got[DATE_LEN] = "unset";
	if (!cpr_is_valid(cpr, got))
		fail_msg("CPR %s should be valid", cpr);
	if (strcmp(got, birth) != 0)
		fail_msg("CPR %s: birth %s, expected %s", cpr, got, birth);
}

static void cpr_invalid(const char *cpr)
{
	if (cpr_is_valid(cpr, NULL))
		fail_msg("CPR \"%s\" should be invalid", cpr ? cpr : "(null)");
}

static void test_cpr_valid(void **state)
{
	(void)state;
	cpr_valid("010190-1234", "1990-01-01");
	cpr_valid("0101901234", "1990-01-01"); /* the dash is optional */
	cpr_valid("311299-3999", "1999-12-31");
	/* 7th digit 4 or 9: 00-36 in the 2000s, 37-99 in the 1900s. */
	cpr_valid("290200-4123", "2000-02-29"); /* 2000 was a leap year */
	cpr_valid("010136-4000", "2036-01-01");
	cpr_valid("010137-4000", "1937-01-01");
	cpr_valid("150536-9000", "2036-05-15");
	cpr_valid("150537-9000", "1937-05-15");
	/* 7th digit 5-8: 00-57 in the 2000s, 58-99 in the 1800s. */
	cpr_valid("010157-5000", "2057-01-01");
	cpr_valid("010158-8000", "1858-01-01");
	cpr_valid("290296-0000", "1996-02-29");
	char masked[12];
	cpr_mask("010190-1234", masked);
	assert_string_equal(masked, "010190-XXXX");
}

static void test_cpr_invalid(void **state)
{
	(void)state;
	cpr_invalid("300290-1234"); /* no 30 February */
	cpr_invalid("290201-4123"); /* 2001 was not a leap year */
	cpr_invalid("290200-1123"); /* 1900 was not a leap year */
	cpr_invalid("320190-1234");
	cpr_invalid("011390-1234");
	cpr_invalid("000190-1234");
	cpr_invalid("010190-123");  /* 9 digits */
	cpr_invalid("010190-12345");
	cpr_invalid("01019-01234"); /* dash in the wrong place */
	cpr_invalid("010190--1234");
	cpr_invalid("010190 1234");
	cpr_invalid("01019a-1234");
	cpr_invalid("");
	cpr_invalid(NULL);
}

static void test_cpr_mask(void **state)
{
	(void)state;
	char out[12];
	cpr_mask("0101901234", out);
	assert_string_equal(out, "010190-XXXX");
	cpr_mask("290200-4123", out);
	assert_string_equal(out, "290200-XXXX");
	cpr_mask("not a cpr", out);
	assert_string_equal(out, "XXXXXX-XXXX");
	cpr_mask(NULL, out);
	assert_string_equal(out, "XXXXXX-XXXX");
}

/* --- holidays and the notification deadline ------------------------------------------------ */

static void test_holidays_2026(void **state)
{
	(void)state;
	/* Easter Sunday 2026 is 5 April. */
	const char *holidays[] = {
		"2026-01-01",			      /* New Year */
		"2026-04-02",			      /* Maundy Thursday */
		"2026-04-03",			      /* Good Friday */
		"2026-04-05",			      /* Easter Sunday */
		"2026-04-06",			      /* Easter Monday */
		"2026-05-14",			      /* Ascension Day */
		"2026-05-24",			      /* Whit Sunday */
		"2026-05-25",			      /* Whit Monday */
		"2026-06-05",			      /* Constitution Day */
		"2026-12-24", "2026-12-25", "2026-12-26", /* Christmas */
		"2023-05-05",			      /* Great Prayer Day, before it was abolished */
		"2027-03-25", "2027-03-29", "2027-05-06", /* Easter 2027 is 28 March */
	};
	const char *workdays[] = {
		"2026-05-01", /* Great Prayer Day would be 1 May 2026: abolished from 2024 */
		"2026-04-01", "2026-04-04", "2026-04-07", "2026-05-13", "2026-05-15", "2026-05-26",
		"2026-06-04", "2026-12-23", "2026-12-27", "2026-12-31", "2026-11-25", "2024-04-26",
	};
	for (size_t i = 0; i < ARRAY_SIZE(holidays); i++)
		if (!is_danish_holiday(holidays[i]))
			fail_msg("%s should be a holiday", holidays[i]);
	for (size_t i = 0; i < ARRAY_SIZE(workdays); i++)
		if (is_danish_holiday(workdays[i]))
			fail_msg("%s should not be a holiday", workdays[i]);
	assert_false(is_danish_holiday("not a date"));
	assert_false(is_danish_holiday(""));
	assert_false(is_danish_holiday(NULL));
}

static void deadline_is(const char *arrival, const char *expect)
{
	char out[DATE_LEN] = "unset";
	notify_deadline(arrival, out);
	if (strcmp(out, expect) != 0)
		fail_msg("arrival %s: deadline %s, expected %s", arrival ? arrival : "(null)", out,
			 expect);
}

static void test_notify_deadline(void **state)
{
	(void)state;
	/* Friday: Monday, Tuesday, Wednesday. */
	deadline_is("2026-11-20 14:00", "2026-11-25");
	/* Saturday and Sunday (even a minute to midnight): the same three days. */
	deadline_is("2026-11-21 09:00", "2026-11-25");
	deadline_is("2026-11-22 23:59", "2026-11-25");
	/* Monday: Tuesday to Thursday. */
	deadline_is("2026-11-23 02:14", "2026-11-26");
	/* Wednesday 23 December: 24, 25, 26 December and the weekend are skipped, then Monday 28,
	 * Tuesday 29, Wednesday 30. */
	deadline_is("2026-12-23 10:00", "2026-12-30");
	/* Wednesday 30 December: Thursday 31 (a working day), New Year's Day skipped, weekend,
	 * Monday 4 and Tuesday 5 January. */
	deadline_is("2026-12-30 22:00", "2027-01-05");
	/* Easter: Wednesday 1 April; 2, 3 (holidays), 4, 5 (weekend), 6 (Easter Monday) skipped. */
	deadline_is("2026-04-01 12:00", "2026-04-09");
	/* Ascension Day Thursday 14 May: Friday 15, Monday 18, Tuesday 19. */
	deadline_is("2026-05-13 12:00", "2026-05-19");
	/* Whit Monday 25 May: Tuesday 26, Wednesday 27, Thursday 28. */
	deadline_is("2026-05-22 12:00", "2026-05-28");
	/* Constitution Day Friday 5 June. */
	deadline_is("2026-06-04 12:00", "2026-06-10");
	/* 1 May 2026 is a working day (Great Prayer Day is gone) ... */
	deadline_is("2026-04-30 12:00", "2026-05-05");
	/* ... but Great Prayer Day 5 May 2023 was not. */
	deadline_is("2023-05-04 12:00", "2023-05-10");
	/* Nonsense in, nothing out. */
	deadline_is("yesterday", "");
	deadline_is("", "");
	deadline_is(NULL, "");
	deadline_is("2026-02-30 10:00", "");
}

/* --- row warnings ------------------------------------------------------------------------ */

#define TODAY "2026-11-25"

/* A present resident who arrived yesterday and is fully in order. */
static struct list_row fresh_row(void)
{
	struct list_row r;
	memset(&r, 0, sizeof(r));
	strlcpy_trunc(r.id, "k3m9qx2t7bvr", ID_LEN);
	r.name = "Søren Ærø";
	r.room = "12";
	r.arrival = "2026-11-24 10:00";
	return r;
}

static void warns(const struct list_row *r, const char *today, unsigned expect)
{
	unsigned w = row_warnings(r, today);
	if (w != expect)
		fail_msg("arrival %s today %s: warnings 0x%x, expected 0x%x",
			 r->arrival ? r->arrival : "-", today, w, expect);
}

static void test_warn_not_notified(void **state)
{
	(void)state;
	struct list_row r = fresh_row();
	r.arrival = "2026-11-20 14:00"; /* Friday: deadline Wednesday 25 November */
	warns(&r, "2026-11-24", 0);
	warns(&r, "2026-11-25", 0); /* on the deadline day there is still time */
	warns(&r, "2026-11-26", WARN_NOT_NOTIFIED);
	r.notified_at = "2026-11-26";
	warns(&r, "2026-11-26", 0);
	/* Christmas: arrived 23 December, deadline 30 December. */
	r = fresh_row();
	r.arrival = "2026-12-23 10:00";
	warns(&r, "2026-12-29", 0);
	warns(&r, "2026-12-30", 0);
	warns(&r, "2026-12-31", WARN_NOT_NOTIFIED);
}

static void test_warn_not_assessed(void **state)
{
	(void)state;
	struct list_row r = fresh_row();
	r.notified_at = "2026-10-15";
	r.arrival = "2026-10-15 09:00"; /* 41 days before 25 November */
	warns(&r, TODAY, 0);
	r.arrival = "2026-10-14 09:00"; /* 42 days: six weeks */
	warns(&r, TODAY, WARN_NOT_ASSESSED);
	r.assessed_at = "2026-11-01";
	warns(&r, TODAY, 0);
}

static void test_warn_ready_long(void **state)
{
	(void)state;
	struct list_row r = fresh_row();
	r.arrival = "2026-03-02 11:00";
	r.notified_at = "2026-03-03";
	r.assessed_at = "2026-03-20";
	r.housing_registered = 1;
	r.ready_at = "2026-07-28"; /* 120 days before 25 November */
	warns(&r, TODAY, 0);
	r.ready_at = "2026-07-27"; /* 121 days */
	warns(&r, TODAY, WARN_READY_LONG);
	assert_int_equal(row_days(&r, TODAY), 268);
}

static void test_warn_housing_and_support(void **state)
{
	(void)state;
	struct list_row r = fresh_row();
	r.arrival = "2026-09-01 11:00";
	r.notified_at = "2026-09-02";
	r.assessed_at = "2026-09-20";
	r.ready_at = "2026-11-11"; /* 14 days: still time to register for housing */
	warns(&r, TODAY, 0);
	r.ready_at = "2026-11-10"; /* 15 days */
	warns(&r, TODAY, WARN_NO_HOUSING_REG);
	r.housing_registered = 1;
	warns(&r, TODAY, 0);
	r.move_in_date = "2026-12-01";
	warns(&r, TODAY, WARN_NO_SUPPORT);
	r.support_granted_at = "2026-11-20";
	warns(&r, TODAY, 0);
}

static void test_warn_alerts(void **state)
{
	(void)state;
	struct list_row r = fresh_row();
	r.ban_until = TODAY; /* the ban holds through its last day */
	warns(&r, TODAY, WARN_BAN);
	r.ban_until = "2026-11-24";
	warns(&r, TODAY, 0);
	r.ban_until = "2027-01-01";
	r.alert_safety = "Threatens staff when drunk";
	r.alert_medical = "";
	warns(&r, TODAY, WARN_BAN | WARN_SAFETY);
	r.alert_medical = "Diabetes: insulin in the office fridge";
	warns(&r, TODAY, WARN_BAN | WARN_SAFETY | WARN_MEDICAL);
}

static void test_warn_departed(void **state)
{
	(void)state;
	/* Gone: none of the clocks run, however late everything is. */
	struct list_row r = fresh_row();
	r.arrival = "2026-01-05 10:00";
	r.departure = "2026-11-20 09:00";
	r.ready_at = "2026-02-01";
	r.move_in_date = "2026-11-20";
	warns(&r, TODAY, 0);
	assert_int_equal(row_days(&r, TODAY), 319);
	/* The alerts stay: they are about the person, not the stay. */
	r.ban_until = "2026-12-31";
	r.alert_medical = "Epilepsy";
	warns(&r, TODAY, WARN_BAN | WARN_MEDICAL);
	/* No stay at all. */
	struct list_row none;
	memset(&none, 0, sizeof(none));
	warns(&none, TODAY, 0);
}

static void test_row_days(void **state)
{
	(void)state;
	struct list_row r = fresh_row();
	r.arrival = "2026-11-20 14:00";
	assert_int_equal(row_days(&r, TODAY), 5);
	r.arrival = "2026-11-25 01:00";
	assert_int_equal(row_days(&r, TODAY), 0);
	r.arrival = "2025-11-25 10:00";
	assert_int_equal(row_days(&r, TODAY), 365);
	r.arrival = "2024-02-28 10:00";
	r.departure = "2024-03-01 10:00"; /* 2024 had a 29 February */
	assert_int_equal(row_days(&r, TODAY), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpr_valid),
		cmocka_unit_test(test_cpr_invalid),
		cmocka_unit_test(test_cpr_mask),
		cmocka_unit_test(test_holidays_2026),
		cmocka_unit_test(test_notify_deadline),
		cmocka_unit_test(test_warn_not_notified),
		cmocka_unit_test(test_warn_not_assessed),
		cmocka_unit_test(test_warn_ready_long),
		cmocka_unit_test(test_warn_housing_and_support),
		cmocka_unit_test(test_warn_alerts),
		cmocka_unit_test(test_warn_departed),
		cmocka_unit_test(test_row_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
