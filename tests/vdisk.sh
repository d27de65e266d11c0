#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Disk images (partition/vdisk.h): one MBR + ext4 guest disk, converted by
# QEMU's own qemu-img into qcow2 v3 and v2 (compat=0.10), with zlib- and
# zstd-compressed clusters, small clusters, zero clusters (qemu-io write
# -z) and unallocated ones, and VHD fixed and dynamic; each boots with the
# kernel and ramdisk bytes checked against what QEMU itself reads back.
# Then hostile images (tests/vdisk/patch.py): tables past the end, a
# compressed cluster that expands past its cluster, an L2 table pointing
# at itself, encryption, a backing file, a differencing VHD...: each must
# give its exit status and one line naming the problem, and leave nothing.
set -uo pipefail
. "$(dirname "$0")/counts.sh" vdisk
BUILD=${BUILD:-build}
PV=$(cd "$(dirname "$BUILD/pvboot")" && pwd)/pvboot
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-vdisk.XXXXXX")
trap 'rm -rf "$W"' EXIT
export PATH="$PATH:/usr/sbin:/sbin"

if ! command -v qemu-img >/dev/null || ! command -v qemu-io >/dev/null; then
	say "SKIP vdisk: qemu-img/qemu-io not installed (qemu-utils)"
	counts_report vdisk 0 0 1
	exit 0
fi

# --- the guest disk -------------------------------------------------------------
T=$W/tree
mkdir -p "$T/boot/grub"
# a compressible kernel (so qemu-img -c really compresses its clusters)
python3 - "$T/boot/vmlinuz" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    for i in range(120000):
        f.write(b"pvboot vdisk kernel line %08d %s\n" % (i, b"x" * (i % 17)))
PY
head -c 1500000 /dev/urandom >"$T/boot/initrd.img"
cat >"$T/boot/grub/grub.cfg" <<'CFG'
set default=0
set timeout=1
menuentry "vdisk guest" {
	linux /boot/vmlinuz root=/dev/xvda1 ro marker=vdisk
	initrd /boot/initrd.img
}
CFG
ARGS="root=/dev/xvda1 ro marker=vdisk"
mke2fs -q -F -t ext4 -b 4096 -d "$T" "$W/fs.img" 24M >/dev/null 2>&1
RAW=$W/raw.img
truncate -s 32M "$RAW"
printf 'label: dos\nstart=2048, size=49152, type=83\n' | sfdisk -q --no-reread --no-tell-kernel "$RAW" >/dev/null
dd if="$W/fs.img" of="$RAW" bs=1M seek=1 conv=notrunc status=none

# What QEMU reads from IMG: convert it back to raw, take the files out.
qemu_view() { # IMG DIR
	rm -rf "$2"; mkdir -p "$2"
	qemu-img convert -O raw "$1" "$2/raw" &&
	dd if="$2/raw" of="$2/fs" bs=1M skip=1 count=24 status=none &&
	debugfs -R "dump /boot/vmlinuz $2/vmlinuz" "$2/fs" >/dev/null 2>&1 &&
	debugfs -R "dump /boot/initrd.img $2/initrd" "$2/fs" >/dev/null 2>&1
}

# boots NAME IMG: pvboot's bytes equal QEMU's
boots() {
	local name=$1 img=$2 out=$W/out.$1 dir=$W/dir.$1 err=$W/err.$1 k r a
	rm -rf "$dir"; mkdir -p "$dir"
	if ! qemu_view "$img" "$W/view.$name"; then bad "$name: qemu-img could not read it back"; return; fi
	if ! "$PV" -q --output="$out" --output-format=simple0 --output-directory="$dir" \
		"$img" 2>"$err" </dev/null; then
		bad "$name: exit $?: $(head -c 300 "$err")"; return
	fi
	k=$(simple0_field "$out" kernel)
	r=$(simple0_field "$out" ramdisk)
	a=$(simple0_field "$out" args)
	[ "$(sha "$k")" = "$(sha "$W/view.$name/vmlinuz")" ] || { bad "$name: kernel differs from QEMU's view"; return; }
	[ "$(sha "$r")" = "$(sha "$W/view.$name/initrd")" ] || { bad "$name: ramdisk differs from QEMU's view"; return; }
	[ "$a" = "$ARGS" ] || { bad "$name: args '$a'"; return; }
	ok "$name"
}

# the plain cases: QEMU's view is the source files themselves
plain() { # NAME IMG
	boots "$1" "$2"
	[ -f "$W/view.$1/vmlinuz" ] && { cmp -s "$W/view.$1/vmlinuz" "$T/boot/vmlinuz" &&
		cmp -s "$W/view.$1/initrd" "$T/boot/initrd.img" || bad "$1-source: QEMU's view is not the source files"; }
}

# compressed: also require that qemu-img really compressed clusters
compressed() { # NAME IMG
	local pct
	pct=$(qemu-img check "$2" 2>/dev/null | sed -n 's/.*fragmented, \([0-9.]*\)% compressed.*/\1/p')
	case "$pct" in ""|0.00) bad "$1: qemu-img wrote no compressed cluster ($pct)"; return ;; esac
	plain "$1" "$2"
}

Q=$W/q
qemu-img convert -O qcow2 "$RAW" "$Q-v3.qcow2"
plain qcow2-v3 "$Q-v3.qcow2"
qemu-img convert -O qcow2 -o compat=0.10 "$RAW" "$Q-v2.qcow2"
plain qcow2-v2-compat-0.10 "$Q-v2.qcow2"
qemu-img convert -c -O qcow2 "$RAW" "$Q-zlib.qcow2"
compressed qcow2-zlib-compressed "$Q-zlib.qcow2"
if qemu-img convert -c -O qcow2 -o compression_type=zstd "$RAW" "$Q-zstd.qcow2" 2>/dev/null; then
	compressed qcow2-zstd-compressed "$Q-zstd.qcow2"
else
	bad "qcow2-zstd-compressed: this qemu-img cannot write zstd clusters"
fi
qemu-img convert -c -O qcow2 -o cluster_size=4096 "$RAW" "$Q-4k.qcow2"
compressed qcow2-4k-clusters-compressed "$Q-4k.qcow2"
qemu-img convert -O qcow2 -o cluster_size=2M "$RAW" "$Q-2m.qcow2"
plain qcow2-2M-clusters "$Q-2m.qcow2"

# zero clusters: zero a 64 KiB cluster inside the kernel's data (v3 zero
# flag); the kernel then reads as QEMU reads it, with that run zeroed
cp "$Q-v3.qcow2" "$Q-zero.qcow2"
zoff=
for fb in $(seq 16 200); do
	p=$(debugfs -R "bmap /boot/vmlinuz $fb" "$W/fs.img" 2>/dev/null | tail -1)
	off=$((1048576 + p * 4096))
	if [ $((off % 65536)) -eq 0 ]; then
		e=$(debugfs -R "bmap /boot/vmlinuz $((fb + 15))" "$W/fs.img" 2>/dev/null | tail -1)
		[ "$e" = $((p + 15)) ] && { zoff=$off; break; }
	fi
done
if [ -n "$zoff" ] && qemu-io -f qcow2 -c "write -z $zoff 64k" "$Q-zero.qcow2" >/dev/null 2>&1 &&
   qemu-img map --output=json "$Q-zero.qcow2" | grep -q "\"start\": $zoff, \"length\": 65536.*\"zero\": true"; then
	boots qcow2-zero-cluster "$Q-zero.qcow2"
	cmp -s "$W/view.qcow2-zero-cluster/vmlinuz" "$T/boot/vmlinuz" &&
		bad "qcow2-zero-cluster-changed: the zeroed cluster did not change the kernel"
else
	bad "qcow2-zero-cluster: could not make a zero cluster at a kernel block ($zoff)"
fi

qemu-img convert -O vpc -o subformat=fixed "$RAW" "$W/fixed.vhd"
plain vhd-fixed "$W/fixed.vhd"
qemu-img convert -O vpc -o subformat=dynamic "$RAW" "$W/dynamic.vhd"
plain vhd-dynamic "$W/dynamic.vhd"

# -l and --offset go through the same reader
if "$PV" -l "$Q-zlib.qcow2" 2>/dev/null | grep -q "vdisk guest"; then ok qcow2-list; else bad "qcow2-list: no entry listed"; fi

# --- hostile images -------------------------------------------------------------------
fails() { # NAME STATUS REGEX IMG [pvboot options...]
	local name=$1 want=$2 re=$3 img=$4 out=$W/out.$1 dir=$W/dir.$1 err=$W/err.$1 rc
	rm -rf "$dir"; mkdir -p "$dir"; printf SENTINEL >"$out"
	timeout -s KILL 60 "$PV" -q "${@:5}" --output="$out" --output-format=simple0 \
		--output-directory="$dir" "$img" >/dev/null 2>"$err" </dev/null
	rc=$?
	if [ $rc -ne "$want" ]; then bad "$name: exit $rc, want $want: $(head -c 300 "$err")"; return; fi
	if [ "$(wc -l <"$err")" -ne 1 ] || ! grep -Eq -- "$re" "$err"; then
		bad "$name: stderr does not match /$re/: $(head -c 300 "$err")"; return; fi
	[ "$(cat "$out")" = SENTINEL ] || { bad "$name: --output changed"; return; }
	[ -z "$(ls -A "$dir")" ] || { bad "$name: files left: $(ls -A "$dir")"; return; }
	ok "$name ($(head -c 110 "$err"))"
}
hostile() { # CASE STATUS REGEX SRC
	python3 "$here/vdisk/patch.py" "$1" "$4" "$W/h.$1" || { bad "$1: patch failed"; return; }
	fails "$1" "$2" "$3" "$W/h.$1"
}
hostile qcow2-l1-past-eof 3 "L1 table lies outside" "$Q-v3.qcow2"
hostile qcow2-l1-too-small 3 "L1 table of 0 entries" "$Q-v3.qcow2"
hostile qcow2-encrypted 3 "encrypted" "$Q-v3.qcow2"
hostile qcow2-cluster-bits 3 "cluster_bits 31" "$Q-v3.qcow2"
hostile qcow2-huge-size 3 "virtual size" "$Q-v3.qcow2"
hostile qcow2-data-past-eof 3 "data cluster at [0-9]+ lies outside" "$Q-v3.qcow2"
# the first L2 table's data entries all name the table: the partition
# table and filesystem read as L2 bytes, so nothing is found
hostile qcow2-l2-points-at-itself 2 "no bootable config|no filesystem|no partition" "$Q-v3.qcow2"
hostile qcow2-compressed-expands 3 "expands past its cluster" "$Q-4k.qcow2"
hostile qcow2-compressed-garbage 3 "not valid deflate" "$Q-4k.qcow2"
qemu-img create -q -f qcow2 -b "$Q-v3.qcow2" -F qcow2 "$W/overlay.qcow2"
fails qcow2-backing-file 3 "backing file.*--allow-backing" "$W/overlay.qcow2"
# a footer whose checksum fails is no VHD: the file is read as a raw disk
hostile vhd-bad-checksum 2 "no bootable config" "$W/dynamic.vhd"
hostile vhd-differencing 3 "differencing.*--allow-backing" "$W/dynamic.vhd"
hostile vhd-bat-past-eof 3 "lies outside the image" "$W/dynamic.vhd"
hostile vhd-huge-table 3 "table entries" "$W/dynamic.vhd"
# a raw disk whose last sector merely says "conectix" stays raw
cp "$RAW" "$W/raw-conectix.img"
printf 'conectix' | dd of="$W/raw-conectix.img" bs=1 seek=$((32 * 1048576 - 512)) conv=notrunc status=none
boots raw-with-vhd-cookie "$W/raw-conectix.img"

# backing chains (--allow-backing) and their hostile cases
. "$here/vdisk_backing.sh"

finish
