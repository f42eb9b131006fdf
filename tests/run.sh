#!/bin/bash
# Runs every test: the cmocka unit tests (build/tests/test_*), then every end-to-end script
# (tests/e2e/test_*.sh) twice, with ./husly and with the sanitizer build build/asan/husly.
# `make test` builds all of these first. The last line is "N passed, N failed"; the exit status
# is 1 if anything failed or nothing ran.
set -u
cd "$(dirname "$0")/.." || exit 1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# ncurses' own allocations only; see the file.
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
ulimit -c 0 2>/dev/null

passed=0
failed=0
failures=()
log=$(mktemp "${TMPDIR:-/tmp}/husly-run.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT

count() { # count PATTERN FILE: lines matching PATTERN (extended regexp)
	grep -cE -- "$1" "$2"
}

# --- unit tests --------------------------------------------------------------------------------
echo "== unit tests"
units=(build/tests/test_*)
[ -e "${units[0]}" ] || units=()
for bin in "${units[@]}"; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	(timeout 300 "$bin") >"$log" 2>&1 # a subshell: "Aborted" notices go to the log too
	status=$?
	p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' "$log" | tail -1)
	f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' "$log" | tail -1)
	s=$(sed -nE 's/^\[  SKIPPED \] ([0-9]+) test.*/\1/p' "$log" | tail -1)
	if [ -z "$p$f" ]; then
		# No summary: the binary died under way (a crash, a sanitizer report). The tests that
		# finished count; the rest failed.
		p=$(count '^\[       OK \]' "$log")
		f=$(($(count '^\[ RUN      \]' "$log") - p))
		[ "$f" -gt 0 ] || f=1
	fi
	p=${p:-0} f=${f:-0}
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # every test passed, but something went wrong afterwards (a leak report at exit)
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-20s %3d passed, %d failed%s (status %d)\n' "$name" "$p" "$f" \
		"${s:+, $s skipped}" "$status"
	if [ "$f" -gt 0 ]; then
		failures+=("$name")
		grep -E '^\[  (FAILED|ERROR)|^\[   LINE|ERROR:|^ERROR|runtime error|Sanitizer' "$log" |
			head -40 | sed 's/^/    /'
		[ "$status" -gt 1 ] && tail -25 "$log" | sed 's/^/    | /'
	fi
done

# --- end-to-end tests --------------------------------------------------------------------------
scripts=(tests/e2e/test_*.sh)
[ -e "${scripts[0]}" ] || scripts=()
for husly in ./husly build/asan/husly; do
	echo "== end-to-end tests with $husly"
	for script in "${scripts[@]}"; do
		name="$(basename "$script") ($husly)"
		HUSLY=$husly timeout 300 bash "$script" 2>&1 | tee "$log" | sed 's/^/    /'
		status=${PIPESTATUS[0]}
		p=$(count '^ok ' "$log")
		f=$(count '^not ok ' "$log")
		if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "    not ok $name: the script ended with status $status"
			f=1
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" -gt 0 ] && failures+=("$name")
	done
done

if [ $((passed + failed)) -eq 0 ]; then
	echo "no tests ran (build them with make test)"
	echo "0 passed, 0 failed"
	exit 1
fi
[ "${#failures[@]}" -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
