/* Dates as staff type them: the Danish way (dd-mm-åååå), short forms, and quick words. */
#ifndef HUSLY_DATETYPED_H
#define HUSLY_DATETYPED_H

#include "clock.h"

enum date_typed_error {
	DATE_OK = 0,
	DATE_EMPTY,     /* nothing typed */
	DATE_FORMAT,    /* not a date form husly knows */
	DATE_NOT_REAL,  /* looks like a date but is none, e.g. 31-02-2026 */
};

/* Reads a typed date relative to today ("YYYY-MM-DD") into out ("YYYY-MM-DD"). Accepted:
 * 24-11-2026, 24.11.2026, 24/11/2026, 24-11-26, 24112026, 241126, 24-11 (this year), ISO
 * 2026-11-24, and the
 * words "i dag"/"idag"/"today"/"d", "i går"/"igår"/"yesterday"/"g", "i morgen"/"tomorrow",
 * and +N / -N days from today. Two-digit years are taken as the nearest past century for
 * birth dates only when past_only is set (a birth date is never in the future), else 20xx. */
enum date_typed_error date_parse_typed(const char *typed, const char *today, int past_only,
				       char out[DATE_LEN]);

/* A date and time as typed: "24-11-2026 21:30", "i går 23:10", "21:30" (today), or a date
 * alone (the time of now). now: local "YYYY-MM-DD HH:MM"; out the same form. Returns a message
 * id saying what is wrong, or NULL. */
const char *datetime_parse_typed(const char *typed, const char *now, char out[LOCAL_MIN_LEN]);

#endif
