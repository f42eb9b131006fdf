/* The coordinator's report over a period (husly report): stays, arrivals, departures, days from
 * ready to moving out and the monitoring indicators of the homelessness strategy. */
#ifndef HUSLY_REPORT_H
#define HUSLY_REPORT_H

#include <stdio.h>

#include "clock.h"

struct db;

/* A code (destination, municipality) and how many have it; code "" when none was recorded. */
struct report_count {
	char *code;
	long n;
};

struct report_counts {
	struct report_count *items; /* most first, then by code */
	size_t n;
};

struct report {
	char from[DATE_LEN], to[DATE_LEN]; /* the period, both days included, "YYYY-MM-DD" */
	long stays;      /* stays with at least one day in the period */
	long residents;  /* different residents of those stays */
	long arrivals;   /* stays that began in the period */
	long departures; /* stays that ended in the period */
	struct report_counts destinations; /* of the departures */
	/* Days from ready to moving out, over the departures in the period that had a ready date. */
	long ready_n;
	double ready_min, ready_q1, ready_median, ready_q3, ready_max;
	struct report_counts home;   /* residents (of the stays) by home municipality */
	struct report_counts paying; /* stays by paying municipality */
	/* Monitoring indicators: stays that, within the period, went on more than 120 days after
	 * the resident was ready; and of those, the ones not assessed and with no plan by then. */
	long over_ready_limit, over_ready_unassessed;
};

/* Fills r for the period from..to ("YYYY-MM-DD", both included). 0, or -1 with *err. */
int db_report(struct db *db, const char *from, const char *to, struct report *r, char **err);
void report_free(struct report *r);

/* The days after ready beyond which a stay counts in the monitoring indicators. */
#define REPORT_READY_LIMIT_DAYS 120

/* Quartile by linear interpolation between the closest ranks (as spreadsheets' QUARTILE.INC):
 * p from 0 to 1 over the n sorted values v. */
double report_quantile(const double *v, size_t n, double p);

/* The report as text for people, or as CSV for a Danish spreadsheet (UTF-8 with a byte-order
 * mark, ';' between fields, decimal comma, dates dd-mm-åååå). 0, or -1 on a write error. */
int report_write_text(const struct report *r, FILE *out);
int report_write_csv(const struct report *r, FILE *out);

#endif
