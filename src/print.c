/* The move-out checklist on paper: which residents, each one's sheet in words, and where the
 * document goes (a file, standard output, or the print command). The drawing is in
 * print_pdf.c and print_text.c. */
#include "print.h"

#include "audit.h"
#include "checklist.h"
#include "clock.h"
#include "db.h"
#include "db_list.h"
#include "i18n.h"
#include "kommune.h"
#include "lists.h"
#include "print_subject.h"
#include "record.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- the sheet ------------------------------------------------------------------------------ */

/* A value from the database made safe for paper and terminals; "" for NULL. Tabs and line
 * breaks (a note written in two lines) become spaces: the sheet wraps its own lines. */
static char *safe(const char *s)
{
	char *flat = xstrdup(s ? s : "");
	for (char *p = flat; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	char *clean = text_sanitize(flat);
	free(flat);
	return clean;
}

/* A date as staff write it, "-" when there is none. */
static char *dk(const char *iso)
{
	char d[DATE_LEN];
	date_iso_to_dk(iso, d);
	return xstrdup(d[0] ? d : "-");
}

static void add_field(struct sheet *s, const char *label, char *value)
{
	if (s->nfields < SHEET_FIELDS)
		s->fields[s->nfields++] = (struct sheet_field){label, value};
	else
		free(value);
}

static char *kommune_words(const char *code)
{
	const struct kommune *k = kommune_by_code(code);
	if (!code)
		return xstrdup("-");
	if (!k)
		return safe(code);
	return k->population ? xasprintf("%s (%s)", _(k->name), k->code) : xstrdup(_(k->name));
}

static void add_person_fields(struct sheet *s, const struct record *person,
			      const struct checklist *c)
{
	char today[DATE_LEN];
	time_to_local_date(clock_now(), today);
	add_field(s, _("Id"), safe(record_get(person, "id")));
	add_field(s, _("Born"), dk(record_get(person, "birth_date")));
	add_field(s, _("Arrival"), dk(c->arrival));
	long days = date_days_between(c->arrival, c->departure ? c->departure : today);
	add_field(s, _("Days stayed"), xasprintf("%ld", days));
	add_field(s, _("Home municipality"), kommune_words(record_get(person, "home_kommune")));
	add_field(s, _("Ready to move"), dk(c->ready_at));
	add_field(s, _("Move-in date"), dk(c->move_in_date));
	if (c->departure)
		add_field(s, _("Departure"), dk(c->departure));
}

static char *responsible_words(const struct checklist_step *st)
{
	const char *who = st->responsible ? choice_label(&list_responsible, st->responsible) : "";
	char *name = safe(st->responsible_name);
	char *words = !name[0]	 ? xstrdup(who)
		      : !who[0] ? xstrdup(name)
				 : xasprintf("%s (%s)", who, name);
	free(name);
	return words;
}

static void fill_step(struct sheet_step *out, const struct checklist_step *st)
{
	out->label = safe(checklist_step_label(st));
	strlcpy_trunc(out->status, st->status, sizeof(out->status));
	out->status_text = xstrdup(choice_label(&list_status, st->status));
	out->date = st->date ? dk(st->date) : xstrdup("");
	out->responsible = responsible_words(st);
	out->note = safe(st->note);
}

/* "CTI · bevilget 01-11-2026 · start 01-12-2026", what is known of the support. */
static char *support_words(const struct checklist *c)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_addf(&sb, "%s: %s", _("Support"),
		c->support_method ? choice_label(&list_support, c->support_method)
				  : _("no method chosen"));
	char d[DATE_LEN];
	if (c->support_granted_at) {
		date_iso_to_dk(c->support_granted_at, d);
		sb_addf(&sb, " · %s %s", _("granted"), d);
	} else {
		sb_addf(&sb, " · %s", _("not granted yet"));
	}
	if (c->support_start) {
		date_iso_to_dk(c->support_start, d);
		sb_addf(&sb, " · %s %s", _("starts"), d);
	}
	char *words = safe(sb.buf);
	sb_free(&sb);
	return words;
}

const char *sheet_thing_mark(const struct sheet_thing *t)
{
	if (str_eq(t->state, "have") || str_eq(t->state, "granted"))
		return "done";
	return str_eq(t->state, "applied") ? "doing" : "todo";
}

static void fill_things(struct sheet_item *it, const struct checklist *c)
{
	it->things = xcalloc(c->nthings + 1, sizeof(*it->things));
	for (size_t i = 0; i < c->nthings; i++) {
		const struct checklist_thing *t = &c->things[i];
		it->things[it->nthings].label = safe(checklist_thing_label(t));
		it->things[it->nthings].state_text =
		    xstrdup(t->state ? choice_label(&list_furniture_states, t->state) : "");
		strlcpy_trunc(it->things[it->nthings].state, t->state ? t->state : "",
			      sizeof(it->things[it->nthings].state));
		it->nthings++;
	}
}

/* An item: its visible steps in the configured order (hidden steps stay on screen, not on
 * paper: the shelter chose not to use them). */
static void fill_item(struct sheet_item *it, const char *item, const struct checklist *c)
{
	it->title = xstrdup(choice_label(&list_items, item));
	it->steps = xcalloc(c->nsteps + 1, sizeof(*it->steps));
	for (size_t i = 0; i < c->nsteps; i++)
		if (!c->steps[i].hidden && str_eq(c->steps[i].item, item))
			fill_step(&it->steps[it->nsteps++], &c->steps[i]);
	if (str_eq(item, "furniture"))
		fill_things(it, c);
	it->extra = str_eq(item, "support") ? support_words(c) : xstrdup("");
}

static void fill_sheet(struct sheet *s, const struct record *person, const struct checklist *c,
		       const struct print_context *ctx)
{
	char now[LOCAL_MIN_LEN], d[DATE_LEN];
	time_to_local_minute(clock_now(), now);
	date_iso_to_dk(now, d);
	s->shelter = safe(ctx->shelter);
	s->title = xstrdup(_("Move-out checklist"));
	s->resident = safe(record_get(person, "name"));
	add_person_fields(s, person, c);
	s->progress = xasprintf(_("%d of %d steps done"), c->done, c->relevant);
	s->items = xcalloc(list_items.n, sizeof(*s->items));
	for (size_t i = 0; i < list_items.n; i++)
		fill_item(&s->items[s->nitems++], list_items.items[i].code, c);
	char *by = safe(ctx->printed_by);
	s->printed = xasprintf(_("Printed %s %s by %s"), d, now + 11, by);
	free(by);
}

int sheet_load(struct db *db, const char *resident_id, const struct print_context *ctx,
	       struct sheet *out, char **err)
{
	memset(out, 0, sizeof(*out));
	struct record person;
	int found = db_record_get(db, "resident", resident_id, &person, err);
	if (found == 0)
		*err = xasprintf(_("No resident has the id %s."), resident_id);
	if (found != 1)
		return -1;
	char stay_id[ID_LEN];
	struct checklist c;
	int rc = checklist_stay_of(db, resident_id, stay_id, err);
	if (rc == 0)
		*err = xstrdup(_("The resident has no stay."));
	if (rc == 1 && checklist_load(db, stay_id, &c, err) == 0) {
		fill_sheet(out, &person, &c, ctx);
		checklist_free(&c);
		rc = 0;
	} else {
		rc = -1;
	}
	record_free(&person);
	return rc;
}

static void item_free(struct sheet_item *it)
{
	for (size_t i = 0; i < it->nsteps; i++) {
		struct sheet_step *st = &it->steps[i];
		free(st->label);
		free(st->status_text);
		free(st->date);
		free(st->responsible);
		free(st->note);
	}
	for (size_t i = 0; i < it->nthings; i++) {
		free(it->things[i].label);
		free(it->things[i].state_text);
	}
	free(it->steps);
	free(it->things);
	free(it->title);
	free(it->extra);
}

void sheet_free(struct sheet *s)
{
	for (size_t i = 0; i < s->nitems; i++)
		item_free(&s->items[i]);
	for (size_t i = 0; i < s->nfields; i++)
		free(s->fields[i].value);
	free(s->items);
	free(s->shelter);
	free(s->title);
	free(s->resident);
	free(s->progress);
	free(s->printed);
	memset(s, 0, sizeof(*s));
}

/* --- the renderers ------------------------------------------------------------------------- */

/* Each renderer's struct printer begins with its format. */
struct printer_head {
	enum print_format format;
};

struct printer *printer_open(enum print_format format, FILE *out, char **err)
{
	return format == PRINT_PDF ? print_pdf_open(out, err) : print_text_open(out, err);
}

int printer_sheet(struct printer *p, const struct sheet *s, char **err)
{
	return ((struct printer_head *)(void *)p)->format == PRINT_PDF ? print_pdf_sheet(p, s, err)
								       : print_text_sheet(p, s, err);
}

long printer_close(struct printer *p, char **err)
{
	return ((struct printer_head *)(void *)p)->format == PRINT_PDF ? print_pdf_close(p, err)
								       : print_text_close(p, err);
}

/* --- which residents ------------------------------------------------------------------------ */

static int ready_to_move(const struct list_row *row, void *arg)
{
	(void)arg;
	return row->ready_at != NULL;
}

/* The residents of a list query, in list order (the rooms'), as ids. */
static int select_ids(struct db *db, const struct list_query *q, char (**ids)[ID_LEN], size_t *n,
		      char **err)
{
	*ids = NULL;
	*n = 0;
	long count = db_list_count(db, q, err);
	if (count < 0)
		return -1;
	struct list_row *rows;
	size_t nrows;
	if (db_list_page(db, q, 0, count, &rows, &nrows, err) != 0)
		return -1;
	*ids = xcalloc(nrows + 1, sizeof(**ids));
	for (size_t i = 0; i < nrows; i++)
		strlcpy_trunc((*ids)[i], rows[i].id, ID_LEN);
	*n = nrows;
	list_rows_free(rows, nrows);
	return 0;
}

static int selection_ids(struct db *db, enum print_selection sel, const char *id,
			 char (**ids)[ID_LEN], size_t *n, char **err)
{
	if (sel == PRINT_ONE) {
		char stay[ID_LEN];
		int has = checklist_stay_of(db, id, stay, err);
		if (has == 0)
			*err = xstrdup(_("The resident has no stay."));
		if (has != 1)
			return -1; /* before the audit: nothing is printed */
		*ids = xcalloc(1, sizeof(**ids));
		strlcpy_trunc((*ids)[0], id, ID_LEN);
		*n = 1;
		return 0;
	}
	struct list_query q = {LIST_PRESENT, LIST_SORT_ROOM, NULL, NULL, NULL};
	if (sel == PRINT_READY) {
		q.filter = LIST_FLAGGED; /* the residents present that keep accepts */
		q.keep = ready_to_move;
	}
	if (select_ids(db, &q, ids, n, err) != 0)
		return -1;
	if (*n == 0) {
		free(*ids);
		*ids = NULL;
		*err = xstrdup(sel == PRINT_READY ? _("No resident is ready to move; nothing printed.")
						  : _("No resident is staying here; nothing printed."));
		return -1;
	}
	return 0;
}

/* Who printed whose data, and where to, before the data leaves: one transaction for all. */
static int audit_prints(struct db *db, char (*ids)[ID_LEN], size_t n, const char *where,
			char **err)
{
	if (db_begin(db, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_audit_in(db, AUDIT_PRINT, ids[i], where, err) != 0) {
			db_rollback(db);
			return -1;
		}
	return db_commit(db, err);
}

static long print_ids(struct db *db, char (*ids)[ID_LEN], size_t n, enum print_format format,
		      const struct print_context *ctx, FILE *out, char **err)
{
	struct printer *p = printer_open(format, out, err);
	if (!p)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct sheet s;
		rc = sheet_load(db, ids[i], ctx, &s, err);
		if (rc == 0)
			rc = printer_sheet(p, &s, err);
		sheet_free(&s);
	}
	char *close_err = NULL;
	long pages = printer_close(p, rc == 0 ? err : &close_err);
	free(close_err);
	return rc == 0 ? pages : -1;
}

static long print_selected(struct db *db, enum print_selection sel, const char *id,
			   enum print_format format, const struct print_context *ctx, FILE *out,
			   const char *where, char **err)
{
	if (sel == PRINT_SUBJECT_ACCESS)
		return print_subject_access(db, id, format, ctx, out, where, err);
	char(*ids)[ID_LEN];
	size_t n;
	if (selection_ids(db, sel, id, &ids, &n, err) != 0)
		return -1;
	long pages = -1;
	if (audit_prints(db, ids, n, where, err) == 0)
		pages = print_ids(db, ids, n, format, ctx, out, err);
	free(ids);
	return pages;
}

long print_residents(struct db *db, enum print_selection sel, const char *id,
		     enum print_format format, const struct print_context *ctx, FILE *out,
		     char **err)
{
	return print_selected(db, sel, id, format, ctx, out, format == PRINT_PDF ? "pdf" : "text",
			      err);
}

/* --- the print command ---------------------------------------------------------------------- */

/* The first line of what the command said, for the message. */
static char *first_line(FILE *f)
{
	char line[256] = "";
	rewind(f);
	if (!fgets(line, sizeof(line), f))
		return xstrdup("");
	line[strcspn(line, "\r\n")] = '\0';
	return text_sanitize(line);
}

/* Runs command with stdin from doc and stdout/stderr into said; returns its wait status or -1.
 * Nothing reaches the terminal: the UI may be drawing on it. */
static int run_command(const char *command, FILE *doc, FILE *said, char **err)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		*err = xasprintf(_("Could not start the print command: %s"), strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Its own session: no controlling terminal to read from, and Ctrl-C or a hang-up
		 * meant for husly does not reach it. */
		setsid();
		if (dup2(fileno(doc), 0) < 0 || dup2(fileno(said), 1) < 0 || dup2(fileno(said), 2) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			*err = xasprintf(_("Could not wait for the print command: %s"),
					 strerror(errno));
			return -1;
		}
	return status;
}

static int command_result(const char *command, int status, FILE *said, char **err)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char *line = first_line(said);
	char *cmd = text_sanitize(command);
	if (WIFEXITED(status))
		*err = xasprintf(_("The print command '%s' failed (exit status %d)%s%s"), cmd,
				 WEXITSTATUS(status), line[0] ? ": " : ".", line);
	else
		*err = xasprintf(_("The print command '%s' was stopped by signal %d."), cmd,
				 WTERMSIG(status));
	free(cmd);
	free(line);
	return -1;
}

long print_to_command(struct db *db, enum print_selection sel, const char *id,
		      const struct print_context *ctx, const char *command, char **err)
{
	if (str_empty(command)) {
		*err = xstrdup(_("No print command is configured (print_command in husly.conf)."));
		return -1;
	}
	/* tmpfile: mode 0600 and already unlinked, so the residents' data never lies about. */
	FILE *doc = tmpfile(), *said = tmpfile();
	long pages = -1;
	if (!doc || !said) {
		*err = xasprintf(_("Could not make a temporary file: %s"), strerror(errno));
	} else {
		char *where = xasprintf("command: %s", command);
		pages = print_selected(db, sel, id, PRINT_PDF, ctx, doc, where, err);
		free(where);
	}
	if (pages >= 0 && (fflush(doc) != 0 || fseek(doc, 0, SEEK_SET) != 0)) {
		*err = xasprintf(_("Could not write the document: %s"), strerror(errno));
		pages = -1;
	}
	if (pages >= 0) {
		int status = run_command(command, doc, said, err);
		if (status < 0 || command_result(command, status, said, err) != 0)
			pages = -1;
	}
	if (doc)
		fclose(doc);
	if (said)
		fclose(said);
	return pages;
}

/* --- finding a resident --------------------------------------------------------------------- */

static char *matches_words(struct db *db, const struct list_query *q, long count)
{
	struct list_row *rows;
	size_t n;
	char *err = NULL;
	struct strbuf sb;
	sb_init(&sb);
	if (db_list_page(db, q, 0, count < 8 ? count : 8, &rows, &n, &err) == 0) {
		for (size_t i = 0; i < n; i++)
			sb_addf(&sb, "%s%s (%s)", i ? ", " : "", rows[i].name ? rows[i].name : "",
				rows[i].id);
		list_rows_free(rows, n);
	}
	if (count > 8)
		sb_add(&sb, ", ...");
	free(err);
	char *words = text_sanitize(sb.buf ? sb.buf : "");
	sb_free(&sb);
	return words;
}

static int is_resident_id(struct db *db, const char *spec, char id[ID_LEN], char **err)
{
	char lower[ID_LEN];
	size_t i = 0;
	for (; i < ID_LEN - 1 && spec[i]; i++)
		lower[i] = (char)(spec[i] >= 'A' && spec[i] <= 'Z' ? spec[i] - 'A' + 'a' : spec[i]);
	lower[i] = '\0';
	if (spec[i])
		return 0;
	struct record r;
	int found = db_record_get(db, "resident", lower, &r, err);
	if (found == 1) {
		found = record_get(&r, "erased_at") == NULL;
		record_free(&r);
	}
	if (found == 1)
		strlcpy_trunc(id, lower, ID_LEN);
	return found;
}

int print_find_resident(struct db *db, const char *spec, char id[ID_LEN], char **err)
{
	int found = is_resident_id(db, spec, id, err);
	if (found != 0)
		return found == 1 ? 0 : -1;
	struct list_query q = {LIST_ALL, LIST_SORT_NAME, spec, NULL, NULL};
	long count = str_empty(spec) ? 0 : db_list_count(db, &q, err);
	if (count < 0)
		return -1;
	char *s = text_sanitize(spec);
	if (count == 0) {
		*err = xasprintf(_("No resident matches '%s'."), s);
	} else if (count > 1) {
		char *which = matches_words(db, &q, count);
		*err = xasprintf(_("'%s' matches %ld residents: %s. Give the id."), s, count, which);
		free(which);
	} else {
		struct list_row *rows;
		size_t n;
		if (db_list_page(db, &q, 0, 1, &rows, &n, err) == 0) {
			if (n == 1)
				strlcpy_trunc(id, rows[0].id, ID_LEN);
			found = n == 1;
			list_rows_free(rows, n);
		}
	}
	free(s);
	return found == 1 ? 0 : -1;
}
