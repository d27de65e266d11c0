#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/images/build-volumes.sh OUTDIR [NAME...]
#
# Guest disks with /boot inside stacked volumes (issue 10), in the manifest
# format of tests/images/build.sh (see lib.sh):
#  - LVM2: lvm2's own tools write real labels and metadata onto loop
#    devices over the partitions, with activation disabled and a private
#    LVM_SYSTEM_DIR (the kernel here has no device-mapper, and the host's
#    LVM must not see or remember these devices); the filesystem is then
#    written into the LV at the extents `lvs --segments` reports
#    (lvwrite.py): an LV of two non-contiguous segments with the kernel
#    straddling them, a striped LV over two PVs, a whole-disk PV.
#  - MD RAID1: superblocks 0.90, 1.0, 1.1 and 1.2 written by mdsuper.py
#    from the documented format and checked with `mdadm --examine` (which
#    reads them without the md driver), a degraded array, and an array
#    whose stale member (fewer events) holds an older /boot.
# LVM needs root and loop devices; without them the LVM images are not
# produced: "SKIP NAME: reason", and any stale NAME.img/.expect is removed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

ALL="lvm-segments lvm-striped lvm-whole lvm-on-md md-1.2 md-1.1 md-1.0-degraded md-0.90 md-stale"
builder_init pvboot-volimages "$ALL" "$@"
shift
LOOPS=()
cleanup() {
	local l
	for l in "${LOOPS[@]}"; do
		losetup -d "$l" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

die() { echo "build-volumes.sh: $*" >&2; exit 1; }

K=6.1.0-13-amd64
KOLD=6.1.0-10-amd64
LVMGUID=E6D6D379-F507-44C2-A23C-238F2A3DF928
P=$WORK/payload
mkdir -p "$P"
# 6 MB: an ext4 file this size surely crosses the LV's 4 MiB segment edge
fake_kernel "$K" 6000011 "$P/vmlinuz-$K"
fake_initrd "$K" 900007 "$P/initrd.img-$K"
fake_kernel "$KOLD" 500009 "$P/vmlinuz-$KOLD"
fake_initrd "$KOLD" 300007 "$P/initrd.img-$KOLD"

# boot_cfg ROOTDEV FSUUID ARGS KVER: a /boot filesystem's grub.cfg, the
# shape grub-mkconfig writes for /boot on an LV or an array
boot_cfg() {
	cat <<-CFG
	set default="0"
	set timeout=5
	menuentry 'Debian GNU/Linux' --class debian {
	        insmod $( [ "${1%%/*}" = lvm ] && echo lvm || echo mdraid1x )
	        insmod ext2
	        set root='$1'
	        search --no-floppy --fs-uuid --set=root --hint='$1'  $2
	        linux   /vmlinuz-$4 $3
	        initrd  /initrd.img-$4
	}
	CFG
}

# boot_fs DIR FSFILE MIB UUID ROOTDEV ARGS [KVER]: an ext4 /boot
boot_fs() {
	local dir=$1 fs=$2 mib=$3 uuid=$4 dev=$5 args=$6 kv=${7:-$K}
	mkdir -p "$dir/grub"
	cp "$P/vmlinuz-$kv" "$P/initrd.img-$kv" "$dir/"
	boot_cfg "$dev" "$uuid" "$args" "$kv" >"$dir/grub/grub.cfg"
	mkfs_dir ext4 "$dir" "$fs" "$mib" "$uuid" boot
}

expect_boot() { # NAME ARGS [KVER]
	local kv=${3:-$K}
	expect_open "$OUT/$1.expect"
	exp_boot "Debian GNU/Linux" "/vmlinuz-$kv" "$P/vmlinuz-$kv" \
		"/initrd.img-$kv" "$P/initrd.img-$kv" "$2"
	exp_file "/vmlinuz-$kv" "$P/vmlinuz-$kv"
	exp titles "Debian GNU/Linux"
	exp pygrub fail
	exp pygrub_why "pygrub reads neither LVM2 nor MD, nor GRUB's lvm/ and md/ device names"
}

# --- LVM ---------------------------------------------------------------------
lvm_why() {
	[ "$(id -u)" = 0 ] || { echo "not root"; return; }
	command -v pvcreate >/dev/null || { echo "lvm2 is not installed"; return; }
	command -v losetup >/dev/null || { echo "no losetup"; return; }
	local l
	l=$(losetup -f 2>/dev/null) || { echo "no free loop device"; return; }
	[ -n "$l" ] || echo "no free loop device"
}

lvm_init() {
	export LVM_SYSTEM_DIR=$WORK/lvm LVM_SUPPRESS_FD_WARNINGS=1
	mkdir -p "$LVM_SYSTEM_DIR"
	# no activation (no device-mapper), no udev, no daemons, no devices
	# file, no backups: nothing outside $WORK is touched
	cat >"$LVM_SYSTEM_DIR/lvm.conf" <<-'CONF'
	devices { obtain_device_list_from_udev = 0 use_devicesfile = 0 external_device_info_source = "none" }
	global { activation = 0 use_lvmpolld = 0 event_activation = 0 }
	activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }
	backup { backup = 0 archive = 0 }
	CONF
}

# attach DISK OFFSET_BYTES SIZE_BYTES: the loop device in LOOP (not in a
# subshell: cleanup must know every device attached)
attach() {
	LOOP=$(losetup -f --show -o "$2" --sizelimit "$3" "$1") || die "losetup failed"
	LOOPS+=("$LOOP")
}

detach_all() {
	local l
	for l in "${LOOPS[@]}"; do
		losetup -d "$l" 2>/dev/null || true
	done
	LOOPS=()
}

# lvmc CMD ARGS...: an lvm2 command that sees only our loop devices
lvmc() {
	local cmd=$1 f='' l
	shift
	for l in "${LOOPS[@]}"; do f+="\"a|^$l\$|\","; done
	"$cmd" --config "devices { filter = [ ${f}\"r|.*|\" ] }" "$@"
}

# lv_write DISK FSFILE VG LV DEV=DISKOFF...: the fs into the LV's extents
lv_write() {
	local disk=$1 fs=$2 vg=$3 lv=$4 ext a pvargs=() pe
	shift 4
	ext=$(lvmc vgs --noheadings --units b -o vg_extent_size "$vg" 2>/dev/null | tr -d ' B')
	for a in "$@"; do
		pe=$(lvmc pvs --noheadings --units b -o pe_start "${a%%=*}" 2>/dev/null | tr -d ' B')
		pvargs+=("$a:$pe")
	done
	lvmc lvs --segments --units b --noheadings --separator ';' \
		-o seg_start,seg_size,stripes,stripe_size,seg_pe_ranges "$vg/$lv" 2>/dev/null \
		>"$WORK/$lv.segs"
	cat "$WORK/$lv.segs" >&2
	python3 "$here/lvwrite.py" "$disk" "$fs" "$ext" "${pvargs[@]}" <"$WORK/$lv.segs"
}

# MBR: p1 = LVM (1 MiB..64 MiB).  vg0: root (4 MiB, its own stale
# /boot/grub/grub.cfg: "boot" is probed first), boot in two segments
# (4 MiB, then 12 MiB after a 3 MiB filler): the 6 MB kernel straddles them.
build_lvm_segments() {
	local n=lvm-segments img=$OUT/lvm-segments.img d=$WORK/lvseg l bs u=1f0e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a51
	new_disk "$img" 64
	partition "$img" <<-EOF
	label: dos
	start=2048, type=8e
	EOF
	attach "$img" $((2048 * 512)) $((129024 * 512)); l=$LOOP
	lvmc pvcreate -q "$l" >"$WORK/lvm.log" 2>&1 || die "pvcreate: $(tail -3 "$WORK/lvm.log")"
	lvmc vgcreate -q -s 1m vg0 "$l" >/dev/null 2>&1 || die "vgcreate"
	lvmc lvcreate -q -an -Zn -L 4m -n root vg0 >/dev/null 2>&1 || die "lvcreate root"
	lvmc lvcreate -q -an -Zn -L 4m -n boot vg0 >/dev/null 2>&1 || die "lvcreate boot"
	lvmc lvcreate -q -an -Zn -L 3m -n filler vg0 >/dev/null 2>&1 || die "lvcreate filler"
	lvmc lvextend -q -L 16m vg0/boot >/dev/null 2>&1 || die "lvextend boot"
	[ "$(lvmc lvs --segments --noheadings -o seg_start vg0/boot 2>/dev/null | wc -l)" = 2 ] ||
		die "vg0/boot is not two segments"
	boot_fs "$d/boot" "$WORK/boot.fs" 16 "$u" lvm/vg0-boot "root=/dev/mapper/vg0-root ro quiet"
	# the kernel's blocks lie on both sides of the 4 MiB segment edge
	bs=$(dumpe2fs -h "$WORK/boot.fs" 2>/dev/null | awk '/^Block size:/ { print $3 }')
	debugfs -R "blocks /vmlinuz-$K" "$WORK/boot.fs" 2>/dev/null |
		awk -v e=$((4194304 / bs)) '{ lo = hi = 0; for (i = 1; i <= NF; i++) { if ($i < e) lo = 1; else hi = 1 } }
		     END { exit !(lo && hi) }' || die "the kernel does not straddle the segments"
	mkdir -p "$d/root/boot/grub" "$d/root/etc"
	cp "$P/vmlinuz-$KOLD" "$P/initrd.img-$KOLD" "$d/root/boot/"
	boot_cfg lvm/vg0-root 2a0e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a52 "root=/dev/mapper/vg0-root ro stale" "$KOLD" |
		sed 's| /vmlinuz| /boot/vmlinuz|; s| /initrd| /boot/initrd|' >"$d/root/boot/grub/grub.cfg"
	mkfs_dir ext4 "$d/root" "$WORK/root.fs" 4 2a0e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a52 root
	lv_write "$img" "$WORK/boot.fs" vg0 boot "$l=$((2048 * 512))" 2>/dev/null
	lv_write "$img" "$WORK/root.fs" vg0 root "$l=$((2048 * 512))" 2>/dev/null
	detach_all
	expect_boot $n "root=/dev/mapper/vg0-root ro quiet"
}

# GPT: p1, p2 = LVM PVs of 24 MiB; vg1/boot striped over both (64 KiB).
build_lvm_striped() {
	local n=lvm-striped img=$OUT/lvm-striped.img d=$WORK/lvstr l1 l2 u=3b0e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a53
	new_disk "$img" 52
	partition "$img" <<-EOF
	label: gpt
	start=2048, size=49152, type=$LVMGUID
	start=51200, size=49152, type=$LVMGUID
	EOF
	attach "$img" $((2048 * 512)) $((49152 * 512)); l1=$LOOP
	attach "$img" $((51200 * 512)) $((49152 * 512)); l2=$LOOP
	lvmc pvcreate -q "$l1" "$l2" >"$WORK/lvm.log" 2>&1 || die "pvcreate: $(tail -3 "$WORK/lvm.log")"
	lvmc vgcreate -q -s 1m vg1 "$l1" "$l2" >/dev/null 2>&1 || die "vgcreate"
	lvmc lvcreate -q -an -Zn -i 2 -I 64k -L 16m -n boot vg1 >/dev/null 2>&1 || die "lvcreate striped"
	[ "$(lvmc lvs --noheadings -o stripes vg1/boot 2>/dev/null | tr -d ' ')" = 2 ] || die "vg1/boot is not striped"
	boot_fs "$d" "$WORK/boot.fs" 16 "$u" lvm/vg1-boot "root=/dev/mapper/vg1-root ro"
	lv_write "$img" "$WORK/boot.fs" vg1 boot "$l1=$((2048 * 512))" "$l2=$((51200 * 512))" 2>/dev/null
	detach_all
	expect_boot $n "root=/dev/mapper/vg1-root ro"
}

# No table: the whole disk is a PV; vg2/root holds /boot as a directory.
build_lvm_whole() {
	local n=lvm-whole img=$OUT/lvm-whole.img d=$WORK/lvwhole l u=4c0e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a54
	new_disk "$img" 24
	attach "$img" 0 $((24 << 20)); l=$LOOP
	lvmc pvcreate -q "$l" >"$WORK/lvm.log" 2>&1 || die "pvcreate: $(tail -3 "$WORK/lvm.log")"
	lvmc vgcreate -q -s 1m vg2 "$l" >/dev/null 2>&1 || die "vgcreate"
	lvmc lvcreate -q -an -Zn -L 16m -n root vg2 >/dev/null 2>&1 || die "lvcreate"
	mkdir -p "$d/boot/grub"
	cp "$P/vmlinuz-$K" "$P/initrd.img-$K" "$d/boot/"
	boot_cfg lvm/vg2-root "$u" "root=/dev/mapper/vg2-root ro" "$K" |
		sed 's| /vmlinuz| /boot/vmlinuz|; s| /initrd| /boot/initrd|' >"$d/boot/grub/grub.cfg"
	mkfs_dir ext4 "$d" "$WORK/root.fs" 16 "$u" root
	lv_write "$img" "$WORK/root.fs" vg2 root "$l=0" 2>/dev/null
	detach_all
	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" "/boot/vmlinuz-$K" "$P/vmlinuz-$K" \
		"/boot/initrd.img-$K" "$P/initrd.img-$K" "root=/dev/mapper/vg2-root ro"
	exp pygrub fail
	exp pygrub_why "pygrub reads neither LVM2 nor MD, nor GRUB's lvm/ and md/ device names"
}

# --- MD RAID1 ----------------------------------------------------------------
MDUUID=5a1e7b0c9d2f4e61a8b3c4d5e6f70812

# LVM2 on an MD RAID1 (1.2) of p1 and p2: vg3/boot inside the array
build_lvm_on_md() {
	local n=lvm-on-md d=$WORK/lvmd l u=a20e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a60 f
	rm -f "$WORK/m0"
	truncate -s 20M "$WORK/m0"
	python3 "$here/mdsuper.py" "$WORK/m0" 1.2 "uuid=$MDUUID" dev_number=0 events=4 name=pvboot:pv
	attach "$WORK/m0" $((2048 * 512)) $(((40960 - 2048) * 512)); l=$LOOP
	lvmc pvcreate -q "$l" >/dev/null 2>&1 || die "pvcreate on the array"
	lvmc vgcreate -q -s 1m vg3 "$l" >/dev/null 2>&1 || die "vgcreate vg3"
	lvmc lvcreate -q -an -Zn -L 12m -n boot vg3 >/dev/null 2>&1 || die "lvcreate vg3/boot"
	boot_fs "$d" "$WORK/boot.fs" 12 "$u" lvm/vg3-boot "root=/dev/mapper/vg3-root ro"
	lv_write "$WORK/m0" "$WORK/boot.fs" vg3 boot "$l=$((2048 * 512))" 2>/dev/null
	detach_all
	cp "$WORK/m0" "$WORK/m1"
	python3 "$here/mdsuper.py" "$WORK/m1" 1.2 "uuid=$MDUUID" dev_number=1 events=4 name=pvboot:pv
	for f in m0 m1; do
		mdadm --examine "$WORK/$f" 2>&1 | grep -q "Checksum : .* - correct" || die "mdadm rejects $f"
	done
	md_disk $n "$WORK/m0" "$WORK/m1"
	expect_boot $n "root=/dev/mapper/vg3-root ro"
}

# md_member FILE MIB VERSION FSFILE key=value...: a member with the fs at
# its data offset and a superblock mdadm --examine accepts
md_member() {
	local f=$1 mib=$2 ver=$3 fs=$4 off
	shift 4
	rm -f "$f"
	truncate -s "${mib}M" "$f"
	python3 "$here/mdsuper.py" "$f" "$ver" "uuid=$MDUUID" "$@"
	off=$(mdadm --examine "$f" 2>/dev/null | awk '/Data Offset/ { print $4 }')
	off=${off:-0}
	dd if="$fs" of="$f" bs=512 seek="$off" conv=notrunc,sparse status=none
	mdadm --examine "$f" >"$f.examine" 2>&1 || die "mdadm --examine rejects $f"
	grep -q "raid1" "$f.examine" || die "mdadm does not see raid1 in $f"
	if [ "$ver" != 0.90 ]; then
		grep -q "Checksum : .* - correct" "$f.examine" || die "mdadm: bad checksum in $f"
	fi
}

# md_disk NAME MEMBER...: an MBR disk whose partitions (type fd) are the
# 20 MiB members, in order
md_disk() {
	local img=$OUT/$1.img i=0 m s
	shift
	new_disk "$img" $((1 + 20 * $# + 1))
	{
		echo "label: dos"
		for m in "$@"; do
			echo "start=$((2048 + i * 40960)), size=40960, type=fd"
			i=$((i + 1))
		done
	} | partition "$img"
	i=0
	for m in "$@"; do
		s=$((2048 + i * 40960))
		dd if="$m" of="$img" bs=1M oflag=seek_bytes seek=$((s * 512)) conv=notrunc,sparse status=none
		i=$((i + 1))
	done
}

md_boot_fs() { # DIR FSFILE MIB UUID NAME [KVER]
	boot_fs "$1" "$2" "$3" "$4" "md/$5" "root=/dev/md0 ro" "${6:-$K}"
}

build_md_1_2() {
	local u=5d0e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a55
	md_boot_fs "$WORK/md12" "$WORK/md12.fs" 19 $u boot
	md_member "$WORK/m0" 20 1.2 "$WORK/md12.fs" dev_number=0 events=12 name=pvboot:boot
	md_member "$WORK/m1" 20 1.2 "$WORK/md12.fs" dev_number=1 events=12 name=pvboot:boot
	md_disk md-1.2 "$WORK/m0" "$WORK/m1"
	expect_boot md-1.2 "root=/dev/md0 ro"
}

build_md_1_1() {
	local u=6e0e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a56
	md_boot_fs "$WORK/md11" "$WORK/md11.fs" 19 $u boot
	md_member "$WORK/m0" 20 1.1 "$WORK/md11.fs" dev_number=0 events=3 name=pvboot:boot
	md_member "$WORK/m1" 20 1.1 "$WORK/md11.fs" dev_number=1 events=3 name=pvboot:boot
	md_disk md-1.1 "$WORK/m0" "$WORK/m1"
	expect_boot md-1.1 "root=/dev/md0 ro"
}

# degraded: the second member failed and is gone (role faulty)
build_md_1_0_degraded() {
	local u=7f0e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a57
	md_boot_fs "$WORK/md10" "$WORK/md10.fs" 19 $u boot
	md_member "$WORK/m0" 20 1.0 "$WORK/md10.fs" dev_number=0 events=40 roles=0,65534 name=pvboot:boot
	md_disk md-1.0-degraded "$WORK/m0"
	grep -q "Array State : A\." "$WORK/m0.examine" || die "md-1.0-degraded: not degraded"
	expect_boot md-1.0-degraded "root=/dev/md0 ro"
}

build_md_0_90() {
	local u=800e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a58
	md_boot_fs "$WORK/md90" "$WORK/md90.fs" 19 $u 0
	md_member "$WORK/m0" 20 0.90 "$WORK/md90.fs" dev_number=0 events=5
	md_member "$WORK/m1" 20 0.90 "$WORK/md90.fs" dev_number=1 events=5
	md_disk md-0.90 "$WORK/m0" "$WORK/m1"
	expect_boot md-0.90 "root=/dev/md0 ro"
}

# p1 is stale (5 events, an older kernel), p2 current (9 events)
build_md_stale() {
	local u=910e4c1a-7b2d-4e3f-9a8b-0c1d2e3f4a59
	md_boot_fs "$WORK/mdo" "$WORK/old.fs" 19 $u boot "$KOLD"
	md_boot_fs "$WORK/mdn" "$WORK/new.fs" 19 $u boot
	md_member "$WORK/m0" 20 1.2 "$WORK/old.fs" dev_number=0 events=5 name=pvboot:boot
	md_member "$WORK/m1" 20 1.2 "$WORK/new.fs" dev_number=1 events=9 name=pvboot:boot
	md_disk md-stale "$WORK/m0" "$WORK/m1"
	expect_boot md-stale "root=/dev/md0 ro"
}

why=
case $WANT in *lvm-*)
	why=$(lvm_why)
	[ -z "$why" ] && lvm_init ;;
esac
for name in $WANT; do
	case $name in
	lvm-*)
		if [ -n "$why" ]; then
			echo "SKIP $name: $why"
			rm -f "$OUT/$name.img" "$OUT/$name.expect"
			continue
		fi ;;
	esac
	fn=build_${name//[-.]/_}
	"$fn"
	echo "built $OUT/$name.img"
done
