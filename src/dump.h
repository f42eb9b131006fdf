/* `husly dump` and `husly check`: the database as canonical JSON Lines, and its verification. */
#ifndef HUSLY_DUMP_H
#define HUSLY_DUMP_H

#include <stdio.h>

struct db;

/* Writes every shared record as one JSON object per line, sorted by type then id, keys in the
 * schema's order; nothing terminal-local, so equal data prints equal bytes. */
int db_dump(struct db *db, FILE *out, char **err);

/* Runs SQLite's integrity and foreign-key checks and husly's own invariants, calling report once
 * per problem found. Returns the number of problems, or -1 if the check itself failed. */
long db_check(struct db *db, void (*report)(const char *problem, void *arg), void *arg,
	      char **err);

#endif
