/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where distributions put the installer kernel and initrd in an install
 * tree (a mirror's URL, a local copy of it, or an installer ISO).  Data
 * only: the netboot fetcher (bootloader/confined/netfetch.c), the local
 * directory copier and the disk pipeline on an ISO walk the same table.
 */
#ifndef PVBOOT_MENU_NETLAYOUT_H
#define PVBOOT_MENU_NETLAYOUT_H

#include <stddef.h>

struct netlayout {
	const char *name;    /* shown to the operator: which layout matched */
	const char *kernel;  /* relative to the location, no leading '/' */
	const char *ramdisk;
};

extern const struct netlayout netlayouts[];
extern const size_t n_netlayouts;

#endif
