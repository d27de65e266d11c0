#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make demo`: build the bundled sample guest (a Debian-style MBR + ext4
# disk whose grub.cfg was written the way grub-mkconfig writes it), then
# show what pvboot finds on it and boot it as libxl would.
set -euo pipefail
build=${1:-build}
img=$build/images/mbr-ext4.img
[ -f "$img" ] || tests/images/build.sh "$build/images" mbr-ext4 >/dev/null
out=$build/demo
rm -rf "$out"
mkdir -p "$out/boot"
echo "== pvboot --list-entries $img"
"$build/pvboot" -l "$img"
echo
echo "== pvboot -n (what would boot, nothing copied)"
"$build/pvboot" -q -n --output-format=simple "$img"
echo
echo "== pvboot as libxl runs it (simple0 output shown with NULs as |)"
"$build/pvboot" -q --output="$out/answer" --output-format=simple0 \
	--output-directory="$out/boot" "$img"
tr '\0' '|' < "$out/answer"; echo
echo
echo "== extracted files"
ls -l "$out/boot"
