/* Notes: short dated notes about a resident (the night-duty log), and entries in the shift log
 * (vagtlog) that concern no one resident. A note is written once, by the login at the terminal,
 * at the time of the clock; it is a shared record like any other (dumped, kept in the history).
 * The shift log is every note and entry since a time, newest first, for the handover between
 * night and day staff. */
#ifndef HUSLY_NOTE_H
#define HUSLY_NOTE_H

#include <stddef.h>

#include "clock.h"
#include "ids.h"

struct db;

#define NOTE_MAX_BYTES 2000 /* of a note's text once trimmed (UTF-8: æ, ø, å take 2 bytes) */

/* Adds a note about resident_id (kind "note"), or a shift-log entry (kind "shift"; resident_id
 * NULL when it concerns no one resident). The text is trimmed of white space at both ends; an
 * empty text, one over NOTE_MAX_BYTES, malformed UTF-8, a resident who does not exist or whose
 * record was erased are refused with a message for staff. Written in its own transaction with
 * the database's actor (the login) as author and the clock's now as the time. id_out (may be
 * NULL) gets the new note's id. Returns 0, or -1 with *err set (free it). */
int note_add(struct db *db, const char *resident_id, const char *kind, const char *body,
	     char **err);
int note_add_id(struct db *db, const char *resident_id, const char *kind, const char *body,
		char id_out[ID_LEN], char **err);

/* A note as the shift log and the resident's notes show it. Strings may be NULL where said. */
struct shift_entry {
	char id[ID_LEN];
	char *resident_id; /* NULL for a shift-log entry about no one resident */
	char *kind;        /* "note" or "shift" */
	char *body;
	char *created_at; /* UTC, "YYYY-MM-DDTHH:MM:SSZ" */
	char *created_by; /* the login that wrote it */
	char *name;       /* the resident's name; NULL without a resident */
	char *room;       /* the room of the resident's current stay; NULL when not staying */
};

/* Every note and shift-log entry created at or after since_utc_iso ("YYYY-MM-DDTHH:MM:SSZ"),
 * newest first (ties: the one written last first), with the resident's name and room. Notes
 * about residents whose record was erased are left out. Returns 0, or -1 with *err set. */
int db_notes_since(struct db *db, const char *since_utc_iso, struct shift_entry **out, size_t *n,
		   char **err);
/* The notes about one resident, newest first, in the same form. */
int db_resident_notes(struct db *db, const char *resident_id, struct shift_entry **out,
		      size_t *n, char **err);
void shift_entries_free(struct shift_entry *e, size_t n);

/* The start of the shift the local wall-clock time now_local ("YYYY-MM-DD HH:MM") falls in:
 * the latest 07:00, 15:00 or 23:00 at or before it, as "YYYY-MM-DD HH:MM" into out. */
void shift_start(const char *now_local, char out[LOCAL_MIN_LEN]);
/* The shift boundary steps shifts (negative: earlier) from a boundary, as "YYYY-MM-DD HH:MM":
 * 07:00, 15:00 and 23:00 of each day, whatever the length of the day in hours. */
void shift_step(const char *boundary_local, long steps, char out[LOCAL_MIN_LEN]);

#endif
