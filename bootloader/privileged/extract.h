/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor's side of extraction: files in the output directory
 * (relative to a directory fd opened once), created unnamed (O_TMPFILE,
 * mode 0600) before the worker's bytes arrive, filled from the stream and
 * from the disk, and named boot_kernel.XXXXXX / boot_ramdisk.XXXXXX only
 * when complete (linkat), so a run killed mid-copy leaves nothing.  Where
 * O_TMPFILE is not supported the files get their name at creation
 * (O_EXCL, O_NOFOLLOW) as before.  Every name given is registered for
 * removal on SIGTERM (cleanup.h) and on failure (extract_rollback).
 */
#ifndef PVBOOT_BOOTLOADER_EXTRACT_H
#define PVBOOT_BOOTLOADER_EXTRACT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "bootloader/wire/blob.h"
#include "partition/vdisk.h"

struct extract {
	int dirfd;
	char dir[PATH_MAX];
	int diskfd;
	/* --allow-backing: the chain's fds; a SEG_DISK of file k >= 1 is
	 * copied from chain->fd[k] (validated: k <= chain->n) */
	const struct vdisk_chain *chain;
	int fd[2];         /* kernel, ramdisk: open while being filled, or -1 */
	char names[2][32]; /* the name each file got ("" none yet) */
	int no_tmpfile;    /* test: PVBOOT_TEST_NO_TMPFILE, the fallback */
};

/* Open the output directory.  default_dir: it is pvboot's own
 * (/var/run/xen/pygrub): created if missing without following a symlink
 * planted by anyone but root, and refused unless it is a directory owned
 * by us (root) with mode 0700.  PV_EIO/PV_EINVAL with one line otherwise. */
int extract_open(struct extract *x, const char *dir, int default_dir,
		 int diskfd);
/* Create file (0 kernel, 1 ramdisk), unnamed where possible. */
int extract_create(struct extract *x, int file, const char *prefix);
/* n stream bytes at off of file. */
int extract_write(struct extract *x, int file, uint64_t off,
		  const uint8_t *p, size_t n);
/* Copy b's disk ranges (its stream bytes are already written), size the
 * file to b->total, close it and give it its name: "dir/prefix.XXXXXX"
 * into path_out. */
int extract_finish(struct extract *x, int file, const char *prefix,
		   const struct blob *b, char *path_out, size_t path_out_sz);
/* Remove everything created (on failure). */
void extract_rollback(struct extract *x);
void extract_close(struct extract *x);

#endif
