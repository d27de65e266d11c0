/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/wire/blob.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

void blob_init(struct blob *b)
{
	memset(b, 0, sizeof(*b));
}

static void src_free(struct seg_src *src)
{
	if (!src)
		return;
	if (src->free)
		src->free(src->ctx);
	free(src);
}

void blob_free(struct blob *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->segs[i].bytes);
		src_free(b->segs[i].src);
	}
	free(b->segs);
	blob_init(b);
}

static int room(struct blob *b, uint64_t len, uint64_t max_total)
{
	if (len > max_total || b->total > max_total - len)
		return pv_err(PV_ELIMIT,
			      "file is larger than the %llu MiB cap (PYGRUB_MAX_FILE_SIZE_MB)",
			      (unsigned long long)(max_total >> 20));
	return 0;
}

static struct seg *push(struct blob *b, int *err)
{
	if (b->n >= PV_MAX_SEGMENTS) {
		*err = pv_err(PV_ELIMIT, "file is in more than %d pieces",
			      PV_MAX_SEGMENTS);
		return NULL;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct seg *s = realloc(b->segs, cap * sizeof(*s));

		if (!s) {
			*err = pv_err(PV_ENOMEM, "out of memory");
			return NULL;
		}
		b->segs = s;
		b->cap = cap;
	}
	memset(&b->segs[b->n], 0, sizeof(b->segs[0]));
	return &b->segs[b->n++];
}

/* A disk range or a hole, merged into the last segment when it continues
 * it (the next disk bytes, or more zeros). */
static int add_range(struct blob *b, enum seg_kind kind, int file,
		     uint64_t disk_off, uint64_t len, uint64_t max_total)
{
	struct seg *s, *last = b->n ? &b->segs[b->n - 1] : NULL;
	int r;

	if (len == 0)
		return 0;
	r = room(b, len, max_total);
	if (r < 0)
		return r;
	if (last && last->kind == kind &&
	    (kind == SEG_ZERO || (last->file == file &&
				  last->disk_off + last->len == disk_off))) {
		last->len += len;
		b->total += len;
		return 0;
	}
	s = push(b, &r);
	if (!s)
		return r;
	s->kind = kind;
	s->disk_off = kind == SEG_DISK ? disk_off : 0;
	s->file = kind == SEG_DISK ? (uint8_t)file : 0;
	s->len = len;
	b->total += len;
	return 0;
}

int blob_add_disk(struct blob *b, uint64_t disk_off, uint64_t len,
		  uint64_t max_total)
{
	return add_range(b, SEG_DISK, 0, disk_off, len, max_total);
}

int blob_add_disk_in(struct blob *b, int file, uint64_t disk_off,
		     uint64_t len, uint64_t max_total)
{
	if (file < 0 || file > PV_MAX_BACKING_DEPTH)
		return pv_err(PV_EINVAL, "internal: backing file %d", file);
	return add_range(b, SEG_DISK, file, disk_off, len, max_total);
}

int blob_add_zero(struct blob *b, uint64_t len, uint64_t max_total)
{
	return add_range(b, SEG_ZERO, 0, 0, len, max_total);
}

int blob_add_bytes(struct blob *b, uint8_t *bytes, uint64_t len,
		   uint64_t max_total)
{
	struct seg *s;
	int r;

	if (len == 0) {
		free(bytes);
		return 0;
	}
	r = room(b, len, max_total);
	if (r < 0) {
		free(bytes);
		return r;
	}
	s = push(b, &r);
	if (!s) {
		free(bytes);
		return r;
	}
	s->kind = SEG_BYTES;
	s->bytes = bytes;
	s->len = len;
	b->total += len;
	return 0;
}

int blob_add_source(struct blob *b, struct seg_src *src, uint64_t len,
		    uint64_t max_total)
{
	struct seg *s;
	int r;

	if (len == 0) {
		src_free(src);
		return 0;
	}
	r = room(b, len, max_total);
	s = r < 0 ? NULL : push(b, &r);
	if (!s) {
		src_free(src);
		return r;
	}
	s->kind = SEG_BYTES;
	s->src = src;
	s->len = len;
	b->total += len;
	return 0;
}

int blob_seg_read(const struct seg *s, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (s->kind != SEG_BYTES || off > s->len || len > s->len - off)
		return pv_err(PV_EINVAL, "internal: read outside a segment");
	if (s->bytes) {
		memcpy(buf, s->bytes + off, len);
		return 0;
	}
	if (!s->src)
		return pv_err(PV_EINVAL, "internal: segment without bytes");
	while (len) {
		long got = s->src->read(s->src->ctx, off, p, len);

		if (got < 0)
			return (int)got;
		if (got == 0 || (size_t)got > len)
			return pv_err(PV_ECORRUPT,
				      "file ends at %llu, before its size",
				      (unsigned long long)off);
		p += got;
		off += (uint64_t)got;
		len -= (size_t)got;
	}
	return 0;
}

int blob_append(struct blob *b, struct blob *from, uint64_t max_total)
{
	size_t i;
	int r = 0;

	for (i = 0; i < from->n && r == 0; i++) {
		struct seg *s = &from->segs[i];

		switch (s->kind) {
		case SEG_DISK:
			r = blob_add_disk_in(b, s->file, s->disk_off, s->len,
					     max_total);
			break;
		case SEG_ZERO:
			r = blob_add_zero(b, s->len, max_total);
			break;
		case SEG_BYTES:
			if (s->src)
				r = blob_add_source(b, s->src, s->len, max_total);
			else
				r = blob_add_bytes(b, s->bytes, s->len,
						   max_total);
			s->bytes = NULL; /* owned by b now (or freed) */
			s->src = NULL;
			break;
		}
	}
	blob_free(from);
	return r;
}
