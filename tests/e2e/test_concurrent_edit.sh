#!/bin/bash
# Two people editing the same resident at once: two husly processes on one database, with
# different logins (the second runs in a user namespace as uid 4242, so getpwuid gives it
# another login). A saves a field; B, who opened the form before, saves the same field: B sees
# the clash screen naming A and A's value, and chooses keep mine (m), take theirs (t) or field by
# field (f, Space, Enter); Esc goes back to the form with what was typed. A field only A changed
# is never written back by B. Checked with `husly dump`. Also a checklist step and a departure.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

B_UID=4242
if ! unshare --user --map-user="$B_UID" --map-group="$B_UID" true 2>/dev/null; then
	echo "not ok setup: unshare --user is not allowed here, so a second login cannot be made"
	exit 1
fi
A_LOGIN=$(id -un)
B_LOGIN=$(getent passwd "$B_UID" | cut -d: -f1)
B_LOGIN=${B_LOGIN:-uid$B_UID}

make_demo

CONF=$T/two.conf
cat >"$CONF" <<EOF
shelter = "Herberget Nordhavn"
terminal = "reception-1"
staff $A_LOGIN { name = "Anna Test" role = "coordinator" }
staff $B_LOGIN { name = "Bo Test" role = "reception" }
EOF

# husly as B: the same binary in a user namespace where this user is uid $B_UID.
AS_B=$T/as_b.sh
printf '#!/bin/bash\nexec unshare --user --map-user=%s --map-group=%s %q "$@"\n' \
	"$B_UID" "$B_UID" "$HUSLY" >"$AS_B"
chmod +x "$AS_B"

# open SESSION WHO DB ID: starts husly as WHO (a or b) and opens resident ID.
open() {
	local s=$1 who=$2 db=$3 id=$4 real=$HUSLY
	[ "$who" = b ] && HUSLY=$AS_B
	start_list "$s" -- -c "$CONF" -d "$db"
	local rc=$?
	HUSLY=$real
	[ "$rc" = 0 ] || return 1
	keys "$s" /
	type_text "$s" "$id"
	keys "$s" Enter
	wait_for "$s" "[1 $(t Overview)]" || fail "$s could not open resident $id" || return
}

# open_edit SESSION WHO DB ID: the resident's change screen (e).
open_edit() {
	open "$@" || return
	keys "$1" e
	wait_for "$1" "$(t 'Municipality notified')" || fail "e did not open the change screen" ||
		return
}

# down SESSION N: N times Down.
down() {
	local i
	for ((i = 0; i < $2; i++)); do keys "$1" Down; done
}

# change SESSION TEXT: Enter on the field under the cursor, TEXT over it, Enter.
change() {
	keys "$1" Enter
	type_text "$1" "$2"
	keys "$1" Enter
}

# tf MSGID ARGS...: the translated printf format, filled in.
tf() {
	local f
	f=$(t "$1")
	shift
	# shellcheck disable=SC2059 # the format is the message's
	printf "$f" "$@"
}

# record DB TYPE ID: the line `husly dump` prints for the record.
record() {
	"$HUSLY" -c "$CONF" -d "$1" dump | grep -F "{\"type\":\"$2\",\"id\":\"$3\","
}

# has DB TYPE ID "FIELD":VALUE: whether the dumped record holds the field with the value.
has() {
	record "$1" "$2" "$3" | grep -qF -- "$4" ||
		fail "the $2 holds $(record "$1" "$2" "$3" | grep -oE "${4%%:*}:(\"[^\"]*\"|null)"), expected $4"
}

present() {
	sql "$1" "SELECT s.resident_id || ' ' || s.id FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND r.erased_at IS NULL ORDER BY s.resident_id LIMIT 1"
}

# The fields used: Room (row 5, the stay's), Notified how (row 9) and Work (row 28).
ROOM=5 HOW=9 WORK=28

# clash DB: A and B open the same resident; A changes the room and the work and saves; B
# changes the room: B sees the clash screen. Sets ID and STAY.
clash() {
	local db=$1 row
	row=$(present "$db")
	ID=${row% *} STAY=${row#* }
	open_edit a a "$db" "$ID" || return
	open_edit b b "$db" "$ID" || return
	down a "$ROOM"
	change a "A12"
	wait_for a "$(t 'Saved.')" || fail "A's room was not saved" || return
	down a $((WORK - ROOM))
	change a "Lager A"
	wait_for a "Lager A" || fail "A's work was not saved" || return
	down b "$ROOM"
	change b "B14"
	wait_for b "$(t 'Someone else saved this while you were changing it. Nothing is saved yet.')" ||
		fail "B saw no clash: $(screen b | tr '\n' '|')" || return
	wait_for b "Anna Test ($A_LOGIN), 25-11-2026 02:14: A12" ||
		fail "the clash does not name A's change: $(screen b | tr '\n' '|')" || return
	wait_for b "$(t Yours): B14" || fail "the clash does not show B's value" || return
	wait_for b "$(t Room)" || fail "the clash does not name the field" || return
	[ "$(sql "$db" "SELECT room FROM stay WHERE id = '$STAY'")" = A12 ] ||
		fail "the room changed before B chose" || return
}

# then_how SESSION: B changes Notified how, a field nobody else touched, and quits.
then_how() {
	down b $((HOW - ROOM))
	change b "telefon B"
	wait_for b "telefon B" || fail "B's notified how was not saved" || return
	quit_ok b && quit_ok a
}

kept() {
	tf 'Saved. %lu field changed by someone else is kept.' 1
}

keep_mine() {
	local db
	db=$(demo_copy mine)
	clash "$db" || return
	# Esc first: back to the form, B's text still there, nothing saved.
	keys b Escape
	wait_for b "$(t 'Not saved.')" || fail "Esc did not say nothing was saved" || return
	wait_for b "B14" || fail "B's typed room is gone after Esc" || return
	[ "$(sql "$db" "SELECT room FROM stay WHERE id = '$STAY'")" = A12 ] ||
		fail "Esc saved the room" || return
	keys b Enter
	wait_for b "$(t 'Someone else saved this while you were changing it. Nothing is saved yet.')" ||
		fail "Enter after Esc did not show the clash again" || return
	keys b m
	wait_for b "$(kept)" || fail "keep mine said: $(screen b | tr '\n' '|')" || return
	then_how || return
	has "$db" stay "$STAY" '"room":"B14"' || return
	has "$db" stay "$STAY" '"notified_how":"telefon B"' || return
	has "$db" resident "$ID" '"work":"Lager A"' || return
}

take_theirs() {
	local db
	db=$(demo_copy theirs)
	clash "$db" || return
	keys b t
	wait_for b "$(tnf 'Nothing of yours to save: %lu field changed by someone else is kept.' 'Nothing of yours to save: %lu fields changed by someone else are kept.' 2 2)" ||
		fail "take theirs said: $(screen b | tr '\n' '|')" || return
	wait_for b "A12" || fail "B's form does not show A's room" || return
	then_how || return
	has "$db" stay "$STAY" '"room":"A12"' || return
	has "$db" stay "$STAY" '"notified_how":"telefon B"' || return
	has "$db" resident "$ID" '"work":"Lager A"' || return
	local n
	n=$(sql "$db" "SELECT count(*) FROM history WHERE tbl = 'stay' AND row_id = '$STAY'
		AND field = 'room' AND login = '$B_LOGIN'")
	[ "$n" = 0 ] || fail "B wrote the room $n times" || return
}

# Field by field, and a change that comes in while B chooses: shown again.
field_by_field() {
	local db
	db=$(demo_copy byfield)
	clash "$db" || return
	keys b f
	wait_for b "(x) $(t Yours): B14" || fail "f did not mark B's value" || return
	keys b Space
	wait_for b "(x) Anna Test" || fail "Space did not switch to A's value" || return
	keys b Space
	wait_for b "(x) $(t Yours): B14" || fail "Space did not switch back" || return
	# A changes the room once more while B chooses.
	keys a Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up
	change a "A15"
	wait_for a "A15" || fail "A's second room was not saved" || return
	keys b Enter
	wait_for b "$(t 'Yet another change came in while you chose. Nothing is saved yet.')" ||
		fail "the second change was not shown: $(screen b | tr '\n' '|')" || return
	wait_for b "A15" || fail "the clash does not show A's newest room" || return
	keys b f Space Enter
	wait_for b "$(t 'Change a field: Enter changes, h shows its history')" ||
		fail "the save did not go back to the fields: $(screen b | tr '\n' '|')" || return
	then_how || return
	has "$db" stay "$STAY" '"room":"A15"' || return
	has "$db" resident "$ID" '"work":"Lager A"' || return
}

# A checklist step: A changes the note; B's date is saved and A's note kept; then both change the
# note and B takes A's.
step_clash() {
	local db row s
	db=$(demo_copy step)
	row=$(present "$db")
	ID=${row% *} STAY=${row#* }
	for s in a b; do
		open "$s" "$s" "$db" "$ID" || return
		keys "$s" t
		wait_for "$s" "$(tf 'Checklist for %s' '')" || fail "t did not open the checklist" ||
			return
		keys "$s" Enter
		wait_for "$s" "$(t 'Income clarified')" || fail "Enter did not open the first step" ||
			return
	done
	down a 4 # the note
	change a "ringet A"
	wait_for a "ringet A" || fail "A's note was not saved" || return
	down b 1 # the date
	change b "20-11-2026"
	wait_for b "$(kept)" || fail "B's date: $(screen b | tr '\n' '|')" || return
	wait_for b "ringet A" || fail "B's step does not show A's note after B's save" || return
	keys a Enter C-u
	type_text a "ringet igen A"
	keys a Enter
	wait_for a "ringet igen A" || fail "A's second note was not saved" || return
	down b 3 # the note
	change b "ringet B"
	wait_for b "Anna Test ($A_LOGIN), 25-11-2026 02:14: ringet igen A" ||
		fail "the step's clash does not name A: $(screen b | tr '\n' '|')" || return
	wait_for b "$(t 'When you opened it'): ringet A" || fail "the clash does not show the note B saw" ||
		return
	keys b t
	wait_for b "$(tf 'Nothing of yours to save: %lu field changed by someone else is kept.' 1)" ||
		fail "take theirs on the step said: $(screen b | tr '\n' '|')" || return
	quit_ok b && quit_ok a || return
	has "$db" checklist_step "$STAY/income_clarified" '"note":"ringet igen A"' || return
	has "$db" checklist_step "$STAY/income_clarified" '"date":"2026-11-20"' || return
}

# A departure: A ends the stay while B's departure form is open; B keeps its destination and
# takes A's time, field by field.
departure_clash() {
	local db row
	db=$(demo_copy depart)
	row=$(present "$db")
	ID=${row% *} STAY=${row#* }
	local s
	for s in a b; do
		open "$s" "$s" "$db" "$ID" || return
		keys "$s" u
		wait_for "$s" "$(t 'The resident leaves (udskrivning)')" || fail "u did not open the departure" ||
			return
	done
	keys a C-u
	type_text a "i går 22:00"
	keys a Tab
	type_text a "$(t 'Family or friends')"
	keys a F2
	wait_for a "$(t 'The stay is ended.')" || fail "A's departure was not saved: $(screen a | tr '\n' '|')" || return
	keys b C-u
	type_text b "i går 23:10"
	keys b Tab
	type_text b "$(t 'Another shelter')"
	keys b Tab
	type_text b "Nøgler afleveret"
	keys b F2
	wait_for b "$(t 'Someone else saved this while you were changing it. Nothing is saved yet.')" ||
		fail "B saw no clash: $(screen b | tr '\n' '|')" || return
	wait_for b "$(t 'Moved to')" || fail "the destination is not in the clash: $(screen b | tr "\n" "|")" || return
	keys b f Space Enter # the departure: A's; where to: B's
	wait_for b "[1 $(t Overview)]" || fail "the save did not go back to the resident: $(screen b | tr '\n' '|')" || return
	quit_ok b && quit_ok a || return
	has "$db" stay "$STAY" '"departure":"2026-11-24 22:00"' || return
	has "$db" stay "$STAY" '"destination":"shelter"' || return
	has "$db" stay "$STAY" '"departure_note":"Nøgler afleveret"' || return
}

# A value and a login with escape sequences, written behind husly's back while B's form is open:
# the clash shows them with ? for the control characters, and nothing reaches the terminal.
hostile_clash() {
	local db row
	db=$(demo_copy hostile)
	row=$(present "$db")
	ID=${row% *} STAY=${row#* }
	open_edit b b "$db" "$ID" || return
	sql "$db" "UPDATE stay SET room = 'X' || char(27) || '[2J' || char(27) || ']2;pwned' ||
		char(7) || 'Y' WHERE id = '$STAY';
		INSERT INTO history (hlc, terminal, tbl, row_id, field, old_value, new_value, login,
		at) VALUES ('ffffffffffff-0000', 'test', 'stay', '$STAY', 'room', NULL, 'X', 'ev' ||
		char(27) || '[31mil', '2026-11-25T01:00:00Z')" || return
	down b "$ROOM"
	change b "B14"
	wait_for b "ev?[31mil, 25-11-2026 02:00: X?[2J?]2;pwned?Y" ||
		fail "the clash is not shown sanitised: $(screen b | tr '\n' '|')" || return
	[[ $(tmx capture-pane -p -t b) != *$'\e'* ]] || fail "an ESC byte reached the screen" || return
	[[ $(tmx display -p -t b '#{pane_title}') != *pwned* ]] || fail "the title was changed" ||
		return
	[[ $(screen_line b 1) == *"Herberget Nordhavn"* ]] || fail "the top line was wiped" || return
	keys b m
	wait_for b "$(t 'Saved.')" || fail "keep mine over the hostile value did not save" || return
	quit_ok b || return
	has "$db" stay "$STAY" '"room":"B14"' || return
}

run_test "keep mine: B's room is written, A's work kept, Esc goes back with B's text" keep_mine
run_test "take theirs: A's room stays, B's other field is written" take_theirs
run_test "field by field, and a change that came in while choosing is shown again" \
	field_by_field
run_test "a checklist step: B's date saved, A's note kept, then a clash taken from A" step_clash
run_test "a departure saved meanwhile: B chooses field by field" departure_clash
run_test "a hostile value and login in a clash are shown sanitised" hostile_clash
finish
