#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every libFuzzer target for SECONDS each, then merge what it found
# into the committed corpus tests/fuzz/corpus/NAME/ (libFuzzer -merge=1:
# an input is added only when it reaches features the corpus does not
# already reach), and print per target: executions, coverage at start and
# end (cov = edges, ft = features), inputs added by the merge, findings.
# A run whose coverage does not grow from its seeds shows as such.
# Crashes land in BUILD/fuzz/findings/NAME/; turn each into a named input
# under tests/fuzz/regress/NAME/ with a test of its clean error.
#
# FUZZ_MAX_LEN caps the inputs the fuzzer generates and the size of every
# file the merge adds to the committed corpus (small files only).
set -uo pipefail
build=${1:?}; secs=${2:?}; shift 2
maxlen=${FUZZ_MAX_LEN:-65536}
work=$build/fuzz/work
# leaks inside libfdisk itself are known and not ours (tests/lsan.supp)
export LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0
tests/fuzz/seeds.sh "$build/fuzz/seeds"
status=0
printf '%-16s %10s  %-18s %-18s %7s %s\n' target execs "start cov/ft" \
	"end cov/ft" "merged" findings
for name in "$@"; do
	# findings and work of earlier runs are not this run's
	rm -rf "$build/fuzz/findings/$name" "$work/$name"
	mkdir -p "$work/$name" "$build/fuzz/findings/$name" \
		"tests/fuzz/corpus/$name"
	for src in tests/fuzz/corpus/$name tests/fuzz/regress/$name "$build/fuzz/seeds/$name"; do
		[ -d "$src" ] && cp -n "$src"/* "$work/$name"/ 2>/dev/null
	done
	log=$build/fuzz/$name.log
	"$build/fuzz/fuzzer_$name" -max_total_time="$secs" -max_len="$maxlen" \
		-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$build/fuzz/findings/$name/" "$work/$name" >"$log" 2>&1
	rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
	[ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	start=$(grep -m1 'INITED' "$log" | sed -nE 's/.*cov: ([0-9]+) ft: ([0-9]+).*/\1\/\2/p')
	end=$(grep -E '(DONE|pulse|NEW|REDUCE).*cov:' "$log" | tail -1 |
		sed -nE 's/.*cov: ([0-9]+) ft: ([0-9]+).*/\1\/\2/p')
	# merge: keep the committed inputs, add those with new features
	before=$(find "tests/fuzz/corpus/$name" -type f | wc -l)
	"$build/fuzz/fuzzer_$name" -merge=1 -max_len="$maxlen" -rss_limit_mb=2048 \
		-timeout=10 "tests/fuzz/corpus/$name" "$work/$name" \
		>"$build/fuzz/$name.merge.log" 2>&1 || {
		echo "$name: merge failed (see $build/fuzz/$name.merge.log)"
		status=1
	}
	# small files only in the tree
	find "tests/fuzz/corpus/$name" -type f -size +"$maxlen"c -newer "$log" -delete
	after=$(find "tests/fuzz/corpus/$name" -type f | wc -l)
	found=$(find "$build/fuzz/findings/$name" -type f | wc -l)
	printf '%-16s %10s  %-18s %-18s %7s %s (exit %d)\n' "$name" "${execs:-?}" \
		"${start:-?}" "${end:-?}" "+$((after - before))" "$found" "$rc"
	[ "$found" -eq 0 ] || status=1
	if [ -z "$end" ] || [ "$end" = "$start" ]; then
		echo "$name: coverage did not grow from the seeds (see $log)"
	fi
done
echo "corpus: $(du -sb tests/fuzz/corpus | cut -f1) bytes in $(find tests/fuzz/corpus -type f | wc -l) files"
exit $status
