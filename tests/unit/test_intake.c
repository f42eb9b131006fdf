/* The intake: what stops a save, saving new and returning residents in one transaction, the
 * duplicate search, and drafts. */
#include "unit.h"

#include "clock.h"
#include "db.h"
#include "intake.h"
#include "lists.h"
#include "record.h"
#include "stay.h"
#include "datetyped.h"

#include <stdlib.h>
#include <string.h>

#define NOW "2026-11-25 02:14"

static void fill_minimal(struct intake *in)
{
	intake_set(in, "name", "Søren Ærø");
	intake_set(in, "arrival", "2026-11-25 01:50");
}

static struct db *open_fixed(void **state)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	time_t t;
	assert_int_equal(local_minute_to_time(NOW, &t), 0);
	clock_fix(t);
	struct db *db = unit_db_fresh(*state, "h.db");
	db_set_actor(db, "ole");
	return db;
}

static long count(struct db *db, const char *table, const char *field, const char *value)
{
	struct record *r;
	size_t n;
	char *err = NULL;
	unit_check_ok(db_records_where(db, table, field, value, "id", &r, &n, &err), err,
		      "records");
	records_free(r, n);
	return (long)n;
}

static void test_check_names_the_field(void **state)
{
	(void)state;
	struct intake in;
	intake_init(&in);
	const char *key;
	assert_non_null(intake_check(&in, "2026-11-25", NOW, &key));
	assert_string_equal(key, "name");
	fill_minimal(&in);
	assert_null(intake_check(&in, "2026-11-25", NOW, &key));
	const struct {
		const char *field, *value;
	} bad[] = {
		{"birth_date", "2031-01-01"}, {"cpr", "300290-1234"},    {"arrival", "2026-11-25 03:00"},
		{"home_kommune", "999"},      {"debt_total", "-5"},      {"consent", "maybe"},
		{"ban_until", "31-12-2026"},  {"gender", "robot"},       {"debt_rki", "ja"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct intake copy;
		intake_init(&copy);
		fill_minimal(&copy);
		intake_set(&copy, bad[i].field, bad[i].value);
		assert_non_null(intake_check(&copy, "2026-11-25", NOW, &key));
		assert_string_equal(key, bad[i].field);
		intake_free(&copy);
	}
	/* A CPR number must agree with the birth date. */
	intake_set(&in, "cpr", "120381-1235");
	intake_set(&in, "birth_date", "1981-03-13");
	assert_non_null(intake_check(&in, "2026-11-25", NOW, &key));
	assert_string_equal(key, "cpr");
	intake_set(&in, "birth_date", "1981-03-12");
	assert_null(intake_check(&in, "2026-11-25", NOW, &key));
	intake_free(&in);
}

static void test_save_new_resident(void **state)
{
	struct db *db = open_fixed(state);
	struct intake in;
	intake_init(&in);
	fill_minimal(&in);
	intake_set(&in, "home_kommune", "217");
	intake_set(&in, "cause/eviction", "yes");
	intake_set(&in, "misuse/alcohol", "current");
	intake_set(&in, "treatment/alcohol", "1");
	intake_set(&in, "room", "12A");
	char id[ID_LEN], *err = NULL;
	unit_check_ok(intake_save(db, &in, NULL, id, &err), NULL, "save");
	struct record r;
	assert_int_equal(db_record_get(db, "resident", id, &r, &err), 1);
	assert_string_equal(record_get(&r, "name"), "Søren Ærø");
	assert_string_equal(record_get(&r, "created_by"), "ole");
	record_free(&r);
	struct record *stays;
	size_t n;
	unit_check_ok(db_records_where(db, "stay", "resident_id", id, "arrival", &stays, &n, &err),
		      err, "stays");
	assert_int_equal(n, 1);
	assert_string_equal(record_get(&stays[0], "acting_kommune"), "217");
	assert_string_equal(record_get(&stays[0], "paying_kommune"), "217");
	assert_string_equal(record_get(&stays[0], "room"), "12A");
	assert_int_equal(count(db, "checklist_step", "stay_id", record_get(&stays[0], "id")),
			 (long)checklist_steps_count);
	records_free(stays, n);
	char *aid = xasprintf("%s/misuse/alcohol", id);
	assert_int_equal(db_record_get(db, "answer", aid, &r, &err), 1);
	assert_string_equal(record_get(&r, "value"), "current");
	assert_string_equal(record_get(&r, "treatment"), "1");
	record_free(&r);
	free(aid);
	assert_int_equal(count(db, "answer", "resident_id", id), 2);
	intake_free(&in);
	db_close(db);
}

static void test_returning_resident_gets_a_second_stay(void **state)
{
	struct db *db = open_fixed(state);
	struct intake in;
	intake_init(&in);
	intake_set(&in, "name", "Bo Eksempel");
	intake_set(&in, "arrival", "2026-10-01 20:00");
	char id[ID_LEN], again[ID_LEN], *err = NULL;
	unit_check_ok(intake_save(db, &in, NULL, id, &err), NULL, "first");
	/* Still present: a second admission is refused and nothing is written. */
	intake_set(&in, "arrival", "2026-11-20 20:00");
	assert_int_equal(intake_save(db, &in, id, again, &err), -1);
	assert_contains(err, "already");
	unit_free(&err);
	assert_int_equal(count(db, "stay", "resident_id", id), 1);
	/* Moved out on 1 November; back on the 20th: the same person, a second stay. */
	struct record *stays;
	size_t n;
	unit_check_ok(db_records_where(db, "stay", "resident_id", id, "arrival", &stays, &n, &err),
		      err, "stays");
	assert_int_equal(db_begin(db, &err), 0);
	unit_check_ok(db_record_set(db, "stay", record_get(&stays[0], "id"), "departure",
				    "2026-11-01 10:00", &err),
		      err, "depart");
	assert_int_equal(db_commit(db, &err), 0);
	records_free(stays, n);
	intake_set(&in, "arrival", "2026-10-30 12:00"); /* before the departure: refused */
	assert_int_equal(intake_save(db, &in, id, again, &err), -1);
	unit_free(&err);
	intake_set(&in, "arrival", "2026-11-20 20:00");
	unit_check_ok(intake_save(db, &in, id, again, &err), NULL, "second");
	assert_string_equal(again, id);
	assert_int_equal(count(db, "stay", "resident_id", id), 2);
	intake_free(&in);
	db_close(db);
}

static void test_duplicates_are_found(void **state)
{
	struct db *db = open_fixed(state);
	struct intake in;
	intake_init(&in);
	fill_minimal(&in);
	intake_set(&in, "birth_date", "1981-03-12");
	intake_set(&in, "cpr", "1203811235");
	char id[ID_LEN], *err = NULL;
	unit_check_ok(intake_save(db, &in, NULL, id, &err), NULL, "save");
	const char *spellings[] = {"Søren Ærø", "Soeren Aeroe", "Soren Aro", "søren ærø",
				   "Sören Æro"};
	for (size_t i = 0; i < ARRAY_SIZE(spellings); i++) {
		struct intake_match *m;
		size_t n;
		unit_check_ok(intake_find_matches(db, spellings[i], NULL, NULL, &m, &n, 5, &err), err,
			      "match");
		if (n < 1)
			fail_msg("'%s' found no match", spellings[i]);
		assert_string_equal(m[0].id, id);
		assert_true(m[0].present);
		intake_matches_free(m, n);
	}
	struct intake_match *m;
	size_t n;
	unit_check_ok(intake_find_matches(db, "Søren Ærø", "1981-03-12", NULL, &m, &n, 5, &err), err,
		      "match");
	assert_int_equal(m[0].score, 3);
	intake_matches_free(m, n);
	/* The same CPR number is the same person, whatever the name. */
	unit_check_ok(intake_find_matches(db, "Ukendt Navnesen", NULL, "1203811235", &m, &n, 5,
					  &err),
		      err, "cpr");
	assert_int_equal(n, 1);
	assert_int_equal(m[0].score, 4);
	intake_matches_free(m, n);
	unit_check_ok(intake_find_matches(db, "Karin Holm", NULL, NULL, &m, &n, 5, &err), err, "none");
	assert_int_equal(n, 0);
	intake_matches_free(m, n);
	intake_free(&in);
	db_close(db);
}

static void test_draft_round_trip_and_gone_on_save(void **state)
{
	struct db *db = open_fixed(state);
	struct intake in, back;
	intake_init(&in);
	intake_init(&back);
	char *err = NULL;
	assert_int_equal(draft_load(db, "intake", &back, &err), 0);
	fill_minimal(&in);
	intake_set(&in, "alert_medical", "Diabetes \"type 2\" — ring 112 🚑\nny linje");
	unit_check_ok(draft_save(db, "intake", &in, &err), err, "draft");
	assert_int_equal(draft_load(db, "intake", &back, &err), 1);
	assert_int_equal(back.n, in.n);
	for (size_t i = 0; i < in.n; i++)
		assert_string_equal(intake_get(&back, in.values[i].key), in.values[i].value);
	/* Another login has no draft. */
	db_set_actor(db, "kim");
	assert_int_equal(draft_load(db, "intake", &back, &err), 0);
	db_set_actor(db, "ole");
	char id[ID_LEN];
	unit_check_ok(intake_save(db, &in, NULL, id, &err), NULL, "save");
	assert_int_equal(draft_load(db, "intake", &back, &err), 0);
	intake_free(&in);
	intake_free(&back);
	db_close(db);
}

static void test_departure_ends_the_stay(void **state)
{
	struct db *db = open_fixed(state);
	struct intake in;
	intake_init(&in);
	fill_minimal(&in);
	char id[ID_LEN], *err = NULL;
	unit_check_ok(intake_save(db, &in, NULL, id, &err), NULL, "save");
	/* Refused, nothing written: before the arrival, in the future, no destination. */
	const char *bad[][2] = {{"2026-11-25 01:00", "own_home"},
				{"2026-11-25 03:00", "own_home"},
				{"2026-11-25 02:00", "nowhere"}};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(stay_depart(db, id, bad[i][0], bad[i][1], NULL, &err), -1);
		assert_non_null(err);
		unit_free(&err);
	}
	struct record *stays;
	size_t n;
	unit_check_ok(db_records_where(db, "stay", "resident_id", id, "arrival", &stays, &n, &err),
		      err, "stays");
	assert_null(record_get(&stays[0], "departure"));
	records_free(stays, n);
	unit_check_ok(stay_depart(db, id, "2026-11-25 02:00", "own_home_support", "Nøgler udleveret",
				  &err),
		      NULL, "depart");
	unit_check_ok(db_records_where(db, "stay", "resident_id", id, "arrival", &stays, &n, &err),
		      err, "stays");
	assert_string_equal(record_get(&stays[0], "departure"), "2026-11-25 02:00");
	assert_string_equal(record_get(&stays[0], "destination"), "own_home_support");
	assert_string_equal(record_get(&stays[0], "departure_note"), "Nøgler udleveret");
	records_free(stays, n);
	/* Gone: a second departure is refused. */
	assert_int_equal(stay_depart(db, id, "2026-11-25 02:05", "own_home", NULL, &err), -1);
	unit_free(&err);
	intake_free(&in);
	db_close(db);
}

static void test_datetime_typed(void **state)
{
	(void)state;
	char out[LOCAL_MIN_LEN];
	assert_null(datetime_parse_typed("24-11-2026 21:30", NOW, out));
	assert_string_equal(out, "2026-11-24 21:30");
	assert_null(datetime_parse_typed("21:30", NOW, out));
	assert_string_equal(out, "2026-11-25 21:30");
	assert_null(datetime_parse_typed("i går 23:10", NOW, out));
	assert_string_equal(out, "2026-11-24 23:10");
	assert_null(datetime_parse_typed("24-11-2026", NOW, out));
	assert_string_equal(out, "2026-11-24 02:14");
	assert_non_null(datetime_parse_typed("24-11-2026 25:00", NOW, out));
	assert_non_null(datetime_parse_typed("31-02-2026 10:00", NOW, out));
}

static void test_name_distance(void **state)
{
	(void)state;
	assert_int_equal(name_distance("soren aro", "soren aro"), 0);
	assert_int_equal(name_distance("soren aro", "soren ar"), 1);
	assert_int_equal(name_distance("kitten", "sitting"), 3);
	assert_int_equal(name_distance("", "abc"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_names_the_field),
		cmocka_unit_test_setup_teardown(test_save_new_resident, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_returning_resident_gets_a_second_stay,
						unit_setup_tmpdir, unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_duplicates_are_found, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_draft_round_trip_and_gone_on_save,
						unit_setup_tmpdir, unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_departure_ends_the_stay, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test(test_datetime_typed),
		cmocka_unit_test(test_name_distance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
