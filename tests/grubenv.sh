#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/grubenv.sh: GRUB's environment writes end to end (issue 15).  Each
# case boots a COPY of an image built from scratch (tests/images, or a disk
# made here), as libxl runs pvboot, checks what booted (kernel sha256,
# args), and checks the guest disk afterwards: the grubenv bytes equal what
# grub-editenv writes for the same change, and no other byte of the disk
# changed; or, where GRUB would not write (or pvboot must not), that the
# disk is unchanged to the byte.
#
# Environment: BUILD (default build), PVBOOT (default $BUILD/pvboot),
# IMAGES (default $BUILD/images; the images needed are built in a temp dir
# when missing there), KEEP=1 (keep the work directory).  Ends with
# "N passed, M failed".
set -uo pipefail
. "$(dirname "$0")/counts.sh" grubenv
. "$(dirname "$0")/grub_reboot_cfg.sh"

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
PVBOOT=${PVBOOT:-$BUILD/pvboot}
IMAGES=${IMAGES:-$BUILD/images}
export PATH="$PATH:/usr/sbin:/sbin"

W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-grubenv.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
chmod 0755 "$W"

case $PVBOOT in /*) ;; *) PVBOOT=$PWD/$PVBOOT ;; esac
[ -x "$PVBOOT" ] || { bad "pvboot binary $PVBOOT missing"; finish; }
NEED="grub-next-entry grub-savedefault grub-load-env-twice"
for n in $NEED; do
	if [ ! -f "$IMAGES/$n.img" ]; then
		IMAGES=$W/images
		"$here/images/build.sh" "$IMAGES" $NEED >/dev/null ||
			{ bad "tests/images/build.sh $NEED failed"; finish; }
		break
	fi
done
if command -v grub-editenv >/dev/null; then
	EDITENV=1
else
	EDITENV=
	skip "grub-editenv comparisons: grub-editenv (grub-common) not installed"
fi

K13=6.1.0-13-amd64
K18=6.1.0-18-amd64
# the fake kernels' sha256, from the images' manifests
ksha() { grep "^file:/boot/vmlinuz-$2=" "$IMAGES/$1.expect" | cut -d= -f2; }

# boot IMG [OPTIONS...]: as libxl runs it; RC, KSHA, ARGS, $W/err
boot() {
	local img=$1 it k=
	shift
	rm -rf "$W/dir" "$W/out"
	mkdir -m 0700 "$W/dir"
	: >"$W/out"
	timeout 60 env -i TERM=vt100 ${RUNENV:-} "$PVBOOT" -q "$@" \
		--output="$W/out" --output-format=simple0 \
		--output-directory="$W/dir" "$img" >"$W/stdout" 2>"$W/err" </dev/null
	RC=$?
	ARGS=
	KSHA=
	mapfile -d '' items <"$W/out"
	for it in "${items[@]}"; do
		case $it in
		kernel\ *) k=${it#kernel } ;;
		args\ *) ARGS=${it#args } ;;
		esac
	done
	[ -n "$k" ] && [ -f "$k" ] && KSHA=$(sha256sum <"$k" | cut -d' ' -f1)
}

# expect_boot LABEL IMAGE-NAME VERSION ARGS-SUFFIX
expect_boot() {
	check "$1: exit 0" "$([ "$RC" = 0 ]; echo $?)" "exit $RC: $(head -c 300 "$W/err")"
	check "$1: boots vmlinuz-$3 ($4)" \
		"$([ "$KSHA" = "$(ksha "$2" "$3")" ] && [[ $ARGS == *" $4" ]]; echo $?)" \
		"kernel $KSHA args '$ARGS'"
}

# grubenv_of DISK FILE: /boot/grub/grubenv of the partition at 1 MiB
grubenv_of() {
	dd if="$1" of="$W/part.fs" bs=1M skip=1 status=none
	debugfs -R "cat /boot/grub/grubenv" "$W/part.fs" 2>/dev/null >"$2"
}

# changed_only_grubenv ORIG COPY: every differing byte lies in the grubenv
# file's own blocks
changed_only_grubenv() {
	local bs blk off first last
	dd if="$1" of="$W/part.fs" bs=1M skip=1 status=none
	bs=$(debugfs -R stats "$W/part.fs" 2>/dev/null | awk '/^Block size:/ {print $3}')
	blk=$(debugfs -R "bmap /boot/grub/grubenv 0" "$W/part.fs" 2>/dev/null | tail -1)
	off=$((1048576 + blk * bs))
	first=$(cmp -l "$1" "$2" | head -1 | awk '{print $1 - 1}')
	last=$(cmp -l "$1" "$2" | tail -1 | awk '{print $1 - 1}')
	[ -n "$first" ] && [ "$first" -ge "$off" ] && [ "$last" -lt $((off + 1024)) ]
}

# editenv ORIG-GRUBENV OUT ARGS...: what grub-editenv writes
editenv() {
	local in=$1 out=$2
	shift 2
	cp "$in" "$out"
	grub-editenv "$out" "$@"
}

same_disk() { cmp -s "$1" "$2"; }

# === grub-reboot, then two boots ==========================================
# grubenv: saved_entry = the K18 entry, next_entry (grub-reboot) = the K13
# recovery entry.  First boot: next_entry, and the header's save_env clears
# it on disk; second boot: saved_entry.
n=grub-next-entry
cp "$IMAGES/$n.img" "$W/ne.img"
grubenv_of "$W/ne.img" "$W/ne.env0"
boot "$W/ne.img"
expect_boot "$n run 1 (grub-reboot's entry)" $n $K13 "ro single"
grubenv_of "$W/ne.img" "$W/ne.env1"
if [ -n "$EDITENV" ]; then
	editenv "$W/ne.env0" "$W/ne.want" set next_entry=
	check "$n run 1: grubenv on disk is what grub-editenv writes for 'set next_entry='" \
		"$(cmp -s "$W/ne.env1" "$W/ne.want"; echo $?)" "$(cmp "$W/ne.env1" "$W/ne.want" 2>&1)"
fi
check "$n run 1: only the grubenv's own bytes changed" \
	"$(changed_only_grubenv "$IMAGES/$n.img" "$W/ne.img"; echo $?)"
cp "$W/ne.img" "$W/ne.after1"
boot "$W/ne.img"
expect_boot "$n run 2 (saved_entry)" $n $K18 "ro quiet"
check "$n run 2: nothing more written (next_entry is already empty)" \
	"$(same_disk "$W/ne.img" "$W/ne.after1"; echo $?)"

# --- what never writes ------------------------------------------------------
for v in "-n" "-l" "--no-env-write" "PVBOOT_NO_ENV_WRITE=1" "--entry=nothing-like-this"; do
	cp "$IMAGES/$n.img" "$W/nw.img"
	case $v in
	PVBOOT_*) RUNENV=$v boot "$W/nw.img" ;;
	*) boot "$W/nw.img" "$v" ;;
	esac
	case $v in
	--entry=*) check "$n $v: the run fails" "$([ "$RC" != 0 ]; echo $?)" ;;
	*) check "$n $v: exit 0" "$([ "$RC" = 0 ]; echo $?)" "exit $RC: $(head -c 200 "$W/err")" ;;
	esac
	check "$n $v: disk unchanged" "$(same_disk "$W/nw.img" "$IMAGES/$n.img"; echo $?)"
done
# --no-env-write still behaves like GRUB within the run
cp "$IMAGES/$n.img" "$W/nw.img"
boot "$W/nw.img" --no-env-write
expect_boot "$n --no-env-write" $n $K13 "ro single"

# --- a disk that cannot be opened for writing -------------------------------
cp "$IMAGES/$n.img" "$W/ro.img"
chmod 0444 "$W/ro.img"
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		chmod 0777 "$W"
		rm -rf "$W/dir" "$W/out"
		mkdir -m 0700 "$W/dir"; : >"$W/out"
		chown nobody "$W/dir" "$W/out"
		timeout 60 setpriv --reuid=nobody --regid=nogroup --clear-groups \
			env -i TERM=vt100 "$PVBOOT" -q --debug --output="$W/out" \
			--output-format=simple0 --output-directory="$W/dir" "$W/ro.img" \
			>/dev/null 2>"$W/err" </dev/null
		RC=$?
		check "read-only disk: boots (exit 0)" "$([ "$RC" = 0 ]; echo $?)" "exit $RC: $(grep -v debug "$W/err" | head -c 300)"
		check "read-only disk: the debug line says nothing is saved" \
			"$(grep -q 'cannot open for writing.*will not be saved' "$W/err"; echo $?)"
		check "read-only disk: unchanged" "$(same_disk "$W/ro.img" "$IMAGES/$n.img"; echo $?)"
		chmod 0755 "$W"
	else
		skip "read-only disk: needs setpriv and a nobody user to drop root"
	fi
else
	boot "$W/ro.img" --debug
	check "read-only disk: boots (exit 0)" "$([ "$RC" = 0 ]; echo $?)"
	check "read-only disk: the debug line says nothing is saved" \
		"$(grep -q 'cannot open for writing.*will not be saved' "$W/err"; echo $?)"
	check "read-only disk: unchanged" "$(same_disk "$W/ro.img" "$IMAGES/$n.img"; echo $?)"
fi

# === GRUB_SAVEDEFAULT=true and --entry ======================================
n=grub-savedefault
u=9e3a5c7d-1f4b-4a8c-9d2e-3f5a7b9c1d33
cp "$IMAGES/$n.img" "$W/sd.img"
grubenv_of "$W/sd.img" "$W/sd.env0"
boot "$W/sd.img" --entry=0
expect_boot "$n --entry=0" $n $K18 "ro quiet"
grubenv_of "$W/sd.img" "$W/sd.env1"
if [ -n "$EDITENV" ]; then
	editenv "$W/sd.env0" "$W/sd.want" set "saved_entry=gnulinux-simple-$u"
	check "$n --entry=0: saved_entry is that entry's id, as grub-editenv writes it" \
		"$(cmp -s "$W/sd.env1" "$W/sd.want"; echo $?)" "$(head -3 "$W/sd.env1" | tr '\n' '|')"
fi
check "$n --entry=0: only the grubenv's own bytes changed" \
	"$(changed_only_grubenv "$IMAGES/$n.img" "$W/sd.img"; echo $?)"
boot "$W/sd.img"
expect_boot "$n next boot: the saved entry" $n $K18 "ro quiet"
cp "$W/sd.img" "$W/sd.after"
# an entry inside the submenu: the id path with '>'
boot "$W/sd.img" "--entry=Debian GNU/Linux, with Linux $K13"
expect_boot "$n --entry=K13" $n $K13 "ro quiet"
grubenv_of "$W/sd.img" "$W/sd.env2"
check "$n --entry=K13: saved_entry=gnulinux-advanced-$u>gnulinux-$K13-advanced-$u" \
	"$(grep -qx "saved_entry=gnulinux-advanced-$u>gnulinux-$K13-advanced-$u" "$W/sd.env2"; echo $?)" \
	"$(grep saved_entry "$W/sd.env2")"
# a recovery entry has no savedefault: nothing written
cp "$W/sd.img" "$W/sd.before-rec"
boot "$W/sd.img" "--entry=Debian GNU/Linux, with Linux $K13 (recovery mode)"
expect_boot "$n --entry=recovery" $n $K13 "ro single"
check "$n --entry=recovery (no savedefault in it): disk unchanged" \
	"$(same_disk "$W/sd.img" "$W/sd.before-rec"; echo $?)"

# === openSUSE: the header loads grubenv twice ===============================
n=grub-load-env-twice
cp "$IMAGES/$n.img" "$W/le.img"
grubenv_of "$W/le.img" "$W/le.env0"
boot "$W/le.img"
expect_boot "$n (saved_entry, as real GRUB)" $n $K13 "ro quiet"
grubenv_of "$W/le.img" "$W/le.env1"
if [ -n "$EDITENV" ]; then
	editenv "$W/le.env0" "$W/le.want" set next_entry=
	check "$n: grubenv is what grub-editenv writes for 'set next_entry='" \
		"$(cmp -s "$W/le.env1" "$W/le.want"; echo $?)"
fi

# === where GRUB does not write ==============================================
HDR=$GRUB_REBOOT_CFG
small_tree() { # DIR
	rm -rf "$1"; mkdir -p "$1/boot/grub"
	head -c 70000 /dev/urandom >"$1/boot/vmlinuz-1"
	printf '%s\n' "$HDR" >"$1/boot/grub/grub.cfg"
	{ printf '# GRUB Environment Block\nsaved_entry=one\nnext_entry=two\n'
	  printf '%*s' 1024 '' | tr ' ' '#'; } | head -c 1024 >"$1/boot/grub/grubenv"
}
mbr_disk() { # DISK FSIMG: MBR, one partition at 1 MiB
	rm -f "$1"; truncate -s 40M "$1"
	printf 'label: dos\nstart=2048, type=83\n' |
		sfdisk -q --no-reread --no-tell-kernel "$1" >/dev/null
	dd if="$2" of="$1" bs=1M seek=1 conv=notrunc status=none
}
# not_written LABEL DISK REGEX: boots next_entry ("two"), disk unchanged,
# a warning saying why
not_written() {
	cp "$2" "$W/nw-copy.img"
	boot "$W/nw-copy.img"
	check "$1: boots next_entry (exit 0)" \
		"$([ "$RC" = 0 ] && [[ $ARGS == *" two" ]]; echo $?)" "exit $RC args '$ARGS': $(head -c 200 "$W/err")"
	check "$1: disk unchanged" "$(same_disk "$W/nw-copy.img" "$2"; echo $?)"
	check "$1: warns /$3/" "$(grep -Eq -- "$3" "$W/err"; echo $?)" "$(head -c 300 "$W/err")"
}

# written_on LABEL DISK: boots next_entry, and the 1024 bytes where the
# grubenv block was are now what grub-editenv writes for 'set
# next_entry=', no other byte changed; the next boot is saved_entry
written_on() {
	local at
	cp "$2" "$W/w-orig.img"
	at=$(grep -boa '# GRUB Environment Block' "$2" | head -1 | cut -d: -f1)
	dd if="$2" of="$W/w.env0" bs=1 skip="$at" count=1024 status=none
	boot "$2"
	check "$1: boots next_entry (exit 0)" \
		"$([ "$RC" = 0 ] && [[ $ARGS == *" two" ]]; echo $?)" "exit $RC args '$ARGS': $(head -c 200 "$W/err")"
	dd if="$2" of="$W/w.env1" bs=1 skip="$at" count=1024 status=none
	if [ -n "$EDITENV" ]; then
		editenv "$W/w.env0" "$W/w.want" set next_entry=
		check "$1: the block is what grub-editenv writes" \
			"$(cmp -s "$W/w.env1" "$W/w.want"; echo $?)"
	fi
	check "$1: no byte outside the block changed" \
		"$({ cmp -l "$W/w-orig.img" "$2" || :; } | awk -v lo="$at" \
			'$1 - 1 < lo || $1 - 1 >= lo + 1024 { bad = 1 } END { exit bad }'; echo $?)"
	boot "$2"
	check "$1: the next boot is saved_entry" \
		"$([ "$RC" = 0 ] && [[ $ARGS == *" one" ]]; echo $?)" "exit $RC args '$ARGS'"
}

# XFS (a protofile, no mount) and FAT (mtools): GRUB writes both
small_tree "$W/x"
{
	printf '/dev/null\n0 0\nd--755 0 0\n boot d--755 0 0\n'
	printf '  vmlinuz-1 ---644 0 0 %s\n' "$W/x/boot/vmlinuz-1"
	printf '  grub d--755 0 0\n'
	printf '   grub.cfg ---644 0 0 %s\n' "$W/x/boot/grub/grub.cfg"
	printf '   grubenv ---644 0 0 %s\n' "$W/x/boot/grub/grubenv"
	printf '  $\n $\n$\n'
} >"$W/x.proto"
rm -f "$W/x.fs"; truncate -s 300M "$W/x.fs"
if TEST_DIR=/tmp TEST_DEV=x QA_CHECK_FS=x mkfs.xfs -q -f -p "$W/x.proto" "$W/x.fs" >/dev/null 2>&1; then
	rm -f "$W/xfs.img"; truncate -s 310M "$W/xfs.img"
	printf 'label: dos\nstart=2048, type=83\n' |
		sfdisk -q --no-reread --no-tell-kernel "$W/xfs.img" >/dev/null
	dd if="$W/x.fs" of="$W/xfs.img" bs=1M seek=1 conv=notrunc,sparse status=none
	written_on "grubenv on XFS" "$W/xfs.img"
else
	skip "grubenv on XFS: mkfs.xfs -p failed"
fi
small_tree "$W/f"
rm -f "$W/f.fs"
if mkfs.fat -C "$W/f.fs" 16384 >/dev/null 2>&1 &&
   MTOOLS_SKIP_CHECK=1 mcopy -s -i "$W/f.fs" "$W/f/boot" ::/ 2>/dev/null; then
	rm -f "$W/fat.img"; truncate -s 20M "$W/fat.img"
	printf 'label: dos\nstart=2048, type=c\n' |
		sfdisk -q --no-reread --no-tell-kernel "$W/fat.img" >/dev/null
	dd if="$W/f.fs" of="$W/fat.img" bs=1M seek=1 conv=notrunc status=none
	written_on "grubenv on FAT" "$W/fat.img"
else
	skip "grubenv on FAT: mkfs.fat or mcopy failed"
fi

# a grubenv with a hole: GRUB's "sparse file not allowed"
small_tree "$W/h"
truncate -s 4096 "$W/h/boot/grub/grubenv"
mke2fs -q -F -t ext4 -b 1024 -d "$W/h" "$W/h.fs" 16M >/dev/null 2>&1
mbr_disk "$W/hole.img" "$W/h.fs"
not_written "grubenv with a hole" "$W/hole.img" 'sparse file not allowed'

# ext4 inline data: not mapped to sectors
small_tree "$W/i"
if mke2fs -q -F -t ext4 -O inline_data -I 1024 -d "$W/i" "$W/i.fs" 16M >/dev/null 2>&1 &&
   debugfs -R "stat /boot/grub/grubenv" "$W/i.fs" 2>/dev/null | grep -q 'Size of inline data'; then
	mbr_disk "$W/inline.img" "$W/i.fs"
	not_written "grubenv as ext4 inline data" "$W/inline.img" 'not plainly mapped'
else
	skip "grubenv as ext4 inline data: mke2fs did not store it inline"
fi

# btrfs: GRUB cannot write a file there (openSUSE's env_block aside)
small_tree "$W/b"
if mkfs.btrfs -q -f --rootdir "$W/b" -b 120M "$W/b.fs" >/dev/null 2>&1; then
	rm -f "$W/btrfs.img"; truncate -s 130M "$W/btrfs.img"
	printf 'label: dos\nstart=2048, type=83\n' |
		sfdisk -q --no-reread --no-tell-kernel "$W/btrfs.img" >/dev/null
	dd if="$W/b.fs" of="$W/btrfs.img" bs=1M seek=1 conv=notrunc status=none
	not_written "grubenv on btrfs" "$W/btrfs.img" 'does not write files on btrfs'
else
	skip "grubenv on btrfs: mkfs.btrfs --rootdir failed"
fi
# openSUSE's env_block: GRUB cannot write a btrfs file, so grub2-editenv
# keeps next_entry in a 512-byte block at 256 KiB of the btrfs partition
# (its reserved area, before the superblock at 64 KiB... 1 MiB is never
# allocated) and writes env_block=512+1 into grubenv; openSUSE's
# 00_header loads and saves it as the blocklist "(${root})512+1".  The
# block is placed with dd (no mount or root needed).
SUSEHDR='if [ -s $prefix/grubenv ]; then
  load_env
fi

if [ "${env_block}" ] ; then
  set env_block="(${root})${env_block}"
  export env_block
  load_env -f "${env_block}"
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   if [ "${env_block}" ] ; then
     save_env -f "${env_block}" next_entry
   fi
   set boot_once=true
else
   set default="${saved_entry}"
fi
'$GRUB_ONE_TWO
rm -rf "$W/s"; mkdir -p "$W/s/boot/grub"
head -c 70000 /dev/urandom >"$W/s/boot/vmlinuz-1"
printf '%s\n' "$SUSEHDR" >"$W/s/boot/grub/grub.cfg"
{ printf '# GRUB Environment Block\nsaved_entry=one\nenv_block=512+1\n'
  printf '%*s' 1024 '' | tr ' ' '#'; } | head -c 1024 >"$W/s/boot/grub/grubenv"
{ printf '# GRUB Environment Block\nnext_entry=two\n'
  printf '%*s' 512 '' | tr ' ' '#'; } | head -c 512 >"$W/envblock.0"
if mkfs.btrfs -q -f --rootdir "$W/s" -b 120M "$W/s.fs" >/dev/null 2>&1; then
	rm -f "$W/suse.img"; truncate -s 130M "$W/suse.img"
	printf 'label: dos\nstart=2048, type=83\n' |
		sfdisk -q --no-reread --no-tell-kernel "$W/suse.img" >/dev/null
	dd if="$W/s.fs" of="$W/suse.img" bs=1M seek=1 conv=notrunc status=none
	dd if="$W/envblock.0" of="$W/suse.img" bs=1K seek=$((1024 + 256)) conv=notrunc status=none
	cp "$W/suse.img" "$W/suse.orig"
	boot "$W/suse.img"
	check "env_block on btrfs run 1: boots next_entry from the block (exit 0)" \
		"$([ "$RC" = 0 ] && [[ $ARGS == *" two" ]]; echo $?)" "exit $RC args '$ARGS': $(head -c 200 "$W/err")"
	check "env_block on btrfs run 1: save_env on the btrfs grubenv file fails, as GRUB's" \
		"$(grep -q 'does not write files on btrfs' "$W/err"; echo $?)"
	dd if="$W/suse.img" of="$W/envblock.1" bs=1K skip=$((1024 + 256)) count=1 status=none
	head -c 512 "$W/envblock.1" >"$W/envblock.1b"
	if [ -n "$EDITENV" ]; then
		editenv "$W/envblock.0" "$W/envblock.want" set next_entry=
		check "env_block on btrfs run 1: the block is what grub-editenv writes for 'set next_entry='" \
			"$(cmp -s "$W/envblock.1b" "$W/envblock.want"; echo $?)"
	fi
	check "env_block on btrfs run 1: only those 512 bytes changed" \
		"$({ cmp -l "$W/suse.orig" "$W/suse.img" || :; } | awk -v lo=$(((1024 + 256) * 1024)) \
			'$1 - 1 < lo || $1 - 1 >= lo + 512 { bad = 1 } END { exit bad }'; echo $?)"
	boot "$W/suse.img"
	check "env_block on btrfs run 2: boots saved_entry" \
		"$([ "$RC" = 0 ] && [[ $ARGS == *" one" ]]; echo $?)" "exit $RC args '$ARGS'"
else
	skip "env_block on btrfs: mkfs.btrfs --rootdir failed"
fi

finish
