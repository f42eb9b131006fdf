/* Sync, the database side: changes out (the history in this database's order), changes in
 * (checked, added once), and records made again from their changes, so that every terminal with
 * the same changes holds the same records, whatever order they came in. See sync.h for the
 * rules. */
#include "db_internal.h"
#include "db_sync.h"

#include "audit.h"
#include "clock.h"
#include "cpr.h"
#include "i18n.h"
#include "ids.h"
#include "kommune.h"
#include "record.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The records sync makes, parents before children. */
static const char *const synced_tables[] = {"resident",	    "stay",	 "answer",
					    "checklist_step", "furniture", "note"};
#define NTABLES ARRAY_SIZE(synced_tables)

#define MAX_TEXT_BYTES (1 << 20) /* a value longer than a megabyte is no note: damage */
#define MAX_ID_BYTES 300
#define CHANGE_ID_LEN (HLC_LEN + ID_LEN) /* "hlc/terminal" + NUL */

/* ------------------------------------------------------------------------------------------
 * Export */

static const char header_sql[] =
    "SELECT json_object('husly', 'changes', 'format', ?1, 'from', ?2, 'name', ?3, "
    "'created', ?4, 'full', ?5)";

static const char changes_sql[] =
    "SELECT json_object('hlc', hlc, 'terminal', terminal, 'tbl', tbl, 'row', row_id, "
    "'field', field, 'old', old_value, 'new', new_value, 'login', login, 'at', at, "
    "'base', base), seq FROM history WHERE seq > ? ORDER BY seq";

static long long exported_seq(struct db *db, const char *peer)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT exported_seq FROM peer WHERE name = ?", NULL);
	long long seq = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	db_finish(db, st);
	return seq;
}

static int export_header(struct db *db, const char *terminal_name, int full,
			 int (*line)(const char *, size_t, void *), void *arg, char **err)
{
	sqlite3_stmt *st = db_prepare(db, header_sql, err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), now);
	sqlite3_bind_int(st, 1, SYNC_FORMAT);
	sqlite3_bind_text(st, 2, db->terminal_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, terminal_name ? terminal_name : db->terminal_id, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, full);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : db_fail(db, err, "export");
	if (rc == 0)
		rc = line((const char *)sqlite3_column_text(st, 0),
			  (size_t)sqlite3_column_bytes(st, 0), arg);
	db_finish(db, st);
	return rc;
}

int db_sync_export_lines(struct db *db, const char *peer, int full, const char *terminal_name,
			 int (*line)(const char *text, size_t len, void *arg), void *arg,
			 long *changes, long long *upto, char **err)
{
	*changes = 0;
	*upto = 0;
	/* One read transaction: a writer on another terminal process cannot tear the snapshot. */
	if (db_exec(db, "BEGIN", err) != 0)
		return -1;
	long long since = full ? 0 : exported_seq(db, peer);
	*upto = since;
	int rc = export_header(db, terminal_name, full, line, arg, err);
	sqlite3_stmt *st = rc == 0 ? db_prepare(db, changes_sql, err) : NULL;
	if (rc == 0 && !st)
		rc = -1;
	if (st)
		sqlite3_bind_int64(st, 1, since);
	int step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = line((const char *)sqlite3_column_text(st, 0),
			  (size_t)sqlite3_column_bytes(st, 0), arg);
		*upto = sqlite3_column_int64(st, 1);
		(*changes)++;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(db, err, "export");
	db_finish(db, st);
	db_exec(db, "COMMIT", NULL);
	return rc;
}

static int log_sync(struct db *db, const char *direction, const char *peer, long changes,
		    const char *summary, char **err)
{
	char now[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), now);
	sqlite3_stmt *st = db_prepare(db,
				      "INSERT INTO sync_log (at, login, direction, peer, changes, "
				      "summary) VALUES (?, ?, ?, ?, ?, ?)",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, direction, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, changes);
	sqlite3_bind_text(st, 6, summary, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "sync_log");
	db_finish(db, st);
	char *detail = xasprintf("%s %s: %s", direction, peer, summary);
	if (rc == 0)
		rc = db_audit_in(db, str_eq(direction, "export") ? AUDIT_EXPORT : AUDIT_IMPORT,
				 NULL, detail, err);
	free(detail);
	return rc;
}

/* Sets peer's time of the last export or import (and, for an export, how far it has been sent:
 * never backwards, so an old full export does not resend what a delta already sent). */
static int touch_peer(struct db *db, const char *peer, const char *column, long long upto,
		      char **err)
{
	char now[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), now);
	char *sql = xasprintf("INSERT INTO peer (name, exported_seq, %s) VALUES (?1, ?2, ?3) "
			      "ON CONFLICT (name) DO UPDATE SET %s = ?3, "
			      "exported_seq = max(exported_seq, ?2)",
			      column, column);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, upto);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "peer");
	db_finish(db, st);
	return rc;
}

int db_sync_export_done(struct db *db, const char *peer, long long upto, long changes, int full,
			char **err)
{
	if (db_begin(db, err) != 0)
		return -1;
	char *summary = xasprintf("%ld changes%s", changes, full ? " (full)" : "");
	int rc = touch_peer(db, peer, "last_export", upto, err);
	if (rc == 0)
		rc = log_sync(db, "export", peer, changes, summary, err);
	free(summary);
	if (rc != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

/* ------------------------------------------------------------------------------------------
 * The columns of the synced tables, read once per import */

struct column {
	char *name;
	int integer;   /* INTEGER, else TEXT */
	int notnull;   /* NOT NULL */
	char *dflt;    /* the default's SQL text, or NULL */
	int stamp;     /* id, name_key, created_*, updated_*: husly's own */
};

struct table {
	const char *name;
	struct column *cols;
	size_t n;
	sqlite3_stmt *upsert; /* prepared once per import: a full import makes many records */
};

static int is_stamp(const char *name)
{
	static const char *const stamps[] = {"id",	   "name_key",	 "created_at",
					     "created_by", "updated_at", "updated_by"};
	for (size_t i = 0; i < ARRAY_SIZE(stamps); i++)
		if (str_eq(name, stamps[i]))
			return 1;
	return 0;
}

static int load_table(struct db *db, struct table *t, const char *name, char **err)
{
	t->name = name;
	sqlite3_stmt *st = db_prepare(
	    db, "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?) ORDER BY cid",
	    err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->n == cap) {
			cap = cap ? cap * 2 : 32;
			t->cols = xrealloc(t->cols, cap * sizeof(*t->cols));
		}
		struct column *c = &t->cols[t->n++];
		c->name = db_column_dup(st, 0);
		c->integer = str_eq((const char *)sqlite3_column_text(st, 1), "INTEGER");
		c->notnull = sqlite3_column_int(st, 2);
		c->dflt = db_column_dup(st, 3);
		c->stamp = is_stamp(c->name);
	}
	int rc = step == SQLITE_DONE ? 0 : db_fail(db, err, "import");
	db_finish(db, st);
	return rc;
}

static void tables_free(struct db *db, struct table *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		db_finish(db, t[i].upsert);
		for (size_t k = 0; k < t[i].n; k++) {
			free(t[i].cols[k].name);
			free(t[i].cols[k].dflt);
		}
		free(t[i].cols);
	}
}

static const struct table *table_named(const struct table *t, const char *name)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (str_eq(t[i].name, name))
			return &t[i];
	return NULL;
}

static const struct column *column_named(const struct table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (str_eq(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

/* ------------------------------------------------------------------------------------------
 * Import: checking and adding the changes */

struct db_import {
	struct db *db;
	char *name; /* the bundle, for messages */
	struct table tables[NTABLES];
	sqlite3_stmt *valid, *parse, *known, *tomb, *erased, *insert, *mark_row, *mark_field;
	long line_no;
	int header_seen;
	char from_name[128];
	char max_hlc[HLC_LEN];
	struct sync_counts c;
};

static const char parse_sql[] =
    "SELECT json_extract(?1, '$.hlc'), json_extract(?1, '$.terminal'), "
    "json_extract(?1, '$.tbl'), json_extract(?1, '$.row'), json_extract(?1, '$.field'), "
    "json_extract(?1, '$.old'), json_extract(?1, '$.new'), json_extract(?1, '$.login'), "
    "json_extract(?1, '$.at'), json_extract(?1, '$.base'), "
    "json_type(?1, '$.old'), json_type(?1, '$.new')";
enum { P_HLC, P_TERMINAL, P_TBL, P_ROW, P_FIELD, P_OLD, P_NEW, P_LOGIN, P_AT, P_BASE, P_OLD_TYPE,
       P_NEW_TYPE };

static int prepare_all(struct db_import *im, char **err)
{
	const struct {
		sqlite3_stmt **st;
		const char *sql;
	} all[] = {
		/* CASE, not AND: json_type fails on what json_valid refuses. */
		{&im->valid, "SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' "
			     "ELSE 0 END"},
		{&im->parse, parse_sql},
		{&im->known, "SELECT 1 FROM history WHERE hlc = ? AND terminal = ?"},
		{&im->tomb, "SELECT 1 FROM tombstone WHERE tbl = ? AND row_id = ?"},
		{&im->erased, "SELECT 1 FROM resident WHERE id = ? AND erased_at IS NOT NULL"},
		{&im->insert, "INSERT INTO history (hlc, terminal, tbl, row_id, field, old_value, "
			      "new_value, login, at, base) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
		{&im->mark_row, "INSERT OR IGNORE INTO temp.sync_rows (tbl, row_id) VALUES (?, ?)"},
		{&im->mark_field, "INSERT OR IGNORE INTO temp.sync_fields (tbl, row_id, field) "
				  "VALUES (?, ?, ?)"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!(*all[i].st = db_prepare(im->db, all[i].sql, err)))
			return -1;
	return 0;
}

static const char temp_tables[] =
    "CREATE TEMP TABLE IF NOT EXISTS sync_rows (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "  PRIMARY KEY (tbl, row_id));"
    "CREATE TEMP TABLE IF NOT EXISTS sync_fields (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "  field TEXT NOT NULL, PRIMARY KEY (tbl, row_id, field));"
    "CREATE TEMP TABLE IF NOT EXISTS erase_rows (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "  PRIMARY KEY (tbl, row_id));"
    "DELETE FROM temp.sync_rows; DELETE FROM temp.sync_fields; DELETE FROM temp.erase_rows;";

struct db_import *db_import_begin(struct db *db, const char *name, char **err)
{
	struct db_import *im = xcalloc(1, sizeof(*im));
	im->db = db;
	im->name = xstrdup(name);
	/* Before the transaction: a change of the schema inside one would need memory to roll
	 * back (db_begin). */
	int rc = db_exec(db, temp_tables, err);
	if (rc == 0)
		rc = db_begin(db, err);
	for (size_t i = 0; i < NTABLES && rc == 0; i++)
		rc = load_table(db, &im->tables[i], synced_tables[i], err);
	if (rc == 0)
		rc = prepare_all(im, err);
	if (rc != 0) {
		db_import_abort(im);
		return NULL;
	}
	return im;
}

static void import_free(struct db_import *im)
{
	sqlite3_stmt *all[] = {im->valid,  im->parse,  im->known,    im->tomb,
			       im->erased, im->insert, im->mark_row, im->mark_field};
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		db_finish(im->db, all[i]);
	tables_free(im->db, im->tables, NTABLES);
	free(im->name);
	free(im);
}

void db_import_abort(struct db_import *im)
{
	if (!im)
		return;
	db_rollback(im->db);
	import_free(im);
}

static int bad_line(struct db_import *im, char **err, const char *what)
{
	*err = xasprintf(_("line %ld: %s"), im->line_no, what);
	return -1;
}

/* 1 a JSON object, 0 not, -1 when it could not be told. */
static int is_json_object(struct db_import *im, const char *line, size_t len, char **err)
{
	sqlite3_reset(im->valid);
	sqlite3_bind_text(im->valid, 1, line, (int)len, SQLITE_STATIC);
	int row = db_step_row(im->db, im->valid, err);
	return row == 1 ? sqlite3_column_int(im->valid, 0) != 0 : row;
}

/* {"husly": "changes", "format": 1, "from": id, "name": ..., ...} */
static int read_header(struct db_import *im, const char *line, size_t len, char **err)
{
	sqlite3_stmt *st = db_prepare(im->db,
				      "SELECT json_extract(?1, '$.husly'), json_extract(?1, "
				      "'$.format'), json_extract(?1, '$.from'), json_extract(?1, "
				      "'$.name')",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, line, (int)len, SQLITE_STATIC);
	int rc = -1;
	if (db_step_row(im->db, st, err) == 1) {
		const char *what = (const char *)sqlite3_column_text(st, 0);
		long long format = sqlite3_column_int64(st, 1);
		const char *from = (const char *)sqlite3_column_text(st, 2);
		const char *name = (const char *)sqlite3_column_text(st, 3);
		if (!str_eq(what, "changes") || !id_is_valid(from))
			rc = bad_line(im, err, _("not the start of a husly bundle"));
		else if (format > SYNC_FORMAT)
			*err = xasprintf(_("made by a newer version of husly (change format %lld); "
					   "update husly"),
					 format);
		else
			rc = 0;
		char *safe = text_sanitize(name && *name ? name : from ? from : "?");
		strlcpy_trunc(im->from_name, safe, sizeof(im->from_name));
		free(safe);
	}
	db_finish(im->db, st);
	return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_TEXT ? (const char *)sqlite3_column_text(st, i)
							  : NULL;
}

static int text_ok(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) > max)
		return 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (cp == REPLACEMENT_CHAR || text_is_unsafe(cp))
			return 0;
	}
	return 1;
}

static int change_id_ok(const char *s)
{
	if (!s || strlen(s) != CHANGE_ID_LEN - 1 || s[HLC_LEN - 1] != '/')
		return 0;
	char hlc[HLC_LEN];
	memcpy(hlc, s, HLC_LEN - 1);
	hlc[HLC_LEN - 1] = '\0';
	return hlc_is_valid(hlc) && id_is_valid(s + HLC_LEN);
}

/* A value's JSON type fits the column: text for TEXT, a whole number for INTEGER, or null. */
static int value_ok(const char *json_type, sqlite3_stmt *st, int i, const struct column *c)
{
	if (str_eq(json_type, "null") || !json_type)
		return 1;
	if (c && c->integer)
		return str_eq(json_type, "integer");
	return str_eq(json_type, "text") && sqlite3_column_bytes(st, i) <= MAX_TEXT_BYTES;
}

/* The records whose id is made of their fields' values: "resident/list/code" for an answer. */
static const struct {
	const char *tbl;
	const char *parts[3];
} derived_ids[] = {
	{"answer", {"resident_id", "list", "code"}},
	{"checklist_step", {"stay_id", "step", NULL}},
	{"furniture", {"stay_id", "thing", NULL}},
};

/* Part k of a derived id ("" when there is none): into out, which holds MAX_ID_BYTES + 1. */
static void id_part(const char *row, size_t k, char *out)
{
	const char *p = row;
	for (size_t i = 0; i < k && p; i++)
		p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL;
	size_t n = p ? strcspn(p, "/") : 0;
	if (n > MAX_ID_BYTES)
		n = MAX_ID_BYTES;
	memcpy(out, p ? p : "", n);
	out[n] = '\0';
}

/* Whether row is a derived id of the table derived_ids[i] describes: as many parts, the first a
 * parent's id; and when field is one of the parts, whether value is that part. */
static int derived_row_fits(size_t i, const char *row, const char *field, const char *value)
{
	size_t nparts = derived_ids[i].parts[2] ? 3 : 2, slashes = 0;
	for (const char *p = row; *p; p++)
		slashes += *p == '/';
	char part[MAX_ID_BYTES + 1];
	id_part(row, 0, part);
	if (slashes != nparts - 1 || !id_is_valid(part))
		return 0;
	for (size_t k = 0; k < nparts; k++) {
		if (str_eq(field, derived_ids[i].parts[k])) {
			id_part(row, k, part);
			return value && str_eq(value, part);
		}
	}
	return 1;
}

/* Whether row is an id of tbl as husly makes them, and agrees with the field's value when the
 * field is part of it. */
static int row_fits(const char *tbl, const char *row, const char *field, const char *value)
{
	if (str_eq(tbl, "resident") || str_eq(tbl, "stay") || str_eq(tbl, "note"))
		return id_is_valid(row);
	if (str_eq(tbl, "conflict"))
		return change_id_ok(row);
	for (size_t i = 0; i < ARRAY_SIZE(derived_ids); i++)
		if (str_eq(derived_ids[i].tbl, tbl))
			return derived_row_fits(i, row, field, value);
	return 1;
}

/* "YYYY-MM-DD", a real date. */
static int is_date(const char *s)
{
	int y, m, d;
	return strlen(s) == 10 && date_parse_iso(s, &y, &m, &d) == 0;
}

/* "YYYY-MM-DD HH:MM", a real moment: arrivals and departures. */
static int is_local_minute(const char *s)
{
	time_t t;
	return strlen(s) == 16 && local_minute_to_time(s, &t) == 0;
}

static int is_cpr(const char *s)
{
	return strlen(s) == 10 && strspn(s, "0123456789") == 10 && cpr_is_valid(s, NULL);
}

/* A value husly itself never writes in the field, as `husly check` judges them: a bundle
 * carrying it is damaged or forged, and is refused. NULL when the value is fine. */
static const char *value_problem(const char *tbl, const char *field, const char *v)
{
	if (!v)
		return NULL;
	if (str_eq(tbl, "resident")) {
		if (str_eq(field, "name") && v[strspn(v, " \t\r\n")] == '\0')
			return N_("a resident without a name");
		if (str_eq(field, "cpr") && !is_cpr(v))
			return N_("a CPR number that is not valid");
		if (str_eq(field, "birth_date") && !is_date(v))
			return N_("a birth date that is not a date");
		if (str_eq(field, "home_kommune") && !kommune_by_code(v))
			return N_("a municipality husly does not know");
	}
	if (str_eq(tbl, "stay") && (str_eq(field, "arrival") || str_eq(field, "departure")) &&
	    !is_local_minute(v))
		return N_("an arrival or departure that is not a time");
	if (str_eq(tbl, "note") && str_eq(field, "body") && v[strspn(v, " \t\r\n")] == '\0')
		return N_("an empty note");
	return NULL;
}

/* Text values are UTF-8 without NUL: husly writes nothing else, and the screens and print-outs
 * show nothing else. */
static int text_value_ok(const char *json_type, sqlite3_stmt *st, int i)
{
	if (!str_eq(json_type, "text"))
		return 1;
	return text_is_utf8((const char *)sqlite3_column_text(st, i),
			    (size_t)sqlite3_column_bytes(st, i));
}

/* What is wrong with what the change in parse writes (table, field, values), or NULL. */
static const char *content_problem(struct db_import *im)
{
	sqlite3_stmt *p = im->parse;
	const char *tbl = col_text(p, P_TBL), *field = col_text(p, P_FIELD);
	const char *row = col_text(p, P_ROW), *value = col_text(p, P_NEW);
	const char *old_type = col_text(p, P_OLD_TYPE), *new_type = col_text(p, P_NEW_TYPE);
	if (!text_value_ok(new_type, p, P_NEW) || !text_value_ok(old_type, p, P_OLD))
		return N_("a change with a value that is not UTF-8 text");
	if (str_eq(tbl, "conflict")) {
		int known = str_eq(field, "resolved_at") || str_eq(field, "resolved_by");
		return known && value_ok(new_type, p, P_NEW, NULL) && row_fits(tbl, row, field, value)
			   ? NULL
			   : N_("a malformed conflict change");
	}
	const struct column *c = column_named(table_named(im->tables, tbl), field);
	if (!c || c->stamp)
		return N_("a change to a field husly does not know");
	if (!value_ok(new_type, p, P_NEW, c) || !value_ok(old_type, p, P_OLD, c))
		return N_("a change with a value of the wrong type");
	if (!row_fits(tbl, row, field, value))
		return N_("a change to a record whose id does not fit it");
	return value_problem(tbl, field, value);
}

/* What is wrong with the change parse holds, or NULL. */
static const char *change_problem(struct db_import *im)
{
	sqlite3_stmt *p = im->parse;
	const char *hlc = col_text(p, P_HLC), *at = col_text(p, P_AT);
	time_t t;
	if (!hlc_is_valid(hlc) || !id_is_valid(col_text(p, P_TERMINAL)))
		return N_("a change without a valid clock or terminal");
	if (!text_ok(col_text(p, P_ROW), MAX_ID_BYTES) || !text_ok(col_text(p, P_LOGIN), 200) ||
	    !at || iso_utc_to_time(at, &t) != 0)
		return N_("a change without a valid record, login or time");
	if (sqlite3_column_type(p, P_BASE) != SQLITE_NULL && !change_id_ok(col_text(p, P_BASE)))
		return N_("a change with a malformed base");
	return content_problem(im);
}

/* 1 when st finds a row for (a, b), 0 when not, -1 when it could not look. */
static int exists_with(struct db *db, sqlite3_stmt *st, const char *a, const char *b, char **err)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	int row = db_step_row(db, st, err);
	sqlite3_reset(st); /* done with it: the next lookup binds its own */
	return row;
}

/* Already here, or about a record an erasure took away: dropped (1). -1 when it could not be
 * told: an erased record must not come back because a lookup failed. */
static int change_known(struct db_import *im, char **err)
{
	sqlite3_stmt *p = im->parse;
	const char *tbl = col_text(p, P_TBL), *row = col_text(p, P_ROW);
	const char *field = col_text(p, P_FIELD);
	int known = exists_with(im->db, im->known, col_text(p, P_HLC), col_text(p, P_TERMINAL), err);
	if (known == 0)
		known = exists_with(im->db, im->tomb, tbl, row, err);
	/* An erased resident takes no changes but the erasure's own. */
	if (known == 0 && str_eq(tbl, "resident") && !str_eq(field, "erased_at") &&
	    !str_eq(field, "erased_by"))
		known = exists_with(im->db, im->erased, row, NULL, err);
	return known;
}

static int add_change(struct db_import *im, char **err)
{
	sqlite3_stmt *p = im->parse, *ins = im->insert;
	sqlite3_reset(ins);
	static const int from[] = {P_HLC,  P_TERMINAL, P_TBL,   P_ROW, P_FIELD,
				   P_OLD, P_NEW,      P_LOGIN, P_AT,  P_BASE};
	int bound = SQLITE_OK;
	for (size_t i = 0; i < ARRAY_SIZE(from) && bound == SQLITE_OK; i++)
		bound = sqlite3_bind_value(ins, (int)i + 1, sqlite3_column_value(p, from[i]));
	if (db_bound(im->db, bound, err) != 0)
		return -1;
	if (sqlite3_step(ins) != SQLITE_DONE)
		return db_fail(im->db, err, "history");
	sqlite3_reset(im->mark_row);
	sqlite3_reset(im->mark_field);
	const int row_cols[] = {P_TBL, P_ROW}, field_cols[] = {P_TBL, P_ROW, P_FIELD};
	for (int i = 0; i < 2 && bound == SQLITE_OK; i++)
		bound = sqlite3_bind_value(im->mark_row, i + 1,
					   sqlite3_column_value(p, row_cols[i]));
	for (int i = 0; i < 3 && bound == SQLITE_OK; i++)
		bound = sqlite3_bind_value(im->mark_field, i + 1,
					   sqlite3_column_value(p, field_cols[i]));
	if (db_bound(im->db, bound, err) != 0)
		return -1;
	if (sqlite3_step(im->mark_row) != SQLITE_DONE || sqlite3_step(im->mark_field) != SQLITE_DONE)
		return db_fail(im->db, err, "import");
	const char *hlc = col_text(p, P_HLC);
	if (strcmp(hlc, im->max_hlc) > 0)
		strlcpy_trunc(im->max_hlc, hlc, HLC_LEN);
	return 0;
}

/* A change stamped far ahead of this clock: one of the two clocks is wrong. */
static int too_far_ahead(struct db_import *im, char **err)
{
	const char *hlc = col_text(im->parse, P_HLC);
	unsigned long long ms = hlc_ms(hlc), now = (unsigned long long)clock_now_ms();
	if (ms <= now + (unsigned long long)SYNC_MAX_SKEW_MS)
		return 0;
	time_t t = (time_t)(ms / 1000);
	char when[LOCAL_MIN_LEN], d[DATE_LEN];
	time_to_local_minute(t, when);
	date_iso_to_dk(when, d);
	unsigned long long days = (ms - now) / 86400000ULL;
	if (!d[0]) /* past the year 9999: no date to show */
		*err = xasprintf(_("changes from %s are stamped %llu days ahead of this terminal's "
				   "clock: one of the two clocks is wrong. Set it right, then export "
				   "again with --full"),
				 im->from_name, days);
	else
		*err = xasprintf(_("changes from %s are stamped %s %s, %llu days ahead of this "
				   "terminal's clock: one of the two clocks is wrong. Set it right, "
				   "then export again with --full"),
				 im->from_name, d, when + 11, days);
	return -1;
}

/* Whether the JSON text holds the escape of a NUL, \u0000: SQLite's JSON functions cut a
 * string there, so the value would be stored shorter than it was sent. */
static int has_nul_escape(const char *line, size_t len)
{
	size_t backslashes = 0;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '\\') {
			backslashes++;
			continue;
		}
		if (backslashes % 2 == 1 && line[i] == 'u' && len - i > 4 &&
		    memcmp(line + i + 1, "0000", 4) == 0)
			return 1;
		backslashes = 0;
	}
	return 0;
}

int db_import_line(struct db_import *im, const char *line, size_t len, char **err)
{
	im->line_no++;
	if (len == 0 && im->header_seen)
		return 0;
	int object = is_json_object(im, line, len, err);
	if (object < 0)
		return -1;
	if (!object)
		return bad_line(im, err, _("not a change"));
	if (has_nul_escape(line, len))
		return bad_line(im, err, _("a change with a value that is not UTF-8 text"));
	if (!im->header_seen) {
		im->header_seen = 1;
		return read_header(im, line, len, err);
	}
	sqlite3_reset(im->parse);
	if (db_bound(im->db, sqlite3_bind_text(im->parse, 1, line, (int)len, SQLITE_TRANSIENT),
		     err) != 0)
		return -1;
	if (sqlite3_step(im->parse) != SQLITE_ROW)
		return db_fail(im->db, err, "import");
	im->c.changes++;
	const char *problem = change_problem(im);
	if (problem)
		return bad_line(im, err, _(problem));
	if (too_far_ahead(im, err) != 0)
		return -1;
	int known = change_known(im, err);
	if (known < 0)
		return -1;
	if (known) {
		im->c.known++;
		return 0;
	}
	return add_change(im, err);
}

/* ------------------------------------------------------------------------------------------
 * Making records from their changes */

/* The latest change of each field of a record, and its first and last change. */
#define MAX_VETOES 8

struct winners {
	const struct table *t;
	sqlite3_value **value; /* per column; NULL: no change */
	int *has;
	char (*win)[CHANGE_ID_LEN]; /* per column: the change whose value it is */
	/* Changes set aside because the record with them breaks the schema's rules (make_record). */
	char veto[MAX_VETOES][CHANGE_ID_LEN];
	size_t nveto;
	char *created_at, *created_by, *updated_at, *updated_by;
	char first[CHANGE_ID_LEN], last[CHANGE_ID_LEN];
	long nchanges;
};

/* Frees what load_winners read; the vetoes stay for the next read. */
static void winners_clear(struct winners *w)
{
	for (size_t i = 0; w->value && i < w->t->n; i++)
		sqlite3_value_free(w->value[i]);
	free(w->value);
	free(w->has);
	free(w->win);
	free(w->created_at);
	free(w->created_by);
	free(w->updated_at);
	free(w->updated_by);
	w->value = NULL;
	w->has = NULL;
	w->win = NULL;
	w->created_at = w->created_by = w->updated_at = w->updated_by = NULL;
	w->first[0] = w->last[0] = '\0';
	w->nchanges = 0;
}

static void winners_free(struct winners *w)
{
	winners_clear(w);
	memset(w, 0, sizeof(*w));
}

static int vetoed(const struct winners *w, const char *id)
{
	for (size_t i = 0; i < w->nveto; i++)
		if (str_eq(w->veto[i], id))
			return 1;
	return 0;
}

static void note_extremes(struct winners *w, sqlite3_stmt *st)
{
	const char *id = (const char *)sqlite3_column_text(st, 2);
	if (!w->first[0] || strcmp(id, w->first) < 0) {
		strlcpy_trunc(w->first, id, CHANGE_ID_LEN);
		free(w->created_at);
		free(w->created_by);
		w->created_at = db_column_dup(st, 4);
		w->created_by = db_column_dup(st, 3);
	}
	if (strcmp(id, w->last) > 0) {
		strlcpy_trunc(w->last, id, CHANGE_ID_LEN);
		free(w->updated_at);
		free(w->updated_by);
		w->updated_at = db_column_dup(st, 4);
		w->updated_by = db_column_dup(st, 3);
	}
}

/* Reads the winners of a record; w must be zeroed the first time, and keeps its vetoes. */
static int load_winners(struct db *db, const struct table *t, const char *row, struct winners *w,
			char **err)
{
	winners_clear(w);
	w->t = t;
	w->value = xcalloc(t->n, sizeof(sqlite3_value *)); /* one per column */
	w->has = xcalloc(t->n, sizeof(*w->has));
	w->win = xcalloc(t->n, sizeof(*w->win));
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT field, new_value, hlc || '/' || terminal, login, at "
				      "FROM history WHERE tbl = ? AND row_id = ? "
				      "ORDER BY field, hlc DESC, terminal DESC",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row, -1, SQLITE_STATIC);
	int step, copied = 1;
	while (copied && (step = sqlite3_step(st)) == SQLITE_ROW) {
		w->nchanges++;
		note_extremes(w, st);
		const char *field = (const char *)sqlite3_column_text(st, 0);
		const char *id = (const char *)sqlite3_column_text(st, 2);
		for (size_t i = 0; i < t->n; i++)
			if (!w->has[i] && str_eq(t->cols[i].name, field) && !vetoed(w, id)) {
				w->has[i] = 1; /* the first of the field: its latest */
				w->value[i] = sqlite3_value_dup(sqlite3_column_value(st, 1));
				copied = w->value[i] != NULL;
				strlcpy_trunc(w->win[i], id, CHANGE_ID_LEN);
			}
	}
	int rc = 0;
	if (!copied)
		rc = db_fail_nomem(db, err);
	else if (step != SQLITE_DONE)
		rc = db_fail(db, err, "import");
	db_finish(db, st);
	return rc;
}

static const sqlite3_value *winner(const struct winners *w, const char *field)
{
	for (size_t i = 0; i < w->t->n; i++)
		if (str_eq(w->t->cols[i].name, field))
			return w->has[i] ? w->value[i] : NULL;
	return NULL;
}

static const char *winner_text(const struct winners *w, const char *field)
{
	const sqlite3_value *v = winner(w, field);
	return v && sqlite3_value_type((sqlite3_value *)v) != SQLITE_NULL
		   ? (const char *)sqlite3_value_text((sqlite3_value *)v)
		   : NULL;
}

/* 1 when table has the row, 0 when not, -1 when it could not look. */
static int row_exists(struct db *db, const char *table, const char *id, char **err)
{
	char *sql = xasprintf("SELECT 1 FROM \"%s\" WHERE id = ?", table);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int found = db_step_row(db, st, err);
	db_finish(db, st);
	return found;
}

static int run1(struct db *db, const char *sql, const char *a, const char *b, char **err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return -1;
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	db_finish(db, st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_fail(db, err, "sync");
}

/* The ids of everything an erasure of resident ?1 takes, into temp.erase_rows. */
static const char *const erase_gather[] = {
	"DELETE FROM temp.erase_rows",
	"INSERT OR IGNORE INTO temp.erase_rows SELECT 'stay', id FROM stay WHERE resident_id = ?1",
	"INSERT OR IGNORE INTO temp.erase_rows SELECT 'answer', id FROM answer "
	"WHERE resident_id = ?1",
	"INSERT OR IGNORE INTO temp.erase_rows SELECT 'checklist_step', c.id FROM checklist_step c "
	"JOIN stay s ON s.id = c.stay_id WHERE s.resident_id = ?1",
	"INSERT OR IGNORE INTO temp.erase_rows SELECT 'furniture', f.id FROM furniture f "
	"JOIN stay s ON s.id = f.stay_id WHERE s.resident_id = ?1",
	"INSERT OR IGNORE INTO temp.erase_rows SELECT 'note', id FROM note WHERE resident_id = ?1",
};

/* ... and takes it: conflicts, history, the records (children first), leaving tombstones. */
static const char *const erase_take[] = {
	"DELETE FROM history WHERE tbl = 'conflict' AND row_id IN (SELECT hlc || '/' || terminal "
	"FROM history WHERE (tbl, row_id) IN (SELECT tbl, row_id FROM temp.erase_rows) OR "
	"(tbl = 'resident' AND row_id = ?1))",
	"DELETE FROM conflict WHERE (tbl, row_id) IN (SELECT tbl, row_id FROM temp.erase_rows) OR "
	"(tbl = 'resident' AND row_id = ?1)",
	"DELETE FROM history WHERE (tbl, row_id) IN (SELECT tbl, row_id FROM temp.erase_rows)",
	"DELETE FROM history WHERE tbl = 'resident' AND row_id = ?1 "
	"AND field NOT IN ('erased_at', 'erased_by')",
	"INSERT OR IGNORE INTO tombstone (tbl, row_id, erasure) "
	"SELECT tbl, row_id, ?1 FROM temp.erase_rows",
	"DELETE FROM pending WHERE (tbl, row_id) IN (SELECT tbl, row_id FROM temp.erase_rows)",
	"DELETE FROM checklist_step WHERE id IN (SELECT row_id FROM temp.erase_rows "
	"WHERE tbl = 'checklist_step')",
	"DELETE FROM furniture WHERE id IN (SELECT row_id FROM temp.erase_rows "
	"WHERE tbl = 'furniture')",
	"DELETE FROM note WHERE id IN (SELECT row_id FROM temp.erase_rows WHERE tbl = 'note')",
	"DELETE FROM answer WHERE id IN (SELECT row_id FROM temp.erase_rows WHERE tbl = 'answer')",
	"DELETE FROM stay WHERE id IN (SELECT row_id FROM temp.erase_rows WHERE tbl = 'stay')",
	"DELETE FROM draft WHERE form = 'intake' AND json_extract(data, '$.resident_id') = ?1",
};

static int erase_records(struct db *db, const char *resident_id, char **err)
{
	int rc = 0;
	for (size_t i = 0; i < ARRAY_SIZE(erase_gather) && rc == 0; i++)
		rc = run1(db, erase_gather[i], i ? resident_id : NULL, NULL, err);
	for (size_t i = 0; i < ARRAY_SIZE(erase_take) && rc == 0; i++)
		rc = run1(db, erase_take[i], resident_id, NULL, err);
	return rc;
}

/* An erased resident's row: the id, that it was erased, when and by whom; nothing else. */
static int write_erased_resident(struct db *db, const struct winners *w, const char *id,
				 char **err)
{
	sqlite3_stmt *st = db_prepare(
	    db,
	    "INSERT INTO resident (id, name, name_key, erased_at, erased_by, created_at, "
	    "created_by, updated_at, updated_by) VALUES (?1, '', '', ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (id) DO UPDATE SET name = '', name_key = '', erased_at = ?2, "
	    "erased_by = ?3, created_at = ?4, created_by = ?5, updated_at = ?6, updated_by = ?7",
	    err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, winner_text(w, "erased_at"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, winner_text(w, "erased_by"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, w->created_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, w->created_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, w->updated_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, w->updated_by, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "resident");
	db_finish(db, st);
	return rc;
}

static int blank_resident(struct db *db, const struct table *t, const char *id, char **err)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "UPDATE resident SET ");
	int first = 1;
	for (size_t i = 0; i < t->n; i++) {
		const struct column *c = &t->cols[i];
		if (c->stamp || c->notnull || str_eq(c->name, "erased_at") ||
		    str_eq(c->name, "erased_by"))
			continue;
		sb_addf(&sb, "%s\"%s\" = NULL", first ? "" : ", ", c->name);
		first = 0;
	}
	sb_add(&sb, " WHERE id = ?");
	int rc = first ? 0 : run1(db, sb.buf, id, NULL, err);
	sb_free(&sb);
	return rc;
}

/* Erases a resident here: the records and their history go, the row keeps the erasure. The
 * winners are re-read afterwards: only the erasure's changes are left. */
static int erase_here(struct db *db, const struct table *t, const char *id, char **err)
{
	if (erase_records(db, id, err) != 0)
		return -1;
	struct winners w = {0};
	int rc = load_winners(db, t, id, &w, err);
	if (rc == 0)
		rc = write_erased_resident(db, &w, id, err);
	if (rc == 0)
		rc = blank_resident(db, t, id, err);
	winners_free(&w);
	return rc;
}

/* The record this one belongs to, if any: (table, id). */
static int parent_of(const struct table *t, const struct winners *w, const char **ptable,
		     const char **pid)
{
	*ptable = *pid = NULL;
	if (str_eq(t->name, "stay") || str_eq(t->name, "answer") || str_eq(t->name, "note")) {
		*ptable = "resident";
		*pid = winner_text(w, "resident_id");
	} else if (str_eq(t->name, "checklist_step") || str_eq(t->name, "furniture")) {
		*ptable = "stay";
		*pid = winner_text(w, "stay_id");
	}
	return *ptable != NULL;
}

enum fate { FATE_UNKNOWN = -1, MAKE, WAIT, GONE };

/* Whether the record can be made now: its parent is here (WAIT while it is on its way) and not
 * erased (GONE), and every required field has a value or a default. FATE_UNKNOWN (with *err)
 * when the parent could not be looked up. */
static enum fate record_fate(struct db *db, const struct table *t, const struct winners *w,
			     char **err)
{
	const char *ptable, *pid;
	if (parent_of(t, w, &ptable, &pid) && pid) {
		sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM tombstone WHERE tbl = ? AND "
						  "row_id = ? UNION ALL SELECT 1 FROM resident "
						  "WHERE id = ? AND erased_at IS NOT NULL", err);
		if (!st)
			return FATE_UNKNOWN;
		sqlite3_bind_text(st, 1, ptable, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, pid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, str_eq(ptable, "resident") ? pid : "", -1, SQLITE_STATIC);
		int gone = db_step_row(db, st, err);
		db_finish(db, st);
		int here = gone == 0 ? row_exists(db, ptable, pid, err) : 0;
		if (gone < 0 || here < 0)
			return FATE_UNKNOWN;
		if (gone)
			return GONE;
		if (!here)
			return WAIT;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct column *c = &t->cols[i];
		if (c->stamp || !c->notnull || c->dflt)
			continue;
		if (!w->has[i] || sqlite3_value_type(w->value[i]) == SQLITE_NULL)
			return WAIT;
	}
	return MAKE;
}

/* INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE something differs: changes() says whether
 * anything did. */
static char *upsert_sql(const struct table *t)
{
	struct strbuf cols, vals, sets, diff;
	sb_init(&cols);
	sb_init(&vals);
	sb_init(&sets);
	sb_init(&diff);
	for (size_t i = 0; i < t->n; i++) {
		const char *n = t->cols[i].name;
		sb_addf(&cols, "%s\"%s\"", i ? ", " : "", n);
		sb_addf(&vals, "%s?%zu", i ? ", " : "", i + 1);
		if (str_eq(n, "id"))
			continue;
		sb_addf(&sets, "%s\"%s\" = excluded.\"%s\"", sets.len ? ", " : "", n, n);
		sb_addf(&diff, "%s\"%s\" IS NOT excluded.\"%s\"", diff.len ? " OR " : "", n, n);
	}
	char *sql = xasprintf("INSERT INTO \"%s\" (%s) VALUES (%s) ON CONFLICT (id) DO UPDATE SET "
			      "%s WHERE %s",
			      t->name, cols.buf, vals.buf, sets.buf, diff.buf);
	sb_free(&cols);
	sb_free(&vals);
	sb_free(&sets);
	sb_free(&diff);
	return sql;
}

/* Binds column k's value; the result of the bind (a copy may fail for lack of memory). */
static int bind_column(sqlite3_stmt *st, int i, const struct column *c, const struct winners *w,
		       size_t k, const char *id)
{
	if (str_eq(c->name, "id"))
		return sqlite3_bind_text(st, i, id, -1, SQLITE_STATIC);
	if (str_eq(c->name, "created_at"))
		return sqlite3_bind_text(st, i, w->created_at, -1, SQLITE_STATIC);
	if (str_eq(c->name, "created_by"))
		return sqlite3_bind_text(st, i, w->created_by, -1, SQLITE_STATIC);
	if (str_eq(c->name, "updated_at"))
		return sqlite3_bind_text(st, i, w->updated_at, -1, SQLITE_STATIC);
	if (str_eq(c->name, "updated_by"))
		return sqlite3_bind_text(st, i, w->updated_by, -1, SQLITE_STATIC);
	if (str_eq(c->name, "name_key")) {
		char *key = text_fold(winner_text(w, "name") ? winner_text(w, "name") : "");
		int rc = sqlite3_bind_text(st, i, key, -1, SQLITE_TRANSIENT);
		free(key);
		return rc;
	}
	if (w->has[k])
		return sqlite3_bind_value(st, i, w->value[k]);
	if (c->dflt && c->integer)
		return sqlite3_bind_int64(st, i, strtoll(c->dflt, NULL, 10));
	if (c->dflt) /* a quoted SQL string: 'todo' */
		return sqlite3_bind_text(st, i, c->dflt + 1, (int)strlen(c->dflt) - 2,
					 SQLITE_TRANSIENT);
	return sqlite3_bind_null(st, i);
}

/* husly's rule for a record beyond the schema's: the birth date agrees with the CPR number.
 * Fields from two terminals can break it (one changed the number, the other the date); the
 * record is then handled like one the schema refuses. */
static int breaks_rules(const struct table *t, const struct winners *w)
{
	if (!str_eq(t->name, "resident"))
		return 0;
	const char *cpr = winner_text(w, "cpr"), *birth = winner_text(w, "birth_date");
	char from_cpr[DATE_LEN];
	return cpr && birth && cpr_is_valid(cpr, from_cpr) && !str_eq(from_cpr, birth);
}

/* Writes the record as its changes make it. Returns 1 when it was new, 2 changed, 0 the same,
 * 3 when the schema's or husly's rules refuse the combination (it waits), -1 on error. */
static int write_record(struct db *db, struct table *t, const struct winners *w, const char *id,
			char **err)
{
	if (breaks_rules(t, w))
		return 3;
	int existed = row_exists(db, t->name, id, err);
	if (existed < 0)
		return -1;
	if (!t->upsert) {
		char *sql = upsert_sql(t);
		t->upsert = db_prepare(db, sql, err);
		free(sql);
		if (!t->upsert)
			return -1;
	}
	sqlite3_stmt *st = t->upsert;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	int bound = SQLITE_OK;
	for (size_t k = 0; k < t->n && bound == SQLITE_OK; k++)
		bound = bind_column(st, (int)k + 1, &t->cols[k], w, k, id);
	if (db_bound(db, bound, err) != 0) {
		sqlite3_reset(st);
		return -1;
	}
	int rc = sqlite3_step(st);
	int changed = sqlite3_changes(db->conn);
	if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT_COMMITHOOK &&
	    (rc & 0xFF) == SQLITE_CONSTRAINT) {
		sqlite3_reset(st);
		return 3; /* fields from two terminals that the rules do not allow together */
	}
	if (rc != SQLITE_DONE) {
		db_fail(db, err, t->name);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st); /* bound values are the caller's: let go of them now */
	return !changed ? 0 : existed ? 2 : 1;
}

static int set_pending(struct db *db, const char *table, const char *id, int waiting,
		       char **err)
{
	return run1(db,
		    waiting ? "INSERT OR IGNORE INTO pending (tbl, row_id) VALUES (?, ?)"
			    : "DELETE FROM pending WHERE tbl = ? AND row_id = ?",
		    table, id, err);
}

/* A record of an erased resident that arrived after the erasure: dropped, remembered. */
static int drop_record(struct db *db, const struct table *t, const char *id, char **err)
{
	int rc = run1(db, "DELETE FROM history WHERE tbl = ? AND row_id = ?", t->name, id, err);
	if (rc == 0)
		rc = run1(db, "INSERT OR IGNORE INTO tombstone (tbl, row_id, erasure) "
			      "VALUES (?1, ?2, 'parent')", t->name, id, err);
	if (rc == 0)
		rc = set_pending(db, t->name, id, 0, err);
	return rc;
}

/* Fields from two terminals that the schema's rules do not allow together (a departure before
 * an arrival moved on elsewhere): the newest of the record's winning changes is set aside and
 * the record tried again, until it holds. Every terminal sets aside the same changes, so they
 * agree; the change stays in the history, and the next edit of the field settles it. Returns 0
 * when there is nothing more to set aside. */
static int veto_newest(struct winners *w)
{
	if (w->nveto == MAX_VETOES)
		return 0;
	const char *newest = NULL;
	for (size_t i = 0; i < w->t->n; i++)
		if (w->has[i] && !w->t->cols[i].stamp && (!newest || strcmp(w->win[i], newest) > 0))
			newest = w->win[i];
	if (!newest)
		return 0;
	strlcpy_trunc(w->veto[w->nveto++], newest, CHANGE_ID_LEN);
	return 1;
}

static int make_record(struct db_import *im, struct table *t, const char *id, char **err)
{
	struct db *db = im->db;
	int gone = exists_with(db, im->tomb, t->name, id, err);
	if (gone != 0)
		return gone < 0 ? -1 : 0;
	struct winners w = {0};
	int rc = load_winners(db, t, id, &w, err);
	if (rc == 0 && str_eq(t->name, "resident") && winner_text(&w, "erased_at")) {
		int before = exists_with(db, im->erased, id, NULL, err);
		im->c.deleted += before == 0;
		rc = before < 0 ? -1 : erase_here(db, t, id, err);
		winners_free(&w);
		return rc;
	}
	enum fate f = rc == 0 ? record_fate(db, t, &w, err) : WAIT;
	if (f == FATE_UNKNOWN)
		rc = -1;
	if (rc == 0 && f == GONE)
		rc = drop_record(db, t, id, err);
	int made = rc == 0 && f == MAKE ? write_record(db, t, &w, id, err) : 3;
	while (rc == 0 && f == MAKE && made == 3 && veto_newest(&w)) {
		rc = load_winners(db, t, id, &w, err);
		made = rc == 0 ? write_record(db, t, &w, id, err) : -1;
	}
	if (rc == 0 && made < 0)
		rc = -1;
	if (rc == 0 && f != GONE)
		rc = set_pending(db, t->name, id, made == 3, err);
	im->c.added += made == 1;
	im->c.changed += made == 2;
	if (rc == 0 && (made == 1 || made == 2)) /* made from pending too: all its fields */
		rc = run1(db, "INSERT OR IGNORE INTO temp.sync_fields (tbl, row_id, field) "
			      "SELECT DISTINCT tbl, row_id, field FROM history WHERE tbl = ? AND "
			      "row_id = ?", t->name, id, err);
	winners_free(&w);
	return rc;
}

static int make_records(struct db_import *im, char **err)
{
	/* Records that waited: perhaps what they waited for came now. */
	int rc = db_exec(im->db, "INSERT OR IGNORE INTO temp.sync_rows SELECT tbl, row_id FROM "
				 "pending",
			 err);
	for (size_t t = 0; t < NTABLES && rc == 0; t++) {
		sqlite3_stmt *st = db_prepare(im->db, "SELECT row_id FROM temp.sync_rows WHERE tbl = ? "
						      "ORDER BY row_id",
					      err);
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, synced_tables[t], -1, SQLITE_STATIC);
		char **ids = NULL;
		size_t n = 0, cap = 0;
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				ids = xrealloc(ids, cap * sizeof(*ids));
			}
			ids[n++] = db_column_dup(st, 0);
		}
		if (step != SQLITE_DONE)
			rc = db_fail(im->db, err, "import");
		db_finish(im->db, st);
		for (size_t i = 0; i < n; i++) {
			if (rc == 0)
				rc = make_record(im, &im->tables[t], ids[i], err);
			free(ids[i]);
		}
		free(ids);
	}
	return rc;
}

/* ------------------------------------------------------------------------------------------
 * Conflicts */

struct change {
	char id[CHANGE_ID_LEN];
	char base[CHANGE_ID_LEN];
	sqlite3_value *value;
	char *login, *at;
	int ancestor;
};

static void changes_free(struct change *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_value_free(c[i].value);
		free(c[i].login);
		free(c[i].at);
	}
	free(c);
}

static int load_field_changes(struct db *db, const char *tbl, const char *row, const char *field,
			      struct change **out, size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT hlc || '/' || terminal, base, new_value, login, at FROM "
				      "history WHERE tbl = ? AND row_id = ? AND field = ? "
				      "ORDER BY hlc DESC, terminal DESC",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	size_t cap = 0;
	int step, copied = 1;
	while (copied && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		struct change *c = &(*out)[(*n)++];
		memset(c, 0, sizeof(*c));
		strlcpy_trunc(c->id, (const char *)sqlite3_column_text(st, 0), CHANGE_ID_LEN);
		if (sqlite3_column_text(st, 1))
			strlcpy_trunc(c->base, (const char *)sqlite3_column_text(st, 1),
				      CHANGE_ID_LEN);
		c->value = sqlite3_value_dup(sqlite3_column_value(st, 2));
		copied = c->value != NULL;
		c->login = db_column_dup(st, 3);
		c->at = db_column_dup(st, 4);
	}
	int rc = 0;
	if (!copied)
		rc = db_fail_nomem(db, err);
	else if (step != SQLITE_DONE)
		rc = db_fail(db, err, "conflict");
	db_finish(db, st);
	if (rc != 0) {
		changes_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* Marks the winner's line of bases: the changes its author had seen replaced. */
static void mark_ancestors(struct change *c, size_t n)
{
	const char *next = c[0].base;
	for (size_t hops = 0; next[0] && hops < n; hops++) {
		size_t i = 0;
		while (i < n && !str_eq(c[i].id, next))
			i++;
		if (i == n)
			return; /* a link still on its way: the rest counts once it is here */
		c[i].ancestor = 1;
		next = c[i].base;
	}
}

static int same_value(sqlite3_value *a, sqlite3_value *b)
{
	if (sqlite3_value_type(a) != sqlite3_value_type(b))
		return 0;
	if (sqlite3_value_type(a) == SQLITE_NULL)
		return 1;
	int n = sqlite3_value_bytes(a);
	return n == sqlite3_value_bytes(b) &&
	       memcmp(sqlite3_value_blob(a), sqlite3_value_blob(b), (size_t)n) == 0;
}

static const char keep_conflict_sql[] =
    "INSERT INTO conflict (id, tbl, row_id, field, value, login, at, winner, resolved_at, "
    "resolved_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "(SELECT new_value FROM history WHERE tbl = 'conflict' AND row_id = ?1 AND "
    " field = 'resolved_at' ORDER BY hlc DESC, terminal DESC LIMIT 1), "
    "(SELECT new_value FROM history WHERE tbl = 'conflict' AND row_id = ?1 AND "
    " field = 'resolved_by' ORDER BY hlc DESC, terminal DESC LIMIT 1)) "
    "ON CONFLICT (id) DO UPDATE SET winner = excluded.winner, "
    "resolved_at = excluded.resolved_at, resolved_by = excluded.resolved_by";

/* Keeps lost as a conflict of the field, lost to winner_id; *added counts one that is new. */
static int keep_conflict(struct db *db, const char *tbl, const char *row, const char *field,
			 const struct change *lost, const char *winner_id, long *added, char **err)
{
	int existed = row_exists(db, "conflict", lost->id, err);
	sqlite3_stmt *st = existed < 0 ? NULL : db_prepare(db, keep_conflict_sql, err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, lost->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, field, -1, SQLITE_STATIC);
	int rc = db_bound(db, sqlite3_bind_value(st, 5, lost->value), err);
	sqlite3_bind_text(st, 6, lost->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, lost->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, winner_id, -1, SQLITE_STATIC);
	if (rc == 0)
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "conflict");
	db_finish(db, st);
	*added += rc == 0 && !existed;
	return rc;
}

static int is_lost(const struct change *c, size_t n, size_t i)
{
	return i > 0 && i < n && !c[i].ancestor && !same_value(c[i].value, c[0].value);
}

/* The field's conflicts that are no longer so (their link arrived, or the winner took their
 * value) go. */
static int drop_stale_conflicts(struct db *db, const char *tbl, const char *row,
				const char *field, const struct change *c, size_t n, char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT id FROM conflict WHERE tbl = ? AND row_id = ? AND "
				      "field = ?",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		size_t i = 0;
		while (i < n && !str_eq(c[i].id, id))
			i++;
		if (!is_lost(c, n, i))
			rc = run1(db, "DELETE FROM conflict WHERE id = ?", id, NULL, err);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(db, err, "conflict");
	db_finish(db, st);
	return rc;
}

int db_field_conflicts(struct db *db, const char *tbl, const char *row, const char *field,
		       long *added, char **err)
{
	struct change *c = NULL;
	size_t n = 0;
	/* Two terminals erasing a resident both erased it: no value was lost. */
	int erasure = str_eq(tbl, "resident") && (str_eq(field, "erased_at") ||
						   str_eq(field, "erased_by"));
	if (!erasure && load_field_changes(db, tbl, row, field, &c, &n, err) != 0)
		return -1;
	if (n > 0)
		mark_ancestors(c, n);
	int rc = 0;
	for (size_t i = 1; i < n && rc == 0; i++)
		if (is_lost(c, n, i))
			rc = keep_conflict(db, tbl, row, field, &c[i], c[0].id, added, err);
	if (rc == 0)
		rc = drop_stale_conflicts(db, tbl, row, field, c, n, err);
	changes_free(c, n);
	return rc;
}

/* A resolution of a conflict that arrived: the conflict's row shows it. */
static const char resolution_sql[] =
    "UPDATE conflict SET "
    "resolved_at = (SELECT new_value FROM history WHERE tbl = 'conflict' AND row_id = ?1 AND "
    " field = 'resolved_at' ORDER BY hlc DESC, terminal DESC LIMIT 1), "
    "resolved_by = (SELECT new_value FROM history WHERE tbl = 'conflict' AND row_id = ?1 AND "
    " field = 'resolved_by' ORDER BY hlc DESC, terminal DESC LIMIT 1) WHERE id = ?1";

static int keep_conflicts(struct db_import *im, char **err)
{
	sqlite3_stmt *st = db_prepare(im->db,
				      "SELECT f.tbl, f.row_id, f.field FROM temp.sync_fields f "
				      "ORDER BY f.tbl, f.row_id, f.field",
				      err);
	if (!st)
		return -1;
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *tbl = (const char *)sqlite3_column_text(st, 0);
		const char *row = (const char *)sqlite3_column_text(st, 1);
		const char *field = (const char *)sqlite3_column_text(st, 2);
		int here = str_eq(tbl, "conflict") ? 0 : row_exists(im->db, tbl, row, err);
		if (str_eq(tbl, "conflict"))
			rc = run1(im->db, resolution_sql, row, NULL, err);
		else if (here)
			rc = here < 0 ? -1
				      : db_field_conflicts(im->db, tbl, row, field, &im->c.conflicts,
							   err);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(im->db, err, "conflict");
	db_finish(im->db, st);
	return rc;
}

/* The count sql gives; -1 (with *err) when it cannot be had. */
static long count_of(struct db *db, const char *sql, char **err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	long n = -1;
	if (st && db_step_row(db, st, err) == 1)
		n = (long)sqlite3_column_int64(st, 0);
	db_finish(db, st);
	return n;
}

int db_import_finish(struct db_import *im, struct sync_counts *c, char **err)
{
	int rc = im->header_seen ? 0 : -1;
	if (rc != 0)
		*err = xstrdup(_("an empty bundle"));
	if (rc == 0)
		rc = make_records(im, err);
	if (rc == 0)
		rc = keep_conflicts(im, err);
	if (rc == 0 && im->max_hlc[0])
		rc = db_hlc_observe(im->db, im->max_hlc, err);
	if (rc == 0)
		im->c.pending = count_of(im->db, "SELECT count(*) FROM pending", err);
	if (rc == 0 && im->c.pending < 0)
		rc = -1;
	char *summary = sync_counts_text(&im->c);
	if (rc == 0)
		rc = touch_peer(im->db, im->from_name, "last_import", 0, err);
	if (rc == 0)
		rc = log_sync(im->db, "import", im->from_name, im->c.changes, summary, err);
	free(summary);
	if (rc == 0)
		rc = db_commit(im->db, err);
	if (rc != 0) {
		db_import_abort(im);
		return -1;
	}
	*c = im->c;
	import_free(im);
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Erasure here */

int db_erase_resident_in(struct db *db, const char *resident_id, const char *action,
			 const char *detail, char **err)
{
	struct record r;
	int found = db_record_get(db, "resident", resident_id, &r, err);
	int rc = found == 1 ? 0 : -1;
	if (found == 0)
		*err = xasprintf(_("No resident has the id %s."), resident_id);
	if (found == 1 && record_get(&r, "erased_at"))
		*err = xstrdup(_("The resident is erased already.")), rc = -1;
	if (found == 1)
		record_free(&r);
	char now[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), now);
	if (rc == 0)
		rc = db_record_set(db, "resident", resident_id, "erased_at", now, err);
	if (rc == 0)
		rc = db_record_set(db, "resident", resident_id, "erased_by", db->actor, err);
	struct table t = {0};
	if (rc == 0)
		rc = load_table(db, &t, "resident", err);
	if (rc == 0)
		rc = erase_here(db, &t, resident_id, err);
	tables_free(db, &t, 1);
	if (rc == 0)
		rc = db_audit_in(db, action, resident_id, detail, err);
	return rc;
}

int db_erase_ready(struct db *db, char **err)
{
	return db_exec(db, temp_tables, err);
}

int db_erase_resident(struct db *db, const char *resident_id, char **err)
{
	if (db_erase_ready(db, err) != 0 || db_begin(db, err) != 0)
		return -1;
	if (db_erase_resident_in(db, resident_id, AUDIT_ERASE, NULL, err) != 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, err) != 0)
		return -1;
	/* secure_delete zeroed the freed content in the pages; the old pages in the WAL go too. A
	 * reader elsewhere may hold the WAL for a moment: the erasure stands either way, and the
	 * next checkpoint finishes it. */
	char *busy = NULL;
	db_checkpoint(db, &busy);
	free(busy);
	return 0;
}
