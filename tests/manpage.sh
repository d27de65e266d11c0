#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/manpage.sh: pvboot(1) documents exactly the options --help lists
# (every option in one appears in the other), it renders without
# warnings, and make install / make uninstall put both in place and take
# them away.  Ends with "N passed, M failed".
set -uo pipefail
. "$(dirname "$0")/counts.sh" manpage
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
PVBOOT=${PVBOOT:-$BUILD/pvboot}
MAN=$here/../doc/pvboot.1
T=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-man.XXXXXX")
trap 'rm -rf "$T"' EXIT

# options: "-x" and "--name" as words
opts() { grep -oE '(^|[^a-zA-Z0-9_-])--?[a-zA-Z][a-zA-Z0-9_-]*' | sed -E 's/^[^-]*//' | sort -u; }

"$PVBOOT" --help >"$T/help" 2>&1 || { bad "--help failed"; }
sed -n '/^Usage/,$p' "$T/help" | opts >"$T/help.opts"
# the man page's option lines (.TP items), troff's \- as -
awk '/^\.TP/{getline; print}' "$MAN" | sed 's/\\-/-/g; s/\\f[BIR]//g' | opts >"$T/man.opts"
if [ "$(wc -l <"$T/help.opts")" -lt 20 ]; then
	bad "--help lists $(wc -l <"$T/help.opts") options: the parse is wrong"
fi
missing=$(comm -23 "$T/help.opts" "$T/man.opts" | tr '\n' ' ')
extra=$(comm -13 "$T/help.opts" "$T/man.opts" | tr '\n' ' ')
[ -z "$missing" ] && ok "every option in --help is in pvboot(1)" ||
	bad "in --help, not in pvboot(1): $missing"
[ -z "$extra" ] && ok "every option in pvboot(1) is in --help" ||
	bad "in pvboot(1), not in --help: $extra"

if command -v groff >/dev/null; then
	w=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1)
	[ -z "$w" ] && ok "pvboot(1) renders without warnings" || bad "groff: $w"
else
	printf 'skip groff: not installed\n'
fi

make -s -C "$here/.." BUILD="$(cd "$BUILD" && pwd)" DESTDIR="$T/root" PREFIX=/usr install >"$T/log" 2>&1
if [ -x "$T/root/usr/bin/pvboot" ] && [ -f "$T/root/usr/share/man/man1/pvboot.1.gz" ] &&
   [ "$(readlink "$T/root/usr/lib/pvboot/pygrub")" = /usr/bin/pvboot ]; then
	ok "make install: /usr/bin/pvboot, /usr/share/man/man1/pvboot.1.gz, /usr/lib/pvboot/pygrub"
else
	bad "make install: $(find "$T/root" | tr '\n' ' ') $(cat "$T/log")"
fi
make -s -C "$here/.." BUILD="$(cd "$BUILD" && pwd)" DESTDIR="$T/root" PREFIX=/usr uninstall >"$T/log" 2>&1
left=$(find "$T/root" -type f -o -type l; find "$T/root" -path "*/lib/pvboot")
[ -z "$left" ] && ok "make uninstall removes them" || bad "make uninstall left: $left"

finish
