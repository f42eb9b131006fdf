#!/bin/bash
# One resident's screen, on a copy of the demo database changed behind husly's back with sqlite3:
# alerts, the sections' contents, wrapping, the CPR number in the history.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo

STAMP="'2026-11-24T10:00:00Z', 'test', '2026-11-24T10:00:00Z', 'test'"

# A present resident (prints the id); WHERE adds a condition on r (resident) and s (the stay).
present_id() {
	sql "$1" "SELECT r.id FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL ${2:+AND $2} ORDER BY r.id LIMIT 1"
}

# The id of a resident's current stay.
stay_of() {
	sql "$1" "SELECT id FROM stay WHERE resident_id = '$2' AND departure IS NULL"
}

# open_id SESSION DB ID [WIDTH HEIGHT]: starts husly on DB, finds the resident by id and opens
# them, in a window of WIDTH x HEIGHT (80x24 by default).
open_id() {
	local s=$1 db=$2 id=$3
	start_list "$s" -- -c db/demo.conf -d "$db" || return
	[ -z "${4:-}" ] || tmx resize-window -t "$s" -x "$4" -y "$5"
	keys "$s" /
	type_text "$s" "$id"
	wait_until 10 test_rows_equal "$s" 1 || fail "searching '$id' did not give one row" || return
	keys "$s" Enter
	wait_for "$s" "[1 $(t Overview)]" || fail "Enter did not open resident $id" || return
}

test_rows_equal() { [ "$(count_rows "$1")" -eq "$2" ]; }

# section SESSION N: shows section N and waits for its tab.
section() {
	local names=(Overview Intake Stays Checklist Notes History)
	keys "$1" "$2"
	wait_for "$1" "[$2 $(t "${names[$2 - 1]}")]" || fail "key $2 did not show its section" || return
}

# The row of the line under the tabs (the section starts on the next one).
tabs_row() {
	screen "$1" | grep -nF "[$2 " | head -1 | cut -d: -f1
}

# The section's rows on screen (below the tabs and their line, above the bottom line).
page_text() {
	local h top
	h=$(pane_height "$1")
	top=$(($(tabs_row "$1" "$2") + 2))
	screen "$1" | sed -n "${top},$((h - 2))p"
}

# all_pages SESSION N: the whole of section N, page by page with PgDn until the last page (no
# ↓ in its corner).
all_pages() {
	local s=$1 n=$2 page prev= i
	for i in $(seq 1 200); do
		page=$(page_text "$s" "$n")
		printf '%s\n' "$page"
		grep -q '↓' <<<"$page" || return 0
		prev=$page
		keys "$s" NPage
		wait_until 5 page_changed "$s" "$n" "$prev" || return 1
	done
}
page_changed() { [ "$(page_text "$1" "$2")" != "$3" ]; }

# The translation of a message id with one %s, as the text before and after it.
before_s() { t "$1" | sed 's/%s.*//'; }

history_cpr_masked() {
	local db id cpr
	db=$(demo_copy cpr)
	id=$(present_id "$db" "r.cpr IS NOT NULL")
	[ -n "$id" ] || fail "no present resident with a CPR number" || return
	cpr=$(sql "$db" "SELECT cpr FROM resident WHERE id = '$id'")
	sql "$db" "INSERT INTO history (hlc, terminal, tbl, row_id, field, old_value, new_value,
		login, at) VALUES ('000000000001-0000', 'test', 'resident', '$id', 'cpr',
		'0101801234', '$cpr', 'test', '2026-11-24T10:00:00Z')" || return
	open_id s "$db" "$id" 80 60 || return
	section s 6 || return
	local text
	text=$(all_pages s 6) || fail "paging through the history did not go on" || return
	[[ $text == *"$(t 'CPR number')"* ]] || fail "no '$(t 'CPR number')' line in the history" || return
	[[ $text == *"010180-XXXX $(printf '→') ${cpr:0:6}-XXXX"* ]] ||
		fail "the changed CPR number is not shown masked: $(grep -A1 -F "$(t 'CPR number')" <<<"$text" | tr '\n' '|')" ||
		return
	local whole
	whole=$(grep -E '[0-9]{10}|[0-9]{6}-[0-9]{4}' <<<"$text")
	[ -z "$whole" ] || fail "a whole CPR number on screen: $whole" || return
	quit_ok s
}

history_fields() {
	local db id body
	db=$(demo_copy fields)
	id=$(present_id "$db" "EXISTS (SELECT 1 FROM note n WHERE n.resident_id = r.id)")
	[ -n "$id" ] || fail "no present resident with a note" || return
	body=$(sql "$db" "SELECT body FROM note WHERE resident_id = '$id' ORDER BY created_at LIMIT 1")
	open_id s "$db" "$id" 100 60 || return
	section s 6 || return
	local text bad f
	text=$(all_pages s 6) || fail "paging through the history did not go on" || return
	# Subject lines end in the field; structural fields are not among them.
	for f in resident_id stay_id kind list code item step thing; do
		bad=$(grep -E "(·|-) ([^:]*: )?$f *(↓|↑)? *\$" <<<"$text")
		[ -z "$bad" ] || fail "the history shows the field '$f': $bad" || return
	done
	# The note's text, not an id.
	[[ $text == *"${body:0:30}"* ]] || fail "the history does not show the note '${body:0:30}'" || return
	quit_ok s
}

# Words of different lengths, each once: "ord1a ord2ab ... ENDWORD".
NOTE_WORDS=$(for i in $(seq 1 70); do printf 'ord%d%s ' "$i" "$(printf 'abcdefgh' | cut -c1-$((i % 8 + 1)))"; done; printf 'ENDWORD')

# Every word of the note is on screen, as a whole word.
all_words_shown() {
	local text=$1 w
	for w in $NOTE_WORDS; do
		grep -qE "(^| )$w( |\$)" <<<"$text" || {
			echo "$w"
			return 1
		}
	done
}

note_wraps() {
	local db id
	db=$(demo_copy note)
	id=$(present_id "$db")
	sql "$db" "INSERT INTO note (id, resident_id, kind, body, created_at, created_by,
		updated_at, updated_by) VALUES ('testnote0001', '$id', 'note', '$NOTE_WORDS',
		'2026-11-25T01:00:00Z', 'test', '2026-11-25T01:00:00Z', 'test')" || return
	open_id s "$db" "$id" || return
	section s 5 || return
	local width missing text
	for width in 80 60; do
		tmx resize-window -t s -x "$width" -y 24
		wait_until 5 test_width s "$width" || fail "the window did not become $width wide" || return
		sleep 0.3
		text=$(page_text s 5)
		# The newest note first, at the local time of its UTC stamp.
		[[ $text == *"25-11-2026 02:00"* ]] || fail "no '25-11-2026 02:00' on the new note" || return
		missing=$(all_words_shown "$text") ||
			fail "at $width columns the note lacks '$missing': $(tr '\n' '|' <<<"$text")" || return
	done
	quit_ok s
}
test_width() { [ "$(tmx display -p -t "$1" '#{pane_width}')" = "$2" ]; }

# The rows of the alerts: between the heading (row 2) and the tabs.
alert_rows() {
	screen "$1" | sed -n "3,$(($(tabs_row "$1" "$2") - 1))p"
}

alerts_wrap() {
	local db id long longer
	db=$(demo_copy alerts)
	id=$(present_id "$db")
	long="Truer personalet når han er beruset; skal altid mødes af to medarbejdere og aldrig alene på værelset om natten SLUTORD"
	longer=$(for i in $(seq 1 40); do printf 'medicin%d ' "$i"; done; printf 'SKJULT')
	sql "$db" "UPDATE resident SET alert_safety = '$long', alert_medical = '$longer',
		alert_contact = 'Vagtlæge 70130041', ban_until = NULL WHERE id = '$id'" || return
	open_id s "$db" "$id" || return
	local n rows first= call
	call="$(before_s 'Call: %s')Vagtlæge 70130041"
	for n in 1 2 3 4 5 6; do
		section s "$n" || return
		rows=$(alert_rows s "$n")
		[ -z "$first" ] && first=$rows
		[ "$rows" = "$first" ] || fail "the alerts differ in section $n: $(tr '\n' '|' <<<"$rows")" || return
	done
	# The safety alert in full, the medical one on 3 rows ending in an ellipsis, then whom to call
	# on a row of its own.
	grep -q 'SLUTORD' <<<"$rows" || fail "the safety alert was cut: $(tr '\n' '|' <<<"$rows")" || return
	local medical
	medical=$(sed -n "/$(t Medical):/,\$p" <<<"$rows")
	[ "$(wc -l <<<"$medical")" -eq 4 ] ||
		fail "the medical alert is not 3 rows and a contact: $(tr '\n' '|' <<<"$medical")" || return
	[[ $(sed -n 3p <<<"$medical") == *"…" ]] || fail "the medical alert does not end in …" || return
	[[ $(sed -n 4p <<<"$medical") == " $call"* ]] ||
		fail "no '$call' row of its own: $(tr '\n' '|' <<<"$rows")" || return
	quit_ok s
}

# A house ban added at another terminal shows within the 15-second refresh, and the section stays
# where it was scrolled to.
ban_appears() {
	local db id
	db=$(demo_copy ban)
	id=$(present_id "$db" "r.ban_until IS NULL AND r.alert_safety IS NULL AND r.alert_medical IS NULL
		AND r.alert_contact IS NULL")
	[ -n "$id" ] || fail "no present resident without alerts" || return
	open_id s "$db" "$id" || return
	section s 6 || return
	keys s NPage
	wait_for s '↑' 5 || fail "PgDn did not scroll the history" || return
	local before ban
	before=$(page_text s 6 | head -1)
	sql "$db" "UPDATE resident SET ban_until = '2026-12-31' WHERE id = '$id'" || return
	ban=$(t '%s House ban until %s' | sed 's/^%s //; s/%s$/31-12-2026/')
	wait_for s "$ban" 20 || fail "the house ban did not show within 20 s" || return
	[[ $(screen_line s 4) == *"$(before_s 'Call: %s')-"* ]] ||
		fail "no '$(before_s 'Call: %s')-' row under the ban: $(screen_line s 4)" || return
	[ "$(page_text s 6 | head -1)" = "$before" ] ||
		fail "the history lost its place: '$before' became '$(page_text s 6 | head -1)'" || return
	quit_ok s
}

overview_housing() {
	local db id stay warn
	db=$(demo_copy housing)
	id=$(present_id "$db" "EXISTS (SELECT 1 FROM checklist_step c WHERE c.stay_id = s.id
		AND c.step = 'housing_registered')")
	[ -n "$id" ] || fail "no present resident with a housing registration step" || return
	stay=$(stay_of "$db" "$id")
	sql "$db" "UPDATE stay SET ready_at = '2026-11-01' WHERE id = '$stay';
		UPDATE checklist_step SET status = 'todo' WHERE stay_id = '$stay'
		AND step = 'housing_registered'" || return
	warn=$(t 'no housing registration')
	open_id s "$db" "$id" || return
	wait_for s "$warn" 2 || fail "the overview does not say '$warn'" || return
	sql "$db" "UPDATE checklist_step SET status = 'done' WHERE stay_id = '$stay'
		AND step = 'housing_registered'" || return
	section s 2 || return
	section s 1 || return
	wait_gone s "$warn" 2 || fail "'$warn' stayed after the step was done" || return
	quit_ok s
}

checklist_unknown_step() {
	local db id stay
	db=$(demo_copy steps)
	id=$(present_id "$db")
	stay=$(stay_of "$db" "$id")
	sql "$db" "INSERT INTO checklist_step (id, stay_id, item, step, status, created_at,
		created_by, updated_at, updated_by) VALUES ('$stay/housing_keys', '$stay', 'housing',
		'housing_keys', 'done', $STAMP)" || return
	open_id s "$db" "$id" 80 60 || return
	section s 4 || return
	local text
	text=$(all_pages s 4) || fail "paging through the checklist did not go on" || return
	# Apart, after the steps in use, under a heading of its own.
	local apart in_use
	apart=$(sed -n "/^ $(t 'Steps no longer used (kept)')/,\$p" <<<"$text")
	grep -q '\[x\] housing_keys' <<<"$apart" ||
		fail "the unknown step is not shown apart: $(tr '\n' '|' <<<"$text")" || return
	# "N of M done" counts the steps in use only.
	in_use=$(sed "/^ $(t 'Steps no longer used (kept)')/,\$d" <<<"$text")
	local done relevant
	done=$(grep -c '\[x\]' <<<"$in_use")
	relevant=$(grep -cE '\[( |~|x)\]' <<<"$in_use")
	local count
	count=$(t '%d of %d done' | sed "s/%d/$done/; s/%d/$relevant/")
	[[ $text == *"$count"* ]] || fail "no '$count': $(head -1 <<<"$text")" || return
	# On the checklist, Space does not move such a step on: once not started, it would no
	# longer show, and could not be put back.
	keys s t
	wait_for s "$(t 'Steps no longer used (kept)')" || fail "t did not open the checklist" || return
	keys s End
	keys s Space
	wait_for s "$(t 'This step is no longer used; Enter changes it.')" ||
		fail "Space on a step no longer used said nothing" || return
	[ "$(sql "$db" "SELECT status FROM checklist_step WHERE id = '$stay/housing_keys'")" = done ] ||
		fail "Space changed a step no longer used" || return
	quit_ok s
}

answers() {
	local db id
	db=$(demo_copy answers)
	id=$(present_id "$db")
	local rows=() a list code value
	for a in "cause/violence/unknown" "cause/no_housing/yes" "cause/arrival/no" \
		"debt/public/no" "misuse/alcohol/current" "misuse/cannabis/no"; do
		IFS=/ read -r list code value <<<"$a"
		rows+=("('$id/$list/$code', '$id', '$list', '$code', '$value', $([ "$code" = alcohol ] && echo 1 || echo 0), $STAMP)")
	done
	sql "$db" "DELETE FROM answer WHERE resident_id = '$id';
		INSERT INTO answer (id, resident_id, list, code, value, treatment, created_at,
		created_by, updated_at, updated_by) VALUES $(IFS=,; echo "${rows[*]}")" || return
	open_id s "$db" "$id" 80 60 || return
	section s 2 || return
	local text want
	text=$(all_pages s 2) || fail "paging through the intake did not go on" || return
	for want in "$(t 'Violence or threats') ($(t unknown))" \
		"  $(t 'No suitable or affordable housing')" \
		"$(t Alcohol) ($(t current))$(t ', in treatment')"; do
		[[ $text == *"$want"* ]] || fail "the intake does not show '$want'" || return
	done
	for want in "$(t 'Arrival from abroad or another municipality')" "$(t Cannabis)"; do
		[[ $text != *"$want"* ]] || fail "the intake shows '$want', answered no" || return
	done
	# Debt: every answer no, so nothing shown and the words for it.
	[ "$(grep -A1 -x " $(t Debt) *" <<<"$text" | sed -n 2p | sed 's/ *$//')" = "  $(t 'nothing recorded')" ] ||
		fail "the debts do not say '$(t 'nothing recorded')': $(grep -A2 -x " $(t Debt) *" <<<"$text" | tr '\n' '|')" ||
		return
	quit_ok s
}

run_test "the history never shows a whole CPR number" history_cpr_masked
run_test "the history hides structural fields and shows notes' text" history_fields
run_test "a long note shows every word at 80 and 60 columns" note_wraps
run_test "alerts wrap, stay on top in every section, whom to call on its own row" alerts_wrap
run_test "a house ban added elsewhere shows within the refresh" ban_appears
run_test "the overview warns of no housing registration" overview_housing
run_test "the checklist shows a step this version does not know" checklist_unknown_step
run_test "the intake shows answers with their values, not no" answers
finish
