#!/bin/bash
# Synchronisation from the keyboard: the sync screen (y on the list) shows the peers with their
# last export and import and what they have not been sent, exports a sealed bundle to a typed
# file (never over an existing one, never without a key) and imports one; the conflicts screen
# (k there, or on a resident with conflicts, whose alert says so) restores a lost value or keeps
# the current one after a second press, for a coordinator or the one user of an install without
# a staff table, and for no one else.
#
# The conflicts are made with the command line, as terminals make them: two databases A and B
# from one demo, the same fields changed on both (husly demo --edits), bundles both ways.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo
LOGIN=$(id -un)
KEY=$T/shelter.key

# tf MSGID ARGS...: the translated printf format, filled in.
tf() {
	local f
	f=$(t "$1")
	shift
	# shellcheck disable=SC2059 # the format is the message's
	printf "$f" "$@"
}

# tn_format SINGULAR PLURAL N: the translated plural format for N.
tn_format() {
	LANGUAGE=$LANGUAGE TEXTDOMAINDIR=$HUSLY_LOCALEDIR ngettext -d husly -- "$1" "$2" "$3" \
		2>/dev/null || { [ "$3" = 1 ] && printf '%s' "$1" || printf '%s' "$2"; }
}

# tn SINGULAR PLURAL N ARGS...: the translated plural format for N, filled in with ARGS.
tn() {
	local f
	f=$(tn_format "$1" "$2" "$3")
	shift 3
	# shellcheck disable=SC2059
	printf "$f" "$@"
}

# head_of MSGID: the translation up to its first %, for messages that end in a value.
head_of() {
	local f
	f=$(t "$1")
	printf '%s' "${f%%%*}"
}

# conf FILE TERMINAL [KEY [EXTRA]]: a husly.conf for a terminal, with the shelter key or none.
conf() {
	{
		printf 'shelter = "Herberget Nordhavn"\nterminal = "%s"\n' "$2"
		if [ -n "${3:-}" ]; then printf 'sync_key_file = "%s"\n' "$3"; fi
		if [ -n "${4:-}" ]; then printf '%s\n' "$4"; fi
	} >"$1"
}

# h CONF DB ARGS...: husly on the command line.
h() {
	local c=$1 d=$2
	shift 2
	"$HUSLY" -c "$c" -d "$d" "$@"
}

# Two terminals that changed the same fields and exchanged bundles: $T/A.db (reception-1, the
# demo) and $T/B.db (reception-2), both with open conflicts. Tests change copies of them.
make_conflicts() {
	if ! { "$HUSLY" -c /dev/null keygen -o "$KEY" >/dev/null &&
		conf "$T/a.conf" reception-1 "$KEY" && conf "$T/b.conf" reception-2 "$KEY" &&
		cp "$DEMO_DB" "$T/A.db" && h "$T/b.conf" "$T/B.db" init >/dev/null &&
		h "$T/a.conf" "$T/A.db" export --full -o "$T/full.bundle" 2>/dev/null &&
		h "$T/b.conf" "$T/B.db" import "$T/full.bundle" >/dev/null &&
		h "$T/a.conf" "$T/A.db" demo --residents 0 --edits 40 --seed 5 >/dev/null &&
		h "$T/b.conf" "$T/B.db" demo --residents 0 --edits 40 --seed 6 >/dev/null &&
		h "$T/a.conf" "$T/A.db" export --to reception-2 -o "$T/ab.bundle" 2>/dev/null &&
		h "$T/b.conf" "$T/B.db" export --to reception-1 -o "$T/ba.bundle" 2>/dev/null &&
		h "$T/a.conf" "$T/A.db" import "$T/ba.bundle" >/dev/null &&
		h "$T/b.conf" "$T/B.db" import "$T/ab.bundle" >/dev/null; }; then
		echo "not ok setup: making the two terminals failed"
		exit 1
	fi
	local n
	n=$(sql "$T/A.db" "SELECT count(*) FROM conflict WHERE resolved_at IS NULL")
	if [ "${n:-0}" -lt 2 ]; then
		echo "not ok setup: the exchange left $n open conflicts on A, 2 or more are needed"
		exit 1
	fi
}
make_conflicts

# copy NAME [FROM]: a copy of A (or FROM) to change; prints its path.
copy() {
	cp "${2:-$T/A.db}" "$T/$1.db"
	echo "$T/$1.db"
}

# open_conflicts DB: "id resident_id tbl field" of each open conflict, newest first, as
# `husly conflicts` lists them (the screens' order).
open_conflicts() {
	h "$T/a.conf" "$1" conflicts |
		sed -nE 's/^([^ ]+)  .* \(([^ ()]+)\)  ([a-z_]+)\.([a-z_]+)$/\1 \2 \3 \4/p'
}

# open_count DB: open conflicts in DB.
open_count() {
	sql "$1" "SELECT count(*) FROM conflict WHERE resolved_at IS NULL"
}

# field_value DB TBL ROW FIELD: a field's value now.
field_value() {
	sql "$1" "SELECT \"$4\" FROM \"$2\" WHERE id = '$3'"
}

# open_resident SESSION CONF DB ID: starts husly, shows everyone (the resident may have moved
# out), and opens resident ID by searching its id.
open_resident() {
	local s=$1 conf=$2 db=$3 id=$4
	start_list "$s" -- -c "$conf" -d "$db" || return
	keys "$s" f f
	wait_for "$s" "$(tf 'filter: %s' "$(t everyone)")" || fail "f f did not show everyone" || return
	keys "$s" /
	type_text "$s" "$id"
	wait_for "$s" "$(tf 'search: %s%s (%ld)' "$id" _ 1)" ||
		fail "searching $id did not find one resident: $(screen "$s" | head -6 | tr '\n' '|')" || return
	keys "$s" Enter
	wait_for "$s" "[1 $(t Overview)]" || fail "could not open resident $id" || return
}

# open_sync SESSION CONF DB [ENV...]: starts husly and opens the sync screen with y.
open_sync() {
	local s=$1 conf=$2 db=$3
	shift 3
	start_list "$s" "$@" -- -c "$conf" -d "$db" || return
	keys "$s" y
	wait_for "$s" " reception-2 " ||
		fail "y did not open the sync screen: $(screen "$s" | tail -3 | tr '\n' '|')" || return
}

# message SESSION: the status line (the row above the key bar).
message() {
	screen_line "$1" 23
}

# --- a resident's conflicts: the alert, k, restore ----------------------------------------------

resident_alert_restore() {
	local db
	db=$(copy restore)
	# The resident with the most open conflicts, and the first of theirs as the screens list it.
	local rid n first
	rid=$(open_conflicts "$db" | awk '{print $2}' | sort | uniq -c | sort -k1,1nr -k2 | awk 'NR == 1 {print $2}')
	n=$(open_conflicts "$db" | awk -v r="$rid" '$2 == r' | wc -l)
	first=$(open_conflicts "$db" | awk -v r="$rid" '$2 == r' | head -1)
	[ -n "$rid" ] && [ "$n" -ge 1 ] || fail "no resident with an open conflict" || return
	local cid=${first%% *} tbl field row lost name
	tbl=$(echo "$first" | awk '{print $3}')
	field=$(echo "$first" | awk '{print $4}')
	row=$(sql "$db" "SELECT row_id FROM conflict WHERE id = '$cid'")
	lost=$(sql "$db" "SELECT value FROM conflict WHERE id = '$cid'")
	name=$(sql "$db" "SELECT name FROM resident WHERE id = '$rid'")
	[ "$(field_value "$db" "$tbl" "$row" "$field")" != "$lost" ] ||
		fail "the field holds the lost value already" || return
	open_resident r1 "$T/a.conf" "$db" "$rid" || return
	local alert
	alert=$(tn '%s %ld conflict from synchronisation: press k' \
		'%s %ld conflicts from synchronisation: press k' "$n" '⚠' "$n")
	wait_for r1 "$alert" || fail "no alert '$alert': $(screen r1 | head -5 | tr '\n' '|')" || return
	keys r1 k
	wait_for r1 "$(tf 'Conflicts for %s' "$name")" ||
		fail "k did not open the resident's conflicts: $(screen r1 | head -4 | tr '\n' '|')" || return
	wait_for r1 "$(tn '%zu open' '%zu open' "$n" "$n")" || fail "the count is not $n" || return
	# The first Enter only asks.
	keys r1 Enter
	wait_for r1 "$(head_of 'Press Enter again to restore "%s"; any other key cancels.')" ||
		fail "Enter did not ask first: '$(message r1)'" || return
	[ -n "$(sql "$db" "SELECT id FROM conflict WHERE id = '$cid' AND resolved_at IS NULL")" ] ||
		fail "the first Enter resolved the conflict already" || return
	keys r1 Enter
	wait_for r1 "$(head_of 'Restored "%s".')" || fail "the second Enter did not restore: '$(message r1)'" || return
	# Restoring makes the value the field's again, which ends the conflict.
	[ -z "$(sql "$db" "SELECT id FROM conflict WHERE id = '$cid'")" ] ||
		fail "the conflict $cid is still there" || return
	[ "$(field_value "$db" "$tbl" "$row" "$field")" = "$lost" ] ||
		fail "$tbl.$field is '$(field_value "$db" "$tbl" "$row" "$field")', expected the lost '$lost'" || return
	local hist
	hist=$(sql "$db" "SELECT login FROM history WHERE tbl = '$tbl' AND row_id = '$row' AND
		field = '$field' ORDER BY seq DESC LIMIT 1")
	[ "$hist" = "$LOGIN" ] || fail "the restore is not in the history as $LOGIN's change ('$hist')" || return
	# Back on the resident, the alert counts what is open now (the restore may have made the
	# value it replaced a conflict of its own, when another terminal had set that too).
	keys r1 Escape
	wait_for r1 "[1 $(t Overview)]" || fail "Esc did not return to the resident" || return
	local m now
	m=$(open_conflicts "$db" | awk -v r="$rid" '$2 == r' | wc -l)
	if [ "$m" -gt 0 ]; then
		now=$(tn '%s %ld conflict from synchronisation: press k' \
			'%s %ld conflicts from synchronisation: press k' "$m" '⚠' "$m")
		wait_for r1 "$now" || fail "the alert does not say '$now': $(screen r1 | head -4 | tr '\n' '|')" || return
	else
		wait_gone r1 "$alert" || fail "the alert stayed after the last conflict" || return
	fi
	quit_ok r1
}

# A resident without conflicts has no alert; k shows an empty list.
no_conflict_no_alert() {
	local db rid
	db=$(copy calm)
	rid=$(sql "$db" "SELECT s.resident_id FROM stay s WHERE s.departure IS NULL ORDER BY s.resident_id")
	rid=$(comm -23 <(printf '%s\n' "$rid" | sort) <(open_conflicts "$db" | awk '{print $2}' | sort -u) | head -1)
	[ -n "$rid" ] || fail "every present resident has a conflict" || return
	open_resident r2 "$T/a.conf" "$db" "$rid" || return
	# The alert's words after its count, in either number.
	local one many
	one=$(tn_format '%s %ld conflict from synchronisation: press k' \
		'%s %ld conflicts from synchronisation: press k' 1)
	many=$(tn_format '%s %ld conflict from synchronisation: press k' \
		'%s %ld conflicts from synchronisation: press k' 2)
	[ -n "${one#*%ld}" ] && [ -n "${many#*%ld}" ] || fail "no words after the count" || return
	if screen r2 | grep -qF -e "${one#*%ld}" -e "${many#*%ld}"; then
		fail "a resident without conflicts has an alert: $(screen r2 | head -4 | tr '\n' '|')" || return
	fi
	keys r2 k
	wait_for r2 "$(t 'No open conflicts.')" || fail "k did not show an empty list" || return
	quit_ok r2
}

# --- the sync screen ------------------------------------------------------------------------------

# peer_line SESSION NAME: the screen line of a peer.
peer_line() {
	screen "$1" | grep -E "^ $2 " | head -1
}

# not_sent DB PEER: the changes PEER has not been sent, as the screen should count them.
not_sent() {
	sql "$1" "SELECT count(*) FROM history WHERE seq > (SELECT exported_seq FROM peer
		WHERE name = '$2')"
}

sync_screen_peers() {
	local db
	db=$(copy peers)
	open_sync s1 "$T/a.conf" "$db" || return
	wait_for s1 "$(t Synchronisation)" || fail "no title" || return
	wait_for s1 "$(tf 'Terminal: %s' reception-1)" || fail "the terminal's name is not shown" || return
	wait_for s1 "$(tf 'Bundles are sealed with the shelter key %s.' "$KEY")" ||
		fail "the screen does not say bundles are sealed: $(screen s1 | head -4 | tr '\n' '|')" || return
	local when='25-11-2026 02:14' line
	# default: a full export at the start, never an import.
	line=$(peer_line s1 default)
	[[ $line == *"$when  $(t never)"* ]] || fail "default's line is '$line'" || return
	[[ $line =~ \ $(not_sent "$db" default)$ ]] ||
		fail "default's line '$line' does not end in $(not_sent "$db" default) changes" || return
	# reception-2: exported to and imported from.
	line=$(peer_line s1 reception-2)
	[[ $line == *"$when  $when"* ]] || fail "reception-2's line is '$line'" || return
	[[ $line =~ \ $(not_sent "$db" reception-2)$ ]] ||
		fail "reception-2's line '$line' does not end in $(not_sent "$db" reception-2)" || return
	local n
	n=$(open_count "$db")
	wait_for s1 "$(tn '%s %ld open conflict: k shows it' '%s %ld open conflicts: k shows them' "$n" '⚠' "$n")" ||
		fail "the screen does not count $n open conflicts" || return
	quit_ok s1
}

export_from_screen() {
	local db
	db=$(copy export)
	# Something new on A, for the third database to receive.
	h "$T/a.conf" "$db" demo --residents 1 --seed 9 >/dev/null || fail "demo on A failed" || return
	local newest
	newest=$(comm -13 <(sql "$T/A.db" "SELECT name FROM resident" | sort) \
		<(sql "$db" "SELECT name FROM resident" | sort) | head -1)
	[ -n "$newest" ] || fail "the demo added no resident" || return
	open_sync s2 "$T/a.conf" "$db" || return
	# The cursor starts on the first peer, default; the file name is offered.
	local path=$HOME/husly-reception-1-default-20261125-0214.bundle
	keys s2 e
	wait_for s2 "$(tf 'Export for %s to file:' default)" || fail "e did not ask for a file" || return
	wait_for s2 "$path" || fail "the offered name is not $path: $(screen s2 | tail -4 | tr '\n' '|')" || return
	keys s2 Enter
	wait_for s2 "$(head_of '%ld changes exported for %s.')" ||
		fail "Enter did not export: '$(message s2)'" || return
	[ -f "$path" ] || fail "no bundle at $path" || return
	[ "$(stat -c %a "$path")" = 600 ] || fail "the bundle has mode $(stat -c %a "$path")" || return
	[ "$(not_sent "$db" default)" = 0 ] || fail "default still has $(not_sent "$db" default) not sent" || return
	[[ $(peer_line s2 default) =~ \ 0$ ]] || fail "the screen still counts changes for default: '$(peer_line s2 default)'" || return
	# The same name again (the same minute): refused, the first bundle kept as it was.
	cp "$path" "$T/first.bundle"
	local seq
	seq=$(sql "$db" "SELECT exported_seq FROM peer WHERE name = 'default'")
	keys s2 e
	wait_for s2 "$path" || fail "e did not offer $path again" || return
	keys s2 Enter
	wait_for s2 "$(t 'That file exists already: choose another name.')" ||
		fail "an existing file was not refused: '$(message s2)'" || return
	cmp -s "$path" "$T/first.bundle" || fail "the existing bundle was changed" || return
	[ "$(sql "$db" "SELECT exported_seq FROM peer WHERE name = 'default'")" = "$seq" ] ||
		fail "the refused export was recorded" || return
	# Another name, typed: the prompt is still open with the name to correct.
	keys s2 C-u
	type_text s2 "$T/second.bundle"
	keys s2 Enter
	wait_for s2 "$(tn '%ld change exported for %s.' '%ld changes exported for %s.' 0 0 default)" ||
		fail "the second export did not say 0 changes: '$(message s2)'" || return
	[ -f "$T/second.bundle" ] || fail "no bundle at the typed path" || return
	quit_ok s2 || return
	# A third terminal reads the first bundle, and has the new resident.
	conf "$T/c.conf" reception-3 "$KEY"
	h "$T/c.conf" "$T/C.db" init >/dev/null || fail "init of C failed" || return
	h "$T/c.conf" "$T/C.db" import "$path" >"$T/out" 2>"$T/err" ||
		fail "importing the screen's bundle failed: $(cat "$T/err")" || return
	[ "$(sql "$T/C.db" "SELECT count(*) FROM resident WHERE name = '${newest//\'/\'\'}'")" = 1 ] ||
		fail "C does not have $newest after the import: $(cat "$T/out")" || return
}

import_from_screen() {
	local db b
	db=$(copy import)
	b=$(copy importb "$T/B.db")
	h "$T/b.conf" "$b" demo --residents 1 --seed 11 >/dev/null &&
		h "$T/b.conf" "$b" export --to reception-1 -o "$T/fromb.bundle" 2>/dev/null ||
		fail "making a bundle on B failed" || return
	local before imports
	before=$(sql "$db" "SELECT count(*) FROM resident")
	imports=$(sql "$db" "SELECT count(*) FROM sync_log WHERE direction = 'import'")
	open_sync s3 "$T/a.conf" "$db" || return
	# A damaged bundle first: refused, nothing changed.
	head -c 200 "$T/fromb.bundle" >"$T/short.bundle"
	keys s3 i
	wait_for s3 "$(t 'Import from file:')" || fail "i did not ask for a file" || return
	keys s3 C-u
	type_text s3 "$T/short.bundle"
	keys s3 Enter
	wait_for s3 "$(head_of 'Not imported, nothing was changed: %s')" ||
		fail "a damaged bundle was not refused: '$(message s3)'" || return
	[ "$(sql "$db" "SELECT count(*) FROM sync_log WHERE direction = 'import'")" = "$imports" ] ||
		fail "the refused bundle was recorded" || return
	# The whole bundle, its path typed after the directory offered: // starts afresh.
	keys s3 Escape i
	wait_for s3 "$HOME/" || fail "i did not offer the home directory" || return
	type_text s3 "$T/fromb.bundle"
	keys s3 Enter
	wait_for s3 "$(head_of 'Imported: %s')" || fail "the bundle was not imported: '$(message s3)'" || return
	# The summary is the one the sync log keeps.
	local summary msg
	summary=$(sql "$db" "SELECT summary FROM sync_log WHERE direction = 'import' ORDER BY seq DESC LIMIT 1")
	msg=$(message s3)
	[[ -n $summary && $(tf 'Imported: %s' "$summary") == "$(printf '%s' "${msg# }" | sed 's/…$//')"* ]] ||
		fail "the message '$msg' is not the import's summary '$summary'" || return
	wait_for s3 "$(tf 'Imported %s: %s' "$T/fromb.bundle" '')" ||
		fail "the screen does not keep what the import did: $(screen s3 | tr '\n' '|')" || return
	[ "$(sql "$db" "SELECT count(*) FROM resident")" = $((before + 1)) ] ||
		fail "A has $(sql "$db" "SELECT count(*) FROM resident") residents, expected $((before + 1))" || return
	[ "$(sql "$db" "SELECT count(*) FROM sync_log WHERE direction = 'import'")" = $((imports + 1)) ] ||
		fail "the import is not in the sync log" || return
	quit_ok s3
}

export_needs_key() {
	local db
	db=$(copy nokey)
	conf "$T/nokey.conf" reception-1
	open_sync s4 "$T/nokey.conf" "$db" || return
	keys s4 e
	wait_for s4 "$(t 'No shelter key: run husly keygen -o FILE, set sync_key_file.')" ||
		fail "e without a key did not say how to make one: '$(message s4)'" || return
	local msg
	msg=$(message s4)
	[[ $msg == *"husly keygen -o "* && $msg == *sync_key_file* ]] ||
		fail "the message '$msg' does not name husly keygen and sync_key_file" || return
	! screen s4 | grep -qF "$(tf 'Export for %s to file:' default)" ||
		fail "a file name was asked for all the same" || return
	[ -z "$(find "$HOME" -name '*.bundle' -newer "$db")" ] || fail "a bundle was written" || return
	quit_ok s4
}

# --- the conflicts screen ---------------------------------------------------------------------------

keep_from_sync_screen() {
	local db
	db=$(copy keep)
	local n first cid
	n=$(open_count "$db")
	first=$(open_conflicts "$db" | head -1)
	cid=${first%% *}
	local tbl field row kept
	tbl=$(echo "$first" | awk '{print $3}')
	field=$(echo "$first" | awk '{print $4}')
	row=$(sql "$db" "SELECT row_id FROM conflict WHERE id = '$cid'")
	kept=$(field_value "$db" "$tbl" "$row" "$field")
	open_sync s5 "$T/a.conf" "$db" || return
	keys s5 k
	wait_for s5 "$(t 'Conflicts from synchronisation')" || fail "k did not open the conflicts" || return
	wait_for s5 "$(tn '%zu open' '%zu open' "$n" "$n")" || fail "the screen does not count $n" || return
	# b asks; another key calls it off.
	keys s5 b
	wait_for s5 "$(head_of 'Press b again to keep "%s" and close the conflict; any other key cancels.')" ||
		fail "b did not ask first: '$(message s5)'" || return
	keys s5 Down
	wait_for s5 "$(t 'Nothing was changed.')" || fail "Down did not call the keep off: '$(message s5)'" || return
	keys s5 Up b
	wait_for s5 "$(head_of 'Press b again to keep "%s" and close the conflict; any other key cancels.')" ||
		fail "b after a cancelled b did not ask again" || return
	[ -z "$(sql "$db" "SELECT resolved_at FROM conflict WHERE id = '$cid'")" ] ||
		fail "the conflict was closed without a second b" || return
	keys s5 b
	wait_for s5 "$(head_of 'Kept "%s"; the conflict is closed.')" || fail "b b did not keep: '$(message s5)'" || return
	[ -n "$(sql "$db" "SELECT resolved_at FROM conflict WHERE id = '$cid'")" ] ||
		fail "resolved_at is not set" || return
	[ "$(sql "$db" "SELECT resolved_by FROM conflict WHERE id = '$cid'")" = "$LOGIN" ] ||
		fail "resolved_by is not $LOGIN" || return
	[ "$(field_value "$db" "$tbl" "$row" "$field")" = "$kept" ] || fail "keeping changed the value" || return
	wait_for s5 "$(tn '%zu open' '%zu open' $((n - 1)) $((n - 1)))" || fail "the count did not drop to $((n - 1))" || return
	# Back on the sync screen, the count follows.
	keys s5 Escape
	wait_for s5 "$(tn '%s %ld open conflict: k shows it' '%s %ld open conflicts: k shows them' $((n - 1)) '⚠' $((n - 1)))" ||
		fail "the sync screen does not count $((n - 1)) conflicts" || return
	quit_ok s5
}

# ROLE: only a coordinator imports and reviews conflicts; reception exports (a bundle holds whole
# CPR numbers, which night staff do not see, so they have no sync screen at all); the keys do
# nothing for those who may not; a coordinator can resolve.
roles() {
	local db cid bar
	db=$(copy roles)
	cid=$(open_conflicts "$db" | head -1 | cut -d' ' -f1)
	conf "$T/night.conf" reception-1 "$KEY" "staff $LOGIN { name = \"Nat\" role = \"night\" }"
	start_list s5n -- -c "$T/night.conf" -d "$db" || return
	keys s5n y
	sleep 0.3
	! screen s5n | grep -qF " reception-2 " || fail "y opened the sync screen for night staff" || return
	quit_ok s5n || return
	conf "$T/recep.conf" reception-1 "$KEY" "staff $LOGIN { name = \"Rie\" role = \"reception\" }"
	open_sync s6 "$T/recep.conf" "$db" || return
	bar=$(screen_line s6 24)
	[[ $bar == *"e $(t export)"* ]] || fail "reception cannot export: '$bar'" || return
	[[ $bar != *"i $(t import)"* && $bar != *"k $(t conflicts)"* ]] ||
		fail "reception is offered import or conflicts: '$bar'" || return
	keys s6 k i
	sleep 0.3
	! screen s6 | grep -qF "$(t 'Conflicts from synchronisation')" ||
		fail "k opened the conflicts for reception" || return
	keys s6 '?'
	wait_for s6 "$(t 'Write the changes the selected peer has not been sent yet to a bundle file, sealed with the shelter key. With no peers yet, the bundle is for "default".' | cut -c1-30)" ||
		fail "? did not show the help" || return
	! screen s6 | grep -qF "$(t 'Read a bundle file from another terminal and merge its changes. A damaged bundle, or one sealed with another key, changes nothing.' | cut -c1-30)" ||
		fail "reception's help offers import" || return
	keys s6 Escape
	[ -n "$(sql "$db" "SELECT id FROM conflict WHERE id = '$cid' AND resolved_at IS NULL")" ] ||
		fail "reception resolved a conflict" || return
	quit_ok s6 || return
	conf "$T/coord.conf" reception-1 "$KEY" "staff $LOGIN { name = \"Koordinator\" role = \"coordinator\" }"
	open_sync s7 "$T/coord.conf" "$db" || return
	keys s7 k
	wait_for s7 "$(t 'Conflicts from synchronisation')" || fail "k did not open the conflicts" || return
	screen_line s7 24 | grep -qF "$(t restore)" || fail "the coordinator's key bar has no restore" || return
	keys s7 b
	wait_for s7 "$(head_of 'Press b again to keep "%s" and close the conflict; any other key cancels.')" || fail "b did not ask" || return
	keys s7 b
	wait_for s7 "$(head_of 'Kept "%s"; the conflict is closed.')" || fail "the coordinator could not keep: '$(message s7)'" || return
	[ -n "$(sql "$db" "SELECT resolved_at FROM conflict WHERE id = '$cid'")" ] ||
		fail "the coordinator's keep was not saved" || return
	quit_ok s7
}

# On a terminal without UTF-8 both screens are ASCII; a value with terminal escapes (written
# behind husly's back) is shown defused.
ascii_and_escapes() {
	local db cid
	db=$(copy ascii)
	cid=$(open_conflicts "$db" | head -1 | cut -d' ' -f1)
	sql "$db" "UPDATE conflict SET value = 'x' || char(27) || ']0;pwned' || char(7) || 'y'
		WHERE id = '$cid'" || fail "could not change the conflict" || return
	open_sync s8 "$T/a.conf" "$db" LANG=C LC_ALL=C || return
	local scr n
	wait_for s8 "!! " || fail "no ASCII warning sign: $(screen s8 | tr '\n' '|')" || return
	scr=$(screen s8)
	n=$(printf '%s' "$scr" | LC_ALL=C tr -d '\000-\177' | wc -c)
	[ "$n" -eq 0 ] || fail "$n bytes above 127 on the sync screen" || return
	keys s8 k
	wait_for s8 "x?]0;pwned?y" || fail "the value is not shown defused: $(screen s8 | head -8 | tr '\n' '|')" || return
	scr=$(screen s8)
	n=$(printf '%s' "$scr" | LC_ALL=C tr -d '\000-\177' | wc -c)
	[ "$n" -eq 0 ] || fail "$n bytes above 127 on the conflicts screen" || return
	quit_ok s8
}

# The list offers y in its help, and its key bar still ends with help and quit at 80 columns.
list_help_has_sync() {
	start_list s9 -- -c "$T/a.conf" -d "$(copy help)" || return
	local bar
	bar=$(screen_line s9 24)
	[[ $bar == *"? $(t help)  q $(t quit)"* ]] || fail "the key bar lost help or quit: '$bar'" || return
	keys s9 '?'
	wait_for s9 "$(t 'Synchronisation: export the changes for another terminal to a bundle file, import one, see the conflicts.' | cut -c1-40)" ||
		fail "the help does not list y: $(screen s9 | tr '\n' '|')" || return
	quit_ok s9
}

run_test "a resident's conflict alert, k, and Enter twice restores the lost value" resident_alert_restore
run_test "a resident without conflicts has no alert, k shows none" no_conflict_no_alert
run_test "the sync screen shows the terminal, the key, the peers and the conflicts" sync_screen_peers
run_test "e exports a sealed bundle to a typed file, never over an existing one" export_from_screen
run_test "i imports a bundle and keeps the summary; a damaged one changes nothing" import_from_screen
run_test "export without a key says how to make one" export_needs_key
run_test "b twice keeps the current value and closes the conflict" keep_from_sync_screen
run_test "only a coordinator imports and reviews conflicts; reception exports, night staff do not sync" roles
run_test "ASCII terminals and escapes in values" ascii_and_escapes
run_test "the list's help has y, the bar keeps help and quit" list_help_has_sync
finish
