/* One resident: alerts on top, then sections (overview, intake, stays, checklist, notes,
 * history), one key each. Every value is shown through the lists, so a code whose label was
 * renamed or hidden still shows. Notes are written here: `a` opens a line at the bottom of the
 * notes, Enter saves, Esc cancels (twice when something was written: nothing typed is lost by
 * one wrong key). */
#include "screens.h"

#include "app.h"
#include "audit.h"
#include "checklist.h"
#include "fieldtext.h"
#include "i18n.h"
#include "kommune.h"
#include "lists.h"
#include "note.h"
#include "record.h"
#include "sync.h"
#include "ui_input.h"
#include "util.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum section { SEC_OVERVIEW, SEC_INTAKE, SEC_STAYS, SEC_CHECKLIST, SEC_NOTES, SEC_HISTORY,
	       SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {
	N_("Overview"), N_("Intake"), N_("Stays"), N_("Checklist"), N_("Notes"), N_("History"),
};

enum { A_SEC1 = 1, A_NEXT = A_SEC1 + SEC_COUNT, A_PREV, A_UP, A_DOWN, A_PGUP, A_PGDN, A_ADD,
       A_SAVE, A_CANCEL, A_DEPART, A_EDIT, A_CHECKLIST, A_OPEN, A_PRINT, A_CONFLICTS, A_AUDIT };

static const struct ui_action resident_actions[] = {
	{A_SEC1, '1', 0, N_("1-6"), N_("section"), N_("Show a section: 1 overview, 2 intake, 3 stays, 4 checklist, 5 notes, 6 history.")},
	{A_SEC1 + 1, '2', 0, N_("2"), NULL, N_("Intake: everything asked on arrival.")},
	{A_SEC1 + 2, '3', 0, N_("3"), NULL, N_("Stays: arrivals, departures, municipalities.")},
	{A_SEC1 + 3, '4', 0, N_("4"), NULL, N_("The move-out checklist of the current stay.")},
	{A_SEC1 + 4, '5', 0, N_("5"), NULL, N_("Notes about the resident.")},
	{A_SEC1 + 5, '6', 0, N_("6"), NULL, N_("History: every change, who made it and when.")},
	{A_NEXT, '\t', 0, N_("Tab"), N_("next"), N_("Next section.")},
	{A_PREV, 0, KEY_BTAB, N_("Shift-Tab"), NULL, N_("Previous section.")},
	{A_ADD, 'a', 0, N_("a"), N_("new note"), N_("Write a note about the resident (the night-duty log), signed with your login and the time.")},
	{A_EDIT, 'e', 0, N_("e"), N_("change"), N_("Change the resident's fields and the stay's (notification, assessment, plan, ready, support), each with its history.")},
	{A_DEPART, 'u', 0, N_("u"), N_("departure"), N_("The resident leaves: when, where to, and a note; ends the stay.")},
	{A_CHECKLIST, 't', 0, N_("t"), NULL, N_("Work on the move-out checklist: tick steps, dates, who is responsible, furniture.")},
	{A_OPEN, 0, KEY_ENTER, N_("Enter"), NULL, N_("In the checklist section: work on the checklist, as t.")},
	{A_PRINT, 'p', 0, N_("p"), NULL, N_("Print the resident's move-out checklist with the configured print command.")},
	/* k is the conflicts' here ("konflikter", as the alert says), not Up as elsewhere. */
	{A_CONFLICTS, 'k', 0, N_("k"), NULL, N_("The conflicts synchronisation kept about this resident: values that lost when two terminals changed the same field. A coordinator can restore them.")},
	/* Coordinators only: left out of the table for everyone else. A, since a writes a note. */
	{A_AUDIT, 'A', 0, N_("A"), NULL, N_("The audit log of this resident: who opened, changed or printed their record, when and where.")},
	{A_UP, 0, KEY_UP, N_("Up"), NULL, N_("Scroll up.")},
	{A_DOWN, 'j', KEY_DOWN, N_("Down/j"), NULL, N_("Scroll down.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, ' ', KEY_NPAGE, N_("PgDn/Space"), NULL, N_("One page down.")},
	{0, 27, 0, N_("Esc"), N_("back"), N_("Back to the list.")},
};

/* While a note is being written: these, then the field's editing keys (ui_input_actions). */
static const struct ui_action note_actions[] = {
	{A_SAVE, 0, KEY_ENTER, N_("Enter"), N_("save"), N_("Save the note; it shows at once, signed with your login and the time.")},
	{A_SAVE, 0, KEY_F(2), N_("F2"), NULL, N_("The same as Enter.")},
	{A_CANCEL, 27, 0, N_("Esc"), N_("cancel"), N_("Stop writing. When something was written, press Esc once more to discard it.")},
	{A_UP, 0, KEY_UP, N_("Up"), NULL, N_("Scroll the notes up.")},
	{A_DOWN, 0, KEY_DOWN, N_("Down"), NULL, N_("Scroll the notes down.")},
	{A_PGUP, 0, KEY_PPAGE, N_("PgUp"), NULL, N_("One page up.")},
	{A_PGDN, 0, KEY_NPAGE, N_("PgDn"), NULL, N_("One page down.")},
};
#define NOTE_CANCEL 2 /* the index of Esc in note_actions, whose word changes to "discard" */
#define NOTE_ACTIONS_MAX (ARRAY_SIZE(note_actions) + 16)

/* A read-only login writes no notes and changes nothing; only a coordinator reviews sync
 * conflicts and reads the audit log. */
static const struct action_rule resident_rules[] = {
	{A_ADD, ACTION_WRITES},
	{A_EDIT, ACTION_WRITES},
	{A_DEPART, ACTION_WRITES},
	{A_CONFLICTS, ACTION_COORDINATOR},
	{A_AUDIT, ACTION_COORDINATOR},
};

struct resident_state {
	struct app *app;
	struct ui_action actions[ARRAY_SIZE(resident_actions)]; /* those the user's role may do */
	size_t nactions;
	char id[ID_LEN];
	struct record person;
	struct record *stays; /* oldest first */
	size_t nstays;
	enum section section;
	struct page page;
	int width, height; /* of the page, from the last draw */
	int writing;       /* a note is being written in input */
	int discard_armed; /* Esc was pressed over a written note: the next Esc discards it */
	struct ui_input input;
	struct ui_action writing_actions[NOTE_ACTIONS_MAX];
	size_t nwriting_actions;
};

static const struct record *current_stay(const struct resident_state *s)
{
	return s->nstays ? &s->stays[s->nstays - 1] : NULL;
}

static const char *kommune_text(const char *code, char *buf, size_t n)
{
	const struct kommune *k = kommune_by_code(code);
	if (!code)
		snprintf(buf, n, "%s", "");
	else if (!k)
		snprintf(buf, n, "%s", code);
	else if (k->population)
		snprintf(buf, n, "%s (%s)", _(k->name), k->code);
	else
		snprintf(buf, n, "%s", _(k->name));
	return buf;
}

static const char *dk_date(const char *iso, char out[DATE_LEN])
{
	date_iso_to_dk(iso, out);
	return out;
}

/* A list row of the current stay, so the warnings here are the ones the list shows. c is the
 * stay's checklist, NULL when it could not be read (then no housing warning rather than a
 * false one). */
static void fill_row(const struct resident_state *s, const struct checklist *c,
		     struct list_row *r)
{
	memset(r, 0, sizeof(*r));
	const struct record *st = current_stay(s);
	r->ban_until = (char *)record_get(&s->person, "ban_until");
	r->alert_safety = (char *)record_get(&s->person, "alert_safety");
	r->alert_medical = (char *)record_get(&s->person, "alert_medical");
	if (!st)
		return;
	r->arrival = (char *)record_get(st, "arrival");
	r->departure = (char *)record_get(st, "departure");
	r->notified_at = (char *)record_get(st, "notified_at");
	r->assessed_at = (char *)record_get(st, "assessed_at");
	r->ready_at = (char *)record_get(st, "ready_at");
	r->move_in_date = (char *)record_get(st, "move_in_date");
	r->support_granted_at = (char *)record_get(st, "support_granted_at");
	r->housing_registered = c ? checklist_housing_registered(c) : 1;
}

#define FIELD_COLUMN 25 /* where values start, after "Label:" */

/* "Label:   value", a long value wrapped under itself (under the label when that is too wide). */
static void add_field(struct resident_state *s, const char *label, const char *value)
{
	char *tag = xasprintf("%s:", label);
	const char *shown = str_empty(value) ? "-" : value;
	int pad = FIELD_COLUMN - 1 - ui_width(tag);
	if (pad < 0) {
		char *line = xasprintf("%s %s", tag, shown);
		page_add_wrapped(&s->page, STYLE_NORMAL, 1, s->width, line);
		free(line);
	} else {
		size_t first = s->page.n;
		page_add_wrapped(&s->page, STYLE_NORMAL, 1 + FIELD_COLUMN, s->width, shown);
		struct page_line *l = &s->page.lines[first];
		char *text = xasprintf("%s%*s %s", tag, pad, "", l->text);
		free(l->text);
		l->text = text;
		l->indent = 1;
	}
	free(tag);
}

/* "CTI, granted 01-11-2026, starts 01-12-2026", leaving out what is not known yet. */
static void add_support(struct resident_state *s, const struct record *st)
{
	char *text = support_text(record_get(st, "support_method"),
				  record_get(st, "support_granted_at"), record_get(st, "support_start"));
	add_field(s, _("Support"), text);
	free(text);
}

/* "Checklist: 7/17 done", counted as the checklist screen counts it. */
static void add_progress(struct resident_state *s, int have, const struct checklist *c,
			 const char *err)
{
	char buf[64];
	if (have == 1)
		snprintf(buf, sizeof(buf), _("%d/%d done"), c->done, c->relevant);
	add_field(s, _("Checklist"), have == 1 ? buf : have < 0 ? err : NULL);
}

static void build_overview(struct resident_state *s)
{
	const struct record *st = current_stay(s);
	char a[DATE_LEN], buf[256], today[DATE_LEN];
	today_iso(today);
	if (!st) {
		page_add(&s->page, STYLE_NORMAL, 1, "%s", _("No stays recorded."));
		return;
	}
	const char *arrival = record_get(st, "arrival");
	const char *departure = record_get(st, "departure");
	long days = date_days_between(arrival, departure ? departure : today);
	if (departure)
		page_add(&s->page, STYLE_NORMAL, 1, _("Stay no. %zu: %s to %s (%ld days)"),
			 s->nstays, dk_date(arrival, a), dk_date(departure, (char[DATE_LEN]){0}),
			 days);
	else
		page_add(&s->page, STYLE_NORMAL, 1, _("Stay no. %zu since %s (%ld days) %s room %s"),
			 s->nstays, dk_date(arrival, a), days, ui_sym("·", "-"),
			 record_get(st, "room") ? record_get(st, "room") : "-");
	char deadline[DATE_LEN];
	notify_deadline(arrival, deadline);
	const char *notified = record_get(st, "notified_at");
	if (notified)
		snprintf(buf, sizeof(buf), _("notified %s (%s)"), dk_date(notified, a),
			 record_get(st, "notified_how") ? record_get(st, "notified_how") : "");
	else
		snprintf(buf, sizeof(buf), _("not notified; deadline %s"), dk_date(deadline, a));
	add_field(s, _("Acting municipality"), buf);
	add_field(s, _("Assessed"), dk_date(record_get(st, "assessed_at"), a));
	add_field(s, _("Action plan"), dk_date(record_get(st, "plan_at"), a));
	const char *ready = record_get(st, "ready_at");
	if (ready) {
		snprintf(buf, sizeof(buf), _("%s (%ld days)"), dk_date(ready, a),
			 date_days_between(ready, departure ? departure : today));
		add_field(s, _("Ready to move"), buf);
	} else {
		add_field(s, _("Ready to move"), NULL);
	}
	struct checklist c;
	char err[512];
	int have = resident_checklist(s->app, s->id, &c, err, sizeof(err));
	add_progress(s, have, &c, err);
	add_support(s, st);
	add_field(s, _("Move-in date"), dk_date(record_get(st, "move_in_date"), a));
	struct list_row row;
	fill_row(s, have == 1 ? &c : NULL, &row);
	char warn[512];
	warnings_text(row_warnings(&row, today) &
			  ~(unsigned)(WARN_BAN | WARN_SAFETY | WARN_MEDICAL),
		      &row, today, warn, sizeof(warn));
	if (warn[0]) {
		page_add(&s->page, STYLE_NORMAL, 0, "%s", "");
		page_add(&s->page, STYLE_WARN, 1, "%s", warn);
	}
	if (have == 1)
		checklist_free(&c);
}

/* "Rent arrears" for yes, "Alcohol (current), in treatment", "Violence (unknown)": a value
 * other than yes is always said, so "unknown" never reads as if it applied. */
static void add_answer(struct resident_state *s, const struct record *a,
		       const struct choice_list *labels)
{
	const char *label = choice_label(labels, record_get(a, "code"));
	const char *value = record_get(a, "value");
	const char *treatment = str_eq(record_get(a, "treatment"), "1") ? _(", in treatment") : "";
	char *line = str_eq(value, "yes") ? xasprintf("%s%s", label, treatment)
					   : xasprintf("%s (%s)%s", label,
						       choice_label(&list_misuse_values, value),
						       treatment);
	page_add_wrapped(&s->page, STYLE_NORMAL, 1, s->width, line);
	free(line);
}

static void build_answers(struct resident_state *s, const char *list,
			  const struct choice_list *labels, const char *heading)
{
	struct record *ans;
	size_t n;
	char *err = NULL;
	page_add(&s->page, STYLE_HEADING, 0, "%s", heading);
	if (db_records_where(s->app->db, "answer", "resident_id", s->id, "code", &ans, &n, &err)) {
		page_add(&s->page, STYLE_WARN, 1, "%s", err);
		free(err);
		return;
	}
	int shown = 0;
	for (size_t i = 0; i < n; i++) {
		const char *value = record_get(&ans[i], "value");
		/* "no" is the answer to a question asked, not something that applies. */
		if (!str_eq(record_get(&ans[i], "list"), list) || str_eq(value, "no"))
			continue;
		add_answer(s, &ans[i], labels);
		shown++;
	}
	if (!shown)
		page_add(&s->page, STYLE_DIM, 1, "%s", _("nothing recorded"));
	records_free(ans, n);
}

static void build_intake(struct resident_state *s)
{
	const struct record *p = &s->person;
	char buf[256], d[DATE_LEN];
	add_field(s, _("Name"), record_get(p, "name"));
	add_field(s, _("Born"), dk_date(record_get(p, "birth_date"), d));
	add_field(s, _("Gender"), choice_label(&list_genders, record_get(p, "gender")));
	add_field(s, _("Home municipality"), kommune_text(record_get(p, "home_kommune"), buf, sizeof(buf)));
	add_field(s, _("Income"), choice_label(&list_incomes, record_get(p, "income")));
	page_add(&s->page, STYLE_NORMAL, 0, "%s", "");
	build_answers(s, "cause", &list_causes, _("Causes"));
	if (record_get(p, "causes_other"))
		page_add(&s->page, STYLE_NORMAL, 1, "%s", record_get(p, "causes_other"));
	build_answers(s, "misuse", &list_substances, _("Substance misuse"));
	build_answers(s, "debt", &list_debts, _("Debt"));
	const char *rki = record_get(p, "debt_rki");
	add_field(s, _("Registered as bad payer (RKI)"), rki ? (str_eq(rki, "1") ? _("yes") : _("no")) : NULL);
	const char *total = record_get(p, "debt_total");
	if (total)
		snprintf(buf, sizeof(buf), _("about %s kr."), total);
	add_field(s, _("Debt in all"), total ? buf : NULL);
	const char *dc = record_get(p, "debt_counselling");
	add_field(s, _("Debt counselling"), dc ? (str_eq(dc, "1") ? _("yes") : _("no")) : NULL);
	page_add(&s->page, STYLE_NORMAL, 0, "%s", "");
	add_field(s, _("Mental health"), record_get(p, "mental_health"));
	add_field(s, _("Physical health"), record_get(p, "physical_health"));
	add_field(s, _("Prison"), record_get(p, "prison_history"));
	add_field(s, _("Hospital"), record_get(p, "hospital_history"));
	add_field(s, _("Network"), record_get(p, "network"));
	add_field(s, _("Work"), record_get(p, "work"));
	const char *consent = record_get(p, "consent");
	if (consent)
		snprintf(buf, sizeof(buf), "%s (%s)", choice_label(&list_consent, consent),
			 dk_date(record_get(p, "consent_date"), d));
	add_field(s, _("Consent to share"), consent ? buf : NULL);
	add_field(s, _("Who to call"), record_get(p, "alert_contact"));
}

static void build_stays(struct resident_state *s)
{
	char buf[256], a[40], d[40];
	for (size_t i = s->nstays; i-- > 0;) {
		const struct record *st = &s->stays[i];
		const char *dep = record_get(st, "departure");
		page_add(&s->page, STYLE_HEADING, 0, _("Stay %zu: %s to %s"), i + 1,
			 dk_minute(record_get(st, "arrival"), a, sizeof(a)),
			 dep ? dk_minute(dep, d, sizeof(d)) : _("now"));
		add_field(s, _("Room"), record_get(st, "room"));
		add_field(s, _("Came from"), choice_label(&list_living, record_get(st, "previous_living")));
		add_field(s, _("Acting municipality"), kommune_text(record_get(st, "acting_kommune"), buf, sizeof(buf)));
		add_field(s, _("Paying municipality"), kommune_text(record_get(st, "paying_kommune"), buf, sizeof(buf)));
		if (dep) {
			add_field(s, _("Moved to"), choice_label(&list_destinations, record_get(st, "destination")));
			add_field(s, _("Note on leaving"), record_get(st, "departure_note"));
		}
		page_add(&s->page, STYLE_NORMAL, 0, "%s", "");
	}
	if (!s->nstays)
		page_add(&s->page, STYLE_NORMAL, 1, "%s", _("No stays recorded."));
}

/* One step: "[x] Label   date  responsible (name)", and its note under it. */
static void add_step(struct resident_state *s, const struct checklist_step *st)
{
	char d[DATE_LEN];
	const char *label = checklist_step_label(st);
	const char *who = st->responsible_name;
	int pad = 34 - ui_width(label);
	page_add(&s->page, st->hidden ? STYLE_DIM : STYLE_NORMAL, 2, "%s %s%*s %10s  %s%s%s%s",
		 checklist_box(st->status), label, pad > 0 ? pad : 0, "", dk_date(st->date, d),
		 choice_label(&list_responsible, st->responsible), who ? " (" : "", who ? who : "",
		 who ? ")" : "");
	if (st->note) {
		char *quoted = xasprintf("\"%s\"", st->note);
		page_add_wrapped(&s->page, STYLE_DIM, 6, s->width, quoted);
		free(quoted);
	}
}

/* The checklist to read; the checklist screen (t) changes it. Steps as configured, in their
 * items' order; steps hidden since that hold data last, apart and not counted. */
static void build_checklist(struct resident_state *s)
{
	struct checklist c;
	char err[512];
	int have = resident_checklist(s->app, s->id, &c, err, sizeof(err));
	if (have != 1) {
		page_add(&s->page, have < 0 ? STYLE_WARN : STYLE_NORMAL, 1, "%s",
			 have < 0 ? err : _("No stays recorded."));
		return;
	}
	page_add(&s->page, STYLE_DIM, 1, "%s", _("Enter or t: change the checklist · p: print"));
	page_add(&s->page, STYLE_HEADING, 0, _("%d of %d done"), c.done, c.relevant);
	for (size_t it = 0; it < list_items.n; it++) {
		const char *item = list_items.items[it].code;
		page_add(&s->page, STYLE_HEADING, 0, "%s", choice_label(&list_items, item));
		for (size_t i = 0; i < c.nsteps; i++)
			if (!c.steps[i].hidden && str_eq(c.steps[i].item, item))
				add_step(s, &c.steps[i]);
	}
	int heading = 0;
	for (size_t i = 0; i < c.nsteps; i++) {
		if (!c.steps[i].hidden)
			continue;
		if (!heading++)
			page_add(&s->page, STYLE_DIM, 0, "%s", _("Steps no longer used (kept)"));
		add_step(s, &c.steps[i]);
	}
	checklist_free(&c);
}

static void build_notes(struct resident_state *s)
{
	struct shift_entry *notes;
	size_t n;
	char *err = NULL;
	if (db_resident_notes(s->app->db, s->id, &notes, &n, &err) != 0) {
		page_add(&s->page, STYLE_WARN, 1, "%s", err);
		free(err);
		return;
	}
	if (!n)
		page_add(&s->page, STYLE_DIM, 1, "%s", _("No notes yet."));
	for (size_t i = 0; i < n; i++) { /* newest first */
		char when[40];
		page_add(&s->page, STYLE_HEADING, 0, "%s %s %s",
			 utc_dk_minute(notes[i].created_at, when, sizeof(when)), ui_sym("·", "-"),
			 notes[i].created_by ? notes[i].created_by : "?");
		page_add_wrapped(&s->page, STYLE_NORMAL, 2, s->width, notes[i].body);
	}
	shift_entries_free(notes, n);
}

char *change_value_text(const char *field, const char *value)
{
	return field_value_text(field, value, CPR_MASKED); /* never a whole CPR number on screen */
}

char *change_subject(const char *tbl, const char *row_id, const char *field)
{
	return field_change_subject(tbl, row_id, field);
}

static void build_history(struct resident_state *s)
{
	struct history_entry *h;
	size_t n;
	char *err = NULL;
	if (db_resident_history(s->app->db, s->id, &h, &n, &err) != 0) {
		page_add(&s->page, STYLE_WARN, 1, "%s", err);
		free(err);
		return;
	}
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (field_structural(h[i].field))
			continue;
		char when[40];
		char *subject = change_subject(h[i].tbl, h[i].row_id, h[i].field);
		char *old = change_value_text(h[i].field, h[i].old_value);
		char *new = change_value_text(h[i].field, h[i].new_value);
		page_add(&s->page, STYLE_DIM, 0, "%s %s %s %s",
			 utc_dk_minute(h[i].at, when, sizeof(when)), h[i].login, ui_sym("·", "-"),
			 subject);
		char *line = xasprintf("%s %s %s", old, ui_sym("→", "->"), new);
		page_add_wrapped(&s->page, STYLE_NORMAL, 2, s->width, line);
		free(line);
		free(subject);
		free(old);
		free(new);
		shown++;
	}
	if (!shown)
		page_add(&s->page, STYLE_DIM, 1, "%s", _("No changes recorded."));
	history_free(h, n);
}

static void build_page(struct resident_state *s)
{
	long scroll = s->page.scroll; /* the page is rebuilt on every draw: keep the place */
	page_clear(&s->page);
	switch (s->section) {
	case SEC_OVERVIEW: build_overview(s); break;
	case SEC_INTAKE: build_intake(s); break;
	case SEC_STAYS: build_stays(s); break;
	case SEC_CHECKLIST: build_checklist(s); break;
	case SEC_NOTES: build_notes(s); break;
	case SEC_HISTORY: build_history(s); break;
	case SEC_COUNT: break;
	}
	s->page.scroll = scroll;
}

/* Reads the resident and their stays; what was read before stays when that fails. Returns 1
 * when read, 0 when the resident is gone, -1 on error (err set). */
static int load_resident(struct resident_state *s, char **err)
{
	struct record person;
	struct record *stays = NULL;
	size_t nstays = 0;
	int found = db_record_get(s->app->db, "resident", s->id, &person, err);
	if (found == 1 && db_records_where(s->app->db, "stay", "resident_id", s->id, "arrival",
					   &stays, &nstays, err) != 0)
		found = -1;
	if (found != 1) {
		record_free(&person);
		return found;
	}
	record_free(&s->person);
	records_free(s->stays, s->nstays);
	s->person = person;
	s->stays = stays;
	s->nstays = nstays;
	return 1;
}

static void resident_close(void *state)
{
	struct resident_state *s = state;
	record_free(&s->person);
	records_free(s->stays, s->nstays);
	page_clear(&s->page);
	ui_input_free(&s->input);
	free(s);
}

static void *resident_open(struct app *app, const void *arg)
{
	struct resident_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	strlcpy_trunc(s->id, arg, ID_LEN);
	s->width = 80;
	s->nactions = actions_for_user(app, resident_actions, ARRAY_SIZE(resident_actions),
				       resident_rules, ARRAY_SIZE(resident_rules), s->actions);
	s->nwriting_actions = ui_input_with_actions(s->writing_actions, NOTE_ACTIONS_MAX,
						    note_actions, ARRAY_SIZE(note_actions));
	char *err = NULL;
	if (load_resident(s, &err) != 1) {
		ui_message("%s", err ? err : _("The resident no longer exists."));
		free(err);
		resident_close(s);
		return NULL;
	}
	/* Who looked at whose record is part of the record (GDPR): no entry, no record shown. */
	if (db_audit(app->db, AUDIT_OPEN, s->id, NULL, &err) != 0) {
		ui_message(_("Could not write the audit log, so the record is not shown: %s"), err);
		free(err);
		resident_close(s);
		return NULL;
	}
	return s;
}

static const char *resident_title(void *state)
{
	(void)state;
	return _("Resident");
}

#define ALERT_ROWS    3 /* the most rows one alert takes; more ends in an ellipsis */
#define ALERT_MAX     5 /* house ban, safety, medical, whom to call, sync conflicts */
#define PAGE_MIN_ROWS 3 /* of the section, that alerts leave on a short terminal */

/* Adds an alert (text, which it frees) wrapped to the screen's width as one page. */
static void add_alert(struct page *out, enum ui_style style, int width, char *text)
{
	page_add_wrapped(out, style, 0, width, text);
	free(text);
}

/* The alerts, each wrapped into a page of its own: the house ban, safety, medical, and on a
 * line of its own whom to call, whenever there is an alert or a contact. Returns how many. */
static size_t build_alerts(const struct resident_state *s, int width, struct page out[ALERT_MAX])
{
	const struct record *p = &s->person;
	char today[DATE_LEN], d[DATE_LEN];
	today_iso(today);
	const char *warn = ui_sym("⚠", "!!");
	size_t n = 0;
	const char *ban = record_get(p, "ban_until");
	if (ban && strncmp(ban, today, 10) >= 0)
		add_alert(&out[n++], STYLE_ALERT, width,
			  xasprintf(_("%s House ban until %s"), warn, dk_date(ban, d)));
	const char *safety = record_get(p, "alert_safety");
	if (!str_empty(safety))
		add_alert(&out[n++], STYLE_ALERT, width,
			  xasprintf("%s %s: %s", warn, _("Safety"), safety));
	const char *medical = record_get(p, "alert_medical");
	if (!str_empty(medical))
		add_alert(&out[n++], STYLE_ALERT, width,
			  xasprintf("%s %s: %s", warn, _("Medical"), medical));
	const char *contact = record_get(p, "alert_contact");
	if (n || !str_empty(contact)) {
		enum ui_style style = n ? STYLE_ALERT : STYLE_NORMAL;
		add_alert(&out[n++], style, width,
			  xasprintf(_("Call: %s"), str_empty(contact) ? "-" : contact));
	}
	/* Last: a value another terminal's change replaced matters, but less than a ban. */
	long conflicts = db_resident_conflicts(s->app->db, s->id, NULL);
	if (conflicts > 0 && app_is_coordinator(s->app))
		add_alert(&out[n++], STYLE_WARN, width,
			  xasprintf(ngettext("%s %ld conflict from synchronisation: press k",
					     "%s %ld conflicts from synchronisation: press k",
					     (unsigned long)conflicts),
				    warn, conflicts));
	else if (conflicts > 0)
		add_alert(&out[n++], STYLE_WARN, width,
			  xasprintf(ngettext("%s %ld conflict from synchronisation, for a coordinator "
					     "to review",
					     "%s %ld conflicts from synchronisation, for a coordinator "
					     "to review",
					     (unsigned long)conflicts),
				    warn, conflicts));
	return n;
}

/* Rows each alert may take so that all of them fit in budget rows: ALERT_ROWS, fewer on a
 * short terminal, never less than one (an alert is never left out). */
static size_t alert_rows(const struct page *alerts, size_t n, int budget)
{
	for (size_t cap = ALERT_ROWS; cap > 1; cap--) {
		size_t total = 0;
		for (size_t i = 0; i < n; i++)
			total += alerts[i].n < cap ? alerts[i].n : cap;
		if ((long)total <= budget)
			return cap;
	}
	return 1;
}

/* Draws an alert in at most rows rows; the last one holds the rest, cut with an ellipsis. */
static int draw_alert(const struct page *a, int y, int width, size_t rows)
{
	for (size_t i = 0; i < a->n && i < rows; i++) {
		struct strbuf sb;
		sb_init(&sb);
		size_t last = i + 1 == rows ? a->n : i + 1;
		for (size_t j = i; j < last; j++)
			sb_addf(&sb, "%s%s", j > i ? " " : "", a->lines[j].text);
		ui_text(y++, 1, width - 2, a->lines[i].style, sb.buf);
		sb_free(&sb);
	}
	return y;
}

/* The alerts from row y, in at most budget rows where the terminal allows; returns the next
 * row. */
static int draw_alerts(struct resident_state *s, int y, int width, int budget)
{
	struct page alerts[ALERT_MAX] = {0};
	size_t n = build_alerts(s, width, alerts);
	size_t rows = alert_rows(alerts, n, budget);
	for (size_t i = 0; i < n; i++) {
		y = draw_alert(&alerts[i], y, width, rows);
		page_clear(&alerts[i]);
	}
	return y;
}

/* "Name · b. 12-03-1981 · 120381-XXXX · home municipality: Helsingør (217)", leaving out
 * what is not recorded. */
static void draw_heading(struct resident_state *s, int y, int width)
{
	const struct record *p = &s->person;
	char d[DATE_LEN], cpr[12], k[128];
	const char *dot = ui_is_utf8() ? " · " : " - ";
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, record_get(p, "name") ? record_get(p, "name") : "");
	if (record_get(p, "birth_date"))
		sb_addf(&sb, "%s%s", dot, dk_date(record_get(p, "birth_date"), d));
	if (record_get(p, "cpr")) {
		if (app_may_see_cpr(s->app)) /* reception and coordinators need the number */
			cpr_format(record_get(p, "cpr"), cpr);
		else
			cpr_mask(record_get(p, "cpr"), cpr);
		sb_addf(&sb, "%s%s", dot, cpr);
	}
	if (record_get(p, "home_kommune"))
		sb_addf(&sb, _("%shome municipality: %s"), dot,
			kommune_text(record_get(p, "home_kommune"), k, sizeof(k)));
	ui_text(y, 1, width - 2, STYLE_HEADING, sb.buf);
	sb_free(&sb);
}

static void draw_tabs(struct resident_state *s, int y)
{
	int x = 1;
	for (int i = 0; i < SEC_COUNT; i++) {
		char tab[64];
		snprintf(tab, sizeof(tab), i == (int)s->section ? "[%d %s]" : " %d %s ", i + 1,
			 _(section_names[i]));
		x += ui_text(y, x, COLS - x, i == (int)s->section ? STYLE_SELECTED : STYLE_NORMAL,
			     tab) + 1;
	}
}

static void resident_draw(void *state, const struct ui_area *a)
{
	struct resident_state *s = state;
	/* Read again on every draw (and so every 15 seconds): a house ban added at another
	 * terminal must show here without a key. */
	char *err = NULL;
	if (load_resident(s, &err) != 1)
		ui_message("%s", err ? err : _("The resident no longer exists."));
	free(err);
	int y = a->top;
	draw_heading(s, y++, a->width);
	/* heading, tabs, line ... section ... line */
	y = draw_alerts(s, y, a->width, a->height - 4 - PAGE_MIN_ROWS);
	draw_tabs(s, y++);
	ui_hline(y++);
	s->width = a->width;
	s->height = a->top + a->height - 1 - y - (s->writing ? 1 : 0);
	build_page(s);
	page_scroll(&s->page, 0, s->height);
	page_draw(&s->page, y, s->height, a->width);
	if (s->writing) {
		/* The line being written, under the notes: "New note: text_". */
		int row = a->top + a->height - 2;
		int x = 1 + ui_text(row, 1, a->width / 3, STYLE_HEADING, _("New note:")) + 1;
		ui_input_draw(&s->input, row, x, a->width - 1 - x, STYLE_SELECTED);
	}
	ui_hline(a->top + a->height - 1);
}

static void start_writing(struct resident_state *s)
{
	s->section = SEC_NOTES;
	s->page.scroll = 0;
	if (s->writing)
		return;
	ui_input_init(&s->input, NULL, NOTE_MAX_BYTES);
	s->writing = 1;
	s->discard_armed = 0;
}

static void stop_writing(struct resident_state *s)
{
	ui_input_free(&s->input);
	s->writing = 0;
	s->discard_armed = 0;
}

static void save_note(struct resident_state *s)
{
	char *err = NULL;
	if (note_add(s->app->db, s->id, "note", s->input.buf, &err) != 0) {
		ui_message("%s", err ? err : _("The note could not be saved."));
		free(err);
		return; /* the text stays, to try again or copy */
	}
	stop_writing(s);
	s->page.scroll = 0; /* the new note is the first */
	ui_message("%s", _("The note is saved."));
}

/* Esc: closes an empty line at once; over written text it asks for a second Esc. */
static void cancel_note(struct resident_state *s)
{
	if (ui_input_is_blank(&s->input) || s->discard_armed) {
		stop_writing(s);
		return;
	}
	s->discard_armed = 1;
	ui_message("%s", _("Press Esc again to discard the note, or Enter to save it."));
}

/* While a note is written, the keys go to it: letters and digits are text, not actions. */
static enum ui_result resident_key(void *state, const struct ui_key *k)
{
	struct resident_state *s = state;
	if (!s->writing)
		return UI_IGNORED;
	if (k->ch != 27)
		s->discard_armed = 0;
	if (k->code == KEY_F(10) && !ui_input_is_blank(&s->input)) {
		ui_message("%s", _("Save the note with Enter, or discard it with Esc twice, first."));
		return UI_HANDLED;
	}
	return ui_input_key(&s->input, k);
}

static enum ui_result resident_action(void *state, int id)
{
	struct resident_state *s = state;
	if (s->writing) {
		switch (id) {
		case A_SAVE: save_note(s); return UI_HANDLED;
		case A_CANCEL: cancel_note(s); return UI_HANDLED;
		case A_UP: return page_scroll(&s->page, -1, s->height);
		case A_DOWN: return page_scroll(&s->page, 1, s->height);
		case A_PGUP: return page_scroll(&s->page, -s->height, s->height);
		case A_PGDN: return page_scroll(&s->page, s->height, s->height);
		default: return UI_IGNORED;
		}
	}
	if (id == 0)
		return UI_BACK;
	if (id == A_ADD) {
		start_writing(s);
		return UI_HANDLED;
	}
	if (id == A_EDIT) {
		ui_push(&edit_screen, s->id);
		return UI_HANDLED;
	}
	if (id == A_CHECKLIST || (id == A_OPEN && s->section == SEC_CHECKLIST)) {
		ui_push(&checklist_screen, s->id);
		return UI_HANDLED;
	}
	if (id == A_PRINT) {
		print_resident_checklist(s->app, s->id);
		return UI_HANDLED;
	}
	if (id == A_CONFLICTS) {
		ui_push(&conflicts_screen, s->id);
		return UI_HANDLED;
	}
	if (id == A_AUDIT) {
		ui_push(&audit_screen, s->id);
		return UI_HANDLED;
	}
	if (id == A_DEPART) {
		const struct record *st = current_stay(s);
		if (!st || record_get(st, "departure"))
			ui_message("%s", _("The resident is not staying here."));
		else
			ui_push(&departure_screen, s->id);
		return UI_HANDLED;
	}
	if (id >= A_SEC1 && id < A_SEC1 + SEC_COUNT)
		s->section = (enum section)(id - A_SEC1);
	else if (id == A_NEXT)
		s->section = (enum section)((s->section + 1) % SEC_COUNT);
	else if (id == A_PREV)
		s->section = (enum section)((s->section + SEC_COUNT - 1) % SEC_COUNT);
	else if (id == A_UP)
		return page_scroll(&s->page, -1, s->height);
	else if (id == A_DOWN)
		return page_scroll(&s->page, 1, s->height);
	else if (id == A_PGUP)
		return page_scroll(&s->page, -s->height, s->height);
	else if (id == A_PGDN)
		return page_scroll(&s->page, s->height, s->height);
	else
		return UI_IGNORED;
	s->page.scroll = 0; /* a new section starts at its top; the draw builds it */
	return UI_HANDLED;
}

static const struct ui_action *resident_action_list(void *state, size_t *n)
{
	struct resident_state *s = state;
	if (s->writing) {
		s->writing_actions[NOTE_CANCEL].bar = s->discard_armed ? N_("discard") : N_("cancel");
		*n = s->nwriting_actions;
		return s->writing_actions;
	}
	*n = s->nactions;
	return s->actions;
}

const struct ui_screen_ops resident_screen = {
	"resident",	 resident_open,	  resident_title,	resident_draw, resident_key,
	resident_action, resident_action_list, resident_close,
};
