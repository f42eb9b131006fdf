/* Sync's rules, case by case, between terminals in one process (plain bundles in temporary
 * files): different fields both kept; the same field, the same winner everywhere and the loser
 * kept as a conflict with who and when; a restored or kept conflict travels; erasure wins over
 * older bundles; a child before its parent waits; a clock far ahead is refused; malformed
 * changes are refused with nothing changed; a delta is small. */
#include "unit.h"

#include "clock.h"
#include "dump.h"
#include "ids.h"
#include "record.h"
#include "sync.h"

/* 2026-11-23 10:00 in Copenhagen, and a minute. */
#define T0 1795424400
#define MINUTE 60

struct fixture {
	char *dir;
	struct db *a, *b, *c;
	char resident[ID_LEN], stay[ID_LEN];
};

static struct db *terminal(const char *dir, const char *name, const char *login)
{
	struct db *db = unit_db_fresh(dir, name);
	db_set_actor(db, login);
	return db;
}

static void write_field(struct db *db, const char *table, const char *id, const char *field,
			const char *value)
{
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	err = NULL;
	unit_check_ok(db_record_set(db, table, id, field, value, &err), err, field);
	err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

/* Everything from one terminal into another, as a plain bundle; returns the counts. */
static struct sync_counts send(struct fixture *f, struct db *from, struct db *to,
			       const char *peer, int full)
{
	char *path = unit_path(f->dir, "x.bundle");
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	long changes;
	long long upto;
	char *err = NULL;
	unit_check_ok(sync_export(from, peer, full, "t", NULL, out, &changes, &upto, &err), err,
		      "sync_export");
	assert_int_equal(fclose(out), 0);
	err = NULL;
	unit_check_ok(sync_export_done(from, peer, upto, changes, full, &err), err, "export_done");
	FILE *in = fopen(path, "rb");
	struct sync_counts c;
	err = NULL;
	unit_check_ok(sync_import(to, in, path, NULL, 1, &c, &err), err, "sync_import");
	fclose(in);
	free(path);
	return c;
}

static char *dump_of(struct db *db)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	char *err = NULL;
	unit_check_ok(db_dump(db, out, &err), err, "db_dump");
	fclose(out);
	return text;
}

static void assert_same_dumps(struct db *x, struct db *y)
{
	char *dx = dump_of(x), *dy = dump_of(y);
	assert_string_equal(dx, dy);
	free(dx);
	free(dy);
}

static char *field_of(struct db *db, const char *table, const char *id, const char *field)
{
	struct record r;
	char *err = NULL;
	if (db_record_get(db, table, id, &r, &err) != 1) {
		free(err);
		return NULL;
	}
	char *v = xstrdup_or_null(record_get(&r, field));
	record_free(&r);
	return v;
}

static void assert_field(struct db *db, const char *table, const char *id, const char *field,
			 const char *want)
{
	char *v = field_of(db, table, id, field);
	if (want)
		assert_string_equal(v ? v : "(null)", want);
	else
		assert_null(v);
	free(v);
}

static void add_resident(struct fixture *f)
{
	char *err = NULL;
	id_new(f->resident);
	id_new(f->stay);
	unit_check_ok(db_begin(f->a, &err), err, "db_begin");
	const struct field_value person[] = {{"name", "Åse Ærbø"}, {"gender", "female"}};
	err = NULL;
	unit_check_ok(db_record_insert(f->a, "resident", f->resident, person, 2, &err), err,
		      "resident");
	const struct field_value stay[] = {
	    {"resident_id", f->resident}, {"arrival", "2026-11-01 10:00"}, {"room", "3"}};
	err = NULL;
	unit_check_ok(db_record_insert(f->a, "stay", f->stay, stay, 3, &err), err, "stay");
	err = NULL;
	unit_check_ok(db_commit(f->a, &err), err, "db_commit");
}

static int setup(void **state)
{
	unit_pin_english();
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = unit_tmpdir();
	clock_fix(T0);
	f->a = terminal(f->dir, "a.db", "mette");
	f->b = terminal(f->dir, "b.db", "ole");
	f->c = terminal(f->dir, "c.db", "lis");
	add_resident(f);
	send(f, f->a, f->b, "b", 1);
	send(f, f->a, f->c, "c", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->a);
	db_close(f->b);
	db_close(f->c);
	unit_rmtree(f->dir);
	free(f->dir);
	free(f);
	clock_fix(0);
	return 0;
}

static void test_full_copy_is_identical(void **state)
{
	struct fixture *f = *state;
	assert_same_dumps(f->a, f->b);
	assert_same_dumps(f->a, f->c);
	assert_field(f->b, "resident", f->resident, "name", "Åse Ærbø");
}

static void test_different_fields_both_kept(void **state)
{
	struct fixture *f = *state;
	clock_fix(T0 + MINUTE);
	write_field(f->a, "stay", f->stay, "room", "12A");
	clock_fix(T0 + 2 * MINUTE);
	write_field(f->b, "stay", f->stay, "ready_at", "2026-11-20");
	send(f, f->a, f->b, "b", 0);
	struct sync_counts c = send(f, f->b, f->a, "a", 0);
	assert_int_equal(c.conflicts, 0);
	for (struct db **t = (struct db *[]){f->a, f->b, NULL}; *t; t++) {
		assert_field(*t, "stay", f->stay, "room", "12A");
		assert_field(*t, "stay", f->stay, "ready_at", "2026-11-20");
	}
	assert_same_dumps(f->a, f->b);
}

/* The later change wins on both; the earlier one is kept as a conflict, with who and when. */
static void test_same_field_conflict(void **state)
{
	struct fixture *f = *state;
	clock_fix(T0 + MINUTE);
	write_field(f->a, "stay", f->stay, "room", "12A");
	clock_fix(T0 + 2 * MINUTE);
	write_field(f->b, "stay", f->stay, "room", "14B");
	struct sync_counts ca = send(f, f->b, f->a, "a", 0);
	struct sync_counts cb = send(f, f->a, f->b, "b", 0);
	assert_int_equal(ca.conflicts, 1);
	assert_int_equal(cb.conflicts, 1);
	assert_field(f->a, "stay", f->stay, "room", "14B");
	assert_field(f->b, "stay", f->stay, "room", "14B");
	assert_same_dumps(f->a, f->b);
	struct conflict_info *list;
	size_t n;
	char *err = NULL;
	unit_check_ok(db_conflicts(f->a, NULL, 0, &list, &n, &err), err, "db_conflicts");
	assert_int_equal(n, 1);
	assert_string_equal(list[0].value, "12A");
	assert_string_equal(list[0].login, "mette");
	assert_string_equal(list[0].winner_value, "14B");
	assert_string_equal(list[0].winner_login, "ole");
	assert_string_equal(list[0].resident_id, f->resident);
	assert_string_equal(list[0].resident_name, "Åse Ærbø");
	conflicts_free(list, n);
	assert_int_equal(db_resident_conflicts(f->a, f->resident, &err), 1);
	/* A third terminal that gets both, in the other order, makes the same. */
	send(f, f->b, f->c, "c", 0);
	send(f, f->a, f->c, "c2", 0);
	assert_same_dumps(f->a, f->c);
}

/* A coordinator restores the lost value on one terminal: it travels, and the conflict ends
 * everywhere. Keeping the current value marks it resolved everywhere. */
static void test_conflict_restore_and_keep(void **state)
{
	struct fixture *f = *state;
	clock_fix(T0 + MINUTE);
	write_field(f->a, "stay", f->stay, "room", "12A");
	write_field(f->a, "resident", f->resident, "gender", "male");
	clock_fix(T0 + 2 * MINUTE);
	write_field(f->b, "stay", f->stay, "room", "14B");
	write_field(f->b, "resident", f->resident, "gender", "other");
	send(f, f->b, f->a, "a", 0);
	send(f, f->a, f->b, "b", 0);
	struct conflict_info *list;
	size_t n;
	char *err = NULL;
	unit_check_ok(db_conflicts(f->a, f->resident, 0, &list, &n, &err), err, "conflicts");
	assert_int_equal(n, 2);
	clock_fix(T0 + 3 * MINUTE);
	for (size_t i = 0; i < n; i++) {
		int restore = str_eq(list[i].field, "room");
		err = NULL;
		unit_check_ok(db_conflict_resolve(f->a, list[i].id, restore, &err), err, "resolve");
	}
	conflicts_free(list, n);
	assert_field(f->a, "stay", f->stay, "room", "12A");
	send(f, f->a, f->b, "b", 0);
	send(f, f->b, f->a, "a", 0);
	assert_field(f->b, "stay", f->stay, "room", "12A");
	assert_field(f->b, "resident", f->resident, "gender", "other");
	unit_check_ok(db_conflicts(f->b, NULL, 0, &list, &n, &err), err, "open conflicts");
	assert_int_equal(n, 0);
	conflicts_free(list, n);
	unit_check_ok(db_conflicts(f->b, NULL, 1, &list, &n, &err), err, "all conflicts");
	assert_int_equal(n, 1); /* the kept one, resolved; the restored one is no conflict */
	assert_non_null(list[0].resolved_at);
	assert_string_equal(list[0].resolved_by, "mette");
	conflicts_free(list, n);
	assert_same_dumps(f->a, f->b);
	struct unit_problems problems = {0};
	err = NULL;
	assert_int_equal(db_check(f->a, unit_collect_problem, &problems, &err), 0);
	assert_string_equal(problems.text, ""); /* a resolution in the history is no damage */
}

static long count_in(const char *dir, const char *name, const char *sql)
{
	char *path = unit_path(dir, name);
	long n = unit_sql_long(path, sql);
	free(path);
	return n;
}

/* An erased resident never comes back: not from a bundle made before the erasure, not from
 * changes another terminal made meanwhile; and nothing of them is left. */
static void test_erasure_wins(void **state)
{
	struct fixture *f = *state;
	/* c keeps an old full bundle of everything (made before the erasure). */
	clock_fix(T0 + MINUTE);
	write_field(f->b, "stay", f->stay, "room", "7"); /* b, unaware, changes the stay */
	char *err = NULL;
	clock_fix(T0 + 2 * MINUTE);
	unit_check_ok(db_erase_resident(f->a, f->resident, &err), err, "erase");
	send(f, f->b, f->a, "a", 1); /* b's older full bundle, after the erasure */
	assert_field(f->a, "resident", f->resident, "name", "");
	char *erased = field_of(f->a, "resident", f->resident, "erased_at");
	assert_non_null(erased);
	free(erased);
	char *room = field_of(f->a, "stay", f->stay, "room");
	assert_null(room);
	struct sync_counts c = send(f, f->a, f->b, "b", 0);
	assert_int_equal(c.deleted, 1);
	send(f, f->b, f->a, "a", 0);
	send(f, f->a, f->c, "c", 1);
	send(f, f->b, f->c, "c", 1); /* an old view again: still erased */
	assert_same_dumps(f->a, f->b);
	assert_same_dumps(f->a, f->c);
	const char *dbs[] = {"a.db", "b.db", "c.db"};
	for (size_t i = 0; i < ARRAY_SIZE(dbs); i++) {
		assert_int_equal(count_in(f->dir, dbs[i], "SELECT count(*) FROM stay"), 0);
		assert_int_equal(count_in(f->dir, dbs[i], "SELECT count(*) FROM history WHERE "
							  "CAST(new_value AS TEXT) LIKE '%Ærbø%' OR "
							  "CAST(old_value AS TEXT) LIKE '%Ærbø%'"),
				 0);
	}
}

/* Bundles out of order: a stay's checklist step arrives before the stay; it waits, and is made
 * when the stay comes. */
static void test_child_before_parent(void **state)
{
	struct fixture *f = *state;
	char stay2[ID_LEN], *err = NULL;
	id_new(stay2);
	clock_fix(T0 + MINUTE);
	unit_check_ok(db_begin(f->a, &err), err, "begin");
	const struct field_value stay[] = {{"resident_id", f->resident},
					   {"arrival", "2026-11-10 10:00"},
					   {"departure", NULL}};
	err = NULL;
	unit_check_ok(db_record_insert(f->a, "stay", stay2, stay, 2, &err), err, "stay");
	err = NULL;
	unit_check_ok(db_commit(f->a, &err), err, "commit");
	char *first = unit_path(f->dir, "first.bundle");
	FILE *out = fopen(first, "wb");
	long changes;
	long long upto;
	err = NULL;
	unit_check_ok(sync_export(f->a, "b", 0, "a", NULL, out, &changes, &upto, &err), err,
		      "export 1");
	fclose(out);
	err = NULL;
	unit_check_ok(sync_export_done(f->a, "b", upto, changes, 0, &err), err, "done 1");
	char *step = xasprintf("%s/income_paid", stay2);
	clock_fix(T0 + 2 * MINUTE);
	unit_check_ok(db_begin(f->a, &err), err, "begin");
	const struct field_value fv[] = {
	    {"stay_id", stay2}, {"item", "income"}, {"step", "income_paid"}, {"status", "done"}};
	err = NULL;
	unit_check_ok(db_record_insert(f->a, "checklist_step", step, fv, 4, &err), err, "step");
	err = NULL;
	unit_check_ok(db_commit(f->a, &err), err, "commit");
	struct sync_counts c = send(f, f->a, f->b, "b", 0); /* the second bundle first */
	assert_int_equal(c.pending, 1);
	assert_null(field_of(f->b, "checklist_step", step, "status"));
	struct unit_problems problems = {0};
	err = NULL;
	assert_int_equal(db_check(f->b, unit_collect_problem, &problems, &err), 0);
	assert_string_equal(problems.text, ""); /* waiting is no damage */
	FILE *in = fopen(first, "rb");
	err = NULL;
	unit_check_ok(sync_import(f->b, in, first, NULL, 1, &c, &err), err, "import 1");
	fclose(in);
	assert_int_equal(c.pending, 0);
	assert_field(f->b, "checklist_step", step, "status", "done");
	assert_same_dumps(f->a, f->b);
	free(step);
	free(first);
}

/* Writes text as a plain bundle (through the real writer) and imports it into db: the result. */
static int import_text(struct fixture *f, struct db *db, const char *text, char **err)
{
	char *path = unit_path(f->dir, "hand.bundle");
	FILE *out = fopen(path, "wb");
	char *werr = NULL;
	struct bundle_writer *w = bundle_writer_open(out, NULL, &werr);
	assert_non_null(w);
	unit_check_ok(bundle_write(w, text, strlen(text), &werr), werr, "bundle_write");
	werr = NULL;
	unit_check_ok(bundle_writer_close(w, &werr), werr, "bundle_close");
	fclose(out);
	FILE *in = fopen(path, "rb");
	struct sync_counts c;
	int rc = sync_import(db, in, "hand.bundle", NULL, 1, &c, err);
	fclose(in);
	free(path);
	return rc;
}

#define HEADER "{\"husly\":\"changes\",\"format\":1,\"from\":\"abcdefghjkmn\",\"name\":\"x\"}\n"

/* Refused with words in the message, and the database as it was. */
static void refused(struct fixture *f, const char *text, const char *words)
{
	char *before = dump_of(f->b), *err = NULL;
	assert_int_equal(import_text(f, f->b, text, &err), -1);
	assert_contains(err, words);
	free(err);
	char *after = dump_of(f->b);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_malformed_and_skewed_refused(void **state)
{
	struct fixture *f = *state;
	char *line = xasprintf(HEADER "{\"hlc\":\"01a207a31ce0-0000\",\"terminal\":\"abcdefghjkmn\","
				      "\"tbl\":\"stay\",\"row\":\"%s\",\"field\":\"%s\",\"old\":null,"
				      "\"new\":%s,\"login\":\"x\",\"at\":\"2026-11-23T09:00:00Z\","
				      "\"base\":null}\n",
			       f->stay, "room", "\"99\"");
	char *err = NULL;
	/* A well-formed change goes in (the control for the cases below). */
	unit_check_ok(import_text(f, f->b, line, &err), err, "a good hand-made change");
	assert_field(f->b, "stay", f->stay, "room", "99");
	free(line);
	refused(f, HEADER "{\"hlc\":\"nonsense\",\"terminal\":\"abcdefghjkmn\",\"tbl\":\"stay\"}\n",
		"clock");
	refused(f, HEADER "not json\n", "line 2");
	line = xasprintf(HEADER "{\"hlc\":\"01a207a31ce1-0000\",\"terminal\":\"abcdefghjkmn\","
				"\"tbl\":\"stay\",\"row\":\"%s\",\"field\":\"created_by\",\"old\":null,"
				"\"new\":\"x\",\"login\":\"x\",\"at\":\"2026-11-23T09:00:00Z\"}\n",
			 f->stay);
	refused(f, line, "field");
	free(line);
	line = xasprintf(HEADER "{\"hlc\":\"01a207a31ce1-0000\",\"terminal\":\"abcdefghjkmn\","
				"\"tbl\":\"answer\",\"row\":\"%s/cause/x\",\"field\":\"treatment\","
				"\"old\":null,\"new\":\"yes\",\"login\":\"x\","
				"\"at\":\"2026-11-23T09:00:00Z\"}\n",
			 f->resident);
	refused(f, line, "type");
	free(line);
	/* Stamped a year ahead: a wrong clock must not win every conflict. */
	line = xasprintf(HEADER "{\"hlc\":\"01a95f535e80-0000\",\"terminal\":\"abcdefghjkmn\","
				"\"tbl\":\"stay\",\"row\":\"%s\",\"field\":\"room\",\"old\":null,"
				"\"new\":\"1\",\"login\":\"x\",\"at\":\"2027-11-23T09:00:00Z\"}\n",
			 f->stay);
	refused(f, line, "ahead");
	free(line);
	refused(f, "{\"husly\":\"changes\",\"format\":2,\"from\":\"abcdefghjkmn\"}\n", "newer");
}

/* Cost follows the changes: after a full exchange, three changes make a small bundle. */
static void test_delta_is_small(void **state)
{
	struct fixture *f = *state;
	clock_fix(T0 + MINUTE);
	write_field(f->a, "stay", f->stay, "room", "1");
	write_field(f->a, "stay", f->stay, "room", "2");
	write_field(f->a, "stay", f->stay, "ready_at", "2026-11-22");
	char *path = unit_path(f->dir, "delta.bundle");
	FILE *out = fopen(path, "wb");
	long changes;
	long long upto;
	char *err = NULL;
	unit_check_ok(sync_export(f->a, "b", 0, "a", NULL, out, &changes, &upto, &err), err,
		      "delta");
	long size = ftell(out);
	fclose(out);
	assert_int_equal(changes, 3);
	assert_true(size < 2048);
	free(path);
}

/* An erasure deletes the newest history rows; the change after it must still be in the next
 * delta (its number is never one already sent). */
static void test_change_after_erasure_is_sent(void **state)
{
	struct fixture *f = *state;
	char other[ID_LEN], *err = NULL;
	id_new(other);
	unit_check_ok(db_begin(f->a, &err), err, "begin");
	const struct field_value person[] = {{"name", "Bo Test"}};
	err = NULL;
	unit_check_ok(db_record_insert(f->a, "resident", other, person, 1, &err), err, "insert");
	err = NULL;
	unit_check_ok(db_commit(f->a, &err), err, "commit");
	clock_fix(T0 + MINUTE);
	write_field(f->a, "stay", f->stay, "room", "5");
	send(f, f->a, f->b, "b", 0);
	clock_fix(T0 + 2 * MINUTE);
	unit_check_ok(db_erase_resident(f->a, f->resident, &err), err, "erase");
	send(f, f->a, f->b, "b", 0);
	clock_fix(T0 + 3 * MINUTE);
	write_field(f->a, "resident", other, "name", "Bo Testesen");
	send(f, f->a, f->b, "b", 0);
	assert_field(f->b, "resident", other, "name", "Bo Testesen");
	assert_same_dumps(f->a, f->b);
}

/* A change made here to a resident another process erased meanwhile is refused: nothing of an
 * erased person comes back. */
static void test_write_to_erased_refused(void **state)
{
	struct fixture *f = *state;
	char *err = NULL;
	clock_fix(T0 + MINUTE);
	unit_check_ok(db_erase_resident(f->a, f->resident, &err), err, "erase");
	send(f, f->a, f->b, "b", 0);
	clock_fix(T0 + 2 * MINUTE);
	unit_check_ok(db_begin(f->b, &err), err, "begin");
	err = NULL;
	assert_int_equal(db_record_set(f->b, "resident", f->resident, "alert_medical", "hiv", &err),
			 -1);
	assert_contains(err, "erased");
	free(err);
	err = NULL;
	char note[ID_LEN];
	id_new(note);
	const struct field_value fv[] = {
	    {"resident_id", f->resident}, {"kind", "note"}, {"body", "ring lægen"}};
	assert_int_equal(db_record_insert(f->b, "note", note, fv, 3, &err), -1);
	free(err);
	db_rollback(f->b);
	assert_same_dumps(f->a, f->b);
}

/* Two terminals move a stay's arrival and departure so that together they break the rule
 * departure >= arrival: every terminal sets aside the same (newest) change, and they agree. */
static void test_rule_breaking_merge_converges(void **state)
{
	struct fixture *f = *state;
	clock_fix(T0 + MINUTE);
	write_field(f->a, "stay", f->stay, "arrival", "2026-11-05 10:00");
	clock_fix(T0 + 2 * MINUTE);
	write_field(f->b, "stay", f->stay, "departure", "2026-11-03 10:00");
	send(f, f->a, f->b, "b", 0);
	send(f, f->b, f->a, "a", 0);
	send(f, f->a, f->c, "c", 0);
	send(f, f->b, f->c, "c2", 0);
	assert_same_dumps(f->a, f->b);
	assert_same_dumps(f->a, f->c);
	assert_field(f->a, "stay", f->stay, "arrival", "2026-11-05 10:00");
	assert_field(f->a, "stay", f->stay, "departure", NULL);
}

static long file_bytes(const char *path, unsigned char **out)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	*out = xmalloc((size_t)n + 1);
	assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return n;
}

/* A small sealed bundle with one byte flipped at every position, and cut at every length: each
 * is refused, and the database is exactly as before. The bundle whole then goes in. */
static void test_every_damage_refused(void **state)
{
	struct fixture *f = *state;
	char *key_path = unit_path(f->dir, "shelter.key"), *err = NULL;
	unit_check_ok(key_generate_file(key_path, &err), err, "keygen");
	struct shelter_key key;
	err = NULL;
	unit_check_ok(key_load_file(key_path, &key, &err), err, "key");
	clock_fix(T0 + MINUTE);
	write_field(f->a, "stay", f->stay, "room", "8");
	char *path = unit_path(f->dir, "small.bundle"), *bad = unit_path(f->dir, "bad.bundle");
	FILE *out = fopen(path, "wb");
	long changes;
	long long upto;
	err = NULL;
	unit_check_ok(sync_export(f->a, "b", 0, "a", &key, out, &changes, &upto, &err), err,
		      "export");
	fclose(out);
	unsigned char *bytes;
	long n = file_bytes(path, &bytes);
	char *before = dump_of(f->b);
	for (long i = 0; i < 2 * n; i++) {
		long cut = i < n ? n : i - n; /* first every flip, then every cut */
		if (i < n)
			bytes[i] ^= 0x01;
		unit_write_bytes(bad, bytes, (size_t)cut);
		if (i < n)
			bytes[i] ^= 0x01;
		FILE *in = fopen(bad, "rb");
		struct sync_counts c;
		err = NULL;
		int rc = sync_import(f->b, in, bad, &key, 0, &c, &err);
		fclose(in);
		if (rc == 0)
			fail_msg("a bundle %s at byte %ld was taken", i < n ? "flipped" : "cut", i % n);
		free(err);
	}
	char *after = dump_of(f->b);
	assert_string_equal(before, after);
	FILE *in = fopen(path, "rb");
	struct sync_counts c;
	err = NULL;
	unit_check_ok(sync_import(f->b, in, path, &key, 0, &c, &err), err, "the whole bundle");
	fclose(in);
	assert_field(f->b, "stay", f->stay, "room", "8");
	free(before);
	free(after);
	free(bytes);
	free(path);
	free(bad);
	free(key_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_full_copy_is_identical, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_different_fields_both_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_same_field_conflict, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_conflict_restore_and_keep, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_erasure_wins, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_child_before_parent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_and_skewed_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_delta_is_small, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_change_after_erasure_is_sent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_to_erased_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rule_breaking_merge_converges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_damage_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
