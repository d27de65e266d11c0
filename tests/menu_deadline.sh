#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The supervisor's deadline around the interactive menu
# (bootloader/privileged/menu_watch.h): a config that waits for a key
# (timeout -1), shown on a terminal that never types, must not keep pvboot
# alive.  The test build shortens the grace to 2 s (PVBOOT_TEST_MENU_GRACE);
# the real tui draws the menu in a detached tmux (own socket); then the
# default must boot, with the debug line that says the deadline ended it.
# The wait is polled with a generous bound, not timed.
set -uo pipefail
. "$(dirname "$0")/counts.sh" menu_deadline
BUILD=${BUILD:-build}
PVT=$(cd "$(dirname "$BUILD/pvboot-test")" && pwd)/pvboot-test
if ! command -v tmux >/dev/null; then
	skip "menu-deadline: tmux is not installed (apt-get install tmux)"
	finish
fi
if [ ! -x "$PVT" ]; then bad "menu-deadline: $PVT is missing (make test-build)"; finish; fi
W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-mdl.XXXXXX")
TM=(tmux -S "$W/tmux.sock")
trap '"${TM[@]}" kill-server 2>/dev/null; rm -rf "$W"' EXIT

mkdir -p "$W/root/boot/grub" "$W/out"
printf 'kernel a\n' >"$W/root/boot/vmlinuz-a"
printf 'kernel b\n' >"$W/root/boot/vmlinuz-b"
cat >"$W/root/boot/grub/grub.cfg" <<'CFG'
set default=1
set timeout=-1
menuentry "A" { linux /boot/vmlinuz-a first }
menuentry "B" { linux /boot/vmlinuz-b second }
CFG
if ! mke2fs -q -F -t ext4 -b 1024 -d "$W/root" "$W/disk.img" 8M >/dev/null 2>&1; then
	bad "menu-deadline: mke2fs failed"; finish
fi

"${TM[@]}" new-session -d -x 80 -y 25 \
	"TERM=vt100 PVBOOT_TEST_MENU_GRACE=2 '$PVT' --debug --output='$W/result' --output-directory='$W/out' '$W/disk.img' 2>'$W/err'; echo \$? >'$W/rc'; sleep 60"
# generous bound: without the deadline it would wait for a key forever
for i in $(seq 600); do [ -s "$W/rc" ] && break; sleep 0.1; done
if [ ! -s "$W/rc" ]; then
	bad "menu-deadline: pvboot still waits for a key after 60 s"
elif [ "$(cat "$W/rc")" != 0 ]; then
	bad "menu-deadline: exit $(cat "$W/rc"): $(grep -v debug "$W/err" | head -3)"
elif ! grep -q 'menu: no choice before the deadline' "$W/err"; then
	bad "menu-deadline: ended without the deadline: $(tail -3 "$W/err")"
elif ! grep -q "args 'second'" "$W/result" ||
     [ "$(cat "$(sed -n "s/.*kernel '\([^']*\)'.*/\1/p" "$W/result")")" != "kernel b" ]; then
	bad "menu-deadline: not the default entry: $(cat "$W/result")"
else
	ok "menu-deadline (a silent terminal boots the default)"
fi
finish
