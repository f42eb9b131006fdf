/* The resident list as the database gives it (one page at a time), and a resident's history. */
#ifndef HUSLY_DB_LIST_H
#define HUSLY_DB_LIST_H

#include <stddef.h>

#include "ids.h"

struct db;

/* One line of the resident list. Strings may be NULL. */
struct list_row {
	char id[ID_LEN];
	char *name;
	char *room;
	char *arrival;   /* "YYYY-MM-DD HH:MM" of the current (or latest) stay */
	char *departure; /* NULL while present */
	char *notified_at, *assessed_at, *ready_at, *move_in_date, *support_granted_at;
	char *ban_until, *alert_safety, *alert_medical;
	int housing_registered; /* the housing registration step is done */
	int steps_done, steps_relevant;
};

/* Which residents the list holds. The screen's f key cycles them in this order. */
enum list_filter {
	LIST_PRESENT,   /* residents with an open stay */
	LIST_MOVED_OUT, /* residents whose latest stay has ended, and who have no open stay */
	LIST_ALL,       /* everyone, with their latest stay */
	LIST_FLAGGED,   /* the residents present that the query's keep accepts (all without one) */
	LIST_FILTERS    /* how many there are */
};

/* The order of the list; ties go by name (the folded name), then id, so it is total and stable.
 * The screen's s key cycles them in this order. */
enum list_sort {
	LIST_SORT_ROOM,    /* room, numbers as numbers ("2" before "10", "12A" before "12B"); no room
			    * last */
	LIST_SORT_NAME,    /* name */
	LIST_SORT_ARRIVAL, /* arrival of the current (or latest) stay, newest first */
	LIST_SORT_DAYS,    /* days stayed (as row_days counts them), longest first */
	LIST_SORTS         /* how many there are */
};

/* What the list shows. search (NULL or "" for none) matches a resident when any of these does:
 *  - the name: the folded search anywhere in the folded name (see text_fold);
 *  - the id: the search is the start of the id;
 *  - the room of the current (or latest) stay, the whole of it, in any case ("12a" finds 12A);
 *  - the birth date, typed the Danish way (see date_parse_typed): 12-03-1981, 12031981 and
 *    1981-03-12 find that day; 12-03-81 and 120381 (a CPR number's first six digits, also with
 *    the dash: "120381-") find 12 March of '81 in any century, and residents whose CPR number
 *    starts so; 12-03 finds 12 March of any year.
 * keep, when not NULL, is called on every row that filter and search let through, in list
 * order, and the row is in the list when it returns non-zero: the way to filter on what only
 * the model knows (the flagged filter's warnings). The db layer then reads the rows in C rather
 * than leaving the counting and paging to SQLite, so use it only where the rows are bounded,
 * such as the residents present. */
struct list_query {
	enum list_filter filter;
	enum list_sort sort;
	const char *search;
	int (*keep)(const struct list_row *row, void *arg);
	void *keep_arg;
};

/* How many residents the list holds; -1 on error. */
long db_list_count(struct db *db, const struct list_query *q, char **err);
/* Rows [offset, offset + limit) of the list, in list order. */
int db_list_page(struct db *db, const struct list_query *q, long offset, long limit,
		 struct list_row **rows, size_t *n, char **err);
/* Where the resident with this id is in the list (0 for the first row); -1 when they are not in
 * it, -2 on error. */
long db_list_position(struct db *db, const struct list_query *q, const char *id, char **err);
void list_rows_free(struct list_row *rows, size_t n);

/* The field history of a resident and everything that hangs on them (stays, answers, steps,
 * furniture, notes), newest first. */
struct history_entry {
	char *at, *login, *tbl, *row_id, *field, *old_value, *new_value;
};
int db_resident_history(struct db *db, const char *resident_id, struct history_entry **out,
			size_t *n, char **err);
void history_free(struct history_entry *h, size_t n);

#endif
