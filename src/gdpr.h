/* The residents' rights under the GDPR that husly carries out itself: storage limitation (a
 * resident gone longer than the shelter's retention time is erased, `husly retention`), and
 * the right of access (everything stored about a person, print_subject.c, through
 * `husly print --subject-access`). The erasure is sync's (db_erase_resident_in, sync.h), so it
 * leaves a tombstone and travels like any other. */
#ifndef HUSLY_GDPR_H
#define HUSLY_GDPR_H

#include <stddef.h>

#include "clock.h"
#include "ids.h"

struct db;

#define RETENTION_MONTHS_MAX 1200 /* as husly.conf's retention_months allows */

/* The day a resident's last stay must have ended before (or, without any stay, their record
 * been made before) for them to be erased: today minus months, on the same day of the month,
 * or on the month's last day when it is shorter ("2026-03-31" minus 1 month: "2026-02-28").
 * A stay that ended on that day itself ended exactly months ago: not yet due. */
void retention_cutoff(const char *today, long months, char out[DATE_LEN]);

/* A resident due for erasure. */
struct retention_due {
	char id[ID_LEN];
	char *name;
	char *last_departure; /* local "YYYY-MM-DD HH:MM" of the latest stay's end; NULL: no stay */
	char *created_at;     /* UTC "YYYY-MM-DDTHH:MM:SSZ": when the record was made */
};

/* The residents due at cutoff ("YYYY-MM-DD", from retention_cutoff): not erased already, no
 * open stay, and their latest departure before cutoff, or, with no stay at all, their record
 * made before cutoff began (local midnight). Longest gone first. Returns 0, or -1 with *err. */
int db_retention_due(struct db *db, const char *cutoff, struct retention_due **out, size_t *n,
		     char **err);
void retention_due_free(struct retention_due *r, size_t n);

/* Erases one resident found by db_retention_due, in one transaction, if they are still due
 * at cutoff (someone may have come back since the list was made): the erasure `husly erase`
 * makes, audited as AUDIT_RETENTION with detail. The write-ahead log is left to the caller
 * (db_checkpoint once after many). Returns 1 when erased, 0 when no longer due (nothing
 * written), -1 with *err set. */
int db_retention_erase(struct db *db, const char *resident_id, const char *cutoff,
		       const char *detail, char **err);

#endif
