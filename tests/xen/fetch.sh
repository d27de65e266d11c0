# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/xen/run.sh: fetch the Debian packages the Xen test boots
# (hypervisor, kernel, busybox) and build the dom0 root filesystem, all
# cached under $CACHE/KEY, where KEY names the package versions.  Every
# function prints why it failed on stderr and returns non-zero; run.sh turns
# a failure here into SKIP (the machine cannot run the test at all).

# Packages whose versions key the cache.  The kernel is the one the
# metapackage linux-image-amd64 currently depends on.
XEN_HYP_PKG=xen-hypervisor-4.17-amd64
XEN_UTILS_PKG=xen-utils-4.17
BUSYBOX_PKG=busybox-static

# Shared libraries pvboot needs (Debian 12 names), installed into dom0.
# libcurl4 is not linked but dlopen()ed by the network worker (--location).
PVBOOT_LIB_PKGS="libext2fs2 libcom-err2 libfdisk1 libblkid1 libseccomp2
libncursesw6 libtinfo6 zlib1g libzstd1 liblzo2-2 libcurl4"

# Dom0 kernel modules: xenfs/evtchn/gntdev/privcmd for the toolstack,
# blkback and loop for guest disks, virtio-blk for the disk that carries
# the guest disk images into dom0.
DOM0_MODULES="drivers/xen drivers/block/xen-blkback drivers/block/loop.ko
drivers/virtio drivers/block/virtio_blk.ko"

candidate() { # PKG: the version apt would install, or nothing
	apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)'
}

# kernel_pkg: linux-image-X.Y.Z-N-amd64, the metapackage's dependency.
kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1
}

# apt_sources: "URI SUITE" for this release and its -updates/-security, as
# this machine's apt knows them (whatever the format of its sources files).
apt_sources() {
	local codename
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || return 1
	apt-get indextargets --format '$(SITE) $(RELEASE)' 2>/dev/null | sort -u |
		awk -v c="$codename" '$2 == c || $2 == c "-updates" || $2 == c "-security"'
}

# cache_key: sets XEN_KEY from the versions of everything baked into the
# cache, plus this file (a change in how dom0 is built rebuilds it), and
# KERNEL_PKG, XEN_VERSIONS.
cache_key() {
	local k v p
	KERNEL_PKG=$(kernel_pkg)
	[ -n "$KERNEL_PKG" ] || { echo "no linux-image-amd64 in apt's lists" >&2; return 1; }
	k=""
	for p in "$XEN_HYP_PKG" "$XEN_UTILS_PKG" "$BUSYBOX_PKG" "$KERNEL_PKG"; do
		v=$(candidate "$p")
		[ -n "$v" ] || { echo "package $p is not available from apt" >&2; return 1; }
		k="$k $p=$v"
	done
	XEN_VERSIONS=${k# }
	XEN_KEY=$(printf '%s\n%s\n' "$XEN_VERSIONS" "$(sha256sum "$XEN_HERE/fetch.sh" | cut -c1-16)" |
		sha256sum | cut -c1-16)
}

# fetch_debs DIR: download the packages' .debs into DIR and unpack the
# hypervisor (plain ELF: QEMU's multiboot loader cannot take the .gz),
# the kernel, its modules for dom0, and busybox.
fetch_debs() {
	local d=$1 x
	mkdir -p "$d/debs" "$d/x"
	(cd "$d/debs" && apt-get download -q "$XEN_HYP_PKG" "$KERNEL_PKG" "$BUSYBOX_PKG" \
		>"$d/download.log" 2>&1) || {
		echo "apt-get download failed: $(tail -n1 "$d/download.log")" >&2
		return 1
	}
	for x in "$d"/debs/*.deb; do dpkg-deb -x "$x" "$d/x" || return 1; done
	gunzip -c "$d"/x/boot/xen-4.17-amd64.gz >"$d/xen" || return 1
	cp "$d"/x/boot/vmlinuz-* "$d/vmlinuz" || return 1
	cp "$d/x/bin/busybox" "$d/busybox" || return 1
	KVER=$(basename "$d"/x/lib/modules/*)
	echo "$KVER" >"$d/kver"
}

# build_dom0 DIR: debootstrap minbase + xen-utils (from the release and its
# -updates/-security suites, so the tools match the hypervisor) + pvboot's
# libraries + a few kernel modules, trimmed, packed as DIR/dom0-base.cpio.gz.
build_dom0() {
	local d=$1 r=$1/root mirror m kver
	kver=$(cat "$d/kver")
	mirror=$(apt_sources | awk '$2 !~ /-/ {print $1; exit}')
	[ -n "$mirror" ] || { echo "no Debian mirror in apt's sources" >&2; return 1; }
	rm -rf "$r"
	debootstrap --variant=minbase --include=kmod "$(. /etc/os-release && echo "$VERSION_CODENAME")" \
		"$r" "$mirror" >"$d/debootstrap.log" 2>&1 || {
		echo "debootstrap failed: $(tail -n2 "$d/debootstrap.log" | tr '\n' ' ')" >&2
		return 1
	}
	apt_sources | awk '{print "deb " $1 " " $2 " main"}' >"$r/etc/apt/sources.list"
	# shellcheck disable=SC2086
	{ chroot "$r" apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive chroot "$r" apt-get install -y -q \
			--no-install-recommends "$XEN_UTILS_PKG" $PVBOOT_LIB_PKGS; } \
		>"$d/dom0-apt.log" 2>&1 || {
		echo "apt-get in the dom0 root failed: $(tail -n2 "$d/dom0-apt.log" | tr '\n' ' ')" >&2
		return 1
	}
	# the hypervisor and the tools must be the same release
	m=$(chroot "$r" dpkg-query -W -f '${Version}' "$XEN_UTILS_PKG")
	[ "$m" = "$(candidate "$XEN_HYP_PKG")" ] || {
		echo "dom0 got $XEN_UTILS_PKG $m, hypervisor is $(candidate "$XEN_HYP_PKG")" >&2
		return 1
	}
	for m in $DOM0_MODULES; do
		mkdir -p "$r/lib/modules/$kver/kernel/$(dirname "$m")"
		cp -a "$d/x/lib/modules/$kver/kernel/$m" "$r/lib/modules/$kver/kernel/$m"
	done
	cp "$d"/x/lib/modules/"$kver"/modules.order "$d"/x/lib/modules/"$kver"/modules.builtin* \
		"$r/lib/modules/$kver/" 2>/dev/null || true
	chroot "$r" depmod "$kver" || return 1
	rm -rf "$r"/var/cache/apt/* "$r"/var/lib/apt/lists/* "$r"/usr/share/doc \
		"$r"/usr/share/man "$r"/usr/share/info "$r"/usr/share/locale
	chroot "$r" dpkg-query -W -f '${Package}\n' >"$d/dom0-packages"
	(cd "$r" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) \
		>"$d/dom0-base.cpio.gz.tmp" || return 1
	# the libraries dom0 holds, by file name, for the ldd check in run.sh
	(cd "$r" && find lib usr/lib -name '*.so*' -printf '%f\n') | sort -u >"$d/dom0-libs"
	mv "$d/dom0-base.cpio.gz.tmp" "$d/dom0-base.cpio.gz"
	rm -rf "$r"
}

# ensure_cache: set XEN_C to a complete cache directory, building it if
# needed.  Needs root (debootstrap, chroot).
ensure_cache() {
	cache_key || return 1
	XEN_C=$CACHE/$XEN_KEY
	if [ -s "$XEN_C/dom0-base.cpio.gz" ] && [ -s "$XEN_C/xen" ]; then
		echo "xen: cached dom0 and packages in $XEN_C ($XEN_VERSIONS)"
		return 0
	fi
	echo "xen: fetching $XEN_VERSIONS into $XEN_C"
	rm -rf "$XEN_C"
	mkdir -p "$XEN_C"
	fetch_debs "$XEN_C" || return 1
	echo "xen: building the dom0 root (debootstrap, xen-utils) ..."
	build_dom0 "$XEN_C" || return 1
	rm -rf "$XEN_C/debs"
	rm -rf "$XEN_C/x"  # keep only xen, vmlinuz, busybox and the dom0 archive
	echo "$XEN_VERSIONS" >"$XEN_C/versions"
}
