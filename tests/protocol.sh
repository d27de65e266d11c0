#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/protocol.sh: pvboot as each caller drives it, one harness per
# caller under tests/protocol/: libxl (xl, libvirt's libxl driver),
# xenopsd (XenServer, XCP-ng), and xl domain configs read through
# libxlutil (--domain-config), --json and --diagnose.  Each prints ok/FAIL lines and a count;
# this prints the total as "N passed, M failed".
#
# Environment: BUILD (default build), PVBOOT, IMAGES (as tests/e2e.sh).
set -uo pipefail
. "$(dirname "$0")/counts.sh" protocol
here=$(cd "$(dirname "$0")" && pwd)
export BUILD=${BUILD:-build}
export IMAGES=${IMAGES:-$BUILD/images}
need="mbr-ext4 gpt-sepboot noboot"
for n in $need; do
	if [ ! -f "$IMAGES/$n.expect" ]; then
		"$here/images/build.sh" "$IMAGES" $need >/dev/null || {
			echo "FAIL tests/images/build.sh $need"; echo "0 passed, 1 failed"; exit 1; }
		break
	fi
done
for h in libxl xenopsd domcfg json_out diagnose; do
	echo "=== $h"
	out=$(python3 "$here/protocol/$h.py" 2>&1)
	printf '%s\n' "$out" | grep -v '^[0-9]* passed, [0-9]* failed$'
	last=$(printf '%s\n' "$out" | tail -n 1)
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
	else
		echo "FAIL $h: did not finish"
		fail=$((fail + 1))
	fi
done
finish
