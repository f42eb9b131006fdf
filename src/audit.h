/* The audit log: who opened, changed, printed, exported, imported or erased what, when and on
 * which terminal. Append-only: the database refuses to change or delete an entry. */
#ifndef HUSLY_AUDIT_H
#define HUSLY_AUDIT_H

struct db;

/* What was done. */
#define AUDIT_OPEN "open" /* a resident's record was shown */
#define AUDIT_DUMP "dump" /* every record was written out by `husly dump` */
#define AUDIT_PRINT "print" /* a resident's checklist was printed; detail: where to */
#define AUDIT_EXPORT "export" /* changes went out in a bundle; detail: peer and how many */
#define AUDIT_IMPORT "import" /* a bundle came in; detail: from whom and what it did */
#define AUDIT_ERASE "erase"   /* a resident was erased */
#define AUDIT_SUBJECT_ACCESS "subject-access" /* everything about a resident was printed for
					       * their right of access; detail: where to */
#define AUDIT_RETENTION "retention" /* a resident was erased when their retention time ran out;
				     * detail: the time */
#define AUDIT_REPORT "report" /* `husly report` wrote a period's figures and the register's
			       * listing (CPR numbers); detail: the period and where to */
/* Written by every write transaction that changes records here (not by an import, whose own
 * entry says what it did), one entry per resident: the detail names the tables and fields,
 * never their values ("new stay, stay.room, resident.name"; "new answer (3)": three of them). */
#define AUDIT_CREATE "create" /* the resident was registered (or, with no resident, a shift-log
			       * entry written) */
#define AUDIT_CHANGE "change" /* the resident's records changed: fields, notes, the checklist */

/* The terminal's name as staff know it (husly.conf `terminal`), recorded with each entry. */
void db_set_terminal_name(struct db *db, const char *name);
/* Appends an entry by the current actor, in its own transaction. resident_id and detail may be
 * NULL. */
int db_audit(struct db *db, const char *action, const char *resident_id, const char *detail,
	     char **err);
/* The same inside the caller's write transaction (db_begin), for many entries at once. */
int db_audit_in(struct db *db, const char *action, const char *resident_id, const char *detail,
		char **err);

/* One entry of the audit log. */
struct audit_entry {
	const char *at, *login, *terminal, *action, *resident_id, *detail; /* may be NULL */
	const char *resident_name; /* the resident's name now, NULL when none or erased */
	long long seq;             /* its place in the log, from 1 */
	int resident_erased;       /* the resident has been erased */
};
/* Calls each(entry, arg) for every entry, oldest first: of one resident when resident_id is
 * not NULL, and from since (UTC "YYYY-MM-DDTHH:MM:SSZ") on when since is not NULL. Returns the
 * number of entries, or -1 with *err set. */
long db_audit_list(struct db *db, const char *resident_id, const char *since,
		   void (*each)(const struct audit_entry *e, void *arg), void *arg, char **err);

/* Verifies the log's hash chain (db_audit.c says how it is made). Returns 0 when whole; 1 with
 * *problem (a new string, English, for `husly check`) naming the first entry that breaks it;
 * -1 with *err when the log cannot be read. Needs the hash column (format 3). */
int db_audit_verify(struct db *db, char **problem, char **err);

#endif
