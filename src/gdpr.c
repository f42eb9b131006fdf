#include "gdpr.h"

#include "clock.h"

void retention_cutoff(const char *today, long months, char out[DATE_LEN])
{
	int y, m, d;
	if (date_parse_iso(today, &y, &m, &d) != 0) {
		out[0] = '\0';
		return;
	}
	long index = (long)y * 12 + (m - 1) - months; /* months since year 0 */
	y = (int)(index / 12);
	m = (int)(index % 12) + 1;
	while (d > 28 && !date_is_valid(y, m, d))
		d--;
	date_format_iso(y, m, d, out);
}
