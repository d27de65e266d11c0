/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One interface, many filesystem backends.  A backend is one file ending in
 * one `const struct fs_ops`, listed once in fs/fs.c.  Backends never walk
 * paths: they answer "this name in this directory", "read these bytes" and
 * "what does this symlink say"; fs/path.c does the walking for all of them.
 */
#ifndef PVBOOT_FS_FS_H
#define PVBOOT_FS_FS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "partition/disk.h"

/* A file or directory, as found by lookup.  Backends may use ino and aux
 * however they need (btrfs: aux = subvolume tree id). */
struct fs_node {
	uint64_t ino;
	uint64_t aux;
	uint32_t mode;  /* S_IFREG, S_IFDIR, S_IFLNK ... plus permission bits */
	uint64_t size;  /* bytes */
};

struct fs;
struct fs_ops;

/* Common head of every mounted filesystem; a backend embeds it first. */
struct fs {
	const struct fs_ops *ops;
	struct volume *vol;
	char uuid[40];   /* as GRUB's search --fs-uuid prints it, "" if none */
	char label[64];  /* volume label, "" if none */
};

/* A piece of a file as bytes of the *disk* (not the volume): the copier may
 * move it without reading it into user space.  zero=1 means a hole. */
struct fs_extent {
	uint64_t file_off;  /* offset in the file */
	/* vol->offset + the offset in the volume: for a partition the
	 * absolute disk offset; for an LV (offset 0, mapped through segments)
	 * the volume offset, which bootloader/confined/fileblob.c maps to
	 * one or more disk ranges with vol_map().  Ignored if zero. */
	uint64_t disk_off;
	uint64_t len;       /* bytes */
	int zero;
};
typedef int (*fs_extent_cb)(void *ctx, const struct fs_extent *e);
/* One directory entry; return non-zero from the callback to stop early
 * (that value is returned by readdir). */
typedef int (*fs_dirent_cb)(void *ctx, const char *name, size_t namelen);

struct fs_ops {
	const char *name; /* "ext4", "xfs", ... */
	/* Cheap magic check: 0 = mine, PV_ENOTMINE, or another error. */
	int (*probe)(struct volume *v);
	/* Validate and mount: 0, PV_ENOTMINE, or PV_ECORRUPT/... with a
	 * message naming the structure. */
	int (*mount)(struct volume *v, struct fs **out);
	int (*root)(struct fs *fs, struct fs_node *out);
	/* Find one name (not "." or "..", no '/') in directory dir:
	 * 0, PV_ENOENT, or an error. */
	int (*lookup)(struct fs *fs, const struct fs_node *dir,
		      const char *name, size_t namelen, struct fs_node *out);
	/* Read up to len bytes at off; returns bytes read (short only at EOF)
	 * or a negative code. */
	long (*read)(struct fs *fs, const struct fs_node *n, uint64_t off,
		     void *buf, size_t len);
	/* Symlink target into buf (NUL-terminated); returns its length or
	 * a negative code; a target longer than bufsz-1 is PV_ELIMIT. */
	int (*readlink)(struct fs *fs, const struct fs_node *n, char *buf,
			size_t bufsz);
	/* List directory dir (without "." and ".."), at most
	 * PV_MAX_DIR_ENTRIES names, PV_ELIMIT past that. */
	int (*readdir)(struct fs *fs, const struct fs_node *dir,
		       fs_dirent_cb cb, void *ctx);
	/* Optional: report the file as disk extents in file order, covering
	 * [0, size) exactly.  PV_ENOTSUP when the file is not plainly mapped
	 * (compressed, inline): the caller falls back to read. */
	int (*extents)(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		       void *ctx);
	/* Optional: the volume's own name ("ext4" for an ext2-family fs
	 * with extents); NULL to use ops->name. */
	const char *(*variant)(struct fs *fs);
	void (*unmount)(struct fs *fs);
};

/* The registry, in probe order (fs/fs.c). */
extern const struct fs_ops *const fs_backends[];

/*
 * Probe every backend on v and mount the first that claims it.
 * Returns 0 and *out; PV_ENOTMINE when no backend recognises the volume;
 * or the claiming backend's error (message recorded) when it is corrupt.
 */
int fs_mount_any(struct volume *v, struct fs **out);
void fs_unmount(struct fs *fs);
/* "ext4", "xfs"... for messages. */
const char *fs_type_name(struct fs *fs);

#endif
