/* The SQL of the intake: saving it, the duplicate search, and drafts. */
#include "db_internal.h"
#include "intake.h"

#include "clock.h"
#include "i18n.h"
#include "lists.h"
#include "record.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Intake keys that are fields of the resident, and of the stay. */
static const char *const resident_keys[] = {
	"name",		 "birth_date",	 "cpr",		     "gender",	      "home_kommune",
	"income",	 "debt_rki",	 "debt_total",	     "debt_counselling", "causes_other",
	"mental_health", "physical_health", "prison_history", "hospital_history", "network",
	"work",		 "consent",	 "consent_date",     "alert_safety",  "ban_until",
	"alert_medical", "alert_contact",
};
static const char *const stay_keys[] = {"arrival", "room", "acting_kommune", "paying_kommune",
					"previous_living"};

static int delete_draft(struct db *db, const char *form, char **err)
{
	sqlite3_stmt *st = db_prepare(db, "DELETE FROM draft WHERE login = ? AND form = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "draft");
	db_finish(db, st);
	return rc;
}

/* Whether the resident has an open stay, and the last departure ("" when none). */
static int stay_state(struct db *db, const char *resident_id, int *present,
		      char last_departure[LOCAL_MIN_LEN], char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT count(*) FILTER (WHERE departure IS NULL), "
				      "max(departure) FROM stay WHERE resident_id = ?",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, resident_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : db_fail(db, err, "stay");
	if (rc == 0) {
		*present = sqlite3_column_int(st, 0) > 0;
		const unsigned char *d = sqlite3_column_text(st, 1);
		strlcpy_trunc(last_departure, d ? (const char *)d : "", LOCAL_MIN_LEN);
	}
	db_finish(db, st);
	return rc;
}

/* Whether name folds to the resident's stored search key (the same name, spelled otherwise):
 * 1 or 0, -1 (with *err) when it could not be read. */
static int same_name(struct db *db, const char *id, const char *name, char **err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT name_key FROM resident WHERE id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	char *key = text_fold(name);
	int same = db_step_row(db, st, err);
	if (same == 1)
		same = str_eq((const char *)sqlite3_column_text(st, 0), key);
	free(key);
	db_finish(db, st);
	return same;
}

static int save_resident(struct db *db, const struct intake *in, const char *resident_id,
			 char id[ID_LEN], char **err)
{
	if (resident_id) {
		/* A returning resident: what was asked again replaces what was known. */
		strlcpy_trunc(id, resident_id, ID_LEN);
		for (size_t i = 0; i < ARRAY_SIZE(resident_keys); i++) {
			const char *v = intake_get(in, resident_keys[i]);
			int same = 0;
			if (str_eq(resident_keys[i], "name") && v)
				same = same_name(db, id, v, err);
			if (same < 0)
				return -1;
			if (same)
				continue; /* "Boegh" typed for "Bøgh": the stored spelling stays */
			if (v && db_record_set(db, "resident", id, resident_keys[i], v, err) != 0)
				return -1;
		}
		return 0;
	}
	id_new(id);
	struct field_value fv[ARRAY_SIZE(resident_keys)];
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(resident_keys); i++)
		if (intake_get(in, resident_keys[i]))
			fv[n++] = (struct field_value){resident_keys[i],
						       intake_get(in, resident_keys[i])};
	return db_record_insert(db, "resident", id, fv, n, err);
}

static int save_stay(struct db *db, const struct intake *in, const char *resident_id,
		     char stay_id[ID_LEN], char **err)
{
	struct field_value fv[ARRAY_SIZE(stay_keys) + 1];
	size_t n = 0;
	fv[n++] = (struct field_value){"resident_id", resident_id};
	const char *home = intake_get(in, "home_kommune");
	const char *acting = intake_get(in, "acting_kommune");
	for (size_t i = 0; i < ARRAY_SIZE(stay_keys); i++) {
		const char *v = intake_get(in, stay_keys[i]);
		/* The acting and paying municipality are the home one unless said otherwise. */
		if (!v && str_eq(stay_keys[i], "acting_kommune"))
			v = home;
		if (!v && str_eq(stay_keys[i], "paying_kommune"))
			v = acting ? acting : home;
		if (v)
			fv[n++] = (struct field_value){stay_keys[i], v};
	}
	id_new(stay_id);
	return db_record_insert(db, "stay", stay_id, fv, n, err);
}

/* One answer: inserted, or changed when the resident answered before. */
static int save_answer(struct db *db, const char *resident_id, const char *list,
		       const char *code, const char *value, const char *treatment, char **err)
{
	char *id = xasprintf("%s/%s/%s", resident_id, list, code);
	struct record old;
	int found = db_record_get(db, "answer", id, &old, err);
	int rc = found < 0 ? -1 : 0;
	if (found == 1) {
		rc = db_record_set(db, "answer", id, "value", value, err);
		if (rc == 0 && treatment)
			rc = db_record_set(db, "answer", id, "treatment", treatment, err);
		record_free(&old);
	} else if (found == 0) {
		struct field_value fv[] = {{"resident_id", resident_id}, {"list", list},
					   {"code", code},		 {"value", value},
					   {"treatment", treatment ? treatment : "0"}};
		rc = db_record_insert(db, "answer", id, fv, ARRAY_SIZE(fv), err);
	}
	free(id);
	return rc;
}

int answer_set(struct db *db, const char *resident_id, const char *list, const char *code,
	       const char *value, const char *treatment, char **err)
{
	if (db_begin(db, err) != 0)
		return -1;
	if (save_answer(db, resident_id, list, code, value, treatment, err) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

static int save_answers(struct db *db, const struct intake *in, const char *resident_id,
			char **err)
{
	for (size_t i = 0; i < in->n; i++) {
		const char *key = in->values[i].key;
		const char *slash = strchr(key, '/');
		if (!slash || strncmp(key, "treatment/", 10) == 0 ||
		    strncmp(key, INTAKE_TYPED, strlen(INTAKE_TYPED)) == 0)
			continue;
		char *list = xstrndup(key, (size_t)(slash - key));
		char *treat_key = xasprintf("treatment/%s", slash + 1);
		int rc = save_answer(db, resident_id, list, slash + 1, in->values[i].value,
				     str_eq(list, "misuse") ? intake_get(in, treat_key) : NULL, err);
		free(list);
		free(treat_key);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Every step of the checklist, not started, so progress counts from the first day. */
static int save_checklist(struct db *db, const char *stay_id, char **err)
{
	for (size_t i = 0; i < checklist_step_count(); i++) { /* the steps offered now */
		const struct step_def *s = checklist_step_at(i);
		char *id = xasprintf("%s/%s", stay_id, s->code);
		struct field_value fv[] = {{"stay_id", stay_id}, {"item", s->item},
					   {"step", s->code},	  {"status", "todo"}};
		int rc = db_record_insert(db, "checklist_step", id, fv, ARRAY_SIZE(fv), err);
		free(id);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int check_returning(struct db *db, const struct intake *in, const char *resident_id,
			   char **err)
{
	int present;
	char last[LOCAL_MIN_LEN];
	if (stay_state(db, resident_id, &present, last, err) != 0)
		return -1;
	if (present) {
		*err = xstrdup(_("This resident is already staying here."));
		return -1;
	}
	if (last[0] && strcmp(intake_get(in, "arrival"), last) < 0) {
		*err = xstrdup(_("The arrival is before the resident's last departure."));
		return -1;
	}
	return 0;
}

int intake_save(struct db *db, const struct intake *in, const char *resident_id,
		char id_out[ID_LEN], char **err)
{
	char today[DATE_LEN], now[LOCAL_MIN_LEN], stay_id[ID_LEN];
	time_to_local_date(clock_now(), today);
	time_to_local_minute(clock_now(), now);
	const char *key;
	const char *problem = intake_check(in, today, now, &key);
	if (problem) {
		*err = xasprintf("%s: %s", key, _(problem));
		return -1;
	}
	if (db_begin(db, err) != 0)
		return -1;
	int rc = resident_id ? check_returning(db, in, resident_id, err) : 0;
	if (rc == 0)
		rc = save_resident(db, in, resident_id, id_out, err);
	if (rc == 0)
		rc = save_stay(db, in, id_out, stay_id, err);
	if (rc == 0)
		rc = save_answers(db, in, id_out, err);
	if (rc == 0)
		rc = save_checklist(db, stay_id, err);
	if (rc == 0)
		rc = delete_draft(db, "intake", err); /* the draft goes with the save, or stays */
	if (rc != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

/* --- drafts ------------------------------------------------------------------------------ */

/* The intake as a JSON object, built by SQLite's JSON functions (no hand-made escaping). */
static char *intake_json(struct db *db, const struct intake *in, char **err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT json_set(?1, '$.\"' || ?2 || '\"', ?3)", err);
	if (!st)
		return NULL;
	char *json = xstrdup("{}");
	for (size_t i = 0; i < in->n && json; i++) {
		sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, in->values[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, in->values[i].value, -1, SQLITE_STATIC);
		char *next = sqlite3_step(st) == SQLITE_ROW ? db_column_dup(st, 0) : NULL;
		if (!next)
			db_fail(db, err, "draft");
		sqlite3_reset(st);
		free(json);
		json = next;
	}
	db_finish(db, st);
	return json;
}

int draft_save(struct db *db, const char *form, const struct intake *in, char **err)
{
	char at[ISO_TIME_LEN];
	time_to_iso_utc(clock_now(), at);
	char *json = intake_json(db, in, err);
	if (!json || db_begin(db, err) != 0) {
		free(json);
		return -1;
	}
	sqlite3_stmt *st = db_prepare(db,
				      "INSERT OR REPLACE INTO draft (login, form, data, updated_at) "
				      "VALUES (?, ?, ?, ?)",
				      err);
	int rc = -1;
	if (st) {
		sqlite3_bind_text(st, 1, db->actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, form, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "draft");
		db_finish(db, st);
	}
	free(json);
	if (rc != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

int draft_load(struct db *db, const char *form, struct intake *in, char **err)
{
	intake_free(in);
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT j.key, j.value FROM draft d, json_each(d.data) j "
				      "WHERE d.login = ? AND d.form = ? ORDER BY j.id",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form, -1, SQLITE_STATIC);
	int rc, found = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		intake_set(in, (const char *)sqlite3_column_text(st, 0),
			   (const char *)sqlite3_column_text(st, 1));
		found = 1;
	}
	db_finish(db, st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "draft");
	return found;
}

int draft_delete(struct db *db, const char *form, char **err)
{
	if (db_begin(db, err) != 0)
		return -1;
	if (delete_draft(db, form, err) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

/* --- who may this be? -------------------------------------------------------------------- */

static int match_cmp(const void *a, const void *b)
{
	const struct intake_match *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return strcmp(x->id, y->id);
}

/* How alike: 3 the same folded name and birth date, 2 a close name and the same birth date or
 * the same name, 1 a close name (one or two letters off) or the same birth date with a
 * shared first or last name; 0 not alike. */
static int match_score(const char *key, const char *cand_key, const char *birth,
		       const char *cand_birth)
{
	int same_birth = birth && cand_birth && str_eq(birth, cand_birth);
	int d = name_distance(key, cand_key);
	int close = d <= (strlen(key) > 8 ? 2 : 1);
	if (d == 0)
		return same_birth ? 3 : 2;
	if (close)
		return same_birth ? 2 : 1;
	if (same_birth) {
		const char *space = strchr(key, ' ');
		const char *last = strrchr(key, ' ');
		size_t first_len = space ? (size_t)(space - key) : strlen(key);
		if (strncmp(cand_key, key, first_len) == 0 ||
		    (last && strstr(cand_key, last + 1)))
			return 1;
	}
	return 0;
}

int intake_find_matches(struct db *db, const char *name, const char *birth_date,
			const char *cpr, struct intake_match **out, size_t *n, size_t max,
			char **err)
{
	*out = NULL;
	*n = 0;
	char *key = text_fold(name ? name : "");
	/* Every resident is a candidate: the comparison is done here, with an edit distance that
	 * SQL does not have. A few milliseconds even for a large city's records. */
	sqlite3_stmt *st = db_prepare(
	    db,
	    "SELECT r.id, r.name, r.name_key, r.birth_date, r.cpr, "
	    "EXISTS (SELECT 1 FROM stay s WHERE s.resident_id = r.id AND s.departure IS NULL) "
	    "FROM resident r WHERE r.erased_at IS NULL",
	    err);
	if (!st) {
		free(key);
		return -1;
	}
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cand_key = (const char *)sqlite3_column_text(st, 2);
		const char *cand_birth = (const char *)sqlite3_column_text(st, 3);
		const char *cand_cpr = (const char *)sqlite3_column_text(st, 4);
		int score = cpr && str_eq(cpr, cand_cpr) /* one number, one person */
				? 4
				: match_score(key, cand_key ? cand_key : "", birth_date, cand_birth);
		if (!score)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		struct intake_match *m = &(*out)[(*n)++];
		strlcpy_trunc(m->id, (const char *)sqlite3_column_text(st, 0), ID_LEN);
		m->name = db_column_dup(st, 1);
		m->birth_date = db_column_dup(st, 3);
		m->present = sqlite3_column_int(st, 5);
		m->score = score;
	}
	db_finish(db, st);
	free(key);
	if (rc != SQLITE_DONE) {
		intake_matches_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, err, "resident");
	}
	if (*n)
		qsort(*out, *n, sizeof(**out), match_cmp);
	for (size_t i = max; i < *n; i++) {
		free((*out)[i].name);
		free((*out)[i].birth_date);
	}
	if (*n > max)
		*n = max;
	return 0;
}

void intake_matches_free(struct intake_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].birth_date);
	}
	free(m);
}
