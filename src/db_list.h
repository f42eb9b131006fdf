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

enum list_filter { LIST_PRESENT, LIST_ALL };

/* How many residents the list holds for this filter and search (NULL or "" for none). */
long db_list_count(struct db *db, enum list_filter filter, const char *search, char **err);
/* Rows [offset, offset + limit) of the list, in list order (room, then name; by name for all). */
int db_list_page(struct db *db, enum list_filter filter, const char *search, long offset,
		 long limit, struct list_row **rows, size_t *n, char **err);
void list_rows_free(struct list_row *rows, size_t n);

/* The field history of a resident and everything that hangs on them (stays, answers, steps). */
struct history_entry {
	char *at, *login, *tbl, *row_id, *field, *old_value, *new_value;
};
int db_resident_history(struct db *db, const char *resident_id, struct history_entry **out,
			size_t *n, char **err);
void history_free(struct history_entry *h, size_t n);

#endif
