/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The worker's answer on the wire (format in wire.h). */
#include "bootloader/wire/wire.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

#define WIRE_NULL_STR 0xffffffffu
#define SEG_HDR_SIZE 18u /* u8 kind, u8 file, u64 off, u64 len */

enum { F_ERROR, F_ARGS, F_KPATH, F_RPATH, F_TEXT, F_LOG, F_BACKING, NFIELDS };

static const struct {
	const char *name;
	uint64_t max;
} fields[NFIELDS] = {
	[F_ERROR] = { "error", PV_MAX_WORKER_ERROR },
	[F_ARGS] = { "args", PV_MAX_ARGS },
	[F_KPATH] = { "kernel path", PV_PATH_MAX },
	/* several initrds, joined with one separator each */
	[F_RPATH] = { "ramdisk path", PV_MAX_INITRDS * (PV_PATH_MAX + 1) },
	[F_TEXT] = { "text", PV_MAX_WORKER_TEXT },
	[F_LOG] = { "log", PV_MAX_WORKER_LOG },
	[F_BACKING] = { "backing file name", PV_MAX_BACKING_NAME },
};

static char **field_ptr(struct boot_result *r, int f)
{
	switch (f) {
	case F_ERROR: return &r->error;
	case F_ARGS: return &r->args;
	case F_KPATH: return &r->kernel_path;
	case F_RPATH: return &r->ramdisk_path;
	case F_TEXT: return &r->text;
	case F_BACKING: return &r->backing;
	default: return &r->log;
	}
}

uint64_t wire_max_body(uint64_t max_file)
{
	uint64_t n = 4 + 4 + 1, blob;
	int f;

	for (f = 0; f < NFIELDS; f++)
		n += 4 + fields[f].max;
	/* max_file comes from the environment: keep the sum from wrapping */
	(void)max_file; /* the bytes travel in the stream */
	blob = 4 + (uint64_t)PV_MAX_SEGMENTS * SEG_HDR_SIZE;
	return n + 2 * blob + envw_max_size();
}

/* --- encoding --- */

struct wbuf {
	uint8_t *p;
	size_t len;
};

static void put(struct wbuf *w, const void *src, size_t n)
{
	if (w->p)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void put_u8(struct wbuf *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(w, b, 4);
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	put_u32(w, (uint32_t)v);
	put_u32(w, (uint32_t)(v >> 32));
}

static void put_blob(struct wbuf *w, const struct blob *b)
{
	size_t i;

	put_u32(w, (uint32_t)b->n);
	for (i = 0; i < b->n; i++) {
		put_u8(w, (uint8_t)b->segs[i].kind);
		put_u8(w, b->segs[i].file);
		put_u64(w, b->segs[i].disk_off);
		put_u64(w, b->segs[i].len);
	}
}

static void put_body(struct wbuf *w, const struct boot_result *r, int code)
{
	struct boot_result *rw = (struct boot_result *)r; /* field_ptr only */
	int f;

	put_u32(w, (uint32_t)code);
	put_u32(w, (uint32_t)r->status);
	for (f = 0; f < NFIELDS; f++) {
		const char *s = *field_ptr(rw, f);

		if (!s) {
			put_u32(w, WIRE_NULL_STR);
			continue;
		}
		put_u32(w, (uint32_t)strlen(s));
		put(w, s, strlen(s));
	}
	put_u8(w, r->have_ramdisk ? 1 : 0);
	put_blob(w, &r->kernel);
	put_blob(w, &r->ramdisk);
	/* issue 15: the env-write section, last and only when there is
	 * something to write (envwrite.h) */
	if (r->env.n && w->p)
		envw_encode(&r->env, w->p + w->len);
	if (r->env.n)
		w->len += envw_encoded_size(&r->env);
}

static int check_blob_out(const char *what, const struct blob *b)
{
	size_t i;

	if (b->n > PV_MAX_SEGMENTS)
		return pv_err(PV_ELIMIT, "%s is in more than %d pieces", what,
			      PV_MAX_SEGMENTS);
	for (i = 0; i < b->n; i++) {
		const struct seg *s = &b->segs[i];

		if (s->kind != SEG_DISK && s->kind != SEG_ZERO &&
		    s->kind != SEG_BYTES)
			return pv_err(PV_EINVAL, "%s: bad segment kind %d",
				      what, (int)s->kind);
		if (s->kind == SEG_BYTES && !s->bytes && !s->src)
			return pv_err(PV_EINVAL, "%s: segment without bytes",
				      what);
		if (!s->len || (s->kind != SEG_DISK && (s->disk_off || s->file)) ||
		    s->file > PV_MAX_BACKING_DEPTH)
			return pv_err(PV_EINVAL, "%s: malformed segment %zu",
				      what, i);
	}
	return 0;
}

int wire_encode(const struct boot_result *r, int code, uint8_t **msg,
		size_t *len)
{
	struct boot_result *rw = (struct boot_result *)r;
	struct wbuf w = { NULL, 0 };
	uint8_t *p;
	int f, ret;

	*msg = NULL;
	*len = 0;
	for (f = 0; f < NFIELDS; f++) {
		const char *s = *field_ptr(rw, f);

		if (s && strlen(s) > fields[f].max)
			return pv_err(PV_ELIMIT,
				      "answer too large: %s is over %llu bytes",
				      fields[f].name,
				      (unsigned long long)fields[f].max);
	}
	ret = check_blob_out("kernel", &r->kernel);
	if (!ret)
		ret = check_blob_out("ramdisk", &r->ramdisk);
	if (!ret)
		ret = envw_valid_shape(&r->env);
	if (ret < 0)
		return ret;

	put_body(&w, r, code); /* sizing pass */
	if (w.len > SIZE_MAX - WIRE_HDR_SIZE)
		return pv_err(PV_ELIMIT, "answer too large");
	p = malloc(WIRE_HDR_SIZE + w.len);
	if (!p)
		return pv_err(PV_ENOMEM, "out of memory encoding the answer");
	memcpy(p, WIRE_MAGIC, 4);
	*len = WIRE_HDR_SIZE + w.len;
	w.p = p;
	w.len = 4;
	put_u32(&w, WIRE_VERSION);
	put_u64(&w, *len - WIRE_HDR_SIZE);
	put_body(&w, r, code);
	*msg = p;
	return 0;
}

/* --- decoding: every read is checked against what is left --- */

struct rbuf {
	const uint8_t *p;
	size_t left;
	const char *bad; /* first problem, for the message */
};

static int take(struct rbuf *b, void *dst, size_t n)
{
	if (b->bad)
		return -1;
	if (n > b->left) {
		b->bad = "truncated";
		return -1;
	}
	if (dst)
		memcpy(dst, b->p, n);
	b->p += n;
	b->left -= n;
	return 0;
}

static uint32_t get_u32(struct rbuf *b)
{
	uint8_t x[4] = { 0 };

	take(b, x, 4);
	return x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 |
	       (uint32_t)x[3] << 24;
}

static uint64_t get_u64(struct rbuf *b)
{
	uint64_t lo = get_u32(b);

	return lo | (uint64_t)get_u32(b) << 32;
}

static int get_str(struct rbuf *b, int f, char **out)
{
	uint32_t n = get_u32(b);
	char *s;

	*out = NULL;
	if (b->bad)
		return PV_ECORRUPT;
	if (n == WIRE_NULL_STR)
		return 0;
	if (n > fields[f].max)
		return pv_err(PV_ELIMIT, "%s is over %llu bytes",
			      fields[f].name,
			      (unsigned long long)fields[f].max);
	if (n > b->left)
		return pv_err(PV_ECORRUPT, "truncated %s", fields[f].name);
	if (memchr(b->p, '\0', n))
		return pv_err(PV_ECORRUPT, "NUL byte inside %s",
			      fields[f].name);
	s = malloc((size_t)n + 1);
	if (!s)
		return pv_err(PV_ENOMEM, "out of memory");
	take(b, s, n);
	s[n] = '\0';
	*out = s;
	return 0;
}

static int get_blob(struct rbuf *b, const char *what, uint64_t max_file,
		    struct blob *out)
{
	uint32_t n = get_u32(b), i;
	uint64_t total = 0;

	if (b->bad)
		return pv_err(PV_ECORRUPT, "truncated %s", what);
	if (n > PV_MAX_SEGMENTS)
		return pv_err(PV_ELIMIT, "%s has %u segments (cap %d)", what,
			      n, PV_MAX_SEGMENTS);
	/* each segment needs SEG_HDR_SIZE bytes: no allocation beyond that */
	if ((uint64_t)n * SEG_HDR_SIZE > b->left)
		return pv_err(PV_ECORRUPT, "truncated %s segments", what);
	if (n) {
		out->segs = calloc(n, sizeof(*out->segs));
		if (!out->segs)
			return pv_err(PV_ENOMEM, "out of memory");
		out->cap = n;
	}
	for (i = 0; i < n; i++) {
		struct seg *s = &out->segs[i];
		uint8_t kind = 0;

		take(b, &kind, 1);
		take(b, &s->file, 1);
		s->disk_off = get_u64(b);
		s->len = get_u64(b);
		if (b->bad)
			return pv_err(PV_ECORRUPT, "truncated %s segment %u",
				      what, i);
		if (kind != SEG_DISK && kind != SEG_ZERO && kind != SEG_BYTES)
			return pv_err(PV_ECORRUPT,
				      "%s segment %u has unknown kind %u",
				      what, i, kind);
		s->kind = (enum seg_kind)kind;
		out->n = i + 1;
		if (!s->len)
			return pv_err(PV_ECORRUPT, "%s segment %u is empty",
				      what, i);
		if (s->kind != SEG_DISK && (s->disk_off || s->file))
			return pv_err(PV_ECORRUPT,
				      "%s segment %u of kind %u has an offset",
				      what, i, kind);
		if (s->file > PV_MAX_BACKING_DEPTH)
			return pv_err(PV_ECORRUPT,
				      "%s segment %u names backing file %u (cap %d)",
				      what, i, s->file, PV_MAX_BACKING_DEPTH);
		if (s->len > max_file || total > max_file - s->len)
			return pv_err(PV_ELIMIT,
				      "%s is larger than the %llu-byte cap",
				      what, (unsigned long long)max_file);
		total += s->len;
	}
	out->total = total;
	return 0;
}

int wire_header(const uint8_t hdr[WIRE_HDR_SIZE], uint64_t max_body,
		uint64_t *body_len)
{
	struct rbuf b = { hdr + 4, WIRE_HDR_SIZE - 4, NULL };
	uint32_t version;

	if (memcmp(hdr, WIRE_MAGIC, 4) != 0)
		return pv_err(PV_ECORRUPT, "bad magic");
	version = get_u32(&b);
	*body_len = get_u64(&b);
	if (version != WIRE_VERSION)
		return pv_err(PV_ECORRUPT, "unknown version %u", version);
	if (*body_len > max_body)
		return pv_err(PV_ELIMIT,
			      "announced length %llu is over the cap %llu",
			      (unsigned long long)*body_len,
			      (unsigned long long)max_body);
	return 0;
}

int wire_decode(const uint8_t *msg, size_t len, uint64_t max_file,
		struct boot_result *r, int *code)
{
	struct rbuf b;
	uint64_t body_len;
	uint8_t have_rd = 0;
	int f, ret;

	*code = 0;
	result_init(r);
	if (len < WIRE_HDR_SIZE)
		return pv_err(PV_ECORRUPT, "truncated header (%zu bytes)",
			      len);
	ret = wire_header(msg, wire_max_body(max_file), &body_len);
	if (ret < 0)
		return ret;
	if (body_len != len - WIRE_HDR_SIZE)
		return pv_err(PV_ECORRUPT,
			      "announced length %llu but %zu bytes present",
			      (unsigned long long)body_len,
			      len - WIRE_HDR_SIZE);
	b.p = msg + WIRE_HDR_SIZE;
	b.left = len - WIRE_HDR_SIZE;
	b.bad = NULL;

	*code = (int32_t)get_u32(&b);
	r->status = (int32_t)get_u32(&b);
	if (b.bad) {
		ret = pv_err(PV_ECORRUPT, "truncated body");
		goto fail;
	}
	if (*code > 0 || *code < PV_ESANDBOX) {
		ret = pv_err(PV_ECORRUPT, "unknown code %d", *code);
		goto fail;
	}
	if ((*code == 0) != (r->status == 0)) {
		ret = pv_err(PV_ECORRUPT, "code %d with status %d", *code,
			     r->status);
		goto fail;
	}
	for (f = 0; f < NFIELDS; f++) {
		ret = get_str(&b, f, field_ptr(r, f));
		if (ret < 0) {
			if (b.bad)
				ret = pv_err(PV_ECORRUPT, "truncated %s",
					     fields[f].name);
			goto fail;
		}
	}
	take(&b, &have_rd, 1);
	if (b.bad) {
		ret = pv_err(PV_ECORRUPT, "truncated body");
		goto fail;
	}
	if (have_rd > 1) {
		ret = pv_err(PV_ECORRUPT, "bad have_ramdisk flag %u", have_rd);
		goto fail;
	}
	r->have_ramdisk = have_rd;
	ret = get_blob(&b, "kernel", max_file, &r->kernel);
	if (ret < 0)
		goto fail;
	ret = get_blob(&b, "ramdisk", max_file, &r->ramdisk);
	if (ret < 0)
		goto fail;
	if (b.left) { /* issue 15: the env-write section (envwrite.h);
		       * absent when the worker has nothing to write */
		size_t used = 0;

		ret = envw_decode(b.p, b.left, &used, &r->env);
		if (ret < 0)
			goto fail;
		take(&b, NULL, used);
	}
	if (b.left) {
		ret = pv_err(PV_ECORRUPT, "%zu trailing bytes", b.left);
		goto fail;
	}
	return 0;
fail:
	*code = 0;
	result_free(r);
	return ret;
}

/* --- the stream of file bytes after the answer --- */

uint64_t wire_stream_len(const struct boot_result *r)
{
	const struct blob *bl[2] = { &r->kernel, &r->ramdisk };
	uint64_t n = 0;
	size_t i;
	int f;

	for (f = 0; f < 2; f++)
		for (i = 0; i < bl[f]->n; i++)
			if (bl[f]->segs[i].kind == SEG_BYTES)
				n += bl[f]->segs[i].len;
	return n;
}

void wire_frame_put(uint8_t hdr[WIRE_FRAME_HDR], uint32_t n)
{
	hdr[0] = (uint8_t)n;
	hdr[1] = (uint8_t)(n >> 8);
	hdr[2] = (uint8_t)(n >> 16);
	hdr[3] = (uint8_t)(n >> 24);
}

int wire_frame(const uint8_t hdr[WIRE_FRAME_HDR], uint64_t due, uint32_t *n)
{
	uint32_t v = hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
		     (uint32_t)hdr[3] << 24;

	*n = 0;
	if (v == WIRE_FRAME_ABORT)
		return 1;
	if (v == 0 || v > PV_WIRE_CHUNK || v > due)
		return pv_err(PV_ECORRUPT,
			      "frame of %u bytes with %llu due (chunk %u)", v,
			      (unsigned long long)due, PV_WIRE_CHUNK);
	*n = v;
	return 0;
}

void wire_cursor_init(struct wire_cursor *c, const struct boot_result *r)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
}

int wire_cursor_next(struct wire_cursor *c, int *file, const struct seg **s,
		     uint64_t *file_off, uint64_t *left)
{
	while (c->file < 2) {
		const struct blob *b = c->file ? &c->r->ramdisk : &c->r->kernel;
		const struct seg *g;

		if (c->seg >= b->n) {
			c->file++;
			c->seg = 0;
			c->seg_off = 0;
			c->done = 0;
			continue;
		}
		g = &b->segs[c->seg];
		if (g->kind != SEG_BYTES || c->done >= g->len) {
			c->seg_off += g->len;
			c->seg++;
			c->done = 0;
			continue;
		}
		*file = c->file;
		*s = g;
		*file_off = c->seg_off + c->done;
		*left = g->len - c->done;
		return 0;
	}
	return 1;
}

void wire_cursor_skip(struct wire_cursor *c, uint64_t n)
{
	c->done += n;
}
