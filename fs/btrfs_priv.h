/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the read-only btrfs backend (fs/btrfs*.c): the superblock and
 * chunk map (btrfs_super.c), B-tree nodes and searches (btrfs_tree.c),
 * decompression (btrfs_decomp.c), file data (btrfs_file.c), and mount,
 * inodes, directories and subvolumes (btrfs.c).  Everything on disk is
 * little-endian; everything here is host order and already range-checked.
 */
#ifndef PVBOOT_FS_BTRFS_PRIV_H
#define PVBOOT_FS_BTRFS_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"

#define BTRFS_SUPER_OFFSET 0x10000ull
#define BTRFS_SUPER_SIZE 4096
#define BTRFS_SUPER_MIRROR1 (64ull << 20)
#define BTRFS_SUPER_MIRROR2 (256ull << 30)
#define BTRFS_MAGIC "_BHRfS_M"
#define BTRFS_SYS_CHUNK_ARRAY_MAX 2048
#define BTRFS_CSUM_SIZE 32
#define BTRFS_MAX_LEVEL 8 /* levels 0..7 */

/* Node header and item layouts */
#define BTRFS_HEADER_SIZE 101
#define BTRFS_KEY_SIZE 17
#define BTRFS_ITEM_SIZE 25    /* key, u32 offset, u32 size */
#define BTRFS_KEY_PTR_SIZE 33 /* key, u64 blockptr, u64 generation */

/* Object ids */
#define BTRFS_ROOT_TREE_OBJECTID 1ull
#define BTRFS_FS_TREE_OBJECTID 5ull
#define BTRFS_ROOT_TREE_DIR_OBJECTID 6ull
#define BTRFS_FIRST_CHUNK_TREE_OBJECTID 256ull
#define BTRFS_FIRST_FREE_OBJECTID 256ull
#define BTRFS_LAST_FREE_OBJECTID (-256ull)

/* Item types */
#define BTRFS_INODE_ITEM_KEY 1
#define BTRFS_DIR_ITEM_KEY 84
#define BTRFS_DIR_INDEX_KEY 96
#define BTRFS_EXTENT_DATA_KEY 108
#define BTRFS_ROOT_ITEM_KEY 132
#define BTRFS_CHUNK_ITEM_KEY 228

/* Chunk type bits: the profiles */
#define BTRFS_BLOCK_GROUP_RAID0 (1ull << 3)
#define BTRFS_BLOCK_GROUP_RAID1 (1ull << 4)
#define BTRFS_BLOCK_GROUP_DUP (1ull << 5)
#define BTRFS_BLOCK_GROUP_RAID10 (1ull << 6)
#define BTRFS_BLOCK_GROUP_RAID5 (1ull << 7)
#define BTRFS_BLOCK_GROUP_RAID6 (1ull << 8)
#define BTRFS_BLOCK_GROUP_RAID1C3 (1ull << 9)
#define BTRFS_BLOCK_GROUP_RAID1C4 (1ull << 10)
#define BTRFS_BLOCK_GROUP_PROFILES                                          \
	(BTRFS_BLOCK_GROUP_RAID0 | BTRFS_BLOCK_GROUP_RAID1 |                 \
	 BTRFS_BLOCK_GROUP_DUP | BTRFS_BLOCK_GROUP_RAID10 |                  \
	 BTRFS_BLOCK_GROUP_RAID5 | BTRFS_BLOCK_GROUP_RAID6 |                 \
	 BTRFS_BLOCK_GROUP_RAID1C3 | BTRFS_BLOCK_GROUP_RAID1C4)
#define BTRFS_CHUNK_ITEM_SIZE 48 /* without its stripes */
#define BTRFS_STRIPE_SIZE 32

/* Compression of file extents, and their kernel-imposed size bounds */
#define BTRFS_COMPRESS_NONE 0
#define BTRFS_COMPRESS_ZLIB 1
#define BTRFS_COMPRESS_LZO 2
#define BTRFS_COMPRESS_ZSTD 3
#define BTRFS_MAX_COMPRESSED (128u << 10)   /* on-disk bytes of one extent */
#define BTRFS_MAX_UNCOMPRESSED (128u << 10) /* ram_bytes of one extent */

/* Inode and root item fields */
#define BTRFS_INODE_ITEM_SIZE 160
#define BTRFS_ROOT_ITEM_MIN 239 /* through the level byte */
#define BTRFS_DIR_ITEM_HEAD 30  /* location key, transid, data_len, name_len, type */
#define BTRFS_FILE_EXTENT_INLINE_HEAD 21
#define BTRFS_FILE_EXTENT_REG_SIZE 53

static inline uint16_t btrfs_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t btrfs_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t btrfs_le64(const uint8_t *p)
{
	return (uint64_t)btrfs_le32(p) | (uint64_t)btrfs_le32(p + 4) << 32;
}

struct btrfs_key {
	uint64_t objectid;
	uint8_t type;
	uint64_t offset;
};

/* One chunk: logical [logical, logical+length) lives at physical. */
struct btrfs_chunk {
	uint64_t logical;
	uint64_t length;
	uint64_t physical; /* first stripe, volume-relative */
	uint64_t profile;  /* type & PROFILES; unsupported ones fail when used */
};

/* The last decompressed extent, kept for sequential reads of it. */
struct btrfs_zcache {
	int valid;
	uint64_t bytenr;
	uint64_t disk_len;
	uint8_t comp;
	uint32_t ram;
	uint8_t *buf;
};

/* A few subvolume roots, looked up in the root tree once. */
#define BTRFS_SUBVOL_CACHE 8
struct btrfs_subvol {
	uint64_t id;   /* 0 = empty slot */
	uint64_t bytenr;
	uint64_t generation;
	uint64_t dirid;
	uint8_t level;
};

struct btrfs_fs {
	struct fs base; /* first: struct fs * casts to this */
	uint32_t sectorsize;
	uint32_t nodesize;
	uint16_t csum_type;
	uint8_t fsid[16];
	uint8_t meta_fsid[16]; /* what node headers carry */
	uint64_t devid;
	uint64_t generation;
	uint64_t root_bytenr;
	uint8_t root_level;
	uint64_t chunk_bytenr;
	uint64_t chunk_generation;
	uint8_t chunk_level;
	struct btrfs_chunk *chunks; /* sorted by logical, not overlapping */
	size_t nchunks, chunks_cap;
	uint64_t default_subvol;
	struct btrfs_subvol subvols[BTRFS_SUBVOL_CACHE];
	unsigned subvol_next;
	struct btrfs_zcache z;
};

#define BTRFS(fs) ((struct btrfs_fs *)(fs))

/* btrfs_crc.c */
uint32_t btrfs_crc32c(uint32_t crc, const void *buf, size_t len);
/* The standard CRC-32C (init and final xor ~0): superblocks and nodes. */
uint32_t btrfs_csum(const void *buf, size_t len);
/* The directory name hash: raw CRC-32C seeded with ~1, no final xor. */
uint32_t btrfs_name_hash(const char *name, size_t len);

/* btrfs_super.c */
int btrfs_load_super(struct btrfs_fs *b, struct volume *v);
int btrfs_chunk_add(struct btrfs_fs *b, uint64_t logical, const uint8_t *ci,
		    size_t len);
int btrfs_load_chunk_tree(struct btrfs_fs *b);
/* Map logical to a volume offset; *contig = bytes readable from there
 * without leaving the chunk (<= len). */
int btrfs_map(struct btrfs_fs *b, uint64_t logical, uint64_t len,
	      uint64_t *phys, uint64_t *contig);
/* Read len bytes at a logical address (may cross chunks). */
int btrfs_read_logical(struct btrfs_fs *b, uint64_t logical, void *buf,
		       size_t len);

/* btrfs_tree.c: a path from a tree's root to one leaf item. */
struct btrfs_path {
	uint8_t *node[BTRFS_MAX_LEVEL];
	int slot[BTRFS_MAX_LEVEL];
	int levels;              /* root level + 1 */
	struct btrfs_key last;   /* key at the current slot (for order checks) */
	int have_last;
};

int btrfs_key_cmp(const struct btrfs_key *a, const struct btrfs_key *b);
void btrfs_path_free(struct btrfs_path *p);
/* Descend to the last item <= key (slot -1 when every key is larger). */
int btrfs_search(struct btrfs_fs *b, uint64_t root, uint8_t level,
		 uint64_t gen, const struct btrfs_key *key,
		 struct btrfs_path *p);
/* Position on the first item >= key: 0, 1 when there is none, or error. */
int btrfs_search_ge(struct btrfs_fs *b, uint64_t root, uint8_t level,
		    uint64_t gen, const struct btrfs_key *key,
		    struct btrfs_path *p);
/* Next item in key order: 0, 1 at the end of the tree, or error. */
int btrfs_next(struct btrfs_fs *b, struct btrfs_path *p);
/* The item at the current slot (slot must be valid). */
void btrfs_item(const struct btrfs_fs *b, const struct btrfs_path *p,
		struct btrfs_key *key, const uint8_t **data, uint32_t *size);
/* Exact lookup: 0 with a malloc'd copy of the item, PV_ENOENT, or error. */
int btrfs_lookup_item(struct btrfs_fs *b, uint64_t root, uint8_t level,
		      uint64_t gen, const struct btrfs_key *key, uint8_t **data,
		      uint32_t *size);

/* btrfs_decomp.c: decompress src into exactly ram bytes of dst (a short
 * stream leaves zeros, as the kernel does). */
int btrfs_decompress(const struct btrfs_fs *b, uint8_t comp,
		     const uint8_t *src, size_t srclen, uint8_t *dst,
		     size_t ram);

/* btrfs_file.c */
long btrfs_read(struct fs *fs, const struct fs_node *n, uint64_t off,
		void *buf, size_t len);
int btrfs_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		  void *ctx);

/* btrfs.c: the tree of subvolume id (root, level, generation, root dir),
 * from a small cache or the root tree. */
extern const struct fs_ops btrfs_fs_ops;
int btrfs_subvol(struct btrfs_fs *b, uint64_t id, struct btrfs_subvol **out);

#endif
