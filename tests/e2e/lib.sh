# Shared by the end-to-end tests (tests/e2e/test_*.sh): a pinned environment, a demo database,
# husly run in tmux the way a person would use it, and the ok / not ok lines tests/run.sh counts.
#
# A test script sources this file, defines functions that return 0 (pass) or call `fail WHY`
# (which returns 1), runs each with `run_test NAME FUNCTION`, and ends with `finish`.
#
# Environment: HUSLY (default ./husly) is the binary under test, relative to the top of the
# source tree; ASAN_OPTIONS and friends pass through to it.

set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 2
HUSLY=${HUSLY:-./husly}
case $HUSLY in /*) ;; *) HUSLY=$ROOT/${HUSLY#./} ;; esac
if [ ! -x "$HUSLY" ]; then
	echo "not ok setup: $HUSLY is not an executable (run make first)"
	exit 1
fi
for tool in tmux sqlite3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "not ok setup: $tool is not installed (make deps-test)"
		exit 1
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/husly-e2e.XXXXXX") || exit 2
SOCKET=husly-test-$$
PASSED=0
FAILED=0
REASON=

# --- the pinned environment ------------------------------------------------------------------
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=Europe/Copenhagen
export HUSLY_NOW="2026-11-25 02:14" LANGUAGE=da HUSLY_LOCALEDIR=$ROOT/build/locale
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_DATA_HOME=$T/home/.local/share
export XDG_CACHE_HOME=$T/home/.cache XDG_RUNTIME_DIR=$T/run
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
[ -f "$ROOT/tests/lsan.supp" ] &&
	export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
unset TMUX TMUX_PANE LC_MESSAGES LC_CTYPE NCURSES_NO_UTF8_ACS COLUMNS LINES
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# Pinned variables handed to husly in tmux (the tmux server has an environment of its own).
PINNED=(TERM LANG LC_ALL TZ HUSLY_NOW LANGUAGE HUSLY_LOCALEDIR HOME XDG_CONFIG_HOME
	XDG_DATA_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR ASAN_OPTIONS UBSAN_OPTIONS)

cat >"$T/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
set -g history-limit 200
set -g default-terminal screen
set -g escape-time 10
EOF

tmx() { tmux -L "$SOCKET" -f "$T/tmux.conf" "$@"; }

cleanup() {
	tmx kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# --- results -----------------------------------------------------------------------------------

# Records why the running test failed; returns 1, so `check || fail "why" || return`.
fail() {
	REASON=$*
	return 1
}

# run_test NAME FUNCTION [ARGS]: runs one test, prints "ok NAME" or "not ok NAME: why".
run_test() {
	local name=$1
	shift
	REASON=
	if "$@"; then
		echo "ok $name"
		PASSED=$((PASSED + 1))
	else
		printf 'not ok %s: %s\n' "$name" "$(printf '%s' "${REASON:-failed}" | tr '\n\r' '  ')"
		FAILED=$((FAILED + 1))
	fi
	tmx kill-server >/dev/null 2>&1
	return 0
}

finish() {
	echo "# $(basename "$0") with $HUSLY: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}

# --- messages: the words husly shows, in the language under test --------------------------------

# The translation of a message id, as husly would show it with LANGUAGE=${2:-$LANGUAGE}.
t() {
	LANGUAGE=${2:-$LANGUAGE} TEXTDOMAINDIR=$HUSLY_LOCALEDIR gettext -d husly -- "$1" 2>/dev/null ||
		printf '%s' "$1"
}

# tnf SINGULAR PLURAL N ARGS...: the translated plural message for N (ngettext), with its
# conversions (%s, %d, %ld, %lu, %zu) filled in with ARGS.
tnf() {
	local f
	f=$(LANGUAGE=$LANGUAGE TEXTDOMAINDIR=$HUSLY_LOCALEDIR ngettext -d husly -- "$1" "$2" "$3" \
		2>/dev/null) || { [ "$3" = 1 ] && f=$1 || f=$2; }
	f=${f//%zu/%s}
	f=${f//%lu/%s}
	f=${f//%ld/%s}
	shift 3
	# shellcheck disable=SC2059 # the format is the message's
	printf "$f" "$@"
}

# --- the demo database ---------------------------------------------------------------------------

DEMO_DB=$T/demo.db
# Makes the demo database every test starts from (once per script).
make_demo() {
	if ! "$HUSLY" -c db/demo.conf -d "$DEMO_DB" demo --residents 60 --seed 1 \
		>"$T/demo.out" 2>&1; then
		echo "not ok setup: husly demo failed: $(head -c 2000 "$T/demo.out")"
		exit 1
	fi
}

# A copy of the demo database to change (prints its path).
demo_copy() {
	local copy=$T/$1.db
	cp "$DEMO_DB" "$copy"
	echo "$copy"
}

# sql DB STATEMENTS: runs SQL with the sqlite3 tool, behind husly's back.
sql() {
	sqlite3 -batch -bail "$1" "$2"
}

# The names of the residents present (with an open stay) in DB, one a line.
present_names() {
	sql "$1" "SELECT r.name FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND r.erased_at IS NULL ORDER BY r.name"
}

# --- husly in tmux ---------------------------------------------------------------------------------

# start SESSION [VAR=value | -u VAR ...] [-- husly arguments]: starts husly in a new 80x24
# tmux session with the pinned environment, the given changes to it, and the arguments (by
# default the demo configuration and database). Its standard error goes to $T/SESSION.err and
# its exit status, once it ends, to $T/SESSION.status.
start() {
	local name=$1
	shift
	local envs=() args=() unset=" "
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		if [ "$1" = -u ]; then
			unset+="$2 "
			shift 2
		else
			envs+=("$1")
			shift
		fi
	done
	if [ "${1:-}" = -- ]; then
		shift
		args=("$@")
	else
		args=(-c db/demo.conf -d "$DEMO_DB")
	fi
	local pinned=() v
	for v in "${PINNED[@]}"; do
		[[ $unset == *" $v "* ]] || pinned+=("$v=${!v}")
	done
	[ -n "${LSAN_OPTIONS:-}" ] && pinned+=("LSAN_OPTIONS=$LSAN_OPTIONS")
	rm -f "$T/$name.status" "$T/$name.err"
	{
		echo '#!/bin/bash'
		printf 'cd %q || exit 125\n' "$ROOT"
		printf 'env -i PATH=%q' "$PATH"
		printf ' %q' "${pinned[@]}" "${envs[@]}" "$HUSLY" "${args[@]}"
		printf ' 2>%q\n' "$T/$name.err"
		# shellcheck disable=SC2016 # written into the script, expanded when it runs
		echo 'status=$?'
		# shellcheck disable=SC2016
		printf 'echo "$status" >%q\n' "$T/$name.status"
		# shellcheck disable=SC2016
		echo 'exit "$status"'
	} >"$T/$name.sh"
	chmod +x "$T/$name.sh"
	tmx new-session -d -s "$name" -x 80 -y 24 "$T/$name.sh"
}

# The screen of SESSION as text, one line per row.
screen() {
	tmx capture-pane -p -t "$1" 2>/dev/null
}

# Row N (1-based) of the screen.
screen_line() {
	screen "$1" | sed -n "${2}p"
}

# wait_for SESSION TEXT [SECONDS]: until the screen shows TEXT; 1 on timeout.
wait_for() {
	local deadline=$((SECONDS + ${3:-10}))
	while :; do
		screen "$1" | grep -qF -- "$2" && return 0
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_gone SESSION TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
	local deadline=$((SECONDS + ${3:-10}))
	while :; do
		screen "$1" | grep -qF -- "$2" || return 0
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_until SECONDS COMMAND...: until COMMAND succeeds.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# Keys, as tmux names them (Enter, Escape, Up...), and literal text.
keys() {
	local s=$1
	shift
	tmx send-keys -t "$s" "$@"
}
type_text() {
	tmx send-keys -t "$1" -l -- "$2"
}

# The height of SESSION's pane.
pane_height() {
	tmx display -p -t "$1" '#{pane_height}'
}

# The list's rows on screen: the lines between the column titles and the bottom line that show
# an arrival date (dd-mm-yyyy).
list_rows() {
	local h
	h=$(pane_height "$1")
	screen "$1" | sed -n "5,$((h - 2))p" | grep -E '[0-9]{2}-[0-9]{2}-[0-9]{4}'
}
count_rows() {
	list_rows "$1" | wc -l
}
# The width of the list's name column, measured on the column titles (row 4).
name_width() {
	local line a b
	line=$(screen_line "$1" 4)
	a=${line%%"$(t Name)"*}
	b=${line%%"$(t Arrival)"*}
	echo $((${#b} - ${#a} - 1))
}

# fit TEXT WIDTH [ELLIPSIS]: TEXT as husly draws it in WIDTH columns (cut, with an ellipsis).
fit() {
	local s=$1 w=$2 e=${3:-…}
	if [ "${#s}" -le "$w" ]; then
		printf '%s' "$s"
	else
		printf '%s%s' "${s:0:w-1}" "$e"
	fi
}

# Succeeds when the list shows at least N rows.
rows_at_least() {
	[ "$(count_rows "$1")" -ge "$2" ]
}

# Whether husly in SESSION has ended.
is_dead() {
	[ "$(tmx display -p -t "$1" '#{pane_dead}' 2>/dev/null)" = 1 ] && [ -f "$T/$1.status" ]
}

# Why husly's run in SESSION went wrong, for a message: its status and standard error.
exit_report() {
	local st="(still running)"
	[ -f "$T/$1.status" ] && st=$(cat "$T/$1.status")
	echo "exit status $st; stderr: $(head -c 1500 "$T/$1.err" 2>/dev/null | tr '\n' ' ')"
}

# quit_ok SESSION: presses q and expects husly to end with status 0 and nothing on stderr
# (under ASan, a leak or an error report ends up there and in the status).
quit_ok() {
	keys "$1" q
	wait_until 10 is_dead "$1" || fail "q did not end husly: $(exit_report "$1")" || return
	local st dead_status
	st=$(cat "$T/$1.status")
	dead_status=$(tmx display -p -t "$1" '#{pane_dead_status}')
	[ "$st" = 0 ] || fail "husly ended with $(exit_report "$1")" || return
	# tmux does not always know the status (its report races the pane's end); when it does,
	# it must agree.
	[ -z "$dead_status" ] || [ "$dead_status" = 0 ] ||
		fail "tmux says the pane ended with status $dead_status" || return
	[ ! -s "$T/$1.err" ] || fail "husly wrote to stderr: $(exit_report "$1")" || return
}

# start_list SESSION [start arguments]: starts husly and waits for the list to show.
start_list() {
	local s=$1
	start "$@"
	wait_until 10 rows_at_least "$s" 10 ||
		fail "the list did not show 10 rows: $(screen "$s" | head -30 | tr '\n' '|') $(exit_report "$s")"
}

# husly_run ARGS...: runs husly; its status in $STATUS, output in $T/out and $T/err.
husly_run() {
	"$HUSLY" "$@" >"$T/out" 2>"$T/err" </dev/null
	STATUS=$?
}

# expect_status N WHAT: fails unless the last husly_run ended with N.
expect_status() {
	[ "$STATUS" -eq "$1" ] ||
		fail "$2: exit status $STATUS, expected $1; stderr: $(head -c 1000 "$T/err" | tr '\n' ' ')"
}

# stderr_has TEXT: fails unless the last husly_run's stderr contains TEXT.
stderr_has() {
	grep -qF -- "$1" "$T/err" || fail "stderr does not contain '$1': $(head -c 1000 "$T/err" | tr '\n' ' ')"
}
