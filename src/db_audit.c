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
