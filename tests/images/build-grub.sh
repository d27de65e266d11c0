#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/images/build-grub.sh OUTDIR [NAME...]
#
# Disk images for how GRUB 2, Boot Loader Spec, GRUB legacy and LILO
# choose what to boot (issue 5): grubenv saved_entry/next_entry, a
# Fedora/RHEL BLS layout on a separate /boot, a BLS-only guest with
# loader.conf, a source'd custom.cfg, `search --fs-uuid` pointing at a
# second partition, a Xen multiboot default, GRUB legacy `default saved`
# and LILO.  Same manifest format as tests/images/build.sh (see lib.sh);
# every expectation is written from the config this script writes, never
# from running a bootloader.  With NAME arguments only the images named
# that are built here (names belonging to build.sh are ignored), so
# build.sh can pass its own arguments through.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/grubcfg.sh"

MINE="grub-saved grub-next-entry bls-fedora bls-loader grub-source
grub-search-uuid grub-multiboot-default legacy-saved lilo-default
grub-savedefault grub-load-env-twice"
builder_init pvboot-grub-images "$MINE" "$@"
shift

K13=6.1.0-13-amd64
K18=6.1.0-18-amd64
BIOSBOOT=21686148-6449-6E6F-744E-656564454649
LINUXFS=0FC63DAF-8483-4772-8E79-3D69D8477DE4

# --- payloads (same seeds as build.sh: the same bytes) ---------------------
P=$WORK/payload
mkdir -p "$P"
fake_kernel $K13 700001 "$P/vmlinuz-$K13"
fake_initrd $K13 1200003 "$P/initrd.img-$K13"
fake_kernel $K18 650003 "$P/vmlinuz-$K18"
fake_initrd $K18 1100001 "$P/initrd.img-$K18"
fake_kernel rescue 300007 "$P/vmlinuz-rescue"
fake_initrd rescue 200003 "$P/initrd-rescue"
fake_kernel xen 250001 "$P/xen.gz"

debian_files() { # ROOT PREFIX VERSION...
	local root=$1 pre=$2 v
	shift 2
	mkdir -p "$root/$pre"
	for v in "$@"; do
		cp "$P/vmlinuz-$v" "$P/initrd.img-$v" "$root/$pre/"
		printf 'CONFIG_XEN=y\n# %s\n' "$v" >"$root/$pre/config-$v"
	done
}

root_skel() { # ROOT UUID
	mkdir -p "$1/etc" "$1/boot" "$1/root" "$1/tmp"
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n' >"$1/etc/os-release"
	printf 'UUID=%s / ext4 errors=remount-ro 0 1\n' "$2" >"$1/etc/fstab"
}

# grubenv FILE [NAME=VALUE...]: a 1024-byte block as grub-editenv writes
# it (values here hold no backslash or newline, so nothing is escaped).
grubenv() {
	local f=$1 kv
	shift
	{
		printf '# GRUB Environment Block\n'
		for kv in "$@"; do printf '%s\n' "$kv"; done
		printf '%*s' 1024 '' | tr ' ' '#'
	} | head -c 1024 >"$f"
	[ "$(stat -c %s "$f")" = 1024 ] || { echo "build-grub.sh: bad grubenv $f" >&2; exit 1; }
}


one_part_disk() { # NAME FSFILE LABEL-ID
	new_disk "$OUT/$1.img" 32
	partition "$OUT/$1.img" <<-EOF
	label: dos
	label-id: $3
	start=2048, size=63488, type=83, bootable
	EOF
	place "$2" "$OUT/$1.img" 2048
	check_placed "$OUT/$1.img" "$2" 2048
}

# A Debian root with two kernels: K18 on top, K18 then K13 in the submenu.
two_kernel_root() { # DIR UUID DEFAULT-TEXT
	root_skel "$1" "$2"
	debian_files "$1" boot $K18 $K13
	mkdir -p "$1/boot/grub"
	G_PART="msdos 1" G_FSUUID=$2 G_ROOTUUID=$2 G_PREFIX=/boot \
		debian_grub_cfg "$3" $K18 $K18 $K13 >"$1/boot/grub/grub.cfg"
}

exp_two_kernel_files() {
	local v
	for v in $K18 $K13; do
		exp_file /boot/vmlinuz-$v "$P/vmlinuz-$v"
		exp_file /boot/initrd.img-$v "$P/initrd.img-$v"
	done
}

# --- grub-saved: GRUB_DEFAULT=saved, saved_entry a title path -------------
# grub-mkconfig with GRUB_DEFAULT=saved writes set default="${saved_entry}";
# grub-set-default stored a "submenu title>entry title" path in grubenv.
build_grub_saved() {
	local n=grub-saved d=$WORK/gs u=7c1e3a5b-9d2f-4e6a-8b0c-1d3e5f7a9b21
	local sub="Advanced options for Debian GNU/Linux"
	two_kernel_root "$d" $u '${saved_entry}'
	grep -q 'set default="${saved_entry}"' "$d/boot/grub/grub.cfg"
	grubenv "$d/boot/grub/grubenv" \
		"saved_entry=$sub>Debian GNU/Linux, with Linux $K13"
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs" 0x5e1f0b01

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux, with Linux $K13" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro quiet"
	exp_two_kernel_files
	exp titles "Debian GNU/Linux|Debian GNU/Linux, with Linux $K18|Debian GNU/Linux, with Linux $K13|Debian GNU/Linux, with Linux $K13 (recovery mode)"
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-$K18
	exp pygrub_why "pygrub never reads grubenv: \${saved_entry} is empty to it, so it boots entry 0"
	exp variant.1.opt "--entry=0"
	exp variant.1.kernel /boot/vmlinuz-$K18
	exp variant.1.ramdisk /boot/initrd.img-$K18
	exp variant.1.args "root=UUID=$u ro quiet"
}

# --- grub-next-entry: grub-reboot's next_entry wins over saved_entry -------
build_grub_next_entry() {
	local n=grub-next-entry d=$WORK/ne u=8d2f4b6c-0e3a-4f7b-9c1d-2e4f6a8b0c22
	local sub="Advanced options for Debian GNU/Linux"
	two_kernel_root "$d" $u '${saved_entry}'
	grubenv "$d/boot/grub/grubenv" \
		"saved_entry=$sub>Debian GNU/Linux, with Linux $K18" \
		"next_entry=gnulinux-advanced-$u>gnulinux-$K13-recovery-$u"
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs" 0x5e1f0b02

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux, with Linux $K13 (recovery mode)" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro single"
	exp_two_kernel_files
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-$K18
	exp pygrub_why "pygrub never reads grubenv: no next_entry, no saved_entry, entry 0"
}

# --- bls-fedora: RHEL/Rocky 8 layout, BLS entries on a separate /boot -------
# GPT: BIOS boot, /boot (ext4), root (ext4).  /boot/grub2/grub.cfg is a real
# Rocky Linux 8.10 grub.cfg (tests/corpus-expect/real/rocky-8.10-blscfg.grub.cfg,
# source in tests/corpus-expect/README); it searches for its /boot by UUID
# 2f64394d-..., so the /boot filesystem here carries that UUID.  grubenv has
# kernelopts and saved_entry = a BLS file name without .conf.
ROCKY_BOOT_UUID=2f64394d-a847-4c1a-bda9-e658edc017ad
MID=3d1c6a2f8e7b4c5d9a0b1c2d3e4f5a6b
V553=4.18.0-553.el8_10.x86_64
V513=4.18.0-513.24.1.el8_9.x86_64
KOPTS="root=/dev/mapper/rl-root ro crashkernel=auto resume=/dev/mapper/rl-swap rd.lvm.lv=rl/root rd.lvm.lv=rl/swap console=hvc0"

bls_rhel_entry() { # VERSION TITLE-VERSION
	cat <<-EOF
	title Rocky Linux ($1) 8.10 (Green Obsidian)
	version $1
	linux /vmlinuz-$1
	initrd /initramfs-$1.img \$tuned_initrd
	options \$kernelopts \$tuned_params
	id rocky-20240529-$1
	grub_users \$grub_users
	grub_arg --unrestricted
	grub_class kernel
	EOF
}

build_bls_fedora() {
	local n=bls-fedora b=$WORK/bf-boot r=$WORK/bf-root ru=9e3a5c7d-1f4b-4a8c-8d2e-3f5a7b9c1d23
	mkdir -p "$b/grub2" "$b/loader/entries" "$r/etc" "$r/boot"
	printf 'UUID=%s /boot ext4 defaults 1 2\n' $ROCKY_BOOT_UUID >"$r/etc/fstab"
	printf '%s\n' $MID >"$r/etc/machine-id"
	# that grub.cfg was made with GRUB_DEFAULT=0; RHEL's default is
	# GRUB_DEFAULT=saved, whose only difference is this one line
	sed 's/^   set default="0"$/   set default="${saved_entry}"/' \
		"$here/../corpus-expect/real/rocky-8.10-blscfg.grub.cfg" >"$b/grub2/grub.cfg"
	grep -q '^   set default="${saved_entry}"$' "$b/grub2/grub.cfg"
	cp "$P/vmlinuz-$K18" "$b/vmlinuz-$V553"
	cp "$P/initrd.img-$K18" "$b/initramfs-$V553.img"
	cp "$P/vmlinuz-$K13" "$b/vmlinuz-$V513"
	cp "$P/initrd.img-$K13" "$b/initramfs-$V513.img"
	cp "$P/vmlinuz-rescue" "$b/vmlinuz-0-rescue-$MID"
	cp "$P/initrd-rescue" "$b/initramfs-0-rescue-$MID.img"
	bls_rhel_entry $V553 >"$b/loader/entries/$MID-$V553.conf"
	bls_rhel_entry $V513 >"$b/loader/entries/$MID-$V513.conf"
	cat >"$b/loader/entries/$MID-0-rescue.conf" <<-EOF
	title Rocky Linux (0-rescue-$MID) 8.10 (Green Obsidian)
	version 0-rescue-$MID
	linux /vmlinuz-0-rescue-$MID
	initrd /initramfs-0-rescue-$MID.img
	options \$kernelopts
	id rocky-20240101-0-rescue
	grub_users \$grub_users
	grub_arg --unrestricted
	grub_class kernel
	EOF
	grubenv "$b/grub2/grubenv" "saved_entry=$MID-$V513" "kernelopts=$KOPTS" \
		"boot_success=1"
	mkfs_dir ext4 "$b" "$WORK/$n.boot" 20 $ROCKY_BOOT_UUID boot
	mkfs_dir ext4 "$r" "$WORK/$n.root" 8 $ru root
	new_disk "$OUT/$n.img" 32
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 6F2A3C4D-1E5B-4A7C-9D8E-0F1A2B3C4B01
	first-lba: 2048
	start=2048, size=2048, type=$BIOSBOOT, name="BIOS boot"
	start=4096, size=40960, type=$LINUXFS, name="boot"
	start=45056, size=16384, type=$LINUXFS, name="root"
	EOF
	place "$WORK/$n.boot" "$OUT/$n.img" 4096
	place "$WORK/$n.root" "$OUT/$n.img" 45056
	check_placed "$OUT/$n.img" "$WORK/$n.boot" 4096
	check_placed "$OUT/$n.img" "$WORK/$n.root" 45056

	expect_open "$OUT/$n.expect"
	# $tuned_initrd and $tuned_params are set to "" by the grub.cfg's
	# 00_tuned section: they add nothing.
	exp_boot "Rocky Linux ($V513) 8.10 (Green Obsidian)" /vmlinuz-$V513 "$P/vmlinuz-$K13" \
		/initramfs-$V513.img "$P/initrd.img-$K13" "$KOPTS"
	exp_file /vmlinuz-$V553 "$P/vmlinuz-$K18"
	exp_file /initramfs-$V553.img "$P/initrd.img-$K18"
	exp_file /vmlinuz-$V513 "$P/vmlinuz-$K13"
	exp_file /initramfs-$V513.img "$P/initrd.img-$K13"
	exp_file /vmlinuz-0-rescue-$MID "$P/vmlinuz-rescue"
	exp_file /initramfs-0-rescue-$MID.img "$P/initrd-rescue"
	# blscfg order: version, newest first
	exp pygrub fail
	exp pygrub_why "pygrub 4.17 has no blscfg: the grub.cfg defines no menuentry, nothing to boot"
	exp titles "Rocky Linux ($V553) 8.10 (Green Obsidian)|Rocky Linux ($V513) 8.10 (Green Obsidian)|Rocky Linux (0-rescue-$MID) 8.10 (Green Obsidian)"
	exp variant.1.opt "--entry=0"
	exp variant.1.kernel /vmlinuz-$V553
	exp variant.1.ramdisk /initramfs-$V553.img
	exp variant.1.args "$KOPTS"
	exp variant.2.opt "--entry=Rocky Linux (0-rescue-$MID) 8.10 (Green Obsidian)"
	exp variant.2.kernel /vmlinuz-0-rescue-$MID
	exp variant.2.ramdisk /initramfs-0-rescue-$MID.img
	exp variant.2.args "$KOPTS"
}

# --- bls-loader: BLS entries + loader.conf, no grub.cfg ---------------------
# kernel-install's "bls" layout on an XBOOTLDR-like /boot partition:
# /loader/entries/MID-VERSION.conf, kernels in /MID/VERSION/.
build_bls_loader() {
	local n=bls-loader b=$WORK/bl-boot r=$WORK/bl-root
	local bu=ab4c6e8f-2a3b-4c5d-8e9f-0a1b2c3d4e24 ru=bc5d7f9a-3b4c-4d5e-9f0a-1b2c3d4e5f25
	local mid=5e8f1a2b3c4d4e5f8a9b0c1d2e3f4a5b v
	mkdir -p "$b/loader/entries" "$r/etc" "$r/boot"
	printf '%s\n' $mid >"$r/etc/machine-id"
	cat >"$b/loader/loader.conf" <<-EOF
	# systemd-boot / kernel-install
	timeout 3
	console-mode keep
	default $mid-*-13-*
	EOF
	for v in $K18 $K13; do
		mkdir -p "$b/$mid/$v"
		cp "$P/vmlinuz-$v" "$b/$mid/$v/linux"
		cp "$P/initrd.img-$v" "$b/$mid/$v/initrd"
		cat >"$b/loader/entries/$mid-$v.conf" <<-EOF
		# Boot Loader Specification type#1 entry
		# File created by /usr/lib/kernel/install.d/90-loaderentry.install (systemd 252.22-1~deb12u1)
		title      Debian GNU/Linux 12 (bookworm)
		version    $v
		machine-id $mid
		sort-key   debian
		options    root=UUID=$ru ro console=hvc0 systemd.machine_id=$mid
		linux      /$mid/$v/linux
		initrd     /$mid/$v/initrd
		EOF
	done
	mkfs_dir ext4 "$b" "$WORK/$n.boot" 16 $bu boot
	mkfs_dir ext4 "$r" "$WORK/$n.root" 8 $ru root
	new_disk "$OUT/$n.img" 28
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 6F2A3C4D-1E5B-4A7C-9D8E-0F1A2B3C4B02
	first-lba: 2048
	start=2048, size=32768, type=BC13C2FF-59E6-4262-A352-B275FD6F7172, name="xbootldr"
	start=34816, size=16384, type=$LINUXFS, name="root"
	EOF
	place "$WORK/$n.boot" "$OUT/$n.img" 2048
	place "$WORK/$n.root" "$OUT/$n.img" 34816
	check_placed "$OUT/$n.img" "$WORK/$n.boot" 2048

	expect_open "$OUT/$n.expect"
	# the glob matches only the 6.1.0-13 entry's id (file name without .conf)
	exp_boot "Debian GNU/Linux 12 (bookworm)" /$mid/$K13/linux "$P/vmlinuz-$K13" \
		/$mid/$K13/initrd "$P/initrd.img-$K13" \
		"root=UUID=$ru ro console=hvc0 systemd.machine_id=$mid"
	for v in $K18 $K13; do
		exp_file /$mid/$v/linux "$P/vmlinuz-$v"
		exp_file /$mid/$v/initrd "$P/initrd.img-$v"
	done
	exp pygrub fail
	exp pygrub_why "pygrub knows no loader.conf: with no grub.cfg/menu.lst/extlinux.conf it finds nothing"
	exp variant.1.opt "--entry=0"
	exp variant.1.kernel /$mid/$K18/linux
	exp variant.1.ramdisk /$mid/$K18/initrd
	exp variant.1.args "root=UUID=$ru ro console=hvc0 systemd.machine_id=$mid"
}

# --- grub-source: default and its entry come from a source'd custom.cfg -----
# Debian's 41_custom sources ${config_directory}/custom.cfg at the end of
# grub.cfg; the default is read after the whole script ran, so the
# `set default` in custom.cfg wins over the header's "0".
build_grub_source() {
	local n=grub-source d=$WORK/src u=c6e8a0b2-4d5e-4f6a-8b7c-9d0e1f2a3b26
	two_kernel_root "$d" $u 0
	cat >"$d/boot/grub/custom.cfg" <<-EOF
	# /boot/grub/custom.cfg, kept by hand, sourced by 41_custom
	set default=xen-console
	set console_args="console=hvc0 earlyprintk=xen"
	menuentry 'Debian GNU/Linux ($K13, Xen console)' --id xen-console {
		search --no-floppy --fs-uuid --set=root $u
		linux /boot/vmlinuz-$K13 root=UUID=$u ro \$console_args acpi_osi="Windows 2015" a\\b 'x  y'
		initrd /boot/initrd.img-$K13
	}
	EOF
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs" 0x5e1f0b05

	expect_open "$OUT/$n.expect"
	# words expanded, unquoted, \b -> b, a word with a space re-quoted
	exp_boot "Debian GNU/Linux ($K13, Xen console)" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" \
		"root=UUID=$u ro console=hvc0 earlyprintk=xen \"acpi_osi=Windows 2015\" ab \"x  y\""
	exp_two_kernel_files
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-$K18
	exp pygrub_why "pygrub ignores 'source': it never sees custom.cfg's default or entry, boots entry 0"
	exp variant.1.opt "--entry=0"
	exp variant.1.kernel /boot/vmlinuz-$K18
	exp variant.1.ramdisk /boot/initrd.img-$K18
	exp variant.1.args "root=UUID=$u ro quiet"
}

# --- grub-search-uuid: grub.cfg on p1, kernels found on p2 by UUID ----------
# p1 also holds a decoy /vmlinuz-K13 (other bytes): GRUB reads the kernel
# from the filesystem `search --set=root` chose, not the config's.
build_grub_search_uuid() {
	local n=grub-search-uuid a=$WORK/su-a b=$WORK/su-b
	local ua=d7f9b1c3-5e6f-4a7b-9c8d-0e1f2a3b4c27 ub=e8a0c2d4-6f7a-4b8c-8d9e-1f2a3b4c5d28
	root_skel "$a" $ua
	mkdir -p "$a/boot/grub"
	cp "$P/vmlinuz-rescue" "$a/vmlinuz-$K13"
	cp "$P/initrd-rescue" "$a/initrd.img-$K13"
	cat >"$a/boot/grub/grub.cfg" <<-EOF
	set default=0
	set timeout=5
	menuentry 'Debian GNU/Linux (kernels on the second partition)' --id on-p2 {
		insmod part_msdos
		insmod ext2
		set root='hd0,msdos1'
		search --no-floppy --fs-uuid --set=root $ub
		linux /vmlinuz-$K13 root=UUID=$ua ro console=hvc0
		initrd /initrd.img-$K13
	}
	EOF
	debian_files "$b" . $K13
	mkfs_dir ext4 "$a" "$WORK/$n.a" 12 $ua root
	mkfs_dir ext4 "$b" "$WORK/$n.b" 12 $ub kernels
	new_disk "$OUT/$n.img" 28
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0b06
	start=2048, size=24576, type=83, bootable
	start=26624, size=24576, type=83
	EOF
	place "$WORK/$n.a" "$OUT/$n.img" 2048
	place "$WORK/$n.b" "$OUT/$n.img" 26624
	check_placed "$OUT/$n.img" "$WORK/$n.b" 26624

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux (kernels on the second partition)" /vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$ua ro console=hvc0"
	exp_file /vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /initrd.img-$K13 "$P/initrd.img-$K13"
	exp file:p1:/vmlinuz-$K13 "$(sha "$P/vmlinuz-rescue")"
	exp pygrub wrong
	exp pygrub_kernel p1:/vmlinuz-$K13
	exp pygrub_why "pygrub ignores search and reads the kernel from the config's partition (the decoy)"
}

# --- grub-multiboot-default: entry 0 is Xen (multiboot2), not a PV kernel ---
build_grub_multiboot_default() {
	local n=grub-multiboot-default d=$WORK/mb u=f9b1d3e5-7a8b-4c9d-9e0f-2a3b4c5d6e29
	root_skel "$d" $u
	debian_files "$d" boot $K13
	cp "$P/xen.gz" "$d/boot/xen-4.17-amd64.gz"
	mkdir -p "$d/boot/grub"
	cat >"$d/boot/grub/grub.cfg" <<-EOF
	set default="0"
	set timeout=5
	export menuentry_id_option
	menuentry 'Debian GNU/Linux, with Xen hypervisor' --class debian --class xen \$menuentry_id_option 'xen-gnulinux-simple-$u' {
		insmod part_msdos
		insmod ext2
		search --no-floppy --fs-uuid --set=root $u
		echo	'Loading Xen 4.17-amd64 ...'
		multiboot2	/boot/xen-4.17-amd64.gz placeholder  dom0_mem=1024M,max:1024M \${xen_rm_opts}
		echo	'Loading Linux $K13 ...'
		module2	/boot/vmlinuz-$K13 placeholder root=UUID=$u ro  quiet
		echo	'Loading initial ramdisk ...'
		module2	--nounzip   /boot/initrd.img-$K13
	}
	menuentry 'Debian GNU/Linux' --class debian \$menuentry_id_option 'gnulinux-simple-$u' {
		insmod part_msdos
		insmod ext2
		search --no-floppy --fs-uuid --set=root $u
		linux	/boot/vmlinuz-$K13 root=UUID=$u ro  console=hvc0
		initrd	/boot/initrd.img-$K13
	}
	EOF
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs" 0x5e1f0b07

	expect_open "$OUT/$n.expect"
	# the Xen entry cannot boot as a PV domain: skipped with a warning; the
	# first bootable entry boots, with its own args (not the module2 line's)
	exp_boot "Debian GNU/Linux" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro console=hvc0"
	exp_file /boot/vmlinuz-$K13 "$P/vmlinuz-$K13"
	exp_file /boot/initrd.img-$K13 "$P/initrd.img-$K13"
	exp_file /boot/xen-4.17-amd64.gz "$P/xen.gz"
	exp titles "Debian GNU/Linux, with Xen hypervisor|Debian GNU/Linux"
	exp pygrub fail
	exp pygrub_why "pygrub picks the multiboot2 entry, which has no linux kernel for it, and gives up"
	# choosing it explicitly is an error
	exp variant.1.opt "--entry=0"
	exp variant.1.status nonzero
	exp variant.2.opt "--entry=Debian GNU/Linux, with Xen hypervisor"
	exp variant.2.status nonzero
}

# --- legacy-saved: GRUB legacy `default saved` and /boot/grub/default --------
build_legacy_saved() {
	local n=legacy-saved d=$WORK/ls u=0a2b4c6d-8e9f-4a0b-8c1d-3e4f5a6b7c30
	root_skel "$d" $u
	debian_files "$d" boot $K18 $K13
	mkdir -p "$d/boot/grub"
	cat >"$d/boot/grub/menu.lst" <<-EOF
	default		saved
	timeout		5
	hiddenmenu
	fallback	2

	title		Debian GNU/Linux, kernel $K18
	root		(hd0,0)
	kernel		/boot/vmlinuz-$K18 root=/dev/xvda1 ro console=hvc0
	initrd		/boot/initrd.img-$K18
	savedefault

	title		Debian GNU/Linux, kernel $K13
	root		(hd0,0)
	kernel		/boot/vmlinuz-$K13 root=/dev/xvda1 ro console=hvc0 quiet
	initrd		/boot/initrd.img-$K13
	savedefault

	title		Debian GNU/Linux, kernel $K13 (single-user mode)
	root		(hd0,0)
	kernel		/boot/vmlinuz-$K13 root=/dev/xvda1 ro console=hvc0 single
	initrd		/boot/initrd.img-$K13
	EOF
	# as grub-set-default 1 writes it: the number, then a warning
	{
		printf '1\n'
		for _ in 1 2 3 4 5 6 7 8 9 10; do printf '#\n'; done
		printf '# WARNING: If you want to edit this file directly, do not remove any line\n'
		printf '# from this file, including this warning. Using `grub-set-default\x27 is\n'
		printf '# strongly recommended.\n'
	} >"$d/boot/grub/default"
	mkfs_dir ext3 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs" 0x5e1f0b08

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux, kernel $K13" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=/dev/xvda1 ro console=hvc0 quiet"
	exp_two_kernel_files
	exp titles "Debian GNU/Linux, kernel $K18|Debian GNU/Linux, kernel $K13|Debian GNU/Linux, kernel $K13 (single-user mode)"
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-$K18
	exp pygrub_why "pygrub takes 'default saved' as 0 and never reads /boot/grub/default"
	exp variant.1.opt "--entry=2"
	exp variant.1.kernel /boot/vmlinuz-$K13
	exp variant.1.ramdisk /boot/initrd.img-$K13
	exp variant.1.args "root=/dev/xvda1 ro console=hvc0 single"
}

# --- lilo-default: /etc/lilo.conf with global and per-image options ---------
build_lilo_default() {
	local n=lilo-default d=$WORK/li u=1b3c5d7e-9f0a-4b1c-9d2e-4f5a6b7c8d31
	root_skel "$d" $u
	debian_files "$d" boot $K18 $K13
	cat >"$d/etc/lilo.conf" <<-EOF
	# /etc/lilo.conf
	lba32
	boot=/dev/xvda
	root=/dev/xvda1
	map=/boot/map
	install=menu
	prompt
	timeout=50
	default=old
	append="console=hvc0"

	image=/boot/vmlinuz-$K18
	    label=linux
	    initrd=/boot/initrd.img-$K18
	    read-only

	image=/boot/vmlinuz-$K13
	    label=old
	    initrd=/boot/initrd.img-$K13
	    root="UUID=$u"
	    append="console=hvc0 quiet"
	    read-only
	EOF
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs" 0x5e1f0b09

	expect_open "$OUT/$n.expect"
	# LILO's command line: ro, root=, then append (the image's own append
	# replaces the global one)
	exp_boot old /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "ro root=UUID=$u console=hvc0 quiet"
	exp_two_kernel_files
	exp titles "linux|old"
	exp pygrub fail
	exp pygrub_why "pygrub reads lilo.conf only with --isconfig; on a disk it never looks for /etc/lilo.conf"
	exp variant.1.opt "--entry=linux"
	exp variant.1.kernel /boot/vmlinuz-$K18
	exp variant.1.ramdisk /boot/initrd.img-$K18
	exp variant.1.args "ro root=/dev/xvda1 console=hvc0"
}

# --- grub-savedefault: GRUB_DEFAULT=saved with GRUB_SAVEDEFAULT=true -------
# Every non-recovery entry runs savedefault (saved_entry="${chosen}", the
# id path) when it boots; grubenv says the K13 advanced entry.  Booting
# another entry (tests/grubenv.sh) rewrites saved_entry.
build_grub_savedefault() {
	local n=grub-savedefault d=$WORK/sd u=9e3a5c7d-1f4b-4a8c-9d2e-3f5a7b9c1d33
	root_skel "$d" $u
	debian_files "$d" boot $K18 $K13
	mkdir -p "$d/boot/grub"
	G_PART="msdos 1" G_FSUUID=$u G_ROOTUUID=$u G_PREFIX=/boot G_SAVEDEFAULT=true \
		debian_grub_cfg '${saved_entry}' $K18 $K18 $K13 >"$d/boot/grub/grub.cfg"
	grep -q '	savedefault' "$d/boot/grub/grub.cfg"
	grubenv "$d/boot/grub/grubenv" \
		"saved_entry=gnulinux-advanced-$u>gnulinux-$K13-advanced-$u"
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs" 0x5e1f0b0a

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux, with Linux $K13" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro quiet"
	exp_two_kernel_files
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-$K18
	exp pygrub_why "pygrub never reads grubenv: \${saved_entry} is empty to it, so it boots entry 0"
}

# --- grub-load-env-twice: openSUSE's leftover 00_header.rpmorig ----------
# The header (load_env, next_entry handling) runs twice.  Under real GRUB
# the first one boots next_entry's choice only as far as clearing it on
# disk (save_env next_entry); the second load_env reads the cleared value,
# so saved_entry (K13 advanced) boots, not next_entry (K13 recovery).
build_grub_load_env_twice() {
	local n=grub-load-env-twice d=$WORK/le u=0f4b6d8e-2a5c-4b9d-8e3f-4a6b8c0d2e44
	root_skel "$d" $u
	debian_files "$d" boot $K18 $K13
	mkdir -p "$d/boot/grub"
	{
		G_PART="msdos 1" G_FSUUID=$u g_header '${saved_entry}'
		echo '### BEGIN /etc/grub.d/00_header.rpmorig ###'
		G_PART="msdos 1" G_FSUUID=$u g_header '${saved_entry}'
		G_PART="msdos 1" G_FSUUID=$u G_ROOTUUID=$u G_PREFIX=/boot \
			g_menu $K18 $K18 $K13
		g_footer
	} >"$d/boot/grub/grub.cfg"
	[ "$(grep -c '^  load_env' "$d/boot/grub/grub.cfg")" = 2 ]
	grubenv "$d/boot/grub/grubenv" \
		"saved_entry=gnulinux-advanced-$u>gnulinux-$K13-advanced-$u" \
		"next_entry=gnulinux-advanced-$u>gnulinux-$K13-recovery-$u"
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 31 $u root
	one_part_disk $n "$WORK/$n.fs" 0x5e1f0b0b

	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux, with Linux $K13" /boot/vmlinuz-$K13 "$P/vmlinuz-$K13" \
		/boot/initrd.img-$K13 "$P/initrd.img-$K13" "root=UUID=$u ro quiet"
	exp_two_kernel_files
	exp pygrub wrong
	exp pygrub_kernel /boot/vmlinuz-$K18
	exp pygrub_why "pygrub never reads grubenv: \${saved_entry} is empty to it, so it boots entry 0"
}

for name in $WANT; do
	fn=build_${name//-/_}
	"$fn"
	echo "built $OUT/$name.img"
done
