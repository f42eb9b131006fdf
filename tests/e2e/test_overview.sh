#!/bin/bash
# The overview (o on the resident list): its figures against SQL over the demo database, the
# bar chart, an action list opening its residents and a resident from there, an ASCII terminal.
# Today is Wednesday 25-11-2026: the week began on Monday 23-11, the month on 01-11.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
TODAY=2026-11-25
WEEK=2026-11-23
MONTH=2026-11-01
BEDS_CONF=$T/beds.conf
{ cat db/demo.conf; echo 'beds = 40'; } >"$BEDS_CONF"

# fmtm MSGID ARGS...: the message with its numbers filled in.
fmtm() {
	local f
	f=$(t "$1")
	f=${f//%ld/%s}
	f=${f//%d/%s}
	shift
	# shellcheck disable=SC2059 # the format is the message's
	printf "$f" "$@"
}

PRESENT_SQL="FROM stay s JOIN resident r ON r.id = s.resident_id
	WHERE s.departure IS NULL AND r.erased_at IS NULL"
count() { sql "$DEMO_DB" "SELECT count(*) $PRESENT_SQL $1"; }
moved() { # COLUMN FROM: stays of residents not erased begun/ended from FROM to today
	sql "$DEMO_DB" "SELECT count(*) FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE r.erased_at IS NULL AND substr(s.$1, 1, 10) BETWEEN '$2' AND '$TODAY'"
}
DAYS="(julianday('$TODAY') - julianday(substr(s.arrival, 1, 10)))"
READY="(julianday('$TODAY') - julianday(s.ready_at))"
# The action lists by the rules of husly(1), section Warnings.
NOT_ASSESSED="AND s.assessed_at IS NULL AND $DAYS >= 42"
READY_LONG="AND s.ready_at IS NOT NULL AND $READY > 120"
NO_SUPPORT="AND s.move_in_date IS NOT NULL AND s.support_granted_at IS NULL"
NO_REG="AND s.ready_at IS NOT NULL AND $READY > 14 AND NOT EXISTS (SELECT 1 FROM checklist_step c
	WHERE c.stay_id = s.id AND c.step = 'housing_registered' AND c.status = 'done')"

open_overview() {
	keys "$1" o
	# The first bucket's label: plain ASCII also where the terminal spells æ, ø, å out.
	# shellcheck disable=SC2059 # the format is the message's
	wait_for "$1" "$(printf "$(t '%d-%d days')" 0 7)" ||
		fail "o did not open the overview: $(screen "$1" | tr '\n' '|')"
}

# has SESSION TEXT: the screen shows TEXT.
has() {
	screen "$1" | grep -qF -- "$2" || fail "the screen has no '$2': $(screen "$1" | tr '\n' '|')"
}

figures() {
	start_list s -- -c "$BEDS_CONF" -d "$DEMO_DB" || return
	# Not in the full key bar at 80 columns: in the help.
	keys s '?'
	wait_for s "$(t 'The overview: residents present, free beds, arrivals and departures, length of stay, checklists, and the lists to act on.' | cut -c1-30)" ||
		fail "the help has no o: $(screen s | tr '\n' '|')" || return
	keys s Escape
	wait_for s "$(t 'Residents: %ld present' | cut -d% -f1)" || fail "Esc did not close the help" || return
	open_overview s || return
	local present
	present=$(count "")
	has s "$(fmtm 'Residents present: %ld    Free beds: %ld of %d' "$present" $((40 - present)) 40)" || return
	has s "$(fmtm 'Arrivals: %ld this week, %ld this month' "$(moved arrival "$WEEK")" "$(moved arrival "$MONTH")")" || return
	has s "$(fmtm 'Departures: %ld this week, %ld this month' "$(moved departure "$WEEK")" "$(moved departure "$MONTH")")" || return
	# The bar chart: each bucket's count, and a bar on exactly the lines with anyone in them.
	local lo=0 hi label n line
	for hi in 7 30 90 120 365 100000; do
		if [ "$hi" = 100000 ]; then label=$(fmtm 'over %d days' 365); else label=$(fmtm '%d-%d days' "$lo" "$hi"); fi
		n=$(count "AND $DAYS BETWEEN $lo AND $hi")
		line=$(screen s | grep -F -- "  $label ") || fail "no line for '$label'" || return
		local re="^ +$label +$n( |\$)"
		[[ $line =~ $re ]] || fail "'$label' is not $n: '$line'" || return
		if [ "$n" -gt 0 ]; then
			[[ $line == *"█"* ]] || fail "no bar for '$label' ($n): '$line'" || return
		else
			[[ $line != *"█"* ]] || fail "a bar for '$label' with none: '$line'" || return
		fi
		lo=$((hi + 1))
	done
	local what sql_cond
	for what in "not assessed 6 weeks after arrival:$NOT_ASSESSED" \
		"ready to move for more than 120 days:$READY_LONG" \
		"moving in with no support granted:$NO_SUPPORT" \
		"no housing registration 14 days after ready:$NO_REG"; do
		sql_cond=${what#*:}
		n=$(count "$sql_cond")
		line=$(screen s | grep -F -- "$(t "${what%%:*}")") || fail "no list '${what%%:*}'" || return
		local re2="^ +$n  "
		[[ $line =~ $re2 ]] || fail "'${what%%:*}' is not $n: '$line'" || return
	done
	quit_ok s
}

list_opens() {
	local want n
	want=$(sql "$DEMO_DB" "SELECT r.name $PRESENT_SQL $READY_LONG ORDER BY r.name")
	n=$(printf '%s\n' "$want" | grep -c .)
	[ "$n" -gt 0 ] || fail "the demo database has nobody ready for more than 120 days" || return
	start_list s || return
	open_overview s || return
	keys s Down Enter
	wait_for s "$(fmtm 'filter: %s' "$(t 'ready to move for more than 120 days')")" ||
		fail "Enter did not open the list: $(screen s | tr '\n' '|')" || return
	wait_until 5 rows_at_least s "$n" || fail "fewer than $n rows" || return
	local rows name
	rows=$(list_rows s)
	[ "$(printf '%s\n' "$rows" | grep -c .)" -eq "$n" ] ||
		fail "the list shows $(printf '%s\n' "$rows" | grep -c .) rows, not $n: $rows" || return
	while IFS= read -r name; do
		[[ $rows == *"$name"* ]] || fail "'$name' is not in the list: $rows" || return
	done <<<"$want"
	# Enter opens the selected (first) resident; Esc goes back to the list, and again to the
	# overview.
	local first opened=
	first=$(list_rows s | head -1)
	while IFS= read -r name; do
		[[ $first == *"$name"* ]] && opened=$name
	done <<<"$want"
	[ -n "$opened" ] || fail "the first row is none of the list's residents: '$first'" || return
	keys s Enter
	wait_gone s "$(fmtm 'filter: %s' "$(t 'ready to move for more than 120 days')")" ||
		fail "Enter did not open the resident" || return
	screen s | head -3 | grep -qF -- "$opened" ||
		fail "the resident screen is not of '$first': $(screen s | head -3 | tr '\n' '|')" || return
	keys s Escape
	wait_for s "$(fmtm 'filter: %s' "$(t 'ready to move for more than 120 days')")" ||
		fail "Esc did not go back to the list" || return
	keys s Escape
	wait_for s "$(t 'Length of stay, residents present')" ||
		fail "Esc did not go back to the overview" || return
	quit_ok s
}

ascii_terminal() {
	start_list s LANG=C LC_ALL=C || return
	open_overview s || return
	screen s | grep -qE ' [0-9]+ +#+$' || fail "no # bars: $(screen s | tr '\n' '|')" || return
	local bytes
	bytes=$(screen s | LC_ALL=C tr -d '\000-\177' | wc -c)
	[ "$bytes" -eq 0 ] || fail "$bytes bytes outside ASCII on the screen" || return
	quit_ok s
}

run_test "o opens the overview; its figures agree with the database" figures
run_test "a list opens its residents, and a resident from there" list_opens
run_test "the overview on an ASCII terminal" ascii_terminal
finish
