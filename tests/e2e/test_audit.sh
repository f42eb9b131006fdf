#!/bin/bash
# husly audit: who opened, printed, dumped, exported or imported what, when and where; for one
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
	# One resident: only the print about them, with their name.
	local name
	name=$(sql "$db" "SELECT name FROM resident WHERE id = '$id'")
	husly_run -c /dev/null -d "$db" audit --resident "$id"
	expect_status 0 "audit --resident" || return
	[ "$(wc -l <"$T/out")" = 1 ] || fail "audit --resident gave $(wc -l <"$T/out") lines" || return
	grep -qF "$name ($id)" "$T/out" || fail "the entry does not name the resident" || return
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

run_test "audit lists prints, dumps and exports; --resident and --since narrow it" lists_what_happened
run_test "only a coordinator reads the audit log" coordinators_only
finish
