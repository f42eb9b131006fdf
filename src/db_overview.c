#include "db_internal.h"
#include "overview.h"

#include "clock.h"
#include "db_list.h"
#include "model.h"
#include "util.h"

#include <string.h>

const int overview_bucket_max[STAY_BUCKETS] = {7, 30, 90, READY_MAX_DAYS, 365, -1};

const unsigned overview_list_warning[OVERVIEW_LISTS] = {
	WARN_NOT_ASSESSED,
	WARN_READY_LONG,
	WARN_NO_SUPPORT,
	WARN_NO_HOUSING_REG,
};

int overview_bucket(long days)
{
	for (int i = 0; i < STAY_BUCKETS - 1; i++)
		if (days <= overview_bucket_max[i])
			return i;
	return STAY_BUCKETS - 1;
}

/* Arrivals and departures: stays (of residents not erased) that began or ended on a date from
 * :week / :month to today. A stay's times are local "YYYY-MM-DD HH:MM", so the date is the first
 * ten characters. */
static const char movement_sql[] =
    "SELECT "
    "coalesce(sum(substr(s.arrival, 1, 10) BETWEEN :week AND :today), 0), "
    "coalesce(sum(substr(s.arrival, 1, 10) BETWEEN :month AND :today), 0), "
    "coalesce(sum(substr(s.departure, 1, 10) BETWEEN :week AND :today), 0), "
    "coalesce(sum(substr(s.departure, 1, 10) BETWEEN :month AND :today), 0) "
    "FROM stay s JOIN resident r ON r.id = s.resident_id WHERE r.erased_at IS NULL";

static int count_movements(struct db *db, struct overview *o, char **err)
{
	sqlite3_stmt *st = db_prepare(db, movement_sql, err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":week"), o->week_start, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":month"), o->month_start, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":today"), o->today, -1,
			  SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		o->arrivals_week = sqlite3_column_int64(st, 0);
		o->arrivals_month = sqlite3_column_int64(st, 1);
		o->departures_week = sqlite3_column_int64(st, 2);
		o->departures_month = sqlite3_column_int64(st, 3);
	}
	db_finish(db, st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, "overview");
}

/* Adds one resident present to the figures. Called as the list's keep predicate, so the rows
 * and their warnings are exactly the resident list's; keeps none (nothing is paged). */
static int add_present(const struct list_row *row, void *arg)
{
	struct overview *o = arg;
	o->present++;
	o->by_days[overview_bucket(row_days(row, o->today))]++;
	o->steps_done += row->steps_done;
	o->steps_relevant += row->steps_relevant;
	if (row->steps_relevant > 0 && row->steps_done >= row->steps_relevant)
		o->checklists_complete++;
	unsigned w = row_warnings(row, o->today);
	for (int i = 0; i < OVERVIEW_LISTS; i++)
		if (w & overview_list_warning[i])
			o->listed[i]++;
	return 0;
}

int db_overview(struct db *db, struct overview *o, char **err)
{
	memset(o, 0, sizeof(*o));
	time_to_local_date(clock_now(), o->today);
	date_add_days(o->today, -date_weekday(o->today), o->week_start);
	memcpy(o->month_start, o->today, 8);
	memcpy(o->month_start + 8, "01", 3);
	if (count_movements(db, o, err) != 0)
		return -1;
	const struct list_query q = {LIST_PRESENT, LIST_SORT_ROOM, NULL, add_present, o};
	return db_list_count(db, &q, err) < 0 ? -1 : 0;
}
