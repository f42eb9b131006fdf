/* Shared by the src/db*.c files only. */
#ifndef HUSLY_DB_INTERNAL_H
#define HUSLY_DB_INTERNAL_H

#include <sqlite3.h>

#include "db.h"

struct db {
	sqlite3 *conn;
	char *path;
	char *actor;
	char *terminal_name; /* husly.conf's name for this terminal, for the audit log */
	char terminal_id[ID_LEN];
	char origin[ID_LEN];
};

/* Sets *err to "what: sqlite's message" (if err is not NULL); returns -1. */
int db_fail(struct db *db, char **err, const char *what);
/* Prepares sql; on failure sets *err and returns NULL. */
sqlite3_stmt *db_prepare(struct db *db, const char *sql, char **err);
/* Runs sql with no parameters and no rows. */
int db_exec(struct db *db, const char *sql, char **err);
/* Makes the conflicts of a field what its changes say (sync.h): after an import, and after a
 * change made here, which may take or leave a lost value. *added counts new ones. */
int db_field_conflicts(struct db *db, const char *tbl, const char *row, const char *field,
		       long *added, char **err);
/* Text of column i, or NULL; a new string. */
char *db_column_dup(sqlite3_stmt *st, int i);

#endif
