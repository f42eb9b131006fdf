/* The move-out checklist: loading a stay's steps as husly.conf configures them (rows made only
 * when a step is changed; hidden steps keep their data, apart and uncounted), changing a step's
 * fields with history, refusing what the lists do not allow, the furniture things, and the list's
 * progress agreeing with the checklist's. */
#include "unit.h"

#include "checklist.h"
#include "clock.h"
#include "config.h"
#include "db_list.h"
#include "ids.h"
#include "lists.h"
#include "record.h"

#include <sqlite3.h>

/* 2026-11-23 10:00 in Copenhagen. */
#define NOW 1795424400

struct fixture {
	char *dir;
	char *path;
	struct db *db;
	char resident[ID_LEN], stay[ID_LEN];
};

static void add_resident(struct fixture *f)
{
	char *err = NULL;
	id_new(f->resident);
	id_new(f->stay);
	unit_check_ok(db_begin(f->db, &err), err, "db_begin");
	err = NULL;
	const struct field_value person[] = {{"name", "Åse Ærbø"}};
	unit_check_ok(db_record_insert(f->db, "resident", f->resident, person, 1, &err), err,
		      "insert resident");
	err = NULL;
	const struct field_value stay[] = {
	    {"resident_id", f->resident}, {"arrival", "2026-11-01 10:00"}, {"room", "3"}};
	unit_check_ok(db_record_insert(f->db, "stay", f->stay, stay, 3, &err), err, "insert stay");
	err = NULL;
	unit_check_ok(db_commit(f->db, &err), err, "db_commit");
}

static int setup(void **state)
{
	unit_pin_english();
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = unit_tmpdir();
	f->path = unit_path(f->dir, "h.db");
	f->db = unit_db_open(f->path);
	db_set_actor(f->db, "mette");
	clock_fix(NOW);
	add_resident(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	unit_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	clock_fix(0);
	lists_reset();
	return 0;
}

static void load(const struct fixture *f, struct checklist *c)
{
	char *err = NULL;
	unit_check_ok(checklist_load(f->db, f->stay, c, &err), err, "checklist_load");
}

static const struct checklist_step *step_of(const struct checklist *c, const char *code)
{
	for (size_t i = 0; i < c->nsteps; i++)
		if (str_eq(c->steps[i].code, code))
			return &c->steps[i];
	return NULL;
}

static void set_ok(const struct fixture *f, const char *step, const char *field,
		   const char *value)
{
	char *err = NULL;
	unit_check_ok(checklist_set_step(f->db, f->stay, step, field, value, &err), err, step);
}

/* The set is refused with words in the message, nothing is written, no transaction is left. */
static void set_refused(const struct fixture *f, const char *step, const char *field,
			const char *value, const char *words)
{
	long before = unit_sql_long(f->path, "SELECT count(*) FROM history");
	char *err = NULL;
	assert_int_equal(checklist_set_step(f->db, f->stay, step, field, value, &err), -1);
	assert_contains(err, words);
	free(err);
	assert_int_equal(unit_sql_long(f->path, "SELECT count(*) FROM history"), before);
	err = NULL;
	unit_check_ok(db_begin(f->db, &err), err, "db_begin after a refusal");
	db_rollback(f->db);
}

/* The list's x/y for the resident, as the list screen shows it. */
static void list_progress(const struct fixture *f, int *done, int *relevant)
{
	struct list_query q = {LIST_PRESENT, LIST_SORT_NAME, NULL, NULL, NULL};
	struct list_row *rows;
	size_t n;
	char *err = NULL;
	unit_check_ok(db_list_page(f->db, &q, 0, 10, &rows, &n, &err), err, "db_list_page");
	assert_int_equal(n, 1);
	*done = rows[0].steps_done;
	*relevant = rows[0].steps_relevant;
	list_rows_free(rows, n);
}

static void test_fresh_stay_reads_as_not_started(void **state)
{
	struct fixture *f = *state;
	struct checklist c;
	load(f, &c);
	assert_int_equal(c.nsteps, checklist_step_count());
	for (size_t i = 0; i < c.nsteps; i++) {
		assert_string_equal(c.steps[i].status, "todo");
		assert_false(c.steps[i].stored);
		assert_false(c.steps[i].hidden);
		assert_ptr_equal(c.steps[i].def, checklist_step_at(i));
	}
	assert_int_equal(c.done, 0);
	assert_int_equal(c.relevant, (int)checklist_step_count());
	assert_int_equal(c.nthings, list_furniture.n);
	assert_null(c.things[0].state);
	assert_string_equal(c.resident_id, f->resident);
	checklist_free(&c);
	assert_int_equal(unit_sql_long(f->path, "SELECT count(*) FROM checklist_step"), 0);
}

static void test_set_step_fields_with_history(void **state)
{
	struct fixture *f = *state;
	set_ok(f, "income_applied", "status", "done");
	set_ok(f, "income_applied", "date", "2026-11-05");
	set_ok(f, "income_applied", "responsible", "municipality");
	set_ok(f, "income_applied", "responsible_name", "Jobcenter Horsens");
	set_ok(f, "income_applied", "note", "afventer svar");
	set_ok(f, "housing_offer", "status", "na");
	struct checklist c;
	load(f, &c);
	const struct checklist_step *s = step_of(&c, "income_applied");
	assert_non_null(s);
	assert_true(s->stored);
	assert_string_equal(s->status, "done");
	assert_string_equal(s->date, "2026-11-05");
	assert_string_equal(s->responsible, "municipality");
	assert_string_equal(s->responsible_name, "Jobcenter Horsens");
	assert_string_equal(s->note, "afventer svar");
	assert_int_equal(c.done, 1);
	assert_int_equal(c.relevant, (int)checklist_step_count() - 1);
	checklist_free(&c);
	/* Each field its own change, by the login, on the step's row. */
	char *sql = xasprintf("SELECT count(*) FROM history WHERE row_id = '%s/income_applied' "
			      "AND login = 'mette' AND field IN ('status', 'date', 'responsible', "
			      "'responsible_name', 'note') AND new_value IS NOT NULL",
			      f->stay);
	assert_true(unit_sql_long(f->path, sql) >= 5);
	free(sql);
	/* Clearing a field keeps the old value in the history. */
	set_ok(f, "income_applied", "note", "");
	load(f, &c);
	assert_null(step_of(&c, "income_applied")->note);
	checklist_free(&c);
	sql = xasprintf("SELECT count(*) FROM history WHERE row_id = '%s/income_applied' AND "
			"field = 'note' AND old_value = 'afventer svar' AND new_value IS NULL",
			f->stay);
	assert_int_equal(unit_sql_long(f->path, sql), 1);
	free(sql);
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	set_ok(f, "income_applied", "status", "doing");
	set_refused(f, "income_applied", "status", "finished", "status");
	set_refused(f, "income_applied", "status", NULL, "status");
	set_refused(f, "income_applied", "responsible", "mayor", "responsible");
	set_refused(f, "income_applied", "date", "5/11", "date");
	set_refused(f, "income_applied", "created_by", "x", "no such field");
	set_refused(f, "no_such_step", "status", "done", "no_such_step");
	char *err = NULL;
	assert_int_equal(checklist_set_step(f->db, "nostay", "income_applied", "status", "done",
					    &err),
			 -1);
	assert_contains(err, "no stay");
	free(err);
}

static void test_status_and_thing_cycles(void **state)
{
	(void)state;
	assert_string_equal(checklist_next_status("todo"), "doing");
	assert_string_equal(checklist_next_status("doing"), "done");
	assert_string_equal(checklist_next_status("done"), "na");
	assert_string_equal(checklist_next_status("na"), "todo");
	assert_string_equal(checklist_next_status(NULL), "doing");
	assert_string_equal(checklist_next_thing_state(NULL), "needed");
	assert_string_equal(checklist_next_thing_state("needed"), "applied");
	assert_string_equal(checklist_next_thing_state("applied"), "granted");
	assert_string_equal(checklist_next_thing_state("granted"), "have");
	assert_string_equal(checklist_next_thing_state("have"), "needed");
}

/* The stored value of table.field of the row id (a new string, NULL when none). */
static char *stored(struct db *db, const char *table, const char *id, const char *field)
{
	struct record r;
	char *err = NULL;
	if (db_record_get(db, table, id, &r, &err) != 1) {
		free(err);
		return NULL;
	}
	const char *v = record_get(&r, field);
	char *out = v ? xstrdup(v) : NULL;
	record_free(&r);
	return out;
}

/* Space on what the screen showed: moved on from it; on a value someone else has changed
 * since, nothing is written (1). */
static void test_move_from_what_was_seen(void **state)
{
	struct fixture *f = *state;
	char *err = NULL, *id = xasprintf("%s/income_applied", f->stay);
	const char *next = NULL;
	assert_int_equal(checklist_move_step(f->db, f->stay, "income_applied", "todo", &next, &err), 0);
	assert_string_equal(next, "doing");
	char *v = stored(f->db, "checklist_step", id, "status");
	assert_string_equal(v, "doing");
	free(v);
	/* A second screen still showing "not started": refused, the stored value stands. */
	assert_int_equal(checklist_move_step(f->db, f->stay, "income_applied", "todo", &next, &err), 1);
	v = stored(f->db, "checklist_step", id, "status");
	assert_string_equal(v, "doing");
	free(v);
	free(id);
	id = xasprintf("%s/bed", f->stay);
	assert_int_equal(checklist_move_thing(f->db, f->stay, "bed", NULL, &next, &err), 0);
	assert_string_equal(next, "needed");
	assert_int_equal(checklist_move_thing(f->db, f->stay, "bed", NULL, &next, &err), 1);
	assert_int_equal(checklist_move_thing(f->db, f->stay, "bed", "needed", &next, &err), 0);
	v = stored(f->db, "furniture", id, "state");
	assert_string_equal(v, "applied");
	free(v);
	free(id);
	assert_null(err);
}

static void test_things(void **state)
{
	struct fixture *f = *state;
	char *err = NULL;
	unit_check_ok(checklist_set_thing(f->db, f->stay, "bed", "needed", &err), err, "bed");
	err = NULL;
	unit_check_ok(checklist_set_thing(f->db, f->stay, "bed", "granted", &err), err, "bed 2");
	err = NULL;
	unit_check_ok(checklist_set_thing(f->db, f->stay, "  Vaskemaskine  ", "needed", &err), err,
		      "typed");
	const char *bad[] = {"", "   ", "Seng\033[2J", NULL};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err = NULL;
		assert_int_equal(checklist_set_thing(f->db, f->stay, bad[i], "needed", &err), -1);
		assert_non_null(err);
		free(err);
	}
	char long_name[200];
	memset(long_name, 'x', 61);
	long_name[61] = '\0';
	err = NULL;
	assert_int_equal(checklist_set_thing(f->db, f->stay, long_name, "needed", &err), -1);
	assert_contains(err, "60");
	free(err);
	err = NULL;
	assert_int_equal(checklist_set_thing(f->db, f->stay, "bed", "broken", &err), -1);
	free(err);
	struct checklist c;
	load(f, &c);
	assert_int_equal(c.nthings, list_furniture.n + 1);
	assert_string_equal(c.things[0].thing, "bed");
	assert_string_equal(c.things[0].state, "granted");
	assert_string_equal(checklist_thing_label(&c.things[0]), "Bed");
	assert_string_equal(c.things[c.nthings - 1].thing, "Vaskemaskine");
	assert_string_equal(checklist_thing_label(&c.things[c.nthings - 1]), "Vaskemaskine");
	checklist_free(&c);
	assert_int_equal(unit_sql_long(f->path, "SELECT count(*) FROM furniture"), 2);
}

/* A step hidden after it was used keeps its data: loaded last, marked, not counted; a step
 * added in husly.conf reads as not started and counts, in the list too. */
static void test_configured_steps(void **state)
{
	struct fixture *f = *state;
	set_ok(f, "housing_viewing", "status", "done");
	set_ok(f, "income_applied", "status", "done");
	unit_configure(f->dir, "checklist {\n"
		     "  step housing_viewing { hidden = true }\n"
		     "  step housing_insurance { item = \"housing\" label = \"Insurance\" }\n"
		     "}\n");
	struct checklist c;
	load(f, &c);
	assert_int_equal(c.nsteps, checklist_step_count() + 1);
	const struct checklist_step *hidden = &c.steps[c.nsteps - 1];
	assert_string_equal(hidden->code, "housing_viewing");
	assert_true(hidden->hidden);
	assert_string_equal(hidden->status, "done");
	const struct checklist_step *added = step_of(&c, "housing_insurance");
	assert_non_null(added);
	assert_false(added->hidden);
	assert_false(added->stored);
	assert_string_equal(checklist_step_label(added), "Insurance");
	assert_int_equal(c.done, 1);
	assert_int_equal(c.relevant, (int)checklist_step_count());
	int done, relevant;
	list_progress(f, &done, &relevant);
	assert_int_equal(done, c.done);
	assert_int_equal(relevant, c.relevant);
	checklist_free(&c);
	/* The added step gets its row when first changed. */
	set_ok(f, "housing_insurance", "status", "na");
	load(f, &c);
	assert_true(step_of(&c, "housing_insurance")->stored);
	assert_int_equal(c.relevant, (int)checklist_step_count() - 1);
	list_progress(f, &done, &relevant);
	assert_int_equal(relevant, c.relevant);
	checklist_free(&c);
	/* Back in use, the hidden step's data is there again. */
	lists_reset();
	load(f, &c);
	assert_int_equal(c.done, 2);
	assert_false(step_of(&c, "housing_viewing")->hidden);
	checklist_free(&c);
}

static void test_stay_of(void **state)
{
	struct fixture *f = *state;
	char stay[ID_LEN], *err = NULL;
	assert_int_equal(checklist_stay_of(f->db, f->resident, stay, &err), 1);
	assert_string_equal(stay, f->stay);
	assert_int_equal(checklist_stay_of(f->db, "nobody", stay, &err), 0);
	assert_null(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_fresh_stay_reads_as_not_started, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_step_fields_with_history, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_status_and_thing_cycles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_things, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_move_from_what_was_seen, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_configured_steps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stay_of, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
