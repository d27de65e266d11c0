#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every libFuzzer target for SECONDS each; report executions and
# findings.  Crashes land in BUILD/fuzz/findings/NAME/; turn each into a
# named input under tests/fuzz/regress/NAME/ with a test of its clean error.
set -uo pipefail
build=${1:?}; secs=${2:?}; shift 2
work=$build/fuzz/work
# leaks inside libfdisk itself are known and not ours (tests/lsan.supp)
export LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0
tests/fuzz/seeds.sh "$build/fuzz/seeds"
status=0
for name in "$@"; do
	# findings of earlier runs are not this run's
	rm -rf "$build/fuzz/findings/$name"
	mkdir -p "$work/$name" "$build/fuzz/findings/$name"
	for src in tests/fuzz/corpus/$name tests/fuzz/regress/$name "$build/fuzz/seeds/$name"; do
		[ -d "$src" ] && cp -n "$src"/* "$work/$name"/ 2>/dev/null
	done
	log=$build/fuzz/$name.log
	"$build/fuzz/fuzzer_$name" -max_total_time="$secs" -max_len=1048576 \
		-rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix="$build/fuzz/findings/$name/" "$work/$name" >"$log" 2>&1
	rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
	[ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	found=$(ls "$build/fuzz/findings/$name" | wc -l)
	printf '%-14s %10s execs  %s findings  (exit %d)\n' "$name" "${execs:-?}" "$found" "$rc"
	[ "$found" -eq 0 ] || status=1
done
exit $status
