/* Days per resident per calendar year, and the days over the state refund limit (report.h).
 * A day is a night: the arrival day counts, the departure day does not; an open stay counts to
 * the period's last day. Every calendar year the period touches is counted from its 1 January
 * (the limit is per calendar year) to its 31 December or the period's last day. A day is over
 * the limit when it is the resident's N-th day in the year and N is over the limit on that day
 * (the limit in force on the day: refund_limit_days_before before refund_limit_change). */
#include "db_internal.h"
#include "report.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

static long day_number(const char *date)
{
	return date_days_between("1970-01-01", date);
}

/* The stays of one resident, in order, as day numbers: [arrive, leave). */
struct stay_days {
	long arrive, leave;
	char *paying;
};

struct walker {
	struct report *r;
	long to_day, change_day;
	int first_year, last_year;
};

static void add_over(struct report *r, const char *id, const char *name, const char *paying,
		     int year, long over)
{
	for (size_t i = 0; i < r->nover; i++) {
		struct report_days *d = &r->over_by_paying[i];
		if (d->year == year && str_eq(d->resident_id, id) && str_eq(d->paying, paying)) {
			d->over += over;
			return;
		}
	}
	r->over_by_paying = xrealloc(r->over_by_paying, (r->nover + 1) * sizeof(struct report_days));
	r->over_by_paying[r->nover++] = (struct report_days){
	    xstrdup(id), xstrdup(name), xstrdup(paying), year, 0, over};
}

/* Walks one resident's days of one year, in order. */
static void walk_year(struct walker *w, const char *id, const char *name,
		      const struct stay_days *s, size_t n, int year)
{
	char first[DATE_LEN], next[DATE_LEN];
	date_format_iso(year, 1, 1, first);
	date_format_iso(year + 1, 1, 1, next);
	long start = day_number(first), end = day_number(next); /* [start, end) */
	if (end > w->to_day + 1)
		end = w->to_day + 1;
	long days = 0, over = 0;
	for (size_t i = 0; i < n; i++) {
		long a = s[i].arrive > start ? s[i].arrive : start;
		long b = s[i].leave < end ? s[i].leave : end;
		long stay_over = 0;
		for (long d = a; d < b; d++) {
			days++;
			long limit = d < w->change_day ? w->r->limit.before : w->r->limit.after;
			stay_over += days > limit;
		}
		if (stay_over > 0)
			add_over(w->r, id, name, s[i].paying, year, stay_over);
		over += stay_over;
	}
	if (days == 0)
		return;
	struct report *r = w->r;
	r->years = xrealloc(r->years, (r->nyears + 1) * sizeof(struct report_days));
	r->years[r->nyears++] = (struct report_days){xstrdup(id), xstrdup(name), NULL, year, days,
						     over};
}

static void walk_resident(struct walker *w, const char *id, const char *name,
			  struct stay_days *s, size_t n)
{
	for (int y = w->first_year; y <= w->last_year; y++)
		walk_year(w, id, name, s, n, y);
	for (size_t i = 0; i < n; i++)
		free(s[i].paying);
}

static int cmp_over(const void *a, const void *b)
{
	const struct report_days *x = a, *y = b;
	int c = strcmp(x->paying, y->paying);
	if (c == 0)
		c = (x->year > y->year) - (x->year < y->year);
	if (c == 0)
		c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->resident_id, y->resident_id);
}

#define STAYS_OF_YEARS                                                                      \
	"SELECT s.resident_id, r.name, coalesce(s.paying_kommune, ''), substr(s.arrival, 1, 10),"  \
	" substr(s.departure, 1, 10)"                                                       \
	" FROM stay s JOIN resident r ON r.id = s.resident_id AND r.erased_at IS NULL"        \
	" WHERE substr(s.arrival, 1, 10) <= ?2"                                             \
	" AND (s.departure IS NULL OR substr(s.departure, 1, 10) >= ?1)"                     \
	" ORDER BY s.resident_id, s.arrival"

int db_report_days(struct db *db, struct report *r, char **err)
{
	char year_start[DATE_LEN];
	snprintf(year_start, sizeof(year_start), "%.4s-01-01", r->from);
	struct walker w = {r, day_number(r->to), day_number(r->limit.change), atoi(r->from),
			   atoi(r->to)};
	sqlite3_stmt *st = db_prepare(db, STAYS_OF_YEARS, err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, year_start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
	struct stay_days *s = NULL;
	size_t n = 0;
	char *id = NULL, *name = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rid = (const char *)sqlite3_column_text(st, 0);
		if (id && !str_eq(id, rid)) {
			walk_resident(&w, id, name, s, n);
			n = 0;
		}
		if (!id || !str_eq(id, rid)) {
			free(id);
			free(name);
			id = xstrdup(rid);
			name = db_column_dup(st, 1);
			if (!name)
				name = xstrdup("");
		}
		s = xrealloc(s, (n + 1) * sizeof(*s));
		s[n].paying = db_column_dup(st, 2);
		if (!s[n].paying)
			s[n].paying = xstrdup("");
		s[n].arrive = day_number((const char *)sqlite3_column_text(st, 3));
		const char *leave = (const char *)sqlite3_column_text(st, 4);
		s[n].leave = leave ? day_number(leave) : w.to_day + 1;
		n++;
	}
	db_finish(db, st);
	if (id)
		walk_resident(&w, id, name, s, n);
	free(id);
	free(name);
	free(s);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "report");
	if (r->nover > 1)
		qsort(r->over_by_paying, r->nover, sizeof(*r->over_by_paying), cmp_over);
	return 0;
}

static void days_free(struct report_days *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].resident_id);
		free(d[i].name);
		free(d[i].paying);
	}
	free(d);
}

void report_days_free(struct report *r)
{
	days_free(r->years, r->nyears);
	days_free(r->over_by_paying, r->nover);
	r->years = r->over_by_paying = NULL;
	r->nyears = r->nover = 0;
}
