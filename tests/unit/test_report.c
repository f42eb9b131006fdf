/* husly report's figures (db_report.c) over hand-built stays whose figures are worked out by hand
 * below: stays crossing both edges of the period, a resident with two stays, a stay exactly 120
 * days after ready (not over the limit) and one 121 days after (over), an erased resident. */
#include "unit.h"

#include "db_internal.h"
#include "report.h"

static const struct report_rules limit = {REFUND_LIMIT_DEFAULT, STAY_TYPOLOGY_DEFAULT};

static int setup(void **state)
{
	*state = unit_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	unit_rmtree(*state);
	free(*state);
	return 0;
}

#define WHO "'2026-01-01T00:00:00Z', 't', '2026-01-01T00:00:00Z', 't'"

static void resident(struct db *db, const char *id, const char *home, int erased)
{
	char *sql = xasprintf("INSERT INTO resident (id, name, name_key, home_kommune, erased_at, "
			      "created_at, created_by, updated_at, updated_by) VALUES ('%s', 'R %s', "
			      "'r', %s, %s, " WHO ")",
			      id, id, home, erased ? "'2026-03-02T00:00:00Z'" : "NULL");
	assert_int_equal(sqlite3_exec(db->conn, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
}

/* departure, ready, assessed, destination and paying as SQL literals (NULL allowed). */
static void stay(struct db *db, const char *id, const char *res, const char *arrival,
		 const char *departure, const char *ready, const char *assessed, const char *dest,
		 const char *paying)
{
	char *sql = xasprintf("INSERT INTO stay (id, resident_id, arrival, departure, ready_at, "
			      "assessed_at, destination, paying_kommune, created_at, created_by, "
			      "updated_at, updated_by) VALUES ('%s', '%s', '%s', %s, %s, %s, %s, %s, "
			      WHO ")",
			      id, res, arrival, departure, ready, assessed, dest, paying);
	assert_int_equal(sqlite3_exec(db->conn, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
}

static struct db *hand_built(const char *dir)
{
	char *path = unit_path(dir, "r.db"), *err = NULL;
	struct db *db = NULL;
	assert_int_equal(db_open(path, &db, &err), 0);
	free(path);
	resident(db, "A", "'101'", 0);
	resident(db, "B", "'147'", 0);
	resident(db, "C", "'none'", 0);
	resident(db, "D", "'101'", 1);
	resident(db, "F", "NULL", 0);
	/* A: two stays; the first crosses the start (ready 16 days before leaving), the second the
	 * end: ready on arrival, 121 days at the period's last day, never assessed, no plan. */
	stay(db, "S1", "A", "2025-12-20 10:00", "'2026-01-10 09:00'", "'2025-12-25'", "NULL",
	     "'own_home'", "'101'");
	stay(db, "S2", "A", "2026-03-01 12:00", "'2026-07-15 10:00'", "'2026-03-01'", "NULL",
	     "NULL", "'147'");
	/* B: left exactly 120 days after ready: not over the limit. */
	stay(db, "S3", "B", "2026-01-05 18:00", "'2026-05-31 10:00'", "'2026-01-31'",
	     "'2026-01-20'", "'family'", "'101'");
	/* C: still here, 140 days after ready at the period's end, but assessed. An older stay
	 * outside the period. */
	stay(db, "S4", "C", "2026-02-01 20:00", "NULL", "'2026-02-10'", "'2026-02-05'", "NULL",
	     "NULL");
	stay(db, "S5", "C", "2025-01-01 20:00", "'2025-02-01 10:00'", "NULL", "NULL", "'street'",
	     "'101'");
	/* D is erased: left out. E arrives after the period. F left on its first day. */
	stay(db, "S6", "D", "2026-02-01 20:00", "'2026-03-01 10:00'", "NULL", "NULL", "'prison'",
	     "'101'");
	stay(db, "S7", "B", "2026-07-01 20:00", "NULL", "NULL", "NULL", "NULL", "'101'");
	stay(db, "S8", "F", "2025-11-01 20:00", "'2026-01-01 08:00'", "NULL", "NULL", "'prison'",
	     "'101'");
	return db;
}

static long count_of(const struct report_counts *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (str_eq(c->items[i].code, code))
			return c->items[i].n;
	return 0;
}

static void figures_of_a_half_year(void **state)
{
	struct db *db = hand_built(*state);
	struct report r;
	char *err = NULL;
	assert_int_equal(db_report(db, "2026-01-01", "2026-06-30", &limit, &r, &err), 0);
	assert_int_equal(r.stays, 5);     /* S1 S2 S3 S4 S8 */
	assert_int_equal(r.residents, 4); /* A B C F */
	assert_int_equal(r.arrivals, 3);  /* S2 S3 S4 */
	assert_int_equal(r.departures, 3); /* S1 S3 S8 */
	assert_int_equal(r.destinations.n, 3);
	assert_int_equal(count_of(&r.destinations, "own_home"), 1);
	assert_int_equal(count_of(&r.destinations, "family"), 1);
	assert_int_equal(count_of(&r.destinations, "prison"), 1);
	/* Ready to leaving: S1 16 days, S3 120 days. */
	assert_int_equal(r.ready_n, 2);
	assert_true(r.ready_min == 16 && r.ready_max == 120);
	assert_true(r.ready_q1 == 42 && r.ready_median == 68 && r.ready_q3 == 94);
	assert_int_equal(count_of(&r.home, "101"), 1);
	assert_int_equal(count_of(&r.home, "147"), 1);
	assert_int_equal(count_of(&r.home, "none"), 1);
	assert_int_equal(count_of(&r.home, ""), 1);
	assert_int_equal(count_of(&r.paying, "101"), 3); /* S1 S3 S8 */
	assert_int_equal(count_of(&r.paying, "147"), 1);
	assert_int_equal(count_of(&r.paying, ""), 1);
	assert_string_equal(r.paying.items[0].code, "101"); /* most first */
	assert_int_equal(r.over_ready_limit, 2);      /* S2 (121 days), S4 (140); not S3 (120) */
	assert_int_equal(r.over_ready_unassessed, 1); /* S2 */
	report_free(&r);
	db_close(db);
}

static const struct report_days *year_of(const struct report *r, const char *id, int year)
{
	for (size_t i = 0; i < r->nyears; i++)
		if (str_eq(r->years[i].resident_id, id) && r->years[i].year == year)
			return &r->years[i];
	fail_msg("no year %d for %s", year, id);
	return NULL;
}

/* Nights in 2026 up to 30 June, worked out by hand: A 9 (S1, to 10 January) + 122 (S2, 1 March
 * to 30 June); B 146 (S3, 5 January to 31 May); C 150 (S4, 1 February on); F none (left on 1
 * January). The limit is 120 to 31 March, then 90: A's 91st day is 21 May, B's 5 April, C's 2
 * May. */
static void days_over_the_refund_limit(void **state)
{
	struct db *db = hand_built(*state);
	struct report r;
	char *err = NULL;
	assert_int_equal(db_report(db, "2026-01-01", "2026-06-30", &limit, &r, &err), 0);
	assert_int_equal(r.nyears, 3);
	assert_int_equal(year_of(&r, "A", 2026)->days, 131);
	assert_int_equal(year_of(&r, "A", 2026)->over, 41);
	assert_int_equal(year_of(&r, "B", 2026)->days, 146);
	assert_int_equal(year_of(&r, "B", 2026)->over, 56);
	assert_int_equal(year_of(&r, "C", 2026)->days, 150);
	assert_int_equal(year_of(&r, "C", 2026)->over, 60);
	assert_int_equal(r.nover, 3); /* by paying municipality: "", 101, 147 */
	assert_string_equal(r.over_by_paying[0].paying, "");
	assert_string_equal(r.over_by_paying[0].resident_id, "C");
	assert_string_equal(r.over_by_paying[1].paying, "101");
	assert_int_equal(r.over_by_paying[1].over, 56);
	assert_string_equal(r.over_by_paying[2].paying, "147"); /* A's second stay */
	assert_int_equal(r.over_by_paying[2].over, 41);
	report_free(&r);
	/* 120 days all year: 11, 26 and 30 over. */
	const struct report_rules flat = {{120, 120, "2026-04-01"}, STAY_TYPOLOGY_DEFAULT};
	assert_int_equal(db_report(db, "2026-01-01", "2026-06-30", &flat, &r, &err), 0);
	assert_int_equal(year_of(&r, "A", 2026)->over, 11);
	assert_int_equal(year_of(&r, "B", 2026)->over, 26);
	assert_int_equal(year_of(&r, "C", 2026)->over, 30);
	report_free(&r);
	/* A period within the year counts the year from 1 January: B's days before May too. */
	assert_int_equal(db_report(db, "2026-05-01", "2026-05-31", &limit, &r, &err), 0);
	assert_int_equal(year_of(&r, "B", 2026)->days, 146);
	report_free(&r);
	db_close(db);
}

static void answer(struct db *db, const char *res, const char *list, const char *code,
		   const char *value)
{
	char *sql = xasprintf("INSERT INTO answer (id, resident_id, list, code, value, created_at, "
			      "created_by, updated_at, updated_by) VALUES ('%s/%s/%s', '%s', '%s', "
			      "'%s', '%s', " WHO ")",
			      res, list, code, res, list, code, value);
	assert_int_equal(sqlite3_exec(db->conn, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
}

/* Over the 3 years to 30 June 2026: A 2 stays, 143 nights (short); B 1, 146 (short); C 2, 181
 * (long: 180 or more); F 1, 61 (short); G 3 stays of 4 nights (episodic). Risks: A alcohol and
 * mental illness; B cannabis earlier; C released from prison; F alcohol "no", but left for
 * prison (S8); G misuse as a cause, and left for prison. */
static void vive_table(void **state)
{
	struct db *db = hand_built(*state);
	resident(db, "G", "NULL", 0);
	stay(db, "G1", "G", "2024-01-01 20:00", "'2024-01-05 10:00'", "NULL", "NULL", "'street'",
	     "NULL");
	stay(db, "G2", "G", "2025-01-01 20:00", "'2025-01-05 10:00'", "NULL", "NULL", "'street'",
	     "NULL");
	stay(db, "G3", "G", "2026-02-01 20:00", "'2026-02-05 10:00'", "NULL", "NULL", "'prison'",
	     "NULL");
	answer(db, "A", "misuse", "alcohol", "current");
	answer(db, "A", "cause", "mental_illness", "yes");
	answer(db, "B", "misuse", "cannabis", "earlier");
	answer(db, "C", "cause", "prison_release", "yes");
	answer(db, "F", "misuse", "alcohol", "no");
	answer(db, "G", "cause", "misuse", "yes");
	struct report r;
	char *err = NULL;
	assert_int_equal(db_report(db, "2026-01-01", "2026-06-30", &limit, &r, &err), 0);
	const long n[STAY_KINDS] = {3, 1, 1};
	const long want[RISK_FACTORS][STAY_KINDS] = {
	    [RISK_MISUSE] = {2, 1, 0}, [RISK_ALCOHOL] = {1, 0, 0}, [RISK_DRUGS] = {1, 0, 0},
	    [RISK_MENTAL] = {1, 0, 0}, [RISK_BOTH] = {1, 0, 0},    [RISK_EITHER] = {2, 1, 0},
	    [RISK_PRISON] = {1, 1, 1}, [RISK_ANY] = {3, 1, 1},
	};
	for (int k = 0; k < STAY_KINDS; k++) {
		assert_int_equal(r.vive_n[k], n[k]);
		for (int f = 0; f < RISK_FACTORS; f++)
			assert_int_equal(r.vive[f][k], want[f][k]);
	}
	report_free(&r);
	/* C's 181 nights are long from 181 days, short from 182 (2 stays: not episodic). */
	struct report_rules rules = limit;
	rules.typology.long_days = 181;
	assert_int_equal(db_report(db, "2026-01-01", "2026-06-30", &rules, &r, &err), 0);
	assert_int_equal(r.vive_n[STAY_KIND_LONG], 1);
	report_free(&r);
	rules.typology.long_days = 182;
	assert_int_equal(db_report(db, "2026-01-01", "2026-06-30", &rules, &r, &err), 0);
	assert_int_equal(r.vive_n[STAY_KIND_LONG], 0);
	assert_int_equal(r.vive_n[STAY_KIND_SHORT], 4);
	report_free(&r);
	db_close(db);
}

/* A and B share a CPR number (a duplicate), so their stays S1 and S3, and S2 and S3, overlap;
 * F has none; C's open stay S4 comes before a later stay S9. */
static void register_listing_and_checks(void **state)
{
	struct db *db = hand_built(*state);
	assert_int_equal(sqlite3_exec(db->conn,
				      "UPDATE resident SET cpr = '0101801234' WHERE id IN ('A', 'B');"
				      "UPDATE resident SET cpr = '0202802345' WHERE id IN ('C', 'D')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	stay(db, "S9", "C", "2026-06-01 20:00", "'2026-06-10 10:00'", "NULL", "NULL", "'died'",
	     "NULL");
	struct report r;
	char *err = NULL;
	assert_int_equal(db_report(db, "2026-01-01", "2026-06-30", &limit, &r, &err), 0);
	assert_int_equal(r.nproblems, 5);
	assert_int_equal(r.problems[0].kind, REG_NO_CPR);
	assert_string_equal(r.problems[0].ids, "F");
	assert_int_equal(r.problems[1].kind, REG_DUPLICATE); /* D is erased: not a duplicate */
	assert_string_equal(r.problems[1].cpr, "0101801234");
	assert_string_equal(r.problems[1].ids, "A, B");
	assert_int_equal(r.problems[2].kind, REG_NO_DISCHARGE);
	assert_string_equal(r.problems[2].ids, "S4, S9");
	assert_int_equal(r.problems[3].kind, REG_OVERLAP);
	assert_string_equal(r.problems[3].ids, "S1, S3");
	assert_int_equal(r.problems[4].kind, REG_OVERLAP);
	assert_string_equal(r.problems[4].ids, "S2, S3");
	/* Admitted or discharged in the period: S8 (no CPR), then by CPR and arrival. */
	const char *order[] = {"S8", "S1", "S3", "S2", "S4", "S9"};
	assert_int_equal(r.nreg, ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		assert_string_equal(r.reg[i].stay_id, order[i]);
	assert_null(r.reg[3].departure); /* S2 left after the period */
	assert_null(r.reg[3].destination);
	assert_string_equal(r.reg[5].destination, "died");
	assert_int_equal(r.reg[4].kind, STAY_KIND_LONG); /* C: 181 nights + S9's 9 */
	report_free(&r);
	db_close(db);
}

static void an_empty_period(void **state)
{
	struct db *db = hand_built(*state);
	struct report r;
	char *err = NULL;
	assert_int_equal(db_report(db, "2024-01-01", "2024-12-31", &limit, &r, &err), 0);
	assert_int_equal(r.stays + r.arrivals + r.departures + r.ready_n, 0);
	assert_int_equal(r.destinations.n + r.home.n + r.paying.n + r.nyears + r.nover + r.nreg +
			     r.nproblems,
			 0);
	report_free(&r);
	db_close(db);
}

static void quantiles(void **state)
{
	(void)state;
	const double v[] = {1, 2, 3, 4, 10};
	assert_true(report_quantile(v, 5, 0.5) == 3);
	assert_true(report_quantile(v, 5, 0.25) == 2);
	assert_true(report_quantile(v, 5, 0.75) == 4);
	assert_true(report_quantile(v, 1, 0.75) == 1);
	assert_true(report_quantile(v, 4, 0.5) == 2.5);
}

static void csv_bytes(void **state)
{
	struct db *db = hand_built(*state);
	struct report r;
	char *err = NULL, *buf = NULL;
	size_t len = 0;
	assert_int_equal(db_report(db, "2026-01-01", "2026-06-30", &limit, &r, &err), 0);
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(report_write_csv(&r, f), 0);
	fclose(f);
	assert_memory_equal(buf, "\xEF\xBB\xBFsection;code;label;value\r\n", 28);
	assert_non_null(strstr(buf, "\"period\";\"from\";\"first day\";01-01-2026\r\n"));
	assert_non_null(strstr(buf, "\"ready_days\";\"median\";\"median\";68,0\r\n"));
	assert_non_null(strstr(buf, "\"indicator\";\"over_120_after_ready\";"));
	free(buf);
	report_free(&r);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(figures_of_a_half_year, setup, teardown),
		cmocka_unit_test_setup_teardown(an_empty_period, setup, teardown),
		cmocka_unit_test_setup_teardown(days_over_the_refund_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(vive_table, setup, teardown),
		cmocka_unit_test_setup_teardown(register_listing_and_checks, setup, teardown),
		cmocka_unit_test(quantiles),
		cmocka_unit_test_setup_teardown(csv_bytes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
