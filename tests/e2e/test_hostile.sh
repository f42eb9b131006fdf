#!/bin/bash
# Hostile text: names, notes, a checklist step's note, an alert and a conflict holding escape
# sequences (ESC ] 0;… BEL sets a terminal's title, ESC [2J clears it), other C0 and C1
# controls, DEL and bidirectional overrides, and 5000-character text, arriving in a bundle. They
# are stored byte for byte; no screen, command or message writes one of them raw to the
# terminal (husly's output stream is captured and searched), the screens keep their layout and
# long text is cut with an ellipsis. Typed on the keyboard, such characters are not taken. A
# bundle with text that is not UTF-8, or an empty name, is refused whole.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# --- the hostile bundle ------------------------------------------------------------------------

T1=h0st1etermn1 T2=h0st1etermn2
R1=h0st1ep3rsn0 S1=h0st1est4y00 N1=h0st1en0te00 # the resident with the hostile text
R2=w1dep3rs0n00 S2=w1dest4y0000 N2=w1den0te0000 # the one with 5000-character text
# The values, as JSON strings. PWNED and the words around each sequence mark it in the output.
NAME_J='Eva \u001b]0;PWNED\u0007Ond\u001b[2JSlut\u009b31mR\u00f8d\u202eTXET\u007f'
ALERT_LOST_J='Allergi \u001b[5mBLINK\u001b[0m \u0085 \u202ekcah'
ALERT_KEPT_J='Epilepsi \u001b]0;PWNED\u0007 ring 112 \u0008\u0008'
NOTE_J='Nat: \u001b]0;PWNED\u0007 uro \u001b[2JSlut\r\nlinje to \u009b2J \u2066isolat\u2069'
STEP_NOTE_J='Ans\u00f8gt \u001b[1;31mR\u00d8D\u001b[0m \u202eevil'
LONG=$(printf 'Meget langt navn %.0s' $(seq 1 300))
LONG=${LONG:0:5000}
# The bytes husly must store for them (printf %b reads \e, \a, \u...).
bytes() { printf '%b' "$(sed 's/\\u001b/\\e/g; s/\\u0007/\\a/g' <<<"$1")"; }
NAME=$(bytes "$NAME_J")

# The sequences that must never reach the terminal raw, as grep -P patterns: an escape or a
# BEL next to a marker word, C1 controls, DEL, bidirectional controls.
RAW_PATTERNS=('\e\]0;PWNED' 'PWNED\a' '\e\[2JSlut' '\e\[5mBLINK' '\e\[1;31mR' '\xc2[\x80-\x9f]'
	'\x7f' '\xe2\x80[\xaa-\xae]' '\xe2\x81[\xa6-\xa9]')

# no_raw FILE WHAT: fails when FILE holds one of RAW_PATTERNS.
no_raw() {
	local p
	for p in "${RAW_PATTERNS[@]}"; do
		if LC_ALL=C grep -qaP -- "$p" "$1"; then
			fail "$2 wrote raw bytes ($p): $(LC_ALL=C grep -aoP -- ".{0,20}$p.{0,20}" "$1" | head -2 | cat -v | tr '\n' '|')"
			return 1
		fi
	done
}

# bundle OUT LINES...: a plain bundle of the lines (a header first), as husly export writes it.
bundle() {
	local out=$1
	shift
	printf '%s\n' "$@" >"$out.txt"
	{
		printf 'HUSLYBNDL\001P'
		cat "$out.txt"
		printf '#husly-end %d %s\n' "$(wc -c <"$out.txt")" "$(b2sum -l 256 "$out.txt" | cut -d' ' -f1)"
	} >"$out"
}

HEADER='{"husly":"changes","format":1,"from":"'$T1'","name":"Ond\u001b]0;PWNED\u0007Terminal","created":"2026-11-24T10:00:00Z","full":0}'
N=0
LINES=()
# change TERMINAL TABLE ROW FIELD NEW-JSON: adds a change line to LINES, each with the next
# clock value.
change() {
	LINES+=("$(printf '{"hlc":"019abd%06x-0000","terminal":"%s","tbl":"%s","row":"%s","field":"%s","old":null,"new":%s,"login":"demo","at":"2026-11-24T10:00:00Z","base":null}' \
		"$N" "$1" "$2" "$3" "$4" "$5")")
	N=$((N + 1))
}

make_bundle() {
	local step=$S1/income_applied
	LINES=("$HEADER")
	change "$T1" resident "$R1" name "\"$NAME_J\""
	change "$T1" resident "$R1" physical_health "\"$LONG\""
	change "$T1" stay "$S1" resident_id "\"$R1\""
	change "$T1" stay "$S1" arrival '"2026-11-20 14:00"'
	change "$T1" stay "$S1" room '"7A"'
	change "$T1" checklist_step "$step" stay_id "\"$S1\""
	change "$T1" checklist_step "$step" step '"income_applied"'
	change "$T1" checklist_step "$step" item '"income"'
	change "$T1" checklist_step "$step" status '"doing"'
	change "$T1" checklist_step "$step" note "\"$STEP_NOTE_J\""
	change "$T1" note "$N1" resident_id "\"$R1\""
	change "$T1" note "$N1" kind '"note"'
	change "$T1" note "$N1" body "\"$NOTE_J\""
	# Two terminals set the alert, neither seeing the other: one is kept as a conflict.
	change "$T1" resident "$R1" alert_medical "\"$ALERT_LOST_J\""
	change "$T2" resident "$R1" alert_medical "\"$ALERT_KEPT_J\""
	change "$T1" resident "$R2" name "\"$LONG\""
	change "$T1" stay "$S2" resident_id "\"$R2\""
	change "$T1" stay "$S2" arrival '"2026-11-21 09:30"'
	change "$T1" stay "$S2" room '"8B"'
	change "$T1" note "$N2" resident_id "\"$R2\""
	change "$T1" note "$N2" kind '"note"'
	change "$T1" note "$N2" body "\"$LONG\""
	bundle "$T/hostile.bundle" "${LINES[@]}"
}

# The shelter's name in husly.conf holds the sequences too (raw bytes in the file).
printf 'shelter = "Herberg\033]0;PWNED\007Nord"\n' >"$T/hostile.conf"
DB=$T/hostile.db
h() { "$HUSLY" -c "$T/hostile.conf" -d "$DB" "$@"; }

setup_db() {
	h demo --residents 3 --seed 1 >/dev/null 2>&1 || return 1
	make_bundle
	h import --plaintext "$T/hostile.bundle" >"$T/import.out" 2>&1
}
if ! setup_db; then
	echo "not ok setup: the hostile bundle was not imported: $(head -c 1000 "$T/import.out" 2>/dev/null)"
	exit 1
fi

# --- stored unchanged ------------------------------------------------------------------------------

stored_unchanged() {
	local want got
	want=$(printf '%s' "$NAME" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
	got=$(sql "$DB" "SELECT hex(name) FROM resident WHERE id = '$R1'")
	[ "$got" = "$want" ] || fail "the name is stored as $got, not $want" || return
	got=$(sql "$DB" "SELECT hex(body) FROM note WHERE id = '$N1'")
	want=$(bytes "$NOTE_J" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
	[ "$got" = "$want" ] || fail "the note is stored as $got, not $want" || return
	got=$(sql "$DB" "SELECT (SELECT length(name) FROM resident WHERE id = '$R2') || ' ' ||
		(SELECT length(physical_health) FROM resident WHERE id = '$R1')")
	[ "$got" = "5000 5000" ] || fail "the long texts are stored with lengths $got" || return
	h dump >"$T/dump" || fail "husly dump failed" || return
	# dump: JSON Lines, with every control and bidirectional override escaped.
	grep -qF "\"name\":\"${NAME_J/\\u00f8/ø}\"" "$T/dump" ||
		fail "the dump does not show the name as stored: $(grep -F "$R1" "$T/dump" | grep -F resident | head -c 300)" ||
		return
	h check >/dev/null || fail "husly check finds problems: $(h check 2>&1 | head -3)" || return
}

# --- the command line ----------------------------------------------------------------------------

commands_harmless() {
	h conflicts --all >"$T/conflicts" 2>&1 || fail "husly conflicts failed" || return
	grep -qF 'Allergi ?[5mBLINK?[0m ? ?kcah' "$T/conflicts" ||
		fail "husly conflicts does not show the lost value with ? for the controls: $(cat -v "$T/conflicts" | head -5)" ||
		return
	no_raw "$T/conflicts" "husly conflicts" || return
	h audit >"$T/audit" 2>&1 || fail "husly audit failed" || return
	grep -qF 'Ond?]0;PWNED?Terminal' "$T/audit" || fail "husly audit does not name the peer: $(cat -v "$T/audit" | tail -2)" || return
	no_raw "$T/audit" "husly audit" || return
	h print "$R1" -o - --format text >"$T/print" 2>&1 || fail "husly print failed" || return
	grep -qF 'Eva ?]0;PWNED?Ond?[2JSlut?31mRød?TXET?' "$T/print" ||
		fail "the print-out does not show the name with ? for the controls: $(head -3 "$T/print" | cat -v)" ||
		return
	no_raw "$T/print" "husly print --format text" || return
	# Error messages that quote what was typed or stored.
	h print "$NAME" -o - --format text >"$T/err1" 2>&1
	"$HUSLY" -c "$T/hostile.conf" -d "$T/$(printf 'x\033]0;PWNED\007y')/h.db" check >"$T/err2" 2>&1
	"$HUSLY" -c "$T/$(printf 'x\033]0;PWNED\007y')" check >"$T/err3" 2>&1
	local f
	for f in err1 err2 err3; do
		[ -s "$T/$f" ] || fail "no message in $f" || return
		no_raw "$T/$f" "an error message ($(head -c 100 "$T/$f" | cat -v))" || return
	done
}

# --- the screens ---------------------------------------------------------------------------------

# record SESSION: husly's output to the terminal, from now on, in $T/SESSION.raw.
record() {
	tmx pipe-pane -t "$1" -o "cat >>$T/$1.raw"
}

# The list row of the resident whose name starts with $2.
row_of() {
	list_rows "$1" | grep -F -- "$2" | head -1
}

screens_harmless() {
	start s -- -c "$T/hostile.conf" -d "$DB" || return
	record s
	wait_for s "8B" || fail "the list did not show: $(screen s | head -8 | tr '\n' '|')" || return
	local eva long other w
	eva=$(row_of s 'Eva ?]0;PWNED?Ond')
	[ -n "$eva" ] || fail "the list has no row 'Eva ?]0;PWNED?Ond...': $(list_rows s | tr '\n' '|')" || return
	long=$(row_of s 'Meget langt navn')
	other=$(list_rows s | grep -v -e Eva -e Meget | head -1)
	w=$(name_width s)
	# The rows keep their columns: the arrival date where every other row has it.
	[ "${eva%%20-11-2026*}" != "$eva" ] && [ "${#other}" -gt 0 ] ||
		fail "no arrival on Eva's row: '$eva'" || return
	local at_eva=${eva%%20-11-2026*} at_long=${long%%21-11-2026*}
	[ "${#at_eva}" = "${#at_long}" ] ||
		fail "the arrival columns differ: '$eva' / '$long'" || return
	[[ $long == *"$(fit "$LONG" "$w")"* ]] ||
		fail "the 5000-character name is not cut to $w columns with …: '$long'" || return
	[[ $(screen_line s 1) == *'Herberg?]0;PWNED?Nord'* ]] ||
		fail "the top line does not show the shelter with ?: '$(screen_line s 1)'" || return
	# Eva's resident screen, every section, then the checklist.
	keys s /
	type_text s 'Eva'
	wait_until 10 test_rows_equal s 1 || fail "searching Eva did not give one row" || return
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open Eva" || return
	wait_for s 'Epilepsi ?]0;PWNED? ring 112 ??' ||
		fail "the alert is not shown with ?: $(screen s | head -8 | tr '\n' '|')" || return
	local n
	for n in 2 3 4 5 6; do
		keys s "$n"
		wait_for s "[$n " || fail "key $n did not show its section" || return
		[ -n "$(screen_line s 24)" ] || fail "section $n lost the bottom line: $(screen s | tr '\n' '|')" || return
	done
	keys s 5
	# Its line break stays one; the carriage return before it is a control.
	wait_for s 'Nat: ?]0;PWNED? uro ?[2JSlut?' && wait_for s 'linje to ?2J ?isolat?' ||
		fail "the note is not shown with ?: $(screen s | tr '\n' '|')" || return
	keys s k
	wait_for s 'Allergi ?[5mBLINK?[0m ? ?kcah' ||
		fail "the conflicts screen does not show the lost value with ?: $(screen s | tr '\n' '|')" || return
	keys s Escape
	wait_for s "[5 $(t Notes)]" || fail "Esc did not go back to the resident" || return
	keys s t
	wait_for s 'Ansøgt ?[1;31mRØD?[0m ?evil' ||
		fail "the checklist does not show the step's note with ?: $(screen s | tr '\n' '|')" || return
	keys s Escape
	wait_for s "[5 $(t Notes)]" || fail "Esc did not go back to the resident" || return
	keys s Escape
	wait_for s "$(t Arrival)" || fail "Esc did not go back to the list: $(screen s | tr '\n' '|')" || return
	# The other resident: 5000 characters of name and note.
	keys s Escape
	wait_gone s "$(t 'clear search')" || fail "Esc did not end the search" || return
	keys s /
	type_text s 'Meget'
	wait_until 10 test_rows_equal s 1 || fail "searching Meget did not give one row: $(screen s | tr "\n" "|")" || return
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open the long-named resident" || return
	screen s | grep -q '^ *Meget langt navn Meget.*…$' ||
		fail "the long name is not cut with … on the resident's screen: $(screen s | head -4 | tr '\n' '|')" || return
	keys s 5
	wait_for s "[5 " || fail "key 5 did not show the notes" || return
	[[ $(screen_line s 24) == *'?'* ]] || fail "the notes section lost the bottom line: $(screen s | tr '\n' '|')" || return
	[ "$(screen s | grep -c .)" -le 24 ] || fail "more than 24 lines" || return
	quit_ok s || return
	LC_ALL=C grep -qaF 'Ond?[2JSlut' "$T/s.raw" ||
		fail "the output recorded ($(wc -c <"$T/s.raw") bytes) does not hold the name as shown" || return
	no_raw "$T/s.raw" "the screens" || return
}

test_rows_equal() { [ "$(count_rows "$1")" -eq "$2" ]; }

# Typed on the keyboard (the real bytes, through tmux), controls and bidirectional overrides are
# not taken into a note; what was typed around them is.
typed_controls_not_taken() {
	local before after
	before=$(sql "$DB" "SELECT count(*) FROM note")
	start k -- -c "$T/hostile.conf" -d "$DB" || return
	record k
	wait_for k "8B" || fail "the list did not show" || return
	keys k /
	type_text k 'Meget'
	wait_until 10 test_rows_equal k 1 || fail "searching Meget did not give one row" || return
	keys k Enter
	wait_for k "[1 $(t Overview)]" || fail "Enter did not open the resident" || return
	keys k a
	wait_for k "$(t 'New note:')" || fail "a did not open a note line" || return
	type_text k "$(printf 'Før\u202eefter\u009b2J\u0085slut\u2066x\u2069')"
	keys k Enter
	wait_for k 'Førefter2Jslutx' ||
		fail "the typed note is not shown as 'Førefter2Jslutx': $(screen k | tr '\n' '|')" || return
	quit_ok k || return
	after=$(sql "$DB" "SELECT count(*) FROM note")
	[ "$after" -eq $((before + 1)) ] || fail "notes: $before before, $after after" || return
	local body
	body=$(sql "$DB" "SELECT body FROM note ORDER BY created_at DESC, rowid DESC LIMIT 1")
	[ "$body" = 'Førefter2Jslutx' ] || fail "the note was stored as '$(cat -v <<<"$body")'" || return
	no_raw "$T/k.raw" "typing a note" || return
}

# --- bundles refused ----------------------------------------------------------------------------

# The message "line N: WHAT", translated.
line_msg() {
	# shellcheck disable=SC2059 # the format is the translation of one
	printf "$(t 'line %ld: %s')" "$1" "$(t "$2")"
}

# refused NAME MESSAGE: a bundle of LINES is refused with MESSAGE, and nothing changes.
refused() {
	local name=$1 message=$2
	bundle "$T/$name.bundle" "${LINES[@]}"
	h dump >"$T/before" || return
	husly_run -c "$T/hostile.conf" -d "$DB" import --plaintext "$T/$name.bundle"
	expect_status 1 "importing $name" || return
	stderr_has "$message" || return
	no_raw "$T/err" "the refusal of $name" || return
	h dump >"$T/after" || return
	cmp -s "$T/before" "$T/after" || fail "$name changed the database" || return
}

invalid_utf8_refused() {
	LINES=("$HEADER")
	change "$T1" resident p3rs0n0fb0ks name '"Gyldig"'
	change "$T1" resident p3rs0n0fb0ks physical_health "$(printf '"Ugyldig \xc3\x28 tekst"')"
	refused invalid-utf8 "$(line_msg 3 'a change with a value that is not UTF-8 text')"
}

empty_name_refused() {
	LINES=("$HEADER")
	change "$T1" resident p3rs0n0fb0ks name '"  "'
	change "$T1" resident p3rs0n0fb0ks gender '"male"'
	refused empty-name "$(line_msg 2 'a resident without a name')"
}

# A clock value past the year 9999: the refusal says how far ahead, with no date it cannot show.
far_future_refused() {
	LINES=("$HEADER")
	LINES+=('{"hlc":"ffffffffffff-0000","terminal":"'"$T1"'","tbl":"resident","row":"p3rs0n0fb0ks","field":"name","old":null,"new":"Fremtid","login":"demo","at":"2026-11-24T10:00:00Z","base":null}')
	local days=$(((0xffffffffffff - $(date -d "$HUSLY_NOW" +%s) * 1000) / 86400000)) msg
	# shellcheck disable=SC2059 # the format is the translation of one
	msg=$(printf "$(t "changes from %s are stamped %llu days ahead of this terminal's clock: one of the two clocks is wrong. Set it right, then export again with --full")" \
		'Ond?]0;PWNED?Terminal' "$days")
	refused far-future "$msg"
}

run_test "hostile text from a bundle is stored byte for byte" stored_unchanged
run_test "conflicts, audit, print and error messages show it harmlessly" commands_harmless
run_test "the list, resident and checklist screens show it harmlessly, long text cut" screens_harmless
run_test "controls typed into a note are not taken" typed_controls_not_taken
run_test "a bundle with text that is not UTF-8 is refused whole" invalid_utf8_refused
run_test "a bundle with an empty name is refused whole" empty_name_refused
run_test "a bundle stamped past the year 9999 is refused, saying how far ahead" far_future_refused
finish
