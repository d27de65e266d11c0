/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xl domain configs, read with libxenlight's own parser (libxlutil), turned
 * into what libxl would hand the bootloader: the disk it attaches, the
 * kernel/ramdisk/cmdline it passes, and bootloader_args.  The config is a
 * root-owned dom0 file, not guest input: reading it here, privileged, is
 * fine.  Nothing here touches the guest's disk beyond checking it opens.
 */
#ifndef PVBOOT_BOOTLOADER_DOMCFG_H
#define PVBOOT_BOOTLOADER_DOMCFG_H

#include <stddef.h>

/* Where xl keeps domain configs; PVBOOT_XEN_CONFIG_DIR overrides it. */
#define DOMCFG_DEFAULT_DIR "/etc/xen"

struct domcfg {
	char *path;        /* the config file read */
	char *disk;        /* the target libxl would hand the bootloader */
	char *vdev;        /* its virtual device name (xvda, ...) */
	char *kernel;      /* kernel= (a path inside the guest), or NULL */
	char *ramdisk;     /* ramdisk= */
	char *cmdline;     /* cmdline=, or root=/extra= as xl builds it */
	char *bootloader;  /* bootloader=, or NULL */
	char **bl_args;    /* bootloader_args, in order */
	int n_bl_args;
	char *warning;     /* one line to show (e.g. bootloader= names
			      something else), or NULL */
};

/* Find NAME's config: DIR/NAME, DIR/NAME.cfg, then DIR/auto/NAME.
 * Writes the path into buf.  0, or PV_ENOENT with a message. */
int domcfg_find(const char *name, char *buf, size_t bufsz);

/* Parse PATH; pick the first disk, or the one whose vdev is want_vdev.
 * 0, or a negative code with a one-line message (libxlutil's own text
 * for a config that does not parse). */
int domcfg_load(const char *path, const char *want_vdev, struct domcfg *dc);
void domcfg_free(struct domcfg *dc);

#endif
