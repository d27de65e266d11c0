/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor's side of extraction: create boot_kernel.XXXXXX and
 * boot_ramdisk.XXXXXX in the output directory (O_EXCL, O_NOFOLLOW, 0600,
 * relative to a directory fd opened once), copy validated blobs from the
 * disk fd into them, and on any failure remove every file it created.
 */
#ifndef PVBOOT_BOOTLOADER_EXTRACT_H
#define PVBOOT_BOOTLOADER_EXTRACT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "bootloader/wire/blob.h"

struct extract {
	int dirfd;
	char dir[PATH_MAX];
	int diskfd;
	char names[2][32]; /* created files, relative to dirfd */
	int n;
};

/* Open (creating the default one if create is set) the output directory. */
int extract_open(struct extract *x, const char *dir, int create, int diskfd);
/* Create prefix.XXXXXX (removed again by extract_rollback) and return its
 * fd, open for writing; full path into path_out.  For callers that stream
 * bytes in themselves (netboot). */
int extract_create(struct extract *x, const char *prefix, char *path_out,
		   size_t path_out_sz);
/* Copy len bytes of in at in_off to out at out_off (copy_file_range where
 * the kernel can, read/write otherwise). */
int extract_copy(int in, uint64_t in_off, int out, uint64_t out_off,
		 uint64_t len);
/* Create prefix.XXXXXX and fill it; full path into path_out. */
int extract_blob(struct extract *x, const char *prefix, const struct blob *b,
		 char *path_out, size_t path_out_sz);
/* Remove everything created (on failure). */
void extract_rollback(struct extract *x);
void extract_close(struct extract *x);

#endif
