#include "db_internal.h"
#include "checklist.h"

#include "clock.h"
#include "i18n.h"
#include "record.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A thing typed by staff is stored as written: long enough for "vaskemaskine og tørretumbler",
 * short enough to stay a thing and not become a note. */
#define THING_MAX_CHARS 60

static const char *const step_fields[] = {"status", "date", "responsible", "responsible_name",
					  "note"};

int checklist_stay_of(struct db *db, const char *resident_id, char stay_id[ID_LEN], char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT id FROM stay WHERE resident_id = ? "
				      "ORDER BY departure IS NULL DESC, arrival DESC, id DESC LIMIT 1",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, resident_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		strlcpy_trunc(stay_id, (const char *)sqlite3_column_text(st, 0), ID_LEN);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = db_fail(db, err, "stay");
	}
	db_finish(db, st);
	return found;
}

static void step_fill(struct checklist_step *s, const struct step_def *def, const char *code,
		      const char *item, const struct record *row)
{
	s->def = def;
	s->code = xstrdup(code);
	s->item = xstrdup(item ? item : "");
	s->status = xstrdup(row && record_get(row, "status") ? record_get(row, "status") : "todo");
	s->date = row ? xstrdup_or_null(record_get(row, "date")) : NULL;
	s->responsible = row ? xstrdup_or_null(record_get(row, "responsible")) : NULL;
	s->responsible_name = row ? xstrdup_or_null(record_get(row, "responsible_name")) : NULL;
	s->note = row ? xstrdup_or_null(record_get(row, "note")) : NULL;
	s->stored = row != NULL;
}

static const struct record *row_of_step(const struct record *rows, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(record_get(&rows[i], "step"), code))
			return &rows[i];
	return NULL;
}

int checklist_step_has_data(const struct checklist_step *s)
{
	return !str_eq(s->status, "todo") || s->date || s->responsible || s->responsible_name ||
	       s->note;
}

/* The visible steps in configured order, then those the stay holds data for that are hidden
 * or no longer known, in the order husly knows them, then by code. */
static void load_steps(struct checklist *c, const struct record *rows, size_t nrows)
{
	c->steps = xcalloc(checklist_step_count() + nrows + 1, sizeof(*c->steps));
	for (size_t i = 0; i < checklist_step_count(); i++) {
		const struct step_def *def = checklist_step_at(i);
		struct checklist_step *s = &c->steps[c->nsteps++];
		step_fill(s, def, def->code, def->item, row_of_step(rows, nrows, def->code));
		c->relevant += !str_eq(s->status, "na");
		c->done += str_eq(s->status, "done");
	}
	for (size_t i = 0; i < nrows; i++) {
		const char *code = record_get(&rows[i], "step");
		const struct step_def *def = step_by_code(code);
		if (def && !step_hidden(code))
			continue; /* shown above */
		struct checklist_step s;
		step_fill(&s, def, code, record_get(&rows[i], "item"), &rows[i]);
		s.hidden = 1;
		if (checklist_step_has_data(&s))
			c->steps[c->nsteps++] = s;
		else
			free(s.code), free(s.item), free(s.status);
	}
}

static int thing_listed(const char *thing)
{
	return choice_find(&list_furniture, thing) != NULL;
}

/* The furniture list's offered things (a state when recorded), then every other recorded thing
 * (hidden list entries and things typed by staff), in the order of the rows. */
static void load_things(struct checklist *c, const struct record *rows, size_t nrows)
{
	const struct choice *offered[64];
	size_t noffered = choice_offered(&list_furniture, offered, ARRAY_SIZE(offered));
	if (noffered > ARRAY_SIZE(offered))
		noffered = ARRAY_SIZE(offered);
	c->things = xcalloc(noffered + nrows + 1, sizeof(*c->things));
	for (size_t i = 0; i < noffered; i++) {
		struct checklist_thing *t = &c->things[c->nthings++];
		t->thing = xstrdup(offered[i]->code);
		for (size_t r = 0; r < nrows; r++)
			if (str_eq(record_get(&rows[r], "thing"), offered[i]->code))
				t->state = xstrdup_or_null(record_get(&rows[r], "state"));
	}
	for (size_t r = 0; r < nrows; r++) {
		const char *thing = record_get(&rows[r], "thing");
		if (thing_listed(thing) && !choice_hidden(&list_furniture, thing))
			continue;
		struct checklist_thing *t = &c->things[c->nthings++];
		t->thing = xstrdup(thing ? thing : "");
		t->state = xstrdup_or_null(record_get(&rows[r], "state"));
	}
}

static void load_stay_fields(struct checklist *c, const struct record *stay)
{
	c->arrival = xstrdup_or_null(record_get(stay, "arrival"));
	c->departure = xstrdup_or_null(record_get(stay, "departure"));
	c->ready_at = xstrdup_or_null(record_get(stay, "ready_at"));
	c->move_in_date = xstrdup_or_null(record_get(stay, "move_in_date"));
	c->support_method = xstrdup_or_null(record_get(stay, "support_method"));
	c->support_granted_at = xstrdup_or_null(record_get(stay, "support_granted_at"));
	c->support_start = xstrdup_or_null(record_get(stay, "support_start"));
	strlcpy_trunc(c->resident_id, record_get(stay, "resident_id"), ID_LEN);
}

int checklist_load(struct db *db, const char *stay_id, struct checklist *out, char **err)
{
	memset(out, 0, sizeof(*out));
	struct record stay;
	int found = db_record_get(db, "stay", stay_id, &stay, err);
	if (found <= 0) {
		if (found == 0)
			*err = xstrdup(_("The resident has no stay."));
		return -1;
	}
	strlcpy_trunc(out->stay_id, stay_id, ID_LEN);
	load_stay_fields(out, &stay);
	record_free(&stay);
	struct record *steps = NULL, *things = NULL;
	size_t nsteps = 0, nthings = 0;
	if (db_records_where(db, "checklist_step", "stay_id", stay_id, "step", &steps, &nsteps,
			     err) != 0 ||
	    db_records_where(db, "furniture", "stay_id", stay_id, "created_at", &things, &nthings,
			     err) != 0) {
		records_free(steps, nsteps);
		checklist_free(out);
		return -1;
	}
	load_steps(out, steps, nsteps);
	load_things(out, things, nthings);
	records_free(steps, nsteps);
	records_free(things, nthings);
	return 0;
}

static void step_free(struct checklist_step *s)
{
	free(s->code);
	free(s->item);
	free(s->status);
	free(s->date);
	free(s->responsible);
	free(s->responsible_name);
	free(s->note);
}

void checklist_free(struct checklist *c)
{
	for (size_t i = 0; i < c->nsteps; i++)
		step_free(&c->steps[i]);
	for (size_t i = 0; i < c->nthings; i++) {
		free(c->things[i].thing);
		free(c->things[i].state);
	}
	free(c->steps);
	free(c->things);
	char **stay_fields[] = {&c->arrival,	    &c->departure,	&c->ready_at,
				&c->move_in_date,   &c->support_method, &c->support_granted_at,
				&c->support_start};
	for (size_t i = 0; i < ARRAY_SIZE(stay_fields); i++)
		free(*stay_fields[i]);
	memset(c, 0, sizeof(*c));
}

/* What is wrong with a value for a step field, or NULL. */
static const char *step_value_problem(const char *field, const char *value)
{
	size_t i = 0;
	while (i < ARRAY_SIZE(step_fields) && !str_eq(step_fields[i], field))
		i++;
	if (i == ARRAY_SIZE(step_fields))
		return N_("A step has no such field.");
	if (str_eq(field, "status"))
		return choice_find(&list_status, value) ? NULL : N_("Choose a status.");
	if (str_empty(value))
		return NULL;
	int y, m, d;
	if (str_eq(field, "date") && date_parse_iso(value, &y, &m, &d) != 0)
		return N_("Write a date as dd-mm-yyyy.");
	if (str_eq(field, "responsible") && !choice_find(&list_responsible, value))
		return N_("Choose who is responsible.");
	return NULL;
}

/* The step's row, made first when the stay has none (a step added to husly.conf after the
 * intake). Inside the caller's transaction. */
static int ensure_step_row(struct db *db, const char *stay_id, const char *step, char **err)
{
	char *id = xasprintf("%s/%s", stay_id, step);
	struct record r;
	int found = db_record_get(db, "checklist_step", id, &r, err), rc = found < 0 ? -1 : 0;
	if (found == 1)
		record_free(&r);
	const struct step_def *def = step_by_code(step);
	if (found == 0 && !def) {
		*err = xasprintf(_("The checklist has no step '%s'."), step);
		rc = -1;
	} else if (found == 0) {
		struct field_value fv[] = {{"stay_id", stay_id},
					   {"item", def->item},
					   {"step", step},
					   {"status", "todo"}};
		rc = db_record_insert(db, "checklist_step", id, fv, ARRAY_SIZE(fv), err);
	}
	free(id);
	return rc;
}

static int stay_exists(struct db *db, const char *stay_id, char **err)
{
	struct record r;
	int found = db_record_get(db, "stay", stay_id, &r, err);
	if (found == 1)
		record_free(&r);
	else if (found == 0)
		*err = xstrdup(_("The resident has no stay."));
	return found == 1 ? 0 : -1;
}

int checklist_write_step(struct db *db, const char *stay_id, const char *step,
			 const char *field, const char *value, char **err)
{
	const char *problem = step_value_problem(field, value);
	if (problem) {
		*err = xstrdup(_(problem));
		return -1;
	}
	int rc = stay_exists(db, stay_id, err);
	if (rc == 0)
		rc = ensure_step_row(db, stay_id, step, err);
	char *id = xasprintf("%s/%s", stay_id, step);
	if (rc == 0)
		rc = db_record_set(db, "checklist_step", id, field, str_empty(value) ? NULL : value,
				   err);
	free(id);
	return rc;
}

int checklist_set_step(struct db *db, const char *stay_id, const char *step, const char *field,
		       const char *value, char **err)
{
	const char *problem = step_value_problem(field, value);
	if (problem) { /* refused before the write lock is taken */
		*err = xstrdup(_(problem));
		return -1;
	}
	if (db_begin(db, err) != 0)
		return -1;
	if (checklist_write_step(db, stay_id, step, field, value, err) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

/* The thing as stored: a list code as it is, typed words trimmed, with control characters
 * refused (they would travel to paper and to other terminals). NULL with *err when unusable. */
static char *thing_key(const char *thing, char **err)
{
	if (thing && thing_listed(thing))
		return xstrdup(thing);
	const char *s = thing ? thing : "";
	while (*s == ' ')
		s++;
	size_t len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	size_t chars = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (text_is_unsafe(cp) || cp == REPLACEMENT_CHAR) {
			*err = xstrdup(_("A thing's name cannot hold control characters."));
			return NULL;
		}
		chars++;
	}
	if (chars == 0 || chars > THING_MAX_CHARS) {
		*err = xasprintf(_("Name the thing in 1 to %d characters."), THING_MAX_CHARS);
		return NULL;
	}
	return xstrndup(s, len);
}

static int write_thing(struct db *db, const char *stay_id, const char *thing, const char *state,
		       char **err)
{
	char *id = xasprintf("%s/%s", stay_id, thing);
	struct record r;
	int found = db_record_get(db, "furniture", id, &r, err), rc = found < 0 ? -1 : 0;
	if (found == 1) {
		record_free(&r);
		rc = db_record_set(db, "furniture", id, "state", state, err);
	} else if (found == 0) {
		struct field_value fv[] = {{"stay_id", stay_id}, {"thing", thing}, {"state", state}};
		rc = db_record_insert(db, "furniture", id, fv, ARRAY_SIZE(fv), err);
	}
	free(id);
	return rc;
}

int checklist_set_thing(struct db *db, const char *stay_id, const char *thing,
			const char *state, char **err)
{
	if (!choice_find(&list_furniture_states, state)) {
		*err = xstrdup(_("Choose needed, have, applied or granted."));
		return -1;
	}
	char *key = thing_key(thing, err);
	if (!key)
		return -1;
	int rc = db_begin(db, err);
	if (rc == 0)
		rc = stay_exists(db, stay_id, err);
	if (rc == 0)
		rc = write_thing(db, stay_id, key, state, err);
	free(key);
	if (rc != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

/* The stored value of table.column of the row id: a new string, or NULL when there is no row
 * (or the value is NULL). -1 with *err on a database error. */
static int stored_value(struct db *db, const char *sql, const char *id, char **out, char **err)
{
	*out = NULL;
	sqlite3_stmt *st = db_prepare(db, sql, err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = db_column_dup(st, 0);
	db_finish(db, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, "checklist");
}

/* Inside a write transaction: 1 when the stored value is no longer the one seen. */
static int changed_since_seen(struct db *db, const char *sql, const char *id, const char *absent,
			      const char *seen, char **err)
{
	char *now = NULL;
	if (stored_value(db, sql, id, &now, err) != 0)
		return -1;
	const char *stored = now ? now : absent;
	int changed = !(stored == seen || (stored && seen && str_eq(stored, seen)));
	free(now);
	return changed;
}

int checklist_move_step(struct db *db, const char *stay_id, const char *step, const char *seen,
			const char **next, char **err)
{
	*next = checklist_next_status(seen);
	if (db_begin(db, err) != 0)
		return -1;
	char *id = xasprintf("%s/%s", stay_id, step);
	int rc = changed_since_seen(db, "SELECT status FROM checklist_step WHERE id = ?", id,
				    "todo", seen ? seen : "todo", err);
	free(id);
	if (rc == 0)
		rc = checklist_write_step(db, stay_id, step, "status", *next, err);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

int checklist_move_thing(struct db *db, const char *stay_id, const char *thing,
			 const char *seen, const char **next, char **err)
{
	*next = checklist_next_thing_state(seen);
	char *key = thing_key(thing, err);
	if (!key)
		return -1;
	char *id = xasprintf("%s/%s", stay_id, key);
	int rc = db_begin(db, err);
	if (rc == 0)
		rc = stay_exists(db, stay_id, err);
	if (rc == 0)
		rc = changed_since_seen(db, "SELECT state FROM furniture WHERE id = ?", id, NULL,
					seen, err);
	if (rc == 0)
		rc = write_thing(db, stay_id, key, *next, err);
	free(id);
	free(key);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

static const char *next_in(const char *const *cycle, size_t n, const char *value)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(cycle[i], value))
			return cycle[(i + 1) % n];
	return cycle[0];
}

const char *checklist_next_status(const char *status)
{
	static const char *const cycle[] = {"todo", "doing", "done", "na"};
	return next_in(cycle, ARRAY_SIZE(cycle), status ? status : "todo");
}

const char *checklist_next_thing_state(const char *state)
{
	static const char *const cycle[] = {"needed", "applied", "granted", "have"};
	return next_in(cycle, ARRAY_SIZE(cycle), state ? state : "have");
}

const char *checklist_box(const char *status)
{
	if (str_eq(status, "done"))
		return "[x]";
	if (str_eq(status, "doing"))
		return "[~]";
	return str_eq(status, "na") ? "[-]" : "[ ]";
}

const char *checklist_step_label(const struct checklist_step *s)
{
	return s->def ? step_label(s->def) : s->code;
}

const char *checklist_thing_label(const struct checklist_thing *t)
{
	return thing_listed(t->thing) ? choice_label(&list_furniture, t->thing) : t->thing;
}
