#!/bin/bash
# husly report: every figure of the CSV checked against the same figure worked out here from the
# database with sqlite3 (by other queries, and the quartiles with awk); the CSV's bytes (byte-
# order mark, ';', CRLF, decimal comma, dd-mm-åååå); the format from -o; usage errors; who may
# run it (as dump: not night staff); the PDF through pdftotext.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
ME=$(id -un)
printf 'staff %s { name = "Nat" role = "night" }\n' "$ME" >"$T/night.conf"
FROM=2026-01-01
TO=2026-11-25 # HUSLY_NOW's day: the default period is this year so far

# The value of the CSV row SECTION;CODE in $T/out.
csv_value() {
	awk -F';' -v s="\"$1\"" -v c="\"$2\"" '$1 == s && $2 == c { sub(/\r$/, "", $4); print $4 }' \
		"$T/out"
}

# expect_figure SECTION CODE VALUE
expect_figure() {
	local got
	got=$(csv_value "$1" "$2")
	[ "$got" = "$3" ] || fail "$1;$2 is '$got', the database says '$3'"
}

# The stays of the period as sqlite3 sees them: resident not erased, a day in the period.
PERIOD="FROM stay s JOIN resident r ON r.id = s.resident_id WHERE r.erased_at IS NULL
	AND date(s.arrival) <= '$TO' AND coalesce(date(s.departure), '9999-12-31') >= '$FROM'"
LEFT="$PERIOD AND date(s.departure) BETWEEN '$FROM' AND '$TO'"
END_DAY="CASE WHEN s.departure IS NULL OR date(s.departure) > '$TO' THEN '$TO'
	ELSE date(s.departure) END"
OVER="$PERIOD AND s.ready_at IS NOT NULL
	AND CAST(julianday($END_DAY) - julianday(s.ready_at) AS INTEGER) > 120"

# figures_match DB: the CSV in $T/out says what sqlite3 finds in DB.
figures_match() {
	local db=$1 code n
	expect_figure figure stays "$(sql "$db" "SELECT count(*) $PERIOD")" || return
	expect_figure figure residents "$(sql "$db" "SELECT count(DISTINCT r.id) $PERIOD")" || return
	expect_figure figure arrivals \
		"$(sql "$db" "SELECT count(*) $PERIOD AND date(s.arrival) >= '$FROM'")" || return
	expect_figure figure departures "$(sql "$db" "SELECT count(*) $LEFT")" || return
	while IFS='|' read -r code n; do
		expect_figure destination "$code" "$n" || return
	done < <(sql "$db" "SELECT coalesce(s.destination, ''), count(*) $LEFT GROUP BY 1")
	while IFS='|' read -r code n; do
		expect_figure home_kommune "$code" "$n" || return
	done < <(sql "$db" "SELECT coalesce(r.home_kommune, ''), count(DISTINCT r.id) $PERIOD GROUP BY 1")
	while IFS='|' read -r code n; do
		expect_figure paying_kommune "$code" "$n" || return
	done < <(sql "$db" "SELECT coalesce(s.paying_kommune, ''), count(*) $PERIOD GROUP BY 1")
	expect_figure indicator over_120_after_ready "$(sql "$db" "SELECT count(*) $OVER")" || return
	expect_figure indicator over_120_not_assessed "$(sql "$db" "SELECT count(*) $OVER
		AND (s.assessed_at IS NULL OR s.assessed_at > $END_DAY)
		AND (s.plan_at IS NULL OR s.plan_at > $END_DAY)")" || return
	ready_days_match "$db"
}

# The quartiles of the days from ready to leaving, by linear interpolation, with a comma.
ready_days_match() {
	local want
	want=$(sql "$1" "SELECT CAST(julianday(date(s.departure)) - julianday(s.ready_at) AS INTEGER)
		$LEFT AND s.ready_at IS NOT NULL ORDER BY 1" | awk '
		{ v[NR - 1] = $1 }
		function q(p,   pos, lo) { pos = p * (NR - 1); lo = int(pos)
			return lo + 1 >= NR ? v[NR - 1] : v[lo] + (pos - lo) * (v[lo + 1] - v[lo]) }
		END { printf "%d", NR; if (NR) printf " %.1f %.1f %.1f %.1f %.1f", v[0], q(.25), q(.5),
			q(.75), v[NR - 1]; print "" }' | tr . ,)
	local got code
	got=$(csv_value ready_days n)
	for code in min q1 median q3 max; do
		[ -n "$(csv_value ready_days $code)" ] && got="$got $(csv_value ready_days $code)"
	done
	[ "$got" = "$want" ] || fail "days from ready to leaving: '$got', the database says '$want'"
}

# days_match DB FIRST LAST: the year_days and refund_over rows in $T/out are what sqlite3
# finds by walking every day from FIRST's 1 January to LAST (a night counts; the limit 120 before
# 1 April 2026, then 90).
days_match() {
	local db=$1 first=${2:0:4}-01-01 last=$3 want got
	local walk="WITH RECURSIVE day(d) AS (SELECT '$first' UNION ALL
		SELECT date(d, '+1 day') FROM day WHERE d < '$last'),
	nights AS (SELECT s.resident_id AS id, coalesce(s.paying_kommune, '') AS paying, d,
		row_number() OVER (PARTITION BY s.resident_id, substr(d, 1, 4) ORDER BY d) AS n
		FROM day JOIN stay s ON d >= date(s.arrival)
		AND (s.departure IS NULL OR d < date(s.departure))
		JOIN resident r ON r.id = s.resident_id AND r.erased_at IS NULL)"
	want=$(sql "$db" "$walk SELECT substr(d, 1, 4) || '/' || id, count(*) FROM nights
		GROUP BY 1 ORDER BY 1")
	got=$(awk -F';' '$1 == "\"year_days\"" { gsub(/"/, "", $2); sub(/\r$/, "", $4); print $2 "|" $4 }' \
		"$T/out" | sort)
	[ "$got" = "$want" ] || fail "days per resident and year differ: $(diff <(echo "$want") <(echo "$got") | head -5 | tr '\n' ' ')" || return
	want=$(sql "$db" "$walk SELECT paying || '/' || substr(d, 1, 4) || '/' || id, count(*)
		FROM nights WHERE n > CASE WHEN d < '2026-04-01' THEN 120 ELSE 90 END GROUP BY 1 ORDER BY 1")
	got=$(awk -F';' '$1 == "\"refund_over\"" { gsub(/"/, "", $2); sub(/\r$/, "", $4); print $2 "|" $4 }' \
		"$T/out" | sort)
	[ -n "$want" ] || fail "nobody over the refund limit: no test" || return
	[ "$got" = "$want" ] || fail "days over the refund limit differ: $(diff <(echo "$want") <(echo "$got") | head -5 | tr '\n' ' ')"
}

two_years_of_days() {
	husly_run -c db/demo.conf -d "$DEMO_DB" report --from 01-07-2025 --format csv
	expect_status 0 "report --from 01-07-2025" || return
	days_match "$DEMO_DB" 2025-07-01 "$TO" || return
	grep -q '^"year_days";"2025/' "$T/out" || fail "no days of 2025" || return
	husly_run -c db/demo.conf -d "$DEMO_DB" report --format csv
	days_match "$DEMO_DB" "$FROM" "$TO"
}

# refund_limit_* in husly.conf change the count; a bad value is a configuration error.
refund_limit_conf() {
	printf 'refund_limit_days = 366\nrefund_limit_days_before = 366\n' >"$T/nolimit.conf"
	husly_run -c "$T/nolimit.conf" -d "$DEMO_DB" report --format csv
	expect_status 0 "report with a limit of 366 days" || return
	! grep -q '^"refund_over"' "$T/out" || fail "over a limit of 366 days: $(grep refund_over "$T/out" | head -2)" || return
	grep -q '^"refund_limit";"after";"[^"]*";366' "$T/out" || fail "the limit is not in the CSV" || return
	printf 'refund_limit_change = "01-04-2026"\n' >"$T/bad.conf"
	husly_run -c "$T/bad.conf" -d "$DEMO_DB" report
	expect_status 2 "refund_limit_change as dd-mm-yyyy" || return
	stderr_has refund_limit_change
}

# vive_match DB FIRST LAST: the vive rows in $T/out are VIVE's table worked out by sqlite3: the
# type from the nights counted day by day over the 3 years to LAST (long from 180, episodic from
# 3 stays), the risk factors from the answers and stays.
vive_match() {
	local db=$1 first=$2 last=$3 want got
	want=$(sql "$db" "WITH RECURSIVE day(d) AS (SELECT date('$last', '-3 years', '+1 day')
		UNION ALL SELECT date(d, '+1 day') FROM day WHERE d < '$last'),
	who AS (SELECT DISTINCT s.resident_id AS id FROM stay s JOIN resident r
		ON r.id = s.resident_id WHERE r.erased_at IS NULL AND date(s.arrival) <= '$last'
		AND coalesce(date(s.departure), '9999-12-31') >= '$first'),
	nights AS (SELECT who.id, (SELECT count(*) FROM day JOIN stay s ON s.resident_id = who.id
		AND d >= date(s.arrival) AND (s.departure IS NULL OR d < date(s.departure))) AS n,
		(SELECT count(*) FROM stay s WHERE s.resident_id = who.id AND date(s.arrival) <= '$last'
		AND coalesce(date(s.departure), '9999') >= date('$last', '-3 years', '+1 day')) AS stays
		FROM who),
	typed AS (SELECT id, CASE WHEN n >= 180 THEN 'long' WHEN stays >= 3 THEN 'episodic'
		ELSE 'short' END AS kind,
		id IN (SELECT resident_id FROM answer WHERE list = 'misuse' AND code = 'alcohol'
			AND value IN ('current', 'earlier')) AS alcohol,
		id IN (SELECT resident_id FROM answer WHERE list = 'misuse' AND code != 'alcohol'
			AND value IN ('current', 'earlier')) AS drugs,
		id IN (SELECT resident_id FROM answer WHERE list = 'cause' AND code = 'misuse'
			AND value = 'yes') AS misuse_cause,
		id IN (SELECT resident_id FROM answer WHERE list = 'cause' AND code = 'mental_illness'
			AND value = 'yes') AS mental,
		id IN (SELECT resident_id FROM answer WHERE list = 'cause' AND code = 'prison_release'
			AND value = 'yes' UNION SELECT resident_id FROM stay
			WHERE previous_living = 'prison' OR destination = 'prison') AS prison
		FROM nights),
	f AS (SELECT kind, alcohol OR drugs OR misuse_cause AS misuse, alcohol, drugs, mental, prison
		FROM typed)
	SELECT 'n/' || kind, count(*) FROM f GROUP BY kind
	UNION ALL SELECT 'misuse/' || kind, printf('%.1f', 100.0 * sum(misuse) / count(*)) FROM f GROUP BY kind
	UNION ALL SELECT 'alcohol/' || kind, printf('%.1f', 100.0 * sum(alcohol) / count(*)) FROM f GROUP BY kind
	UNION ALL SELECT 'drugs/' || kind, printf('%.1f', 100.0 * sum(drugs) / count(*)) FROM f GROUP BY kind
	UNION ALL SELECT 'mental_illness/' || kind, printf('%.1f', 100.0 * sum(mental) / count(*)) FROM f GROUP BY kind
	UNION ALL SELECT 'both/' || kind, printf('%.1f', 100.0 * sum(misuse AND mental) / count(*)) FROM f GROUP BY kind
	UNION ALL SELECT 'either/' || kind, printf('%.1f', 100.0 * sum(misuse OR mental) / count(*)) FROM f GROUP BY kind
	UNION ALL SELECT 'prison/' || kind, printf('%.1f', 100.0 * sum(prison) / count(*)) FROM f GROUP BY kind
	UNION ALL SELECT 'any_risk/' || kind, printf('%.1f', 100.0 * sum(misuse OR mental OR prison) / count(*))
		FROM f GROUP BY kind" | tr . , | sort)
	got=$(awk -F';' '$1 == "\"vive\"" { gsub(/"/, "", $2); sub(/\r$/, "", $4)
		if ($4 != "-" && $4 != "0") print $2 "|" $4 }' "$T/out" | sort)
	[ "$(echo "$want" | wc -l)" -gt 20 ] || fail "too few residents for the VIVE table" || return
	[ "$got" = "$want" ] || fail "VIVE's table differs: $(diff <(echo "$want") <(echo "$got") | head -6 | tr '\n' ' ')"
}

vive_table() {
	husly_run -c db/demo.conf -d "$DEMO_DB" report --from 01-07-2025 --format csv
	expect_status 0 "report --from 01-07-2025" || return
	vive_match "$DEMO_DB" 2025-07-01 "$TO" || return
	printf 'stay_type_long_days = 0\n' >"$T/badtype.conf"
	husly_run -c "$T/badtype.conf" -d "$DEMO_DB" report
	expect_status 2 "stay_type_long_days = 0" || return
	stderr_has stay_type_long_days
}

# The CSV's register rows FIELD as "cpr/stay/field|value", sorted.
register_rows() {
	awk -F';' -v f="$1" '$1 == "\"register\"" { gsub(/"/, "", $2); gsub(/"/, "", $4)
		sub(/\r$/, "", $4); n = split($2, p, "/"); if (p[n] == f) print $2 "|" $4 }' "$T/out" |
		sort
}

# The national register's listing for the third quarter, against sqlite3's; then a duplicate
# CPR number and overlapping stays made by hand, which the checks list.
register_listing() {
	local db q1=2026-07-01 q2=2026-09-30 listed
	db=$(demo_copy register)
	listed="FROM stay s JOIN resident r ON r.id = s.resident_id WHERE r.erased_at IS NULL
		AND (date(s.arrival) BETWEEN '$q1' AND '$q2' OR date(s.departure) BETWEEN '$q1' AND '$q2')"
	husly_run -c db/demo.conf -d "$db" report --from 01-07-2026 --to 30-09-2026 --format csv
	expect_status 0 "report for a quarter" || return
	local want got
	want=$(sql "$db" "SELECT coalesce(r.cpr, '') || '/' || s.id || '/admission|' ||
		strftime('%d-%m-%Y', date(s.arrival)) $listed" | sort)
	got=$(register_rows admission)
	[ "$(echo "$want" | wc -l)" -gt 5 ] || fail "too few stays in the quarter" || return
	[ "$got" = "$want" ] || fail "admissions differ: $(diff <(echo "$want") <(echo "$got") | head -4 | tr '\n' ' ')" || return
	want=$(sql "$db" "SELECT coalesce(r.cpr, '') || '/' || s.id || '/destination|' ||
		CASE WHEN date(s.departure) <= '$q2' THEN coalesce(s.destination, '') ELSE '' END
		$listed" | sort)
	got=$(register_rows destination)
	[ "$got" = "$want" ] || fail "destinations differ: $(diff <(echo "$want") <(echo "$got") | head -4 | tr '\n' ' ')" || return
	want=$(sql "$db" "SELECT count(DISTINCT r.id) $listed AND coalesce(r.cpr, '') = ''")
	[ "$(grep -c '^"register_problem";"no_cpr"' "$T/out")" = "$want" ] ||
		fail "the residents without a CPR number are not all listed" || return
	# Two residents of the quarter with one CPR number, their stays made to overlap.
	local a b
	a=$(sql "$db" "SELECT s.resident_id $listed AND s.departure IS NOT NULL AND r.cpr <> ''
		ORDER BY s.id LIMIT 1")
	b=$(sql "$db" "SELECT s.resident_id $listed AND s.departure IS NOT NULL AND r.cpr <> ''
		AND s.resident_id <> '$a' ORDER BY s.id LIMIT 1")
	sql "$db" "UPDATE resident SET cpr = (SELECT cpr FROM resident WHERE id = '$a')
		WHERE id = '$b';
		UPDATE stay SET arrival = '2026-07-02 10:00', departure = '2026-07-20 10:00'
		WHERE id = (SELECT id FROM stay WHERE resident_id = '$a' ORDER BY arrival DESC LIMIT 1)
		OR id = (SELECT id FROM stay WHERE resident_id = '$b' ORDER BY arrival DESC LIMIT 1)"
	husly_run -c db/demo.conf -d "$db" report --from 01-07-2026 --to 30-09-2026
	expect_status 0 "report with problems" || return
	grep -q "^  ! .*$a.*$b\|^  ! .*$b.*$a" "$T/out" || fail "no duplicate listed for $a and $b: $(grep '!' "$T/out" | head -3)" || return
	husly_run -c db/demo.conf -d "$db" report --from 01-07-2026 --to 30-09-2026 --format csv
	grep -q '^"register_problem";"duplicate";' "$T/out" || fail "no duplicate row in the CSV" || return
	grep -q '^"register_problem";"overlap";' "$T/out" ||
		fail "the overlap is not listed: $(grep register_problem "$T/out" | head -3)"
}

demo_figures() {
	husly_run -c db/demo.conf -d "$DEMO_DB" report --format csv
	expect_status 0 "report --format csv" || return
	[ "$(csv_value period from)" = 01-01-2026 ] && [ "$(csv_value period to)" = 25-11-2026 ] ||
		fail "the default period is not this year so far: $(head -3 "$T/out")" || return
	[ "$(csv_value figure stays)" -gt 10 ] || fail "too few stays for a test" || return
	[ "$(csv_value ready_days n)" -gt 3 ] || fail "too few ready dates for a test" || return
	figures_match "$DEMO_DB"
}

# Hand-built stays at the edges: exactly 120 days after ready (not over), 121 days (over, not
# assessed, no plan), a resident with two stays, one crossing the period's start.
edge_cases() {
	local db
	db=$(demo_copy edges)
	local who="'2026-01-01T00:00:00Z', 't', '2026-01-01T00:00:00Z', 't'"
	sql "$db" "INSERT INTO resident (id, name, name_key, home_kommune, created_at, created_by,
		updated_at, updated_by) VALUES ('EDGE1', '=Kant', 'kant', '999', $who);
		INSERT INTO stay (id, resident_id, arrival, departure, ready_at, destination,
		paying_kommune, created_at, created_by, updated_at, updated_by) VALUES
		('EDGES1', 'EDGE1', '2025-12-01 10:00', '2026-05-31 10:00', '2026-01-31', 'family',
		 '999', $who),
		('EDGES2', 'EDGE1', '2026-07-01 10:00', NULL, '2026-07-27', NULL, '999', $who)" ||
		fail "could not add the hand-built stays" || return
	husly_run -c db/demo.conf -d "$db" report -o - --format csv
	expect_status 0 "report on the hand-built stays" || return
	expect_figure paying_kommune 999 2 || return
	expect_figure home_kommune 999 1 || return
	grep -q "^\"year_days\";\"2026/EDGE1\";\"'=Kant\";" "$T/out" ||
		fail "a name like a formula is not defused: $(grep EDGE1 "$T/out" | head -2)" || return
	figures_match "$db" || return
	# Without the second stay nothing is over the limit from EDGE1: 120 days is not over.
	local over
	over=$(csv_value indicator over_120_after_ready)
	sql "$db" "UPDATE stay SET ready_at = '2026-07-28' WHERE id = 'EDGES2'"
	husly_run -c db/demo.conf -d "$db" report --format csv
	[ "$(csv_value indicator over_120_after_ready)" = $((over - 1)) ] ||
		fail "a stay 120 days after ready counted as over the limit"
}

csv_bytes() {
	husly_run -c db/demo.conf -d "$DEMO_DB" report --from 01-01-2025 --to 31-12-2025 -o "$T/r.csv"
	expect_status 0 "report -o r.csv" || return
	[ ! -s "$T/out" ] || fail "-o FILE wrote to stdout too" || return
	[ "$(head -c 3 "$T/r.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
		fail "no byte-order mark" || return
	head -1 "$T/r.csv" | grep -q $'section;code;label;value\r$' || fail "the header line" || return
	grep -q $'^"period";"from";"[^"]*";01-01-2025\r$' "$T/r.csv" || fail "the date" || return
	grep -qE '^"ready_days";"median";"[^"]*";[0-9]+,[0-9]'$'\r''$' "$T/r.csv" ||
		fail "no decimal comma: $(grep ready_days "$T/r.csv" | head -2)" || return
	[ "$(stat -c %a "$T/r.csv")" = 600 ] || fail "the report file is not private" || return
	husly_run -c db/demo.conf -d "$DEMO_DB" report --from 01-01-2025 --to 31-12-2025 -o "$T/r.txt"
	expect_status 0 "report -o r.txt" || return
	head -c 3 "$T/r.txt" | grep -q '^Rap\|^Rep' || fail "-o .txt is not text: $(head -1 "$T/r.txt")"
}

# The PDF (the print machinery's document) holds the same figures as the CSV.
pdf_report() {
	command -v pdftotext >/dev/null || { fail "pdftotext is not installed (make deps-test)"; return; }
	husly_run -c db/demo.conf -d "$DEMO_DB" report --from 01-07-2026 --to 30-09-2026 -o "$T/r.pdf"
	expect_status 0 "report -o r.pdf" || return
	[ "$(head -c 5 "$T/r.pdf")" = "%PDF-" ] || fail "-o r.pdf is no PDF" || return
	pdftotext -layout "$T/r.pdf" "$T/r.txt" || fail "pdftotext failed" || return
	husly_run -c db/demo.conf -d "$DEMO_DB" report --from 01-07-2026 --to 30-09-2026 --format csv
	grep -q "01-07-2026.*30-09-2026" "$T/r.txt" || fail "the PDF does not name the period" || return
	grep -qE "$(t 'stays in the period') +$(csv_value figure stays)\$" "$T/r.txt" ||
		fail "the PDF's stays differ from the CSV's $(csv_value figure stays)" || return
	local cpr
	cpr=$(sql "$DEMO_DB" "SELECT r.cpr FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE r.cpr <> '' AND date(s.arrival) BETWEEN '2026-07-01' AND '2026-09-30' LIMIT 1")
	grep -q "$cpr" "$T/r.txt" || fail "the register's CPR number $cpr is not in the PDF" || return
	husly_run -c db/demo.conf -d "$DEMO_DB" report --format pdf -o -
	expect_status 0 "report --format pdf -o - to a pipe" || return
	[ "$(head -c 5 "$T/out")" = "%PDF-" ] || fail "--format pdf -o - wrote no PDF"
}

# A --to after today counts to today: days yet to come are no figures.
future_to() {
	husly_run -c db/demo.conf -d "$DEMO_DB" report --from 01-10-2026 --to 31-12-2026 --format csv
	expect_status 0 "report to the end of the quarter" || return
	[ "$(csv_value period to)" = 25-11-2026 ] || fail "the period ends $(csv_value period to)"
}

usage_errors() {
	local args
	for args in "--from 31-12-2026 --to 01-01-2026" "--from 32-01-2026" "--format xml" \
		"--from 01-12-2026" \
		"--format docx" \
		"-o r.xls" "extra" "--to"; do
		# shellcheck disable=SC2086 # the words of the arguments
		husly_run -c db/demo.conf -d "$DEMO_DB" report $args
		expect_status 2 "report $args" || return
	done
}

# Each report is in the audit log, with its period and where it went, before it is written.
audited() {
	local db
	db=$(demo_copy audited)
	husly_run -c db/demo.conf -d "$db" report --from 01-07-2026 --to 30-09-2026 -o "$T/a.csv"
	expect_status 0 "report -o a.csv" || return
	[ "$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'report'
		AND detail = '2026-07-01..2026-09-30 -> $T/a.csv'")" = 1 ] ||
		fail "the report is not in the audit log: $(sql "$db" "SELECT action, detail FROM audit
			ORDER BY seq DESC LIMIT 2")"
}

night_refused() {
	husly_run -c "$T/night.conf" -d "$DEMO_DB" report
	expect_status 1 "report by night staff" || return
	[ ! -s "$T/out" ] || fail "the refused report wrote to stdout"
}

run_test "report: the demo database's figures match sqlite3's" demo_figures
run_test "report: stays at the edges, 120 days after ready is not over" edge_cases
run_test "report: CSV bytes for a Danish spreadsheet, -o picks the format" csv_bytes
run_test "report: days per resident and year, and over the refund limit, match sqlite3" \
	two_years_of_days
run_test "report: the refund limit from husly.conf" refund_limit_conf
run_test "report: VIVE's table by type of stay matches sqlite3" vive_table
run_test "report: the national register's quarter and its checks" register_listing
run_test "report: PDF through the print machinery" pdf_report
run_test "report: a --to after today counts to today" future_to
run_test "report: usage errors exit 2" usage_errors
run_test "report: night staff may not run it (as dump)" night_refused
run_test "report: each report is in the audit log" audited
finish
