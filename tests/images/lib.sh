# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the image builders (tests/images/build*.sh): their shared
# start (builder_init), deterministic fake payloads, ext filesystems built
# from a directory, partitioned disk files, manifests.
# Everything works on plain files: no root, no loop devices, no mounts.

# gen_bytes SEED SIZE FILE: SIZE pseudo-random bytes that depend only on
# SEED (AES-128-CTR keystream keyed by sha256(SEED)), after a short
# readable header so a stray copy is recognisable in a hex dump.
gen_bytes() {
	local seed=$1 size=$2 file=$3 key hdr
	key=$(printf '%s' "$seed" | sha256sum | cut -c1-32)
	hdr=$(printf 'pvboot test payload %s\n' "$seed")
	{
		printf '%s\n' "$hdr"
		head -c "$size" /dev/zero |
			openssl enc -aes-128-ctr -nosalt -K "$key" -iv 0 2>/dev/null
	} | head -c "$size" >"$file"
	[ "$(stat -c %s "$file")" = "$size" ] || {
		echo "gen_bytes: short output for $file" >&2
		return 1
	}
}

# fake_kernel/fake_initrd: named wrappers so the seeds say what they are.
fake_kernel() { gen_bytes "kernel:$1" "$2" "$3"; }
fake_initrd() { gen_bytes "initrd:$1" "$2" "$3"; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

# mkfs_dir TYPE SRCDIR FSFILE SIZE_MIB UUID LABEL [mke2fs options...]
# Builds an ext2/3/4 filesystem image of SIZE_MIB from SRCDIR.
mkfs_dir() {
	local type=$1 src=$2 fs=$3 mib=$4 uuid=$5 label=$6
	shift 6
	rm -f "$fs"
	mke2fs -q -F -t "$type" -U "$uuid" -L "$label" \
		-E root_owner=0:0,hash_seed=5b1b7b5e-8a1d-4c8e-9f35-0c2f6a8e1d20 \
		"$@" -d "$src" "$fs" "${mib}M" >/dev/null
	fsck_clean "$fs"
}

# fsck_clean FSFILE: e2fsck finds nothing to fix (read-only check).
fsck_clean() {
	e2fsck -fn "$1" >/dev/null 2>&1 || {
		echo "e2fsck -fn $1 reports problems:" >&2
		e2fsck -fn "$1" >&2 || true
		return 1
	}
}

# place FSFILE DISK START_SECTOR: copy a filesystem image into a disk file
# at a partition's offset, keeping holes.
place() {
	dd if="$1" of="$2" bs=1M oflag=seek_bytes seek=$(($3 * 512)) \
		conv=notrunc,sparse status=none
}

# new_disk FILE SIZE_MIB: an empty sparse disk file.
new_disk() {
	rm -f "$1"
	truncate -s "${2}M" "$1"
}

# partition DISK < sfdisk-script
partition() {
	sfdisk -q --no-reread --no-tell-kernel "$1" >/dev/null
}

# Manifest writing.  One key=value per line; values never hold a newline.
# Keys (see tests/e2e.sh for their use):
#   status          expected exit status of a plain run (0 = boots)
#   title, kernel, ramdisk, args   what the default run must boot (guest
#                   paths; ramdisk "none" when there is none; several
#                   ramdisks are space-separated and concatenated)
#   file:PATH       sha256 of a payload stored at guest PATH
#   kernel_sha256, ramdisk_sha256  the expected extracted bytes
#   error_re        an ERE the stderr line must match (repeatable: all must)
#   pygrub          same | args | wrong | fail: how pygrub 4.17 is expected
#                   to differ on this image (args: pygrub_args holds its
#                   raw-text args; wrong: pygrub boots pygrub_kernel;
#                   fail: pygrub finds nothing bootable); pygrub_why says why
#   variant.N.opt   an extra command-line option for variant N (repeatable)
#   variant.N.opt_printf  the same, expanded with printf %b first (for \n)
#   variant.N.kernel/.ramdisk/.args/.status   its expectations
#   isconfig        a guest config path extracted next to the image as
#                   NAME-BASENAME (e.g. mbr-ext4-grub.cfg) for --isconfig
#   titles          the menu's entry titles, "|"-separated, for --list-entries
expect_open() { EXP=$1; : >"$EXP"; }
exp() { printf '%s=%s\n' "$1" "$2" >>"$EXP"; }

# builder_init WORKPREFIX KNOWN OUTDIR [NAME...]: the start every image
# builder shares.  Checks the usage; OUT is OUTDIR, created and made
# absolute; WORK a temp dir removed on exit (a builder with more to clean
# sets its own EXIT trap after this); /usr/sbin and /sbin go on PATH.
# With KNOWN (the builder's image names) WANT holds the NAMEs that are
# known, in the order given, or all of KNOWN when no NAME is given; when
# none is known the builder has nothing to do and exits 0 at once.
# The caller still has OUTDIR in its own "$@": it shifts it off itself.
builder_init() {
	local prefix=$1 known=$2 a m
	shift 2
	[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [NAME...]" >&2; exit 1; }
	OUT=$1
	shift
	WANT=
	if [ -n "$known" ]; then
		if [ $# -eq 0 ]; then
			WANT=$known
		else
			for a in "$@"; do
				for m in $known; do
					if [ "$a" = "$m" ]; then WANT+=" $m"; fi
				done
			done
		fi
		[ -n "$WANT" ] || exit 0
	fi
	mkdir -p "$OUT"
	OUT=$(cd "$OUT" && pwd)
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/$prefix.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
	export PATH="$PATH:/usr/sbin:/sbin"
}

# Manifest lines every builder writes the same way.
# exp_file GUESTPATH LOCALFILE: what one guest file holds, for variants
exp_file() { exp "file:$1" "$(sha "$2")"; }

# exp_boot TITLE KERNEL-GUESTPATH KERNEL-FILE RAMDISK-GUESTPATH|none RAMDISK-FILE|"" ARGS
exp_boot() {
	exp status 0
	exp title "$1"
	exp kernel "$2"
	exp kernel_sha256 "$(sha "$3")"
	exp ramdisk "$4"
	if [ "$4" = none ]; then exp ramdisk_sha256 none; else exp ramdisk_sha256 "$(sha "$5")"; fi
	exp args "$6"
}

# check_placed DISK FSFILE START_SECTOR: the filesystem really is there
# (a builder's own check: it stops the build).
check_placed() {
	cmp -s -n "$(stat -c %s "$2")" -i "$(($3 * 512)):0" "$1" "$2" || {
		echo "$(basename "$0"): $2 not found at sector $3 of $1" >&2
		exit 1
	}
}
