#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sum-counts.sh FILE SUITE...: the closing line of make check.  FILE holds
# "NAME PASS FAIL SKIP" lines appended by every suite (tests/counts.sh,
# tests/unit/unit.h, tests/fuzz/replay.c); a line counts for SUITE when
# NAME is SUITE or starts with "SUITE:".  A suite with no line at all (it
# died before reporting) is one failure.  Prints one line
# "N passed, M failed, K skipped" and exits 1 on any failure.
set -uo pipefail
file=${1:?usage: sum-counts.sh FILE SUITE...}; shift
p=0 f=0 s=0
for suite in "$@"; do
	seen=0
	if [ -f "$file" ]; then
		while read -r name np nf ns; do
			case $name in "$suite" | "$suite":*) ;; *) continue ;; esac
			seen=1
			p=$((p + np)) f=$((f + nf)) s=$((s + ns))
		done <"$file"
	fi
	if [ $seen = 0 ]; then
		echo "FAIL $suite: reported no counts (did it die?)"
		f=$((f + 1))
	fi
done
printf '%d passed, %d failed, %d skipped\n' "$p" "$f" "$s"
[ "$f" = 0 ]
