#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/bench.sh [BUILD]: time and memory of one boot, in one run, for
#   cat      a plain copy of the same kernel+initrd bytes out of the image
#            (dd of the filesystem's extents is not fairer: cat of the two
#            files from a host directory is the floor any bootloader pays)
#   pvboot   the real run as libxl starts it (sandboxed worker)
#   pygrub   Xen 4.17's pygrub, same arguments (when installed)
# on a Debian-style MBR+ext4 disk with a 48 MiB kernel and a 96 MiB initrd
# (big enough that copying dominates) and on the small sample image.
# Prints a table; never fails on numbers (timed assertions do not belong in
# tests).  Needs /usr/bin/time (package time).
set -uo pipefail
BUILD=${1:-${BUILD:-build}}
PV=$(readlink -f "$BUILD/pvboot")
PYGRUB=/usr/lib/xen-4.17/bin/pygrub
RUNS=${RUNS:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
export PATH="$PATH:/usr/sbin:/sbin"

# --- a big guest -----------------------------------------------------------
mkdir -p "$W/root/boot/grub"
head -c $((48 << 20)) /dev/urandom >"$W/root/boot/vmlinuz-6.1.0-13-amd64"
head -c $((96 << 20)) /dev/urandom >"$W/root/boot/initrd.img-6.1.0-13-amd64"
cat >"$W/root/boot/grub/grub.cfg" <<'CFG'
set default="0"
set timeout=5
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class os {
	insmod ext2
	echo	'Loading Linux 6.1.0-13-amd64 ...'
	linux	/boot/vmlinuz-6.1.0-13-amd64 root=/dev/xvda1 ro  quiet
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-6.1.0-13-amd64
}
CFG
mke2fs -q -F -t ext4 -d "$W/root" "$W/fs.img" 200M >/dev/null
truncate -s 210M "$W/big.img"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q --no-reread --no-tell-kernel "$W/big.img" >/dev/null
dd if="$W/fs.img" of="$W/big.img" bs=1M seek=1 conv=notrunc,sparse status=none
rm -f "$W/fs.img"
SMALL=$BUILD/images/mbr-ext4.img
[ -f "$SMALL" ] || tests/images/build.sh "$BUILD/images" mbr-ext4 >/dev/null

# measure NAME CMD...: median wall ms and max RSS KiB over $RUNS runs,
# page cache dropped before each run when CACHE=cold
measure() {
	local name=$1 i ms rss times=() rsss=()
	shift
	for i in $(seq 1 "$RUNS"); do
		rm -rf "$W/out"; mkdir -p "$W/out"
		if [ "$CACHE" = cold ]; then
			sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
		fi
		/usr/bin/time -f '%e %M' -o "$W/time" "$@" >/dev/null 2>"$W/err" || {
			printf '%-8s failed: %s\n' "$name" "$(head -c 200 "$W/err")"; return; }
		read -r s rss <"$W/time"
		times+=("$(awk -v s="$s" 'BEGIN{printf "%d", s*1000}')")
		rsss+=("$rss")
	done
	ms=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
	rss=$(printf '%s\n' "${rsss[@]}" | sort -n | tail -1)
	printf '%-8s %8s ms %8s KiB max RSS\n' "$name" "$ms" "$rss"
}

for CACHE in cold warm; do
for img in "$W/big.img" "$SMALL"; do
	echo "== $(basename "$img") (median of $RUNS $CACHE-cache runs)"
	# the floor: the same bytes copied by cat from the host
	if [ "$img" = "$W/big.img" ]; then
		measure cat sh -c "cat '$W/root/boot/vmlinuz-6.1.0-13-amd64' >'$W/out/k'; cat '$W/root/boot/initrd.img-6.1.0-13-amd64' >'$W/out/r'"
	else
		debugfs -R "dump /boot/vmlinuz-6.1.0-13-amd64 $W/k" "$img?offset=1048576" >/dev/null 2>&1
		[ -s "$W/k" ] && measure cat sh -c "cat '$W/k' >'$W/out/k'"
	fi
	measure pvboot "$PV" -q --output="$W/o" --output-format=simple0 --output-directory="$W/out" "$img"
	if [ -x "$PYGRUB" ]; then
		measure pygrub "$PYGRUB" -q --output="$W/o" --output-format=simple0 --output-directory="$W/out" "$img"
	else
		echo "pygrub   not installed: skipped"
	fi
done
done
