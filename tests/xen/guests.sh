#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/xen/guests.sh OUTDIR VMLINUZ BUSYBOX
#
# Builds the guest disks the Xen test boots with `xl create`, without root
# or loop devices (mke2fs -d, mkfs.xfs -p, mkfs.btrfs --rootdir, sfdisk).
# Every disk holds the REAL Debian kernel VMLINUZ and a busybox initramfs
# whose /init prints /proc/cmdline and powers the guest off.  Each menu
# entry's arguments carry a marker pvboot_marker=NAME unique to that entry;
# the kernel prints "Kernel command line: ..." on the guest console, and
# the dom0 script compares the markers there with the expected ones.
#
# Writes OUTDIR/NAME.img and OUTDIR/cases, one case a line:
#   NAME|IMAGE|MODE|EXPECT|PYGRUB
# MODE   boot (plain bootloader run), restrict (bootloader_restrict=1 with a
#        bootloader_user), restrict-range (bootloader_restrict=1 alone: libxl
#        takes the uid from the xen-qemuuser-range-base user plus the domid),
#        netboot (bootloader_args --location= a tree that dom0 serves over
#        HTTP from OUTDIR/www), twice (two `xl create` in a row on the same
#        disk, the guest powering off in between), twice-nowrite (the same
#        with bootloader_args --no-env-write), console (`xl create -c`,
#        keys typed into the console: see cases.sh), pvgrub
#        (bootloader_args --prefer-pvgrub), fail (xl create must fail)
# EXPECT boot/restrict: the space-separated markers the booted command line
#        must hold, and no other; twice: one such set per boot, separated
#        by ','; fail: text xl's output must carry
# PYGRUB what pygrub 4.17 is known to do on this disk (report only)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../images/lib.sh"
. "$here/../images/grubcfg.sh"

[ $# -eq 3 ] || { echo "usage: $0 OUTDIR VMLINUZ BUSYBOX" >&2; exit 1; }
OUT=$1 VMLINUZ=$2 BUSYBOX=$3
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-xen-guests.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PATH="$PATH:/usr/sbin:/sbin"

KV=6.1.0-xen-test  # the version in the guest file names (any will do)
CASES=$OUT/cases
: >"$CASES"
case_line() { printf '%s|%s|%s|%s|%s\n' "$@" >>"$CASES"; }

# --- the guest initramfs: busybox, and an /init that reports and stops ---
make_initrd() {
	local d=$WORK/initrd
	mkdir -p "$d/bin" "$d/proc" "$d/dev" "$d/sys"
	cp "$BUSYBOX" "$d/bin/busybox"
	cat >"$d/init" <<-'EOF'
	#!/bin/busybox sh
	/bin/busybox mount -t proc proc /proc
	/bin/busybox mount -t devtmpfs dev /dev
	exec >/dev/hvc0 2>&1
	echo "GUEST-INIT cmdline: $(/bin/busybox cat /proc/cmdline)"
	/bin/busybox poweroff -f
	EOF
	chmod 755 "$d/init" "$d/bin/busybox"
	(cd "$d" && find . | cpio -o -H newc --quiet --owner=0:0 | gzip -9) >"$WORK/initrd.img"
}

# root_skel DIR UUID [BOOTUUID]: the few files a root filesystem shows
root_skel() {
	mkdir -p "$1/etc" "$1/boot" "$1/root" "$1/tmp" "$1/usr/bin"
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n' >"$1/etc/os-release"
	printf 'UUID=%s / ext4 errors=remount-ro 0 1\n' "$2" >"$1/etc/fstab"
	[ $# -lt 3 ] || printf 'UUID=%s /boot ext4 defaults 0 2\n' "$3" >>"$1/etc/fstab"
}

# put_kernel DIR NAME-KERNEL NAME-INITRD: the real kernel and the initrd
put_kernel() {
	mkdir -p "$1"
	cp "$VMLINUZ" "$1/$2"
	cp "$WORK/initrd.img" "$1/$3"
}

# x_entry INDENT TITLE ID KERNEL INITRD ARGS: a grub-mkconfig style entry
x_entry() {
	local i=$1
	printf "%smenuentry '%s' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option '%s' {\n" \
		"$i" "$2" "$3"
	printf '%s\tload_video\n%s\tinsmod gzio\n' "$i" "$i"
	g_search "$i	"
	printf "%s\techo\t'Loading Linux %s ...'\n" "$i" "$KV"
	printf '%s\tlinux\t%s %s\n' "$i" "$4" "$6"
	printf "%s\techo\t'Loading initial ramdisk ...'\n" "$i"
	printf '%s\tinitrd\t%s\n' "$i" "$5"
	printf '%s}\n' "$i"
}

# debian_cfg DEFAULT MARKERPREFIX: grub.cfg as Debian writes it, with a
# simple entry (marker P-0) and a submenu of two entries (P-1-0, P-1-1).
debian_cfg() {
	local p=$2 a="root=UUID=$G_ROOTUUID ro console=hvc0"
	local k=$G_PREFIX/vmlinuz-$KV r=$G_PREFIX/initrd.img-$KV
	g_header "$1"
	x_entry "" "Debian GNU/Linux" "gnulinux-simple-$G_ROOTUUID" "$k" "$r" "$a pvboot_marker=$p-0"
	printf "submenu 'Advanced options for Debian GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-%s' {\n" "$G_ROOTUUID"
	x_entry "	" "Debian GNU/Linux, with Linux $KV" "gnulinux-$KV-advanced-$G_ROOTUUID" \
		"$k" "$r" "$a pvboot_marker=$p-1-0"
	x_entry "	" "Debian GNU/Linux, with Linux $KV (recovery mode)" "gnulinux-$KV-recovery-$G_ROOTUUID" \
		"$k" "$r" "$a single pvboot_marker=$p-1-1"
	printf '}\n'
	g_footer
}

# debian_root DIR UUID DEFAULT MARKERPREFIX: a root fs with /boot inside
debian_root() {
	root_skel "$1" "$2"
	put_kernel "$1/boot" "vmlinuz-$KV" "initrd.img-$KV"
	mkdir -p "$1/boot/grub"
	G_PART="msdos 1" G_FSUUID=$2 G_ROOTUUID=$2 G_PREFIX=/boot \
		debian_cfg "$3" "$4" >"$1/boot/grub/grub.cfg"
}

# mbr_disk NAME FSFILE MIB: one partition at 1 MiB holding FSFILE
mbr_disk() {
	new_disk "$OUT/$1.img" "$3"
	partition "$OUT/$1.img" <<-EOF
	label: dos
	start=2048, type=83, bootable
	EOF
	place "$2" "$OUT/$1.img" 2048
}

# (1) ext4, default inside the submenu ("1>0"): pygrub boots entry 0
build_submenu() {
	local d=$WORK/submenu u=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c01
	debian_root "$d" $u "1>0" submenu
	mkfs_dir ext4 "$d" "$WORK/submenu.fs" 16 $u root
	mbr_disk submenu "$WORK/submenu.fs" 18
	case_line submenu submenu.img boot submenu-1-0 \
		"pygrub boots entry 0 (submenu-0): it reads '1>0' as a title"
	case_line restricted submenu.img restrict submenu-1-0 \
		"pygrub boots entry 0 (submenu-0), as unrestricted"
	case_line restricted-range submenu.img restrict-range submenu-1-0 \
		"pygrub boots entry 0 (submenu-0), as unrestricted"
}

# (6) network boot: a Debian-style install tree that dom0 serves over HTTP
# (busybox httpd on 127.0.0.1); the guest disk is only what libxl appends
build_netboot() {
	local t=$OUT/www/debian/dists/bookworm/main/installer-amd64/current/images/netboot/xen
	mkdir -p "$t"
	cp "$VMLINUZ" "$t/vmlinuz"
	cp "$WORK/initrd.img" "$t/initrd.gz"
	case_line netboot submenu.img netboot netboot \
		"pygrub cannot netboot; Xen 4.17's xenpvnetboot does not start under Python 3"
}

# (2) XFS v5 (mkfs.xfs defaults: crc, ftype, bigtime...), /boot inside
build_xfs() {
	local d=$WORK/xfs u=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c02
	debian_root "$d" $u 0 xfs
	proto_dir "$d" >"$WORK/xfs.proto"
	# mkfs.xfs refuses filesystems under 300 MB unless run by fstests
	TEST_DIR=/tmp TEST_DEV=x QA_CHECK_FS=x mkfs.xfs -q -f -L root -m uuid=$u \
		-p "$WORK/xfs.proto" -d file,name="$WORK/xfs.fs",size=24m
	mbr_disk xfs "$WORK/xfs.fs" 26
	case_line xfs xfs.img boot xfs-0 "pygrub cannot read XFS v5"
}

# proto_dir DIR: an mkfs.xfs protofile copying DIR (dirs, files, symlinks)
proto_dir() {
	printf '/dev/null\n0 0\nd--755 0 0\n'
	proto_walk "$1" " "
	printf '$\n'
}
proto_walk() {
	local dir=$1 ind=$2 e n
	for e in "$dir"/* "$dir"/.[!.]*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		n=${e##*/}
		if [ -L "$e" ]; then
			printf '%s%s l--777 0 0 %s\n' "$ind" "$n" "$(readlink "$e")"
		elif [ -d "$e" ]; then
			printf '%s%s d--755 0 0\n' "$ind" "$n"
			proto_walk "$e" "$ind "
			printf '%s$\n' "$ind"
		else
			printf '%s%s ---644 0 0 %s\n' "$ind" "$n" "$e"
		fi
	done
}

# (3) btrfs made by mkfs.btrfs --rootdir, /boot inside
build_btrfs() {
	local d=$WORK/btrfs u=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c03
	debian_root "$d" $u 0 btrfs
	truncate -s 120M "$WORK/btrfs.fs"
	mkfs.btrfs -q -f -L root -U $u --rootdir "$d" --shrink "$WORK/btrfs.fs" >/dev/null
	mbr_disk btrfs "$WORK/btrfs.fs" $(($(stat -c %s "$WORK/btrfs.fs") / 1048576 + 2))
	case_line btrfs btrfs.img boot btrfs-0 "pygrub cannot read btrfs"
}

# (4) Fedora-style: separate ext4 /boot with grub2/grub.cfg calling blscfg,
# $kernelopts in grub2/grubenv, two BLS entries; the newest is the default.
build_bls() {
	local b=$WORK/bls-boot r=$WORK/bls-root mid=8d2e6b1f0c3a4e5d9b7a6c5d4e3f2a10
	local bu=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c04 ru=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c05
	local v
	root_skel "$r" $ru $bu
	mkdir -p "$b/grub2" "$b/loader/entries"
	for v in 6.5.6-300.fc39.x86_64 6.8.9-300.fc40.x86_64; do
		put_kernel "$b" "vmlinuz-$v" "initramfs-$v.img"
	done
	cat >"$b/loader/entries/$mid-6.5.6-300.fc39.x86_64.conf" <<-EOF
	title Fedora Linux (6.5.6-300.fc39.x86_64) 39 (Server Edition)
	version 6.5.6-300.fc39.x86_64
	linux /vmlinuz-6.5.6-300.fc39.x86_64
	initrd /initramfs-6.5.6-300.fc39.x86_64.img
	options \$kernelopts pvboot_marker=bls-old
	grub_users \$grub_users
	grub_arg --unrestricted
	grub_class fedora
	EOF
	cat >"$b/loader/entries/$mid-6.8.9-300.fc40.x86_64.conf" <<-EOF
	title Fedora Linux (6.8.9-300.fc40.x86_64) 40 (Server Edition)
	version 6.8.9-300.fc40.x86_64
	linux /vmlinuz-6.8.9-300.fc40.x86_64
	initrd /initramfs-6.8.9-300.fc40.x86_64.img
	options \$kernelopts pvboot_marker=bls-new
	grub_users \$grub_users
	grub_arg --unrestricted
	grub_class fedora
	EOF
	{
		printf '# GRUB Environment Block\n'
		printf 'kernelopts=root=UUID=%s ro console=hvc0 pvboot_marker=bls-kernelopts\n' $ru
		printf 'boot_success=0\n'
	} >"$WORK/grubenv"
	{ cat "$WORK/grubenv"; printf '%*s' 1024 '' | tr ' ' '#'; } | head -c 1024 >"$b/grub2/grubenv"
	cat >"$b/grub2/grub.cfg" <<-EOF
	#
	# DO NOT EDIT THIS FILE
	#
	# It is automatically generated by grub2-mkconfig using templates
	# from /etc/grub.d and settings from /etc/default/grub
	#

	### BEGIN /etc/grub.d/00_header ###
	set pager=1

	if [ -f \${config_directory}/grubenv ]; then
	  load_env -f \${config_directory}/grubenv
	elif [ -s \$prefix/grubenv ]; then
	  load_env
	fi
	if [ "\${next_entry}" ] ; then
	   set default="\${next_entry}"
	   set next_entry=
	   save_env next_entry
	   set boot_once=true
	else
	   set default="\${saved_entry}"
	fi

	if [ x"\${feature_menuentry_id}" = xy ]; then
	  menuentry_id_option="--id"
	else
	  menuentry_id_option=""
	fi

	export menuentry_id_option
	terminal_output console
	set timeout=5
	### END /etc/grub.d/00_header ###

	### BEGIN /etc/grub.d/10_linux ###
	insmod part_gpt
	insmod ext2
	search --no-floppy --fs-uuid --set=root $bu
	insmod blscfg
	blscfg
	### END /etc/grub.d/10_linux ###
	EOF
	mkfs_dir ext4 "$b" "$WORK/bls.boot" 24 $bu boot
	mkfs_dir ext4 "$r" "$WORK/bls.root" 4 $ru root
	new_disk "$OUT/bls.img" 32
	partition "$OUT/bls.img" <<-EOF
	label: gpt
	first-lba: 2048
	start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649, name="biosboot"
	start=4096, size=49152, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="boot"
	start=53248, size=8192, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"
	EOF
	place "$WORK/bls.boot" "$OUT/bls.img" 4096
	place "$WORK/bls.root" "$OUT/bls.img" 53248
	case_line bls bls.img boot "bls-kernelopts bls-new" "pygrub does not read BLS entries"
}

# grubenv FILE NAME=VALUE...: a 1024-byte block as grub-editenv writes it
grubenv() {
	local f=$1 kv
	shift
	{
		printf '# GRUB Environment Block\n'
		for kv in "$@"; do printf '%s\n' "$kv"; done
		printf '%*s' 1024 '' | tr ' ' '#'
	} | head -c 1024 >"$f"
}

# (7) after `grub-reboot`: grubenv holds saved_entry (the submenu's first
# entry, as grub-set-default leaves it) and next_entry (the recovery
# entry); grub.cfg is grub-mkconfig's GRUB_DEFAULT=saved, whose header
# boots next_entry once, then clears it with save_env.  Two boots in a row
# must give the one-time entry, then the saved one: pvboot writes the
# cleared next_entry back into the grubenv file's sectors on this disk.
# The control disk is the same, booted with --no-env-write: nothing is
# written, so both boots take the one-time entry (the write is what
# changes the second boot, not anything else).
reboot_disk() { # NAME UUID
	local d=$WORK/$1 u=$2
	debian_root "$d" "$u" '${saved_entry}' "$1"
	grubenv "$d/boot/grub/grubenv" \
		"saved_entry=gnulinux-advanced-$u>gnulinux-$KV-advanced-$u" \
		"next_entry=gnulinux-advanced-$u>gnulinux-$KV-recovery-$u"
	mkfs_dir ext4 "$d" "$WORK/$1.fs" 16 "$u" root
	mbr_disk "$1" "$WORK/$1.fs" 18
}
build_reboot() {
	reboot_disk reboot 5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c07
	case_line grub-reboot reboot.img twice "reboot-1-1,reboot-1-0" \
		"pygrub ignores grubenv: entry 0 (reboot-0) both times"
	reboot_disk rebootro 5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c08
	case_line grub-reboot-nowrite rebootro.img twice-nowrite "rebootro-1-1,rebootro-1-1" \
		"pygrub ignores grubenv: entry 0 (rebootro-0) both times"
}

# (8) the menu on the guest console (`xl create -c`): two entries, no
# timeout (GRUB's -1: wait for a key), so nothing boots before the keys
# arrive however slow the machine.  cases.sh types Down (as a terminal in
# normal mode sends it, ESC [ B), then 'a', End, " pvboot_marker=typed",
# Enter: the second entry must boot with the typed argument appended.
build_menu() {
	local d=$WORK/menu u=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c09
	local a="root=UUID=$u ro console=hvc0"
	root_skel "$d" $u
	put_kernel "$d/boot" "vmlinuz-$KV" "initrd.img-$KV"
	mkdir -p "$d/boot/grub"
	cat >"$d/boot/grub/grub.cfg" <<-EOF
	set default=0
	set timeout=-1
	menuentry 'Debian GNU/Linux' {
		linux /boot/vmlinuz-$KV $a pvboot_marker=menu-0
		initrd /boot/initrd.img-$KV
	}
	menuentry 'Debian GNU/Linux (rescue shell)' {
		linux /boot/vmlinuz-$KV $a pvboot_marker=menu-1
		initrd /boot/initrd.img-$KV
	}
	EOF
	mkfs_dir ext4 "$d" "$WORK/menu.fs" 16 $u root
	mbr_disk menu "$WORK/menu.fs" 18
	case_line console menu.img console "menu-1 typed" \
		"pygrub 4.17's 'a' crashes under Python 3"
}

# (9) a Unified Kernel Image as the guest's only kernel (issue 11): made
# as systemd 252's documentation makes one, objcopy --add-section onto
# systemd-boot-efi's linuxx64.efi.stub, with the real kernel as .linux and
# the busybox initramfs as .initrd, on a FAT ESP; the root filesystem has
# no /boot.  The booted command line must be the UKI's .cmdline.
UKI_STUB=${PVBOOT_UKI_STUB:-/usr/lib/systemd/boot/efi/linuxx64.efi.stub}
build_uki() {
	local e=$WORK/uki-esp r=$WORK/uki-root vma=$((0x20000)) a name file cur
	local ru=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c0a uki
	if [ ! -f "$UKI_STUB" ]; then
		echo "SKIP uki: no $UKI_STUB (systemd-boot-efi)"
		return 0
	fi
	mkdir -p "$e/EFI/Linux" "$e/EFI/BOOT" "$WORK/uki"
	cp "$UKI_STUB" "$e/EFI/BOOT/BOOTX64.EFI"
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' \
		>"$WORK/uki/osrel"
	printf '%s' "$KV" >"$WORK/uki/uname"
	printf '%s' "root=UUID=$ru ro console=hvc0 pvboot_marker=uki-cmdline" >"$WORK/uki/cmdline"
	uki=$e/EFI/Linux/debian-$KV.efi
	cur=$UKI_STUB
	for a in .osrel="$WORK/uki/osrel" .uname="$WORK/uki/uname" \
		.cmdline="$WORK/uki/cmdline" .initrd="$WORK/initrd.img" .linux="$VMLINUZ"; do
		name=${a%%=*} file=${a#*=}
		objcopy --add-section "$name=$file" \
			--change-section-vma "$name=$(printf '0x%x' $vma)" "$cur" "$uki.tmp"
		mv "$uki.tmp" "$uki"
		cur=$uki
		vma=$(((vma + $(stat -c %s "$file") + 0xfffff) & ~0xfffff))
	done
	objcopy -O binary --only-section=.linux "$uki" "$WORK/uki/linux"
	cmp -s "$WORK/uki/linux" "$VMLINUZ" || { echo "guests.sh: objcopy altered .linux" >&2; exit 1; }
	rm -f "$WORK/uki.esp"
	truncate -s 40M "$WORK/uki.esp"
	mkfs.fat -F 32 -i 5e1f0a50 -n ESP -s 1 "$WORK/uki.esp" >/dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -s -Q -D o -i "$WORK/uki.esp" "$e"/* ::/
	root_skel "$r" $ru
	rmdir "$r/boot"
	mkfs_dir ext4 "$r" "$WORK/uki.root" 4 $ru root
	new_disk "$OUT/uki.img" 48
	partition "$OUT/uki.img" <<-EOF
	label: gpt
	first-lba: 2048
	start=2048, size=81920, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI System"
	start=83968, size=8192, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"
	EOF
	place "$WORK/uki.esp" "$OUT/uki.img" 2048
	place "$WORK/uki.root" "$OUT/uki.img" 83968
	case_line uki uki.img boot uki-cmdline "pygrub reads no Unified Kernel Images"
}

# (10) the guest's own PV-GRUB (issue 11): /boot/xen/pvboot-x86_64.elf as
# grub-install makes it for x86_64-xen (grub-mkimage, Debian's
# grub-xen-bin), beside a grub.cfg booting the real kernel.  With
# bootloader_args --prefer-pvgrub pvboot hands Xen that ELF; PV-GRUB then
# reads grub.cfg from the guest's disk itself and boots the kernel.
build_pvgrub() {
	local d=$WORK/pvgrub u=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c0b
	if ! command -v grub-mkimage >/dev/null || [ ! -d /usr/lib/grub/x86_64-xen ]; then
		echo "SKIP pvgrub: no grub-mkimage or /usr/lib/grub/x86_64-xen (grub-xen-bin)"
		return 0
	fi
	root_skel "$d" $u
	put_kernel "$d/boot" "vmlinuz-$KV" "initrd.img-$KV"
	mkdir -p "$d/boot/grub" "$d/boot/xen"
	# the image's embedded config sets a variable only PV-GRUB itself
	# has: the marker proves PV-GRUB read grub.cfg and booted the kernel
	# (pvboot reading the same grub.cfg would boot an empty marker)
	printf 'set chainmark=pvgrub-chained\nexport chainmark\n' >"$WORK/pvgrub-embed.cfg"
	grub-mkimage -O x86_64-xen -o "$d/boot/xen/pvboot-x86_64.elf" \
		-c "$WORK/pvgrub-embed.cfg" \
		-p "(xen/xvda,msdos1)/boot/grub" -d /usr/lib/grub/x86_64-xen \
		part_msdos ext2 normal linux configfile echo search gzio xzio
	cat >"$d/boot/grub/grub.cfg" <<-EOF
	set default=0
	set timeout=0
	menuentry 'Debian GNU/Linux' {
		linux /boot/vmlinuz-$KV root=UUID=$u ro console=hvc0 pvboot_marker=\${chainmark}
		initrd /boot/initrd.img-$KV
	}
	EOF
	mkfs_dir ext4 "$d" "$WORK/pvgrub.fs" 16 $u root
	mbr_disk pvgrub "$WORK/pvgrub.fs" 18
	case_line pvgrub pvgrub.img pvgrub pvgrub-chained \
		"pygrub boots the grub.cfg entry itself (no chainloading)"
}

# (5) a root filesystem without /boot: nothing to boot, xl create fails
build_noboot() {
	local d=$WORK/noboot u=5a1e0c2d-3b4f-4a6e-8d7c-9e0f1a2b3c06
	root_skel "$d" $u
	rmdir "$d/boot"
	mkfs_dir ext4 "$d" "$WORK/noboot.fs" 4 $u root
	mbr_disk noboot "$WORK/noboot.fs" 6
	case_line noboot noboot.img fail "no bootable config" "pygrub fails with a traceback"
}

make_initrd
build_submenu
build_xfs
build_btrfs
build_bls
build_noboot
build_netboot
build_reboot
build_uki
build_pvgrub
build_menu
