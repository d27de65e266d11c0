/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The btrfs superblock, checked field by field (primary at 64 KiB, mirrors
 * at 64 MiB and 256 GiB when the primary is bad), and the chunk map that
 * turns logical addresses into volume offsets: bootstrapped from the
 * superblock's sys_chunk_array, then completed from the chunk tree.
 * Single-device only; SINGLE and DUP chunks (DUP: the first copy).
 */
#include "fs/btrfs_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* superblock field offsets */
#define SB_FSID 0x20
#define SB_BYTENR 0x30
#define SB_MAGIC 0x40
#define SB_GENERATION 0x48
#define SB_ROOT 0x50
#define SB_CHUNK_ROOT 0x58
#define SB_TOTAL_BYTES 0x70
#define SB_NUM_DEVICES 0x88
#define SB_SECTORSIZE 0x90
#define SB_NODESIZE 0x94
#define SB_SYS_ARRAY_SIZE 0xa0
#define SB_CHUNK_ROOT_GEN 0xa4
#define SB_INCOMPAT 0xbc
#define SB_CSUM_TYPE 0xc4
#define SB_ROOT_LEVEL 0xc6
#define SB_CHUNK_ROOT_LEVEL 0xc7
#define SB_DEV_ITEM 0xc9 /* devid is its first u64 */
#define SB_LABEL 0x12b
#define SB_LABEL_SIZE 256
#define SB_METADATA_UUID 0x23b
#define SB_SYS_ARRAY 0x32b

/* incompat features */
#define INCOMPAT_MIXED_BACKREF UINT64_C(0x1)
#define INCOMPAT_DEFAULT_SUBVOL UINT64_C(0x2)
#define INCOMPAT_MIXED_GROUPS UINT64_C(0x4)
#define INCOMPAT_COMPRESS_LZO UINT64_C(0x8)
#define INCOMPAT_COMPRESS_ZSTD UINT64_C(0x10)
#define INCOMPAT_BIG_METADATA UINT64_C(0x20)
#define INCOMPAT_EXTENDED_IREF UINT64_C(0x40)
#define INCOMPAT_RAID56 UINT64_C(0x80)
#define INCOMPAT_SKINNY_METADATA UINT64_C(0x100)
#define INCOMPAT_NO_HOLES UINT64_C(0x200)
#define INCOMPAT_METADATA_UUID UINT64_C(0x400)
#define INCOMPAT_RAID1C34 UINT64_C(0x800)
#define INCOMPAT_SIMPLE_QUOTA UINT64_C(0x10000)
/* What changes nothing we read (zoned, extent-tree-v2 and the raid stripe
 * tree move superblocks or trees: refused). */
#define INCOMPAT_SUPPORTED                                                  \
	(INCOMPAT_MIXED_BACKREF | INCOMPAT_DEFAULT_SUBVOL |                  \
	 INCOMPAT_MIXED_GROUPS | INCOMPAT_COMPRESS_LZO |                     \
	 INCOMPAT_COMPRESS_ZSTD | INCOMPAT_BIG_METADATA |                    \
	 INCOMPAT_EXTENDED_IREF | INCOMPAT_RAID56 |                          \
	 INCOMPAT_SKINNY_METADATA | INCOMPAT_NO_HOLES |                      \
	 INCOMPAT_METADATA_UUID | INCOMPAT_RAID1C34 | INCOMPAT_SIMPLE_QUOTA)

#define CSUM_TYPE_CRC32C 0
#define CSUM_TYPE_MAX 3 /* xxhash64, sha256, blake2b: known, not verified */

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int bad(const char *where, const char *what)
{
	return pv_err(PV_ECORRUPT, "btrfs: %s superblock: %s", where, what);
}

/* Structure of one superblock copy read at byte off. */
static int check_super(const uint8_t *sb, uint64_t off, const char *where)
{
	uint32_t sectorsize = btrfs_le32(sb + SB_SECTORSIZE);
	uint32_t nodesize = btrfs_le32(sb + SB_NODESIZE);
	uint16_t csum_type = btrfs_le16(sb + SB_CSUM_TYPE);
	uint64_t root = btrfs_le64(sb + SB_ROOT);
	uint64_t chunk_root = btrfs_le64(sb + SB_CHUNK_ROOT);

	if (memcmp(sb + SB_MAGIC, BTRFS_MAGIC, 8) != 0)
		return bad(where, "bad magic");
	if (csum_type > CSUM_TYPE_MAX)
		return bad(where, "unknown checksum type");
	if (csum_type == CSUM_TYPE_CRC32C &&
	    btrfs_csum(sb + BTRFS_CSUM_SIZE,
		       BTRFS_SUPER_SIZE - BTRFS_CSUM_SIZE) != btrfs_le32(sb))
		return bad(where, "checksum mismatch");
	if (btrfs_le64(sb + SB_BYTENR) != off)
		return bad(where, "bytenr does not match its location");
	if (!is_pow2(sectorsize) || sectorsize < 4096 || sectorsize > 65536)
		return bad(where, "sectorsize is not a power of two in 4096..65536");
	if (!is_pow2(nodesize) || nodesize < sectorsize || nodesize > 65536)
		return bad(where, "nodesize is not a power of two in sectorsize..65536");
	if (btrfs_le32(sb + SB_SYS_ARRAY_SIZE) > BTRFS_SYS_CHUNK_ARRAY_MAX)
		return bad(where, "sys_chunk_array_size is larger than 2048");
	if (sb[SB_ROOT_LEVEL] >= BTRFS_MAX_LEVEL ||
	    sb[SB_CHUNK_ROOT_LEVEL] >= BTRFS_MAX_LEVEL)
		return bad(where, "tree root level is 8 or more");
	if (!root || root % sectorsize || !chunk_root || chunk_root % sectorsize)
		return bad(where, "tree root address is zero or unaligned");
	if (!btrfs_le64(sb + SB_GENERATION))
		return bad(where, "generation is zero");
	return 0;
}

static void set_uuid_label(struct btrfs_fs *b, const uint8_t *sb)
{
	const uint8_t *u = sb + SB_FSID;
	size_t i;

	snprintf(b->base.uuid, sizeof(b->base.uuid),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	for (i = 0; i < sizeof(b->base.label) - 1 && i < SB_LABEL_SIZE &&
		    sb[SB_LABEL + i];
	     i++)
		b->base.label[i] = (char)sb[SB_LABEL + i];
	b->base.label[i] = '\0';
}

/* Parse the bootstrap chunks: (key, chunk item + stripes) pairs. */
static int load_sys_array(struct btrfs_fs *b, const uint8_t *sb)
{
	uint32_t size = btrfs_le32(sb + SB_SYS_ARRAY_SIZE);
	const uint8_t *a = sb + SB_SYS_ARRAY;
	uint32_t pos = 0;
	int r;

	if (size < BTRFS_KEY_SIZE + BTRFS_CHUNK_ITEM_SIZE + BTRFS_STRIPE_SIZE)
		return pv_err(PV_ECORRUPT,
			      "btrfs: sys_chunk_array holds no chunk");
	while (pos < size) {
		uint32_t len;
		uint16_t stripes;

		if (size - pos < BTRFS_KEY_SIZE + BTRFS_CHUNK_ITEM_SIZE)
			return pv_err(PV_ECORRUPT,
				      "btrfs: sys_chunk_array ends inside an entry");
		if (a[pos + 8] != BTRFS_CHUNK_ITEM_KEY)
			return pv_err(PV_ECORRUPT,
				      "btrfs: sys_chunk_array holds a non-chunk key");
		stripes = btrfs_le16(a + pos + BTRFS_KEY_SIZE + 44);
		len = BTRFS_CHUNK_ITEM_SIZE + (uint32_t)stripes * BTRFS_STRIPE_SIZE;
		if (size - pos - BTRFS_KEY_SIZE < len)
			return pv_err(PV_ECORRUPT,
				      "btrfs: sys_chunk_array ends inside a chunk");
		r = btrfs_chunk_add(b, btrfs_le64(a + pos + 9),
				    a + pos + BTRFS_KEY_SIZE, len);
		if (r < 0)
			return r;
		pos += BTRFS_KEY_SIZE + len;
	}
	return 0;
}

static int read_copy(struct volume *v, uint64_t off, uint8_t *sb)
{
	if (off > v->length || v->length - off < BTRFS_SUPER_SIZE)
		return PV_ENOENT;
	return vol_read(v, off, sb, BTRFS_SUPER_SIZE) < 0 ? PV_EIO : 0;
}

/*
 * Choose the superblock: the primary when it is sound; otherwise the sound
 * mirror (inside the volume, same fsid as the primary claims) with the
 * highest generation.  The primary's error is kept when none is sound.
 */
static int pick_super(struct volume *v, uint8_t *sb)
{
	static const uint64_t mirrors[] = {BTRFS_SUPER_MIRROR1,
					   BTRFS_SUPER_MIRROR2};
	uint8_t *m;
	char msg[256];
	uint64_t best_gen = 0;
	int r, found = 0;
	size_t i;

	r = read_copy(v, BTRFS_SUPER_OFFSET, sb);
	if (r < 0)
		return r == PV_ENOENT ? PV_ENOTMINE : pv_err(r, "btrfs: cannot read the superblock");
	if (memcmp(sb + SB_MAGIC, BTRFS_MAGIC, 8) != 0)
		return PV_ENOTMINE;
	r = check_super(sb, BTRFS_SUPER_OFFSET, "primary");
	if (r == 0)
		return 0;
	snprintf(msg, sizeof(msg), "%s", pv_errmsg());
	m = malloc(BTRFS_SUPER_SIZE);
	if (!m)
		return pv_err(PV_ENOMEM, "btrfs: out of memory");
	for (i = 0; i < sizeof(mirrors) / sizeof(mirrors[0]); i++) {
		if (read_copy(v, mirrors[i], m) < 0 ||
		    memcmp(m + SB_FSID, sb + SB_FSID, 16) != 0 ||
		    check_super(m, mirrors[i], "mirror") < 0)
			continue;
		if (!found || btrfs_le64(m + SB_GENERATION) > best_gen) {
			best_gen = btrfs_le64(m + SB_GENERATION);
			memcpy(sb, m, BTRFS_SUPER_SIZE);
			found = 1;
		}
	}
	free(m);
	if (!found)
		return pv_err(PV_ECORRUPT, "%s (and no valid mirror)", msg);
	pv_warn("btrfs: primary superblock is bad (%s), using a mirror of "
		"generation %" PRIu64, msg, best_gen);
	return 0;
}

int btrfs_load_super(struct btrfs_fs *b, struct volume *v)
{
	uint8_t *sb = malloc(BTRFS_SUPER_SIZE);
	uint64_t incompat;
	int r;

	if (!sb)
		return pv_err(PV_ENOMEM, "btrfs: out of memory");
	r = pick_super(v, sb);
	if (r < 0)
		goto out;
	if (btrfs_le64(sb + SB_NUM_DEVICES) != 1) {
		r = pv_err(PV_ENOTSUP,
			   "btrfs: multi-device filesystems are not supported");
		goto out;
	}
	incompat = btrfs_le64(sb + SB_INCOMPAT);
	if (incompat & ~INCOMPAT_SUPPORTED) {
		r = pv_err(PV_ENOTSUP,
			   "btrfs: unsupported incompat features 0x%" PRIx64,
			   incompat & ~INCOMPAT_SUPPORTED);
		goto out;
	}
	b->sectorsize = btrfs_le32(sb + SB_SECTORSIZE);
	b->nodesize = btrfs_le32(sb + SB_NODESIZE);
	b->csum_type = btrfs_le16(sb + SB_CSUM_TYPE);
	memcpy(b->fsid, sb + SB_FSID, 16);
	memcpy(b->meta_fsid,
	       sb + ((incompat & INCOMPAT_METADATA_UUID) ? SB_METADATA_UUID
							 : SB_FSID),
	       16);
	b->devid = btrfs_le64(sb + SB_DEV_ITEM);
	b->generation = btrfs_le64(sb + SB_GENERATION);
	b->root_bytenr = btrfs_le64(sb + SB_ROOT);
	b->root_level = sb[SB_ROOT_LEVEL];
	b->chunk_bytenr = btrfs_le64(sb + SB_CHUNK_ROOT);
	b->chunk_generation = btrfs_le64(sb + SB_CHUNK_ROOT_GEN);
	b->chunk_level = sb[SB_CHUNK_ROOT_LEVEL];
	set_uuid_label(b, sb);
	r = load_sys_array(b, sb);
out:
	free(sb);
	return r;
}

/* Index of the first chunk whose end lies above logical. */
static size_t chunk_index(const struct btrfs_fs *b, uint64_t logical)
{
	size_t lo = 0, hi = b->nchunks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct btrfs_chunk *c = &b->chunks[mid];

		if (c->logical + c->length <= logical)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Add one chunk item (ci, len bytes with its stripes) at logical. */
int btrfs_chunk_add(struct btrfs_fs *b, uint64_t logical, const uint8_t *ci,
		    size_t len)
{
	uint64_t length, type, physical;
	uint16_t nstripes, i;
	struct btrfs_chunk c;
	size_t at;

	if (len < BTRFS_CHUNK_ITEM_SIZE + BTRFS_STRIPE_SIZE)
		return pv_err(PV_ECORRUPT, "btrfs: chunk item too short");
	length = btrfs_le64(ci);
	type = btrfs_le64(ci + 24);
	nstripes = btrfs_le16(ci + 44);
	if (!nstripes ||
	    len != BTRFS_CHUNK_ITEM_SIZE + (size_t)nstripes * BTRFS_STRIPE_SIZE)
		return pv_err(PV_ECORRUPT,
			      "btrfs: chunk at %" PRIu64 ": bad stripe count",
			      logical);
	if (!length || length % b->sectorsize || logical % b->sectorsize ||
	    logical + length < logical)
		return pv_err(PV_ECORRUPT,
			      "btrfs: chunk at %" PRIu64 ": bad length or alignment",
			      logical);
	for (i = 0; i < nstripes; i++) {
		const uint8_t *s = ci + BTRFS_CHUNK_ITEM_SIZE + i * BTRFS_STRIPE_SIZE;

		if (btrfs_le64(s) != b->devid)
			return pv_err(PV_ECORRUPT,
				      "btrfs: chunk at %" PRIu64
				      " lives on another device",
				      logical);
	}
	physical = btrfs_le64(ci + BTRFS_CHUNK_ITEM_SIZE + 8);
	if (physical + length < physical)
		return pv_err(PV_ECORRUPT,
			      "btrfs: chunk at %" PRIu64 ": stripe wraps",
			      logical);
	c.logical = logical;
	c.length = length;
	c.physical = physical;
	c.profile = type & BTRFS_BLOCK_GROUP_PROFILES;
	/* one-stripe RAID0 is laid out like SINGLE */
	if (c.profile == BTRFS_BLOCK_GROUP_RAID0 && nstripes == 1)
		c.profile = 0;
	if ((c.profile == 0 && nstripes != 1) ||
	    (c.profile == BTRFS_BLOCK_GROUP_DUP && nstripes != 2))
		return pv_err(PV_ECORRUPT,
			      "btrfs: chunk at %" PRIu64
			      ": stripe count does not match its profile",
			      logical);

	at = chunk_index(b, logical);
	if (at < b->nchunks && b->chunks[at].logical < logical + length) {
		const struct btrfs_chunk *o = &b->chunks[at];

		/* the chunk tree repeats the bootstrap chunks */
		if (o->logical == logical && o->length == length &&
		    o->physical == physical && o->profile == c.profile)
			return 0;
		return pv_err(PV_ECORRUPT,
			      "btrfs: chunk at %" PRIu64 " overlaps another",
			      logical);
	}
	if (b->nchunks >= PV_MAX_BTRFS_CHUNKS)
		return pv_err(PV_ELIMIT, "btrfs: more than %u chunks",
			      (unsigned)PV_MAX_BTRFS_CHUNKS);
	if (b->nchunks == b->chunks_cap) {
		size_t cap = b->chunks_cap ? b->chunks_cap * 2 : 16;
		struct btrfs_chunk *n = realloc(b->chunks, cap * sizeof(*n));

		if (!n)
			return pv_err(PV_ENOMEM, "btrfs: out of memory");
		b->chunks = n;
		b->chunks_cap = cap;
	}
	memmove(&b->chunks[at + 1], &b->chunks[at],
		(b->nchunks - at) * sizeof(c));
	b->chunks[at] = c;
	b->nchunks++;
	return 0;
}

int btrfs_map(struct btrfs_fs *b, uint64_t logical, uint64_t len,
	      uint64_t *phys, uint64_t *contig)
{
	size_t i = chunk_index(b, logical);
	const struct btrfs_chunk *c;
	uint64_t in;

	if (i >= b->nchunks || b->chunks[i].logical > logical)
		return pv_err(PV_ECORRUPT,
			      "btrfs: logical address %" PRIu64
			      " is in no chunk",
			      logical);
	c = &b->chunks[i];
	if (c->profile != 0 && c->profile != BTRFS_BLOCK_GROUP_DUP)
		return pv_err(PV_ENOTSUP,
			      "btrfs: chunk at %" PRIu64
			      " uses a RAID profile (only single and dup are supported)",
			      c->logical);
	in = logical - c->logical;
	*phys = c->physical + in;
	*contig = c->length - in < len ? c->length - in : len;
	return 0;
}

int btrfs_read_logical(struct btrfs_fs *b, uint64_t logical, void *buf,
		       size_t len)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t phys, n;
		int r = btrfs_map(b, logical, len, &phys, &n);

		if (r < 0)
			return r;
		if (vol_read(b->base.vol, phys, p, (size_t)n) < 0)
			return pv_err(PV_EIO,
				      "btrfs: cannot read %" PRIu64
				      " bytes at physical %" PRIu64,
				      n, phys);
		p += n;
		logical += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Every CHUNK_ITEM of the chunk tree joins the map. */
int btrfs_load_chunk_tree(struct btrfs_fs *b)
{
	struct btrfs_key k = {BTRFS_FIRST_CHUNK_TREE_OBJECTID,
			      BTRFS_CHUNK_ITEM_KEY, 0};
	struct btrfs_path p;
	size_t seen = 0;
	int r;

	r = btrfs_search_ge(b, b->chunk_bytenr, b->chunk_level,
			    b->chunk_generation, &k, &p);
	while (r == 0) {
		const uint8_t *d;
		uint32_t sz;

		btrfs_item(b, &p, &k, &d, &sz);
		if (k.objectid != BTRFS_FIRST_CHUNK_TREE_OBJECTID ||
		    k.type != BTRFS_CHUNK_ITEM_KEY)
			break;
		if (++seen > PV_MAX_BTRFS_CHUNKS) {
			r = pv_err(PV_ELIMIT, "btrfs: more than %u chunks",
				   (unsigned)PV_MAX_BTRFS_CHUNKS);
			break;
		}
		r = btrfs_chunk_add(b, k.offset, d, sz);
		if (r < 0)
			break;
		r = btrfs_next(b, &p);
	}
	btrfs_path_free(&p);
	return r < 0 ? r : 0;
}
