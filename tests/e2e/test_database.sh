#!/bin/bash
# The database file: init makes a new one and nothing else, the screens make one only at the
# default path, check leaves what it inspects alone, and the audit log records dumps and opened
# records.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo


# size FILE: its size in bytes.
size() {
	stat -c %s "$1"
}

init_makes_a_new_database() {
	local db=$T/init/sub/new.db
	husly_run -c db/demo.conf -d "$db" init
	expect_status 0 "init on a new path" || return
	[ -f "$db" ] || fail "init made no file at $db" || return
	[ "$(stat -c %a "$db")" = 600 ] || fail "the new database has mode $(stat -c %a "$db"), not 600" ||
		return
	[ "$(stat -c %a "$T/init/sub")" = 700 ] || fail "its directory is not mode 700" || return
	[ "$(sql "$db" "PRAGMA user_version")" = "$(sed -n "s/^#define DB_SCHEMA_VERSION \([0-9]*\).*/\1/p" src/db.h)" ] || fail "init made no husly schema" || return
	[ "$(sql "$db" "SELECT count(*) FROM local WHERE key = 'terminal_id'")" = 1 ] ||
		fail "the new database has no terminal id" || return
	[ "$(sql "$db" "SELECT count(*) FROM resident")" = 0 ] || fail "the new database is not empty" ||
		return
	grep -qF "$db" "$T/out" || fail "init does not name the database: $(cat "$T/out")" || return
	cp "$db" "$T/init.copy"
	# A second init: refused, and the file left as it was.
	husly_run -c db/demo.conf -d "$db" init
	expect_status 1 "a second init" || return
	stderr_has "$db" || return
	cmp -s "$db" "$T/init.copy" || fail "a second init changed the database" || return
	# Nor does init make an empty file or another program's database its own.
	: >"$T/init/empty.db"
	husly_run -c db/demo.conf -d "$T/init/empty.db" init
	expect_status 1 "init on an empty file" || return
	[ "$(size "$T/init/empty.db")" = 0 ] || fail "init wrote into an existing empty file" || return
	# init takes no arguments.
	husly_run -c db/demo.conf -d "$T/init/other.db" init now
	expect_status 2 "init with an argument" || return
	[ ! -e "$T/init/other.db" ] || fail "a refused init made a file" || return
}

tui_refuses_a_missing_named_database() {
	local db=$T/typo/dir/h.db
	start s -- -c db/demo.conf -d "$db"
	wait_until 10 is_dead s || fail "husly did not end: $(screen s | head -5 | tr '\n' '|')" || return
	[ "$(cat "$T/s.status")" = 1 ] || fail "husly ended with $(exit_report s), expected 1" || return
	grep -qF "$db" "$T/s.err" || fail "the message does not name $db: $(exit_report s)" || return
	grep -qF "husly -d $db init" "$T/s.err" ||
		fail "the message does not suggest 'husly -d $db init': $(exit_report s)" || return
	[ ! -e "$db" ] || fail "the screens created $db" || return
	[ ! -e "$T/typo" ] || fail "the screens created the directory $T/typo" || return
	# The same for a path named by the configuration's database key.
	db=$T/typo2/h.db
	printf 'shelter = "Herberget Test"\ndatabase = "%s"\n' "$db" >"$T/named.conf"
	start s2 -- -c "$T/named.conf"
	wait_until 10 is_dead s2 || fail "husly did not end: $(screen s2 | head -5 | tr '\n' '|')" ||
		return
	[ "$(cat "$T/s2.status")" = 1 ] || fail "husly ended with $(exit_report s2), expected 1" ||
		return
	grep -qF "$db" "$T/s2.err" || fail "the message does not name $db: $(exit_report s2)" || return
	[ ! -e "$T/typo2" ] || fail "the screens created $T/typo2 from the database key" || return
}

tui_makes_the_default_database() {
	local data=$T/xdg
	printf 'shelter = "Herberget Test"\nterminal = "t1"\n' >"$T/nodb.conf"
	start s XDG_DATA_HOME="$data" -- -c "$T/nodb.conf"
	wait_for s "Herberget Test" || fail "the screens did not start: $(exit_report s)" || return
	local db=$data/husly/husly.db
	[ -f "$db" ] || fail "no database at \$XDG_DATA_HOME/husly/husly.db" || return
	[ "$(stat -c %a "$db")" = 600 ] || fail "the database has mode $(stat -c %a "$db"), not 600" ||
		return
	[ "$(stat -c %a "$data/husly")" = 700 ] ||
		fail "its directory has mode $(stat -c %a "$data/husly"), not 700" || return
	[ "$(sql "$db" "PRAGMA user_version")" = "$(sed -n "s/^#define DB_SCHEMA_VERSION \([0-9]*\).*/\1/p" src/db.h)" ] || fail "the database has no husly schema" || return
	quit_ok s || return
}

check_leaves_an_empty_file_alone() {
	local db=$T/empty.db
	: >"$db"
	husly_run -c db/demo.conf -d "$db" check
	expect_status 1 "check on an empty file" || return
	stderr_has "$db" || return
	[ "$(size "$db")" = 0 ] || fail "check wrote $(size "$db") bytes into an empty file" || return
	[ ! -e "$db-wal" ] || fail "check left $db-wal" || return
	# A database whose terminal id is gone: reported, not mended.
	db=$(demo_copy noid)
	sql "$db" "DELETE FROM local WHERE key = 'terminal_id'"
	cp "$db" "$T/noid.copy"
	husly_run -c db/demo.conf -d "$db" check
	expect_status 1 "check on a database without a terminal id" || return
	grep -qF terminal_id "$T/out" || fail "check does not report the terminal id: $(cat "$T/out")" ||
		return
	[ "$(sql "$db" "SELECT count(*) FROM local WHERE key = 'terminal_id'")" = 0 ] ||
		fail "check made a terminal id" || return
	cmp -s "$db" "$T/noid.copy" || fail "check changed the database file" || return
}

# audit_count DB [WHERE]: the number of audit entries (matching WHERE).
audit_count() {
	sql "$1" "SELECT count(*) FROM audit ${2:+WHERE $2}"
}

dump_is_audited() {
	local db before
	db=$(demo_copy audit)
	before=$(audit_count "$db")
	husly_run -c db/demo.conf -d "$db" dump
	expect_status 0 "dump" || return
	[ "$(audit_count "$db")" = $((before + 1)) ] ||
		fail "dump added $(($(audit_count "$db") - before)) audit entries, expected 1" || return
	local row
	row=$(sql "$db" "SELECT action, login, terminal, resident_id IS NULL FROM audit
		ORDER BY seq DESC LIMIT 1")
	[ "$row" = "dump|$(id -un)|reception-1|1" ] ||
		fail "the audit entry is '$row', expected 'dump|$(id -un)|reception-1|1'" || return
	# The entry is local to this terminal: the dump itself does not change by it.
	cp "$T/out" "$T/dump1"
	husly_run -c db/demo.conf -d "$db" dump
	cmp -s "$T/dump1" "$T/out" || fail "the dump changed with the audit log" || return
	[ "$(audit_count "$db" "action = 'dump'")" = 2 ] ||
		fail "a second dump was not audited" || return
	# A dump that cannot open the database audits nothing and makes nothing.
	husly_run -c db/demo.conf -d "$T/nothing/h.db" dump
	expect_status 1 "dump of a missing database" || return
	[ ! -e "$T/nothing" ] || fail "dump created $T/nothing" || return
}

opening_a_resident_is_audited() {
	local db before
	db=$(demo_copy open)
	[ "$(audit_count "$db" "action = 'open'")" = 0 ] || fail "the demo has open entries" || return
	before=$(audit_count "$db")
	start_list s -- -c db/demo.conf -d "$db" || return
	[ "$(audit_count "$db")" = "$before" ] || fail "showing the list wrote to the audit log" || return
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open a resident" || return
	[ "$(audit_count "$db" "action = 'open'")" = 1 ] ||
		fail "opening a resident added $(audit_count "$db" "action = 'open'") open entries, expected 1" ||
		return
	local row id name heading
	row=$(sql "$db" "SELECT resident_id, login, terminal FROM audit WHERE action = 'open'")
	id=${row%%|*}
	[ "$row" = "$id|$(id -un)|reception-1" ] || fail "the open entry is '$row'" || return
	name=$(sql "$db" "SELECT name FROM resident WHERE id = '$id'")
	[ -n "$name" ] || fail "the open entry names no resident: '$id'" || return
	heading=$(screen_line s 2)
	[[ $heading == *"$name"* ]] ||
		fail "the entry is for $id ($name), the screen shows '$heading'" || return
	# Moving between sections is not another opening; leaving and opening again is.
	keys s 2
	wait_for s "[2 $(t Intake)]" || fail "key 2 did not show the intake" || return
	[ "$(audit_count "$db" "action = 'open'")" = 1 ] || fail "a section change was audited" || return
	keys s Escape
	wait_until 10 rows_at_least s 10 || fail "Esc did not return to the list" || return
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "Enter did not open the resident again" || return
	[ "$(audit_count "$db" "action = 'open' AND resident_id = '$id'")" = 2 ] ||
		fail "opening the resident again was not audited" || return
	quit_ok s || return
}

run_test "init makes a private database once and never touches an existing file" \
	init_makes_a_new_database
run_test "the screens refuse a named database that does not exist" \
	tui_refuses_a_missing_named_database
run_test "the screens make the default database, private" tui_makes_the_default_database
run_test "check changes nothing: an empty file stays empty, a lost terminal id stays lost" \
	check_leaves_an_empty_file_alone
run_test "dump writes an audit entry" dump_is_audited
run_test "opening a resident writes an audit entry with its id" opening_a_resident_is_audited
finish
