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
	[[ $bar == *"s $(t sort)"* ]] || fail "no 's $(t sort)' in the key bar: '$bar'" || return
	[[ $bar == *"f $(t filter)"* ]] || fail "no 'f $(t filter)' in the key bar: '$bar'" || return
	local header
	header=$(screen_line s 2)
	[[ $header == *"$(fmt 'filter: %s' "$(t present)")"*"$(fmt 'sort: %s' "$(t room)")"* ]] ||
		fail "the header does not show the filter and the order: '$header'" || return
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
	wait_for s "$(t 'Open the selected resident.')" || fail "? did not show the help" || return
	local help
	# Long sentences wrap: compare with the lines joined and the spaces folded.
	help=$(screen s | tr -s ' \n' '  ')
	keys s NPage # the help is longer than 24 rows: read the rest too
	wait_for s "$(t Everywhere)" || fail "the help has no keys for everywhere" || return
	help+=$(screen s | tr -s ' \n' '  ')
	keys s PPage
	local want
	for want in "$(t 'Search by name, id, birth date or room; narrows as you type.')" \
		"$(t 'Open the selected resident.')" "$(t 'Leave husly.')" \
		"$(t 'Sort by room, name, newest arrival or longest stay.')" \
		"$(t 'Show present, moved out, everyone, or present with a warning.')" \
		"$(t 'Go back to the previous screen.')" "Esc" "Enter" \
		"$(t "Print the selected resident's move-out checklist.")"; do
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

# --- sorting, filtering, searching by birth date and room ------------------------------------

# fmt MSGID ARG: the translation of a message with one %s, filled in.
fmt() {
	local f
	f=$(t "$1")
	printf '%s' "${f/\%s/$2}"
}

header_has() { [[ $(screen_line "$1" 2) == *"$2"* ]]; }
# test_names_are SESSION NAMES [sort]: the names on screen are NAMES (sorted first with "sort").
test_names_are() {
	if [ "${3:-}" = sort ]; then
		[ "$(screen_names "$1" | sort)" = "$2" ]
	else
		[ "$(screen_names "$1")" = "$2" ]
	fi
}

# "Name…  " -> "Name": a name as compared between the screen and the database.
norm_name() {
	local n=${1%…}
	printf '%s\n' "${n%"${n##*[! ]}"}"
}

# The names in the list's rows on screen, one a line (cut to the column, as drawn).
screen_names() {
	local w line
	w=$(name_width "$1")
	list_rows "$1" | while IFS= read -r line; do norm_name "${line:7:w}"; done
}

# expected_names SESSION NAMES: the first of NAMES (one a line) as SESSION's name column draws
# them, as many as the screen has room for.
expected_names() {
	local w n name
	w=$(name_width "$1")
	n=$(($(pane_height "$1") - 6))
	head -n "$n" <<<"$2" | while IFS= read -r name; do norm_name "$(fit "$name" "$w")"; done
}

TODAY=${HUSLY_NOW%% *}

# list_in_order DB FILTER ORDER: the names the list holds for a filter (present, moved_out,
# all) in an order (room, name, arrival, days), as the documentation defines them.
list_in_order() {
	local from order
	case $2 in
	present) from="FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND r.erased_at IS NULL" ;;
	*) from="FROM resident r LEFT JOIN stay s ON s.id = (SELECT id FROM stay
		WHERE resident_id = r.id ORDER BY arrival DESC, id DESC LIMIT 1)
		WHERE r.erased_at IS NULL" ;;
	esac
	[ "$2" = moved_out ] && from+=" AND EXISTS (SELECT 1 FROM stay o WHERE o.resident_id = r.id)
		AND NOT EXISTS (SELECT 1 FROM stay o WHERE o.resident_id = r.id AND o.departure IS NULL)"
	case $3 in
	room) order="s.room IS NULL, CAST(s.room AS INTEGER), s.room," ;;
	name) order="" ;;
	arrival) order="s.arrival IS NULL, s.arrival DESC," ;;
	days) order="s.arrival IS NULL, julianday(substr(coalesce(s.departure, '$TODAY'), 1, 10))
		- julianday(substr(s.arrival, 1, 10)) DESC," ;;
	esac
	sql "$1" "SELECT r.name $from ORDER BY $order r.name_key, r.id"
}

# same_names SESSION WHAT NAMES: fails unless the rows on screen are the first of NAMES.
same_names() {
	local want got
	want=$(expected_names "$1" "$3")
	got=$(screen_names "$1")
	[ -n "$got" ] || fail "$2: no rows on screen" || return
	[ "$got" = "$want" ] ||
		fail "$2: the rows are '$(tr '\n' '|' <<<"$got")', expected '$(tr '\n' '|' <<<"$want")'"
}

# shows SESSION WHAT NAMES: waits until the rows on screen are the first of NAMES.
shows() {
	wait_until 10 same_names "$@" || same_names "$@"
}

# searched SESSION TEXT ROWS: the header shows the search TEXT being typed, and ROWS rows.
searched() {
	local f
	f=$(t 'search: %s%s (%ld)')
	header_has "$1" "${f%%\%s*}$2_" && test_rows_equal "$1" "$3"
}

# The arrival (yyyymmdd) and days of the rows on screen: "20261107 18".
screen_arrival_days() {
	list_rows "$1" | sed -E 's/.* ([0-9]{2})-([0-9]{2})-([0-9]{4}) +([0-9]+) .*/\3\2\1 \4/'
}

# The selected resident's name, by opening them and coming back to the list.
selected_name() {
	keys "$1" Enter
	wait_for "$1" "[1 $(t Overview)]" || { echo "(Enter opened nobody)"; return; }
	screen_line "$1" 2 | sed -E 's/^ //; s/ · .*//'
	keys "$1" Escape
	wait_gone "$1" "[1 $(t Overview)]"
	wait_until 10 rows_at_least "$1" 1
}

sort_cycles() {
	start_list s || return
	local order label
	for order in name arrival days room; do
		case $order in
		name) label=$(t name) ;; arrival) label=$(t arrival) ;;
		days) label="$(t 'days stayed')" ;; room) label=$(t room) ;;
		esac
		keys s s
		wait_until 5 header_has s "$(fmt 'sort: %s' "$label")" ||
			fail "s did not show '$(fmt 'sort: %s' "$label")': '$(screen_line s 2)'" || return
		header_has s "$(fmt 'filter: %s' "$(t present)")" ||
			fail "the filter left the header: '$(screen_line s 2)'" || return
		wait_until 5 test_rows_equal s "$((PRESENT < 18 ? PRESENT : 18))" ||
			fail "sorted by $order: $(count_rows s) rows" || return
		shows s "sorted by $order" "$(list_in_order "$DEMO_DB" present "$order")" || return
		# Read back from the screen: the order holds.
		case $order in
		arrival) screen_arrival_days s | cut -d' ' -f1 | sort -c -r -n ||
			fail "arrivals not newest first: $(screen_arrival_days s | tr '\n' '|')" || return ;;
		days) screen_arrival_days s | cut -d' ' -f2 | sort -c -r -n ||
			fail "days not longest first: $(screen_arrival_days s | tr '\n' '|')" || return ;;
		room) list_rows s | cut -c2-6 | sed 's/ *$//' | grep . | sed -E 's/^([0-9]+)/\1 /' |
			sort -c -k1,1n -k2,2 ||
			fail "rooms not in order: $(list_rows s | cut -c2-6 | tr '\n' '|')" || return ;;
		esac
	done
	quit_ok s
}

filter_cycles() {
	start_list s || return
	tmx resize-window -t s -x 80 -y 60 # every resident present on one screen
	local rows=54
	wait_until 10 test_rows_equal s "$((PRESENT < rows ? PRESENT : rows))" ||
		fail "at 80x60: $(count_rows s) rows of $PRESENT present" || return
	# The present with a warning, as their rows show it.
	local warned
	warned=$(list_rows s | grep -E '⚠|⚑| ! ' | while IFS= read -r l; do
		norm_name "${l:7:$(name_width s)}"
	done)
	local total moved
	total=$(sql "$DEMO_DB" "SELECT count(*) FROM resident WHERE erased_at IS NULL")
	moved=$(list_in_order "$DEMO_DB" moved_out room | wc -l)
	[ "$moved" -gt 0 ] && [ "$total" -gt "$PRESENT" ] || fail "the demo has nobody moved out" ||
		return

	keys s f
	wait_until 5 header_has s "$(fmt 'filter: %s' "$(t 'moved out')")" ||
		fail "f did not show '$(fmt 'filter: %s' "$(t 'moved out')")'" || return
	wait_until 10 test_rows_equal s "$((moved < rows ? moved : rows))" ||
		fail "moved out: $(count_rows s) rows, expected $moved" || return
	shows s "moved out" "$(list_in_order "$DEMO_DB" moved_out room)" || return
	# Nobody present among them.
	local both
	both=$(comm -12 <(screen_names s | sort) <(present_names "$DEMO_DB" | sort))
	[ -z "$both" ] || fail "residents present shown as moved out: $both" || return

	keys s f
	wait_until 5 header_has s "$(fmt 'filter: %s' "$(t everyone)")" ||
		fail "f did not show '$(fmt 'filter: %s' "$(t everyone)")'" || return
	wait_until 10 test_rows_equal s "$((total < rows ? total : rows))" ||
		fail "everyone: $(count_rows s) rows, expected $total" || return
	shows s "everyone" "$(list_in_order "$DEMO_DB" all room)" || return

	keys s f
	wait_until 5 header_has s "$(fmt 'filter: %s' "$(t flagged)")" ||
		fail "f did not show '$(fmt 'filter: %s' "$(t flagged)")'" || return
	[ -n "$warned" ] && [ "$(wc -l <<<"$warned")" -lt "$PRESENT" ] ||
		fail "the demo should have some but not all residents present with a warning" || return
	wait_until 10 test_rows_equal s "$(wc -l <<<"$warned")" ||
		fail "flagged: $(count_rows s) rows, expected $(wc -l <<<"$warned")" || return
	wait_until 10 test_names_are s "$warned" ||
		fail "flagged: '$(screen_names s | tr '\n' '|')', expected '$(tr '\n' '|' <<<"$warned")'" ||
		return
	# The flagged filter sorts too.
	keys s s
	wait_until 5 header_has s "$(fmt 'sort: %s' "$(t name)")" || fail "s did not sort the flagged" ||
		return
	wait_until 10 test_names_are s "$(sort <<<"$warned")" sort ||
		fail "sorting changed who is flagged: $(screen_names s | tr '\n' '|')" || return

	keys s f
	wait_until 5 header_has s "$(fmt 'filter: %s' "$(t present)")" ||
		fail "f did not come back to '$(t present)'" || return
	wait_until 10 test_rows_equal s "$((PRESENT < rows ? PRESENT : rows))" ||
		fail "present again: $(count_rows s) rows" || return
	quit_ok s
}

# The selected resident stays selected when the order or the filter changes and they are still
# in the list; when they are not, the first row is.
selection_across_changes() {
	start_list s || return
	keys s Down Down Down Down
	local name
	name=$(list_in_order "$DEMO_DB" present room | sed -n 5p)
	[ "$(selected_name s)" = "$name" ] || fail "the fifth row is not '$name'" || return
	local order label
	for order in name arrival days room; do
		label=$order
		[ "$order" = days ] && label='days stayed'
		keys s s
		wait_until 5 header_has s "$(fmt 'sort: %s' "$(t "$label")")" ||
			fail "s did not sort by $order" || return
		[ "$(selected_name s)" = "$name" ] ||
			fail "sorted by $order, the selection moved off '$name' to '$(selected_name s)'" ||
			return
	done
	# Moved out: they are not in it, so the first row is selected.
	keys s f
	wait_until 5 header_has s "$(fmt 'filter: %s' "$(t 'moved out')")" ||
		fail "f did not show the moved out" || return
	local first
	first=$(list_in_order "$DEMO_DB" moved_out room | sed -n 1p)
	[ "$(selected_name s)" = "$first" ] ||
		fail "moved out: '$first' should be selected, not '$(selected_name s)'" || return
	# The last of the moved out, far down, is found again among everyone, and shown.
	keys s G
	local last
	last=$(list_in_order "$DEMO_DB" moved_out room | tail -1)
	[ "$(selected_name s)" = "$last" ] || fail "G did not select '$last'" || return
	keys s f
	wait_until 5 header_has s "$(fmt 'filter: %s' "$(t everyone)")" || fail "f did not show everyone" ||
		return
	[ "$(selected_name s)" = "$last" ] || fail "with everyone, the selection left '$last'" || return
	screen_names s | grep -qxF -- "$(norm_name "$(fit "$last" "$(name_width s)")")" ||
		fail "'$last' is selected but not on screen" || return
	# Flagged: the second flagged resident stays selected back among those present.
	keys s f
	wait_until 5 header_has s "$(fmt 'filter: %s' "$(t flagged)")" || fail "f did not show the flagged" ||
		return
	keys s Down
	local second
	second=$(selected_name s)
	[ "$(norm_name "$(fit "$second" "$(name_width s)")")" = "$(screen_names s | sed -n 2p)" ] ||
		fail "Down did not select the second flagged resident but '$second'" || return
	keys s f
	wait_until 5 header_has s "$(fmt 'filter: %s' "$(t present)")" || fail "f did not show the present" ||
		return
	[ "$(selected_name s)" = "$second" ] || fail "back to present, the selection left '$second'" ||
		return
	quit_ok s
}

# A present resident whose birth date nobody else present shares, in any century ("id|name|
# yyyy-mm-dd").
unique_birth() {
	sql "$DEMO_DB" "WITH p AS (SELECT r.id, r.name, r.birth_date, r.cpr FROM resident r
		JOIN stay s ON s.resident_id = r.id WHERE s.departure IS NULL AND r.erased_at IS NULL)
		SELECT id || '|' || name || '|' || birth_date FROM p a WHERE birth_date IS NOT NULL
		AND length(name) <= $1
		AND (SELECT count(*) FROM p b WHERE substr(b.birth_date, 3) = substr(a.birth_date, 3)
		     OR substr(b.cpr, 1, 6) = substr(a.birth_date, 9, 2) || substr(a.birth_date, 6, 2)
		        || substr(a.birth_date, 3, 2)) = 1
		ORDER BY name LIMIT 1"
}

search_birth_date() {
	start_list s || return
	local row name birth y m d
	row=$(unique_birth "$(name_width s)")
	[ -n "$row" ] || fail "no present resident with a birth date of their own" || return
	name=$(cut -d'|' -f2 <<<"$row")
	birth=$(cut -d'|' -f3 <<<"$row")
	y=${birth:0:4} m=${birth:5:2} d=${birth:8:2}
	local typed
	for typed in "$d-$m-$y" "$d$m${y:2}" "$((10#$d)).$((10#$m)).${y:2}" "$d$m$y"; do
		keys s /
		type_text s "$typed"
		wait_until 10 searched s "$typed" 1 ||
			fail "searching '$typed' (born $birth): $(count_rows s) rows, expected 1" || return
		rows_contain s "$name" || fail "searching '$typed' did not find '$name': $(list_rows s)" ||
			return
		leave_search s || return
	done
	# Another day finds nobody born then (unless someone was).
	local other
	other=$(sql "$DEMO_DB" "SELECT count(*) FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL
		AND r.birth_date = date('$birth', '+1 day')")
	keys s /
	typed=$(date -d "$birth + 1 day" +%d-%m-%Y)
	type_text s "$typed"
	wait_until 10 searched s "$typed" "$other" ||
		fail "the day after: $(count_rows s) rows, expected $other" || return
	leave_search s || return
	quit_ok s
}

search_room() {
	start_list s || return
	local room lower expect
	room=$(sql "$DEMO_DB" "SELECT s.room FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND r.erased_at IS NULL AND s.room GLOB '*[A-Z]'
		ORDER BY CAST(s.room AS INTEGER) DESC, s.room LIMIT 1")
	[ -n "$room" ] || fail "no present resident in a room with a letter" || return
	lower=$(tr 'A-Z' 'a-z' <<<"$room")
	# Those in the room, and (by chance) anyone whose id starts with what is typed.
	expect=$(sql "$DEMO_DB" "SELECT count(*) FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL
		AND (lower(s.room) = '$lower' OR substr(r.id, 1, ${#lower}) = '$lower')")
	keys s /
	type_text s "$lower"
	wait_until 10 searched s "$lower" "$expect" ||
		fail "searching '$lower': $(count_rows s) rows, expected $expect" || return
	local rooms
	rooms=$(list_rows s | cut -c2-6 | sed 's/ *$//' | sort -u)
	[ "$rooms" = "$room" ] || fail "searching '$lower' showed rooms '$(tr '\n' ' ' <<<"$rooms")', not $room" ||
		return
	leave_search s || return
	# Part of a room is no room: the number alone does not find the letters.
	local number=${room%%[A-Z]*} n
	n=$(sql "$DEMO_DB" "SELECT count(*) FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL
		AND (lower(s.room) = '$number' OR substr(r.id, 1, ${#number}) = '$number'
		     OR instr(r.name_key, '$number') > 0)")
	keys s /
	type_text s "$number"
	wait_until 10 searched s "$number" "$n" ||
		fail "searching '$number': $(count_rows s) rows, expected $n" || return
	leave_search s || return
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
run_test "s cycles the order: name, arrival, days stayed, room" sort_cycles
run_test "f cycles the filter: moved out, everyone, flagged, present" filter_cycles
run_test "the selection stays on the resident across orders and filters" selection_across_changes
run_test "search by birth date, typed the Danish ways" search_birth_date
run_test "search by room" search_room
finish
