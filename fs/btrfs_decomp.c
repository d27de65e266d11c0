/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decompression of btrfs extents: zlib streams, zstd frames, and btrfs's
 * own segmented LZO layout (a 4-byte total length, then per segment a
 * 4-byte length and LZO1X data; a segment header never straddles a sector,
 * the unusable tail of a sector is padding).  Output is always exactly the
 * extent's ram_bytes (at most 128 KiB): nothing can write beyond it, and a
 * stream that ends early leaves zeros, as the kernel does.
 */
#include "fs/btrfs_priv.h"
#include "common/err.h"

#include <lzo/lzo1x.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

/* The kernel compresses with a window of at most 2^17 bytes (its zstd
 * workspace size): a frame asking for more is not btrfs's. */
#define BTRFS_ZSTD_WINDOWLOG_MAX 17

static int zbad(const char *what)
{
	return pv_err(PV_ECORRUPT, "btrfs: bad %s compressed extent", what);
}

static int do_zlib(const uint8_t *src, size_t srclen, uint8_t *dst,
		   size_t ram)
{
	z_stream z;
	int r;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return pv_err(PV_ENOMEM, "btrfs: zlib initialisation failed");
	z.next_in = (Bytef *)src;
	z.avail_in = (uInt)srclen;
	z.next_out = dst;
	z.avail_out = (uInt)ram;
	do {
		r = inflate(&z, Z_NO_FLUSH);
	} while (r == Z_OK && z.avail_out && z.avail_in);
	inflateEnd(&z);
	/* Z_BUF_ERROR with a full output: more data than ram_bytes, ignored
	 * beyond what the extent says it holds. */
	if (r == Z_STREAM_END || r == Z_OK || (r == Z_BUF_ERROR && !z.avail_out))
		return 0;
	return zbad("zlib");
}

static int do_zstd(const uint8_t *src, size_t srclen, uint8_t *dst,
		   size_t ram)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer in = {src, srclen, 0};
	ZSTD_outBuffer out = {dst, ram, 0};
	size_t r;

	if (!d)
		return pv_err(PV_ENOMEM, "btrfs: zstd initialisation failed");
	r = ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax,
				   BTRFS_ZSTD_WINDOWLOG_MAX);
	while (!ZSTD_isError(r) && out.pos < out.size && in.pos < in.size) {
		size_t before_in = in.pos, before_out = out.pos;

		r = ZSTD_decompressStream(d, &out, &in);
		if (r == 0) /* frame done; the rest is sector padding */
			break;
		if (in.pos == before_in && out.pos == before_out)
			break;
	}
	ZSTD_freeDCtx(d);
	return ZSTD_isError(r) ? zbad("zstd") : 0;
}

/* One segment decompresses to at most a sector (a page on old kernels,
 * never more than 64 KiB); it goes through a scratch buffer so a shorter
 * ram_bytes simply takes a prefix. */
#define LZO_SEGMENT_MAX (64u << 10)

static int lzo_segments(uint32_t sectorsize, const uint8_t *src, size_t total,
			uint8_t *dst, size_t ram, uint8_t *scratch)
{
	size_t cur = 4, out = 0;

	while (cur < total && out < ram) {
		size_t left = sectorsize - cur % sectorsize, seg;
		lzo_uint got = LZO_SEGMENT_MAX;

		if (left < 4) {
			cur += left; /* padding up to the next sector */
			continue;
		}
		if (total - cur < 4)
			return zbad("lzo");
		seg = btrfs_le32(src + cur);
		cur += 4;
		if (!seg || seg > total - cur)
			return zbad("lzo");
		if (lzo1x_decompress_safe(src + cur, seg, scratch, &got, NULL) !=
		    LZO_E_OK)
			return zbad("lzo");
		if (got > ram - out)
			got = ram - out;
		memcpy(dst + out, scratch, got);
		out += got;
		cur += seg;
	}
	return 0;
}

static int do_lzo(uint32_t sectorsize, const uint8_t *src, size_t srclen,
		  uint8_t *dst, size_t ram)
{
	uint8_t *scratch;
	size_t total;
	int r;

	if (lzo_init() != LZO_E_OK)
		return pv_err(PV_ENOMEM, "btrfs: lzo initialisation failed");
	if (srclen < 4)
		return zbad("lzo");
	total = btrfs_le32(src);
	if (total > srclen || total < 4)
		return zbad("lzo");
	scratch = malloc(LZO_SEGMENT_MAX);
	if (!scratch)
		return pv_err(PV_ENOMEM, "btrfs: out of memory");
	r = lzo_segments(sectorsize, src, total, dst, ram, scratch);
	free(scratch);
	return r;
}

int btrfs_decompress(const struct btrfs_fs *b, uint8_t comp,
		     const uint8_t *src, size_t srclen, uint8_t *dst,
		     size_t ram)
{
	memset(dst, 0, ram);
	switch (comp) {
	case BTRFS_COMPRESS_ZLIB:
		return do_zlib(src, srclen, dst, ram);
	case BTRFS_COMPRESS_LZO:
		return do_lzo(b->sectorsize, src, srclen, dst, ram);
	case BTRFS_COMPRESS_ZSTD:
		return do_zstd(src, srclen, dst, ram);
	}
	return pv_err(PV_ENOTSUP, "btrfs: unknown compression type %u", comp);
}
