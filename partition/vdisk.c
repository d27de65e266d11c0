/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Detecting disk images and mapping their ranges (vdisk.h). */
#include "partition/vdisk.h"
#include "common/err.h"
#include "partition/disk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int vdisk_detect(struct disk *d)
{
	int (*const openers[])(const struct disk *, const struct vdisk_ops **,
			       void **, uint64_t *) = { qcow2_open, vhd_open };
	struct disk *raw;
	struct stat st;
	size_t i;

	if (d->vops)
		return 1;
	if (d->fd >= 0 && fstat(d->fd, &st) == 0 && S_ISBLK(st.st_mode))
		return 0;
	raw = malloc(sizeof(*raw));
	if (!raw)
		return pv_err(PV_ENOMEM, "out of memory");
	*raw = *d;
	raw->own_fd = 0;
	for (i = 0; i < sizeof(openers) / sizeof(openers[0]); i++) {
		const struct vdisk_ops *ops;
		void *ctx;
		uint64_t vsize;
		int r = openers[i](raw, &ops, &ctx, &vsize);

		if (r == PV_ENOTMINE)
			continue;
		if (r < 0) {
			free(raw);
			return r;
		}
		d->vops = ops;
		d->vctx = ctx;
		d->raw = raw;
		d->size = vsize;
		pv_debug("%s: a %s image, virtual size %llu", d->name, ops->name,
			 (unsigned long long)vsize);
		return 1;
	}
	free(raw);
	return 0;
}

int disk_map(const struct disk *d, uint64_t off, uint64_t len, vmap_fn fn,
	     void *arg)
{
	int r;

	if (off > d->size || len > d->size - off)
		return pv_err(PV_EIO, "range %llu+%llu is past the end of the disk",
			      (unsigned long long)off, (unsigned long long)len);
	if (!d->vops)
		return fn(arg, VMAP_FILE, d->level, off, len, NULL);
	r = d->vops->map(d->vctx, off, len, fn, arg);
	vdisk_note(d->vctx, r);
	return r;
}

int vdisk_failure(const struct disk *d)
{
	const struct vdisk_state *st = d->vctx;

	if (!d->vops || !st || !st->code)
		return 0;
	return pv_err(st->code, "%s", st->msg);
}

void vdisk_note(struct vdisk_state *st, int r)
{
	if (r < 0 && !st->code) {
		st->code = r;
		snprintf(st->msg, sizeof(st->msg), "%s", pv_errmsg());
	}
}

/* --- backing chains (vdisk.h) --- */

int vdisk_backing(const struct disk *raw, const char *what, const char *name,
		  struct disk **below)
{
	struct vdisk_chain *c = raw->chain;
	int k = raw->level + 1, r;
	struct disk *b;
	char label[64];

	*below = NULL;
	if (!c || !c->allow)
		return pv_err(PV_ENOTSUP,
			      "%s: the image has a backing file, which pvboot opens only with --allow-backing (or qemu-img convert it to a standalone image)",
			      what);
	if (k > PV_MAX_BACKING_DEPTH)
		return pv_err(PV_ELIMIT, "%s: more than %d backing files in the chain",
			      what, PV_MAX_BACKING_DEPTH);
	if (k > c->n) {
		/* the supervisor opens it and runs us again */
		snprintf(c->want, sizeof(c->want), "%s", name);
		return pv_err(PV_ENOTSUP, "%s: needs backing file %s (level %d), not opened",
			      what, name, k);
	}
	if (c->lvl[k]) {
		*below = c->lvl[k];
		return 0;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return pv_err(PV_ENOMEM, "out of memory");
	snprintf(label, sizeof(label), "backing file %d", k);
	r = disk_open_fd(b, c->fd[k], label);
	if (r == 0 && b->size != c->size[k])
		r = pv_err(PV_EIO, "%s changed size", label);
	b->level = k;
	b->chain = c;
	/* detected by content, as the disk itself; raw if no image */
	if (r == 0)
		r = vdisk_detect(b);
	if (r < 0) {
		disk_close(b);
		free(b);
		/* name the deepest level once, not every level above it */
		if (strncmp(pv_errmsg(), "backing file ", 13) != 0)
			pv_err_ctx("%s", label);
		return r;
	}
	c->lvl[k] = b;
	*below = b;
	return 0;
}

int vdisk_below_read(struct disk *below, uint64_t off, void *buf,
		     uint64_t len)
{
	uint64_t in = off < below->size ? below->size - off : 0;
	int r;

	if (in > len)
		in = len;
	if (in) {
		r = disk_read(below, off, buf, (size_t)in);
		if (r < 0)
			return r;
	}
	memset((uint8_t *)buf + in, 0, (size_t)(len - in));
	return 0;
}

int vdisk_below_map(struct disk *below, uint64_t off, uint64_t len,
		    vmap_fn fn, void *arg)
{
	uint64_t in = off < below->size ? below->size - off : 0;
	int r;

	if (in > len)
		in = len;
	if (in) {
		r = disk_map(below, off, in, fn, arg);
		if (r < 0)
			return r;
	}
	return len > in ? fn(arg, VMAP_ZERO, 0, 0, len - in, NULL) : 0;
}

const struct disk *vdisk_file(const struct disk *d, int level)
{
	if (level > 0) {
		if (!d->chain || level > d->chain->n || !d->chain->lvl[level])
			return NULL;
		d = d->chain->lvl[level];
	} else if (level < 0) {
		return NULL;
	}
	return d->raw ? d->raw : d;
}

void vdisk_chain_close(struct vdisk_chain *c)
{
	int k;

	for (k = 1; k <= PV_MAX_BACKING_DEPTH; k++) {
		if (c->lvl[k]) {
			disk_close(c->lvl[k]);
			free(c->lvl[k]);
			c->lvl[k] = NULL;
		}
	}
}
