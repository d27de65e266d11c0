#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/differential.sh: the differential report against Xen's pygrub.
# Runs pygrub (when installed) and pvboot over every config in
# tests/corpus-expect (--isconfig) and every test image (a real extraction
# of each into its own temp dir: kernel and ramdisk bytes, args) and prints
# every disagreement.  Each known disagreement is explained below, keyed
# by corpus:NAME or image:NAME, as "DIFFERENCE: why pvboot's answer is the
# one GRUB (or syslinux/LILO) makes".  DIFFERENCE states what differs:
#   pygrub-fails / pvboot-fails   one side finds nothing to boot
#   FIELD...                      these fields differ, the others agree:
#                                 kernel, ramdisk (images) or initrd
#                                 (corpus), args; args-blanks: the args
#                                 differ only in runs of blanks
# An unexplained disagreement fails the script, and so does an explained
# one whose observed difference is not the one stated.
#
# Environment: BUILD (default build), PVBOOT, IMAGES (default
# $BUILD/images, built with tests/images/build.sh when missing), PYGRUB.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
PVBOOT=${PVBOOT:-$BUILD/pvboot}
IMAGES=${IMAGES:-$BUILD/images}
PYGRUB=${PYGRUB:-/usr/lib/xen-4.17/bin/pygrub}
CE=$here/corpus-expect
. "$here/counts.sh" differential

ARGS_WHY="args-blanks: GRUB rebuilds the command line from the linux line's words (blank runs collapse, trailing blanks go); pygrub copies the raw text (grub-semantics.md)"
declare -A WHY=(
	# --- corpus -------------------------------------------------------
	[corpus:alpine-linux-2.3.2]="pygrub-fails: pygrub chooses its parser by file name and does not take *.extlinux as extlinux; syslinux boots LABEL grsec (MENU DEFAULT), kernel relative to the config's directory"
	[corpus:ubuntu-18.04-default-chainloader]="kernel initrd args-blanks: GRUB counts 'default 2' over the top level (0 Ubuntu, 1 the submenu, 2 the EFI chainloader entry); pygrub flattens the submenu and boots its 2nd entry (4.15.0-23).  GRUB would chainload the .efi, which a PV domain cannot run, so pvboot skips it with a warning and boots the first bootable entry"
	[corpus:fedora-16-with-xen]=$ARGS_WHY
	[corpus:fedora-19]=$ARGS_WHY
	# --- images from tests/images/build.sh ------------------------------
	[image:mbr-ext4]=$ARGS_WHY
	[image:gpt-sepboot]=$ARGS_WHY
	[image:logical-boot]="pygrub-fails: pygrub does not look inside extended partitions; GRUB reads /boot from logical partition 6 (msdos6) as its config says"
	[image:submenu-default]="kernel ramdisk args-blanks: default \"1>0\" is entry 0 of submenu 1 (grub-semantics.md); pygrub looks the path up as a title, finds none and boots top-level entry 0"
	[image:submenu-id-default]="kernel ramdisk args-blanks: the default is an id path into the submenu; GRUB follows it, pygrub compares it with titles and boots entry 0"
	[image:extlinux-relative]="pygrub-fails: syslinux resolves KERNEL/INITRD against the config file's directory; pygrub opens '../vmlinuz-lts' as given and ignores INITRD"
	[image:two-initrds]="pygrub-fails: GRUB's initrd takes several files and loads them in order as one ramdisk; pygrub takes the whole line as one path"
	# --- images from tests/images/build-grub.sh -------------------------
	[image:grub-saved]="kernel ramdisk args-blanks: GRUB_DEFAULT=saved: load_env reads grubenv, default=\${saved_entry} is a title path into the submenu; pygrub never reads grubenv and boots entry 0"
	[image:grub-next-entry]="kernel ramdisk args: grub-reboot's next_entry wins over saved_entry in 00_header; pygrub reads neither and boots entry 0"
	[image:bls-fedora]="pygrub-fails: blscfg turns /loader/entries/*.conf into the menu (newest first) and saved_entry names an entry by file id, \$kernelopts comes from grubenv; pygrub 4.17 has no blscfg and finds no entry"
	[image:bls-loader]="pygrub-fails: BLS entries with loader.conf and no grub.cfg: the glob default picks the 6.1.0-13 entry; pygrub knows no loader.conf"
	[image:grub-source]="kernel ramdisk args: 41_custom sources custom.cfg, whose set default and menuentry GRUB runs; pygrub ignores source and boots entry 0 (and copies raw args)"
	[image:grub-search-uuid]="kernel ramdisk: search --fs-uuid --set=root points at partition 2; GRUB loads the kernel from there, pygrub from the config's partition (a decoy there)"
	[image:grub-multiboot-default]="pygrub-fails: entry 0 is Xen (multiboot2), which a PV domain cannot run: pvboot skips it with a warning and boots the first Linux entry; pygrub picks it and fails"
	[image:legacy-saved]="kernel ramdisk args: GRUB legacy 'default saved' reads /boot/grub/default (entry 1); pygrub takes saved as 0"
	[image:grub-savedefault]="kernel ramdisk args-blanks: GRUB_DEFAULT=saved with GRUB_SAVEDEFAULT=true: load_env reads grubenv, default=\${saved_entry} is an id path into the submenu (the K13 entry); pygrub never reads grubenv and boots entry 0"
	[image:grub-load-env-twice]="kernel ramdisk args-blanks: openSUSE's repeated 00_header: the first clears next_entry with save_env, so the second load_env reads it empty and saved_entry (K13) boots, as under real GRUB; pygrub reads no grubenv and boots entry 0"
	# --- images from tests/images/build-fs.sh ---------------------------
	[image:xfs-v5-gpt]="pygrub-fails: XFS v5 (the mkfs.xfs default since 2015, RHEL 7+): GRUB's xfs module reads it, pygrub's libfsimage only reads v4 and finds nothing; the default also comes from grubenv's saved_entry"
	[image:xfs-frag]="pygrub-fails: XFS v5 with a btree-format kernel: GRUB reads it, pygrub's libfsimage cannot read v5"
	[image:xfs-v4]=$ARGS_WHY
	[image:btrfs-rootdir]="pygrub-fails: btrfs: GRUB's btrfs module reads it; pygrub has no btrfs reader"
	[image:btrfs-fedora]="pygrub-fails: btrfs with root/home subvolumes and compressed extents, config at /root/boot/grub2 as Fedora lays it out: GRUB reads it, pygrub has no btrfs reader"
	[image:btrfs-opensuse]="pygrub-fails: btrfs whose default subvolume is @/.snapshots/1/snapshot (openSUSE): GRUB with openSUSE's patches reads it, pygrub has no btrfs reader"
	[image:fat12-syslinux]="pygrub-fails: syslinux on FAT reads /boot/syslinux/syslinux.cfg; pygrub does not look for syslinux.cfg"
	[image:btrfs-big-initrd]="pygrub-fails: btrfs with a 120 MiB initrd in zstd extents: GRUB's btrfs module reads it, pygrub has no btrfs reader"
	[image:fat16-boot]=$ARGS_WHY
	[image:fat32-sdboot]="pygrub-fails: systemd-boot's loader.conf and BLS entries on an ESP; pygrub knows neither"
	[image:iso-hybrid]="kernel ramdisk args: a hybrid ISO boots from the ISO 9660 filesystem at offset 0 (what isolinux and GRUB see); pygrub 4.17 compares bytes with the str 'CD001' (a Python 3 port bug), never sees the ISO and boots the decoy on the appended ESP"
	[image:lilo-default]="pygrub-fails: on a disk pygrub never looks for /etc/lilo.conf; LILO boots default=old with 'ro root=... append' as its second stage builds it"
	# --- images from tests/images/build-uki.sh --------------------------
	[image:uki-esp]="pygrub-fails: systemd-boot boots the newest type #2 entry, the UKI's .linux with .ucode+.initrd and the add-ons' initrd and cmdline; pygrub reads no UKIs"
	[image:uki-xbootldr]="pygrub-fails: systemd-boot reads UKIs on XBOOTLDR and the ESP's loader.conf default glob; pygrub reads no UKIs"
	[image:uki-rootfs]="pygrub-fails: a UKI in /boot/efi/EFI/Linux on the root filesystem; pygrub reads no UKIs"
	[image:lvm-on-md]="pygrub-fails: /boot in an LVM2 logical volume (GRUB's lvm module reads it); pygrub reads no LVM"
	[image:lvm-segments]="pygrub-fails: /boot in an LVM2 logical volume (GRUB's lvm module reads it); pygrub reads no LVM"
	[image:lvm-striped]="pygrub-fails: /boot in an LVM2 logical volume (GRUB's lvm module reads it); pygrub reads no LVM"
	[image:lvm-whole]="pygrub-fails: /boot in an LVM2 logical volume (GRUB's lvm module reads it); pygrub reads no LVM"
	[image:md-0.90]="pygrub-fails: /boot on an MD RAID1 member (GRUB's mdraid modules read it); pygrub reads no MD superblock"
	[image:md-1.0-degraded]="pygrub-fails: /boot on an MD RAID1 member (GRUB's mdraid modules read it); pygrub reads no MD superblock"
	[image:md-1.1]="pygrub-fails: /boot on an MD RAID1 member (GRUB's mdraid modules read it); pygrub reads no MD superblock"
	[image:md-1.2]="pygrub-fails: /boot on an MD RAID1 member (GRUB's mdraid modules read it); pygrub reads no MD superblock"
	[image:md-stale]="pygrub-fails: /boot on an MD RAID1 member (GRUB's mdraid modules read it); pygrub reads no MD superblock"
	[image:uki-ukify]="pygrub-fails: a UKI made by ukify; pygrub reads no UKIs"
	[image:pvgrub-sepboot]="pygrub-fails: only the guest's own PV-GRUB (/xen/pvboot-x86_64.elf), which Xen's x86-xenpv-bootloader.pandoc says a stage-1 bootloader should offer; pygrub does not look for it"
)

N_DIS=0
N_UNEXPLAINED=0
N_SAME=0
declare -A USED=()
T=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-diff.XXXXXX")
trap 'rm -rf "$T"' EXIT

if [ ! -x "$PYGRUB" ] || [ ! -x "$(sed -n '1s/^#! *//p' "$PYGRUB" | cut -d' ' -f1)" ]; then
	echo "pygrub ($PYGRUB) is not installed: nothing to compare"
	counts_report differential 0 0 1
	exit 0
fi
case $PVBOOT in /*) ;; *) PVBOOT=$PWD/$PVBOOT ;; esac
[ -x "$PVBOOT" ] || { echo "FAIL pvboot binary $PVBOOT missing"; exit 1; }

# what_differs PY PV NAMES: the difference between two answers, each
# "fails ..." or tab-separated fields named by NAMES (e.g. "kernel ramdisk
# args"): pygrub-fails, pvboot-fails, or the names of the differing fields
# (args-blanks when the args differ only in runs of blanks).
blanks() { printf '%s' "$1" | tr -s ' ' | sed 's/^ //; s/ $//'; }
what_differs() {
	local py=$1 pv=$2 names=($3) a b i out=
	if [[ $py == fails* ]]; then echo pygrub-fails; return; fi
	if [[ $pv == fails* ]]; then echo pvboot-fails; return; fi
	IFS=$'\t' read -r -a a <<<"$py"
	IFS=$'\t' read -r -a b <<<"$pv"
	for i in "${!names[@]}"; do
		[ "${a[i]:-}" = "${b[i]:-}" ] && continue
		if [ "${names[i]}" = args ] &&
		   [ "$(blanks "${a[i]:-}")" = "$(blanks "${b[i]:-}")" ]; then
			out+=" args-blanks"
		else
			out+=" ${names[i]}"
		fi
	done
	echo "${out# }"
}

disagree() { # KEY OBSERVED-DIFFERENCE DETAIL
	local want
	N_DIS=$((N_DIS + 1))
	printf 'DIFF %s (%s): %s\n' "$1" "$2" "$3"
	if [ -n "${WHY[$1]+x}" ]; then
		USED[$1]=1
		want=${WHY[$1]%%:*}
		if [ "$want" = "$2" ]; then
			printf '     why pvboot is right: %s\n' "${WHY[$1]#*: }"
		else
			N_UNEXPLAINED=$((N_UNEXPLAINED + 1))
			printf '     UNEXPLAINED: the explained difference is "%s", this one is "%s"\n' "$want" "$2"
		fi
	else
		N_UNEXPLAINED=$((N_UNEXPLAINED + 1))
		printf '     UNEXPLAINED: add the reason to WHY in %s or fix pvboot\n' "${0##*/}"
	fi
}

# --- corpus: --isconfig ------------------------------------------------
# isconfig_fields FILE -> kernel, initrd, args (tab-separated)
isconfig_fields() {
	local k= i= a=
	k=$(sed -n 's/^  kernel: //p' "$1" | head -1)
	i=$(sed -n 's/^  initrd: //p' "$1" | head -1)
	a=$(sed -n 's/^  args: //p' "$1" | head -1)
	printf '%s\t%s\t%s' "$k" "$i" "$a"
}

echo "# corpus (--isconfig)"
for e in "$CE"/*.expect; do
	n=$(basename "$e" .expect)
	cfg=$(sed -n 's/^config=//p' "$e")
	grep -q '^image=' "$e" && continue
	f=$CE/$cfg
	mkdir -p "$T/c-$n"
	timeout 60 "$PYGRUB" -q --isconfig --output-directory="$T/c-$n" "$f" \
		>"$T/py.out" 2>"$T/py.err" </dev/null
	prc=$?
	timeout 60 "$PVBOOT" -q --isconfig "$f" >"$T/pv.out" 2>"$T/pv.err" </dev/null
	vrc=$?
	if [ $prc = 0 ]; then py=$(isconfig_fields "$T/py.out"); else py="fails ($(tail -1 "$T/py.err"))"; fi
	if [ $vrc = 0 ]; then pv=$(isconfig_fields "$T/pv.out"); else pv="fails ($(head -1 "$T/pv.err"))"; fi
	if [ "$py" = "$pv" ]; then
		N_SAME=$((N_SAME + 1))
		printf 'same corpus:%s\n' "$n"
	else
		disagree "corpus:$n" "$(what_differs "$py" "$pv" "kernel initrd args")" \
			"pygrub: ${py//$'\t'/ | }
     pvboot: ${pv//$'\t'/ | }"
	fi
done

# --- images: real extraction ---------------------------------------------
if [ ! -f "$IMAGES/mbr-ext4.expect" ]; then
	echo "building images in $IMAGES"
	"$here/images/build.sh" "$IMAGES" >/dev/null || { echo "FAIL tests/images/build.sh"; exit 1; }
fi

# run_one TOOL IMAGE DIR -> kernel sha, ramdisk sha, args (tab-separated),
# or "fails (...)"
run_one() {
	local tool=$1 img=$2 d=$3 items it k= r= a= rc
	mkdir -m 0700 -p "$d"
	: >"$d.out"
	# images are fixtures: no grubenv write (tests/grubenv.sh checks them)
	PVBOOT_NO_ENV_WRITE=1 timeout 60 "$tool" -q --output="$d.out" --output-format=simple0 \
		--output-directory="$d" "$img" >/dev/null 2>"$d.err" </dev/null
	rc=$?
	if [ $rc != 0 ]; then
		printf 'fails (%s)' "$(grep -v 'warning' "$d.err" | tail -1 | cut -c1-160)"
		return
	fi
	mapfile -d '' items <"$d.out"
	for it in "${items[@]}"; do
		case $it in
		kernel\ *) k=${it#kernel } ;;
		ramdisk\ *) r=${it#ramdisk } ;;
		args\ *) a=${it#args } ;;
		esac
	done
	k=$(sha256sum <"$k" | cut -c1-16)
	if [ -n "$r" ] && [ -s "$r" ]; then r=$(sha256sum <"$r" | cut -c1-16); else r=none; fi
	printf '%s\t%s\t%s' "$k" "$r" "$a"
}

echo "# images (extraction: sha256 prefixes of the bytes)"
for e in "$IMAGES"/*.expect; do
	n=$(basename "$e" .expect)
	img=$IMAGES/$n.img
	[ -f "$img" ] || continue
	py=$(run_one "$PYGRUB" "$img" "$T/py-$n")
	pv=$(run_one "$PVBOOT" "$img" "$T/pv-$n")
	rm -rf "$T/py-$n" "$T/pv-$n"
	if [ "$py" = "$pv" ] || [[ $py == fails* && $pv == fails* ]]; then
		N_SAME=$((N_SAME + 1))
		printf 'same image:%s%s\n' "$n" "$([[ $py == fails* ]] && echo ' (both find nothing to boot)')"
	else
		disagree "image:$n" "$(what_differs "$py" "$pv" "kernel ramdisk args")" \
			"pygrub: ${py//$'\t'/ | }
     pvboot: ${pv//$'\t'/ | }"
	fi
done

for k in "${!WHY[@]}"; do
	[ -n "${USED[$k]+x}" ] || printf 'note: %s is explained but agreed (or was not run) this time\n' "$k"
done
printf '%d agree, %d disagree, %d unexplained\n' "$N_SAME" "$N_DIS" "$N_UNEXPLAINED"
counts_report differential $((N_SAME + N_DIS - N_UNEXPLAINED)) "$N_UNEXPLAINED" 0
[ "$N_UNEXPLAINED" = 0 ]
