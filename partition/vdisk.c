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
		return fn(arg, VMAP_FILE, off, len, NULL);
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
