#include "model.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Easter Sunday (anonymous Gregorian algorithm), as "YYYY-MM-DD". */
static void easter(int y, char out[DATE_LEN])
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
	date_format_iso(y, month, day, out);
}

int is_danish_holiday(const char *date)
{
	int y, m, d;
	if (date_parse_iso(date, &y, &m, &d) != 0)
		return 0;
	/* Fixed days off: New Year, Constitution Day, Christmas Eve to Boxing Day. */
	if ((m == 1 && d == 1) || (m == 6 && d == 5) || (m == 12 && d >= 24 && d <= 26))
		return 1;
	char e[DATE_LEN];
	easter(y, e);
	long off = date_days_between(e, date);
	/* Maundy Thursday, Good Friday, Easter, Easter Monday, Ascension, Whit Sunday and Monday;
	 * Great Prayer Day (Easter + 26) until it was abolished from 2024. */
	return off == -3 || off == -2 || off == 0 || off == 1 || off == 39 || off == 49 ||
	       off == 50 || (off == 26 && y < 2024);
}

void notify_deadline(const char *arrival, char out[DATE_LEN])
{
	char day[DATE_LEN];
	strlcpy_trunc(day, arrival ? arrival : "", DATE_LEN);
	out[0] = '\0';
	int y, m, d;
	if (date_parse_iso(day, &y, &m, &d) != 0)
		return;
	for (int left = NOTIFY_WORKING_DAYS; left > 0;) {
		date_add_days(day, 1, day);
		if (date_weekday(day) < 5 && !is_danish_holiday(day))
			left--;
	}
	memcpy(out, day, DATE_LEN);
}

long row_days(const struct list_row *row, const char *today)
{
	return date_days_between(row->arrival, row->departure ? row->departure : today);
}

static long days_since(const char *date, const char *today)
{
	return date ? date_days_between(date, today) : -1;
}

unsigned row_warnings(const struct list_row *row, const char *today)
{
	unsigned w = 0;
	if (row->ban_until && strncmp(row->ban_until, today, 10) >= 0)
		w |= WARN_BAN;
	if (!str_empty(row->alert_safety))
		w |= WARN_SAFETY;
	if (!str_empty(row->alert_medical))
		w |= WARN_MEDICAL;
	if (row->departure || !row->arrival)
		return w; /* the clocks run only while the resident is here */
	char deadline[DATE_LEN];
	notify_deadline(row->arrival, deadline);
	if (!row->notified_at && strcmp(today, deadline) > 0)
		w |= WARN_NOT_NOTIFIED;
	if (!row->assessed_at && days_since(row->arrival, today) >= ASSESS_DAYS)
		w |= WARN_NOT_ASSESSED;
	if (days_since(row->ready_at, today) > READY_MAX_DAYS)
		w |= WARN_READY_LONG;
	if (row->move_in_date && !row->support_granted_at)
		w |= WARN_NO_SUPPORT;
	if (days_since(row->ready_at, today) > HOUSING_REG_DAYS && !row->housing_registered)
		w |= WARN_NO_HOUSING_REG;
	return w;
}
