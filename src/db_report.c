/* The figures of husly report (report.h): read-only SQL over the stays of a period. Erased
 * residents are left out. A stay is in the period when it has at least one day in it. */
#include "db_internal.h"
#include "report.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The stays of the period, joined to their residents: ?1 the first day, ?2 the last. */
#define IN_PERIOD                                                                          \
	" FROM stay s JOIN resident r ON r.id = s.resident_id AND r.erased_at IS NULL"       \
	" WHERE substr(s.arrival, 1, 10) <= ?2"                                            \
	" AND (s.departure IS NULL OR substr(s.departure, 1, 10) >= ?1)"
#define LEFT_IN_PERIOD IN_PERIOD " AND substr(s.departure, 1, 10) <= ?2"
/* The last day of the stay within the period. */
#define STAY_END " min(coalesce(substr(s.departure, 1, 10), ?2), ?2)"
#define OVER_LIMIT                                                                         \
	" AND s.ready_at IS NOT NULL AND julianday(" STAY_END ") - julianday(s.ready_at) > 120"

static sqlite3_stmt *period_query(struct db *db, const char *sql, const struct report *r,
				  char **err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	if (st) {
		sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
	}
	return st;
}

static int count_of(struct db *db, const char *sql, const struct report *r, long *out,
		    char **err)
{
	sqlite3_stmt *st = period_query(db, sql, r, err);
	if (!st)
		return -1;
	int rc = db_step_row(db, st, err);
	*out = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	db_finish(db, st);
	return rc < 0 ? -1 : 0;
}

static void counts_free(struct report_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].code);
	free(c->items);
	c->items = NULL;
	c->n = 0;
}

/* sql gives (code, count) rows. */
static int counts_of(struct db *db, const char *sql, const struct report *r,
		     struct report_counts *out, char **err)
{
	sqlite3_stmt *st = period_query(db, sql, r, err);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->items = xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
		const char *code = (const char *)sqlite3_column_text(st, 0);
		out->items[out->n].code = xstrdup(code ? code : "");
		out->items[out->n].n = (long)sqlite3_column_int64(st, 1);
		out->n++;
	}
	db_finish(db, st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "report");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double report_quantile(const double *v, size_t n, double p)
{
	if (n == 0)
		return 0;
	double pos = p * (double)(n - 1);
	size_t lo = (size_t)pos;
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]);
}

static int ready_days(struct db *db, struct report *r, char **err)
{
	sqlite3_stmt *st = period_query(db,
					"SELECT julianday(substr(s.departure, 1, 10)) - "
					"julianday(s.ready_at)" LEFT_IN_PERIOD
					" AND s.ready_at IS NOT NULL",
					r, err);
	if (!st)
		return -1;
	double *v = NULL;
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = sqlite3_column_double(st, 0);
	}
	db_finish(db, st);
	if (rc == SQLITE_DONE && n > 0) {
		qsort(v, n, sizeof(*v), cmp_double);
		r->ready_min = v[0];
		r->ready_q1 = report_quantile(v, n, 0.25);
		r->ready_median = report_quantile(v, n, 0.5);
		r->ready_q3 = report_quantile(v, n, 0.75);
		r->ready_max = v[n - 1];
	}
	r->ready_n = (long)n;
	free(v);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "report");
}

static int counts(struct db *db, struct report *r, char **err)
{
	if (count_of(db, "SELECT count(*)" IN_PERIOD, r, &r->stays, err) != 0 ||
	    count_of(db, "SELECT count(DISTINCT s.resident_id)" IN_PERIOD, r, &r->residents,
		     err) != 0 ||
	    count_of(db, "SELECT count(*)" IN_PERIOD " AND substr(s.arrival, 1, 10) >= ?1", r,
		     &r->arrivals, err) != 0 ||
	    count_of(db, "SELECT count(*)" LEFT_IN_PERIOD, r, &r->departures, err) != 0)
		return -1;
	if (count_of(db, "SELECT count(*)" IN_PERIOD OVER_LIMIT, r, &r->over_ready_limit,
		     err) != 0 ||
	    count_of(db,
		     "SELECT count(*)" IN_PERIOD OVER_LIMIT
		     " AND (s.assessed_at IS NULL OR s.assessed_at > " STAY_END ")"
		     " AND (s.plan_at IS NULL OR s.plan_at > " STAY_END ")",
		     r, &r->over_ready_unassessed, err) != 0)
		return -1;
	return 0;
}

static int breakdowns(struct db *db, struct report *r, char **err)
{
	if (counts_of(db,
		      "SELECT s.destination, count(*)" LEFT_IN_PERIOD
		      " GROUP BY 1 ORDER BY 2 DESC, 1",
		      r, &r->destinations, err) != 0 ||
	    counts_of(db,
		      "SELECT r.home_kommune, count(DISTINCT r.id)" IN_PERIOD
		      " GROUP BY 1 ORDER BY 2 DESC, 1",
		      r, &r->home, err) != 0 ||
	    counts_of(db,
		      "SELECT s.paying_kommune, count(*)" IN_PERIOD " GROUP BY 1 ORDER BY 2 DESC, 1",
		      r, &r->paying, err) != 0)
		return -1;
	return 0;
}

int db_report(struct db *db, const char *from, const char *to, const struct report_rules *rules,
	      struct report *r, char **err)
{
	memset(r, 0, sizeof(*r));
	r->limit = rules->limit;
	r->typology = rules->typology;
	strlcpy_trunc(r->from, from, DATE_LEN);
	strlcpy_trunc(r->to, to, DATE_LEN);
	/* One read transaction: every figure sees the same database. */
	if (db_exec(db, "BEGIN", err) != 0)
		return -1;
	int rc = counts(db, r, err) == 0 && ready_days(db, r, err) == 0 &&
			 breakdowns(db, r, err) == 0 && db_report_days(db, r, err) == 0 &&
			 db_report_vive(db, r, err) == 0 && db_report_register(db, r, err) == 0
		     ? 0
		     : -1;
	char *end_err = NULL;
	if (db_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", rc == 0 ? err : &end_err) != 0)
		rc = -1;
	free(end_err);
	if (rc != 0)
		report_free(r);
	return rc;
}

void report_free(struct report *r)
{
	counts_free(&r->destinations);
	counts_free(&r->home);
	counts_free(&r->paying);
	report_days_free(r);
	report_register_free(r);
}
