/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XFS data forks: the extent list (in the inode, or in a bmap btree rooted
 * in the inode), decoded into one sorted, checked map; reading file bytes
 * through it (holes and unwritten extents read as zeros); and reporting a
 * file as disk extents for the zero-copy copier.
 */
#include "fs/xfs_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define XFS_BMAP_MAGIC 0x424d4150u  /* "BMAP", v4 */
#define XFS_BMAP3_MAGIC 0x424d4133u /* "BMA3", v5 */
#define XFS_BMBT_HDR_V4 24
#define XFS_BMBT_HDR_V5 72
#define XFS_BMDR_HDR 4              /* btree root in the inode */
#define XFS_BMBT_REC 16

struct loader {
	struct xfs_fs *x;
	const struct xfs_inode *ip;
	uint64_t max_off;    /* keep extents below this block */
	uint64_t next_off;   /* every decoded extent starts at or after this */
	uint64_t decoded;    /* records decoded, kept or not */
	uint64_t visited;    /* btree blocks read */
	size_t cap;
	struct xfs_map *map;
	uint8_t *blk[PV_MAX_BTREE_DEPTH]; /* one buffer per btree level */
};

static int lcorrupt(const struct loader *l, const char *what)
{
	return pv_err(PV_ECORRUPT, "xfs: inode %llu: %s",
		      (unsigned long long)l->ip->ino, what);
}

/* One packed 128-bit extent record. */
static int add_rec(struct loader *l, const uint8_t *p)
{
	uint64_t l0 = xfs_be64(p), l1 = xfs_be64(p + 8);
	struct xfs_ext e;
	uint64_t byte;

	e.unwritten = (int)(l0 >> 63);
	e.off = (l0 & ~(1ull << 63)) >> 9;
	e.fsb = ((l0 & 0x1ff) << 43) | (l1 >> 21);
	e.len = l1 & 0x1fffff;
	if (++l->decoded > l->ip->nextents)
		return lcorrupt(l, "more extents than the inode counts");
	if (l->decoded > PV_MAX_FILE_EXTENTS)
		return pv_err(PV_ELIMIT, "xfs: inode %llu: more than %u extents",
			      (unsigned long long)l->ip->ino,
			      (unsigned)PV_MAX_FILE_EXTENTS);
	if (e.len == 0)
		return lcorrupt(l, "empty extent");
	if (e.off < l->next_off)
		return lcorrupt(l, "extents overlap or are out of order");
	l->next_off = e.off + e.len;
	if (xfs_fsb_to_byte(l->x, e.fsb, e.len, &byte) < 0) {
		pv_err_ctx("xfs: inode %llu: extent",
			   (unsigned long long)l->ip->ino);
		return PV_ECORRUPT;
	}
	if (e.off >= l->max_off)
		return 0;
	if (e.len > l->max_off - e.off)
		e.len = l->max_off - e.off; /* offsets stay far below 2^63 bytes */
	if (l->map->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct xfs_ext *ne = realloc(l->map->ext, ncap * sizeof(*ne));

		if (!ne)
			return pv_err(PV_ENOMEM, "xfs: out of memory");
		l->map->ext = ne;
		l->cap = ncap;
	}
	l->map->ext[l->map->n++] = e;
	return 0;
}

static int walk(struct loader *l, uint64_t fsb, unsigned level);

/*
 * A btree node's pointers (keys at keys[], pointers after maxrecs keys).
 * Children whose key is at or beyond max_off hold nothing we keep.
 */
static int walk_ptrs(struct loader *l, const uint8_t *keys, unsigned numrecs,
		     unsigned maxrecs, unsigned child_level)
{
	const uint8_t *ptrs = keys + (size_t)maxrecs * 8;
	unsigned i;
	int r;

	if (numrecs == 0 || numrecs > maxrecs)
		return lcorrupt(l, "bmap btree node record count out of range");
	for (i = 0; i < numrecs; i++) {
		if (xfs_be64(keys + (size_t)i * 8) >= l->max_off)
			break;
		r = walk(l, xfs_be64(ptrs + (size_t)i * 8), child_level);
		if (r < 0)
			return r;
	}
	return 0;
}

/* One bmap btree block at the given level: checked against the level its
 * parent expects, so a pointer back up the tree cannot loop. */
static int walk(struct loader *l, uint64_t fsb, unsigned level)
{
	struct xfs_fs *x = l->x;
	unsigned hdr = x->version == 5 ? XFS_BMBT_HDR_V5 : XFS_BMBT_HDR_V4;
	uint32_t magic = x->version == 5 ? XFS_BMAP3_MAGIC : XFS_BMAP_MAGIC;
	unsigned maxrecs = (x->blocksize - hdr) / XFS_BMBT_REC;
	uint8_t *b = l->blk[level];
	unsigned numrecs, i;
	uint64_t byte;
	int r;

	if (++l->visited > PV_MAX_FILE_EXTENTS)
		return pv_err(PV_ELIMIT, "xfs: inode %llu: bmap btree too large",
			      (unsigned long long)l->ip->ino);
	if (xfs_fsb_to_byte(x, fsb, 1, &byte) < 0) {
		pv_err_ctx("xfs: inode %llu: bmap btree",
			   (unsigned long long)l->ip->ino);
		return PV_ECORRUPT;
	}
	r = vol_read(x->base.vol, byte, b, x->blocksize);
	if (r < 0)
		return r;
	if (xfs_be32(b) != magic)
		return lcorrupt(l, "bad bmap btree block magic");
	if (xfs_be16(b + 4) != level)
		return lcorrupt(l, "bmap btree block at the wrong level");
	if (x->version == 5 && xfs_be64(b + 56) != l->ip->ino)
		return lcorrupt(l, "bmap btree block owned by another inode");
	numrecs = xfs_be16(b + 6);
	if (level > 0)
		return walk_ptrs(l, b + hdr, numrecs, maxrecs, level - 1);
	if (numrecs == 0 || numrecs > maxrecs)
		return lcorrupt(l, "bmap btree leaf record count out of range");
	for (i = 0; i < numrecs; i++) {
		r = add_rec(l, b + hdr + (size_t)i * XFS_BMBT_REC);
		if (r < 0)
			return r;
	}
	return 0;
}

static int load_btree(struct loader *l)
{
	const struct xfs_inode *ip = l->ip;
	unsigned level, numrecs, maxrecs, i;
	int r;

	if (ip->forklen < XFS_BMDR_HDR + 16)
		return lcorrupt(l, "bmap btree root does not fit its fork");
	level = xfs_be16(ip->fork);
	numrecs = xfs_be16(ip->fork + 2);
	maxrecs = (ip->forklen - XFS_BMDR_HDR) / 16;
	if (level == 0 || level >= PV_MAX_BTREE_DEPTH)
		return lcorrupt(l, "bmap btree depth out of range");
	for (i = 0; i < level; i++) {
		l->blk[i] = malloc(l->x->blocksize);
		if (!l->blk[i])
			return pv_err(PV_ENOMEM, "xfs: out of memory");
	}
	r = walk_ptrs(l, ip->fork + XFS_BMDR_HDR, numrecs, maxrecs, level - 1);
	for (i = 0; i < level; i++)
		free(l->blk[i]);
	return r;
}

int xfs_map_load(struct xfs_fs *x, const struct xfs_inode *ip,
		 uint64_t max_off, struct xfs_map *map)
{
	struct loader l;
	uint64_t i;
	int r = 0;

	memset(&l, 0, sizeof(l));
	map->ext = NULL;
	map->n = 0;
	l.x = x;
	l.ip = ip;
	l.max_off = max_off;
	l.map = map;
	if (ip->diflags & XFS_DIFLAG_REALTIME)
		return pv_err(PV_ENOTSUP,
			      "xfs: inode %llu: data on the realtime device",
			      (unsigned long long)ip->ino);
	if (ip->format == XFS_FMT_EXTENTS) {
		if (ip->nextents > ip->forklen / XFS_BMBT_REC)
			return lcorrupt(&l, "extent count overflows its fork");
		for (i = 0; i < ip->nextents && r == 0; i++)
			r = add_rec(&l, ip->fork + i * XFS_BMBT_REC);
	} else if (ip->format == XFS_FMT_BTREE) {
		r = load_btree(&l);
	} else {
		r = pv_err(PV_ECORRUPT, "xfs: inode %llu: data fork format %u",
			   (unsigned long long)ip->ino, ip->format);
	}
	if (r < 0)
		xfs_map_free(map);
	return r;
}

void xfs_map_free(struct xfs_map *map)
{
	free(map->ext);
	map->ext = NULL;
	map->n = 0;
}

const struct xfs_ext *xfs_map_find(const struct xfs_map *map, uint64_t off)
{
	size_t lo = 0, hi = map->n;

	/* first extent that ends after off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct xfs_ext *e = &map->ext[mid];

		if (e->off + e->len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < map->n ? &map->ext[lo] : NULL;
}

int xfs_map_read(struct xfs_fs *x, const struct xfs_map *map, uint64_t off,
		 void *buf, size_t count)
{
	uint8_t *p = buf;

	while (count) {
		const struct xfs_ext *e = xfs_map_find(map, off >> x->blocklog);
		uint64_t start, n;

		if (!e) {
			memset(p, 0, count);
			break;
		}
		start = e->off << x->blocklog;
		if (start > off) { /* a hole before e */
			n = start - off < count ? start - off : count;
			memset(p, 0, n);
		} else {
			uint64_t within = off - start, byte;
			int r;

			n = (e->len << x->blocklog) - within;
			if (n > count)
				n = count;
			if (e->unwritten) {
				memset(p, 0, n);
			} else {
				r = xfs_fsb_to_byte(x, e->fsb, e->len, &byte);
				if (r == 0)
					r = vol_read(x->base.vol, byte + within,
						     p, n);
				if (r < 0)
					return r;
			}
		}
		p += n;
		off += n;
		count -= n;
	}
	return 0;
}

/* The map of a regular file, from the one-file cache when it is there. */
static int file_map(struct xfs_fs *x, const struct fs_node *n,
		    const struct xfs_map **map, uint64_t *size)
{
	struct xfs_inode ip;
	int r;

	if (x->cache_valid && x->cache_ino == n->ino)
		goto done;
	r = xfs_inode_read(x, n->ino, &ip);
	if (r < 0)
		return r;
	if (!S_ISREG(ip.mode)) {
		xfs_inode_free(&ip);
		return pv_err(PV_ENOTREG, "xfs: inode %llu is not a regular file",
			      (unsigned long long)n->ino);
	}
	xfs_map_free(&x->cache);
	x->cache_valid = 0;
	r = xfs_map_load(x, &ip,
			 (ip.size + x->blocksize - 1) >> x->blocklog,
			 &x->cache);
	if (r < 0) {
		xfs_inode_free(&ip);
		return r;
	}
	x->cache_valid = 1;
	x->cache_ino = n->ino;
	x->cache_size = ip.size;
	xfs_inode_free(&ip);
done:
	*map = &x->cache;
	*size = x->cache_size;
	return 0;
}

long xfs_read(struct fs *fs, const struct fs_node *n, uint64_t off, void *buf,
	      size_t len)
{
	struct xfs_fs *x = XFS(fs);
	const struct xfs_map *map;
	uint64_t size;
	int r = file_map(x, n, &map, &size);

	if (r < 0)
		return r;
	if (off >= size)
		return 0;
	if (len > size - off)
		len = size - off;
	if (len > (size_t)LONG_MAX)
		len = (size_t)LONG_MAX;
	r = xfs_map_read(x, map, off, buf, len);
	return r < 0 ? r : (long)len;
}

/* Merge each piece into the pending extent, flushing when it cannot. */
struct emitter {
	fs_extent_cb cb;
	void *ctx;
	struct fs_extent cur;
	int have;
};

static int emit(struct emitter *em, uint64_t file_off, uint64_t disk_off,
		uint64_t len, int zero)
{
	struct fs_extent *c = &em->cur;
	int r;

	if (em->have && c->zero == zero &&
	    (zero || c->disk_off + c->len == disk_off)) {
		c->len += len;
		return 0;
	}
	if (em->have) {
		r = em->cb(em->ctx, c);
		if (r)
			return r;
	}
	c->file_off = file_off;
	c->disk_off = zero ? 0 : disk_off;
	c->len = len;
	c->zero = zero;
	em->have = 1;
	return 0;
}

int xfs_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		void *ctx)
{
	struct xfs_fs *x = XFS(fs);
	const struct xfs_map *map;
	struct emitter em;
	uint64_t size, pos = 0;
	size_t i;
	int r = file_map(x, n, &map, &size);

	if (r < 0)
		return r;
	memset(&em, 0, sizeof(em));
	em.cb = cb;
	em.ctx = ctx;
	for (i = 0; i < map->n && pos < size; i++) {
		const struct xfs_ext *e = &map->ext[i];
		uint64_t start = e->off << x->blocklog;
		uint64_t len = e->len << x->blocklog, byte;

		if (start >= size)
			break;
		if (start > pos) {
			r = emit(&em, pos, 0, start - pos, 1);
			if (r)
				return r;
			pos = start;
		}
		if (len > size - start)
			len = size - start;
		r = xfs_fsb_to_byte(x, e->fsb, e->len, &byte);
		if (r < 0)
			return r;
		r = emit(&em, start, x->base.vol->offset + byte, len,
			 e->unwritten);
		if (r)
			return r;
		pos = start + len;
	}
	if (pos < size) {
		r = emit(&em, pos, 0, size - pos, 1);
		if (r)
			return r;
	}
	if (em.have)
		return em.cb(em.ctx, &em.cur);
	return 0;
}
