/* Notes and the shift log: writing a note through the record layer (so it has its history like
 * every other change), and reading the notes since a time across all residents. */
#include "db_internal.h"
#include "note.h"

#include "i18n.h"
#include "record.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether s (len bytes) is well-formed UTF-8. */
static int utf8_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t step = utf8_decode(s + i, len - i, &cp);
		if (cp == REPLACEMENT_CHAR && step == 1)
			return 0;
		i += step;
	}
	return 1;
}

/* The resident a note is about must exist and not be erased. */
static int check_resident(struct db *db, const char *resident_id, char **err)
{
	struct record r;
	int found = db_record_get(db, "resident", resident_id, &r, err);
	if (found < 0)
		return -1;
	int erased = found && !str_empty(record_get(&r, "erased_at"));
	record_free(&r);
	if (!found) {
		*err = xstrdup(_("The resident no longer exists."));
		return -1;
	}
	if (erased) {
		*err = xstrdup(_("The resident's record has been erased; no notes can be added."));
		return -1;
	}
	return 0;
}

/* The checks that need no database: kind, resident and text. Sets *start and *len to the
 * trimmed text. */
static int check_note(const char *resident_id, const char *kind, const char *body,
		      const char **start, size_t *len, char **err)
{
	if (!str_eq(kind, "note") && !str_eq(kind, "shift")) {
		*err = xasprintf("internal error: no kind of note '%s'", kind ? kind : "(null)");
		return -1;
	}
	if (str_eq(kind, "note") && str_empty(resident_id)) {
		*err = xstrdup("internal error: a note without a resident");
		return -1;
	}
	const char *s = body ? body : "";
	size_t n = strlen(s);
	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0) {
		*err = xstrdup(_("The note is empty: write something first."));
		return -1;
	}
	if (n > NOTE_MAX_BYTES) {
		*err = xasprintf(_("The note is too long: %zu bytes, at most %d (æ, ø and å take two "
				   "bytes each)."),
				 n, NOTE_MAX_BYTES);
		return -1;
	}
	if (!utf8_valid(s, n)) {
		*err = xstrdup(_("The note has characters that are not UTF-8 text."));
		return -1;
	}
	*start = s;
	*len = n;
	return 0;
}

int note_add_id(struct db *db, const char *resident_id, const char *kind, const char *body,
		char id_out[ID_LEN], char **err)
{
	const char *start;
	size_t len;
	if (check_note(resident_id, kind, body, &start, &len, err) != 0)
		return -1;
	if (str_empty(db_actor(db))) {
		*err = xstrdup("internal error: no login to write the note as");
		return -1;
	}
	char *text = xasprintf("%.*s", (int)len, start);
	char id[ID_LEN];
	id_new(id);
	const struct field_value fields[] = {
		{"resident_id", str_empty(resident_id) ? NULL : resident_id},
		{"kind", kind},
		{"body", text},
	};
	int rc = db_begin(db, err);
	if (rc == 0) {
		if (!str_empty(resident_id))
			rc = check_resident(db, resident_id, err);
		if (rc == 0)
			rc = db_record_insert(db, "note", id, fields, ARRAY_SIZE(fields), err);
		if (rc == 0)
			rc = db_commit(db, err); /* rolls back when it fails */
		else
			db_rollback(db);
	}
	free(text);
	if (rc == 0 && id_out)
		memcpy(id_out, id, ID_LEN);
	return rc;
}

int note_add(struct db *db, const char *resident_id, const char *kind, const char *body,
	     char **err)
{
	return note_add_id(db, resident_id, kind, body, NULL, err);
}

/* --- reading ------------------------------------------------------------------------------ */

static const char entry_columns[] =
    "SELECT n.id, n.resident_id, n.kind, n.body, n.created_at, n.created_by, r.name, "
    "(SELECT s.room FROM stay s WHERE s.resident_id = n.resident_id AND s.departure IS NULL "
    " ORDER BY s.arrival DESC, s.id DESC LIMIT 1) "
    "FROM note n LEFT JOIN resident r ON r.id = n.resident_id ";
/* Newest first; notes written in the same second, the one written last first. */
static const char entry_order[] = " ORDER BY n.created_at DESC, n.rowid DESC";

static int read_entries(struct db *db, sqlite3_stmt *st, struct shift_entry **out, size_t *n,
			char **err)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		struct shift_entry *e = &(*out)[(*n)++];
		memset(e, 0, sizeof(*e));
		const unsigned char *id = sqlite3_column_text(st, 0);
		strlcpy_trunc(e->id, id ? (const char *)id : "", ID_LEN);
		char **f[] = {&e->resident_id, &e->kind,       &e->body, &e->created_at,
			      &e->created_by,  &e->name,       &e->room};
		for (size_t i = 0; i < ARRAY_SIZE(f); i++)
			*f[i] = db_column_dup(st, (int)i + 1);
	}
	db_finish(db, st);
	if (rc != SQLITE_DONE) {
		shift_entries_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "note");
	}
	return 0;
}

int db_notes_since(struct db *db, const char *since_utc_iso, struct shift_entry **out, size_t *n,
		   char **err)
{
	*out = NULL;
	*n = 0;
	time_t t;
	if (!since_utc_iso || iso_utc_to_time(since_utc_iso, &t) != 0) {
		*err = xasprintf("internal error: not a time: %s", since_utc_iso ? since_utc_iso : "");
		return -1;
	}
	/* An erased resident's notes go with the record; entries about no one have no r. */
	char *sql = xasprintf("%sWHERE n.created_at >= ?1 AND r.erased_at IS NULL%s", entry_columns,
			      entry_order);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, since_utc_iso, -1, SQLITE_STATIC);
	return read_entries(db, st, out, n, err);
}

int db_resident_notes(struct db *db, const char *resident_id, struct shift_entry **out,
		      size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	char *sql = xasprintf("%sWHERE n.resident_id = ?1%s", entry_columns, entry_order);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, resident_id, -1, SQLITE_STATIC);
	return read_entries(db, st, out, n, err);
}

void shift_entries_free(struct shift_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].resident_id);
		free(e[i].kind);
		free(e[i].body);
		free(e[i].created_at);
		free(e[i].created_by);
		free(e[i].name);
		free(e[i].room);
	}
	free(e);
}

/* --- shifts ------------------------------------------------------------------------------- */

static const int shift_hours[] = {7, 15, 23};

/* The date and shift (0, 1, 2 for 07, 15, 23) a local time falls in; -1 when malformed. */
static int shift_of(const char *local, char date[DATE_LEN], int *slot)
{
	int y, m, d;
	if (!local || date_parse_iso(local, &y, &m, &d) != 0 || strlen(local) < 16)
		return -1;
	int hour = (local[11] - '0') * 10 + (local[12] - '0');
	if (hour < 0 || hour > 23)
		return -1;
	date_format_iso(y, m, d, date);
	if (hour < shift_hours[0]) {
		date_add_days(date, -1, date);
		*slot = 2;
		return 0;
	}
	*slot = hour >= shift_hours[2] ? 2 : hour >= shift_hours[1] ? 1 : 0;
	return 0;
}

void shift_step(const char *boundary_local, long steps, char out[LOCAL_MIN_LEN])
{
	char date[DATE_LEN];
	int slot;
	out[0] = '\0';
	if (shift_of(boundary_local, date, &slot) != 0)
		return;
	long total = slot + steps;
	long days = total >= 0 ? total / 3 : -((-total + 2) / 3);
	int s = (int)(total - days * 3);
	date_add_days(date, days, date);
	snprintf(out, LOCAL_MIN_LEN, "%s %02d:00", date, shift_hours[s]);
}

void shift_start(const char *now_local, char out[LOCAL_MIN_LEN])
{
	shift_step(now_local, 0, out);
}
