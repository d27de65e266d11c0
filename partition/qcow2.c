/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 (versions 2 and 3) read-only, as a virtual disk (vdisk.h).
 * Format facts from QEMU's docs/interop/qcow2.txt: a big-endian header,
 * a two-level table (L1 -> L2 -> host cluster), v3 zero clusters, and
 * compressed clusters (raw deflate, or zstd when the header says so).
 * A backing file is opened only with --allow-backing (vdisk.h): then
 * clusters the image does not hold read from it.
 * Refused by name: encryption, an external data file,
 * extended L2 entries, an image marked corrupt, unknown incompatible
 * features.  Every offset is checked against the file before it is read;
 * every loop is bounded by the range asked for, and nothing recurses but
 * a read through the backing chain, at most PV_MAX_BACKING_DEPTH deep.
 */
#include "common/err.h"
#include "common/pvlimits.h"
#include "partition/disk.h"
#include "partition/vdisk.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define QCOW2_MAGIC 0x514649fbu /* "QFI\xfb" */
#define L1E_OFFSET 0x00fffffffffffe00ull
#define L2E_OFFSET 0x00fffffffffffe00ull
#define L2E_COMPRESSED (1ull << 62)
#define L2E_ZERO 1ull
/* incompatible feature bits (v3) */
#define INC_DIRTY (1ull << 0)
#define INC_CORRUPT (1ull << 1)
#define INC_EXTERNAL_DATA (1ull << 2)
#define INC_COMPRESSION (1ull << 3)
#define INC_EXTENDED_L2 (1ull << 4)
#define L1_CHUNK 4096 /* L1 entries cached at once */

struct qcow2 {
	struct vdisk_state st; /* first: see vdisk.h */
	const struct disk *raw;
	uint64_t vsize, fsize;
	unsigned cbits, l2bits;
	uint64_t csize;
	uint64_t l1_off;
	uint32_t l1_size;
	int zstd;
	uint64_t backing_off;    /* the backing file's name, 0 = none */
	uint32_t backing_len;
	struct disk *below;      /* the backing file's disk (chain-owned) */
	uint64_t l1c[L1_CHUNK];  /* a window of L1 */
	uint64_t l1c_first;      /* its first index, or UINT64_MAX */
	uint32_t l1c_n;
	uint64_t *l2;            /* one L2 table */
	uint64_t l2_off;         /* its host offset, 0 = none cached */
	uint8_t *dec;            /* one inflated cluster */
	uint64_t dec_entry;      /* the L2 entry it came from, 0 = none */
	uint8_t *zin;            /* compressed input */
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

static int in_file(const struct qcow2 *q, uint64_t off, uint64_t len)
{
	return off <= q->fsize && len <= q->fsize - off;
}

static int l1_entry(struct qcow2 *q, uint64_t idx, uint64_t *e)
{
	if (idx >= q->l1_size)
		return pv_err(PV_ECORRUPT, "qcow2: cluster beyond the L1 table");
	if (q->l1c_first == UINT64_MAX || idx < q->l1c_first ||
	    idx >= q->l1c_first + q->l1c_n) {
		uint8_t buf[L1_CHUNK * 8];
		uint64_t first = idx - idx % L1_CHUNK;
		uint32_t n = q->l1_size - first < L1_CHUNK
				     ? (uint32_t)(q->l1_size - first) : L1_CHUNK;
		uint32_t i;
		int r = disk_read(q->raw, q->l1_off + first * 8, buf, n * 8u);

		if (r < 0)
			return r;
		for (i = 0; i < n; i++)
			q->l1c[i] = be64(buf + 8 * i);
		q->l1c_first = first;
		q->l1c_n = n;
	}
	*e = q->l1c[idx - q->l1c_first];
	return 0;
}

/* The L2 entry of virtual cluster vcl (0: unallocated). */
static int l2_entry(struct qcow2 *q, uint64_t vcl, uint64_t *e)
{
	uint64_t l1e, l2_off, i;
	int r;

	r = l1_entry(q, vcl >> q->l2bits, &l1e);
	if (r < 0)
		return r;
	l2_off = l1e & L1E_OFFSET;
	if (!l2_off) {
		*e = 0;
		return 0;
	}
	if (l2_off & (q->csize - 1) || !in_file(q, l2_off, q->csize))
		return pv_err(PV_ECORRUPT, "qcow2: L2 table at %llu lies outside the image",
			      (unsigned long long)l2_off);
	if (q->l2_off != l2_off) {
		uint8_t *raw = (uint8_t *)q->l2;

		q->l2_off = 0;
		r = disk_read(q->raw, l2_off, raw, q->csize);
		if (r < 0)
			return r;
		/* to host order in place, front to back */
		for (i = 0; i < q->csize / 8; i++)
			q->l2[i] = be64(raw + 8 * i);
		q->l2_off = l2_off;
	}
	*e = q->l2[vcl & ((1ull << q->l2bits) - 1)];
	return 0;
}

/* Inflate the compressed cluster described by L2 entry e into q->dec. */
static int inflate_cluster(struct qcow2 *q, uint64_t e)
{
	unsigned x = 62 - (q->cbits - 8);
	uint64_t host = e & ((1ull << x) - 1);
	uint64_t nsect = (e & ~L2E_COMPRESSED) >> x;
	uint64_t clen = (nsect + 1) * 512 - (host & 511);
	uint64_t cap = q->csize * PV_MAX_QCOW2_COMPRESSED_FACTOR + 512;
	size_t out = 0;
	int r;

	if (q->dec_entry == e)
		return 0;
	q->dec_entry = 0;
	if (host >= q->fsize)
		return pv_err(PV_ECORRUPT, "qcow2: compressed cluster at %llu lies outside the image",
			      (unsigned long long)host);
	if (clen > cap)
		return pv_err(PV_ECORRUPT, "qcow2: compressed cluster of %llu bytes for %llu-byte clusters",
			      (unsigned long long)clen, (unsigned long long)q->csize);
	if (clen > q->fsize - host) /* the last one may end past EOF */
		clen = q->fsize - host;
	r = disk_read(q->raw, host, q->zin, clen);
	if (r < 0)
		return r;
	if (q->zstd) {
		ZSTD_DStream *z = ZSTD_createDStream();
		ZSTD_inBuffer in = { q->zin, clen, 0 };
		ZSTD_outBuffer ob = { q->dec, q->csize, 0 };
		size_t zr;

		if (!z)
			return pv_err(PV_ENOMEM, "out of memory");
		do {
			zr = ZSTD_decompressStream(z, &ob, &in);
		} while (!ZSTD_isError(zr) && zr != 0 && ob.pos < ob.size &&
			 in.pos < in.size);
		if (!ZSTD_isError(zr) && zr != 0 && ob.pos < ob.size)
			zr = (size_t)-1; /* the frame is cut short */
		else if (!ZSTD_isError(zr) && zr != 0) {
			/* output full but the frame goes on: more than a cluster? */
			uint8_t extra;
			ZSTD_outBuffer eb = { &extra, 1, 0 };

			zr = ZSTD_decompressStream(z, &eb, &in);
			zr = eb.pos ? (size_t)-1 : 0;
		}
		ZSTD_freeDStream(z);
		if (ZSTD_isError(zr))
			return pv_err(PV_ECORRUPT, "qcow2: compressed cluster at %llu is not valid zstd or expands past its cluster",
				      (unsigned long long)host);
		out = ob.pos;
	} else {
		z_stream s;
		uint8_t extra;

		memset(&s, 0, sizeof(s));
		if (inflateInit2(&s, -15) != Z_OK)
			return pv_err(PV_ENOMEM, "out of memory");
		s.next_in = q->zin;
		s.avail_in = (uInt)clen;
		s.next_out = q->dec;
		s.avail_out = (uInt)q->csize;
		r = inflate(&s, Z_FINISH);
		out = q->csize - s.avail_out;
		if (r == Z_BUF_ERROR && s.avail_out == 0) {
			/* cluster full: only the end of the stream may follow */
			s.next_out = &extra;
			s.avail_out = 1;
			r = inflate(&s, Z_FINISH);
			if (s.avail_out == 0)
				r = Z_DATA_ERROR;
		}
		inflateEnd(&s);
		if (r != Z_STREAM_END && r != Z_BUF_ERROR)
			return pv_err(PV_ECORRUPT, "qcow2: compressed cluster at %llu is not valid deflate or expands past its cluster",
				      (unsigned long long)host);
	}
	memset(q->dec + out, 0, q->csize - out);
	q->dec_entry = e;
	return 0;
}

/* Walk [off, off+len) cluster by cluster, calling one of three actions. */
static int walk(struct qcow2 *q, uint64_t off, uint64_t len, uint8_t *buf,
		vmap_fn fn, void *arg)
{
	while (len) {
		uint64_t in = off & (q->csize - 1);
		uint64_t n = q->csize - in < len ? q->csize - in : len;
		uint64_t e = 0, host;
		int r = l2_entry(q, off >> q->cbits, &e);

		if (r < 0)
			return r;
		if (e & L2E_COMPRESSED) {
			r = inflate_cluster(q, e);
			if (r < 0)
				return r;
			if (buf) {
				memcpy(buf, q->dec + in, n);
			} else {
				uint8_t *p = malloc(n);

				if (!p)
					return pv_err(PV_ENOMEM, "out of memory");
				memcpy(p, q->dec + in, n);
				r = fn(arg, VMAP_BYTES, 0, 0, n, p);
			}
		} else if (!(e & L2E_ZERO) && !(e & L2E_OFFSET) && q->below) {
			/* unallocated: what the backing file holds there */
			if (buf)
				r = vdisk_below_read(q->below, off, buf, n);
			else
				r = vdisk_below_map(q->below, off, n, fn, arg);
		} else if ((e & L2E_ZERO) || !(e & L2E_OFFSET)) {
			/* a zero cluster, or unallocated with no backing file */
			if (buf)
				memset(buf, 0, n);
			else
				r = fn(arg, VMAP_ZERO, 0, 0, n, NULL);
		} else {
			host = e & L2E_OFFSET;
			if (host & (q->csize - 1) || !in_file(q, host + in, n))
				return pv_err(PV_ECORRUPT, "qcow2: data cluster at %llu lies outside the image",
					      (unsigned long long)host);
			if (buf)
				r = disk_read(q->raw, host + in, buf, n);
			else
				r = fn(arg, VMAP_FILE, q->raw->level, host + in,
				       n, NULL);
		}
		if (r < 0)
			return r;
		off += n;
		len -= n;
		if (buf)
			buf += n;
	}
	return 0;
}

static int q_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return walk(ctx, off, len, buf, NULL, NULL);
}

static int q_map(void *ctx, uint64_t off, uint64_t len, vmap_fn fn, void *arg)
{
	return walk(ctx, off, len, NULL, fn, arg);
}

static void q_close(void *ctx)
{
	struct qcow2 *q = ctx;

	if (!q)
		return;
	free(q->l2);
	free(q->dec);
	free(q->zin);
	free(q);
}

static const struct vdisk_ops qcow2_ops = {
	.name = "qcow2", .read = q_read, .map = q_map, .close = q_close,
};

/* The header's checks, field by field; fills q. */
static int parse_header(struct qcow2 *q, const uint8_t *h)
{
	uint32_t version = be32(h + 4), hdr_len = 72;
	uint64_t backing = be64(h + 8), incompat = 0, per_l1, need;

	if (version != 2 && version != 3)
		return pv_err(PV_ENOTSUP, "qcow2 version %u", version);
	q->cbits = be32(h + 20);
	if (q->cbits < 9 || q->cbits > 21)
		return pv_err(PV_ECORRUPT, "qcow2: cluster_bits %u outside 9-21",
			      q->cbits);
	q->csize = 1ull << q->cbits;
	q->l2bits = q->cbits - 3;
	q->vsize = be64(h + 24);
	if (be32(h + 32))
		return pv_err(PV_ENOTSUP, "qcow2: the image is encrypted");
	q->l1_size = be32(h + 36);
	q->l1_off = be64(h + 40);
	if (version == 3) {
		incompat = be64(h + 72);
		hdr_len = be32(h + 100);
		if (hdr_len < 104 || hdr_len > q->csize)
			return pv_err(PV_ECORRUPT, "qcow2: header length %u", hdr_len);
		if (incompat & INC_CORRUPT)
			return pv_err(PV_ECORRUPT, "qcow2: the image is marked corrupt");
		if (incompat & INC_EXTERNAL_DATA)
			return pv_err(PV_ENOTSUP, "qcow2: the data is in an external file");
		if (incompat & INC_EXTENDED_L2)
			return pv_err(PV_ENOTSUP, "qcow2: extended L2 entries (subclusters)");
		if (incompat & ~(INC_DIRTY | INC_COMPRESSION))
			return pv_err(PV_ENOTSUP, "qcow2: unknown incompatible features %#llx",
				      (unsigned long long)incompat);
		if (incompat & INC_COMPRESSION) {
			if (hdr_len < 105 || h[104] > 1)
				return pv_err(PV_ENOTSUP, "qcow2: compression type %u",
					      hdr_len < 105 ? 255u : h[104]);
			q->zstd = h[104] == 1;
		}
	}
	q->backing_off = backing;
	q->backing_len = be32(h + 16);
	if (q->vsize == 0 || q->vsize > PV_MAX_VDISK_SIZE)
		return pv_err(PV_ELIMIT, "qcow2: virtual size %llu", (unsigned long long)q->vsize);
	per_l1 = q->csize << q->l2bits; /* bytes one L1 entry maps */
	need = (q->vsize + per_l1 - 1) / per_l1;
	if (q->l1_size < need || q->l1_size > PV_MAX_QCOW2_L1)
		return pv_err(PV_ECORRUPT, "qcow2: L1 table of %u entries for %llu bytes",
			      q->l1_size, (unsigned long long)q->vsize);
	if (q->l1_off & (q->csize - 1) || !in_file(q, q->l1_off, (uint64_t)q->l1_size * 8))
		return pv_err(PV_ECORRUPT, "qcow2: L1 table lies outside the image");
	return 0;
}

/* The backing file's name (header fields 8-19), then its disk.  The
 * backing_file_format extension may name a format: detection stays by
 * content, as for the disk itself. */
static int open_backing(struct qcow2 *q)
{
	char name[PV_MAX_BACKING_NAME + 1];
	int r;

	if (q->backing_len == 0 || q->backing_len > PV_MAX_BACKING_NAME)
		return pv_err(PV_ECORRUPT, "qcow2: backing file name of %u bytes",
			      q->backing_len);
	if (!in_file(q, q->backing_off, q->backing_len))
		return pv_err(PV_ECORRUPT, "qcow2: backing file name lies outside the image");
	r = disk_read(q->raw, q->backing_off, name, q->backing_len);
	if (r < 0)
		return r;
	name[q->backing_len] = '\0';
	if (strlen(name) != q->backing_len)
		return pv_err(PV_ECORRUPT, "qcow2: NUL byte inside the backing file name");
	return vdisk_backing(q->raw, "qcow2", name, &q->below);
}

int qcow2_open(const struct disk *raw, const struct vdisk_ops **ops,
	       void **ctx, uint64_t *vsize)
{
	uint8_t h[112];
	struct qcow2 *q;
	int r;

	if (raw->size < sizeof(h))
		return PV_ENOTMINE;
	r = disk_read(raw, 0, h, sizeof(h));
	if (r < 0)
		return r;
	if (be32(h) != QCOW2_MAGIC)
		return PV_ENOTMINE;
	q = calloc(1, sizeof(*q));
	if (!q)
		return pv_err(PV_ENOMEM, "out of memory");
	q->raw = raw;
	q->fsize = raw->size;
	q->l1c_first = UINT64_MAX;
	r = parse_header(q, h);
	if (r == 0) {
		q->l2 = malloc(q->csize);
		q->dec = malloc(q->csize);
		q->zin = malloc(q->csize * PV_MAX_QCOW2_COMPRESSED_FACTOR + 512);
		if (!q->l2 || !q->dec || !q->zin)
			r = pv_err(PV_ENOMEM, "out of memory");
	}
	if (r == 0 && q->backing_off)
		r = open_backing(q);
	if (r < 0) {
		q_close(q);
		return r;
	}
	*ops = &qcow2_ops;
	*ctx = q;
	*vsize = q->vsize;
	return 0;
}
