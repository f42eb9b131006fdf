#!/bin/bash
# Notes and the shift log, on copies of the demo database: writing a note on a resident's notes
# section (a, Enter; Esc, Esc), what `husly dump` then holds, and the shift log screen (l on the
# list): every note since the last shift, an entry about no one resident, opening a resident.
# The shift-log tests run once the list has its `l` key (its sentence in the list's ? help).
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo

LOGIN=$(id -un)
NOTE="Nattevagt: Blåbærgrød, Ærø og Å 😀 q?15 ENDE"
SHIFT_SENTENCE="The shift log: every note since the start of the last shift, newest first, for the handover."

# A present resident (prints the id); WHERE adds a condition on r (resident) and s (the stay).
present_id() {
	sql "$1" "SELECT r.id FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL ${2:+AND $2} ORDER BY r.id LIMIT 1"
}

test_rows_equal() { [ "$(count_rows "$1")" -eq "$2" ]; }

# open_id SESSION DB ID: starts husly on DB, finds the resident by id and opens them.
open_id() {
	local s=$1 db=$2 id=$3
	start_list "$s" -- -c db/demo.conf -d "$db" || return
	keys "$s" /
	type_text "$s" "$id"
	wait_until 10 test_rows_equal "$s" 1 || fail "searching '$id' did not give one row" || return
	keys "$s" Enter
	wait_for "$s" "[1 $(t Overview)]" || fail "Enter did not open resident $id" || return
}

# notes_section SESSION: shows the notes section.
notes_section() {
	keys "$1" 5
	wait_for "$1" "[5 $(t Notes)]" || fail "key 5 did not show the notes" || return
}

# The notes of resident ID in DB whose body contains TEXT (count).
notes_with() {
	sql "$1" "SELECT count(*) FROM note WHERE body LIKE '%' || '$2' || '%'"
}

# The rows of the notes section (below the tabs' line, above the bottom line).
section_text() {
	local h top
	h=$(pane_height "$1")
	top=$(($(screen "$1" | grep -nF "[5 " | head -1 | cut -d: -f1) + 2))
	screen "$1" | sed -n "${top},$((h - 2))p"
}

# The input line while writing: "New note: text".
input_line() {
	screen "$1" | grep -F "$(t 'New note:')" | head -1
}

note_saved_and_dumped() {
	local db id
	db=$(demo_copy saved)
	id=$(present_id "$db")
	open_id s "$db" "$id" || return
	notes_section s || return
	keys s a
	wait_for s "$(t 'New note:')" || fail "a did not open the note line" || return
	# Letters, digits, q and ? are text while writing: no section change, no help, no quit.
	type_text s "$NOTE"
	wait_for s "ENDE" || fail "the typed text does not show: $(input_line s)" || return
	[[ $(input_line s) == *"$NOTE"* ]] || fail "the note line shows '$(input_line s)'" || return
	screen s | grep -qF "[5 $(t Notes)]" || fail "typing changed the section" || return
	is_dead s && fail "typing q ended husly" && return 1
	local bar
	bar=$(screen_line s 24)
	[[ $bar == *"$(t Enter) $(t save)"* && $bar == *"Esc $(t cancel)"* ]] ||
		fail "the key bar does not show the note's keys: '$bar'" || return
	keys s Enter
	wait_gone s "$(t 'New note:')" || fail "Enter did not close the note line" || return
	local text
	text=$(section_text s)
	# The newest note first, with the local time of now and the login.
	[ "$(sed -n 1p <<<"$text" | sed 's/ *$//')" = " 25-11-2026 02:14 · $LOGIN" ] ||
		fail "the first note's heading is '$(sed -n 1p <<<"$text")'" || return
	[ "$(sed -n 2p <<<"$text" | sed 's/ *$//')" = "   $NOTE" ] ||
		fail "the first note reads '$(sed -n 2p <<<"$text")'" || return
	quit_ok s || return
	husly_run -c db/demo.conf -d "$db" dump
	expect_status 0 "dump" || return
	local line
	line=$(grep -F '"type":"note"' "$T/out" | grep -F "\"body\":\"$NOTE\"")
	[ -n "$line" ] || fail "the dump has no note '$NOTE'" || return
	[[ $line == *"\"resident_id\":\"$id\",\"kind\":\"note\""* ]] ||
		fail "the dumped note is not about $id: $line" || return
	[[ $line == *"\"created_at\":\"2026-11-25T01:14:00Z\",\"created_by\":\"$LOGIN\""* ]] ||
		fail "the dumped note is not by $LOGIN at 01:14Z: $line" || return
	grep -F '"type":"history"' "$T/out" | grep -F '"tbl":"note"' | grep -F "\"new_value\":\"$NOTE\"" |
		grep -qF "\"login\":\"$LOGIN\"" || fail "no history of the note's text by $LOGIN" || return
}

esc_on_empty_closes() {
	local db id before
	db=$(demo_copy empty)
	id=$(present_id "$db")
	before=$(sql "$db" "SELECT count(*) FROM note")
	open_id s "$db" "$id" || return
	notes_section s || return
	keys s a
	wait_for s "$(t 'New note:')" || fail "a did not open the note line" || return
	keys s Escape
	wait_gone s "$(t 'New note:')" || fail "one Esc did not close the empty note line" || return
	screen s | grep -qF "$(t 'Press Esc again to discard the note, or Enter to save it.')" &&
		fail "Esc on an empty note asked to discard" && return 1
	# Still the resident: the next Esc goes back to the list.
	screen s | grep -qF "[5 $(t Notes)]" || fail "Esc left the resident" || return
	# Only spaces: Enter says so and keeps the line; Esc closes it at once.
	keys s a
	wait_for s "$(t 'New note:')" || return
	type_text s "   "
	keys s Enter
	wait_for s "$(t 'The note is empty: write something first.')" ||
		fail "Enter on spaces did not say the note is empty" || return
	screen s | grep -qF "$(t 'New note:')" || fail "Enter on spaces closed the line" || return
	keys s Escape
	wait_gone s "$(t 'New note:')" || fail "Esc did not close a line of spaces" || return
	quit_ok s || return
	[ "$(sql "$db" "SELECT count(*) FROM note")" = "$before" ] || fail "a note was saved" || return
}

esc_twice_discards() {
	local db id hint
	db=$(demo_copy discard)
	id=$(present_id "$db")
	hint=$(t 'Press Esc again to discard the note, or Enter to save it.')
	open_id s "$db" "$id" || return
	notes_section s || return
	keys s a
	wait_for s "$(t 'New note:')" || return
	type_text s "SKALVÆK"
	wait_for s "SKALVÆK" || return
	keys s Escape
	wait_for s "$hint" || fail "the first Esc did not ask for a second" || return
	[[ $(input_line s) == *SKALVÆK* ]] || fail "the first Esc lost the text" || return
	[[ $(screen_line s 24) == *"Esc $(t discard)"* ]] ||
		fail "the key bar does not say Esc $(t discard): $(screen_line s 24)" || return
	keys s Escape
	wait_gone s "$(t 'New note:')" || fail "the second Esc did not discard" || return
	screen s | grep -qF SKALVÆK && fail "the discarded text still shows" && return 1
	# Typing after the first Esc starts over: Esc once more asks again, Enter saves it all.
	keys s a
	wait_for s "$(t 'New note:')" || return
	type_text s "BEHOLD"
	wait_for s "BEHOLD" || return
	keys s Escape
	wait_for s "$hint" || return
	type_text s "ES"
	wait_for s "BEHOLDES" || fail "typing after Esc did not go on in the text" || return
	keys s Escape
	wait_for s "$hint" || fail "Esc after more typing did not ask again" || return
	[[ $(input_line s) == *BEHOLDES* ]] || fail "Esc after more typing discarded the text" || return
	keys s Enter
	wait_gone s "$(t 'New note:')" || return
	wait_for s "BEHOLDES" || fail "the saved note does not show" || return
	quit_ok s || return
	[ "$(notes_with "$db" SKALVÆK)" = 0 ] || fail "the discarded note was saved" || return
	[ "$(notes_with "$db" BEHOLDES)" = 1 ] || fail "the kept note was not saved once" || return
}

# Editing in the line: Left, Backspace, Ctrl-A, Delete, Ctrl-E, Ctrl-W, Ctrl-U. (Home and End as
# tmux sends them, ESC [ 1 ~ and ESC [ 4 ~, are not in the terminfo of TERM=xterm-256color.)
editing_keys() {
	local db id
	db=$(demo_copy editing)
	id=$(present_id "$db")
	open_id s "$db" "$id" || return
	notes_section s || return
	keys s a
	wait_for s "$(t 'New note:')" || return
	type_text s "æble pære"
	keys s Left Left BSpace
	type_text s "Æ"
	wait_for s "æble pÆre" || fail "Left and Backspace: $(input_line s)" || return
	keys s C-a DC
	type_text s "Ø"
	wait_for s "Øble pÆre" || fail "Ctrl-A and Delete: $(input_line s)" || return
	keys s C-e C-w
	wait_gone s "pÆre" || fail "Ctrl-W: $(input_line s)" || return
	[[ $(input_line s | sed 's/ *$//') == *"$(t 'New note:') Øble" ]] ||
		fail "Ctrl-W: $(input_line s)" || return
	keys s C-u
	type_text s "ny tekst 😀 slut"
	keys s Enter
	wait_gone s "$(t 'New note:')" || return
	quit_ok s || return
	[ "$(notes_with "$db" "ny tekst 😀 slut")" = 1 ] || fail "the edited note was not saved" || return
}

# A note longer than the line scrolls: the cursor's end shows.
long_note_scrolls() {
	local db id long
	db=$(demo_copy long)
	id=$(present_id "$db")
	long=$(for i in $(seq 1 30); do printf 'ord%d ' "$i"; done; printf 'SIDSTE')
	open_id s "$db" "$id" || return
	notes_section s || return
	keys s a
	wait_for s "$(t 'New note:')" || return
	type_text s "$long"
	wait_for s "SIDSTE" || fail "the end of a long note does not show: $(input_line s)" || return
	screen s | grep -qF "ord1 ord2" && fail "the line did not scroll" && return 1
	keys s C-a
	wait_for s "ord1 ord2" || fail "Ctrl-A did not scroll back: $(input_line s)" || return
	keys s Enter
	wait_gone s "$(t 'New note:')" || return
	wait_for s "SIDSTE" || fail "the saved long note does not show all of it" || return
	quit_ok s || return
	[ "$(notes_with "$db" "$long")" = 1 ] || fail "the long note was not saved whole" || return
}

# --- the shift log: only once the list has its l key ------------------------------------------

# Whether the list's ? help has the shift log's sentence.
shiftlog_wired() {
	start_list w || return 1
	keys w '?'
	wait_for w "$(t 'Everywhere')" 5 || return 1
	local found=1
	screen w | grep -qF "$(t "$SHIFT_SENTENCE" | cut -c1-30)" && found=0
	tmx kill-session -t w >/dev/null 2>&1
	return $found
}

# open_shiftlog SESSION DB: starts husly on DB and opens the shift log.
open_shiftlog() {
	start_list "$1" -- -c db/demo.conf -d "$2" || return
	keys "$1" l
	wait_for "$1" "$(before_since)" || fail "l did not open the shift log: $(screen_line "$1" 2)" || return
}
before_since() { t 'Shift log since %s' | sed 's/%s.*//'; }

STAMP_NOTE="'2026-11-25T00:30:00Z', 'test', '2026-11-25T00:30:00Z', 'test'"

shiftlog_shows_notes() {
	local db id name room
	db=$(demo_copy shift)
	id=$(present_id "$db")
	name=$(sql "$db" "SELECT name FROM resident WHERE id = '$id'")
	room=$(sql "$db" "SELECT room FROM stay WHERE resident_id = '$id' AND departure IS NULL")
	# One in the last shift (15:00-23:00 on the 24th), one before it, one in this one.
	sql "$db" "INSERT INTO note (id, resident_id, kind, body, created_at, created_by, updated_at,
		updated_by) VALUES
		('testnote0001', '$id', 'note', 'INDENFOR sen aften', '2026-11-24T20:00:00Z', 'ole',
		 '2026-11-24T20:00:00Z', 'ole'),
		('testnote0002', '$id', 'note', 'UDENFOR for tidligt', '2026-11-24T13:59:00Z', 'ole',
		 '2026-11-24T13:59:00Z', 'ole'),
		('testnote0003', NULL, 'shift', 'NATTEN rolig indtil nu', $STAMP_NOTE)" || return
	open_shiftlog s "$db" || return
	local header
	header=$(screen_line s 2)
	[[ $header == *"$(before_since)$(t Tue) 24-11-2026 15:00"* ]] ||
		fail "the header does not start at the last shift: '$header'" || return
	local text
	text=$(screen s | sed -n '4,22p')
	# Newest first: the shift entry at 01:30, then the note at 21:00 local.
	[[ $(sed -n 1p <<<"$text") == " 25-11-2026 01:30 · test · $(t 'Shift log')"* ]] ||
		fail "the first entry's heading is '$(sed -n 1p <<<"$text")'" || return
	[[ $(sed -n 2p <<<"$text") == "   NATTEN rolig indtil nu"* ]] || fail "no shift entry body" || return
	local who
	who=$(t '%s, room %s' | sed "s/%s/$name/; s/%s/$room/")
	[[ $(sed -n 3p <<<"$text") == " 24-11-2026 21:00 · ole · $who"* ]] ||
		fail "the note's heading is '$(sed -n 3p <<<"$text")', expected '$who'" || return
	grep -qF UDENFOR <<<"$text" && fail "a note from before the last shift shows" && return 1
	# [ goes a shift further back, and shows the older note.
	keys s '['
	wait_for s "$(before_since)$(t Tue) 24-11-2026 07:00" || fail "[ did not go 8 hours back" || return
	wait_for s UDENFOR || fail "the older note does not show after [" || return
	keys s ']'
	wait_for s "$(before_since)$(t Tue) 24-11-2026 15:00" || fail "] did not go 8 hours on" || return
	keys s ']'
	wait_for s "$(before_since)$(t Wed) 25-11-2026 23:00" 1 && fail "] went past now" && return 1
	wait_for s "$(before_since)$(t Tue) 24-11-2026 23:00" || fail "] did not reach this shift" || return
	keys s ']'
	wait_for s "$(t 'The log already starts at the current shift.')" ||
		fail "] past the current shift did not say so" || return
	quit_ok s
}

shiftlog_add_entry() {
	local db
	db=$(demo_copy shiftadd)
	open_shiftlog s "$db" || return
	keys s a
	wait_for s "$(t 'Shift log entry:')" || fail "a did not open the entry line" || return
	type_text s "Brandalarm testet kl. 03 ✓ Ærø"
	keys s Enter
	wait_gone s "$(t 'Shift log entry:')" || fail "Enter did not close the entry line" || return
	[[ $(screen_line s 4) == " 25-11-2026 02:14 · $LOGIN · $(t 'Shift log')"* ]] ||
		fail "the new entry's heading is '$(screen_line s 4)'" || return
	[[ $(screen_line s 5) == "   Brandalarm testet kl. 03 ✓ Ærø"* ]] ||
		fail "the new entry reads '$(screen_line s 5)'" || return
	# Enter on an entry about no one resident opens nothing, and says why.
	keys s Enter
	wait_for s "$(t 'This entry is about no one resident.')" || fail "Enter on a shift entry" || return
	quit_ok s || return
	husly_run -c db/demo.conf -d "$db" dump
	grep -F '"type":"note"' "$T/out" | grep -F '"body":"Brandalarm testet kl. 03 ✓ Ærø"' |
		grep -F '"resident_id":null,"kind":"shift"' | grep -qF "\"created_by\":\"$LOGIN\"" ||
		fail "the dump has no shift entry by $LOGIN" || return
}

shiftlog_opens_resident() {
	local db id name
	db=$(demo_copy shiftopen)
	id=$(present_id "$db")
	name=$(sql "$db" "SELECT name FROM resident WHERE id = '$id'")
	open_id s "$db" "$id" || return
	notes_section s || return
	keys s a
	type_text s "$NOTE"
	keys s Enter
	wait_gone s "$(t 'New note:')" || return
	# Back to the list, the shift log, and the note's resident from there.
	keys s Escape
	wait_gone s "[5 $(t Notes)]" || fail "Esc did not go back to the list" || return
	keys s Escape # the search that found the resident
	wait_until 10 rows_at_least s 10 || fail "Esc did not clear the search" || return
	keys s l
	wait_for s "$(before_since)" || fail "l did not open the shift log" || return
	wait_for s "$NOTE" || fail "the shift log does not show the note" || return
	[[ $(screen_line s 4) == *" · $LOGIN · $name"* ]] ||
		fail "the shift log does not name the resident: '$(screen_line s 4)'" || return
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open the resident" || return
	[[ $(screen_line s 2) == " $name"* ]] || fail "Enter opened '$(screen_line s 2)'" || return
	keys s Escape
	wait_for s "$(before_since)" || fail "Esc did not go back to the shift log" || return
	quit_ok s
}

run_test "a note is written with a, saved with Enter, shown and dumped by the login" note_saved_and_dumped
run_test "Esc closes an empty note line at once" esc_on_empty_closes
run_test "Esc over a written note asks once more before discarding" esc_twice_discards
run_test "the note line edits by whole characters and words" editing_keys
run_test "a long note scrolls in its line and is saved whole" long_note_scrolls
if shiftlog_wired; then
	run_test "the shift log shows the notes since the last shift, newest first" shiftlog_shows_notes
	run_test "a in the shift log writes an entry about no one resident" shiftlog_add_entry
	run_test "the shift log shows a new note and opens its resident" shiftlog_opens_resident
fi
finish
