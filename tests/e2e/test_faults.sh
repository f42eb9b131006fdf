#!/bin/bash
# A full disk and a read-only database: husly says so in plain words, saves nothing half, and
# loses nothing already saved or typed. The intake form stays open with what was typed (Esc
# leaves only when pressed again), a field being changed stays open, and once there is room
# again the same F2 or Enter saves. `husly import` and `husly demo` end with status 1 and say
# why. The dump is the same before and after, and `husly check` passes.
#
# The tests run as root, for whom chmod makes nothing read-only: an immutable file (chattr +i)
# is, and a full disk is a small tmpfs filled up. Where either cannot be had (no chattr on this
# file system, no mount), those tests say "skip" and pass.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo

DISK=$T/disk
MOUNTED=0
IMMUTABLE=()

# Before lib.sh's cleanup removes $T: husly ended (its files on the disk closed), the disk
# unmounted, the immutable files mutable again.
faults_cleanup() {
	local f
	tmx kill-server >/dev/null 2>&1
	for f in "${IMMUTABLE[@]}"; do chattr -i "$f" 2>/dev/null; done
	[ "$MOUNTED" = 1 ] && umount -l "$DISK" 2>/dev/null
	cleanup
}
trap faults_cleanup EXIT

# read_only FILE: makes FILE immutable (read-only even for root); 1 when it cannot be.
read_only() {
	chattr +i "$1" 2>/dev/null || return 1
	IMMUTABLE+=("$1")
}
writable() { chattr -i "$1"; }

# small_disk: a 16 MB tmpfs at $DISK; 1 when it cannot be mounted.
small_disk() {
	if [ "$MOUNTED" = 0 ]; then
		mkdir -p "$DISK" && mount -t tmpfs -o size=16m,mode=0700 tmpfs "$DISK" 2>/dev/null ||
			return 1
		MOUNTED=1
	fi
	rm -rf "${DISK:?}"/*
}
# fill_disk: no byte left on it. free_disk: room again.
fill_disk() {
	dd if=/dev/zero of="$DISK/filler" bs=4k >/dev/null 2>&1
	[ "$(df --output=avail -B1 "$DISK" | tail -1 | tr -d ' ')" = 0 ] || fail "the disk is not full"
}
free_disk() { rm -f "$DISK/filler"; }

skip() { echo "# skip: $1"; }

# dump_of DB: `husly dump` of DB, in $T/dump.$2.
dump_of() {
	husly_run -c db/demo.conf -d "$1" dump
	expect_status 0 "husly dump" || return
	cp "$T/out" "$T/dump.$2"
}
same_dump() {
	dump_of "$1" after || return
	cmp -s "$T/dump.before" "$T/dump.after" || fail "the dump changed: $(diff "$T/dump.before" \
		"$T/dump.after" | head -5 | tr '\n' ' ')"
}
check_ok() {
	husly_run -c db/demo.conf -d "$1" check
	expect_status 0 "husly check"
}

# A bundle of another terminal's demo data, to import.
make_bundle() {
	[ -f "$T/other.bundle" ] && return
	husly_run -d "$T/other.db" demo --residents 3 --seed 7
	expect_status 0 "husly demo (the other terminal)" || return
	husly_run -d "$T/other.db" export --plaintext --full --to here -o "$T/other.bundle"
	expect_status 0 "husly export" || return
}

FULL_MSG='The disk is full: nothing was saved. Free some space, then try again.'
RO_MSG='The database cannot be written (it is read-only): nothing was saved.'

# --- the intake form and the change screen --------------------------------------------------

form_shown() { screen "$1" | grep -qF "$(t 'New arrival')"; }
resident_shown() { screen "$1" | grep -qF "[1 $(t Overview)]"; }
# status_is SESSION MSGID: the message line (row 23) says it.
status_is() { [[ $(screen_line "$1" 23) == *"$(t "$2")"* ]]; }
expect_status_line() {
	wait_until 5 status_is "$1" "$2" ||
		fail "the message line says '$(screen_line "$1" 23)', not '$(t "$2")'"
}

# A read-only database: the intake can be typed but not kept; F2 says why, the form and what
# was typed stay; F10 does not quit; Esc asks first, then leaves; nothing was written.
intake_read_only() {
	local db
	db=$(demo_copy ro_intake)
	dump_of "$db" before || return
	read_only "$db" || { skip "chattr +i does not work here"; return; }
	start_list r1 -- -c db/demo.conf -d "$db" || return
	keys r1 n
	wait_until 10 form_shown r1 || fail "n did not open the intake form" || return
	type_text r1 "Lise Læsbar"
	expect_status_line r1 "$RO_MSG" || return
	keys r1 F2
	expect_status_line r1 "$RO_MSG" || return
	form_shown r1 && screen r1 | grep -qF "Lise Læsbar" ||
		fail "the form or its name is gone after the failed save" || return
	keys r1 F10
	expect_status_line r1 'Not kept as a draft: F2 saves the intake, Esc twice leaves without it.' ||
		return
	! is_dead r1 || fail "F10 quit and lost the intake" || return
	keys r1 Escape
	expect_status_line r1 'The intake could not be kept as a draft: Esc again leaves and loses it.' ||
		return
	form_shown r1 || fail "the first Esc left the form" || return
	keys r1 Escape
	wait_until 10 rows_at_least r1 10 || fail "the second Esc did not go back to the list" ||
		return
	quit_ok r1 || return
	writable "$db"
	same_dump "$db" || return
	check_ok "$db"
}

# A disk that fills while the intake is typed: F2 says so and keeps the form; with room
# again, F2 saves it whole.
intake_disk_full() {
	small_disk || { skip "no tmpfs can be mounted here"; return; }
	local db=$DISK/h.db
	cp "$DEMO_DB" "$db"
	dump_of "$db" before || return
	start_list f1 -- -c db/demo.conf -d "$db" || return
	keys f1 n
	wait_until 10 form_shown f1 || fail "n did not open the intake form" || return
	type_text f1 "Fie Fuldstændig"
	wait_for f1 "Fie Fuldstændig" || return
	fill_disk || return
	keys f1 F2
	expect_status_line f1 "$FULL_MSG" || return
	form_shown f1 && screen f1 | grep -qF "Fie Fuldstændig" ||
		fail "the form or its name is gone after the failed save" || return
	free_disk
	same_dump "$db" || return
	keys f1 F2
	wait_until 10 resident_shown f1 ||
		fail "with room again, F2 did not save: $(screen_line f1 23)" || return
	[ "$(sql "$db" "SELECT count(*) FROM resident WHERE name = 'Fie Fuldstændig'")" = 1 ] ||
		fail "the resident is not saved once" || return
	quit_ok f1 || return
	check_ok "$db"
}

# The change screen on a full disk: Enter says so and the field stays open with what was
# typed; with room again, Enter saves it.
edit_disk_full() {
	small_disk || { skip "no tmpfs can be mounted here"; return; }
	local db=$DISK/h.db id
	cp "$DEMO_DB" "$db"
	id=$(sql "$db" "SELECT resident_id FROM stay WHERE departure IS NULL ORDER BY resident_id
		LIMIT 1")
	dump_of "$db" before || return
	start_list f2 -- -c db/demo.conf -d "$db" || return
	keys f2 /
	type_text f2 "$id"
	keys f2 Enter
	wait_until 10 resident_shown f2 || fail "could not open resident $id" || return
	keys f2 e
	wait_for f2 "$(t 'Municipality notified')" || fail "e did not open the change screen" ||
		return
	keys f2 Down Down Down Down Down Enter # Room
	type_text f2 "Kælder 9"
	wait_for f2 "Kælder 9" || return
	fill_disk || return
	keys f2 Enter
	expect_status_line f2 "$FULL_MSG" || return
	screen f2 | grep -qF "Kælder 9" || fail "what was typed is gone" || return
	free_disk
	same_dump "$db" || return
	keys f2 Enter
	wait_for f2 "$(t 'Saved.')" || fail "with room again, Enter did not save" || return
	[ "$(sql "$db" "SELECT room FROM stay WHERE resident_id = '$id' AND departure IS NULL")" = \
		"Kælder 9" ] || fail "the room is not saved" || return
	quit_ok f2 || return
	check_ok "$db"
}

# --- the commands --------------------------------------------------------------------------

# import and demo on a read-only database: status 1, the reason, nothing changed.
commands_read_only() {
	local db
	db=$(demo_copy ro_cli)
	make_bundle || return
	dump_of "$db" before || return
	read_only "$db" || { skip "chattr +i does not work here"; return; }
	husly_run -c db/demo.conf -d "$db" import --plaintext "$T/other.bundle"
	expect_status 1 "husly import on a read-only database" || return
	stderr_has "$(t "$RO_MSG")" || return
	husly_run -c db/demo.conf -d "$db" demo --residents 2
	expect_status 1 "husly demo on a read-only database" || return
	stderr_has "$(t "$RO_MSG")" || return
	# Read-only, the database cannot be read either now: the writers above left a write-ahead
	# log that only a writer can take up. Writable again, it holds what it held.
	writable "$db"
	same_dump "$db" || return
	check_ok "$db" || return
	husly_run -c db/demo.conf -d "$db" import --plaintext "$T/other.bundle"
	expect_status 0 "husly import once it can write"
}

# import and demo on a full disk: status 1, the reason, nothing changed.
commands_disk_full() {
	small_disk || { skip "no tmpfs can be mounted here"; return; }
	local db=$DISK/h.db
	cp "$DEMO_DB" "$db"
	make_bundle || return
	dump_of "$db" before || return
	fill_disk || return
	husly_run -c db/demo.conf -d "$db" import --plaintext "$T/other.bundle"
	expect_status 1 "husly import on a full disk" || return
	stderr_has "$(t "$FULL_MSG")" || return
	husly_run -c db/demo.conf -d "$db" demo --residents 2
	expect_status 1 "husly demo on a full disk" || return
	stderr_has "$(t "$FULL_MSG")" || return
	free_disk
	same_dump "$db" || return
	check_ok "$db"
}

run_test intake_read_only intake_read_only
run_test intake_disk_full intake_disk_full
run_test edit_disk_full edit_disk_full
run_test commands_read_only commands_read_only
run_test commands_disk_full commands_disk_full
finish
