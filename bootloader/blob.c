/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/blob.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

void blob_init(struct blob *b)
{
	memset(b, 0, sizeof(*b));
}

void blob_free(struct blob *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->segs[i].bytes);
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

static struct seg *push(struct blob *b)
{
	if (b->n >= PV_MAX_SEGMENTS) {
		pv_err(PV_ELIMIT, "file is in more than %d pieces",
		       PV_MAX_SEGMENTS);
		return NULL;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct seg *s = realloc(b->segs, cap * sizeof(*s));

		if (!s) {
			pv_err(PV_ENOMEM, "out of memory");
			return NULL;
		}
		b->segs = s;
		b->cap = cap;
	}
	memset(&b->segs[b->n], 0, sizeof(b->segs[0]));
	return &b->segs[b->n++];
}

int blob_add_disk(struct blob *b, uint64_t disk_off, uint64_t len,
		  uint64_t max_total)
{
	struct seg *s;
	int r;

	if (len == 0)
		return 0;
	r = room(b, len, max_total);
	if (r < 0)
		return r;
	if (b->n && b->segs[b->n - 1].kind == SEG_DISK &&
	    b->segs[b->n - 1].disk_off + b->segs[b->n - 1].len == disk_off) {
		b->segs[b->n - 1].len += len;
		b->total += len;
		return 0;
	}
	s = push(b);
	if (!s)
		return PV_ELIMIT;
	s->kind = SEG_DISK;
	s->disk_off = disk_off;
	s->len = len;
	b->total += len;
	return 0;
}

int blob_add_zero(struct blob *b, uint64_t len, uint64_t max_total)
{
	struct seg *s;
	int r;

	if (len == 0)
		return 0;
	r = room(b, len, max_total);
	if (r < 0)
		return r;
	if (b->n && b->segs[b->n - 1].kind == SEG_ZERO) {
		b->segs[b->n - 1].len += len;
		b->total += len;
		return 0;
	}
	s = push(b);
	if (!s)
		return PV_ELIMIT;
	s->kind = SEG_ZERO;
	s->len = len;
	b->total += len;
	return 0;
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
	s = push(b);
	if (!s) {
		free(bytes);
		return PV_ELIMIT;
	}
	s->kind = SEG_BYTES;
	s->bytes = bytes;
	s->len = len;
	b->total += len;
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
			r = blob_add_disk(b, s->disk_off, s->len, max_total);
			break;
		case SEG_ZERO:
			r = blob_add_zero(b, s->len, max_total);
			break;
		case SEG_BYTES:
			r = blob_add_bytes(b, s->bytes, s->len, max_total);
			s->bytes = NULL; /* owned by b now (or freed) */
			break;
		}
	}
	blob_free(from);
	return r;
}
