/* husly.conf: read with libconfuse from /etc/husly/husly.conf, then the user's
 * $XDG_CONFIG_HOME/husly/husly.conf (later values win), or from one file given with -c. No file
 * at all is fine: every key has a default. Every key is documented in husly.conf(5). */
#ifndef HUSLY_CONFIG_H
#define HUSLY_CONFIG_H

#include <stddef.h>

enum role { ROLE_RECEPTION, ROLE_NIGHT, ROLE_COORDINATOR };

struct staff_member {
	char *login;
	char *name;
	enum role role;
};

struct config {
	char *shelter;       /* shown on the top line and on print-outs */
	char *terminal;      /* this terminal's name; default the host name */
	char *database;      /* path of the SQLite file; default $XDG_DATA_HOME/husly/husly.db */
	int database_is_default; /* no `database` key: the UI may create the file on first start */
	char *language;      /* "da" or "en" */
	char *print_command; /* gets the document on standard input */
	struct staff_member *staff;
	size_t nstaff;
};

#define SYSTEM_CONFIG "/etc/husly/husly.conf"

/* Loads the configuration into c. explicit_file (from -c) is read alone; NULL reads the system
 * and user files that exist. Returns 0, or -1 with *err set to "FILE:LINE: what is wrong"
 * (free it). */
int config_load(struct config *c, const char *explicit_file, char **err);
void config_free(struct config *c);

/* The staff member with this login, or NULL. */
const struct staff_member *config_staff(const struct config *c, const char *login);
const char *role_name(enum role r); /* "reception", "night", "coordinator" */

/* The user's default paths (new strings). */
char *config_user_file(void);
char *config_default_database(void);

#endif
