#include "cpr.h"

#include "util.h"

#include <stdio.h>

/* Normalises "DDMMYY-XXXX" or "DDMMYYXXXX" to ten digits; returns -1 if it is neither. */
static int cpr_digits(const char *cpr, char out[11])
{
	size_t j = 0;
	for (size_t i = 0; cpr && cpr[i]; i++) {
		if (cpr[i] == '-' && i == 6 && j == 6)
			continue;
		if (cpr[i] < '0' || cpr[i] > '9' || j == 10)
			return -1;
		out[j++] = cpr[i];
	}
	out[j] = '\0';
	return j == 10 ? 0 : -1;
}

int cpr_is_valid(const char *cpr, char birth[DATE_LEN])
{
	char d[11];
	if (cpr_digits(cpr, d) != 0)
		return 0;
	int day = (d[0] - '0') * 10 + (d[1] - '0');
	int month = (d[2] - '0') * 10 + (d[3] - '0');
	int yy = (d[4] - '0') * 10 + (d[5] - '0');
	int c7 = d[6] - '0';
	int century;
	if (c7 <= 3)
		century = 1900;
	else if (c7 == 4 || c7 == 9)
		century = yy <= 36 ? 2000 : 1900;
	else
		century = yy <= 57 ? 2000 : 1800;
	if (!date_is_valid(century + yy, month, day))
		return 0;
	if (birth)
		date_format_iso(century + yy, month, day, birth);
	return 1;
}

void cpr_mask(const char *cpr, char out[12])
{
	char d[11];
	if (cpr_digits(cpr, d) != 0) {
		strlcpy_trunc(out, "XXXXXX-XXXX", 12);
		return;
	}
	snprintf(out, 12, "%.6s-XXXX", d);
}

void cpr_format(const char *cpr, char out[12])
{
	char d[11];
	if (cpr_digits(cpr, d) != 0) {
		strlcpy_trunc(out, "XXXXXX-XXXX", 12);
		return;
	}
	snprintf(out, 12, "%.6s-%.4s", d, d + 6);
}
