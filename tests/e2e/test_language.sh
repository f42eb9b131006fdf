#!/bin/bash
# The language: Danish by default, English by LANGUAGE=en or `language = "en"`, the environment
# winning over the configuration.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo

# key_bar_is SESSION LANG: the key bar has the words of that language.
key_bar_is() {
	local bar want
	bar=$(screen_line "$1" 24)
	for want in "/ $(t search "$2")" "$(t Enter "$2") $(t open "$2")" "q $(t quit "$2")"; do
		[[ $bar == *"$want"* ]] || fail "the key bar has no '$want' ($2): '$bar'" || return
	done
}

english_from_environment() {
	start_list s LANGUAGE=en || return
	key_bar_is s en || return
	local bar
	bar=$(screen_line s 24)
	[[ $bar == *"/ search"* && $bar == *"q quit"* ]] || fail "not English: '$bar'" || return
	[[ $(screen_line s 1) == *"Wed 25-11-2026 02:14"* ]] || fail "the top line is not English" ||
		return
	[[ $(screen_line s 4) == *"Room"*"Name"*"Arrival"* ]] ||
		fail "the column titles are not English: '$(screen_line s 4)'" || return
	keys s '?'
	wait_for s "Keys: Resident list" || fail "the help is not English" || return
	keys s NPage # the list's keys fill the first page at 80x24
	wait_for s "Everywhere" || fail "the help is not English" || return
	wait_for s "Leave husly." || fail "the help is not English" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not close the help" || return
	quit_ok s
}

english_from_config() {
	cat >"$T/en.conf" <<'EOF'
# English for the volunteers
shelter = "Herberget Nordhavn"
terminal = "reception-1"
language = "en"
EOF
	start_list s -u LANGUAGE -- -c "$T/en.conf" -d "$DEMO_DB" || return
	local bar
	bar=$(screen_line s 24)
	[[ $bar == *"/ search"* && $bar == *"q quit"* ]] || fail "not English: '$bar'" || return
	quit_ok s
}

danish_by_default() {
	[ -f "$HUSLY_LOCALEDIR/da/LC_MESSAGES/husly.mo" ] ||
		fail "no Danish catalogue at $HUSLY_LOCALEDIR/da/LC_MESSAGES/husly.mo" || return
	[ "$(t search da)" != search ] || fail "the Danish catalogue does not translate 'search'" ||
		return
	start_list s -u LANGUAGE || return
	key_bar_is s da || return
	quit_ok s
}

environment_beats_config() {
	cat >"$T/da.conf" <<'EOF'
shelter = "Herberget Nordhavn"
language = "da"
EOF
	start_list s LANGUAGE=en -- -c "$T/da.conf" -d "$DEMO_DB" || return
	key_bar_is s en || return
	quit_ok s || return
	start_list s2 LANGUAGE=da -- -c "$T/en.conf" -d "$DEMO_DB" || return
	key_bar_is s2 da || return
	quit_ok s2
}

cli_language() {
	local out
	out=$(LANGUAGE=en "$HUSLY" --help 2>&1) || fail "--help failed" || return
	[[ $out == *"Usage: husly"* && $out == *"Commands:"* ]] || fail "--help is not English" || return
	out=$(LANGUAGE=en "$HUSLY" -c db/demo.conf -d "$DEMO_DB" check 2>&1) ||
		fail "check failed: $out" || return
	[[ $out == *"no problems found"* ]] || fail "check does not say 'no problems found': $out" ||
		return
	out=$(env -u LANGUAGE "$HUSLY" -c db/demo.conf -d "$DEMO_DB" check 2>&1) ||
		fail "check failed: $out" || return
	local want
	want=$(t $'%s: no problems found\n' da | sed 's/^%s//')
	want=${want%$'\n'}
	[[ $out == *"$want"* ]] || fail "check in Danish does not say '$want': $out" || return
}

run_test "LANGUAGE=en: English key bar, columns and help" english_from_environment
run_test "language = \"en\" in the configuration: English" english_from_config
run_test "Danish by default" danish_by_default
run_test "LANGUAGE wins over the configuration" environment_beats_config
run_test "commands speak the language too" cli_language
finish
