/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel check (kernel/kcheck.c) on a kernel as the worker holds it:
 * a blob of disk ranges, holes and bytes, read where the check asks. */
#include "bootloader/confined/kcheck_io.h"
#include "common/err.h"
#include "partition/vdisk.h"

#include <string.h>

struct blob_reader {
	const struct disk *d;
	const struct blob *b;
};

static int blob_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct blob_reader *br = ctx;
	uint8_t *out = buf;
	uint64_t at = 0;
	size_t i;

	if (off > br->b->total || len > br->b->total - off)
		return pv_err(PV_ECORRUPT, "kernel read outside its %llu bytes",
			      (unsigned long long)br->b->total);
	for (i = 0; i < br->b->n && len; i++) {
		const struct seg *s = &br->b->segs[i];
		uint64_t in, n;
		int r;

		if (off >= at + s->len) {
			at += s->len;
			continue;
		}
		in = off - at;
		n = s->len - in < len ? s->len - in : len;
		if (s->kind == SEG_DISK) {
			/* disk ranges of an image are ranges of its file,
			 * or of a backing file's (vdisk.h) */
			const struct disk *f = vdisk_file(br->d, s->file);

			r = f ? disk_read(f, s->disk_off + in, out, (size_t)n)
			      : pv_err(PV_EINVAL, "internal: no backing file %d",
				       s->file);
			if (r < 0)
				return r;
		} else if (s->kind == SEG_ZERO) {
			memset(out, 0, (size_t)n);
		} else if (s->bytes) {
			memcpy(out, s->bytes + in, (size_t)n);
		} else {
			/* read on demand (a compressed file): whole pieces */
			uint64_t got = 0;

			while (got < n) {
				long k = s->src->read(s->src->ctx, in + got,
						      out + got,
						      (size_t)(n - got));

				if (k <= 0)
					return k < 0 ? (int)k
						     : pv_err(PV_ECORRUPT,
							      "kernel file ends early");
				got += (uint64_t)k;
			}
		}
		out += n;
		off += n;
		len -= (size_t)n;
		at += s->len;
	}
	return len ? pv_err(PV_ECORRUPT, "kernel blob ends early") : 0;
}

int kernel_check_blob(const struct disk *d, const struct blob *b,
		      struct kcheck *k)
{
	struct blob_reader br = { d, b };

	return kcheck_run(b->total, blob_read, &br, k);
}
