/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VHD (Microsoft's Virtual Hard Disk, what QEMU calls "vpc") read-only, as
 * a virtual disk (vdisk.h).  Format facts from the VHD specification: a
 * 512-byte big-endian footer at the end ("conectix", checksum), and for
 * dynamic disks a 1024-byte header ("cxsparse") locating the block
 * allocation table (BAT); each allocated block is a sector bitmap then
 * the block's data.  Fixed and dynamic disks are read; a differencing
 * disk needs its parent file, which the worker cannot open: refused.
 * Like QEMU, the bitmap of a dynamic disk is not consulted (unwritten
 * sectors of an allocated block read as what the block holds: zeros).
 */
#include "common/err.h"
#include "common/pvlimits.h"
#include "partition/disk.h"
#include "partition/vdisk.h"

#include <stdlib.h>
#include <string.h>

#define VHD_FIXED 2
#define VHD_DYNAMIC 3
#define VHD_DIFF 4
#define BAT_FREE 0xffffffffu

struct vhd {
	struct vdisk_state st; /* first: see vdisk.h */
	const struct disk *raw;
	uint64_t vsize, fsize;
	int dynamic;
	uint64_t bat_off;
	uint32_t bat_n;
	uint32_t block;      /* bytes per block */
	uint32_t bitmap;     /* bytes of sector bitmap before each block */
};

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* One's complement of the byte sum, with the checksum field as zeros. */
static int checksum_ok(const uint8_t *p, size_t n, size_t at)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (i < at || i >= at + 4)
			sum += p[i];
	return ~sum == be32(p + at);
}

static int walk(struct vhd *v, uint64_t off, uint64_t len, uint8_t *buf,
		vmap_fn fn, void *arg)
{
	while (len) {
		uint64_t blk = v->dynamic ? off / v->block : 0;
		uint64_t in = v->dynamic ? off % v->block : off;
		uint64_t n = v->dynamic && v->block - in < len ? v->block - in : len;
		uint64_t host;
		int r;

		if (v->dynamic) {
			uint8_t e[4];
			uint32_t sect;

			if (blk >= v->bat_n)
				return pv_err(PV_ECORRUPT, "VHD: block beyond the table");
			r = disk_read(v->raw, v->bat_off + blk * 4, e, 4);
			if (r < 0)
				return r;
			sect = be32(e);
			if (sect == BAT_FREE) {
				if (buf)
					memset(buf, 0, n);
				else
					r = fn(arg, VMAP_ZERO, 0, 0, n, NULL);
				goto next;
			}
			host = (uint64_t)sect * 512 + v->bitmap + in;
		} else {
			host = off;
		}
		if (host > v->fsize || n > v->fsize - host)
			return pv_err(PV_ECORRUPT, "VHD: data at %llu lies outside the image",
				      (unsigned long long)host);
		if (buf)
			r = disk_read(v->raw, host, buf, n);
		else
			r = fn(arg, VMAP_FILE, v->raw->level, host, n, NULL);
next:
		if (r < 0)
			return r;
		off += n;
		len -= n;
		if (buf)
			buf += n;
	}
	return 0;
}

static int v_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return walk(ctx, off, len, buf, NULL, NULL);
}

static int v_map(void *ctx, uint64_t off, uint64_t len, vmap_fn fn, void *arg)
{
	return walk(ctx, off, len, NULL, fn, arg);
}

static void v_close(void *ctx)
{
	free(ctx);
}

static const struct vdisk_ops vhd_fixed_ops = {
	.name = "VHD fixed", .read = v_read, .map = v_map, .close = v_close,
};
static const struct vdisk_ops vhd_dynamic_ops = {
	.name = "VHD dynamic", .read = v_read, .map = v_map, .close = v_close,
};

static int dynamic_header(struct vhd *v, uint64_t at)
{
	uint8_t h[1024];
	int r;

	if (at > v->fsize || sizeof(h) > v->fsize - at)
		return pv_err(PV_ECORRUPT, "VHD: dynamic header lies outside the image");
	r = disk_read(v->raw, at, h, sizeof(h));
	if (r < 0)
		return r;
	if (memcmp(h, "cxsparse", 8) || !checksum_ok(h, sizeof(h), 36))
		return pv_err(PV_ECORRUPT, "VHD: bad dynamic header");
	v->bat_off = be64(h + 16);
	v->bat_n = be32(h + 28);
	v->block = be32(h + 32);
	if (v->block < 4096 || v->block > (1u << 28) || (v->block & (v->block - 1)))
		return pv_err(PV_ECORRUPT, "VHD: block size %u", v->block);
	v->bitmap = ((v->block / 512 / 8) + 511) & ~511u;
	if (v->bat_n > PV_MAX_VHD_BAT ||
	    (uint64_t)v->bat_n * v->block < v->vsize)
		return pv_err(PV_ECORRUPT, "VHD: %u table entries for %llu bytes",
			      v->bat_n, (unsigned long long)v->vsize);
	if (v->bat_off > v->fsize || (uint64_t)v->bat_n * 4 > v->fsize - v->bat_off)
		return pv_err(PV_ECORRUPT, "VHD: block table lies outside the image");
	return 0;
}

int vhd_open(const struct disk *raw, const struct vdisk_ops **ops,
	     void **ctx, uint64_t *vsize)
{
	uint8_t f[512];
	struct vhd *v;
	uint32_t type;
	int r;

	if (raw->size < 512 + 512)
		return PV_ENOTMINE;
	r = disk_read(raw, raw->size - 512, f, sizeof(f));
	if (r < 0)
		return r;
	if (memcmp(f, "conectix", 8))
		return PV_ENOTMINE;
	if (!checksum_ok(f, sizeof(f), 64)) {
		/* a raw disk may end in these 8 bytes by chance: raw it is */
		pv_debug("%s: \"conectix\" at the end but no valid VHD footer: a raw disk",
			 raw->name);
		return PV_ENOTMINE;
	}
	type = be32(f + 60);
	if (type == VHD_DIFF)
		return pv_err(PV_ENOTSUP,
			      "VHD: a differencing disk needs its parent, which pvboot does not open (qemu-img convert it to a standalone image)");
	if (type != VHD_FIXED && type != VHD_DYNAMIC)
		return pv_err(PV_ENOTSUP, "VHD: disk type %u", type);
	v = calloc(1, sizeof(*v));
	if (!v)
		return pv_err(PV_ENOMEM, "out of memory");
	v->raw = raw;
	v->fsize = raw->size - 512; /* the footer is not data */
	v->vsize = be64(f + 48);
	v->dynamic = type == VHD_DYNAMIC;
	r = 0;
	if (v->vsize == 0 || v->vsize > PV_MAX_VDISK_SIZE || v->vsize % 512)
		r = pv_err(PV_ECORRUPT, "VHD: virtual size %llu",
			   (unsigned long long)v->vsize);
	else if (!v->dynamic && v->vsize > v->fsize)
		r = pv_err(PV_ECORRUPT, "VHD: fixed disk of %llu bytes in a %llu-byte file",
			   (unsigned long long)v->vsize, (unsigned long long)v->fsize);
	else if (v->dynamic)
		r = dynamic_header(v, be64(f + 16));
	if (r < 0) {
		free(v);
		return r;
	}
	*ops = v->dynamic ? &vhd_dynamic_ops : &vhd_fixed_ops;
	*ctx = v;
	*vsize = v->vsize;
	return 0;
}
