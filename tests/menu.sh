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

. "$(dirname "$0")/counts.sh" menu

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
sed -e 's/set default=1/set default="3>0"/' "$W/forever.root/boot/grub/grub.cfg" | mkimg subdef
# timeout 0 and a hidden menu: boot the default at once
sed -e 's/set timeout=3/set timeout=0/' "$W/plain.root/boot/grub/grub.cfg" | mkimg zero
sed -e 's/set timeout=3/set timeout=2\nset timeout_style=hidden/' \
	"$W/plain.root/boot/grub/grub.cfg" | mkimg hidden
sed -e 's/set timeout=3/set timeout=30\nset timeout_style=hidden/' \
	"$W/plain.root/boot/grub/grub.cfg" | mkimg hiddenkey
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
# start NAME IMAGE [VAR=VALUE...]: pvboot in a fresh 80x25 session (SIZE_X
# and SIZE_Y set another), as libxl
# runs it (clean environment, TERM=vt100).  The shell stays after pvboot
# exits so the screen can still be read.
start() {
	local name=$1 img=$2
	shift 2
	mkdir -p "$W/$name.d"
	rm -f "$W/$name.out" "$W/$name.rc"
	"${TM[@]}" new-session -d -s "$name" -x "${SIZE_X:-80}" -y "${SIZE_Y:-25}" \
		"env -i PATH=/usr/bin:/bin TERM=vt100 $* '$PVBOOT' ${EXTRA:-} --output='$W/$name.out' --output-format=simple0 --output-directory='$W/$name.d' '$img' 2>'$W/$name.err'; echo \$? >'$W/$name.rc'; sleep 600"
}
# start_hup NAME IMAGE: as start, but the shell outlives a hangup of the
# pane (its trap catches SIGHUP; pvboot gets it with the default action)
# so pvboot's status is still written once the terminal is gone.
start_hup() {
	local name=$1 img=$2
	mkdir -p "$W/$name.d"
	rm -f "$W/$name.out" "$W/$name.rc"
	"${TM[@]}" new-session -d -s "$name" -x 80 -y 25 \
		"bash -c \"trap 'echo hup >>$W/$name.hup' HUP; env -i PATH=/usr/bin:/bin TERM=vt100 '$PVBOOT' --output='$W/$name.out' --output-format=simple0 --output-directory='$W/$name.d' '$img' 2>'$W/$name.err'; echo \\\$? >'$W/$name.rc'\""
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
	kfile=$(simple0_field "$W/$name.out" kernel)
	got=$(simple0_field "$W/$name.out" args)
	if [ "$(cat "$kfile" 2>/dev/null)" != "kernel $want" ] ||
		[ "$(sha256sum <"$kfile" 2>/dev/null)" != "$(printf 'kernel %s\n' "$want" | sha256sum)" ]; then
		bad "$name: booted $(cat "$kfile" 2>/dev/null || echo nothing), wanted kernel $want"
	elif [ "$got" != "$args" ]; then
		bad "$name: args '$got', wanted '$args'"
	else
		ok "$name: boots kernel $want with '$args'"
	fi
}
stop() { "${TM[@]}" kill-session -t "$1" 2>/dev/null; }

# --- 1. Debian image: the menu, Down Enter (into the submenu) Down Enter ----
start debian "$DEBIAN"
if wait_for debian "Will boot selected entry in"; then
	s=$(screen debian)
	for t in "Debian GNU/Linux" \
		"Advanced options for Debian GNU/Linux >" \
		"keys to select which entry is highlighted." \
		"Press enter to boot the selected OS"; do
		if grep -qF -- "$t" <<<"$s"; then ok "debian: shows '$t'"
		else bad "debian: no '$t' on screen"; fi
	done
	if grep -qF -- "+---------" <<<"$s" && ! grep -qF "lqqq" <<<"$s"; then
		ok "debian: the box is ASCII without a UTF-8 locale (no ACS reliance)"
	else
		bad "debian: box: $(sed -n 3p <<<"$s")"
	fi
	if grep -qE 'Will boot selected entry in  ?[1-5] seconds' <<<"$s"; then
		ok "debian: countdown from the config's timeout (5 s)"
	else
		bad "debian: countdown line: $(grep -F 'Will boot' <<<"$s")"
	fi
	keys debian Down
	if screen debian | grep -qF "Will boot selected entry"; then
		bad "debian: a key did not stop the countdown"
	else
		ok "debian: a key stops the countdown"
	fi
	keys debian Enter # opens Advanced options
	if wait_for debian "(recovery mode)" 3; then
		ok "debian: the Advanced options submenu opens"
	else
		bad "debian: no submenu: $(screen debian | tr -s ' \n' ' ' | head -c 300)"
	fi
	keys debian Down
	keys debian Enter
	if wait_done debian; then
		args=$(simple0_field "$W/debian.out" args)
		if [ "$(cat "$W/debian.rc")" = 0 ] && [[ $args == *" ro single" ]]; then
			ok "debian: Down Enter Down Enter boots the recovery entry ($args)"
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

# submenus are real: the top shows More as one row; Enter opens it, Esc
# returns to it
start sub "$W/plain.img"
wait_for sub "More >"
if screen sub | grep -qF "Gamma"; then bad "sub: Gamma shown outside its submenu"
else ok "sub: the submenu's entries are not on the top level"; fi
keys sub Down
keys sub Down
keys sub Down # stops at the last row
keys sub Enter
if wait_for sub "Gamma" 3 && screen sub | grep -qF "pvboot: More" &&
	! screen sub | grep -qF "Alpha"; then
	ok "sub: Enter opens the submenu, its path shown"
else
	bad "sub: no submenu: $(screen sub | tr -s ' \n' ' ' | head -c 300)"
fi
keys sub Escape
if wait_for sub "Alpha" 3 && ! screen sub | grep -qF "Gamma"; then
	ok "sub: Esc returns to the top level"
else
	bad "sub: Esc did not return: $(screen sub | tr -s ' \n' ' ' | head -c 300)"
fi
keys sub Enter # More is still highlighted
wait_for sub "Gamma" 3
keys sub Enter
wait_done sub 5 && booted sub c "root=/dev/xvda1 gamma" ||
	bad "sub: Enter Esc Enter Enter did not boot"
stop sub

# a default inside a submenu opens there, preselected, path shown
start subdef "$W/subdef.img"
if wait_for subdef "Gamma" 5 && screen subdef | grep -qF "pvboot: More"; then
	ok "subdef: the menu opens in the default's submenu"
else
	bad "subdef: $(screen subdef | tr -s ' \n' ' ' | head -c 300)"
fi
keys subdef Enter
wait_done subdef 5 && booted subdef c "root=/dev/xvda1 gamma" ||
	bad "subdef: Enter did not boot the preselected entry"
stop subdef
# --entry keeps the flattened numbering: 3 is Gamma
mkdir -p "$W/flat.d"
if "$PVBOOT" -q --entry=3 --output="$W/flat.out" --output-format=simple0 \
	--output-directory="$W/flat.d" "$W/plain.img" </dev/null >/dev/null \
	2>"$W/flat.err"; then
	echo 0 >"$W/flat.rc"
	booted flat c "root=/dev/xvda1 gamma"
else
	bad "flat: --entry=3: $(cat "$W/flat.err")"
fi

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
keys notpv Enter # opens More
wait_for notpv "Gamma" 3
keys notpv Enter
wait_done notpv 5 && booted notpv c "root=/dev/xvda1 gamma" ||
	bad "notpv: moving on to Gamma did not boot"
stop notpv

# --- 3b. keys in normal mode (ESC [ A) as well as application mode -------
# tmux sends Up as ESC O A after pvboot's keypad-transmit; serial relays
# and web consoles send ESC [ A.  Both, and ^P/^N, must move.
for mode in 'normal:\033[A' 'app:\033OA' 'ctrl:\020'; do
	name=key${mode%%:*}
	start "$name" "$W/forever.img"
	wait_for "$name" "Beta"
	"${TM[@]}" send-keys -t "$name" -l "$(printf "${mode#*:}")"
	sleep 0.3
	keys "$name" Enter
	wait_done "$name" 5 && booted "$name" a "root=/dev/xvda1 alpha" ||
		bad "$name: ${mode#*:} then Enter did not boot"
	stop "$name"
done
start keyend "$W/forever.img"
wait_for keyend "Beta"
"${TM[@]}" send-keys -t keyend -l "$(printf '\033[4~')" # End, vt220 style
sleep 0.3
"${TM[@]}" send-keys -t keyend -l "$(printf '\033[1~\016')" # Home, ^N
sleep 0.3
keys keyend Enter
wait_done keyend 5 && booted keyend b "root=/dev/xvda1 beta" ||
	bad "keyend: End Home ^N Enter did not boot"
stop keyend

# --- 3c. 'a' edits the kernel arguments; the worker re-reads them as GRUB --
# would split a linux line: the quotes go, the quoted word stays one word
# (GRUB puts it back in double quotes), $foo expands to nothing.
start edita "$W/forever.img"
wait_for edita "Beta"
keys edita Up
keys edita a
if wait_for edita "grub append>" 3; then
	ok "edita: 'a' opens the argument editor"
else
	bad "edita: no editor: $(screen edita | tr -s ' \n' ' ' | head -c 300)"
fi
# ^A, ^K: cut everything; type new args; Left, Backspace
keys edita C-a C-k
"${TM[@]}" send-keys -t edita -l 'root=/dev/xvda2 single "a b" $foo x1'
sleep 0.3
keys edita Left BSpace # "x1" -> "1"
keys edita Enter
wait_done edita 5 && booted edita a 'root=/dev/xvda2 single "a b" 1' ||
	bad "edita: 'a' then Enter did not boot"
stop edita
# Esc leaves the editor: the menu is back, the entry unchanged
start edite "$W/forever.img"
wait_for edite "Beta"
keys edite a
wait_for edite "grub append>" 3
"${TM[@]}" send-keys -t edite -l ' ignored'
keys edite Escape
sleep 0.5
if wait_for edite "Press enter" 3; then ok "edite: Esc goes back to the menu"
else bad "edite: Esc did not go back to the menu"; fi
keys edite Enter
wait_done edite 5 && booted edite b "root=/dev/xvda1 beta" ||
	bad "edite: Esc then Enter did not boot"
stop edite

# --- 3d. 'e' edits the entry's lines, 'b' boots them; 'c' boots typed
# commands.  The worker parses them as GRUB would and finds the files in
# the guest's filesystem.
start edit "$W/forever.img"
wait_for edit "Beta"
keys edit Up
keys edit e
if wait_for edit "initrd /boot/initrd-a" 3 &&
	screen edit | grep -qF "linux /boot/vmlinuz-a root=/dev/xvda1 alpha"; then
	ok "edit: 'e' shows the entry's linux and initrd lines"
else
	bad "edit: lines not shown: $(screen edit | tr -s ' \n' ' ' | head -c 300)"
fi
keys edit Down d       # the initrd line goes
keys edit O            # a new line before the linux line ...
"${TM[@]}" send-keys -t edit -l 'set x=from-e'
keys edit Enter
keys edit Down e       # ... and the linux line edited
keys edit C-a C-k
"${TM[@]}" send-keys -t edit -l "linux /boot/vmlinuz-c root=/dev/xvda3 'x y' \$x"
keys edit Enter
keys edit b
wait_done edit 5 && booted edit c 'root=/dev/xvda3 "x y" from-e' ||
	bad "edit: 'e' ... 'b' did not boot"
if tr '\0' '\n' <"$W/edit.out" | grep -q '^ramdisk'; then
	bad "edit: the deleted initrd line still loaded a ramdisk"
else
	ok "edit: the deleted initrd line loads no ramdisk"
fi
stop edit

start cmd "$W/forever.img"
wait_for cmd "Beta"
keys cmd c
wait_for cmd "grub>" 3
"${TM[@]}" send-keys -t cmd -l 'kernel /boot/vmlinuz-b root=/dev/xvda9 from-c'
keys cmd Enter
"${TM[@]}" send-keys -t cmd -l 'boot'
keys cmd Enter
wait_done cmd 5 && booted cmd b "root=/dev/xvda9 from-c" ||
	bad "cmd: 'c' kernel ... boot did not boot"
stop cmd

# a typed path is looked up in the guest's filesystem: none, no boot
start cmdbad "$W/forever.img"
wait_for cmdbad "Beta"
keys cmdbad c
wait_for cmdbad "grub>" 3
"${TM[@]}" send-keys -t cmdbad -l 'linux /boot/../../etc/nothing ro'
keys cmdbad Enter
"${TM[@]}" send-keys -t cmdbad -l 'boot'
keys cmdbad Enter
if wait_done cmdbad 5 && [ "$(cat "$W/cmdbad.rc")" != 0 ] &&
	[ ! -s "$W/cmdbad.out" ] && [ "$(wc -l <"$W/cmdbad.err")" -le 2 ]; then
	ok "cmdbad: a missing typed kernel fails cleanly ($(head -c 120 "$W/cmdbad.err"))"
else
	bad "cmdbad: status $(cat "$W/cmdbad.rc" 2>/dev/null), $(head -c 300 "$W/cmdbad.err")"
fi
stop cmdbad

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

# --- 4b. nobody at the console: timeout -1 waits at most the cap --------
start waitcap "$W/forever.img" PVBOOT_MENU_WAIT_CAP=2
wait_for waitcap "Beta"
if wait_done waitcap 8; then
	booted waitcap b "root=/dev/xvda1 beta"
	if screen waitcap | grep -qF "no key for 2 s: booting the default entry"; then
		ok "waitcap: says on the console why it booted"
	else
		bad "waitcap: no notice: $(screen waitcap | tr -s ' \n' ' ' | tail -c 200)"
	fi
else
	bad "waitcap: still waiting past a 2 s cap"
fi
stop waitcap

# --- 4c. the terminal goes away mid-menu ----------------------------------
# with a countdown running: the default boots when it ends
start_hup hupcount "$W/plain.img"
wait_for hupcount "Will boot selected entry"
"${TM[@]}" kill-session -t hupcount
if wait_done hupcount 10; then
	booted hupcount b "root=/dev/xvda1 beta"
else
	bad "hupcount: pvboot did not finish after the terminal went away"
fi
# waiting for a key: fails with one line, nothing written
start_hup hupwait "$W/forever.img"
wait_for hupwait "Beta"
sleep 0.3
"${TM[@]}" kill-session -t hupwait
if wait_done hupwait 10 && [ "$(cat "$W/hupwait.rc")" != 0 ] &&
	[ ! -s "$W/hupwait.out" ] && [ "$(wc -l <"$W/hupwait.err")" = 1 ] &&
	grep -qF "console went away" "$W/hupwait.err"; then
	ok "hupwait: fails cleanly ($(cat "$W/hupwait.err"))"
else
	bad "hupwait: status $(cat "$W/hupwait.rc" 2>/dev/null), $(head -c 300 "$W/hupwait.err" 2>/dev/null)"
fi

# --- 5. a hidden menu shows itself on a key; timeout 0, a hidden menu that
# times out, -q, no terminal: the default with no menu drawn ---------------
start hiddenkey "$W/hiddenkey.img"
sleep 1
if screen hiddenkey | grep -qF "Beta"; then bad "hiddenkey: drew the menu before a key"
else ok "hiddenkey: nothing drawn while the hidden timeout runs"; fi
keys hiddenkey Escape
if wait_for hiddenkey "Beta" 3 && ! screen hiddenkey | grep -qF "Will boot"; then
	ok "hiddenkey: a key shows the menu, no countdown"
else
	bad "hiddenkey: no menu after a key: $(screen hiddenkey | tr -s ' \n' ' ' | head -c 200)"
fi
keys hiddenkey Up
keys hiddenkey Enter
wait_done hiddenkey 5 && booted hiddenkey a "root=/dev/xvda1 alpha" ||
	bad "hiddenkey: Up Enter did not boot"
stop hiddenkey
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
# -n never starts curses, even on a terminal with a menu that waits
EXTRA=-n start notreally "$W/forever.img"
if wait_done notreally 5; then
	if screen notreally | grep -qF "Press enter"; then
		bad "notreally: -n drew a menu"
	elif [ "$(cat "$W/notreally.rc")" = 0 ]; then
		ok "notreally: -n runs without a menu"
	else
		bad "notreally: -n failed: $(cat "$W/notreally.err")"
	fi
else
	bad "notreally: -n waited for a key"
fi
stop notreally
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
	if grep -qF "┌────" <<<"$s"; then
		ok "evil: Unicode box in a UTF-8 locale"
	else
		bad "evil: box: $(sed -n 3p <<<"$s")"
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

# --- 7. menu passwords; 8. resizes and small terminals --------------------
. "$here/menu_pw.sh"
. "$here/menu_resize.sh"

finish
