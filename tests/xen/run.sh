#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/xen/run.sh BUILD        (make check-xen)
#
# Proves pvboot under real Xen: boots the Xen 4.17 hypervisor and a Debian
# dom0 in QEMU (TCG), and inside dom0 lets `xl create` run BUILD/pvboot as
# the bootloader of PV guests whose disks hold a real Debian kernel.  Each
# case passes when the guest kernel prints the command line of the entry
# that should boot (tests/xen/guests.sh builds the disks and says which).
#
# Everything comes from Debian's packages through this machine's apt:
# xen-hypervisor-4.17-amd64, linux-image-amd64's kernel (dom0 and guests),
# busybox-static, and a debootstrap minbase dom0 with xen-utils-4.17.  They
# are cached under $PVBOOT_XEN_CACHE (default BUILD/xen-cache), keyed by
# the package versions, so a second run only builds the guest disks and
# boots.
#
# Environment:
#   PVBOOT_XEN_BOOTLOADER=pygrub  also run every case with Xen's pygrub and
#                                 print both answers side by side (pygrub's
#                                 results are reported, never counted)
#   PVBOOT_XEN_REQUIRE=1          a machine that cannot run the test fails
#                                 instead of printing SKIP and exiting 0
#   PVBOOT_XEN_TIMEOUT=SECONDS    whole QEMU run (default 1800)
#   PVBOOT_XEN_ONLY="CASE..."     run only these cases (while working on
#                                 one; the full set is what counts)
#
# Output: one line per case, then "N passed, M failed".  Exit status 0 when
# every pvboot case passed (or SKIP), 1 otherwise.
set -uo pipefail

XEN_HERE=$(cd "$(dirname "$0")" && pwd)
. "$XEN_HERE/fetch.sh"

BUILD=${1:-build}
PVBOOT=$BUILD/pvboot
CACHE=${PVBOOT_XEN_CACHE:-$BUILD/xen-cache}
RUN=$BUILD/xen-run
TIMEOUT=${PVBOOT_XEN_TIMEOUT:-1800}
export PATH="$PATH:/usr/sbin:/sbin"
t0=$SECONDS

skip() {
	echo "SKIP: check-xen: $*"
	[ -z "${PVBOOT_XEN_REQUIRE:-}" ] || exit 1
	exit 0
}
fail() {
	echo "FAIL: check-xen: $*"
	echo "0 passed, 1 failed"
	exit 1
}

[ -x "$PVBOOT" ] || fail "$PVBOOT not built (run make all)"
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap and chroot build the dom0)"
[ "$(uname -m)" = x86_64 ] || skip "needs an x86_64 host (got $(uname -m))"

# --- tools: install what is missing, skip when that is impossible ----------
need_tools() {
	local missing="" t
	for t in qemu-system-x86_64:qemu-system-x86 debootstrap:debootstrap \
		cpio:cpio mkfs.xfs:xfsprogs mkfs.btrfs:btrfs-progs mke2fs:e2fsprogs \
		sfdisk:fdisk openssl:openssl objcopy:binutils mkfs.fat:dosfstools \
		mcopy:mtools; do
		command -v "${t%%:*}" >/dev/null 2>&1 || missing="$missing ${t#*:}"
	done
	echo "${missing# }"
}
missing=$(need_tools)
if [ -n "$missing" ]; then
	echo "xen: installing $missing"
	# shellcheck disable=SC2086
	# under the lock other users of this machine's apt take, when there is one
	DEBIAN_FRONTEND=noninteractive $(command -v flock >/dev/null && echo flock /tmp/apt.lock) \
		apt-get install -y -q --no-install-recommends $missing \
		>"${TMPDIR:-/tmp}/pvboot-xen-apt.log" 2>&1 ||
		skip "cannot install $missing: $(tail -n1 "${TMPDIR:-/tmp}/pvboot-xen-apt.log")"
	missing=$(need_tools)
	[ -z "$missing" ] || skip "still missing after apt-get: $missing"
fi

# the stub the UKI guest is made from, and GRUB's x86_64-xen modules for
# the PV-GRUB guest; without them only that case is left out (guests.sh
# says so)
opt=""
[ -f /usr/lib/systemd/boot/efi/linuxx64.efi.stub ] || opt="$opt systemd-boot-efi"
[ -d /usr/lib/grub/x86_64-xen ] || opt="$opt grub-xen-bin"
# shellcheck disable=SC2086
[ -z "$opt" ] ||
	DEBIAN_FRONTEND=noninteractive $(command -v flock >/dev/null && echo flock /tmp/apt.lock) \
		apt-get install -y -q --no-install-recommends $opt \
		>"${TMPDIR:-/tmp}/pvboot-xen-apt.log" 2>&1 || true

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
ensure_cache || skip "cannot fetch the Xen packages or build the dom0 (see above)"
echo "xen: packages and dom0 ready after $((SECONDS - t0)) s"

# --- the run's dom0 overlay: init, cases, guest disks, pvboot --------------
rm -rf "$RUN"
mkdir -p "$RUN/ov/xentest" "$RUN/ov/usr/local/bin"
RUN=$(cd "$RUN" && pwd)
"$XEN_HERE/guests.sh" "$RUN/img" "$XEN_C/vmlinuz" "$XEN_C/busybox" ||
	fail "building the guest disks failed"
if [ -n "${PVBOOT_XEN_ONLY:-}" ]; then
	for c in $PVBOOT_XEN_ONLY; do
		grep -q "^$c|" "$RUN/img/cases" || fail "PVBOOT_XEN_ONLY: no case $c"
	done
	awk -F'|' -v only=" $PVBOOT_XEN_ONLY " 'index(only, " " $1 " ")' \
		"$RUN/img/cases" >"$RUN/img/cases.only"
	mv "$RUN/img/cases.only" "$RUN/img/cases"
	echo "xen: only $PVBOOT_XEN_ONLY"
fi
cp "$RUN/img/cases" "$RUN/ov/xentest/cases"
# the network boot case: its install tree and the busybox that serves it
[ -d "$RUN/img/www" ] && cp -a "$RUN/img/www" "$RUN/ov/xentest/www"
install -m 755 "$XEN_C/busybox" "$RUN/ov/xentest/busybox"
# one disk for dom0 holding every guest disk at a MiB boundary (dom0 reads
# them in place through loop devices: nothing to copy or unpack there)
: >"$RUN/guests.img" >"$RUN/ov/xentest/layout"
for f in "$RUN"/img/*.img; do
	off=$(stat -c %s "$RUN/guests.img") sz=$(stat -c %s "$f")
	echo "${f##*/} $off $sz" >>"$RUN/ov/xentest/layout"
	dd if="$f" of="$RUN/guests.img" bs=1M oflag=seek_bytes seek="$off" conv=sparse,notrunc status=none
	truncate -s $(((off + sz + 1048575) / 1048576 * 1048576)) "$RUN/guests.img"
done
install -m 755 "$XEN_HERE/dom0-init" "$RUN/ov/init"
install -m 755 "$XEN_HERE/cases.sh" "$RUN/ov/xentest/cases.sh"
install -m 755 "$XEN_HERE/console-drive" "$RUN/ov/xentest/console-drive"
install -m 755 "$PVBOOT" "$RUN/ov/usr/local/bin/pvboot"
BLS=pvboot
[ "${PVBOOT_XEN_BOOTLOADER:-}" = pygrub ] && BLS="pvboot pygrub"
echo "$BLS" >"$RUN/ov/xentest/bootloaders"
# any library pvboot links that dom0 lacks comes from this (same) release
mkdir -p "$RUN/ov/usr/lib/x86_64-linux-gnu"
for lib in $(ldd "$PVBOOT" | awk '$3 ~ /^\// {print $3}'); do
	grep -qxF "${lib##*/}" "$XEN_C/dom0-libs" ||
		cp -L "$lib" "$RUN/ov/usr/lib/x86_64-linux-gnu/"
done
(cd "$RUN/ov" && find . | cpio -o -H newc --quiet --owner=0:0 | gzip -1) >"$RUN/overlay.cpio.gz"
# the kernel unpacks concatenated archives in order; later files win
cat "$XEN_C/dom0-base.cpio.gz" "$RUN/overlay.cpio.gz" >"$RUN/dom0.cpio.gz"
echo "xen: dom0 initramfs $(($(stat -c %s "$RUN/dom0.cpio.gz") >> 20)) MiB, booting (TCG, timeout ${TIMEOUT}s)"

# --- boot: Xen + dom0 under QEMU TCG ----------------------------------------
# KVM cannot boot Xen on these machines; -cpu max crashes dom0 under TCG
# (SMAP), qemu64 works.  bootscrub=0: Xen would otherwise scrub all free
# memory while idle, which under TCG slows the first guests by minutes.
LOG=$RUN/serial.log
: >"$LOG"
tq=$SECONDS
qemu-system-x86_64 -accel tcg,thread=multi -cpu qemu64 -smp 2 -m 3072 \
	-kernel "$XEN_C/xen" \
	-append "dom0_mem=1024M,max:1024M console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot bootscrub=0" \
	-initrd "$XEN_C/vmlinuz console=hvc0 earlyprintk=xen,$RUN/dom0.cpio.gz" \
	-drive "file=$RUN/guests.img,if=virtio,format=raw" \
	-display none -monitor none -serial "file:$LOG" -no-reboot \
	>"$RUN/qemu.out" 2>&1 &
qpid=$!
outcome=timeout
while [ $((SECONDS - tq)) -lt "$TIMEOUT" ]; do
	if grep -q '^XENTEST done' "$LOG" 2>/dev/null; then outcome=done; break; fi
	if ! kill -0 "$qpid" 2>/dev/null; then outcome=exited; break; fi
	sleep 2
done
kill "$qpid" 2>/dev/null
wait "$qpid" 2>/dev/null
tr -d '\r' <"$LOG" >"$LOG.txt"
echo "xen: QEMU run $outcome after $((SECONDS - tq)) s; serial log $LOG.txt"
grep -E '^XENTEST (dom0-up|xen-up|warn|fatal)' "$LOG.txt" | sed 's/^/xen: /'
if [ "$outcome" != done ]; then
	[ ! -s "$RUN/qemu.out" ] || echo "xen: qemu said: $(tail -n3 "$RUN/qemu.out" | tr '\n' ' ')"
	echo "xen: last serial lines:"
	tail -n 15 "$LOG.txt" | sed 's/^/    /'
fi

# --- results ----------------------------------------------------------------
pass=0 failn=0
field() { # LINE KEY: value of KEY=... (detail runs to the end of the line)
	case $2 in
	detail) printf '%s\n' "$1" | sed -n 's/.* detail=//p' ;;
	*) printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n1 ;;
	esac
}
result_line() { # CASE BL
	grep -E "^XENTEST case=$1 bootloader=$2 " "$LOG.txt" | tail -n1
}
while IFS='|' read -r name img mode expect note; do
	[ -n "$name" ] || continue
	l=$(result_line "$name" pvboot)
	if [ -z "$l" ]; then
		r=FAIL d="no result (QEMU run $outcome)"
		s=-
	else
		r=$(field "$l" result) d=$(field "$l" detail) s=$(field "$l" secs)
	fi
	if [ "$r" = PASS ]; then pass=$((pass + 1)); else failn=$((failn + 1)); fi
	printf '%-4s %-19s %-15s pvboot %3ss  %s\n' "$r" "$name" "($mode)" "$s" "$d"
	if [[ " $BLS " == *" pygrub "* ]]; then
		l=$(result_line "$name" pygrub)
		if [ -z "$l" ]; then
			printf '     %-19s %-15s pygrub        no result\n' "" ""
		else
			printf '     %-19s %-15s pygrub %3ss  %s: %s (known: %s)\n' "" "" \
				"$(field "$l" secs)" "$(field "$l" result)" "$(field "$l" detail)" "$note"
		fi
	fi
done <"$RUN/img/cases"
echo "xen: total $((SECONDS - t0)) s"
echo "$pass passed, $failn failed"
[ "$failn" -eq 0 ] && [ "$pass" -gt 0 ]
