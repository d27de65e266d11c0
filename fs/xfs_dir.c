/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XFS version 2 directories, read by one scan for both lookup and listing:
 * short-form (entries inline in the inode), and every blocked form (block,
 * leaf, node, B-tree) by walking the data blocks below the 32 GiB leaf
 * offset in order.  The hash index is never needed for correctness and is
 * ignored; each data block is parsed with bounds checks on every entry.
 */
#include "fs/xfs_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

#define XFS_DIR2_BLOCK_MAGIC 0x58443242u /* "XD2B", single-block, v4 */
#define XFS_DIR2_DATA_MAGIC 0x58443244u  /* "XD2D", data block, v4 */
#define XFS_DIR3_BLOCK_MAGIC 0x58444233u /* "XDB3", v5 */
#define XFS_DIR3_DATA_MAGIC 0x58444433u  /* "XDD3", v5 */
#define XFS_DIR2_DATA_HDR 16
#define XFS_DIR3_DATA_HDR 64
#define XFS_DIR2_BLOCK_TAIL 8
#define XFS_DIR2_FREE_TAG 0xffffu

/* Called for each entry; non-zero stops the scan and is returned. */
typedef int (*entry_fn)(void *ctx, const uint8_t *name, size_t namelen,
			uint64_t ino);

static int dcorrupt(uint64_t ino, const char *what)
{
	return pv_err(PV_ECORRUPT, "xfs: directory %llu: %s",
		      (unsigned long long)ino, what);
}

/* Short-form: header (count, i8count, parent), then entries of namelen,
 * offset[2], name, [ftype], inode number (4 or 8 bytes). */
static int scan_shortform(struct xfs_fs *x, const struct xfs_inode *ip,
			  entry_fn fn, void *ctx)
{
	const uint8_t *p = ip->fork, *end;
	unsigned count, i8, inosz, i;
	size_t pos;

	if (ip->size > ip->forklen || ip->size < 6)
		return dcorrupt(ip->ino, "short-form size out of range");
	end = p + ip->size;
	count = p[0];
	i8 = p[1];
	inosz = i8 ? 8 : 4;
	pos = 2 + inosz;
	if (pos > ip->size)
		return dcorrupt(ip->ino, "short-form header overflows");
	for (i = 0; i < count; i++) {
		size_t namelen, need;
		const uint8_t *e = p + pos, *ip_ptr;
		uint64_t ino;
		int r;

		if ((size_t)(end - e) < 3)
			return dcorrupt(ip->ino, "short-form entry overflows");
		namelen = e[0];
		need = 3 + namelen + (x->has_ftype ? 1 : 0) + inosz;
		if (namelen == 0 || need > (size_t)(end - e))
			return dcorrupt(ip->ino, "short-form entry overflows");
		ip_ptr = e + 3 + namelen + (x->has_ftype ? 1 : 0);
		ino = inosz == 8 ? xfs_be64(ip_ptr) : xfs_be32(ip_ptr);
		r = fn(ctx, e + 3, namelen, ino);
		if (r)
			return r;
		pos += need;
	}
	return 0;
}

/* The entries of one data (or single-block) directory block. */
static int scan_block(struct xfs_fs *x, const struct xfs_inode *ip,
		      const uint8_t *b, int single, entry_fn fn, void *ctx)
{
	int v5 = x->version == 5;
	uint32_t magic = xfs_be32(b);
	size_t hdr = v5 ? XFS_DIR3_DATA_HDR : XFS_DIR2_DATA_HDR;
	size_t end = x->dirblksize, pos;

	if (magic == (v5 ? XFS_DIR3_BLOCK_MAGIC : XFS_DIR2_BLOCK_MAGIC)) {
		uint32_t leaves = xfs_be32(b + end - XFS_DIR2_BLOCK_TAIL);

		if (!single)
			return dcorrupt(ip->ino, "single-block magic in a larger directory");
		/* the hash leaf array and the tail end the entries */
		if (leaves > (end - XFS_DIR2_BLOCK_TAIL - hdr) / 8)
			return dcorrupt(ip->ino, "block leaf count out of range");
		end -= XFS_DIR2_BLOCK_TAIL + (size_t)leaves * 8;
	} else if (magic != (v5 ? XFS_DIR3_DATA_MAGIC : XFS_DIR2_DATA_MAGIC)) {
		return dcorrupt(ip->ino, "bad data block magic");
	}
	if (v5 && xfs_be64(b + 40) != ip->ino)
		return dcorrupt(ip->ino, "data block owned by another inode");
	pos = hdr;
	while (pos < end) {
		const uint8_t *e = b + pos;
		size_t len, namelen;
		int r;

		if (end - pos < 8)
			return dcorrupt(ip->ino, "entry overflows its block");
		if (xfs_be16(e) == XFS_DIR2_FREE_TAG) {
			len = xfs_be16(e + 2);
			if (len < 8 || len % 8 || len > end - pos ||
			    xfs_be16(e + len - 2) != pos)
				return dcorrupt(ip->ino, "bad free space entry");
			pos += len;
			continue;
		}
		if (end - pos < 9)
			return dcorrupt(ip->ino, "entry overflows its block");
		namelen = e[8];
		/* inumber, namelen, name, [ftype], tag; 8-byte aligned */
		len = (8 + 1 + namelen + (x->has_ftype ? 1 : 0) + 2 + 7) & ~(size_t)7;
		if (namelen == 0 || len > end - pos)
			return dcorrupt(ip->ino, "entry overflows its block");
		/* each entry ends with its own offset: catches a lying
		 * namelen before its name is matched */
		if (xfs_be16(e + len - 2) != pos)
			return dcorrupt(ip->ino, "entry tag does not match its offset");
		r = fn(ctx, e + 9, namelen, xfs_be64(e));
		if (r)
			return r;
		pos += len;
	}
	return 0;
}

/* Every data block below the leaf offset, in order, skipping holes. */
static int scan_blocks(struct xfs_fs *x, const struct xfs_inode *ip,
		       entry_fn fn, void *ctx)
{
	uint64_t fsbs = (uint64_t)1 << x->dirblklog; /* fs blocks per dir block */
	uint64_t ndb, d = 0;
	struct xfs_map map;
	uint8_t *b;
	int r;

	if (ip->size == 0 || ip->size > XFS_DIR2_LEAF_OFFSET ||
	    ip->size % x->dirblksize)
		return dcorrupt(ip->ino, "size is not a whole number of blocks");
	ndb = ip->size / x->dirblksize;
	r = xfs_map_load(x, ip, XFS_DIR2_LEAF_OFFSET >> x->blocklog, &map);
	if (r < 0)
		return r;
	b = malloc(x->dirblksize);
	if (!b) {
		xfs_map_free(&map);
		return pv_err(PV_ENOMEM, "xfs: out of memory");
	}
	while (d < ndb) {
		uint64_t fb = d * fsbs;
		const struct xfs_ext *e = xfs_map_find(&map, fb);

		if (!e)
			break;
		if (e->off >= fb + fsbs) { /* jump over a hole */
			d = e->off / fsbs;
			continue;
		}
		r = xfs_map_read(x, &map, fb << x->blocklog, b, x->dirblksize);
		if (r == 0)
			r = scan_block(x, ip, b, ndb == 1, fn, ctx);
		if (r)
			break;
		d++;
	}
	free(b);
	xfs_map_free(&map);
	return r;
}

static int dir_scan(struct xfs_fs *x, uint64_t dino, entry_fn fn, void *ctx)
{
	struct xfs_inode ip;
	int r = xfs_inode_read(x, dino, &ip);

	if (r < 0)
		return r;
	if (!S_ISDIR(ip.mode))
		r = pv_err(PV_ENOTREG, "xfs: inode %llu is not a directory",
			   (unsigned long long)dino);
	else if (ip.format == XFS_FMT_LOCAL)
		r = scan_shortform(x, &ip, fn, ctx);
	else
		r = scan_blocks(x, &ip, fn, ctx);
	xfs_inode_free(&ip);
	return r;
}

static int is_dot_or_dotdot(const uint8_t *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	       (len == 2 && name[0] == '.' && name[1] == '.');
}

struct find_ctx {
	const char *name;
	size_t namelen;
	uint64_t ino;
};

static int find_one(void *ctx, const uint8_t *name, size_t namelen,
		    uint64_t ino)
{
	struct find_ctx *f = ctx;

	if (namelen != f->namelen || memcmp(name, f->name, namelen))
		return 0;
	f->ino = ino;
	return 1;
}

int xfs_lookup(struct fs *fs, const struct fs_node *dir, const char *name,
	       size_t namelen, struct fs_node *out)
{
	struct xfs_fs *x = XFS(fs);
	struct find_ctx f = { name, namelen, 0 };
	int r;

	if (namelen == 0 || namelen > PV_NAME_MAX)
		return PV_ENOENT;
	r = dir_scan(x, dir->ino, find_one, &f);
	if (r < 0)
		return r;
	if (r == 0)
		return PV_ENOENT;
	r = xfs_inode_to_node(x, f.ino, out);
	if (r < 0)
		pv_err_ctx("xfs: directory %llu: entry",
			   (unsigned long long)dir->ino);
	return r;
}

struct list_ctx {
	fs_dirent_cb cb;
	void *ctx;
	unsigned long count;
};

static int list_one(void *ctx, const uint8_t *name, size_t namelen,
		    uint64_t ino)
{
	struct list_ctx *l = ctx;
	char tmp[PV_NAME_MAX + 1];

	(void)ino;
	if (is_dot_or_dotdot(name, namelen))
		return 0;
	/* a name no path can reach: skip it rather than hand it on */
	if (namelen > PV_NAME_MAX || memchr(name, '/', namelen) ||
	    memchr(name, '\0', namelen))
		return 0;
	if (++l->count > PV_MAX_DIR_ENTRIES)
		return pv_err(PV_ELIMIT, "xfs: more than %u directory entries",
			      (unsigned)PV_MAX_DIR_ENTRIES);
	memcpy(tmp, name, namelen);
	tmp[namelen] = '\0';
	return l->cb(l->ctx, tmp, namelen);
}

int xfs_readdir(struct fs *fs, const struct fs_node *dir, fs_dirent_cb cb,
		void *ctx)
{
	struct list_ctx l = { cb, ctx, 0 };

	return dir_scan(XFS(fs), dir->ino, list_one, &l);
}
