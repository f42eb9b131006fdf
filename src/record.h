/* A record read from the database as field/value pairs, and the generic way to write one: every
 * write keeps the field's history (old value, who, when) and stamps updated_at/updated_by. Screens
 * and `husly demo --edits` change data through here, so both take the same path. */
#ifndef HUSLY_RECORD_H
#define HUSLY_RECORD_H

#include <stddef.h>

struct db;

struct record {
	size_t n;
	char **names;
	char **values; /* NULL for SQL NULL */
};

/* The value of a field, or NULL (missing field or SQL NULL). */
const char *record_get(const struct record *r, const char *name);
void record_free(struct record *r);
void records_free(struct record *r, size_t n);

/* Reads one record by id: returns 1 when found, 0 when not, -1 on error. */
int db_record_get(struct db *db, const char *table, const char *id, struct record *out,
		  char **err);
/* Reads the records of table whose field equals value, in order_by order (a field name). */
int db_records_where(struct db *db, const char *table, const char *field, const char *value,
		     const char *order_by, struct record **out, size_t *n, char **err);

struct field_value {
	const char *field;
	const char *value; /* NULL writes SQL NULL */
};

/* Inside a write transaction (db_begin): inserts a record with these fields, recording each
 * non-NULL one in the history. db_commit then writes the audit entry of the resident the record
 * belongs to (audit.h), naming the tables and fields, never a value. */
int db_record_insert(struct db *db, const char *table, const char *id,
		     const struct field_value *fields, size_t n, char **err);
/* Inside a write transaction: sets one field when its value differs, recording the change (and,
 * as an insert, in the audit entry db_commit writes). */
int db_record_set(struct db *db, const char *table, const char *id, const char *field,
		  const char *value, char **err);

/* A field as it stands now in the database, and its latest change in the history. */
struct field_now {
	int exists;  /* the record exists */
	char *value; /* NULL for SQL NULL, or when the record does not exist */
	char *login; /* who made the latest change (NULL when the history has none) */
	char *at;    /* when, "YYYY-MM-DDTHH:MM:SSZ" (UTC) */
};

/* Reads table.field of record id and who changed it last, when: the same inside a write
 * transaction (what a save compares with) as outside. Returns 0, or -1 with *err. */
int db_field_now(struct db *db, const char *table, const char *id, const char *field,
		 struct field_now *out, char **err);
void field_now_free(struct field_now *f);

/* Whether (table, id) is gone for good: an erased resident, or a record an erasure took: 1, 0,
 * or -1 with *err when it could not be looked up. */
int db_record_erased(struct db *db, const char *table, const char *id, char **err);

/* Whether table.field may be written through db_record_*: a shared table, not an id or stamp. */
int db_field_writable(struct db *db, const char *table, const char *field);

/* The number of the newest change in the history (0 when none), or -1 on error. Inside a write
 * transaction, the changes after it are the transaction's own (`husly demo --log`). */
long long db_history_last(struct db *db, char **err);
/* Calls fn once per change recorded after number seq, in order: the change's hybrid logical
 * clock and terminal (together its identity everywhere), table, record id and field. */
typedef void history_ref_fn(const char *hlc, const char *terminal, const char *table,
			    const char *id, const char *field, void *arg);
int db_history_since(struct db *db, long long seq, history_ref_fn *fn, void *arg, char **err);

#endif
