#!/bin/bash
# Terminals that are not a modern UTF-8 xterm, and text that tries to talk to the terminal.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo

# The list shows under TERM=$1 (no colour on vt100) and q ends husly cleanly.
under_term() {
	start_list s "TERM=$1" || return
	[[ $(screen_line s 1) == *"Herberget Nordhavn"* ]] || fail "no top line under TERM=$1" || return
	[[ $(screen_line s 24) == *"/ $(t search)"* ]] || fail "no key bar under TERM=$1" || return
	# Keys work too: open a resident and come back.
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open a resident under TERM=$1" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not return under TERM=$1" || return
	quit_ok s
}

# A terminal type with no terminfo entry is refused with a message, not a crash.
unknown_term() {
	start s TERM=no-such-terminal-xyz
	wait_until 10 is_dead s || fail "husly kept running with an unknown TERM" || return
	local st
	st=$(cat "$T/s.status")
	[ "$st" != 0 ] || fail "an unknown TERM ended with status 0" || return
	[ "$st" -lt 128 ] || fail "husly died of a signal: $(exit_report s)" || return
	grep -q "no-such-terminal-xyz" "$T/s.err" || fail "the message does not name the terminal type: $(exit_report s)" ||
		return
}

# Bytes outside ASCII in a text (prints how many).
non_ascii_bytes() {
	printf '%s' "$1" | LC_ALL=C tr -d '\000-\177' | wc -c
}

# "Søren Ærø" -> "Soeren Aeroe", as husly spells Danish letters on an ASCII terminal.
ascii_spelling() {
	sed -e 's/æ/ae/g; s/ø/oe/g; s/å/aa/g; s/Æ/Ae/g; s/Ø/Oe/g; s/Å/Aa/g'
}

not_utf8() {
	# A present resident with a Danish letter whose name fits the list.
	start_list s LANG=C LC_ALL=C || return
	# A present resident with a Danish letter whose ASCII spelling fits the name column.
	local name ascii w
	w=$(name_width s)
	while IFS= read -r name; do
		ascii=$(printf '%s' "$name" | ascii_spelling)
		[ "${#ascii}" -le "$w" ] && break
		name=
	done < <(present_names "$DEMO_DB" | grep -E '^[A-Za-zæøåÆØÅ -]+$' | grep -E '[æøåÆØÅ]')
	[ -n "$name" ] || fail "no present resident with æ, ø or å whose name fits $w columns" || return
	local top
	top=$(screen_line s 1)
	[[ $top == *"Herberget Nordhavn - reception-1"* ]] ||
		fail "the top line does not use ASCII separators: '$top'" || return
	keys s /
	type_text s "$ascii"
	wait_until 10 rows_contain s "$ascii" ||
		fail "'$name' is not shown as '$ascii': $(list_rows s | head -3)" || return
	local scr n
	scr=$(screen s)
	n=$(non_ascii_bytes "$scr")
	[ "$n" -eq 0 ] || fail "$n bytes above 127 on the screen: $(printf '%s' "$scr" | grep -n '[^ -~]' | head -3)" || return
	# A resident's page too.
	keys s Enter
	wait_for s "[1 " || fail "Enter did not open '$ascii'" || return
	wait_for s "$ascii" || fail "the resident's heading does not spell '$ascii'" || return
	keys s 6
	wait_for s "[6 " || fail "key 6 did not show the history" || return
	wait_for s "->" || fail "the history has no ASCII arrow" || return
	scr=$(screen s)
	n=$(non_ascii_bytes "$scr")
	[ "$n" -eq 0 ] || fail "$n bytes above 127 on the resident's page" || return
	keys s Escape
	wait_until 10 rows_contain s "$ascii" || fail "Esc did not return to the list" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not clear the search" || return
	quit_ok s
}

rows_contain() { list_rows "$1" | grep -qF -- "$2"; }

# A resident whose name is full of terminal escapes, written with sqlite3 behind husly's back.
HOSTILE_NAME_SQL="'A' || char(27) || ']0;pwned' || char(7) || 'B' || char(27) || '[31mC' ||
	char(155) || 'D' || CAST(x'9b' AS TEXT) || 'E' || char(8238)"
HOSTILE_SHOWN='A?]0;pwned?B?[31mC?D?E?'

hostile_db() {
	local db
	db=$(demo_copy hostile)
	sql "$db" "
		INSERT INTO resident (id, name, name_key, created_at, created_by, updated_at,
			updated_by, alert_medical)
		VALUES ('evi1evi1evi1', $HOSTILE_NAME_SQL, 'a 0 pwned b 31mc d e',
			'2026-11-24T09:00:00Z', 'sql', '2026-11-24T09:00:00Z', 'sql',
			'pills' || char(27) || '[2J' || char(27) || ']2;pwned2' || char(27) || '\\');
		INSERT INTO stay (id, resident_id, arrival, departure, room, created_at, created_by,
			updated_at, updated_by)
		VALUES ('evi1stay0000', 'evi1evi1evi1', '2026-11-24 10:00', NULL, '0',
			'2026-11-24T09:00:00Z', 'sql', '2026-11-24T09:00:00Z', 'sql');" || return
	echo "$db"
}

escape_in_names() {
	local db
	db=$(hostile_db) || fail "could not add the hostile resident" || return
	start_list s -- -c db/demo.conf -d "$db" || return
	local title0 shown
	title0=$(tmx display -p -t s '#{pane_title}')
	shown=$(fit "$HOSTILE_SHOWN" "$(name_width s)")
	wait_until 10 rows_contain s "$shown" ||
		fail "the list does not show '$shown': $(list_rows s | head -2)" || return
	local row
	row=$(list_rows s | head -1)
	[[ $row == *"$shown"* ]] || fail "the hostile resident (room 0) is not first: '$row'" ||
		return
	local scr
	scr=$(tmx capture-pane -p -t s)
	[[ $scr != *$'\e'* ]] || fail "an ESC byte reached the screen" || return
	# Colour escapes: the selected row has no colour of its own, so a red there came from
	# the name.
	local styled
	styled=$(tmx capture-pane -e -p -t s | sed -n 5p)
	if grep -qE $'\e\\[([0-9;]*;)?31(;[0-9;]*)?m' <<<"$styled"; then
		fail "the name turned the row red: $(printf '%q' "$styled")"
		return
	fi
	local title
	title=$(tmx display -p -t s '#{pane_title}')
	[[ $title != *pwned* ]] || fail "the window title was changed to '$title'" || return
	# The resident's page: the heading and the medical alert, sanitised as well.
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open the hostile resident" || return
	wait_for s "$HOSTILE_SHOWN" || fail "the heading does not show '$HOSTILE_SHOWN'" || return
	wait_for s "pills?[2J?]2;pwned2?\\" ||
		fail "the medical alert is not shown sanitised: $(screen s | sed -n 2,4p)" || return
	keys s 2
	wait_for s "[2 $(t Intake)]" || fail "key 2 did not show the intake" || return
	title=$(tmx display -p -t s '#{pane_title}')
	[[ $title != *pwned* ]] || fail "the window title was changed to '$title'" || return
	[ "$title" = "$title0" ] || fail "the window title changed from '$title0' to '$title'" || return
	# The screen was not cleared by the \e[2J: the top line is still there.
	[[ $(screen_line s 1) == *"Herberget Nordhavn"* ]] || fail "the top line was wiped" || return
	keys s Escape
	wait_until 10 rows_contain s "$shown" || fail "Esc did not return to the list" || return
	quit_ok s || return
	# husly check names the resident without the escapes either.
	"$HUSLY" -c db/demo.conf -d "$db" check >"$T/check.out" 2>&1
	if grep -q $'\e' "$T/check.out"; then
		fail "husly check printed an ESC byte"
		return
	fi
}

# The same under an ASCII terminal: the C1 character must not come out as a raw 0x9b either.
escape_in_names_ascii() {
	local db
	db=$(hostile_db) || fail "could not add the hostile resident" || return
	start_list s LANG=C LC_ALL=C TERM=vt100 -- -c db/demo.conf -d "$db" || return
	local shown
	shown=$(fit "$HOSTILE_SHOWN" "$(name_width s)" ">")
	wait_until 10 rows_contain s "$shown" ||
		fail "the list does not show '$shown': $(list_rows s | head -2)" || return
	keys s Enter
	wait_for s "$HOSTILE_SHOWN" || fail "the heading does not show '$HOSTILE_SHOWN'" || return
	keys s Escape
	wait_until 10 rows_contain s "$shown" || fail "Esc did not return to the list" || return
	local n
	n=$(non_ascii_bytes "$(screen s)")
	[ "$n" -eq 0 ] || fail "$n bytes above 127 on the screen" || return
	[[ $(tmx display -p -t s '#{pane_title}') != *pwned* ]] || fail "the window title changed" || return
	quit_ok s
}

run_test "TERM=vt100: the list shows" under_term vt100
run_test "TERM=linux: the list shows" under_term linux
run_test "TERM=screen: the list shows" under_term screen
run_test "TERM=xterm-256color: the list shows" under_term xterm-256color
run_test "unknown TERM is refused with a message" unknown_term
run_test "LANG=C: Danish letters spelled in ASCII, no byte above 127" not_utf8
run_test "escape sequences in names are shown as ? and never reach the terminal" escape_in_names
run_test "escape sequences in names on an ASCII vt100" escape_in_names_ascii
finish
