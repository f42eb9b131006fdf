/* The values sync kept as conflicts, for a coordinator to review and restore, and what this
 * terminal knows of its peers. */
#include "db_internal.h"
#include "sync.h"

#include "clock.h"
#include "i18n.h"
#include "record.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The resident a record belongs to: the resident, or through the stay. Step and furniture ids
 * begin with their stay's id. */
#define RESIDENT_OF(c)                                                                          \
	"CASE " c ".tbl WHEN 'resident' THEN " c ".row_id "                                     \
	"WHEN 'stay' THEN (SELECT resident_id FROM stay WHERE id = " c ".row_id) "              \
	"WHEN 'answer' THEN (SELECT resident_id FROM answer WHERE id = " c ".row_id) "          \
	"WHEN 'note' THEN (SELECT resident_id FROM note WHERE id = " c ".row_id) "              \
	"ELSE (SELECT resident_id FROM stay WHERE id = substr(" c ".row_id, 1, 12)) END"

static const char conflicts_sql[] =
    "SELECT c.id, c.tbl, c.row_id, c.field, c.value, c.login, c.at, w.new_value, w.login, "
    "w.at, r.id, r.name, c.resolved_at, c.resolved_by FROM conflict c "
    "LEFT JOIN history w ON w.hlc = substr(c.winner, 1, 17) AND w.terminal = "
    "substr(c.winner, 19) "
    "LEFT JOIN resident r ON r.id = (" RESIDENT_OF("c") ") "
    "WHERE (?1 OR c.resolved_at IS NULL) AND (?2 IS NULL OR r.id = ?2) "
    "ORDER BY c.at DESC, c.id";

static void read_conflict(sqlite3_stmt *st, struct conflict_info *c)
{
	char **fields[] = {&c->id,	     &c->tbl,	     &c->row_id,      &c->field,
			   &c->value,	     &c->login,	     &c->at,	      &c->winner_value,
			   &c->winner_login, &c->winner_at,  &c->resident_id, &c->resident_name,
			   &c->resolved_at,  &c->resolved_by};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		*fields[i] = db_column_dup(st, (int)i);
}

int db_conflicts(struct db *db, const char *resident_id, int all, struct conflict_info **out,
		 size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(db, conflicts_sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, all);
	if (resident_id)
		sqlite3_bind_text(st, 2, resident_id, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		read_conflict(st, &(*out)[(*n)++]);
	}
	db_finish(db, st);
	if (rc != SQLITE_DONE) {
		conflicts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "conflict");
	}
	return 0;
}

void conflicts_free(struct conflict_info *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *fields[] = {c[i].id,	     c[i].tbl,		c[i].row_id,
				  c[i].field,	     c[i].value,	c[i].login,
				  c[i].at,	     c[i].winner_value, c[i].winner_login,
				  c[i].winner_at,    c[i].resident_id,	c[i].resident_name,
				  c[i].resolved_at,  c[i].resolved_by};
		for (size_t k = 0; k < ARRAY_SIZE(fields); k++)
			free(fields[k]);
	}
	free(c);
}

long db_resident_conflicts(struct db *db, const char *resident_id, char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT count(*) FROM conflict c WHERE c.resolved_at IS NULL "
				      "AND (" RESIDENT_OF("c") ") = ?",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, resident_id, -1, SQLITE_STATIC);
	long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	if (n < 0)
		db_fail(db, err, "conflict");
	db_finish(db, st);
	return n;
}

/* A change to a conflict's resolution, in the history so that it travels; base as a record's. */
static int resolution_change(struct db *db, const char *id, const char *field, const char *value,
			     const char *at, char **err)
{
	char hlc[HLC_LEN];
	if (db_hlc_next(db, hlc, err) != 0)
		return -1;
	sqlite3_stmt *st = db_prepare(
	    db,
	    "INSERT INTO history (hlc, terminal, tbl, row_id, field, new_value, login, at, base) "
	    "VALUES (?1, ?2, 'conflict', ?3, ?4, ?5, ?6, ?7, (SELECT hlc || '/' || terminal FROM "
	    "history WHERE tbl = 'conflict' AND row_id = ?3 AND field = ?4 ORDER BY hlc DESC, "
	    "terminal DESC LIMIT 1))",
	    err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hlc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, db->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, at, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "history");
	db_finish(db, st);
	return rc;
}

static int mark_resolved(struct db *db, const char *id, char **err)
{
	char now[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), now);
	int rc = resolution_change(db, id, "resolved_at", now, now, err);
	if (rc == 0)
		rc = resolution_change(db, id, "resolved_by", db->actor, now, err);
	sqlite3_stmt *st = rc == 0 ? db_prepare(db,
						"UPDATE conflict SET resolved_at = ?, "
						"resolved_by = ? WHERE id = ?",
						err)
				   : NULL;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "conflict");
	db_finish(db, st);
	return rc;
}

int db_conflict_resolve(struct db *db, const char *id, int restore, char **err)
{
	if (db_begin(db, err) != 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT tbl, row_id, field, value, resolved_at FROM conflict "
				      "WHERE id = ?",
				      err);
	int rc = st ? 0 : -1;
	char *tbl = NULL, *row = NULL, *field = NULL, *value = NULL;
	if (st) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 4) == SQLITE_NULL) {
			tbl = db_column_dup(st, 0);
			row = db_column_dup(st, 1);
			field = db_column_dup(st, 2);
			value = db_column_dup(st, 3);
		} else {
			*err = xstrdup(_("No open conflict has that id."));
			rc = -1;
		}
		db_finish(db, st);
	}
	/* Marked first: restoring the value then closes the conflict for good (a value equal to
	 * the field's is no conflict), here and wherever the two changes travel. */
	if (rc == 0)
		rc = mark_resolved(db, id, err);
	if (rc == 0) {
		char *what = xasprintf("conflict on %s.%s %s", tbl, field,
				       restore ? "restored" : "kept");
		rc = db_audit_collect(db, tbl, row, what, err);
		free(what);
	}
	if (rc == 0 && restore)
		rc = db_record_set(db, tbl, row, field, value, err);
	free(tbl);
	free(row);
	free(field);
	free(value);
	if (rc != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

/* ------------------------------------------------------------------------------------------
 * Peers */

int db_peers(struct db *db, struct peer_info **out, size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT name, last_export, last_import, "
				      "(SELECT count(*) FROM history WHERE seq > p.exported_seq) "
				      "FROM peer p ORDER BY name",
				      err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		struct peer_info *p = &(*out)[(*n)++];
		p->name = db_column_dup(st, 0);
		p->last_export = db_column_dup(st, 1);
		p->last_import = db_column_dup(st, 2);
		p->pending = (long)sqlite3_column_int64(st, 3);
	}
	db_finish(db, st);
	if (rc != SQLITE_DONE) {
		peers_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "peer");
	}
	return 0;
}

void peers_free(struct peer_info *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].last_export);
		free(p[i].last_import);
	}
	free(p);
}

long db_pending_changes(struct db *db, const char *peer, char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT count(*) FROM history WHERE seq > coalesce((SELECT "
				      "exported_seq FROM peer WHERE name = ?), 0)",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	if (n < 0)
		db_fail(db, err, "peer");
	db_finish(db, st);
	return n;
}

char *sync_counts_text(const struct sync_counts *c)
{
	char *text = xasprintf(_("%ld new, %ld changed, %ld deleted, %ld conflicts, %ld already "
				 "known"),
			       c->added, c->changed, c->deleted, c->conflicts, c->known);
	if (c->pending > 0) {
		char *more = xasprintf(_("%s; %ld waiting for records still on their way"), text,
				       c->pending);
		free(text);
		text = more;
	}
	return text;
}
