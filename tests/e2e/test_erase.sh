#!/bin/bash
# husly erase: a resident erased for good (GDPR), by a coordinator, after a question or --yes;
# nothing of them left in the database file or its WAL; the erasure in the audit log and in
# the next bundle.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
ME=$(id -un)
SECRET="Zyxwq Qvistrup"

# A present resident renamed to a name found nowhere else, so its bytes can be looked for.
marked_resident() {
	local db=$1 id
	id=$(sql "$db" "SELECT r.id FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL ORDER BY r.id LIMIT 1")
	sql "$db" "UPDATE resident SET name = '$SECRET', name_key = 'zyxwq qvistrup',
		alert_medical = 'Zyxwq-diabetes' WHERE id = '$id'"
	echo "$id"
}

erased_everywhere_in_the_file() {
	local db id
	db=$(demo_copy erase)
	id=$(marked_resident "$db")
	grep -qa "Zyxwq" "$db" "$db-wal" 2>/dev/null || fail "the marked name is not in the file to begin with" || return
	husly_run -c /dev/null -d "$db" erase "$id" --yes
	expect_status 0 "erase --yes" || return
	[ "$(sql "$db" "SELECT name || '|' || (erased_at IS NOT NULL) FROM resident WHERE id = '$id'")" = "|1" ] ||
		fail "the resident row is not a tombstone" || return
	[ "$(sql "$db" "SELECT count(*) FROM stay WHERE resident_id = '$id'")" = 0 ] ||
		fail "the resident's stays are still there" || return
	[ "$(sql "$db" "SELECT count(*) FROM history WHERE row_id = '$id' AND field NOT IN ('erased_at', 'erased_by')")" = 0 ] ||
		fail "the resident's history is still there" || return
	# No byte of the name or the health note left in the database file or its WAL.
	! grep -qa "Zyxwq" "$db" "$db-wal" 2>/dev/null || fail "erased text is still in the file or its WAL" || return
	husly_run -c /dev/null -d "$db" check
	expect_status 0 "check after an erasure" || return
	husly_run -c /dev/null -d "$db" audit --resident "$id"
	grep -q "  erase  " "$T/out" || fail "the erasure is not in the audit log: $(cat "$T/out")" || return
	# The erasure travels: a terminal that has the resident gets it.
	cp "$DEMO_DB" "$T/other.db"
	husly_run -c /dev/null -d "$db" export --plaintext --to other -o "$T/e.bundle"
	expect_status 0 "export after the erasure" || return
	husly_run -c /dev/null -d "$T/other.db" import --plaintext "$T/e.bundle"
	expect_status 0 "import of the erasure" || return
	[ "$(sql "$T/other.db" "SELECT erased_at IS NOT NULL FROM resident WHERE id = '$id'")" = 1 ] ||
		fail "the erasure did not reach the other terminal"
}

asks_first_and_only_coordinators() {
	local db id
	db=$(demo_copy erase2)
	id=$(marked_resident "$db")
	husly_run -c /dev/null -d "$db" erase "$id"
	expect_status 2 "erase without --yes and no terminal to ask on" || return
	stderr_has "--yes" || return
	printf 'staff %s { name = "Nat" role = "night" }\n' "$ME" >"$T/night.conf"
	husly_run -c "$T/night.conf" -d "$db" erase "$id" --yes
	expect_status 1 "erase by night staff" || return
	husly_run -c /dev/null -d "$db" erase "Nobody Withthisname" --yes
	expect_status 1 "erase someone unknown" || return
	[ "$(sql "$db" "SELECT name FROM resident WHERE id = '$id'")" = "$SECRET" ] ||
		fail "a refused erase erased" || return
	# Asked on a terminal, anything but yes erases nothing.
	if command -v script >/dev/null 2>&1; then
		echo nej | script -qec "$HUSLY -c /dev/null -d $db erase $id" /dev/null >/dev/null 2>&1
		[ "$(sql "$db" "SELECT name FROM resident WHERE id = '$id'")" = "$SECRET" ] ||
			fail "an answer other than yes erased" || return
	fi
}

run_test "erase: a tombstone is left, and no byte of the name or the health note in the file or WAL; audited; travels" erased_everywhere_in_the_file
run_test "erase asks first (or --yes), only for coordinators; refusals erase nothing" asks_first_and_only_coordinators
finish
