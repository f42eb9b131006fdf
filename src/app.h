/* What a run of husly holds: its configuration, who is using it, and the open database. */
#ifndef HUSLY_APP_H
#define HUSLY_APP_H

#include "config.h"

struct db;

struct app {
	struct config cfg;
	const char *db_path;           /* -d, else the configured database */
	int db_path_is_default;        /* neither -d nor `database`: the UI may create it */
	char *login;                   /* the Unix login: staff identity */
	const struct staff_member *me; /* NULL when the login is not in the staff table */
	struct db *db;
};

/* The name to show for the user: the staff table's display name, else the login. */
const char *app_user_name(const struct app *app);
/* What the user may do: the staff table's role; for a login it does not name, husly.conf's
 * `unknown_login` (read-only by default); with no staff table at all, everything (the one user
 * of a one-person install is its coordinator). */
enum role app_role(const struct app *app);
/* Whether the user may change anything (admit, edit, write notes, tick the checklist). */
int app_may_write(const struct app *app);
/* Whether the user may see whole CPR numbers: reception and coordinators, who notify the
 * municipality and write to it, and the one user of an install without a staff table. Night
 * staff and read-only logins see DDMMYY-XXXX. */
int app_may_see_cpr(const struct app *app);
/* "Mette Holm (mette)": the name and the login, as print-outs sign; the login alone when the
 * staff table has no name for it. A new string. */
char *app_signature(const struct app *app);
/* Whether the user may do what only a coordinator does (erase, read the audit log, resolve
 * conflicts, import bundles): a coordinator, or the one user of an install without a staff
 * table. */
int app_is_coordinator(const struct app *app);
/* The role to show ("" for the one user of an install without a staff table). */
const char *app_user_role(const struct app *app);

#endif
