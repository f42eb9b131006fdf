#!/bin/bash
# Faults. Crashes: round after round on one database, `husly demo --edits`, `husly import` of a
# bundle and a person writing notes at the screen run at once, and each is killed with SIGKILL
# at a random moment. After every round `husly check` passes, every change the demo logged as
# committed is there, the bundle is in whole or not at all (by its changes, and by its records
# in `husly dump`), every note the person saw saved is there, and the next round works on what
# is left. The moments come from a seeded generator: the seed is printed, and
# HUSLY_CRASH_SEED=N replays the same choices (the processes' own timing still varies). Fewer
# rounds under ASan.
#
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

SEED=${HUSLY_CRASH_SEED:-$(($(date +%s%N) / 1000 % 100000))}
# An import is killed within IMPORT_MS: about as long as one takes, so some finish first.
ROUNDS=10 BUNDLES=4 BUNDLE_RESIDENTS=15 IMPORT_MS=400
[[ $HUSLY == */asan/* ]] && ROUNDS=3 BUNDLES=2 BUNDLE_RESIDENTS=4 IMPORT_MS=1100
echo "# crash seed $SEED: HUSLY_CRASH_SEED=$SEED replays it"
RANDOM=$SEED

DB=$T/crash.db
LOG=$T/crash.log
SOURCE=$T/source.db

# --- the bundles: changes made elsewhere, each with its own terminal --------------------------------

# Bundles from another database, each one demo run there (a terminal of its own), exported
# one after another: bundle K holds CHANGES[K] changes of terminal FROM[K], and the records in
# $T/records-K ("type id", sorted).
CHANGES=() FROM=()
make_bundles() {
	local k seed
	for ((k = 1; k <= BUNDLES; k++)); do
		seed=$((9000 + k))
		"$HUSLY" -c db/demo.conf -d "$SOURCE" demo --residents "$BUNDLE_RESIDENTS" --seed "$seed" \
			>"$T/source.out" 2>&1 &&
			"$HUSLY" -c db/demo.conf -d "$SOURCE" export --to crash --plaintext \
				-o "$T/bundle-$k" >>"$T/source.out" 2>&1 ||
			fail "making bundle $k: $(cat "$T/source.out")" || return
		FROM[k]=$(sql "$SOURCE" "SELECT terminal FROM history ORDER BY seq DESC LIMIT 1")
		CHANGES[k]=$(sql "$SOURCE" "SELECT count(*) FROM history WHERE terminal = '${FROM[k]}'")
		sql "$SOURCE" "SELECT DISTINCT tbl || ' ' || row_id FROM history
			WHERE terminal = '${FROM[k]}'" | sort >"$T/records-$k"
		[ "${CHANGES[k]}" -gt 100 ] || fail "bundle $k has only ${CHANGES[k]} changes" || return
	done
}

# The first bundle not yet imported (the last when all are).
next_bundle() {
	local k
	for ((k = 1; k < BUNDLES; k++)); do
		[ "$(sql "$DB" "SELECT count(*) FROM history WHERE terminal = '${FROM[k]}'")" = 0 ] &&
			break
	done
	echo "$k"
}

# --- the checks after a crash -------------------------------------------------------------------------

# The changes the log says were committed that the database does not hold (printed).
missing_logged() {
	awk -F'\t' 'NF == 5' "$LOG" >"$T/logged.tsv"
	sqlite3 -batch "$DB" <<EOF
CREATE TEMP TABLE logged (hlc TEXT, terminal TEXT, tbl TEXT, row_id TEXT, field TEXT);
.mode tabs
.import --schema temp $T/logged.tsv logged
.mode list
SELECT 'not in the history: ' || hlc || ' ' || tbl || ' ' || row_id || ' ' || field
	FROM logged l WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.hlc = l.hlc
	AND h.terminal = l.terminal AND h.tbl = l.tbl AND h.row_id = l.row_id AND h.field = l.field);
SELECT 'record gone: ' || tbl || ' ' || row_id FROM logged l WHERE
	(tbl = 'resident' AND row_id NOT IN (SELECT id FROM resident)) OR
	(tbl = 'stay' AND row_id NOT IN (SELECT id FROM stay)) OR
	(tbl = 'answer' AND row_id NOT IN (SELECT id FROM answer)) OR
	(tbl = 'checklist_step' AND row_id NOT IN (SELECT id FROM checklist_step)) OR
	(tbl = 'furniture' AND row_id NOT IN (SELECT id FROM furniture)) OR
	(tbl = 'note' AND row_id NOT IN (SELECT id FROM note));
EOF
}

# bundle_whole_or_absent K: bundle K's changes and records are all in the database, or none.
bundle_whole_or_absent() {
	local k=$1 changes records have
	changes=$(sql "$DB" "SELECT count(*) FROM history WHERE terminal = '${FROM[k]}'")
	[ "$changes" = 0 ] || [ "$changes" = "${CHANGES[k]}" ] ||
		fail "bundle $k is in part: $changes of its ${CHANGES[k]} changes" || return
	records=$(wc -l <"$T/records-$k")
	have=$(sqlite3 -batch "$DB" <<EOF
CREATE TEMP TABLE rec (tbl TEXT, id TEXT);
.mode list
.separator " "
.import --schema temp $T/records-$k rec
SELECT count(*) FROM rec WHERE id IN (SELECT id FROM resident UNION ALL SELECT id FROM stay
	UNION ALL SELECT id FROM answer UNION ALL SELECT id FROM checklist_step
	UNION ALL SELECT id FROM furniture UNION ALL SELECT id FROM note);
EOF
)
	whole_or_none "$k" "$changes" "$have" "$records"
}

# whole_or_none K CHANGES HAVE RECORDS: with no change of bundle K in, none of its records; with
# all of them, every record.
whole_or_none() {
	if [ "$2" = 0 ]; then
		[ "$3" = 0 ] || fail "bundle $1: none of its changes, yet $3 of its records" || return
	else
		[ "$3" = "$4" ] || fail "bundle $1: its changes are in, but $3 of its $4 records" ||
			return
	fi
}

# The same for every bundle, by the records `husly dump` prints.
bundles_dumped_whole_or_absent() {
	"$HUSLY" -c db/demo.conf -d "$DB" dump >"$T/dump" 2>"$T/dump.err" ||
		fail "dump: $(cat "$T/dump.err")" || return
	sed -nE 's/^\{"type":"([a-z_]+)","id":"([^"]+)".*/\1 \2/p' "$T/dump" | sort >"$T/dumped"
	local k changes
	for ((k = 1; k <= BUNDLES; k++)); do
		changes=$(sql "$DB" "SELECT count(*) FROM history WHERE terminal = '${FROM[k]}'")
		whole_or_none "$k" "$changes" "$(comm -12 "$T/records-$k" "$T/dumped" | wc -l)" \
			"$(wc -l <"$T/records-$k")" || return
	done
}

# ended_by_kill NAME STATUS OUTPUT: a process ended by the kill (137) or by finishing (0).
ended_by_kill() {
	[ "$2" = 137 ] || [ "$2" = 0 ] || fail "$1 ended with status $2: $(head -c 600 "$3")"
}

# --- the person at the screen ----------------------------------------------------------------------------

# The note line is open, the saved message shows, or husly is gone.
line_open_or_dead() { screen "$1" | grep -qF "$(t 'New note:')" || is_dead "$1"; }
saved_or_dead() { screen "$1" | grep -qF "$(t 'The note is saved.')" || is_dead "$1"; }

# write_notes SESSION ROUND: notes, one after another, until husly is killed; each one the screen
# said was saved goes into $T/saved.
write_notes() {
	local s=$1 n=0 body
	while ! is_dead "$s"; do
		n=$((n + 1))
		body="Nattevagt krak $2.$n ÆØÅ"
		keys "$s" a 2>/dev/null
		wait_until 60 line_open_or_dead "$s" || fail "a did not open the note line" || return
		is_dead "$s" && break
		type_text "$s" "$body" 2>/dev/null
		keys "$s" Enter 2>/dev/null
		wait_until 60 saved_or_dead "$s" || fail "the note was neither saved nor killed" || return
		if screen "$s" | grep -qF "$(t 'The note is saved.')"; then
			echo "$body" >>"$T/saved-$2"
		fi
	done
	return 0
}

# notes_saved_are_there FILE: every note in FILE (one a line) is in the database, once.
notes_saved_are_there() {
	local body
	[ -s "$1" ] || return 0
	while IFS= read -r body; do
		[ "$(sql "$DB" "SELECT count(*) FROM note WHERE body = '$body'")" = 1 ] ||
			fail "the note '$body' was seen saved but is not there" || return
	done <"$1"
}

# --- a round ----------------------------------------------------------------------------------------------

# Milliseconds as seconds for sleep (1200 -> 1.200).
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

crash_round() {
	local r=$1 id k ui demo import d_ui d_demo d_import pid
	d_demo=$((100 + RANDOM % 1100)) d_import=$((30 + RANDOM % IMPORT_MS)) d_ui=$((300 + RANDOM % 900))
	ROUND="round $r (demo killed after $d_demo ms, import $d_import ms, screen $d_ui ms)"
	id=$(sql "$DB" "SELECT resident_id FROM stay WHERE departure IS NULL ORDER BY resident_id
		LIMIT 1 OFFSET $((RANDOM % 10))")
	k=$(next_bundle)
	ui=ui$r
	start_list "$ui" -- -c db/demo.conf -d "$DB" || return
	keys "$ui" /
	type_text "$ui" "$id"
	keys "$ui" Enter
	wait_for "$ui" "[1 $(t Overview)]" 30 || fail "could not open $id: $(screen_line "$ui" 23)" ||
		return
	pid=$(husly_pid "$ui" "$DB")
	[ -n "$pid" ] || fail "no husly in the screen session" || return

	"$HUSLY" -c db/demo.conf -d "$DB" demo --residents 2 --edits 400 --seed $((SEED * 100 + r)) \
		--log "$LOG" >"$T/demo.out" 2>&1 &
	demo=$!
	"$HUSLY" -c db/demo.conf -d "$DB" import --plaintext "$T/bundle-$k" >"$T/import.out" 2>&1 &
	import=$!
	{
		sleep "$(seconds "$d_demo")"
		kill -KILL "$demo" 2>/dev/null
	} &
	{
		sleep "$(seconds "$d_import")"
		kill -KILL "$import" 2>/dev/null
	} &
	{
		sleep "$(seconds "$d_ui")"
		kill -KILL "$pid" 2>/dev/null
	} &
	write_notes "$ui" "$r" || return
	local st_demo st_import
	wait "$demo"
	st_demo=$?
	wait "$import"
	st_import=$?
	wait # the timers
	tmx kill-session -t "$ui" 2>/dev/null
	ended_by_kill demo "$st_demo" "$T/demo.out" || return
	ended_by_kill import "$st_import" "$T/import.out" || return

	husly_run -c db/demo.conf -d "$DB" check
	[ "$STATUS" = 0 ] || fail "husly check: $(head -c 800 "$T/out" | tr '\n' ' ')" || return
	local missing
	missing=$(missing_logged)
	[ -z "$missing" ] || fail "changes logged as committed are missing: $(head -c 600 <<<"$missing")" ||
		return
	bundle_whole_or_absent "$k" || return
	[ "$st_import" = 137 ] && IMPORTS_KILLED=$((IMPORTS_KILLED + 1))
	[ "$st_demo" = 137 ] && DEMOS_KILLED=$((DEMOS_KILLED + 1))
	notes_saved_are_there "$T/saved-$r"
}

IMPORTS_KILLED=0 DEMOS_KILLED=0
crash_rounds() {
	make_bundles || return
	cp "$DEMO_DB" "$DB"
	rm -f "$LOG" "$T"/saved-*
	local r
	for ((r = 1; r <= ROUNDS; r++)); do
		crash_round "$r" || {
			REASON="$ROUND: $REASON"
			return 1
		}
	done
	# What all the rounds left behind works: a demo, and the screens.
	husly_run -c db/demo.conf -d "$DB" demo --residents 1 --edits 10 --seed 5 --log "$LOG"
	expect_status 0 "demo after the crashes" || return
	start_list after -- -c db/demo.conf -d "$DB" || return
	quit_ok after || return
	husly_run -c db/demo.conf -d "$DB" check
	expect_status 0 "the last check" || return
	[ -z "$(missing_logged)" ] || fail "logged changes missing at the end" || return
	bundles_dumped_whole_or_absent || return
	cat "$T"/saved-* >"$T/saved" 2>/dev/null
	notes_saved_are_there "$T/saved" || return
	local lines notes
	lines=$(wc -l <"$LOG")
	notes=$(wc -l <"$T/saved")
	local imported=0 k
	for ((k = 1; k <= BUNDLES; k++)); do
		[ "$(sql "$DB" "SELECT count(*) FROM history WHERE terminal = '${FROM[k]}'")" = 0 ] ||
			imported=$((imported + 1))
	done
	echo "# $ROUNDS rounds: $DEMOS_KILLED demos and $IMPORTS_KILLED imports" \
		"ended by the kill (the others had finished), every screen; $lines changes logged, $notes notes seen" \
		"saved, $imported of $BUNDLES bundles in"
}

# --- signals -----------------------------------------------------------------------------------------------

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
	wait_until 10 gone "$pid" ||
		fail "husly is still running after its terminal went away" || return
	[ ! -s "$T/s.err" ] || fail "husly wrote to stderr: $(head -c 600 "$T/s.err")" || return
	[ "$(drafts "$db")" = 1 ] || fail "no draft after the terminal went away" || return
	closed_cleanly "$db" || return
	offers_draft "$db" "Hugo Ærenstrup"
}

gone() { ! kill -0 "$1" 2>/dev/null; }

# The question Ctrl-C asks, with the letter that answers yes in the language under test.
# shellcheck disable=SC2059 # the format is the message's
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

# The row of the note line.
note_row() { screen "$1" | grep -nF "$(t 'New note:')" | cut -d: -f1; }
note_line_below() { [ "$(note_row "$1")" -gt "$2" ]; }
note_line_within() { [ "$(note_row "$1")" -le "$2" ]; }

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
	wait_until 10 note_line_below s 24 ||
		fail "at 100x30 the note line did not move down: $(screen s | grep -nF "$(t 'New note:')")" ||
		return
	[[ $(screen_line s 30) == *"Esc"* ]] || fail "no key bar on the last row at 100x30" || return
	screen s | grep -F "$(t 'New note:')" | grep -qF "$text" || fail "the text is lost at 100x30" ||
		return
	tmx resize-window -t s -x 80 -y 24
	wait_until 10 note_line_within s 24 ||
		fail "back at 80x24 the note line is not on screen" || return
	keys s Enter
	wait_for s "$(t 'The note is saved.')" 5 || fail "the note was not saved after resizing" ||
		return
	[ "$(sql "$db" "SELECT count(*) FROM note WHERE body = '$text'")" = 1 ] ||
		fail "the note is not in the database" || return
	quit_ok s
}

# --- the runs ----------------------------------------------------------------------------------------------

# The shell's notices of killed jobs ("Killed") are not the test's output.
crash_rounds_quietly() { crash_rounds 2>>"$T/shell.err"; }

run_test "SIGKILL at random moments of demo --edits, import and the screens, $ROUNDS rounds: check passes, nothing committed is lost, imports whole or absent" crash_rounds_quietly
run_test "SIGTERM during an intake: the draft is kept, the database closed, the next start offers it" term_keeps_draft
run_test "the terminal gone (SIGHUP) during an intake: husly ends, the draft is kept, the database closed" terminal_gone_keeps_draft
run_test "Ctrl-C asks before quitting: another key carries on (a note typed stays), yes or Ctrl-C again quits" ctrl_c_asks
run_test "a resize while a note is written lays the screen out again and keeps the text" resize_while_writing
finish
