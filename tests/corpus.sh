#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/corpus.sh: run `pvboot --isconfig` on every real config in
# tests/corpus-expect and compare with NAME.expect, written by reading the
# config (never from running pvboot):
#   config=PATH   the config, relative to tests/corpus-expect
#   title=T       the default entry's title (as `--isconfig -l` lists it)
#   kernel=K      initrd=I (several: space-separated; absent: none)  args=A
#   image=NAME    the config needs its disk: tests/images builds NAME
# "@DIR@" stands for the config's directory (relative syslinux paths).
# Environment: BUILD (default build), PVBOOT (default $BUILD/pvboot).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CE=$here/corpus-expect
BUILD=${BUILD:-build}
PVBOOT=${PVBOOT:-$BUILD/pvboot}
. "$here/counts.sh" corpus

[ -x "$PVBOOT" ] || { echo "FAIL pvboot binary $PVBOOT missing"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-corpus.XXXXXX")
trap 'rm -rf "$T"' EXIT

for e in "$CE"/*.expect; do
	n=$(basename "$e" .expect)
	unset -v cfg title kernel initrd args image
	cfg= title= kernel= initrd= args= image=
	while IFS= read -r line; do
		case $line in
		'#'* | '') ;;
		config=*) cfg=${line#config=} ;;
		title=*) title=${line#title=} ;;
		kernel=*) kernel=${line#kernel=} ;;
		initrd=*) initrd=${line#initrd=} ;;
		args=*) args=${line#args=} ;;
		image=*) image=${line#image=} ;;
		*) bad "$n: unknown line '$line'" ;;
		esac
	done <"$e"
	f=$CE/$cfg
	[ -f "$f" ] || { bad "$n: config $cfg missing"; continue; }
	if [ -n "$image" ]; then
		skip "$n: needs its disk, checked by the $image image (tests/e2e.sh)"
		continue
	fi
	dir=$(dirname "$f")
	kernel=${kernel//@DIR@/$dir}
	initrd=${initrd//@DIR@/$dir}
	{
		printf '  kernel: %s\n' "$kernel"
		[ -n "$initrd" ] && printf '  initrd: %s\n' "$initrd"
		printf '  args: %s\n' "$args"
	} >"$T/want"
	timeout 30 "$PVBOOT" --isconfig "$f" >"$T/got" 2>"$T/err" </dev/null
	rc=$?
	if [ $rc != 0 ]; then
		bad "$n: exit $rc: $(head -1 "$T/err")"
		continue
	fi
	if cmp -s "$T/want" "$T/got"; then
		ok "$n: kernel, initrd, args"
	else
		bad "$n: got '$(tr '\n' '|' <"$T/got")', want '$(tr '\n' '|' <"$T/want")'"
	fi
	# the listed entry with the expected title boots the same files and args
	timeout 30 "$PVBOOT" --isconfig -l "$f" >"$T/list" 2>/dev/null </dev/null
	blk=$(awk -v t="title: $title" '$0 == t { on = 1; print; next }
		/^title: / { on = 0 } on' "$T/list")
	if [ -n "$blk" ] && grep -qxF "  kernel: $kernel" <<<"$blk" &&
		grep -qxF "  args: $args" <<<"$blk"; then
		ok "$n: default is '$title'"
	else
		bad "$n: no listed entry '$title' with that kernel and args"
	fi
done
finish
