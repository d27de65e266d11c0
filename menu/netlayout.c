/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Install-tree layouts, most specific first (netlayout.h). */
#include "menu/netlayout.h"

const struct netlayout netlayouts[] = {
	/* Debian/Ubuntu mirror: dists/SUITE/main/installer-amd64/ */
	{ "Debian/Ubuntu netboot (Xen)",
	  "current/images/netboot/xen/vmlinuz",
	  "current/images/netboot/xen/initrd.gz" },
	{ "Debian/Ubuntu netboot (debian-installer)",
	  "current/images/netboot/debian-installer/amd64/linux",
	  "current/images/netboot/debian-installer/amd64/initrd.gz" },
	/* the same, with the location pointing further down the tree */
	{ "Debian/Ubuntu netboot (Xen)", "netboot/xen/vmlinuz",
	  "netboot/xen/initrd.gz" },
	{ "Debian/Ubuntu netboot (debian-installer)",
	  "netboot/debian-installer/amd64/linux",
	  "netboot/debian-installer/amd64/initrd.gz" },
	{ "Debian/Ubuntu netboot (Xen)", "xen/vmlinuz", "xen/initrd.gz" },
	{ "Debian/Ubuntu netboot (debian-installer)", "debian-installer/amd64/linux",
	  "debian-installer/amd64/initrd.gz" },
	/* Debian installer ISO */
	{ "Debian installer ISO (Xen)", "install.amd/xen/vmlinuz",
	  "install.amd/xen/initrd.gz" },
	{ "Debian installer ISO", "install.amd/vmlinuz", "install.amd/initrd.gz" },
	/* Fedora, RHEL, Rocky, Alma, CentOS, Oracle Linux: tree and ISO */
	{ "Fedora/EL pxeboot", "images/pxeboot/vmlinuz",
	  "images/pxeboot/initrd.img" },
	{ "Fedora/EL isolinux", "isolinux/vmlinuz", "isolinux/initrd.img" },
	{ "Fedora/EL Xen (old)", "images/xen/vmlinuz", "images/xen/initrd.img" },
	/* openSUSE and SLES: tree and ISO */
	{ "openSUSE/SLES", "boot/x86_64/loader/linux",
	  "boot/x86_64/loader/initrd" },
	{ "openSUSE/SLES Xen (old)", "boot/x86_64/vmlinuz-xen",
	  "boot/x86_64/initrd-xen" },
};

const size_t n_netlayouts = sizeof(netlayouts) / sizeof(netlayouts[0]);
