/* The audit log: appending entries (each chained to the one before by a hash), what a write
 * transaction changed, per resident, and reading and verifying the log.
 *
 * The hash chain. Each entry's hash is BLAKE2b-256 (libsodium's crypto_generichash) of the
 * text "husly audit v1", the previous entry's hash (32 zero bytes before the first entry), and
 * the entry's seq (in decimal), at, login, terminal, action, resident_id and detail, each as a
 * byte 0 (NULL) or 1 followed by its length in 8 bytes (little-endian) and its UTF-8 bytes. It
 * is stored in hex. An entry without a stored hash (written before format 3) is chained with the
 * hash it would have had, so the chain covers the whole log. The hash and seq of the newest
 * entry are also kept in local ('audit_head'), so that removing the newest entries shows too.
 * This shows an entry changed, removed or added outside husly; it is no signature: someone who
 * rewrites the whole chain, the head included, goes unseen. */
#include "audit.h"
#include "db_internal.h"

#include "clock.h"
#include "util.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_BYTES 32
#define HASH_HEX (2 * HASH_BYTES + 1)
#define CHAINED_COLUMNS 7 /* seq, at, login, terminal, action, resident_id, detail */

void db_set_terminal_name(struct db *db, const char *name)
{
	free(db->terminal_name);
	db->terminal_name = xstrdup(name);
}

/* --- the hash chain --------------------------------------------------------------------- */

static void hash_field(crypto_generichash_state *h, const char *value)
{
	size_t n = value ? strlen(value) : 0;
	unsigned char head[9];
	head[0] = value != NULL;
	for (int i = 0; i < 8; i++)
		head[1 + i] = (unsigned char)((uint64_t)n >> (8 * i));
	crypto_generichash_update(h, head, sizeof(head));
	if (n)
		crypto_generichash_update(h, (const unsigned char *)value, n);
}

/* The hash of an entry whose columns are v (seq first, as text), after prev. */
static void entry_hash(const unsigned char prev[HASH_BYTES], const char *const v[CHAINED_COLUMNS],
		       unsigned char out[HASH_BYTES])
{
	static const char domain[] = "husly audit v1";
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, HASH_BYTES);
	crypto_generichash_update(&h, (const unsigned char *)domain, sizeof(domain) - 1);
	crypto_generichash_update(&h, prev, HASH_BYTES);
	for (int i = 0; i < CHAINED_COLUMNS; i++)
		hash_field(&h, v[i]);
	crypto_generichash_final(&h, out, HASH_BYTES);
}

static void to_hex(const unsigned char bin[HASH_BYTES], char hex[HASH_HEX])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < HASH_BYTES; i++) {
		hex[2 * i] = digits[bin[i] >> 4];
		hex[2 * i + 1] = digits[bin[i] & 0xF];
	}
	hex[2 * HASH_BYTES] = '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Whether hex is a stored hash (64 lower-case hex digits); if so, its bytes into bin. */
static int from_hex(const char *hex, unsigned char bin[HASH_BYTES])
{
	if (!hex || strlen(hex) != 2 * HASH_BYTES)
		return 0;
	for (int i = 0; i < HASH_BYTES; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		bin[i] = (unsigned char)(hi << 4 | lo);
	}
	return 1;
}

static const char chain_select[] =
    "SELECT seq, at, login, terminal, action, resident_id, detail, hash FROM audit ";

/* Walks the chain over the rows st yields (chain_select's columns, in seq order) from prev:
 * each row's hash is the stored one when there is one, else the one it would have had. Calls
 * check (when not NULL) with each row, the hash it should have, and whether a stored hash was
 * seen before it; a check that returns non-zero stops the walk. prev ends as the last row's
 * hash, *last_seq as its seq. */
static int chain_walk(struct db *db, sqlite3_stmt *st, unsigned char prev[HASH_BYTES],
		      long long *last_seq,
		      int (*check)(sqlite3_stmt *row, const unsigned char expected[HASH_BYTES],
				   int hashed_before, void *arg),
		      void *arg, char **err)
{
	int rc, hashed = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v[CHAINED_COLUMNS];
		for (int i = 0; i < CHAINED_COLUMNS; i++)
			v[i] = (const char *)sqlite3_column_text(st, i);
		unsigned char expected[HASH_BYTES], stored[HASH_BYTES];
		entry_hash(prev, v, expected);
		*last_seq = sqlite3_column_int64(st, 0);
		if (check && check(st, expected, hashed, arg) != 0)
			return 0;
		if (from_hex((const char *)sqlite3_column_text(st, 7), stored)) {
			memcpy(prev, stored, HASH_BYTES);
			hashed = 1;
		} else {
			memcpy(prev, expected, HASH_BYTES);
		}
	}
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "audit");
}

/* The hash the next entry chains to, and the seq of the last entry (0 when none). */
static int chain_tail(struct db *db, unsigned char prev[HASH_BYTES], long long *last_seq,
		      char **err)
{
	memset(prev, 0, HASH_BYTES);
	*last_seq = 0;
	sqlite3_stmt *st = db_prepare(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
				      err);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	int done = rc == SQLITE_DONE ||
		   (rc == SQLITE_ROW && from_hex((const char *)sqlite3_column_text(st, 1), prev));
	if (rc == SQLITE_ROW)
		*last_seq = sqlite3_column_int64(st, 0);
	db_finish(db, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "audit");
	if (done)
		return 0;
	/* The last entry has no hash (written before format 3, or outside husly): the chain from
	 * the whole log. */
	memset(prev, 0, HASH_BYTES);
	char *sql = xasprintf("%sORDER BY seq", chain_select);
	st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	rc = chain_walk(db, st, prev, last_seq, NULL, NULL, err);
	db_finish(db, st);
	return rc;
}

static int store_head(struct db *db, long long seq, const char hash[HASH_HEX], char **err)
{
	sqlite3_stmt *st =
	    db_prepare(db, "INSERT OR REPLACE INTO local (key, value) VALUES ('audit_head', ?)", err);
	if (!st)
		return -1;
	char *value = xasprintf("%lld %s", seq, hash);
	sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
	free(value);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "audit");
	db_finish(db, st);
	return rc;
}

/* --- appending -------------------------------------------------------------------------- */

int db_audit_in(struct db *db, const char *action, const char *resident_id, const char *detail,
		char **err)
{
	if (sqlite3_get_autocommit(db->conn)) {
		*err = xstrdup("internal error: an audit entry outside a transaction");
		return -1;
	}
	if (sodium_init() < 0) {
		*err = xstrdup("audit: libsodium cannot start");
		return -1;
	}
	unsigned char prev[HASH_BYTES], hash[HASH_BYTES];
	long long last;
	if (chain_tail(db, prev, &last, err) != 0)
		return -1;
	char at[ISO_TIME_LEN], seq[32], hex[HASH_HEX];
	time_to_iso_utc(clock_now(), at);
	snprintf(seq, sizeof(seq), "%lld", last + 1);
	const char *terminal = db->terminal_name ? db->terminal_name : db->terminal_id;
	const char *v[CHAINED_COLUMNS] = {seq, at, db->actor, terminal, action, resident_id, detail};
	entry_hash(prev, v, hash);
	to_hex(hash, hex);
	sqlite3_stmt *st = db_prepare(db,
				      "INSERT INTO audit (seq, at, login, terminal, action, "
				      "resident_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				      err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, last + 1);
	for (int i = 1; i < CHAINED_COLUMNS; i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, hex, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, err, "audit");
	db_finish(db, st);
	return rc == 0 ? store_head(db, last + 1, hex, err) : rc;
}

int db_audit(struct db *db, const char *action, const char *resident_id, const char *detail,
	     char **err)
{
	if (db_begin(db, err) != 0)
		return -1;
	if (db_audit_in(db, action, resident_id, detail, err) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

/* --- what a transaction changed ----------------------------------------------------------- */

struct audit_item {
	char *what; /* "stay.room", "new answer" */
	long count;
};

/* The changes of one resident (or, with resident "", of records of no resident). */
struct audit_group {
	char resident[ID_LEN];
	int created;
	struct audit_item *items;
	size_t n, cap;
};

struct audit_batch {
	struct audit_group *groups;
	size_t n, cap;
};

/* The resident a record belongs to: its own id, its resident_id, or its stay's. */
static const char resident_of_sql[] =
    "SELECT CASE ?1 WHEN 'resident' THEN ?2 "
    "WHEN 'stay' THEN (SELECT resident_id FROM stay WHERE id = ?2) "
    "WHEN 'answer' THEN (SELECT resident_id FROM answer WHERE id = ?2) "
    "WHEN 'note' THEN (SELECT resident_id FROM note WHERE id = ?2) "
    "WHEN 'checklist_step' THEN (SELECT s.resident_id FROM checklist_step c JOIN stay s "
    "  ON s.id = c.stay_id WHERE c.id = ?2) "
    "WHEN 'furniture' THEN (SELECT s.resident_id FROM furniture f JOIN stay s "
    "  ON s.id = f.stay_id WHERE f.id = ?2) END";

static int resident_of(struct db *db, const char *table, const char *row_id,
		       char resident[ID_LEN], char **err)
{
	resident[0] = '\0';
	sqlite3_stmt *st = db_prepare(db, resident_of_sql, err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		strlcpy_trunc(resident, (const char *)sqlite3_column_text(st, 0), ID_LEN);
	db_finish(db, st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, "audit");
}

static struct audit_group *group_of(struct db *db, const char *resident)
{
	if (!db->audit_batch)
		db->audit_batch = xcalloc(1, sizeof(*db->audit_batch));
	struct audit_batch *b = db->audit_batch;
	for (size_t i = 0; i < b->n; i++)
		if (str_eq(b->groups[i].resident, resident))
			return &b->groups[i];
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4;
		b->groups = xrealloc(b->groups, b->cap * sizeof(*b->groups));
	}
	struct audit_group *g = &b->groups[b->n++];
	memset(g, 0, sizeof(*g));
	strlcpy_trunc(g->resident, resident, ID_LEN);
	return g;
}

static void group_add(struct audit_group *g, const char *what)
{
	for (size_t i = 0; i < g->n; i++)
		if (str_eq(g->items[i].what, what)) {
			g->items[i].count++;
			return;
		}
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->items = xrealloc(g->items, g->cap * sizeof(*g->items));
	}
	g->items[g->n++] = (struct audit_item){xstrdup(what), 1};
}

int db_audit_collect(struct db *db, const char *table, const char *row_id, const char *what,
		     char **err)
{
	char resident[ID_LEN];
	if (resident_of(db, table, row_id, resident, err) != 0)
		return -1;
	group_add(group_of(db, resident), what);
	return 0;
}

int db_audit_changed(struct db *db, const char *table, const char *row_id, const char *field,
		     char **err)
{
	/* An erasure writes these, and an erase entry of its own. */
	if (str_eq(table, "resident") && (str_eq(field, "erased_at") || str_eq(field, "erased_by")))
		return 0;
	char resident[ID_LEN];
	if (resident_of(db, table, row_id, resident, err) != 0)
		return -1;
	struct audit_group *g = group_of(db, resident);
	char *what = field ? xasprintf("%s.%s", table, field) : xasprintf("new %s", table);
	group_add(g, what);
	free(what);
	if (!field && (str_eq(table, "resident") || !resident[0]))
		g->created = 1;
	return 0;
}

/* "new resident, new stay, new answer (3), stay.room". */
static char *group_detail(const struct audit_group *g)
{
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < g->n; i++) {
		sb_addf(&sb, "%s%s", i ? ", " : "", g->items[i].what);
		if (g->items[i].count > 1)
			sb_addf(&sb, " (%ld)", g->items[i].count);
	}
	char *detail = xstrdup(sb.buf ? sb.buf : "");
	sb_free(&sb);
	return detail;
}

void db_audit_forget(struct db *db)
{
	struct audit_batch *b = db->audit_batch;
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		for (size_t k = 0; k < b->groups[i].n; k++)
			free(b->groups[i].items[k].what);
		free(b->groups[i].items);
	}
	free(b->groups);
	free(b);
	db->audit_batch = NULL;
}

int db_audit_flush(struct db *db, char **err)
{
	struct audit_batch *b = db->audit_batch;
	int rc = 0;
	for (size_t i = 0; b && i < b->n && rc == 0; i++) {
		const struct audit_group *g = &b->groups[i];
		char *detail = group_detail(g);
		rc = db_audit_in(db, g->created ? AUDIT_CREATE : AUDIT_CHANGE,
				 g->resident[0] ? g->resident : NULL, detail, err);
		free(detail);
	}
	db_audit_forget(db);
	return rc;
}

/* --- reading ------------------------------------------------------------------------------ */

long db_audit_list(struct db *db, const char *resident_id, const char *since,
		   void (*each)(const struct audit_entry *e, void *arg), void *arg, char **err)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT a.at, a.login, a.terminal, a.action, a.resident_id, "
				      "a.detail, CASE WHEN r.erased_at IS NULL THEN r.name END, "
				      "a.seq, r.erased_at IS NOT NULL "
				      "FROM audit a LEFT JOIN resident r ON r.id = a.resident_id "
				      "WHERE (?1 IS NULL OR a.resident_id = ?1) AND "
				      "(?2 IS NULL OR a.at >= ?2) ORDER BY a.seq",
				      err);
	if (!st)
		return -1;
	if (resident_id)
		sqlite3_bind_text(st, 1, resident_id, -1, SQLITE_STATIC);
	if (since)
		sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col[7];
		for (int i = 0; i < 7; i++)
			col[i] = (const char *)sqlite3_column_text(st, i);
		struct audit_entry e = {col[0], col[1], col[2], col[3], col[4], col[5], col[6],
					sqlite3_column_int64(st, 7), sqlite3_column_int(st, 8)};
		each(&e, arg);
		n++;
	}
	db_finish(db, st);
	return rc == SQLITE_DONE ? n : db_fail(db, err, "audit");
}

/* --- verifying ---------------------------------------------------------------------------- */

struct verify {
	char *problem;
};

static int verify_row(sqlite3_stmt *row, const unsigned char expected[HASH_BYTES],
		      int hashed_before, void *arg)
{
	struct verify *v = arg;
	long long seq = sqlite3_column_int64(row, 0);
	const char *at = (const char *)sqlite3_column_text(row, 1);
	const char *stored = (const char *)sqlite3_column_text(row, 7);
	unsigned char bin[HASH_BYTES];
	if (!stored && !hashed_before)
		return 0; /* from before format 3 */
	if (!stored)
		v->problem = xasprintf("audit entry %lld (%s): it has no hash: it was added, or its "
				       "hash removed, outside husly",
				       seq, at ? at : "?");
	else if (!from_hex(stored, bin) || memcmp(bin, expected, HASH_BYTES) != 0)
		v->problem = xasprintf("audit entry %lld (%s): it does not match the hash chain: it, "
				       "or an entry before it, was changed or removed outside husly",
				       seq, at ? at : "?");
	return v->problem != NULL;
}

/* The newest entry must be the one the head names: otherwise the newest were removed. */
static int verify_head(struct db *db, long long last_seq, const unsigned char last[HASH_BYTES],
		       struct verify *v, char **err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT value FROM local WHERE key = 'audit_head'", err);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *head = (const char *)sqlite3_column_text(st, 0);
		char hex[HASH_HEX];
		to_hex(last, hex);
		long long seq = 0;
		char stored[HASH_HEX + 1] = "";
		if (!head || sscanf(head, "%lld %65s", &seq, stored) != 2 || seq != last_seq ||
		    !str_eq(stored, hex))
			v->problem = xasprintf("audit log: its last entry is %lld, but the last one "
					       "husly wrote was %lld (or had another hash): entries "
					       "were removed or replaced outside husly",
					       last_seq, seq);
	}
	db_finish(db, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, "audit");
}

int db_audit_verify(struct db *db, char **problem, char **err)
{
	*problem = NULL;
	if (sodium_init() < 0) {
		*err = xstrdup("audit: libsodium cannot start");
		return -1;
	}
	char *sql = xasprintf("%sORDER BY seq", chain_select);
	sqlite3_stmt *st = db_prepare(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	struct verify v = {NULL};
	unsigned char prev[HASH_BYTES] = {0};
	long long last_seq = 0;
	int rc = chain_walk(db, st, prev, &last_seq, verify_row, &v, err);
	db_finish(db, st);
	if (rc == 0 && !v.problem)
		rc = verify_head(db, last_seq, prev, &v, err);
	if (rc != 0) {
		free(v.problem);
		return -1;
	}
	*problem = v.problem;
	return v.problem != NULL;
}
