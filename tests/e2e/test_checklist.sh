#!/bin/bash
# The move-out checklist worked on from the keyboard (t on the list or a resident): Space moves a
# step or a thing on and saves it with its history, Enter changes a step's date, who is
# responsible and a note, + adds a thing, p prints; the progress follows on every screen, and the
# printed PDF shows the states just set.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
LOGIN=$(id -un)

# tf MSGID ARGS...: the translated printf format, filled in.
tf() {
	local f
	f=$(t "$1")
	shift
	# shellcheck disable=SC2059 # the format is the message's
	printf "$f" "$@"
}

# pick DB: "resident_id stay_id" of a present resident whose stay has a row for every step, with
# the first step (income_clarified) removed behind husly's back: it reads as not started, and
# Space has to make its row.
pick() {
	local db=$1 row
	row=$(sql "$db" "SELECT s.resident_id || ' ' || s.id FROM stay s WHERE s.departure IS NULL
		AND (SELECT count(*) FROM checklist_step c WHERE c.stay_id = s.id) = 17
		ORDER BY s.resident_id LIMIT 1")
	[ -n "$row" ] || return 1
	sql "$db" "DELETE FROM checklist_step WHERE id = '${row#* }/income_clarified'"
	echo "$row"
}

# open_resident SESSION DB ID [CONF]: starts husly and opens resident ID by searching its id.
open_resident() {
	local s=$1 db=$2 id=$3 conf=${4:-db/demo.conf}
	start_list "$s" -- -c "$conf" -d "$db" || return
	keys "$s" /
	type_text "$s" "$id"
	keys "$s" Enter
	wait_for "$s" "[1 $(t Overview)]" || fail "could not open resident $id" || return
}

# open_checklist SESSION: t on the resident screen, until the checklist shows.
open_checklist() {
	keys "$1" t
	wait_for "$1" "$(tf 'Checklist for %s' '')" || fail "t did not open the checklist: $(screen "$1" | head -5 | tr '\n' '|')" || return
}

# progress SESSION: "done/relevant" from the checklist's heading (row 2).
progress() {
	screen_line "$1" 2 | grep -oE '[0-9]+/[0-9]+' | tail -1
}

# step_line SESSION LABEL: the screen line of a step.
step_line() {
	screen "$1" | grep -F -- "] $2" | head -1
}

# overview_shows SESSION PROGRESS: the overview's checklist line shows PROGRESS.
overview_shows() {
	screen "$1" | grep -F "$(t Checklist):" | grep -qF -- " $2 "
}

# status_of DB STAY STEP: the stored status ("" without a row).
status_of() {
	sql "$1" "SELECT status FROM checklist_step WHERE id = '$2/$3'"
}

space_cycles_status() {
	local db row id stay
	db=$(demo_copy cycle)
	row=$(pick "$db") || fail "no present stay with every step" || return
	id=${row% *} stay=${row#* }
	open_resident c1 "$db" "$id" || return
	local before_overview
	before_overview=$(screen c1 | grep -F "$(t Checklist):" | grep -oE '[0-9]+/[0-9]+')
	[ -n "$before_overview" ] || fail "the overview has no checklist progress: $(screen c1 | tr '\n' '|')" || return
	open_checklist c1 || return
	local label before
	label=$(t 'Income clarified')
	before=$(progress c1)
	[ "$before" = "$before_overview" ] ||
		fail "the checklist says $before, the overview $before_overview" || return
	[[ $(step_line c1 "$label") == *"[ ] $label"* ]] ||
		fail "a step without a row is not shown as not started: '$(step_line c1 "$label")'" || return
	# The cursor starts on the first step: Space makes it in progress, then done.
	keys c1 Space
	wait_for c1 "[~] $label" || fail "Space did not show the step in progress" || return
	[ "$(status_of "$db" "$stay" income_clarified)" = doing ] ||
		fail "the stored status is '$(status_of "$db" "$stay" income_clarified)', expected doing" || return
	keys c1 Space
	wait_for c1 "[x] $label" || fail "a second Space did not show the step done" || return
	[ "$(status_of "$db" "$stay" income_clarified)" = "done" ] ||
		fail "the stored status is '$(status_of "$db" "$stay" income_clarified)', expected done" || return
	local d=${before%/*} r=${before#*/} after
	after=$(progress c1)
	[ "$after" = "$((d + 1))/$r" ] || fail "the heading went from $before to $after" || return
	# Both changes are in the history, by this login.
	local hist
	hist=$(sql "$db" "SELECT group_concat(new_value, ',') FROM (SELECT new_value FROM history
		WHERE row_id = '$stay/income_clarified' AND field = 'status' AND login = '$LOGIN'
		ORDER BY rowid)")
	[[ $hist == *"doing,done" ]] || fail "the history of the status holds '$hist'" || return
	# Back on the resident: the overview and section 4 show the new state at once.
	keys c1 Escape
	wait_until 5 overview_shows c1 "$after" ||
		fail "the overview does not show $after: $(screen c1 | grep -F "$(t Checklist):")" || return
	keys c1 4
	wait_for c1 "$(t 'Enter or t: change the checklist · p: print')" ||
		fail "section 4 has no hint line" || return
	wait_for c1 "[x] $label" || fail "section 4 does not show the step done" || return
	# Enter in section 4 opens the checklist too; Esc twice to the list, which counts it too.
	keys c1 Enter
	wait_for c1 "$(tf 'Checklist for %s' "")" || fail "Enter in section 4 did not open the checklist" ||
		return
	keys c1 Escape
	wait_for c1 "[4 $(t Checklist)]" || fail "Esc did not return to the resident" || return
	keys c1 Escape
	wait_for c1 "$(tf 'filter: %s' "$(t present)")" || fail "Esc did not return to the list" || return
	local listed
	listed=$(list_rows c1 | head -1 | grep -oE ' [0-9]+/[0-9]+( |$)' | tr -d ' ')
	[ "$listed" = "$after" ] || fail "the list shows '$listed', expected $after" || return
	keys c1 Escape # the search, which still has the keys
	wait_gone c1 "$(tf 'search: %s%s (%ld)' "$id" "" 1 | cut -c1-12)" || fail "Esc did not clear the search" || return
	quit_ok c1
}

step_editor_saves() {
	local db row id stay
	db=$(demo_copy editor)
	row=$(pick "$db") || fail "no present stay with every step" || return
	id=${row% *} stay=${row#* }
	open_resident c2 "$db" "$id" || return
	open_checklist c2 || return
	keys c2 Enter
	wait_for c2 "$(t 'Income clarified') $(printf '\302\267') $(t 'Cash benefit / income')" ||
		fail "Enter did not open the step: $(screen c2 | head -4 | tr '\n' '|')" || return
	keys c2 Down Enter # Date
	type_text c2 "20-11-2026"
	keys c2 Enter
	wait_for c2 "$(t 'Saved.')" || fail "the date was not saved: $(screen c2 | tr '\n' '|')" || return
	keys c2 Down Enter # Responsible: type-ahead on the list
	type_text c2 "$(t 'the shelter' | cut -c1-4)"
	keys c2 Enter
	keys c2 Down Enter # Responsible, name
	type_text c2 "Mette Holm"
	keys c2 Enter
	keys c2 Down Enter # Note
	type_text c2 "venter på svar"
	keys c2 Enter
	wait_for c2 "venter på svar" || fail "the note was not saved" || return
	local got
	got=$(sql "$db" "SELECT date || '|' || responsible || '|' || responsible_name || '|' || note
		FROM checklist_step WHERE id = '$stay/income_clarified'")
	[ "$got" = "2026-11-20|shelter|Mette Holm|venter på svar" ] || fail "the step holds '$got'" || return
	local hist
	hist=$(sql "$db" "SELECT count(DISTINCT field) FROM history WHERE row_id = '$stay/income_clarified'
		AND field IN ('date', 'responsible', 'responsible_name', 'note') AND login = '$LOGIN'")
	[ "$hist" = 4 ] || fail "$hist of the 4 fields are in the history" || return
	# h on the note shows its history.
	keys c2 h
	wait_for c2 "$(t 'History of this field')" || fail "h did not show the history" || return
	wait_for c2 "$LOGIN: - $(printf '\342\206\222') venter på svar" ||
		fail "the note's history is not shown: $(screen c2 | tail -8 | tr '\n' '|')" || return
	# Back on the checklist, the row shows it all.
	keys c2 Escape
	wait_for c2 "] $(t 'Income clarified')" || fail "Esc did not return to the checklist" || return
	local line
	line=$(step_line c2 "$(t 'Income clarified')")
	[[ $line == *"20-11-2026"*"$(t 'the shelter') (Mette Holm)"* ]] ||
		fail "the step reads '$line'" || return
	wait_for c2 "\"venter på svar\"" || fail "the note is not shown under the step" || return
	quit_ok c2
}

# The support item's step also changes the stay's support; a wrong date is refused.
support_step_fields() {
	local db row id stay
	db=$(demo_copy support)
	row=$(pick "$db") || fail "no present stay with every step" || return
	id=${row% *} stay=${row#* }
	open_resident c3 "$db" "$id" || return
	open_checklist c3 || return
	keys c3 G
	keys c3 Enter # the last step: support started
	wait_for c3 "$(t 'Support starts')" || fail "the support step has no support fields: $(screen c3 | head -14 | tr '\n' '|')" ||
		return
	local i
	for ((i = 0; i < 7; i++)); do keys c3 Down; done # the last field: support starts
	keys c3 Enter
	type_text c3 "31-02-2027"
	keys c3 Enter
	wait_for c3 "$(t 'That date does not exist.')" || fail "a wrong date was not refused" || return
	keys c3 C-u
	type_text c3 "01-12-2026"
	keys c3 Enter
	wait_for c3 "$(t 'Saved.')" || fail "the support start was not saved" || return
	[ "$(sql "$db" "SELECT support_start FROM stay WHERE id = '$stay'")" = 2026-12-01 ] ||
		fail "the stay's support start is '$(sql "$db" "SELECT support_start FROM stay WHERE id = '$stay'")'" || return
	quit_ok c3
}

# thing_state DB STAY THING
thing_state() {
	sql "$1" "SELECT state FROM furniture WHERE id = '$2/$3'"
}
# thing_is DB STAY THING STATE: the thing is stored in that state.
thing_is() {
	[ "$(thing_state "$1" "$2" "$3")" = "$4" ]
}

things_cycled_and_added() {
	local db row id stay
	db=$(demo_copy things)
	row=$(pick "$db") || fail "no present stay with every step" || return
	id=${row% *} stay=${row#* }
	sql "$db" "DELETE FROM furniture WHERE id = '$stay/bed'"
	open_resident c4 "$db" "$id" || return
	open_checklist c4 || return
	# 4 income, 7 housing and 3 furniture steps: the 15th row to stop at is the first thing.
	local i
	for ((i = 0; i < 14; i++)); do keys c4 Down; done
	keys c4 Space
	wait_until 5 thing_is "$db" "$stay" bed needed ||
		fail "Space on the bed stored '$(thing_state "$db" "$stay" bed)', expected needed" || return
	keys c4 Space
	wait_until 5 thing_is "$db" "$stay" bed applied ||
		fail "a second Space stored '$(thing_state "$db" "$stay" bed)', expected applied" || return
	local line
	line=$(screen c4 | grep -F "  $(t Bed) " | head -1)
	[[ $line == *"$(t applied)"* ]] || fail "the bed reads '$line'" || return
	# + adds a thing not on the list, as needed.
	keys c4 +
	wait_for c4 "$(t 'New thing:')" || fail "+ did not open a line for the thing" || return
	type_text c4 "Støvsuger"
	keys c4 Enter
	wait_until 5 thing_is "$db" "$stay" Støvsuger needed ||
		fail "the new thing holds '$(thing_state "$db" "$stay" Støvsuger)'" || return
	wait_for c4 "Støvsuger" || fail "the new thing is not shown" || return
	line=$(screen c4 | grep -F "Støvsuger" | head -1)
	[[ $line == *"$(t needed)"* ]] || fail "the new thing reads '$line'" || return
	# A thing of the list typed by name is that thing, not a new one, and + never resets what
	# is recorded for it: the bed stays applied for. Esc adds nothing.
	keys c4 +
	type_text c4 "$(t Bed | tr '[:upper:]' '[:lower:]')"
	keys c4 Enter
	wait_for c4 "$(t 'That thing is on the list already.')" ||
		fail "+ with the bed's name did not say it is there" || return
	thing_is "$db" "$stay" bed applied ||
		fail "+ with the bed's name changed it to '$(thing_state "$db" "$stay" bed)'" || return
	local n
	n=$(sql "$db" "SELECT count(*) FROM furniture WHERE stay_id = '$stay'")
	keys c4 +
	type_text c4 "Radio"
	keys c4 Escape
	wait_gone c4 "$(t 'New thing:')" || fail "Esc did not close the line" || return
	[ "$(sql "$db" "SELECT count(*) FROM furniture WHERE stay_id = '$stay'")" = "$n" ] ||
		fail "Esc added a thing" || return
	[ "$(sql "$db" "SELECT count(*) FROM history WHERE row_id = '$stay/bed' AND field = 'state'
		AND login = '$LOGIN'")" -ge 2 ] || fail "the bed's changes are not in the history" || return
	quit_ok c4
}

# print_conf NAME: a configuration whose print command keeps the document in $T/NAME.pdf.
print_conf() {
	printf 'shelter = "Herberget Nordhavn"\nterminal = "reception-1"\nprint_command = "cat > %s"\n' \
		"$T/$1.pdf" >"$T/$1.conf"
	echo "$T/$1.conf"
}

# pdf_line PDF LABEL: the line of the printed checklist that has LABEL.
pdf_line() {
	pdftotext -layout "$1" - 2>/dev/null | grep -F -- "$2" | head -1
}

printed_shows_new_states() {
	command -v pdftotext >/dev/null || fail "pdftotext is not installed (make deps-test)" || return
	local db row id stay conf
	db=$(demo_copy print)
	row=$(pick "$db") || fail "no present stay with every step" || return
	id=${row% *} stay=${row#* }
	sql "$db" "UPDATE checklist_step SET status = 'todo' WHERE id = '$stay/income_applied'"
	conf=$(print_conf printed)
	open_resident c5 "$db" "$id" "$conf" || return
	open_checklist c5 || return
	keys c5 Space # income clarified: in progress
	wait_for c5 "[~] $(t 'Income clarified')" || fail "Space did not change the first step" || return
	keys c5 Down Space Space # application sent: done
	wait_for c5 "[x] $(t 'Application sent')" || fail "Space did not change the second step" || return
	keys c5 p
	local sent
	sent=$(t 'Sent to the printer (%s): %ld page(s).')
	wait_for c5 "${sent%%(*}" || fail "p did not say it printed: $(screen c5 | tail -3 | tr '\n' '|')" || return
	[ "$(head -c 4 "$T/printed.pdf" 2>/dev/null)" = %PDF ] || fail "the print command got no PDF" || return
	local line
	line=$(pdf_line "$T/printed.pdf" "$(t 'Income clarified')")
	[[ $line == *"$(t 'in progress')"* && $line != *"$(t 'not started')"* ]] ||
		fail "the PDF has '$line' for the first step" || return
	line=$(pdf_line "$T/printed.pdf" "$(t 'Application sent')")
	[[ $line == *"$(t "done")"* && $line != *"$(t 'not started')"* ]] ||
		fail "the PDF has '$line' for the second step" || return
	[ "$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'print' AND resident_id = '$id'")" = 1 ] ||
		fail "the print is not in the audit log" || return
	quit_ok c5
}

# p works on the list (the highlighted resident) and on the resident screen; t on the list opens
# the highlighted resident's checklist.
print_from_list_and_resident() {
	command -v pdftotext >/dev/null || fail "pdftotext is not installed (make deps-test)" || return
	local db conf name
	db=$(demo_copy print2)
	conf=$(print_conf list)
	start_list c6 -- -c "$conf" -d "$db" || return
	keys c6 t
	wait_for c6 "$(tf 'Checklist for %s' "")" || fail "t on the list did not open the checklist" || return
	name=$(screen_line c6 2 | sed -E "s/^ *$(tf 'Checklist for %s' '')//; s/ {2,}.*//")
	[ -n "$name" ] || fail "no name in the checklist's heading" || return
	keys c6 Escape
	wait_for c6 "$(tf 'filter: %s' "$(t present)")" || fail "Esc did not return to the list" || return
	keys c6 p
	wait_until 10 test -s "$T/list.pdf" || fail "p on the list printed nothing" || return
	sleep 0.3
	pdftotext "$T/list.pdf" - | grep -qF -- "$name" || fail "the PDF is not $name's checklist" || return
	rm -f "$T/list.pdf"
	keys c6 Enter
	wait_for c6 "[1 $(t Overview)]" || fail "Enter did not open the resident" || return
	keys c6 p
	wait_until 10 test -s "$T/list.pdf" || fail "p on the resident screen printed nothing" || return
	sleep 0.3
	pdftotext "$T/list.pdf" - | grep -qF -- "$name" || fail "the second PDF is not $name's checklist" || return
	quit_ok c6
}

# A print command that fails says so, and husly carries on.
print_failure_said() {
	local db conf
	db=$(demo_copy print3)
	conf=$T/fail.conf
	printf 'shelter = "Herberget Nordhavn"\nprint_command = "exit 3"\n' >"$conf"
	start_list c7 -- -c "$conf" -d "$db" || return
	keys c7 p
	local bad
	bad=$(t 'Could not print: %s')
	wait_for c7 "${bad%%%s*}" || fail "a failing print command was not reported: $(screen c7 | tail -3 | tr '\n' '|')" ||
		return
	keys c7 Down
	wait_gone c7 "${bad%%%s*}" || fail "the message stayed" || return
	quit_ok c7
}

# On a terminal without UTF-8 the checklist is plain ASCII: boxes, dots and arrows.
ascii_terminal() {
	local db row id
	db=$(demo_copy ascii)
	row=$(pick "$db") || fail "no present stay with every step" || return
	id=${row% *}
	start_list c8 LANG=C LC_ALL=C -- -c db/demo.conf -d "$db" || return
	keys c8 /
	type_text c8 "$id"
	keys c8 Enter
	wait_for c8 "[1 " || fail "could not open resident $id" || return
	keys c8 t
	wait_for c8 "[ ] " || fail "t did not open the checklist" || return
	local scr n
	scr=$(screen c8)
	n=$(printf '%s' "$scr" | LC_ALL=C tr -d '\000-\177' | wc -c)
	[ "$n" -eq 0 ] || fail "$n bytes above 127 on the checklist: $(printf '%s' "$scr" | LC_ALL=C grep -n '[^ -~]' | head -3)" ||
		return
	[[ $(screen_line c8 22) == *"v" ]] || fail "no ASCII arrow saying there is more below" || return
	quit_ok c8
}

# A resident with no stay has no checklist: one line says so, and the keys change nothing.
no_stay() {
	local db stamp="'2026-11-20T10:00:00Z', 'test', '2026-11-20T10:00:00Z', 'test'"
	db=$(demo_copy nostay)
	sql "$db" "INSERT INTO resident (id, name, name_key, created_at, created_by, updated_at,
		updated_by) VALUES ('zzzzzzzzzzz1', 'Uden Ophold', 'uden ophold', $stamp)" || return
	local before
	before=$(sql "$db" "SELECT count(*) FROM history")
	start_list c10 -- -c db/demo.conf -d "$db" || return
	keys c10 f f # everyone: a resident without a stay is not present
	keys c10 /
	type_text c10 "zzzzzzzzzzz1"
	keys c10 Enter
	wait_for c10 "[1 $(t Overview)]" || fail "could not open the resident without a stay" || return
	keys c10 t
	wait_for c10 "$(tf 'Checklist for %s' 'Uden Ophold')" || fail "t did not open the checklist" || return
	wait_for c10 "$(t 'The resident has no stay.')" || fail "no line saying there is no stay" || return
	keys c10 Space Enter +
	sleep 0.3
	[ "$(sql "$db" "SELECT count(*) FROM history")" = "$before" ] ||
		fail "keys on an empty checklist wrote something" || return
	[ "$(sql "$db" "SELECT count(*) FROM furniture WHERE stay_id NOT IN (SELECT id FROM stay)")" = 0 ] ||
		fail "a thing was written without a stay" || return
	keys c10 Escape
	wait_for c10 "[1 $(t Overview)]" || fail "Esc did not return to the resident" || return
	keys c10 Escape
	wait_for c10 "$(tf 'filter: %s' "$(t everyone)")" || fail "Esc did not return to the list" || return
	keys c10 Escape
	sleep 0.2
	quit_ok c10
}

# The heading carries the warnings about moving out, and they go when the step is done.
heading_warnings() {
	local db row id stay
	db=$(demo_copy warn)
	row=$(pick "$db") || fail "no present stay with every step" || return
	id=${row% *} stay=${row#* }
	sql "$db" "UPDATE stay SET ready_at = '2026-06-01', move_in_date = NULL WHERE id = '$stay';
		UPDATE checklist_step SET status = 'todo' WHERE id = '$stay/housing_registered'"
	open_resident c11 "$db" "$id" || return
	open_checklist c11 || return
	local warn ready
	warn=$(screen_line c11 3)
	ready=$(tf 'ready %ld d' 177)
	[[ $warn == *"$ready"* && $warn == *"$(t 'no housing registration')"* ]] ||
		fail "the heading's warnings read '$warn'" || return
	# Registered for housing: 4 income steps, then this one.
	keys c11 Down Down Down Down
	keys c11 Space Space
	wait_for c11 "[x] $(t 'Registered for housing allocation')" || fail "the step did not get done" || return
	wait_until 5 eval "! screen c11 | grep -qF -- '$(t 'no housing registration')'" ||
		fail "the warning stayed after the registration was done" || return
	quit_ok c11
}

# At 80x24 the checklist's key bar keeps every word and the help lists its keys in sentences.
keys_and_help() {
	local db row id bar
	db=$(demo_copy help)
	row=$(pick "$db") || fail "no present stay with every step" || return
	id=${row% *}
	open_resident c9 "$db" "$id" || return
	open_checklist c9 || return
	bar=$(screen_line c9 24)
	for want in "$(t Space) $(t status)" "$(t Enter) $(t change)" "+ $(t thing)" "p $(t print)" \
		"q $(t quit)"; do
		[[ $bar == *"$want"* ]] || fail "the key bar has no '$want': '$bar'" || return
	done
	keys c9 '?'
	wait_for c9 "$(t 'Add a thing the household needs that is not on the furniture list.' | cut -c1-40)" ||
		fail "the help does not explain +" || return
	keys c9 Escape
	wait_for c9 "$(t 'Cash benefit / income')" || fail "Esc did not leave the help" || return
	quit_ok c9
}

run_test "Space moves a step on, saved with its history; the progress follows everywhere" \
	space_cycles_status
run_test "Enter changes a step's date, who is responsible and a note, each in the history" \
	step_editor_saves
run_test "the support step changes the stay's support; a wrong date is refused" support_step_fields
run_test "Space moves a thing on; + adds one, as needed; Esc adds nothing" things_cycled_and_added
run_test "steps ticked in the checklist, then p: the PDF shows the new states" \
	printed_shows_new_states
run_test "p prints from the list and the resident screen; t opens the checklist from the list" \
	print_from_list_and_resident
run_test "a failing print command is reported" print_failure_said
run_test "the checklist on a terminal without UTF-8 is ASCII" ascii_terminal
run_test "a resident without a stay: the checklist says so and changes nothing" no_stay
run_test "the heading warns of a long wait and no housing registration" heading_warnings
run_test "the key bar fits and the help explains the keys" keys_and_help
finish
