/* A stay's end: the resident leaves (udskrivning), with where they went. */
#ifndef HUSLY_STAY_H
#define HUSLY_STAY_H

#include <stddef.h>

#include "ids.h"

struct db;

/* Ends the resident's open stay in one transaction: departure ("YYYY-MM-DD HH:MM", local),
 * destination (a code of the destinations list) and an optional note. Refuses, writing
 * nothing, when there is no open stay, the departure is before the arrival or in the future,
 * or the destination is not a known code. Messages are translated. */
int stay_depart(struct db *db, const char *resident_id, const char *departure,
		const char *destination, const char *note, char **err);

/* The resident's open stay: 1 with its id, 0 when there is none, -1 on error. */
int stay_open_of(struct db *db, const char *resident_id, char id[ID_LEN], char **err);

/* The check of a departure form (form.h): its fields departure, destination and
 * departure_note of one stay, saved with form_save(..., stay_departure_check, NULL, ...).
 * Refuses what stay_depart refuses: a departure before the arrival or in the future, or no
 * known destination. */
struct form_field;
int stay_departure_check(struct db *db, const struct form_field *f, size_t n, void *ctx,
			 char **err);

#endif
