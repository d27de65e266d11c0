#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian 12 packages pvboot builds and tests with.  Idempotent:
# does nothing when everything is already installed.
set -euo pipefail
pkgs=(build-essential pkg-config libext2fs-dev libfdisk-dev libblkid-dev
      libseccomp-dev libncurses-dev libcurl4-openssl-dev zlib1g-dev libzstd-dev liblzo2-dev
      libssl-dev libcrypt-dev
      e2fsprogs fdisk gdisk mtools dosfstools xfsprogs btrfs-progs xorriso qemu-utils
      lvm2 mdadm
      clang valgrind python3 tmux openssl time libxen-dev
      binutils systemd-boot-efi grub-xen-bin xz-utils bzip2 lzop lz4 zstd
      python3-pyftpdlib
      debootstrap git # make check-deb: clean Debian 12 chroots, git archive
      grub-common) # grub-editenv: the byte-for-byte grubenv reference
# pygrub, the reference the tests compare with (optional where unavailable)
optional=(xen-utils-4.17)
missing=()
for p in "${pkgs[@]}" "${optional[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
apt-get install -y -qq --no-install-recommends "${optional[@]}" >/dev/null 2>&1 ||
	echo "install-deps: ${optional[*]} not installable: pygrub comparisons will be skipped" >&2
