/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --allow-backing: opening a disk image's backing chain as root, for the
 * worker to read (partition/vdisk.h).  The worker names each level; this
 * side parses no image format, it only judges the name as hostile text
 * and opens it under one trust rule:
 *
 *   A backing file must be a regular file beneath the directory of the
 *   image given on the command line (the "image directory"), reached
 *   without any symlink.  A name is resolved relative to the directory
 *   of the image that names it; an absolute name is taken only when it
 *   starts with the image directory's canonical path.  Everything else
 *   (/etc/shadow, /dev/sda, ../../x, a symlink, a directory, a device, a
 *   fifo) is refused, as are a file already in the chain (a loop) and a
 *   chain deeper than PV_MAX_BACKING_DEPTH.
 *
 * So a hostile image can make pvboot read only files the operator put
 * beside it, and only when the operator asked for backing files.
 */
#ifndef PVBOOT_BOOTLOADER_PRIVILEGED_BACKING_H
#define PVBOOT_BOOTLOADER_PRIVILEGED_BACKING_H

#include "common/pvlimits.h"
#include "partition/vdisk.h"

#include <limits.h>
#include <sys/types.h>

struct backing {
	int rootfd;                 /* the image directory, -1 if unused */
	char root_abs[PATH_MAX];    /* its canonical path */
	/* each level's path beneath the image directory (0: the image) */
	char rel[PV_MAX_BACKING_DEPTH + 1][PATH_MAX];
	dev_t dev[PV_MAX_BACKING_DEPTH + 1];
	ino_t ino[PV_MAX_BACKING_DEPTH + 1];
};

/* Set up for the image at path, open as diskfd; c starts empty (allow as
 * given).  Without allow nothing is opened.  0 or a negative PV_E*. */
int backing_init(struct backing *b, struct vdisk_chain *c, int allow,
		 const char *path, int diskfd);
/* Open the level below the deepest one, named name by it: 0, or a
 * negative PV_E* with one line naming the reason. */
int backing_open_next(struct backing *b, struct vdisk_chain *c,
		      const char *name);
/* Close every fd opened. */
void backing_close(struct backing *b, struct vdisk_chain *c);

#endif
