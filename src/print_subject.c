/* The subject access: everything stored about one resident, read from the database into a
 * document of sections (print_doc.h) in the words staff use, and written like any print-out. */
#include "print_subject.h"

#include "audit.h"
#include "checklist.h"
#include "clock.h"
#include "db_list.h"
#include "fieldtext.h"
#include "i18n.h"
#include "lists.h"
#include "note.h"
#include "record.h"
#include "sync.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* --- words ----------------------------------------------------------------------------------- */

/* A stored UTC time as "dd-mm-yyyy hh:mm" local; the stored text when malformed, "-" for NULL. */
static char *utc_words(const char *utc)
{
	char local[LOCAL_MIN_LEN], d[DATE_LEN];
	if (!utc)
		return xstrdup("-");
	iso_utc_to_local_minute(utc, local);
	if (!local[0])
		return xstrdup(utc);
	date_iso_to_dk(local, d);
	return xasprintf("%s %s", d, local + 11);
}

/* "25-11-2026 02:14 · mette", and " · what" when what is not NULL. */
static char *entry_line(const char *utc, const char *login, const char *what)
{
	char *when = utc_words(utc);
	char *line = what ? xasprintf("%s · %s · %s", when, login ? login : "?", what)
			  : xasprintf("%s · %s", when, login ? login : "?");
	free(when);
	return line;
}

/* Fields that are not the person's data but the record's own: shown once as "Registered" and
 * "Last changed", or not at all (the search key, the ids that tie records together). */
static int field_is_bookkeeping(const char *field)
{
	static const char *const fields[] = {"id",	   "name_key",	 "created_at",
					     "created_by", "updated_at", "updated_by",
					     "erased_at",  "erased_by"};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (str_eq(fields[i], field))
			return 1;
	return field_structural(field);
}

/* Every field of a record in the order of its table, labelled and in words, then when it was
 * registered and last changed, and by whom. */
static void add_record_fields(struct doc *d, const struct record *r)
{
	for (size_t i = 0; i < r->n; i++) {
		if (field_is_bookkeeping(r->names[i]))
			continue;
		char *value = field_value_text(r->names[i], r->values[i], CPR_WHOLE);
		doc_field(d, field_label(r->names[i]), value);
		free(value);
	}
	char *created = entry_line(record_get(r, "created_at"), record_get(r, "created_by"), NULL);
	char *updated = entry_line(record_get(r, "updated_at"), record_get(r, "updated_by"), NULL);
	doc_field(d, _("Registered"), created);
	doc_field(d, _("Last changed"), updated);
	free(created);
	free(updated);
}

/* --- the person and their answers ------------------------------------------------------------ */

static void add_person(struct doc *d, const struct record *person)
{
	doc_section(d, _("Person"));
	doc_field(d, _("Id"), record_get(person, "id"));
	add_record_fields(d, person);
}

static const struct {
	const char *list; /* answer.list */
	const struct choice_list *choices;
	const char *heading;
} answer_lists[] = {
	{"cause", &list_causes, N_("Causes")},
	{"misuse", &list_substances, N_("Substance misuse")},
	{"debt", &list_debts, N_("Debt")},
};

/* "yes", "current, in treatment", and the answer's note when it has one. */
static char *answer_words(const struct record *a)
{
	char *value = field_value_text("value", record_get(a, "value"), CPR_WHOLE);
	const char *treatment = str_eq(record_get(a, "treatment"), "1") ? _(", in treatment") : "";
	const char *note = record_get(a, "note");
	char *words = note ? xasprintf("%s%s · %s", value, treatment, note)
			   : xasprintf("%s%s", value, treatment);
	free(value);
	return words;
}

static int add_answers(struct db *db, struct doc *d, const char *id, char **err)
{
	struct record *ans;
	size_t n;
	if (db_records_where(db, "answer", "resident_id", id, "code", &ans, &n, err) != 0)
		return -1;
	doc_section(d, _("Intake answers"));
	for (size_t l = 0; l < ARRAY_SIZE(answer_lists); l++) {
		doc_subsection(d, _(answer_lists[l].heading));
		int shown = 0;
		for (size_t i = 0; i < n; i++) {
			if (!str_eq(record_get(&ans[i], "list"), answer_lists[l].list))
				continue;
			char *words = answer_words(&ans[i]);
			doc_field(d, choice_label(answer_lists[l].choices, record_get(&ans[i], "code")),
				  words);
			free(words);
			shown++;
		}
		if (!shown)
			doc_text(d, _("Nothing recorded."));
	}
	records_free(ans, n);
	return 0;
}

/* --- stays and their checklists -------------------------------------------------------------- */

static char *stay_heading(const struct record *st, size_t number)
{
	char *arrival = field_value_text("arrival", record_get(st, "arrival"), CPR_WHOLE);
	const char *dep = record_get(st, "departure");
	char *departure = dep ? field_value_text("departure", dep, CPR_WHOLE) : xstrdup(_("now"));
	char *heading = xasprintf(_("Stay %zu: %s to %s"), number, arrival, departure);
	free(arrival);
	free(departure);
	return heading;
}

/* "done · 02-11-2026 · Kommunen (Jobcenter Horsens) · venter på svar": what is recorded. */
static char *step_words(const struct checklist_step *st)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, choice_label(&list_status, st->status));
	if (st->date) {
		char d[DATE_LEN];
		date_iso_to_dk(st->date, d);
		sb_addf(&sb, " · %s", d[0] ? d : st->date);
	}
	if (st->responsible || st->responsible_name) {
		const char *who = st->responsible ? choice_label(&list_responsible, st->responsible)
						  : "";
		const char *name = st->responsible_name;
		sb_addf(&sb, " · %s%s%s%s", who, name && who[0] ? " (" : "", name ? name : "",
			name && who[0] ? ")" : "");
	}
	if (st->note)
		sb_addf(&sb, " · %s", st->note);
	if (st->hidden)
		sb_addf(&sb, " (%s)", _("no longer used"));
	return sb.buf;
}

static void add_steps_of(struct doc *d, const struct checklist *c, const char *item)
{
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct checklist_step *st = &c->steps[i];
		int known = choice_find(&list_items, st->item) != NULL;
		if (item ? !str_eq(st->item, item) : known)
			continue;
		char *words = step_words(st);
		doc_field(d, checklist_step_label(st), words);
		free(words);
	}
}

static void add_things(struct doc *d, const struct checklist *c)
{
	for (size_t i = 0; i < c->nthings; i++)
		if (c->things[i].state) /* the list's things nobody recorded are not data */
			doc_field(d, checklist_thing_label(&c->things[i]),
				  choice_label(&list_furniture_states, c->things[i].state));
}

static int add_checklist(struct db *db, struct doc *d, const char *stay_id, size_t number,
			 char **err)
{
	struct checklist c;
	if (checklist_load(db, stay_id, &c, err) != 0)
		return -1;
	char *heading = xasprintf(_("Move-out checklist of stay %zu"), number);
	doc_section(d, heading);
	free(heading);
	char *progress = xasprintf(_("%d of %d steps done"), c.done, c.relevant);
	doc_text(d, progress);
	free(progress);
	for (size_t i = 0; i < list_items.n; i++) {
		const char *item = list_items.items[i].code;
		doc_subsection(d, choice_label(&list_items, item));
		add_steps_of(d, &c, item);
		if (str_eq(item, "furniture"))
			add_things(d, &c);
	}
	add_steps_of(d, &c, NULL); /* steps of an item this version does not know */
	checklist_free(&c);
	return 0;
}

static int add_stays(struct db *db, struct doc *d, const char *id, char **err)
{
	struct record *stays;
	size_t n;
	if (db_records_where(db, "stay", "resident_id", id, "arrival", &stays, &n, err) != 0)
		return -1;
	doc_section(d, _("Stays"));
	if (!n)
		doc_text(d, _("No stays recorded."));
	for (size_t i = 0; i < n; i++) {
		char *heading = stay_heading(&stays[i], i + 1);
		doc_subsection(d, heading);
		free(heading);
		add_record_fields(d, &stays[i]);
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_checklist(db, d, record_get(&stays[i], "id"), i + 1, err);
	records_free(stays, n);
	return rc;
}

/* --- notes, changes, conflicts, audit -------------------------------------------------------- */

static int add_notes(struct db *db, struct doc *d, const char *id, char **err)
{
	struct shift_entry *notes;
	size_t n;
	if (db_resident_notes(db, id, &notes, &n, err) != 0)
		return -1;
	doc_section(d, _("Notes"));
	if (!n)
		doc_text(d, _("No notes yet."));
	for (size_t i = n; i-- > 0;) { /* oldest first: they come newest first */
		const struct shift_entry *e = &notes[i];
		char *line = entry_line(e->created_at, e->created_by,
					str_eq(e->kind, "shift") ? _("Shift log") : NULL);
		doc_entry(d, line, e->body);
		free(line);
	}
	shift_entries_free(notes, n);
	return 0;
}

static int add_history(struct db *db, struct doc *d, const char *id, char **err)
{
	struct history_entry *h;
	size_t n;
	if (db_resident_history(db, id, &h, &n, err) != 0)
		return -1;
	doc_section(d, _("History"));
	size_t shown = 0;
	for (size_t i = n; i-- > 0;) { /* oldest first */
		if (field_structural(h[i].field))
			continue;
		/* One line each: "25-11-2026 02:14 · mette · Room: 12A → 14B". */
		char *subject = field_change_subject(h[i].tbl, h[i].row_id, h[i].field);
		char *old = field_value_text(h[i].field, h[i].old_value, CPR_WHOLE);
		char *new = field_value_text(h[i].field, h[i].new_value, CPR_WHOLE);
		char *change = xasprintf("%s: %s → %s", subject, old, new);
		char *line = entry_line(h[i].at, h[i].login, change);
		doc_entry(d, line, NULL);
		free(line);
		free(change);
		free(new);
		free(old);
		free(subject);
		shown++;
	}
	if (!shown)
		doc_text(d, _("No changes recorded."));
	history_free(h, n);
	return 0;
}

/* "Kept: 12A (mette, 24-11-2026 19:12)". */
static char *conflict_value(const char *label, const char *field, const char *value,
			    const char *login, const char *at)
{
	char *shown = field_value_text(field, value, CPR_WHOLE);
	char *when = utc_words(at);
	char *words = xasprintf("%s %s (%s, %s)", label, shown, login ? login : "?", when);
	free(when);
	free(shown);
	return words;
}

static void add_conflict(struct doc *d, const struct conflict_info *c)
{
	char *subject = field_change_subject(c->tbl, c->row_id, c->field);
	char *lost = conflict_value(_("Lost:"), c->field, c->value, c->login, c->at);
	char *kept = conflict_value(_("Kept:"), c->field, c->winner_value, c->winner_login,
				    c->winner_at);
	char *state;
	if (c->resolved_at) {
		char *when = utc_words(c->resolved_at);
		state = xasprintf(_("Resolved %s by %s."), when, c->resolved_by ? c->resolved_by : "?");
		free(when);
	} else {
		state = xstrdup(_("Open: a coordinator has not looked at it yet."));
	}
	char *text = xasprintf("%s\n%s\n%s", lost, kept, state);
	doc_entry(d, subject, text);
	free(text);
	free(state);
	free(kept);
	free(lost);
	free(subject);
}

static int add_conflicts(struct db *db, struct doc *d, const char *id, char **err)
{
	struct conflict_info *c;
	size_t n;
	if (db_conflicts(db, id, 1, &c, &n, err) != 0)
		return -1;
	doc_section(d, _("Values kept aside by synchronisation"));
	if (!n)
		doc_text(d, _("None."));
	for (size_t i = n; i-- > 0;) /* oldest first */
		add_conflict(d, &c[i]);
	conflicts_free(c, n);
	return 0;
}

/* What an audit entry about one resident says was done, in words. */
static const struct {
	const char *action;
	const char *words;
} audit_words[] = {
	{AUDIT_OPEN, N_("opened the record")},
	{AUDIT_CREATE, N_("registered the record")},
	{AUDIT_CHANGE, N_("changed the record")},
	{AUDIT_PRINT, N_("printed the move-out checklist")},
	{AUDIT_SUBJECT_ACCESS, N_("printed this overview of everything stored (subject access)")},
	{AUDIT_ERASE, N_("erased the record")},
	{AUDIT_RETENTION, N_("erased the record: the retention time had run out")},
};

static void add_audit_entry(const struct audit_entry *e, void *arg)
{
	struct doc *d = arg;
	const char *words = e->action;
	for (size_t i = 0; i < ARRAY_SIZE(audit_words); i++)
		if (str_eq(e->action, audit_words[i].action))
			words = _(audit_words[i].words);
	/* "25-11-2026 02:14 · mette · reception · printed the move-out checklist (pdf)" */
	char *what = e->detail ? xasprintf("%s · %s (%s)", e->terminal, words, e->detail)
			       : xasprintf("%s · %s", e->terminal, words);
	char *line = entry_line(e->at, e->login, what);
	doc_entry(d, line, NULL);
	free(line);
	free(what);
}

static int add_audit(struct db *db, struct doc *d, const char *id, char **err)
{
	doc_section(d, _("Who opened or printed the record"));
	long n = db_audit_list(db, id, NULL, add_audit_entry, d, err);
	if (n == 0)
		doc_text(d, _("None."));
	return n < 0 ? -1 : 0;
}

/* --- the document ---------------------------------------------------------------------------- */

static char *printed_words(const struct print_context *ctx)
{
	char now[LOCAL_MIN_LEN], d[DATE_LEN];
	time_to_local_minute(clock_now(), now);
	date_iso_to_dk(now, d);
	return xasprintf(_("Printed %s %s by %s"), d, now + 11,
			 ctx->printed_by ? ctx->printed_by : "?");
}

int subject_access_doc(struct db *db, const char *id, const struct print_context *ctx,
		       struct doc *out, char **err)
{
	struct record person;
	int found = db_record_get(db, "resident", id, &person, err);
	if (found == 1 && record_get(&person, "erased_at")) {
		record_free(&person);
		found = 0;
	}
	if (found == 0)
		*err = xasprintf(_("No resident has the id %s."), id);
	if (found != 1)
		return -1;
	char *printed = printed_words(ctx);
	doc_init(out, _("Subject access (GDPR)"), ctx->shelter,
		 record_get(&person, "name"), printed);
	free(printed);
	doc_text(out, _("What husly holds about this person, for their right of access under the "
			"GDPR (article 15): their record, every stay, the answers given on arrival, "
			"the move-out checklists, the notes about them, every change with who made "
			"it and when, values kept aside by synchronisation, and who opened or "
			"printed their record."));
	add_person(out, &person);
	record_free(&person);
	int rc = add_answers(db, out, id, err);
	if (rc == 0)
		rc = add_stays(db, out, id, err);
	if (rc == 0)
		rc = add_notes(db, out, id, err);
	if (rc == 0)
		rc = add_history(db, out, id, err);
	if (rc == 0)
		rc = add_conflicts(db, out, id, err);
	if (rc == 0)
		rc = add_audit(db, out, id, err);
	if (rc != 0)
		doc_free(out);
	return rc;
}

long print_subject_access(struct db *db, const char *id, enum print_format format,
			  const struct print_context *ctx, FILE *out, const char *where,
			  char **err)
{
	/* Who printed whose data, and where to, before the data leaves. */
	if (db_audit(db, AUDIT_SUBJECT_ACCESS, id, where, err) != 0)
		return -1;
	struct doc d;
	if (subject_access_doc(db, id, ctx, &d, err) != 0)
		return -1;
	long pages = doc_write(&d, format, out, err);
	doc_free(&d);
	return pages;
}
