/* The national register's listing (Danmarks Statistik, "Herberger og forsorgshjem") for the
 * period, and the checks the register makes, so husly never sends what it rejects (report.h).
 * A stay is listed when it began or ended in the period; a person is a CPR number. */
#include "db_internal.h"
#include "db_report_internal.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

#define IN_PERIOD(s) "substr(" s ".arrival, 1, 10) BETWEEN ?1 AND ?2 OR substr(" s \
	".departure, 1, 10) BETWEEN ?1 AND ?2"
#define TOUCHES(s) "substr(" s ".arrival, 1, 10) <= ?2 AND (" s ".departure IS NULL OR " \
	"substr(" s ".departure, 1, 10) >= ?1)"
#define REGISTER_SQL                                                                        \
	REPORT_KIND_CTE                                                                     \
	" SELECT coalesce(r.cpr, ''), s.resident_id, s.id, s.arrival,"                         \
	" CASE WHEN substr(s.departure, 1, 10) <= ?2 THEN s.departure END, s.previous_living,"  \
	" CASE WHEN substr(s.departure, 1, 10) <= ?2 THEN s.destination END, k.stays, k.days"  \
	" FROM stay s JOIN resident r ON r.id = s.resident_id AND r.erased_at IS NULL"          \
	" JOIN k ON k.id = s.resident_id WHERE " IN_PERIOD("s") " ORDER BY 1, s.arrival, s.id"

/* Two stays, s1 and s2, of the same person: the same resident, or the same CPR number. The
 * person is found first (r2: r1 itself, or by resident_cpr), then their stays (stay_resident),
 * so each stay meets only the stays of its own person, not every stay in the database. */
#define PAIR                                                                                \
	" FROM stay s1 JOIN resident r1 ON r1.id = s1.resident_id AND r1.erased_at IS NULL"     \
	" JOIN resident r2 ON (r2.id = r1.id OR (coalesce(r1.cpr, '') <> ''"                   \
	" AND r2.cpr = r1.cpr)) AND r2.erased_at IS NULL"                                      \
	" JOIN stay s2 ON s2.resident_id = r2.id AND s2.id <> s1.id"                           \
	" WHERE (" TOUCHES("s1") ")"

static const struct {
	enum register_problem_kind kind;
	const char *sql; /* rows: cpr, ids */
} checks[] = {
    {REG_NO_CPR, "SELECT '', r.id FROM resident r WHERE r.erased_at IS NULL AND"
		 " coalesce(r.cpr, '') = '' AND r.id IN (SELECT s.resident_id FROM stay s WHERE "
		 IN_PERIOD("s") ") ORDER BY r.id"},
    {REG_DUPLICATE, "SELECT r.cpr, group_concat(r.id, ', ') FROM (SELECT * FROM resident"
		    " ORDER BY id) r WHERE r.erased_at IS NULL AND coalesce(r.cpr, '') <> '' AND"
		    " r.cpr IN (SELECT r2.cpr FROM stay s JOIN resident r2 ON r2.id = s.resident_id"
		    " WHERE " IN_PERIOD("s") ") GROUP BY r.cpr HAVING count(*) > 1 ORDER BY 1"},
    {REG_NO_DISCHARGE, "SELECT coalesce(r1.cpr, ''), s1.id || ', ' || s2.id" PAIR
		       " AND s1.departure IS NULL AND s2.arrival >= s1.arrival"
		       " AND (s2.arrival > s1.arrival OR s2.id > s1.id) ORDER BY 1, s1.arrival"},
    {REG_OVERLAP, "SELECT coalesce(r1.cpr, ''), s1.id || ', ' || s2.id" PAIR
		  " AND s1.departure IS NOT NULL AND s2.departure IS NOT NULL"
		  " AND s1.id < s2.id AND s1.arrival < s2.departure AND s2.arrival < s1.departure"
		  " ORDER BY 1, s1.arrival"},
};

static sqlite3_stmt *bound(struct db *db, const char *sql, const struct report *r, char **err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	if (st) {
		sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 3)
			sqlite3_bind_int(st, 3, r->typology.years);
	}
	return st;
}

static char *text_of(sqlite3_stmt *st, int i)
{
	char *s = db_column_dup(st, i);
	return s ? s : xstrdup("");
}

static int run_check(struct db *db, struct report *r, size_t i, char **err)
{
	sqlite3_stmt *st = bound(db, checks[i].sql, r, err);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->problems = xrealloc(r->problems, (r->nproblems + 1) * sizeof(*r->problems));
		r->problems[r->nproblems++] =
		    (struct register_problem){checks[i].kind, text_of(st, 0), text_of(st, 1)};
	}
	db_finish(db, st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "report");
}

static int listing(struct db *db, struct report *r, char **err)
{
	sqlite3_stmt *st = bound(db, REGISTER_SQL, r, err);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->reg = xrealloc(r->reg, (r->nreg + 1) * sizeof(*r->reg));
		r->reg[r->nreg++] = (struct register_stay){
		    text_of(st, 0),	  text_of(st, 1),      text_of(st, 2),
		    text_of(st, 3),	  db_column_dup(st, 4), db_column_dup(st, 5),
		    db_column_dup(st, 6),
		    report_kind_of(&r->typology, (long)sqlite3_column_int64(st, 7),
				   sqlite3_column_double(st, 8))};
	}
	db_finish(db, st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "report");
}

int db_report_register(struct db *db, struct report *r, char **err)
{
	for (size_t i = 0; i < ARRAY_SIZE(checks); i++)
		if (run_check(db, r, i, err) != 0)
			return -1;
	return listing(db, r, err);
}

void report_register_free(struct report *r)
{
	for (size_t i = 0; i < r->nreg; i++) {
		struct register_stay *s = &r->reg[i];
		free(s->cpr);
		free(s->resident_id);
		free(s->stay_id);
		free(s->arrival);
		free(s->departure);
		free(s->previous_living);
		free(s->destination);
	}
	free(r->reg);
	for (size_t i = 0; i < r->nproblems; i++) {
		free(r->problems[i].cpr);
		free(r->problems[i].ids);
	}
	free(r->problems);
	r->reg = NULL;
	r->problems = NULL;
	r->nreg = r->nproblems = 0;
}
