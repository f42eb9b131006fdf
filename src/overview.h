/* The coordinator's overview: a few figures about the house today, counted by db_overview.c.
 * The action lists are the list's own warnings (model.h's row_warnings over the residents
 * present), so the overview and the resident list never disagree. */
#ifndef HUSLY_OVERVIEW_H
#define HUSLY_OVERVIEW_H

#include "clock.h"

struct db;

/* Residents present by days stayed (as row_days counts them): 0-7, 8-30, 31-90, 91-120,
 * 121-365, over 365. */
enum { STAY_BUCKETS = 6 };
extern const int overview_bucket_max[STAY_BUCKETS]; /* a bucket's last day; -1: no end */

/* The lists a coordinator acts on, each one warning of model.h. */
enum { OVERVIEW_LISTS = 4 };
extern const unsigned overview_list_warning[OVERVIEW_LISTS];

struct overview {
	char today[DATE_LEN];             /* "YYYY-MM-DD" the figures are for */
	char week_start[DATE_LEN];        /* Monday of this week */
	char month_start[DATE_LEN];       /* the 1st of this month */
	long present;                /* residents with an open stay */
	long arrivals_week, arrivals_month;     /* stays begun from week_start / month_start on */
	long departures_week, departures_month; /* stays ended from week_start / month_start on */
	long by_days[STAY_BUCKETS];  /* residents present by days stayed */
	long steps_done, steps_relevant; /* checklist steps of the residents present */
	long checklists_complete;    /* residents present with every relevant step done */
	long listed[OVERVIEW_LISTS]; /* residents present with each list's warning */
};

/* The overview for today (the clock's local date). Returns 0, or -1 with the reason in *err. */
int db_overview(struct db *db, struct overview *o, char **err);
/* The bucket of a stay of this many days. */
int overview_bucket(long days);

#endif
