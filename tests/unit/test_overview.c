/* The overview's figures on a small house built by hand: arrivals and departures at the edges of
 * the week (from Monday) and the month, length of stay at the buckets' edges (7/8 days, exactly
 * 120 days), the action lists by the list's own warnings (ready exactly 120 days is not yet too
 * long; 121 is), checklist steps, and erased residents left out. Today is Tuesday 01-12-2026. */
#include "unit.h"

#include "clock.h"
#include "db.h"
#include "model.h"
#include "overview.h"
#include "record.h"

#define NOW 1796122800    /* Tuesday 2026-12-01 12:00 in Copenhagen */
#define SUNDAY 1795950000 /* Sunday 2026-11-29 12:00 */

struct fixture {
	char *dir;
	struct db *db;
};

static void insert(struct db *db, const char *table, const char *id,
		   const struct field_value *f, size_t n)
{
	char *err = NULL;
	unit_check_ok(db_record_insert(db, table, id, f, n, &err), err, table);
}

static void set(struct db *db, const char *table, const char *id, const char *field,
		const char *value)
{
	char *err = NULL;
	unit_check_ok(db_record_set(db, table, id, field, value, &err), err, field);
}

/* A resident ("r" + tag) with one stay ("s" + tag). */
static void resident(struct db *db, const char *tag, const char *arrival, const char *departure,
		     const char *assessed)
{
	char rid[ID_LEN], sid[ID_LEN];
	snprintf(rid, sizeof(rid), "r%s", tag);
	snprintf(sid, sizeof(sid), "s%s", tag);
	const struct field_value r[] = {{"name", tag}};
	insert(db, "resident", rid, r, ARRAY_SIZE(r));
	const struct field_value s[] = {{"resident_id", rid},
					{"arrival", arrival},
					{"departure", departure},
					{"notified_at", "2026-01-01"},
					{"assessed_at", assessed}};
	insert(db, "stay", sid, s, ARRAY_SIZE(s));
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	fx->dir = unit_tmpdir();
	clock_fix(NOW);
	struct db *db = fx->db = unit_db_fresh(fx->dir, "h.db");
	db_set_actor(db, "test");
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	resident(db, "a000000000a", "2026-11-30 10:00", NULL, "2026-11-30"); /* Monday: 1 day */
	resident(db, "b000000000b", "2026-12-01 08:00", NULL, NULL);	   /* today: 0 days */
	resident(db, "c000000000c", "2026-11-29 10:00", "2026-12-01 09:00", NULL); /* Sunday */
	resident(db, "d000000000d", "2026-08-03 10:00", NULL, "2026-08-20"); /* 120 days */
	set(db, "stay", "sd000000000d", "ready_at", "2026-08-03");	   /* ready 120 days */
	resident(db, "e000000000e", "2026-08-02 10:00", NULL, NULL);	   /* 121 days */
	set(db, "stay", "se000000000e", "ready_at", "2026-08-02");	   /* ready 121 days */
	set(db, "stay", "se000000000e", "move_in_date", "2026-12-15");	   /* no support */
	resident(db, "f000000000f", "2026-11-01 10:00", "2026-11-30 10:00", "2026-11-05");
	resident(db, "g000000000g", "2026-12-01 09:00", NULL, NULL); /* erased */
	set(db, "resident", "rg000000000g", "erased_at", "2026-12-01T10:00:00Z");
	resident(db, "h000000000h", "2026-11-24 10:00", NULL, NULL); /* 7 days */
	resident(db, "i000000000i", "2026-11-23 10:00", NULL, NULL); /* 8 days */
	/* A step done: counted, and it is no housing registration for a resident not ready. */
	const struct field_value step[] = {{"stay_id", "sa000000000a"}, {"item", "housing"},
					   {"step", "housing_registered"}, {"status", "done"}};
	insert(db, "checklist_step", "sa000000000a/housing_registered", step, ARRAY_SIZE(step));
	unit_check_ok(db_commit(db, &err), err, "db_commit");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	db_close(fx->db);
	unit_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	clock_fix(0);
	return 0;
}

static void overview(struct db *db, struct overview *o)
{
	char *err = NULL;
	unit_check_ok(db_overview(db, o, &err), err, "db_overview");
}

static void test_buckets(void **state)
{
	(void)state;
	assert_int_equal(overview_bucket(0), 0);
	assert_int_equal(overview_bucket(7), 0);
	assert_int_equal(overview_bucket(8), 1);
	assert_int_equal(overview_bucket(30), 1);
	assert_int_equal(overview_bucket(31), 2);
	assert_int_equal(overview_bucket(120), 3);
	assert_int_equal(overview_bucket(121), 4);
	assert_int_equal(overview_bucket(365), 4);
	assert_int_equal(overview_bucket(366), 5);
}

/* Tuesday 1 December: the week began on Monday 30 November, the month today. */
static void test_week_and_month_at_a_month_start(void **state)
{
	struct fixture *fx = *state;
	struct overview o;
	overview(fx->db, &o);
	assert_string_equal(o.today, "2026-12-01");
	assert_string_equal(o.week_start, "2026-11-30");
	assert_string_equal(o.month_start, "2026-12-01");
	assert_int_equal(o.present, 6); /* a, b, d, e, h, i; not the erased g */
	assert_int_equal(o.arrivals_week, 2);	/* a (Monday), b (today) */
	assert_int_equal(o.arrivals_month, 1);	/* b */
	assert_int_equal(o.departures_week, 2); /* c (today), f (Monday) */
	assert_int_equal(o.departures_month, 1); /* c */
}

/* Sunday 29 November: the week began on Monday 23 November; nothing after today counts. */
static void test_week_and_month_on_a_sunday(void **state)
{
	struct fixture *fx = *state;
	clock_fix(SUNDAY);
	struct overview o;
	overview(fx->db, &o);
	assert_string_equal(o.week_start, "2026-11-23");
	assert_string_equal(o.month_start, "2026-11-01");
	assert_int_equal(o.arrivals_week, 3);  /* c (today), h, i (Monday) */
	assert_int_equal(o.arrivals_month, 4); /* and f on the 1st */
	assert_int_equal(o.departures_week, 0);
	assert_int_equal(o.departures_month, 0);
}

static void test_length_of_stay(void **state)
{
	struct fixture *fx = *state;
	struct overview o;
	overview(fx->db, &o);
	const long want[STAY_BUCKETS] = {3 /* a b h */, 1 /* i */, 0, 1 /* d */, 1 /* e */, 0};
	for (int i = 0; i < STAY_BUCKETS; i++)
		assert_int_equal(o.by_days[i], want[i]);
}

static void test_action_lists(void **state)
{
	struct fixture *fx = *state;
	struct overview o;
	overview(fx->db, &o);
	assert_int_equal(overview_list_warning[0], WARN_NOT_ASSESSED);
	assert_int_equal(o.listed[0], 1); /* e: 121 days; d was assessed, the rest are new */
	assert_int_equal(overview_list_warning[1], WARN_READY_LONG);
	assert_int_equal(o.listed[1], 1); /* e at 121 days; not d at exactly 120 */
	assert_int_equal(overview_list_warning[2], WARN_NO_SUPPORT);
	assert_int_equal(o.listed[2], 1); /* e */
	assert_int_equal(overview_list_warning[3], WARN_NO_HOUSING_REG);
	assert_int_equal(o.listed[3], 2); /* d and e; not a, registered but not ready */
}

static void test_checklists(void **state)
{
	struct fixture *fx = *state;
	struct overview o;
	overview(fx->db, &o);
	assert_int_equal(o.steps_done, 1);
	assert_int_equal(o.steps_relevant, 6 * (long)checklist_step_count());
	assert_int_equal(o.checklists_complete, 0);
}

int main(void)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test_setup_teardown(test_week_and_month_at_a_month_start, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_week_and_month_on_a_sunday, setup, teardown),
		cmocka_unit_test_setup_teardown(test_length_of_stay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_action_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checklists, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
