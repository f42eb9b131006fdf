#!/bin/bash
# Many users on one database: a save that meets another program's write lock says on the screen
# that it waits and completes once the lock is let go; a command says so once on stderr; and
# four `husly demo --edits` processes and two people at the screens work on one file at once,
# after which `husly check` passes, every change the demos logged as committed is there, every
# change the people saw saved is there, and no screen holds a read open while it waits for a key.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo

WAITING=$(t 'Waiting for another husly on this database to finish saving... %ld s')
WAITING=${WAITING%%%ld*} # the words before the seconds
WAITING=${WAITING% }
ASAN=0
[[ $HUSLY == */asan/* ]] && ASAN=1

# --- helpers ---------------------------------------------------------------------------------------

# The line a command writes on stderr while it waits for the lock on DB.
waiting_line() {
	# shellcheck disable=SC2059 # the format is the message's
	# $'...': the message id ends with a real newline, which $(...) then drops.
	printf "$(t $'husly: waiting for another husly on %s to finish saving...\n')" "$1"
}

# hold_lock DB: the sqlite3 tool takes DB's write lock (BEGIN IMMEDIATE) and holds it until
# release_lock, as another husly in the middle of a long save would; at most a minute, and no
# longer than the test's directory is there (a test that fails does not leave it behind).
hold_lock() {
	rm -f "$T/held" "$T/release"
	cat >"$T/hold.sh" <<'EOF'
touch "$1/held"
n=0
while [ ! -e "$1/release" ] && [ -d "$1" ] && [ "$n" -lt 1200 ]; do
	sleep 0.05
	n=$((n + 1))
done
EOF
	sqlite3 -batch "$1" "BEGIN IMMEDIATE;" ".system sh $T/hold.sh $T" "COMMIT;" >"$T/hold.out" 2>&1 &
	HOLDER=$!
	wait_until 10 test -e "$T/held" || fail "sqlite3 did not take the lock: $(cat "$T/hold.out")"
}
release_lock() {
	touch "$T/release"
	wait "$HOLDER" || fail "sqlite3 holding the lock failed: $(cat "$T/hold.out")"
}

# A present resident's id (the Nth, from 1).
present_id() {
	sql "$1" "SELECT r.id FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL ORDER BY r.id LIMIT 1 OFFSET $(($2 - 1))"
}

# open_id SESSION DB ID: starts husly on DB and opens resident ID.
open_id() {
	local s=$1 db=$2 id=$3
	start_list "$s" -- -c db/demo.conf -d "$db" || return
	keys "$s" /
	type_text "$s" "$id"
	keys "$s" Enter
	wait_for "$s" "[1 $(t Overview)]" 20 || fail "could not open resident $id: $(screen_line "$s" 23)"
}

# note SESSION TEXT: writes a note on the open resident and waits until husly says it is saved.
note() {
	keys "$1" a
	wait_for "$1" "$(t 'New note:')" 20 || fail "a did not open the note line" || return
	type_text "$1" "$2"
	keys "$1" Enter
	wait_for "$1" "$(t 'The note is saved.')" 60 ||
		fail "the note '$2' was not saved: $(screen_line "$1" 23)"
}

notes_with() { sql "$1" "SELECT count(*) FROM note WHERE body = '$2'"; }

# missing_logged DB LOG...: the changes the logs say were committed that DB does not hold: not
# in the history, or their record gone, or the record's field not the value of its latest
# change. Prints them (nothing when all are there).
missing_logged() {
	local db=$1
	shift
	cat "$@" | awk -F'\t' 'NF == 5' >"$T/logged.tsv"
	local pairs check="" tbl field
	pairs=$(cut -f3,5 "$T/logged.tsv" | sort -u)
	while IFS=$'\t' read -r tbl field; do
		[ -n "$tbl" ] || continue
		# shellcheck disable=SC2016 # SQL, not shell
		check+="SELECT 'not the latest value: $tbl.$field ' || r.id FROM \"$tbl\" r
			WHERE r.id IN (SELECT row_id FROM logged WHERE tbl = '$tbl' AND field = '$field')
			AND r.\"$field\" IS NOT (SELECT new_value FROM history h WHERE h.tbl = '$tbl'
			AND h.row_id = r.id AND h.field = '$field' ORDER BY hlc DESC, terminal DESC LIMIT 1);"
	done <<<"$pairs"
	sqlite3 -batch "$db" <<EOF
CREATE TEMP TABLE logged (hlc TEXT, terminal TEXT, tbl TEXT, row_id TEXT, field TEXT);
.mode tabs
.import --schema temp $T/logged.tsv logged
.mode list
SELECT 'not in the history: ' || hlc || ' ' || terminal || ' ' || tbl || ' ' || row_id || ' ' || field
	FROM logged l WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.hlc = l.hlc
	AND h.terminal = l.terminal AND h.tbl = l.tbl AND h.row_id = l.row_id AND h.field = l.field);
SELECT 'record gone: ' || tbl || ' ' || row_id FROM logged l WHERE
	(tbl = 'resident' AND row_id NOT IN (SELECT id FROM resident)) OR
	(tbl = 'stay' AND row_id NOT IN (SELECT id FROM stay)) OR
	(tbl = 'answer' AND row_id NOT IN (SELECT id FROM answer)) OR
	(tbl = 'checklist_step' AND row_id NOT IN (SELECT id FROM checklist_step)) OR
	(tbl = 'furniture' AND row_id NOT IN (SELECT id FROM furniture)) OR
	(tbl = 'note' AND row_id NOT IN (SELECT id FROM note));
$check
EOF
}

# check_ok DB: `husly check` passes.
check_ok() {
	husly_run -c db/demo.conf -d "$1" check
	[ "$STATUS" = 0 ] || fail "husly check: $(head -c 800 "$T/out" | tr '\n' ' ') $(head -c 300 "$T/err")"
}

# --- a save that waits ------------------------------------------------------------------------------

screen_waits_for_lock() {
	local db id text="Venter på låsen, ÆØÅ"
	db=$(demo_copy screen_wait)
	id=$(present_id "$db" 1)
	open_id s "$db" "$id" || return
	keys s 5
	keys s a
	wait_for s "$(t 'New note:')" || fail "a did not open the note line" || return
	type_text s "$text"
	hold_lock "$db" || return
	keys s Enter
	wait_for s "$WAITING" 10 ||
		fail "no wait message while another program holds the lock: '$(screen_line s 23)'" || return
	[[ $(screen_line s 23) == *"$WAITING"* ]] ||
		fail "the wait message is not on the message line (row 23)" || return
	# It counts the seconds, and the screen around it stays drawn.
	wait_for s "$WAITING 2 s" 10 || fail "the seconds do not count up: '$(screen_line s 23)'" ||
		return
	[[ $(screen_line s 1) == *"Herberget Nordhavn"* ]] || fail "the top line is gone while waiting" ||
		return
	[ "$(notes_with "$db" "$text")" = 0 ] || fail "the note was saved under another's lock" || return
	is_dead s && fail "husly ended while waiting: $(exit_report s)" && return 1
	release_lock || return
	wait_for s "$(t 'The note is saved.')" 10 ||
		fail "the note was not saved once the lock was let go: '$(screen_line s 23)'" || return
	wait_gone s "$WAITING" 5 || fail "the wait message stays after the save" || return
	[ "$(notes_with "$db" "$text")" = 1 ] || fail "the note is not in the database" || return
	quit_ok s
}

command_waits_for_lock() {
	local db before
	db=$(demo_copy command_wait)
	before=$(sql "$db" "SELECT count(*) FROM resident")
	hold_lock "$db" || return
	"$HUSLY" -c db/demo.conf -d "$db" demo --residents 1 --seed 77 >"$T/out" 2>"$T/err" &
	local pid=$!
	sleep 1.2
	kill -0 "$pid" 2>/dev/null || fail "demo did not wait for the lock: $(cat "$T/err")" || return
	release_lock || return
	wait "$pid"
	STATUS=$?
	expect_status 0 "demo after the lock was let go" || return
	local msg
	msg=$(waiting_line "$db")
	[ "$(cat "$T/err")" = "$msg" ] ||
		fail "stderr is not the one line '$msg': '$(head -c 500 "$T/err")'" || return
	[ "$(sql "$db" "SELECT count(*) FROM resident")" = $((before + 1)) ] ||
		fail "the resident was not added after the wait" || return
}

# --- many at once ------------------------------------------------------------------------------------

# admit SESSION NAME: a new arrival with only a name, saved with F2 (no one like them is there).
admit() {
	keys "$1" n
	wait_for "$1" "$(t 'New arrival')" 20 || fail "n did not open the intake" || return
	type_text "$1" "$2"
	keys "$1" F2
	wait_for "$1" "[1 $(t Overview)]" 60 ||
		fail "the intake of $2 was not saved: $(screen_line "$1" 23)"
}

# edit_work SESSION TEXT: on the open resident, e, the field Work (the 29th), typed over, saved.
edit_work() {
	keys "$1" e
	wait_for "$1" "$(t 'Municipality notified')" 20 || fail "e did not open the fields" || return
	local i
	for ((i = 0; i < 28; i++)); do keys "$1" Down; done
	keys "$1" Enter C-u
	type_text "$1" "$2"
	keys "$1" Enter
	wait_for "$1" "$(t 'Saved.')" 60 || fail "the field Work was not saved: $(screen_line "$1" 23)"
}

# no_read_held DB: with the screens waiting for keys, a checkpoint can empty the write-ahead log:
# no screen holds a read transaction open.
no_read_held() {
	local r
	r=$(sql "$1" "PRAGMA wal_checkpoint(TRUNCATE)")
	[ "${r%%|*}" = 0 ] || fail "a checkpoint was blocked ($r): a screen holds a read open" || return
}

many_at_once() {
	local db u1_id u2_id residents edits
	db=$(demo_copy many)
	u2_id=$(present_id "$db" 3)
	residents=6 edits=120
	[ "$ASAN" = 1 ] && residents=3 edits=40
	start_list u1 -- -c db/demo.conf -d "$db" || return
	open_id u2 "$db" "$u2_id" || return
	local pids=() seed
	rm -f "$T"/demo-*.log
	for seed in 101 102 103 104; do
		"$HUSLY" -c db/demo.conf -d "$db" demo --residents "$residents" --edits "$edits" \
			--seed "$seed" --log "$T/demo-$seed.log" >"$T/demo-$seed.out" 2>&1 &
		pids+=($!)
	done
	# Meanwhile, at the screens: an arrival and notes on one, a field and notes on the other.
	admit u1 "Samtidig Ågesen" || return
	u1_id=$(sql "$db" "SELECT id FROM resident WHERE name = 'Samtidig Ågesen'")
	[ -n "$u1_id" ] || fail "the admitted resident is not in the database" || return
	keys u1 5
	note u2 "Samtidig note 1 på $u2_id" || return
	note u1 "Samtidig note 1 på $u1_id" || return
	edit_work u2 "Samtidig arbejde ÆØÅ" || return
	keys u2 Escape
	wait_for u2 "[5 $(t Notes)]" 20 ||
		fail "Esc did not go back to the resident: $(screen u2 | tr '\n' '|')" || return
	note u1 "Samtidig note 2 på $u1_id" || return
	note u2 "Samtidig note 2 på $u2_id" || return
	local i failed=0
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || failed=$((failed + 1))
	done
	[ "$failed" = 0 ] || fail "$failed demo run(s) failed: $(cat "$T"/demo-*.out | head -c 800)" ||
		return
	# Every demo met the others' lock at some time and said so: not an error.
	grep -vF "$(waiting_line "$db")" \
		"$T"/demo-*.out | grep -q . &&
		fail "a demo wrote something else: $(cat "$T"/demo-*.out | head -c 800)" && return 1
	no_read_held "$db" || return
	quit_ok u1 || return
	quit_ok u2 || return
	check_ok "$db" || return
	local lines missing
	lines=$(cat "$T"/demo-*.log | wc -l)
	[ "$lines" -gt $((4 * residents * 20)) ] || fail "the demos logged only $lines changes" || return
	missing=$(missing_logged "$db" "$T"/demo-*.log)
	[ -z "$missing" ] || fail "logged changes missing: $(head -c 800 <<<"$missing")" || return
	# What the people saw saved.
	local body
	for body in "Samtidig note 1 på $u1_id" "Samtidig note 2 på $u1_id" \
		"Samtidig note 1 på $u2_id" "Samtidig note 2 på $u2_id"; do
		[ "$(notes_with "$db" "$body")" = 1 ] || fail "the note '$body' is not there once" || return
	done
	[ "$(sql "$db" "SELECT work FROM resident WHERE id = '$u2_id'")" = "Samtidig arbejde ÆØÅ" ] ||
		fail "the field typed is not the resident's" || return
	[ "$(sql "$db" "SELECT count(*) FROM stay WHERE resident_id = '$u1_id'")" = 1 ] ||
		fail "the admitted resident has no stay" || return
	husly_run -c db/demo.conf -d "$db" dump
	expect_status 0 "dump" || return
	grep -qF '"name":"Samtidig Ågesen"' "$T/out" || fail "the dump has no Samtidig Ågesen" || return
}

run_test "a save that meets another program's write lock says it waits, and saves when it is let go" screen_waits_for_lock
run_test "a command that meets the lock waits, says so once on stderr, and finishes" command_waits_for_lock
run_test "four husly demo --edits and two screens on one database: check passes, every change is there" many_at_once
finish
