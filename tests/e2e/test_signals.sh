#!/bin/bash
# Signals: SIGTERM and a dropped connection (the terminal closed under husly: SIGHUP) keep the
# intake typed as a draft and close the database cleanly (no write-ahead log left behind), and
# the next start offers the draft; Ctrl-C (SIGINT) asks before quitting, and any other key
# carries on with nothing lost; a resize (SIGWINCH) while a note is written lays the screen out
# again around the text. (SIGHUP sent to husly by kill: test_intake.sh; resizing the list and a
# resident: test_list.sh, test_resident.sh.)
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo

drafts() { sql "$1" "SELECT count(*) FROM draft"; }

# The husly of SESSION (the child of the pane's shell, running on DB).
husly_pid() {
	pgrep -P "$(tmx display -p -t "$1" '#{pane_pid}')" -f -- "$2"
}

form_shown() { [[ $(screen_line "$1" 2) == " $(t 'New arrival')"* ]]; }

# intake_typed SESSION DB NAME: husly on DB, the intake form open with NAME typed.
intake_typed() {
	start_list "$1" -- -c db/demo.conf -d "$2" || return
	keys "$1" n
	wait_until 10 form_shown "$1" || fail "n did not open the intake form" || return
	type_text "$1" "$3"
	wait_for "$1" "$3" || fail "the name typed does not show" || return
	# Each key is kept as it is typed: wait for the last one.
	wait_until 10 draft_has "$2" "$3" || fail "the draft does not hold '$3'" || return
}
draft_has() { [ "$(sql "$1" "SELECT count(*) FROM draft WHERE instr(data, '$2') > 0")" = 1 ]; }

# offers_draft DB: a new start on DB says there is an unsaved intake, and n brings it back.
offers_draft() {
	local msg
	start_list s2 -- -c db/demo.conf -d "$1" || return
	msg=$(t 'You have an unsaved intake: press n to carry on with it.')
	wait_for s2 "$(fit "$msg" 78)" 5 || fail "the next start does not offer the draft" || return
	keys s2 n
	wait_until 10 form_shown s2 || fail "n did not open the form" || return
	wait_for s2 "$2" 5 || fail "the draft brought back does not hold '$2'" || return
	keys s2 Escape
	wait_until 10 rows_at_least s2 10 || fail "Esc did not go back to the list" || return
	quit_ok s2
}

# closed_cleanly DB: husly closed the database itself: SQLite removes the write-ahead log when
# the last connection closes, and a killed process leaves it behind.
closed_cleanly() {
	[ ! -e "$1-wal" ] || fail "the write-ahead log is left behind: the database was not closed" ||
		return
}

term_keeps_draft() {
	local db pid
	db=$(demo_copy term)
	intake_typed s "$db" "Terkel Østergård" || return
	pid=$(husly_pid s "$db")
	[ -n "$pid" ] || fail "no husly process" || return
	kill -TERM "$pid"
	wait_until 10 is_dead s || fail "SIGTERM did not end husly" || return
	[ "$(cat "$T/s.status")" = 0 ] || fail "husly ended with $(exit_report s)" || return
	[ ! -s "$T/s.err" ] || fail "husly wrote to stderr: $(exit_report s)" || return
	[ "$(drafts "$db")" = 1 ] || fail "no draft after SIGTERM" || return
	closed_cleanly "$db" || return
	offers_draft "$db" "Terkel Østergård"
}

# The terminal goes away under husly (an SSH connection dropped, a window closed): the kernel
# sends SIGHUP, and there is no terminal left to write to.
terminal_gone_keeps_draft() {
	local db pid
	db=$(demo_copy hup)
	intake_typed s "$db" "Hugo Ærenstrup" || return
	pid=$(husly_pid s "$db")
	[ -n "$pid" ] || fail "no husly process" || return
	tmx kill-session -t s
	wait_until 10 eval '! kill -0 "$pid" 2>/dev/null' ||
		fail "husly is still running after its terminal went away" || return
	[ ! -s "$T/s.err" ] || fail "husly wrote to stderr: $(head -c 600 "$T/s.err")" || return
	[ "$(drafts "$db")" = 1 ] || fail "no draft after the terminal went away" || return
	closed_cleanly "$db" || return
	offers_draft "$db" "Hugo Ærenstrup"
}

# The question Ctrl-C asks, with the letter that answers yes in the language under test.
QUIT_Q=$(printf "$(t 'Quit husly? Press %c to quit, any other key to carry on.')" \
	"$(t yes | cut -c1)")
YES=$(t yes | cut -c1)

ctrl_c_asks() {
	local db id text="Skrevet før Ctrl-C"
	db=$(demo_copy intr)
	start_list s -- -c db/demo.conf -d "$db" || return
	keys s C-c
	wait_for s "$QUIT_Q" 5 || fail "Ctrl-C did not ask: '$(screen_line s 23)'" || return
	is_dead s && fail "Ctrl-C ended husly at once" && return 1
	# Any other key carries on, and is not taken as a command (n opens no intake).
	keys s n
	wait_gone s "$QUIT_Q" 5 || fail "the question stays after n" || return
	sleep 0.3
	is_dead s && fail "n after Ctrl-C ended husly: $(exit_report s)" && return 1
	form_shown s && fail "the key that answered the question also opened the intake" && return 1
	rows_at_least s 10 || fail "the list is gone after the answer" || return
	# While a note is written: the question, then the text is still there and saves.
	id=$(sql "$db" "SELECT resident_id FROM stay WHERE departure IS NULL ORDER BY resident_id
		LIMIT 1")
	keys s /
	type_text s "$id"
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "could not open $id" || return
	keys s a
	wait_for s "$(t 'New note:')" || fail "a did not open the note line" || return
	type_text s "$text"
	# (What is typed but not yet read when Ctrl-C comes, the terminal throws away.)
	wait_for s "$text" || fail "the text typed does not show" || return
	keys s C-c
	wait_for s "$QUIT_Q" 5 || fail "Ctrl-C while writing did not ask: $(screen s | tr '\n' '|')" || return
	keys s x
	wait_gone s "$QUIT_Q" 5 || fail "the question stays after x" || return
	screen s | grep -F "$(t 'New note:')" | grep -qF "$text" ||
		fail "the note's text is not kept: $(screen s | grep -F "$(t 'New note:')")" || return
	keys s Enter
	wait_for s "$(t 'The note is saved.')" 5 || fail "the note was not saved after the question" ||
		return
	[ "$(sql "$db" "SELECT count(*) FROM note WHERE body = '$text'")" = 1 ] ||
		fail "the note is not in the database" || return
	# Ctrl-C while husly is still busy with the keys before it asks at once too; the letter of
	# yes then quits, cleanly.
	keys s a
	wait_for s "$(t 'New note:')" || fail "a did not open the note line" || return
	type_text s "Endnu en note, skrevet hurtigt og afbrudt midt i det hele"
	keys s C-c
	wait_for s "$QUIT_Q" 5 ||
		fail "Ctrl-C while keys were being handled did not ask within 5 s" || return
	keys s "$YES"
	wait_until 10 is_dead s || fail "$YES after Ctrl-C did not quit" || return
	[ "$(cat "$T/s.status")" = 0 ] || fail "husly ended with $(exit_report s)" || return
	[ ! -s "$T/s.err" ] || fail "husly wrote to stderr: $(exit_report s)" || return
	closed_cleanly "$db" || return
	# Ctrl-C twice quits too: the second one answers the first.
	start_list s3 -- -c db/demo.conf -d "$db" || return
	keys s3 C-c
	wait_for s3 "$QUIT_Q" 5 || fail "Ctrl-C did not ask" || return
	keys s3 C-c
	wait_until 10 is_dead s3 || fail "a second Ctrl-C did not quit" || return
	[ "$(cat "$T/s3.status")" = 0 ] || fail "husly ended with $(exit_report s3)" || return
}

resize_while_writing() {
	local db id text="Skrevet mens vinduet skifter størrelse"
	db=$(demo_copy winch)
	id=$(sql "$db" "SELECT resident_id FROM stay WHERE departure IS NULL ORDER BY resident_id
		LIMIT 1")
	start_list s -- -c db/demo.conf -d "$db" || return
	keys s /
	type_text s "$id"
	keys s Enter
	wait_for s "[1 $(t Overview)]" || fail "could not open $id" || return
	keys s a
	wait_for s "$(t 'New note:')" || fail "a did not open the note line" || return
	type_text s "$text"
	wait_for s "$text" || fail "the text typed does not show" || return
	tmx resize-window -t s -x 100 -y 30
	wait_until 10 eval '[ "$(screen s | grep -nF "$(t "New note:")" | cut -d: -f1)" -gt 24 ]' ||
		fail "at 100x30 the note line did not move down: $(screen s | grep -nF "$(t 'New note:')")" ||
		return
	[[ $(screen_line s 30) == *"Esc"* ]] || fail "no key bar on the last row at 100x30" || return
	screen s | grep -F "$(t 'New note:')" | grep -qF "$text" || fail "the text is lost at 100x30" ||
		return
	tmx resize-window -t s -x 80 -y 24
	wait_until 10 eval '[ "$(screen s | grep -nF "$(t "New note:")" | cut -d: -f1)" -le 24 ]' ||
		fail "back at 80x24 the note line is not on screen" || return
	keys s Enter
	wait_for s "$(t 'The note is saved.')" 5 || fail "the note was not saved after resizing" ||
		return
	[ "$(sql "$db" "SELECT count(*) FROM note WHERE body = '$text'")" = 1 ] ||
		fail "the note is not in the database" || return
	quit_ok s
}

run_test "SIGTERM during an intake: the draft is kept, the database closed, the next start offers it" term_keeps_draft
run_test "the terminal gone (SIGHUP) during an intake: husly ends, the draft is kept, the database closed" terminal_gone_keeps_draft
run_test "Ctrl-C asks before quitting: another key carries on (a note typed stays), yes or Ctrl-C again quits" ctrl_c_asks
run_test "a resize while a note is written lays the screen out again and keeps the text" resize_while_writing
finish
