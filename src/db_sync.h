/* The database side of sync (db_sync.c), for sync.c, which moves the lines in and out of
 * bundles. */
#ifndef HUSLY_DB_SYNC_H
#define HUSLY_DB_SYNC_H

#include <stddef.h>

#include "sync.h"

struct db;

/* Calls line(text, arg) with the bundle's header, then once per change not yet sent to peer
 * (every change with full), in this database's order, inside one read transaction (a
 * snapshot). Sets *changes and *upto. Stops at the first non-zero from line. */
int db_sync_export_lines(struct db *db, const char *peer, int full, const char *terminal_name,
			 int (*line)(const char *text, size_t len, void *arg), void *arg,
			 long *changes, long long *upto, char **err);
/* Records an export that went out whole (peer pointer, sync log, audit). */
int db_sync_export_done(struct db *db, const char *peer, long long upto, long changes, int full,
			char **err);

/* An import in progress: one write transaction from begin to finish or abort. */
struct db_import;
struct db_import *db_import_begin(struct db *db, const char *name, char **err);
/* One line of the bundle's text: the header first, then the changes. -1 with *err ("line N:
 * what is wrong") for anything malformed. */
int db_import_line(struct db_import *im, const char *line, size_t len, char **err);
/* The bundle was whole: makes the records, keeps the conflicts, records the import, commits.
 * Frees im either way. */
int db_import_finish(struct db_import *im, struct sync_counts *c, char **err);
/* Rolls back and frees. */
void db_import_abort(struct db_import *im);

#endif
