/* Shared by the commands (cli.c, cli_sync.c). */
#ifndef HUSLY_CLI_INTERNAL_H
#define HUSLY_CLI_INTERNAL_H

struct app;

/* Says "husly: MSG" and how to get help; takes the message, already formatted, and frees it.
 * Returns EXIT_USAGE. */
int usage_error(char *msg);

/* Reads the answer to a question just printed: whether it is "yes" (in the user's language or
 * English). */
int answered_yes(void);

/* How a command opens the database: creating it, only if it exists, or read-only as it is. */
enum open_mode { OPEN_CREATE, OPEN_EXISTING, OPEN_READONLY };
/* Opens app->db; says why not and returns -1 when it cannot. */
int open_db(struct app *app, enum open_mode mode);

/* The sync commands (cli_sync.c). */
int cmd_export(struct app *app, int argc, char **argv);
int cmd_import(struct app *app, int argc, char **argv);
int cmd_conflicts(struct app *app, int argc, char **argv);
int cmd_keygen(struct app *app, int argc, char **argv);

/* The GDPR's commands (cli_gdpr.c). */
int cmd_retention(struct app *app, int argc, char **argv);

#endif
