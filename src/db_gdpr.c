/* The GDPR's queries: who is due for erasure under the retention time, and the parts of a
 * subject access that no other module reads (the audit entries come from db_audit_list). */
#include "db_internal.h"
#include "gdpr.h"

#include "audit.h"
#include "clock.h"
#include "i18n.h"
#include "sync.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Residents with no open stay and no house ban still running (?4: today; erasing them would
 * erase the ban) whose last departure is before ?1 (a local date: "YYYY-MM-DD
 * HH:MM" < "YYYY-MM-DD" for every time of an earlier day, never for that day itself), or who
 * have no stay and were registered before ?2 (the UTC time of that day's local midnight).
 * count(departure) counts the ended stays: equal to count(id) when none is open. ?3: one
 * resident only, or NULL for all. */
static const char due_sql[] =
    "SELECT r.id, r.name, max(s.departure), r.created_at "
    "FROM resident r LEFT JOIN stay s ON s.resident_id = r.id "
    "WHERE r.erased_at IS NULL AND (?3 IS NULL OR r.id = ?3) "
    "  AND (r.ban_until IS NULL OR r.ban_until < ?4) "
    "GROUP BY r.id "
    "HAVING count(s.id) = count(s.departure) "
    "   AND ((count(s.id) > 0 AND max(s.departure) < ?1) "
    "        OR (count(s.id) = 0 AND r.created_at < ?2)) "
    "ORDER BY max(s.departure) IS NULL, max(s.departure), r.created_at, r.id";

/* The statement of due_sql bound to cutoff (and one resident, or NULL); NULL with *err. */
static sqlite3_stmt *due_query(struct db *db, const char *cutoff, const char *resident_id,
			       char **err)
{
	char midnight[LOCAL_MIN_LEN], since_utc[ISO_TIME_LEN];
	time_t t;
	snprintf(midnight, sizeof(midnight), "%.10s 00:00", cutoff);
	if (strlen(cutoff) != 10 || local_minute_to_time(midnight, &t) != 0) {
		*err = xasprintf("retention: not a date: %s", cutoff);
		return NULL;
	}
	time_to_iso_utc(t, since_utc);
	sqlite3_stmt *st = db_prepare(db, due_sql, err);
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, since_utc, -1, SQLITE_TRANSIENT);
	char today[DATE_LEN];
	time_to_local_date(clock_now(), today);
	sqlite3_bind_text(st, 4, today, -1, SQLITE_TRANSIENT);
	if (resident_id)
		sqlite3_bind_text(st, 3, resident_id, -1, SQLITE_TRANSIENT);
	return st;
}

int db_retention_due(struct db *db, const char *cutoff, struct retention_due **out, size_t *n,
		     char **err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = due_query(db, cutoff, NULL, err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		struct retention_due *r = &(*out)[(*n)++];
		strlcpy_trunc(r->id, (const char *)sqlite3_column_text(st, 0), ID_LEN);
		r->name = db_column_dup(st, 1);
		r->last_departure = db_column_dup(st, 2);
		r->created_at = db_column_dup(st, 3);
	}
	db_finish(db, st);
	if (rc != SQLITE_DONE) {
		retention_due_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "retention");
	}
	return 0;
}

void retention_due_free(struct retention_due *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].name);
		free(r[i].last_departure);
		free(r[i].created_at);
	}
	free(r);
}

/* 1 when the resident is due at cutoff, 0 when not, -1 on error. */
static int still_due(struct db *db, const char *resident_id, const char *cutoff, char **err)
{
	sqlite3_stmt *st = due_query(db, cutoff, resident_id, err);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	db_finish(db, st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "retention");
}

int db_retention_erase(struct db *db, const char *resident_id, const char *cutoff,
		       const char *detail, char **err)
{
	if (db_erase_ready(db, err) != 0 || db_begin(db, err) != 0)
		return -1;
	int due = still_due(db, resident_id, cutoff, err);
	if (due == 1 && db_erase_resident_in(db, resident_id, AUDIT_RETENTION, detail, err) != 0)
		due = -1;
	if (due != 1) {
		db_rollback(db);
		return due;
	}
	return db_commit(db, err) == 0 ? 1 : -1;
}
