/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The env-write section of the worker's answer (format in envwrite.h). */
#include "bootloader/wire/envwrite.h"
#include "common/err.h"

#include <stdlib.h>
#include <string.h>

#define ENVW_SIG "# GRUB Environment Block\n"

void envw_free(struct env_writes *e)
{
	uint32_t i;

	for (i = 0; i < e->n && i < PV_MAX_ENV_FILES; i++)
		free(e->w[i].block);
	memset(e, 0, sizeof(*e));
}

uint64_t envw_max_size(void)
{
	return 4 + (uint64_t)PV_MAX_ENV_FILES *
			   (8 + 8 + 4 + 16u * PV_MAX_ENV_RANGES + 4 +
			    PV_MAX_ENVBLK_WRITE);
}

int envw_valid_shape(const struct env_writes *e)
{
	uint32_t i;

	if (e->n > PV_MAX_ENV_FILES)
		return pv_err(PV_ELIMIT, "more than %d environment blocks",
			      PV_MAX_ENV_FILES);
	for (i = 0; i < e->n; i++) {
		const struct env_block_write *w = &e->w[i];

		if (w->nranges < 1 || w->nranges > PV_MAX_ENV_RANGES)
			return pv_err(PV_ELIMIT, "environment block in %u "
				      "pieces", w->nranges);
		if (w->len < 1 || w->len > PV_MAX_ENVBLK_WRITE || !w->block)
			return pv_err(PV_ELIMIT, "environment block of %u "
				      "bytes", w->len);
	}
	return 0;
}

size_t envw_encoded_size(const struct env_writes *e)
{
	size_t n = 4;
	uint32_t i;

	for (i = 0; i < e->n; i++)
		n += 8 + 8 + 4 + 16 * (size_t)e->w[i].nranges + 4 + e->w[i].len;
	return n;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
	return p + 4;
}

static uint8_t *put64(uint8_t *p, uint64_t v)
{
	return put32(put32(p, (uint32_t)v), (uint32_t)(v >> 32));
}

void envw_encode(const struct env_writes *e, uint8_t *out)
{
	uint32_t i, k;

	out = put32(out, e->n);
	for (i = 0; i < e->n; i++) {
		const struct env_block_write *w = &e->w[i];

		out = put64(out, w->vol_off);
		out = put64(out, w->vol_len);
		out = put32(out, w->nranges);
		for (k = 0; k < w->nranges; k++) {
			out = put64(out, w->ranges[k].disk_off);
			out = put64(out, w->ranges[k].len);
		}
		out = put32(out, w->len);
		memcpy(out, w->block, w->len);
		out += w->len;
	}
}

struct rd {
	const uint8_t *p;
	size_t left;
	int bad;
};

static uint32_t get32(struct rd *r)
{
	uint32_t v;

	if (r->bad || r->left < 4) {
		r->bad = 1;
		return 0;
	}
	v = r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[3] << 24;
	r->p += 4;
	r->left -= 4;
	return v;
}

static uint64_t get64(struct rd *r)
{
	uint64_t lo = get32(r);

	return lo | (uint64_t)get32(r) << 32;
}

int envw_decode(const uint8_t *p, size_t left, size_t *used,
		struct env_writes *out)
{
	struct rd r = { p, left, 0 };
	uint32_t n, i, k;
	int ret;

	n = get32(&r);
	if (r.bad)
		return pv_err(PV_ECORRUPT, "truncated environment section");
	if (n > PV_MAX_ENV_FILES)
		return pv_err(PV_ELIMIT, "%u environment blocks (cap %d)", n,
			      PV_MAX_ENV_FILES);
	for (i = 0; i < n; i++) {
		struct env_block_write *w = &out->w[i];

		w->vol_off = get64(&r);
		w->vol_len = get64(&r);
		w->nranges = get32(&r);
		if (r.bad) {
			ret = pv_err(PV_ECORRUPT, "truncated environment "
				     "block %u", i);
			goto fail;
		}
		if (w->nranges < 1 || w->nranges > PV_MAX_ENV_RANGES) {
			ret = pv_err(PV_ELIMIT, "environment block %u in %u "
				     "pieces (1..%d)", i, w->nranges,
				     PV_MAX_ENV_RANGES);
			goto fail;
		}
		for (k = 0; k < w->nranges; k++) {
			w->ranges[k].disk_off = get64(&r);
			w->ranges[k].len = get64(&r);
		}
		w->len = get32(&r);
		if (r.bad) {
			ret = pv_err(PV_ECORRUPT, "truncated environment "
				     "block %u", i);
			goto fail;
		}
		if (w->len < 1 || w->len > PV_MAX_ENVBLK_WRITE) {
			ret = pv_err(PV_ELIMIT, "environment block %u of %u "
				     "bytes (1..%u)", i, w->len,
				     PV_MAX_ENVBLK_WRITE);
			goto fail;
		}
		if (w->len > r.left) {
			ret = pv_err(PV_ECORRUPT, "truncated environment "
				     "block %u bytes", i);
			goto fail;
		}
		w->block = malloc(w->len);
		if (!w->block) {
			ret = pv_err(PV_ENOMEM, "out of memory");
			goto fail;
		}
		out->n = i + 1;
		memcpy(w->block, r.p, w->len);
		r.p += w->len;
		r.left -= w->len;
	}
	out->n = n;
	*used = left - r.left;
	return 0;
fail:
	out->n = i + 1 > n ? n : i + 1;
	envw_free(out);
	return ret;
}

int envw_block_valid(const uint8_t *buf, size_t len)
{
	size_t sl = strlen(ENVW_SIG), p, end;

	if (len < sl || memcmp(buf, ENVW_SIG, sl) != 0)
		return 0;
	if (memchr(buf, '\0', len))
		return 0;
	/* the padding: the '#' run at the end, after the last newline */
	end = len;
	while (end > sl && buf[end - 1] == '#')
		end--;
	if (buf[end - 1] != '\n')
		return 0;
	for (p = sl; p < end;) {
		size_t q = p, eq = 0;

		while (buf[q] != '\n') { /* end - 1 is a newline: stops */
			if (buf[q] == '=' && !eq)
				eq = q;
			if (buf[q] == '\\') {
				if (q + 1 >= end - 1)
					return 0; /* escapes the final newline */
				q++;
			}
			q++;
		}
		/* a comment line, or NAME=VALUE with a non-empty NAME */
		if (buf[p] != '#' && (!eq || eq == p))
			return 0;
		p = q + 1;
	}
	return 1;
}
