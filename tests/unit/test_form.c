/* Two people editing the same resident at once (form.h): a form's save reads every field again
 * in its write transaction; what only someone else changed is kept, what only this user
 * changed is written, and a field both changed to different values is a clash that writes
 * nothing until the user chooses: keep mine, take theirs, or field by field. Two connections
 * to one database file stand for two husly processes with different logins. */
#include "unit.h"

#include "checklist.h"
#include "clock.h"
#include "form.h"
#include "ids.h"
#include "record.h"
#include "stay.h"
#include "sync.h"

/* 2026-11-23 10:00 in Copenhagen. */
#define NOW 1795424400

struct fixture {
	char *dir, *path;
	struct db *a, *b; /* anna's and bo's husly, on the same file */
	char resident[ID_LEN], stay[ID_LEN];
};

static void add_resident(struct fixture *f)
{
	char *err = NULL;
	id_new(f->resident);
	id_new(f->stay);
	unit_check_ok(db_begin(f->a, &err), err, "db_begin");
	const struct field_value person[] = {{"name", "Åse Ærbø"}, {"network", "søster"}};
	unit_check_ok(db_record_insert(f->a, "resident", f->resident, person, 2, &err), err,
		      "insert resident");
	const struct field_value stay[] = {
	    {"resident_id", f->resident}, {"arrival", "2026-11-01 10:00"}, {"room", "3"}};
	unit_check_ok(db_record_insert(f->a, "stay", f->stay, stay, 3, &err), err, "insert stay");
	unit_check_ok(db_commit(f->a, &err), err, "db_commit");
}

static int setup(void **state)
{
	unit_pin_english();
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = unit_tmpdir();
	f->path = unit_path(f->dir, "h.db");
	f->a = unit_db_open(f->path);
	f->b = unit_db_open(f->path);
	db_set_actor(f->a, "anna");
	db_set_actor(f->b, "bo");
	clock_fix(NOW);
	add_resident(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->a);
	db_close(f->b);
	unit_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	clock_fix(0);
	return 0;
}

/* Sets a field through db as that login would, in its own transaction. */
static void set(struct db *db, const char *table, const char *id, const char *field,
		const char *value)
{
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	unit_check_ok(db_record_set(db, table, id, field, value, &err), err, field);
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

/* The stored value of a field, as a new string (NULL for none). */
static char *get(struct db *db, const char *table, const char *id, const char *field)
{
	struct field_now now;
	char *err = NULL;
	unit_check_ok(db_field_now(db, table, id, field, &now, &err), err, field);
	char *v = now.value;
	now.value = NULL;
	field_now_free(&now);
	return v;
}

static void assert_field(struct db *db, const char *table, const char *id, const char *field,
			 const char *expected)
{
	char *v = get(db, table, id, field);
	if (expected)
		assert_string_equal(v, expected);
	else
		assert_null(v);
	free(v);
}

static long history_rows(const struct fixture *f)
{
	return unit_sql_long(f->path, "SELECT count(*) FROM history");
}

/* bo's form over the resident's room (stay), network and work. */
enum { F_ROOM, F_NETWORK, F_WORK, F_N };
static void open_form(struct fixture *f, struct form_field *ff)
{
	form_field_init(&ff[F_ROOM], "stay", f->stay, "room", NULL);
	form_field_init(&ff[F_NETWORK], "resident", f->resident, "network", NULL);
	form_field_init(&ff[F_WORK], "resident", f->resident, "work", NULL);
	char *err = NULL;
	unit_check_ok(form_load(f->b, ff, F_N, &err), err, "form_load");
}

static int save(struct fixture *f, struct form_field *ff, struct form_outcome *out)
{
	char *err = NULL;
	int rc = form_save(f->b, ff, F_N, NULL, NULL, out, &err);
	if (rc < 0)
		fail_msg("form_save: %s", err ? err : "(no message)");
	return rc;
}

static void field_now_tells_value_and_last_change(void **state)
{
	struct fixture *f = *state;
	set(f->a, "stay", f->stay, "room", "12A");
	struct field_now now;
	char *err = NULL;
	unit_check_ok(db_field_now(f->b, "stay", f->stay, "room", &now, &err), err, "room");
	assert_true(now.exists);
	assert_string_equal(now.value, "12A");
	assert_string_equal(now.login, "anna");
	assert_string_equal(now.at, "2026-11-23T09:00:00Z");
	field_now_free(&now);
	/* A field never written: no value, no change; a record that does not exist. */
	unit_check_ok(db_field_now(f->b, "resident", f->resident, "work", &now, &err), err, "w");
	assert_true(now.exists);
	assert_null(now.value);
	assert_null(now.login);
	field_now_free(&now);
	unit_check_ok(db_field_now(f->b, "stay", "nosuchstay00", "room", &now, &err), err, "n");
	assert_false(now.exists);
	/* Names that are not the schema's never reach the SQL. */
	assert_int_equal(db_field_now(f->b, "stay", f->stay, "room; DROP", &now, &err), -1);
	unit_free(&err);
	assert_int_equal(db_field_now(f->b, "audit", "x", "login", &now, &err), -1);
	unit_free(&err);
}

static void states_from_loaded_mine_and_now(void **state)
{
	(void)state;
	struct form_field x = {0};
	x.loaded = xstrdup("a");
	x.mine = xstrdup("a");
	x.now.value = xstrdup("a");
	assert_int_equal(form_state(&x), FORM_UNCHANGED);
	form_set_mine(&x, "b");
	assert_int_equal(form_state(&x), FORM_MINE);
	assert_string_equal(form_value(&x), "b");
	form_set_mine(&x, "a");
	free(x.now.value);
	x.now.value = xstrdup("c");
	assert_int_equal(form_state(&x), FORM_THEIRS);
	assert_string_equal(form_value(&x), "c");
	form_set_mine(&x, "c");
	assert_int_equal(form_state(&x), FORM_AGREE);
	form_set_mine(&x, ""); /* emptied: none */
	assert_null(x.mine);
	assert_int_equal(form_state(&x), FORM_CLASH);
	form_fields_free(&x, 1);
}

/* Nobody else changed anything: bo's change is written, nothing else. */
static void alone_writes_mine(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	open_form(f, ff);
	assert_string_equal(ff[F_ROOM].loaded, "3");
	form_set_mine(&ff[F_ROOM], "14");
	long before = history_rows(f);
	struct form_outcome out;
	assert_int_equal(save(f, ff, &out), 0);
	assert_int_equal(out.written, 1);
	assert_int_equal(out.kept, 0);
	assert_field(f->a, "stay", f->stay, "room", "14");
	assert_int_equal(history_rows(f), before + 1);
	assert_string_equal(ff[F_ROOM].loaded, "14"); /* the form holds what is stored */
	form_fields_free(ff, F_N);
}

/* anna changed the network, which bo did not touch: bo's save keeps hers. */
static void theirs_is_kept_not_overwritten(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	open_form(f, ff);
	set(f->a, "resident", f->resident, "network", "bror");
	form_set_mine(&ff[F_WORK], "lager");
	struct form_outcome out;
	assert_int_equal(save(f, ff, &out), 0);
	assert_int_equal(out.written, 1);
	assert_int_equal(out.kept, 1);
	assert_field(f->a, "resident", f->resident, "network", "bror");
	assert_field(f->a, "resident", f->resident, "work", "lager");
	assert_string_equal(ff[F_NETWORK].loaded, "bror");
	form_fields_free(ff, F_N);
}

/* Both changed the room, to different values: nothing at all is written, not even bo's work,
 * and the clash says who changed it and when. */
static void clash_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	open_form(f, ff);
	set(f->a, "stay", f->stay, "room", "12A");
	set(f->a, "resident", f->resident, "network", "bror");
	form_set_mine(&ff[F_ROOM], "14");
	form_set_mine(&ff[F_WORK], "lager");
	long before = history_rows(f);
	struct form_outcome out;
	assert_int_equal(save(f, ff, &out), 1);
	assert_int_equal(out.clashes, 1);
	assert_int_equal(history_rows(f), before);
	assert_field(f->a, "resident", f->resident, "work", NULL);
	assert_int_equal(form_state(&ff[F_ROOM]), FORM_CLASH);
	assert_string_equal(ff[F_ROOM].now.value, "12A");
	assert_string_equal(ff[F_ROOM].now.login, "anna");
	assert_non_null(ff[F_ROOM].now.at);
	assert_string_equal(ff[F_ROOM].loaded, "3"); /* what bo opened is still there */
	assert_string_equal(ff[F_ROOM].mine, "14");
	form_fields_free(ff, F_N);
}

/* resolve_and_save F FF TAKE_THEIRS: bo's answer to the clash on the room. */
static void resolve_and_save(struct fixture *f, struct form_field *ff, int take_theirs,
			     struct form_outcome *out)
{
	ff[F_ROOM].take_theirs = take_theirs;
	form_resolve(ff, F_N);
	assert_int_equal(save(f, ff, out), 0);
}

static void clash_then(struct fixture *f, struct form_field *ff)
{
	open_form(f, ff);
	set(f->a, "stay", f->stay, "room", "12A");
	set(f->a, "resident", f->resident, "network", "bror");
	form_set_mine(&ff[F_ROOM], "14");
	form_set_mine(&ff[F_WORK], "lager");
	struct form_outcome out;
	assert_int_equal(save(f, ff, &out), 1);
}

static void keep_mine(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	clash_then(f, ff);
	struct form_outcome out;
	resolve_and_save(f, ff, 0, &out);
	assert_int_equal(out.written, 2);
	assert_int_equal(out.kept, 1); /* the network */
	assert_field(f->a, "stay", f->stay, "room", "14");
	assert_field(f->a, "resident", f->resident, "work", "lager");
	assert_field(f->a, "resident", f->resident, "network", "bror");
	form_fields_free(ff, F_N);
}

static void take_theirs(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	clash_then(f, ff);
	long before = history_rows(f);
	struct form_outcome out;
	resolve_and_save(f, ff, 1, &out);
	assert_int_equal(out.written, 1); /* the work only */
	assert_int_equal(out.kept, 2);    /* the room and the network */
	assert_int_equal(history_rows(f), before + 1);
	assert_field(f->a, "stay", f->stay, "room", "12A");
	assert_field(f->a, "resident", f->resident, "work", "lager");
	form_fields_free(ff, F_N);
}

/* Field by field: two clashes, one settled each way. */
static void field_by_field(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	open_form(f, ff);
	set(f->a, "stay", f->stay, "room", "12A");
	set(f->a, "resident", f->resident, "work", "køkken");
	form_set_mine(&ff[F_ROOM], "14");
	form_set_mine(&ff[F_WORK], "lager");
	struct form_outcome out;
	assert_int_equal(save(f, ff, &out), 1);
	assert_int_equal(out.clashes, 2);
	ff[F_ROOM].take_theirs = 1;
	ff[F_WORK].take_theirs = 0;
	form_resolve(ff, F_N);
	assert_int_equal(save(f, ff, &out), 0);
	assert_int_equal(out.written, 1);
	assert_int_equal(out.kept, 1);
	assert_field(f->a, "stay", f->stay, "room", "12A");
	assert_field(f->a, "resident", f->resident, "work", "lager");
	form_fields_free(ff, F_N);
}

/* A change that comes in while bo chooses is a clash again, with the newest value. */
static void another_change_meanwhile(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	clash_then(f, ff);
	ff[F_ROOM].take_theirs = 0;
	form_resolve(ff, F_N);
	set(f->a, "stay", f->stay, "room", "15");
	struct form_outcome out;
	assert_int_equal(save(f, ff, &out), 1);
	assert_string_equal(ff[F_ROOM].loaded, "12A");
	assert_string_equal(ff[F_ROOM].now.value, "15");
	assert_field(f->a, "resident", f->resident, "work", NULL);
	resolve_and_save(f, ff, 0, &out);
	assert_field(f->a, "stay", f->stay, "room", "14");
	form_fields_free(ff, F_N);
}

/* Both made the same change: no clash, and it is not written twice. */
static void same_change_agrees(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	open_form(f, ff);
	set(f->a, "stay", f->stay, "room", "14");
	form_set_mine(&ff[F_ROOM], "14");
	long before = history_rows(f);
	struct form_outcome out;
	assert_int_equal(save(f, ff, &out), 0);
	assert_int_equal(out.written, 0);
	assert_int_equal(history_rows(f), before);
	form_fields_free(ff, F_N);
}

/* A step the stay has no row for reads as not started; anna makes the row by setting its date,
 * bo writes its note: both kept. */
static void step_without_row(void **state)
{
	struct fixture *f = *state;
	char *id = xasprintf("%s/income_applied", f->stay);
	struct form_field ff[3];
	form_field_init(&ff[0], "checklist_step", id, "status", "todo");
	form_field_init(&ff[1], "checklist_step", id, "date", NULL);
	form_field_init(&ff[2], "checklist_step", id, "note", NULL);
	char *err = NULL;
	unit_check_ok(form_load(f->b, ff, 3, &err), err, "form_load");
	assert_string_equal(ff[0].loaded, "todo");
	unit_check_ok(checklist_set_step(f->a, f->stay, "income_applied", "date", "2026-11-20",
					 &err),
		      err, "set date");
	form_set_mine(&ff[2], "ringet");
	struct form_outcome out;
	unit_check_ok(form_save(f->b, ff, 3, NULL, NULL, &out, &err), err, "form_save");
	assert_int_equal(out.written, 1);
	assert_int_equal(out.kept, 1);
	assert_field(f->a, "checklist_step", id, "date", "2026-11-20");
	assert_field(f->a, "checklist_step", id, "note", "ringet");
	assert_field(f->a, "checklist_step", id, "status", "todo");
	form_fields_free(ff, 3);
	free(id);
}

/* A step with no row yet, changed by one user alone: the save makes the row (the row's absence
 * is not an erasure). */
static void step_row_made_by_save(void **state)
{
	struct fixture *f = *state;
	char *id = xasprintf("%s/income_applied", f->stay);
	struct form_field ff[2];
	form_field_init(&ff[0], "checklist_step", id, "status", "todo");
	form_field_init(&ff[1], "checklist_step", id, "date", NULL);
	char *err = NULL;
	unit_check_ok(form_load(f->b, ff, 2, &err), err, "form_load");
	form_set_mine(&ff[1], "2026-11-21");
	struct form_outcome out;
	unit_check_ok(form_save(f->b, ff, 2, NULL, NULL, &out, &err), err, "form_save");
	assert_int_equal(out.written, 1);
	assert_field(f->a, "checklist_step", id, "date", "2026-11-21");
	assert_field(f->a, "checklist_step", id, "status", "todo");
	form_fields_free(ff, 2);
	free(id);
}

/* A departure form: what stay_depart refuses is refused here too, and two departures clash. */
static void departure_form(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[3];
	form_field_init(&ff[0], "stay", f->stay, "departure", NULL);
	form_field_init(&ff[1], "stay", f->stay, "destination", NULL);
	form_field_init(&ff[2], "stay", f->stay, "departure_note", NULL);
	char *err = NULL;
	unit_check_ok(form_load(f->b, ff, 3, &err), err, "form_load");
	form_set_mine(&ff[0], "2026-10-01 10:00"); /* before the arrival */
	form_set_mine(&ff[1], "shelter");
	struct form_outcome out;
	long before = history_rows(f);
	assert_int_equal(form_save(f->b, ff, 3, stay_departure_check, NULL, &out, &err), -1);
	assert_string_equal(err, "The departure is before the arrival.");
	unit_free(&err);
	assert_int_equal(history_rows(f), before);
	unit_check_ok(stay_depart(f->a, f->resident, "2026-11-22 09:00", "family", NULL, &err), err,
		      "stay_depart");
	form_set_mine(&ff[0], "2026-11-22 10:00");
	assert_int_equal(form_save(f->b, ff, 3, stay_departure_check, NULL, &out, &err), 1);
	assert_int_equal(out.clashes, 2);
	ff[0].take_theirs = 1;
	form_resolve(ff, 3);
	unit_check_ok(form_save(f->b, ff, 3, stay_departure_check, NULL, &out, &err), err, "save");
	assert_field(f->a, "stay", f->stay, "departure", "2026-11-22 09:00");
	assert_field(f->a, "stay", f->stay, "destination", "shelter");
	form_fields_free(ff, 3);
}

/* The resident was erased while bo's form was open: refused, nothing comes back. */
static void erased_meanwhile(void **state)
{
	struct fixture *f = *state;
	struct form_field ff[F_N];
	open_form(f, ff);
	char *err = NULL;
	unit_check_ok(db_erase_resident(f->a, f->resident, &err), err, "erase");
	form_set_mine(&ff[F_NETWORK], "bror"); /* was "søster": not a clash with what erasure left */
	struct form_outcome out;
	assert_int_equal(form_save(f->b, ff, F_N, NULL, NULL, &out, &err), -1);
	assert_string_equal(err, "The resident has been erased.");
	unit_free(&err);
	assert_field(f->a, "resident", f->resident, "network", NULL);
	form_fields_free(ff, F_N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(field_now_tells_value_and_last_change, setup, teardown),
	    cmocka_unit_test(states_from_loaded_mine_and_now),
	    cmocka_unit_test_setup_teardown(alone_writes_mine, setup, teardown),
	    cmocka_unit_test_setup_teardown(theirs_is_kept_not_overwritten, setup, teardown),
	    cmocka_unit_test_setup_teardown(clash_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(keep_mine, setup, teardown),
	    cmocka_unit_test_setup_teardown(take_theirs, setup, teardown),
	    cmocka_unit_test_setup_teardown(field_by_field, setup, teardown),
	    cmocka_unit_test_setup_teardown(another_change_meanwhile, setup, teardown),
	    cmocka_unit_test_setup_teardown(same_change_agrees, setup, teardown),
	    cmocka_unit_test_setup_teardown(step_without_row, setup, teardown),
	    cmocka_unit_test_setup_teardown(step_row_made_by_save, setup, teardown),
	    cmocka_unit_test_setup_teardown(departure_form, setup, teardown),
	    cmocka_unit_test_setup_teardown(erased_meanwhile, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
