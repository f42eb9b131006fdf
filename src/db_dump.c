#include "db_internal.h"
#include "dump.h"

#include "audit.h"

#include "kommune.h"
#include "cpr.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The dumped types, in the order they are printed (sorted by name). */
static const char *const dump_tables[] = {"answer", "checklist_step", "conflict", "furniture",
					  "history",	"note",	   "resident", "stay"};

/* Fields that are not data: derived (name_key) or local to this terminal (history.seq). */
static int is_dumped_field(const char *table, const char *field)
{
	if (str_eq(field, "name_key") || str_eq(field, "seq"))
		return 0;
	return !(str_eq(field, "id") && !str_eq(table, "history"));
}

/* Builds "SELECT json_object('type', 'T', 'id', id, 'f1', f1, ...) FROM T ORDER BY id" from the
 * table's columns, so a column added by a migration is dumped without touching this code. */
static char *dump_sql(struct db *db, const char *table, char **err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid", err);
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	struct strbuf sb;
	sb_init(&sb);
	int history = str_eq(table, "history");
	char *q = sqlite3_mprintf("SELECT json_object('type', %Q, 'id', %s", table,
				  history ? "hlc || '/' || terminal" : "id");
	sb_add(&sb, q);
	sqlite3_free(q);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 0);
		if (!is_dumped_field(table, col) || (history && str_eq(col, "id")))
			continue;
		q = sqlite3_mprintf(", %Q, \"%w\"", col, col); /* quoted as a string and a name */
		sb_add(&sb, q);
		sqlite3_free(q);
	}
	db_finish(db, st);
	/* The changes of a record still waiting for its parent (sync.h) are not yet data here, and
	 * the resolution of a conflict that is no more (its value taken again, its resident erased)
	 * is no data at all. */
	q = sqlite3_mprintf(") FROM \"%w\" %s ORDER BY %s", table,
			    history ? "WHERE NOT EXISTS (SELECT 1 FROM pending p WHERE "
				      "p.tbl = history.tbl AND p.row_id = history.row_id) AND "
				      "(tbl <> 'conflict' OR EXISTS (SELECT 1 FROM conflict c "
				      "WHERE c.id = history.row_id))"
				    : "",
			    history ? "hlc, terminal" : "id");
	sb_add(&sb, q);
	sqlite3_free(q);
	return sb.buf;
}

/* SQLite's JSON escapes only C0 controls. Whatever else must never reach a terminal raw (DEL,
 * C1 controls, bidi overrides) is written as \uXXXX, and a malformed byte as \ufffd, so a dump
 * read with cat or less is safe and always valid JSON. Those characters occur only inside
 * strings, where the escape means the same character. */
static void put_json_line(const char *line, FILE *out)
{
	size_t len = strlen(line);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(line + i, len - i, &cp);
		if (cp == REPLACEMENT_CHAR || (text_is_unsafe(cp) && cp >= 0x20))
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(line + i, 1, n, out);
		i += n;
	}
	fputc('\n', out);
}

int db_dump(struct db *db, FILE *out, char **err)
{
	/* One read transaction: the dump is a snapshot even while others write. */
	if (db_exec(db, "BEGIN", err) != 0)
		return -1;
	int rc = 0;
	for (size_t t = 0; t < ARRAY_SIZE(dump_tables) && rc == 0; t++) {
		char *sql = dump_sql(db, dump_tables[t], err);
		sqlite3_stmt *st = sql ? db_prepare(db, sql, err) : NULL;
		free(sql);
		if (!st) {
			rc = -1;
			break;
		}
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			put_json_line((const char *)sqlite3_column_text(st, 0), out);
		if (step != SQLITE_DONE)
			rc = db_fail(db, err, dump_tables[t]);
		db_finish(db, st);
	}
	db_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL);
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		*err = xstrdup("dump: write error");
		rc = -1;
	}
	return rc;
}

/* --- check ------------------------------------------------------------------------------ */

struct checker {
	struct db *db;
	void (*report)(const char *, void *);
	void *arg;
	long problems;
	char **err;
};

static void problem(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct checker *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *safe = text_sanitize(msg); /* ids and values come from the database */
	c->report(safe, c->arg);
	free(safe);
	free(msg);
	c->problems++;
}

/* Runs sql; each row is a problem, described by printf-ing the row's text columns into fmt
 * (fmt takes exactly as many %s as the query has columns, at most 4). */
static int rows_are_problems(struct checker *c, const char *sql, const char *fmt)
{
	sqlite3_stmt *st = db_prepare(c->db, sql, c->err);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v[4] = {"", "", "", ""};
		for (int i = 0; i < sqlite3_column_count(st) && i < 4; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			v[i] = t ? (const char *)t : "NULL";
		}
		char *safe[4];
		for (int i = 0; i < 4; i++)
			safe[i] = text_sanitize(v[i]);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		problem(c, fmt, safe[0], safe[1], safe[2], safe[3]);
#pragma GCC diagnostic pop
		for (int i = 0; i < 4; i++)
			free(safe[i]);
	}
	db_finish(c->db, st);
	return rc == SQLITE_DONE ? 0 : db_fail(c->db, c->err, "check");
}

/* An id as id_new makes them: 12 characters of Crockford's base32. */
#define VALID_ID                                                                               \
	"(length(id) = 12 AND id NOT GLOB '*[^0-9abcdefghjkmnpqrstvwxyz]*')"

static const struct {
	const char *sql;
	const char *fmt;
} invariants[] = {
	{"SELECT id FROM resident WHERE erased_at IS NULL AND trim(name) = ''",
	 "resident %s: empty name"},
	{"SELECT resident_id, count(*) FROM stay WHERE departure IS NULL GROUP BY resident_id "
	 "HAVING count(*) > 1",
	 "resident %s: %s open stays at once"},
	{"SELECT a.resident_id, a.id, b.id FROM stay a JOIN stay b ON a.resident_id = b.resident_id "
	 "AND a.id <> b.id AND (a.arrival < b.arrival OR (a.arrival = b.arrival AND a.id < b.id)) "
	 "AND (a.departure IS NULL OR a.departure > b.arrival)",
	 "resident %s: stays %s and %s overlap"},
	{"SELECT id, arrival FROM stay WHERE arrival NOT GLOB "
	 "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]'",
	 "stay %s: arrival '%s' is not YYYY-MM-DD HH:MM"},
	{"SELECT id, departure FROM stay WHERE departure IS NOT NULL AND departure NOT GLOB "
	 "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]'",
	 "stay %s: departure '%s' is not YYYY-MM-DD HH:MM"},
	{"SELECT id, resident_id, list, code FROM answer "
	 "WHERE id <> resident_id || '/' || list || '/' || code",
	 "answer %s: id does not match %s/%s/%s"},
	{"SELECT id, stay_id, step FROM checklist_step WHERE id <> stay_id || '/' || step",
	 "checklist step %s: id does not match %s/%s"},
	{"SELECT id, stay_id, thing FROM furniture WHERE id <> stay_id || '/' || thing",
	 "furniture %s: id does not match %s/%s"},
	{"SELECT hlc, terminal, tbl FROM history WHERE tbl NOT IN ('resident', 'stay', 'answer', "
	 "'checklist_step', 'furniture', 'note', 'conflict')",
	 "history %s/%s: unknown table '%s'"},
	{"SELECT 'resident', id FROM resident WHERE NOT " VALID_ID " UNION ALL "
	 "SELECT 'stay', id FROM stay WHERE NOT " VALID_ID " UNION ALL "
	 "SELECT 'note', id FROM note WHERE NOT " VALID_ID,
	 "%s %s: not a valid id"},
	{"SELECT group_concat(id, ', ') FROM resident WHERE cpr IS NOT NULL AND erased_at IS NULL "
	 "GROUP BY cpr HAVING count(*) > 1",
	 "residents %s share one CPR number"},
	{"SELECT 'terminal_id' WHERE NOT EXISTS (SELECT 1 FROM local WHERE key = 'terminal_id')",
	 "this database has no %s"},
	{"SELECT t FROM (SELECT 'audit_no_update' AS t UNION ALL SELECT 'audit_no_delete') WHERE "
	 "NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = t AND "
	 "tbl_name = 'audit' AND sql LIKE '%RAISE(ABORT%')",
	 "the audit log's trigger %s is missing or altered: its entries can be changed"},
};

/* Checks done in C: the search key and the values SQL cannot judge. */
static int check_residents(struct checker *c)
{
	sqlite3_stmt *st = db_prepare(
	    c->db, "SELECT id, name, name_key, cpr, birth_date, home_kommune FROM resident", c->err);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *key = (const char *)sqlite3_column_text(st, 2);
		const char *cpr = (const char *)sqlite3_column_text(st, 3);
		const char *birth = (const char *)sqlite3_column_text(st, 4);
		const char *kommune = (const char *)sqlite3_column_text(st, 5);
		char *folded = text_fold(name ? name : "");
		if (!str_eq(folded, key))
			problem(c, "resident %s: search key is out of date", id);
		free(folded);
		char cpr_birth[DATE_LEN];
		int y, m, d;
		if (cpr && !cpr_is_valid(cpr, cpr_birth))
			problem(c, "resident %s: CPR number is not valid", id);
		else if (cpr && birth && strcmp(cpr_birth, birth) != 0)
			problem(c, "resident %s: birth date does not match the CPR number", id);
		if (birth && date_parse_iso(birth, &y, &m, &d) != 0)
			problem(c, "resident %s: birth date is not a date", id);
		if (kommune && !kommune_by_code(kommune))
			problem(c, "resident %s: unknown home municipality code", id);
	}
	db_finish(c->db, st);
	return rc == SQLITE_DONE ? 0 : db_fail(c->db, c->err, "check");
}

/* The audit log's hash chain, from format 3 on (an older database has no hashes to check). */
static int check_audit_chain(struct checker *c)
{
	if (db_user_version(c->db) < 3)
		return 0;
	char *broken = NULL;
	int rc = db_audit_verify(c->db, &broken, c->err);
	if (rc > 0)
		problem(c, "%s", broken);
	free(broken);
	return rc < 0 ? -1 : 0;
}

long db_check(struct db *db, void (*report)(const char *problem, void *arg), void *arg,
	      char **err)
{
	struct checker c = {db, report, arg, 0, err};
	if (db_exec(db, "BEGIN", err) != 0)
		return -1;
	int rc = rows_are_problems(&c,
				   "SELECT integrity_check FROM pragma_integrity_check "
				   "WHERE integrity_check <> 'ok'",
				   "SQLite integrity check: %s");
	if (rc == 0)
		rc = rows_are_problems(&c,
				       "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check",
				       "%s row %s: refers to a missing %s");
	if (rc == 0 && db_user_version(db) != DB_SCHEMA_VERSION)
		problem(&c,
			"schema version is %d, expected %d: an older husly's database; husly "
			"upgrades it when it opens it to work on (the screens, or a command "
			"such as husly dump)",
			db_user_version(db), DB_SCHEMA_VERSION);
	for (size_t i = 0; i < ARRAY_SIZE(invariants) && rc == 0; i++)
		rc = rows_are_problems(&c, invariants[i].sql, invariants[i].fmt);
	if (rc == 0)
		rc = check_residents(&c);
	if (rc == 0)
		rc = check_audit_chain(&c);
	db_exec(db, "COMMIT", NULL);
	return rc == 0 ? c.problems : -1;
}
