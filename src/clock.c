#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static time_t fixed_time;

int clock_init_from_env(void)
{
	const char *s = getenv("HUSLY_NOW");
	if (!s || !*s)
		return 0;
	time_t t;
	if (local_minute_to_time(s, &t) != 0)
		return -1;
	fixed_time = t;
	return 0;
}

void clock_fix(time_t t)
{
	fixed_time = t;
}

time_t clock_now(void)
{
	return fixed_time ? fixed_time : time(NULL);
}

long long clock_now_ms(void)
{
	if (fixed_time)
		return (long long)fixed_time * 1000;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void time_to_iso_utc(time_t t, char out[ISO_TIME_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, ISO_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0'; /* a year past 9999 does not fit */
}

void time_to_local_minute(time_t t, char out[LOCAL_MIN_LEN])
{
	struct tm tm;
	localtime_r(&t, &tm);
	if (strftime(out, LOCAL_MIN_LEN, "%Y-%m-%d %H:%M", &tm) == 0)
		out[0] = '\0'; /* a year past 9999 does not fit */
}

void time_to_local_date(time_t t, char out[DATE_LEN])
{
	struct tm tm;
	localtime_r(&t, &tm);
	if (strftime(out, DATE_LEN, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0'; /* a year past 9999 does not fit */
}

void date_format_iso(int year, int month, int day, char out[DATE_LEN])
{
	snprintf(out, DATE_LEN, "%04u-%02u-%02u", (unsigned)year % 10000u, (unsigned)month % 100u,
		 (unsigned)day % 100u);
}

int date_is_valid(int year, int month, int day)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (year < 1800 || year > 9999 || month < 1 || month > 12 || day < 1)
		return 0;
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int max = mdays[month - 1] + (month == 2 && leap);
	return day <= max;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int date_parse_iso(const char *s, int *year, int *month, int *day)
{
	if (!s || strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return -1;
	*year = atoi(s);
	*month = (s[5] - '0') * 10 + (s[6] - '0');
	*day = (s[8] - '0') * 10 + (s[9] - '0');
	return date_is_valid(*year, *month, *day) ? 0 : -1;
}

int iso_utc_to_time(const char *s, time_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (!end || *end != '\0')
		return -1;
	*out = timegm(&tm);
	return 0;
}

void iso_utc_to_local_minute(const char *s, char out[LOCAL_MIN_LEN])
{
	time_t t;
	if (iso_utc_to_time(s, &t) != 0)
		out[0] = '\0';
	else
		time_to_local_minute(t, out);
}

int local_minute_to_time(const char *s, time_t *out)
{
	int y, mo, d;
	if (date_parse_iso(s, &y, &mo, &d) != 0 || strlen(s) < 16 || s[10] != ' ' ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2))
		return -1;
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_isdst = -1;
	if (tm.tm_hour > 23 || tm.tm_min > 59)
		return -1;
	*out = mktime(&tm);
	return 0;
}

void date_iso_to_dk(const char *s, char out[DATE_LEN])
{
	int y, m, d;
	if (date_parse_iso(s, &y, &m, &d) != 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, DATE_LEN, "%02u-%02u-%04u", (unsigned)d % 100u, (unsigned)m % 100u,
		 (unsigned)y % 10000u);
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm): exact, no time zones. */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

long date_days_between(const char *a, const char *b)
{
	int y1, m1, d1, y2, m2, d2;
	if (date_parse_iso(a, &y1, &m1, &d1) != 0 || date_parse_iso(b, &y2, &m2, &d2) != 0)
		return 0;
	return days_from_civil(y2, m2, d2) - days_from_civil(y1, m1, d1);
}

void date_add_days(const char *s, long days, char out[DATE_LEN])
{
	int y, m, d;
	if (date_parse_iso(s, &y, &m, &d) != 0) {
		out[0] = '\0';
		return;
	}
	civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
	date_format_iso(y, m, d, out);
}

int date_weekday(const char *s)
{
	int y, m, d;
	if (date_parse_iso(s, &y, &m, &d) != 0)
		return 0;
	long z = days_from_civil(y, m, d); /* 1970-01-01 was a Thursday (3) */
	return (int)(((z % 7) + 7 + 3) % 7);
}
