#include "db_internal.h"
#include "record.h"

#include "clock.h"
#include "i18n.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const shared_tables[] = {"resident", "stay",      "answer",
					    "checklist_step", "furniture", "note"};

/* Fields kept by husly itself, never written by a caller. */
static const char *const stamped_fields[] = {"id",	   "name_key",   "created_at",
					     "created_by", "updated_at", "updated_by"};

const char *record_get(const struct record *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->values[i];
	return NULL;
}

void record_free(struct record *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->names[i]);
		free(r->values[i]);
	}
	free(r->names);
	free(r->values);
	memset(r, 0, sizeof(*r));
}

void records_free(struct record *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		record_free(&r[i]);
	free(r);
}

static int is_shared_table(const char *table)
{
	for (size_t i = 0; i < ARRAY_SIZE(shared_tables); i++)
		if (str_eq(table, shared_tables[i]))
			return 1;
	return 0;
}

/* The declared type of table.field ("TEXT", "INTEGER", ...), or NULL when there is no such
 * field, or when it could not be looked up (then with *err, if err is not NULL). Table names are
 * checked against shared_tables before they reach any SQL text. */
static char *field_type(struct db *db, const char *table, const char *field, char **err)
{
	if (!is_shared_table(table))
		return NULL;
	sqlite3_stmt *st =
	    db_prepare(db, "SELECT type FROM pragma_table_info(?) WHERE name = ?", err);
	char *type = NULL;
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	if (db_step_row(db, st, err) == 1)
		type = db_column_dup(st, 0);
	db_finish(db, st);
	return type;
}

int db_field_writable(struct db *db, const char *table, const char *field)
{
	for (size_t i = 0; i < ARRAY_SIZE(stamped_fields); i++)
		if (str_eq(field, stamped_fields[i]))
			return 0;
	char *type = field_type(db, table, field, NULL);
	free(type);
	return type != NULL;
}

static void read_row(sqlite3_stmt *st, struct record *r)
{
	int n = sqlite3_column_count(st);
	r->n = (size_t)n;
	r->names = xcalloc((size_t)n, sizeof(char *));
	r->values = xcalloc((size_t)n, sizeof(char *));
	for (int i = 0; i < n; i++) {
		r->names[i] = xstrdup(sqlite3_column_name(st, i));
		r->values[i] = db_column_dup(st, i);
	}
}

int db_record_get(struct db *db, const char *table, const char *id, struct record *out,
		  char **err)
{
	memset(out, 0, sizeof(*out));
	if (!is_shared_table(table)) {
		*err = xasprintf("no such table: %s", table);
		return -1;
	}
	char *sql = xasprintf("SELECT * FROM %s WHERE id = ?", table);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int found = 0;
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = db_fail(db, err, "database");
	}
	db_finish(db, st);
	return found;
}

int db_records_where(struct db *db, const char *table, const char *field, const char *value,
		     const char *order_by, struct record **out, size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	char *ft = field_type(db, table, field, err);
	char *ot = ft ? field_type(db, table, order_by, err) : NULL;
	int ok = ft && ot;
	free(ft);
	free(ot);
	if (!ok) {
		if (!*err)
			*err = xasprintf("no such field: %s.%s or %s", table, field, order_by);
		return -1;
	}
	char *sql = xasprintf("SELECT * FROM %s WHERE %s = ? ORDER BY %s, id", table, field,
			      order_by);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		read_row(st, &(*out)[(*n)++]);
	}
	db_finish(db, st);
	if (rc != SQLITE_DONE) {
		records_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "database");
	}
	return 0;
}

/* Binds a value as the column's type, so "1" lands as the integer 1 in an INTEGER field. The
 * text is not copied (nothing to fail): value must live until the statement has run. */
static void bind_typed(sqlite3_stmt *st, int i, const char *type, const char *value)
{
	long long v;
	if (!value)
		sqlite3_bind_null(st, i);
	else if (str_eq(type, "INTEGER") && parse_int64(value, &v) == 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_text(st, i, value, -1, SQLITE_STATIC);
}

static int record_history(struct db *db, const char *table, const char *id, const char *field,
			  sqlite3_value *old_value, const char *type, const char *new_value,
			  const char *at, char **err)
{
	char hlc[HLC_LEN];
	if (db_hlc_next(db, hlc, err) != 0)
		return -1;
	/* base: the field's latest change, the value this one replaces (NULL for the first). */
	sqlite3_stmt *st = db_prepare(
	    db,
	    "INSERT INTO history (hlc, terminal, tbl, row_id, field, old_value, new_value, login, "
	    "at, base) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
	    " (SELECT hlc || '/' || terminal FROM history WHERE tbl = ?3 AND row_id = ?4 AND "
	    "  field = ?5 ORDER BY hlc DESC, terminal DESC LIMIT 1))",
	    err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hlc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, db->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, field, -1, SQLITE_STATIC);
	int rc = db_bound(db, old_value ? sqlite3_bind_value(st, 6, old_value)
					 : sqlite3_bind_null(st, 6),
			  err);
	bind_typed(st, 7, type, new_value);
	sqlite3_bind_text(st, 8, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, at, -1, SQLITE_STATIC);
	if (rc == 0)
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "history");
	db_finish(db, st);
	/* The field's conflicts, if it has any, now lost to this change (or, taking a lost value
	 * again, are none): what an import of the same changes makes of them, so terminals agree. */
	long added = 0;
	return rc == 0 ? db_field_conflicts(db, table, id, field, &added, err) : rc;
}

static int check_field(struct db *db, const char *table, const char *field, char **type,
		       char **err)
{
	*type = NULL;
	/* A change and its history are one: never written outside a transaction. */
	if (sqlite3_get_autocommit(db->conn)) {
		if (db->lost) /* SQLite rolled it back on an error: say which */
			return db_fail(db, err, "database");
		*err = xstrdup("internal error: a write outside a transaction");
		return -1;
	}
	int stamped = 0;
	for (size_t i = 0; i < ARRAY_SIZE(stamped_fields); i++)
		stamped |= str_eq(field, stamped_fields[i]);
	if (!stamped)
		*type = field_type(db, table, field, err);
	if (*type)
		return 0;
	if (!*err)
		*err = xasprintf("cannot write %s.%s", table, field);
	return -1;
}

/* Whether (table, id) is gone for good: an erased resident, or a record an erasure took. A
 * screen may still show it when another process imports the erasure: the write is refused in
 * the same transaction, so nothing of an erased person comes back. -1 (with *err) when it
 * could not be looked up: refused too. */
static int erased(struct db *db, const char *table, const char *id, char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT 1 FROM tombstone WHERE tbl = ?1 AND row_id = ?2 "
				      "UNION ALL SELECT 1 FROM resident WHERE ?1 = 'resident' AND "
				      "id = ?2 AND erased_at IS NOT NULL",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id ? id : "", -1, SQLITE_STATIC);
	int gone = db_step_row(db, st, err);
	db_finish(db, st);
	return gone;
}

int db_record_erased(struct db *db, const char *table, const char *id, char **err)
{
	return erased(db, table, id, err);
}

/* A new record of an erased resident, or of a stay an erasure took, is refused: 1, or -1 when
 * that could not be looked up. */
static int parent_erased(struct db *db, const struct field_value *fields, size_t n, char **err)
{
	for (size_t i = 0; i < n; i++) {
		int gone = 0;
		if (str_eq(fields[i].field, "resident_id") && fields[i].value)
			gone = erased(db, "resident", fields[i].value, err);
		if (str_eq(fields[i].field, "stay_id") && fields[i].value)
			gone = erased(db, "stay", fields[i].value, err);
		if (gone)
			return gone;
	}
	return 0;
}

/* Refuses a write to what an erasure took: 0 to go on, -1 with *err. */
static int refuse_erased(int gone, char **err)
{
	if (gone > 0 && err && !*err)
		*err = xstrdup(_("The resident has been erased."));
	return gone ? -1 : 0;
}

int db_record_insert(struct db *db, const char *table, const char *id,
		     const struct field_value *fields, size_t n, char **err)
{
	int gone = erased(db, table, id, err);
	if (gone == 0)
		gone = parent_erased(db, fields, n, err);
	if (refuse_erased(gone, err) != 0)
		return -1;
	char at[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), at);
	char **types = xcalloc(n, sizeof(char *));
	struct strbuf cols, marks;
	sb_init(&cols);
	sb_init(&marks);
	sb_add(&cols, "id, created_at, created_by, updated_at, updated_by");
	sb_add(&marks, "?, ?, ?, ?, ?");
	int rc = 0;
	const char *name = NULL;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = check_field(db, table, fields[i].field, &types[i], err);
		sb_addf(&cols, ", %s", fields[i].field);
		sb_add(&marks, ", ?");
		if (str_eq(fields[i].field, "name"))
			name = fields[i].value;
	}
	if (str_eq(table, "resident")) {
		sb_add(&cols, ", name_key");
		sb_add(&marks, ", ?");
	}
	sqlite3_stmt *st = NULL;
	if (rc == 0) {
		char *sql = xasprintf("INSERT INTO %s (%s) VALUES (%s)", table, cols.buf, marks.buf);
		st = db_prepare(db, sql, err);
		free(sql);
		rc = st ? 0 : -1;
	}
	if (rc == 0) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, db->actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, db->actor, -1, SQLITE_STATIC);
		for (size_t i = 0; i < n; i++)
			bind_typed(st, 6 + (int)i, types[i], fields[i].value);
		char *key = NULL;
		if (str_eq(table, "resident")) {
			key = text_fold(name ? name : "");
			sqlite3_bind_text(st, 6 + (int)n, key, -1, SQLITE_STATIC);
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(db, err, table);
		free(key);
	}
	db_finish(db, st);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (fields[i].value)
			rc = record_history(db, table, id, fields[i].field, NULL, types[i],
					    fields[i].value, at, err);
	if (rc == 0)
		rc = db_audit_changed(db, table, id, NULL, err);
	for (size_t i = 0; i < n; i++)
		free(types[i]);
	free(types);
	sb_free(&cols);
	sb_free(&marks);
	return rc;
}

/* Reads the current value of table.field for id into a protected copy (NULL when not found). */
static int read_current(struct db *db, const char *table, const char *id, const char *field,
			sqlite3_value **value, char **err)
{
	*value = NULL;
	char *sql = xasprintf("SELECT %s FROM %s WHERE id = ?", field, table);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_value_dup(sqlite3_column_value(st, 0));
	} else {
		if (rc == SQLITE_DONE)
			*err = xasprintf("%s %s does not exist", table, id);
		else
			db_fail(db, err, table);
		db_finish(db, st);
		return -1;
	}
	db_finish(db, st);
	return 0;
}

static int same_value(sqlite3_value *old, const char *type, const char *value)
{
	if (sqlite3_value_type(old) == SQLITE_NULL || !value)
		return sqlite3_value_type(old) == SQLITE_NULL && !value;
	long long v;
	if (str_eq(type, "INTEGER") && parse_int64(value, &v) == 0)
		return sqlite3_value_type(old) == SQLITE_INTEGER && sqlite3_value_int64(old) == v;
	const unsigned char *t = sqlite3_value_text(old);
	return t && strcmp((const char *)t, value) == 0;
}

int db_record_set(struct db *db, const char *table, const char *id, const char *field,
		  const char *value, char **err)
{
	char *type = NULL;
	sqlite3_value *old = NULL;
	int erasing = str_eq(table, "resident") && str_eq(field, "erased_by");
	if (!erasing && refuse_erased(erased(db, table, id, err), err) != 0)
		return -1;
	if (check_field(db, table, field, &type, err) != 0 ||
	    read_current(db, table, id, field, &old, err) != 0) {
		free(type);
		return -1;
	}
	int rc = 0;
	if (same_value(old, type, value))
		goto done;
	char at[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), at);
	int is_name = str_eq(table, "resident") && str_eq(field, "name");
	char *sql = xasprintf("UPDATE %s SET %s = ?, updated_at = ?, updated_by = ?%s WHERE id = ?",
			      table, field, is_name ? ", name_key = ?" : "");
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st) {
		rc = -1;
		goto done;
	}
	bind_typed(st, 1, type, value);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, db->actor, -1, SQLITE_STATIC);
	int next = 4;
	char *key = is_name ? text_fold(value ? value : "") : NULL;
	if (is_name)
		sqlite3_bind_text(st, next++, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, next, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, err, table);
	db_finish(db, st);
	free(key);
	if (rc == 0)
		rc = record_history(db, table, id, field, old, type, value, at, err);
	if (rc == 0)
		rc = db_audit_changed(db, table, id, field, err);
done:
	sqlite3_value_free(old);
	free(type);
	return rc;
}

void field_now_free(struct field_now *f)
{
	free(f->value);
	free(f->login);
	free(f->at);
	memset(f, 0, sizeof(*f));
}

/* The value of table.field of id into out (exists and value); table and field are checked
 * against the schema before they reach the SQL text. */
static int read_field_value(struct db *db, const char *table, const char *id, const char *field,
			    struct field_now *out, char **err)
{
	char *type = field_type(db, table, field, err);
	free(type);
	if (!type) {
		if (!*err)
			*err = xasprintf("no such field: %s.%s", table, field);
		return -1;
	}
	char *sql = xasprintf("SELECT %s FROM %s WHERE id = ?", field, table);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->exists = 1;
		out->value = db_column_dup(st, 0);
	}
	db_finish(db, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, table);
}

/* Who changed table.field of id last, and when: the history's newest entry for it. */
static int read_last_change(struct db *db, const char *table, const char *id, const char *field,
			    struct field_now *out, char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT login, at FROM history WHERE tbl = ? AND row_id = ? "
				      "AND field = ? ORDER BY hlc DESC, terminal DESC LIMIT 1",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->login = db_column_dup(st, 0);
		out->at = db_column_dup(st, 1);
	}
	db_finish(db, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, "history");
}

int db_field_now(struct db *db, const char *table, const char *id, const char *field,
		 struct field_now *out, char **err)
{
	memset(out, 0, sizeof(*out));
	int rc = read_field_value(db, table, id, field, out, err);
	if (rc == 0)
		rc = read_last_change(db, table, id, field, out, err);
	if (rc != 0)
		field_now_free(out);
	return rc;
}

long long db_history_last(struct db *db, char **err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT coalesce(max(seq), 0) FROM history", err);
	if (!st)
		return -1;
	long long seq = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
						       : db_fail(db, err, "history");
	db_finish(db, st);
	return seq;
}

int db_history_since(struct db *db, long long seq, history_ref_fn *fn, void *arg, char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT hlc, terminal, tbl, row_id, field FROM history "
				      "WHERE seq > ? ORDER BY seq",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, seq);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col[5];
		for (int i = 0; i < 5; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			col[i] = t ? (const char *)t : "";
		}
		fn(col[0], col[1], col[2], col[3], col[4], arg);
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(db, err, "history");
	db_finish(db, st);
	return rc;
}
