#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/menu.sh: the interactive menu end to end.  pvboot runs as libxl runs
# it (no -q, TERM=vt100, a terminal on stdin/stdout) inside a detached tmux
# session of 80x25; the script reads the screen with capture-pane, types
# with send-keys, and checks the output file names the chosen entry's
# kernel (by its bytes) and args.  Uses its own tmux server socket, so it
# never touches anybody's sessions.
#
# Environment: BUILD (default build), PVBOOT (default $BUILD/pvboot),
# IMAGES (a tests/images/build.sh output dir holding mbr-ext4.img; default
# $BUILD/images, else mbr-ext4 is built in a temp dir).
# Prints one line per check and ends with "menu: N passed, M failed, K
# skipped" (tests/counts.sh).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
PVBOOT=${PVBOOT:-$BUILD/pvboot}
IMAGES=${IMAGES:-$BUILD/images}
export PATH="$PATH:/usr/sbin:/sbin"

. "$(dirname "$0")/counts.sh"
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$*"; }
bad() { FAIL=$((FAIL + 1)); printf 'FAIL %s\n' "$*"; }
finish() {
	counts_report menu "$PASS" "$FAIL" 0
	[ "$FAIL" = 0 ]
	exit
}

if ! command -v tmux >/dev/null; then
	echo "menu.sh: skipped: tmux is not installed (apt-get install tmux)"
	counts_report menu 0 0 1
	exit 0
fi
case $PVBOOT in /*) ;; *) PVBOOT=$PWD/$PVBOOT ;; esac
if [ ! -x "$PVBOOT" ]; then
	bad "pvboot binary: $PVBOOT is missing or not executable"
	finish
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-menu.XXXXXX")
TM=(tmux -S "$W/tmux.sock")
trap '"${TM[@]}" kill-server 2>/dev/null; rm -rf "$W"' EXIT

# --- images --------------------------------------------------------------
if [ -f "$IMAGES/mbr-ext4.img" ]; then
	DEBIAN=$(cd "$IMAGES" && pwd)/mbr-ext4.img
else
	"$here/images/build.sh" "$W/images" mbr-ext4 >/dev/null 2>&1 ||
		{ bad "tests/images/build.sh mbr-ext4 failed"; finish; }
	DEBIAN=$W/images/mbr-ext4.img
fi

# mkimg NAME: a whole-disk ext4 with /boot/grub/grub.cfg from stdin and
# kernels vmlinuz-{a,b,c} whose bytes say which they are.
mkimg() {
	local d=$W/$1.root
	mkdir -p "$d/boot/grub"
	for k in a b c; do printf 'kernel %s\n' $k >"$d/boot/vmlinuz-$k"; done
	printf 'initrd a\n' >"$d/boot/initrd-a"
	cat >"$d/boot/grub/grub.cfg"
	mke2fs -q -F -t ext4 -d "$d" "$W/$1.img" 8M >/dev/null 2>&1 ||
		{ bad "mke2fs for $1 failed"; finish; }
}

# three entries and a submenu, default Beta, 3 s
mkimg plain <<'EOF'
set default=1
set timeout=3
menuentry 'Alpha' {
	linux /boot/vmlinuz-a root=/dev/xvda1 alpha
	initrd /boot/initrd-a
}
menuentry 'Beta' {
	linux /boot/vmlinuz-b root=/dev/xvda1 beta
}
menuentry 'Xen hypervisor' {
	multiboot /boot/xen.gz
	module /boot/vmlinuz-a
}
submenu 'More' {
	menuentry 'Gamma' {
		linux /boot/vmlinuz-c root=/dev/xvda1 gamma
	}
}
EOF
# no timeout: waits for a key
sed -e '/set timeout/d' "$W/plain.root/boot/grub/grub.cfg" | mkimg forever
# timeout 0 and a hidden menu: boot the default at once
sed -e 's/set timeout=3/set timeout=0/' "$W/plain.root/boot/grub/grub.cfg" | mkimg zero
sed -e 's/set timeout=3/set timeout=30\nset timeout_style=hidden/' \
	"$W/plain.root/boot/grub/grub.cfg" | mkimg hidden
# hostile titles: clear screen, OSC window title, C1 CSI, bidi override,
# and a harmless accented letter that a UTF-8 terminal may show as is
{
	printf 'set default=0\nset timeout=-1\n'
	printf "menuentry 'Evil\033[2J\033[31mRED\033]0;pwned\007one' {\n"
	printf '\tlinux /boot/vmlinuz-a root=/dev/xvda1 evil\n}\n'
	printf "menuentry 'Caf\303\251 \342\200\256desrever\302\2332J' {\n"
	printf '\tlinux /boot/vmlinuz-b root=/dev/xvda1 second\n}\n'
} | mkimg evil

# --- driving tmux --------------------------------------------------------
# start NAME IMAGE [VAR=VALUE...]: pvboot in a fresh 80x25 session, as libxl
# runs it (clean environment, TERM=vt100).  The shell stays after pvboot
# exits so the screen can still be read.
start() {
	local name=$1 img=$2
	shift 2
	mkdir -p "$W/$name.d"
	rm -f "$W/$name.out" "$W/$name.rc"
	"${TM[@]}" new-session -d -s "$name" -x 80 -y 25 \
		"env -i PATH=/usr/bin:/bin TERM=vt100 $* '$PVBOOT' --output='$W/$name.out' --output-format=simple0 --output-directory='$W/$name.d' '$img' 2>'$W/$name.err'; echo \$? >'$W/$name.rc'; sleep 600"
}
screen() { "${TM[@]}" capture-pane -p -t "$1"; }
keys() { "${TM[@]}" send-keys -t "$@"; sleep 0.3; }
# wait_for NAME TEXT [SECONDS]: until the screen shows TEXT
wait_for() {
	local i
	for ((i = 0; i < ${3:-10} * 10; i++)); do
		screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}
# wait_done NAME [SECONDS]: until pvboot has exited
wait_done() {
	local i
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		[ -s "$W/$1.rc" ] && return 0
		sleep 0.1
	done
	return 1
}
# booted NAME KERNEL ARGS: pvboot exited 0, its output names a kernel
# file holding "kernel KERNEL", and args ARGS
booted() {
	local name=$1 want=$2 args=$3 rc kfile got
	rc=$(cat "$W/$name.rc" 2>/dev/null)
	if [ "$rc" != 0 ]; then
		bad "$name: exit status ${rc:-none}: $(head -c 300 "$W/$name.err" 2>/dev/null)"
		return
	fi
	kfile=$(tr '\0' '\n' <"$W/$name.out" | sed -n 's/^kernel //p')
	got=$(tr '\0' '\n' <"$W/$name.out" | sed -n 's/^args //p')
	if [ "$(cat "$kfile" 2>/dev/null)" != "kernel $want" ]; then
		bad "$name: booted $(cat "$kfile" 2>/dev/null || echo nothing), wanted kernel $want"
	elif [ "$got" != "$args" ]; then
		bad "$name: args '$got', wanted '$args'"
	else
		ok "$name: boots kernel $want with '$args'"
	fi
}
stop() { "${TM[@]}" kill-session -t "$1" 2>/dev/null; }

# --- 1. Debian image: the menu as pygrub draws it, Down Down Enter ---------
start debian "$DEBIAN"
if wait_for debian "Will boot selected entry in"; then
	s=$(screen debian)
	for t in "Debian GNU/Linux" \
		"Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)" \
		"keys to select which entry is highlighted." \
		"Press enter to boot the selected OS."; do
		if grep -qF -- "$t" <<<"$s"; then ok "debian: shows '$t'"
		else bad "debian: no '$t' on screen"; fi
	done
	if grep -qE 'Will boot selected entry in  ?[1-5] seconds' <<<"$s"; then
		ok "debian: countdown from the config's timeout (5 s)"
	else
		bad "debian: countdown line: $(grep -F 'Will boot' <<<"$s")"
	fi
	keys debian Down
	keys debian Down
	if screen debian | grep -qF "Will boot selected entry"; then
		bad "debian: a key did not stop the countdown"
	else
		ok "debian: a key stops the countdown"
	fi
	keys debian Enter
	if wait_done debian; then
		args=$(tr '\0' '\n' <"$W/debian.out" | sed -n 's/^args //p')
		if [ "$(cat "$W/debian.rc")" = 0 ] && [[ $args == *" ro single" ]]; then
			ok "debian: Down Down Enter boots the recovery entry ($args)"
		else
			bad "debian: status $(cat "$W/debian.rc"), args '$args': $(cat "$W/debian.err")"
		fi
	else
		bad "debian: pvboot did not exit after Enter"
	fi
else
	bad "debian: no menu with a countdown: $(screen debian | tr -s ' \n' ' ' | head -c 300)"
fi
stop debian

# --- 2. the countdown expires: the default boots ---------------------------
start expire "$W/plain.img"
if wait_for expire "Will boot selected entry in  3 seconds" 5; then
	ok "expire: countdown starts at 3"
else
	bad "expire: no 3-second countdown: $(screen expire | grep -F 'Will boot')"
fi
if wait_done expire 8; then booted expire b "root=/dev/xvda1 beta"
else bad "expire: still running after the timeout"; fi
stop expire

# --- 3. Up from the default, a submenu entry, an entry that cannot boot ----
start pick "$W/plain.img"
wait_for pick "Beta"
keys pick Up
keys pick Enter
wait_done pick 5 && booted pick a "root=/dev/xvda1 alpha" ||
	bad "pick: Up Enter did not boot"
stop pick

start sub "$W/plain.img"
wait_for sub "Gamma"
keys sub Down
keys sub Down
keys sub Down # stops at the last entry
keys sub Enter
wait_done sub 5 && booted sub c "root=/dev/xvda1 gamma" ||
	bad "sub: Down Down Down Enter did not boot"
stop sub

start notpv "$W/plain.img"
wait_for notpv "Xen hypervisor"
keys notpv Down
keys notpv Enter
if wait_for notpv "cannot be booted here" 3 && [ ! -s "$W/notpv.rc" ]; then
	ok "notpv: Enter on a multiboot entry explains and stays in the menu"
else
	bad "notpv: no refusal on screen: $(screen notpv | tr -s ' \n' ' ' | head -c 300)"
fi
keys notpv Down
keys notpv Enter
wait_done notpv 5 && booted notpv c "root=/dev/xvda1 gamma" ||
	bad "notpv: moving on to Gamma did not boot"
stop notpv

# --- 4. no timeout: waits for a key, longer than the worker's deadline -----
start forever "$W/forever.img" PVBOOT_WORKER_TIMEOUT=2
wait_for forever "Beta"
sleep 3.5
if [ -s "$W/forever.rc" ]; then
	bad "forever: exited without a key: $(cat "$W/forever.err")"
elif screen forever | grep -qF "Will boot"; then
	bad "forever: shows a countdown without a timeout"
else
	ok "forever: waits for a key (past a 2 s worker deadline), no countdown"
fi
keys forever Enter
wait_done forever 5 && booted forever b "root=/dev/xvda1 beta" ||
	bad "forever: Enter did not boot"
stop forever

# --- 5. timeout 0, hidden menu, -q, no terminal: the default at once --------
for name in zero hidden; do
	start "$name" "$W/$name.img"
	if wait_done "$name" 5; then
		if screen "$name" | grep -qF "Press enter"; then
			bad "$name: drew a menu"
		else
			booted "$name" b "root=/dev/xvda1 beta"
		fi
	else
		bad "$name: waited instead of booting the default"
	fi
	stop "$name"
done
mkdir -p "$W/quiet.d"
if TERM=vt100 "$PVBOOT" --output="$W/quiet.out" --output-format=simple0 \
	--output-directory="$W/quiet.d" "$W/plain.img" </dev/null >/dev/null \
	2>"$W/quiet.err"; then
	echo 0 >"$W/quiet.rc"
	booted quiet b "root=/dev/xvda1 beta"
else
	bad "quiet: stdin not a terminal: status $?: $(cat "$W/quiet.err")"
fi

# --- 6. hostile titles are shown escaped, nothing reaches the terminal -----
start evil "$W/evil.img" LANG=C.UTF-8
if wait_for evil "Evil"; then
	s=$(screen evil)
	if grep -qF 'Evil\x1b[2J\x1b[31mRED\x1b]0;pwned\x07one' <<<"$s"; then
		ok "evil: escape sequences shown as text"
	else
		bad "evil: title line: $(grep -F Evil <<<"$s")"
	fi
	if grep -qF 'Café \xe2\x80\xaedesrever\xc2\x9b2J' <<<"$s"; then
		ok "evil: bidi override and C1 CSI escaped, é shown in a UTF-8 locale"
	else
		bad "evil: second title: $(grep -F Caf <<<"$s")"
	fi
	if grep -qF "Use the" <<<"$s" && grep -qF "Press enter" <<<"$s"; then
		ok "evil: the screen was not cleared"
	else
		bad "evil: help text gone"
	fi
	title=$("${TM[@]}" display-message -p -t evil '#{pane_title}')
	if [[ $title == *pwned* ]]; then bad "evil: OSC set the pane title to '$title'"
	else ok "evil: pane title untouched"; fi
	# with attributes: only SGR sequences (reverse video), no colour 31
	esc=$("${TM[@]}" capture-pane -p -e -t evil | grep -o $'\033[^a-zA-Z]*[a-zA-Z]' |
		sort -u | tr '\n' ' ' | cat -v)
	if ! "${TM[@]}" capture-pane -p -e -t evil | grep -o $'\033[^a-zA-Z]*[a-zA-Z]' |
		grep -qvE $'^\033\\[(0|7|27|39|49|0;7)?m$'; then
		ok "evil: capture-pane -e shows only reverse video ($esc)"
	else
		bad "evil: unexpected sequences in the pane: $esc"
	fi
	keys evil Enter
	wait_done evil 5 && booted evil a "root=/dev/xvda1 evil" ||
		bad "evil: Enter did not boot"
else
	bad "evil: no menu: $(screen evil | tr -s ' \n' ' ' | head -c 300)"
fi
stop evil

finish
