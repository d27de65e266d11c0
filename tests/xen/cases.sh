#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Runs inside dom0 (from /init): boots every case of /xentest/cases (see
# tests/xen/guests.sh for the format) with each bootloader named in
# /xentest/bootloaders ("pvboot", "pygrub"), one PV domain at a time, and
# prints one line per run for the host harness:
#   XENTEST case=NAME bootloader=BL result=PASS|FAIL secs=N detail=TEXT
# A boot case passes when `xl create` succeeds, the guest kernel's
# "Kernel command line:" holds exactly the expected pvboot_marker= words,
# and the guest initramfs's /init then ran (the ramdisk arrived whole).
# A fail case passes when `xl create` fails and its output or the
# bootloader's log carries the expected text.
T=/xentest
LOGS=/var/log/xen/console
BOOT_WAIT=${BOOT_WAIT:-240}  # seconds for a guest to reach its /init (TCG, loaded host)

bl_path() {
	case $1 in
	pvboot) echo /usr/local/bin/pvboot ;;
	pygrub) echo /usr/lib/xen-4.17/bin/pygrub ;;
	esac
}

one_line() { tr -c '[:print:]' ' ' | tr -s ' ' | cut -c1-400; }

report() { # CASE BL RESULT START DETAIL
	echo "XENTEST case=$1 bootloader=$2 result=$3 secs=$(($(date +%s) - $4)) detail=$(printf '%s' "$5" | one_line)"
}

# sorted pvboot_marker= values of a command line, space-separated
markers() {
	tr ' ' '\n' | sed -n 's/^pvboot_marker=//p' | sort | tr '\n' ' ' | sed 's/ $//'
}

# xl's output and libxl's bootloader log, without terminal escapes (the
# bootloader runs on a pty; pygrub draws its menu there)
bl_reason() { # XLOUT
	{
		cat "$1"
		for f in $(sed -n 's/.*consult logfile \(\/[^ ]*\).*/\1/p' "$1"); do cat "$f"; done
	} 2>/dev/null | tr '\r' '\n' |
		sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g; s/\x1b.//g'
}

# the lines of bl_reason that say why: the bootloader's own message first
why() { # XLOUT
	bl_reason "$1" | grep -E 'pvboot:|Error:|Traceback' | tail -n3 | grep . ||
		bl_reason "$1" | grep -vE '^(libxl: debug|xc: debug)' | grep -iE 'error|fail' | tail -n3
}

# write_cfg DOM LOOP MODE BL: the domain's xl config on stdout
write_cfg() {
	echo "name = \"$1\""
	echo "type = \"pv\""
	echo "memory = 256"
	echo "vcpus = 1"
	echo "bootloader = \"$(bl_path "$4")\""
	echo "disk = [ 'format=raw,vdev=xvda,access=rw,target=$2' ]"
	echo "on_poweroff = \"destroy\""
	echo "on_crash = \"destroy\""
	case $3 in
	restrict)
		echo "bootloader_restrict = 1"
		echo "bootloader_user = \"pvbootuser\"" ;;
	restrict-range)
		echo "bootloader_restrict = 1" ;;
	netboot)
		echo "bootloader_args = [ '--location=http://127.0.0.1:8080/debian/dists/bookworm/main/installer-amd64/', '--args=console=hvc0 pvboot_marker=netboot' ]" ;;
	twice-nowrite)
		echo "bootloader_args = [ '--no-env-write' ]" ;;
	pvgrub)
		echo "bootloader_args = [ '--prefer-pvgrub' ]" ;;
	esac
}

# boot_one DOM LOOP MODE BL WANT: one `xl create` of a boot case.  Sets
# OK=1 and DETAIL to the booted command line, or OK=0 and DETAIL to why not.
# Leaves the domain running (or gone, when the guest already powered off).
boot_one() {
	local bdom=$1 cfg=/tmp/$1.cfg out=/tmp/$1.xl rc log i line got want t0
	t0=$(date +%s)
	write_cfg "$bdom" "$2" "$3" "$4" >"$cfg"
	if [ "$3" = console ]; then
		# an operator at `xl create -c`: the menu is drawn on this
		# pty (libxl relays pvboot's own pty to the domain console);
		# wait for it, then Down, 'a', End, the argument, Enter
		timeout 330 "$T/console-drive" "/tmp/$bdom.tty" 300 \
			expect=rescue pause=3 'send=\x1b[B' pause=2 send=a \
			expect=append pause=1 'send=\x05 pvboot_marker=typed' \
			pause=1 'send=\r' -- xl create -c "$cfg" >"$out" 2>&1
		rc=$?
		[ $rc -eq 0 ] || echo "console: $(tr -c '[:print:]' ' ' <"/tmp/$bdom.tty" |
			tr -s ' ' | tail -c 300)" >>"$out"
	else
		timeout 240 xl -vvv create "$cfg" </dev/null >"$out" 2>&1
		rc=$?
	fi
	echo "XENTEST log dom=$bdom xl-create-rc=$rc xl-create-secs=$(($(date +%s) - t0))"
	OK=0
	if [ $rc -ne 0 ]; then
		DETAIL=$(why "$out")
		[ -n "$DETAIL" ] || DETAIL=$(tail -n2 "$out")
		DETAIL="xl create failed (rc $rc): $DETAIL"
		return
	fi
	log=$LOGS/guest-$bdom.log
	i=0
	while [ $i -lt "$BOOT_WAIT" ] && ! grep -q 'GUEST-INIT cmdline:' "$log" 2>/dev/null; do
		sleep 1
		i=$((i + 1))
	done
	echo "XENTEST log dom=$bdom guest-init-secs=$(($(date +%s) - t0))"
	line=$(grep -m1 'Kernel command line:' "$log" 2>/dev/null | tr -d '\r')
	got=$(printf '%s\n' "$line" | markers)
	want=$(printf '%s\n' "$5" | tr ' ' '\n' | sed 's/^/pvboot_marker=/' | tr '\n' ' ' | markers)
	if [ -z "$line" ]; then
		DETAIL="no 'Kernel command line:' in the guest console after ${BOOT_WAIT}s: $(tail -c 300 "$log" 2>/dev/null)"
	elif [ "$got" != "$want" ]; then
		DETAIL="booted markers '$got', expected '$want': $line"
	elif ! grep -q 'GUEST-INIT cmdline:' "$log"; then
		DETAIL="right command line but the guest's /init never ran (ramdisk?): $(tail -c 200 "$log")"
	else
		OK=1 DETAIL=$line
	fi
}

# gone DOM SECS: wait up to SECS for the domain to disappear by itself
gone() {
	local i=0
	while [ $i -lt "$2" ] && xl domid "$1" >/dev/null 2>&1; do sleep 1; i=$((i + 1)); done
	! xl domid "$1" >/dev/null 2>&1
}

destroy() { # DOM
	xl destroy "$1" </dev/null >/dev/null 2>&1
	gone "$1" 20
}

run_case() { # NAME IMAGE MODE EXPECT BL
	name=$1 img=$2 mode=$3 expect=$4 bl=$5
	dom=t-$name-$bl
	start=$(date +%s)
	set -- $(grep "^$img " "$T/layout")
	loop=$(losetup -f --show -o "$2" --sizelimit "$3" "$DISK" </dev/null) || {
		report "$name" "$bl" FAIL "$start" "losetup of $img at $2 in $DISK failed"
		return
	}
	case $mode in
	fail)
		cfg=/tmp/$dom.cfg
		write_cfg "$dom" "$loop" "$mode" "$bl" >"$cfg"
		out=/tmp/$dom.xl
		timeout 240 xl -vvv create "$cfg" </dev/null >"$out" 2>&1
		rc=$?
		echo "XENTEST log case=$name bootloader=$bl xl-create-rc=$rc"
		if [ $rc -eq 0 ]; then
			report "$name" "$bl" FAIL "$start" "xl create succeeded, expected a failure carrying '$expect'"
		elif bl_reason "$out" | grep -qF "$expect"; then
			report "$name" "$bl" PASS "$start" "xl create failed (rc $rc): $(bl_reason "$out" | grep -F "$expect" | head -n1)"
		else
			report "$name" "$bl" FAIL "$start" "xl create failed (rc $rc) without '$expect': $(why "$out")"
		fi
		destroy "$dom"
		;;
	twice*)
		# The guest disk must be writable here, as a host's would be:
		# the loop device is read-write (pvboot opens it O_RDWR).
		if [ "$(blockdev --getro "$loop" 2>/dev/null)" != 0 ]; then
			report "$name" "$bl" FAIL "$start" "$loop is read-only in dom0"
		else
			n=0 res=PASS det=
			for want in $(printf '%s\n' "$expect" | tr ' ,' '+ '); do
				n=$((n + 1))
				boot_one "$dom-$n" "$loop" "$mode" "$bl" "$(printf '%s' "$want" | tr + ' ')"
				# the guest's /init powers it off: on_poweroff
				# destroys the domain; the next boot starts after
				if [ "$OK" = 1 ] && ! gone "$dom-$n" 60; then
					OK=0 DETAIL="the guest did not power off: $DETAIL"
				fi
				destroy "$dom-$n"
				if [ "$OK" != 1 ]; then
					res=FAIL det="boot $n: $DETAIL"
					break
				fi
				det="$det boot $n: $(printf '%s\n' "$DETAIL" | markers);"
			done
			report "$name" "$bl" "$res" "$start" "${det# }"
		fi
		;;
	*)
		boot_one "$dom" "$loop" "$mode" "$bl" "$expect"
		if [ "$OK" = 1 ]; then
			report "$name" "$bl" PASS "$start" "$DETAIL"
		else
			report "$name" "$bl" FAIL "$start" "$DETAIL"
		fi
		destroy "$dom"
		;;
	esac
	losetup -d "$loop" 2>/dev/null
}

grep -q '^pvbootuser:' /etc/passwd ||
	echo 'pvbootuser:x:990:990:pvboot restricted runs:/nonexistent:/usr/sbin/nologin' >>/etc/passwd
grep -q '^pvbootuser:' /etc/group || echo 'pvbootuser:x:990:' >>/etc/group
# libxl's restricted mode without bootloader_user: uid = this user's + domid
grep -q '^xen-qemuuser-range-base:' /etc/passwd ||
	echo 'xen-qemuuser-range-base:x:131072:131072:Xen bootloader uid range:/nonexistent:/usr/sbin/nologin' >>/etc/passwd

# the network boot case's install tree, on loopback only
if [ -d "$T/www" ] && [ -x "$T/busybox" ]; then
	"$T/busybox" ip link set lo up 2>/dev/null || "$T/busybox" ifconfig lo 127.0.0.1 up
	"$T/busybox" httpd -p 127.0.0.1:8080 -h "$T/www" ||
		echo "XENTEST warn busybox httpd did not start"
fi

# The guest disks come in one virtio disk, one after another; $T/layout
# says where: "IMAGE OFFSET SIZE" (bytes).  Each gets a loop device over
# its range, as a host would give a guest an image file or a volume.
DISK=/dev/vda
i=0
while [ $i -lt 30 ] && [ ! -b $DISK ]; do sleep 1; i=$((i + 1)); done
[ -b $DISK ] || echo "XENTEST warn no $DISK: the guest disks are missing"

for bl in $(cat "$T/bootloaders"); do
	while IFS='|' read -r name img mode expect note; do
		[ -n "$name" ] || continue
		run_case "$name" "$img" "$mode" "$expect" "$bl"
	done <"$T/cases"
done
