# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# tests/menu_resize.sh: the menu on a terminal that changes size or is
# smaller than 80x24 (issue 16), sourced by tests/menu.sh (its helpers).
# No crash, the keys still work, the chosen entry boots with its args.

# resized mid-menu: 80x25 -> 40x10 -> 20x5 -> 100x30, then Up Enter
start resize "$W/forever.img"
wait_for resize "Beta" 5
for sz in 40x10 20x5 100x30; do
	"${TM[@]}" resize-window -t resize -x "${sz%x*}" -y "${sz#*x}"
	sleep 0.5
	if [ -s "$W/resize.rc" ]; then
		bad "resize: pvboot exited at $sz: $(cat "$W/resize.rc") $(head -c 200 "$W/resize.err")"
		break
	fi
done
if [ ! -s "$W/resize.rc" ] && screen resize | grep -qF "Beta"; then
	ok "resize: still running and drawn after 40x10, 20x5, 100x30"
else
	bad "resize: $(screen resize | tr -s ' \n' ' ' | head -c 300)"
fi
"${TM[@]}" resize-window -t resize -x 40 -y 10
sleep 0.5
keys resize Up Enter
wait_done resize 5 && booted resize a "root=/dev/xvda1 alpha" ||
	bad "resize: Up Enter after the resizes did not boot"
stop resize

# resized while an editor is open: the edit survives
start resizeed "$W/forever.img"
wait_for resizeed "Beta" 5
keys resizeed a
wait_for resizeed "grub append>" 3
"${TM[@]}" resize-window -t resizeed -x 30 -y 8
sleep 0.4
"${TM[@]}" send-keys -t resizeed -l " after-resize"
sleep 0.3
"${TM[@]}" resize-window -t resizeed -x 80 -y 25
sleep 0.4
keys resizeed Enter
wait_done resizeed 5 &&
	booted resizeed b "root=/dev/xvda1 beta after-resize" ||
	bad "resizeed: 'a' across two resizes did not boot"
stop resizeed

# started small: 40x10 and 20x5
for sz in 40x10 20x5; do
	name=small${sz%x*}
	SIZE_X=${sz%x*} SIZE_Y=${sz#*x} start "$name" "$W/forever.img"
	if wait_for "$name" "Beta" 5; then
		ok "$name: the menu is drawn at $sz"
	else
		bad "$name: nothing drawn at $sz: $(screen "$name" | tr -s ' \n' ' ' | head -c 200)"
	fi
	keys "$name" Up Enter
	wait_done "$name" 5 && booted "$name" a "root=/dev/xvda1 alpha" ||
		bad "$name: Up Enter at $sz did not boot"
	stop "$name"
done
