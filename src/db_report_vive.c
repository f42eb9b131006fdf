/* VIVE's table for the residents of a period (report.h): each resident's type of stay from their
 * stays in the typology's years up to the period's last day, and their risk factors from the
 * intake's answers and their stays:
 *  - alcohol: misuse of alcohol, current or earlier; drugs: of any other substance;
 *  - misuse: alcohol or drugs, or misuse given as a cause of homelessness;
 *  - mental illness: given as a cause; prison: release from prison given as a cause, or a stay
 *    that came from or ended in prison.
 * The free-text fields (mental health, prison history) are not read: words are no register. */
#include "db_internal.h"
#include "db_report_internal.h"

#define ANSWERED(list, codes, values)                                                       \
	"EXISTS (SELECT 1 FROM answer a WHERE a.resident_id = p.id AND a.list = '" list "'"     \
	" AND a.code " codes " AND a.value IN " values ")"
#define USED "('current', 'earlier')"

/* ?1 first day, ?2 last day, ?3 the typology's years. Nights from the window's first day to
 * the period's last day (an open stay counts to it). */
#define VIVE_SQL REPORT_KIND_CTE                                                            \
	" SELECT k.stays, k.days,"                                                               \
	" " ANSWERED("misuse", "= 'alcohol'", USED) ","                                          \
	" " ANSWERED("misuse", "<> 'alcohol'", USED) ","                                         \
	" " ANSWERED("cause", "= 'misuse'", "('yes')") ","                                       \
	" " ANSWERED("cause", "= 'mental_illness'", "('yes')") ","                               \
	" " ANSWERED("cause", "= 'prison_release'", "('yes')") " OR EXISTS (SELECT 1 FROM stay s" \
	"   WHERE s.resident_id = p.id AND 'prison' IN (s.previous_living, s.destination))"       \
	" FROM k JOIN p ON p.id = k.id"

enum stay_kind report_kind_of(const struct stay_typology *t, long stays, double days)
{
	if (days >= t->long_days)
		return STAY_KIND_LONG;
	return stays >= t->episodic_stays ? STAY_KIND_EPISODIC : STAY_KIND_SHORT;
}

static void tally(struct report *r, sqlite3_stmt *st)
{
	enum stay_kind k = report_kind_of(&r->typology, (long)sqlite3_column_int64(st, 0),
				   sqlite3_column_double(st, 1));
	int alcohol = sqlite3_column_int(st, 2), drugs = sqlite3_column_int(st, 3);
	int misuse = alcohol || drugs || sqlite3_column_int(st, 4);
	int mental = sqlite3_column_int(st, 5), prison = sqlite3_column_int(st, 6);
	const int has[RISK_FACTORS] = {
	    [RISK_MISUSE] = misuse,		 [RISK_ALCOHOL] = alcohol,
	    [RISK_DRUGS] = drugs,		 [RISK_MENTAL] = mental,
	    [RISK_BOTH] = misuse && mental,	 [RISK_EITHER] = misuse || mental,
	    [RISK_PRISON] = prison,		 [RISK_ANY] = misuse || mental || prison,
	};
	r->vive_n[k]++;
	for (int f = 0; f < RISK_FACTORS; f++)
		r->vive[f][k] += has[f] != 0;
}

int db_report_vive(struct db *db, struct report *r, char **err)
{
	sqlite3_stmt *st = db_prepare(db, VIVE_SQL, err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, r->typology.years);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		tally(r, st);
	db_finish(db, st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "report");
}
