/* A stay's end: the resident leaves (udskrivning), with where they went. */
#ifndef HUSLY_STAY_H
#define HUSLY_STAY_H

struct db;

/* Ends the resident's open stay in one transaction: departure ("YYYY-MM-DD HH:MM", local),
 * destination (a code of the destinations list) and an optional note. Refuses, writing
 * nothing, when there is no open stay, the departure is before the arrival or in the future,
 * or the destination is not a known code. Messages are translated. */
int stay_depart(struct db *db, const char *resident_id, const char *departure,
		const char *destination, const char *note, char **err);

#endif
