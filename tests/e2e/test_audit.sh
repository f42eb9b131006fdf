#!/bin/bash
# husly audit: who opened, changed, printed, dumped, exported or imported what, when and where; for one
# resident, from a day on; only for coordinators (or the one user of an install without a staff
# table).
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
ME=$(id -un)

lists_what_happened() {
	local db id
	db=$(demo_copy audit)
	id=$(sql "$db" "SELECT id FROM resident ORDER BY id LIMIT 1")
	husly_run -c /dev/null -d "$db" print "$id" -o "$T/one.txt"
	expect_status 0 "print" || return
	husly_run -c /dev/null -d "$db" dump
	husly_run -c /dev/null -d "$db" export --plaintext --to kontoret -o "$T/x.bundle"
	expect_status 0 "export" || return
	husly_run -c /dev/null -d "$db" audit
	expect_status 0 "audit" || return
	local action
	for action in print dump export; do
		grep -q "  $action  " "$T/out" || fail "the audit has no $action: $(head -c 600 "$T/out")" ||
			return
	done
	grep -q "^25-11-2026 02:14  $ME  " "$T/out" ||
		fail "an entry does not start with the local time and login: $(head -1 "$T/out")" || return
	# One resident: only their registration (by the demo) and the print about them, with their
	# name.
	local name
	name=$(sql "$db" "SELECT name FROM resident WHERE id = '$id'")
	husly_run -c /dev/null -d "$db" audit --resident "$id"
	expect_status 0 "audit --resident" || return
	[ "$(wc -l <"$T/out")" = 2 ] || fail "audit --resident gave $(wc -l <"$T/out") lines" || return
	grep -q "  demo  .*  create  $name ($id)  new resident, " "$T/out" ||
		fail "no create entry by the demo: $(cat "$T/out")" || return
	grep -q "  $ME  .*  print  $name ($id)  " "$T/out" ||
		fail "the print entry does not name the resident: $(cat "$T/out")" || return
	# From tomorrow on: nothing yet; from today: everything.
	husly_run -c /dev/null -d "$db" audit --since "i morgen"
	expect_status 0 "audit --since tomorrow" || return
	[ ! -s "$T/out" ] || fail "entries from the future: $(cat "$T/out")" || return
	husly_run -c /dev/null -d "$db" audit --since 25-11-2026
	[ -s "$T/out" ] || fail "nothing since today" || return
	husly_run -c /dev/null -d "$db" audit --since someday
	expect_status 2 "audit --since someday" || return
	stderr_has someday
}

coordinators_only() {
	local db
	db=$(demo_copy audit2)
	printf 'staff %s { name = "Nat" role = "night" }\n' "$ME" >"$T/night.conf"
	husly_run -c "$T/night.conf" -d "$db" audit
	expect_status 1 "audit by night staff" || return
	[ ! -s "$T/out" ] || fail "night staff saw the audit log" || return
	printf 'staff %s { name = "Koordinator" role = "coordinator" }\n' "$ME" >"$T/coord.conf"
	husly_run -c "$T/coord.conf" -d "$db" audit
	expect_status 0 "audit by a coordinator" || return
}

# Every change made here is in the log, one entry per resident and transaction, naming the
# fields and never their values; the chain of entries checks out.
lists_changes() {
	local db
	db=$(demo_copy changes)
	husly_run -c /dev/null -d "$db" demo --residents 0 --edits 12 --seed 7
	expect_status 0 "demo --edits" || return
	husly_run -c /dev/null -d "$db" audit
	expect_status 0 "audit" || return
	# Some edits change nothing (a value it already had): at least a few entries, and each
	# names a resident and fields, and nothing else.
	local changes fields
	changes=$(grep -c "  demo  .*  change  " "$T/out")
	[ "$changes" -ge 5 ] || fail "$changes change entries for 12 edits" || return
	fields=$(grep -c "  demo  .*  change  .* ([0-9a-z]\{12\})  [a-z_]*\.[a-z_]*\(, [a-z_]*\.[a-z_]*\)*$" "$T/out")
	[ "$fields" = "$changes" ] ||
		fail "change entries with more than fields: $(grep "  change  " "$T/out" | head -c 1500)" ||
		return
	# No value: the rooms and the medical alerts the edits wrote are not in the log.
	local room
	room=$(sql "$db" "SELECT new_value FROM history WHERE field = 'room' ORDER BY seq DESC LIMIT 1")
	[ -z "$room" ] || ! grep "  change  " "$T/out" | grep -qF -- "  stay.room  $room" ||
		fail "a value is in the log" || return
	husly_run -c /dev/null -d "$db" check
	expect_status 0 "check" || return
}

run_test "audit lists prints, dumps and exports; --resident and --since narrow it" lists_what_happened
run_test "audit lists every change, by resident, with the fields and no values" lists_changes
run_test "only a coordinator reads the audit log" coordinators_only
finish
