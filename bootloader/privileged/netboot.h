/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pvboot --location=URL|DIR|ISO: boot an installer from an install tree
 * (xenpvnetboot's job).  An http/https/ftp URL is fetched by a confined
 * network worker (bootloader/confined/netfetch.c) whose byte stream the
 * supervisor checks and writes into files it created; a local directory
 * is copied by the supervisor (the operator's own files: nothing is
 * parsed); an ISO image goes through the ordinary disk run, where the
 * worker looks for the same layouts (menu/netlayout.h) before the ISO's
 * own boot configs.
 */
#ifndef PVBOOT_BOOTLOADER_NETBOOT_H
#define PVBOOT_BOOTLOADER_NETBOOT_H

#include "bootloader/privileged/extract.h"
#include "bootloader/wire/options.h"

enum netboot_kind { NETBOOT_URL, NETBOOT_DIR, NETBOOT_IMAGE };

/* Decide what --location names; for NETBOOT_IMAGE, o->image becomes the
 * image's path and o->netboot_layouts is set (then run as a disk). */
int netboot_classify(struct options *o, enum netboot_kind *kind);

/*
 * NETBOOT_URL and NETBOOT_DIR: fetch or copy the kernel and ramdisk into
 * x's directory (with -n: copy nothing) and put what the output line names
 * into kpath/rpath (*have_ramdisk says whether there is one).  Returns an
 * exit status (EXIT_OK or the failure's, with pv_err set).
 */
int netboot_run(const struct options *o, enum netboot_kind kind,
		struct extract *x, char *kpath, size_t ksz, char *rpath,
		size_t rsz, int *have_ramdisk);

#endif
