#include "db_internal.h"
#include "db_list.h"

#include "clock.h"
#include "datetyped.h"
#include "lists.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The list reads only the page on screen: SQLite does the filtering, sorting and paging, so a
 * list of 100,000 residents costs no more memory than one of forty. Only a query with a keep
 * predicate (the flagged filter, over the residents present) is counted and paged in C. */
static const char list_columns[] =
    "SELECT r.id, r.name, s.room, s.arrival, s.departure, s.notified_at, s.assessed_at, "
    "s.ready_at, s.move_in_date, s.support_granted_at, r.ban_until, r.alert_safety, "
    "r.alert_medical, "
    "EXISTS (SELECT 1 FROM checklist_step c WHERE c.stay_id = s.id "
    "        AND c.step = 'housing_registered' AND c.status = 'done'), "
    "(SELECT count(*) FROM checklist_step c WHERE c.stay_id = s.id AND c.status = 'done' "
    "        AND husly_step_shown(c.step)), "
    "CASE WHEN s.id IS NULL THEN 0 ELSE :nsteps - (SELECT count(*) FROM checklist_step c "
    "     WHERE c.stay_id = s.id AND c.status = 'na' AND husly_step_shown(c.step)) END ";

/* Present: residents with an open stay. All: every resident with their latest stay. Moved out:
 * those whose latest stay has ended and who have no open one. */
static const char from_present[] = "FROM stay s JOIN resident r ON r.id = s.resident_id "
				   "WHERE s.departure IS NULL AND r.erased_at IS NULL ";
static const char from_all[] =
    "FROM resident r LEFT JOIN stay s ON s.id = (SELECT id FROM stay WHERE resident_id = r.id "
    "ORDER BY arrival DESC, id DESC LIMIT 1) WHERE r.erased_at IS NULL ";
static const char moved_out_clause[] =
    "AND s.departure IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stay o "
    "WHERE o.resident_id = r.id AND o.departure IS NULL) ";

/* A name anywhere in the folded name, the start of an id (compared as text: no wildcards), the
 * whole room, the birth date (from :bfrom on: the whole date, the year's last two digits on, or
 * the month and day), or a CPR number's first six digits. */
static const char search_clause[] =
    "AND (instr(r.name_key, :key) > 0 OR substr(r.id, 1, length(:raw)) = lower(:raw) "
    "OR lower(s.room) = :room OR substr(r.birth_date, :bfrom) = :birth "
    "OR substr(r.cpr, 1, 6) = :cpr6) ";
/* The same for the lists of everyone and of those moved out, on the resident alone: the room is
 * looked up only for residents who ever had a stay in it (stay_room), so SQLite filters the
 * residents before it joins each to their latest stay, and counts them without the join (with
 * 100,000 residents the join for every one of them cost a third of a second a keystroke). */
static const char search_clause_latest[] =
    "AND (instr(r.name_key, :key) > 0 OR substr(r.id, 1, length(:raw)) = lower(:raw) "
    "OR (r.id IN (SELECT resident_id FROM stay WHERE lower(room) = :room) "
    "    AND lower((SELECT room FROM stay WHERE resident_id = r.id "
    "               ORDER BY arrival DESC, id DESC LIMIT 1)) = :room) "
    "OR substr(r.birth_date, :bfrom) = :birth OR substr(r.cpr, 1, 6) = :cpr6) ";
/* Counting everyone needs no stay at all. */
static const char from_all_count[] = "FROM resident r WHERE r.erased_at IS NULL ";

/* The orders, each ending in the name and the id. Days as row_days counts them: whole days from
 * the arrival's date to the departure's, or to today while present. */
static const char *const orders[LIST_SORTS] = {
	[LIST_SORT_ROOM] = "ORDER BY s.room IS NULL, CAST(s.room AS INTEGER), s.room, r.name_key, "
			   "r.id ",
	[LIST_SORT_NAME] = "ORDER BY r.name_key, r.id ",
	[LIST_SORT_ARRIVAL] = "ORDER BY s.arrival IS NULL, s.arrival DESC, r.name_key, r.id ",
	[LIST_SORT_DAYS] = "ORDER BY s.arrival IS NULL, julianday(substr(coalesce(s.departure, "
			   ":today), 1, 10)) - julianday(substr(s.arrival, 1, 10)) DESC, "
			   "r.name_key, r.id ",
};

/* The search, read every way it can match. */
struct search_terms {
	char *key;  /* folded, for names */
	char *room; /* trimmed, lower case; NULL when empty */
	char birth[DATE_LEN]; /* the part of birth_date to equal, "" when the search is no date */
	int birth_from;       /* where in birth_date that part starts (1-based) */
	char cpr6[7];         /* a CPR number's first six digits, "" when none */
};

/* The search without the spaces around it, in buf (empty when it does not fit). */
static void trimmed(const char *s, char *buf, size_t size)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	snprintf(buf, size, "%.*s", len < size ? (int)len : 0, s);
}

/* A birth date in the search: digits in two or three groups (12-03, 12.03.81, 12/3/1981), six or
 * eight digits (120381, 12031981), ISO (1981-03-12), or a CPR number's first six digits with
 * its dash (120381-). Quick words and +N/-N, which date_parse_typed also reads, are no birth
 * dates. Fills t->birth and t->birth_from (and t->cpr6 for six digits). */
static void birth_date_term(const char *search, const char *today, struct search_terms *t)
{
	char s[32];
	trimmed(search, s, sizeof(s));
	size_t len = strlen(s);
	if (len == 7 && s[6] == '-')
		s[--len] = '\0'; /* "120381-": as on a health card, without the last four */
	/* The lengths of the groups of digits, which single separators part. */
	size_t group[3], run = 0;
	int groups = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			run++;
			continue;
		}
		if ((c != '\0' && c != '-' && c != '.' && c != '/') || run == 0 || groups == 3)
			return;
		group[groups++] = run;
		run = 0;
	}
	char date[DATE_LEN];
	if (groups == 2) {
		/* Day and month: any year. Read in a leap year, so 29-02 is a date. */
		if (date_parse_typed(s, "2000-01-01", 1, date) != DATE_OK)
			return;
		memcpy(t->birth, date + 4, 7); /* "-MM-DD" */
		t->birth_from = 5;
		return;
	}
	if (date_parse_typed(s, today, 1, date) != DATE_OK)
		return;
	if ((groups == 1 && len == 6) || (groups == 3 && group[0] <= 2 && group[2] == 2)) {
		/* A two-digit year: the century is unknown (a CPR number has it in its seventh
		 * digit), so any. */
		memcpy(t->birth, date + 2, 9); /* "YY-MM-DD" */
		t->birth_from = 3;
		if (groups == 1)
			memcpy(t->cpr6, s, 7);
	} else {
		memcpy(t->birth, date, DATE_LEN);
		t->birth_from = 1;
	}
}

static void search_terms_read(const char *search, const char *today, struct search_terms *t)
{
	memset(t, 0, sizeof(*t));
	t->key = text_fold(search);
	char room[64];
	trimmed(search, room, sizeof(room));
	if (room[0]) {
		for (char *p = room; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		t->room = xstrdup(room);
	}
	birth_date_term(search, today, t);
}

static void bind_text(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
}

static const char count_columns[] = "SELECT count(*) ";
static const char page_ids[] = "SELECT r.id AS rid, s.id AS sid ";

/* Prepares sql (from list_sql for q) and binds q's values to it. */
static sqlite3_stmt *list_prepare_sql(struct db *db, const struct list_query *q, const char *sql,
				      char **err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return NULL;
	char today[DATE_LEN];
	time_to_local_date(clock_now(), today);
	bind_text(st, ":today", today);
	/* Progress: the steps offered now; a step added to husly.conf after a stay began has no
	 * row and counts as not started. */
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":nsteps"), (int)checklist_step_count());
	if (!str_empty(q->search)) {
		struct search_terms t;
		search_terms_read(q->search, today, &t);
		bind_text(st, ":key", t.key);
		bind_text(st, ":raw", q->search);
		bind_text(st, ":room", t.room);
		bind_text(st, ":birth", t.birth[0] ? t.birth : NULL);
		sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":bfrom"),
				 t.birth[0] ? t.birth_from : 1);
		bind_text(st, ":cpr6", t.cpr6[0] ? t.cpr6 : NULL);
		free(t.key);
		free(t.room);
	}
	return st;
}

/* The SQL for q: columns, the filter's rows, the search, then tail (an order, a limit). */
static char *list_sql(const struct list_query *q, const char *columns, const char *tail)
{
	int searching = !str_empty(q->search);
	int all = q->filter == LIST_ALL || q->filter == LIST_MOVED_OUT;
	const char *from = !all ? from_present
			   : q->filter == LIST_ALL && str_eq(columns, count_columns) ? from_all_count
										      : from_all;
	const char *search = !searching ? "" : all ? search_clause_latest : search_clause;
	return xasprintf("%s%s%s%s%s", columns, from,
			 q->filter == LIST_MOVED_OUT ? moved_out_clause : "", search, tail);
}

/* The statement for q: columns, the filter's rows, the search, then tail (an order, a limit). */
static sqlite3_stmt *list_prepare(struct db *db, const struct list_query *q, const char *columns,
				  const char *tail, char **err)
{
	char *sql = list_sql(q, columns, tail);
	sqlite3_stmt *st = list_prepare_sql(db, q, sql, err);
	free(sql);
	return st;
}

static const char *order_of(const struct list_query *q)
{
	return q->sort >= 0 && q->sort < LIST_SORTS ? orders[q->sort] : orders[LIST_SORT_ROOM];
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

static void list_row_clear(struct list_row *r)
{
	char *fields[] = {r->name,	   r->room,	    r->arrival,
			  r->departure,	   r->notified_at,  r->assessed_at,
			  r->ready_at,	   r->move_in_date, r->support_granted_at,
			  r->ban_until,	   r->alert_safety, r->alert_medical};
	for (size_t j = 0; j < ARRAY_SIZE(fields); j++)
		free(fields[j]);
	memset(r, 0, sizeof(*r));
}

/* Walks the list of a query with a keep predicate in order, calling visit with each row kept and
 * its place in the list; visit may take the row's strings (leaving the row zeroed) and returns
 * non-zero to stop. Returns 0, or -1 on error. */
static int list_walk(struct db *db, const struct list_query *q,
		     int (*visit)(struct list_row *row, long index, void *arg), void *arg,
		     char **err)
{
	sqlite3_stmt *st = list_prepare(db, q, list_columns, order_of(q), err);
	if (!st)
		return -1;
	long index = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct list_row row;
		read_list_row(st, &row);
		int stop = 0;
		if (q->keep(&row, q->keep_arg))
			stop = visit(&row, index++, arg);
		list_row_clear(&row);
		if (stop)
			break;
	}
	db_finish(db, st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, err, "list");
	return 0;
}

static int visit_count(struct list_row *row, long index, void *arg)
{
	(void)row;
	*(long *)arg = index + 1;
	return 0;
}

long db_list_count(struct db *db, const struct list_query *q, char **err)
{
	long n = 0;
	if (q->keep)
		return list_walk(db, q, visit_count, &n, err) == 0 ? n : -1;
	sqlite3_stmt *st = list_prepare(db, q, count_columns, "", err);
	if (!st)
		return -1;
	n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		db_fail(db, err, "list");
	db_finish(db, st);
	return n;
}

struct page_walk {
	long offset, limit;
	struct list_row *rows;
	size_t n;
};

static int visit_page(struct list_row *row, long index, void *arg)
{
	struct page_walk *p = arg;
	if (index < p->offset)
		return 0;
	p->rows[p->n++] = *row;
	memset(row, 0, sizeof(*row));
	return (long)p->n >= p->limit;
}

int db_list_page(struct db *db, const struct list_query *q, long offset, long limit,
		 struct list_row **rows, size_t *n, char **err)
{
	*rows = NULL;
	*n = 0;
	if (offset < 0)
		offset = 0;
	if (limit < 0)
		limit = 0;
	*rows = xcalloc((size_t)(limit > 0 ? limit : 1), sizeof(**rows));
	if (q->keep) {
		struct page_walk p = {offset, limit, *rows, 0};
		int rc = limit > 0 ? list_walk(db, q, visit_page, &p, err) : 0;
		*n = p.n;
		if (rc != 0) {
			list_rows_free(*rows, *n);
			*rows = NULL;
			*n = 0;
		}
		return rc;
	}
	/* The page bound, not written into the text: one statement serves every page. */
	char *tail = xasprintf("%sLIMIT :limit OFFSET :offset", order_of(q));
	char *page = list_sql(q, page_ids, tail);
	/* The page's rows first, by their ids alone; then their columns (the checklist counts)
	 * for those rows only, not for every resident the order passes over. */
	char *sql = xasprintf("%sFROM (%s) p JOIN resident r ON r.id = p.rid "
			      "LEFT JOIN stay s ON s.id = p.sid %s",
			      list_columns, page, order_of(q));
	sqlite3_stmt *st = list_prepare_sql(db, q, sql, err);
	free(sql);
	free(page);
	free(tail);
	if (!st) {
		free(*rows);
		*rows = NULL;
		return -1;
	}
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"), offset);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < (size_t)limit)
		read_list_row(st, &(*rows)[(*n)++]);
	db_finish(db, st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		list_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return db_fail(db, err, "list");
	}
	return 0;
}

struct position_walk {
	const char *id;
	long found;
};

static int visit_position(struct list_row *row, long index, void *arg)
{
	struct position_walk *p = arg;
	if (!str_eq(row->id, p->id))
		return 0;
	p->found = index;
	return 1;
}

long db_list_position(struct db *db, const struct list_query *q, const char *id, char **err)
{
	if (str_empty(id))
		return -1;
	if (q->keep) {
		struct position_walk p = {id, -1};
		return list_walk(db, q, visit_position, &p, err) == 0 ? p.found : -2;
	}
	/* The row number in the list's own order, counted by SQLite. */
	char *columns = xasprintf("SELECT pos FROM (SELECT r.id AS rid, row_number() OVER (%s) - 1 "
				 "AS pos ",
				 order_of(q));
	sqlite3_stmt *st = list_prepare(db, q, columns, ") WHERE rid = :id LIMIT 1", err);
	free(columns);
	if (!st)
		return -2;
	bind_text(st, ":id", id);
	long pos = -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		pos = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		pos = db_fail(db, err, "list") - 1;
	db_finish(db, st);
	return pos;
}

void list_rows_free(struct list_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		list_row_clear(&rows[i]);
	free(rows);
}

int db_resident_history(struct db *db, const char *resident_id, struct history_entry **out,
			size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	/* Child records' ids start with their parent's id (answers) or belong to a stay (steps,
	 * furniture). */
	sqlite3_stmt *st = db_prepare(
	    db,
	    "SELECT h.at, h.login, h.tbl, h.row_id, h.field, h.old_value, h.new_value "
	    "FROM history h WHERE h.row_id = ?1 OR h.row_id LIKE ?1 || '/%' "
	    "OR h.row_id IN (SELECT id FROM stay WHERE resident_id = ?1) "
	    "OR h.row_id IN (SELECT c.id FROM checklist_step c JOIN stay s ON s.id = c.stay_id "
	    "                WHERE s.resident_id = ?1) "
	    "OR h.row_id IN (SELECT f.id FROM furniture f JOIN stay s ON s.id = f.stay_id "
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
	db_finish(db, st);
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
