/* The resident list as the database gives it: each filter and each order on a small house built
 * by hand, the flagged filter through a keep predicate, search by name, id, birth date and room,
 * and paging that gives the same rows as one big page. Today is Wednesday 25-11-2026. */
#include "unit.h"

#include "clock.h"
#include "db.h"
#include "db_list.h"
#include "model.h"
#include "record.h"

#define NOW 1795569240 /* 2026-11-25 02:14 in Copenhagen */
#define TODAY "2026-11-25"

/* The house. Ids are fixed, each with its own second letter, and start with r, which no room or
 * date does, so that searches for rooms and dates cannot meet an id prefix by chance. */
#define SOREN "ra0000000001"   /* present, 12A, 5 days, born 12-03-1981 */
#define BJORN "rb0000000002"   /* present, 2, 85 days, not assessed: flagged */
#define ANNE "rc0000000003"    /* present, 10, 1 day, medical alert: flagged; born 29-02-2000 */
#define ASE "rd0000000004"     /* present, 12B, 55 days; born 03-12-1925 */
#define KIM "re0000000005"     /* present, no room, 0 days; no birth date, a CPR number */
#define ANDERS "rf0000000006"  /* present, 2, 85 days (as Bjørn) */
#define METTE "rg0000000007"   /* present, 30B, 41 days, ready 208 days: flagged; stayed before */
#define PREBEN "rh0000000008"  /* moved out from 5 after 151 days; a house ban */
#define IB "rj0000000009"      /* moved out from 14 after 92 days, the second of two stays */
#define TAGE "rk000000000a"    /* no stay at all; born today */
#define ERASED "rm000000000b"  /* erased: never in the list */

static void begin(struct db *db)
{
	char *err = NULL;
	unit_check_ok(db_begin(db, &err), err, "db_begin");
}

static void commit(struct db *db)
{
	char *err = NULL;
	unit_check_ok(db_commit(db, &err), err, "db_commit");
}

static void insert(struct db *db, const char *table, const char *id,
		   const struct field_value *f, size_t n)
{
	char *err = NULL;
	unit_check_ok(db_record_insert(db, table, id, f, n, &err), err, table);
}

static void resident(struct db *db, const char *id, const char *name, const char *birth,
		     const char *cpr)
{
	const struct field_value f[] = {{"name", name}, {"birth_date", birth}, {"cpr", cpr}};
	insert(db, "resident", id, f, ARRAY_SIZE(f));
}

/* The id of a resident's stay number n: "s", the resident id's 2nd to 11th characters, n. */
static const char *stay_id(const char *resident_id, char n)
{
	static char id[ID_LEN];
	snprintf(id, sizeof(id), "s%.10s%c", resident_id + 1, n);
	return id;
}

static void stay(struct db *db, const char *resident_id, char n, const char *room,
		 const char *arrival, const char *departure, const char *notified,
		 const char *assessed)
{
	char id[ID_LEN];
	strlcpy_trunc(id, stay_id(resident_id, n), ID_LEN);
	const struct field_value f[] = {{"resident_id", resident_id}, {"room", room},
					{"arrival", arrival},	      {"departure", departure},
					{"notified_at", notified},    {"assessed_at", assessed}};
	insert(db, "stay", id, f, ARRAY_SIZE(f));
}

static void set(struct db *db, const char *table, const char *id, const char *field,
		const char *value)
{
	char *err = NULL;
	unit_check_ok(db_record_set(db, table, id, field, value, &err), err, field);
}

struct fixture {
	char *dir;
	struct db *db;
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	fx->dir = unit_tmpdir();
	clock_fix(NOW);
	struct db *db = fx->db = unit_db_fresh(fx->dir, "h.db");
	db_set_actor(db, "test");
	begin(db);
	resident(db, SOREN, "Søren Ærø", "1981-03-12", "1203814321");
	stay(db, SOREN, '1', "12A", "2026-11-20 10:00", NULL, NULL, NULL);
	resident(db, BJORN, "Bjørn Hansen", "1958-07-30", NULL);
	stay(db, BJORN, '1', "2", "2026-09-01 09:00", NULL, "2026-09-02", NULL);
	resident(db, ANNE, "Anne Nielsen", "2000-02-29", NULL);
	set(db, "resident", ANNE, "alert_medical", "Diabetes");
	stay(db, ANNE, '1', "10", "2026-11-24 22:00", NULL, NULL, NULL);
	resident(db, ASE, "Åse Kjær", "1925-12-03", NULL);
	stay(db, ASE, '1', "12B", "2026-10-01 12:00", NULL, "2026-10-02", "2026-10-20");
	resident(db, KIM, "Kim Larsen", NULL, "0202024321");
	stay(db, KIM, '1', NULL, "2026-11-25 01:00", NULL, NULL, NULL);
	resident(db, ANDERS, "Anders Bøgh", "1970-05-05", NULL);
	stay(db, ANDERS, '1', "2", "2026-09-01 09:00", NULL, "2026-09-02", "2026-09-20");
	resident(db, METTE, "Mette Holm", "1990-12-03", NULL);
	stay(db, METTE, '1', "7", "2025-03-01 12:00", "2025-05-01 10:00", "2025-03-02",
	     "2025-03-20");
	stay(db, METTE, '2', "30B", "2026-10-15 08:00", NULL, "2026-10-16", "2026-10-30");
	char mette_stay[ID_LEN];
	strlcpy_trunc(mette_stay, stay_id(METTE, '2'), ID_LEN);
	set(db, "stay", mette_stay, "ready_at", "2026-05-01");
	const struct field_value step[] = {{"stay_id", mette_stay}, {"item", "housing"},
					   {"step", "housing_registered"}, {"status", "done"}};
	char *step_id = xasprintf("%s/housing_registered", mette_stay);
	insert(db, "checklist_step", step_id, step, ARRAY_SIZE(step));
	free(step_id);
	resident(db, PREBEN, "Preben Hjørne", "1966-01-01", NULL);
	set(db, "resident", PREBEN, "ban_until", "2027-01-01");
	stay(db, PREBEN, '1', "5", "2026-01-10 10:00", "2026-06-10 10:00", "2026-01-11",
	     "2026-01-30");
	resident(db, IB, "Ib Ravnsbæk", "1975-06-06", NULL);
	stay(db, IB, '1', "3", "2024-01-01 12:00", "2024-02-01 12:00", NULL, NULL);
	stay(db, IB, '2', "14", "2025-05-01 12:00", "2025-08-01 12:00", "2025-05-02",
	     "2025-05-20");
	resident(db, TAGE, "Tage Intet", TODAY, NULL);
	resident(db, ERASED, "Erik Slettet", "1981-03-12", NULL);
	stay(db, ERASED, '1', "12A", "2026-11-01 10:00", NULL, NULL, NULL);
	set(db, "resident", ERASED, "erased_at", "2026-11-24T10:00:00Z");
	commit(db);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	db_close(fx->db);
	unit_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	clock_fix(0);
	return 0;
}

/* --- reading the list --------------------------------------------------------------------- */

static int flagged(const struct list_row *row, void *today)
{
	return row_warnings(row, today) != 0;
}

static struct list_query query(enum list_filter filter, enum list_sort sort, const char *search)
{
	struct list_query q = {filter, sort, search, NULL, NULL};
	if (filter == LIST_FLAGGED) {
		q.keep = flagged;
		q.keep_arg = (void *)TODAY;
	}
	return q;
}

/* The ids of rows [offset, offset + limit), separated by spaces. */
static void page_ids(struct db *db, const struct list_query *q, long offset, long limit,
		     char *out, size_t size)
{
	struct list_row *rows;
	size_t n;
	char *err = NULL;
	unit_check_ok(db_list_page(db, q, offset, limit, &rows, &n, &err), err, "db_list_page");
	assert_true(n <= (size_t)limit);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", len ? " " : "", rows[i].id);
	}
	list_rows_free(rows, n);
}

/* Asserts the whole list of q, in order, and that its count agrees. */
static void expect_list(struct db *db, const struct list_query *q, const char *want)
{
	char got[1024];
	page_ids(db, q, 0, 100, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("filter %d, sort %d, search \"%s\":\n  got  %s\n  want %s", q->filter,
			 q->sort, q->search ? q->search : "", got, want);
	char *err = NULL;
	long count = db_list_count(db, q, &err);
	if (count < 0)
		fail_msg("db_list_count: %s", err ? err : "?");
	long words = want[0] ? 1 : 0;
	for (const char *p = want; *p; p++)
		words += *p == ' ';
	assert_int_equal(count, words);
}

static void expect(struct db *db, enum list_filter filter, enum list_sort sort,
		   const char *search, const char *want)
{
	struct list_query q = query(filter, sort, search);
	expect_list(db, &q, want);
}

/* --- the orders ----------------------------------------------------------------------------- */

#define SP " "

static void test_sort_room(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* Numbers as numbers (2 before 10), 12A before 12B, no room last; a shared room by name. */
	expect(db, LIST_PRESENT, LIST_SORT_ROOM, NULL,
	       ANDERS SP BJORN SP ANNE SP SOREN SP ASE SP METTE SP KIM);
	/* Everyone: by the room of the latest stay (Ib's 14, not his earlier 3). */
	expect(db, LIST_ALL, LIST_SORT_ROOM, NULL,
	       ANDERS SP BJORN SP PREBEN SP ANNE SP SOREN SP ASE SP IB SP METTE SP KIM SP TAGE);
}

static void test_sort_name(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* By the folded name: Åse as "ase", after Anne; Søren as "soren". */
	expect(db, LIST_PRESENT, LIST_SORT_NAME, NULL,
	       ANDERS SP ANNE SP ASE SP BJORN SP KIM SP METTE SP SOREN);
	expect(db, LIST_ALL, LIST_SORT_NAME, NULL,
	       ANDERS SP ANNE SP ASE SP BJORN SP IB SP KIM SP METTE SP PREBEN SP SOREN SP TAGE);
}

static void test_sort_arrival(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* Newest first, to the minute (Kim at 01:00 today, Anne at 22:00 yesterday); the same
	 * arrival by name. */
	expect(db, LIST_PRESENT, LIST_SORT_ARRIVAL, NULL,
	       KIM SP ANNE SP SOREN SP METTE SP ASE SP ANDERS SP BJORN);
	/* The latest stay's arrival; no stay last. */
	expect(db, LIST_ALL, LIST_SORT_ARRIVAL, NULL,
	       KIM SP ANNE SP SOREN SP METTE SP ASE SP ANDERS SP BJORN SP PREBEN SP IB SP TAGE);
}

static void test_sort_days(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	expect(db, LIST_PRESENT, LIST_SORT_DAYS, NULL,
	       ANDERS SP BJORN SP ASE SP METTE SP SOREN SP ANNE SP KIM);
	/* Days up to the departure for those who left: Preben's 151 before Ib's 92, though Ib
	 * arrived earlier; then the 85 days of Anders and Bjørn. */
	expect(db, LIST_ALL, LIST_SORT_DAYS, NULL,
	       PREBEN SP IB SP ANDERS SP BJORN SP ASE SP METTE SP SOREN SP ANNE SP KIM SP TAGE);
	expect(db, LIST_MOVED_OUT, LIST_SORT_DAYS, NULL, PREBEN SP IB);
}

/* The order is the one row_days gives, the days the screen shows. */
static void test_sort_days_agrees_with_row_days(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	struct list_query q = query(LIST_ALL, LIST_SORT_DAYS, NULL);
	struct list_row *rows;
	size_t n;
	char *err = NULL;
	unit_check_ok(db_list_page(db, &q, 0, 100, &rows, &n, &err), err, "db_list_page");
	assert_int_equal(n, 10);
	long expect_days[] = {151, 92, 85, 85, 55, 41, 5, 1, 0};
	for (size_t i = 0; i + 1 < n; i++)
		assert_int_equal(row_days(&rows[i], TODAY), expect_days[i]);
	assert_null(rows[n - 1].arrival); /* Tage, who has no stay */
	list_rows_free(rows, n);
}

/* --- the filters ---------------------------------------------------------------------------- */

static void test_filter_present(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* Mette is here though an earlier stay of hers ended; the erased resident is not. */
	expect(db, LIST_PRESENT, LIST_SORT_NAME, NULL,
	       ANDERS SP ANNE SP ASE SP BJORN SP KIM SP METTE SP SOREN);
}

static void test_filter_moved_out(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* Those whose latest stay ended: not Mette (here again), not Tage (never stayed). */
	expect(db, LIST_MOVED_OUT, LIST_SORT_ROOM, NULL, PREBEN SP IB);
	expect(db, LIST_MOVED_OUT, LIST_SORT_NAME, NULL, IB SP PREBEN);
	/* Moving out puts a resident in it; a new stay takes them out again. */
	begin(db);
	set(db, "stay", stay_id(SOREN, '1'), "departure", "2026-11-24 12:00");
	commit(db);
	expect(db, LIST_MOVED_OUT, LIST_SORT_NAME, NULL, IB SP PREBEN SP SOREN);
	expect(db, LIST_PRESENT, LIST_SORT_ROOM, NULL,
	       ANDERS SP BJORN SP ANNE SP ASE SP METTE SP KIM);
	begin(db);
	stay(db, PREBEN, '2', "5", "2026-11-24 20:00", NULL, NULL, NULL);
	commit(db);
	expect(db, LIST_MOVED_OUT, LIST_SORT_NAME, NULL, IB SP SOREN);
}

static void test_filter_all(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	expect(db, LIST_ALL, LIST_SORT_NAME, NULL,
	       ANDERS SP ANNE SP ASE SP BJORN SP IB SP KIM SP METTE SP PREBEN SP SOREN SP TAGE);
}

static void test_filter_flagged(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* Present with a warning: Bjørn not assessed after 85 days, Anne's medical alert, Mette
	 * ready for 208 days. Preben's house ban is a warning too, but he is not here. */
	expect(db, LIST_FLAGGED, LIST_SORT_ROOM, NULL, BJORN SP ANNE SP METTE);
	expect(db, LIST_FLAGGED, LIST_SORT_NAME, NULL, ANNE SP BJORN SP METTE);
	expect(db, LIST_FLAGGED, LIST_SORT_ARRIVAL, NULL, ANNE SP METTE SP BJORN);
	expect(db, LIST_FLAGGED, LIST_SORT_DAYS, NULL, BJORN SP METTE SP ANNE);
	/* With a search, the predicate sees only what the search lets through. */
	expect(db, LIST_FLAGGED, LIST_SORT_ROOM, "hansen", BJORN);
	expect(db, LIST_FLAGGED, LIST_SORT_ROOM, "kjaer", "");
	/* Assessing Bjørn takes him off it. */
	begin(db);
	set(db, "stay", stay_id(BJORN, '1'), "assessed_at", "2026-11-25");
	commit(db);
	expect(db, LIST_FLAGGED, LIST_SORT_ROOM, NULL, ANNE SP METTE);
	/* Without a predicate the flagged filter holds everyone present. */
	struct list_query q = {LIST_FLAGGED, LIST_SORT_ROOM, NULL, NULL, NULL};
	expect_list(db, &q, ANDERS SP BJORN SP ANNE SP SOREN SP ASE SP METTE SP KIM);
}

/* The predicate gets whole rows: what row_warnings needs, the checklist counts included. */
struct seen {
	int calls;
	int mette_steps_done, mette_registered;
	char mette_ready[DATE_LEN];
};

static int record_rows(const struct list_row *row, void *arg)
{
	struct seen *s = arg;
	s->calls++;
	assert_non_null(row->name);
	assert_non_null(row->arrival);
	assert_null(row->departure);
	if (strcmp(row->id, METTE) == 0) {
		s->mette_steps_done = row->steps_done;
		s->mette_registered = row->housing_registered;
		strlcpy_trunc(s->mette_ready, row->ready_at, DATE_LEN);
	}
	return row->name[0] == 'A'; /* Anders and Anne; Åse starts with another letter */
}

static void test_keep_predicate(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	struct seen s;
	memset(&s, 0, sizeof(s));
	struct list_query q = {LIST_FLAGGED, LIST_SORT_NAME, NULL, record_rows, &s};
	expect_list(db, &q, ANDERS SP ANNE);
	assert_true(s.calls >= 7); /* every resident present, for the page and for the count */
	assert_int_equal(s.mette_steps_done, 1);
	assert_int_equal(s.mette_registered, 1);
	assert_string_equal(s.mette_ready, "2026-05-01");
	/* A predicate works on any filter, paged and positioned in C. */
	struct list_query all = {LIST_ALL, LIST_SORT_DAYS, NULL, flagged, (void *)TODAY};
	expect_list(db, &all, PREBEN SP BJORN SP METTE SP ANNE); /* Preben's ban */
	char *err = NULL;
	assert_int_equal(db_list_position(db, &all, METTE, &err), 2);
	assert_int_equal(db_list_position(db, &all, SOREN, &err), -1);
	assert_null(err);
}

/* --- search ------------------------------------------------------------------------------- */

static void test_search_birth_date(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* Søren, born 12-03-1981, the ways staff type it. */
	static const char *const forms[] = {"12-03-1981", "12.03.1981", "12/3/1981", "12031981",
					    "1981-03-12", "12-03-81",	"12.3.81",   "120381",
					    "120381-",	  " 12-03-1981 ", "12-03",   "12.3"};
	for (size_t i = 0; i < ARRAY_SIZE(forms); i++)
		expect(db, LIST_ALL, LIST_SORT_NAME, forms[i], SOREN);
	/* Other days, and dates that are none. */
	expect(db, LIST_ALL, LIST_SORT_NAME, "13-03-1981", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "12-03-1982", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "31-02-1981", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "12-03-198", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "1203", "");
	/* A four-digit year is that year; a two-digit one any century (a CPR number's first six
	 * digits do not say which): Åse was born in 1925. */
	expect(db, LIST_ALL, LIST_SORT_NAME, "03-12-1925", ASE);
	expect(db, LIST_ALL, LIST_SORT_NAME, "03-12-2025", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "031225", ASE);
	expect(db, LIST_ALL, LIST_SORT_NAME, "3-12-25", ASE);
	/* Day and month alone: any year (Mette was born on 03-12 too), 29-02 included. */
	expect(db, LIST_ALL, LIST_SORT_NAME, "03-12", ASE SP METTE);
	expect(db, LIST_ALL, LIST_SORT_NAME, "29-02", ANNE);
	expect(db, LIST_ALL, LIST_SORT_NAME, "290200", ANNE);
	/* A CPR number's first six digits also find a resident by the number alone. */
	expect(db, LIST_ALL, LIST_SORT_NAME, "020202", KIM);
	expect(db, LIST_ALL, LIST_SORT_NAME, "020202-", KIM);
	/* The birth date searches within the filter: Preben (moved out) only when shown. */
	expect(db, LIST_PRESENT, LIST_SORT_NAME, "01-01-1966", "");
	expect(db, LIST_MOVED_OUT, LIST_SORT_NAME, "01-01-1966", PREBEN);
	/* Quick words and +N are dates to date_parse_typed, but no birth dates: Tage, born today,
	 * is not found by them. */
	expect(db, LIST_ALL, LIST_SORT_NAME, "i dag", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "+0", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "25-11-2026", TAGE);
}

static void test_search_room(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	expect(db, LIST_PRESENT, LIST_SORT_ROOM, "12a", SOREN);
	expect(db, LIST_PRESENT, LIST_SORT_ROOM, "12A", SOREN);
	expect(db, LIST_PRESENT, LIST_SORT_ROOM, " 12b ", ASE);
	expect(db, LIST_PRESENT, LIST_SORT_ROOM, "30b", METTE);
	/* The whole room: 2 is not 12A, 12 is no room. */
	expect(db, LIST_PRESENT, LIST_SORT_ROOM, "2", ANDERS SP BJORN);
	expect(db, LIST_PRESENT, LIST_SORT_ROOM, "12", "");
	/* Those who moved out by the room of their last stay, not an earlier one. */
	expect(db, LIST_ALL, LIST_SORT_ROOM, "14", IB);
	expect(db, LIST_ALL, LIST_SORT_ROOM, "3", "");
	expect(db, LIST_ALL, LIST_SORT_ROOM, "7", "");
}

static void test_search_id(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* The start of an id, in either case; the whole id; no more than it. */
	expect(db, LIST_ALL, LIST_SORT_NAME, "rc", ANNE);
	expect(db, LIST_ALL, LIST_SORT_NAME, "RC00", ANNE);
	expect(db, LIST_ALL, LIST_SORT_NAME, ANNE, ANNE);
	expect(db, LIST_ALL, LIST_SORT_NAME, "rc0000000003x", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "r",
	       ANDERS SP ANNE SP ASE SP BJORN SP IB SP KIM SP METTE SP PREBEN SP SOREN SP TAGE);
	/* Not the middle of an id, nor an erased resident's; compared as text: no wildcards. */
	expect(db, LIST_ALL, LIST_SORT_NAME, "c000", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "rm", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "r_000", "");
	expect(db, LIST_ALL, LIST_SORT_NAME, "rc%", "");
}

static void test_search_name(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* Danish letters, their two-letter spellings and the plain vowels all find them. */
	static const struct {
		const char *search, *want;
	} cases[] = {
	    {"Søren", SOREN},	  {"soeren", SOREN},	  {"soren", SOREN},   {"ÆRØ", SOREN},
	    {"aeroe", SOREN},	  {"aro", SOREN},	  {"Åse", ASE},	      {"Aase", ASE},
	    {"kjaer", ASE},	  {"kjar", ASE},	  {"bjørn", BJORN},   {"BJOERN", BJORN},
	    {"bøgh", ANDERS},	  {"boegh", ANDERS},	  {"hjørne", PREBEN}, {"ravnsbaek", IB},
	    {"ravnsbæk", IB},	  {"nielsen", ANNE},	  {"en ær", SOREN},   {"Erik", ""},
	    {"slettet", ""},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect(db, LIST_ALL, LIST_SORT_NAME, cases[i].search, cases[i].want);
	/* A part of a name anywhere; the filter still holds. */
	expect(db, LIST_ALL, LIST_SORT_NAME, "sen", ANNE SP BJORN SP KIM);
	expect(db, LIST_PRESENT, LIST_SORT_NAME, "ravnsbaek", "");
	/* An empty search is none. */
	expect(db, LIST_PRESENT, LIST_SORT_NAME, "",
	       ANDERS SP ANNE SP ASE SP BJORN SP KIM SP METTE SP SOREN);
}

/* --- paging ------------------------------------------------------------------------------- */

/* Pages of every size give the same rows as one big page, for every filter and order; each
 * resident's position is their place in it; the count agrees. */
static void test_paging(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	/* Rooms too: everyone's count has a query of its own that must agree with the pages,
	 * for a latest room (14) and for one only an earlier stay had (3). */
	const char *searches[] = {NULL, "en", "12-03", "14", "3"};
	for (int f = 0; f < LIST_FILTERS; f++)
		for (int o = 0; o < LIST_SORTS; o++)
			for (size_t k = 0; k < ARRAY_SIZE(searches); k++) {
				struct list_query q = query((enum list_filter)f, (enum list_sort)o,
							    searches[k]);
				char whole[1024], page[1024];
				page_ids(db, &q, 0, 1000, whole, sizeof(whole));
				char *err = NULL;
				long count = db_list_count(db, &q, &err);
				assert_null(err);
				long n = whole[0] ? 1 : 0;
				for (const char *p = whole; *p; p++)
					n += *p == ' ';
				assert_int_equal(count, n);
				for (long size = 1; size <= 4; size++) {
					struct strbuf pieces;
					sb_init(&pieces);
					sb_add(&pieces, "");
					for (long off = 0; off < count + size; off += size) {
						page_ids(db, &q, off, size, page, sizeof(page));
						if (page[0] && pieces.len)
							sb_add(&pieces, " ");
						sb_add(&pieces, page);
					}
					if (strcmp(pieces.buf, whole) != 0)
						fail_msg("filter %d sort %d, pages of %ld:\n  %s\n  "
							 "one page:\n  %s",
							 f, o, size, pieces.buf, whole);
					sb_free(&pieces);
				}
				/* Past the end: nothing. */
				page_ids(db, &q, count, 5, page, sizeof(page));
				assert_string_equal(page, "");
				/* Each resident's position is their place. */
				long i = 0;
				for (const char *p = whole; *p; i++) {
					char id[ID_LEN];
					memcpy(id, p, ID_LEN - 1);
					id[ID_LEN - 1] = '\0';
					assert_int_equal(db_list_position(db, &q, id, &err), i);
					p += ID_LEN - 1;
					if (*p == ' ')
						p++;
				}
				assert_int_equal(db_list_position(db, &q, ERASED, &err), -1);
				assert_null(err);
			}
}

int main(void)
{
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sort_room, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_arrival, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_days, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_days_agrees_with_row_days, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_filter_present, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_moved_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_flagged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_predicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_birth_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_room, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
