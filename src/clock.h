/* The one clock everything asks, and the date formats husly stores and shows.
 *
 * The clock can be fixed: `husly demo` runs on a virtual clock so the same seed gives the same
 * data, and tests pin it with HUSLY_NOW. Stored times are UTC ("2026-11-23T02:14:00Z"), stored
 * dates ISO ("2026-11-23"), shown dates Danish ("23-11-2026"). */
#ifndef HUSLY_CLOCK_H
#define HUSLY_CLOCK_H

#include <time.h>

#define ISO_TIME_LEN 21  /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define LOCAL_MIN_LEN 17 /* "YYYY-MM-DD HH:MM" + NUL */
#define DATE_LEN 11      /* "YYYY-MM-DD" or "DD-MM-YYYY" + NUL */

/* Reads HUSLY_NOW ("YYYY-MM-DD HH:MM", local time) if set; returns -1 if it is malformed. */
int clock_init_from_env(void);
time_t clock_now(void);
/* Milliseconds since 1970; with a fixed clock, the fixed second. */
long long clock_now_ms(void);
/* Fixes the clock at t (0: back to the real one). */
void clock_fix(time_t t);

void time_to_iso_utc(time_t t, char out[ISO_TIME_LEN]);
void time_to_local_minute(time_t t, char out[LOCAL_MIN_LEN]);
void time_to_local_date(time_t t, char out[DATE_LEN]);
/* A stored UTC time "YYYY-MM-DDTHH:MM:SSZ" -> time_t; returns -1 if malformed. */
int iso_utc_to_time(const char *s, time_t *out);
/* A stored UTC time as local "YYYY-MM-DD HH:MM" ("" when malformed). */
void iso_utc_to_local_minute(const char *s, char out[LOCAL_MIN_LEN]);
/* "YYYY-MM-DD HH:MM" local -> time_t; returns -1 if malformed. */
int local_minute_to_time(const char *s, time_t *out);

int date_is_valid(int year, int month, int day);
/* Writes "YYYY-MM-DD" (a valid date assumed). */
void date_format_iso(int year, int month, int day, char out[DATE_LEN]);
/* Parses "YYYY-MM-DD" (anything after the 10th character ignored). */
int date_parse_iso(const char *s, int *year, int *month, int *day);
/* "YYYY-MM-DD..." -> "DD-MM-YYYY"; empty string when s is NULL or malformed. */
void date_iso_to_dk(const char *s, char out[DATE_LEN]);
/* Whole days from date a to date b (both "YYYY-MM-DD..."); 0 when either is malformed. */
long date_days_between(const char *a, const char *b);
/* Adds days to an ISO date. */
void date_add_days(const char *s, long days, char out[DATE_LEN]);
/* 0 = Monday ... 6 = Sunday, for an ISO date. */
int date_weekday(const char *s);

#endif
