# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by every test suite.  counts_report NAME PASS FAIL SKIP prints the
# suite's closing line "NAME: N passed, M failed, K skipped" and, when
# PV_COUNTS names a file (make check), appends "NAME N M K" to it for
# tests/sum-counts.sh.  ci_root is true when running as root in CI
# (CI=true and uid 0), where a skip for want of root is a failure.
counts_report() {
	printf '%s: %d passed, %d failed, %d skipped\n' "$1" "$2" "$3" "$4"
	if [ -n "${PV_COUNTS:-}" ]; then
		printf '%s %d %d %d\n' "$1" "$2" "$3" "$4" >>"$PV_COUNTS"
	fi
}
ci_root() { [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; }
