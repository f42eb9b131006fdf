/* CPR numbers (the Danish personal identity number), checked and masked. A leaf module: no
 * database, no terminal. */
#ifndef HUSLY_CPR_H
#define HUSLY_CPR_H

#include "clock.h"

/* CPR numbers: 10 digits (a dash after the sixth is allowed when typed) whose first six are a
 * real date, the century following the seventh digit. Fills birth (may be NULL) with the date. */
int cpr_is_valid(const char *cpr, char birth[DATE_LEN]);
/* "DDMMYY-XXXX": the date part only, for everyone who does not need the whole number. */
void cpr_mask(const char *cpr, char out[12]);
/* "DDMMYY-XXXX" in full, for those who need the number. */
void cpr_format(const char *cpr, char out[12]);

#endif
