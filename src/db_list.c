#include "db_internal.h"
#include "db_list.h"

#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The list reads only the page on screen: SQLite does the filtering, sorting and paging, so a
 * list of 100,000 residents costs no more memory than one of forty. */
static const char list_columns[] =
    "SELECT r.id, r.name, s.room, s.arrival, s.departure, s.notified_at, s.assessed_at, "
    "s.ready_at, s.move_in_date, s.support_granted_at, r.ban_until, r.alert_safety, "
    "r.alert_medical, "
    "EXISTS (SELECT 1 FROM checklist_step c WHERE c.stay_id = s.id "
    "        AND c.step = 'housing_registered' AND c.status = 'done'), "
    "(SELECT count(*) FROM checklist_step c WHERE c.stay_id = s.id AND c.status = 'done'), "
    "(SELECT count(*) FROM checklist_step c WHERE c.stay_id = s.id AND c.status <> 'na') ";

/* Present: residents with an open stay. All: every resident with their latest stay. */
static const char from_present[] = "FROM stay s JOIN resident r ON r.id = s.resident_id "
				   "WHERE s.departure IS NULL AND r.erased_at IS NULL ";
static const char from_all[] =
    "FROM resident r LEFT JOIN stay s ON s.id = (SELECT id FROM stay WHERE resident_id = r.id "
    "ORDER BY arrival DESC, id DESC LIMIT 1) WHERE r.erased_at IS NULL ";
/* A name anywhere in the folded name, or the start of an id (compared as text: no wildcards). */
static const char search_clause[] =
    "AND (instr(r.name_key, ?1) > 0 OR substr(r.id, 1, length(?2)) = lower(?2)) ";
static const char order_present[] =
    "ORDER BY s.room IS NULL, CAST(s.room AS INTEGER), s.room, r.name_key, r.id ";
static const char order_all[] = "ORDER BY r.name_key, r.id ";

static char *list_sql(const char *select, enum list_filter filter, int searching,
		      const char *tail)
{
	return xasprintf("%s%s%s%s", select, filter == LIST_PRESENT ? from_present : from_all,
			 searching ? search_clause : "", tail);
}

/* Binds the search: the folded text for names, the raw lower-case text for id prefixes. */
static void bind_search(sqlite3_stmt *st, const char *search, char **key)
{
	*key = text_fold(search);
	sqlite3_bind_text(st, 1, *key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, search, -1, SQLITE_STATIC);
}

long db_list_count(struct db *db, enum list_filter filter, const char *search, char **err)
{
	int searching = !str_empty(search);
	char *sql = list_sql("SELECT count(*) ", filter, searching, "");
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	char *key = NULL;
	if (searching)
		bind_search(st, search, &key);
	long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		db_fail(db, err, "list");
	sqlite3_finalize(st);
	free(key);
	return n;
}

static void read_list_row(sqlite3_stmt *st, struct list_row *r)
{
	memset(r, 0, sizeof(*r));
	strlcpy_trunc(r->id, (const char *)sqlite3_column_text(st, 0), ID_LEN);
	char **fields[] = {&r->name,	    &r->room,	      &r->arrival,
			   &r->departure,   &r->notified_at,  &r->assessed_at,
			   &r->ready_at,    &r->move_in_date, &r->support_granted_at,
			   &r->ban_until,   &r->alert_safety, &r->alert_medical};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		*fields[i] = db_column_dup(st, (int)i + 1);
	r->housing_registered = sqlite3_column_int(st, 13);
	r->steps_done = sqlite3_column_int(st, 14);
	r->steps_relevant = sqlite3_column_int(st, 15);
}

int db_list_page(struct db *db, enum list_filter filter, const char *search, long offset,
		 long limit, struct list_row **rows, size_t *n, char **err)
{
	*rows = NULL;
	*n = 0;
	int searching = !str_empty(search);
	char *tail = xasprintf("%sLIMIT %ld OFFSET %ld",
			       filter == LIST_PRESENT ? order_present : order_all, limit, offset);
	char *sql = list_sql(list_columns, filter, searching, tail);
	free(tail);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	char *key = NULL;
	if (searching)
		bind_search(st, search, &key);
	*rows = xcalloc((size_t)(limit > 0 ? limit : 1), sizeof(**rows));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < (size_t)limit)
		read_list_row(st, &(*rows)[(*n)++]);
	sqlite3_finalize(st);
	free(key);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		list_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return db_fail(db, err, "list");
	}
	return 0;
}

void list_rows_free(struct list_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct list_row *r = &rows[i];
		char *fields[] = {r->name,	   r->room,	    r->arrival,
				  r->departure,	   r->notified_at,  r->assessed_at,
				  r->ready_at,	   r->move_in_date, r->support_granted_at,
				  r->ban_until,	   r->alert_safety, r->alert_medical};
		for (size_t j = 0; j < ARRAY_SIZE(fields); j++)
			free(fields[j]);
	}
	free(rows);
}

int db_resident_history(struct db *db, const char *resident_id, struct history_entry **out,
			size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	/* Child records' ids start with their parent's id (answers) or belong to a stay. */
	sqlite3_stmt *st = db_prepare(
	    db,
	    "SELECT h.at, h.login, h.tbl, h.row_id, h.field, h.old_value, h.new_value "
	    "FROM history h WHERE h.row_id = ?1 OR h.row_id LIKE ?1 || '/%' "
	    "OR h.row_id IN (SELECT id FROM stay WHERE resident_id = ?1) "
	    "OR h.row_id IN (SELECT c.id FROM checklist_step c JOIN stay s ON s.id = c.stay_id "
	    "                WHERE s.resident_id = ?1) "
	    "OR h.row_id IN (SELECT id FROM note WHERE resident_id = ?1) "
	    "ORDER BY h.hlc DESC, h.terminal DESC",
	    err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, resident_id, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		struct history_entry *h = &(*out)[(*n)++];
		char **f[] = {&h->at,	 &h->login,	&h->tbl,      &h->row_id,
			      &h->field, &h->old_value, &h->new_value};
		for (size_t i = 0; i < ARRAY_SIZE(f); i++)
			*f[i] = db_column_dup(st, (int)i);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		history_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "history");
	}
	return 0;
}

void history_free(struct history_entry *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].at);
		free(h[i].login);
		free(h[i].tbl);
		free(h[i].row_id);
		free(h[i].field);
		free(h[i].old_value);
		free(h[i].new_value);
	}
	free(h);
}
