#!/bin/bash
# Makes the seed corpus of the fuzz targets again, with husly itself: real bundles of the
# demo's made-up residents, sealed with the test key of tests/fuzz/harness.h and plain, and the
# text inside some of them for the 'S' and 'P' inputs (see harness.h); husly.conf.example as it
# is and with its examples switched on. Run from anywhere, after `make husly`; the files are
# committed, so this is only needed when the formats change.
set -eu
cd "$(dirname "$0")/../.."
HUSLY=${HUSLY:-$PWD/husly}
B=tests/fuzz/corpus/bundle
C=tests/fuzz/corpus/config
mkdir -p "$B" "$C"
T=$(mktemp -d "${TMPDIR:-/tmp}/husly-corpus.XXXXXX")
trap 'rm -rf "$T"' EXIT

# The moment and the place of harness.h's FUZZ_NOW: the harness imports then.
export HUSLY_NOW="2026-11-25 02:14" TZ=Europe/Copenhagen LANGUAGE=en LC_ALL=C.UTF-8
key=$(sed -n 's/^#define FUZZ_KEY_HEX "\([0-9a-f]*\)"$/\1/p' tests/fuzz/harness.h)
[ ${#key} -eq 64 ] || { echo "make-corpus: no FUZZ_KEY_HEX in harness.h" >&2; exit 1; }
printf 'husly-shelter-key-1 %s\n' "$key" >"$T/key"
chmod 600 "$T/key"
printf 'sync_key_file = "%s"\nterminal = "corpus"\n' "$T/key" >"$T/husly.conf"

h() { # h DB ARGS...: husly on $T/DB.db
	local db=$1
	shift
	"$HUSLY" -c "$T/husly.conf" -d "$T/$db.db" "$@"
}
both() { # both DB NAME [--full]: a bundle of what DB has not sent, sealed and plain
	h "$1" export --to sealed ${3:+"$3"} -o "$B/$2.sealed" 2>/dev/null
	h "$1" export --to plain ${3:+"$3"} --plaintext -o "$B/$2.plain" 2>/dev/null
}
text_of() { # the text inside a plain bundle: no header, no trailer
	tail -c +12 "$1" | sed '$d'
}

# a: the terminal whose residents the harness's database holds (the same demo, seed, moment).
h a demo --residents 2 --edits 6 --seed 1
h a export --full --to sealed -o /dev/null 2>/dev/null
h a export --full --to plain --plaintext -o /dev/null 2>/dev/null
h a demo --residents 0 --edits 4 --seed 2 # edits of records the harness knows
both a edits
resident=$(h a dump | sed -n 's/^{"type":"resident","id":"\([0-9a-z]*\)".*/\1/p' | head -1)
h a erase "$resident" --yes >/dev/null
both a erasure
# b: another terminal, with a resident new to the harness.
h b demo --residents 1 --seed 5
both b new-resident --full

{ printf S; text_of "$B/edits.plain"; } >"$B/text-edits.S"
{ printf P; text_of "$B/erasure.plain"; } >"$B/text-erasure.P"
{ printf S; text_of "$B/new-resident.plain" | head -30; } >"$B/text-new-resident-start.S"
# Two terminals changed the same field, neither seeing the other: one value is kept as a conflict.
{
	printf P
	text_of "$B/edits.plain"
	text_of "$B/edits.plain" | tail -1 |
		sed 's/"terminal":"[0-9a-z]*"/"terminal":"c0rp2s2term0"/; s/"new":"[^"]*"/"new":"Astma"/'
} >"$B/text-conflict.P"
# ... and a coordinator resolved that conflict (the lost change is the one of the lesser
# terminal id).
lost=$(text_of "$B/edits.plain" | tail -1 | sed 's/.*"hlc":"\([^"]*\)","terminal":"\([^"]*\)".*/\1\/\2/')
{
	cat "$B/text-conflict.P"
	n=16
	for f in resolved_at:2026-11-24T12:00:00Z resolved_by:corpus; do
		printf '{"hlc":"%s-%04x","terminal":"c0rp2s2term0","tbl":"conflict","row":"%s","field":"%s","old":null,"new":"%s","login":"corpus","at":"2026-11-24T12:00:00Z","base":null}\n' \
			"${lost%%-*}" $((n++)) "$lost" "${f%%:*}" "${f#*:}"
	done
} >"$B/text-conflict-resolved.P"
# A child before its parent: the stay's changes first, the resident's after.
{
	printf P
	text_of "$B/new-resident.plain" | head -1
	text_of "$B/new-resident.plain" | grep '"tbl":"stay"' | head -8
	text_of "$B/new-resident.plain" | grep '"tbl":"resident"'
} >"$B/text-child-first.P"

cp man/husly.conf.example "$C/example.conf"
# The examples switched on: "#key", "#list ...", "#\t..." and "#}" lose their '#'.
sed -n 's/^#\([a-z}\t]\)/\1/p' man/husly.conf.example >"$C/example-on.conf"
cp db/demo.conf "$C/demo.conf"
echo "make-corpus: $(find "$B" -type f | wc -l) bundles in $B, $(find "$C" -type f | wc -l) files in $C"
