/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guest's own PV bootloader (grub-xen's pvboot-x86_64.elf), offered
 * as one more menu entry; see pvgrub.c. */
#ifndef PVBOOT_BOOTLOADER_PVGRUB_H
#define PVBOOT_BOOTLOADER_PVGRUB_H

#include "bootloader/confined/volumes.h"
#include "bootloader/wire/options.h"

#define PVGRUB_TITLE "Chainload the guest's own PV-GRUB"

/* When volume vi holds a PV-GRUB image that is a 64-bit ELF with Xen ELF
 * notes, append its entry to m (the default with --prefer-pvgrub).  0
 * (added or not there), or an error (out of memory, too many entries). */
int pvgrub_add(struct run_ctx *rc, size_t vi, const struct options *o,
	       struct menu *m);

#endif
