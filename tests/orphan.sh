#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The worker never outlives the supervisor (security.md §4): start the
# test build on a disk whose parse hangs (PVBOOT_TEST_HOOK=hang spins in
# the confined worker), kill the supervisor mid-parse as libxl does
# (SIGTERM, then SIGKILL in its restricted mode), and find no worker left
# a moment later.  Processes are found by a marker unique to this run (the
# disk's path in their command line); polling is bounded and generous, and
# no assertion is timed.  As root this checks that PR_SET_PDEATHSIG
# survives the uid drop (the kernel clears it on a credential change).
# The last case kills the supervisor before the worker sets it
# (PVBOOT_TEST_PDEATH_RACE): the re-check after the prctl must catch it.
set -uo pipefail
. "$(dirname "$0")/counts.sh" orphan
BUILD=${BUILD:-build}
PVT=$BUILD/pvboot-test
W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-orphan.XXXXXX")
DISK=$W/disk-$$.img
stray=()
cleanup() {
	local p
	# only processes this script started (found by their own pids)
	for p in "${stray[@]}"; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT


if [ ! -x "$PVT" ]; then
	say "orphan: $PVT is missing (make test-build)"
	exit 1
fi
truncate -s 1M "$DISK"

# pids of live processes (not zombies) whose command line holds $DISK;
# the pattern "[.]img" keeps grep from matching its own command line
marked() {
	local f pid st
	grep -l -- "${DISK%.img}[.]img" /proc/[0-9]*/cmdline 2>/dev/null |
	while read -r f; do
		pid=${f#/proc/}; pid=${pid%/cmdline}
		st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null)
		[ -n "$st" ] && [ "$st" != Z ] && printf '%s\n' "$pid"
	done
}

one() { # SIGNAL [NAME RACE]
	local sig=$1 name=${2:-worker-gone-after-SIG$1} sup w i p left
	mkdir -p "$W/dir.$name"
	PVBOOT_TEST_PDEATH_RACE=${3:-0} PVBOOT_TEST_HOOK=hang "$PVT" -q --output="$W/out.$name" \
		--output-directory="$W/dir.$name" "$DISK" </dev/null \
		>/dev/null 2>"$W/err.$name" &
	sup=$!
	# the worker: the supervisor's marked child (20 s bound)
	w=
	for i in $(seq 200); do
		for p in $(marked); do
			grep -qx "PPid:[[:space:]]*$sup" "/proc/$p/status" 2>/dev/null && w=$p
		done
		[ -n "$w" ] && break
		sleep 0.1
	done
	if [ -z "$w" ]; then
		bad "$name: no worker appeared"
		kill -KILL "$sup" 2>/dev/null; wait "$sup" 2>/dev/null
		return
	fi
	stray+=("$w")
	kill "-$sig" "$sup"
	wait "$sup" 2>/dev/null
	# a moment later: nothing marked is left (10 s bound)
	for i in $(seq 100); do
		left=$(marked)
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -n "$left" ]; then
		bad "$name: still running: $(echo $left) (worker was $w)"
		return
	fi
	ok "$name (worker $w gone)"
}

one TERM
one KILL
# the supervisor dies before the worker's PR_SET_PDEATHSIG: the re-check
# after it must see that (here the worker waits for the death first)
one KILL worker-gone-supervisor-died-before-pdeathsig 1
finish
