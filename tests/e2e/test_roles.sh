#!/bin/bash
# Who may do what: a login missing from husly.conf's staff table may only read (unknown_login);
# night staff admit and write but neither dump, import nor review conflicts; the commands refuse
# with the reason, and the screens do not offer what the role cannot do. Files are private:
# 0600, or 0660 with the configured group; a database others can read is refused.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
ME=$(id -un)

# A configuration whose staff table names someone else: $ME is an unknown login.
printf 'staff someone-else { name = "Anden" role = "coordinator" }\n' >"$T/unknown.conf"
printf 'staff %s { name = "Nat" role = "night" }\n' "$ME" >"$T/night.conf"

# refused ARGS...: the command ends with 1, says why on stderr, and writes nothing to stdout.
refused() {
	husly_run "$@"
	expect_status 1 "$*" || return
	[ ! -s "$T/out" ] || fail "$*: wrote to stdout: $(head -c 300 "$T/out")" || return
	[ -s "$T/err" ] || fail "$*: refused without a word"
}

unknown_login_commands() {
	local db before
	db=$(demo_copy unknown)
	before=$(sha256sum <"$db")
	local cmd
	for cmd in "demo --edits 3" "dump" "export -o $T/u.bundle --plaintext" "conflicts" "audit" \
		"erase X --yes"; do
		# shellcheck disable=SC2086 # the command's words
		refused -c "$T/unknown.conf" -d "$db" $cmd || return
	done
	stderr_has "'$ME'" || return
	husly_run -c "$T/unknown.conf" -d "$db" import --plaintext "$T/none.bundle"
	expect_status 1 "import by an unknown login" || return
	stderr_has "$(t 'import bundles')" || return
	[ ! -e "$T/u.bundle" ] || fail "the refused export wrote a bundle" || return
	[ "$(sha256sum <"$db")" = "$before" ] || fail "a refused command changed the database" || return
	# Reading is allowed.
	husly_run -c "$T/unknown.conf" -d "$db" check
	expect_status 0 "check by an unknown login" || return
	husly_run -c "$T/unknown.conf" -d "$db" print --all -o "$T/all.txt"
	expect_status 0 "print by an unknown login"
}

night_commands() {
	local db
	db=$(demo_copy night)
	refused -c "$T/night.conf" -d "$db" dump || return
	stderr_has "CPR" || return
	refused -c "$T/night.conf" -d "$db" conflicts || return
	# A bundle holds whole CPR numbers too.
	refused -c "$T/night.conf" -d "$db" export --plaintext -o - || return
	stderr_has "CPR" || return
	husly_run -c /dev/null -d "$db" export --plaintext -o "$T/n.bundle"
	expect_status 0 "export by the one user" || return
	refused -c "$T/night.conf" -d "$db" import --plaintext "$T/n.bundle" || return
	stderr_has "$(t 'import bundles')" || return
	husly_run -c "$T/night.conf" -d "$db" demo --edits 2 --seed 3
	expect_status 0 "demo edits by night staff"
}

# The one user of an install without a staff table may do everything.
no_staff_table_everything() {
	local db
	db=$(demo_copy alone)
	husly_run -c /dev/null -d "$db" export --plaintext -o "$T/a.bundle"
	expect_status 0 "export" || return
	husly_run -c /dev/null -d "$db" import --plaintext "$T/a.bundle"
	expect_status 0 "import" || return
	husly_run -c /dev/null -d "$db" dump
	expect_status 0 "dump"
}

unknown_login_setting() {
	local db
	db=$(demo_copy setting)
	printf 'staff someone-else { role = "coordinator" }\nunknown_login = "night"\n' >"$T/u-night.conf"
	husly_run -c "$T/u-night.conf" -d "$db" demo --edits 2 --seed 4
	expect_status 0 "demo edits by an unknown login with unknown_login = night" || return
	refused -c "$T/u-night.conf" -d "$db" dump || return
	printf 'shelter = "x"\nunknown_login = "coordinator"\n' >"$T/u-coord.conf"
	husly_run -c "$T/u-coord.conf" -d "$db" check
	expect_status 2 "unknown_login = coordinator" || return
	stderr_has "u-coord.conf:2:" || return
	printf 'unknown_login = "everything"\n' >"$T/u-bad.conf"
	husly_run -c "$T/u-bad.conf" -d "$db" check
	expect_status 2 "unknown_login = everything" || return
	stderr_has "read-only"
}

# The list of a read-only login offers neither n nor y; n does nothing; the resident offers no
# note, change or departure; the checklist ticks nothing; the top line says read-only.
read_only_screens() {
	local db before
	db=$(demo_copy ro)
	before=$(sql "$db" "SELECT count(*) FROM history")
	start_list r1 -- -c "$T/unknown.conf" -d "$db" || return
	screen_line r1 1 | grep -qF "($(t read-only))" ||
		fail "the top line does not say read-only: '$(screen_line r1 1)'" || return
	local bar
	bar=$(screen_line r1 24)
	[[ $bar != *"n $(t new)"* ]] || fail "a read-only list offers new: '$bar'" || return
	[[ $bar == *"/ $(t search)"* ]] || fail "the list lost search: '$bar'" || return
	keys r1 n
	sleep 0.3
	! screen r1 | grep -qF "$(t 'New arrival')" || fail "n opened the intake" || return
	keys r1 Enter
	wait_for r1 "$(t overview)" || wait_for r1 "1 " || fail "Enter did not open the resident" || return
	bar=$(screen_line r1 24)
	[[ $bar != *"a $(t 'new note')"* && $bar != *"e $(t change)"* && $bar != *"u $(t departure)"* ]] ||
		fail "a read-only resident screen offers writing: '$bar'" || return
	keys r1 a e u t
	sleep 0.3
	keys r1 Space Space Enter + Escape Escape
	sleep 0.3
	[ "$(sql "$db" "SELECT count(*) FROM history")" = "$before" ] ||
		fail "a read-only login changed something" || return
	keys r1 Escape Escape Escape
	quit_ok r1
}

modes_private() {
	local dir=$T/modes
	mkdir -p "$dir"
	husly_run -c /dev/null -d "$dir/sub/new.db" init
	expect_status 0 "init" || return
	[ "$(stat -c %a "$dir/sub/new.db")" = 600 ] || fail "a new database is $(stat -c %a "$dir/sub/new.db")" || return
	[ "$(stat -c %a "$dir/sub")" = 700 ] || fail "its new directory is $(stat -c %a "$dir/sub")" || return
	husly_run -c /dev/null -d "$dir/sub/new.db" keygen -o "$dir/key"
	[ "$(stat -c %a "$dir/key")" = 600 ] || fail "a new key is $(stat -c %a "$dir/key")" || return
	husly_run -c /dev/null -d "$(demo_copy m1)" export --plaintext -o "$dir/b.bundle"
	[ "$(stat -c %a "$dir/b.bundle")" = 600 ] || fail "a bundle is $(stat -c %a "$dir/b.bundle")" || return
	# Others can read it: refused, with the fix, by every command; chmod 600 mends it.
	local db
	db=$(demo_copy m2)
	chmod 644 "$db"
	local cmd
	for cmd in check dump "print --all -o $dir/p.txt" "export --plaintext -o $dir/c.bundle"; do
		# shellcheck disable=SC2086
		refused -c /dev/null -d "$db" $cmd || return
	done
	stderr_has "chmod 600 $db" || return
	start w1 -- -c /dev/null -d "$db"
	wait_until 10 is_dead w1 || fail "husly opened a world-readable database" || return
	grep -qF "chmod 600" "$T/w1.err" || fail "the TUI did not say how to fix it: $(cat "$T/w1.err")" || return
	chmod 640 "$db"
	refused -c /dev/null -d "$db" check || return
	chmod 600 "$db"
	husly_run -c /dev/null -d "$db" check
	expect_status 0 "check after chmod 600"
}

modes_group() {
	local grp dir=$T/shared
	grp=$(getent group | awk -F: '$3 != 0 { print $1; exit }')
	[ -n "$grp" ] || { echo "# no group to test with"; return; }
	printf 'group = "%s"\n' "$grp" >"$T/group.conf"
	husly_run -c "$T/group.conf" -d "$dir/db/husly.db" init
	expect_status 0 "init with a group" || return
	[ "$(stat -c '%a %G' "$dir/db/husly.db")" = "660 $grp" ] ||
		fail "the shared database is $(stat -c '%a %G' "$dir/db/husly.db")" || return
	[ "$(stat -c '%a %G' "$dir/db")" = "2770 $grp" ] ||
		fail "its directory is $(stat -c '%a %G' "$dir/db")" || return
	husly_run -c "$T/group.conf" -d "$dir/db/husly.db" demo --residents 12 --seed 2
	expect_status 0 "demo on the shared database" || return
	# The WAL exists while husly has the database open.
	start g1 -- -c "$T/group.conf" -d "$dir/db/husly.db"
	wait_for g1 "/ $(t search)" || fail "the list did not show: $(exit_report g1)" || return
	[ "$(stat -c '%a %G' "$dir/db/husly.db-wal")" = "660 $grp" ] ||
		fail "its WAL is $(stat -c '%a %G' "$dir/db/husly.db-wal" 2>&1)" || return
	quit_ok g1 || return
	husly_run -c "$T/group.conf" -d "$dir/db/husly.db" export --plaintext -o "$dir/x.bundle"
	[ "$(stat -c '%a %G' "$dir/x.bundle")" = "660 $grp" ] ||
		fail "a shared bundle is $(stat -c '%a %G' "$dir/x.bundle")" || return
	# Without the group setting the same file is refused, and the message says why.
	refused -c /dev/null -d "$dir/db/husly.db" check || return
	stderr_has "chmod 600" || return
	# Another group's file is refused too.
	chgrp root "$dir/db/husly.db"
	refused -c "$T/group.conf" -d "$dir/db/husly.db" check || return
	stderr_has "chgrp $grp" || return
	# A directory that does not pass the group on to the -wal and -shm files is refused.
	local plain=$T/plain # not under $dir, whose set-group-id bit new directories inherit
	mkdir -p "$plain"
	husly_run -c /dev/null -d "$plain/h.db" init
	chgrp "$grp" "$plain/h.db"
	chmod 660 "$plain/h.db"
	refused -c "$T/group.conf" -d "$plain/h.db" check || return
	stderr_has "chmod 2770 $plain" || return
	chgrp "$grp" "$plain"
	chmod 2770 "$plain"
	husly_run -c "$T/group.conf" -d "$plain/h.db" check
	expect_status 0 "check once the directory is the group's" || return
	printf 'group = "no-such-group-husly"\n' >"$T/nogroup.conf"
	husly_run -c "$T/nogroup.conf" -d "$dir/db/husly.db" check
	expect_status 2 "a group that does not exist" || return
	stderr_has "nogroup.conf:1:"
}

run_test "an unknown login may only read: the commands that change or reveal refuse" unknown_login_commands
run_test "night staff write; dump, export, import and conflicts refuse" night_commands
run_test "without a staff table the one user may do everything" no_staff_table_everything
run_test "unknown_login gives an unknown login a role, never coordinator" unknown_login_setting
run_test "a read-only login's screens offer nothing that writes, and nothing is written" read_only_screens
run_test "files are made 0600; a database others can read is refused with the fix" modes_private
run_test "with group set, files are 0660 and the group's; its directory is set-group-id" modes_group
finish
