#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/images/build.sh OUTDIR [NAME...]
#
# Builds the guest disk images the end-to-end tests boot, from scratch and
# without root: payloads are deterministic pseudo-random bytes, filesystems
# come from `mke2fs -d DIR`, partition tables from sfdisk on the image file,
# and each filesystem is dd'ed into its disk at the partition's offset.
# Next to each OUTDIR/NAME.img goes OUTDIR/NAME.expect, the manifest of
# what booting it must produce (format in tests/images/lib.sh), written
# from the configs this script writes, never from running a bootloader.
# With NAME arguments only those images are built.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/grubcfg.sh"

# no name list: names are matched at the end, and passed on to the others
builder_init pvboot-images "" "$@"
shift

K13=6.1.0-13-amd64
K18=6.1.0-18-amd64
BIOSBOOT=21686148-6449-6E6F-744E-656564454649
LINUXFS=0FC63DAF-8483-4772-8E79-3D69D8477DE4

# --- payloads ------------------------------------------------------------
# One set, reused by every image; sizes are deliberately not block-aligned.
P=$WORK/payload
mkdir -p "$P"
fake_kernel $K13 700001 "$P/vmlinuz-$K13"
fake_initrd $K13 1200003 "$P/initrd.img-$K13"
fake_kernel $K18 650003 "$P/vmlinuz-$K18"
fake_initrd $K18 1100001 "$P/initrd.img-$K18"
fake_kernel 2.6.32-5-xen-amd64 400017 "$P/vmlinuz-2.6.32-5-xen-amd64"
fake_initrd 2.6.32-5-xen-amd64 600011 "$P/initrd.img-2.6.32-5-xen-amd64"
fake_kernel 2.6.32-4-xen-amd64 390001 "$P/vmlinuz-2.6.32-4-xen-amd64"
fake_initrd 2.6.32-4-xen-amd64 590009 "$P/initrd.img-2.6.32-4-xen-amd64"
fake_kernel rescue 300007 "$P/vmlinuz-rescue"
fake_initrd rescue 200003 "$P/initrd-rescue"
fake_kernel lts 500009 "$P/vmlinuz-lts"
fake_initrd lts 400001 "$P/initramfs-lts"
fake_kernel virt 450001 "$P/vmlinuz-virt"
fake_initrd virt 350003 "$P/initramfs-virt"
# Microcode first on the initrd line: a multiple of 4 bytes, so GRUB's
# 4-byte alignment between initrds adds no padding and the expected
# ramdisk is the plain concatenation.
gen_bytes intel-ucode 12288 "$P/intel-ucode.img"

# debian_files ROOT PREFIX VERSION...: kernels, initrds, config, System.map
# under ROOT/PREFIX (PREFIX "boot" for a root fs, "." for a /boot fs).
debian_files() {
	local root=$1 pre=$2 v
	shift 2
	mkdir -p "$root/$pre"
	for v in "$@"; do
		cp "$P/vmlinuz-$v" "$P/initrd.img-$v" "$root/$pre/"
		printf 'CONFIG_XEN=y\nCONFIG_XEN_PV=y\n# %s\n' "$v" >"$root/$pre/config-$v"
		printf 'ffffffff81000000 T _text\n' >"$root/$pre/System.map-$v"
	done
}

# grubenv as grub-editenv creates it: 1024 bytes, '#'-padded.
grubenv() {
	{ printf '# GRUB Environment Block\n'; printf '%*s' 1000 '' | tr ' ' '#'; } |
		head -c 1024 >"$1"
}

root_skel() { # ROOT UUID [BOOTUUID]
	mkdir -p "$1/etc" "$1/boot" "$1/root" "$1/tmp" "$1/usr/bin"
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' >"$1/etc/os-release"
	printf 'UUID=%s / ext4 errors=remount-ro 0 1\n' "$2" >"$1/etc/fstab"
	if [ $# -ge 3 ]; then
		printf 'UUID=%s /boot ext2 defaults 0 2\n' "$3" >>"$1/etc/fstab"
	fi
}

# check_fs_file FSFILE GUESTPATH LOCALFILE: debugfs reads back the payload.
check_fs_file() {
	local got
	got=$(debugfs -R "cat $2" "$1" 2>/dev/null | sha256sum | cut -d' ' -f1)
	[ "$got" = "$(sha "$3")" ] || {
		echo "build.sh: $1:$2 does not hold $3" >&2
		exit 1
	}
}

# --- (a) mbr-ext4: MBR, ext4 root with /boot inside, Debian grub.cfg -------
build_mbr_ext4() {
	local n=mbr-ext4 d=$WORK/mbr-ext4 u=3e1a7f0c-6d2b-4c59-9a41-2b8e5d7c1f01
	root_skel "$d" $u
	debian_files "$d" boot $K13
	cp "$P/vmlinuz-rescue" "$P/initrd-rescue" "$d/boot/"
	ln -s boot/vmlinuz-$K13 "$d/vmlinuz"
	ln -s boot/initrd.img-$K13 "$d/initrd.img"
	mkdir -p "$d/boot/grub"
	G_PART="msdos 1" G_FSUUID=$u G_ROOTUUID=$u G_PREFIX=/boot \
		debian_grub_cfg 0 $K13 $K13 >"$d/boot/grub/grub.cfg"
	grubenv "$d/boot/grub/grubenv"
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	check_fs_file "$WORK/$n.fs" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	new_disk "$OUT/$n.img" 32
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a01
	start=2048, size=63488, type=83, bootable
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048
	cp "$d/boot/grub/grub.cfg" "$OUT/$n-grub.cfg"

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro quiet"
	exp_file /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /boot/initrd.img-$K13 "$P/initrd.img-$K13"
	exp_file /boot/vmlinuz-rescue "$P/vmlinuz-rescue"
	exp_file /boot/initrd-rescue "$P/initrd-rescue"
	exp titles "Debian GNU/Linux|Debian GNU/Linux, with Linux $K13|Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp pygrub args
	exp pygrub_args "root=UUID=$u ro  quiet"
	exp pygrub_why "pygrub copies the linux line's raw text; GRUB rebuilds it from words (grub-semantics.md)"
	exp isconfig /boot/grub/grub.cfg
	# by title, inside the submenu
	exp variant.1.opt "--entry=Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp variant.1.kernel /boot/vmlinuz-$K13
	exp variant.1.ramdisk /boot/initrd.img-$K13
	exp variant.1.args "root=UUID=$u ro single"
	# by submenu path
	exp variant.2.opt "--entry=1>1"
	exp variant.2.kernel /boot/vmlinuz-$K13
	exp variant.2.ramdisk /boot/initrd.img-$K13
	exp variant.2.args "root=UUID=$u ro single"
	# --args alone is appended to the entry's args
	exp variant.3.opt "--args=console=hvc0 earlyprintk=xen"
	exp variant.3.kernel /boot/vmlinuz-$K13
	exp variant.3.ramdisk /boot/initrd.img-$K13
	exp variant.3.args "root=UUID=$u ro quiet console=hvc0 earlyprintk=xen"
	# as libxl passes kernel=/ramdisk=/extra= from a domain config: those
	# files, and only --args (no config entry is involved)
	exp variant.4.opt "--kernel=/boot/vmlinuz-rescue"
	exp variant.4.opt "--ramdisk=/boot/initrd-rescue"
	exp variant.4.opt "--args=console=hvc0"
	exp variant.4.kernel /boot/vmlinuz-rescue
	exp variant.4.ramdisk /boot/initrd-rescue
	exp variant.4.args "console=hvc0"
	# a guest path that does not exist: nothing bootable
	exp variant.5.opt "--kernel=/boot/vmlinuz-missing"
	exp variant.5.status 2
	# libxl's own argv with bootloader_restrict=1: --runas and --quiet
	exp variant.6.opt "--args=console=hvc0"
	exp variant.6.opt "--runas=65534"
	exp variant.6.kernel /boot/vmlinuz-$K13
	exp variant.6.ramdisk /boot/initrd.img-$K13
	exp variant.6.args "root=UUID=$u ro quiet console=hvc0"
}

# --- (b) gpt-sepboot: GPT, BIOS boot, separate ext2 /boot, ext4 root -------
build_gpt_sepboot() {
	local n=gpt-sepboot b=$WORK/gs-boot r=$WORK/gs-root
	local bu=7b2c1d9e-0f3a-4e65-8c17-5a9d3e2f4b02 ru=a0c4e8f2-1b3d-4f57-9e6a-8c2d4f6b8a03
	root_skel "$r" $ru $bu
	debian_files "$b" . $K13
	mkdir -p "$b/grub"
	G_PART="gpt 2" G_FSUUID=$bu G_ROOTUUID=$ru G_PREFIX="" \
		debian_grub_cfg 0 $K13 $K13 >"$b/grub/grub.cfg"
	grubenv "$b/grub/grubenv"
	mkfs_dir ext2 "$b" "$WORK/$n.boot" 16 $bu boot
	mkfs_dir ext4 "$r" "$WORK/$n.root" 20 $ru root
	check_fs_file "$WORK/$n.boot" /vmlinuz-$K13 "$P/vmlinuz-$K13"
	new_disk "$OUT/$n.img" 40
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 6F2A3C4D-1E5B-4A7C-9D8E-0F1A2B3C4D5E
	first-lba: 2048
	start=2048, size=2048, type=$BIOSBOOT, uuid=11111111-2222-4333-8444-555555555501, name="BIOS boot"
	start=4096, size=32768, type=$LINUXFS, uuid=11111111-2222-4333-8444-555555555502, name="boot"
	start=36864, size=40960, type=$LINUXFS, uuid=11111111-2222-4333-8444-555555555503, name="root"
	EOF
	# something like GRUB's core.img in the BIOS boot partition
	gen_bytes core.img 61440 "$WORK/core.img"
	place "$WORK/core.img" "$OUT/$n.img" 2048
	place "$WORK/$n.boot" "$OUT/$n.img" 4096
	place "$WORK/$n.root" "$OUT/$n.img" 36864
	check_placed "$OUT/$n.img" "$WORK/$n.boot" 4096
	check_placed "$OUT/$n.img" "$WORK/$n.root" 36864
	sgdisk -v "$OUT/$n.img" | grep -q 'No problems found' || {
		echo "build.sh: $n: sgdisk -v finds problems" >&2
		exit 1
	}

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" /vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$ru ro quiet"
	exp_file /vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /initrd.img-$K13 "$P/initrd.img-$K13"
	exp titles "Debian GNU/Linux|Debian GNU/Linux, with Linux $K13|Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp pygrub args
	exp pygrub_args "root=UUID=$ru ro  quiet"
	exp pygrub_why "pygrub copies the linux line's raw text; GRUB rebuilds it from words"
	exp variant.1.opt "--entry=Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp variant.1.kernel /vmlinuz-$K13
	exp variant.1.ramdisk /initrd.img-$K13
	exp variant.1.args "root=UUID=$ru ro single"
	# --offset straight at the /boot filesystem
	exp variant.2.opt "--offset=$((4096 * 512))"
	exp variant.2.kernel /vmlinuz-$K13
	exp variant.2.ramdisk /initrd.img-$K13
	exp variant.2.args "root=UUID=$ru ro quiet"
	# --offset at the root filesystem: no config there
	exp variant.3.opt "--offset=$((36864 * 512))"
	exp variant.3.status 2
}

# --- (c) logical-boot: /boot in the 2nd logical partition -----------------
build_logical_boot() {
	local n=logical-boot b=$WORK/lb-boot r=$WORK/lb-root
	local bu=c5d7e9f1-2a4c-4e6f-8b1d-3f5a7c9e1b04 ru=d6e8f0a2-3b5d-4f7a-9c2e-4a6b8d0f2c05
	root_skel "$r" $ru $bu
	debian_files "$b" . $K13
	mkdir -p "$b/grub"
	G_PART="msdos 6" G_FSUUID=$bu G_ROOTUUID=$ru G_PREFIX="" \
		debian_grub_cfg 0 $K13 $K13 >"$b/grub/grub.cfg"
	mkfs_dir ext4 "$b" "$WORK/$n.boot" 16 $bu boot
	mkfs_dir ext4 "$r" "$WORK/$n.root" 16 $ru root
	check_fs_file "$WORK/$n.boot" /vmlinuz-$K13 "$P/vmlinuz-$K13"
	truncate -s 4M "$WORK/$n.swap"
	mkswap -q -U e7f9a1b3-4c6e-4a8b-9d3f-5b7c9e1a3d06 "$WORK/$n.swap" >/dev/null 2>&1 ||
		printf 'SWAPSPACE2' | dd of="$WORK/$n.swap" bs=1 seek=4086 conv=notrunc status=none
	new_disk "$OUT/$n.img" 48
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a03
	start=2048, size=32768, type=83
	start=34816, size=63488, type=5
	start=36864, size=8192, type=82
	start=47104, size=32768, type=83
	EOF
	sfdisk -d "$OUT/$n.img" | grep -q "$n.img6 : start= *47104," || {
		echo "build.sh: $n: p6 is not where expected" >&2
		exit 1
	}
	place "$WORK/$n.root" "$OUT/$n.img" 2048
	place "$WORK/$n.swap" "$OUT/$n.img" 36864
	place "$WORK/$n.boot" "$OUT/$n.img" 47104
	check_placed "$OUT/$n.img" "$WORK/$n.boot" 47104

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" /vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$ru ro quiet"
	exp_file /vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /initrd.img-$K13 "$P/initrd.img-$K13"
	exp pygrub fail
	exp pygrub_why "pygrub does not look inside extended partitions (protocol.md)"
}

# --- (d) whole-ext3-menulst: no partition table, GRUB legacy menu.lst ------
build_whole_ext3_menulst() {
	local n=whole-ext3-menulst d=$WORK/wm u=e8f0a2b4-5d7f-4b9c-8e4a-6c8d0f2b4e07
	local v5=2.6.32-5-xen-amd64 v4=2.6.32-4-xen-amd64
	root_skel "$d" $u
	debian_files "$d" boot $v5 $v4
	mkdir -p "$d/boot/grub"
	cat >"$d/boot/grub/menu.lst" <<-EOF
	# menu.lst - See: grub(8), info grub, update-grub(8)
	#            grub-install(8), grub-floppy(8),
	#            grub-md5-crypt, /usr/share/doc/grub

	## default num
	# You can specify 'saved' instead of a number.
	default		1

	## timeout sec
	timeout		5

	### BEGIN AUTOMAGIC KERNELS LIST
	## ## End Default Options ##

	title		Debian GNU/Linux, kernel $v5
	root		(hd0)
	kernel		/boot/vmlinuz-$v5 root=/dev/xvda ro console=hvc0
	initrd		/boot/initrd.img-$v5

	title		Debian GNU/Linux, kernel $v4
	root		(hd0)
	kernel		/boot/vmlinuz-$v4 root=/dev/xvda ro console=hvc0 quiet
	initrd		/boot/initrd.img-$v4

	### END DEBIAN AUTOMAGIC KERNELS LIST
	EOF
	mkfs_dir ext3 "$d" "$OUT/$n.img" 24 $u root
	check_fs_file "$OUT/$n.img" /boot/vmlinuz-$v4 "$P/vmlinuz-$v4"
	cp "$d/boot/grub/menu.lst" "$OUT/$n-menu.lst"

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux, kernel $v4" /boot/vmlinuz-$v4 "$P/vmlinuz-$v4" \
		/boot/initrd.img-$v4 "$P/initrd.img-$v4" "root=/dev/xvda ro console=hvc0 quiet"
	exp_file /boot/vmlinuz-$v5 "$P/vmlinuz-$v5"
	exp_file /boot/initrd.img-$v5 "$P/initrd.img-$v5"
	exp_file /boot/vmlinuz-$v4 "$P/vmlinuz-$v4"
	exp_file /boot/initrd.img-$v4 "$P/initrd.img-$v4"
	exp titles "Debian GNU/Linux, kernel $v5|Debian GNU/Linux, kernel $v4"
	exp pygrub same
	exp isconfig /boot/grub/menu.lst
	exp variant.1.opt "--entry=0"
	exp variant.1.kernel /boot/vmlinuz-$v5
	exp variant.1.ramdisk /boot/initrd.img-$v5
	exp variant.1.args "root=/dev/xvda ro console=hvc0"
	exp variant.2.opt "--entry=Debian GNU/Linux, kernel $v5"
	exp variant.2.kernel /boot/vmlinuz-$v5
	exp variant.2.ramdisk /boot/initrd.img-$v5
	exp variant.2.args "root=/dev/xvda ro console=hvc0"
	exp variant.3.opt "--offset=0"
	exp variant.3.kernel /boot/vmlinuz-$v4
	exp variant.3.ramdisk /boot/initrd.img-$v4
	exp variant.3.args "root=/dev/xvda ro console=hvc0 quiet"
}

# Two kernels, as grub-mkconfig lists them (newest first in the submenu).
two_kernel_root() { # DIR UUID DEFAULT TOPVERSION
	root_skel "$1" "$2"
	debian_files "$1" boot $K18 $K13
	mkdir -p "$1/boot/grub"
	G_PART="msdos 1" G_FSUUID=$2 G_ROOTUUID=$2 G_PREFIX=/boot \
		debian_grub_cfg "$3" "$4" $K18 $K13 >"$1/boot/grub/grub.cfg"
	grubenv "$1/boot/grub/grubenv"
}

one_part_disk() { # NAME FSFILE (32 MiB disk, p1 at 1 MiB)
	new_disk "$OUT/$1.img" 32
	partition "$OUT/$1.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a10
	start=2048, size=63488, type=83, bootable
	EOF
	place "$2" "$OUT/$1.img" 2048
	check_placed "$OUT/$1.img" "$2" 2048
}

exp_two_kernel_files() {
	local v
	for v in $K18 $K13; do
		exp_file /boot/vmlinuz-$v "$P/vmlinuz-$v"
		exp_file /boot/initrd.img-$v "$P/initrd.img-$v"
	done
}

# --- (e) submenu-default: set default="1>0" --------------------------------
# The top-level entry is pinned to the older kernel (GRUB_TOP_LEVEL, GRUB
# 2.12), so "1>0" (newest, in the submenu) and entry 0 boot different files.
build_submenu_default() {
	local n=submenu-default d=$WORK/sd u=f0a2b4c6-7e9a-4d1b-8f5c-7e9a1b3d5f08
	two_kernel_root "$d" $u "1>0" $K13
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs"

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux, with Linux $K18" /boot/vmlinuz-$K18 "$P/vmlinuz-$K18" \
		/boot/initrd.img-$K18 "$P/initrd.img-$K18" "root=UUID=$u ro quiet"
	exp_two_kernel_files
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-$K13
	exp pygrub_why "pygrub looks up the last path component '0' as a title, finds none, boots entry 0"
	exp variant.1.opt "--entry=1>2"
	exp variant.1.kernel /boot/vmlinuz-$K13
	exp variant.1.ramdisk /boot/initrd.img-$K13
	exp variant.1.args "root=UUID=$u ro quiet"
	exp variant.2.opt "--entry=Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp variant.2.kernel /boot/vmlinuz-$K13
	exp variant.2.ramdisk /boot/initrd.img-$K13
	exp variant.2.args "root=UUID=$u ro single"
}

# --- (f) submenu-id-default: default by id path -----------------------------
build_submenu_id_default() {
	local n=submenu-id-default d=$WORK/sid u=0a2c4e6a-8b0d-4f2b-9a6c-8e0a2c4e6f09
	two_kernel_root "$d" $u "gnulinux-advanced-$u>gnulinux-$K13-advanced-$u" $K18
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs"

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux, with Linux $K13" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro quiet"
	exp_two_kernel_files
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-$K18
	exp pygrub_why "pygrub compares the id with titles, finds none, boots entry 0"
	exp variant.1.opt "--entry=0"
	exp variant.1.kernel /boot/vmlinuz-$K18
	exp variant.1.ramdisk /boot/initrd.img-$K18
	exp variant.1.args "root=UUID=$u ro quiet"
	exp variant.2.opt "--entry=gnulinux-advanced-$u>gnulinux-$K18-recovery-$u"
	exp variant.2.kernel /boot/vmlinuz-$K18
	exp variant.2.ramdisk /boot/initrd.img-$K18
	exp variant.2.args "root=UUID=$u ro single"
}

# --- (g) symlink-kernel: relative and absolute symlinks ---------------------
build_symlink_kernel() {
	local n=symlink-kernel d=$WORK/sk u=1b3d5f7a-9c1e-4a3c-8b7d-9f1b3d5f7a10
	root_skel "$d" $u
	debian_files "$d" boot $K13
	ln -s vmlinuz-$K13 "$d/boot/vmlinuz"               # relative, same dir
	ln -s boot/vmlinuz "$d/vmlinuz"                    # relative, as Debian
	ln -s /boot/initrd.img-$K13 "$d/boot/initrd.img"   # absolute
	ln -s boot/initrd.img "$d/initrd.img"
	mkdir -p "$d/boot/grub"
	cat >"$d/boot/grub/grub.cfg" <<-EOF
	set default=0
	set timeout=5
	menuentry 'Debian GNU/Linux (via /vmlinuz)' --id via-symlinks {
		insmod ext2
		search --no-floppy --fs-uuid --set=root $u
		linux	/vmlinuz root=UUID=$u ro console=hvc0
		initrd	/initrd.img
	}
	EOF
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	check_fs_file "$WORK/$n.fs" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	debugfs -R "stat /vmlinuz" "$WORK/$n.fs" 2>/dev/null | grep -q "Fast link dest: \"boot/vmlinuz\"" || { echo "build.sh: $n: /vmlinuz is not a symlink" >&2; exit 1; }
	one_part_disk $n "$WORK/$n.fs"

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux (via /vmlinuz)" /vmlinuz "$P/vmlinuz-$K13" \
		/initrd.img "$P/initrd.img-$K13" "root=UUID=$u ro console=hvc0"
	exp_file /vmlinuz "$P/vmlinuz-$K13"
	exp_file /boot/vmlinuz "$P/vmlinuz-$K13"
	exp_file /initrd.img "$P/initrd.img-$K13"
	exp_file /boot/initrd.img "$P/initrd.img-$K13"
	exp pygrub same
	exp variant.1.opt "--kernel=/boot/vmlinuz"
	exp variant.1.opt "--ramdisk=/boot/initrd.img"
	exp variant.1.kernel /boot/vmlinuz
	exp variant.1.ramdisk /boot/initrd.img
	exp variant.1.args ""
}

# --- (h) noboot: filesystems but no bootloader config ------------------------
build_noboot() {
	local n=noboot d=$WORK/nb u=2c4e6a8b-0d2f-4b4d-9c8e-0a2c4e6a8b11
	root_skel "$d" $u
	debian_files "$d" boot $K13
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 8 $u root
	new_disk "$OUT/$n.img" 16
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 6F2A3C4D-1E5B-4A7C-9D8E-0F1A2B3C4D11
	first-lba: 2048
	start=2048, size=2048, type=$BIOSBOOT, name="BIOS boot"
	start=4096, size=16384, type=$LINUXFS, name="root"
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 4096
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 4096

	expect_open "$OUT/$n.expect"
	exp status 2
	# every partition named with its size@offset, type and finding, and the
	# config files looked for (order and wording otherwise free)
	exp error_re '^pvboot: '
	exp error_re 'p1 1MiB@1MiB [^;]*BIOS boot[^;]*: no filesystem'
	exp error_re 'p2 8MiB@2MiB [^;]*ext4'
	exp error_re '/boot/grub/grub\.cfg'
	exp error_re '/boot/grub/menu\.lst'
	exp pygrub fail
	exp pygrub_why "pygrub finds no config either, and raises a traceback"
}

# --- (i) args-with-delimiter: quotes in a GRUB legacy kernel line --------------------
build_args_with_delimiter() {
	local n=args-with-delimiter d=$WORK/aq u=3d5f7a9c-1e3a-4c5e-8d9f-1b3d5f7a9c12
	root_skel "$d" $u
	debian_files "$d" boot $K13
	mkdir -p "$d/boot/grub"
	cat >"$d/boot/grub/menu.lst" <<-EOF
	default 0
	timeout 3
	title Quoting test
	root (hd0,0)
	kernel /boot/vmlinuz-$K13 root=/dev/xvda1 ro console=hvc0 msg="it's here"
	initrd /boot/initrd.img-$K13
	EOF
	mkfs_dir ext3 "$d" "$WORK/$n.fs" 15 $u root
	new_disk "$OUT/$n.img" 16
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a12
	start=2048, size=30720, type=83
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048

	expect_open "$OUT/$n.expect"
	exp_boot "Quoting test" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" \
		"root=/dev/xvda1 ro console=hvc0 msg=\"it's here\""
	exp pygrub same
	# a newline cannot be carried by "simple": refused, nothing written
	exp variant.1.opt_printf '--args=a\nb'
	exp variant.1.opt "--output-format=simple"
	exp variant.1.status nonzero
	# a backslash and both quotes through sxp (Python repr rules)
	exp variant.2.opt '--args=path=C:\dir x='"'"'y'"'"
	exp variant.2.opt "--output-format=sxp"
	exp variant.2.kernel /boot/vmlinuz-$K13
	exp variant.2.ramdisk /boot/initrd.img-$K13
	exp variant.2.args "root=/dev/xvda1 ro console=hvc0 msg=\"it's here\" path=C:\\dir x='y'"
	exp_file /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /boot/initrd.img-$K13 "$P/initrd.img-$K13"
}

# --- (j) extlinux-relative: extlinux.conf with paths relative to its dir ---
build_extlinux_relative() {
	local n=extlinux-relative d=$WORK/ex u=4e6a8b0d-2f4b-4d6f-9e0a-2c4e6a8b0d13
	root_skel "$d" $u
	mkdir -p "$d/boot/extlinux"
	cp "$P/vmlinuz-lts" "$P/initramfs-lts" "$d/boot/"
	cp "$P/vmlinuz-virt" "$P/initramfs-virt" "$d/boot/extlinux/"
	cat >"$d/boot/extlinux/extlinux.conf" <<-EOF
	DEFAULT lts
	PROMPT 0
	TIMEOUT 30
	LABEL virt
	  KERNEL vmlinuz-virt
	  INITRD initramfs-virt
	  APPEND root=UUID=$u modules=sd-mod,usb-storage,ext4 quiet rootfstype=ext4
	LABEL lts
	  KERNEL ../vmlinuz-lts
	  INITRD ../initramfs-lts
	  APPEND root=UUID=$u modules=sd-mod,usb-storage,ext4 quiet
	EOF
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 15 $u root
	new_disk "$OUT/$n.img" 16
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a13
	start=2048, size=30720, type=83, bootable
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048

	expect_open "$OUT/$n.expect"
	# syslinux resolves relative names against the config file's directory
	exp_boot lts /boot/vmlinuz-lts "$P/vmlinuz-lts" \
		/boot/initramfs-lts "$P/initramfs-lts" \
		"root=UUID=$u modules=sd-mod,usb-storage,ext4 quiet"
	exp_file /boot/vmlinuz-lts "$P/vmlinuz-lts"
	exp_file /boot/initramfs-lts "$P/initramfs-lts"
	exp_file /boot/extlinux/vmlinuz-virt "$P/vmlinuz-virt"
	exp_file /boot/extlinux/initramfs-virt "$P/initramfs-virt"
	exp titles "virt|lts"
	exp pygrub fail
	exp pygrub_why "pygrub opens '../vmlinuz-lts' as given and ignores INITRD"
	exp variant.1.opt "--entry=virt"
	exp variant.1.kernel /boot/extlinux/vmlinuz-virt
	exp variant.1.ramdisk /boot/extlinux/initramfs-virt
	exp variant.1.args "root=UUID=$u modules=sd-mod,usb-storage,ext4 quiet rootfstype=ext4"
}

# --- (k) two-initrds: microcode + initrd on one GRUB 2 initrd line ---------
build_two_initrds() {
	local n=two-initrds d=$WORK/ti u=5f7a9c1e-3a5c-4e7a-8f1b-3d5f7a9c1e14
	root_skel "$d" $u
	debian_files "$d" boot $K13
	cp "$P/intel-ucode.img" "$d/boot/"
	mkdir -p "$d/boot/grub"
	cat >"$d/boot/grub/grub.cfg" <<-EOF
	set default=0
	set timeout=5
	menuentry 'Debian GNU/Linux with microcode' --id two-initrds {
		insmod ext2
		search --no-floppy --fs-uuid --set=root $u
		linux	/boot/vmlinuz-$K13 root=UUID=$u ro quiet
		initrd	/boot/intel-ucode.img /boot/initrd.img-$K13
	}
	EOF
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 15 $u root
	new_disk "$OUT/$n.img" 16
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a14
	start=2048, size=30720, type=83
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048

	cat "$P/intel-ucode.img" "$P/initrd.img-$K13" >"$WORK/$n.ramdisk"
	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux with microcode" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		"/boot/intel-ucode.img /boot/initrd.img-$K13" "$WORK/$n.ramdisk" \
		"root=UUID=$u ro quiet"
	exp_file /boot/intel-ucode.img "$P/intel-ucode.img"
	exp_file /boot/initrd.img-$K13 "$P/initrd.img-$K13"
	exp pygrub fail
	exp pygrub_why "pygrub takes the whole initrd line as one path"
}

# --- (l) htree-4k: 4 KiB blocks, 64bit, metadata_csum, 3000-entry /boot ----
build_htree_4k() {
	local n=htree-4k d=$WORK/ht u=6a8b0d2f-4b6d-4f8b-9a2c-4e6a8b0d2f15 i
	root_skel "$d" $u
	debian_files "$d" boot $K13
	# a kernel with a 1 MiB hole in the middle (sparse extents)
	head -c 200001 "$P/vmlinuz-$K18" >"$d/boot/vmlinuz-sparse"
	truncate -s $((200001 + 1048576)) "$d/boot/vmlinuz-sparse"
	tail -c 100003 "$P/vmlinuz-$K18" >>"$d/boot/vmlinuz-sparse"
	for i in $(seq -w 1 3000); do
		: >"$d/boot/module-$i.ko"
	done
	mkdir -p "$d/boot/grub"
	cat >"$d/boot/grub/grub.cfg" <<-EOF
	set default=0
	set timeout=5
	menuentry 'Debian GNU/Linux' --id htree {
		search --no-floppy --fs-uuid --set=root $u
		linux	/boot/vmlinuz-$K13 root=UUID=$u ro quiet
		initrd	/boot/initrd.img-$K13
	}
	menuentry 'Sparse kernel' --id sparse {
		search --no-floppy --fs-uuid --set=root $u
		linux	/boot/vmlinuz-sparse root=UUID=$u ro
	}
	EOF
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 48 $u root -b 4096 -N 8192 \
		-O 64bit,metadata_csum,dir_index,extent,huge_file,flex_bg
	# mke2fs -d writes linear directories; e2fsck -D indexes them (htree)
	e2fsck -fyD "$WORK/$n.fs" >/dev/null 2>&1 || [ $? -le 1 ]
	fsck_clean "$WORK/$n.fs"
	debugfs -R "htree_dump /boot" "$WORK/$n.fs" 2>/dev/null | grep -q 'Root node dump' || {
		echo "build.sh: $n: /boot is not an htree directory" >&2
		exit 1
	}
	check_fs_file "$WORK/$n.fs" /boot/vmlinuz-sparse "$d/boot/vmlinuz-sparse"
	new_disk "$OUT/$n.img" 64
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a15
	start=2048, size=98304, type=83
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro quiet"
	exp_file /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /boot/initrd.img-$K13 "$P/initrd.img-$K13"
	exp_file /boot/vmlinuz-sparse "$d/boot/vmlinuz-sparse"
	exp pygrub same
	exp variant.1.opt "--entry=Sparse kernel"
	exp variant.1.kernel /boot/vmlinuz-sparse
	exp variant.1.ramdisk none
	exp variant.1.args "root=UUID=$u ro"
}

ALL="mbr-ext4 gpt-sepboot logical-boot whole-ext3-menulst submenu-default
submenu-id-default symlink-kernel noboot args-with-delimiter extlinux-relative
two-initrds htree-4k"
[ $# -gt 0 ] && ALL="$*"
for name in $ALL; do
	fn=build_${name//-/_}
	# names this script does not know belong to the builders called below
	declare -F "$fn" >/dev/null || continue
	"$fn"
	echo "built $OUT/$name.img"
done
"$here/build-grub.sh" "$OUT" "$@"
"$here/build-fs.sh" "$OUT" "$@"
"$here/build-volumes.sh" "$OUT" "$@"
"$here/build-uki.sh" "$OUT" "$@"
