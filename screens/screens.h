/* The screens, registered in one table (screens.c), and what they share. */
#ifndef HUSLY_SCREENS_H
#define HUSLY_SCREENS_H

#include <stddef.h>

#include "model.h"
#include "ui.h"

extern const struct ui_screen_ops list_screen;     /* the resident list (start screen); arg:
						     * NULL, or a struct list_only */
extern const struct ui_screen_ops resident_screen; /* one resident; arg: the id */
extern const struct ui_screen_ops edit_screen;      /* change a resident's fields; arg: id */
extern const struct ui_screen_ops step_screen;      /* change a checklist step; arg: step_ref */
extern const struct ui_screen_ops checklist_screen; /* the move-out checklist; arg: the id */
extern const struct ui_screen_ops departure_screen; /* a resident leaves; arg: the id */
extern const struct ui_screen_ops intake_screen;   /* a new arrival's intake; arg: NULL */
extern const struct ui_screen_ops shiftlog_screen; /* the shift log (vagtlog); arg: NULL */
extern const struct ui_screen_ops sync_screen;     /* export and import bundles; arg: NULL */
extern const struct ui_screen_ops conflicts_screen; /* open sync conflicts; arg: a resident's
						     * id, or NULL for everyone's */
extern const struct ui_screen_ops audit_screen;    /* the audit log (coordinators); arg: a
						     * resident's id, or NULL for everyone's */
extern const struct ui_screen_ops overview_screen; /* the coordinator's overview; arg: NULL */
extern const struct ui_screen_ops help_screen;     /* the keys of the screen below */

struct app;
struct checklist;

/* The resident list opened on the residents present with one warning (an overview list): no
 * other filter, titled with the list's name. */
struct list_only {
	unsigned warning;  /* a WARN_ of model.h */
	const char *title; /* the list's name (a message id) */
};

/* Which step step_screen changes: a step of the resident's current (or latest) stay. Read
 * only while the screen opens. */
struct step_ref {
	const char *resident_id;
	const char *step; /* the step's code */
};

/* The warnings of a list row in words, "⚠ karantæne · ! ikke udredt", into out. */
void warnings_text(unsigned warnings, const struct list_row *row, const char *today, char *out,
		   size_t n);
/* The warnings that concern moving out (ready too long, moving in without support, no housing
 * registration), which the checklist shows. */
#define CHECKLIST_WARNINGS (WARN_READY_LONG | WARN_NO_SUPPORT | WARN_NO_HOUSING_REG)
/* Whether the checklist's housing registration step is done, as the list counts it. */
int checklist_housing_registered(const struct checklist *c);

/* What an action asks of the user's role (app.h): to change data (not a read-only login), to
 * see whole CPR numbers (what an export writes holds them), or to be a coordinator. */
enum action_need { ACTION_WRITES = 1, ACTION_SEES_CPR, ACTION_COORDINATOR };
struct action_rule {
	int id; /* the action's id */
	enum action_need need;
};
/* The user's actions: copies all[n] into out (room for n), leaving out each action a rule
 * names that the user's role may not do, so it is not in the key bar, not in the help, and its
 * key does nothing. Returns how many are left. */
size_t actions_for_user(const struct app *app, const struct ui_action *all, size_t n,
			const struct action_rule *rules, size_t nrules, struct ui_action *out);
/* For a screen that changes data, opened by a user who may only read (the key is hidden, so
 * this is a second lock): says so and returns 0; 1 when the user may write. */
int may_write_or_say(const struct app *app);
/* The checklist's moving-out warnings in words, as warnings_text writes them; "" for none. */
void checklist_warnings_text(const struct checklist *c, const char *today, char *out, size_t n);
/* The support in words, "CTI, bevilget 01-11-2026, start 01-12-2026", leaving out what is not
 * known (a new string; "" when nothing is). */
char *support_text(const char *method, const char *granted, const char *start);
/* Loads the checklist a resident's screens show (the open stay's, else the latest one's).
 * Returns 1 with c filled (checklist_free it), 0 when the resident has no stay, -1 on error
 * with the reason in err (errlen bytes). */
int resident_checklist(struct app *app, const char *resident_id, struct checklist *c,
		       char *err, size_t errlen);
/* Prints the resident's checklist with the configured print command, and says on the status
 * line where it went and how many pages, or why it failed. */
void print_resident_checklist(struct app *app, const char *resident_id);

/* Shows text on the status line at once, before something that takes a while (printing, a
 * bundle of thousands of changes), so a key pressed meanwhile is not taken for a hang. */
void show_busy(const char *text);

/* Today as "YYYY-MM-DD". */
void today_iso(char out[DATE_LEN]);
/* "dd-mm-yyyy hh:mm" from a stored local "YYYY-MM-DD HH:MM"; returns out. */
const char *dk_minute(const char *local, char *out, size_t n);
/* The same in local time from a stored UTC time; the stored text ("-" for NULL) when it is
 * malformed, so nothing is hidden. */
const char *utc_dk_minute(const char *utc, char *out, size_t n);

/* What a change of a field is about, in the words of the resident's history: "Room",
 * "Alcohol: Answer", "Note" (a new string). */
char *change_subject(const char *tbl, const char *row_id, const char *field);
/* A stored value as staff read it: labels for codes, Danish dates, yes/no for flags, a CPR
 * number masked, "-" for none (a new string). */
char *change_value_text(const char *field, const char *value);

/* A page of text lines the screen builds once and the page draws with scrolling. */
struct page_line {
	enum ui_style style;
	int indent;
	char *text;
};
struct page {
	struct page_line *lines;
	size_t n, cap;
	long scroll;
};
void page_add(struct page *p, enum ui_style style, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds text wrapped to fit page_draw's lines when it draws in width columns (at spaces where it
 * can; a word longer than a line is broken), so every word shows. */
void page_add_wrapped(struct page *p, enum ui_style style, int indent, int width,
		      const char *text);
void page_clear(struct page *p);
void page_draw(struct page *p, int top, int height, int width);
/* Scrolls by delta lines (or to an end); returns UI_HANDLED. */
enum ui_result page_scroll(struct page *p, long delta, int height);

#endif
