# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# tests/menu_pw.sh: menu passwords through tmux (issue 16), sourced by
# tests/menu.sh (its helpers: start, keys, screen, wait_for, wait_done,
# booted, ok, bad; $W, $TM).  GRUB legacy `password` (plain and --md5) and
# `lock`; GRUB 2 superusers with password_pbkdf2 (a grub-mkpasswd-pbkdf2
# hash), --users and --unrestricted; a legacy entry's own `password`
# line.  Every case checks that the typed password is never on the
# screen nor in pvboot's messages.

# mklegacy NAME: like mkimg, /boot/grub/menu.lst from stdin
mklegacy() {
	local d=$W/$1.root
	mkdir -p "$d/boot/grub"
	for k in a b c; do printf 'kernel %s\n' $k >"$d/boot/vmlinuz-$k"; done
	cat >"$d/boot/grub/menu.lst"
	mke2fs -q -F -t ext4 -d "$d" "$W/$1.img" 8M >/dev/null 2>&1 ||
		{ bad "mke2fs for $1 failed"; finish; }
}
# never_shown NAME SECRET...: no SECRET on the pane nor in the messages
never_shown() {
	local name=$1 s
	shift
	for s in "$@"; do
		if screen "$name" | grep -qF -- "$s" ||
			grep -qF -- "$s" "$W/$name.err" 2>/dev/null; then
			bad "$name: the typed password '$s' is visible"
			return
		fi
	done
	ok "$name: the typed password is never shown"
}
# typed NAME TEXT: type TEXT literally
typed() { "${TM[@]}" send-keys -t "$1" -l "$2"; sleep 0.3; }

MD5=$(openssl passwd -1 -salt pvbootmd lgmd5pw 2>/dev/null)
PBKDF2=$(printf 'sekrit\nsekrit\n' | grub-mkpasswd-pbkdf2 2>/dev/null |
	sed -n 's/^.* is //p')
if [ -z "$PBKDF2" ]; then
	# grub-common missing: the same format from Python's hashlib
	PBKDF2=$(python3 -c '
import hashlib, os
s = os.urandom(64)
h = hashlib.pbkdf2_hmac("sha512", b"sekrit", s, 10000, 64)
print("grub.pbkdf2.sha512.10000.%s.%s" % (s.hex().upper(), h.hex().upper()))')
fi
case $MD5 in '$1$'*) ;; *) bad "openssl passwd -1 gave '$MD5'"; finish ;; esac
case $PBKDF2 in grub.pbkdf2.sha512.*) ;; *) bad "no pbkdf2 hash"; finish ;; esac

mklegacy lgplain <<'EOF2'
default 0
password lgplainpw
title Alpha
	kernel /boot/vmlinuz-a root=/dev/xvda1 alpha
title Beta
	lock
	kernel /boot/vmlinuz-b root=/dev/xvda1 beta
EOF2
sed -e "s|^password .*|password --md5 $MD5|" "$W/lgplain.root/boot/grub/menu.lst" |
	mklegacy lgmd5
# default Home (restricted, but the default boots with nobody at the
# console, so never locked); Open is --unrestricted; Locked needs root;
# Bobs needs bob or root
mkimg g2pw <<EOF2
set superusers="root"
password_pbkdf2 root $PBKDF2
password bob bobpw
set default=1
menuentry 'Open' --unrestricted {
	linux /boot/vmlinuz-a root=/dev/xvda1 open
}
menuentry 'Home' {
	linux /boot/vmlinuz-b root=/dev/xvda1 home
}
menuentry 'Locked' {
	linux /boot/vmlinuz-c root=/dev/xvda1 locked
}
menuentry 'Bobs' --users bob {
	linux /boot/vmlinuz-a root=/dev/xvda1 bobs
}
EOF2

# --- legacy plain: editing locked until 'p' and the right password -------
start lgright "$W/lgplain.img"
if wait_for lgright "Editing is locked" 5 &&
	screen lgright | grep -qF "press 'p' to enter the password"; then
	ok "lgright: the help line says editing is locked, 'p' unlocks"
else
	bad "lgright: no lock shown: $(screen lgright | tr -s ' \n' ' ' | head -c 300)"
fi
keys lgright a
if screen lgright | grep -qF "Editing is locked: press 'p'" &&
	! screen lgright | grep -qF "grub append>"; then
	ok "lgright: 'a' refused before the password"
else
	bad "lgright: 'a' not refused: $(screen lgright | tr -s ' \n' ' ' | head -c 300)"
fi
keys lgright p
if wait_for lgright "Enter password:" 3 && ! screen lgright | grep -qF "username"; then
	ok "lgright: 'p' asks for the password (no username in GRUB legacy)"
else
	bad "lgright: no password prompt: $(screen lgright | tr -s ' \n' ' ' | head -c 300)"
fi
typed lgright lgplainpw
never_shown lgright lgplainpw
keys lgright Enter
if wait_for lgright "Logged in: editing is unlocked." 5; then
	ok "lgright: the right password unlocks editing"
else
	bad "lgright: $(screen lgright | tr -s ' \n' ' ' | head -c 300)"
fi
keys lgright a
wait_for lgright "grub append>" 3 || bad "lgright: no editor after the password"
keys lgright End
typed lgright " single"
keys lgright Enter
wait_done lgright 5 && booted lgright a "root=/dev/xvda1 alpha single" ||
	bad "lgright: 'p' password 'a' did not boot"
never_shown lgright lgplainpw
stop lgright

# --- legacy plain, wrong passwords: counted, delayed, then no more tries --
start lgwrong "$W/lgplain.img"
wait_for lgwrong "Editing is locked" 5
for i in 1 2 3; do
	keys lgwrong p
	wait_for lgwrong "Enter password:" 3
	typed lgwrong "wrongpw$i"
	keys lgwrong Enter
	if wait_for lgwrong "Wrong password or user ($i of 3 tries)." 5; then
		ok "lgwrong: wrong password $i refused and counted"
	else
		bad "lgwrong: try $i: $(screen lgwrong | tr -s ' \n' ' ' | head -c 300)"
	fi
	wait_for lgwrong "Editing is locked" 5
done
keys lgwrong p
if wait_for lgwrong "Too many wrong passwords" 3 &&
	! screen lgwrong | grep -qF "Enter password:"; then
	ok "lgwrong: after 3 wrong passwords no more prompts"
else
	bad "lgwrong: $(screen lgwrong | tr -s ' \n' ' ' | head -c 300)"
fi
keys lgwrong e
if screen lgwrong | grep -qF "Editing is locked: press 'p'"; then
	ok "lgwrong: editing still locked"
else
	bad "lgwrong: 'e' not refused: $(screen lgwrong | tr -s ' \n' ' ' | head -c 300)"
fi
never_shown lgwrong wrongpw
keys lgwrong Enter
wait_done lgwrong 5 && booted lgwrong a "root=/dev/xvda1 alpha" ||
	bad "lgwrong: Enter on the default did not boot"
stop lgwrong

# --- legacy --md5: Enter on a `lock`ed entry asks; the right one boots it -
start lgmd5 "$W/lgmd5.img"
wait_for lgmd5 "Editing is locked" 5
keys lgmd5 Down Enter
if wait_for lgmd5 "Enter password:" 3 && [ ! -s "$W/lgmd5.rc" ]; then
	ok "lgmd5: Enter on a locked entry asks for the password"
else
	bad "lgmd5: $(screen lgmd5 | tr -s ' \n' ' ' | head -c 300)"
fi
typed lgmd5 lgmd5pw
keys lgmd5 Enter
wait_done lgmd5 8 && booted lgmd5 b "root=/dev/xvda1 beta" ||
	bad "lgmd5: the md5 password did not boot the locked entry"
never_shown lgmd5 lgmd5pw
stop lgmd5

# --- GRUB 2: an --unrestricted entry boots with no login ------------------
start g2open "$W/g2pw.img"
wait_for g2open "Home" 5
if screen g2open | grep -qF "log in as a superuser"; then
	ok "g2open: the help line says editing needs a superuser"
else
	bad "g2open: $(screen g2open | tr -s ' \n' ' ' | head -c 300)"
fi
keys g2open Up Enter
wait_done g2open 5 && booted g2open a "root=/dev/xvda1 open" ||
	bad "g2open: the unrestricted entry did not boot"
stop g2open

# --- GRUB 2: a locked entry refused without a login, a wrong password
# refused and counted; 'e' asks for a superuser ---------------------------
start g2wrong "$W/g2pw.img"
wait_for g2wrong "Home" 5
keys g2wrong Down Enter
if wait_for g2wrong "Enter username:" 3; then
	ok "g2wrong: Enter on a locked entry asks who logs in"
else
	bad "g2wrong: no login: $(screen g2wrong | tr -s ' \n' ' ' | head -c 300)"
fi
keys g2wrong Escape
if wait_for g2wrong "Login cancelled." 3 && [ ! -s "$W/g2wrong.rc" ]; then
	ok "g2wrong: no login, no boot: back in the menu"
else
	bad "g2wrong: $(screen g2wrong | tr -s ' \n' ' ' | head -c 300)"
fi
keys g2wrong Enter
wait_for g2wrong "Enter username:" 3
typed g2wrong root
keys g2wrong Enter
wait_for g2wrong "Enter password:" 3
typed g2wrong sekriT
keys g2wrong Enter
if wait_for g2wrong "Wrong password or user (1 of 3 tries)." 5 &&
	[ ! -s "$W/g2wrong.rc" ]; then
	ok "g2wrong: a wrong password refused and counted"
else
	bad "g2wrong: $(screen g2wrong | tr -s ' \n' ' ' | head -c 300)"
fi
wait_for g2wrong "Press enter" 5
keys g2wrong e
if wait_for g2wrong "Enter username:" 3; then
	ok "g2wrong: 'e' asks for a superuser"
else
	bad "g2wrong: 'e' did not ask: $(screen g2wrong | tr -s ' \n' ' ' | head -c 300)"
fi
keys g2wrong Escape
wait_for g2wrong "Press enter" 3
never_shown g2wrong sekriT
keys g2wrong Up Enter # Home, the default: no login
wait_done g2wrong 5 && booted g2wrong b "root=/dev/xvda1 home" ||
	bad "g2wrong: the default did not boot"
stop g2wrong

# --- GRUB 2: the superuser's password boots the locked entry --------------
start g2right "$W/g2pw.img"
wait_for g2right "Home" 5
keys g2right Down Enter
wait_for g2right "Enter username:" 3
typed g2right root
keys g2right Enter
wait_for g2right "Enter password:" 3
typed g2right sekrit
never_shown g2right sekrit
keys g2right Enter
wait_done g2right 8 && booted g2right c "root=/dev/xvda1 locked" ||
	bad "g2right: the right password did not boot the locked entry"
stop g2right

# --- GRUB 2: 'e' after a superuser login edits and boots ------------------
start g2edit "$W/g2pw.img"
wait_for g2edit "Home" 5
keys g2edit Down e
wait_for g2edit "Enter username:" 3
typed g2edit root
keys g2edit Enter
wait_for g2edit "Enter password:" 3
typed g2edit sekrit
keys g2edit Enter
if wait_for g2edit "linux /boot/vmlinuz-c root=/dev/xvda1 locked" 8; then
	ok "g2edit: after the login 'e' shows the locked entry's lines"
else
	bad "g2edit: no editor: $(screen g2edit | tr -s ' \n' ' ' | head -c 300)"
fi
keys g2edit e End
typed g2edit " edited"
keys g2edit Enter b
wait_done g2edit 5 && booted g2edit c "root=/dev/xvda1 locked edited" ||
	bad "g2edit: 'e' ... 'b' did not boot"
never_shown g2edit sekrit
stop g2edit

# --- GRUB 2: --users bob: bob's own password boots his entry, not root's --
start g2bob "$W/g2pw.img"
wait_for g2bob "Home" 5
keys g2bob Down Down Enter
wait_for g2bob "Enter username:" 3
typed g2bob bob
keys g2bob Enter
wait_for g2bob "Enter password:" 3
typed g2bob bobpw
keys g2bob Enter
wait_done g2bob 8 && booted g2bob a "root=/dev/xvda1 bobs" ||
	bad "g2bob: bob's password did not boot his entry"
stop g2bob

# --- non-interactive: -q boots the (restricted) default as before ---------
mkdir -p "$W/g2q.d"
if "$PVBOOT" -q --output="$W/g2q.out" --output-format=simple0 \
	--output-directory="$W/g2q.d" "$W/g2pw.img" </dev/null >/dev/null \
	2>"$W/g2q.err"; then
	echo 0 >"$W/g2q.rc"
	booted g2q b "root=/dev/xvda1 home"
else
	bad "g2q: -q failed: $(cat "$W/g2q.err")"
fi

# --- nobody finishes the login: the idle cap boots the default ------------
start lgidle "$W/lgplain.img" PVBOOT_MENU_WAIT_CAP=2
wait_for lgidle "Editing is locked" 5
keys lgidle p
wait_for lgidle "Enter password:" 3
typed lgidle half
if wait_done lgidle 10; then
	booted lgidle a "root=/dev/xvda1 alpha"
else
	bad "lgidle: still waiting at the password prompt past a 2 s cap"
fi
never_shown lgidle half
stop lgidle

# --- legacy: an entry's own `password --md5` line (GRUB 0.97 runs it as
# one of the entry's commands: it asks for it whichever way the entry
# starts, and the menu's password does not stand in for it) -------------
ENTMD5=$(openssl passwd -1 -salt pvbooten entpw 2>/dev/null)
case $ENTMD5 in '$1$'*) ;; *) bad "openssl passwd -1 gave '$ENTMD5'"; finish ;; esac
mklegacy lgent <<EOF2
default 0
password lgplainpw
title Alpha
	kernel /boot/vmlinuz-a root=/dev/xvda1 alpha
title Beta
	password --md5 $ENTMD5
	kernel /boot/vmlinuz-b root=/dev/xvda1 beta
EOF2
# the same, the protected entry the default, a 1 s countdown, no menu
# password
sed -e 's/^default 0/default 1\ntimeout 1/' -e '/^password lgplainpw/d' \
	"$W/lgent.root/boot/grub/menu.lst" | mklegacy lgentdef
# ... hidden, and with a timeout of 0: GRUB still runs its password line
sed -e 's/^timeout 1/hiddenmenu\ntimeout 1/' \
	"$W/lgentdef.root/boot/grub/menu.lst" | mklegacy lgenthid
sed -e 's/^timeout 1/timeout 0/' \
	"$W/lgentdef.root/boot/grub/menu.lst" | mklegacy lgentzero

# selecting it asks for its password; Esc or a wrong one boots nothing
start lgentwrong "$W/lgent.img"
wait_for lgentwrong "Editing is locked" 5
keys lgentwrong Down Enter
if wait_for lgentwrong "this entry has its own GRUB password" 3 &&
	screen lgentwrong | grep -qF "Enter password:" &&
	screen lgentwrong | grep -qF "Entry: Beta" && [ ! -s "$W/lgentwrong.rc" ]; then
	ok "lgentwrong: Enter on the entry asks for its own password"
else
	bad "lgentwrong: $(screen lgentwrong | tr -s ' \n' ' ' | head -c 300)"
fi
keys lgentwrong Escape
if wait_for lgentwrong "Login cancelled." 3 && [ ! -s "$W/lgentwrong.rc" ]; then
	ok "lgentwrong: no password, no boot: back in the menu"
else
	bad "lgentwrong: $(screen lgentwrong | tr -s ' \n' ' ' | head -c 300)"
fi
keys lgentwrong Enter
wait_for lgentwrong "Enter password:" 3
typed lgentwrong wrongentpw
keys lgentwrong Enter
if wait_for lgentwrong "Wrong password or user (1 of 3 tries)." 5 &&
	[ ! -s "$W/lgentwrong.rc" ]; then
	ok "lgentwrong: a wrong password refused and counted, nothing booted"
else
	bad "lgentwrong: $(screen lgentwrong | tr -s ' \n' ' ' | head -c 300)"
fi
wait_for lgentwrong "Editing is locked" 5
never_shown lgentwrong wrongentpw
keys lgentwrong Up Enter # Alpha, no password of its own
wait_done lgentwrong 5 && booted lgentwrong a "root=/dev/xvda1 alpha" ||
	bad "lgentwrong: Alpha did not boot"
stop lgentwrong

# its own password boots it
start lgentright "$W/lgent.img"
wait_for lgentright "Editing is locked" 5
keys lgentright Down Enter
wait_for lgentright "Enter password:" 3
typed lgentright entpw
never_shown lgentright entpw
keys lgentright Enter
wait_done lgentright 8 && booted lgentright b "root=/dev/xvda1 beta" ||
	bad "lgentright: the entry's own password did not boot it"
never_shown lgentright entpw
stop lgentright

# the menu's password unlocks editing, not the entry: 'a' and Enter on it
# still ask for its own, and the menu's is wrong there
start lgentmenu "$W/lgent.img"
wait_for lgentmenu "Editing is locked" 5
keys lgentmenu p
wait_for lgentmenu "Enter password:" 3
typed lgentmenu lgplainpw
keys lgentmenu Enter
wait_for lgentmenu "Logged in: editing is unlocked." 5 ||
	bad "lgentmenu: the menu password did not log in"
keys lgentmenu Down a
if wait_for lgentmenu "this entry has its own GRUB password" 3 &&
	! screen lgentmenu | grep -qF "grub append>"; then
	ok "lgentmenu: after the menu's password, 'a' on the entry asks for its own"
else
	bad "lgentmenu: $(screen lgentmenu | tr -s ' \n' ' ' | head -c 300)"
fi
typed lgentmenu lgplainpw
keys lgentmenu Enter
if wait_for lgentmenu "Wrong password or user (1 of 3 tries)." 5 &&
	[ ! -s "$W/lgentmenu.rc" ]; then
	ok "lgentmenu: the menu's password does not open the entry"
else
	bad "lgentmenu: $(screen lgentmenu | tr -s ' \n' ' ' | head -c 300)"
fi
wait_for lgentmenu "Press enter" 5
keys lgentmenu a
wait_for lgentmenu "Enter password:" 3
typed lgentmenu entpw
keys lgentmenu Enter
wait_for lgentmenu "grub append>" 5 || bad "lgentmenu: no editor after its password"
keys lgentmenu End
typed lgentmenu " single"
keys lgentmenu Enter
wait_done lgentmenu 5 && booted lgentmenu b "root=/dev/xvda1 beta single" ||
	bad "lgentmenu: its password and 'a' did not boot it"
never_shown lgentmenu lgplainpw entpw
stop lgentmenu

# the default with its own password: the countdown ending asks for it
start lgentdef "$W/lgentdef.img"
if wait_for lgentdef "this entry has its own GRUB password" 5 &&
	[ ! -s "$W/lgentdef.rc" ]; then
	ok "lgentdef: the countdown ending on it asks for the default's password"
else
	bad "lgentdef: $(screen lgentdef | tr -s ' \n' ' ' | head -c 300)"
fi
typed lgentdef entpw
keys lgentdef Enter
wait_done lgentdef 8 && booted lgentdef b "root=/dev/xvda1 beta" ||
	bad "lgentdef: its password did not boot the default"
stop lgentdef

for name in lgenthid lgentzero; do
	start $name "$W/$name.img"
	if wait_for $name "this entry has its own GRUB password" 5 &&
		[ ! -s "$W/$name.rc" ]; then
		ok "$name: the default's own password is asked"
	else
		bad "$name: $(screen $name | tr -s ' \n' ' ' | head -c 300)"
	fi
	typed $name wrongentpw
	keys $name Enter
	if wait_for $name "Wrong password or user (1 of 3 tries)." 5 &&
		wait_for $name "Press enter" 5 && [ ! -s "$W/$name.rc" ]; then
		ok "$name: a wrong one shows the menu, nothing booted"
	else
		bad "$name: $(screen $name | tr -s ' \n' ' ' | head -c 300)"
	fi
	keys $name Enter
	wait_for $name "Enter password:" 3
	typed $name entpw
	keys $name Enter
	wait_done $name 8 && booted $name b "root=/dev/xvda1 beta" ||
		bad "$name: its password did not boot the default"
	never_shown $name wrongentpw entpw
	stop $name
done

# ... and nobody gives it: nothing boots once the wait cap is over
start lgentidle "$W/lgentdef.img" PVBOOT_MENU_WAIT_CAP=2
wait_for lgentidle "this entry has its own GRUB password" 5
if wait_done lgentidle 10 && [ "$(cat "$W/lgentidle.rc")" != 0 ] &&
	[ ! -s "$W/lgentidle.out" ] &&
	grep -qF "own password" "$W/lgentidle.err"; then
	ok "lgentidle: no password for the default: nothing boots ($(head -c 120 "$W/lgentidle.err"))"
else
	bad "lgentidle: rc $(cat "$W/lgentidle.rc" 2>/dev/null), $(head -c 200 "$W/lgentidle.err" 2>/dev/null)"
fi
stop lgentidle

# non-interactive: -q boots the default as pygrub would, and says its
# password was not asked
mkdir -p "$W/lgentq.d"
if "$PVBOOT" -q --output="$W/lgentq.out" --output-format=simple0 \
	--output-directory="$W/lgentq.d" "$W/lgentdef.img" </dev/null >/dev/null \
	2>"$W/lgentq.err"; then
	echo 0 >"$W/lgentq.rc"
	booted lgentq b "root=/dev/xvda1 beta"
	if grep -qF "own GRUB password" "$W/lgentq.err"; then
		ok "lgentq: -q says the entry's password was not asked"
	else
		bad "lgentq: no warning: $(cat "$W/lgentq.err")"
	fi
else
	bad "lgentq: -q failed: $(cat "$W/lgentq.err")"
fi
