#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/images/build-uki.sh OUTDIR [NAME...]
#
# Guests that boot Unified Kernel Images (issue 11), in the manifest format
# of tests/images/build.sh (see lib.sh).  The UKIs are made the way
# systemd 252's documentation makes them: objcopy --add-section onto
# systemd-boot-efi's linuxx64.efi.stub (Debian 12), with .osrel, .uname,
# .cmdline, .linux, .ucode and .initrd; add-ons and a multi-profile UKI
# are PE files made the same way (Debian 12 has no addon stub and a ukify
# without profiles, so the section layout is built with objcopy).  With
# ukify installed, uki-ukify is built with it; otherwise the script says
# why it is skipped.  No root: FAT filesystems come from mtools.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

MINE="uki-esp uki-xbootldr uki-rootfs uki-ukify kcheck-kernels pvgrub-guest pvgrub-sepboot"
builder_init pvboot-uki-images "$MINE" "$@"
shift

STUB=${PVBOOT_UKI_STUB:-/usr/lib/systemd/boot/efi/linuxx64.efi.stub}
K13=6.1.0-13-amd64
K18=6.1.0-18-amd64
K21=6.1.0-21-amd64
FC=6.5.6-300.fc39.x86_64
ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
XBOOTLDR=BC13C2FF-59E6-4262-A352-B275FD6F7172
RU=7f3a55b2-2e8c-4c61-9c55-8d0a1f3b9e42

die() { echo "build-uki.sh: $*" >&2; exit 1; }

# skip NAME REASON: say why, and leave no stale image for e2e.sh
skip() {
	echo "SKIP $1: $2"
	rm -f "$OUT/$1.img" "$OUT/$1.expect"
}

P=$WORK/payload
mkdir -p "$P"
fake_kernel $K13 700001 "$P/vmlinuz-$K13"
fake_kernel $K18 650003 "$P/vmlinuz-$K18"
fake_kernel $K21 640007 "$P/vmlinuz-$K21"
fake_kernel $FC 720011 "$P/vmlinuz-$FC"
fake_kernel arch 610009 "$P/vmlinuz-arch"
fake_initrd $K18 1100001 "$P/initrd.img-$K18"
fake_initrd $FC 900007 "$P/initramfs-$FC.img"
fake_initrd arch 800011 "$P/initramfs-arch.img"
# microcode and an add-on's initrd: multiples of 4 bytes, as real cpio
# archives are, so no padding question arises between ramdisk pieces
gen_bytes intel-ucode 12288 "$P/ucode.img"
gen_bytes addon-initrd 4096 "$P/addon-initrd.img"

OSREL_DEB='PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian'
OSREL_FC='NAME="Fedora Linux"
VERSION="39 (Thirty Nine)"
ID=fedora
VERSION_ID=39
PRETTY_NAME="Fedora Linux 39 (Thirty Nine)"'
OSREL_ARCH='NAME="Arch Linux"
PRETTY_NAME="Arch Linux"
ID=arch
BUILD_ID=rolling'

# pe OUT [.section=FILE ...]: the stub with these sections added in order,
# each at its own address (as the systemd-stub documentation does it).
# objcopy refuses to add a name that exists (a second .profile or
# .cmdline of a multi-profile UKI): such a section is added under a
# placeholder name and renamed, one objcopy run per section.
pe() {
	local out=$1 vma=$((0x20000)) a name file size cur=$STUB seen=" " tmp
	shift
	for a in "$@"; do
		name=${a%%=*}
		file=${a#*=}
		size=$(stat -c %s "$file")
		tmp=$name
		case "$seen" in *" $name "*) tmp=.pvtmp ;; esac
		objcopy --add-section "$tmp=$file" \
			--change-section-vma "$tmp=$(printf '0x%x' $vma)" "$cur" "$out.tmp"
		if [ "$tmp" != "$name" ]; then
			objcopy --rename-section "$tmp=$name" "$out.tmp" "$out.tmp2"
			mv "$out.tmp2" "$out.tmp"
		fi
		mv "$out.tmp" "$out"
		cur=$out
		seen+="$name "
		vma=$(((vma + size + 0xfffff) & ~0xfffff))
	done
	[ "$cur" = "$out" ] || cp "$STUB" "$out"
}

# text FILE STRING: a section's contents (no trailing newline for cmdlines)
text() { printf '%s' "$2" >"$1"; }

# section_sha PE NAME: sha256 of one section as objcopy reads it back
section_sha() {
	objcopy -O binary --only-section="$2" "$1" "$WORK/sect.bin"
	sha "$WORK/sect.bin"
}

# mkfs_fat SRCDIR FSFILE SIZE_MIB SERIAL LABEL
mkfs_fat() {
	rm -f "$2"
	truncate -s "${3}M" "$2"
	mkfs.fat -F 32 -i "$4" -n "$5" -s 1 "$2" >/dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -s -Q -D o -i "$2" "$1"/* ::/
	fsck.fat -n "$2" >/dev/null 2>&1 || die "fsck.fat -n $2 reports problems"
}

# --- uki-esp: type #2 entries on a FAT ESP, add-ons, boot counting -------
build_uki_esp() {
	local n=uki-esp d=$WORK/esp L
	L=$d/EFI/Linux
	mkdir -p "$L/debian-$K18.efi.extra.d" "$d/loader/addons" "$d/EFI/BOOT"
	cp "$STUB" "$d/EFI/BOOT/BOOTX64.EFI"
	text "$WORK/osrel" "$OSREL_DEB"
	text "$WORK/cl18" "root=UUID=$RU ro quiet"
	text "$WORK/cl13" "root=UUID=$RU ro"
	text "$WORK/un18" "$K18"
	text "$WORK/un13" "$K13"
	text "$WORK/un21" "$K21"
	text "$WORK/clcons" "console=hvc0"
	text "$WORK/cldebug" "loglevel=7"
	# the newest kernel: microcode, initrd, its own and a global add-on
	pe "$L/debian-$K18.efi" .osrel="$WORK/osrel" .cmdline="$WORK/cl18" \
		.uname="$WORK/un18" .ucode="$P/ucode.img" .initrd="$P/initrd.img-$K18" \
		.linux="$P/vmlinuz-$K18"
	pe "$L/debian-$K18.efi.extra.d/console.addon.efi" .cmdline="$WORK/clcons"
	pe "$d/loader/addons/debug.addon.efi" .cmdline="$WORK/cldebug" \
		.initrd="$P/addon-initrd.img"
	# an older one with boot counting (2 tries left), no initrd
	pe "$L/debian-$K13+2-1.efi" .osrel="$WORK/osrel" .cmdline="$WORK/cl13" \
		.uname="$WORK/un13" .linux="$P/vmlinuz-$K13"
	# the newest version, but out of tries: sorts last, never the default
	pe "$L/debian-$K21+0-3.efi" .osrel="$WORK/osrel" .cmdline="$WORK/cl13" \
		.uname="$WORK/un21" .linux="$P/vmlinuz-$K21"
	# systemd-boot skips auto-* files and files without .osrel
	pe "$L/auto-skipped.efi" .osrel="$WORK/osrel" .linux="$P/vmlinuz-$K13"
	pe "$L/no-osrel.efi" .linux="$P/vmlinuz-$K13"
	[ "$(section_sha "$L/debian-$K18.efi" .linux)" = "$(sha "$P/vmlinuz-$K18")" ] ||
		die "$n: objcopy did not store .linux unaltered"

	mkfs_fat "$d" "$WORK/$n.fs" 40 5e1f0a40 ESP
	new_disk "$OUT/$n.img" 48
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 5E1F0A40-1111-4222-8333-944455556666
	first-lba: 2048
	start=2048, size=81920, type=$ESP
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	check_placed "$OUT/$n.img" "$WORK/$n.fs" 2048

	local u18=/EFI/Linux/debian-$K18.efi u13=/EFI/Linux/debian-$K13+2-1.efi
	local u21=/EFI/Linux/debian-$K21+0-3.efi dbg=/loader/addons/debug.addon.efi
	cat "$P/ucode.img" "$P/initrd.img-$K18" "$P/addon-initrd.img" >"$WORK/rd18"
	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux 12 (bookworm)" "$u18:.linux" "$P/vmlinuz-$K18" \
		"$u18:.ucode $u18:.initrd $dbg:.initrd" "$WORK/rd18" \
		"root=UUID=$RU ro quiet loglevel=7 console=hvc0"
	exp_file "$u18:.linux" "$P/vmlinuz-$K18"
	exp_file "$u18:.ucode" "$P/ucode.img"
	exp_file "$u18:.initrd" "$P/initrd.img-$K18"
	exp_file "$dbg:.initrd" "$P/addon-initrd.img"
	exp_file "$u13:.linux" "$P/vmlinuz-$K13"
	exp_file "$u21:.linux" "$P/vmlinuz-$K21"
	exp titles "Debian GNU/Linux 12 (bookworm)"
	exp pygrub fail
	exp pygrub_why "pygrub reads no Unified Kernel Images"
	# the id drops the boot counter, as systemd-boot's does
	exp variant.1.opt "--entry=debian-$K13.efi"
	exp variant.1.kernel "$u13:.linux"
	exp variant.1.ramdisk "$dbg:.initrd"
	exp variant.1.args "root=UUID=$RU ro loglevel=7"
	# out of tries: listed last
	exp variant.2.opt "--entry=2"
	exp variant.2.kernel "$u21:.linux"
	exp variant.2.ramdisk "$dbg:.initrd"
	exp variant.2.args "root=UUID=$RU ro loglevel=7"
}

# --- uki-xbootldr: UKIs on XBOOTLDR, loader.conf on the ESP, profiles ---
build_uki_xbootldr() {
	local n=uki-xbootldr e=$WORK/xe x=$WORK/xx L
	L=$x/EFI/Linux
	mkdir -p "$e/loader" "$e/EFI/BOOT" "$L" "$x/loader/entries"
	cp "$STUB" "$e/EFI/BOOT/BOOTX64.EFI"
	printf 'default fedora-*\ntimeout 5\nconsole-mode keep\n' >"$e/loader/loader.conf"
	# a global add-on on the ESP applies to the UKIs on XBOOTLDR too
	mkdir -p "$e/loader/addons"
	text "$WORK/claudit" "audit=0"
	pe "$e/loader/addons/audit.addon.efi" .cmdline="$WORK/claudit" \
		.initrd="$P/addon-initrd.img"
	text "$WORK/osfc" "$OSREL_FC"
	text "$WORK/osarch" "$OSREL_ARCH"
	text "$WORK/clfc" "root=UUID=$RU ro rhgb quiet"
	text "$WORK/unfc" "$FC"
	text "$WORK/clarch" "root=UUID=$RU rw"
	text "$WORK/clresc" "root=UUID=$RU rw systemd.unit=rescue.target"
	printf 'ID=default\nTITLE=Default\n' >"$WORK/prof0"
	printf 'ID=rescue\nTITLE=Rescue shell\n' >"$WORK/prof1"
	pe "$L/fedora-$FC.efi" .osrel="$WORK/osfc" .cmdline="$WORK/clfc" \
		.uname="$WORK/unfc" .initrd="$P/initramfs-$FC.img" .linux="$P/vmlinuz-$FC"
	# a multi-profile UKI: base sections, then one .profile per profile
	pe "$L/arch-multi.efi" .osrel="$WORK/osarch" .linux="$P/vmlinuz-arch" \
		.initrd="$P/initramfs-arch.img" \
		.profile="$WORK/prof0" .cmdline="$WORK/clarch" \
		.profile="$WORK/prof1" .cmdline="$WORK/clresc"
	[ "$(objdump -h "$L/arch-multi.efi" | grep -c ' \.profile ')" = 2 ] ||
		die "$n: objcopy did not keep both .profile sections"
	# a type #1 entry pointing at a UKI, with its own options
	cat >"$x/loader/entries/t1-uki.conf" <<-EOF
	title      Fedora through a type 1 entry
	version    39
	sort-key   fedora
	uki        /EFI/Linux/fedora-$FC.efi
	options    root=UUID=$RU ro single
	EOF
	# a type #1 linux entry out of tries (boot counting): sorted last
	cp "$P/vmlinuz-$K13" "$x/linux-old"
	cat >"$x/loader/entries/old+0-2.conf" <<-EOF
	title      Old type 1 entry
	sort-key   arch
	linux      /linux-old
	options    root=UUID=$RU ro
	EOF
	mkfs_fat "$e" "$WORK/$n-esp.fs" 34 5e1f0a41 ESP
	mkfs_fat "$x" "$WORK/$n-xb.fs" 40 5e1f0a42 XBOOTLDR
	new_disk "$OUT/$n.img" 80
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	label-id: 5E1F0A41-1111-4222-8333-944455556666
	first-lba: 2048
	start=2048, size=69632, type=$ESP
	start=71680, size=81920, type=$XBOOTLDR
	EOF
	place "$WORK/$n-esp.fs" "$OUT/$n.img" 2048
	place "$WORK/$n-xb.fs" "$OUT/$n.img" 71680
	check_placed "$OUT/$n.img" "$WORK/$n-xb.fs" 71680

	local f=/EFI/Linux/fedora-$FC.efi a=/EFI/Linux/arch-multi.efi
	local g=/loader/addons/audit.addon.efi
	cat "$P/initramfs-$FC.img" "$P/addon-initrd.img" >"$WORK/rdfc"
	cat "$P/initramfs-arch.img" "$P/addon-initrd.img" >"$WORK/rdarch"
	expect_open "$OUT/$n.expect"
	exp_boot "Fedora Linux 39 (Thirty Nine)" "$f:.linux" "$P/vmlinuz-$FC" \
		"$f:.initrd $g:.initrd" "$WORK/rdfc" "root=UUID=$RU ro rhgb quiet audit=0"
	exp_file "$f:.linux" "$P/vmlinuz-$FC"
	exp_file "$f:.initrd $g:.initrd" "$WORK/rdfc"
	exp_file "$a:.linux" "$P/vmlinuz-arch"
	exp_file "$a:.initrd $g:.initrd" "$WORK/rdarch"
	exp titles "Arch Linux (Default)|Arch Linux (Rescue shell)|Fedora through a type 1 entry|Fedora Linux 39 (Thirty Nine)|Old type 1 entry"
	exp pygrub fail
	exp pygrub_why "pygrub reads no Unified Kernel Images"
	exp variant.1.opt "--entry=arch-multi.efi@rescue"
	exp variant.1.kernel "$a:.linux"
	exp variant.1.ramdisk "$a:.initrd $g:.initrd"
	exp variant.1.args "root=UUID=$RU rw systemd.unit=rescue.target audit=0"
	exp variant.2.opt "--entry=Arch Linux (Default)"
	exp variant.2.kernel "$a:.linux"
	exp variant.2.ramdisk "$a:.initrd $g:.initrd"
	exp variant.2.args "root=UUID=$RU rw audit=0"
	exp variant.3.opt "--entry=t1-uki"
	exp variant.3.kernel "$f:.linux"
	exp variant.3.ramdisk "$f:.initrd $g:.initrd"
	exp variant.3.args "root=UUID=$RU ro single audit=0"
	# sorted as systemd-boot: sort key arch < fedora, then ids downwards
	exp variant.4.opt "--entry=0"
	exp variant.4.kernel "$a:.linux"
	exp variant.4.ramdisk "$a:.initrd $g:.initrd"
	exp variant.4.args "root=UUID=$RU rw audit=0"
	# the counter is not part of the id; no tries left: the last entry
	exp_file /linux-old "$P/vmlinuz-$K13"
	exp variant.5.opt "--entry=old"
	exp variant.5.kernel /linux-old
	exp variant.5.args "root=UUID=$RU ro"
	exp variant.6.opt "--entry=4"
	exp variant.6.kernel /linux-old
	exp variant.6.args "root=UUID=$RU ro"
}

# --- uki-rootfs: /boot/efi/EFI/Linux seen from a root filesystem --------
build_uki_rootfs() {
	local n=uki-rootfs d=$WORK/root L u=/boot/efi/EFI/Linux/debian-$K18.efi
	L=$d/boot/efi/EFI/Linux
	mkdir -p "$L" "$d/etc"
	text "$d/etc/os-release" "$OSREL_DEB"
	text "$WORK/osrel" "$OSREL_DEB"
	text "$WORK/cl18" "root=UUID=$RU ro quiet"
	pe "$L/debian-$K18.efi" .osrel="$WORK/osrel" .cmdline="$WORK/cl18" \
		.initrd="$P/initrd.img-$K18" .linux="$P/vmlinuz-$K18"
	mkfs_dir ext4 "$d" "$OUT/$n.img" 32 $RU root
	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux 12 (bookworm)" "$u:.linux" "$P/vmlinuz-$K18" \
		"$u:.initrd" "$P/initrd.img-$K18" "root=UUID=$RU ro quiet"
	exp_file "$u:.linux" "$P/vmlinuz-$K18"
	exp_file "$u:.initrd" "$P/initrd.img-$K18"
	exp pygrub fail
	exp pygrub_why "pygrub reads no Unified Kernel Images"
}

# --- uki-ukify: the same made by systemd's own tool, where installed ----
build_uki_ukify() {
	local n=uki-ukify d=$WORK/uk u=/EFI/Linux/debian-ukify.efi
	command -v ukify >/dev/null ||
		{ skip $n "ukify is not installed (Debian 12 has no systemd-ukify package)"; return; }
	mkdir -p "$d/EFI/Linux"
	text "$WORK/osrel" "$OSREL_DEB"
	ukify build --stub="$STUB" --linux="$P/vmlinuz-$K18" \
		--initrd="$P/initrd.img-$K18" --cmdline="root=UUID=$RU ro" \
		--os-release="@$WORK/osrel" --uname=$K18 \
		--output="$d$u" >/dev/null 2>&1 ||
		{ skip $n "ukify build failed with this stub"; return; }
	mkfs_fat "$d" "$WORK/$n.fs" 40 5e1f0a43 ESP
	new_disk "$OUT/$n.img" 48
	partition "$OUT/$n.img" <<-EOF
	label: gpt
	first-lba: 2048
	start=2048, size=81920, type=$ESP
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux 12 (bookworm)" "$u:.linux" "$P/vmlinuz-$K18" \
		"$u:.initrd" "$P/initrd.img-$K18" "root=UUID=$RU ro"
	exp pygrub fail
	exp pygrub_why "pygrub reads no Unified Kernel Images"
}

# --- kcheck-kernels: the kernel check on every payload compression -------
# bzImage-shaped kernels (mk-kernel.py: a real setup header pointing at a
# payload compressed by each tool), ELF kernels with and without Xen notes.
build_kcheck_kernels() {
	local n=kcheck-kernels d=$WORK/kc c i=0 ru=$RU
	mkdir -p "$d/boot/grub" "$d/etc"
	gen_bytes vmlinux-payload 300000 "$WORK/vmlinux.bin"
	gzip -9 -n -c "$WORK/vmlinux.bin" >"$WORK/p.gzip"
	bzip2 -9 -c "$WORK/vmlinux.bin" >"$WORK/p.bzip2"
	xz --check=crc32 --x86 --lzma2=preset=6 -c "$WORK/vmlinux.bin" >"$WORK/p.xz"
	xz --format=lzma -c "$WORK/vmlinux.bin" >"$WORK/p.lzma"
	lzop -9 -c "$WORK/vmlinux.bin" >"$WORK/p.lzo"
	lz4 -l -9 -c "$WORK/vmlinux.bin" >"$WORK/p.lz4"
	zstd -q -19 -c "$WORK/vmlinux.bin" >"$WORK/p.zstd"
	{
		printf 'set default=0\nset timeout=5\n'
		for c in gzip bzip2 xz lzma lzo lz4 zstd; do
			"$here/mk-kernel.py" bzimage "$d/boot/vmlinuz-$c" "$WORK/p.$c"
			printf "menuentry '%s' {\n\tlinux /boot/vmlinuz-%s root=UUID=%s ro\n}\n" $c $c $ru
		done
		"$here/mk-kernel.py" bzimage "$d/boot/vmlinuz-xz128" "$WORK/p.xz" --xz-dict-mib 128
		"$here/mk-kernel.py" bzimage "$d/boot/vmlinuz-old" "$WORK/p.gzip" --protocol 0x206
		"$here/mk-kernel.py" bzimage "$d/boot/vmlinuz-outside" "$WORK/p.gzip" --payload-outside
		"$here/mk-kernel.py" elf "$d/boot/vmlinux-pvh" --pvh
		"$here/mk-kernel.py" elf "$d/boot/vmlinux-32" --bits 32
		"$here/mk-kernel.py" elf "$d/boot/vmlinux-nonotes" --notes none
		for c in xz128 old outside; do
			printf "menuentry '%s' {\n\tlinux /boot/vmlinuz-%s root=UUID=%s ro\n}\n" $c $c $ru
		done
		for c in pvh 32 nonotes; do
			printf "menuentry 'elf-%s' {\n\tlinux /boot/vmlinux-%s root=UUID=%s ro\n}\n" $c $c $ru
		done
	} >"$d/boot/grub/grub.cfg"
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 16 $ru root
	new_disk "$OUT/$n.img" 24
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a50
	start=2048, size=40960, type=83, bootable
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048

	expect_open "$OUT/$n.expect"
	exp_boot gzip /boot/vmlinuz-gzip "$d/boot/vmlinuz-gzip" none "" "root=UUID=$ru ro"
	exp pygrub same
	exp note_re "kernel check: bzImage, boot protocol 2\.15, 64-bit, gzip payload"
	exp list_re "check: bzImage, boot protocol 2\.15, 64-bit, bzip2 payload"
	exp list_re "check: bzImage, boot protocol 2\.15, 64-bit, xz payload \(dictionary 8 MiB\)"
	exp list_re "check: bzImage, boot protocol 2\.15, 64-bit, lzma payload \(dictionary 8 MiB\)"
	exp list_re "check: bzImage, boot protocol 2\.15, 64-bit, lzo payload"
	exp list_re "check: bzImage, boot protocol 2\.15, 64-bit, lz4 payload"
	exp list_re "check: bzImage, boot protocol 2\.15, 64-bit, zstd payload"
	exp list_re "check: bzImage, boot protocol 2\.15, 64-bit, xz payload \(dictionary 128 MiB\)"
	exp list_re "check: warning: xz dictionary of 128 MiB: Xen before 4\.20 cannot decompress it"
	exp list_re "check: cannot boot: bzImage boot protocol 2\.06: Xen's domain builder needs 2\.08 or later"
	exp list_re "check: cannot boot: bzImage payload .* lies outside the .*-byte kernel"
	exp list_re "check: ELF, 64-bit, Xen ELF notes, PVH entry \(XEN_ELFNOTE_PHYS32_ENTRY\)"
	exp list_re "check: ELF, 32-bit \(a 32-bit PV kernel\), Xen ELF notes, no PVH entry note"
	exp list_re "check: ELF, 64-bit, no Xen ELF notes"
	for c in bzip2 xz lzma lzo lz4 zstd xz128; do
		i=$((i + 1))
		exp_file /boot/vmlinuz-$c "$d/boot/vmlinuz-$c"
		exp variant.$i.opt "--entry=$c"
		exp variant.$i.kernel /boot/vmlinuz-$c
		exp variant.$i.args "root=UUID=$ru ro"
	done
	exp variant.8.opt "--entry=old"
	exp variant.8.status 3
	exp variant.9.opt "--entry=outside"
	exp variant.9.status 3
	exp_file /boot/vmlinux-pvh "$d/boot/vmlinux-pvh"
	exp variant.10.opt "--entry=elf-pvh"
	exp variant.10.kernel /boot/vmlinux-pvh
	exp variant.10.args "root=UUID=$ru ro"
	exp_file /boot/vmlinux-nonotes "$d/boot/vmlinux-nonotes"
	exp variant.11.opt "--entry=elf-nonotes"
	exp variant.11.kernel /boot/vmlinux-nonotes
	exp variant.11.args "root=UUID=$ru ro"
}

# --- pvgrub-*: the guest's own PV-GRUB (grub-xen's pvboot-x86_64.elf) ----
# mk_pvgrub OUT PREFIX: the image grub-install makes for x86_64-xen
mk_pvgrub() {
	grub-mkimage -O x86_64-xen -o "$1" -p "$2" -d /usr/lib/grub/x86_64-xen \
		part_msdos ext2 normal linux configfile echo search >/dev/null 2>&1
}
pvgrub_tools() {
	command -v grub-mkimage >/dev/null && [ -d /usr/lib/grub/x86_64-xen ]
}

# a root with /boot/xen/pvboot-x86_64.elf beside a grub.cfg
build_pvgrub_guest() {
	local n=pvgrub-guest d=$WORK/pg pv=/boot/xen/pvboot-x86_64.elf
	pvgrub_tools || { skip $n "no grub-mkimage or /usr/lib/grub/x86_64-xen (Debian package grub-xen-bin)"; return; }
	mkdir -p "$d/boot/grub" "$d/boot/xen"
	cp "$P/vmlinuz-$K18" "$d/boot/"
	mk_pvgrub "$d$pv" "(xen/xvda,msdos1)/boot/grub"
	printf "set default=0\nset timeout=5\nmenuentry 'Debian GNU/Linux' {\n\tlinux /boot/vmlinuz-%s root=UUID=%s ro quiet\n}\n" \
		$K18 $RU >"$d/boot/grub/grub.cfg"
	mkfs_dir ext4 "$d" "$WORK/$n.fs" 16 $RU root
	new_disk "$OUT/$n.img" 24
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a60
	start=2048, size=40960, type=83, bootable
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	expect_open "$OUT/$n.expect"
	exp_boot "Debian GNU/Linux" /boot/vmlinuz-$K18 "$P/vmlinuz-$K18" none "" "root=UUID=$RU ro quiet"
	exp_file $pv "$d$pv"
	exp titles "Debian GNU/Linux|Chainload the guest's own PV-GRUB"
	exp list_re "check: ELF, 64-bit, Xen ELF notes"
	exp pygrub same
	exp variant.1.opt "--prefer-pvgrub"
	exp variant.1.kernel $pv
	exp variant.1.args ""
	exp variant.2.opt "--entry=Chainload the guest's own PV-GRUB"
	exp variant.2.kernel $pv
	exp variant.2.args ""
}

# a separate /boot with only /xen/pvboot-x86_64.elf: nothing else to boot
build_pvgrub_sepboot() {
	local n=pvgrub-sepboot d=$WORK/ps pv=/xen/pvboot-x86_64.elf
	pvgrub_tools || { skip $n "no grub-mkimage or /usr/lib/grub/x86_64-xen (Debian package grub-xen-bin)"; return; }
	mkdir -p "$d/xen" "$d/grub"
	mk_pvgrub "$d$pv" "(xen/xvda,msdos1)/grub"
	mkfs_dir ext2 "$d" "$WORK/$n.fs" 8 $RU boot
	new_disk "$OUT/$n.img" 16
	partition "$OUT/$n.img" <<-EOF
	label: dos
	label-id: 0x5e1f0a61
	start=2048, size=16384, type=83
	EOF
	place "$WORK/$n.fs" "$OUT/$n.img" 2048
	expect_open "$OUT/$n.expect"
	exp_boot "Chainload the guest's own PV-GRUB" $pv "$d$pv" none "" ""
	exp pygrub fail
	exp pygrub_why "pygrub does not offer the guest's own PV-GRUB"
}

if [ ! -r "$STUB" ]; then
	for name in $WANT; do
		case $name in
		kcheck-* | pvgrub-*) "build_${name//-/_}"; [ -f "$OUT/$name.expect" ] && echo "built $OUT/$name.img" ;;
		*) skip "$name" "no $STUB (Debian package systemd-boot-efi)" ;;
		esac
	done
	exit 0
fi
for name in $WANT; do
	"build_${name//-/_}"
	[ -f "$OUT/$name.expect" ] && echo "built $OUT/$name.img"
done
exit 0
