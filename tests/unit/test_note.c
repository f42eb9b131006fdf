/* Notes and the shift log: note_add refuses what is not a note, trims, signs with the login and
 * keeps the history; db_notes_since gives every note since a time across residents, newest
 * first; the shift boundaries the shift log starts at. */
#include "unit.h"

#include <sqlite3.h>

#include "clock.h"
#include "db.h"
#include "ids.h"
#include "note.h"
#include "record.h"

/* 2026-11-25T01:14:00Z, 02:14 in Copenhagen. */
#define NOW 1795569240

struct fixture {
	char *dir;
	char *path;
	struct db *db;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = unit_tmpdir();
	f->path = unit_path(f->dir, "h.db");
	f->db = unit_db_open(f->path);
	db_set_actor(f->db, "ole");
	clock_fix(NOW);
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
	return 0;
}

/* A resident with a name, staying in room (NULL: not staying); prints nothing, returns the id
 * in id. */
static void add_resident(struct db *db, const char *name, const char *room, char id[ID_LEN])
{
	char *err = NULL;
	id_new(id);
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	err = NULL;
	const struct field_value person[] = {{"name", name}};
	unit_check_ok(db_record_insert(db, "resident", id, person, 1, &err), err, "insert resident");
	err = NULL;
	if (room) {
		char stay[ID_LEN];
		id_new(stay);
		const struct field_value fields[] = {
			{"resident_id", id}, {"arrival", "2026-11-01 10:00"}, {"room", room}};
		unit_check_ok(db_record_insert(db, "stay", stay, fields, 3, &err), err, "insert stay");
		err = NULL;
	}
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

static void erase_resident(struct db *db, const char *id)
{
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	err = NULL;
	unit_check_ok(db_record_set(db, "resident", id, "erased_at", "2026-11-25T00:00:00Z", &err),
		      err, "erase");
	err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

static void add_ok(struct db *db, const char *resident, const char *kind, const char *body,
		   char id[ID_LEN])
{
	char *err = NULL;
	unit_check_ok(note_add_id(db, resident, kind, body, id, &err), err, "note_add");
}

/* note_add fails with a message containing words; no note is written. */
static void add_refused(struct fixture *f, const char *resident, const char *kind,
			const char *body, const char *words)
{
	long before = unit_sql_long(f->path, "SELECT count(*) FROM note");
	char *err = NULL;
	assert_int_equal(note_add(f->db, resident, kind, body, &err), -1);
	assert_non_null(err);
	assert_contains(err, words);
	free(err);
	assert_int_equal(unit_sql_long(f->path, "SELECT count(*) FROM note"), before);
	/* No transaction is left open: the next write works. */
	err = NULL;
	assert_int_equal(db_begin(f->db, &err), 0);
	db_rollback(f->db);
}

static void test_empty_refused(void **state)
{
	struct fixture *f = *state;
	char id[ID_LEN];
	add_resident(f->db, "Søren Jensen", "12A", id);
	add_refused(f, id, "note", "", "empty");
	add_refused(f, id, "note", NULL, "empty");
	add_refused(f, id, "note", "  \n\t \r\n ", "empty");
	add_refused(f, NULL, "shift", "   ", "empty");
}

static void test_too_long_refused(void **state)
{
	struct fixture *f = *state;
	char id[ID_LEN], note[ID_LEN];
	add_resident(f->db, "Søren Jensen", "12A", id);
	char body[NOTE_MAX_BYTES + 16];
	memset(body, 'x', NOTE_MAX_BYTES + 1);
	body[NOTE_MAX_BYTES + 1] = '\0';
	add_refused(f, id, "note", body, "too long");
	/* The limit is in bytes: 1000 æ are 2000 bytes and fit; one more letter does not. */
	struct strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < NOTE_MAX_BYTES / 2; i++)
		sb_add(&sb, "æ");
	add_ok(f->db, id, "note", sb.buf, note);
	sb_add(&sb, "a");
	add_refused(f, id, "note", sb.buf, "too long");
	sb_free(&sb);
	/* Exactly the limit, with white space around it that is trimmed first. */
	body[NOTE_MAX_BYTES] = '\0';
	char *padded = xasprintf("  \n%s \n", body);
	add_ok(f->db, id, "note", padded, note);
	free(padded);
	assert_int_equal(unit_sql_long(f->path, "SELECT count(*) FROM note"), 2);
}

static void test_refuses_what_is_not_a_note(void **state)
{
	struct fixture *f = *state;
	char id[ID_LEN], unknown[ID_LEN];
	add_resident(f->db, "Søren Jensen", "12A", id);
	id_new(unknown);
	add_refused(f, unknown, "note", "hej", "no longer exists");
	add_refused(f, NULL, "note", "hej", "without a resident");
	add_refused(f, id, "diary", "hej", "kind");
	add_refused(f, id, "note", "bad \xC3\x28 byte", "UTF-8");
	erase_resident(f->db, id);
	add_refused(f, id, "note", "hej", "erased");
}

static void test_trimmed_signed_and_kept(void **state)
{
	struct fixture *f = *state;
	char id[ID_LEN], note[ID_LEN];
	add_resident(f->db, "Søren Jensen", "12A", id);
	db_set_actor(f->db, "mette");
	add_ok(f->db, id, "note", " \n Sov uroligt, æøå 😀\nringede til lægen  \t\n", note);
	assert_true(id_is_valid(note));
	struct record r;
	char *err = NULL;
	assert_int_equal(db_record_get(f->db, "note", note, &r, &err), 1);
	assert_string_equal(record_get(&r, "body"), "Sov uroligt, æøå 😀\nringede til lægen");
	assert_string_equal(record_get(&r, "resident_id"), id);
	assert_string_equal(record_get(&r, "kind"), "note");
	assert_string_equal(record_get(&r, "created_by"), "mette");
	assert_string_equal(record_get(&r, "updated_by"), "mette");
	assert_string_equal(record_get(&r, "created_at"), "2026-11-25T01:14:00Z");
	record_free(&r);
	/* The history has the note's fields, by the same login at the same time. */
	char *sql = xasprintf("SELECT count(*) FROM history WHERE tbl = 'note' AND row_id = '%s' "
			      "AND login = 'mette' AND at = '2026-11-25T01:14:00Z' AND "
			      "old_value IS NULL AND ((field = 'body' AND new_value = "
			      "'Sov uroligt, æøå 😀' || char(10) || 'ringede til lægen') OR "
			      "(field = 'kind' AND new_value = 'note') OR "
			      "(field = 'resident_id' AND new_value = '%s'))",
			      note, id);
	assert_int_equal(unit_sql_long(f->path, sql), 3);
	free(sql);
	/* A shift-log entry has no resident, and no history line for it. */
	add_ok(f->db, NULL, "shift", "Rolig nat", note);
	assert_int_equal(db_record_get(f->db, "note", note, &r, &err), 1);
	assert_null(record_get(&r, "resident_id"));
	assert_string_equal(record_get(&r, "kind"), "shift");
	assert_string_equal(record_get(&r, "created_by"), "mette");
	record_free(&r);
	sql = xasprintf("SELECT count(*) FROM history WHERE row_id = '%s'", note);
	assert_int_equal(unit_sql_long(f->path, sql), 2);
	free(sql);
}

/* Adds a note at the UTC time at ("YYYY-MM-DDTHH:MM:SSZ"). */
static void add_at(struct db *db, const char *at, const char *resident, const char *kind,
		   const char *body)
{
	time_t t;
	assert_int_equal(iso_utc_to_time(at, &t), 0);
	clock_fix(t);
	char id[ID_LEN];
	add_ok(db, resident, kind, body, id);
	clock_fix(NOW);
}

static void test_notes_since(void **state)
{
	struct fixture *f = *state;
	char soren[ID_LEN], almira[ID_LEN], gone[ID_LEN], erased[ID_LEN];
	add_resident(f->db, "Søren Jensen", "12A", soren);
	add_resident(f->db, "Almira H.", "14", almira);
	add_resident(f->db, "Bjørn Flyttet", NULL, gone);
	add_resident(f->db, "Slettet Person", "3", erased);
	add_at(f->db, "2026-11-24T13:59:59Z", soren, "note", "for tidligt");
	add_at(f->db, "2026-11-24T14:00:00Z", soren, "note", "lige til tiden");
	add_at(f->db, "2026-11-24T20:00:00Z", NULL, "shift", "aftenvagt rolig");
	add_at(f->db, "2026-11-24T22:00:00Z", erased, "note", "om en slettet");
	add_at(f->db, "2026-11-25T00:30:00Z", gone, "note", "flyttet ud");
	add_at(f->db, "2026-11-25T01:00:00Z", almira, "note", "første i sekundet");
	add_at(f->db, "2026-11-25T01:00:00Z", soren, "note", "anden i sekundet");
	erase_resident(f->db, erased);

	struct shift_entry *e;
	size_t n;
	char *err = NULL;
	unit_check_ok(db_notes_since(f->db, "2026-11-24T14:00:00Z", &e, &n, &err), err,
		      "db_notes_since");
	assert_int_equal(n, 5);
	/* Newest first; in the same second, the one written last first. */
	assert_string_equal(e[0].body, "anden i sekundet");
	assert_string_equal(e[0].name, "Søren Jensen");
	assert_string_equal(e[0].room, "12A");
	assert_string_equal(e[0].resident_id, soren);
	assert_string_equal(e[0].created_by, "ole");
	assert_string_equal(e[0].created_at, "2026-11-25T01:00:00Z");
	assert_string_equal(e[1].body, "første i sekundet");
	assert_string_equal(e[1].name, "Almira H.");
	assert_string_equal(e[1].room, "14");
	/* Not staying: a name, no room. */
	assert_string_equal(e[2].body, "flyttet ud");
	assert_string_equal(e[2].name, "Bjørn Flyttet");
	assert_null(e[2].room);
	/* The erased resident's note is left out; the shift entry has no resident. */
	assert_string_equal(e[3].body, "aftenvagt rolig");
	assert_string_equal(e[3].kind, "shift");
	assert_null(e[3].resident_id);
	assert_null(e[3].name);
	assert_null(e[3].room);
	/* At the boundary itself: in; a second before: out. */
	assert_string_equal(e[4].body, "lige til tiden");
	assert_string_equal(e[4].kind, "note");
	shift_entries_free(e, n);

	unit_check_ok(db_notes_since(f->db, "2026-11-25T01:00:01Z", &e, &n, &err), err,
		      "db_notes_since");
	assert_int_equal(n, 0);
	shift_entries_free(e, n);
	assert_int_equal(db_notes_since(f->db, "yesterday", &e, &n, &err), -1);
	assert_non_null(err);
	free(err);

	/* One resident's notes, newest first, in the same form. */
	err = NULL;
	unit_check_ok(db_resident_notes(f->db, soren, &e, &n, &err), err, "db_resident_notes");
	assert_int_equal(n, 3);
	assert_string_equal(e[0].body, "anden i sekundet");
	assert_string_equal(e[2].body, "for tidligt");
	shift_entries_free(e, n);
}

static void check_start(const char *now, const char *want)
{
	char out[LOCAL_MIN_LEN];
	shift_start(now, out);
	assert_string_equal(out, want);
}

static void check_step(const char *from, long steps, const char *want)
{
	char out[LOCAL_MIN_LEN];
	shift_step(from, steps, out);
	assert_string_equal(out, want);
}

static void test_shifts(void **state)
{
	(void)state;
	check_start("2026-11-25 02:14", "2026-11-24 23:00");
	check_start("2026-11-25 06:59", "2026-11-24 23:00");
	check_start("2026-11-25 07:00", "2026-11-25 07:00");
	check_start("2026-11-25 14:59", "2026-11-25 07:00");
	check_start("2026-11-25 15:00", "2026-11-25 15:00");
	check_start("2026-11-25 23:59", "2026-11-25 23:00");
	check_start("2027-01-01 00:10", "2026-12-31 23:00");
	check_start("not a time", "");
	check_step("2026-11-24 23:00", -1, "2026-11-24 15:00");
	check_step("2026-11-24 23:00", -3, "2026-11-23 23:00");
	check_step("2026-11-24 23:00", 1, "2026-11-25 07:00");
	check_step("2026-12-31 23:00", 1, "2027-01-01 07:00");
	check_step("2026-03-01 07:00", -4, "2026-02-27 23:00");
	check_step("2026-03-01 07:00", 0, "2026-03-01 07:00");
	/* A day of 23 hours (summer time begins) still has its shifts at 07, 15 and 23. */
	check_step("2026-03-28 23:00", 1, "2026-03-29 07:00");
}

int main(void)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_long_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_what_is_not_a_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trimmed_signed_and_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notes_since, setup, teardown),
		cmocka_unit_test(test_shifts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
