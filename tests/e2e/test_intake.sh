#!/bin/bash
# The intake form (n on the resident list), typed in tmux the way a person at the reception
# types it: a whole intake and what `husly dump` then holds; the messages of fields that are not
# right and the saves they refuse; the draft that keeps every keystroke (Esc, a dropped
# connection, a killed process); and the search for someone already registered (a returning
# resident gets a new stay on their record, someone staying here cannot arrive twice, "n" makes
# a new person). Every test works on its own copy of the demo database.
#
# The whole intake prints "# keystrokes: N": every key and character sent, from n on the list to
# F2 (one a character of text, an emoji too); the README quotes it. 230 when this was written:
# 186 characters typed (125 of them names and free text) and 44 keys to move, tick and save.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
LOGIN=$(id -un)
NOW=$HUSLY_NOW # the arrival the form fills in
TODAY=${NOW%% *}

# --- typing, counted -----------------------------------------------------------------------------

KEYSTROKES=0 TYPED=0
# press SESSION KEY...: keys as tmux names them, one keystroke each.
press() {
	local s=$1
	shift
	keys "$s" "$@"
	KEYSTROKES=$((KEYSTROKES + $#))
}
# write SESSION TEXT: text as typed, one keystroke a character (an emoji is one).
write() {
	type_text "$1" "$2"
	KEYSTROKES=$((KEYSTROKES + ${#2}))
	TYPED=$((TYPED + ${#2}))
}

# --- the form on screen ----------------------------------------------------------------------------

# The form: its title and the first group on the left.
form_shown() {
	[[ $(screen_line "$1" 2) == " $(t 'New arrival')"* ]] &&
		[[ $(screen_line "$1" 4) == " 1 $(t Person)"* ]]
}

# open_form SESSION: n on the list, until the form shows.
open_form() {
	press "$1" n
	wait_until 10 form_shown "$1" ||
		fail "n did not open the intake form: $(screen "$1" | head -6 | tr '\n' '|')"
}

# The fields' labels stand at column 26, cut to 23 columns; their values at column 50.
LABEL_X=26
VALUE_X=50

# field_row SESSION LABEL: the screen row (1-based) of the field with that label (message id),
# below the group's heading.
field_row() {
	local want n=0 line
	want=$(fit "$(t "$2")" 23)
	while IFS= read -r line; do
		n=$((n + 1))
		if [ "$n" -gt 2 ] && [ "$(rtrim "${line:LABEL_X:VALUE_X-LABEL_X}")" = "$want" ]; then
			echo "$n"
			return 0
		fi
	done < <(screen "$1")
	return 1
}

rtrim() {
	local s=$1
	printf '%s\n' "${s%"${s##*[! ]}"}"
}

# row_value SESSION ROW: what row ROW shows in the value column.
row_value() {
	local line
	line=$(screen_line "$1" "$2")
	rtrim "${line:VALUE_X}"
}

# field_value SESSION LABEL: what the field shows (its text being typed, when it has the cursor).
field_value() {
	local r
	r=$(field_row "$1" "$2") || return 1
	row_value "$1" "$r"
}

# What stands under the field (the first of its choices while typing, or its message): the row
# under it, unless that is the next field's; "" when nothing does.
under_field() {
	local r line
	r=$(field_row "$1" "$2") || return 1
	line=$(screen_line "$1" $((r + 1)))
	[ -z "$(rtrim "${line:LABEL_X:VALUE_X-LABEL_X}")" ] || return 0
	line=$(rtrim "${line:VALUE_X}")
	printf '%s\n' "${line#"${line%%[! ]*}"}"
}

# shows_value SESSION LABEL TEXT: the field shows TEXT.
shows_value() { [ "$(field_value "$1" "$2")" = "$3" ]; }
# shows_under SESSION LABEL TEXT: the row under the field shows TEXT.
shows_under() { [ "$(under_field "$1" "$2")" = "$3" ]; }

# expect_value SESSION LABEL TEXT: waits until the field shows TEXT.
expect_value() {
	wait_until 5 shows_value "$@" ||
		fail "$(t "$2") shows '$(field_value "$1" "$2")', expected '$3'"
}

# The row (1-based) of the terminal's cursor: the field being typed into.
cursor_row() {
	echo $(($(tmx display -p -t "$1" '#{cursor_y}') + 1))
}
cursor_in() {
	local r
	r=$(field_row "$1" "$2") || return 1
	[ "$(cursor_row "$1")" = "$r" ]
}

# A field's message as the form draws it, in the 29 columns of the value.
field_msg() { fit "$(t "$1")" 29; }
# A message on the status line.
status_msg() { fit "$(t "$1")" 78; }

# substance_is SESSION SUBSTANCE VALUE [TREATMENT]: the misuse row of SUBSTANCE (message ids)
# says VALUE, and TREATMENT after it when given.
substance_is() {
	[[ $(screen "$1" | grep -F "$(t "$2")") == *"$(t "$3")"*"${4:-}"* ]]
}

# Whether the screen shows a resident's record (after a save).
resident_shown() { screen "$1" | grep -qF "[1 $(t Overview)]"; }

# leave_form SESSION: Esc, until the list shows (q in a text field is a letter, not quit).
leave_form() {
	keys "$1" Escape
	wait_until 10 rows_at_least "$1" 10 || fail "Esc did not go back to the list"
}

# --- the database ----------------------------------------------------------------------------------

drafts() { sql "$1" "SELECT count(*) FROM draft"; }
# draft_value DB KEY: a value of the login's draft.
draft_value() {
	sql "$1" "SELECT json_extract(data, '\$.\"$2\"') FROM draft WHERE login = '$LOGIN'
		AND form = 'intake'"
}
# What an intake writes, counted: a refused save must leave all of it as it was.
written() {
	sql "$1" "SELECT (SELECT count(*) FROM resident) || ' ' || (SELECT count(*) FROM stay) || ' '
		|| (SELECT count(*) FROM answer) || ' ' || (SELECT count(*) FROM checklist_step) || ' '
		|| (SELECT count(*) FROM history)"
}

# load_dump DB: `husly dump` of DB, each line a row of the view v (type, id, j) in $T/dump.db.
load_dump() {
	husly_run -c db/demo.conf -d "$1" dump
	expect_status 0 "husly dump" || return
	rm -f "$T/dump.db"
	{
		echo "BEGIN; CREATE TABLE d (j TEXT);"
		sed "s/'/''/g; s/^/INSERT INTO d VALUES ('/; s/\$/');/" "$T/out"
		echo "CREATE VIEW v AS SELECT json_extract(j, '\$.type') AS type,"
		echo "  json_extract(j, '\$.id') AS id, j FROM d; COMMIT;"
	} | sqlite3 -batch -bail "$T/dump.db" >/dev/null 2>&1 || fail "could not read the dump" || return
	[ "$(dumped "SELECT count(*) FROM d WHERE NOT json_valid(j)")" = 0 ] ||
		fail "the dump has lines that are not JSON" || return
}
dumped() { sqlite3 -batch "$T/dump.db" "$1"; }

# expect_json TYPE ID KEY JSON...: the dumped record's KEY is JSON ("text", 1, null); pairs of
# KEY JSON may follow.
expect_json() {
	local type=$1 id=$2 got
	shift 2
	[ "$(dumped "SELECT count(*) FROM v WHERE type = '$type' AND id = '$id'")" = 1 ] ||
		fail "the dump has no $type $id" || return
	while [ $# -ge 2 ]; do
		got=$(dumped "SELECT json_quote(json_extract(j, '\$.\"$1\"')) FROM v
			WHERE type = '$type' AND id = '$id'")
		[ "$got" = "$2" ] || fail "dumped $type $id: $1 is $got, expected $2" || return
		shift 2
	done
}

# --- residents of the demo -------------------------------------------------------------------------

# A resident whose name has æ, ø or å, with a birth date, no other resident of the same name;
# moved out (before now) or present (with an open stay): "id|name|yyyy-mm-dd".
demo_resident() {
	local where
	if [ "$2" = present ]; then
		where="EXISTS (SELECT 1 FROM stay s WHERE s.resident_id = r.id AND s.departure IS NULL)"
	else
		where="EXISTS (SELECT 1 FROM stay s WHERE s.resident_id = r.id)
		AND NOT EXISTS (SELECT 1 FROM stay s WHERE s.resident_id = r.id AND s.departure IS NULL)
		AND (SELECT max(departure) FROM stay s WHERE s.resident_id = r.id) < '$NOW'"
	fi
	sql "$1" "SELECT r.id || '|' || r.name || '|' || r.birth_date FROM resident r
		WHERE r.erased_at IS NULL AND r.birth_date IS NOT NULL AND $where
		AND (instr(r.name, 'æ') OR instr(r.name, 'ø') OR instr(r.name, 'å'))
		AND (SELECT count(*) FROM resident o WHERE o.name_key = r.name_key) = 1
		ORDER BY r.id LIMIT 1"
}

# A name as typed on a keyboard without æ, ø and å.
ascii_name() {
	sed 's/æ/ae/g; s/ø/oe/g; s/å/aa/g; s/Æ/Ae/g; s/Ø/Oe/g; s/Å/Aa/g' <<<"$1"
}

# yyyy-mm-dd -> dd-mm-yyyy
dk_date() { echo "${1:8:2}-${1:5:2}-${1:0:4}"; }

# --- 1. a whole intake -----------------------------------------------------------------------------

NAME="Bjørn Ærø-Sørensen"
OTHER="Mistede nøglen 🔑"
MENTAL="Angst, ingen behandling"
PHYSICAL="Dårlig ryg"
NETWORK="Søster i Odense"
MEDICAL="Insulin morgen og aften"
CALL="Søster Anne 12345678"

full_intake() {
	local db
	db=$(demo_copy full)
	start_list s -- -c db/demo.conf -d "$db" || return
	KEYSTROKES=0 TYPED=0
	open_form s || return
	# Person: the CPR number fills in the birth date.
	write s "$NAME"
	press s Tab
	write s "120381-1235"
	press s Tab
	expect_value s Born "12-03-1981" || return
	press s Tab
	write s "ma"
	wait_until 5 shows_under s Gender "$(t man)" ||
		fail "typing 'ma' does not offer '$(t man)' first: '$(under_field s Gender)'" || return
	press s Tab
	# Arrival and municipality: the arrival is now, as filled in.
	expect_value s Arrival "$(dk_date "$TODAY") ${NOW#* }" || return
	press s Tab
	write s "14B"
	press s Tab
	write s "hels"
	wait_until 5 shows_under s 'Home municipality' "Helsingør" ||
		fail "'hels' does not offer Helsingør: '$(under_field s 'Home municipality')'" || return
	press s Tab
	write s "kbh"
	press s Tab
	write s "aarhus"
	press s Tab
	write s "sover"
	wait_until 5 shows_under s 'Came from' "$(t 'Sleeping rough')" ||
		fail "'sover' does not offer '$(t 'Sleeping rough')'" || return
	expect_value s 'Home municipality' "Helsingør" || return
	expect_value s 'Acting municipality' "København" || return
	expect_value s 'Paying municipality' "Aarhus" || return
	press s Tab
	# Causes: two ticked with Space and the arrows, and one in words.
	wait_for s "[ ] $(t Eviction)" || fail "Tab did not go on to the causes" || return
	press s Space Down Down Space
	wait_for s "[x] $(t 'Relationship breakdown')" || fail "Space did not tick the third cause" ||
		return
	screen s | grep -qF "[x] $(t Eviction)" || fail "Space did not tick the first cause" || return
	press s Tab
	write s "$OTHER"
	press s Tab
	# Misuse: alcohol current and in treatment, cannabis earlier.
	wait_for s "$(t Cannabis)" || fail "Tab did not go on to the misuse" || return
	press s Space b Down Space Space
	wait_until 5 substance_is s Cannabis earlier ||
		fail "Space Space did not make cannabis '$(t earlier)'" || return
	substance_is s Alcohol current "$(t 'in treatment')" ||
		fail "alcohol is not '$(t current)', '$(t 'in treatment')': $(screen s | grep -F "$(t Alcohol)")" ||
		return
	press s Tab
	# Debt and income.
	wait_for s "[ ] $(t 'Consumer loans')" || fail "Tab did not go on to the debt" || return
	press s Down Space Tab Space Tab
	write s "25.000"
	press s Tab Space Tab
	write s "kont"
	expect_value s 'Registered as bad payer (RKI)' "$(t yes)" || return
	expect_value s 'Debt in all (kr.)' "25000" || return
	expect_value s 'Debt counselling' "$(t yes)" || return
	wait_until 5 shows_under s Income "$(t 'Cash benefit')" || fail "'kont' does not offer cash benefit" ||
		return
	press s Tab
	# Health and network.
	wait_until 5 cursor_in s 'Mental health' || fail "Tab did not go on to the health" || return
	write s "$MENTAL"
	press s Tab
	write s "$PHYSICAL"
	press s Tab Tab Tab
	write s "$NETWORK"
	press s Tab Tab
	# Alerts and consent.
	wait_until 5 cursor_in s Safety || fail "Tab did not go on to the alerts" || return
	press s Tab
	write s "$MEDICAL"
	press s Tab
	write s "$CALL"
	press s Tab
	write s "31-12-2026"
	press s Tab
	write s "ja"
	press s Tab
	write s "i dag"
	expect_value s 'House ban until' "31-12-2026" || return
	expect_value s 'Consent to share' "$(t yes)" || return
	press s F2
	echo "# keystrokes: $KEYSTROKES"
	echo "# characters typed: $TYPED, other keys: $((KEYSTROKES - TYPED))"
	wait_until 10 resident_shown s ||
		fail "F2 did not save and show the resident: $(screen s | head -8 | tr '\n' '|')" || return
	# No staff table: the one user is reception too, and sees the whole CPR number.
	[[ $(screen_line s 2) == " $NAME · 12-03-1981 · 120381-1235"* ]] ||
		fail "the saved resident's heading is '$(screen_line s 2)'" || return
	quit_ok s || return

	# Every answer, in the dump.
	local id stay
	id=$(sql "$db" "SELECT id FROM resident WHERE name = '$NAME'")
	[ "$(wc -l <<<"$id")" = 1 ] && [ -n "$id" ] || fail "not one resident '$NAME': '$id'" || return
	load_dump "$db" || return
	expect_json resident "$id" name "\"$NAME\"" birth_date '"1981-03-12"' cpr '"1203811235"' \
		gender '"male"' home_kommune '"217"' income '"cash_benefit"' debt_rki 1 \
		debt_total 25000 debt_counselling 1 causes_other "\"$OTHER\"" \
		mental_health "\"$MENTAL\"" physical_health "\"$PHYSICAL\"" prison_history null \
		hospital_history null network "\"$NETWORK\"" work null consent '"yes"' \
		consent_date "\"$TODAY\"" alert_safety null ban_until '"2026-12-31"' \
		alert_medical "\"$MEDICAL\"" alert_contact "\"$CALL\"" created_by "\"$LOGIN\"" || return
	stay=$(dumped "SELECT id FROM v WHERE type = 'stay'
		AND json_extract(j, '\$.resident_id') = '$id'")
	[ -n "$stay" ] && [ "$(wc -l <<<"$stay")" = 1 ] || fail "not one stay for $id: '$stay'" || return
	expect_json stay "$stay" resident_id "\"$id\"" arrival "\"$NOW\"" departure null \
		room '"14B"' acting_kommune '"101"' paying_kommune '"751"' \
		previous_living '"street"' || return
	local answers
	answers=$(dumped "SELECT json_extract(j, '\$.list') || '/' || json_extract(j, '\$.code') || '='
		|| json_extract(j, '\$.value') || ' ' || json_extract(j, '\$.treatment') || ' ' || id
		FROM v WHERE type = 'answer' AND json_extract(j, '\$.resident_id') = '$id' ORDER BY id")
	local want="cause/breakup=yes 0 $id/cause/breakup
cause/eviction=yes 0 $id/cause/eviction
debt/public=yes 0 $id/debt/public
misuse/alcohol=current 1 $id/misuse/alcohol
misuse/cannabis=earlier 0 $id/misuse/cannabis"
	[ "$answers" = "$want" ] ||
		fail "the answers are '$(tr '\n' '|' <<<"$answers")', expected '$(tr '\n' '|' <<<"$want")'" ||
		return
	local steps
	steps=$(dumped "SELECT count(*) || ' ' || count(DISTINCT json_extract(j, '\$.step')) || ' '
		|| sum(json_extract(j, '\$.status') = 'todo') FROM v WHERE type = 'checklist_step'
		AND json_extract(j, '\$.stay_id') = '$stay'")
	[ "$steps" = "17 17 17" ] || fail "the checklist (steps, distinct, todo) is '$steps', not 17 17 17" ||
		return
	[ "$(drafts "$db")" = 0 ] || fail "a draft is left after the save" || return
}

# --- 2. inline validation --------------------------------------------------------------------------

# refused SESSION DB BEFORE LABEL: F2 saves nothing and puts the cursor back on the field, with
# a message under it.
refused() {
	press "$1" F2
	wait_until 5 cursor_in "$1" "$4" ||
		fail "F2 did not put the cursor on $(t "$4") (row $(cursor_row "$1"), the field is on $(field_row "$1" "$4"))" ||
		return
	form_shown "$1" || fail "F2 left the form" || return
	resident_shown "$1" && fail "F2 saved" && return 1
	[ -n "$(under_field "$1" "$4")" ] || fail "F2 shows no message under $(t "$4")" || return
	[ "$(written "$2")" = "$3" ] || fail "F2 wrote to the database" || return
}

inline_validation() {
	local db before
	db=$(demo_copy invalid)
	before=$(written "$db")
	start_list s -- -c db/demo.conf -d "$db" || return
	open_form s || return
	write s "Vibeke Ørnstrup"
	press s Tab
	# 30 February.
	write s "300281-1234"
	press s Tab
	local cpr_msg
	cpr_msg=$(field_msg 'The CPR number must be DDMMYY-XXXX with a real date.')
	wait_for s "$cpr_msg" 5 || fail "no message about the CPR number: $(screen s | sed -n 4,9p | tr '\n' '|')" ||
		return
	[ -z "$(field_value s Born)" ] || fail "a CPR number that is no date filled in the birth date" ||
		return
	refused s "$db" "$before" 'CPR number' || return
	# Mended, it goes.
	press s C-u
	write s "120381-1235"
	press s Tab
	expect_value s Born "12-03-1981" || return
	screen s | grep -qF "$cpr_msg" && fail "the CPR's message stays once it is right" && return 1

	# An arrival tomorrow.
	press s Tab Tab C-u
	write s "26-11-2026 10:00"
	press s Tab
	wait_for s "$(field_msg 'The arrival cannot be in the future.')" 5 ||
		fail "no message about an arrival in the future: $(screen s | sed -n 4,9p | tr '\n' '|')" || return
	refused s "$db" "$before" Arrival || return
	press s C-u
	write s "24-11-2026 23:30"
	press s Tab

	# A municipality that matches nothing offers nothing and says so.
	press s Tab
	write s "Xyzby"
	wait_until 5 shows_value s 'Home municipality' "Xyzby" || fail "'Xyzby' does not show" || return
	[ -z "$(under_field s 'Home municipality')" ] ||
		fail "'Xyzby' offers '$(under_field s 'Home municipality')'" || return
	press s Tab
	wait_for s "$(field_msg 'No municipality by that name.')" 5 ||
		fail "no message about a municipality that matches nothing" || return
	refused s "$db" "$before" 'Home municipality' || return
	press s C-u
	write s "odense"
	press s F2
	wait_until 10 resident_shown s || fail "the mended intake was not saved: $(screen s | head -8 | tr '\n' '|')" ||
		return
	quit_ok s || return
	local id
	id=$(sql "$db" "SELECT id FROM resident WHERE name = 'Vibeke Ørnstrup'")
	[ -n "$id" ] || fail "the mended intake saved no resident" || return
	[ "$(sql "$db" "SELECT cpr || ' ' || birth_date || ' ' || home_kommune FROM resident
		WHERE id = '$id'")" = "1203811235 1981-03-12 461" ] || fail "the mended values were not saved" ||
		return
	[ "$(sql "$db" "SELECT arrival FROM stay WHERE resident_id = '$id'")" = "2026-11-24 23:30" ] ||
		fail "the mended arrival was not saved" || return
}

# begin_intake DB NAME CPR: starts husly on DB, opens the intake, types NAME, Tab and CPR.
begin_intake() {
	start_list s -- -c db/demo.conf -d "$1" || return
	open_form s || return
	write s "$2"
	press s Tab
	write s "$3"
}

# The message is the field's: it stands under the field it is about, not under the next one
# that Tab moved to.
message_under_its_field() {
	local db
	db=$(demo_copy under)
	begin_intake "$db" "Vibeke Ørnstrup" "300281-1234" || return
	press s Tab
	local msg
	msg=$(field_msg 'The CPR number must be DDMMYY-XXXX with a real date.')
	wait_for s "$msg" 5 || fail "no message about the CPR number" || return
	shows_under s 'CPR number' "$msg" ||
		fail "the CPR's message is not under the CPR number but on row $(screen s | grep -nF "$msg" | cut -d: -f1) (the CPR number is on row $(field_row s 'CPR number'), $(t Born) on $(field_row s Born))" ||
		return
	leave_form s || return
	quit_ok s
}

# --- 3. nothing typed is lost ---------------------------------------------------------------------

# husly_pid SESSION DB: the husly of SESSION (the child of the pane's shell, with DB).
husly_pid() {
	pgrep -P "$(tmx display -p -t "$1" '#{pane_pid}')" -f -- "$2"
}

# offered SESSION: the list says there is an unsaved intake, and that n brings it back.
offered() {
	local msg
	msg=$(status_msg 'You have an unsaved intake: press n to carry on with it.')
	wait_for "$1" "$msg" 5 || fail "the list does not offer the draft: '$(screen_line "$1" 23)'" ||
		return
	grep -qw n <<<"$msg" || fail "the list's message does not mention n: '$msg'" || return
}

draft_after_hangup() {
	local db
	db=$(demo_copy hup)
	begin_intake "$db" "Hanne Ærtebjerg" "1203" || return
	wait_until 5 shows_value s 'CPR number' "1203" || fail "the CPR typed does not show" || return
	# The connection drops.
	pkill -HUP -P "$(tmx display -p -t s '#{pane_pid}')" -f -- "$db"
	wait_until 10 is_dead s || fail "SIGHUP did not end husly" || return
	[ ! -s "$T/s.err" ] || fail "husly wrote to stderr on SIGHUP: $(exit_report s)" || return
	[ "$(drafts "$db")" = 1 ] || fail "no draft after SIGHUP" || return
	start_list s2 -- -c db/demo.conf -d "$db" || return
	offered s2 || return
	open_form s2 || return
	wait_for s2 "$(status_msg 'Your unsaved intake is back: carry on where you left off.')" 5 ||
		fail "the form does not say the intake is back: '$(screen_line s2 23)'" || return
	expect_value s2 Name "Hanne Ærtebjerg" || return
	expect_value s2 'CPR number' "1203" || return
	# Finish it and save.
	press s2 Tab
	write s2 "81-1235"
	press s2 Tab
	expect_value s2 Born "12-03-1981" || return
	press s2 F2
	wait_until 10 resident_shown s2 ||
		fail "the finished intake was not saved: $(screen s2 | head -8 | tr '\n' '|')" || return
	quit_ok s2 || return
	[ "$(drafts "$db")" = 0 ] || fail "the draft is left after the save" || return
	[ "$(sql "$db" "SELECT count(*) FROM resident WHERE name = 'Hanne Ærtebjerg'
		AND cpr = '1203811235' AND birth_date = '1981-03-12'")" = 1 ] ||
		fail "the resident was not saved with the name and CPR typed before and after" || return
}

draft_after_kill() {
	local db pid
	db=$(demo_copy kill)
	start_list s -- -c db/demo.conf -d "$db" || return
	open_form s || return
	write s "Gunnar Æbeløe"
	wait_until 5 shows_value s Name "Gunnar Æbeløe" || fail "the name typed does not show" || return
	pid=$(husly_pid s "$db")
	[ -n "$pid" ] || fail "no husly process with $db" || return
	kill -KILL "$pid"
	wait_until 10 is_dead s || fail "SIGKILL did not end husly" || return
	[ "$(drafts "$db")" = 1 ] || fail "no draft after SIGKILL" || return
	start_list s2 -- -c db/demo.conf -d "$db" || return
	offered s2 || return
	open_form s2 || return
	expect_value s2 Name "Gunnar Æbeløe" || return
	leave_form s2 || return
	quit_ok s2 || return
	[ "$(drafts "$db")" = 1 ] || fail "Esc lost the draft brought back" || return
}

# --- 4. a returning resident, and someone staying here ---------------------------------------------

MATCH_HEAD="Is this someone already registered? A returning resident gets a new stay."

# match_row SESSION ID: the duplicate screen's row of ID.
match_row() { screen "$1" | grep -F "  $2  "; }
# Whether F2 saved, or showed the duplicate screen.
saved_or_matches() { resident_shown "$1" || screen "$1" | grep -qF "$(status_msg "$MATCH_HEAD")"; }

# intake_as SESSION NAME BIRTH: a form with a name, a birth date (dd-mm-yyyy) and room 7, F2.
intake_as() {
	open_form "$1" || return
	write "$1" "$2"
	press "$1" Tab Tab
	write "$1" "$3"
	press "$1" Tab Tab Tab
	write "$1" "7"
	press "$1" F2
}

RETURN_DB='' RETURN_ID='' RETURN_NAME=
returning_resident() {
	local db row id name birth typed stays before
	db=$(demo_copy returning)
	row=$(demo_resident "$db" moved_out)
	[ -n "$row" ] || fail "the demo has no resident moved out with æ, ø or å in the name" || return
	IFS='|' read -r id name birth <<<"$row"
	typed=$(ascii_name "$name")
	stays=$(sql "$db" "SELECT count(*) FROM stay WHERE resident_id = '$id'")
	before=$(sql "$db" "SELECT count(*) FROM resident")
	start_list s -- -c db/demo.conf -d "$db" || return
	intake_as s "$typed" "$(dk_date "$birth")" || return
	wait_for s "$(status_msg "$MATCH_HEAD")" 10 ||
		fail "'$typed' born $birth brought no duplicate screen: $(screen s | head -6 | tr '\n' '|')" ||
		return
	local line
	line=$(match_row s "$id")
	[[ $line == *"  $name  $(dk_date "$birth")"* ]] ||
		fail "the duplicate screen does not list $id $name: $(screen s | sed -n 3,10p | tr '\n' '|')" ||
		return
	[[ $line == *"$(t '  (staying here now)' | sed 's/^ *//')"* ]] &&
		fail "$name is shown as staying here: '$line'" && return 1
	press s Enter
	wait_until 10 resident_shown s ||
		fail "Enter did not save: $(screen s | sed -n 2,3p | tr '\n' '|') $(screen_line s 23)" || return
	quit_ok s || return
	RETURN_DB=$db RETURN_ID=$id RETURN_NAME=$name
	load_dump "$db" || return
	[ "$(dumped "SELECT count(*) FROM v WHERE type = 'resident'")" = "$before" ] ||
		fail "a resident was added" || return
	[ "$(dumped "SELECT count(*) FROM v WHERE type = 'stay'
		AND json_extract(j, '\$.resident_id') = '$id'")" = $((stays + 1)) ] ||
		fail "$id does not have $((stays + 1)) stays" || return
	local stay
	stay=$(dumped "SELECT id FROM v WHERE type = 'stay' AND json_extract(j, '\$.resident_id') = '$id'
		AND json_extract(j, '\$.departure') IS NULL")
	[ -n "$stay" ] || fail "$id has no open stay" || return
	expect_json stay "$stay" arrival "\"$NOW\"" room '"7"' || return
	[ "$(dumped "SELECT count(*) FROM v WHERE type = 'checklist_step'
		AND json_extract(j, '\$.stay_id') = '$stay'")" = 17 ] || fail "the new stay has no checklist" ||
		return
	[ "$(dumped "SELECT count(*) FROM v WHERE type = 'resident'
		AND json_extract(j, '\$.birth_date') = '$birth'
		AND (json_extract(j, '\$.name') = '$name' OR json_extract(j, '\$.name') = '$typed')")" = 1 ] ||
		fail "not one resident $name / $typed born $birth" || return
	[ "$(drafts "$db")" = 0 ] || fail "the draft is left after the save" || return
}

# The name on the record stays as it was spelt: typed without æ, ø and å it is the same name.
returning_keeps_name() {
	[ -n "$RETURN_DB" ] || fail "the returning resident's intake did not run" || return
	local now
	now=$(sql "$RETURN_DB" "SELECT name FROM resident WHERE id = '$RETURN_ID'")
	[ "$now" = "$RETURN_NAME" ] ||
		fail "the resident's name '$RETURN_NAME' became '$now' (typed as $(ascii_name "$RETURN_NAME"))" ||
		return
	[ "$(sql "$RETURN_DB" "SELECT count(*) FROM resident WHERE name = '$RETURN_NAME'")" = 1 ] ||
		fail "not one resident named '$RETURN_NAME'"
}

present_refused() {
	local db row id name birth before
	db=$(demo_copy present)
	row=$(demo_resident "$db" present)
	[ -n "$row" ] || fail "the demo has no resident present with æ, ø or å in the name" || return
	IFS='|' read -r id name birth <<<"$row"
	before=$(written "$db")
	start_list s -- -c db/demo.conf -d "$db" || return
	intake_as s "$(ascii_name "$name")" "$(dk_date "$birth")" || return
	wait_for s "$(status_msg "$MATCH_HEAD")" 10 || fail "no duplicate screen for $name" || return
	[[ $(match_row s "$id") == *"$(t '  (staying here now)' | sed 's/^ *//')"* ]] ||
		fail "the duplicate screen does not say $name is staying here: '$(match_row s "$id")'" || return
	press s Enter
	wait_for s "$(status_msg 'This resident is already staying here.')" 5 ||
		fail "choosing someone staying here did not say so: '$(screen_line s 23)'" || return
	resident_shown s && fail "choosing someone staying here opened a record" && return 1
	wait_until 5 form_shown s || fail "not back on the form" || return
	[ "$(written "$db")" = "$before" ] || fail "something was written" || return
	[ "$(drafts "$db")" = 1 ] || fail "the intake's draft is gone" || return
	leave_form s || return
	quit_ok s
}

# The CPR number is the person: the same one as someone registered's is them, whatever the name.
same_cpr_is_a_match() {
	local db id cpr before
	db=$(demo_copy samecpr)
	IFS='|' read -r id cpr <<<"$(sql "$db" "SELECT id || '|' || cpr FROM resident
		WHERE cpr IS NOT NULL AND erased_at IS NULL ORDER BY id LIMIT 1")"
	[ -n "$cpr" ] || fail "the demo has nobody with a CPR number" || return
	before=$(sql "$db" "SELECT count(*) FROM resident")
	begin_intake "$db" "Ukendt Navnesen" "${cpr:0:6}-${cpr:6}" || return
	press s F2
	wait_until 10 saved_or_matches s ||
		fail "F2 did nothing" || return
	if resident_shown s; then
		fail "saved a second resident with the CPR number of $id, no duplicate screen"
		return 1
	fi
	match_row s "$id" >/dev/null || fail "the duplicate screen does not list $id" || return
	[ "$(sql "$db" "SELECT count(*) FROM resident")" = "$before" ] || fail "a resident was added" ||
		return
}

# --- 5. "n new person" -------------------------------------------------------------------------------

new_person_from_matches() {
	local db row id name birth stays
	db=$(demo_copy newperson)
	row=$(demo_resident "$db" moved_out)
	[ -n "$row" ] || fail "the demo has no resident moved out with æ, ø or å in the name" || return
	IFS='|' read -r id name birth <<<"$row"
	stays=$(sql "$db" "SELECT count(*) FROM stay WHERE resident_id = '$id'")
	start_list s -- -c db/demo.conf -d "$db" || return
	intake_as s "$name" "$(dk_date "$birth")" || return
	wait_for s "$(status_msg "$MATCH_HEAD")" 10 || fail "no duplicate screen for $name" || return
	match_row s "$id" >/dev/null || fail "the duplicate screen does not list $id" || return
	press s n
	wait_until 10 resident_shown s || fail "n did not save a new person: $(screen_line s 23)" || return
	quit_ok s || return
	local ids
	ids=$(sql "$db" "SELECT id FROM resident WHERE name = '$name' AND birth_date = '$birth' ORDER BY id")
	[ "$(wc -l <<<"$ids")" = 2 ] || fail "not two residents '$name' born $birth: $(tr '\n' ' ' <<<"$ids")" ||
		return
	local new
	new=$(grep -vx "$id" <<<"$ids")
	[ "$(sql "$db" "SELECT count(*) FROM stay WHERE resident_id = '$id'")" = "$stays" ] ||
		fail "the one registered before got a stay" || return
	[ "$(sql "$db" "SELECT count(*) FROM stay WHERE resident_id = '$new' AND departure IS NULL
		AND arrival = '$NOW' AND room = '7'")" = 1 ] || fail "the new person has no stay" || return
	[ "$(drafts "$db")" = 0 ] || fail "the draft is left after the save" || return
}

# --- 6. Esc and the draft --------------------------------------------------------------------------

esc_keeps_draft() {
	local db
	db=$(demo_copy esc)
	begin_intake "$db" "Esther Åkjær" "kbh" || return
	wait_until 5 shows_value s 'CPR number' "kbh" || fail "the CPR typed does not show" || return
	leave_form s || return
	wait_for s "$(status_msg 'The intake is kept as a draft: n on the list brings it back.')" 5 ||
		fail "Esc did not say the draft is kept: '$(screen_line s 23)'" || return
	[ "$(draft_value "$db" name)" = "Esther Åkjær" ] || fail "the draft has no name" || return
	[ "$(draft_value "$db" typed/cpr)" = "kbh" ] || fail "the draft lost what was typed as the CPR" ||
		return
	[ "$(sql "$db" "SELECT count(*) FROM resident WHERE name = 'Esther Åkjær'")" = 0 ] ||
		fail "Esc saved the intake" || return
	open_form s || return
	expect_value s Name "Esther Åkjær" || return
	expect_value s 'CPR number' "kbh" || return
	leave_form s || return
	quit_ok s
}

blank_leaves_no_draft() {
	local db
	db=$(demo_copy blank)
	start_list s -- -c db/demo.conf -d "$db" || return
	# Nothing typed, the cursor moved through a few fields.
	open_form s || return
	press s Tab Tab Tab Tab Tab
	leave_form s || return
	[ "$(drafts "$db")" = 0 ] || fail "a blank form left a draft" || return
	# Typed and rubbed out again.
	open_form s || return
	write s "Ib"
	press s BSpace BSpace
	wait_until 5 shows_value s Name "" || fail "Backspace did not rub out the name" || return
	leave_form s || return
	[ "$(drafts "$db")" = 0 ] || fail "a form typed and rubbed out left a draft" || return
	quit_ok s || return
	start_list s2 -- -c db/demo.conf -d "$db" || return
	screen s2 | grep -qF "$(status_msg 'You have an unsaved intake: press n to carry on with it.')" &&
		fail "the list offers an unsaved intake after a blank form" && return 1
	quit_ok s2
}

run_test "a whole intake typed as a person: every answer in the dump" full_intake
run_test "a wrong CPR, a future arrival, an unknown municipality: said, and F2 refused there" inline_validation
run_test "a field's message stands under that field, not the next" message_under_its_field
run_test "SIGHUP keeps the draft: the list offers it, n brings it back, saving removes it" draft_after_hangup
run_test "SIGKILL after typing: the name typed comes back" draft_after_kill
run_test "a returning resident typed with ae/oe/aa: a new stay on their record" returning_resident
run_test "a returning resident's name keeps its æ, ø and å" returning_keeps_name
run_test "someone staying here cannot arrive again: refused, nothing written" present_refused
run_test "the CPR number of someone registered brings up the duplicate screen" same_cpr_is_a_match
run_test "n on the duplicate screen registers a new person" new_person_from_matches
run_test "Esc leaves the form with the draft kept" esc_keeps_draft
run_test "a blank form leaves no draft" blank_leaves_no_draft
finish
