#!/bin/bash
# The audit log on the screens: a coordinator opens it with a on the list and sees, newest first,
# what was just done (opened, changed, printed), filters it with /, opens it for one resident with
# A and switches to everyone's with r, and opens a resident from it; night staff do not see the
# key, and pressing it does nothing; an ASCII-only terminal shows it too.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
ME=$(id -un)

# tf MSGID ARGS...: the translated printf format, filled in (%zu and %ld as %s).
tf() {
	local f
	f=$(t "$1")
	f=${f//%zu/%s}
	f=${f//%ld/%s}
	shift
	# shellcheck disable=SC2059 # the format is the message's
	printf "$f" "$@"
}

# conf NAME ROLE: a configuration naming this login with ROLE, printing to $T/NAME.pdf.
conf() {
	{
		printf 'shelter = "Herberget Nordhavn"\nterminal = "reception-1"\n'
		printf 'print_command = "cat > %s"\n' "$T/$1.pdf"
		printf 'staff %s { name = "Mette Koordinator" role = "%s" }\n' "$ME" "$2"
	} >"$T/$1.conf"
	echo "$T/$1.conf"
}

# The rows of the audit screen's list (between the column titles and the line over the entry).
audit_rows() {
	screen "$1" | sed -n '5,17p' | grep -E '^ [0-9]{2}-[0-9]{2}-[0-9]{4} '
}

# row_has SESSION N TEXT...: the Nth row of the list has every TEXT.
row_has() {
	local s=$1 n=$2 row
	shift 2
	row=$(audit_rows "$s" | sed -n "${n}p")
	local want
	for want in "$@"; do
		[[ $row == *"$want"* ]] || return 1
	done
}

coordinator_sees_what_was_done() {
	local db c id name
	db=$(demo_copy coord)
	c=$(conf coord coordinator)
	start_list a1 -- -c "$c" -d "$db" || return
	# Open the first resident, write a note, print: opened, changed, printed.
	keys a1 Enter
	wait_for a1 "[1 $(t Overview)]" || fail "Enter did not open a resident" || return
	id=$(sql "$db" "SELECT resident_id FROM audit WHERE action = 'open'")
	name=$(sql "$db" "SELECT name FROM resident WHERE id = '$id'")
	keys a1 a
	type_text a1 "Sov uroligt"
	keys a1 Enter
	wait_for a1 "$(t 'The note is saved.')" || fail "the note was not saved" || return
	keys a1 p
	local sent
	sent=$(t 'Sent to the printer (%s): %ld page(s).')
	wait_for a1 "${sent%%(*}" || fail "p did not print: $(screen a1 | tail -2 | tr '\n' '|')" ||
		return
	keys a1 Escape
	wait_until 10 rows_at_least a1 10 || fail "Esc did not return to the list" || return
	keys a1 a
	wait_for a1 "$(t 'Audit log: everyone')" ||
		fail "a did not open the audit log: $(screen a1 | head -3 | tr '\n' '|')" || return
	row_has a1 1 "25-11-2026 02:14" "$(fit "Mette Koordinator" 12)" "$(t printed)" "$name" ||
		fail "the newest entry is not the print: $(audit_rows a1 | head -1)" || return
	row_has a1 2 "$(t changed)" "$name" "new note" ||
		fail "the second entry is not the note: $(audit_rows a1 | sed -n 2p)" || return
	row_has a1 3 "$(t opened)" "$name" ||
		fail "the third entry is not the opening: $(audit_rows a1 | sed -n 3p)" || return
	# The selected entry in full: its number, who with login, the terminal.
	screen a1 | grep -qF "Mette Koordinator ($ME)" || fail "no login of the selected entry" || return
	screen a1 | grep -qF "reception-1" || fail "no terminal of the selected entry" || return
	# No value in the log: the note's text is not there.
	! screen a1 | grep -qF "uroligt" || fail "the note's text is in the audit log" || return

	# / filters as one types, whatever the case; Esc clears it.
	keys a1 /
	type_text a1 "koordinator"
	wait_until 5 eval '[ "$(audit_rows a1 | wc -l)" = 3 ]' ||
		fail "the filter left $(audit_rows a1 | wc -l) rows: $(audit_rows a1 | head -4 | tr '\n' '|')" ||
		return
	keys a1 C-u
	type_text a1 "$id"
	local n
	n=$(sql "$db" "SELECT count(*) FROM audit WHERE resident_id = '$id'")
	wait_until 5 eval '[ "$(audit_rows a1 | wc -l)" = "$n" ]' ||
		fail "the filter by id left $(audit_rows a1 | wc -l) rows, not $n" || return
	row_has a1 "$n" "demo" "$(t created)" "$name" || fail "the filter shows the wrong entries" ||
		return
	type_text a1 "zzz"
	wait_for a1 "$(t 'No entry matches the filter.')" || fail "a filter of nothing showed rows" ||
		return
	keys a1 Escape
	wait_until 5 eval '[ "$(audit_rows a1 | wc -l)" -ge 10 ]' || fail "Esc did not clear the filter" ||
		return

	# Enter opens the resident of the entry, and that opening is in the log.
	keys a1 Enter
	wait_for a1 "[1 $(t Overview)]" || fail "Enter did not open the entry's resident" || return
	[[ $(screen_line a1 2) == *"$name"* ]] || fail "Enter opened someone else" || return
	[ "$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'open' AND resident_id = '$id'")" = 2 ] ||
		fail "opening from the audit log was not audited" || return
	# A on the resident: their entries only; r switches to everyone's and back.
	keys a1 A
	wait_for a1 "$(tf 'Audit log: %s' "$name")" || fail "A did not open the resident's audit log" ||
		return
	local mine all
	mine=$(sql "$db" "SELECT count(*) FROM audit WHERE resident_id = '$id'")
	all=$(sql "$db" "SELECT count(*) FROM audit")
	screen a1 | grep -qF "$(tnf '%zu entry' '%zu entries' "$mine" "$mine")" ||
		fail "the resident's log does not count $mine entries: $(screen_line a1 2)" || return
	keys a1 r
	wait_for a1 "$(t 'Audit log: everyone')" || fail "r did not switch to everyone" || return
	screen a1 | grep -qF "$(tnf '%zu entry' '%zu entries' "$all" "$all")" ||
		fail "everyone's log does not count $all entries: $(screen_line a1 2)" || return
	keys a1 r
	wait_for a1 "$(tf 'Audit log: %s' "$name")" || fail "r did not switch back" || return
	keys a1 Escape Escape Escape
	wait_until 10 rows_at_least a1 10 || fail "Esc did not go back to the list" || return
	quit_ok a1
}

night_staff_do_not_see_it() {
	local db c before
	db=$(demo_copy night)
	c=$(conf night night)
	before=$(sql "$db" "SELECT count(*) FROM audit")
	start_list a2 -- -c "$c" -d "$db" || return
	keys a2 a
	sleep 0.3
	! screen a2 | grep -qF "$(t 'Audit log')" || fail "night staff opened the audit log" || return
	rows_at_least a2 10 || fail "a took night staff off the list" || return
	keys a2 '?'
	wait_for a2 "$(tf 'Keys: %s' "$(t 'Resident list')")" || fail "? did not show the help" || return
	wait_for a2 "$(t 'Move up.')" || fail "the help did not show the list's keys" || return
	! screen a2 | grep -qF "$(t 'The audit log: who opened')" ||
		fail "the help offers night staff the audit log" || return
	keys a2 Escape Enter
	wait_for a2 "[1 $(t Overview)]" || fail "Enter did not open a resident" || return
	keys a2 A
	sleep 0.3
	! screen a2 | grep -qF "$(t 'Audit log')" || fail "A opened the audit log for night staff" ||
		return
	[ "$(sql "$db" "SELECT count(*) FROM audit")" = $((before + 1)) ] ||
		fail "the keys wrote to the audit log (beyond the opening)" || return
	quit_ok a2
}

ascii_terminal() {
	local db c
	db=$(demo_copy ascii)
	c=$(conf ascii coordinator)
	start a3 LANG=C LC_ALL=C -- -c "$c" -d "$db"
	wait_until 10 rows_at_least a3 10 || fail "the list did not show: $(exit_report a3)" || return
	keys a3 a
	wait_for a3 "$(t 'Audit log: everyone')" || fail "a did not open the audit log" || return
	[ "$(audit_rows a3 | wc -l)" -ge 10 ] || fail "no entries on an ASCII terminal" || return
	! screen a3 | LC_ALL=C grep -q $'[\x80-\xff]' || fail "UTF-8 on an ASCII terminal" || return
	quit_ok a3
}

run_test "a coordinator sees the opening, the change and the print at once; / filters; Enter opens; A and r" \
	coordinator_sees_what_was_done
run_test "night staff have no audit key, and pressing it does nothing" night_staff_do_not_see_it
run_test "the audit screen on an ASCII-only terminal" ascii_terminal
finish
