/* The audit log: who opened or dumped what, when and on which terminal; one entry per resident
 * for each change made here (naming fields, never values); the database itself refuses to change
 * or delete an entry, through the program too; and the hash chain shows an entry changed,
 * removed or added outside husly. */
#include "unit.h"

#include <sqlite3.h>

#include "audit.h"
#include "clock.h"
#include "datetyped.h"
#include "db.h"
#include "db_internal.h" /* db_exec: the program's own way to run SQL, refused too */
#include "dump.h"
#include "ids.h"
#include "intake.h"
#include "note.h"
#include "record.h"
#include "stay.h"
#include "sync.h"

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *conn = NULL;
	if (sqlite3_open(path, &conn) != SQLITE_OK)
		fail_msg("sqlite3_open %s: %s", path, sqlite3_errmsg(conn));
	return conn;
}

static long raw_long(sqlite3 *conn, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(conn));
	long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* One audit entry as text, NULL columns as "NULL". */
struct entry {
	char *at, *login, *terminal, *action, *resident_id, *detail;
};

static void entry_free(struct entry *e)
{
	free(e->at);
	free(e->login);
	free(e->terminal);
	free(e->action);
	free(e->resident_id);
	free(e->detail);
}

/* The entry with the given seq (1 is the first); fails when there is none. */
static struct entry read_entry(sqlite3 *conn, long seq)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(conn,
					    "SELECT at, login, terminal, action, resident_id, detail "
					    "FROM audit WHERE seq = ?",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("no audit entry %ld", seq);
	struct entry e;
	char **f[] = {&e.at, &e.login, &e.terminal, &e.action, &e.resident_id, &e.detail};
	for (int i = 0; i < 6; i++) {
		const unsigned char *t = sqlite3_column_text(st, i);
		*f[i] = xstrdup(t ? (const char *)t : "NULL");
	}
	sqlite3_finalize(st);
	return e;
}

static void audit_ok(struct db *db, const char *action, const char *resident_id,
		     const char *detail)
{
	char *err = NULL;
	unit_check_ok(db_audit(db, action, resident_id, detail, &err), err, "db_audit");
}

static void test_audit_records_who_what_where(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	sqlite3 *conn = raw_open(path);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit"), 0);

	clock_fix(1795076800); /* 2026-11-19T08:26:40Z */
	db_set_actor(db, "mette");
	db_set_terminal_name(db, "reception-1");
	char id[ID_LEN];
	id_new(id);
	audit_ok(db, AUDIT_OPEN, id, NULL);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit"), 1);
	struct entry e = read_entry(conn, 1);
	assert_string_equal(e.action, "open");
	assert_string_equal(e.resident_id, id);
	assert_string_equal(e.login, "mette");
	assert_string_equal(e.terminal, "reception-1");
	assert_string_equal(e.at, "2026-11-19T08:26:40Z");
	assert_string_equal(e.detail, "NULL");
	entry_free(&e);

	/* A dump concerns no one resident; another login, another name for the terminal. */
	clock_fix(1795076860);
	db_set_actor(db, "ole");
	db_set_terminal_name(db, "nattevagt");
	audit_ok(db, AUDIT_DUMP, NULL, "every record");
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit"), 2);
	e = read_entry(conn, 2);
	assert_string_equal(e.action, "dump");
	assert_string_equal(e.resident_id, "NULL");
	assert_string_equal(e.login, "ole");
	assert_string_equal(e.terminal, "nattevagt");
	assert_string_equal(e.at, "2026-11-19T08:27:40Z");
	assert_string_equal(e.detail, "every record");
	entry_free(&e);
	/* ... and the first entry is as it was. */
	e = read_entry(conn, 1);
	assert_string_equal(e.login, "mette");
	entry_free(&e);
	db_close(db);

	/* Without a name, the terminal is known by its id. */
	db = unit_db_open(path);
	audit_ok(db, AUDIT_OPEN, id, NULL);
	e = read_entry(conn, 3);
	assert_string_equal(e.terminal, db_terminal_id(db));
	assert_true(id_is_valid(e.terminal));
	entry_free(&e);

	clock_fix(0);
	sqlite3_close(conn);
	db_close(db);
	free(path);
}

/* Runs sql on conn, which must fail with a message containing "append-only". */
static void refused_append_only(sqlite3 *conn, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		fail_msg("%s succeeded on the audit log", sql);
	if (!msg || !strstr(msg, "append-only"))
		fail_msg("%s failed, but not as append-only: %s", sql, msg ? msg : "(no message)");
	sqlite3_free(msg);
}

static void test_audit_is_append_only(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = unit_db_open(path);
	db_set_actor(db, "mette");
	db_set_terminal_name(db, "reception-1");
	char id[ID_LEN];
	id_new(id);
	audit_ok(db, AUDIT_OPEN, id, NULL);
	audit_ok(db, AUDIT_DUMP, NULL, NULL);
	db_close(db);

	sqlite3 *conn = raw_open(path);
	refused_append_only(conn, "UPDATE audit SET login = 'someone else'");
	refused_append_only(conn, "UPDATE audit SET resident_id = NULL WHERE seq = 1");
	refused_append_only(conn, "DELETE FROM audit WHERE seq = 1");
	refused_append_only(conn, "DELETE FROM audit");
	/* Not even with a transaction around it, or the foreign keys off. */
	refused_append_only(conn, "PRAGMA foreign_keys = OFF; BEGIN; DELETE FROM audit;");
	sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
	/* ... and appending still works. */
	char *msg = NULL;
	if (sqlite3_exec(conn,
			 "INSERT INTO audit (at, login, terminal, action) "
			 "VALUES ('2026-11-25T01:14:00Z', 'sql', 't', 'open')",
			 NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("appending to the audit log failed: %s", msg ? msg : "?");
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit"), 3);
	assert_int_equal(raw_long(conn, "SELECT count(*) FROM audit WHERE login = 'mette'"), 2);
	sqlite3_close(conn);
	free(path);
}


/* --- change entries ------------------------------------------------------------------------ */

static long audit_count(const char *path, const char *where)
{
	char *sql = xasprintf("SELECT count(*) FROM audit%s%s", where ? " WHERE " : "",
			      where ? where : "");
	long n = unit_sql_long(path, sql);
	free(sql);
	return n;
}

/* The newest entry. */
static struct entry last_entry(const char *path)
{
	sqlite3 *conn = raw_open(path);
	struct entry e = read_entry(conn, raw_long(conn, "SELECT max(seq) FROM audit"));
	sqlite3_close(conn);
	return e;
}

static struct db *open_at_night(const char *path)
{
	time_t t;
	assert_int_equal(local_minute_to_time("2026-11-25 02:14", &t), 0);
	clock_fix(t);
	struct db *db = unit_db_open(path);
	db_set_actor(db, "ole");
	db_set_terminal_name(db, "nattevagt");
	return db;
}

static void save_intake(struct db *db, const char *name, const char *resident_id,
			char id[ID_LEN])
{
	struct intake in;
	intake_init(&in);
	intake_set(&in, "name", name);
	char now[LOCAL_MIN_LEN];
	time_to_local_minute(clock_now(), now);
	intake_set(&in, "arrival", now);
	intake_set(&in, "room", "12A");
	intake_set(&in, "cause/eviction", "yes");
	intake_set(&in, "cause/economy", "yes");
	char *err = NULL;
	unit_check_ok(intake_save(db, &in, resident_id, id, &err), err, "intake_save");
	intake_free(&in);
}

static void set_fields(struct db *db, const char *table1, const char *id1, const char *field1,
		       const char *value1, const char *table2, const char *id2, const char *field2,
		       const char *value2)
{
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	err = NULL;
	unit_check_ok(db_record_set(db, table1, id1, field1, value1, &err), err, field1);
	err = NULL;
	if (table2)
		unit_check_ok(db_record_set(db, table2, id2, field2, value2, &err), err, field2);
	err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

/* The id of the resident's (one) stay. */
static char *stay_of(const char *path, const char *resident)
{
	sqlite3 *conn = raw_open(path);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT id FROM stay WHERE resident_id = ?", -1,
					    &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, resident, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *id = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(conn);
	return id;
}

/* An intake is one "create" entry of its resident, whatever it wrote (resident, stay, answers,
 * checklist): by whom, where, and which records, never what they hold. */
static void test_intake_is_one_create_entry(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = open_at_night(path);
	char a[ID_LEN], b[ID_LEN];
	save_intake(db, "Søren Testesen", NULL, a);
	save_intake(db, "Almira Prøvesen", NULL, b);
	assert_int_equal(audit_count(path, NULL), 2);
	char *where = xasprintf("action = 'create' AND resident_id = '%s'", a);
	assert_int_equal(audit_count(path, where), 1);
	free(where);
	struct entry e = last_entry(path);
	assert_string_equal(e.action, "create");
	assert_string_equal(e.resident_id, b);
	assert_string_equal(e.login, "ole");
	assert_string_equal(e.terminal, "nattevagt");
	assert_string_equal(e.at, "2026-11-25T01:14:00Z");
	assert_starts_with(e.detail, "new resident, new stay, new answer (2), new checklist_step (");
	entry_free(&e);
	/* Nothing of what was typed is in the log. */
	assert_int_equal(audit_count(path, "detail LIKE '%Almira%' OR detail LIKE '%12A%' OR "
					   "detail LIKE '%eviction%'"),
			 0);
	/* The same resident coming back: a change of theirs (a new stay), not a new person. */
	char *err = NULL;
	unit_check_ok(stay_depart(db, a, "2026-11-25 02:14", "street", NULL, &err), err, "depart");
	clock_fix(clock_now() + 600);
	char again[ID_LEN];
	save_intake(db, "Søren Testesen", a, again);
	e = last_entry(path);
	assert_string_equal(e.action, "change");
	assert_string_equal(e.resident_id, a);
	assert_contains(e.detail, "new stay");
	entry_free(&e);
	db_close(db);
	clock_fix(0);
	free(path);
}

/* Two fields changed in one transaction, of the resident and of their stay: one entry that
 * names both, in the order they were written. A write that changes nothing, and one rolled
 * back, leave no entry. */
static void test_two_fields_one_change_entry(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = open_at_night(path);
	char id[ID_LEN];
	save_intake(db, "Søren Testesen", NULL, id);
	char *stay = stay_of(path, id);
	long before = audit_count(path, NULL);
	set_fields(db, "resident", id, "name", "Søren Prøvesen", "stay", stay, "room", "14B");
	assert_int_equal(audit_count(path, NULL), before + 1);
	struct entry e = last_entry(path);
	assert_string_equal(e.action, "change");
	assert_string_equal(e.resident_id, id);
	assert_string_equal(e.detail, "resident.name, stay.room");
	entry_free(&e);
	assert_int_equal(audit_count(path, "detail LIKE '%Prøvesen%' OR detail LIKE '%14B%'"), 0);

	/* The same value again: no change, no entry. */
	set_fields(db, "stay", stay, "room", "14B", NULL, NULL, NULL, NULL);
	assert_int_equal(audit_count(path, NULL), before + 1);
	/* Rolled back: neither the change nor its entry. */
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	unit_check_ok(db_record_set(db, "stay", stay, "room", "20", &err), err, "room");
	db_rollback(db);
	set_fields(db, "resident", id, "income", "pension", NULL, NULL, NULL, NULL);
	assert_int_equal(audit_count(path, NULL), before + 2);
	e = last_entry(path);
	assert_string_equal(e.detail, "resident.income");
	entry_free(&e);
	db_close(db);
	clock_fix(0);
	free(stay);
	free(path);
}

/* A note is a change of its resident; a shift-log entry, about no one, an entry without one. */
static void test_notes_and_the_shift_log(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = open_at_night(path);
	char id[ID_LEN];
	save_intake(db, "Søren Testesen", NULL, id);
	char *err = NULL;
	unit_check_ok(note_add(db, id, "note", "Sov uroligt, talte om sin søster", &err), err,
		      "note");
	struct entry e = last_entry(path);
	assert_string_equal(e.action, "change");
	assert_string_equal(e.resident_id, id);
	assert_string_equal(e.detail, "new note");
	entry_free(&e);
	unit_check_ok(note_add(db, NULL, "shift", "Rolig nat, brandalarm testet", &err), err,
		      "shift");
	e = last_entry(path);
	assert_string_equal(e.action, "create");
	assert_string_equal(e.resident_id, "NULL");
	assert_string_equal(e.detail, "new note");
	entry_free(&e);
	assert_int_equal(audit_count(path, "detail LIKE '%brandalarm%' OR detail LIKE '%søster%'"),
			 0);
	db_close(db);
	clock_fix(0);
	free(path);
}

/* Sync: an import is one entry of its own, not one per change it brought; a conflict resolved
 * by a coordinator is a change of the resident it concerns, naming the field. */
static void send_bundle(const char *dir, struct db *from, struct db *to, const char *peer)
{
	char *path = unit_path(dir, "x.bundle");
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	long changes;
	long long upto;
	char *err = NULL;
	unit_check_ok(sync_export(from, peer, 0, "t", NULL, out, &changes, &upto, &err), err,
		      "sync_export");
	assert_int_equal(fclose(out), 0);
	unit_check_ok(sync_export_done(from, peer, upto, changes, 0, &err), err, "export_done");
	FILE *in = fopen(path, "rb");
	struct sync_counts c;
	unit_check_ok(sync_import(to, in, path, NULL, 1, &c, &err), err, "sync_import");
	fclose(in);
	free(path);
}

static void test_imports_and_conflicts(void **state)
{
	char *pa = unit_path(*state, "a.db"), *pb = unit_path(*state, "b.db");
	struct db *a = open_at_night(pa), *b = open_at_night(pb);
	db_set_actor(b, "mette");
	char id[ID_LEN];
	save_intake(a, "Søren Testesen", NULL, id);
	send_bundle(*state, a, b, "b");
	assert_int_equal(audit_count(pb, NULL), 1);
	assert_int_equal(audit_count(pb, "action = 'import'"), 1);
	char *stay = stay_of(pa, id);
	clock_fix(clock_now() + 60);
	set_fields(a, "stay", stay, "room", "12B", "resident", id, "gender", "male");
	clock_fix(clock_now() + 60);
	set_fields(b, "stay", stay, "room", "14B", "resident", id, "gender", "other");
	send_bundle(*state, b, a, "a");
	struct conflict_info *list;
	size_t n;
	char *err = NULL;
	unit_check_ok(db_conflicts(a, id, 0, &list, &n, &err), err, "conflicts");
	assert_int_equal(n, 2);
	long before = audit_count(pa, NULL);
	for (size_t i = 0; i < n; i++) {
		int restore = str_eq(list[i].field, "room");
		unit_check_ok(db_conflict_resolve(a, list[i].id, restore, &err), err, "resolve");
		struct entry e = last_entry(pa);
		assert_string_equal(e.action, "change");
		assert_string_equal(e.resident_id, id);
		assert_string_equal(e.detail, restore ? "conflict on stay.room restored, stay.room"
						      : "conflict on resident.gender kept");
		entry_free(&e);
	}
	conflicts_free(list, n);
	assert_int_equal(audit_count(pa, NULL), before + 2);
	assert_int_equal(audit_count(pa, "detail LIKE '%12B%' OR detail LIKE '%14B%' OR "
					 "detail LIKE '%other%'"),
			 0);
	db_close(a);
	db_close(b);
	clock_fix(0);
	free(stay);
	free(pa);
	free(pb);
}

/* An erasure deletes no entry of the log; what is left of the person there is their id. */
static void test_erasure_keeps_the_log_and_nothing_of_the_person(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = open_at_night(path);
	char id[ID_LEN];
	save_intake(db, "Søren Testesen", NULL, id);
	char *err = NULL;
	unit_check_ok(db_audit(db, AUDIT_OPEN, id, NULL, &err), err, "open");
	unit_check_ok(note_add(db, id, "note", "Ringede til sin søster Gudrun", &err), err, "note");
	long before = audit_count(path, NULL);
	unit_check_ok(db_erase_resident(db, id, &err), err, "erase");
	assert_int_equal(audit_count(path, NULL), before + 1);
	struct entry e = last_entry(path);
	assert_string_equal(e.action, "erase");
	assert_string_equal(e.resident_id, id);
	entry_free(&e);
	char *where = xasprintf("resident_id = '%s'", id);
	assert_int_equal(audit_count(path, where), before + 1);
	free(where);
	assert_int_equal(audit_count(path, "login || terminal || action || coalesce(detail, '') "
					   "LIKE '%Testesen%' OR coalesce(detail, '') LIKE "
					   "'%Gudrun%'"),
			 0);
	/* ... and the chain is whole. */
	char *problem = NULL;
	assert_int_equal(db_audit_verify(db, &problem, &err), 0);
	assert_null(problem);
	db_close(db);
	clock_fix(0);
	free(path);
}

/* The program's own ways to write cannot change or delete an entry either. */
static void test_the_program_cannot_alter_the_log(void **state)
{
	char *path = unit_path(*state, "h.db");
	struct db *db = open_at_night(path);
	char id[ID_LEN];
	id_new(id);
	audit_ok(db, AUDIT_OPEN, id, NULL);
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
	assert_int_not_equal(db_record_set(db, "audit", "1", "login", "someone", &err), 0);
	unit_free(&err);
	const struct field_value fv[] = {{"login", "x"}};
	assert_int_not_equal(db_record_insert(db, "audit", "2", fv, 1, &err), 0);
	unit_free(&err);
	assert_int_not_equal(db_exec(db, "UPDATE audit SET login = 'someone else'", &err), 0);
	assert_contains(err, "append-only");
	unit_free(&err);
	assert_int_not_equal(db_exec(db, "DELETE FROM audit", &err), 0);
	assert_contains(err, "append-only");
	unit_free(&err);
	db_rollback(db);
	assert_int_equal(audit_count(path, "login = 'ole'"), 1);
	db_close(db);
	clock_fix(0);
	free(path);
}

/* --- the hash chain ------------------------------------------------------------------------ */

/* The problem db_audit_verify reports (a new string), or NULL when the chain is whole. */
static char *chain_problem(const char *path)
{
	struct db *db = unit_db_open(path);
	char *problem = NULL, *err = NULL;
	int rc = db_audit_verify(db, &problem, &err);
	if (rc < 0)
		fail_msg("db_audit_verify: %s", err ? err : "?");
	assert_int_equal(rc, problem != NULL);
	db_close(db);
	return problem;
}

/* A log of five entries by husly, copied to name. */
static char *five_entries(const char *dir, const char *name)
{
	char *path = unit_path(dir, name);
	struct db *db = open_at_night(path);
	char id[ID_LEN];
	save_intake(db, "Søren Testesen", NULL, id);
	for (int i = 0; i < 3; i++)
		audit_ok(db, AUDIT_OPEN, id, NULL);
	audit_ok(db, AUDIT_DUMP, NULL, NULL);
	db_close(db);
	clock_fix(0);
	assert_int_equal(audit_count(path, NULL), 5);
	return path;
}

static void tamper(const char *path, const char *sql)
{
	sqlite3 *conn = raw_open(path);
	char *msg = NULL;
	if (sqlite3_exec(conn, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_close(conn);
}

static void assert_broken_at(const char *path, const char *what)
{
	char *problem = chain_problem(path);
	if (!problem)
		fail_msg("the chain of %s shows no tampering", path);
	assert_contains(problem, what);
	free(problem);
}

static void test_chain_shows_tampering(void **state)
{
	char *whole = five_entries(*state, "whole.db");
	char *problem = chain_problem(whole);
	if (problem)
		fail_msg("a log husly wrote is broken: %s", problem);
	/* Every entry has a hash; the head names the last. */
	assert_int_equal(audit_count(whole, "length(hash) = 64"), 5);
	assert_int_equal(unit_sql_long(whole, "SELECT count(*) FROM local WHERE key = "
					      "'audit_head' AND value LIKE '5 %'"),
			 1);

	const struct {
		const char *sql, *what;
	} cases[] = {
		{"DROP TRIGGER audit_no_update; UPDATE audit SET login = 'mette' WHERE seq = 3",
		 "audit entry 3 "},
		{"DROP TRIGGER audit_no_update; UPDATE audit SET detail = NULL WHERE seq = 1",
		 "audit entry 1 "},
		/* a hash made anew for a changed entry breaks the next one */
		{"DROP TRIGGER audit_no_update; UPDATE audit SET at = '2026-01-01T00:00:00Z', hash = "
		 "'0000000000000000000000000000000000000000000000000000000000000000' WHERE seq = 2",
		 "audit entry 2 "},
		{"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2", "audit entry 3 "},
		{"INSERT INTO audit (at, login, terminal, action) VALUES ('2026-11-25T01:20:00Z', "
		 "'sql', 't', 'open')",
		 "audit entry 6 "},
		{"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= 4",
		 "last one husly wrote was 5"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *name = xasprintf("t%zu.db", i);
		char *path = unit_path(*state, name);
		unit_copy_file(whole, path);
		tamper(path, cases[i].sql);
		assert_broken_at(path, cases[i].what);
		free(name);
		free(path);
	}
	/* husly check says so, and names the entry. */
	char *path = unit_path(*state, "t0.db");
	struct db *db = NULL;
	char *err = NULL;
	unit_check_ok(db_open_readonly(path, &db, &err), err, "open read-only");
	struct unit_problems p = {0};
	assert_true(db_check(db, unit_collect_problem, &p, &err) >= 2);
	assert_contains(p.text, "audit entry 3 ");
	assert_contains(p.text, "trigger audit_no_update is missing");
	db_close(db);
	free(path);
	/* Writing on after the tampering does not mend it. */
	path = unit_path(*state, "t3.db");
	db = unit_db_open(path);
	audit_ok(db, AUDIT_OPEN, NULL, NULL);
	db_close(db);
	assert_broken_at(path, "audit entry 3 ");
	free(path);
	free(whole);
}

/* Entries written before the hash column (format 2) have none; the chain runs over them, and
 * those written later verify. */
static void test_chain_over_entries_without_hashes(void **state)
{
	char *path = unit_path(*state, "h.db");
	db_close(unit_db_open(path));
	tamper(path, "INSERT INTO audit (at, login, terminal, action, resident_id) VALUES "
		     "('2026-11-01T10:00:00Z', 'ole', 'r', 'open', 'abcdefghjkmn'), "
		     "('2026-11-01T10:01:00Z', 'ole', 'r', 'dump', NULL)");
	char *problem = chain_problem(path);
	assert_null(problem);
	struct db *db = unit_db_open(path);
	audit_ok(db, AUDIT_OPEN, NULL, NULL);
	audit_ok(db, AUDIT_DUMP, NULL, NULL);
	db_close(db);
	assert_int_equal(audit_count(path, "hash IS NULL"), 2);
	problem = chain_problem(path);
	if (problem)
		fail_msg("%s", problem);
	/* An old entry changed shows at the first entry that has a hash. */
	tamper(path, "DROP TRIGGER audit_no_update; UPDATE audit SET login = 'x' WHERE seq = 1");
	assert_broken_at(path, "audit entry 3 ");
	free(path);
}

int main(void)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_audit_records_who_what_where, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_audit_is_append_only, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_intake_is_one_create_entry, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_two_fields_one_change_entry, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_notes_and_the_shift_log, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_imports_and_conflicts, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_erasure_keeps_the_log_and_nothing_of_the_person,
						unit_setup_tmpdir, unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_the_program_cannot_alter_the_log,
						unit_setup_tmpdir, unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_chain_shows_tampering, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_chain_over_entries_without_hashes,
						unit_setup_tmpdir, unit_teardown_tmpdir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
