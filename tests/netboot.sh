#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Network boot (pvboot --location=...), against servers this script starts
# on 127.0.0.1 only (tests/netboot/server.py): install trees laid out like
# Debian's, Fedora's and openSUSE's, served over HTTP, over HTTPS with a
# test CA made here by openssl, and from a local directory, a file:// URL
# and an installer ISO.  Success cases check the bytes (sha256), the args
# and the output directory; failure cases (404, no layout, truncated and
# oversized bodies, a redirect loop, a slow server past the time limit, a
# certificate from another CA, a closed port) check the exit status, the
# one stderr line naming the reason, an untouched --output and an empty
# output directory.
set -uo pipefail
. "$(dirname "$0")/counts.sh" netboot
BUILD=${BUILD:-build}
PV=$(cd "$(dirname "$BUILD/pvboot")" && pwd)/pvboot
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-netboot.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

# --- install trees ----------------------------------------------------------
mkfile() { # PATH SIZE SEED: deterministic bytes
	mkdir -p "$(dirname "$1")"
	python3 -c 'import random,sys; r=random.Random(sys.argv[2]); sys.stdout.buffer.write(r.randbytes(int(sys.argv[1])))' "$2" "$3" >"$1"
}
www=$W/www
deb=$www/debian/dists/bookworm/main/installer-amd64
mkfile "$deb/current/images/netboot/xen/vmlinuz" 3000000 debk
mkfile "$deb/current/images/netboot/xen/initrd.gz" 5000000 debr
di=$www/di/installer-amd64
mkfile "$di/current/images/netboot/debian-installer/amd64/linux" 1000000 dik
mkfile "$di/current/images/netboot/debian-installer/amd64/initrd.gz" 1500000 dir
mkfile "$www/fedora/images/pxeboot/vmlinuz" 2000000 fk
mkfile "$www/fedora/images/pxeboot/initrd.img" 4000000 fr
mkfile "$www/suse/boot/x86_64/loader/linux" 1200000 sk
mkfile "$www/suse/boot/x86_64/loader/initrd" 2200000 sr
mkfile "$www/big/images/pxeboot/vmlinuz" 2500000 bk
mkfile "$www/big/images/pxeboot/initrd.img" 1000 br
mkfile "$www/halfdeb/current/images/netboot/xen/vmlinuz" 1000 hk
mkfile "$www/tiny/images/pxeboot/vmlinuz" 40 tk
mkfile "$www/tiny/images/pxeboot/initrd.img" 40 tr
mkdir -p "$www/none/pub"

# --- servers ------------------------------------------------------------------
serve() { # PORTVAR [CERT KEY]
	local pf=$W/port.$1
	python3 "$here/netboot/server.py" "$www" "$pf" "${@:2}" &
	pids+=($!)
	for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.1; done
	printf -v "$1" '%s' "$(cat "$pf" 2>/dev/null)"
}
ca() { # NAME: a CA and a 127.0.0.1 server certificate signed by it
	local d=$W/$1
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pvboot test $1 CA" \
		-keyout "$d/ca.key" -out "$d/ca.pem" >/dev/null 2>&1 &&
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
		-keyout "$d/srv.key" -out "$d/srv.csr" >/dev/null 2>&1 &&
	printf 'subjectAltName=IP:127.0.0.1\n' >"$d/ext" &&
	openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/ext" -out "$d/srv.pem" >/dev/null 2>&1
}
serve HTTP
tls=1
if ca good && ca other; then
	serve HTTPS "$W/good/srv.pem" "$W/good/srv.key"
	serve HTTPS_OTHER "$W/other/srv.pem" "$W/other/srv.key"
else
	tls=0
fi
# a port nothing listens on: bind one, close it
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ -z "${HTTP:-}" ]; then
	say "FAIL netboot: the test HTTP server did not start"
	counts_report netboot 0 1 0
	exit 1
fi
H=http://127.0.0.1:$HTTP

# --- runners --------------------------------------------------------------------
# boots NAME KERNEL_SRC RAMDISK_SRC|- ARGS [pvboot options...]
boots() {
	local name=$1 ksrc=$2 rsrc=$3 args=$4; shift 4
	local out=$W/out.$name dir=$W/dir.$name err=$W/err.$name rc k r a
	rm -rf "$dir"; mkdir -p "$dir"; : >"$out"
	timeout -s KILL 120 "$PV" -q --output="$out" --output-format=simple0 \
		--output-directory="$dir" --args="$args" "$@" >"$W/stdout" 2>"$err" </dev/null
	rc=$?
	if [ $rc -ne 0 ]; then bad "$name: exit $rc: $(head -c 300 "$err")"; return; fi
	k=$(simple0_field "$out" kernel)
	r=$(simple0_field "$out" ramdisk)
	a=$(simple0_field "$out" args)
	if [ ! -f "$k" ] || [ "$(sha "$k")" != "$(sha "$ksrc")" ]; then
		bad "$name: kernel bytes differ ($k)"; return; fi
	if [ "$rsrc" = - ]; then
		[ -z "$r" ] || { bad "$name: unexpected ramdisk $r"; return; }
	elif [ ! -f "$r" ] || [ "$(sha "$r")" != "$(sha "$rsrc")" ]; then
		bad "$name: ramdisk bytes differ ($r)"; return
	fi
	if [ "$a" != "$args" ]; then bad "$name: args '$a', want '$args'"; return; fi
	if [ "$(stat -c %a "$k")" != 600 ]; then bad "$name: kernel mode $(stat -c %a "$k")"; return; fi
	if [ "$(ls "$dir" | wc -l)" -ne $([ "$rsrc" = - ] && echo 1 || echo 2) ]; then
		bad "$name: output directory holds: $(ls "$dir")"; return; fi
	ok "$name"
}

# fails NAME STATUS REGEX [pvboot options...]
fails() {
	local name=$1 want=$2 re=$3; shift 3
	local out=$W/out.$name dir=$W/dir.$name err=$W/err.$name rc
	rm -rf "$dir"; mkdir -p "$dir"; printf 'SENTINEL' >"$out"
	timeout -s KILL 120 "$PV" -q --output="$out" --output-format=simple0 \
		--output-directory="$dir" "$@" >"$W/stdout" 2>"$err" </dev/null
	rc=$?
	if [ $rc -ne "$want" ]; then bad "$name: exit $rc, want $want: $(head -c 300 "$err")"; return; fi
	if [ "$(wc -l <"$err")" -ne 1 ] || ! grep -q '^pvboot: ' "$err"; then
		bad "$name: stderr is not one pvboot line: $(head -c 300 "$err")"; return; fi
	if ! grep -Eq -- "$re" "$err"; then bad "$name: stderr does not match /$re/: $(cat "$err")"; return; fi
	if [ "$(cat "$out")" != SENTINEL ]; then bad "$name: --output was changed"; return; fi
	if [ -n "$(ls -A "$dir")" ]; then bad "$name: left in the output directory: $(ls -A "$dir")"; return; fi
	ok "$name ($(head -c 120 "$err"))"
}

D=$deb/current/images/netboot/xen
F=$www/fedora/images/pxeboot
S=$www/suse/boot/x86_64/loader
I=$di/current/images/netboot/debian-installer/amd64

# --- layouts over HTTP ------------------------------------------------------------
boots http-debian "$D/vmlinuz" "$D/initrd.gz" "console=hvc0" \
	--location="$H/debian/dists/bookworm/main/installer-amd64/"
boots http-debian-di "$I/linux" "$I/initrd.gz" "priority=low" \
	--location="$H/di/installer-amd64"
boots http-fedora "$F/vmlinuz" "$F/initrd.img" "inst.repo=$H/fedora" \
	--location="$H/fedora"
boots http-opensuse "$S/linux" "$S/initrd" "install=$H/suse" \
	--location="$H/suse/"
# libxl appends the guest's disk after bootloader_args: ignored
boots http-libxl-disk-arg "$F/vmlinuz" "$F/initrd.img" "x" \
	--location="$H/fedora" /dev/null
boots http-explicit-relative "$S/linux" "$S/initrd" "a=b" \
	--location="$H/suse" --kernel=boot/x86_64/loader/linux \
	--ramdisk=/boot/x86_64/loader/initrd
boots http-explicit-kernel-only "$F/vmlinuz" - "only" \
	--location="$H/none" --kernel="$H/fedora/images/pxeboot/vmlinuz"
boots http-redirects "$F/vmlinuz" "$F/initrd.img" "r" \
	--location="$H/hop/3/fedora"

# -n: the URLs that would be fetched, nothing copied
name=http-not-really
rm -rf "$W/dir.$name"; mkdir -p "$W/dir.$name"
if o=$("$PV" -q -n --output-format=simple --output-directory="$W/dir.$name" \
	--location="$H/fedora" --args=z 2>"$W/err.$name") &&
   [ "$o" = "$(printf 'kernel %s\nramdisk %s\nargs z' "$H/fedora/images/pxeboot/vmlinuz" "$H/fedora/images/pxeboot/initrd.img")" ] &&
   [ -z "$(ls -A "$W/dir.$name")" ]; then
	ok "$name"
else
	bad "$name: output: $o / $(cat "$W/err.$name")"
fi

# --- HTTPS ---------------------------------------------------------------------------
if [ $tls = 1 ] && [ -n "${HTTPS:-}" ]; then
	boots https-test-ca "$F/vmlinuz" "$F/initrd.img" "tls" \
		--location="https://127.0.0.1:$HTTPS/fedora" --cacert="$W/good/ca.pem"
	fails https-untrusted-ca 2 "https://127\.0\.0\.1:$HTTPS/.*(certificate|SSL)" \
		--location="https://127.0.0.1:$HTTPS/fedora"
	fails https-other-ca 2 "(certificate|SSL)" \
		--location="https://127.0.0.1:$HTTPS_OTHER/fedora" --cacert="$W/good/ca.pem"
	boots https-insecure "$F/vmlinuz" "$F/initrd.img" "insecure" \
		--location="https://127.0.0.1:$HTTPS_OTHER/fedora" --insecure
else
	bad "https: openssl could not make the test CA"
fi

# --- FTP (Debian's python3-pyftpdlib, run by Debian's own python3) ----------------
FTP=
if /usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null; then
	/usr/bin/python3 "$here/netboot/ftpserver.py" "$www" "$W/port.ftp" >/dev/null 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do [ -s "$W/port.ftp" ] && break; sleep 0.1; done
	FTP=$(cat "$W/port.ftp" 2>/dev/null)
fi
if [ -n "$FTP" ]; then
	boots ftp-fedora "$F/vmlinuz" "$F/initrd.img" "ftp" \
		--location="ftp://127.0.0.1:$FTP/fedora/"
	fails ftp-no-layout 2 "no known install-tree layout" \
		--location="ftp://127.0.0.1:$FTP/none/"
else
	say "SKIP ftp: no FTP server (apt-get install python3-pyftpdlib)"; skip=$((skip + 1))
fi

# --- local trees -----------------------------------------------------------------------
boots dir-fedora "$F/vmlinuz" "$F/initrd.img" "d" --location="$www/fedora"
boots file-url-debian "$D/vmlinuz" "$D/initrd.gz" "f" \
	--location="file://$deb"
fails dir-no-layout 2 "no known install-tree layout" --location="$www/none"
iso=$W/debian.iso
mkdir -p "$W/isotree/install.amd/xen"
cp "$D/vmlinuz" "$W/isotree/install.amd/xen/vmlinuz"
cp "$D/initrd.gz" "$W/isotree/install.amd/xen/initrd.gz"
if xorriso -as mkisofs -quiet -R -J -V DEBIAN -o "$iso" "$W/isotree" >/dev/null 2>&1; then
	boots iso-debian "$D/vmlinuz" "$D/initrd.gz" "iso" --location="$iso"
	boots iso-file-url "$D/vmlinuz" "$D/initrd.gz" "iso" --location="file://$iso" \
		/dev/null
else
	bad "iso-debian: xorriso could not build the ISO"
fi

# --- failures ---------------------------------------------------------------------------
fails http-404 2 "$H/fedora/nope: not found" \
	--location="$H/fedora" --kernel=nope
fails http-no-layout 2 "no known install-tree layout" --location="$H/none"
fails http-layout-ramdisk-missing 2 "initrd.gz: not found" --location="$H/halfdeb"
fails http-truncated 3 "truncated" --location="$H/truncated/fedora"
PYGRUB_MAX_FILE_SIZE_MB=1 fails http-oversized 3 "larger than the 1 MiB cap" \
	--location="$H/big"
fails http-redirect-loop 2 "more than 5 redirects" --location="$H/loop/fedora"
PVBOOT_NET_TIMEOUT=3 fails http-slow 2 "(timed out|longer than)" \
	--location="$H/slow/tiny"
fails http-closed-port 2 "127\.0\.0\.1:$CLOSED" --location="http://127.0.0.1:$CLOSED/fedora"
fails bad-scheme 1 "unsupported scheme" --location="gopher://127.0.0.1/x"
fails dir-escape 2 "leads outside the location" \
	--location="$www/fedora" --kernel=../suse/boot/x86_64/loader/linux

# --- the network worker's confinement, observed from outside -----------------------
# While the worker waits on the slow server, read its /proc entries: the
# uid it dropped to, NoNewPrivs, the seccomp filter, every mount read-only
# in its own mount namespace, and no fd but /dev/null, its pipe and sockets.
name=net-worker-confined
if [ "$(id -u)" -ne 0 ]; then
	say "SKIP $name: needs root (the uid drop and the mount namespace)"; skip=$((skip + 1))
else
	mkdir -p "$W/dir.$name"
	PVBOOT_NET_TIMEOUT=20 "$PV" -q --output-directory="$W/dir.$name" \
		--location="$H/slow/tiny" >/dev/null 2>&1 </dev/null &
	sup=$!
	wk=
	# up to 30 s: the worker dlopen()s libcurl before its filter, which
	# took seconds in a sanitizer build on a loaded machine
	confined=
	for _ in $(seq 300); do
		wk=$(pgrep -P $sup | head -1)
		[ -n "$wk" ] && grep -q '^Seccomp:[[:space:]]*2' /proc/$wk/status 2>/dev/null && { confined=1; break; }
		sleep 0.1
	done
	st=$(cat /proc/$wk/status 2>/dev/null)
	why=
	[ -n "$wk" ] || why="no worker process found"
	[ -n "$why" ] || [ -n "$confined" ] || why="the worker never reached its seccomp filter in 30 s"
	nobody=$(id -u nobody)
	[ -n "$why" ] || echo "$st" | grep -Eq "^Uid:[[:space:]]+$nobody[[:space:]]+$nobody[[:space:]]+$nobody" || why="uid: $(echo "$st" | grep ^Uid)"
	[ -n "$why" ] || echo "$st" | grep -q '^NoNewPrivs:[[:space:]]*1' || why="NoNewPrivs not set"
	[ -n "$why" ] || echo "$st" | grep -q '^Seccomp:[[:space:]]*2' || why="no seccomp filter"
	[ -n "$why" ] || echo "$st" | grep -q '^CapEff:[[:space:]]*0*$' || why="capabilities left: $(echo "$st" | grep ^CapEff)"
	[ -n "$why" ] || [ "$(readlink /proc/$wk/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] || why="shares the host's mount namespace"
	[ -n "$why" ] || ! awk '{print $6}' /proc/$wk/mountinfo | grep -qv '^ro' || why="a writable mount: $(awk '$6 !~ /^ro/ {print $5}' /proc/$wk/mountinfo | head -3)"
	if [ -z "$why" ]; then
		for f in /proc/$wk/fd/*; do
			t=$(readlink "$f")
			case "$t" in /dev/null|pipe:*|socket:*|anon_inode:*) ;; *) why="fd $(basename "$f") -> $t"; break ;; esac
		done
	fi
	kill $sup 2>/dev/null; wait $sup 2>/dev/null
	if [ -n "$why" ]; then bad "$name: $why"; else ok $name; fi
	# and it does not outlive a SIGKILLed supervisor, even while it waits
	# on a server that sends nothing (so no write to the dead pipe ends it)
	PVBOOT_NET_TIMEOUT=20 "$PV" -q --output-directory="$W/dir.$name" \
		--location="$H/stall/tiny" >/dev/null 2>&1 </dev/null &
	sup=$!
	wk=
	for _ in $(seq 100); do wk=$(pgrep -P $sup | head -1); [ -n "$wk" ] && break; sleep 0.1; done
	sleep 0.5
	kill -KILL $sup; wait $sup 2>/dev/null
	for _ in $(seq 50); do [ -d /proc/$wk ] || break; sleep 0.1; done
	if [ -n "$wk" ] && [ -d /proc/$wk ] && ! grep -q '^State:.*Z' /proc/$wk/status 2>/dev/null; then
		bad "net-worker-dies-with-supervisor: worker $wk still running"
	else
		ok net-worker-dies-with-supervisor
	fi
fi

finish
