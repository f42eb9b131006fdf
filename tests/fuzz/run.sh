#!/bin/bash
# Runs each fuzz target (built by `make fuzz`) for FUZZ_SECONDS seconds, one process on one core,
# and says what it found. New inputs that reach new code go to build/fuzz/corpus/TARGET (kept
# for the next run; the seeds of tests/fuzz/corpus are only read). A finding (a crash, a
# sanitizer report, a broken rule of tests/fuzz/harness.h, a leak, a hang) is saved in
# build/fuzz/findings/ and makes the run fail: fix it, and keep the input in
# tests/fuzz/regress/TARGET/ so `make test` checks it from then on.
set -u
cd "$(dirname "$0")/../.." || exit 2
seconds=${FUZZ_SECONDS:-60}
case $seconds in '' | *[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a number of seconds" >&2; exit 2 ;; esac

findings=build/fuzz/findings/$(date +%Y%m%d-%H%M%S)
mkdir -p "$findings"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# The harness makes its database there for every input: memory (/dev/shm) spares the disk.
if [ -z "${TMPDIR:-}" ]; then
	TMPDIR=/tmp
	[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=/dev/shm
fi
export TMPDIR

failed=()
for target in bundle config; do
	bin=build/fuzz/fuzz_$target
	work=build/fuzz/corpus/$target
	log=build/fuzz/$target.log
	mkdir -p "$work" "tests/fuzz/regress/$target"
	echo "== fuzz_$target for $seconds s (log: $log)"
	# -timeout: an input that takes this long is a hang; -max_len: room for a few 64 KiB
	# chunks of a sealed bundle.
	"$bin" -max_total_time="$seconds" -timeout=30 -max_len=262144 -print_final_stats=1 \
		-artifact_prefix="$findings/$target-" -dict="tests/fuzz/$target.dict" \
		"$work" "tests/fuzz/corpus/$target" "tests/fuzz/regress/$target" >"$log" 2>&1
	status=$?
	runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
	echo "   ${runs:-?} inputs run, ${cov:-cov: ?} edges; $(find "$work" -type f | wc -l) inputs in $work"
	found=("$findings/$target-"*)
	[ -e "${found[0]}" ] || found=()
	if [ "$status" -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
		failed+=("fuzz_$target")
		echo "   FOUND (status $status):"
		grep -E '^fuzz_|^  |ERROR: |runtime error|SUMMARY' "$log" | grep -v '^  NEW_FUNC' |
			head -15 | sed 's/^/     /'
		for f in "${found[@]}"; do
			echo "     $f"
			echo "       again: $bin $f"
		done
	fi
done
rmdir "$findings" 2>/dev/null # nothing found
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: findings in ${failed[*]}: fix them and keep the inputs in tests/fuzz/regress/"
	exit 1
fi
echo "fuzz: nothing found"
