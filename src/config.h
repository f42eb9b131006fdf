/* husly.conf: read with libconfuse from /etc/husly/husly.conf, then the user's
 * $XDG_CONFIG_HOME/husly/husly.conf (later values win), or from one file given with -c. No file
 * at all is fine: every key has a default. Every key is documented in husly.conf(5). */
#ifndef HUSLY_CONFIG_H
#define HUSLY_CONFIG_H

#include <stddef.h>

/* What a login may do. ROLE_READ_ONLY is never given in the staff table: it is what
 * `unknown_login` gives a login the table does not name, by default. */
enum role { ROLE_RECEPTION, ROLE_NIGHT, ROLE_COORDINATOR, ROLE_READ_ONLY };

struct staff_member {
	char *login;
	char *name;
	enum role role;
};

/* An entry of one of the answer lists, as husly.conf changes or adds it: `list NAME { entry CODE
 * { ... } }`. */
struct list_entry_conf {
	char *list;  /* the list's name: cause, substance, debt, income, living, destination,
		      * furniture */
	char *code;  /* lower-case a-z, 0-9 and _ */
	char *label; /* NULL: the default label */
	int hidden;  /* no longer offered; stored values still show */
	char *where; /* "FILE:LINE" of the entry (the last one given), for messages */
};

/* A step of the move-out checklist, as husly.conf changes or adds it: `checklist { step CODE
 * { ... } }`. */
struct step_conf {
	char *code;
	char *item;  /* income, housing, furniture or support; NULL: not given */
	char *label; /* NULL: the default label */
	char *after; /* NULL, or the code of the step this one follows */
	int hidden;
	char *where;
};

struct config {
	char *shelter;       /* shown on the top line and on print-outs */
	char *terminal;      /* this terminal's name; default the host name */
	char *database;      /* path of the SQLite file; default $XDG_DATA_HOME/husly/husly.db */
	int database_is_default; /* no `database` key: the UI may create the file on first start */
	char *language;      /* "da" or "en" */
	char *print_command; /* gets the document on standard input */
	char *sync_key_file; /* the shelter key that seals bundles; "" for none */
	enum role unknown_login; /* what a login missing from the staff table may do */
	char *group;          /* "": files are 0600; else 0660 and owned by this group */
	int beds;             /* beds in the shelter, for the overview's free beds; 0: not set */
	int retention_months; /* residents gone this long are erased by `husly retention`; 0: off */
	/* The state refund limit husly report counts with: days per resident and calendar year,
	 * refund_limit_days_before before the day refund_limit_change ("YYYY-MM-DD"), then
	 * refund_limit_days. */
	int refund_limit_days_before, refund_limit_days;
	char *refund_limit_change;
	/* VIVE's typology of stays in husly report: over stay_type_years years, long from
	 * stay_type_long_days days, else episodic from stay_type_episodic_stays stays. */
	int stay_type_years, stay_type_long_days, stay_type_episodic_stays;
	struct staff_member *staff;
	size_t nstaff;
	/* The answer lists and the checklist as configured, applied by lists_configure (lists.h).
	 * Entries and steps are in the order first written; a later one with the same list and
	 * code (or the same step code) changes the keys it sets, also across the system and user
	 * files, and its line becomes `where`. */
	struct list_entry_conf *entries;
	size_t nentries;
	struct step_conf *steps;
	size_t nsteps;
	char **step_order; /* checklist's `order`: step codes, NULL when not given */
	size_t nstep_order;
	char *step_order_where; /* "FILE:LINE" of `order` */
};

#define SYSTEM_CONFIG "/etc/husly/husly.conf"

/* Loads the configuration into c. explicit_file (from -c) is read alone; NULL reads the system
 * and user files that exist. Either way, a staff table in the system file decides the access
 * keys (config_apply_system_access). Returns 0, or -1 with *err set to "FILE:LINE: what is wrong"
 * (free it). The lists and checklist it reads are checked as lists_configure will apply them,
 * so a configuration config_load accepts is one lists_configure accepts. */
int config_load(struct config *c, const char *explicit_file, char **err);
void config_free(struct config *c);

/* Gives c the access keys of the system file sys (staff, unknown_login, group) when sys has a
 * staff table: config_load does this with /etc/husly/husly.conf, so that neither the user's
 * own file nor -c can change who may do what on a shared install. */
void config_apply_system_access(struct config *c, const struct config *sys);

/* The staff member with this login, or NULL. */
const struct staff_member *config_staff(const struct config *c, const char *login);
const char *role_name(enum role r); /* "reception", "night", "coordinator", "read-only" */

/* The user's default paths (new strings). */
char *config_user_file(void);
char *config_default_database(void);

#endif
