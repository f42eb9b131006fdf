/* `husly demo`: synthetic residents for trying husly out, for screenshots and for tests. The data
 * looks like a Danish § 110 shelter (the VIVE table in domain.md) but every name and sentence is
 * made up. It is written through the same record API the screens use, on a seeded generator and
 * a virtual clock, so the same seed on the same day gives the same data. */
#ifndef HUSLY_DEMO_H
#define HUSLY_DEMO_H

#include <stdint.h>
#include <stdio.h>

struct db;

struct demo_options {
	long residents; /* residents to add */
	long edits;     /* random edits to existing records afterwards */
	uint64_t seed;  /* same seed (and same day, same database content before) -> same data */
	FILE *log;      /* NULL, or where each change goes once its transaction has committed */
};

/* Adds o->residents realistic fake residents and makes o->edits random edits, through the same
 * record API the screens use. With o->log, each committed change is written there afterwards
 * (flushed per transaction), one line each: "HLC\tTERMINAL\tTABLE\tID\tFIELD", the change's
 * identity in the history. Returns 0, or -1 with *err set (malloc'd). */
int demo_run(struct db *db, const struct demo_options *o, char **err);

#endif
