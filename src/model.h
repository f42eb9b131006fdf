/* What husly knows about residents beyond the stored fields: the warnings staff must see, the
 * legal clocks (§ 110 stk. 6 notification, 6 weeks to assessment, 120 days after ready). */
#ifndef HUSLY_MODEL_H
#define HUSLY_MODEL_H

#include <stddef.h>

#include "clock.h"
#include "cpr.h"
#include "db_list.h"
#include "ids.h"

struct db;

/* Days: the legal and agreed limits (see ../shared/domain.md). */
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

/* The warnings of a row on day today ("YYYY-MM-DD"). */
unsigned row_warnings(const struct list_row *row, const char *today);
/* Days stayed, counted in nights: from arrival to departure, or to today while present. */
long row_days(const struct list_row *row, const char *today);

/* The last day to notify the acting municipality: 3 working days after arrival, skipping
 * weekends and Danish public holidays. */
void notify_deadline(const char *arrival, char out[DATE_LEN]);
int is_danish_holiday(const char *date);

#endif
