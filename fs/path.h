/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path resolution shared by every backend: components, "." and "..",
 * relative and absolute symlinks resolved inside the guest filesystem (".."
 * clamps at its root), PV_MAX_SYMLINKS hops, PV_PATH_MAX/PV_NAME_MAX.
 */
#ifndef PVBOOT_FS_PATH_H
#define PVBOOT_FS_PATH_H

#include "fs/fs.h"

/* Resolve path (absolute or relative to "/") following symlinks,
 * including a final one.  Returns 0, PV_ENOENT, PV_ELOOP, PV_ELIMIT... */
int fs_resolve(struct fs *fs, const char *path, struct fs_node *out);
/* Resolve and require a regular file. PV_ENOTREG otherwise. */
int fs_resolve_file(struct fs *fs, const char *path, struct fs_node *out);
/* Resolve and require a directory. */
int fs_resolve_dir(struct fs *fs, const char *path, struct fs_node *out);
/* Read a whole regular file of at most max bytes into a malloc'd,
 * NUL-terminated buffer.  PV_ELIMIT if larger. */
int fs_read_file(struct fs *fs, const char *path, size_t max, char **buf,
		 size_t *len);

#endif
