/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A guest file as a blob: byte ranges of the disk where the filesystem can
 * map it (so the supervisor copies it with copy_file_range), otherwise the
 * bytes themselves.  The size is checked against the cap before anything
 * is read (security.md B10).
 */
#include "bootloader/confined/volumes.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "fs/path.h"
#include "partition/vdisk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A path as we show it (-n, messages): "//", "." and ".." folded
 * lexically, e.g. extlinux's "/boot/extlinux/../vmlinuz" -> "/boot/vmlinuz".
 * Only for display: resolution itself follows symlinks in fs/path.c. */
static void tidy_path(char *p)
{
	char out[PV_PATH_MAX];
	size_t o = 0, i = 0, n = strlen(p);

	while (i < n) {
		size_t j = i, len;

		while (j < n && p[j] != '/')
			j++;
		len = j - i;
		if (len == 0 || (len == 1 && p[i] == '.')) {
			/* skip */
		} else if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (o + 1 + len < sizeof(out)) {
			out[o++] = '/';
			memcpy(out + o, p + i, len);
			o += len;
		}
		i = j + 1;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	memcpy(p, out, o + 1);
}

/* path, then without /boot, then with /boot (separate /boot partition). */
static int resolve_boot_path(struct fs *fs, const char *path,
			     struct fs_node *n, char *used, size_t usedsz)
{
	char alt[PV_PATH_MAX];
	int r, r2;

	r = fs_resolve_file(fs, path, n);
	if (r != PV_ENOENT) {
		if (r == 0)
			snprintf(used, usedsz, "%s", path);
		return r;
	}
	if (strncmp(path, "/boot/", 6) == 0)
		snprintf(alt, sizeof(alt), "%s", path + 5);
	else if (snprintf(alt, sizeof(alt), "/boot%s%s",
			  path[0] == '/' ? "" : "/", path) >= (int)sizeof(alt))
		return r;
	r2 = fs_resolve_file(fs, alt, n);
	if (r2 == 0) {
		snprintf(used, usedsz, "%s", alt);
		return 0;
	}
	/* report the path as written in the config */
	return fs_resolve_file(fs, path, n);
}

int vols_has_file(struct run_ctx *rc, size_t vi, const char *dev,
		  const char *path)
{
	char used[PV_PATH_MAX];
	struct fs_node n;
	long v = vols_by_dev(rc, dev, vi);

	if (v < 0 || vols_mount(rc, (size_t)v) < 0)
		return 0;
	return resolve_boot_path(rc->vs[v].fs, path, &n, used,
				 sizeof(used)) == 0;
}

struct ext_ctx {
	struct blob *b;
	const struct volume *vol;
	uint64_t next;   /* the file offset the next extent must start at */
	uint64_t size;
	uint64_t max;
	uint64_t w0, w1; /* the window of the file wanted: [w0, w1) */
};

/* One piece of a mapped range: a disk image (partition/vdisk.h) turns a
 * range of its virtual disk into file ranges, zeros and inflated bytes. */
static int take_piece(void *arg, enum vmap_kind kind, int level,
		      uint64_t off, uint64_t len, uint8_t *bytes)
{
	struct ext_ctx *x = arg;

	if (kind == VMAP_FILE) /* level: a file of the backing chain */
		return blob_add_disk_in(x->b, level, off, len, x->max);
	if (kind == VMAP_ZERO)
		return blob_add_zero(x->b, len, x->max);
	return blob_add_bytes(x->b, bytes, len, x->max);
}

static int take_extent(void *ctx, const struct fs_extent *e)
{
	struct ext_ctx *x = ctx;
	const struct volume *v = x->vol;
	uint64_t off, left, a, z;

	if (e->file_off != x->next || e->len == 0 || e->len > x->size - x->next)
		return pv_err(PV_ECORRUPT,
			      "file map is inconsistent at offset %llu",
			      (unsigned long long)e->file_off);
	x->next += e->len;
	/* defence in depth: the supervisor checks against the disk too */
	if (!e->zero &&
	    (e->disk_off < v->offset || e->disk_off - v->offset > v->length ||
	     e->len > v->length - (e->disk_off - v->offset)))
		return pv_err(PV_ECORRUPT,
			      "file data at %llu lies outside its volume",
			      (unsigned long long)e->disk_off);
	/* only the part inside the window (a UKI section) */
	a = e->file_off > x->w0 ? e->file_off : x->w0;
	z = e->file_off + e->len < x->w1 ? e->file_off + e->len : x->w1;
	if (a >= z)
		return 0;
	if (e->zero)
		return blob_add_zero(x->b, z - a, x->max);
	/* a backend reports v->offset + the volume offset; an LV maps that
	 * through its segments to one or more ranges of the disk, and a disk
	 * image (partition/vdisk.h) each of those to ranges of its file,
	 * zeros and inflated bytes */
	off = e->disk_off + (a - e->file_off) - v->offset;
	left = z - a;
	while (left > 0) {
		uint64_t d, c;
		int r = vol_map(v, off, &d, &c);

		if (r < 0)
			return r;
		if (c > left)
			c = left;
		r = disk_map(v->disk, d, c, take_piece, x);
		if (r < 0)
			return r;
		off += c;
		left -= c;
	}
	return 0;
}

/* A file the filesystem cannot map to disk ranges (compressed, inline):
 * its bytes are read on demand, one chunk at a time, when they are sent
 * (bootloader/confined/stream_out.c), never held whole. */
struct file_src {
	struct fs *fs;
	struct fs_node n;
	uint64_t base;   /* where the wanted window starts in the file */
};

static long file_src_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct file_src *f = ctx;

	return f->fs->ops->read(f->fs, &f->n, f->base + off, buf, len);
}

static int read_lazily(struct fs *fs, const struct fs_node *n, uint64_t w0,
		       uint64_t wlen, struct blob *b, uint64_t max)
{
	struct seg_src *src = calloc(1, sizeof(*src));
	struct file_src *f = calloc(1, sizeof(*f));

	if (!src || !f) {
		free(src);
		free(f);
		return pv_err(PV_ENOMEM, "out of memory");
	}
	f->fs = fs;
	f->n = *n;
	f->base = w0;
	src->read = file_src_read;
	src->free = free;
	src->ctx = f;
	return blob_add_source(b, src, wlen, max);
}

int vols_file_blob(struct run_ctx *rc, size_t vi, const char *dev,
		   const char *path, uint64_t max, struct blob *b, char *used,
		   size_t usedsz)
{
	return vols_file_part_blob(rc, vi, dev, path, NULL, max, b, used,
				   usedsz);
}

int vols_file_part_blob(struct run_ctx *rc, size_t vi, const char *dev,
			const char *path, const struct file_part *part,
			uint64_t max, struct blob *b, char *used,
			size_t usedsz)
{
	uint64_t w0, wlen;
	struct blob tmp;
	struct fs_node n;
	struct fs *fs;
	long v = vols_by_dev(rc, dev, vi);
	int r;

	if (!path || !*path)
		return pv_err(PV_ENOENT, "the entry names no file");
	if (v < 0)
		return pv_err(PV_ENOENT, "device %s does not exist", dev);
	r = vols_mount(rc, (size_t)v);
	if (r < 0)
		return pv_err(r, "device %s: %s", dev ? dev : "",
			      rc->vs[v].diag);
	fs = rc->vs[v].fs;
	r = resolve_boot_path(fs, path, &n, used, usedsz);
	if (r < 0)
		return r;
	tidy_path(used);
	w0 = 0;
	wlen = n.size;
	if (part && part->len) {
		if (part->off > n.size || part->len > n.size - part->off)
			return pv_err(PV_ECORRUPT,
				      "%s: section %s lies outside the file",
				      used, part->name);
		w0 = part->off;
		wlen = part->len;
	}
	if (wlen > max || b->total > max - wlen)
		return pv_err(PV_ELIMIT,
			      "%s%s%s is %llu bytes, over the %llu MiB cap (PYGRUB_MAX_FILE_SIZE_MB)",
			      used, part && part->len ? ":" : "",
			      part && part->len ? part->name : "",
			      (unsigned long long)wlen,
			      (unsigned long long)(max >> 20));
	/* build the file's own blob, then append it: a failure leaves b as
	 * it was */
	blob_init(&tmp);
	r = PV_ENOTSUP;
	if (fs->ops->extents) {
		struct ext_ctx x = { &tmp, fs->vol, 0, n.size, max, w0,
				     w0 + wlen };

		r = fs->ops->extents(fs, &n, take_extent, &x);
		if (r == 0 && x.next != n.size)
			r = pv_err(PV_ECORRUPT,
				   "file map covers %llu of %llu bytes",
				   (unsigned long long)x.next,
				   (unsigned long long)n.size);
		if (r == PV_ENOTSUP) /* not plainly mapped: read it */
			blob_free(&tmp);
	}
	if (r == PV_ENOTSUP)
		r = read_lazily(fs, &n, w0, wlen, &tmp, max);
	if (r == 0)
		r = blob_append(b, &tmp, max);
	blob_free(&tmp);
	return r;
}

int vols_read_at(struct run_ctx *rc, size_t vi, const char *path,
		 uint64_t off, void *buf, size_t len, uint64_t *file_size)
{
	struct fs_node n;
	struct fs *fs;
	size_t done = 0;
	int r;

	r = vols_mount(rc, vi);
	if (r < 0)
		return r;
	fs = rc->vs[vi].fs;
	r = fs_resolve_file(fs, path, &n);
	if (r < 0)
		return r;
	if (file_size)
		*file_size = n.size;
	if (off > n.size || len > n.size - off)
		return pv_err(PV_ECORRUPT,
			      "%s: %zu bytes at %llu lie outside the %llu-byte file",
			      path, len, (unsigned long long)off,
			      (unsigned long long)n.size);
	while (done < len) {
		long got = fs->ops->read(fs, &n, off + done,
					 (uint8_t *)buf + done, len - done);

		if (got < 0)
			return (int)got;
		if (got == 0)
			return pv_err(PV_ECORRUPT, "%s: ends early", path);
		done += (size_t)got;
	}
	return 0;
}
