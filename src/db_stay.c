#include "db_internal.h"
#include "stay.h"

#include "clock.h"
#include "form.h"
#include "i18n.h"
#include "lists.h"
#include "record.h"
#include "util.h"

#include <string.h>

/* The open stay's id and arrival; 0 when there is none. */
static int open_stay(struct db *db, const char *resident_id, char id[ID_LEN],
		     char arrival[LOCAL_MIN_LEN], char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT id, arrival FROM stay WHERE resident_id = ? "
				      "AND departure IS NULL",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, resident_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int found = 0;
	if (rc == SQLITE_ROW) {
		strlcpy_trunc(id, (const char *)sqlite3_column_text(st, 0), ID_LEN);
		strlcpy_trunc(arrival, (const char *)sqlite3_column_text(st, 1), LOCAL_MIN_LEN);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = db_fail(db, err, "stay");
	}
	db_finish(db, st);
	return found;
}

static int check_departure(const char *arrival, const char *departure, const char *destination,
			   char **err)
{
	time_t t;
	char now[LOCAL_MIN_LEN];
	time_to_local_minute(clock_now(), now);
	if (!departure || local_minute_to_time(departure, &t) != 0)
		*err = xstrdup(_("The departure must be a date and time."));
	else if (strcmp(departure, arrival) < 0)
		*err = xstrdup(_("The departure is before the arrival."));
	else if (strcmp(departure, now) > 0)
		*err = xstrdup(_("The departure cannot be in the future."));
	else if (!destination || !choice_find(&list_destinations, destination))
		*err = xstrdup(_("Choose where the resident went."));
	return *err ? -1 : 0;
}

int stay_depart(struct db *db, const char *resident_id, const char *departure,
		const char *destination, const char *note, char **err)
{
	char id[ID_LEN], arrival[LOCAL_MIN_LEN];
	if (db_begin(db, err) != 0)
		return -1;
	int found = open_stay(db, resident_id, id, arrival, err);
	int rc = found == 1 ? 0 : -1;
	if (found == 0)
		*err = xstrdup(_("The resident is not staying here."));
	if (rc == 0)
		rc = check_departure(arrival, departure, destination, err);
	if (rc == 0)
		rc = db_record_set(db, "stay", id, "departure", departure, err);
	if (rc == 0)
		rc = db_record_set(db, "stay", id, "destination", destination, err);
	if (rc == 0 && note && *note)
		rc = db_record_set(db, "stay", id, "departure_note", note, err);
	if (rc != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

int stay_open_of(struct db *db, const char *resident_id, char id[ID_LEN], char **err)
{
	char arrival[LOCAL_MIN_LEN];
	return open_stay(db, resident_id, id, arrival, err);
}

/* The value a departure form is about to store in one of its fields (NULL when it has none). */
static const char *departure_value(const struct form_field *f, size_t n, const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(f[i].field, field))
			return form_value(&f[i]);
	return NULL;
}

int stay_departure_check(struct db *db, const struct form_field *f, size_t n, void *ctx,
			 char **err)
{
	(void)ctx;
	struct record stay;
	int found = n > 0 ? db_record_get(db, "stay", f[0].id, &stay, err) : 0;
	if (found == 0)
		*err = xstrdup(_("The resident has no stay."));
	if (found != 1)
		return -1;
	int rc = check_departure(record_get(&stay, "arrival"), departure_value(f, n, "departure"),
				 departure_value(f, n, "destination"), err);
	record_free(&stay);
	return rc;
}
