#include "kommune.h"

#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* From data/kommuner.csv, same order. The populations are approximate (about 2024, rounded;
 * the smallest islands less so, so that they do not round to nothing or double) and are used
 * only to weight synthetic demo data and to break ties in the type-ahead: never report them. */
const struct kommune kommuner[] = {
	{"101", "København",           "Hovedstaden",   660000},
	{"147", "Frederiksberg",       "Hovedstaden",   104000},
	{"151", "Ballerup",            "Hovedstaden",    52000},
	{"153", "Brøndby",             "Hovedstaden",    39000},
	{"155", "Dragør",              "Hovedstaden",    14000},
	{"157", "Gentofte",            "Hovedstaden",    75000},
	{"159", "Gladsaxe",            "Hovedstaden",    70000},
	{"161", "Glostrup",            "Hovedstaden",    24000},
	{"163", "Herlev",              "Hovedstaden",    30000},
	{"165", "Albertslund",         "Hovedstaden",    28000},
	{"167", "Hvidovre",            "Hovedstaden",    54000},
	{"169", "Høje-Taastrup",       "Hovedstaden",    56000},
	{"173", "Lyngby-Taarbæk",      "Hovedstaden",    57000},
	{"175", "Rødovre",             "Hovedstaden",    41000},
	{"183", "Ishøj",               "Hovedstaden",    24000},
	{"185", "Tårnby",              "Hovedstaden",    44000},
	{"187", "Vallensbæk",          "Hovedstaden",    17000},
	{"190", "Furesø",              "Hovedstaden",    42000},
	{"201", "Allerød",             "Hovedstaden",    26000},
	{"210", "Fredensborg",         "Hovedstaden",    42000},
	{"217", "Helsingør",           "Hovedstaden",    64000},
	{"219", "Hillerød",            "Hovedstaden",    54000},
	{"223", "Hørsholm",            "Hovedstaden",    25000},
	{"230", "Rudersdal",           "Hovedstaden",    57000},
	{"240", "Egedal",              "Hovedstaden",    44000},
	{"250", "Frederikssund",       "Hovedstaden",    46000},
	{"253", "Greve",               "Sjælland",       51000},
	{"259", "Køge",                "Sjælland",       63000},
	{"260", "Halsnæs",             "Hovedstaden",    31000},
	{"265", "Roskilde",            "Sjælland",       90000},
	{"269", "Solrød",              "Sjælland",       24000},
	{"270", "Gribskov",            "Hovedstaden",    42000},
	{"306", "Odsherred",           "Sjælland",       33000},
	{"316", "Holbæk",              "Sjælland",       73000},
	{"320", "Faxe",                "Sjælland",       38000},
	{"326", "Kalundborg",          "Sjælland",       49000},
	{"329", "Ringsted",            "Sjælland",       36000},
	{"330", "Slagelse",            "Sjælland",       80000},
	{"336", "Stevns",              "Sjælland",       24000},
	{"340", "Sorø",                "Sjælland",       31000},
	{"350", "Lejre",               "Sjælland",       29000},
	{"360", "Lolland",             "Sjælland",       40000},
	{"370", "Næstved",             "Sjælland",       84000},
	{"376", "Guldborgsund",        "Sjælland",       60000},
	{"390", "Vordingborg",         "Sjælland",       46000},
	{"400", "Bornholm",            "Hovedstaden",    39000},
	{"410", "Middelfart",          "Syddanmark",     40000},
	{"420", "Assens",              "Syddanmark",     41000},
	{"430", "Faaborg-Midtfyn",     "Syddanmark",     51000},
	{"440", "Kerteminde",          "Syddanmark",     24000},
	{"450", "Nyborg",              "Syddanmark",     32000},
	{"461", "Odense",              "Syddanmark",    210000},
	{"479", "Svendborg",           "Syddanmark",     59000},
	{"480", "Nordfyns",            "Syddanmark",     29000},
	{"482", "Langeland",           "Syddanmark",     12000},
	{"492", "Ærø",                 "Syddanmark",      6000},
	{"510", "Haderslev",           "Syddanmark",     56000},
	{"530", "Billund",             "Syddanmark",     27000},
	{"540", "Sønderborg",          "Syddanmark",     73000},
	{"550", "Tønder",              "Syddanmark",     37000},
	{"561", "Esbjerg",             "Syddanmark",    116000},
	{"563", "Fanø",                "Syddanmark",      3500},
	{"573", "Varde",               "Syddanmark",     50000},
	{"575", "Vejen",               "Syddanmark",     43000},
	{"580", "Aabenraa",            "Syddanmark",     59000},
	{"607", "Fredericia",          "Syddanmark",     52000},
	{"615", "Horsens",             "Midtjylland",    98000},
	{"621", "Kolding",             "Syddanmark",     95000},
	{"630", "Vejle",               "Syddanmark",    122000},
	{"657", "Herning",             "Midtjylland",    90000},
	{"661", "Holstebro",           "Midtjylland",    59000},
	{"665", "Lemvig",              "Midtjylland",    19000},
	{"671", "Struer",              "Midtjylland",    21000},
	{"706", "Syddjurs",            "Midtjylland",    44000},
	{"707", "Norddjurs",           "Midtjylland",    37000},
	{"710", "Favrskov",            "Midtjylland",    50000},
	{"727", "Odder",               "Midtjylland",    24000},
	{"730", "Randers",             "Midtjylland",    99000},
	{"740", "Silkeborg",           "Midtjylland",    98000},
	{"741", "Samsø",               "Midtjylland",     3700},
	{"746", "Skanderborg",         "Midtjylland",    65000},
	{"751", "Aarhus",              "Midtjylland",   370000},
	{"756", "Ikast-Brande",        "Midtjylland",    42000},
	{"760", "Ringkøbing-Skjern",   "Midtjylland",    56000},
	{"766", "Hedensted",           "Midtjylland",    48000},
	{"773", "Morsø",               "Nordjylland",    20000},
	{"779", "Skive",               "Midtjylland",    46000},
	{"787", "Thisted",             "Nordjylland",    43000},
	{"791", "Viborg",              "Midtjylland",    98000},
	{"810", "Brønderslev",         "Nordjylland",    36000},
	{"813", "Frederikshavn",       "Nordjylland",    58000},
	{"820", "Vesthimmerlands",     "Nordjylland",    36000},
	{"825", "Læsø",                "Nordjylland",     1700},
	{"840", "Rebild",              "Nordjylland",    30000},
	{"846", "Mariagerfjord",       "Nordjylland",    41000},
	{"849", "Jammerbugt",          "Nordjylland",    38000},
	{"851", "Aalborg",             "Nordjylland",   223000},
	{"860", "Hjørring",            "Nordjylland",    64000},
	/* Not municipalities, but what staff must be able to record instead of one. */
	{"none",      "Uden fast bopæl / ukendt", "", 0},
	{"greenland", "Grønland",                 "", 0},
	{"faroe",     "Færøerne",                 "", 0},
	{"abroad",    "Udlandet",                 "", 0},
};
const size_t kommuner_count = ARRAY_SIZE(kommuner);

/* What staff write instead of the name; folded, like the typed text they are compared with. */
static const struct {
	const char *abbrev;
	const char *code;
} abbrevs[] = {
	{"kbh", "101"},
	{"cph", "101"},
	{"frb", "147"},
};

/* Lower rank is better. */
enum rank {
	RANK_CODE,         /* the exact code */
	RANK_EXACT,        /* the whole name, or an abbreviation of it */
	RANK_PREFIX,       /* the start of the name (or of a code, or of an abbreviation) */
	RANK_WORD,         /* the start of a later word: "tastrup" in "Høje-Taastrup" */
	RANK_INSIDE,       /* anywhere else in the name */
	RANK_NONE,
};

struct hit {
	const struct kommune *k;
	enum rank rank;
};

const struct kommune *kommune_by_code(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(kommuner); i++)
		if (str_eq(kommuner[i].code, code))
			return &kommuner[i];
	return NULL;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* How well the folded query q matches k; q is non-empty. */
static enum rank match(const struct kommune *k, const char *q)
{
	/* Codes are folded too, so "NONE" finds the special; they are plain ASCII, so this only
	 * lowers case. */
	char *code = text_fold(k->code);
	enum rank rank = RANK_NONE;
	if (str_eq(code, q))
		rank = RANK_CODE;
	else if (all_digits(q) && starts_with(code, q))
		rank = RANK_PREFIX; /* typing "21" on the way to "217" */
	free(code);
	if (rank != RANK_NONE)
		return rank;

	for (size_t i = 0; i < ARRAY_SIZE(abbrevs); i++) {
		if (!str_eq(abbrevs[i].code, k->code))
			continue;
		if (str_eq(abbrevs[i].abbrev, q))
			return RANK_EXACT;
		if (starts_with(abbrevs[i].abbrev, q) && rank > RANK_PREFIX)
			rank = RANK_PREFIX;
	}

	char *name = text_fold(k->name);
	const char *at = strstr(name, q);
	if (at == name)
		rank = str_eq(name, q) ? RANK_EXACT : RANK_PREFIX;
	else if (rank > RANK_WORD && at) {
		rank = RANK_INSIDE;
		/* The first occurrence may be mid-word while a later one starts a word. */
		for (; at; at = strstr(at + 1, q))
			if (at[-1] == ' ') {
				rank = RANK_WORD;
				break;
			}
	}
	free(name);
	return rank;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	/* Among equally good matches the bigger municipality is the likelier answer. */
	if (x->k->population != y->k->population)
		return x->k->population > y->k->population ? -1 : 1;
	/* Then table order, so the result never depends on qsort's whims. */
	return x->k < y->k ? -1 : x->k > y->k;
}

size_t kommune_search(const char *typed, const struct kommune **out, size_t max)
{
	if (!typed || !out || max == 0)
		return 0;
	char *folded = text_fold(typed);
	const char *q = folded;
	/* Official lists write the codes with four digits: "0217" is 217. */
	while (q[0] == '0' && strlen(q) > 3 && all_digits(q))
		q++;

	if (!*q) {
		free(folded);
		return 0;
	}
	struct hit hits[ARRAY_SIZE(kommuner)];
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(kommuner); i++) {
		enum rank rank = match(&kommuner[i], q);
		if (rank != RANK_NONE)
			hits[n++] = (struct hit){&kommuner[i], rank};
	}
	free(folded);
	if (n == 0)
		return 0;
	qsort(hits, n, sizeof(hits[0]), hit_cmp);
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		out[i] = hits[i].k;
	return n;
}
