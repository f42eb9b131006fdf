#include "demo.h"

#include "clock.h"
#include "db.h"
#include "i18n.h"
#include "ids.h"
#include "kommune.h"
#include "lists.h"
#include "model.h"
#include "record.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_STAYS    3
#define MAX_FIELDS   32
#define MAX_CAUSES   3
#define MAX_MISUSE   8
#define HISTORY_DAYS 730 /* arrivals lie within the last two years */
#define SINGLE_ROOMS 12  /* rooms 1-12 have one bed, rooms 13 and up beds A and B */
#define HOUSE_BEDS   80  /* rooms 1-46: the house before it overflows */
/* Up to this many residents in a database, about 40 % of them are present (present_share).
 * Beyond it the share shrinks so that about as many are present as with this many: a city's
 * shelters keep tens of thousands of records over the years, but house a few hundred people at
 * a time. (Databases of the tests, all smaller, are as they were.) */
#define PRESENT_RESIDENTS_AT_MOST 1000
#define ROOM_LEN     24

/* --- randomness: all of it from the ids' generator, seeded in demo_run, never rand() ---- */

static int chance(double p)
{
	return id_random_unit() < p;
}

/* A whole number in [lo, hi]. */
static long between(long lo, long hi)
{
	return hi <= lo ? lo : lo + (long)id_random((uint64_t)(hi - lo + 1));
}

#define PICK(a) ((a)[id_random(ARRAY_SIZE(a))])

struct weighted {
	const char *code;
	unsigned weight;
};

/* The index of a weighted choice; n when every weight is 0. */
static size_t pick_index(const struct weighted *w, size_t n)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i].weight;
	if (total == 0)
		return n;
	uint64_t r = id_random(total);
	for (size_t i = 0; i < n; i++) {
		if (r < w[i].weight)
			return i;
		r -= w[i].weight;
	}
	return n;
}

static const char *pick_code(const struct weighted *w, size_t n)
{
	size_t i = pick_index(w, n);
	return i < n ? w[i].code : NULL;
}

#define PICK_CODE(a) pick_code((a), ARRAY_SIZE(a))

/* code when the list has it, else NULL: the lists may change without this file noticing. */
static const char *listed(const struct choice_list *list, const char *code)
{
	for (size_t i = 0; code && i < list->n; i++)
		if (str_eq(list->items[i].code, code))
			return list->items[i].code;
	return NULL;
}

static uint64_t splitmix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The generator's seed: the user's seed mixed with how many residents are already there, so a
 * second run adds other people, while two fresh databases get the same ones. Never 0, which
 * would mean the kernel's random source. */
static uint64_t mix_seed(uint64_t seed, long existing)
{
	return splitmix(seed ^ ((uint64_t)existing * 0xd1b54a32d192ed03ULL)) | 1;
}

/* --- dates -------------------------------------------------------------------------------- */

/* "YYYY-MM-DD HH:MM" on day (a date string) at hour:minute. */
static void local_minute(const char *day, long hour, long minute, char out[LOCAL_MIN_LEN])
{
	snprintf(out, LOCAL_MIN_LEN, "%.10s %02u:%02u", day, (unsigned)hour % 100u,
	         (unsigned)minute % 100u);
}

/* Fixes the virtual clock at a local time, so records and history get this moment. */
static int fix_clock(const char *when, char **err)
{
	time_t t;
	if (local_minute_to_time(when, &t) != 0) {
		*err = xasprintf("demo: bad time %s", when);
		return -1;
	}
	clock_fix(t);
	return 0;
}

static long min_long(long a, long b)
{
	return a < b ? a : b;
}

/* --- records: the fields of one record being built ------------------------------------ */

/* Values are owned copies; NULL ones are left out, so the database default (NULL) stays. */
struct fields {
	struct field_value v[MAX_FIELDS];
	char *owned[MAX_FIELDS];
	size_t n;
};

static void put_owned(struct fields *f, const char *field, char *value)
{
	if (!value)
		return;
	if (f->n == MAX_FIELDS)
		abort(); /* a programming error: raise MAX_FIELDS */
	f->owned[f->n] = value;
	f->v[f->n].field = field;
	f->v[f->n].value = value;
	f->n++;
}

static void put(struct fields *f, const char *field, const char *value)
{
	put_owned(f, field, xstrdup_or_null(value));
}

/* A date field; "" means none. */
static void put_date(struct fields *f, const char *field, const char *date)
{
	if (!str_empty(date))
		put(f, field, date);
}

static void putf(struct fields *f, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void putf(struct fields *f, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *value = xvasprintf(fmt, ap);
	va_end(ap);
	put_owned(f, field, value);
}

/* Inserts the record and empties f. */
static int insert(struct db *db, const char *table, const char *id, struct fields *f, char **err)
{
	int rc = db_record_insert(db, table, id, f->v, f->n, err);
	for (size_t i = 0; i < f->n; i++)
		free(f->owned[i]);
	f->n = 0;
	return rc;
}

/* --- beds: present residents never share one ------------------------------------------ */

struct beds {
	unsigned char *taken;
	size_t n, used;
};

static void bed_name(size_t i, char out[ROOM_LEN])
{
	if (i < SINGLE_ROOMS)
		snprintf(out, ROOM_LEN, "%zu", i + 1);
	else
		snprintf(out, ROOM_LEN, "%zu%c", SINGLE_ROOMS + 1 + (i - SINGLE_ROOMS) / 2,
		         (i - SINGLE_ROOMS) % 2 ? 'B' : 'A');
}

/* The bed a room name stands for, or -1 for a name this scheme does not make. */
static long bed_index(const char *room)
{
	if (!room || room[0] < '1' || room[0] > '9')
		return -1;
	char *end;
	long n = strtol(room, &end, 10);
	if (n > 100000)
		return -1;
	if (n <= SINGLE_ROOMS)
		return *end ? -1 : n - 1;
	if ((end[0] != 'A' && end[0] != 'B') || end[1])
		return -1;
	return SINGLE_ROOMS + (n - SINGLE_ROOMS - 1) * 2 + (end[0] == 'B');
}

static void beds_grow(struct beds *b, size_t n)
{
	if (n <= b->n)
		return;
	b->taken = xrealloc(b->taken, n);
	memset(b->taken + b->n, 0, n - b->n);
	b->n = n;
}

static void beds_mark(struct beds *b, const char *room)
{
	long i = bed_index(room);
	if (i < 0)
		return;
	beds_grow(b, (size_t)i + 1);
	if (!b->taken[i]) {
		b->taken[i] = 1;
		b->used++;
	}
}

static void beds_release(struct beds *b, const char *room)
{
	long i = bed_index(room);
	if (i >= 0 && (size_t)i < b->n && b->taken[i]) {
		b->taken[i] = 0;
		b->used--;
	}
}

/* Takes a free bed at random; when the house is full, two more rooms open. */
static void beds_take(struct beds *b, char out[ROOM_LEN])
{
	beds_grow(b, HOUSE_BEDS);
	if (b->used >= b->n)
		beds_grow(b, b->n + 4);
	size_t start = (size_t)id_random(b->n);
	for (size_t k = 0; k < b->n; k++) {
		size_t i = (start + k) % b->n;
		if (!b->taken[i]) {
			b->taken[i] = 1;
			b->used++;
			bed_name(i, out);
			return;
		}
	}
}

/* Marks the beds of the residents already present, a page at a time. */
static int beds_load(struct db *db, struct beds *b, char **err)
{
	const long page = 256;
	const struct list_query present = {.filter = LIST_PRESENT, .sort = LIST_SORT_ROOM};
	for (long offset = 0;; offset += page) {
		struct list_row *rows;
		size_t n;
		if (db_list_page(db, &present, offset, page, &rows, &n, err) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			beds_mark(b, rows[i].room);
		list_rows_free(rows, n);
		if (n < (size_t)page)
			return 0;
	}
}

/* --- who the residents are ------------------------------------------------------------- */

/* Common Danish first names and surnames, combined at random: synthetic people only. */
static const char *const male_names[] = {
    "Søren",   "Bjørn",  "Jørgen", "Jens",    "Peter",  "Michael", "Lars",   "Henrik",
    "Thomas",  "Morten", "Jesper", "Anders",  "Niels",  "Rasmus",  "Martin", "Kim",
    "Brian",   "Jan",    "Ole",    "Torben",  "Steen",  "Bent",    "Poul",   "Flemming",
    "Kenneth", "René",   "Allan",  "Carsten", "Mikkel", "Kasper",  "Jonas",  "Nikolaj",
    "Bo",      "Finn",   "Kjeld",  "Knud",    "Svend",  "Leif",    "Ib",     "Åge",
    "Børge",   "Jørn",   "Preben", "Mogens",  "Tage",   "Asbjørn", "Øjvind", "Ebbe",
    "Esben",   "Malthe", "Sune",   "Frode",   "Arne",   "Palle",   "Dennis", "Tonny",
};
static const char *const female_names[] = {
    "Åse",     "Mette", "Anne",   "Hanne",  "Susanne",  "Lene",    "Pia",    "Tina",
    "Camilla", "Maria", "Louise", "Helle",  "Birgitte", "Kirsten", "Karen",  "Inge",
    "Grete",   "Jytte", "Bente",  "Dorthe", "Gitte",    "Signe",   "Sofie",  "Ida",
    "Freja",   "Line",  "Sanne",  "Stine",  "Trine",    "Bodil",   "Ellen",  "Søs",
    "Lærke",   "Ditte", "Mona",   "Tove",   "Vibeke",   "Jonna",   "Winnie", "Majken",
};
static const char *const surnames[] = {
    "Jensen",   "Nielsen",     "Hansen",      "Pedersen",   "Andersen",   "Christensen", "Larsen",
    "Sørensen", "Rasmussen",   "Jørgensen",   "Petersen",   "Madsen",     "Kristensen",  "Olsen",
    "Thomsen",  "Poulsen",     "Johansen",    "Møller",     "Mortensen",  "Kjær",        "Knudsen",
    "Jakobsen", "Mikkelsen",   "Frederiksen", "Lund",       "Holm",       "Eriksen",     "Simonsen",
    "Clausen",  "Søndergaard", "Dalsgård",    "Grønbæk",    "Brøndum",    "Løkke",       "Hjørne",
    "Ærø",      "Bøgh",        "Dyrbøl",      "Østergaard", "Vestergård", "Nørgaard",    "Skovgård",
    "Bækgaard", "Krøyer",      "Blæsbjerg",   "Fløe",       "Munkebæk",   "Ravnsbæk",
};

/* First name and surname pairs that would name a well-known Dane: never made. */
static const char *const famous[][2] = {
    {"Lars", "Løkke"},        {"Mette", "Frederiksen"}, {"Kim", "Larsen"},
    {"Morten", "Østergaard"}, {"Søren", "Østergaard"},  {"Peter", "Madsen"},
    {"Lars", "Larsen"},       {"Brian", "Mikkelsen"},   {"Jesper", "Christensen"},
    {"Jesper", "Olsen"},      {"Jørgen", "Olsen"},      {"Niels", "Olsen"},
    {"Morten", "Olsen"},      {"Lars", "Olsen"},        {"Martin", "Jørgensen"},
    {"Thomas", "Sørensen"},   {"Peter", "Møller"},      {"Henrik", "Larsen"},
    {"Henrik", "Dalsgård"},   {"Henrik", "Kristensen"}, {"Morten", "Grønbæk"},
    {"Poul", "Nielsen"},      {"Brian", "Nielsen"},     {"Brian", "Holm"},
    {"Mikkel", "Hansen"},     {"Michael", "Rasmussen"}, {"Carsten", "Jensen"},
};

static int is_famous(const char *first, const char *last)
{
	for (size_t i = 0; i < ARRAY_SIZE(famous); i++)
		if (str_eq(famous[i][0], first) && str_eq(famous[i][1], last))
			return 1;
	return 0;
}

static const char *first_name(const char *gender)
{
	if (str_eq(gender, "male"))
		return PICK(male_names);
	if (str_eq(gender, "female"))
		return PICK(female_names);
	return chance(0.5) ? PICK(male_names) : PICK(female_names);
}

/* "Søren Kjær", sometimes with a second surname ("Åse Brøndum Holm", "Bo Møller-Dalsgård"). */
static char *make_name(const char *gender)
{
	for (;;) {
		const char *first = first_name(gender);
		const char *last = PICK(surnames);
		const char *second = chance(0.2) ? PICK(surnames) : NULL;
		if (str_eq(second, last))
			second = NULL;
		if (is_famous(first, last) || (second && is_famous(first, second)))
			continue;
		if (!second)
			return xasprintf("%s %s", first, last);
		if (chance(0.3))
			return xasprintf("%s %s-%s", first, last, second);
		return xasprintf("%s %s %s", first, last, second);
	}
}

enum stay_type { STAY_SHORT, STAY_EPISODIC, STAY_LONG };

/* VIVE's register study of § 110 users in 2021 (domain.md), by type of stay: how many users,
 * and the share with each risk factor ("both": misuse and mental illness). */
static const struct {
	unsigned users;
	double misuse, alcohol, drugs, mental, both, prison;
} vive[] = {
    [STAY_SHORT] = {2066, .64, .41, .41, .63, .46, .21},
    [STAY_EPISODIC] = {975, .90, .64, .69, .70, .65, .43},
    [STAY_LONG] = {2103, .66, .38, .46, .62, .45, .25},
};

/* Share still in the house today, by type: about 40 % in all. */
static const double present_share[] = {
    [STAY_SHORT] = .30,
    [STAY_EPISODIC] = .35,
    [STAY_LONG] = .55,
};

struct traits {
	enum stay_type type;
	int misuse, alcohol, drugs, mental, prison;
};

static void draw_traits(struct traits *t)
{
	uint64_t total = 0;
	for (size_t i = 0; i < ARRAY_SIZE(vive); i++)
		total += vive[i].users;
	uint64_t r = id_random(total);
	size_t type = 0;
	while (r >= vive[type].users)
		r -= vive[type++].users;
	t->type = (enum stay_type)type;
	t->alcohol = t->drugs = 0;
	t->misuse = chance(vive[type].misuse);
	if (t->misuse) {
		/* Misuse is alcohol, drugs or both; one draw with the overlap in the middle keeps
		 * both marginals at VIVE's: alcohol on [0, a), drugs on [a - overlap, 1). */
		double a = vive[type].alcohol / vive[type].misuse;
		double overlap = a + vive[type].drugs / vive[type].misuse - 1;
		double u = id_random_unit();
		t->alcohol = u < a;
		t->drugs = u >= a - (overlap > 0 ? overlap : 0);
	}
	/* Mental illness goes with misuse more often than chance: drawn given misuse, so that
	 * "both" (and with it "either") come out as VIVE found too. */
	double both = vive[type].both, misuse = vive[type].misuse;
	t->mental = chance(t->misuse ? both / misuse : (vive[type].mental - both) / (1 - misuse));
	t->prison = chance(vive[type].prison);
}

/* --- the plan of one resident: drawn first, then written in one transaction ------------- */

struct step_state {
	const char *status; /* NULL: the step's item was not planned, written as todo */
	long t;             /* the step's date, in days after arrival; -1 for none */
};

struct stay_plan {
	char id[ID_LEN];
	long arrive_ago; /* days before today */
	long leave_ago;  /* days before today; -1 while present */
	char arrival[LOCAL_MIN_LEN];
	char departure[LOCAL_MIN_LEN]; /* "" while present */
	char day0[DATE_LEN];           /* the arrival date */
	long span;                     /* days from arrival to departure, or to today */
	const char *destination;       /* NULL while present */
	double progress;               /* how far the way out has come, 0..1 */
	long t_ready;                  /* ready to move, days after arrival; -1 if not */
	char room[ROOM_LEN];
	const char *acting;       /* handlekommune code */
	struct step_state *steps; /* one per checklist_steps[] entry */
};

struct misuse {
	const char *code, *value, *note;
	int treatment;
};

struct person {
	char id[ID_LEN];
	struct traits tr;
	const char *gender;
	char birth[DATE_LEN]; /* "" when unknown */
	char cpr[16];         /* "" when none */
	int age;
	const char *home;
	const char *income;
	int debt; /* 1 has debt, 0 has none, -1 not asked */
	const char *causes[MAX_CAUSES];
	size_t n_causes;
	struct misuse misuse[MAX_MISUSE];
	size_t n_misuse;
	struct stay_plan stays[MAX_STAYS];
	size_t n_stays;
};

struct demo {
	struct db *db;
	char today[DATE_LEN];
	char edit_day[DATE_LEN]; /* the day the edits are made: yesterday */
	int year;
	struct beds beds;
	FILE *log;	       /* --log, or NULL */
	double present_scale; /* present_share times this (see PRESENT_RESIDENTS_AT_MOST) */
};

static void person_free(struct person *p)
{
	for (size_t i = 0; i < p->n_stays; i++)
		free(p->stays[i].steps);
}

static const char *draw_gender(void)
{
	static const struct weighted genders[] = {
	    {"male", 75}, {"female", 23}, {"other", 1}, {"unknown", 1}};
	return listed(&list_genders, PICK_CODE(genders));
}

/* A CPR number agreeing with the birth date: the seventh digit gives the century (0-3 for the
 * 1900s, 4 for 2000-2036) and the last is odd for men, even for women. */
static void make_cpr(struct person *p, int year, int month, int day)
{
	unsigned c7 = year >= 2000 ? 4u : (unsigned)between(0, 3);
	unsigned last = (unsigned)between(0, 4) * 2u;
	if (str_eq(p->gender, "male") || (!str_eq(p->gender, "female") && chance(0.5)))
		last++;
	snprintf(p->cpr, sizeof(p->cpr), "%02u%02u%02u%u%02u%u", (unsigned)day % 100u,
	         (unsigned)month % 100u, (unsigned)year % 100u, c7 % 10u,
	         (unsigned)between(0, 99) % 100u, last % 10u);
	if (!cpr_is_valid(p->cpr, p->birth))
		p->cpr[0] = '\0';
}

/* Born 1950-2006, most around 1978; 80 % with a CPR number, a few with no known birth date. */
static void draw_birth(const struct demo *d, struct person *p)
{
	int year = (int)((between(1950, 2006) + between(1950, 2006)) / 2);
	int month = (int)between(1, 12);
	int day;
	do
		day = (int)between(1, 31);
	while (!date_is_valid(year, month, day));
	p->age = d->year - year;
	p->cpr[0] = p->birth[0] = '\0';
	if (chance(0.8))
		make_cpr(p, year, month, day);
	if (!p->cpr[0] && chance(0.75))
		date_format_iso(year, month, day, p->birth);
}

/* A municipality drawn in proportion to its population. */
static const char *random_kommune(void)
{
	uint64_t total = 0;
	for (size_t i = 0; i < kommuner_count; i++)
		total += (uint64_t)kommuner[i].population;
	uint64_t r = id_random(total);
	for (size_t i = 0; i < kommuner_count; i++) {
		if (r < (uint64_t)kommuner[i].population)
			return kommuner[i].code;
		r -= (uint64_t)kommuner[i].population;
	}
	return kommuner[0].code;
}

static const char *draw_home(void)
{
	double u = id_random_unit();
	const char *code = u < .05 ? "none" : u < .06 ? "greenland" : u < .07 ? "abroad" : NULL;
	return code && kommune_by_code(code) ? code : random_kommune();
}

static int is_real_kommune(const char *code)
{
	const struct kommune *k = kommune_by_code(code);
	return k && k->population > 0;
}

static const char *draw_income(int age)
{
	static const struct weighted incomes[] = {
	    {"cash_benefit", 62}, {"early_pension", 13}, {"none", 6}, {"unemployment", 3},
	    {"frikort", 4},       {"pension", 4},        {"su", 2},   {"wage", 6}};
	const char *code = PICK_CODE(incomes);
	if (str_eq(code, "pension") && age < 67)
		code = "early_pension";
	else if (str_eq(code, "su") && age > 30)
		code = "cash_benefit";
	return listed(&list_incomes, code);
}

/* Why they became homeless: one to three causes, weighted like the 2022 national count, and
 * only the ones that fit the person (no misuse as a cause without misuse). */
static void draw_causes(struct person *p)
{
	const struct traits *t = &p->tr;
	struct weighted w[] = {
	    {"mental_illness", t->mental ? 130u : 0u},
	    {"misuse", t->misuse ? 90u : 0u},
	    {"economy", 28},
	    {"no_housing", 20},
	    {"family_conflict", 20},
	    {"eviction", 18},
	    {"rent_arrears", 10},
	    {"breakup", 12},
	    {"prison_release", t->prison ? 30u : 0u},
	    {"hospital_discharge", 6},
	    {"cannot_manage", 8},
	    {"violence", 4},
	    {"arrival", 4},
	    {"other", 3},
	};
	size_t want = 1 + (size_t)chance(0.7) + (size_t)chance(0.4);
	p->n_causes = 0;
	for (size_t k = 0; k < want; k++) {
		size_t i = pick_index(w, ARRAY_SIZE(w));
		if (i == ARRAY_SIZE(w))
			break;
		w[i].weight = 0;
		if (listed(&list_causes, w[i].code))
			p->causes[p->n_causes++] = w[i].code;
	}
}

static void add_misuse(struct person *p, const char *code, const char *value, int treatment,
                       const char *note)
{
	if (!listed(&list_substances, code) || !listed(&list_misuse_values, value) ||
	    p->n_misuse == MAX_MISUSE)
		return;
	for (size_t i = 0; i < p->n_misuse; i++)
		if (str_eq(p->misuse[i].code, code))
			return;
	p->misuse[p->n_misuse++] = (struct misuse){code, value, note, treatment};
}

/* One substance in use now or earlier, in treatment or not. */
static void add_use(struct person *p, const char *code)
{
	int current = chance(0.7);
	int opioid = str_eq(code, "opioids");
	int treatment = chance(current ? (opioid ? 0.6 : 0.25) : 0.08);
	const char *note = NULL;
	if (treatment && opioid)
		note = chance(0.5) ? "Metadon, udleveres dagligt" : "Buprenorphin";
	else if (treatment && str_eq(code, "alcohol"))
		note = "Antabus to gange om ugen";
	add_misuse(p, code, current ? "current" : "earlier", treatment, note);
}

/* The misuse answers: what they use, and for many others a plain "no" to the usual two. */
static void draw_misuse(struct person *p)
{
	static const struct weighted drugs[] = {{"cannabis", 40},        {"cocaine", 20},
	                                        {"opioids", 12},         {"amphetamine", 12},
	                                        {"benzodiazepines", 12}, {"other", 4}};
	p->n_misuse = 0;
	if (p->tr.alcohol)
		add_use(p, "alcohol");
	if (p->tr.drugs) {
		add_use(p, PICK_CODE(drugs));
		if (chance(0.4))
			add_use(p, PICK_CODE(drugs));
		if (chance(0.15))
			add_use(p, PICK_CODE(drugs));
	}
	if (!p->tr.alcohol && chance(0.6))
		add_misuse(p, "alcohol", "no", 0, NULL);
	if (!p->tr.drugs && chance(0.4))
		add_misuse(p, "cannabis", "no", 0, NULL);
	if (chance(0.05))
		add_misuse(p, "other", "unknown", 0, NULL);
}

/* --- stays: when, how long, how far the way out has come ---------------------------------- */

static size_t stay_count(enum stay_type type)
{
	switch (type) {
	case STAY_SHORT: return chance(0.85) ? 1 : 2;
	case STAY_EPISODIC: return (size_t)between(2, MAX_STAYS);
	default: return chance(0.7) ? 1 : 2;
	}
}

static long stay_length(enum stay_type type, int present)
{
	switch (type) {
	case STAY_SHORT: return between(1, 30);
	case STAY_EPISODIC: return between(2, 60);
	default: break;
	}
	/* Long stays: present residents mostly arrived within the last 200 days. */
	if (present)
		return chance(0.85) ? between(20, 200) : between(200, 420);
	return chance(0.8) ? between(40, 200) : between(200, 540);
}

static const struct weighted last_destinations[] = {
    {"own_home", 34}, {"supported_housing", 14}, {"shelter", 14}, {"family", 10},
    {"unknown", 14},  {"hospital", 5},           {"prison", 3},   {"street", 4},
    {"died", 2}};
/* Before an episodic resident came back: rarely a home of their own. */
static const struct weighted earlier_destinations[] = {
    {"own_home", 8}, {"supported_housing", 4}, {"shelter", 20}, {"family", 18},
    {"unknown", 25}, {"hospital", 8},          {"prison", 7},   {"street", 10}};

static int moves_home(const struct stay_plan *s)
{
	return str_eq(s->destination, "own_home") || str_eq(s->destination, "supported_housing");
}

/* Those who moved to a home got far; new arrivals have barely started. */
static double stay_progress(const struct stay_plan *s)
{
	double u = id_random_unit();
	if (str_eq(s->destination, "own_home"))
		return 0.85 + 0.15 * u;
	if (str_eq(s->destination, "supported_housing"))
		return 0.4 + 0.5 * u;
	if (s->destination)
		return 0.35 * u;
	if (s->span < 7)
		return 0.05 * u;
	double p = (double)s->span / 150.0 * (0.5 + 0.7 * u);
	return p > 1 ? 1 : p;
}

/* Ready to move (parat til egen bolig): nearly all who moved home, about half of longer stays. */
static long plan_ready(const struct stay_plan *s)
{
	int ready = moves_home(s) ? chance(0.9) : s->progress >= 0.3 && chance(0.85);
	if (!ready)
		return -1;
	long lo = min_long(7, s->span);
	return between(lo, s->span * 6 / 10);
}

static void stay_init(const struct demo *d, struct stay_plan *s, long arrive_ago, long leave_ago,
                      int last)
{
	memset(s, 0, sizeof(*s));
	id_new(s->id);
	s->arrive_ago = arrive_ago;
	s->leave_ago = leave_ago;
	date_add_days(d->today, -arrive_ago, s->day0);
	local_minute(s->day0, between(9, 22), between(0, 59), s->arrival);
	if (leave_ago >= 0) {
		char day[DATE_LEN];
		date_add_days(d->today, -leave_ago, day);
		local_minute(day, between(8, 15), between(0, 59), s->departure);
		s->destination =
		    last ? PICK_CODE(last_destinations) : PICK_CODE(earlier_destinations);
	}
	s->span = arrive_ago - (leave_ago < 0 ? 0 : leave_ago);
	s->progress = stay_progress(s);
	s->t_ready = plan_ready(s);
	s->steps = xcalloc(checklist_steps_count, sizeof(*s->steps));
	for (size_t i = 0; i < checklist_steps_count; i++)
		s->steps[i].t = -1;
}

/* The stays, latest first going back in time, then put in order: never overlapping, never in
 * the future, all within the last two years. Arrivals are at least a day ago, so even the
 * newest lies in the past whatever the time of day. */
static void plan_timeline(struct demo *d, struct person *p)
{
	long arrive[MAX_STAYS], leave[MAX_STAYS];
	enum stay_type type = p->tr.type;
	size_t want = stay_count(type), n;
	int present = chance(present_share[type] * d->present_scale);
	for (n = 0; n < want; n++) {
		long lv;
		if (n == 0)
			lv = present ? -1 : between(1, 420);
		else
			lv = arrive[n - 1] + between(3, type == STAY_EPISODIC ? 60 : 180);
		if (lv >= HISTORY_DAYS - 1)
			break;
		long ar = (lv < 0 ? 0 : lv) + stay_length(type, n == 0 && present);
		arrive[n] = ar > HISTORY_DAYS ? HISTORY_DAYS : ar;
		leave[n] = lv;
	}
	p->n_stays = n;
	for (size_t i = 0; i < n; i++) {
		struct stay_plan *s = &p->stays[i];
		stay_init(d, s, arrive[n - 1 - i], leave[n - 1 - i], i == n - 1);
		if (s->leave_ago < 0)
			beds_take(&d->beds, s->room);
		else
			bed_name((size_t)id_random(HOUSE_BEDS), s->room);
	}
}

/* --- the move-out checklist ------------------------------------------------------------- */

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* How far one item has come: income is sorted out first, furniture last (domain.md). */
static double item_progress(const struct stay_plan *s, const char *item)
{
	double p = s->progress + (id_random_unit() - 0.5) * 0.3;
	if (str_eq(item, "income"))
		p += 0.3;
	else if (str_eq(item, "support"))
		p -= 0.05;
	else if (str_eq(item, "furniture"))
		p -= 0.15;
	else if (str_eq(item, "housing") && s->t_ready >= 0 && chance(0.15))
		p = 0; /* ready, but nobody registered them for housing: a warning to see */
	return clamp01(p);
}

/* The day an item's first step can happen: housing when the resident is ready, support and
 * furniture once the housing is under way. */
static long item_start(const struct stay_plan *s, const char *item)
{
	long housing = s->t_ready >= 0 ? s->t_ready : s->span / 4;
	if (str_eq(item, "income"))
		return 0;
	if (str_eq(item, "housing"))
		return housing;
	if (str_eq(item, "support"))
		return housing + (s->span - housing) / 3;
	return housing + (s->span - housing) / 2;
}

/* Statuses of one item's steps: the first ones done (dated in order between the item's start
 * and the departure), maybe the next in progress, the rest to do, the irrelevant ones n/a. */
static void plan_item(struct stay_plan *s, const char *item, size_t relevant, double p)
{
	size_t idx[32], k = 0;
	for (size_t i = 0; i < checklist_steps_count && k < ARRAY_SIZE(idx); i++)
		if (str_eq(checklist_steps[i].item, item))
			idx[k++] = i;
	if (relevant > k)
		relevant = k;
	double x = p * (double)relevant + id_random_unit(); /* rounds p * relevant at random */
	size_t done = (size_t)x;
	if (done > relevant)
		done = relevant;
	/* Moving in is the last step of housing, furniture and support: not while still here. */
	int present = s->leave_ago < 0;
	if (present && !str_eq(item, "income") && done == relevant && done > 0)
		done--;
	long from = item_start(s, item);
	long slots = (long)done + present;
	for (size_t j = 0; j < k; j++) {
		struct step_state *st = &s->steps[idx[j]];
		st->t = -1;
		if (j >= relevant) {
			st->status = "na";
		} else if (j < done) {
			st->status = "done";
			st->t = from + (s->span - from) * (long)(j + 1) / slots;
		} else if (j == done && p > 0.05 && chance(0.45)) {
			st->status = "doing";
			long since = j ? s->steps[idx[j - 1]].t : from;
			st->t = min_long(s->span, since + between(0, 5));
		} else {
			st->status = "todo";
		}
	}
}

static int has_own_income(const struct person *p)
{
	return str_eq(p->income, "early_pension") || str_eq(p->income, "pension") ||
	       str_eq(p->income, "wage");
}

/* How many of an item's steps apply, from the first: with a pension or a wage there is only the
 * income to clarify, some have furniture of their own, a few need no support. */
static size_t relevant_steps(const struct person *p, const char *item)
{
	if (str_eq(item, "income"))
		return has_own_income(p) && chance(0.7) ? 1 : SIZE_MAX;
	if (str_eq(item, "furniture"))
		return chance(0.1) ? 0 : SIZE_MAX;
	if (str_eq(item, "support"))
		return chance(0.05) ? 0 : SIZE_MAX;
	return SIZE_MAX;
}

static void plan_checklist(const struct person *p, struct stay_plan *s)
{
	for (size_t i = 0; i < list_items.n; i++) {
		const char *item = list_items.items[i].code;
		size_t relevant = relevant_steps(p, item);
		plan_item(s, item, relevant, item_progress(s, item));
	}
}

static const struct step_state *step_state(const struct stay_plan *s, const char *code)
{
	for (size_t i = 0; i < checklist_steps_count; i++)
		if (str_eq(checklist_steps[i].code, code))
			return &s->steps[i];
	return NULL;
}

static int step_is(const struct stay_plan *s, const char *code, const char *status)
{
	const struct step_state *st = step_state(s, code);
	return st && str_eq(st->status, status);
}

/* The date of a done step, or "". */
static void step_date(const struct stay_plan *s, const char *code, char out[DATE_LEN])
{
	const struct step_state *st = step_state(s, code);
	out[0] = '\0';
	if (st && str_eq(st->status, "done") && st->t >= 0)
		date_add_days(s->day0, st->t, out);
}

static void plan_person(struct demo *d, struct person *p)
{
	memset(p, 0, sizeof(*p));
	id_new(p->id);
	draw_traits(&p->tr);
	p->gender = draw_gender();
	draw_birth(d, p);
	p->home = draw_home();
	p->income = draw_income(p->birth[0] ? p->age : 40);
	double u = id_random_unit();
	p->debt = u < .68 ? 1 : u < .90 ? 0 : -1;
	draw_causes(p);
	draw_misuse(p);
	plan_timeline(d, p);
	for (size_t i = 0; i < p->n_stays; i++)
		plan_checklist(p, &p->stays[i]);
}

/* --- free text: short Danish sentences, all made up -------------------------------------- */

static char *mental_text(const struct traits *t)
{
	static const char *const ill[] = {
	    "Skizofreni, i behandling",
	    "Depression, tager medicin",
	    "PTSD efter udsendelse",
	    "Bipolar lidelse, tilknyttet distriktspsykiatrien",
	    "Angst og depression, ingen behandling",
	    "ADHD, ikke medicineret",
	    "Emotionelt ustabil personlighedsstruktur",
	    "Paranoid skizofreni, depotmedicin hver 14. dag",
	    "Udredes for autisme",
	    "Psykotiske episoder under misbrug",
	};
	if (t->mental)
		return xstrdup(PICK(ill));
	return chance(0.4) ? xstrdup("Ingen kendte") : NULL;
}

static char *physical_text(void)
{
	static const char *const health[] = {
	    "Diabetes type 2",
	    "KOL, ryger 20 om dagen",
	    "Dårlig ryg, går med stok",
	    "Hepatitis C, i behandling",
	    "Sår på benene, hjemmesygeplejen kommer",
	    "Forhøjet blodtryk",
	    "Epilepsi, tager medicin",
	    "Dårlige tænder, venter på tandlæge",
	    "Hjerteproblemer",
	    "God fysisk form",
	};
	return chance(0.6) ? xstrdup(PICK(health)) : NULL;
}

static char *prison_text(const struct demo *d, const struct traits *t)
{
	int year = d->year - (int)between(1, 12);
	if (!t->prison)
		return chance(0.3) ? xstrdup("Ingen") : NULL;
	switch (id_random(4)) {
	case 0: return xasprintf("Afsonet %ld mdr. %d", between(2, 24), year);
	case 1: return xasprintf("Dom for vold %d, %ld mdr.", year, between(3, 18));
	case 2: return xasprintf("Samfundstjeneste %d", year);
	default: return xasprintf("Varetægtsfængslet %ld mdr. %d", between(1, 6), year);
	}
}

static char *hospital_text(const struct demo *d)
{
	int year = d->year - (int)between(0, 8);
	if (!chance(0.4))
		return NULL;
	switch (id_random(5)) {
	case 0: return xasprintf("Indlagt på psykiatrisk afdeling %d", year);
	case 1: return xasprintf("Afrusning %d", year);
	case 2: return xasprintf("Indlagt med lungebetændelse %d", year);
	case 3: return xasprintf("Skadestue efter fald %d", year);
	default: return xasprintf("Alkoholbehandling på døgnafsnit %d", year);
	}
}

static char *network_text(const char *home)
{
	static const char *const network[] = {
	    "Søster i Roskilde",
	    "Voksen datter, ser hinanden sjældent",
	    "Ingen kontakt til familie",
	    "Bror i Aalborg, god kontakt",
	    "Ven fra værestedet",
	    "To børn, samvær under tilsyn",
	    "Tidligere kæreste, konfliktfyldt",
	};
	if (!chance(0.7))
		return NULL;
	if (is_real_kommune(home) && chance(0.25))
		return xasprintf("Mor bor i %s, ringer sammen", kommune_by_code(home)->name);
	return xstrdup(PICK(network));
}

static char *work_text(const struct demo *d)
{
	static const char *const work[] = {
	    "Tidligere tømrer",       "Ufaglært, lagerarbejde",
	    "Ingen erhvervserfaring", "Flexjob 10 timer om ugen",
	    "Tidligere chauffør",     "Afbrudt gymnasieuddannelse",
	    "Sælger gadeavis",        "Tidligere rengøring på hotel",
	};
	if (!chance(0.6))
		return NULL;
	if (chance(0.25))
		return xasprintf("Uddannet kok, sidst i arbejde %d", d->year - (int)between(1, 15));
	return xstrdup(PICK(work));
}

static const char *const medical_alerts[] = {
    "Epilepsi",
    "Diabetes — ring 112 ved bevidstløshed",
    "Overdosisrisiko — naloxon i vagtrummet",
    "Hjertesygdom, nitroglycerin i jakkelommen",
    "Svær penicillinallergi",
    "Abstinenskramper set før — hold øje første døgn",
    "Insulinkrævende diabetes",
};

static const char *const staff[] = {"Mette", "Jonas",  "Pia",  "Kasper", "Line",
                                    "Ahmad", "Birgit", "Rune", "Sara",   "Thor"};

/* --- writing a resident ------------------------------------------------------------------ */

static void put_identity(struct fields *f, const struct person *p)
{
	put_owned(f, "name", make_name(p->gender));
	put_date(f, "birth_date", p->birth);
	put_date(f, "cpr", p->cpr);
	put(f, "gender", p->gender);
	put(f, "home_kommune", p->home);
	put(f, "income", p->income);
}

/* Debt: most have some, often registered as bad payers (RKI); rough totals in kroner. */
static void put_debt(struct fields *f, const struct person *p)
{
	if (p->debt < 0)
		return;
	if (p->debt == 0) {
		put(f, "debt_rki", "0");
		put(f, "debt_total", "0");
		put(f, "debt_counselling", "0");
		return;
	}
	double u = id_random_unit();
	long kroner = (long)(u * u * 400000);
	kroner = kroner >= 20000 ? kroner / 5000 * 5000 : 2000 + kroner / 1000 * 1000;
	put(f, "debt_rki", chance(0.57) ? "1" : "0");
	putf(f, "debt_total", "%ld", kroner);
	put(f, "debt_counselling", chance(0.3) ? "1" : "0");
}

static void put_background(const struct demo *d, struct fields *f, const struct person *p)
{
	static const char *const other_causes[] = {
	    "Brand i lejligheden",
	    "Lejligheden blev solgt",
	    "Skimmelsvamp i boligen",
	    "Kom hjem fra udlandet uden bolig",
	    "Kæresten døde, kunne ikke betale huslejen alene",
	};
	for (size_t i = 0; i < p->n_causes; i++)
		if (str_eq(p->causes[i], "other"))
			put(f, "causes_other", PICK(other_causes));
	put_owned(f, "mental_health", mental_text(&p->tr));
	put_owned(f, "physical_health", physical_text());
	put_owned(f, "prison_history", prison_text(d, &p->tr));
	put_owned(f, "hospital_history", hospital_text(d));
	put_owned(f, "network", network_text(p->home));
	put_owned(f, "work", work_text(d));
}

/* Consent is asked at the first intake or in the days after. */
static void put_consent(struct fields *f, const struct person *p)
{
	static const struct weighted consents[] = {{"yes", 62}, {"limited", 25}, {"no", 13}};
	if (chance(0.05))
		return;
	const struct stay_plan *first = &p->stays[0];
	char day[DATE_LEN];
	date_add_days(first->day0, min_long(between(0, 3), first->arrive_ago), day);
	put(f, "consent", listed(&list_consent, PICK_CODE(consents)));
	put(f, "consent_date", day);
}

/* What night staff must see at once: alerts on about one in ten, house bans on a few. */
static void put_alerts(const struct demo *d, struct fields *f)
{
	static const char *const safety[] = {
	    "Truende over for personale under påvirkning",
	    "Har haft kniv med — tjek ved indskrivning",
	    "Konflikt med anden beboer, må ikke bo på samme gang",
	    "Bliver voldsom ved afvisning — to personaler ved samtaler",
	};
	static const char *const contacts[] = {
	    "Bostøttemedarbejder (dagtid) via kontoret",
	    "Søster — se netværk",
	    "Distriktspsykiatriens akuttelefon",
	    "Egen læge",
	    "Sagsbehandler i kommunen",
	};
	if (chance(0.10)) {
		int has_safety = chance(0.45);
		if (has_safety)
			put(f, "alert_safety", PICK(safety));
		if (!has_safety || chance(0.5))
			put(f, "alert_medical", PICK(medical_alerts));
		if (chance(0.6))
			put(f, "alert_contact", PICK(contacts));
	}
	if (chance(0.03)) {
		char day[DATE_LEN];
		date_add_days(d->today, chance(0.5) ? between(7, 90) : -between(10, 300), day);
		put(f, "ban_until", day);
	}
}

static int write_answer(struct db *db, const char *resident_id, const char *list, const char *code,
                        const char *value, int treatment, const char *note, char **err)
{
	struct fields f = {.n = 0};
	put(&f, "resident_id", resident_id);
	put(&f, "list", list);
	put(&f, "code", code);
	put(&f, "value", value);
	put(&f, "treatment", treatment ? "1" : "0");
	put(&f, "note", note);
	char *id = xasprintf("%s/%s/%s", resident_id, list, code);
	int rc = insert(db, "answer", id, &f, err);
	free(id);
	return rc;
}

/* The kinds of debt: at least one for those who have debt. */
static int write_debts(struct db *db, const struct person *p, char **err)
{
	static const struct weighted kinds[] = {
	    {"rent_arrears", 50}, {"public", 60}, {"consumer", 35}, {"utilities", 25}};
	int any = 0, rc = 0;
	if (p->debt != 1)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(kinds) && rc == 0; i++) {
		int last_chance = i == ARRAY_SIZE(kinds) - 1 && !any;
		if (!listed(&list_debts, kinds[i].code) ||
		    !(last_chance || chance(kinds[i].weight / 100.0)))
			continue;
		any = 1;
		rc = write_answer(db, p->id, "debt", kinds[i].code, "yes", 0, NULL, err);
	}
	return rc;
}

static int write_answers(struct db *db, const struct person *p, char **err)
{
	int rc = 0;
	for (size_t i = 0; i < p->n_causes && rc == 0; i++)
		rc = write_answer(db, p->id, "cause", p->causes[i], "yes", 0, NULL, err);
	for (size_t i = 0; i < p->n_misuse && rc == 0; i++) {
		const struct misuse *m = &p->misuse[i];
		rc = write_answer(db, p->id, "misuse", m->code, m->value, m->treatment, m->note,
		                  err);
	}
	return rc == 0 ? write_debts(db, p, err) : rc;
}

static int write_resident(struct demo *d, const struct person *p, char **err)
{
	struct fields f = {.n = 0};
	put_identity(&f, p);
	put_debt(&f, p);
	put_background(d, &f, p);
	put_consent(&f, p);
	put_alerts(d, &f);
	if (insert(d->db, "resident", p->id, &f, err) != 0)
		return -1;
	return write_answers(d->db, p, err);
}

/* --- writing a stay ------------------------------------------------------------------------ */

/* Where someone lived before: after an earlier stay, where that one ended. */
static const char *previous_living(const struct person *p, const struct stay_plan *before)
{
	static const struct {
		const char *destination, *living;
	} after[] = {{"own_home", "own_rental"}, {"supported_housing", "sofa"},
	             {"shelter", "shelter"},     {"family", "family"},
	             {"hospital", "hospital"},   {"prison", "prison"},
	             {"street", "street"},       {"unknown", "sofa"}};
	if (before) {
		for (size_t i = 0; i < ARRAY_SIZE(after); i++)
			if (str_eq(after[i].destination, before->destination))
				return listed(&list_living, after[i].living);
	}
	struct weighted first[] = {{"sofa", 30},
	                           {"street", 20},
	                           {"shelter", 15},
	                           {"own_rental", 10},
	                           {"prison", p->tr.prison ? 25u : 3u},
	                           {"hospital", 7},
	                           {"treatment", 5},
	                           {"family", 8}};
	return listed(&list_living, PICK_CODE(first));
}

/* § 110 stk. 6: most are notified within a day or two; some present residents are not. */
static void put_notified(struct fields *f, const struct stay_plan *s)
{
	static const struct weighted delay[] = {
	    {"same day", 30}, {"next day", 40}, {"two days", 20}, {"three days", 10}};
	static const struct weighted ways[] = {
	    {"e-mail", 50}, {"digital post", 35}, {"telefon", 15}};
	int present = s->leave_ago < 0;
	long t = (long)pick_index(delay, ARRAY_SIZE(delay));
	if (chance(present ? 0.10 : 0.03) || (present && t > s->span))
		return;
	char day[DATE_LEN];
	date_add_days(s->day0, min_long(t, s->span), day);
	put(f, "notified_at", day);
	put(f, "notified_how", PICK_CODE(ways));
}

/* Assessed (udredt) within about six weeks for most longer stays; some never, which warns. */
static void put_assessment(struct fields *f, const struct stay_plan *s)
{
	int longer = s->span >= 21;
	if (!chance(longer ? 0.8 : 0.15))
		return;
	long t = longer ? between(7, min_long(s->span, 50)) : between(1, s->span);
	char day[DATE_LEN];
	date_add_days(s->day0, t, day);
	put(f, "assessed_at", day);
	if (chance(0.85)) {
		date_add_days(s->day0, min_long(s->span, t + between(0, 21)), day);
		put(f, "plan_at", day);
	}
}

/* Ready, moving in and support, as the checklist has got them. */
static void put_housing(const struct demo *d, struct fields *f, const struct stay_plan *s)
{
	static const struct weighted methods[] = {
	    {"cti", 35}, {"sel85", 35}, {"icm", 15}, {"act", 10}, {"other", 5}};
	char day[DATE_LEN];
	if (s->t_ready >= 0) {
		date_add_days(s->day0, s->t_ready, day);
		put(f, "ready_at", day);
	}
	if (step_is(s, "housing_move_in", "done")) {
		if (s->leave_ago < 0)
			date_add_days(d->today, between(3, 40), day); /* moving in soon */
		else
			strlcpy_trunc(day, s->departure, DATE_LEN);
		put(f, "move_in_date", day);
	}
	if (step_is(s, "support_applied", "done") || step_is(s, "support_applied", "doing"))
		put(f, "support_method", PICK_CODE(methods));
	step_date(s, "support_granted", day);
	put_date(f, "support_granted_at", day);
	step_date(s, "support_started", day);
	put_date(f, "support_start", day);
}

static const char *departure_note(const char *destination)
{
	if (str_eq(destination, "own_home"))
		return chance(0.5) ? "Flyttede i egen 1-værelses lejlighed"
		                   : "Nøgleoverdragelse, møbler kørt ud samme dag";
	if (str_eq(destination, "supported_housing"))
		return "Flyttet til botilbud";
	if (str_eq(destination, "shelter"))
		return "Overflyttet til andet herberg efter eget ønske";
	if (str_eq(destination, "family"))
		return "Flyttede ind hos sin søster";
	if (str_eq(destination, "unknown"))
		return "Udeblev, værelset ryddet efter 3 dage";
	if (str_eq(destination, "street"))
		return "Forlod stedet efter konflikt";
	return NULL;
}

static void put_departure(struct fields *f, const struct stay_plan *s)
{
	if (s->leave_ago < 0)
		return;
	put(f, "departure", s->departure);
	put(f, "destination", listed(&list_destinations, s->destination));
	if (chance(0.3))
		put(f, "departure_note", departure_note(s->destination));
}

/* The shelter's own municipality usually acts and pays; sometimes another one pays. */
static const char *acting_kommune(const struct person *p)
{
	return is_real_kommune(p->home) && chance(0.85) ? p->home : random_kommune();
}

static const char *paying_kommune(const struct person *p, const char *acting)
{
	if (chance(0.88))
		return acting;
	return is_real_kommune(p->home) ? p->home : random_kommune();
}

static const char *step_responsible(const char *item)
{
	static const struct weighted income[] = {
	    {"municipality", 50}, {"shelter", 40}, {"resident", 10}};
	static const struct weighted housing[] = {
	    {"shelter", 60}, {"municipality", 30}, {"resident", 10}};
	static const struct weighted furniture[] = {
	    {"shelter", 50}, {"municipality", 40}, {"other", 10}};
	static const struct weighted support[] = {{"municipality", 80}, {"shelter", 20}};
	if (str_eq(item, "income"))
		return PICK_CODE(income);
	if (str_eq(item, "housing"))
		return PICK_CODE(housing);
	if (str_eq(item, "furniture"))
		return PICK_CODE(furniture);
	return PICK_CODE(support);
}

static char *responsible_name(const char *who, const char *item, const char *kommune)
{
	static const char *const others[] = {"Boligselskabet", "Genbrugsbutikken",
	                                     "Frivillig møbelindsamling", "Værge"};
	const struct kommune *k = kommune_by_code(kommune);
	const char *place = k ? k->name : "kommunen";
	if (str_eq(who, "shelter"))
		return xstrdup(PICK(staff));
	if (str_eq(who, "other"))
		return xstrdup(PICK(others));
	if (!str_eq(who, "municipality"))
		return NULL;
	if (str_eq(item, "income"))
		return xasprintf("Jobcenter %s", place);
	if (str_eq(item, "housing"))
		return xasprintf("Boliganvisningen %s", place);
	if (str_eq(item, "furniture"))
		return xasprintf("Ydelsesteamet %s", place);
	return xasprintf("Myndighedsafdelingen %s", place);
}

static int write_step(struct db *db, const struct stay_plan *s, size_t i, char **err)
{
	static const char *const notes[] = {
	    "afventer svar",
	    "rykket to gange",
	    "mangler MitID",
	    "tid hos sagsbehandler aftalt",
	    "sendt som Housing First – haster",
	    "beboer mødte ikke op, ny tid aftales",
	    "venter på lægeerklæring",
	};
	const struct step_def *def = &checklist_steps[i];
	const struct step_state *st = &s->steps[i];
	const char *status = st->status ? st->status : "todo";
	struct fields f = {.n = 0};
	put(&f, "stay_id", s->id);
	put(&f, "item", def->item);
	put(&f, "step", def->code);
	put(&f, "status", status);
	if (st->t >= 0) {
		char day[DATE_LEN];
		date_add_days(s->day0, st->t, day);
		put(&f, "date", day);
	}
	if (!str_eq(status, "na") && (!str_eq(status, "todo") || chance(0.3))) {
		const char *who = step_responsible(def->item);
		put(&f, "responsible", listed(&list_responsible, who));
		if (chance(0.35))
			put_owned(&f, "responsible_name",
			          responsible_name(who, def->item, s->acting));
	}
	if ((str_eq(status, "todo") || str_eq(status, "doing")) && chance(0.15))
		put(&f, "note", PICK(notes));
	char *id = xasprintf("%s/%s", s->id, def->code);
	int rc = insert(db, "checklist_step", id, &f, err);
	free(id);
	return rc;
}

/* What the household needs, once there is a home in sight and the grant is applied for. */
static int write_furniture(struct db *db, const struct stay_plan *s, char **err)
{
	static const struct weighted granted[] = {{"granted", 60}, {"have", 25}, {"needed", 15}};
	static const struct weighted applied[] = {{"applied", 55}, {"have", 25}, {"needed", 20}};
	static const struct weighted early[] = {{"needed", 65}, {"have", 35}};
	int started =
	    step_is(s, "housing_offer", "done") &&
	    (step_is(s, "furniture_applied", "done") || step_is(s, "furniture_applied", "doing") ||
	     step_is(s, "housing_lease", "done"));
	if (!started)
		return 0;
	int rc = 0;
	for (size_t i = 0; i < list_furniture.n && rc == 0; i++) {
		if (!chance(0.85))
			continue;
		const char *state = step_is(s, "furniture_granted", "done")   ? PICK_CODE(granted)
		                    : step_is(s, "furniture_applied", "done") ? PICK_CODE(applied)
		                                                              : PICK_CODE(early);
		const char *thing = list_furniture.items[i].code;
		struct fields f = {.n = 0};
		put(&f, "stay_id", s->id);
		put(&f, "thing", thing);
		put(&f, "state", listed(&list_furniture_states, state));
		char *id = xasprintf("%s/%s", s->id, thing);
		rc = insert(db, "furniture", id, &f, err);
		free(id);
	}
	return rc;
}

static int write_stay(struct demo *d, const struct person *p, struct stay_plan *s,
                      const struct stay_plan *before, char **err)
{
	struct fields f = {.n = 0};
	s->acting = acting_kommune(p);
	put(&f, "resident_id", p->id);
	put(&f, "arrival", s->arrival);
	put(&f, "room", s->room);
	put(&f, "acting_kommune", s->acting);
	put(&f, "paying_kommune", paying_kommune(p, s->acting));
	put(&f, "previous_living", previous_living(p, before));
	put_notified(&f, s);
	put_assessment(&f, s);
	put_housing(d, &f, s);
	put_departure(&f, s);
	int rc = insert(d->db, "stay", s->id, &f, err);
	for (size_t i = 0; i < checklist_steps_count && rc == 0; i++)
		rc = write_step(d->db, s, i, err);
	return rc == 0 ? write_furniture(d->db, s, err) : rc;
}

/* --- notes and the shift log -------------------------------------------------------------- */

static int write_note(struct db *db, const char *resident_id, const char *kind, const char *body,
                      char **err)
{
	char id[ID_LEN];
	id_new(id);
	struct fields f = {.n = 0};
	put(&f, "resident_id", resident_id);
	put(&f, "kind", kind);
	put(&f, "body", body);
	return insert(db, "note", id, &f, err);
}

/* A few notes during the stays, each written at its own moment (never today, never later). */
static int write_notes(struct demo *d, const struct person *p, char **err)
{
	static const char *const bodies[] = {
	    "Har været til samtale på jobcentret.",
	    "Ringede til boligselskabet om ventelisten.",
	    "Fik hjælp til at søge etableringshjælp.",
	    "Træt og indadvendt i dag, spiste ikke aftensmad.",
	    "Har fået ny tid hos egen læge.",
	    "Samtale om handleplan med sagsbehandler.",
	    "Var med til fremvisning af lejlighed, positiv.",
	    "Har betalt af på gælden til boligselskabet.",
	    "Mødte ikke op til aftalt samtale.",
	    "Kontakt til søsteren genoptaget, besøg i weekenden.",
	    "Kontanthjælp bevilget, første udbetaling på fredag.",
	    "God dag, hjalp til i køkkenet.",
	    "Har mistet sit sundhedskort, nyt er bestilt.",
	    "Konflikt i fællesstuen, talt igennem.",
	};
	long n = between(0, 3);
	int rc = 0;
	for (long i = 0; i < n && rc == 0; i++) {
		const struct stay_plan *s = &p->stays[id_random(p->n_stays)];
		long t = between(0, min_long(s->span, s->arrive_ago - 1));
		char day[DATE_LEN], when[LOCAL_MIN_LEN];
		date_add_days(s->day0, t, day);
		local_minute(day, between(8, 21), between(0, 59), when);
		rc = fix_clock(when, err);
		if (rc == 0)
			rc = write_note(d->db, p->id, "note", PICK(bodies), err);
	}
	return rc;
}

static int write_shift_note(struct demo *d, char **err)
{
	static const char *const bodies[] = {
	    "Rolig nat. Brandalarm testet kl. 03.",
	    "Uro på 2. sal omkring kl. 01, løst ved samtale.",
	    "Ambulance tilkaldt kl. 04, beboer kørt på skadestuen.",
	    "To nye indskrevet i aftenvagten.",
	    "Politiet var forbi kl. 23 og spurgte efter en tidligere beboer.",
	    "Vaskemaskine 2 i stykker, meldt til viceværten.",
	    "Rolig aften, mange i fællesstuen til fodbold.",
	    "Dørtelefonen virker ikke, gæster lukket ind manuelt.",
	};
	char day[DATE_LEN], when[LOCAL_MIN_LEN];
	date_add_days(d->today, -between(1, 60), day);
	local_minute(day, 7, between(0, 30), when); /* written at the morning handover */
	if (fix_clock(when, err) != 0)
		return -1;
	return write_note(d->db, NULL, "shift", PICK(bodies), err);
}

/* --- transactions, and the log of what they committed ------------------------------------ */

/* The changes a transaction made, as --log writes them: one line each, tab-separated. */
static void log_line(const char *hlc, const char *terminal, const char *table, const char *id,
		     const char *field, void *arg)
{
	sb_addf(arg, "%s\t%s\t%s\t%s\t%s\n", hlc, terminal, table, id, field);
}

/* Begins a write transaction; *before is where the history stands (for the log). */
static int begin(struct demo *d, long long *before, char **err)
{
	*before = 0;
	if (db_begin(d->db, err) != 0)
		return -1;
	if (d->log && (*before = db_history_last(d->db, err)) < 0) {
		db_rollback(d->db);
		return -1;
	}
	return 0;
}

/* Commits; then, and only then, logs the transaction's changes, so every line of the log names
 * a change the database holds for good (a crash between the two leaves lines out, never in). */
static int commit(struct demo *d, long long before, char **err)
{
	struct strbuf lines;
	sb_init(&lines);
	if (d->log && db_history_since(d->db, before, log_line, &lines, err) != 0) {
		db_rollback(d->db);
		sb_free(&lines);
		return -1;
	}
	int rc = db_commit(d->db, err);
	/* A breath between transactions: another husly waiting to save (staff, on the same
	 * database) gets its turn now, not when the whole run is over. */
	const struct timespec pause = {0, 1000000};
	nanosleep(&pause, NULL);
	if (rc == 0 && lines.len && (fputs(lines.buf, d->log) == EOF || fflush(d->log) != 0)) {
		*err = xasprintf("demo: cannot write the log: %s", strerror(errno));
		rc = -1;
	}
	sb_free(&lines);
	return rc;
}

/* --- one resident, one transaction ------------------------------------------------------ */

/* Records are stamped with the moment they would have been typed: the resident and the
 * answers at the first arrival, each stay at its own arrival. */
static int write_person(struct demo *d, struct person *p, char **err)
{
	if (fix_clock(p->stays[0].arrival, err) != 0 || write_resident(d, p, err) != 0)
		return -1;
	for (size_t i = 0; i < p->n_stays; i++) {
		struct stay_plan *s = &p->stays[i];
		if (fix_clock(s->arrival, err) != 0 ||
		    write_stay(d, p, s, i ? &p->stays[i - 1] : NULL, err) != 0)
			return -1;
	}
	if (write_notes(d, p, err) != 0)
		return -1;
	return chance(0.15) ? write_shift_note(d, err) : 0;
}

/* A crash leaves whole residents only: everything of one resident commits together. */
static int add_resident(struct demo *d, char **err)
{
	struct person p;
	plan_person(d, &p);
	long long before;
	int rc = begin(d, &before, err);
	if (rc == 0) {
		rc = write_person(d, &p, err);
		if (rc == 0)
			rc = commit(d, before, err);
		else
			db_rollback(d->db);
	}
	person_free(&p);
	return rc;
}

/* --- edits: what staff change in a day, through db_record_set like the screens ----------- */

struct edit {
	struct demo *d;
	const struct list_row *row;
	const struct record *stay; /* the latest stay, or NULL */
	int present;
};

/* Each returns 0 when done, 1 when it does not apply to this resident, -1 on error. */
typedef int edit_fn(struct edit *e, char **err);

static const char *stay_id(const struct edit *e)
{
	return record_get(e->stay, "id");
}

static int edit_room(struct edit *e, char **err)
{
	if (!e->present)
		return 1;
	char room[ROOM_LEN];
	beds_take(&e->d->beds, room); /* before the release: a new bed, not the same */
	beds_release(&e->d->beds, record_get(e->stay, "room"));
	return db_record_set(e->d->db, "stay", stay_id(e), "room", room, err);
}

static int edit_notified(struct edit *e, char **err)
{
	if (!e->present || record_get(e->stay, "notified_at"))
		return 1;
	char day[DATE_LEN];
	const char *arrival = record_get(e->stay, "arrival");
	long days = date_days_between(arrival, e->d->edit_day);
	date_add_days(arrival, min_long(between(1, 3), days), day);
	if (db_record_set(e->d->db, "stay", stay_id(e), "notified_at", day, err) != 0)
		return -1;
	return db_record_set(e->d->db, "stay", stay_id(e), "notified_how", "e-mail", err);
}

static int edit_assessed(struct edit *e, char **err)
{
	if (!e->present || record_get(e->stay, "assessed_at"))
		return 1;
	return db_record_set(e->d->db, "stay", stay_id(e), "assessed_at", e->d->edit_day, err);
}

static int edit_ready(struct edit *e, char **err)
{
	if (!e->present || record_get(e->stay, "ready_at"))
		return 1;
	long days = date_days_between(record_get(e->stay, "arrival"), e->d->edit_day);
	if (days < 14)
		return 1;
	char day[DATE_LEN];
	date_add_days(e->d->edit_day, -between(0, 10), day);
	return db_record_set(e->d->db, "stay", stay_id(e), "ready_at", day, err);
}

static int edit_move_in(struct edit *e, char **err)
{
	if (!e->present || !record_get(e->stay, "ready_at") || record_get(e->stay, "move_in_date"))
		return 1;
	char day[DATE_LEN];
	date_add_days(e->d->edit_day, between(7, 40), day);
	return db_record_set(e->d->db, "stay", stay_id(e), "move_in_date", day, err);
}

/* Moves one open step of the current stay on: to do -> in progress or done, in progress ->
 * done, dated today. */
static int edit_step(struct edit *e, char **err)
{
	if (!e->present)
		return 1;
	struct record *steps;
	size_t n, open = 0;
	if (db_records_where(e->d->db, "checklist_step", "stay_id", stay_id(e), "step", &steps, &n,
	                     err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		open += str_eq(record_get(&steps[i], "status"), "todo") ||
		        str_eq(record_get(&steps[i], "status"), "doing");
	int rc = 1;
	size_t pick = open ? (size_t)id_random(open) : 0;
	for (size_t i = 0; i < n && open && rc == 1; i++) {
		const char *status = record_get(&steps[i], "status");
		if ((!str_eq(status, "todo") && !str_eq(status, "doing")) || pick--)
			continue;
		const char *next = str_eq(status, "todo") && chance(0.6) ? "doing" : "done";
		const char *id = record_get(&steps[i], "id");
		struct db *db = e->d->db;
		rc = db_record_set(db, "checklist_step", id, "status", next, err);
		if (rc == 0)
			rc = db_record_set(db, "checklist_step", id, "date", e->d->edit_day, err);
	}
	records_free(steps, n);
	return rc;
}

static int edit_alert(struct edit *e, char **err)
{
	const char *alert = e->row->alert_medical && chance(0.5) ? NULL : PICK(medical_alerts);
	return db_record_set(e->d->db, "resident", e->row->id, "alert_medical", alert, err);
}

static int edit_income(struct edit *e, char **err)
{
	const char *income = list_incomes.items[id_random(list_incomes.n)].code;
	return db_record_set(e->d->db, "resident", e->row->id, "income", income, err);
}

static int edit_misuse(struct edit *e, char **err)
{
	struct record *answers;
	size_t n, misuse = 0;
	if (db_records_where(e->d->db, "answer", "resident_id", e->row->id, "code", &answers, &n,
	                     err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		misuse += str_eq(record_get(&answers[i], "list"), "misuse");
	int rc = 1;
	size_t pick = misuse ? (size_t)id_random(misuse) : 0;
	for (size_t i = 0; i < n && misuse && rc == 1; i++) {
		if (!str_eq(record_get(&answers[i], "list"), "misuse") || pick--)
			continue;
		const char *value = list_misuse_values.items[id_random(list_misuse_values.n)].code;
		rc = db_record_set(e->d->db, "answer", record_get(&answers[i], "id"), "value",
		                   value, err);
	}
	records_free(answers, n);
	return rc;
}

static const struct {
	edit_fn *fn;
	unsigned weight;
} edits[] = {
    {edit_room, 10}, {edit_notified, 10}, {edit_assessed, 8}, {edit_ready, 8},   {edit_move_in, 4},
    {edit_step, 30}, {edit_alert, 6},     {edit_income, 8},   {edit_misuse, 10},
};

static edit_fn *random_edit(void)
{
	uint64_t total = 0;
	for (size_t i = 0; i < ARRAY_SIZE(edits); i++)
		total += edits[i].weight;
	uint64_t r = id_random(total);
	size_t i = 0;
	while (r >= edits[i].weight)
		r -= edits[i++].weight;
	return edits[i].fn;
}

/* Most edits are for residents who are here; for the others a few tries find one that fits. */
static int apply_edit(struct edit *e, char **err)
{
	int rc = 1;
	for (int tries = 0; tries < 8 && rc == 1; tries++)
		rc = random_edit()(e, err);
	return rc == 1 ? edit_income(e, err) : rc; /* income applies to everyone */
}

/* One edit of a resident picked at random from the whole list. */
static int edit_random_resident(struct demo *d, char **err)
{
	const struct list_query everyone = {.filter = LIST_ALL, .sort = LIST_SORT_NAME};
	long count = db_list_count(d->db, &everyone, err);
	if (count <= 0)
		return (int)count;
	struct list_row *rows;
	size_t n;
	long offset = (long)id_random((uint64_t)count);
	if (db_list_page(d->db, &everyone, offset, 1, &rows, &n, err) != 0)
		return -1;
	struct record *stays = NULL;
	size_t n_stays = 0;
	int rc = 0;
	if (n == 1)
		rc = db_records_where(d->db, "stay", "resident_id", rows[0].id, "arrival", &stays,
		                      &n_stays, err);
	if (n == 1 && rc == 0) {
		struct edit e = {d, &rows[0], n_stays ? &stays[n_stays - 1] : NULL, 0};
		e.present = e.stay && !record_get(e.stay, "departure");
		rc = apply_edit(&e, err);
	}
	records_free(stays, n_stays);
	list_rows_free(rows, n);
	return rc;
}

/* Edits happen yesterday, spread evenly over its 24 hours (never later than now, whatever time
 * demo runs), each in its own transaction. */
static int make_edit(struct demo *d, long index, long count, char **err)
{
	char start[LOCAL_MIN_LEN], end[LOCAL_MIN_LEN];
	time_t t0, t1;
	date_add_days(d->today, -1, d->edit_day);
	local_minute(d->edit_day, 0, 0, start);
	local_minute(d->today, 0, 0, end);
	if (local_minute_to_time(start, &t0) != 0 || local_minute_to_time(end, &t1) != 0) {
		*err = xasprintf("demo: bad time %s", start);
		return -1;
	}
	/* t1 - t0 is 23 or 25 hours on the days the clocks change. */
	clock_fix(t0 + (time_t)(((double)(t1 - t0) * (double)index) / (double)(count > 0 ? count : 1)));
	long long before;
	if (begin(d, &before, err) != 0)
		return -1;
	if (edit_random_resident(d, err) != 0) {
		db_rollback(d->db);
		return -1;
	}
	return commit(d, before, err);
}

/* --- the command ----------------------------------------------------------------------- */

int demo_run(struct db *db, const struct demo_options *o, char **err)
{
	*err = NULL;
	if (o->residents < 0 || o->edits < 0) {
		*err = xstrdup("demo: the number of residents and edits cannot be negative");
		return -1;
	}
	struct demo d = {.db = db, .log = o->log};
	time_to_local_date(clock_now(), d.today);
	d.year = atoi(d.today);
	const struct list_query everyone = {.filter = LIST_ALL};
	long existing = db_list_count(db, &everyone, err);
	if (existing < 0 || beds_load(db, &d.beds, err) != 0) {
		free(d.beds.taken);
		return -1;
	}
	char *actor = xstrdup(db_actor(db));
	char origin[ID_LEN];
	id_seed(mix_seed(o->seed, existing));
	id_new(origin);
	double total = (double)existing + (double)o->residents;
	d.present_scale = total > PRESENT_RESIDENTS_AT_MOST ? PRESENT_RESIDENTS_AT_MOST / total : 1;
	db_set_actor(db, "demo");
	db_set_origin(db, origin);

	int rc = 0;
	long added = 0;
	for (long i = 0; i < o->residents && rc == 0; i++) {
		rc = add_resident(&d, err);
		added += rc == 0;
	}
	for (long i = 0; i < o->edits && rc == 0; i++)
		rc = make_edit(&d, i, o->edits, err);
	/* Each resident is a transaction of its own: say what was saved before the failure (a
	 * full disk says that nothing was, of the one that failed). */
	if (rc != 0 && added > 0 && *err) {
		char *msg = xasprintf(ngettext("%s (%ld resident was added before that.)",
					       "%s (%ld residents were added before that.)",
					       (unsigned long)added),
				      *err, added);
		free(*err);
		*err = msg;
	}

	/* Back to the real clock (or the one HUSLY_NOW pins), the kernel's ids, this terminal. */
	clock_fix(0);
	clock_init_from_env();
	id_seed(0);
	db_set_origin(db, NULL);
	db_set_actor(db, actor);
	free(actor);
	free(d.beds.taken);
	return rc;
}
