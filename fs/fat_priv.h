/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-only FAT12/16/32: what fat.c (boot sector, mount), fat_chain.c
 * (allocation table, cluster chains, file data) and fat_dir.c (directory
 * entries, long names, lookup) share.
 *
 * A node is identified by its first cluster (ino); aux says whether it is
 * the fixed FAT12/16 root directory, which lives outside the cluster heap.
 */
#ifndef PVBOOT_FS_FAT_PRIV_H
#define PVBOOT_FS_FAT_PRIV_H

#include "fs/fs.h"

#include <stddef.h>
#include <stdint.h>

#define FAT_AUX_FIXED_ROOT 1u /* aux flag: the FAT12/16 root region */
#define FAT_DIRENT_SIZE 32u
#define FAT_WIN_BYTES 65536u /* FAT bytes cached at once */

/* A run of contiguous clusters [start, start + count). */
struct fat_run {
	uint32_t start;
	uint32_t count;
};

/* The clusters of one chain, cached for the last file or directory used
 * (reads come in chunks: re-walking the chain each time would be
 * quadratic). */
struct fat_map {
	uint32_t first;   /* first cluster; 0 = nothing cached */
	uint64_t bytes;   /* bytes the chain was walked for */
	struct fat_run *runs;
	size_t nruns;
	size_t cap;
};

struct fat_fs {
	struct fs base;            /* must be first */
	unsigned bits;             /* 12, 16 or 32 */
	uint32_t bytes_per_sector;
	uint32_t cluster_size;     /* bytes */
	uint32_t clusters;         /* data clusters: valid numbers 2..clusters+1 */
	uint64_t fat_off;          /* byte offset of the FAT in use (volume) */
	uint64_t fat_bytes;        /* its size */
	uint64_t root_off;         /* FAT12/16: fixed root region (volume) */
	uint32_t root_bytes;
	uint32_t root_cluster;     /* FAT32 */
	uint64_t data_off;         /* byte offset of cluster 2 (volume) */
	/* a window of the FAT, read on demand */
	uint8_t *win;
	uint64_t win_off;
	uint32_t win_len;
	struct fat_map map;
};

#define FAT(fs) ((struct fat_fs *)(fs))

/* fat_chain.c */
/* The chain starting at first, walked for exactly `bytes` (a file) or to
 * its end (bytes = UINT64_MAX: a directory, bounded by PV_MAX_DIR_BYTES).
 * The result lives in f->map until the next call. */
int fat_map_chain(struct fat_fs *f, uint32_t first, uint64_t bytes,
		  const struct fat_map **out);
uint64_t fat_cluster_off(const struct fat_fs *f, uint32_t cluster);
void fat_map_free(struct fat_map *m);
long fat_read(struct fs *fs, const struct fs_node *n, uint64_t off, void *buf,
	      size_t len);
int fat_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		void *ctx);

/* fat_dir.c */
int fat_lookup(struct fs *fs, const struct fs_node *dir, const char *name,
	       size_t namelen, struct fs_node *out);
int fat_readdir(struct fs *fs, const struct fs_node *dir, fs_dirent_cb cb,
		void *ctx);
/* The volume label entry of the root directory, if any ("" otherwise). */
int fat_root_label(struct fat_fs *f, const struct fs_node *root, char *buf,
		   size_t bufsz);

#endif
