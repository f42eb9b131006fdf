#!/bin/bash
# Sync by export: terminals that exchange bundles in any order (duplicates, relays, bundles lost
# and sent again) end with byte-identical dumps; per-field merge and conflicts; sealed bundles,
# keys, and every kind of damaged bundle refused with the database unchanged.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# The sanitizer build is several times slower: fewer seeds there, the same code paths.
case $HUSLY in *asan*) SEEDS=${SYNC_SEEDS:-4} ;; *) SEEDS=${SYNC_SEEDS:-12} ;; esac
make_demo

# h TERMINAL ARGS...: husly on terminal T's database ($T/T.db) with the shared key.
h() {
	local t=$1
	shift
	"$HUSLY" -c "$T/sync.conf" -d "$T/$t.db" "$@"
}

setup_key() {
	[ -f "$T/shelter.key" ] || "$HUSLY" -c /dev/null keygen -o "$T/shelter.key" >/dev/null ||
		return 1
	printf 'sync_key_file = "%s"\n' "$T/shelter.key" >"$T/sync.conf"
}

# Three terminals: a has a house of residents, b and c start empty and get a full bundle of it.
three_terminals() {
	rm -f "$T"/[abc].db "$T"/*.bundle
	h a demo --residents 12 --seed "$1" >/dev/null || return 1
	h b init >/dev/null && h c init >/dev/null || return 1
	h a export --full -o "$T/start.bundle" 2>/dev/null || return 1
	h b import "$T/start.bundle" >/dev/null && h c import "$T/start.bundle" >/dev/null
}

same_dumps() {
	h a dump >"$T/a.dump" && h b dump >"$T/b.dump" && h c dump >"$T/c.dump" || return 1
	cmp -s "$T/a.dump" "$T/b.dump" && cmp -s "$T/a.dump" "$T/c.dump"
}

# One seed: random edits on random terminals, random exchanges between them.
random_exchanges() {
	local seed=$1 round from to n=0 lost=()
	RANDOM=$seed
	three_terminals "$seed" || { fail "seed $seed: setting up the terminals failed"; return; }
	local names=(a b c)
	for ((round = 0; round < 14; round++)); do
		from=${names[RANDOM % 3]}
		to=${names[RANDOM % 3]}
		[ "$from" = "$to" ] && to=${names[(RANDOM % 2 + 1 + ${#from}) % 3]}
		[ "$from" = "$to" ] && continue
		h "$from" demo --residents $((RANDOM % 2)) --edits $((RANDOM % 25 + 1)) \
			--seed $((seed * 1000 + round)) >/dev/null ||
			{ fail "seed $seed: demo on $from failed"; return; }
		n=$((n + 1))
		h "$from" export --to "$to" -o "$T/$n.bundle" 2>/dev/null ||
			{ fail "seed $seed: export $from -> $to failed"; return; }
		case $((RANDOM % 5)) in
		0) lost+=("$to:$n") ;; # lost on the way, sent again at the end
		1) # arrives twice
			h "$to" import "$T/$n.bundle" >/dev/null && h "$to" import "$T/$n.bundle" >/dev/null ||
				{ fail "seed $seed: importing $n twice into $to failed"; return; } ;;
		*) h "$to" import "$T/$n.bundle" >/dev/null ||
			{ fail "seed $seed: import $n into $to failed: $(h "$to" import "$T/$n.bundle" 2>&1)"; return; } ;;
		esac
	done
	local l
	for l in "${lost[@]}"; do # the lost bundles, found again, in the order they were made
		h "${l%%:*}" import "$T/${l#*:}.bundle" >/dev/null ||
			{ fail "seed $seed: a late bundle was refused"; return; }
	done
	# Everyone sends everyone what they have not sent them (relays included), twice round.
	local pass x y
	for pass in 1 2; do
		for x in a b c; do
			for y in a b c; do
				[ "$x" = "$y" ] && continue
				h "$x" export --to "$y" -o "$T/end.bundle" 2>/dev/null &&
					h "$y" import "$T/end.bundle" >/dev/null ||
					{ fail "seed $seed, pass $pass: $x -> $y failed"; return; }
			done
		done
	done
	same_dumps || { [ -n "${SYNC_KEEP:-}" ] && cp "$T"/[abc].db "$T"/*.bundle "$SYNC_KEEP"/; fail "seed $seed: the dumps differ: $(diff "$T/a.dump" "$T/b.dump" | head -5)$(diff "$T/a.dump" "$T/c.dump" | head -5)"; return; }
	local t
	for t in a b c; do
		h "$t" check >/dev/null || { fail "seed $seed: check fails on $t"; return; }
	done
}

converge_many_seeds() {
	setup_key || { fail "keygen failed"; return; }
	local seed
	for ((seed = 1; seed <= SEEDS; seed++)); do
		random_exchanges "$seed" || return
	done
}

# Relay: a's change reaches c only through b.
relay() {
	setup_key && three_terminals 7 || { fail "setup failed"; return; }
	h a demo --residents 1 --seed 70 >/dev/null
	h a export --to b -o "$T/ab.bundle" 2>/dev/null && h b import "$T/ab.bundle" >/dev/null &&
		h b export --to c -o "$T/bc.bundle" 2>/dev/null && h c import "$T/bc.bundle" >/dev/null ||
		{ fail "the relay failed"; return; }
	local na nc
	na=$(sql "$T/a.db" "SELECT count(*) FROM resident")
	nc=$(sql "$T/c.db" "SELECT count(*) FROM resident")
	[ "$na" = "$nc" ] || fail "c has $nc residents, a $na: the relay lost one"
}

damaged_bundles() {
	setup_key && three_terminals 5 || { fail "setup failed"; return; }
	h a demo --residents 1 --edits 5 --seed 51 >/dev/null
	h a export --to b -o "$T/good.bundle" 2>/dev/null || { fail "export failed"; return; }
	h b dump >"$T/before.dump"
	local size
	size=$(stat -c %s "$T/good.bundle")
	# Truncated.
	head -c $((size - 7)) "$T/good.bundle" >"$T/short.bundle"
	h b import "$T/short.bundle" >"$T/out" 2>"$T/err"
	[ $? = 1 ] || { fail "a truncated bundle was not refused with 1"; return; }
	grep -qiF "$(t 'truncated: it ends before its end')" "$T/err" || { fail "truncated: '$(cat "$T/err")'"; return; }
	# One byte flipped in the middle.
	cp "$T/good.bundle" "$T/flip.bundle"
	printf '\x5a' | dd of="$T/flip.bundle" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
	h b import "$T/flip.bundle" >"$T/out" 2>"$T/err"
	[ $? = 1 ] || { fail "an altered bundle was not refused with 1"; return; }
	# Another shelter's key.
	"$HUSLY" -c /dev/null keygen -o "$T/other.key" >/dev/null
	printf 'sync_key_file = "%s"\n' "$T/other.key" >"$T/other.conf"
	"$HUSLY" -c "$T/other.conf" -d "$T/b.db" import "$T/good.bundle" >"$T/out" 2>"$T/err"
	[ $? = 1 ] || { fail "a bundle of another key was not refused with 1"; return; }
	grep -qi "$(t 'sealed with another shelter key')" "$T/err" ||
		{ fail "wrong key: '$(cat "$T/err")'"; return; }
	# Made by a newer husly: the version byte after the magic.
	cp "$T/good.bundle" "$T/newer.bundle"
	printf '\x09' | dd of="$T/newer.bundle" bs=1 seek=9 conv=notrunc 2>/dev/null
	h b import "$T/newer.bundle" >"$T/out" 2>"$T/err"
	[ $? = 1 ] || { fail "a newer bundle was not refused with 1"; return; }
	grep -qi "newer" "$T/err" || grep -qi "$(t 'update husly')" "$T/err" ||
		{ fail "newer: '$(cat "$T/err")'"; return; }
	# Not a bundle at all.
	echo "hello" >"$T/junk.bundle"
	h b import "$T/junk.bundle" >"$T/out" 2>"$T/err"
	[ $? = 1 ] || { fail "junk was not refused with 1"; return; }
	# A plain bundle without --plaintext.
	h a export --plaintext --to b -o "$T/plain.bundle" 2>/dev/null
	h b import "$T/plain.bundle" >"$T/out" 2>"$T/err"
	[ $? = 1 ] || { fail "a plain bundle was taken without --plaintext"; return; }
	h b dump >"$T/after.dump"
	cmp -s "$T/before.dump" "$T/after.dump" || { fail "a refused bundle changed the database"; return; }
	# The good one goes in, and a second time changes nothing.
	h b import "$T/good.bundle" >/dev/null || { fail "the good bundle was refused"; return; }
	h b dump >"$T/once.dump"
	h b import "$T/good.bundle" >"$T/out" || { fail "the good bundle twice was refused"; return; }
	grep -q " 0 new, 0 changed, 0 deleted, 0 conflicts" "$T/out" ||
		grep -q "$(t '%ld new, %ld changed, %ld deleted, %ld conflicts, %ld already known' |
			sed 's/%ld/0/; s/%ld/0/; s/%ld/0/; s/%ld/0/; s/%ld.*//')" "$T/out" ||
		{ fail "importing twice said '$(cat "$T/out")'"; return; }
	h b dump >"$T/twice.dump"
	cmp -s "$T/once.dump" "$T/twice.dump" || fail "importing the same bundle twice changed the database"
}

keys_and_plaintext() {
	rm -f "$T/k.key"
	"$HUSLY" -c /dev/null keygen -o "$T/k.key" >/dev/null || { fail "keygen failed"; return; }
	[ "$(stat -c %a "$T/k.key")" = 600 ] || { fail "the key file is mode $(stat -c %a "$T/k.key")"; return; }
	"$HUSLY" -c /dev/null keygen -o "$T/k.key" >/dev/null 2>&1 &&
		{ fail "keygen replaced a key file"; return; }
	cp "$DEMO_DB" "$T/nokey.db"
	"$HUSLY" -c /dev/null -d "$T/nokey.db" export -o "$T/n.bundle" >"$T/out" 2>"$T/err"
	[ $? = 2 ] || { fail "export without a key did not refuse with 2"; return; }
	grep -q "keygen" "$T/err" || { fail "the refusal does not say how to make a key"; return; }
	[ ! -e "$T/n.bundle" ] || { fail "a refused export wrote a file"; return; }
	"$HUSLY" -c /dev/null -d "$T/nokey.db" export --plaintext -o - 2>/dev/null | head -c 9 |
		grep -q HUSLYBNDL || { fail "a plain export to stdout is no bundle"; return; }
	# Sealed: no resident's name in the bytes.
	printf 'sync_key_file = "%s"\n' "$T/k.key" >"$T/k.conf"
	"$HUSLY" -c "$T/k.conf" -d "$T/nokey.db" export --full -o "$T/sealed.bundle" 2>/dev/null
	local name
	name=$(sql "$T/nokey.db" "SELECT name FROM resident LIMIT 1")
	! grep -qF "$name" "$T/sealed.bundle" || fail "a sealed bundle holds a name in clear"
}

# export -o - | import - : the pipe of `ssh host husly import -`.
through_a_pipe() {
	setup_key && three_terminals 9 || { fail "setup failed"; return; }
	h a demo --residents 2 --edits 3 --seed 91 >/dev/null
	h a export --to b -o - 2>/dev/null | h b import - >"$T/out" ||
		{ fail "export | import failed"; return; }
	grep -q "^-: " "$T/out" || fail "no summary line: '$(cat "$T/out")'"
}

# A path that is no plain file is written to as it is, never replaced by a file (a named pipe
# here; /dev/null the same way).
export_to_a_pipe() {
	setup_key && three_terminals 13 || { fail "setup failed"; return; }
	mkfifo "$T/fifo"
	timeout 20 cat "$T/fifo" >"$T/from-fifo" & # never hangs the tests
	h a export --full -o "$T/fifo" 2>/dev/null || { fail "export into a named pipe failed"; return; }
	wait
	[ -p "$T/fifo" ] || { fail "the named pipe was replaced by a file"; return; }
	h b import "$T/from-fifo" >/dev/null || fail "the bundle read from the pipe was refused"
}

run_test "three terminals, random edits and exchanges (duplicates, relays, lost bundles), $SEEDS seeds: identical dumps" converge_many_seeds
run_test "a change reaches a third terminal through a relay" relay
run_test "truncated, altered, wrong-key, newer, junk and plain bundles are refused; nothing changes; twice changes nothing" damaged_bundles
run_test "keys: 0600, never replaced; no key, no export (and how to make one); sealed bundles hold no names" keys_and_plaintext
run_test "export -o - | import -" through_a_pipe
run_test "export into a named pipe writes into it and leaves it a pipe" export_to_a_pipe
finish
