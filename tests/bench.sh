#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/bench.sh [BUILD]: pvboot's cost against pygrub's and against the
# floor (what any bootloader must pay), measured in one run, interleaved
# (pvboot, floor, pygrub, pvboot, ...), median and min/max of $RUNS runs.
# Not a test: it prints numbers and never fails on them.
#
#   fixed     -q -n on the small sample disk: start-up, sandbox, parse.
#             Floor: a static program that forks and exits.
#   extract   a 10 MiB kernel + 64 MiB initrd out of ext4, XFS and btrfs
#             guests.  Floor: cat of the same two files.
#   reflink   the same out of an ext4 guest with 4 KiB blocks and one with
#             1 KiB blocks, the guest image and the output directory on an
#             XFS host filesystem with reflink.  Floor: cp --reflink=always
#             (4 KiB), cat (1 KiB; coreutils 9's cat reflinks the aligned
#             host files) and dd bs=1M (a plain byte copy).  Needs root.
#   storm     32 runs at once, each extracting the same 74 MiB, in a memory
#             cgroup limited to 1 GiB (a small dom0).  Floor: 32 cats.
#   scale     -q -n on a grub.cfg of 1,000 entries, a GPT disk of 128
#             partitions whose /boot is the last, and a BLS directory of
#             10,000 entries, against -q -n on the sample disk.
# Peak RSS: the supervisor's and the worker's own (pvboot --debug prints
# them), and the whole tree's for the others.
set -uo pipefail
BUILD=${1:-${BUILD:-build}}
PV=$(readlink -f "$BUILD/pvboot")
PYGRUB=${PYGRUB:-/usr/lib/xen-4.17/bin/pygrub}
RUNS=${RUNS:-7}
CASES=${CASES:-fixed extract reflink storm scale}
W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-bench.XXXXXX")
MNT=
CG=
cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
export PATH="$PATH:/usr/sbin:/sbin"
[ -x "$PYGRUB" ] || PYGRUB=

cc -O2 -static -o "$W/forkexit" "$(dirname "$0")/bench/forkexit.c" 2>/dev/null ||
	cc -O2 -o "$W/forkexit" "$(dirname "$0")/bench/forkexit.c"

# --- timing --------------------------------------------------------------------
# bash's own clock: no process started to read it
now_ns() { local t=${EPOCHREALTIME/./}; echo "${t}000"; }

# stats FILE: "median min max" of the numbers in FILE (ms, 2 decimals)
stats() {
	sort -n "$1" | awk '{v[NR]=$1} END {
		if (NR == 0) { print "- - -"; exit }
		m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2
		printf "%.2f %.2f %.2f\n", m, v[1], v[NR] }'
}

# one NAME CMD...: run once, append its wall ms to $W/t.NAME; a failure is
# recorded as such (and its first line kept)
one() {
	local name=$1 t0 t1
	shift
	rm -rf "$W/out"; mkdir -p "$W/out"
	t0=${EPOCHREALTIME/./}
	if ! "$@" >/dev/null 2>"$W/err.$name"; then
		echo x >>"$W/fail.$name"
		return
	fi
	t1=${EPOCHREALTIME/./}
	t0=$((t0 * 1000)) t1=$((t1 * 1000))
	echo "$(( (t1 - t0) / 1000 ))" | awk '{printf "%.3f\n", $1 / 1000}' >>"$W/t.$name"
}

# row LABEL NAME...: one table row per name, with the ratio to the first
row_head() { printf '%-34s %-8s %9s %9s %9s %8s\n' case who median min max ratio; }
report() { # LABEL FLOORNAME NAME...
	local label=$1 floor=$2 n base m
	shift 2
	base=$(stats "$W/t.$floor" | cut -d' ' -f1)
	for n in "$floor" "$@"; do
		if [ -s "$W/fail.$n" ] && [ ! -s "$W/t.$n" ]; then
			printf '%-34s %-8s %s\n' "$label" "${n##*.}" "fails: $(head -c 90 "$W/err.$n" | tr '\n' ' ')"
			continue
		fi
		[ -s "$W/t.$n" ] || continue
		read -r m lo hi < <(stats "$W/t.$n")
		printf '%-34s %-8s %9s %9s %9s %8s\n' "$label" "${n##*.}" "$m" "$lo" "$hi" \
			"$(awk -v a="$m" -v b="$base" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')"
	done
}

# rss NAME CMD...: peak RSS lines for one more run
rss() {
	local name=$1
	shift
	rm -rf "$W/out"; mkdir -p "$W/out"
	if [ "$1" = "$PV" ]; then
		/usr/bin/time -f '%M' -o "$W/rss" "$@" --debug >/dev/null 2>"$W/rusage" || true
		printf '%-34s %-8s peak RSS: %s (process tree %s KiB)\n' "$name" pvboot \
			"$(grep -o 'supervisor=[0-9]* KiB worker=[0-9]* KiB' "$W/rusage" | head -1)" "$(cat "$W/rss")"
	else
		/usr/bin/time -f '%M' -o "$W/rss" "$@" >/dev/null 2>&1 || true
		printf '%-34s %-8s peak RSS: process tree %s KiB\n' "$name" "$(basename "$1")" "$(cat "$W/rss")"
	fi
}

# --- guests ---------------------------------------------------------------------------
GRUB='set default="0"
set timeout=5
menuentry "Debian GNU/Linux" {
	linux	/boot/vmlinuz root=/dev/xvda1 ro quiet
	initrd	/boot/initrd.img
}'
mkdir -p "$W/root/boot/grub"
head -c $((10 << 20)) /dev/urandom >"$W/root/boot/vmlinuz"
head -c $((64 << 20)) /dev/urandom >"$W/root/boot/initrd.img"
printf '%s\n' "$GRUB" >"$W/root/boot/grub/grub.cfg"
K=$W/root/boot/vmlinuz R=$W/root/boot/initrd.img

# disk FS IMG [mkfs options]: a whole-disk filesystem holding $W/root
disk() {
	local fs=$1 img=$2
	shift 2
	rm -f "$img"
	case $fs in
	ext4) mke2fs -q -F -t ext4 "$@" -d "$W/root" "$img" 120M >/dev/null 2>&1 ;;
	xfs) truncate -s 300M "$img"; mkfs.xfs -q -f "$@" "$img" >/dev/null 2>&1 &&
		xfs_from_dir "$img" ;;
	btrfs) truncate -s 300M "$img"; mkfs.btrfs -q -f --rootdir "$W/root" "$img" >/dev/null 2>&1 ;;
	esac
}
# XFS has no --rootdir in Debian 12: copy the tree in through a loop mount
xfs_from_dir() {
	local m=$W/xm
	mkdir -p "$m"
	mount -o loop "$1" "$m" 2>/dev/null || return 1
	cp -a "$W/root/." "$m/"
	umount "$m"
}
pv_run() { "$PV" -q --output="$W/o" --output-format=simple0 --output-directory="$W/out" "$@"; }
py_run() { "$PYGRUB" -q --output="$W/o" --output-format=simple0 --output-directory="$W/out" "$@"; }
cat_run() { cat "$K" >"$W/out/k" && cat "$R" >"$W/out/r"; }

SMALL=$BUILD/images/mbr-ext4.img
[ -f "$SMALL" ] || tests/images/build.sh "$BUILD/images" mbr-ext4 >/dev/null

echo "pvboot benchmark: $(uname -r), $(nproc) cores, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo), $RUNS runs a case, warm page cache"
row_head

for c in $CASES; do case $c in
fixed)
	for i in $(seq "$RUNS"); do
		one fixed.pvboot "$PV" -q -n "$SMALL"
		one fixed.floor "$W/forkexit"
		[ -n "$PYGRUB" ] && one fixed.pygrub "$PYGRUB" -q -n "$SMALL"
	done
	report "fixed: -q -n, sample disk" fixed.floor fixed.pvboot fixed.pygrub
	rss "fixed: -q -n, sample disk" "$PV" -q -n "$SMALL"
	[ -n "$PYGRUB" ] && rss "fixed: -q -n, sample disk" "$PYGRUB" -q -n "$SMALL"
	;;
extract)
	for fs in ext4 xfs btrfs; do
		disk $fs "$W/$fs.img" || { echo "extract $fs: cannot build the image (needs root for XFS)"; continue; }
		for i in $(seq "$RUNS"); do
			one "x$fs.pvboot" pv_run "$W/$fs.img"
			one "x$fs.cat" cat_run
			[ -n "$PYGRUB" ] && one "x$fs.pygrub" py_run "$W/$fs.img"
		done
		report "extract 74 MiB: $fs guest" "x$fs.cat" "x$fs.pvboot" "x$fs.pygrub"
		rss "extract 74 MiB: $fs guest" "$PV" -q --output="$W/o" --output-directory="$W/out" "$W/$fs.img"
		rm -f "$W/$fs.img"
	done
	;;
reflink)
	if [ "$(id -u)" -ne 0 ]; then echo "reflink: needs root (loop mount of an XFS host filesystem)"; continue; fi
	truncate -s 1G "$W/host.xfs"
	MNT=$W/host
	mkdir -p "$MNT"
	if ! mkfs.xfs -q -f -m reflink=1 "$W/host.xfs" >/dev/null 2>&1 || ! mount -o loop "$W/host.xfs" "$MNT"; then
		echo "reflink: cannot make or mount an XFS host filesystem"; MNT=; continue
	fi
	cp "$K" "$R" "$MNT/"
	for bs in 4096 1024; do
		disk ext4 "$MNT/g$bs.img" -b $bs
		for i in $(seq "$RUNS"); do
			one "r$bs.pvboot" "$PV" -q --output="$MNT/o" --output-directory="$MNT" "$MNT/g$bs.img"
			rm -f "$MNT"/boot_*
			if [ $bs = 4096 ]; then
				one "r$bs.cp-reflink" sh -c "cp --reflink=always '$MNT/vmlinuz' '$MNT/k' && cp --reflink=always '$MNT/initrd.img' '$MNT/r'"
			else
				one "r$bs.cat" sh -c "cat '$MNT/vmlinuz' >'$MNT/k' && cat '$MNT/initrd.img' >'$MNT/r'"
				rm -f "$MNT/k" "$MNT/r"
				# coreutils 9's cat shares extents too (copy_file_range
				# of aligned host files): dd is the plain byte copy
				one "r$bs.dd-1M" sh -c "dd if='$MNT/vmlinuz' of='$MNT/k' bs=1M status=none && dd if='$MNT/initrd.img' of='$MNT/r' bs=1M status=none"
			fi
			rm -f "$MNT/k" "$MNT/r"
		done
		if [ $bs = 4096 ]; then
			report "reflink host, 4 KiB guest blocks" r4096.cp-reflink r4096.pvboot
		else
			report "reflink host, 1 KiB guest blocks" r1024.cat r1024.dd-1M r1024.pvboot
		fi
	done
	umount "$MNT"; MNT=
	;;
storm)
	disk ext4 "$W/storm.img"
	N=32
	CG=
	if [ -d /sys/fs/cgroup/memory ] && mkdir -p /sys/fs/cgroup/memory/pvboot-bench 2>/dev/null; then
		CG=/sys/fs/cgroup/memory/pvboot-bench
		echo $((1 << 30)) >"$CG/memory.limit_in_bytes"
		memfile=memory.max_usage_in_bytes
	elif [ -d /sys/fs/cgroup/unified ] && mkdir -p /sys/fs/cgroup/unified/pvboot-bench 2>/dev/null &&
	     echo $((1 << 30)) >/sys/fs/cgroup/unified/pvboot-bench/memory.max 2>/dev/null; then
		CG=/sys/fs/cgroup/unified/pvboot-bench
		memfile=memory.peak
	fi
	storm() { # NAME CMD-with-%i
		local name=$1 cmd=$2 t0 t1 i ok=0 oom=0
		rm -rf "$W/s"; mkdir -p "$W/s"
		[ -n "$CG" ] && [ -f "$CG/memory.max_usage_in_bytes" ] && echo 0 >"$CG/memory.max_usage_in_bytes" 2>/dev/null
		t0=$(now_ns)
		for i in $(seq $N); do
			mkdir -p "$W/s/$i"
			# libxl creates the output file first (pygrub needs it)
			: >"$W/s/$i/o"
			( [ -n "$CG" ] && echo $BASHPID >"$CG/cgroup.procs"; exec sh -c "${cmd//%i/$i}" ) >/dev/null 2>&1 &
		done
		for i in $(seq $N); do wait -n && ok=$((ok + 1)); done
		t1=$(now_ns)
		[ -n "$CG" ] && oom=$(sed -n 's/^oom_kill //p' "$CG/memory.oom_control" "$CG/memory.events" 2>/dev/null | head -1)
		printf '%-34s %-8s %9.2f ms  %d/%d succeeded  oom kills %s  cgroup peak %s MiB\n' \
			"storm: $N x 74 MiB${CG:+, 1 GiB cgroup}" "$name" \
			"$(awk -v a=$(( (t1 - t0) / 1000 )) 'BEGIN{print a/1000}')" "$ok" $N "${oom:-?}" \
			"$([ -n "$CG" ] && awk '{printf "%d", $1/1048576}' "$CG/$memfile" 2>/dev/null)"
		rm -rf "$W/s"
	}
	storm cat "cat '$K' >'$W/s/%i/k' && cat '$R' >'$W/s/%i/r'"
	storm pvboot "'$PV' -q --output='$W/s/%i/o' --output-directory='$W/s/%i' '$W/storm.img'"
	[ -n "$PYGRUB" ] && storm pygrub "'$PYGRUB' -q --output='$W/s/%i/o' --output-directory='$W/s/%i' '$W/storm.img'"
	[ -n "$CG" ] && { rmdir "$CG" 2>/dev/null; CG=; }
	rm -f "$W/storm.img"
	;;
scale)
	# 1,000 entries, the default the last one
	mkdir -p "$W/many/boot/grub"
	head -c 4096 /dev/urandom >"$W/many/boot/vmlinuz"
	{
		echo 'set default="999"'
		for i in $(seq 0 999); do
			printf 'menuentry "entry %d" --id e%d {\n\tlinux /boot/vmlinuz root=/dev/xvda1 ro n=%d\n}\n' "$i" "$i" "$i"
		done
	} >"$W/many/boot/grub/grub.cfg"
	mke2fs -q -F -t ext4 -d "$W/many" "$W/many.img" 8M >/dev/null 2>&1
	# a GPT of 128 partitions, /boot in the last
	truncate -s 140M "$W/gpt.img"
	{ echo "label: gpt"; for i in $(seq 1 127); do echo "size=1M"; done; echo "size=8M"; } |
		sfdisk -q --no-reread --no-tell-kernel "$W/gpt.img" >/dev/null 2>&1
	start=$(sfdisk -d "$W/gpt.img" 2>/dev/null | awk -F'[=,]' '/gpt.img128/ {gsub(/ /,"",$2); print $2}')
	# its /boot holds one entry, so that the case measures the partitions
	# alone (the 1,000 entries are the case above)
	mkdir -p "$W/one/boot/grub"
	cp "$W/many/boot/vmlinuz" "$W/one/boot/"
	printf 'menuentry "one" {\n\tlinux /boot/vmlinuz root=/dev/xvda128 ro\n}\n' \
		>"$W/one/boot/grub/grub.cfg"
	mke2fs -q -F -t ext4 -d "$W/one" "$W/p128.fs" 8M >/dev/null 2>&1
	dd if="$W/p128.fs" of="$W/gpt.img" bs=512 seek="$start" conv=notrunc status=none
	# 10,000 BLS entries
	mkdir -p "$W/bls/loader/entries"
	for i in $(seq 1 10000); do
		printf 'title Fedora %d\nversion 6.%d.0\nlinux /vmlinuz\noptions root=/dev/xvda2 n=%d\n' "$i" "$i" "$i" \
			>"$W/bls/loader/entries/f-$i.conf"
	done
	head -c 4096 /dev/urandom >"$W/bls/vmlinuz"
	printf 'default f-*\n' >"$W/bls/loader/loader.conf"
	mke2fs -q -F -t ext4 -N 12000 -d "$W/bls" "$W/bls.img" 64M >/dev/null 2>&1
	for i in $(seq "$RUNS"); do
		one scale.base "$PV" -q -n "$SMALL"
		one scale.1000-entries "$PV" -q -n "$W/many.img"
		one scale.128-partitions "$PV" -q -n "$W/gpt.img"
		one scale.10000-bls "$PV" -q -n "$W/bls.img"
	done
	report "scale: -q -n (base: sample disk)" scale.base scale.1000-entries scale.128-partitions scale.10000-bls
	;;
esac; done
