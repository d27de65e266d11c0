#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/deb.sh: the Debian package end to end (make check-deb; CI runs it).
#   1. a clean copy of HEAD (git archive): nothing of the work tree;
#   2. a clean Debian 12 (debootstrap --variant=minbase bookworm) from this
#      machine's Debian mirror, with bookworm-updates and -security as here;
#   3. a copy of it gets build-essential and the Build-Depends only
#      (apt-get build-dep) and runs dpkg-buildpackage -us -uc -b, so a
#      missing Build-Depends fails here;
#   4. lintian (no error), the .deb's files, hardening, and no test hooks
#      in its binary;
#   5. the other, untouched root installs it with apt-get (Depends resolved
#      from the archive) and boots make demo's sample guest (mbr-ext4) with
#      /usr/bin/pvboot, checking the kernel and ramdisk sha256 and the args
#      against the image's manifest; then pygrub's name, the man page, the
#      README's dpkg-divert of pygrub (against a stand-in package that owns
#      /usr/lib/xen-4.17/bin/pygrub, upgraded while diverted) and
#      dpkg --purge, which must leave none of the package's files.
#
# Each chroot command (and debootstrap) runs in its own mount namespace
# (unshare --mount), where the root is bind-mounted on itself and /proc and
# a new /dev/pts are mounted: those mounts end with the command on every
# exit path, and the final rm -rf of the temp dir can never reach the
# host's /proc.  The self-bind is needed: pvboot's worker makes "/"
# MS_PRIVATE before mounting its empty root, and mount(2) refuses that
# (EINVAL) when "/" is not a mount point, as in a plain chroot (a dom0 or
# a container always has "/" mounted).
#
# Needs root, debootstrap, git and the Debian mirror; caches nothing.
# Environment: DEB_MIRROR, DEB_SECURITY (default: this machine's apt
# sources, else deb.debian.org), DEB_KEEP=1 keeps the temp dir.  Ends
# with "deb: N passed, M failed, K skipped" (tests/counts.sh).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/counts.sh" deb
start=$SECONDS
finish() {
	echo "deb: wall time $((SECONDS - start)) s"
	counts_finish
}
# cannot run here: a skip with the reason, a failure when CI runs as root
cannot() {
	if ci_root; then bad "$*"; else skip "$*"; fi
	finish
}

[ "$(id -u)" = 0 ] || cannot "needs root (debootstrap, chroot, mount namespaces)"
for tool in debootstrap git unshare dpkg-deb readelf sha256sum; do
	command -v "$tool" >/dev/null || cannot "$tool is not installed (tests/install-deps.sh)"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-deb.XXXXXX")
cleanup() {
	# the mounts live in the chroot commands' own namespaces; this only
	# guards against one left here by hand before removing anything
	if grep -q " $T/" /proc/self/mountinfo; then
		echo "deb: mounts left under $T, not removing it" >&2
		return
	fi
	if [ "${DEB_KEEP:-}" = 1 ]; then echo "deb: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$T/logs"

# in_root ROOT CMD...: CMD chrooted in ROOT, in a private mount namespace
in_root() {
	local root=$1
	shift
	unshare --mount --propagation private --fork -- /bin/sh -c '
		r=$1; shift
		mount --bind "$r" "$r" && mount -t proc proc "$r/proc" &&
			mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts" ||
			exit 125
		exec chroot "$r" /usr/bin/env -i LANG=C.UTF-8 HOME=/root \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive "$@"' sh "$root" "$@"
}
# step NAME ROOT CMD...: in_root with the output in $T/logs/NAME.log,
# whose tail is shown when CMD fails
step() {
	local name=$1 st
	shift
	in_root "$@" >"$T/logs/$name.log" 2>&1
	st=$?
	[ $st = 0 ] || tail -n 25 "$T/logs/$name.log" | sed 's/^/    | /'
	return $st
}

# --- 1. a clean copy of HEAD ----------------------------------------------
head=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null) ||
	{ bad "clean copy: $repo is not a git clone"; finish; }
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	echo "note: the package is built from HEAD ($head); uncommitted changes are not in it"
fi
SRC=$T/src/pvboot
mkdir -p "$SRC"
git -C "$repo" archive HEAD | tar -x -C "$SRC"
check "clean copy of HEAD ($head)" $? ""

# make demo's sample guest and its manifest, built by the copy's own script
t0=$SECONDS
"$SRC/tests/images/build.sh" "$T/images" mbr-ext4 >"$T/logs/images.log" 2>&1
check "sample guest mbr-ext4 built ($((SECONDS - t0)) s)" $? "see tests/images/build.sh"
declare -A M
while IFS= read -r line; do M[${line%%=*}]=${line#*=}; done <"$T/images/mbr-ext4.expect" 2>/dev/null
for k in kernel kernel_sha256 ramdisk ramdisk_sha256 args titles; do
	[ -n "${M[$k]:-}" ] || { bad "manifest mbr-ext4.expect has no $k"; finish; }
done

# --- 2. a clean Debian 12 from this machine's mirror ----------------------
uris=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	/etc/apt/sources.list.d/*.sources 2>/dev/null |
	grep -v '^[[:space:]]*#' | grep -oE 'https?://[^][:space:]]+')
MIRROR=${DEB_MIRROR:-$(grep -E '/debian/?$' <<<"$uris" | head -n 1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEB_SECURITY:-$(grep -E '/debian-security/?$' <<<"$uris" | head -n 1)}
SECURITY=${SECURITY:-http://deb.debian.org/debian-security}
ROOT=$T/root
t0=$SECONDS
# in its own mount namespace too: the /proc and /sys it mounts in the
# target end with it, even if it is killed
unshare --mount --propagation private -- \
	debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$T/logs/debootstrap.log" 2>&1
st=$?
[ $st = 0 ] || tail -n 15 "$T/logs/debootstrap.log" | sed 's/^/    | /'
check "debootstrap --variant=minbase bookworm $MIRROR ($((SECONDS - t0)) s)" $st
[ $st = 0 ] || finish
# the point releases' and security updates too, as this machine has them:
# the package's Depends carry the versions it was built against
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY bookworm-security main
EOF
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null
step apt-update "$ROOT" apt-get update -q
check "apt-get update in the clean root" $? || finish

# --- 3. build the package in a copy that has only the Build-Depends -------
BROOT=$T/build-root
t0=$SECONDS
cp -a "$ROOT" "$BROOT" && mkdir -p "$BROOT/src" && cp -a "$SRC" "$BROOT/src/"
check "build root copied" $? || finish
# a developer's make check trees, which the package build must leave alone
mkdir -p "$BROOT/src/pvboot/build" "$BROOT/src/pvboot/build-asan"
touch "$BROOT/src/pvboot/build/counts" "$BROOT/src/pvboot/build-asan/counts"
step build-deps "$BROOT" /bin/sh -c 'apt-get install -y -q --no-install-recommends build-essential &&
	cd /src/pvboot && apt-get build-dep -y -q --no-install-recommends ./'
check "build root: build-essential and the Build-Depends ($((SECONDS - t0)) s)" $? "see debian/control" ||
	finish
t0=$SECONDS
step dpkg-buildpackage "$BROOT" /bin/sh -c 'cd /src/pvboot && dpkg-buildpackage -us -uc -b'
st=$?
check "dpkg-buildpackage -us -uc -b with only the Build-Depends ($((SECONDS - t0)) s)" $st
[ $st = 0 ] || finish
warnings=$(grep 'warning:' "$T/logs/dpkg-buildpackage.log")
check "the package build is warning-free" "$([ -z "$warnings" ]; echo $?)" "$(head -n 3 <<<"$warnings")"
# Debian's own checks of the package (errors fail; warnings are shown)
t0=$SECONDS
step lintian "$BROOT" /bin/sh -c 'apt-get install -y -q --no-install-recommends lintian >/dev/null &&
	cd /src && lintian --fail-on error pvboot_*.changes'
st=$?
grep -E '^[EW]: [^ ]+: ' "$T/logs/lintian.log" | sed 's/^/    /'
check "lintian: no error ($((SECONDS - t0)) s)" $st
[ -f "$BROOT/src/pvboot/build/counts" ] && [ -f "$BROOT/src/pvboot/build-asan/counts" ]
check "the package build leaves build/ and build-asan/ alone" $?
step rules-clean "$BROOT" /bin/sh -c 'cd /src/pvboot && debian/rules clean &&
	rm -r build build-asan'
diff -r "$SRC" "$BROOT/src/pvboot" >"$T/logs/clean.diff" 2>&1
check "debian/rules clean gives back the clean source tree" $? "$(head -n 5 "$T/logs/clean.diff")"
deb=$(ls "$BROOT"/src/pvboot_*_*.deb 2>/dev/null | grep -v dbgsym | head -n 1)
[ -n "$deb" ] || { bad "dpkg-buildpackage made no pvboot_*.deb"; finish; }
cp "$deb" "$T/" && deb=$T/${deb##*/}
echo "built ${deb##*/} ($(stat -c %s "$deb") bytes)"

# --- 4. what the .deb holds -----------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T/contents"
for f in /usr/bin/pvboot /usr/share/man/man1/pvboot.1.gz /usr/lib/pvboot/pygrub \
	/usr/share/doc/pvboot/copyright /usr/share/doc/pvboot/changelog.gz \
	/usr/share/doc/pvboot/README.md.gz; do
	grep -qx "$f" "$T/contents"
	check "the .deb holds $f" $?
done
link=$(dpkg-deb -c "$deb" | awk '$6 == "./usr/lib/pvboot/pygrub" { print $8 }')
check "/usr/lib/pvboot/pygrub links to pvboot" \
	"$([ "$link" = ../../bin/pvboot ]; echo $?)" "-> $link"
mkdir -p "$T/x" && dpkg-deb -x "$deb" "$T/x"
bin=$T/x/usr/bin/pvboot
hooks=$(strings "$bin" 2>&1 | grep -c PVBOOT_TEST)
check "no test hooks in the shipped binary (strings: no PVBOOT_TEST)" \
	"$([ "$hooks" = 0 ]; echo $?)" "$hooks strings"
# (readelf's output in variables: grep -q stopping early would SIGPIPE it)
elf=$(readelf -hdlW "$bin" 2>&1)
syms=$(readelf --dyn-syms -W "$bin" 2>&1)
grep -q 'Type:.*DYN' <<<"$elf"
check "hardening: position-independent executable" $?
grep -q 'FLAGS.*BIND_NOW' <<<"$elf" && grep -q GNU_RELRO <<<"$elf"
check "hardening: full RELRO (BIND_NOW)" $?
grep -q '__[a-z_]*_chk@' <<<"$syms"
check "hardening: _FORTIFY_SOURCE (__*_chk calls)" $?
grep -q '__stack_chk_fail@' <<<"$syms"
check "hardening: stack protector" $?

# --- 5. install into the clean root and boot the sample guest -------------
mkdir -p "$ROOT/tmp/pkg" "$ROOT/tmp/sample"
cp "$deb" "$ROOT/tmp/pkg/" && chmod -R a+rX "$ROOT/tmp/pkg"
cp "$T/images/mbr-ext4.img" "$ROOT/tmp/sample/"
cp "$T/x/usr/share/doc/pvboot/copyright" "$ROOT/tmp/sample/not-a-disk"
t0=$SECONDS
step install "$ROOT" /bin/sh -c 'apt-get install -y -q --no-install-recommends /tmp/pkg/pvboot_*.deb'
check "apt-get install ./${deb##*/} in the clean root ($((SECONDS - t0)) s)" $? || finish
status=$(in_root "$ROOT" dpkg-query -W -f='${Status}' pvboot 2>&1)
check "dpkg: pvboot installed" "$([ "$status" = "install ok installed" ]; echo $?)" "$status"
# Depends resolved from the archive: each library pvboot links is there
missing=$(in_root "$ROOT" /bin/sh -c 'ldd /usr/bin/pvboot | grep "not found"')
check "every library /usr/bin/pvboot needs came with its Depends" \
	"$([ -z "$missing" ]; echo $?)" "$missing"

# as libxl runs it: TERM=vt100 alone, simple0 into a file, files into a dir
rm -rf "$ROOT/tmp/out" && mkdir -p "$ROOT/tmp/out/boot"
in_root "$ROOT" /usr/bin/env -i TERM=vt100 /usr/bin/pvboot -q --output=/tmp/out/answer \
	--output-format=simple0 --output-directory=/tmp/out/boot /tmp/sample/mbr-ext4.img \
	>"$T/logs/boot.out" 2>"$T/logs/boot.err"
st=$?
check "installed pvboot boots the sample guest (exit 0)" $st "exit $st: $(head -c 300 "$T/logs/boot.err")"
declare -A A=()
while IFS= read -r -d '' item; do
	[ -n "$item" ] && A[${item%% *}]=${item#* }
done < <(cat "$ROOT/tmp/out/answer" 2>/dev/null)
sha_in_root() { # GUEST-PATH: sha256 of a file inside the root
	case $1 in /tmp/out/boot/*) sha256sum <"$ROOT$1" | cut -d' ' -f1 ;; *) echo "(not in the output dir: $1)" ;; esac
}
got=$(sha_in_root "${A[kernel]:-}")
check "kernel sha256 is the manifest's ${M[kernel]}" \
	"$([ "$got" = "${M[kernel_sha256]}" ]; echo $?)" "got $got"
got=$(sha_in_root "${A[ramdisk]:-}")
check "ramdisk sha256 is the manifest's ${M[ramdisk]}" \
	"$([ "$got" = "${M[ramdisk_sha256]}" ]; echo $?)" "got $got"
check "args are the manifest's: ${M[args]}" \
	"$([ "${A[args]:-}" = "${M[args]}" ]; echo $?)" "got '${A[args]:-}'"

# -n, as make demo shows it: the guest's paths and the args
want=$(printf 'kernel %s\nramdisk %s\nargs %s' "${M[kernel]}" "${M[ramdisk]}" "${M[args]}")
got=$(in_root "$ROOT" /usr/bin/pvboot -q -n --output-format=simple /tmp/sample/mbr-ext4.img 2>/dev/null)
check "pvboot -n names the manifest's kernel, ramdisk and args" \
	"$([ "$got" = "$want" ]; echo $?)" "got '$got'"
# -l: every title of the manifest (submenu entries as PARENT>TITLE)
listing=$(in_root "$ROOT" /usr/bin/pvboot -l /tmp/sample/mbr-ext4.img 2>/dev/null |
	sed -n 's/^title: //p' | sed 's/.*>//')
IFS='|' read -r -a titles <<<"${M[titles]}"
st=0
for t in "${titles[@]}"; do
	grep -qxF -- "$t" <<<"$listing" || { st=1; echo "    missing title: $t"; }
done
check "pvboot -l lists the manifest's ${#titles[@]} titles" $st

# pygrub's name: a failure is one RuntimeError line (xenopsd's rule)
err=$(in_root "$ROOT" /usr/lib/pvboot/pygrub -q /tmp/sample/not-a-disk 2>&1 >/dev/null)
st=$?
check "under pygrub's name a failure exits non-zero with one 'RuntimeError: ' line" \
	"$([ $st != 0 ] && [ "$(wc -l <<<"$err")" = 1 ] && [ "${err#RuntimeError: }" != "$err" ]; echo $?)" \
	"exit $st: $err"

# the man page, as man(1) finds it
in_root "$ROOT" /bin/sh -c 'zcat /usr/share/man/man1/pvboot.1.gz | grep -q "^\.TH PVBOOT 1"'
check "man page /usr/share/man/man1/pvboot.1.gz (.TH PVBOOT 1)" $?

# --- the README's dpkg-divert of pygrub -----------------------------------
# A stand-in package owns /usr/lib/xen-4.17/bin/pygrub as xen-utils-4.17
# does; it is upgraded while diverted, then the divert is undone.
standin() { # VERSION: a .deb owning /usr/lib/xen-4.17/bin/pygrub
	local d=$T/standin-$1
	mkdir -p "$d/DEBIAN" "$d/usr/lib/xen-4.17/bin"
	cat >"$d/DEBIAN/control" <<-EOF
	Package: pvboot-test-pygrub-owner
	Version: $1
	Architecture: all
	Maintainer: pvboot tests <pvboot-devel@pvboot.invalid>
	Description: owns pygrub's path as xen-utils-4.17 does (tests/deb.sh)
	EOF
	printf '#!/bin/sh\necho "distribution pygrub %s"\n' "$1" >"$d/usr/lib/xen-4.17/bin/pygrub"
	chmod 0755 "$d/usr/lib/xen-4.17/bin/pygrub"
	dpkg-deb --root-owner-group --build "$d" "$ROOT/tmp/pkg/standin_$1.deb" >/dev/null
}
PYGRUB=/usr/lib/xen-4.17/bin/pygrub
standin 1 && standin 2
step standin-1 "$ROOT" dpkg -i /tmp/pkg/standin_1.deb
check "stand-in package installs $PYGRUB" $?
step divert-add "$ROOT" /bin/sh -c "dpkg-divert --local --rename --add $PYGRUB &&
	ln -s /usr/lib/pvboot/pygrub $PYGRUB"
check "README: dpkg-divert --local --rename --add $PYGRUB; ln -s /usr/lib/pvboot/pygrub" $?
got=$(in_root "$ROOT" $PYGRUB -q -n --output-format=simple /tmp/sample/mbr-ext4.img 2>/dev/null)
check "diverted: $PYGRUB runs pvboot (the sample's kernel)" "$([ "$got" = "$want" ]; echo $?)" "got '$got'"
err=$(in_root "$ROOT" $PYGRUB -q /tmp/sample/not-a-disk 2>&1 >/dev/null)
check "diverted: failures read 'RuntimeError: ' (pygrub's name)" \
	"$([ "${err#RuntimeError: }" != "$err" ]; echo $?)" "$err"
step standin-2 "$ROOT" dpkg -i /tmp/pkg/standin_2.deb
got=$(in_root "$ROOT" /bin/sh -c "readlink $PYGRUB; $PYGRUB.distrib")
check "an upgrade of the owner keeps pvboot in place and its pygrub in pygrub.distrib" \
	"$([ "$got" = "/usr/lib/pvboot/pygrub"$'\n'"distribution pygrub 2" ]; echo $?)" "got '$got'"
step divert-remove "$ROOT" /bin/sh -c "rm $PYGRUB &&
	dpkg-divert --local --rename --remove $PYGRUB"
got=$(in_root "$ROOT" /bin/sh -c "$PYGRUB; dpkg-divert --list '*pygrub*'; ls ${PYGRUB%/*}")
check "README: rm; dpkg-divert --rename --remove restores the package's pygrub" \
	"$([ "$got" = "distribution pygrub 2"$'\n'"pygrub" ]; echo $?)" "got '$got'"
step standin-purge "$ROOT" dpkg --purge pvboot-test-pygrub-owner

# --- dpkg --purge leaves none of the package's files ----------------------
step purge "$ROOT" dpkg --purge pvboot
check "dpkg --purge pvboot" $?
left=$(while read -r f; do
	[ "$f" = / ] && continue
	case $f in /usr/ | /usr/bin/ | /usr/lib/ | /usr/share/ | /usr/share/doc/ | \
		/usr/share/man/ | /usr/share/man/man1/) continue ;; esac
	if [ -e "$ROOT$f" ] || [ -L "$ROOT${f%/}" ]; then echo "$f"; fi
done <"$T/contents")
check "nothing of the package is left after the purge" "$([ -z "$left" ]; echo $?)" "$(echo $left)"
finish
