/* Shared by src/db_report*.c only. */
#ifndef HUSLY_DB_REPORT_INTERNAL_H
#define HUSLY_DB_REPORT_INTERNAL_H

#include "report.h"

/* The residents of the period (p: id) and, per resident, their stays and nights in the
 * typology's years up to the period's last day (k: id, stays, days). ?1 first day, ?2 last day,
 * ?3 the typology's years. */
#define REPORT_KIND_CTE                                                                     \
	"WITH w AS (SELECT date(?2, '-' || ?3 || ' years', '+1 day') AS start,"                  \
	"   date(?2, '+1 day') AS stop),"                                                        \
	" p AS (SELECT DISTINCT s.resident_id AS id FROM stay s JOIN resident r"                 \
	"   ON r.id = s.resident_id AND r.erased_at IS NULL WHERE substr(s.arrival, 1, 10) <= ?2" \
	"   AND (s.departure IS NULL OR substr(s.departure, 1, 10) >= ?1)),"                    \
	" k AS (SELECT p.id, count(s.id) AS stays, coalesce(sum(julianday(min(coalesce("        \
	"   substr(s.departure, 1, 10), w.stop), w.stop)) - julianday(max(substr(s.arrival, 1, 10)," \
	"   w.start))), 0) AS days FROM p, w LEFT JOIN stay s ON s.resident_id = p.id"            \
	"   AND substr(s.arrival, 1, 10) <= ?2"                                                  \
	"   AND (s.departure IS NULL OR substr(s.departure, 1, 10) >= w.start) GROUP BY p.id)"

/* The type of stay of a resident with these stays and nights in the typology's years. */
enum stay_kind report_kind_of(const struct stay_typology *t, long stays, double days);

#endif
