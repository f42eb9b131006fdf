#!/bin/bash
# make bench: husly at the scale of a shelter network, beside the same work in the sqlite3
# command-line tool. See "Benchmarks" in README for how to read the table.
#
# For each size (BENCH_SIZES, default 1000 10000 100000 residents) it makes a demo database once
# (build/bench/db-N/, kept: rm -r build/bench to make them anew), then measures, each figure the
# median of BENCH_RUNS runs (default 5; the whole-database exports and imports run
# BENCH_HEAVY_RUNS times, default 3, once at 100,000):
#  - in a real pseudo-terminal (bench/ptydrive.c), 80x24, TERM=xterm-256color, the way a night
#    worker on SSH uses husly: start to the first full screen of the resident list; a search
#    keystroke (the query and the redraw) among the residents present and among all; opening
#    a resident; saving one field; the bytes sent to the terminal per character typed in a
#    form and per line the list scrolls; the session's peak memory;
#  - the commands: export --full, a delta export of about 10 changes, import of each into a
#    second terminal's database, print --all, report; their time, peak memory, bundle sizes;
#  - sqlite3 doing the same work, where there is such a thing, in the same run.
# BENCH_PARTS (default "tui sqlite commands") runs only some of them.
# The table goes to stdout and build/bench/results.md. Nothing here is a test: no figure fails
# the run. It fails only when a step did not do what it should (a save not in the database).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
HUSLY=$ROOT/husly
DRIVE=$ROOT/build/bench/ptydrive
OUT=$ROOT/build/bench
SIZES=${BENCH_SIZES:-1000 10000 100000}
RUNS=${BENCH_RUNS:-5}
HEAVY_RUNS=${BENCH_HEAVY_RUNS:-3}
PARTS=${BENCH_PARTS:-tui sqlite commands} # the commands' part takes most of the time
COLS=80 ROWS=24

for tool in "$HUSLY" "$DRIVE"; do
	[ -x "$tool" ] || { echo "bench: $tool is missing (make bench builds it)" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is not installed" >&2; exit 2; }

W=$(mktemp -d "${TMPDIR:-/tmp}/husly-bench.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 2' INT TERM HUP
chmod 700 "$W" "$OUT" 2>/dev/null
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=Europe/Copenhagen
export HUSLY_NOW="2026-11-25 02:14" LANGUAGE=da HUSLY_LOCALEDIR=$ROOT/build/locale
export HOME=$W/home XDG_CONFIG_HOME=$W/home/.config XDG_DATA_HOME=$W/home/.local/share
export XDG_CACHE_HOME=$W/home/.cache XDG_RUNTIME_DIR=$W/run
unset LC_MESSAGES LC_CTYPE COLUMNS LINES TMUX
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

FIGURES=$W/figures.tsv # size <tab> figure <tab> value
: >"$FIGURES"

# --- small tools ---------------------------------------------------------------------------

say() { echo "bench: $*" >&2; }
die() {
	echo "bench: $*" >&2
	exit 1
}

median() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2];
		else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# record SIZE FIGURE VALUE
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$FIGURES"; }

# run_cmd OUT_PREFIX COMMAND...: runs COMMAND without a terminal; leaves its wall time in ms in
# OUT_PREFIX.ms and its peak memory in KB in OUT_PREFIX.kb (appending one line each).
run_cmd() {
	local prefix=$1 line rc
	shift
	"$DRIVE" -r -- "$@" >/dev/null 2>"$W/run.err"
	rc=$?
	line=$(grep '^run' "$W/run.err" | tail -1)
	if [ "$rc" != 0 ] || [ -z "$line" ]; then
		grep -v '^run' "$W/run.err" >&2
		return 1
	fi
	echo "$line" | cut -f2 >>"$prefix.ms"
	echo "$line" | cut -f3 >>"$prefix.kb"
}

# The wall time of COMMAND in ms (its output thrown away); fails with it.
wall_ms() {
	local line
	line=$("$DRIVE" -r -- "$@" 2>&1 >/dev/null | grep '^run' | tail -1)
	[ -n "$line" ] && echo "$line" | cut -f2
}

hus() { "$HUSLY" -c "$CONF" -d "$DB" "$@"; }
# The same as words, for run_cmd (which runs a program, not a shell function).
hus_words() { HUS=("$HUSLY" -c "$CONF" -d "$DB"); }

# --- the databases ------------------------------------------------------------------------

# make_db N: the demo database of N residents, made once.
make_db() {
	local n=$1 dir=$OUT/db-$1
	DB=$dir/husly.db
	[ -f "$DB" ] && return 0
	say "making a demo database of $n residents in $dir (once; it takes a while)"
	rm -rf "$dir.new" && mkdir -m 700 -p "$dir.new" || die "cannot make $dir.new"
	local started=$SECONDS
	"$HUSLY" -c "$CONF" -d "$dir.new/husly.db" demo --residents "$n" --seed 1 >/dev/null ||
		die "husly demo failed for $n residents"
	mv "$dir.new" "$dir" || die "cannot move $dir.new to $dir"
	say "made in $((SECONDS - started)) s"
}

write_conf() {
	CONF=$OUT/husly.conf
	[ -f "$OUT/shelter.key" ] || "$HUSLY" -c /dev/null keygen -o "$OUT/shelter.key" >/dev/null ||
		die "cannot make the shelter key"
	cat >"$CONF" <<EOF
# Written by bench/run.sh.
shelter = "Benchmark"
terminal = "bench"
sync_key_file = "$OUT/shelter.key"
print_command = "cat > /dev/null"
EOF
}

# --- the terminal session --------------------------------------------------------------------

DOWN='\eOB'

# The keys of one session: start, open the first resident, change "how notified" (the 10th
# field of the change screen) to TEXT, back to the list, search, scroll, search among all.
session_script() {
	local text=$1 i
	echo "start start"
	echo "key open \\r"
	echo "keys e"
	printf 'keys '
	for ((i = 0; i < 9; i++)); do printf '%s' "$DOWN"; done
	echo
	echo "keys \\r"
	echo "keys \\x15" # Ctrl-U: the field's old text away
	for ((i = 0; i < ${#text}; i++)); do echo "key type ${text:i:1}"; done
	echo "key save \\r"
	echo "keys \\e"
	echo "keys \\e"
	echo "keys /"
	echo "key search s"
	echo "key search e"
	echo "key search n"
	echo "key search \\x7f"
	echo "key search \\x7f"
	echo "key search \\x7f"
	echo "keys \\e"
	for ((i = 0; i < ROWS; i++)); do echo "keys $DOWN"; done
	for ((i = 0; i < 10; i++)); do echo "key scroll $DOWN"; done
	echo "keys f"
	echo "keys f"
	echo "keys /"
	echo "key search_all s"
	echo "key search_all e"
	echo "key search_all n"
	echo "key search_all \\x7f"
	echo "key search_all \\x7f"
	echo "key search_all \\x7f"
	echo "keys \\e"
	echo "keys s" # the order: room -> name
	echo "keys /"
	echo "key search_all_name s"
	echo "key search_all_name e"
	echo "key search_all_name n"
	echo "key search_all_name \\x7f"
	echo "key search_all_name \\x7f"
	echo "key search_all_name \\x7f"
}

tui_sessions() {
	local n=$1 run text
	: >"$W/tui.tsv"
	# Once unmeasured: an older database is upgraded on opening, and the file is read into
	# the page cache, as on a terminal in use.
	echo "start warm" >"$W/script"
	"$DRIVE" -s "${COLS}x$ROWS" "$W/script" -- "$HUSLY" -c "$CONF" -d "$DB" >/dev/null ||
		die "husly did not start on $DB"
	for ((run = 1; run <= RUNS; run++)); do
		text="bench$run-$RANDOM"
		session_script "$text" >"$W/script"
		"$DRIVE" -s "${COLS}x$ROWS" "$W/script" -- "$HUSLY" -c "$CONF" -d "$DB" \
			>>"$W/tui.tsv" || die "the terminal session stopped (size $n, run $run)"
		local saved
		saved=$(sqlite3 "$DB" "SELECT count(*) FROM stay WHERE notified_how = '$text'")
		[ "$saved" = 1 ] || die "the session's save of '$text' is not in the database ($n)"
	done
	local fig
	for fig in start open save search search_all search_all_name; do
		record "$n" "$fig.ms" "$(awk -F'\t' -v f="$fig" '$1 == f { print $2 }' "$W/tui.tsv" | median)"
	done
	record "$n" type.bytes "$(awk -F'\t' '$1 == "type" { print $3 }' "$W/tui.tsv" | median)"
	record "$n" scroll.bytes "$(awk -F'\t' '$1 == "scroll" { print $3 }' "$W/tui.tsv" | median)"
	record "$n" tui.kb "$(awk -F'\t' '$1 == "rss" { print $2 }' "$W/tui.tsv" | median)"
}

# --- sqlite3, the same work -------------------------------------------------------------------

# sql_each_ms SQL: the time of one run of SQL in a warm sqlite3: (K runs - none) / K, medians.
sql_each_ms() {
	local sql=$1 k=20 i with=() without=()
	local reps=
	for ((i = 0; i < k; i++)); do reps+="$sql"$'\n'; done
	for ((i = 0; i < RUNS; i++)); do
		without+=("$(wall_ms sqlite3 "$DB" "PRAGMA synchronous = FULL; SELECT 1;")")
		with+=("$(wall_ms sqlite3 "$DB" "PRAGMA synchronous = FULL; $reps")")
	done
	local a b
	a=$(printf '%s\n' "${with[@]}" | median)
	b=$(printf '%s\n' "${without[@]}" | median)
	awk -v a="$a" -v b="$b" -v k="$k" 'BEGIN { d = (a - b) / k; print d < 0 ? 0 : d }'
}

baseline_sqlite() {
	local n=$1 i first_page search_sql open_sql rid sid
	first_page="SELECT r.name, s.room, s.arrival FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND r.erased_at IS NULL ORDER BY s.room LIMIT $((ROWS - 4));"
	: >"$W/sq_start.ms"
	: >"$W/sq_start.kb"
	for ((i = 0; i < RUNS; i++)); do run_cmd "$W/sq_start" sqlite3 "$DB" "$first_page"; done
	record "$n" sqlite.start.ms "$(median <"$W/sq_start.ms")"
	record "$n" sqlite.tui.kb "$(median <"$W/sq_start.kb")"

	search_sql="SELECT count(*) FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND instr(r.name_key, 'sen') > 0;
		SELECT r.name, s.room FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND instr(r.name_key, 'sen') > 0 ORDER BY s.room
		LIMIT $((ROWS - 4));"
	record "$n" sqlite.search.ms "$(sql_each_ms "$search_sql")"
	search_sql="SELECT count(*) FROM resident WHERE instr(name_key, 'sen') > 0;
		SELECT name FROM resident WHERE instr(name_key, 'sen') > 0 ORDER BY name_key
		LIMIT $((ROWS - 4));"
	record "$n" sqlite.search_all.ms "$(sql_each_ms "$search_sql")"

	rid=$(sqlite3 "$DB" "SELECT resident_id FROM stay WHERE departure IS NULL
		AND room IS NOT NULL LIMIT 1")
	sid=$(sqlite3 "$DB" "SELECT id FROM stay WHERE departure IS NULL AND resident_id = '$rid'
		AND room IS NOT NULL LIMIT 1")
	open_sql="SELECT * FROM resident WHERE id = '$rid';
		SELECT * FROM stay WHERE resident_id = '$rid';
		SELECT * FROM answer WHERE resident_id = '$rid';
		SELECT * FROM checklist_step WHERE stay_id = '$sid';
		SELECT * FROM note WHERE resident_id = '$rid' ORDER BY created_at DESC LIMIT 10;"
	record "$n" sqlite.open.ms "$(sql_each_ms "$open_sql")"
	# A field changed in a durable transaction. (A value set to itself writes nothing, so it
	# changes and changes back: the row's page is written and synced once.)
	record "$n" sqlite.save.ms "$(sql_each_ms "BEGIN IMMEDIATE;
		UPDATE stay SET room = room || ' ' WHERE id = '$sid';
		UPDATE stay SET room = substr(room, 1, length(room) - 1) WHERE id = '$sid'; COMMIT;")"

	record "$n" sqlite.report.ms "$(sql_each_ms "SELECT paying_kommune, count(*),
		sum(julianday(substr(coalesce(departure, '2026-11-25'), 1, 10))
		    - julianday(max(substr(arrival, 1, 10), '2026-01-01')))
		FROM stay WHERE arrival < '2026-11-26' AND coalesce(departure, '9') >= '2026-01-01'
		GROUP BY 1;")"
}

# The physical limit of an export and an import: the changes read out as JSON, and the same
# rows loaded into a table of a new database.
baseline_sync() {
	local n=$1 runs=$2 upto=$3 i
	: >"$W/sq_full.ms"
	: >"$W/sq_delta.ms"
	: >"$W/sq_ifull.ms"
	: >"$W/sq_idelta.ms"
	for ((i = 0; i < runs; i++)); do
		"$DRIVE" -r -- sqlite3 -json "$DB" "SELECT * FROM history" >"$W/sq_full.json" \
			2>"$W/run.err"
		grep '^run' "$W/run.err" | cut -f2 >>"$W/sq_full.ms"
		sqlite3 -csv "$DB" "SELECT * FROM history" >"$W/sq_full.csv"
		rm -f "$W/sq_new.db"*
		wall_ms sqlite3 "$W/sq_new.db" "CREATE TABLE h (seq, hlc, terminal, tbl, row_id, field,
			old_value, new_value, login, at, base)" ".import --csv $W/sq_full.csv h" \
			>>"$W/sq_ifull.ms"
		rm -f "$W/sq_full.csv"
	done
	record "$n" sqlite.export_full.bytes "$(stat -c %s "$W/sq_full.json")"
	rm -f "$W/sq_full.json"
	for ((i = 0; i < RUNS; i++)); do
		"$DRIVE" -r -- sqlite3 -json "$DB" "SELECT * FROM history WHERE seq > $upto" \
			>"$W/sq_delta.json" 2>"$W/run.err"
		grep '^run' "$W/run.err" | cut -f2 >>"$W/sq_delta.ms"
		sqlite3 -csv "$DB" "SELECT * FROM history WHERE seq > $upto" >"$W/sq_delta.csv"
		wall_ms sqlite3 "$W/sq_new.db" ".import --csv $W/sq_delta.csv h" >>"$W/sq_idelta.ms"
	done
	record "$n" sqlite.export_delta.bytes "$(stat -c %s "$W/sq_delta.json")"
	rm -f "$W/sq_new.db"*
	local f
	for f in full delta ifull idelta; do
		local name=export_$f
		[ "$f" = ifull ] && name=import_full
		[ "$f" = idelta ] && name=import_delta
		record "$n" "sqlite.$name.ms" "$(median <"$W/sq_$f.ms")"
	done
}

# --- the commands ----------------------------------------------------------------------------

commands() {
	local n=$1 runs=$HEAVY_RUNS i peer=$W/peer/husly.db
	[ "$n" -ge 100000 ] && runs=1
	for f in export_full import_full export_delta import_delta print report; do
		: >"$W/$f.ms"
		: >"$W/$f.kb"
	done
	for ((i = 0; i < runs; i++)); do
		run_cmd "$W/export_full" "${HUS[@]}" export --full --to bench-full -o "$W/full.bundle" ||
			die "export --full failed ($n)"
		rm -rf "$W/peer" && mkdir -m 700 "$W/peer"
		"$HUSLY" -c "$CONF" -d "$peer" init >/dev/null || die "init failed"
		run_cmd "$W/import_full" "$HUSLY" -c "$CONF" -d "$peer" import "$W/full.bundle" ||
			die "import of the full bundle failed ($n)"
	done
	record "$n" export_full.bytes "$(stat -c %s "$W/full.bundle")"
	rm -f "$W/full.bundle"

	# Deltas: the peer has everything up to now; then about 10 changes, exported and imported.
	hus export --to bench-peer -o "$W/catchup.bundle" >/dev/null 2>&1 ||
		die "export to bench-peer failed ($n)"
	rm -f "$W/catchup.bundle"
	local upto changes=
	upto=$(sqlite3 "$DB" "SELECT max(seq) FROM history")
	: >"$W/changes"
	for ((i = 0; i < RUNS; i++)); do
		# Edits the way staff make them, one at a time, until there are 10 changes.
		rm -f "$W/edits.log"
		local seed=$((i * 100 + 2))
		while [ "$(cat "$W/edits.log" 2>/dev/null | wc -l)" -lt 10 ]; do
			hus demo --residents 0 --edits 1 --seed $((seed++)) --log "$W/edits.log" \
				>/dev/null || die "demo --edits failed ($n)"
		done
		wc -l <"$W/edits.log" >>"$W/changes"
		run_cmd "$W/export_delta" "${HUS[@]}" export --to bench-peer -o "$W/delta.bundle" ||
			die "delta export failed ($n)"
		stat -c %s "$W/delta.bundle" >>"$W/delta.bytes"
		run_cmd "$W/import_delta" "$HUSLY" -c "$CONF" -d "$peer" import "$W/delta.bundle" ||
			die "import of a delta failed ($n)"
	done
	record "$n" delta.changes "$(median <"$W/changes")"
	record "$n" export_delta.bytes "$(median <"$W/delta.bytes")"
	rm -f "$W/delta.bytes"
	[ "$i" -gt 0 ] && upto=$(sqlite3 "$DB" "SELECT max(seq) - $(tail -1 "$W/changes") FROM history")

	for ((i = 0; i < runs; i++)); do
		run_cmd "$W/print" "${HUS[@]}" print --all -o "$W/all.pdf" || die "print --all failed ($n)"
	done
	local pages
	pages=$(grep -a -o '/Type */Page[^s]' "$W/all.pdf" | wc -l)
	record "$n" print.pages "$pages"
	rm -f "$W/all.pdf"
	for ((i = 0; i < RUNS; i++)); do
		run_cmd "$W/report" "${HUS[@]}" report -o "$W/report.txt" || die "report failed ($n)"
	done
	for f in export_full import_full export_delta import_delta print report; do
		record "$n" "$f.ms" "$(median <"$W/$f.ms")"
		record "$n" "$f.kb" "$(median <"$W/$f.kb")"
	done
	rm -rf "$W/peer"
	baseline_sync "$n" "$runs" "$upto"
}

# --- the table -------------------------------------------------------------------------------

machine() {
	local cpu mem
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
	echo "Machine: $cpu, $(nproc) cores, $mem; $(uname -sr);" \
		"$(df -hT "$OUT" | awk 'NR == 2 { print $2 }') disk;" \
		"SQLite $(sqlite3 --version | cut -d' ' -f1); husly $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "?")."
	echo "Runs: $RUNS per figure ($HEAVY_RUNS for whole-database exports, imports and" \
		"prints, 1 at 100,000); $(date -u '+%Y-%m-%d %H:%M UTC')."
}

table() {
	awk -F'\t' -v sizes="$SIZES" -f "$ROOT/bench/table.awk" "$FIGURES"
}

# --- the run ---------------------------------------------------------------------------------

mkdir -p "$OUT" && chmod 700 "$OUT"
write_conf
for n in $SIZES; do
	make_db "$n"
	hus_words
	for part in $PARTS; do
		case $part in
		tui) say "$n residents: the terminal session" && tui_sessions "$n" ;;
		sqlite) say "$n residents: sqlite3" && baseline_sqlite "$n" ;;
		commands) say "$n residents: the commands" && commands "$n" ;;
		*) die "BENCH_PARTS: no part '$part' (tui, sqlite, commands)" ;;
		esac
	done
done
{
	machine
	echo
	table
} | tee "$OUT/results.md"
cp "$FIGURES" "$OUT/figures.tsv"
