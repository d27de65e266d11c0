/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VHD (Microsoft's Virtual Hard Disk, what QEMU calls "vpc") read-only, as
 * a virtual disk (vdisk.h).  Format facts from the VHD specification: a
 * 512-byte big-endian footer at the end ("conectix", checksum), and for
 * dynamic disks a 1024-byte header ("cxsparse") locating the block
 * allocation table (BAT); each allocated block is a sector bitmap then
 * the block's data.  Fixed and dynamic disks are read, and differencing
 * disks with --allow-backing (vdisk.h): their parent is named by the
 * header's parent locators (W2ru: a relative path, W2ku: an absolute
 * one, both UTF-16LE; MacX: a UTF-8 file:// URL); an unallocated block,
 * and a sector whose bit is clear in its block's bitmap, read from the
 * parent, which must carry the unique id the header names.  Like QEMU,
 * the bitmap of a dynamic disk is not consulted (unwritten sectors of an
 * allocated block read as what the block holds: zeros).
 */
#include "common/err.h"
#include "common/hex.h"
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
	struct disk *below;  /* a differencing disk's parent (chain-owned) */
	uint8_t *bits;       /* differencing: one block's sector bitmap */
	uint64_t bits_blk;   /* the block it belongs to, UINT64_MAX none */
};

#define PLAT_W2RU 0x57327275u /* "W2ru" */
#define PLAT_W2KU 0x57326b75u /* "W2ku" */
#define PLAT_MACX 0x4d616358u /* "MacX" */

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

/* What the parent holds at [off, off + n). */
static int below(struct vhd *v, uint64_t off, uint64_t n, uint8_t *buf,
		 vmap_fn fn, void *arg)
{
	return buf ? vdisk_below_read(v->below, off, buf, n)
		   : vdisk_below_map(v->below, off, n, fn, arg);
}

/* An allocated block of a differencing disk, whose bitmap sits at bm:
 * runs of sectors written here (bit set) or in the parent (clear). */
static int diff_block(struct vhd *v, uint64_t blk, uint64_t bm, uint64_t off,
		      uint64_t in, uint64_t n, uint8_t *buf, vmap_fn fn,
		      void *arg)
{
	int r;

	if (bm > v->fsize || (uint64_t)v->bitmap + v->block > v->fsize - bm)
		return pv_err(PV_ECORRUPT, "VHD: block at %llu lies outside the image",
			      (unsigned long long)bm);
	if (v->bits_blk != blk) {
		v->bits_blk = UINT64_MAX;
		r = disk_read(v->raw, bm, v->bits, v->bitmap);
		if (r < 0)
			return r;
		v->bits_blk = blk;
	}
	while (n) {
		uint64_t s = in / 512, run = 512 - in % 512;
		int set = v->bits[s / 8] >> (7 - s % 8) & 1;

		/* extend the run over the sectors with the same bit */
		for (s++; run < n && (v->bits[s / 8] >> (7 - s % 8) & 1) == set; s++)
			run += 512;
		if (run > n)
			run = n;
		if (!set)
			r = below(v, off, run, buf, fn, arg);
		else if (buf)
			r = disk_read(v->raw, bm + v->bitmap + in, buf, run);
		else
			r = fn(arg, VMAP_FILE, v->raw->level, bm + v->bitmap + in,
			       run, NULL);
		if (r < 0)
			return r;
		off += run;
		in += run;
		n -= run;
		if (buf)
			buf += run;
	}
	return 0;
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
			if (sect == BAT_FREE && v->below) {
				r = below(v, off, n, buf, fn, arg);
				goto next;
			}
			if (sect == BAT_FREE) {
				if (buf)
					memset(buf, 0, n);
				else
					r = fn(arg, VMAP_ZERO, 0, 0, n, NULL);
				goto next;
			}
			host = (uint64_t)sect * 512 + v->bitmap + in;
			if (v->below) { /* sector by sector, as the bitmap says */
				r = diff_block(v, blk, (uint64_t)sect * 512, off,
					       in, n, buf, fn, arg);
				goto next;
			}
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
	struct vhd *v = ctx;

	if (v)
		free(v->bits);
	free(v);
}

static const struct vdisk_ops vhd_fixed_ops = {
	.name = "VHD fixed", .read = v_read, .map = v_map, .close = v_close,
};
static const struct vdisk_ops vhd_dynamic_ops = {
	.name = "VHD dynamic", .read = v_read, .map = v_map, .close = v_close,
};
static const struct vdisk_ops vhd_diff_ops = {
	.name = "VHD differencing", .read = v_read, .map = v_map,
	.close = v_close,
};

/* Append code point c as UTF-8 to out (room for 4 more bytes checked). */
static int put_utf8(char *out, size_t *o, size_t cap, uint32_t c)
{
	if (*o + 4 >= cap)
		return -1;
	if (c < 0x80) {
		out[(*o)++] = (char)c;
	} else if (c < 0x800) {
		out[(*o)++] = (char)(0xc0 | c >> 6);
		out[(*o)++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		out[(*o)++] = (char)(0xe0 | c >> 12);
		out[(*o)++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[(*o)++] = (char)(0x80 | (c & 0x3f));
	} else {
		out[(*o)++] = (char)(0xf0 | c >> 18);
		out[(*o)++] = (char)(0x80 | (c >> 12 & 0x3f));
		out[(*o)++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[(*o)++] = (char)(0x80 | (c & 0x3f));
	}
	return 0;
}

/* One parent locator's data p (len bytes) as a POSIX path in out, or a
 * negative PV_E* (a Windows drive path, bad UTF-16, a URL we do not
 * read).  Windows separators become '/'. */
static int locator_path(uint32_t code, const uint8_t *p, uint32_t len,
			char *out, size_t cap)
{
	size_t o = 0, i;

	if (code == PLAT_MACX) {
		if (len < 8 || memcmp(p, "file://", 7))
			return pv_err(PV_ENOTSUP, "VHD: parent locator is not a file:// URL");
		for (i = 7; i < len && p[i]; i++) {
			int hi, lo;

			if (o + 1 >= cap)
				return pv_err(PV_ELIMIT, "VHD: parent name too long");
			if (p[i] != '%') {
				out[o++] = (char)p[i];
				continue;
			}
			hi = i + 2 < len ? hex_value((char)p[i + 1]) : -1;
			lo = i + 2 < len ? hex_value((char)p[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return pv_err(PV_ECORRUPT, "VHD: bad %%-escape in the parent URL");
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		}
	} else { /* UTF-16LE */
		if (len % 2)
			return pv_err(PV_ECORRUPT, "VHD: parent locator of odd length %u", len);
		for (i = 0; i + 1 < len; i += 2) {
			uint32_t c = p[i] | (uint32_t)p[i + 1] << 8;

			if (c == 0)
				break;
			if (c >= 0xd800 && c < 0xdc00 && i + 3 < len) {
				uint32_t lo = p[i + 2] | (uint32_t)p[i + 3] << 8;

				if (lo < 0xdc00 || lo >= 0xe000)
					return pv_err(PV_ECORRUPT, "VHD: bad UTF-16 in the parent locator");
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			} else if (c >= 0xd800 && c < 0xe000) {
				return pv_err(PV_ECORRUPT, "VHD: bad UTF-16 in the parent locator");
			}
			if (put_utf8(out, &o, cap, c == '\\' ? '/' : c) < 0)
				return pv_err(PV_ELIMIT, "VHD: parent name too long");
		}
		if (o >= 2 && out[1] == ':')
			return pv_err(PV_ENOTSUP, "VHD: the parent is named by a Windows drive path");
	}
	out[o] = '\0';
	if (!o)
		return pv_err(PV_ECORRUPT, "VHD: empty parent locator");
	if (o > PV_MAX_BACKING_NAME)
		return pv_err(PV_ELIMIT, "VHD: parent name of %zu bytes", o);
	/* "./base.vhd" as Windows writes relative paths: "base.vhd" */
	if (o > 2 && out[0] == '.' && out[1] == '/')
		memmove(out, out + 2, o - 1);
	return 0;
}

/* A VHD parent must be the disk this one was made from: its footer's
 * unique id is the one header h names (an all-zero id names none). */
static int parent_is_the_one(struct vhd *v, const uint8_t *h)
{
	static const uint8_t none[16];
	const struct disk *f = v->below->raw ? v->below->raw : v->below;
	uint8_t foot[512];
	int r;

	if (!memcmp(h + 40, none, 16) || f->size < sizeof(foot))
		return 0;
	r = disk_read(f, f->size - sizeof(foot), foot, sizeof(foot));
	if (r < 0)
		return r;
	if (memcmp(foot, "conectix", 8) || !memcmp(foot + 68, h + 40, 16))
		return 0; /* not a VHD (raw), or the right one */
	return pv_err(PV_ECORRUPT,
		      "VHD: the parent's unique id is not the one this disk was made from (was the parent changed?)");
}

/* The parent of a differencing disk, by its locators in header h:
 * relative (W2ru) first, then absolute (W2ku, MacX). */
static int open_parent(struct vhd *v, const uint8_t *h)
{
	static const uint32_t order[] = { PLAT_W2RU, PLAT_W2KU, PLAT_MACX };
	char name[PV_MAX_BACKING_NAME * 4 + 8];
	uint8_t data[PV_MAX_BACKING_NAME * 2];
	size_t k;
	int i, r;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		for (i = 0; i < 8; i++) {
			const uint8_t *l = h + 576 + 24 * i;
			uint32_t len = be32(l + 8);
			uint64_t at = be64(l + 16);

			if (be32(l) != order[k])
				continue;
			if (len == 0 || len > sizeof(data))
				return pv_err(PV_ECORRUPT, "VHD: parent locator of %u bytes", len);
			if (at > v->fsize || len > v->fsize - at)
				return pv_err(PV_ECORRUPT, "VHD: parent locator lies outside the image");
			r = disk_read(v->raw, at, data, len);
			if (r == 0)
				r = locator_path(order[k], data, len, name,
						 sizeof(name));
			if (r < 0)
				return r;
			r = vdisk_backing(v->raw, "VHD", name, &v->below);
			return r < 0 ? r : parent_is_the_one(v, h);
		}
	}
	return pv_err(PV_ECORRUPT, "VHD: a differencing disk without a parent locator");
}

static int dynamic_header(struct vhd *v, uint64_t at, int diff)
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
	if (!diff)
		return 0;
	v->bits = malloc(v->bitmap);
	if (!v->bits)
		return pv_err(PV_ENOMEM, "out of memory");
	v->bits_blk = UINT64_MAX;
	return open_parent(v, h);
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
	if (type == VHD_DIFF && (!raw->chain || !raw->chain->allow))
		return pv_err(PV_ENOTSUP,
			      "VHD: a differencing disk needs its parent, which pvboot opens only with --allow-backing (or qemu-img convert it to a standalone image)");
	if (type != VHD_FIXED && type != VHD_DYNAMIC && type != VHD_DIFF)
		return pv_err(PV_ENOTSUP, "VHD: disk type %u", type);
	v = calloc(1, sizeof(*v));
	if (!v)
		return pv_err(PV_ENOMEM, "out of memory");
	v->raw = raw;
	v->fsize = raw->size - 512; /* the footer is not data */
	v->vsize = be64(f + 48);
	v->dynamic = type == VHD_DYNAMIC || type == VHD_DIFF;
	r = 0;
	if (v->vsize == 0 || v->vsize > PV_MAX_VDISK_SIZE || v->vsize % 512)
		r = pv_err(PV_ECORRUPT, "VHD: virtual size %llu",
			   (unsigned long long)v->vsize);
	else if (!v->dynamic && v->vsize > v->fsize)
		r = pv_err(PV_ECORRUPT, "VHD: fixed disk of %llu bytes in a %llu-byte file",
			   (unsigned long long)v->vsize, (unsigned long long)v->fsize);
	else if (v->dynamic)
		r = dynamic_header(v, be64(f + 16), type == VHD_DIFF);
	if (r < 0) {
		v_close(v);
		return r;
	}
	*ops = type == VHD_DIFF ? &vhd_diff_ops :
	       v->dynamic ? &vhd_dynamic_ops : &vhd_fixed_ops;
	*ctx = v;
	*vsize = v->vsize;
	return 0;
}
