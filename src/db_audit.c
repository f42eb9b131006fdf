#include "audit.h"
#include "db_internal.h"

#include "clock.h"
#include "util.h"

#include <stdlib.h>

void db_set_terminal_name(struct db *db, const char *name)
{
	free(db->terminal_name);
	db->terminal_name = xstrdup(name);
}

int db_audit_in(struct db *db, const char *action, const char *resident_id, const char *detail,
		char **err)
{
	char at[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), at);
	sqlite3_stmt *st = db_prepare(db,
				      "INSERT INTO audit (at, login, terminal, action, resident_id, "
				      "detail) VALUES (?, ?, ?, ?, ?, ?)",
				      err);
	int rc = -1;
	if (st) {
		sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, db->actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, db->terminal_name ? db->terminal_name : db->terminal_id, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, resident_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, detail, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "audit");
		sqlite3_finalize(st);
	}
	return rc;
}

int db_audit(struct db *db, const char *action, const char *resident_id, const char *detail,
	     char **err)
{
	if (db_begin(db, err) != 0)
		return -1;
	if (db_audit_in(db, action, resident_id, detail, err) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

long db_audit_list(struct db *db, const char *resident_id, const char *since,
		   void (*each)(const struct audit_entry *e, void *arg), void *arg, char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT a.at, a.login, a.terminal, a.action, a.resident_id, "
				      "a.detail, CASE WHEN r.erased_at IS NULL THEN r.name END "
				      "FROM audit a LEFT JOIN resident r ON r.id = a.resident_id "
				      "WHERE (?1 IS NULL OR a.resident_id = ?1) AND "
				      "(?2 IS NULL OR a.at >= ?2) ORDER BY a.seq",
				      err);
	if (!st)
		return -1;
	if (resident_id)
		sqlite3_bind_text(st, 1, resident_id, -1, SQLITE_STATIC);
	if (since)
		sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col[7];
		for (int i = 0; i < 7; i++)
			col[i] = (const char *)sqlite3_column_text(st, i);
		struct audit_entry e = {col[0], col[1], col[2], col[3], col[4], col[5], col[6]};
		each(&e, arg);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : db_fail(db, err, "audit");
}
