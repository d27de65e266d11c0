# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Sourced by every test suite as `. tests/counts.sh NAME` (NAME: the suite's
# name on its closing line).  The counters pass, fail and skip, and the
# helpers that print one result line and count it:
#   ok TEXT                      "ok   TEXT", a pass
#   bad TEXT                     "FAIL TEXT", a failure
#   skip TEXT                    "skip TEXT", a skip
#   check LABEL STATUS [DETAIL]  ok LABEL when STATUS is 0, else
#                                bad "LABEL: DETAIL" and returns 1
#   say TEXT                     TEXT as it is (notes, other result lines)
# finish prints the closing line (counts_report) and exits 0 when nothing
# failed, else 1; a suite that says more first overrides finish and calls
# counts_finish (tests/deb.sh).
# counts_report NAME PASS FAIL SKIP prints the closing line
# "NAME: N passed, M failed, K skipped" and, when PV_COUNTS names a file
# (make check), appends "NAME N M K" to it for tests/sum-counts.sh.
# ci_root is true when running as root in CI (CI=true and uid 0), where a
# skip for want of root is a failure.
counts_suite=${1:-}
pass=0 fail=0 skip=0

say() { printf '%s\n' "$*"; }
ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$*"; }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$*"; }
skip() { skip=$((skip + 1)); printf 'skip %s\n' "$*"; }
check() {
	if [ "$2" = 0 ]; then ok "$1"; else bad "$1${3:+: $3}"; return 1; fi
}

counts_report() {
	printf '%s: %d passed, %d failed, %d skipped\n' "$1" "$2" "$3" "$4"
	if [ -n "${PV_COUNTS:-}" ]; then
		printf '%s %d %d %d\n' "$1" "$2" "$3" "$4" >>"$PV_COUNTS"
	fi
}
counts_finish() {
	counts_report "${counts_suite:?tests/counts.sh: source it with the suite name}" \
		"$pass" "$fail" "$skip"
	[ "$fail" = 0 ]
	exit
}
finish() { counts_finish; }
ci_root() { [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; }

# Checks several suites share.  sha FILE: its sha256 in hex.
# simple0_field FILE KEY: the value of KEY (kernel, ramdisk, args) in a
# --output-format=simple0 answer.
sha() { sha256sum "$1" | cut -d' ' -f1; }
simple0_field() { tr '\0' '\n' <"$1" | sed -n "s/^$2 //p"; }
