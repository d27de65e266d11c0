/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * File data of the btrfs backend: EXTENT_DATA items in key order (key
 * offset = file offset).  Inline extents (possibly compressed), regular
 * extents (plain or compressed: zlib, lzo, zstd), preallocated extents and
 * holes (explicit with disk_bytenr 0, or implicit gaps with no-holes) read
 * as zeros.  extents() maps plain regular extents to disk ranges and
 * refuses inline and compressed files with PV_ENOTSUP so the caller reads.
 */
#include "fs/btrfs_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FE_INLINE 0
#define FE_REG 1
#define FE_PREALLOC 2

/* One file extent item, decoded and checked. */
struct fext {
	uint64_t start, len; /* file range */
	int type;
	uint8_t comp;
	uint64_t ram;
	const uint8_t *idata; /* inline data (in the path's leaf) */
	uint32_t ilen;
	uint64_t bytenr, disk_len, offset;
};

static int ext_bad(uint64_t ino, uint64_t start, const char *what)
{
	return pv_err(PV_ECORRUPT,
		      "btrfs: inode %" PRIu64 " extent at %" PRIu64 ": %s", ino,
		      start, what);
}

static int parse_extent(uint64_t ino, const struct btrfs_key *k,
			const uint8_t *d, uint32_t sz, struct fext *e)
{
	memset(e, 0, sizeof(*e));
	e->start = k->offset;
	if (sz < BTRFS_FILE_EXTENT_INLINE_HEAD)
		return ext_bad(ino, e->start, "item too short");
	e->ram = btrfs_le64(d + 8);
	e->comp = d[16];
	e->type = d[20];
	if (d[17] || btrfs_le16(d + 18))
		return pv_err(PV_ENOTSUP,
			      "btrfs: inode %" PRIu64 " uses encrypted or encoded extents",
			      ino);
	if (e->comp > BTRFS_COMPRESS_ZSTD)
		return pv_err(PV_ENOTSUP,
			      "btrfs: inode %" PRIu64 ": unknown compression %u",
			      ino, e->comp);
	if (e->type == FE_INLINE) {
		e->idata = d + BTRFS_FILE_EXTENT_INLINE_HEAD;
		e->ilen = sz - BTRFS_FILE_EXTENT_INLINE_HEAD;
		if (e->ram > BTRFS_MAX_UNCOMPRESSED)
			return ext_bad(ino, e->start, "inline extent too large");
		if (e->comp == BTRFS_COMPRESS_NONE && e->ram > e->ilen)
			return ext_bad(ino, e->start, "inline data shorter than its size");
		e->len = e->ram;
	} else if (e->type == FE_REG || e->type == FE_PREALLOC) {
		if (sz < BTRFS_FILE_EXTENT_REG_SIZE)
			return ext_bad(ino, e->start, "item too short");
		e->bytenr = btrfs_le64(d + 21);
		e->disk_len = btrfs_le64(d + 29);
		e->offset = btrfs_le64(d + 37);
		e->len = btrfs_le64(d + 45);
		if (e->type == FE_REG && e->bytenr && e->comp) {
			if (e->disk_len > BTRFS_MAX_COMPRESSED ||
			    e->ram > BTRFS_MAX_UNCOMPRESSED || !e->disk_len)
				return ext_bad(ino, e->start,
					       "compressed extent too large");
			if (e->offset > e->ram || e->len > e->ram - e->offset)
				return ext_bad(ino, e->start,
					       "range outside its compressed data");
		} else if (e->bytenr + e->offset < e->bytenr ||
			   e->bytenr + e->offset + e->len < e->bytenr) {
			return ext_bad(ino, e->start, "disk range wraps");
		}
	} else {
		return ext_bad(ino, e->start, "unknown extent type");
	}
	if (e->start + e->len < e->start)
		return ext_bad(ino, e->start, "file range wraps");
	return 0;
}

/* Decompressed bytes of a compressed regular extent, kept for the next
 * read of the same extent. */
static int zcache_get(struct btrfs_fs *b, const struct fext *e,
		      const uint8_t **out)
{
	struct btrfs_zcache *z = &b->z;
	uint8_t *src;
	int r;

	if (z->valid && z->bytenr == e->bytenr && z->disk_len == e->disk_len &&
	    z->comp == e->comp && z->ram == e->ram) {
		*out = z->buf;
		return 0;
	}
	z->valid = 0;
	if (!z->buf) {
		z->buf = malloc(BTRFS_MAX_UNCOMPRESSED);
		if (!z->buf)
			return pv_err(PV_ENOMEM, "btrfs: out of memory");
	}
	src = malloc(e->disk_len);
	if (!src)
		return pv_err(PV_ENOMEM, "btrfs: out of memory");
	r = btrfs_read_logical(b, e->bytenr, src, (size_t)e->disk_len);
	if (r == 0)
		r = btrfs_decompress(b, e->comp, src, (size_t)e->disk_len,
				     z->buf, (size_t)e->ram);
	free(src);
	if (r < 0)
		return r;
	z->valid = 1;
	z->bytenr = e->bytenr;
	z->disk_len = e->disk_len;
	z->comp = e->comp;
	z->ram = (uint32_t)e->ram;
	*out = z->buf;
	return 0;
}

/* Copy n bytes at rel (relative to the extent's start) into dst. */
static int copy_extent(struct btrfs_fs *b, const struct fext *e, uint64_t rel,
		       uint8_t *dst, size_t n)
{
	const uint8_t *src = NULL;
	uint8_t *tmp;
	int r;

	if (e->type == FE_INLINE) {
		if (e->comp == BTRFS_COMPRESS_NONE) {
			memcpy(dst, e->idata + rel, n);
			return 0;
		}
		tmp = malloc(e->ram ? e->ram : 1);
		if (!tmp)
			return pv_err(PV_ENOMEM, "btrfs: out of memory");
		r = btrfs_decompress(b, e->comp, e->idata, e->ilen, tmp,
				     (size_t)e->ram);
		if (r == 0)
			memcpy(dst, tmp + rel, n);
		free(tmp);
		return r;
	}
	if (e->type == FE_PREALLOC || !e->bytenr) {
		memset(dst, 0, n);
		return 0;
	}
	if (e->comp == BTRFS_COMPRESS_NONE)
		return btrfs_read_logical(b, e->bytenr + e->offset + rel, dst, n);
	r = zcache_get(b, e, &src);
	if (r < 0)
		return r;
	memcpy(dst, src + e->offset + rel, n);
	return 0;
}

/* Position p on the extent item covering off (or the first after it). */
static int seek_extent(struct btrfs_fs *b, const struct btrfs_subvol *sv,
		       uint64_t ino, uint64_t off, struct btrfs_path *p)
{
	struct btrfs_key k = {ino, BTRFS_EXTENT_DATA_KEY, off};
	int r = btrfs_search(b, sv->bytenr, sv->level, sv->generation, &k, p);

	if (r < 0)
		return r;
	if (p->slot[0] >= 0 && p->last.objectid == ino &&
	    p->last.type == BTRFS_EXTENT_DATA_KEY)
		return 0;
	return btrfs_next(b, p);
}

long btrfs_read(struct fs *fs, const struct fs_node *n, uint64_t off,
		void *buf, size_t len)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct btrfs_subvol *sv;
	struct btrfs_path p;
	uint8_t *out = buf;
	uint64_t pos = off, end;
	size_t visited = 0;
	int r;

	if (!S_ISREG(n->mode) && !S_ISLNK(n->mode))
		return pv_err(PV_ENOTREG, "btrfs: inode %" PRIu64 " is not a file",
			      n->ino);
	if (off >= n->size || !len)
		return 0;
	if (len > LONG_MAX)
		len = LONG_MAX;
	end = n->size - off < len ? n->size : off + len;
	r = btrfs_subvol(b, n->aux, &sv);
	if (r < 0)
		return r;
	r = seek_extent(b, sv, n->ino, off, &p);
	while (r == 0 && pos < end) {
		struct btrfs_key k;
		const uint8_t *d;
		uint32_t sz;
		struct fext e;

		btrfs_item(b, &p, &k, &d, &sz);
		if (k.objectid != n->ino || k.type != BTRFS_EXTENT_DATA_KEY)
			break;
		if (++visited > PV_MAX_FILE_EXTENTS) {
			r = pv_err(PV_ELIMIT, "btrfs: inode %" PRIu64
				   " has more than %u extents", n->ino,
				   (unsigned)PV_MAX_FILE_EXTENTS);
			break;
		}
		r = parse_extent(n->ino, &k, d, sz, &e);
		if (r < 0 || e.start >= end)
			break;
		if (e.start > pos) { /* implicit hole */
			memset(out + (pos - off), 0, e.start - pos);
			pos = e.start;
		}
		if (e.start + e.len > pos) {
			uint64_t stop = e.start + e.len < end ? e.start + e.len : end;

			r = copy_extent(b, &e, pos - e.start, out + (pos - off),
					(size_t)(stop - pos));
			if (r < 0)
				break;
			pos = stop;
		}
		if (pos < end)
			r = btrfs_next(b, &p);
	}
	btrfs_path_free(&p);
	if (r < 0)
		return r;
	if (pos < end) /* hole up to the end of the file */
		memset(out + (pos - off), 0, end - pos);
	return (long)(end - off);
}

struct emit {
	fs_extent_cb cb;
	void *ctx;
	size_t count;
};

static int emit(struct emit *em, uint64_t file_off, uint64_t disk_off,
		uint64_t len, int zero)
{
	struct fs_extent x = {file_off, zero ? 0 : disk_off, len, zero};

	if (!len)
		return 0;
	if (++em->count > PV_MAX_FILE_EXTENTS)
		return pv_err(PV_ELIMIT, "btrfs: file has more than %u extents",
			      (unsigned)PV_MAX_FILE_EXTENTS);
	return em->cb(em->ctx, &x);
}

/* Plain data [logical, +len) at file offset pos, split at chunk ends. */
static int emit_data(struct btrfs_fs *b, struct emit *em, uint64_t pos,
		     uint64_t logical, uint64_t len)
{
	const struct volume *v = b->base.vol;

	while (len) {
		uint64_t phys, n;
		int r = btrfs_map(b, logical, len, &phys, &n);

		if (r < 0)
			return r;
		if (phys > v->length || n > v->length - phys)
			return pv_err(PV_ECORRUPT,
				      "btrfs: file data at physical %" PRIu64
				      " lies outside the volume",
				      phys);
		r = emit(em, pos, v->offset + phys, n, 0);
		if (r)
			return r;
		pos += n;
		logical += n;
		len -= n;
	}
	return 0;
}

int btrfs_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		  void *ctx)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct emit em = {cb, ctx, 0};
	struct btrfs_subvol *sv;
	struct btrfs_path p;
	uint64_t pos = 0, size = n->size;
	size_t visited = 0;
	int r, rc = 0; /* r: tree walk (1 = end), rc: errors and callback */

	if (!S_ISREG(n->mode))
		return pv_err(PV_ENOTREG, "btrfs: inode %" PRIu64 " is not a file",
			      n->ino);
	r = btrfs_subvol(b, n->aux, &sv);
	if (r < 0)
		return r;
	r = seek_extent(b, sv, n->ino, 0, &p);
	while (r == 0 && pos < size) {
		struct btrfs_key k;
		const uint8_t *d;
		uint32_t sz;
		struct fext e;
		uint64_t stop;

		btrfs_item(b, &p, &k, &d, &sz);
		if (k.objectid != n->ino || k.type != BTRFS_EXTENT_DATA_KEY)
			break;
		if (++visited > PV_MAX_FILE_EXTENTS) {
			rc = pv_err(PV_ELIMIT, "btrfs: inode %" PRIu64
				    " has more than %u extents", n->ino,
				    (unsigned)PV_MAX_FILE_EXTENTS);
			goto out;
		}
		rc = parse_extent(n->ino, &k, d, sz, &e);
		if (rc < 0)
			goto out;
		if (e.start >= size)
			break;
		if (e.type == FE_INLINE ||
		    (e.type == FE_REG && e.bytenr && e.comp)) {
			rc = pv_err(PV_ENOTSUP,
				    "btrfs: inode %" PRIu64
				    " has inline or compressed data",
				    n->ino);
			goto out;
		}
		if (e.start > pos) {
			rc = emit(&em, pos, 0, e.start - pos, 1);
			if (rc)
				goto out;
			pos = e.start;
		}
		stop = e.start + e.len < size ? e.start + e.len : size;
		if (stop > pos) {
			if (e.type == FE_PREALLOC || !e.bytenr)
				rc = emit(&em, pos, 0, stop - pos, 1);
			else
				rc = emit_data(b, &em, pos,
					       e.bytenr + e.offset + (pos - e.start),
					       stop - pos);
			if (rc)
				goto out;
			pos = stop;
		}
		if (pos < size)
			r = btrfs_next(b, &p);
	}
	if (r < 0)
		rc = r;
	else if (pos < size)
		rc = emit(&em, pos, 0, size - pos, 1);
out:
	btrfs_path_free(&p);
	return rc;
}
