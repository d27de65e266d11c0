/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --output: checked before the worker runs, written only when the run has
 * succeeded, and then whole: the answer goes to a temp file in the same
 * directory that is renamed over the target.  A failed run leaves the
 * target exactly as it was (bytes, mtime) and creates nothing: libxl
 * creates the file beforehand and reads it, by name, after we exit.
 */
#ifndef PVBOOT_BOOTLOADER_OUTFILE_H
#define PVBOOT_BOOTLOADER_OUTFILE_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct outfile {
	int to_stdout;
	int dirfd;
	char path[PATH_MAX];  /* as given, for messages */
	char base[NAME_MAX + 1];
	int existed;
	mode_t mode;          /* the existing file's permissions */
};

/* path NULL or "-": stdout.  Otherwise the target may be missing or a
 * regular file; a symlink, FIFO, device or directory is refused
 * (security.md E5), as is a directory we cannot open.  PV_EIO with one
 * line. */
int outfile_check(struct outfile *o, const char *path);
/* Write buf whole (the temp file and the rename).  PV_EIO on failure, and
 * then the target is untouched and the temp file gone. */
int outfile_commit(struct outfile *o, const char *buf, size_t len);
void outfile_close(struct outfile *o);

#endif
