#!/bin/bash
# The resident list and what it leads to, driven with keys in tmux: the start screen, search,
# a resident's sections, help, resizing, quitting.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
PRESENT=$(present_names "$DEMO_DB" | wc -l)

start_screen() {
	start_list s || return
	local top bar
	top=$(screen_line s 1)
	[[ $top == *"Herberget Nordhavn"* ]] || fail "no shelter name on the top line: '$top'" || return
	[[ $top == *"reception-1"* ]] || fail "no terminal name on the top line: '$top'" || return
	[[ $top == *"25-11-2026 02:14"* ]] || fail "no date and time on the top line: '$top'" || return
	bar=$(screen_line s 24)
	[[ $bar == *"/ $(t search)"* ]] || fail "no '/ $(t search)' in the key bar: '$bar'" || return
	[[ $bar == *"q $(t quit)"* ]] || fail "no 'q $(t quit)' in the key bar: '$bar'" || return
	local expect=$((PRESENT < 18 ? PRESENT : 18)) n
	n=$(count_rows s)
	[ "$n" -eq "$expect" ] || fail "$n rows shown, expected $expect of $PRESENT present" || return
	# Every row: room, name, an arrival date that is not in the future, days.
	local bad
	bad=$(list_rows s | grep -vE '^ ([0-9A-Za-z]+)? +[^ ].* [0-3][0-9]-[01][0-9]-20[0-9]{2} +[0-9]+ ')
	[ -z "$bad" ] || fail "rows that do not look like rows: $bad" || return
	quit_ok s
}

# pick_surname WIDTH: a surname (last word of a present resident's name) of plain ASCII letters
# without the ae/oe/aa spellings, shared by some but not all present residents, whose every
# match fits in the name column (WIDTH characters).
pick_surname() {
	sql "$DEMO_DB" "
		WITH p AS (SELECT r.name, r.name_key FROM resident r JOIN stay s
		           ON s.resident_id = r.id WHERE s.departure IS NULL AND r.erased_at IS NULL),
		     w AS (SELECT DISTINCT replace(name, rtrim(name, replace(name, ' ', '')), '') AS sur
		           FROM p)
		SELECT sur FROM w
		WHERE sur GLOB '[A-Z][a-z]*' AND sur NOT GLOB '*[^A-Za-z]*'
		  AND lower(sur) NOT GLOB '*ae*' AND lower(sur) NOT GLOB '*oe*'
		  AND lower(sur) NOT GLOB '*aa*'
		  AND (SELECT count(*) FROM p WHERE instr(p.name_key, lower(sur)) > 0)
		      BETWEEN 1 AND min(17, (SELECT count(*) FROM p) - 1)
		  AND NOT EXISTS (SELECT 1 FROM p WHERE instr(p.name_key, lower(sur)) > 0
		                  AND (length(p.name) > $1 OR instr(lower(p.name), lower(sur)) = 0))
		ORDER BY (SELECT count(*) FROM p WHERE instr(p.name_key, lower(sur)) > 0) DESC, sur
		LIMIT 1"
}

matches() {
	sql "$DEMO_DB" "SELECT count(*) FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL AND instr(r.name_key, '$1') > 0"
}

search_narrows() {
	start_list s || return
	local sur key expect
	sur=$(pick_surname "$(name_width s)")
	[ -n "$sur" ] || fail "no suitable surname among the present residents" || return
	key=$(printf '%s' "$sur" | tr 'A-Z' 'a-z')
	expect=$(matches "$key")
	local before
	before=$(count_rows s)
	keys s /
	type_text s "$sur"
	wait_until 10 test_rows_equal s "$expect" ||
		fail "searching '$sur': $(count_rows s) rows, expected $expect" || return
	local wrong
	wrong=$(list_rows s | grep -viF -- "$sur")
	[ -z "$wrong" ] || fail "rows not matching '$sur': $wrong" || return
	[ "$expect" -lt "$before" ] || fail "the search did not narrow the list" || return
	# Esc clears the search: all rows again.
	keys s Escape
	wait_until 10 test_rows_equal s "$before" ||
		fail "after Esc: $(count_rows s) rows, expected $before again" || return
	# Lower case and a part of the name find the same.
	keys s /
	type_text s "${key:0:4}"
	wait_until 10 test_rows_between s 1 "$before" ||
		fail "searching '${key:0:4}' showed $(count_rows s) rows" || return
	wrong=$(list_rows s | grep -viF -- "${key:0:4}")
	[ -z "$wrong" ] || fail "rows not matching '${key:0:4}': $wrong" || return
	# Backspace widens it again, a search for nobody shows nothing.
	keys s BSpace BSpace BSpace BSpace
	wait_until 10 test_rows_equal s "$before" || fail "Backspace did not clear the search" || return
	type_text s "zzqxv"
	wait_until 10 test_rows_equal s 0 || fail "a search for nobody showed rows" || return
	keys s Escape
	wait_until 10 test_rows_equal s "$before" || fail "Esc did not bring the rows back" || return
	quit_ok s
}

test_rows_equal() { [ "$(count_rows "$1")" -eq "$2" ]; }
test_rows_between() {
	local n
	n=$(count_rows "$1")
	[ "$n" -ge "$2" ] && [ "$n" -lt "$3" ]
}

# "Søren Ærø" -> "Soeren Aeroe": how names are typed without Danish letters.
ascii_spelling() {
	sed -e 's/æ/ae/g; s/ø/oe/g; s/å/aa/g; s/Æ/Ae/g; s/Ø/Oe/g; s/Å/Aa/g'
}

search_danish_spelling() {
	# A present resident whose surname has æ, ø or å.
	start_list s || return
	local name sur ascii w
	w=$(name_width s)
	while IFS= read -r name; do
		[ "${#name}" -le "$w" ] && break
		name=
	done < <(present_names "$DEMO_DB" | grep -E '[æøåÆØÅ][^ ]*$')
	[ -n "$name" ] || fail "no present resident with æ, ø or å in a surname that fits" || return
	sur=${name##* }
	ascii=$(printf '%s' "$sur" | ascii_spelling)
	keys s /
	type_text s "$ascii"
	wait_until 10 rows_contain s "$name" ||
		fail "searching '$ascii' did not find '$name': $(list_rows s | head -3)" || return
	local wrong
	wrong=$(list_rows s | grep -vF -- "$sur")
	[ -z "$wrong" ] || fail "searching '$ascii' showed others: $wrong" || return
	# The Danish letters themselves, and the plain vowels, find the same.
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not clear the search" || return
	keys s /
	type_text s "$sur"
	wait_until 10 rows_contain s "$name" || fail "searching '$sur' did not find '$name'" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not clear the search" || return
	local plain
	plain=$(printf '%s' "$sur" | sed -e 's/[æå]/a/g; s/ø/o/g; s/[ÆÅ]/A/g; s/Ø/O/g')
	keys s /
	type_text s "$plain"
	wait_until 10 rows_contain s "$name" || fail "searching '$plain' did not find '$name'" || return
	leave_search s || return
	quit_ok s
}

# Esc out of the search field (where q is a letter), waiting until the whole list is back.
leave_search() {
	keys "$1" Escape
	wait_until 10 rows_at_least "$1" 10 || fail "Esc did not clear the search" || return
}

rows_contain() { list_rows "$1" | grep -qF -- "$2"; }

# unique_present_name WIDTH: a present resident whose name nobody else's contains and fits the
# list (prints the name).
unique_present_name() {
	sql "$DEMO_DB" "SELECT r.name FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL AND length(r.name) <= $1
		AND (SELECT count(*) FROM resident x WHERE instr(x.name_key, r.name_key) > 0) = 1
		ORDER BY r.name LIMIT 1"
}

open_resident() {
	start_list s || return
	local name
	name=$(unique_present_name "$(name_width s)")
	[ -n "$name" ] || fail "no present resident with a unique name" || return
	keys s /
	type_text s "$name"
	wait_until 10 test_rows_equal s 1 || fail "searching '$name' did not give one row" || return
	keys s Enter
	local tab
	tab="[1 $(t Overview)]"
	wait_for s "$tab" || fail "Enter did not open the resident (no '$tab')" || return
	local heading
	heading=$(screen_line s 2)
	[[ $heading == *"$name"* ]] || fail "the heading does not name '$name': '$heading'" || return
	[[ $(screen s) == *"$(t Assessed):"* ]] || fail "no '$(t Assessed):' in the overview" || return

	# Each section: its tab is marked and it shows what it is about.
	local sec word
	for sec in 2 3 4 5 6; do
		case $sec in
		2) tab="[2 $(t Intake)]" word="$(t Gender):" ;;
		3) tab="[3 $(t Stays)]" word="$(t Room):" ;;
		4) tab="[4 $(t Checklist)]" word="$(t 'Housing registration')" ;;
		5) tab="[5 $(t Notes)]" word="" ;;
		6) tab="[6 $(t History)]" word="→" ;;
		esac
		keys s "$sec"
		wait_for s "$tab" || fail "key $sec did not show '$tab'" || return
		if [ -n "$word" ]; then
			wait_for s "$word" 2 || fail "section $sec has no '$word': $(screen s | sed -n 5,12p)" ||
				return
		fi
		[[ $(screen_line s 2) == *"$name"* ]] || fail "section $sec lost the heading" || return
	done
	# Notes: notes with a date and author, or the words for none.
	keys s 5
	wait_for s "[5 $(t Notes)]" || fail "key 5 did not come back to the notes" || return
	local body
	body=$(screen s | sed -n '5,22p')
	[[ $body == *"$(t 'No notes yet.')"* ]] || grep -qE '[0-9]{2}-[0-9]{2}-20[0-9]{2} [0-9]{2}:[0-9]{2}' <<<"$body" ||
		fail "the notes section shows neither notes nor '$(t 'No notes yet.')'" || return
	# The stays section shows arrival times as staff typed them, Danish style.
	keys s 3
	wait_for s "[3 $(t Stays)]" || fail "key 3 did not show the stays again" || return
	screen s | grep -qE '[0-9]{2}-[0-9]{2}-20[0-9]{2} [0-9]{2}:[0-9]{2}' ||
		fail "no 'dd-mm-yyyy hh:mm' arrival in the stays section" || return
	# Tab goes on to the next section.
	keys s Tab
	wait_for s "[4 $(t Checklist)]" || fail "Tab did not move to the checklist" || return
	# Esc: back to the list, with the search still in place.
	keys s Escape
	wait_gone s "[4 $(t Checklist)]" || fail "Esc did not leave the resident" || return
	wait_until 10 rows_contain s "$name" || fail "Esc did not return to the list" || return
	leave_search s || return
	quit_ok s
}

help_screen() {
	start_list s || return
	keys s '?'
	wait_for s "$(t Everywhere)" || fail "? did not show the help" || return
	local help
	help=$(screen s)
	local want
	for want in "$(t 'Search by name or id; the list narrows as you type.')" \
		"$(t 'Open the selected resident.')" "$(t 'Leave husly.')" \
		"$(t 'Go back to the previous screen.')" "Esc" "Enter"; do
		[[ $help == *"$want"* ]] || fail "the help does not list '$want'" || return
	done
	keys s Escape
	wait_gone s "$(t Everywhere)" || fail "Esc did not close the help" || return
	wait_until 10 rows_at_least s 10 || fail "the list did not come back after the help" || return
	# The help of the resident screen lists its own keys.
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open a resident" || return
	keys s F1
	wait_for s "$(t 'Notes about the resident.')" || fail "F1 on a resident did not show its keys" ||
		return
	keys s Escape
	wait_for s "[1 $(t Overview)]" || fail "Esc from the help did not return to the resident" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not return to the list" || return
	quit_ok s
}

# The start of the "too small" notice, up to the size in brackets.
too_small() {
	t 'The terminal is too small (at least %d%s%d).' | sed 's/ *(.*//'
}

top_line_width() {
	local top
	top=$(screen_line "$1" 1 | sed 's/ *$//')
	echo "${#top}"
}

resize() {
	start_list s || return
	local rows80 w80
	rows80=$(count_rows s)
	w80=$(top_line_width s)
	tmx resize-window -t s -x 120 -y 40
	local expect=$((PRESENT < 34 ? PRESENT : 34))
	wait_until 10 test_rows_equal s "$expect" ||
		fail "at 120x40: $(count_rows s) rows, expected $expect (was $rows80 at 80x24)" || return
	local w120
	w120=$(top_line_width s)
	[ "$w120" -gt 100 ] && [ "$w120" -gt "$w80" ] ||
		fail "the top line did not widen: $w80 then $w120 columns" || return
	[[ $(screen_line s 40) == *"/ $(t search)"* ]] || fail "no key bar on the last row at 120x40" ||
		return
	tmx resize-window -t s -x 40 -y 10
	wait_for s "$(too_small)" ||
		fail "no 'too small' notice at 40x10: $(screen s | tr '\n' '|')" || return
	wait_for s "60" 1 && wait_for s "14" 1 || fail "the notice does not say the smallest size" || return
	tmx resize-window -t s -x 80 -y 24
	wait_until 10 test_rows_equal s "$rows80" || fail "back at 80x24: $(count_rows s) rows" || return
	[[ $(screen_line s 1) == *"Herberget Nordhavn"* ]] || fail "no top line back at 80x24" || return
	quit_ok s
}

quit_key() {
	start_list s || return
	quit_ok s || return
	# q also quits from a resident, and the too-small notice.
	start_list s2 || return
	keys s2 Enter
	wait_for s2 "[1 $(t Overview)]" || fail "Enter did not open a resident" || return
	quit_ok s2 || return
	start_list s3 || return
	tmx resize-window -t s3 -x 30 -y 8
	wait_for s3 "$(too_small | cut -c1-10)" || fail "no 'too small' notice: $(screen s3 | tr '\n' '|')" || return
	quit_ok s3
}

# Moving the selection: down, page down, end and home keep the selection on screen.
navigation() {
	start_list s || return
	local first second
	first=$(list_rows s | sed -n 1p)
	keys s Down Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open the second resident" || return
	second=$(screen_line s 2)
	local first_name
	first_name=$(list_rows_name_of "$first")
	[[ $second != *"$first_name"* ]] || fail "Down did not move off the first resident" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not return to the list" || return
	# The last resident, then the first again: Enter opens the same one as at the start.
	keys s G NPage End g Home Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter after Home did not open a resident" || return
	local again
	again=$(screen_line s 2)
	[[ $again == *"$(list_rows_name_of "$first")"* ]] ||
		fail "after G, PgDn, End, g, Home the first resident was not selected: '$again'" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not return to the list" || return
	quit_ok s
}

# The name column of a list row (columns 8 to 30, trimmed).
list_rows_name_of() {
	printf '%s\n' "$1" | sed -E 's/^ [^ ]+ +//; s/ +[0-9]{2}-[0-9]{2}-[0-9]{4}.*//; s/…$//'
}

# The present residents in list order (room, then name), with their ids: "id|name".
present_in_order() {
	sql "$1" "SELECT r.id || '|' || r.name FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND r.erased_at IS NULL
		ORDER BY s.room IS NULL, CAST(s.room AS INTEGER), s.room, r.name_key, r.id"
}

# The selection stays on the resident, not on the row, when someone is admitted above them.
selection_follows() {
	local db
	db=$(demo_copy follow)
	start_list s -- -c db/demo.conf -d "$db" || return
	keys s Down Down Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open the third resident" || return
	local name
	name=$(present_in_order "$db" | sed -n 3p | cut -d'|' -f2)
	[[ $(screen_line s 2) == *"$name"* ]] || fail "the third resident is not '$name'" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not return to the list" || return
	# A new resident in room 0, first in the list, admitted at another terminal.
	local at="'2026-11-25T01:00:00Z', 'test', '2026-11-25T01:00:00Z', 'test'"
	sql "$db" "INSERT INTO resident (id, name, name_key, created_at, created_by, updated_at,
		updated_by) VALUES ('testnew00001', 'Aage Nyankommen', 'aage nyankommen', $at);
		INSERT INTO stay (id, resident_id, arrival, room, created_at, created_by, updated_at,
		updated_by) VALUES ('testnewstay1', 'testnew00001', '2026-11-25 02:00', '0', $at)" ||
		return
	keys s C-l
	wait_until 10 rows_contain s "Aage Nyankommen" || fail "the new resident did not show" || return
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open a resident" || return
	[[ $(screen_line s 2) == *"$name"* ]] ||
		fail "the selection moved off '$name' to '$(screen_line s 2)'" || return
	quit_ok s
}

# A wide character that does not fit ends the name: no narrower letter after it is drawn.
wide_char_cut() {
	local db w id fill row
	db=$(demo_copy wide)
	start_list s -- -c db/demo.conf -d "$db" || return
	w=$(name_width s)
	id=$(present_in_order "$db" | sed -n 1p | cut -d'|' -f1)
	fill=$(printf "%$((w - 2))s" "" | tr ' ' A)
	sql "$db" "UPDATE resident SET name = '${fill}漢bcdef' WHERE id = '$id'" || return
	keys s C-l
	wait_until 10 rows_contain s "$fill" || fail "the new name did not show" || return
	row=$(list_rows s | sed -n 1p)
	# The wide character would take the last column before the ellipsis: the name ends there.
	[[ $row == *" ${fill}… "* ]] || fail "the name is not cut before the wide character: '$row'" ||
		return
	quit_ok s
}

run_test "start screen shows shelter, terminal, rows and key bar" start_screen
run_test "search narrows the list and Esc clears it" search_narrows
run_test "search finds æ/ø/å names spelled ae/oe/aa" search_danish_spelling
run_test "Enter opens a resident; 1-6 switch sections; Esc returns" open_resident
run_test "? shows the keys; Esc returns" help_screen
run_test "resize to 120x40, 40x10 and back" resize
run_test "q quits with status 0" quit_key
run_test "moving the selection" navigation
run_test "the selection stays on the resident when the list changes" selection_follows
run_test "a wide character that does not fit ends the text" wide_char_cut
finish
