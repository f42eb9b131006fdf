#!/bin/bash
# Changing a resident's and a stay's fields after the intake (e on the resident screen): the
# value is saved, the old one is in the history (h), and a wrong value is refused.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo

# open_edit SESSION DB ID: starts husly on DB, opens resident ID and its change screen.
open_edit() {
	local s=$1 db=$2 id=$3
	start_list "$s" -- -c db/demo.conf -d "$db" || return
	keys "$s" /
	type_text "$s" "$id"
	keys "$s" Enter
	wait_for "$s" "[1 $(t Overview)]" || fail "could not open resident $id" || return
	keys "$s" e
	wait_for "$s" "$(t 'Municipality notified')" || fail "e did not open the change screen" ||
		return
}

# down SESSION N: N times Down.
down() {
	local i
	for ((i = 0; i < $2; i++)); do keys "$1" Down; done
}

notified_saved_with_history() {
	local db id
	db=$(demo_copy notified)
	id=$(sql "$db" "SELECT r.id FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND s.notified_at IS NULL ORDER BY r.id LIMIT 1")
	[ -n "$id" ] || id=$(sql "$db" "SELECT resident_id FROM stay WHERE departure IS NULL
		ORDER BY resident_id LIMIT 1")
	open_edit e1 "$db" "$id" || return
	down e1 8 # to "Municipality notified"
	keys e1 Enter
	type_text e1 "i går"
	keys e1 Enter
	wait_for e1 "$(t 'Saved.')" || fail "the notification date was not saved" || return
	keys e1 Down Enter
	type_text e1 "telefon"
	keys e1 Enter
	# "telefon" shows while it is typed: wait for the save itself.
	wait_for e1 "$(t 'Saved.')" || fail "how it was notified was not saved" || return
	wait_for e1 "telefon" || fail "how it was notified is not shown" || return
	local got
	got=$(sql "$db" "SELECT notified_at || '|' || notified_how FROM stay
		WHERE resident_id = '$id' AND departure IS NULL")
	[ "$got" = "2026-11-24|telefon" ] || fail "the stay holds '$got'" || return
	local hist
	hist=$(sql "$db" "SELECT count(*) FROM history h JOIN stay s ON s.id = h.row_id
		WHERE s.resident_id = '$id' AND h.field IN ('notified_at', 'notified_how')
		AND h.login = '$(id -un)'")
	[ "$hist" = 2 ] || fail "$hist history rows by the login, expected 2" || return
	keys e1 Up h
	wait_for e1 "$(t 'History of this field')" || fail "h did not show the history" || return
	wait_for e1 "24-11-2026" || fail "the history does not show the new date" || return
	quit_ok e1
}

wrong_value_refused() {
	local db id before
	db=$(demo_copy wrong)
	id=$(sql "$db" "SELECT resident_id FROM stay WHERE departure IS NULL ORDER BY resident_id
		LIMIT 1")
	before=$(sql "$db" "SELECT count(*) FROM history")
	open_edit e2 "$db" "$id" || return
	down e2 10 # to "Assessed"
	keys e2 Enter
	type_text e2 "31-02-2026"
	keys e2 Enter
	wait_for e2 "$(t 'That date does not exist.')" || fail "no message for 31-02-2026" || return
	keys e2 Escape
	[ "$(sql "$db" "SELECT count(*) FROM history")" = "$before" ] ||
		fail "a refused value was written" || return
	# The name cannot be emptied.
	keys e2 Home
	for _ in $(seq 1 12); do keys e2 Up; done
	keys e2 Enter C-u Enter
	wait_for e2 "$(t 'A name is needed (a nickname will do).')" ||
		fail "an empty name was not refused" || return
	quit_ok e2
}

answers_changed() {
	local db id
	db=$(demo_copy answers)
	id=$(sql "$db" "SELECT resident_id FROM stay WHERE departure IS NULL ORDER BY resident_id
		LIMIT 1")
	open_edit e3 "$db" "$id" || return
	# The first cause (eviction) is the row after the 35 fields.
	down e3 35
	wait_for e3 "] $(t Eviction)" || fail "the causes are not listed after the fields" || return
	keys e3 Space
	wait_for e3 "$(t 'Saved.')" || fail "Space on a cause saved nothing" || return
	local v
	v=$(sql "$db" "SELECT value FROM answer WHERE id = '$id/cause/eviction'")
	[ "$v" = yes ] || [ "$v" = no ] || fail "the cause holds '$v'" || return
	local before=$v
	keys e3 Space
	sleep 0.3
	v=$(sql "$db" "SELECT value FROM answer WHERE id = '$id/cause/eviction'")
	[ "$v" != "$before" ] || fail "a second Space did not untick or tick it again" || return
	[ "$(sql "$db" "SELECT count(*) FROM history WHERE row_id = '$id/cause/eviction'")" -ge 2 ] ||
		fail "the answer's changes are not in the history" || return
	quit_ok e3
}

# cpr_seen_as ROLE: a present resident with a CPR number, opened by a login of ROLE.
cpr_seen_as() {
	local role=$1 db id cpr conf
	db=$(demo_copy "cpr_$role")
	conf=$T/$role.conf
	printf 'shelter = "Herberget Nordhavn"\nterminal = "reception-1"\nstaff %s { name = "Test" role = "%s" }\n' \
		"$(id -un)" "$role" >"$conf"
	id=$(sql "$db" "SELECT r.id FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE r.cpr IS NOT NULL AND s.departure IS NULL ORDER BY r.id LIMIT 1")
	cpr=$(sql "$db" "SELECT cpr FROM resident WHERE id = '$id'")
	start_list "c$role" -- -c "$conf" -d "$db" || return
	keys "c$role" /
	type_text "c$role" "$id"
	keys "c$role" Enter
	wait_for "c$role" "[1 $(t Overview)]" || fail "could not open resident $id" || return
	local line
	line=$(screen_line "c$role" 2)
	case $role in
	night) [[ $line == *"${cpr:0:6}-XXXX"* && $line != *"${cpr:6:4}"* ]] ||
		fail "night staff see '$line'" || return ;;
	*) [[ $line == *"${cpr:0:6}-${cpr:6:4}"* ]] || fail "$role sees '$line'" || return ;;
	esac
	quit_ok "c$role"
}
cpr_night() { cpr_seen_as night; }
cpr_coordinator() { cpr_seen_as coordinator; }

run_test "night staff see the CPR number masked" cpr_night
run_test "a coordinator sees the whole CPR number" cpr_coordinator
# A save that fails (here: the resident was erased meanwhile, from another terminal's import or
# a coordinator's command) says why and keeps what was typed in the open field.
failed_save_keeps_text() {
	local db id
	db=$(demo_copy failsave)
	id=$(sql "$db" "SELECT resident_id FROM stay WHERE departure IS NULL ORDER BY resident_id
		LIMIT 1")
	open_edit e9 "$db" "$id" || return
	keys e9 Enter C-u
	type_text e9 "Skrevet Langt Navn"
	husly_run -c /dev/null -d "$db" erase "$id" --yes
	expect_status 0 "erase meanwhile" || return
	keys e9 Enter
	wait_for e9 "$(t 'The resident has been erased.')" || fail "no message for the failed save" ||
		return
	screen e9 | grep -qF "Skrevet Langt Navn" ||
		fail "the typed text is gone: $(screen e9 | tr '\n' '|')" || return
	keys e9 Escape
	sleep 0.3 # a second Esc at once would read as Alt
	quit_ok e9
}

run_test "a stay's notification is changed from the keyboard and kept in its history" \
	notified_saved_with_history
run_test "a wrong date and an empty name are refused, nothing written" wrong_value_refused
run_test "a cause is ticked and unticked with Space, each change in the history" answers_changed
run_test "a save that fails keeps what was typed" failed_save_keeps_text
finish
