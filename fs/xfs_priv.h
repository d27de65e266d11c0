/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the read-only XFS backend (fs/xfs*.c), shared between the
 * superblock code (xfs.c), inodes (xfs_inode.c), data-fork mapping
 * (xfs_bmap.c) and directories (xfs_dir.c).  Everything on disk is
 * big-endian; everything here is host order and already range-checked.
 */
#ifndef PVBOOT_FS_XFS_PRIV_H
#define PVBOOT_FS_XFS_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"

/* Inode core sizes: the data fork starts right after the core. */
#define XFS_DINODE_CORE_V2 100
#define XFS_DINODE_CORE_V3 176

/* di_format values */
#define XFS_FMT_DEV 0
#define XFS_FMT_LOCAL 1
#define XFS_FMT_EXTENTS 2
#define XFS_FMT_BTREE 3

#define XFS_DIFLAG_REALTIME 0x1u
#define XFS_DIFLAG2_NREXT64 (1ull << 4)

/* Directory data lives below this byte offset of a directory's data fork;
 * the leaf and free-index blocks live above it. */
#define XFS_DIR2_LEAF_OFFSET (32ull << 30)
/* Longest symlink target XFS allows (XFS_SYMLINK_MAXLEN). */
#define XFS_SYMLINK_MAXLEN 1024

/* One data-fork extent, in fs blocks. */
struct xfs_ext {
	uint64_t off;            /* file offset (blocks) */
	uint64_t fsb;            /* start fsblock (agno << agblklog | agbno) */
	uint64_t len;            /* blocks, > 0 */
	int unwritten;
};

/* A whole data-fork map: extents sorted by off, not overlapping. */
struct xfs_map {
	struct xfs_ext *ext;
	size_t n;
};

struct xfs_fs {
	struct fs base;          /* first: struct fs * casts to this */
	unsigned version;        /* 4 or 5 */
	int has_ftype;           /* directory entries carry a file type byte */
	unsigned blocklog;       /* fs block = 1 << blocklog bytes */
	uint32_t blocksize;
	uint32_t agblocks;       /* blocks per allocation group */
	unsigned agblklog;       /* bits of agbno in an fsblock / inode number */
	uint32_t agcount;
	uint64_t dblocks;        /* data blocks in the filesystem */
	unsigned inodelog;
	uint32_t inodesize;
	unsigned inopblog;       /* log2(inodes per block) */
	unsigned dirblklog;      /* dir block = fs block << dirblklog */
	uint32_t dirblksize;
	uint64_t rootino;
	/* the decoded data-fork map of the last file read, so that reading
	 * a kernel in chunks decodes its extent btree once */
	int cache_valid;
	uint64_t cache_ino;
	uint64_t cache_size;
	struct xfs_map cache;
};

/* A decoded inode: the core fields we use plus a copy of the data fork. */
struct xfs_inode {
	uint64_t ino;
	uint32_t mode;
	unsigned version;
	unsigned format;         /* data fork format (XFS_FMT_*) */
	uint64_t size;
	uint64_t nextents;       /* data fork extent count */
	uint32_t diflags;
	uint64_t diflags2;
	uint8_t *fork;           /* data fork bytes (points into buf) */
	size_t forklen;
	uint8_t *buf;            /* the whole on-disk inode, malloc'd */
};

static inline uint16_t xfs_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t xfs_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static inline uint64_t xfs_be64(const uint8_t *p)
{
	return ((uint64_t)xfs_be32(p) << 32) | xfs_be32(p + 4);
}

static inline struct xfs_fs *XFS(struct fs *fs)
{
	return (struct xfs_fs *)fs;
}

/* xfs.c: fsblock number -> byte offset inside the volume, checking that
 * count blocks from there stay inside one AG and the filesystem. */
int xfs_fsb_to_byte(const struct xfs_fs *x, uint64_t fsb, uint64_t count,
		    uint64_t *byte);

/* xfs_inode.c */
int xfs_inode_read(struct xfs_fs *x, uint64_t ino, struct xfs_inode *ip);
void xfs_inode_free(struct xfs_inode *ip);
int xfs_inode_to_node(struct xfs_fs *x, uint64_t ino, struct fs_node *out);
int xfs_readlink(struct fs *fs, const struct fs_node *n, char *buf,
		 size_t bufsz);

/* xfs_bmap.c: decode the data fork (extents or btree) of ip into *map,
 * keeping only extents that start below max_off blocks. */
int xfs_map_load(struct xfs_fs *x, const struct xfs_inode *ip,
		 uint64_t max_off, struct xfs_map *map);
void xfs_map_free(struct xfs_map *map);
/* The extent containing block off, or the first one after it (NULL when
 * none follows). */
const struct xfs_ext *xfs_map_find(const struct xfs_map *map, uint64_t off);
/* Read count bytes at byte off of a mapped fork (holes, unwritten and
 * anything past the map read as zeros). */
int xfs_map_read(struct xfs_fs *x, const struct xfs_map *map, uint64_t off,
		 void *buf, size_t count);
long xfs_read(struct fs *fs, const struct fs_node *n, uint64_t off, void *buf,
	      size_t len);
int xfs_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		void *ctx);

/* xfs_dir.c */
int xfs_lookup(struct fs *fs, const struct fs_node *dir, const char *name,
	       size_t namelen, struct fs_node *out);
int xfs_readdir(struct fs *fs, const struct fs_node *dir, fs_dirent_cb cb,
		void *ctx);

#endif
