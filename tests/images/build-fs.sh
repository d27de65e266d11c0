#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/images/build-fs.sh OUTDIR [NAME...]
#
# Guest disk images on the filesystems beyond ext2/3/4 (issue 6): XFS v5
# and v4, btrfs, FAT12/16/32 and ISO 9660, in the manifest format of
# tests/images/build.sh (see lib.sh).  Most are built without root from a
# directory (mkfs.xfs -p protofile, mkfs.btrfs --rootdir, mtools, xorriso).
# Three need what only a kernel makes: a fragmented XFS kernel, compressed
# btrfs extents and btrfs subvolume layouts; they are written through a
# loop mount and, when that is not possible (not root, no loop device, no
# module), are not produced: the script prints "SKIP NAME: reason" and
# removes any stale NAME.img/.expect so e2e.sh does not run old ones.
# With NAME arguments only the named images this script knows are built
# (others are ignored: they belong to build.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/grubcfg.sh"

ALL="xfs-v5-gpt xfs-v4 xfs-frag btrfs-rootdir btrfs-fedora btrfs-opensuse
btrfs-big-initrd fat12-syslinux fat16-boot fat32-sdboot iso-isolinux iso-hybrid"
builder_init pvboot-fsimages "$ALL" "$@"
shift
MOUNTS=()
cleanup() {
	local m
	for m in "${MOUNTS[@]}"; do
		umount "$m" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# xfsprogs >= 5.19 refuses filesystems under 300 MB unless it believes it
# runs inside fstests; ours are 128 MiB sparse files.
XFS_SMALL=(env TEST_DIR=/tmp TEST_DEV=x QA_CHECK_FS=x)

K13=6.1.0-13-amd64
K18=6.1.0-18-amd64
EL7=3.10.0-1160.el7.x86_64
EL7B=3.10.0-1062.el7.x86_64
FC=6.5.6-300.fc39.x86_64
SUSE=6.4.0-150600.23.7-default
MID=4d1c9a3b7e2f40c8a6b5d3e1f0a9c8b7 # a machine id (sd-boot, Fedora rescue)
BIOSBOOT=21686148-6449-6E6F-744E-656564454649
LINUXFS=0FC63DAF-8483-4772-8E79-3D69D8477DE4
ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B

die() { echo "build-fs.sh: $*" >&2; exit 1; }

# --- payloads ------------------------------------------------------------
P=$WORK/payload
mkdir -p "$P"
fake_kernel $K13 700001 "$P/vmlinuz-$K13"
fake_initrd $K13 1200003 "$P/initrd.img-$K13"
fake_kernel $K18 650003 "$P/vmlinuz-$K18"
fake_initrd $K18 1100001 "$P/initrd.img-$K18"
fake_kernel $EL7 610007 "$P/vmlinuz-$EL7"
fake_initrd $EL7 900001 "$P/initramfs-$EL7.img"
fake_kernel $EL7B 600011 "$P/vmlinuz-$EL7B"
fake_initrd $EL7B 880007 "$P/initramfs-$EL7B.img"
fake_kernel $SUSE 720007 "$P/vmlinuz-$SUSE"
fake_initrd $SUSE 1000003 "$P/initrd-$SUSE"
fake_kernel rescue 300007 "$P/vmlinuz-rescue"
fake_initrd rescue 200003 "$P/initrd-rescue"

# text_bytes SEED SIZE FILE: deterministic hex text, which compresses about
# 2:1, for the compressed btrfs extents (random bytes would be stored raw).
text_bytes() {
	gen_bytes "$1" $(($2 / 2 + 64)) "$3.raw"
	(set +o pipefail; od -An -v -tx1 "$3.raw" | tr -d ' \n' | head -c "$2" >"$3")
	rm -f "$3.raw"
	[ "$(stat -c %s "$3")" = "$2" ] || die "text_bytes: short $3"
}
text_bytes "kernel:$FC" 900001 "$P/vmlinuz-$FC"
text_bytes "initrd:$FC" 1300003 "$P/initramfs-$FC.img"
# lzo has no entropy coder: its payload repeats text around the random part
gen_bytes "kernel:fc-rescue" 160000 "$WORK/lz.raw"
(set +o pipefail; od -An -v -tx8 "$WORK/lz.raw" |
	awk '{ for (i = 1; i <= NF; i++) printf "%s pvboot lzo test payload, line %07d\n", $i, n++ }' |
	head -c 800009 >"$P/vmlinuz-0-rescue-$MID")
[ "$(stat -c %s "$P/vmlinuz-0-rescue-$MID")" = 800009 ] || die "short lzo payload"
# the rescue initramfs has a 1 MiB hole in the middle
text_bytes "initrd:fc-rescue" 300007 "$P/rescue-parts"
head -c 100003 "$P/rescue-parts" >"$P/initramfs-0-rescue-$MID.img"
truncate -s $((100003 + 1048576)) "$P/initramfs-0-rescue-$MID.img"
tail -c 200004 "$P/rescue-parts" >>"$P/initramfs-0-rescue-$MID.img"

# skip_image NAME REASON: no image; stale results removed.  NAME.skip
# keeps the reason for tests/e2e.sh, which counts it (and fails it as root
# in CI: every skipped image here is one that needs root's loop mount).
skip_image() {
	rm -f "$OUT/$1.img" "$OUT/$1.expect" "$OUT/$1"-*.cfg
	echo "SKIP $1: $2" >&2
	echo "$2" >"$OUT/$1.skip"
}

# loop_mount FSFILE DIR [OPTIONS]: mount a filesystem file; failure is
# reported (for a SKIP), not fatal.
loop_mount() {
	local opts=loop${3:+,$3}
	[ "$(id -u)" = 0 ] || { LOOP_WHY="not root (loop mount needed)"; return 1; }
	mkdir -p "$2"
	if ! mount -o "$opts" "$1" "$2" 2>"$WORK/mount.err"; then
		LOOP_WHY="mount -o $opts failed: $(head -1 "$WORK/mount.err")"
		return 1
	fi
	MOUNTS+=("$2")
}
# umount detaches the mount here, but a mount namespace made meanwhile by
# any other process (pvboot's own worker unshares one) holds a copy, and the
# filesystem is shut down (its log written, the loop device freed) only when
# the last copy goes: wait for the loop device to let go of the file, so the
# checks that read the file next see it clean.
loop_umount() {
	local dev back i=0
	dev=$(findmnt -n -o SOURCE --target "$1" 2>/dev/null)
	back=$(losetup -n -O BACK-FILE "$dev" 2>/dev/null)
	umount "$1" || die "umount $1 failed"
	while [ -n "$back" ] && losetup -j "$back" | grep -q . && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ $i -lt 300 ] || die "$back: still attached to a loop device 30 s after umount"
	local keep=() m
	for m in "${MOUNTS[@]}"; do [ "$m" = "$1" ] || keep+=("$m"); done
	MOUNTS=("${keep[@]+"${keep[@]}"}")
}

# interleave FILE1 SRC1 FILE2 CHUNK: write SRC1 into FILE1 CHUNK bytes at a
# time, each followed by a chunk of FILE2 and an fsync of both, so the
# allocator places them alternately and FILE1 ends in many extents.
interleave() {
	/usr/bin/python3 - "$@" <<-'EOF'
	import os, sys
	dst, src, other, chunk = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
	data = open(src, 'rb').read()
	a = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
	b = os.open(other, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
	for off in range(0, len(data), chunk):
	    os.write(a, data[off:off + chunk])
	    os.fsync(a)
	    os.write(b, b'\xa5' * chunk)
	    os.fsync(b)
	os.close(a)
	os.close(b)
	EOF
}

# xfs_proto DIR: an mkfs.xfs protofile for the tree under DIR, on stdout.
xfs_proto_dir() {
	local dir=$1 ind=$2 e name
	for e in "$dir"/* "$dir"/.[!.]*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		name=${e##*/}
		if [ -L "$e" ]; then
			printf '%s%s l--777 0 0 %s\n' "$ind" "$name" "$(readlink "$e")"
		elif [ -d "$e" ]; then
			printf '%s%s d--755 0 0\n' "$ind" "$name"
			xfs_proto_dir "$e" "$ind "
			printf '%s$\n' "$ind"
		else
			printf '%s%s ---644 0 0 %s\n' "$ind" "$name" "$e"
		fi
	done
}
xfs_proto() {
	printf '/dev/null\n0 0\nd--755 0 0\n'
	xfs_proto_dir "$1" " "
	printf '$\n'
}

# mkfs_xfs_dir SRCDIR FSFILE UUID LABEL [mkfs.xfs options...]: 128 MiB
mkfs_xfs_dir() {
	local src=$1 fs=$2 uuid=$3 label=$4
	shift 4
	xfs_proto "$src" >"$fs.proto"
	rm -f "$fs"
	truncate -s 128M "$fs"
	"${XFS_SMALL[@]}" mkfs.xfs -q -f -m uuid="$uuid" -L "$label" "$@" \
		-p "$fs.proto" "$fs" >/dev/null 2>"$fs.err" || {
		cat "$fs.err" >&2
		die "mkfs.xfs -p failed for $fs"
	}
	xfs_check "$fs"
}

# xfs_check FSFILE: xfs_repair -n finds nothing to fix.
xfs_check() {
	xfs_repair -n "$1" >"$1.repair" 2>&1 || {
		grep -v '^        - \|^Phase \|host filesystem geometry\|sector size mismatch' "$1.repair" | head -20 >&2
		die "xfs_repair -n $1 reports problems"
	}
}

# xfs_dir_form FSFILE GUESTDIR: "local", "block", "leaf", "node" or
# "btree", from the directory's fork format and its blocks' file offsets
# (leaf blocks live at 32 GiB, the free index at 64 GiB).
xfs_dir_form() {
	local fmt bmap
	fmt=$(xfs_db -r -c "path $2" -c 'print core.format' "$1" | sed -n 's/.*(\(.*\))/\1/p')
	case $fmt in
	local | btree) echo "$fmt"; return ;;
	esac
	bmap=$(xfs_db -r -c "path $2" -c 'bmap' "$1" | awk '{ print $3 }' | sort -n | tail -1)
	if [ "${bmap:-0}" -ge 16777216 ]; then
		echo node
	elif [ "${bmap:-0}" -ge 8388608 ]; then
		echo leaf
	else
		echo block
	fi
}

# xfs_fork FSFILE PATH: the data fork format of a file (local/extents/btree)
xfs_fork() {
	xfs_db -r -c "path $2" -c 'print core.format' "$1" | sed -n 's/.*(\(.*\))/\1/p'
}

# 1,000+ entries in /boot, the kernel among them: leaf/node directory forms
many_files() { # DIR COUNT
	local i f
	for ((i = 1; i <= $2; i++)); do
		printf -v f '%s/module-%04d-xen-pv-blkfront-netfront.ko' "$1" $i
		: >"$f"
	done
}

# A directory and file names long enough that a symlink to the file is a
# remote (out-of-inode) symlink on XFS: more than 336 bytes.  (mkfs.xfs
# 6.1 -p writes v5 remote symlinks without their block header, which
# xfs_repair rejects: v5 ones are made by the kernel in xfs-frag.)
LONGDIR=kernels-kept-by-the-administrator-for-rescue-$(printf '%0200d' 0)
LONGSUB=$(printf 'r%.0s' $(seq 1 100))

rhel7_entry() { # TITLE ID VERSION UUID PART
	cat <<-EOF
	menuentry '$1' --class centos --class gnu-linux --class gnu --class os --unrestricted \$menuentry_id_option '$2' {
		load_video
		set gfxpayload=keep
		insmod gzio
		insmod part_gpt
		insmod xfs
		set root='hd0,$5'
		if [ x\$feature_platform_search_hint = xy ]; then
		  search --no-floppy --fs-uuid --set=root --hint='hd0,$5'  $4
		else
		  search --no-floppy --fs-uuid --set=root $4
		fi
		linux16 /boot/vmlinuz-$3 root=UUID=$4 ro crashkernel=auto console=hvc0 LANG=en_US.UTF-8
		initrd16 /boot/initramfs-$3.img
	}
	EOF
}

# --- xfs-v5-gpt: CentOS 7 style, XFS v5 root in p2 after BIOS boot ------
build_xfs_v5_gpt() {
	local n=xfs-v5-gpt d=$WORK/x5 u=7c1e3a5c-9e7a-4b1c-8d3f-5a7c9e1b3d20 form
	local t1="CentOS Linux ($EL7) 7 (Core)" t2="CentOS Linux ($EL7B) 7 (Core)"
	mkdir -p "$d/boot/grub2" "$d/etc"
	printf 'UUID=%s / xfs defaults 0 0\n' $u >"$d/etc/fstab"
	cp "$P/vmlinuz-$EL7" "$P/initramfs-$EL7.img" "$P/vmlinuz-$EL7B" "$P/initramfs-$EL7B.img" "$d/boot/"
	many_files "$d/boot" 1200
	ln -s boot/vmlinuz-$EL7 "$d/vmlinuz"
	{
		printf 'if [ -s $prefix/grubenv ]; then\n  load_env\nfi\n'
		printf 'if [ "${next_entry}" ] ; then\n   set default="${next_entry}"\n'
		printf '   set next_entry=\n   save_env next_entry\n   set boot_once=true\nelse\n'
		printf '   set default="${saved_entry}"\nfi\n'
		printf 'set timeout=5\n'
		rhel7_entry "$t1" "gnulinux-$EL7-advanced-$u" $EL7 $u gpt2
		rhel7_entry "$t2" "gnulinux-$EL7B-advanced-$u" $EL7B $u gpt2
	} >"$d/boot/grub2/grub.cfg"
	# grub2-set-default's grubenv: the older kernel is the saved default
	{ printf '# GRUB Environment Block\nsaved_entry=%s\n' "$t2"; printf '%*s' 1024 '' | tr ' ' '#'; } |
		head -c 1024 >"$d/boot/grub2/grubenv"
	mkfs_xfs_dir "$d" "$WORK/$n.fs" $u root
	xfs_db -r -c version "$WORK/$n.fs" | grep -q 'V5,.*CRC,FTYPE' || die "$n: not XFS v5 with ftype"
	form=$(xfs_dir_form "$WORK/$n.fs" /boot)
	[ "$form" = node ] || die "$n: /boot is a $form directory, want node"
	new_disk "$OUT/$n.img" 131
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 7D3B4E5F-2A6C-4B8D-9E0F-1A2B3C4D5E20
	first-lba: 2048
	start=2048, size=2048, type=$BIOSBOOT, uuid=22222222-3333-4444-8555-666666666601, name="BIOS boot"
	start=4096, size=262144, type=$LINUXFS, uuid=22222222-3333-4444-8555-666666666602, name="root"
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 4096
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 4096

	expect_open "$OUT/$n.expect"
	exp_boot "$t2" /boot/vmlinuz-$EL7B "$P/vmlinuz-$EL7B" \
		/boot/initramfs-$EL7B.img "$P/initramfs-$EL7B.img" \
		"root=UUID=$u ro crashkernel=auto console=hvc0 LANG=en_US.UTF-8"
	exp_file /boot/vmlinuz-$EL7 "$P/vmlinuz-$EL7"
	exp pygrub fail
	exp pygrub_why "pygrub's XFS reader (libfsimage, from GRUB legacy) knows only v4 superblocks"
	exp_file /boot/initramfs-$EL7.img "$P/initramfs-$EL7.img"
	exp_file /boot/vmlinuz-$EL7B "$P/vmlinuz-$EL7B"
	exp_file /boot/initramfs-$EL7B.img "$P/initramfs-$EL7B.img"
	exp_file /vmlinuz "$P/vmlinuz-$EL7"
	exp titles "$t1|$t2"
	exp variant.1.opt "--entry=0"
	exp variant.1.kernel /boot/vmlinuz-$EL7
	exp variant.1.ramdisk /boot/initramfs-$EL7.img
	exp variant.1.args "root=UUID=$u ro crashkernel=auto console=hvc0 LANG=en_US.UTF-8"
	# a local (in-inode) symlink at the root
	exp variant.2.opt "--kernel=/vmlinuz"
	exp variant.2.opt "--ramdisk=/boot/initramfs-$EL7.img"
	exp variant.2.kernel /vmlinuz
	exp variant.2.ramdisk /boot/initramfs-$EL7.img
	exp variant.2.args ""
	# straight at the filesystem
	exp variant.3.opt "--offset=$((4096 * 512))"
	exp variant.3.kernel /boot/vmlinuz-$EL7B
	exp variant.3.ramdisk /boot/initramfs-$EL7B.img
	exp variant.3.args "root=UUID=$u ro crashkernel=auto console=hvc0 LANG=en_US.UTF-8"
	# (no isconfig: the default comes from the grubenv next to grub.cfg)
}

# --- xfs-v4: XFS v4 (no CRC, no ftype), MBR, Debian grub.cfg -------------
build_xfs_v4() {
	local n=xfs-v4 d=$WORK/x4 u=8d2f4b6d-0f8b-4c2d-9e4a-6b8d0f2c4e21 form
	mkdir -p "$d/boot/grub" "$d/etc" "$d/boot/$LONGDIR/$LONGSUB"
	printf 'UUID=%s / xfs defaults 0 0\n' $u >"$d/etc/fstab"
	cp "$P/vmlinuz-$K13" "$P/initrd.img-$K13" "$d/boot/"
	cp "$P/vmlinuz-rescue" "$P/initrd-rescue" "$d/boot/$LONGDIR/$LONGSUB/"
	many_files "$d/boot" 1100
	ln -s boot/vmlinuz-$K13 "$d/vmlinuz"
	ln -s boot/initrd.img-$K13 "$d/initrd.img"
	ln -s "/boot/$LONGDIR/$LONGSUB/vmlinuz-rescue" "$d/boot/vmlinuz-rescue"
	G_PART="msdos 1" G_FSUUID=$u G_ROOTUUID=$u G_PREFIX=/boot \
		debian_grub_cfg 0 $K13 $K13 | sed 's/insmod ext2/insmod xfs/' >"$d/boot/grub/grub.cfg"
	mkfs_xfs_dir "$d" "$WORK/$n.fs" $u root -m crc=0 -n ftype=0
	xfs_db -r -c version "$WORK/$n.fs" | grep -q 'versionnum.*= V4,' || die "$n: not XFS v4"
	xfs_db -r -c version "$WORK/$n.fs" | grep -q FTYPE && die "$n: has ftype"
	form=$(xfs_dir_form "$WORK/$n.fs" /boot)
	# 256-byte v4 inodes hold few extents: the node directory's fork is a B-tree
	[ "$form" = btree ] || die "$n: /boot is a $form directory, want btree"
	[ "$(xfs_fork "$WORK/$n.fs" /boot/vmlinuz-rescue)" = extents ] || die "$n: /boot/vmlinuz-rescue is not a remote symlink"
	new_disk "$OUT/$n.img" 130
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a20
	start=2048, size=262144, type=83, bootable
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro quiet"
	exp_file /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /boot/initrd.img-$K13 "$P/initrd.img-$K13"
	exp_file /vmlinuz "$P/vmlinuz-$K13"
	exp pygrub args
	exp pygrub_args "root=UUID=$u ro  quiet"
	exp pygrub_why "pygrub copies the linux line's raw text; GRUB rebuilds it from words"
	exp_file /initrd.img "$P/initrd.img-$K13"
	exp_file /boot/vmlinuz-rescue "$P/vmlinuz-rescue"
	exp_file "/boot/$LONGDIR/$LONGSUB/initrd-rescue" "$P/initrd-rescue"
	exp titles "Debian GNU/Linux|Debian GNU/Linux, with Linux $K13|Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp variant.1.opt "--entry=Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp variant.1.kernel /boot/vmlinuz-$K13
	exp variant.1.ramdisk /boot/initrd.img-$K13
	exp variant.1.args "root=UUID=$u ro single"
	exp variant.2.opt "--kernel=/vmlinuz"
	exp variant.2.opt "--ramdisk=/initrd.img"
	exp variant.2.kernel /vmlinuz
	exp variant.2.ramdisk /initrd.img
	exp variant.2.args ""
	exp variant.3.opt "--kernel=/boot/vmlinuz-rescue"
	exp variant.3.opt "--ramdisk=/boot/$LONGDIR/$LONGSUB/initrd-rescue"
	exp variant.3.kernel /boot/vmlinuz-rescue
	exp variant.3.ramdisk "/boot/$LONGDIR/$LONGSUB/initrd-rescue"
	exp variant.3.args ""
}

# --- xfs-frag: a kernel in 40+ extents (B-tree data fork), nrext64, reflink --
build_xfs_frag() {
	local n=xfs-frag m=$WORK/xf.mnt u=9e3a5c7e-1a9c-4d3e-8f5b-7c9e1a3d5f22 fs=$WORK/xfs-frag.fs
	local fork
	rm -f "$fs"
	truncate -s 128M "$fs"
	"${XFS_SMALL[@]}" mkfs.xfs -q -f -m uuid=$u -L root -i nrext64=1 "$fs" >/dev/null 2>&1 ||
		"${XFS_SMALL[@]}" mkfs.xfs -q -f -m uuid=$u -L root "$fs" >/dev/null
	# allocsize=4k: no speculative preallocation to glue the chunks together
	loop_mount "$fs" "$m" allocsize=4k || { skip_image $n "$LOOP_WHY"; return 0; }
	mkdir -p "$m/boot/grub"
	interleave "$m/boot/vmlinuz-$K18" "$P/vmlinuz-$K18" "$m/.filler" 16384
	interleave "$m/boot/initrd.img-$K18" "$P/initrd.img-$K18" "$m/.filler" 65536
	ln -s vmlinuz-$K18 "$m/boot/vmlinuz"
	ln -s initrd.img-$K18 "$m/boot/initrd.img"
	mkdir -p "$m/boot/$LONGDIR/$LONGSUB"
	cp "$P/vmlinuz-rescue" "$m/boot/$LONGDIR/$LONGSUB/"
	ln -s "/boot/$LONGDIR/$LONGSUB/vmlinuz-rescue" "$m/boot/vmlinuz-rescue"
	# a reflinked copy shares the fragmented kernel's blocks
	cp --reflink=always "$m/boot/vmlinuz-$K18" "$m/boot/vmlinuz-reflinked"
	cat >"$m/boot/grub/grub.cfg" <<-EOF
	set default=0
	set timeout=5
	menuentry 'Debian GNU/Linux (fragmented kernel)' {
		insmod xfs
		search --no-floppy --fs-uuid --set=root $u
		linux	/boot/vmlinuz root=UUID=$u ro console=hvc0
		initrd	/boot/initrd.img
	}
	EOF
	cmp -s "$m/boot/vmlinuz" "$P/vmlinuz-$K18" || die "$n: kernel written wrongly"
	cmp -s "$m/boot/initrd.img" "$P/initrd.img-$K18" || die "$n: initrd written wrongly"
	loop_umount "$m"
	xfs_check "$fs"
	fork=$(xfs_fork "$fs" /boot/vmlinuz-$K18)
	[ "$fork" = btree ] || die "$n: kernel data fork is '$fork', want btree"
	[ "$(xfs_fork "$fs" /boot/vmlinuz-rescue)" = extents ] || die "$n: /boot/vmlinuz-rescue is not a remote symlink"
	new_disk "$OUT/$n.img" 130
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a22
	start=2048, size=262144, type=83
	EOF
	place "$fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$fs" 2048

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux (fragmented kernel)" /boot/vmlinuz "$P/vmlinuz-$K18" \
		/boot/initrd.img "$P/initrd.img-$K18" "root=UUID=$u ro console=hvc0"
	exp pygrub fail
	exp pygrub_why "pygrub's XFS reader (libfsimage, from GRUB legacy) knows only v4 superblocks"
	exp_file /boot/vmlinuz-$K18 "$P/vmlinuz-$K18"
	exp_file /boot/initrd.img-$K18 "$P/initrd.img-$K18"
	exp_file /boot/vmlinuz-rescue "$P/vmlinuz-rescue"
	exp variant.1.opt "--kernel=/boot/vmlinuz-$K18"
	exp variant.1.kernel /boot/vmlinuz-$K18
	exp variant.1.ramdisk none
	exp variant.1.args ""
	# a remote symlink (v5: its block has a CRC header) into long names
	exp variant.2.opt "--kernel=/boot/vmlinuz-rescue"
	exp variant.2.opt "--args=single"
	exp variant.2.kernel /boot/vmlinuz-rescue
	exp variant.2.ramdisk none
	exp variant.2.args "single"
	exp_file /boot/vmlinuz-reflinked "$P/vmlinuz-$K18"
	exp variant.3.opt "--kernel=/boot/vmlinuz-reflinked"
	exp variant.3.kernel /boot/vmlinuz-reflinked
	exp variant.3.ramdisk none
	exp variant.3.args ""
}

# --- btrfs-rootdir: mkfs.btrfs --rootdir, whole disk, Debian grub.cfg ------
build_btrfs_rootdir() {
	local n=btrfs-rootdir d=$WORK/br u=af4b6d8f-2b0d-4e4f-9a6c-8d0f2b4d6f23
	mkdir -p "$d/boot/grub" "$d/etc"
	printf 'UUID=%s / btrfs defaults 0 0\n' $u >"$d/etc/fstab"
	cp "$P/vmlinuz-$K13" "$P/initrd.img-$K13" "$P/vmlinuz-$K18" "$P/initrd.img-$K18" "$d/boot/"
	printf 'CONFIG_XEN=y\n' >"$d/boot/config-$K18" # inline extent
	ln -s boot/vmlinuz-$K18 "$d/vmlinuz"
	ln -s boot/initrd.img-$K18 "$d/initrd.img"
	G_PART="msdos 1" G_FSUUID=$u G_ROOTUUID=$u G_PREFIX=/boot \
		debian_grub_cfg 0 $K18 $K18 $K13 | sed 's/insmod ext2/insmod btrfs/' >"$d/boot/grub/grub.cfg"
	rm -f "$OUT/$n.img"
	truncate -s 128M "$OUT/$n.img"
	mkfs.btrfs -q -f -U $u -L root --rootdir "$d" "$OUT/$n.img" >/dev/null 2>"$WORK/$n.err" || {
		cat "$WORK/$n.err" >&2
		die "mkfs.btrfs --rootdir failed"
	}
	btrfs check --readonly "$OUT/$n.img" >/dev/null 2>&1 || die "btrfs check $n reports problems"

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" /boot/vmlinuz-$K18 "$P/vmlinuz-$K18" \
		/boot/initrd.img-$K18 "$P/initrd.img-$K18" "root=UUID=$u ro quiet"
	exp_file /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp pygrub fail
	exp pygrub_why "pygrub has no btrfs reader"
	exp_file /boot/initrd.img-$K13 "$P/initrd.img-$K13"
	exp_file /boot/config-$K18 "$d/boot/config-$K18"
	exp_file /vmlinuz "$P/vmlinuz-$K18"
	exp_file /initrd.img "$P/initrd.img-$K18"
	exp titles "Debian GNU/Linux|Debian GNU/Linux, with Linux $K18|Debian GNU/Linux, with Linux $K13"
	exp variant.1.opt "--entry=1>2"
	exp variant.1.kernel /boot/vmlinuz-$K13
	exp variant.1.ramdisk /boot/initrd.img-$K13
	exp variant.1.args "root=UUID=$u ro quiet"
	exp variant.2.opt "--kernel=/vmlinuz"
	exp variant.2.opt "--ramdisk=/initrd.img"
	exp variant.2.kernel /vmlinuz
	exp variant.2.ramdisk /initrd.img
	exp variant.2.args ""
	# an inline extent as the "kernel": read, not mapped
	exp variant.3.opt "--kernel=/boot/config-$K18"
	exp variant.3.kernel /boot/config-$K18
	exp variant.3.ramdisk none
	exp variant.3.args ""
}

# btrfs_compressions FSFILE: the compression types of its file extents
# (0 none, 1 zlib, 2 lzo, 3 zstd), sorted, space-separated.
btrfs_compressions() {
	btrfs inspect-internal dump-tree "$1" 2>/dev/null |
		sed -n 's/.*compression \([0-9]\).*/\1/p' | sort -u | tr '\n' ' '
}

fedora_entry() { # TITLE VERSION UUID KERNEL INITRD ARGS-TAIL
	cat <<-EOF
	menuentry '$1' --class fedora --class gnu-linux --class gnu --class os --unrestricted \$menuentry_id_option 'gnulinux-$2-advanced-$3' {
		load_video
		set gfxpayload=keep
		insmod gzio
		insmod part_gpt
		insmod btrfs
		set root='hd0,gpt2'
		if [ x\$feature_platform_search_hint = xy ]; then
		  search --no-floppy --fs-uuid --set=root --hint='hd0,gpt2'  $3
		else
		  search --no-floppy --fs-uuid --set=root $3
		fi
		echo	'Loading Linux $2 ...'
		linux	/root/boot/$4 root=UUID=$3 ro rootflags=subvol=root $6
		echo	'Loading initial ramdisk ...'
		initrd	/root/boot/$5
	}
	EOF
}

# --- btrfs-fedora: root/home subvolumes, /boot inside root, compression ----
build_btrfs_fedora() {
	local n=btrfs-fedora m=$WORK/bf.mnt u=b05c7e9a-3c1e-4f5a-8b7d-9e1a3c5e7a24 fs=$WORK/btrfs-fedora.fs
	local t1="Fedora Linux ($FC) 39 (Thirty Nine)" t2="Fedora Linux (0-rescue-$MID) 39 (Thirty Nine)"
	local c
	rm -f "$fs"
	truncate -s 128M "$fs"
	mkfs.btrfs -q -f -U $u -L fedora "$fs" >/dev/null
	loop_mount "$fs" "$m" compress-force=zstd || { skip_image $n "$LOOP_WHY"; return 0; }
	btrfs -q subvolume create "$m/root" >/dev/null
	btrfs -q subvolume create "$m/home" >/dev/null
	mkdir -p "$m/root/boot/grub2" "$m/root/etc" "$m/home/user"
	printf 'UUID=%s / btrfs subvol=root,compress=zstd:1 0 0\nUUID=%s /home btrfs subvol=home,compress=zstd:1 0 0\n' \
		$u $u >"$m/root/etc/fstab"
	# zstd for the kernel, zlib for the initramfs, lzo for the rescue pair
	cp "$P/vmlinuz-$FC" "$m/root/boot/"
	sync -f "$m/root/boot/vmlinuz-$FC"
	mount -o remount,compress-force=zlib "$m"
	cp "$P/initramfs-$FC.img" "$m/root/boot/"
	sync -f "$m/root/boot/initramfs-$FC.img"
	mount -o remount,compress-force=lzo "$m"
	cp "$P/vmlinuz-0-rescue-$MID" "$m/root/boot/"
	cp --sparse=always "$P/initramfs-0-rescue-$MID.img" "$m/root/boot/"
	sync -f "$m/root/boot/initramfs-0-rescue-$MID.img"
	mount -o remount,compress=no "$m"
	ln -s vmlinuz-$FC "$m/root/boot/vmlinuz"
	{
		printf 'set default="0"\nset timeout=5\n'
		fedora_entry "$t1" $FC $u vmlinuz-$FC initramfs-$FC.img "rhgb quiet"
		fedora_entry "$t2" 0-rescue-$MID $u vmlinuz-0-rescue-$MID initramfs-0-rescue-$MID.img "rhgb quiet"
	} >"$m/root/boot/grub2/grub.cfg"
	cp "$m/root/boot/grub2/grub.cfg" "$OUT/$n-grub.cfg"
	# a decoy at the top level, where no config is looked for
	printf 'not a kernel\n' >"$m/home/user/vmlinuz"
	for c in vmlinuz-$FC initramfs-$FC.img vmlinuz-0-rescue-$MID initramfs-0-rescue-$MID.img; do
		cmp -s "$m/root/boot/$c" "$P/$c" || die "$n: $c written wrongly"
	done
	/usr/bin/python3 -c 'import os,sys; f=os.open(sys.argv[1],os.O_RDONLY); sys.exit(0 if os.lseek(f,0,os.SEEK_HOLE) < os.fstat(f).st_size else 1)' \
		"$m/root/boot/initramfs-0-rescue-$MID.img" || die "$n: rescue initramfs has no hole"
	loop_umount "$m"
	btrfs check --readonly "$fs" >/dev/null 2>&1 || die "btrfs check $n reports problems"
	c=$(btrfs_compressions "$fs")
	[ "$c" = "0 1 2 3 " ] || die "$n: extents compressed with types '$c', want 0 1 2 3 (none zlib lzo zstd)"
	new_disk "$OUT/$n.img" 131
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 7D3B4E5F-2A6C-4B8D-9E0F-1A2B3C4D5E24
	first-lba: 2048
	start=2048, size=2048, type=$BIOSBOOT, name="BIOS boot"
	start=4096, size=262144, type=$LINUXFS, name="fedora"
	EOF
	place "$fs" "$OUT/$n.img" 4096
	check_placed "$OUT/$n.img" "$fs" 4096

	expect_open "$OUT/$n.expect"
	exp_boot "$t1" /root/boot/vmlinuz-$FC "$P/vmlinuz-$FC" \
		/root/boot/initramfs-$FC.img "$P/initramfs-$FC.img" \
		"root=UUID=$u ro rootflags=subvol=root rhgb quiet"
	exp_file /root/boot/vmlinuz-$FC "$P/vmlinuz-$FC"
	exp pygrub fail
	exp pygrub_why "pygrub has no btrfs reader (nor looks for /root/boot/grub2/grub.cfg)"
	exp_file /root/boot/vmlinuz "$P/vmlinuz-$FC"
	exp_file /root/boot/initramfs-$FC.img "$P/initramfs-$FC.img"
	exp_file /root/boot/vmlinuz-0-rescue-$MID "$P/vmlinuz-0-rescue-$MID"
	exp_file /root/boot/initramfs-0-rescue-$MID.img "$P/initramfs-0-rescue-$MID.img"
	exp titles "$t1|$t2"
	exp isconfig /root/boot/grub2/grub.cfg
	# lzo kernel, lzo initramfs with a hole
	exp variant.1.opt "--entry=1"
	exp variant.1.kernel /root/boot/vmlinuz-0-rescue-$MID
	exp variant.1.ramdisk /root/boot/initramfs-0-rescue-$MID.img
	exp variant.1.args "root=UUID=$u ro rootflags=subvol=root rhgb quiet"
	# a relative symlink inside the root subvolume
	exp variant.2.opt "--kernel=/root/boot/vmlinuz"
	exp variant.2.kernel /root/boot/vmlinuz
	exp variant.2.ramdisk none
	exp variant.2.args ""
}

# --- btrfs-opensuse: default subvolume @/.snapshots/1/snapshot, DUP -------
build_btrfs_opensuse() {
	local n=btrfs-opensuse m=$WORK/bs.mnt u=c16d8fab-4d2f-4a6b-9c8e-0f2b4d6f8a25 fs=$WORK/btrfs-opensuse.fs
	local s id t="openSUSE Leap 15.6"
	rm -f "$fs"
	truncate -s 256M "$fs" # DUP data needs 240 MiB
	mkfs.btrfs -q -f -U $u -L opensuse -m dup -d dup "$fs" >/dev/null
	loop_mount "$fs" "$m" || { skip_image $n "$LOOP_WHY"; return 0; }
	btrfs -q subvolume create "$m/@" >/dev/null
	btrfs -q subvolume create "$m/@/.snapshots" >/dev/null
	mkdir -p "$m/@/.snapshots/1"
	btrfs -q subvolume create "$m/@/.snapshots/1/snapshot" >/dev/null
	btrfs -q subvolume create "$m/@/home" >/dev/null
	btrfs -q subvolume create "$m/@/boot" >/dev/null 2>&1 || mkdir -p "$m/@/boot"
	s=$m/@/.snapshots/1/snapshot
	printf '<?xml version="1.0"?>\n<snapshot>\n  <type>single</type>\n  <num>1</num>\n  <description>first root filesystem</description>\n</snapshot>\n' \
		>"$m/@/.snapshots/1/info.xml"
	mkdir -p "$s/boot/grub2" "$s/etc" "$s/.snapshots"
	printf 'UUID=%s / btrfs defaults 0 0\nUUID=%s /.snapshots btrfs subvol=/@/.snapshots 0 0\n' $u $u >"$s/etc/fstab"
	cp "$P/vmlinuz-$SUSE" "$P/initrd-$SUSE" "$s/boot/"
	ln -s vmlinuz-$SUSE "$s/boot/vmlinuz"
	ln -s initrd-$SUSE "$s/boot/initrd"
	# a decoy: a stale kernel in the @ subvolume itself
	cp "$P/vmlinuz-rescue" "$m/@/boot/vmlinuz-$SUSE"
	cat >"$s/boot/grub2/grub.cfg" <<-EOF
	set btrfs_relative_path="yes"
	set default=0
	set timeout=8
	menuentry '$t'  --class opensuse --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-simple-$u' {
		load_video
		set gfxpayload=keep
		insmod gzio
		insmod part_gpt
		insmod btrfs
		search --no-floppy --fs-uuid --set=root $u
		echo	'Loading Linux $SUSE ...'
		linux	/boot/vmlinuz-$SUSE root=UUID=$u \${extra_cmdline} splash=silent mitigations=auto quiet security=apparmor
		echo	'Loading initial ramdisk ...'
		initrd	/boot/initrd-$SUSE
	}
	EOF
	cp "$s/boot/grub2/grub.cfg" "$OUT/$n-grub.cfg"
	id=$(btrfs subvolume list "$m" | sed -n 's/^ID \([0-9]*\) .* path @\/.snapshots\/1\/snapshot$/\1/p')
	[ -n "$id" ] || die "$n: snapshot subvolume id not found"
	btrfs subvolume set-default "$id" "$m"
	loop_umount "$m"
	btrfs check --readonly "$fs" >/dev/null 2>&1 || die "btrfs check $n reports problems"
	btrfs inspect-internal dump-tree -t chunk "$fs" 2>/dev/null | grep -q 'type DATA|DUP' ||
		die "$n: no DUP data chunk"
	new_disk "$OUT/$n.img" 259
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 7D3B4E5F-2A6C-4B8D-9E0F-1A2B3C4D5E25
	first-lba: 2048
	start=2048, size=2048, type=$BIOSBOOT, name="primary"
	start=4096, size=524288, type=$LINUXFS, name="primary"
	EOF
	place "$fs" "$OUT/$n.img" 4096
	check_placed "$OUT/$n.img" "$fs" 4096

	expect_open "$OUT/$n.expect"
	# ${extra_cmdline} is unset: an empty unquoted expansion is no word
	exp_boot "$t" /boot/vmlinuz-$SUSE "$P/vmlinuz-$SUSE" \
		/boot/initrd-$SUSE "$P/initrd-$SUSE" \
		"root=UUID=$u splash=silent mitigations=auto quiet security=apparmor"
	exp pygrub fail
	exp pygrub_why "pygrub has no btrfs reader"
	exp_file /boot/vmlinuz-$SUSE "$P/vmlinuz-$SUSE"
	exp_file /boot/initrd-$SUSE "$P/initrd-$SUSE"
	exp_file /boot/vmlinuz "$P/vmlinuz-$SUSE"
	exp_file /boot/initrd "$P/initrd-$SUSE"
	exp titles "$t"
	exp isconfig /boot/grub2/grub.cfg
	exp variant.1.opt "--kernel=/boot/vmlinuz"
	exp variant.1.opt "--ramdisk=/boot/initrd"
	exp variant.1.opt "--args=root=UUID=$u"
	exp variant.1.kernel /boot/vmlinuz
	exp variant.1.ramdisk /boot/initrd
	exp variant.1.args "root=UUID=$u"
}

# mkfs_fat_dir FAT(12|16|32) SRCDIR FSFILE SIZE_MIB SERIAL LABEL [mkfs.fat options]
mkfs_fat_dir() {
	local bits=$1 src=$2 fs=$3 mib=$4 serial=$5 label=$6
	shift 6
	rm -f "$fs"
	truncate -s "${mib}M" "$fs"
	mkfs.fat -F "$bits" -i "$serial" -n "$label" "$@" "$fs" >/dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -s -Q -D o -i "$fs" "$src"/* ::/
	fsck.fat -n "$fs" >/dev/null 2>&1 || die "fsck.fat -n $fs reports problems"
}

# check_fat_file FSFILE GUESTPATH LOCALFILE: mtools reads back the payload.
check_fat_file() {
	[ "$(MTOOLS_SKIP_CHECK=1 mtype -i "$1" "::$2" | sha256sum | cut -d' ' -f1)" = "$(sha "$3")" ] ||
		die "$1:$2 does not hold $3"
}

# --- fat12-syslinux: a small syslinux stick, FAT12 in an MBR partition ----
build_fat12_syslinux() {
	local n=fat12-syslinux d=$WORK/f12
	mkdir -p "$d/boot/syslinux"
	cp "$P/vmlinuz-$K13" "$P/initrd.img-$K13" "$d/boot/"
	cp "$P/vmlinuz-rescue" "$d/boot/syslinux/Rescue-Kernel.Image"
	cat >"$d/boot/syslinux/syslinux.cfg" <<-EOF
	DEFAULT debian
	PROMPT 0
	TIMEOUT 50
	LABEL debian
	  KERNEL /boot/vmlinuz-$K13
	  INITRD /boot/initrd.img-$K13
	  APPEND root=LABEL=DEBIANROOT ro console=hvc0
	LABEL rescue
	  KERNEL Rescue-Kernel.Image
	  APPEND single
	EOF
	mkfs_fat_dir 12 "$d" "$WORK/$n.fs" 6 5e1f0a30 SYSLINUX
	check_fat_file "$WORK/$n.fs" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	new_disk "$OUT/$n.img" 8
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a30
	start=2048, size=12288, type=1, bootable
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048
	cp "$d/boot/syslinux/syslinux.cfg" "$OUT/$n-syslinux.cfg"

	expect_open "$OUT/$n.expect"
	exp_boot debian /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=LABEL=DEBIANROOT ro console=hvc0"
	exp pygrub fail
	exp pygrub_why "pygrub does not look for syslinux.cfg"
	exp_file /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /boot/initrd.img-$K13 "$P/initrd.img-$K13"
	exp_file /boot/syslinux/Rescue-Kernel.Image "$P/vmlinuz-rescue"
	exp_file /BOOT/VMLINUZ-${K13^^} "$P/vmlinuz-$K13"
	exp_file /boot/syslinux/rescue-kernel.image "$P/vmlinuz-rescue"
	exp titles "debian|rescue"
	exp isconfig /boot/syslinux/syslinux.cfg
	# relative to the config's directory, long mixed-case name
	exp variant.1.opt "--entry=rescue"
	exp variant.1.kernel /boot/syslinux/Rescue-Kernel.Image
	exp variant.1.ramdisk none
	exp variant.1.args "single"
	# FAT lookups ignore case
	exp variant.2.opt "--kernel=/BOOT/VMLINUZ-${K13^^}"
	exp variant.2.kernel /BOOT/VMLINUZ-${K13^^}
	exp variant.2.ramdisk none
	exp variant.2.args ""
	exp variant.3.opt "--kernel=/boot/syslinux/rescue-kernel.image"
	exp variant.3.kernel /boot/syslinux/rescue-kernel.image
	exp variant.3.ramdisk none
	exp variant.3.args ""
}

# --- fat16-boot: GPT, a FAT16 partition mounted at /boot, grub.cfg --------
build_fat16_boot() {
	local n=fat16-boot d=$WORK/f16 ru=d27e9abc-5e3a-4b7c-8d9f-1a3c5e7a9b26 bu=5E1F-0A31
	mkdir -p "$d/grub"
	cp "$P/vmlinuz-$K18" "$P/initrd.img-$K18" "$P/vmlinuz-$K13" "$P/initrd.img-$K13" "$d/"
	G_PART="gpt 1" G_FSUUID=$bu G_ROOTUUID=$ru G_PREFIX="" \
		debian_grub_cfg 0 $K18 $K18 $K13 | sed 's/insmod ext2/insmod fat/' >"$d/grub/grub.cfg"
	mkfs_fat_dir 16 "$d" "$WORK/$n.fs" 24 5e1f0a31 BOOT
	check_fat_file "$WORK/$n.fs" /initrd.img-$K18 "$P/initrd.img-$K18"
	new_disk "$OUT/$n.img" 40
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 7D3B4E5F-2A6C-4B8D-9E0F-1A2B3C4D5E26
	first-lba: 2048
	start=2048, size=49152, type=$ESP, name="boot"
	start=51200, size=28672, type=$LINUXFS, name="root"
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" /vmlinuz-$K18 "$P/vmlinuz-$K18" \
		/initrd.img-$K18 "$P/initrd.img-$K18" "root=UUID=$ru ro quiet"
	exp pygrub args
	exp pygrub_args "root=UUID=$ru ro  quiet"
	exp pygrub_why "pygrub copies the linux line's raw text; GRUB rebuilds it from words"
	exp_file /vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /initrd.img-$K13 "$P/initrd.img-$K13"
	exp titles "Debian GNU/Linux|Debian GNU/Linux, with Linux $K18|Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp variant.1.opt "--entry=Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp variant.1.kernel /vmlinuz-$K13
	exp variant.1.ramdisk /initrd.img-$K13
	exp variant.1.args "root=UUID=$ru ro single"
	exp variant.2.opt "--kernel=/Vmlinuz-$K13"
	exp variant.2.opt "--ramdisk=/INITRD.IMG-$K13"
	exp variant.2.kernel /Vmlinuz-$K13
	exp variant.2.ramdisk /INITRD.IMG-$K13
	exp variant.2.args ""
	exp_file /Vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /INITRD.IMG-$K13 "$P/initrd.img-$K13"
}

# --- fat32-sdboot: an ESP with systemd-boot's BLS entries, FAT32 ----------
build_fat32_sdboot() {
	local n=fat32-sdboot d=$WORK/f32 ru=e38fabcd-6f4b-4c8d-9eaf-2b4d6f8a0c27
	mkdir -p "$d/loader/entries" "$d/$MID/$K13" "$d/$MID/$K18" "$d/EFI/systemd" "$d/EFI/BOOT"
	cp "$P/vmlinuz-$K13" "$d/$MID/$K13/linux"
	cp "$P/initrd.img-$K13" "$d/$MID/$K13/initrd.img-$K13"
	cp "$P/vmlinuz-$K18" "$d/$MID/$K18/linux"
	cp "$P/initrd.img-$K18" "$d/$MID/$K18/initrd.img-$K18"
	gen_bytes systemd-bootx64.efi 90001 "$d/EFI/systemd/systemd-bootx64.efi"
	cp "$d/EFI/systemd/systemd-bootx64.efi" "$d/EFI/BOOT/BOOTX64.EFI"
	printf 'default %s-%s.conf\ntimeout 3\nconsole-mode keep\n' $MID $K13 >"$d/loader/loader.conf"
	local v
	for v in $K13 $K18; do
		cat >"$d/loader/entries/$MID-$v.conf" <<-EOF
		# Boot Loader Specification type#1 entry
		# File created by /usr/lib/kernel/install.d/90-loaderentry.install (systemd 252.22-1~deb12u1)
		title      Debian GNU/Linux 12 (bookworm)
		version    $v
		machine-id $MID
		sort-key   debian
		options    root=UUID=$ru ro console=hvc0 systemd.machine_id=$MID
		linux      /$MID/$v/linux
		initrd     /$MID/$v/initrd.img-$v
		EOF
	done
	mkfs_fat_dir 32 "$d" "$WORK/$n.fs" 40 5e1f0a32 ESP -s 1
	check_fat_file "$WORK/$n.fs" /$MID/$K13/linux "$P/vmlinuz-$K13"
	new_disk "$OUT/$n.img" 48
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a32
	start=2048, size=81920, type=ef
	start=83968, size=14336, type=83
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux 12 (bookworm)" /$MID/$K13/linux "$P/vmlinuz-$K13" \
		/$MID/$K13/initrd.img-$K13 "$P/initrd.img-$K13" \
		"root=UUID=$ru ro console=hvc0 systemd.machine_id=$MID"
	exp_file /$MID/$K13/linux "$P/vmlinuz-$K13"
	exp pygrub fail
	exp pygrub_why "pygrub reads no sd-boot loader.conf or BLS entries"
	exp_file /$MID/$K18/linux "$P/vmlinuz-$K18"
	exp_file /$MID/$K18/initrd.img-$K18 "$P/initrd.img-$K18"
	exp variant.1.opt "--entry=$MID-$K18"
	exp variant.1.kernel /$MID/$K18/linux
	exp variant.1.ramdisk /$MID/$K18/initrd.img-$K18
	exp variant.1.args "root=UUID=$ru ro console=hvc0 systemd.machine_id=$MID"
}

# iso_tree DIR: a Debian-live-like tree with an isolinux config where
# pygrub looks for one, and a Rock Ridge symlink.
iso_tree() {
	local d=$1
	mkdir -p "$d/boot/isolinux" "$d/live" "$d/.disk"
	cp "$P/vmlinuz-$K13" "$P/initrd.img-$K13" "$d/live/"
	cp "$P/vmlinuz-rescue" "$P/initrd-rescue" "$d/live/"
	ln -s vmlinuz-$K13 "$d/live/vmlinuz"
	ln -s initrd.img-$K13 "$d/live/initrd.img"
	printf 'Debian GNU/Linux 12.2.0 "Bookworm" - Official Live amd64\n' >"$d/.disk/info"
	cat >"$d/boot/isolinux/isolinux.cfg" <<-EOF
	DEFAULT live
	PROMPT 0
	TIMEOUT 0
	LABEL live
	  MENU LABEL Debian GNU/Linux Live (kernel $K13)
	  KERNEL /live/vmlinuz-$K13
	  APPEND initrd=/live/initrd.img-$K13 boot=live components quiet splash console=hvc0
	LABEL rescue
	  MENU LABEL Rescue
	  KERNEL /live/vmlinuz-rescue
	  APPEND initrd=/live/initrd-rescue boot=live components single
	EOF
}

exp_iso() { # the expectations both ISO images share
	exp_boot live /live/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/live/initrd.img-$K13 "$P/initrd.img-$K13" "boot=live components quiet splash console=hvc0"
	exp_file /live/vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /live/initrd.img-$K13 "$P/initrd.img-$K13"
	exp_file /live/vmlinuz "$P/vmlinuz-$K13"
	exp_file /live/initrd.img "$P/initrd.img-$K13"
	exp_file /live/vmlinuz-rescue "$P/vmlinuz-rescue"
	exp_file /live/initrd-rescue "$P/initrd-rescue"
	exp titles "Debian GNU/Linux Live (kernel $K13)|Rescue"
	exp variant.1.opt "--entry=rescue"
	exp variant.1.kernel /live/vmlinuz-rescue
	exp variant.1.ramdisk /live/initrd-rescue
	exp variant.1.args "boot=live components single"
	exp variant.2.opt "--kernel=/live/vmlinuz"
	exp variant.2.opt "--ramdisk=/live/initrd.img"
	exp variant.2.kernel /live/vmlinuz
	exp variant.2.ramdisk /live/initrd.img
	exp variant.2.args ""
}

# --- iso-isolinux: xorriso -R -J, whole disk, /boot/isolinux/isolinux.cfg --
build_iso_isolinux() {
	local n=iso-isolinux d=$WORK/iso
	iso_tree "$d"
	rm -f "$OUT/$n.img"
	xorriso -as mkisofs -quiet -R -J -V DEBIAN_LIVE --modification-date=2023100712000000 \
		-o "$OUT/$n.img" "$d" 2>"$WORK/$n.err" || { cat "$WORK/$n.err" >&2; die "xorriso failed for $n"; }
	xorriso -indev "$OUT/$n.img" -osirrox on -extract /live/vmlinuz-$K13 "$WORK/$n.k" >/dev/null 2>&1
	cmp -s "$WORK/$n.k" "$P/vmlinuz-$K13" || die "$n: kernel does not read back"
	cp "$d/boot/isolinux/isolinux.cfg" "$OUT/$n-isolinux.cfg"

	expect_open "$OUT/$n.expect"
	exp_iso
	exp isconfig /boot/isolinux/isolinux.cfg
	exp pygrub same
	# Joliet only (no Rock Ridge): the names are the same here
}

# --- iso-hybrid: ISO 9660 at 0 plus an MBR with an appended ESP -----------
build_iso_hybrid() {
	local n=iso-hybrid d=$WORK/isoh e=$WORK/isoh-esp
	iso_tree "$d"
	# the ESP holds a GRUB config of its own; the ISO comes first
	mkdir -p "$e/boot/grub" "$e/EFI/boot"
	cp "$P/vmlinuz-rescue" "$e/boot/vmlinuz-esp"
	printf 'menuentry "ESP decoy" {\n\tlinux /boot/vmlinuz-esp decoy\n}\n' >"$e/boot/grub/grub.cfg"
	mkfs_fat_dir 12 "$e" "$WORK/$n.esp" 2 5e1f0a33 ESP
	rm -f "$OUT/$n.img"
	xorriso -as mkisofs -quiet -R -J -V DEBIAN_LIVE --modification-date=2023100712000000 \
		--protective-msdos-label -append_partition 2 0xef "$WORK/$n.esp" \
		-o "$OUT/$n.img" "$d" 2>"$WORK/$n.err" || { cat "$WORK/$n.err" >&2; die "xorriso failed for $n"; }
	[ "$(od -An -tx1 -j 510 -N 2 "$OUT/$n.img" | tr -d ' ')" = 55aa ] || die "$n: no MBR signature"
	[ "$(dd if="$OUT/$n.img" bs=1 skip=32769 count=5 status=none)" = CD001 ] || die "$n: no CD001 at 0x8001"
	sfdisk -d "$OUT/$n.img" 2>/dev/null | grep -q 'type=ef' || die "$n: no ESP partition"

	expect_open "$OUT/$n.expect"
	exp_iso
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-esp
	exp "file:/boot/vmlinuz-esp" "$(sha "$P/vmlinuz-rescue")"
	exp pygrub_why "pygrub 4.17 compares the bytes at 0x8001 with the str 'CD001' (Python 3), never sees a hybrid ISO and boots the ESP's config"
}

# --- btrfs-big-initrd: a 120 MiB initrd in zstd extents (issue 14) -------
# The worker reads compressed files and sends their bytes to the supervisor
# one chunk at a time: this initrd boots under the default 256 MiB worker
# limit only if neither side holds it whole.
big_text() { # SIZE FILE: deterministic text that compresses ~10:1
	/usr/bin/python3 - "$@" <<-'EOF'
	import hashlib, sys
	size, path = int(sys.argv[1]), sys.argv[2]
	with open(path, 'wb') as f:
	    left, i = size, 0
	    while left > 0:
	        h = hashlib.sha256(b'pvboot big initrd %d' % (i // 16)).hexdigest()
	        line = (b'%010d ' % i + h.encode() + b' ' * 64)[:127] + b'\n'
	        f.write(line[:left])
	        left -= len(line)
	        i += 1
	EOF
}
build_btrfs_big_initrd() {
	local n=btrfs-big-initrd m=$WORK/bb.mnt u=d27e9b0c-5e3f-4b7a-8c9d-1f3b5d7f9b26 c
	big_text $((120 * 1048576 + 4099)) "$WORK/initrd.img-big"
	rm -f "$OUT/$n.img"
	truncate -s 256M "$OUT/$n.img"
	mkfs.btrfs -q -f -U $u -L big "$OUT/$n.img" >/dev/null
	loop_mount "$OUT/$n.img" "$m" compress-force=zstd || {
		skip_image $n "$LOOP_WHY"; return 0; }
	mkdir -p "$m/boot/grub"
	cp "$P/vmlinuz-$K18" "$m/boot/"
	cp "$WORK/initrd.img-big" "$m/boot/initrd.img-$K18"
	printf 'set default=0
menuentry "Debian GNU/Linux (big initrd)" {
	linux /boot/vmlinuz-%s root=UUID=%s ro
	initrd /boot/initrd.img-%s
}
' \
		$K18 $u $K18 >"$m/boot/grub/grub.cfg"
	sync -f "$m/boot/initrd.img-$K18"
	cmp -s "$m/boot/initrd.img-$K18" "$WORK/initrd.img-big" || die "$n: initrd written wrongly"
	loop_umount "$m"
	btrfs check --readonly "$OUT/$n.img" >/dev/null 2>&1 || die "btrfs check $n reports problems"
	c=$(btrfs_compressions "$OUT/$n.img")
	[[ $c == *3* ]] || die "$n: no zstd extents (compression types '$c')"

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux (big initrd)" /boot/vmlinuz-$K18 "$P/vmlinuz-$K18" \
		/boot/initrd.img-$K18 "$WORK/initrd.img-big" "root=UUID=$u ro"
	exp pygrub fail
	exp pygrub_why "pygrub has no btrfs reader"
	rm -f "$WORK/initrd.img-big"
}

for name in $WANT; do
	"build_${name//-/_}"
	[ -f "$OUT/$name.expect" ] && echo "built $OUT/$name.img"
done
