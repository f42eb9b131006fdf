/* Sync by export: terminals and shelters share one truth through bundle files (bundle.h).
 *
 * What travels is the history table: every change of every field of a shared record, with a
 * hybrid logical clock (hlc), the terminal it was made on, and the change it replaced there
 * (base). Every husly process writes its changes and their history in one transaction, so no
 * writer is missed. An import adds the changes it has not seen and then makes each record it
 * touched again from all the changes known for it:
 *
 *  - per field, the latest change wins (hlc, then terminal id): the same winner everywhere, in
 *    whatever order bundles arrive, so terminals converge;
 *  - a change that is not in the winner's line of bases was replaced without being seen: it is
 *    kept as a conflict, for a coordinator to review and, if they choose, restore;
 *  - an erased resident stays erased: the erasure removes the resident's records and their
 *    history, remembers their ids (tombstones), and any change to them that comes later is
 *    dropped;
 *  - a record whose parent or required fields have not arrived yet waits (pending) until they
 *    do.
 *
 * An import is one transaction: a bundle that is not whole, or holds anything malformed, changes
 * nothing. Changes stamped more than SYNC_MAX_SKEW_MS ahead of this terminal's clock are refused:
 * a terminal with a wrong clock must not win every conflict until the world catches up. So is any
 * value husly itself never writes (text that is not UTF-8 or holds a NUL, an invalid CPR number,
 * date, municipality or arrival, an empty name or note): such a bundle is damaged or not husly's,
 * and none of it is stored. */
#ifndef HUSLY_SYNC_H
#define HUSLY_SYNC_H

#include <stddef.h>
#include <stdio.h>

#include "bundle.h"

struct db;

#define SYNC_FORMAT 1                          /* the text format inside a bundle */
#define SYNC_MAX_SKEW_MS (24LL * 3600 * 1000) /* a day */
#define SYNC_DEFAULT_PEER "default"

/* What an import did. */
struct sync_counts {
	long changes;   /* changes in the bundle */
	long added;     /* records new here */
	long changed;   /* records that changed */
	long deleted;   /* records erased */
	long conflicts; /* new conflicts kept for review */
	long known;     /* changes already here (or about erased records) */
	long pending;   /* records still waiting for their parent or required fields */
};

/* Writes a bundle of the changes not yet sent to peer (all of them with full) to out, sealed
 * with key (plain when NULL). Sets *changes and *upto (the last change's local number); nothing
 * is recorded until sync_export_done. */
int sync_export(struct db *db, const char *peer, int full, const char *terminal_name,
		const struct shelter_key *key, FILE *out, long *changes, long long *upto,
		char **err);
/* The bundle is out whole: peer has been sent everything up to upto. Records the export (sync
 * log, audit). */
int sync_export_done(struct db *db, const char *peer, long long upto, long changes, int full,
		     char **err);

/* Reads a bundle from in (named name in messages) and merges it, all or nothing. key may be
 * NULL; allow_plain accepts a plain bundle. Returns 0 with c filled, or -1 with *err saying
 * what is wrong with the bundle (truncated, damaged, wrong key, newer format...) and the
 * database unchanged. */
int sync_import(struct db *db, FILE *in, const char *name, const struct shelter_key *key,
		int allow_plain, struct sync_counts *c, char **err);

/* "3 new, 1 changed, 0 deleted, 0 conflicts, 12 already known". A new string. */
char *sync_counts_text(const struct sync_counts *c);

/* Erases a resident (GDPR): a tombstone keeps the id; their stays, answers, checklist, notes,
 * conflicts and every history entry of them are deleted; the erasure travels by sync. */
int db_erase_resident(struct db *db, const char *resident_id, char **err);
/* The same erasure inside the caller's write transaction (db_begin), audited as action with
 * detail (may be NULL), and without emptying the write-ahead log: the caller does that
 * (db_checkpoint) once it has committed. Call db_erase_ready before that db_begin. */
int db_erase_resident_in(struct db *db, const char *resident_id, const char *action,
			 const char *detail, char **err);
/* Makes the erasure's scratch tables: before the write transaction, which must not change the
 * schema (db_begin). */
int db_erase_ready(struct db *db, char **err);

/* A value that lost a merge. */
struct conflict_info {
	char *id, *tbl, *row_id, *field;
	char *value, *login, *at;                      /* the lost change */
	char *winner_value, *winner_login, *winner_at; /* the change that won */
	char *resident_id, *resident_name;
	char *resolved_at, *resolved_by; /* NULL while open */
};
/* The conflicts, newest first: the open ones, or all. For one resident when resident_id is not
 * NULL. */
int db_conflicts(struct db *db, const char *resident_id, int all, struct conflict_info **out,
		 size_t *n, char **err);
void conflicts_free(struct conflict_info *c, size_t n);
/* Open conflicts about a resident (and their stays, answers, checklist); -1 on error. */
long db_resident_conflicts(struct db *db, const char *resident_id, char **err);
/* Closes a conflict: with restore, the lost value becomes the field's value again (a new change,
 * which travels); without, the current value is kept. Either way it is marked resolved by the
 * current user, and that travels too. */
int db_conflict_resolve(struct db *db, const char *id, int restore, char **err);

/* What this terminal knows of a peer. */
struct peer_info {
	char *name;
	char *last_export, *last_import; /* UTC times, NULL for never */
	long pending;                    /* changes not yet exported to it */
};
int db_peers(struct db *db, struct peer_info **out, size_t *n, char **err);
void peers_free(struct peer_info *p, size_t n);
/* Changes not yet exported to peer (all of them for a peer never exported to). */
long db_pending_changes(struct db *db, const char *peer, char **err);

#endif
