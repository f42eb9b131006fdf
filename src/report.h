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

/* The state refunds half a stay's cost only up to a number of days per resident and calendar
 * year (husly.conf: refund_limit_days, refund_limit_days_before, refund_limit_change). */
struct refund_limit {
	int before;             /* the limit on days before change */
	int after;              /* from change on */
	char change[DATE_LEN];  /* "YYYY-MM-DD" */
};

/* VIVE's typology of shelter users, by the resident's stays in the years up to the period's last
 * day (husly.conf: stay_type_years, stay_type_long_days, stay_type_episodic_stays): long when
 * their days there reach long_days, else episodic when their stays reach episodic_stays, else
 * short. */
struct stay_typology {
	int years, long_days, episodic_stays;
};
enum stay_kind { STAY_KIND_SHORT, STAY_KIND_EPISODIC, STAY_KIND_LONG, STAY_KINDS };
/* VIVE's risk factors; both: misuse and mental illness, either: one of them, any: misuse,
 * mental illness or prison. */
enum risk_factor {
	RISK_MISUSE, RISK_ALCOHOL, RISK_DRUGS, RISK_MENTAL, RISK_BOTH, RISK_EITHER, RISK_PRISON,
	RISK_ANY, RISK_FACTORS
};

/* A resident's days in one calendar year (up to the period's last day), and how many of them
 * were over the refund limit; in over_by_paying, the days over the limit of one paying
 * municipality (a resident whose stays had different payers may have several). */
struct report_days {
	char *resident_id, *name, *paying; /* paying: only in over_by_paying ("" none recorded) */
	int year;
	long days, over;
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
	/* Days per resident per calendar year of the period (by resident, then year), and the days
	 * over the refund limit by paying municipality (by municipality, year, name). */
	struct refund_limit limit;
	struct report_days *years, *over_by_paying;
	size_t nyears, nover;
	/* VIVE's table: the residents of the period by type of stay, and how many of them have
	 * each risk factor. */
	struct stay_typology typology;
	long vive_n[STAY_KINDS];
	long vive[RISK_FACTORS][STAY_KINDS];
	/* The national register's listing (by CPR number, then arrival) and its checks. */
	struct register_stay *reg;
	size_t nreg;
	struct register_problem *problems;
	size_t nproblems;
};

/* A stay for the national register (Danmarks Statistik): admitted or discharged in the period. */
struct register_stay {
	char *cpr, *resident_id, *stay_id;
	char *arrival;         /* "YYYY-MM-DD HH:MM" */
	char *departure;       /* NULL: not discharged in the period */
	char *previous_living; /* code, or NULL */
	char *destination;     /* code, or NULL when not discharged in the period */
	enum stay_kind kind;
};

/* A problem the register would reject, to fix before reporting. */
enum register_problem_kind { REG_NO_CPR, REG_DUPLICATE, REG_NO_DISCHARGE, REG_OVERLAP };
struct register_problem {
	enum register_problem_kind kind;
	char *cpr;    /* "" when none */
	char *ids;    /* the resident or stay ids concerned, ", " between */
};

/* What the report counts with, from husly.conf. */
struct report_rules {
	struct refund_limit limit;
	struct stay_typology typology;
};

/* Fills r for the period from..to ("YYYY-MM-DD", both included). 0, or -1 with *err. */
int db_report(struct db *db, const char *from, const char *to, const struct report_rules *rules,
	      struct report *r, char **err);
void report_free(struct report *r);

/* Parts of db_report. db_report_days.c: fills r->years and r->over_by_paying for r->from,
 * r->to and r->limit; frees them. db_report_vive.c: fills r->vive_n and r->vive. */
int db_report_days(struct db *db, struct report *r, char **err);
void report_days_free(struct report *r);
int db_report_vive(struct db *db, struct report *r, char **err);
/* db_report_register.c: fills r->reg and r->problems; frees them. */
int db_report_register(struct db *db, struct report *r, char **err);
void report_register_free(struct report *r);

/* The refund limit's default: 120 days a year, 90 from 1 April 2026. */
#define REFUND_LIMIT_DEFAULT {120, 90, "2026-04-01"}
/* The typology's defaults: 3 years, long from 180 days, episodic from 3 stays. */
#define STAY_TYPOLOGY_DEFAULT {3, 180, 3}

/* The days after ready beyond which a stay counts in the monitoring indicators. */
#define REPORT_READY_LIMIT_DAYS 120

/* Quartile by linear interpolation between the closest ranks (as spreadsheets' QUARTILE.INC):
 * p from 0 to 1 over the n sorted values v. */
double report_quantile(const double *v, size_t n, double p);

/* The report as text for people, or as CSV for a Danish spreadsheet (UTF-8 with a byte-order
 * mark, ';' between fields, decimal comma, dates dd-mm-åååå). 0, or -1 on a write error. */
int report_write_text(const struct report *r, FILE *out);
int report_write_csv(const struct report *r, FILE *out);
/* The report as a PDF document (print_doc.h), with the shelter's name and who printed it.
 * Returns the pages written, or -1 with *err. */
long report_write_pdf(const struct report *r, const char *shelter, const char *printed_by,
		      FILE *out, char **err);

#endif
