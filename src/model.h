/* What husly knows about residents beyond the stored fields: the warnings staff must see, the
 * legal clocks (§ 110 stk. 6 notification, 6 weeks to assessment, 120 days after ready), and the
 * resident list as the screens and commands read it. */
#ifndef HUSLY_MODEL_H
#define HUSLY_MODEL_H

#include <stddef.h>

#include "clock.h"
#include "ids.h"

struct db;

/* Days: the legal and agreed limits (domain.md). */
#define NOTIFY_WORKING_DAYS 3
#define ASSESS_DAYS 42
#define READY_MAX_DAYS 120
#define HOUSING_REG_DAYS 14

enum warning {
	WARN_BAN = 1 << 0,          /* house ban in force */
	WARN_SAFETY = 1 << 1,       /* safety risk */
	WARN_MEDICAL = 1 << 2,      /* medical alert */
	WARN_NOT_NOTIFIED = 1 << 3, /* acting municipality not notified in time */
	WARN_NOT_ASSESSED = 1 << 4, /* not assessed 6 weeks after arrival */
	WARN_READY_LONG = 1 << 5,   /* ready to move for more than 120 days */
	WARN_NO_SUPPORT = 1 << 6,   /* a move-in date but no support granted */
	WARN_NO_HOUSING_REG = 1 << 7, /* no housing registration 14 days after ready */
};

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

/* The warnings of a row on day today ("YYYY-MM-DD"). */
unsigned row_warnings(const struct list_row *row, const char *today);
/* Days stayed, counted in nights: from arrival to departure, or to today while present. */
long row_days(const struct list_row *row, const char *today);

/* The last day to notify the acting municipality: 3 working days after arrival, skipping
 * weekends and Danish public holidays. */
void notify_deadline(const char *arrival, char out[DATE_LEN]);
int is_danish_holiday(const char *date);

/* The field history of a resident and everything that hangs on them (stays, answers, steps). */
struct history_entry {
	char *at, *login, *tbl, *row_id, *field, *old_value, *new_value;
};
int db_resident_history(struct db *db, const char *resident_id, struct history_entry **out,
			size_t *n, char **err);
void history_free(struct history_entry *h, size_t n);



/* CPR numbers: 10 digits (a dash after the sixth is allowed when typed) whose first six are a
 * real date, the century following the seventh digit. Fills birth (may be NULL) with the date. */
int cpr_is_valid(const char *cpr, char birth[DATE_LEN]);
/* "DDMMYY-XXXX": the date part only, for everyone who does not need the whole number. */
void cpr_mask(const char *cpr, char out[12]);
#endif
