/* The GDPR's SQL: who is due for erasure under the retention time (a stay that ended exactly N
 * months ago, a day more, a day less, an open stay, two stays with the later one recent, no stay
 * at all, around local midnight), the erasure that checks again, and the subject access's
 * document: everything about the person, nothing about anyone else. Today is Wednesday
 * 25-11-2026; every name here is made up. */
#include "unit.h"

#include "audit.h"
#include "clock.h"
#include "db.h"
#include "gdpr.h"
#include "note.h"
#include "print_subject.h"
#include "record.h"
#include "sync.h"

#define NOW 1795569240 /* 2026-11-25 02:14 in Copenhagen */
#define MONTHS 12      /* the cutoff is then 2025-11-25 */

/* Residents, each with its own case; ids fixed so the expected lists can be written down. */
#define EXACT "ra0000000001"    /* the stay ended on 25-11-2025: exactly 12 months, not due */
#define DAY_MORE "rb0000000002" /* ended 24-11-2025, late evening: due */
#define DAY_LESS "rc0000000003" /* ended 26-11-2025: not due */
#define OPEN "rd0000000004"     /* an old stay, then one open since 2024: not due */
#define LATER "re0000000005"    /* two stays, the later ended 01-10-2026: not due */
#define BOTH_OLD "rf0000000006" /* two stays, both ended long ago: due, the later one shown */
#define NO_STAY_OLD "rg0000000007"   /* no stay, registered 01-01-2025: due */
#define NO_STAY_NEW "rh0000000008"   /* no stay, registered 01-11-2026: not due */
#define MIDNIGHT_BEFORE "rj0000000009" /* no stay, registered 24-11-2025 23:30 local: due */
#define MIDNIGHT_AFTER "rk000000000a"  /* no stay, registered 25-11-2025 00:30 local (still the
					* 24th in UTC): not due */
#define ERASED "rm000000000b"          /* erased already: not listed again */
#define BANNED "rn000000000c" /* gone since 2024, house ban until 2027: not due (the ban would go) */
#define BAN_OVER "rp000000000d" /* gone since 2024, the ban ended 2025: due */

static void begin(struct db *db)
{
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
}

static void commit(struct db *db)
{
	char *err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

static void insert(struct db *db, const char *table, const char *id,
		   const struct field_value *f, size_t n)
{
	char *err = NULL;
	unit_check_ok(db_record_insert(db, table, id, f, n, &err), err, table);
}

/* A local "YYYY-MM-DD HH:MM" as a time, for clock_fix. */
static time_t local(const char *when)
{
	time_t t;
	assert_int_equal(local_minute_to_time(when, &t), 0);
	return t;
}

/* A resident registered at local time when. */
static void resident(struct db *db, const char *id, const char *name, const char *when)
{
	clock_fix(local(when));
	const struct field_value f[] = {{"name", name}};
	begin(db);
	insert(db, "resident", id, f, ARRAY_SIZE(f));
	commit(db);
	clock_fix(NOW);
}

/* Stay number n of a resident: "s" and the resident id's 2nd to 11th characters, then n. */
static void stay(struct db *db, const char *resident_id, char n, const char *arrival,
		 const char *departure)
{
	char id[ID_LEN];
	snprintf(id, sizeof(id), "s%.10s%c", resident_id + 1, n);
	const struct field_value f[] = {
	    {"resident_id", resident_id}, {"arrival", arrival}, {"departure", departure}};
	begin(db);
	insert(db, "stay", id, f, ARRAY_SIZE(f));
	commit(db);
}

static struct db *house(const char *dir)
{
	clock_fix(NOW);
	struct db *db = unit_db_fresh(dir, "h.db");
	db_set_actor(db, "mette");
	db_set_terminal_name(db, "kontoret");
	resident(db, EXACT, "Eksakt Tolvmåned", "2025-01-10 10:00");
	stay(db, EXACT, '1', "2025-02-01 12:00", "2025-11-25 00:00");
	resident(db, DAY_MORE, "Dag Mere", "2025-01-10 10:00");
	stay(db, DAY_MORE, '1', "2025-02-01 12:00", "2025-11-24 23:59");
	resident(db, DAY_LESS, "Dag Mindre", "2025-01-10 10:00");
	stay(db, DAY_LESS, '1', "2025-02-01 12:00", "2025-11-26 09:00");
	resident(db, OPEN, "Åben Ophold", "2020-01-10 10:00");
	stay(db, OPEN, '1', "2020-02-01 12:00", "2020-03-01 12:00");
	stay(db, OPEN, '2', "2024-01-01 12:00", NULL);
	resident(db, LATER, "Senere Ophold", "2023-01-10 10:00");
	stay(db, LATER, '1', "2023-02-01 12:00", "2024-05-01 12:00");
	stay(db, LATER, '2', "2026-09-01 12:00", "2026-10-01 12:00");
	resident(db, BOTH_OLD, "Begge Gamle", "2022-01-10 10:00");
	stay(db, BOTH_OLD, '1', "2022-02-01 12:00", "2024-01-01 12:00");
	stay(db, BOTH_OLD, '2', "2025-01-05 12:00", "2025-02-01 12:00");
	resident(db, NO_STAY_OLD, "Uden Ophold Gammel", "2025-01-01 09:00");
	resident(db, NO_STAY_NEW, "Uden Ophold Ny", "2026-11-01 09:00");
	resident(db, MIDNIGHT_BEFORE, "Før Midnat", "2025-11-24 23:30");
	resident(db, MIDNIGHT_AFTER, "Efter Midnat", "2025-11-25 00:30");
	resident(db, BANNED, "Karantæne Stadig", "2023-01-10 10:00");
	stay(db, BANNED, '1', "2023-02-01 12:00", "2024-03-01 12:00");
	resident(db, BAN_OVER, "Karantæne Forbi", "2023-01-10 10:00");
	stay(db, BAN_OVER, '1', "2023-02-01 12:00", "2024-04-01 12:00");
	char *ban_err = NULL;
	begin(db);
	unit_check_ok(db_record_set(db, "resident", BANNED, "ban_until", "2027-01-01", &ban_err),
		      ban_err, "ban");
	unit_check_ok(db_record_set(db, "resident", BAN_OVER, "ban_until", "2025-06-01", &ban_err),
		      ban_err, "ban over");
	commit(db);
	resident(db, ERASED, "Slettet Allerede", "2020-01-10 10:00");
	stay(db, ERASED, '1', "2020-02-01 12:00", "2020-03-01 12:00");
	char *err = NULL;
	unit_check_ok(db_erase_resident(db, ERASED, &err), err, "erase");
	return db;
}

/* The ids due at the cutoff of MONTHS, space-separated, in order. */
static char *due_ids(struct db *db, struct retention_due **due, size_t *n)
{
	char today[DATE_LEN], cutoff[DATE_LEN], *err = NULL;
	time_to_local_date(clock_now(), today);
	retention_cutoff(today, MONTHS, cutoff);
	assert_string_equal(cutoff, "2025-11-25");
	unit_check_ok(db_retention_due(db, cutoff, due, n, &err), err, "db_retention_due");
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	for (size_t i = 0; i < *n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", (*due)[i].id);
	return sb.buf;
}

static void test_cutoff(void **state)
{
	(void)state;
	char out[DATE_LEN];
	retention_cutoff("2026-11-25", 12, out);
	assert_string_equal(out, "2025-11-25");
	retention_cutoff("2026-11-25", 24, out);
	assert_string_equal(out, "2024-11-25");
	retention_cutoff("2026-01-15", 1, out);
	assert_string_equal(out, "2025-12-15");
	retention_cutoff("2026-03-31", 1, out); /* no 31 February: its last day */
	assert_string_equal(out, "2026-02-28");
	retention_cutoff("2024-03-30", 1, out); /* a leap year */
	assert_string_equal(out, "2024-02-29");
	retention_cutoff("2026-05-31", 1, out);
	assert_string_equal(out, "2026-04-30");
	retention_cutoff("2026-11-25", RETENTION_MONTHS_MAX, out);
	assert_string_equal(out, "1926-11-25");
	retention_cutoff("not a date", 1, out);
	assert_string_equal(out, "");
}

static void test_due(void **state)
{
	struct db *db = house(*state);
	struct retention_due *due;
	size_t n;
	char *ids = due_ids(db, &due, &n);
	/* Longest gone first; those without a stay after those with one. */
	assert_string_equal(ids, BAN_OVER " " BOTH_OLD " " DAY_MORE " " NO_STAY_OLD " " MIDNIGHT_BEFORE);
	assert_string_equal(due[1].name, "Begge Gamle");
	assert_string_equal(due[1].last_departure, "2025-02-01 12:00");
	assert_string_equal(due[2].last_departure, "2025-11-24 23:59");
	assert_null(due[3].last_departure);
	assert_string_equal(due[3].created_at, "2025-01-01T08:00:00Z");
	assert_string_equal(due[4].created_at, "2025-11-24T22:30:00Z");
	retention_due_free(due, n);
	free(ids);
	db_close(db);
	clock_fix(0);
}

static long audit_count(const char *dir, const char *action, const char *id)
{
	char *path = unit_path(dir, "h.db");
	char *sql = xasprintf("SELECT count(*) FROM audit WHERE action = '%s' AND resident_id = '%s' "
			      "AND detail = '12 months'",
			      action, id);
	long n = unit_sql_long(path, sql);
	free(sql);
	free(path);
	return n;
}

static void test_erase_checks_again(void **state)
{
	struct db *db = house(*state);
	char *err = NULL;
	/* Due: erased, with its stay and history, and audited as retention. */
	assert_int_equal(db_retention_erase(db, DAY_MORE, "2025-11-25", "12 months", &err), 1);
	assert_null(err);
	struct record r;
	assert_int_equal(db_record_get(db, "resident", DAY_MORE, &r, &err), 1);
	assert_non_null(record_get(&r, "erased_at"));
	assert_string_equal(record_get(&r, "name"), "");
	record_free(&r);
	assert_int_equal(audit_count(*state, AUDIT_RETENTION, DAY_MORE), 1);
	assert_int_equal(audit_count(*state, AUDIT_ERASE, DAY_MORE), 0);
	/* Not due: nothing written. */
	assert_int_equal(db_retention_erase(db, DAY_LESS, "2025-11-25", "12 months", &err), 0);
	assert_int_equal(db_record_get(db, "resident", DAY_LESS, &r, &err), 1);
	assert_null(record_get(&r, "erased_at"));
	assert_string_equal(record_get(&r, "name"), "Dag Mindre");
	record_free(&r);
	assert_int_equal(audit_count(*state, AUDIT_RETENTION, DAY_LESS), 0);
	/* Due when listed, back in the house before the erasure: kept. */
	stay(db, NO_STAY_OLD, '1', "2026-11-25 01:00", NULL);
	assert_int_equal(db_retention_erase(db, NO_STAY_OLD, "2025-11-25", "12 months", &err), 0);
	assert_int_equal(db_record_get(db, "resident", NO_STAY_OLD, &r, &err), 1);
	assert_null(record_get(&r, "erased_at"));
	record_free(&r);
	/* Erased already: not erased twice. */
	assert_int_equal(db_retention_erase(db, ERASED, "2025-11-25", "12 months", &err), 0);
	struct retention_due *due;
	size_t n;
	char *ids = due_ids(db, &due, &n);
	assert_string_equal(ids, BAN_OVER " " BOTH_OLD " " MIDNIGHT_BEFORE);
	retention_due_free(due, n);
	free(ids);
	db_close(db);
	clock_fix(0);
}

/* --- the subject access ---------------------------------------------------------------------- */

/* Whether any block of the document (or its heading) holds needle. */
static int doc_has(const struct doc *d, const char *needle)
{
	if (unit_contains(d->name, needle) || unit_contains(d->title, needle))
		return 1;
	for (size_t i = 0; i < d->n; i++)
		if (unit_contains(d->blocks[i].label, needle) ||
		    unit_contains(d->blocks[i].text, needle))
			return 1;
	return 0;
}

#define assert_doc_has(d, needle)                                                               \
	do {                                                                                    \
		if (!doc_has(d, needle))                                                        \
			fail_msg("the subject access lacks \"%s\"", needle);                    \
	} while (0)

static void note(struct db *db, const char *resident_id, const char *kind, const char *body)
{
	char *err = NULL;
	unit_check_ok(note_add(db, resident_id, kind, body, &err), err, "note_add");
}

static void test_subject_access(void **state)
{
	struct db *db = house(*state);
	char *err = NULL;
	/* Dag Mindre: a CPR number, a field changed, a note, an escape sequence, and audit
	 * entries; Dag Mere and the shift log have things of their own. */
	begin(db);
	unit_check_ok(db_record_set(db, "resident", DAY_LESS, "cpr", "1203811234", &err), err, "cpr");
	unit_check_ok(db_record_set(db, "resident", DAY_LESS, "work", "Lager\x1b[31m", &err), err,
		      "work");
	unit_check_ok(db_record_set(db, "resident", DAY_LESS, "gender", "female", &err), err,
		      "gender");
	commit(db);
	begin(db);
	unit_check_ok(db_record_set(db, "resident", DAY_LESS, "work", "Lager og pakning", &err), err,
		      "work again");
	commit(db);
	note(db, DAY_LESS, "note", "Ringede til jobcentret om kontanthjælp");
	note(db, DAY_MORE, "note", "Hemmeligt om en anden");
	note(db, NULL, "shift", "Rolig nat i huset");
	unit_check_ok(db_audit(db, AUDIT_OPEN, DAY_LESS, NULL, &err), err, "audit");
	unit_check_ok(db_audit(db, AUDIT_OPEN, DAY_MORE, NULL, &err), err, "audit");

	struct print_context ctx = {"Herberget Nordhavn", "Mette Eksempel (mette)"};
	struct doc d;
	unit_check_ok(subject_access_doc(db, DAY_LESS, &ctx, &d, &err), err, "subject_access_doc");
	assert_string_equal(d.name, "Dag Mindre");
	assert_string_equal(d.shelter, "Herberget Nordhavn");
	assert_contains(d.printed, "Mette Eksempel (mette)");
	assert_doc_has(&d, DAY_LESS);
	assert_doc_has(&d, "120381-1234");        /* whole: it is their own */
	assert_doc_has(&d, "woman");              /* a code in words */
	assert_doc_has(&d, "Lager og pakning");   /* the field now */
	assert_doc_has(&d, "Lager?[31m → Lager og pakning"); /* its change, made safe */
	assert_doc_has(&d, "26-11-2025 09:00");   /* the stay's departure as a date */
	assert_doc_has(&d, "Ringede til jobcentret om kontanthjælp");
	assert_doc_has(&d, "opened the record");
	assert_doc_has(&d, "kontoret");           /* the terminal of the audit entry */
	/* Nothing of anyone else: not their note, their name, nor the shift log. */
	assert_false(doc_has(&d, "Hemmeligt om en anden"));
	assert_false(doc_has(&d, "Dag Mere"));
	assert_false(doc_has(&d, DAY_MORE));
	assert_false(doc_has(&d, "Rolig nat i huset"));
	for (size_t i = 0; i < d.n; i++) /* no escape character anywhere */
		assert_false(unit_contains(d.blocks[i].text, "\x1b") ||
			     unit_contains(d.blocks[i].label, "\x1b"));

	/* As text, with the document's own entry in the audit log it made. */
	char *path = unit_path(*state, "s.txt");
	FILE *f = fopen(path, "w+");
	assert_non_null(f);
	assert_int_equal(print_subject_access(db, DAY_LESS, PRINT_TEXT, &ctx, f, "text", &err), 1);
	assert_null(err);
	fclose(f);
	char *dbpath = unit_path(*state, "h.db");
	assert_int_equal(unit_sql_long(dbpath, "SELECT count(*) FROM audit WHERE action = "
					       "'subject-access' AND resident_id = '" DAY_LESS
					       "' AND detail = 'text'"),
			 1);
	free(dbpath);
	free(path);
	doc_free(&d);

	/* An erased resident has no subject access to give. */
	assert_int_equal(subject_access_doc(db, ERASED, &ctx, &d, &err), -1);
	assert_non_null(err);
	free(err);
	db_close(db);
	clock_fix(0);
}

int main(void)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	unit_pin_english();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cutoff),
		cmocka_unit_test_setup_teardown(test_due, unit_setup_tmpdir, unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_erase_checks_again, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_subject_access, unit_setup_tmpdir,
						unit_teardown_tmpdir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
