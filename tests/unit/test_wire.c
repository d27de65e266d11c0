/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The worker's answer on the wire, and the supervisor's checks of it. */
#include "bootloader/wire/result.h"
#include "bootloader/privileged/validate.h"
#include "bootloader/wire/wire.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "tests/unit/unit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAXF (128ull << 20)
#define DISK (1ull << 30)

static uint8_t *dup_bytes(const char *s)
{
	uint8_t *p = malloc(strlen(s));

	memcpy(p, s, strlen(s));
	return p;
}

static void sample(struct boot_result *r)
{
	result_init(r);
	r->args = strdup("root=/dev/xvda1 console=hvc0 quiet");
	r->kernel_path = strdup("/boot/vmlinuz-6.1.0-18-amd64");
	r->ramdisk_path = strdup("/boot/initrd.img-6.1.0-18-amd64");
	r->log = strdup("warning: p1: no filesystem\n");
	r->have_ramdisk = 1;
	CHECK(blob_add_disk(&r->kernel, 1048576, 4096, MAXF) == 0);
	CHECK(blob_add_zero(&r->kernel, 8192, MAXF) == 0);
	CHECK(blob_add_bytes(&r->kernel, dup_bytes("inline!"), 7, MAXF) == 0);
	CHECK(blob_add_disk(&r->kernel, 9 << 20, 100, MAXF) == 0);
	CHECK(blob_add_disk(&r->ramdisk, 2 << 20, 65536, MAXF) == 0);
	CHECK(blob_add_bytes(&r->ramdisk, dup_bytes("xyz"), 3, MAXF) == 0);
}

static int same_blob(const struct blob *a, const struct blob *b)
{
	size_t i;

	if (a->n != b->n || a->total != b->total)
		return 0;
	for (i = 0; i < a->n; i++) {
		const struct seg *x = &a->segs[i], *y = &b->segs[i];

		if (x->kind != y->kind || x->disk_off != y->disk_off ||
		    x->file != y->file || x->len != y->len)
			return 0;
		/* decoded bytes segments hold none: they come in the stream */
		if (x->kind == SEG_BYTES && x->bytes && y->bytes &&
		    memcmp(x->bytes, y->bytes, x->len))
			return 0;
	}
	return 1;
}

static int is_empty(const struct boot_result *r)
{
	return !r->error && !r->args && !r->kernel_path && !r->ramdisk_path &&
	       !r->text && !r->log && !r->backing && !r->kernel.n && !r->ramdisk.n &&
	       !r->kernel.segs && !r->ramdisk.segs && !r->have_ramdisk;
}

static void put_u64le(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_round_trip(void)
{
	struct boot_result a, b;
	uint8_t *msg;
	size_t len;
	int code = 1;

	sample(&a);
	CHECK(wire_encode(&a, 0, &msg, &len) == 0);
	result_init(&b);
	CHECK(wire_decode(msg, len, MAXF, &b, &code) == 0);
	CHECK(code == 0);
	CHECK(b.status == 0);
	CHECK(b.error == NULL);
	CHECK_STR(b.args, a.args);
	CHECK_STR(b.kernel_path, a.kernel_path);
	CHECK_STR(b.ramdisk_path, a.ramdisk_path);
	CHECK(b.text == NULL);
	CHECK_STR(b.log, a.log);
	CHECK(b.have_ramdisk == 1);
	CHECK(b.kernel.n == 4);
	CHECK(same_blob(&a.kernel, &b.kernel));
	CHECK(same_blob(&a.ramdisk, &b.ramdisk));
	CHECK(b.kernel.segs[2].kind == SEG_BYTES && !b.kernel.segs[2].bytes);
	CHECK(wire_stream_len(&b) == 10);
	/* the body holds no file bytes */
	CHECK(memmem(msg, len, "inline!", 7) == NULL);
	CHECK(validate_answer(&b, code, DISK, MAXF) == 0);
	result_free(&b);
	free(msg);

	/* a failure answer: code, status and error travel */
	result_free(&a);
	a.status = 3;
	a.error = strdup("p2 (ext4): /boot/grub/grub.cfg:41: bad");
	CHECK(wire_encode(&a, PV_ECORRUPT, &msg, &len) == 0);
	CHECK(wire_decode(msg, len, MAXF, &b, &code) == 0);
	CHECK(code == PV_ECORRUPT);
	CHECK(b.status == 3);
	CHECK_STR(b.error, a.error);
	CHECK(b.args == NULL && b.kernel.n == 0);
	CHECK(validate_answer(&b, code, DISK, MAXF) == 0);
	result_free(&b);
	free(msg);

	/* a listing: text only */
	result_free(&a);
	a.text = strdup("0: Debian GNU/Linux \xc3\xa9t\xc3\xa9\n1: rescue\n");
	CHECK(wire_encode(&a, 0, &msg, &len) == 0);
	CHECK(wire_decode(msg, len, MAXF, &b, &code) == 0);
	CHECK_STR(b.text, a.text);
	CHECK(validate_answer(&b, code, DISK, MAXF) == 0);
	result_free(&b);
	result_free(&a);
	free(msg);
}

static void test_truncations(void)
{
	struct boot_result a, b;
	uint8_t *msg, *cut;
	size_t len, i;
	int code, bad = 0, notempty = 0;

	sample(&a);
	CHECK(wire_encode(&a, 0, &msg, &len) == 0);
	result_free(&a);
	cut = malloc(len);
	for (i = 0; i < len; i++) {
		/* as cut, and with the header re-announcing the cut length */
		memcpy(cut, msg, i);
		result_init(&b);
		if (wire_decode(cut, i, MAXF, &b, &code) == 0)
			bad++;
		notempty += !is_empty(&b);
		result_free(&b);
		if (i >= WIRE_HDR_SIZE) {
			put_u64le(cut + 8, i - WIRE_HDR_SIZE);
			if (wire_decode(cut, i, MAXF, &b, &code) == 0)
				bad++;
			notempty += !is_empty(&b);
			result_free(&b);
		}
	}
	CHECK(bad == 0);
	CHECK(notempty == 0);
	/* one trailing byte is refused too */
	cut = realloc(cut, len + 1);
	memcpy(cut, msg, len);
	cut[len] = 0;
	put_u64le(cut + 8, len + 1 - WIRE_HDR_SIZE);
	CHECK(wire_decode(cut, len + 1, MAXF, &b, &code) < 0);
	CHECK(is_empty(&b));
	free(cut);
	free(msg);
}

static void test_oversize(void)
{
	struct boot_result a, b;
	uint8_t hdr[WIRE_HDR_SIZE] = { 'P', 'V', 'B', '3', 3, 0, 0, 0 };
	uint64_t blen;
	uint8_t *msg;
	size_t len;
	char *big;
	int code;

	/* args over the cap: the encoder refuses, so the worker can say so */
	result_init(&a);
	big = malloc(PV_MAX_ARGS + 2);
	memset(big, 'a', PV_MAX_ARGS + 1);
	big[PV_MAX_ARGS + 1] = '\0';
	a.args = big;
	CHECK(wire_encode(&a, 0, &msg, &len) == PV_ELIMIT);
	big[PV_MAX_ARGS] = '\0';
	CHECK(wire_encode(&a, 0, &msg, &len) == 0);
	CHECK(wire_decode(msg, len, MAXF, &b, &code) == 0);
	CHECK(strlen(b.args) == PV_MAX_ARGS);
	result_free(&b);
	free(msg);
	result_free(&a);

	/* a text of exactly the cap passes, one more byte does not */
	result_init(&a);
	a.text = malloc(PV_MAX_WORKER_TEXT + 2);
	memset(a.text, 'x', PV_MAX_WORKER_TEXT + 1);
	a.text[PV_MAX_WORKER_TEXT] = '\0';
	CHECK(wire_encode(&a, 0, &msg, &len) == 0);
	free(msg);
	a.text[PV_MAX_WORKER_TEXT] = 'x';
	a.text[PV_MAX_WORKER_TEXT + 1] = '\0';
	CHECK(wire_encode(&a, 0, &msg, &len) == PV_ELIMIT);
	result_free(&a);

	/* a blob over the per-file cap of the decoding side */
	result_init(&a);
	CHECK(blob_add_zero(&a.kernel, 1000, MAXF) == 0);
	CHECK(blob_add_disk(&a.kernel, 0, 25, MAXF) == 0);
	CHECK(wire_encode(&a, 0, &msg, &len) == 0);
	CHECK(wire_decode(msg, len, 1025, &b, &code) == 0);
	result_free(&b);
	CHECK(wire_decode(msg, len, 1024, &b, &code) == PV_ELIMIT);
	CHECK(is_empty(&b));
	free(msg);
	result_free(&a);

	/* announced lengths: 4 GiB and 2^64-1 are refused from the header */
	put_u64le(hdr + 8, 4ull << 30);
	CHECK(wire_header(hdr, wire_max_body(MAXF), &blen) == PV_ELIMIT);
	put_u64le(hdr + 8, UINT64_MAX);
	CHECK(wire_header(hdr, wire_max_body(UINT64_MAX), &blen) == PV_ELIMIT);
	put_u64le(hdr + 8, 100);
	CHECK(wire_header(hdr, wire_max_body(MAXF), &blen) == 0 && blen == 100);
	hdr[4] = 2; /* version 2 had no backing files */
	CHECK(wire_header(hdr, wire_max_body(MAXF), &blen) == PV_ECORRUPT);
	hdr[4] = 3;
	/* the body cap does not grow with the file cap */
	CHECK(wire_max_body(UINT64_MAX) == wire_max_body(MAXF));
	CHECK(wire_max_body(MAXF) < (8u << 20));
	hdr[0] = 'X';
	CHECK(wire_header(hdr, wire_max_body(MAXF), &blen) == PV_ECORRUPT);
}

/* Hand-built bodies for what an honest encoder never produces. */
static void test_crafted(void)
{
	struct boot_result b;
	uint8_t m[256];
	size_t n;
	int code;

#define U32(v) (m[n] = (uint8_t)(v), m[n + 1] = (uint8_t)((v) >> 8), \
		m[n + 2] = (uint8_t)((v) >> 16), m[n + 3] = (uint8_t)((v) >> 24), n += 4)
#define BEGIN() (memcpy(m, "PVB3\3\0\0\0", 8), n = WIRE_HDR_SIZE)
#define END() put_u64le(m + 8, n - WIRE_HDR_SIZE)
	/* NUL inside a string */
	BEGIN();
	U32(0); U32(0); U32(0xffffffff); U32(3);
	memcpy(m + n, "a\0b", 3); n += 3;
	END();
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ECORRUPT);
	CHECK(is_empty(&b));

	/* a field announced over its cap (args), bytes or not */
	BEGIN();
	U32(0); U32(0); U32(0xffffffff); U32(PV_MAX_ARGS + 1);
	END();
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ELIMIT);
	CHECK(is_empty(&b));

	/* segment count over the cap, and a count the bytes cannot hold */
	BEGIN();
	U32(0); U32(0);
	for (int f = 0; f < 7; f++)
		U32(0xffffffff);
	m[n++] = 0;
	U32(PV_MAX_SEGMENTS + 1);
	END();
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ELIMIT);
	n -= 4;
	U32(1000);
	END();
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ECORRUPT);

	/* an unknown segment kind; a bad have_ramdisk flag */
	n -= 4;
	U32(1);
	m[n++] = 9;
	memset(m + n, 0, 17); n += 17;
	U32(0);
	END();
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ECORRUPT);
	m[n - 4 - 18 - 4 - 1] = 2;
	m[n - 4 - 18] = SEG_DISK;
	END();
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ECORRUPT);
	m[n - 4 - 18 - 4 - 1] = 0;
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ECORRUPT); /* len 0 */
	m[n - 4 - 8] = 1;
	CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
	CHECK(b.kernel.n == 1 && b.kernel.segs[0].kind == SEG_DISK);
	CHECK(b.kernel.segs[0].file == 0);
	result_free(&b);
	/* the file byte: a backing file up to PV_MAX_BACKING_DEPTH */
	m[n - 4 - 17] = PV_MAX_BACKING_DEPTH;
	CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
	CHECK(b.kernel.segs[0].file == PV_MAX_BACKING_DEPTH);
	result_free(&b);
	m[n - 4 - 17] = PV_MAX_BACKING_DEPTH + 1;
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "backing file") != NULL);
	m[n - 4 - 18] = SEG_ZERO; /* a hole in a backing file */
	m[n - 4 - 17] = 1;
	CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ECORRUPT);
	m[n - 4 - 17] = 0;
	CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
	result_free(&b);

	/* two segments whose lengths sum past 2^64 */
	BEGIN();
	U32(0); U32(0);
	for (int f = 0; f < 7; f++)
		U32(0xffffffff);
	m[n++] = 0;
	U32(2);
	for (int s = 0; s < 2; s++) {
		m[n++] = SEG_ZERO;
		m[n++] = 0;
		put_u64le(m + n, 0); n += 8;
		put_u64le(m + n, UINT64_MAX - 5); n += 8;
	}
	U32(0);
	END();
	CHECK(wire_decode(m, n, UINT64_MAX, &b, &code) == PV_ELIMIT);
	CHECK(is_empty(&b));

	/* code and status: in range, and status 0 exactly when code is 0 */
	{
		static const int32_t bad[][2] = {
			{ 0, 256 }, { 0, 3 }, { -8, 0 }, { 1, 0 }, { 1, 3 },
			{ -12, 3 }, { INT32_MIN, 3 },
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			BEGIN();
			U32((uint32_t)bad[i][0]); U32((uint32_t)bad[i][1]);
			for (int f = 0; f < 7; f++)
				U32(0xffffffff);
			m[n++] = 0;
			U32(0); U32(0);
			END();
			CHECK(wire_decode(m, n, MAXF, &b, &code) == PV_ECORRUPT);
			CHECK(is_empty(&b));
		}
		/* well-formed but a lie: the decoder passes it, validation not */
		BEGIN();
		U32((uint32_t)PV_EINVAL); U32(256);
		U32(3); memcpy(m + n, "bad", 3); n += 3;
		for (int f = 0; f < 6; f++)
			U32(0xffffffff);
		m[n++] = 0;
		U32(0); U32(0);
		END();
		CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
		CHECK(code == PV_EINVAL && b.status == 256);
		CHECK(validate_answer(&b, code, DISK, MAXF) == PV_ESANDBOX);
		result_free(&b);
	}

	/* an empty segment; an offset on a hole or on stream bytes */
	{
		static const uint8_t kinds[] = { SEG_DISK, SEG_ZERO, SEG_BYTES };
		size_t k;

		for (k = 0; k < 6; k++) {
			BEGIN();
			U32(0); U32(0);
			for (int f = 0; f < 7; f++)
				U32(0xffffffff);
			m[n++] = 0;
			U32(1);
			m[n++] = kinds[k % 3];
			m[n++] = 0;
			put_u64le(m + n, k < 3 ? 0 : 512); n += 8;
			put_u64le(m + n, k < 3 ? 0 : 1); n += 8;
			U32(0);
			END();
			if (k == 3) /* a disk range with an offset is fine */
				CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
			else
				CHECK(wire_decode(m, n, MAXF, &b, &code) ==
				      PV_ECORRUPT);
			result_free(&b);
		}
	}
#undef U32
#undef BEGIN
#undef END
}

static void test_validate(void)
{
	struct boot_result r;
	struct seg *s;

	sample(&r);
	CHECK(validate_answer(&r, 0, DISK, MAXF) == 0);
	/* the last kernel range ends at 9 MiB + 100 */
	CHECK(validate_answer(&r, 0, (9 << 20) + 100, MAXF) == 0);
	CHECK(validate_answer(&r, 0, (9 << 20) + 99, MAXF) == PV_ESANDBOX);
	CHECK(strstr(pv_errmsg(), "outside the disk") != NULL);
	/* wrap-around: offset near 2^64 plus a length */
	s = &r.kernel.segs[0];
	s->disk_off = UINT64_MAX - 10;
	CHECK(validate_answer(&r, 0, UINT64_MAX, MAXF) == PV_ESANDBOX);
	s->disk_off = 1048576;
	/* the per-file cap and a lying total */
	CHECK(validate_answer(&r, 0, DISK, r.kernel.total - 1) == PV_ESANDBOX);
	r.kernel.total++;
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.kernel.total--;
	/* ramdisk segments without a ramdisk */
	r.have_ramdisk = 0;
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.have_ramdisk = 1;
	/* args: controls, DEL, length */
	free(r.args);
	r.args = strdup("quiet\nkernel /etc/shadow");
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.args[5] = 0x7f;
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.args[5] = ' ';
	CHECK(validate_answer(&r, 0, DISK, MAXF) == 0);
	free(r.args);
	r.args = calloc(1, PV_MAX_ARGS + 2);
	memset(r.args, 'a', PV_MAX_ARGS);
	CHECK(validate_answer(&r, 0, DISK, MAXF) == 0);
	r.args[PV_MAX_ARGS] = 'a';
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.args[PV_MAX_ARGS] = '\0';
	/* paths */
	r.kernel_path[3] = '\r';
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.kernel_path[3] = 'o';
	r.ramdisk_path[1] = '\x1b';
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.ramdisk_path[1] = 'b';
	CHECK(validate_answer(&r, 0, DISK, MAXF) == 0);
	/* paths and args: C1 and bidi controls, invalid UTF-8 */
	{
		static const char *bad[] = {
			"/boot/\xc2\x9b" "2J", "/boot/\xe2\x80\xae" "gnp.exe",
			"/boot/\x9b", "/boot/\xff",
		};
		char *keep = r.kernel_path;
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			r.kernel_path = (char *)bad[i];
			CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		}
		r.kernel_path = keep;
		keep = r.args;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			r.args = (char *)bad[i];
			CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		}
		r.args = keep;
		CHECK(validate_answer(&r, 0, DISK, MAXF) == 0);
	}
	/* the shape of a boot answer */
	{
		char *kp = r.kernel_path, *rp = r.ramdisk_path, *args = r.args;

		r.kernel_path = NULL; /* -n printed it: never NULL */
		CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		CHECK(strstr(pv_errmsg(), "no kernel path") != NULL);
		r.kernel_path = (char *)"";
		CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		r.kernel_path = kp;
		r.ramdisk_path = NULL; /* a ramdisk without a path */
		CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		r.ramdisk_path = rp;
		r.have_ramdisk = 2;
		CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		r.have_ramdisk = 1;
		r.args = NULL;
		CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		r.args = args;
		r.text = (char *)"0: x\n"; /* text and a kernel at once */
		CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		r.text = NULL;
		r.error = (char *)"x"; /* success with an error line */
		CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		r.error = NULL;
		r.status = 3; /* status without a failure code */
		CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
		r.status = 0;
		CHECK(validate_answer(&r, 0, DISK, MAXF) == 0);
		/* a failure may carry nothing but its error */
		r.status = 3;
		r.error = (char *)"bad";
		CHECK(validate_answer(&r, PV_EINVAL, DISK, MAXF) == PV_ESANDBOX);
		r.error = NULL;
		r.status = 0;
	}
	/* failures: only the statuses of README's table the worker can have */
	{
		struct boot_result f;
		int st;

		result_init(&f);
		f.error = strdup("x");
		for (st = -2; st < 300; st++) {
			f.status = st;
			CHECK((validate_answer(&f, PV_EINVAL, DISK, MAXF) == 0) ==
			      (st == 1 || st == 2 || st == 3 || st == 5));
		}
		f.status = 3;
		CHECK(validate_answer(&f, PV_ECORRUPT, DISK, MAXF) == 0);
		CHECK(validate_answer(&f, -12, DISK, MAXF) == PV_ESANDBOX);
		CHECK(validate_answer(&f, 1, DISK, MAXF) == PV_ESANDBOX);
		free(f.error);
		f.error = NULL; /* a failure without its line */
		CHECK(validate_answer(&f, PV_ECORRUPT, DISK, MAXF) == PV_ESANDBOX);
		result_free(&f);
	}
	/* text: ESC, C1 CSI (raw and as UTF-8), overlong, surrogate, bidi */
	{
		struct boot_result t;

		result_init(&t);
		static const char *bad[] = {
			"a\x1b[2J", "a\x9b" "2J", "a\xc2\x9b" "2J", "\xc0\xaf",
			"\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xe2\x82", "\r",
			"x\xe2\x80\xaey", "x\xe2\x81\xa6y",
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			free(t.text);
			t.text = strdup(bad[i]);
			CHECK(validate_answer(&t, 0, DISK, MAXF) == PV_ESANDBOX);
		}
		free(t.text);
		t.text = strdup("tab\there \xe2\x82\xac \xf0\x9f\x90\xa7\n");
		CHECK(validate_answer(&t, 0, DISK, MAXF) == 0);
		t.have_ramdisk = 1; /* text and a boot field */
		CHECK(validate_answer(&t, 0, DISK, MAXF) == PV_ESANDBOX);
		result_free(&t);
	}
	/* an empty segment; bytes with an offset */
	r.kernel.segs[1].len = 0;
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.kernel.segs[1].len = 8192;
	r.kernel.segs[2].disk_off = 4;
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.kernel.segs[2].disk_off = 0;
	/* unknown segment kind; SEG_BYTES without bytes */
	r.kernel.segs[1].kind = (enum seg_kind)7;
	CHECK(validate_answer(&r, 0, DISK, MAXF) == PV_ESANDBOX);
	r.kernel.segs[1].kind = SEG_ZERO;
	result_free(&r);
}

/* Random mutations of a valid message never crash (run under ASan). */
static void test_mutations(void)
{
	struct boot_result a, b;
	uint8_t *msg, *m;
	size_t len, mlen;
	unsigned seed = 12345;
	int i, code, ok = 0;

	sample(&a);
	CHECK(wire_encode(&a, 0, &msg, &len) == 0);
	result_free(&a);
	m = malloc(len + 64);
	for (i = 0; i < 10000; i++) {
		int k, flips;

		memcpy(m, msg, len);
		mlen = len;
		flips = 1 + rand_r(&seed) % 8;
		for (k = 0; k < flips; k++) {
			size_t at = (size_t)rand_r(&seed) % len;

			switch (rand_r(&seed) % 4) {
			case 0: m[at] ^= (uint8_t)(1u << (rand_r(&seed) % 8)); break;
			case 1: m[at] = (uint8_t)rand_r(&seed); break;
			case 2: m[at] = 0xff; break;
			default: mlen = at + (size_t)(rand_r(&seed) % 64); break;
			}
		}
		if (mlen > len + 64)
			mlen = len + 64;
		if (rand_r(&seed) % 2 && mlen >= WIRE_HDR_SIZE)
			put_u64le(m + 8, mlen - WIRE_HDR_SIZE);
		result_init(&b);
		if (wire_decode(m, mlen, MAXF, &b, &code) == 0) {
			ok++;
			(void)validate_answer(&b, code, DISK, MAXF);
		} else {
			CHECK(is_empty(&b));
		}
		result_free(&b);
	}
	printf("test_wire: %d of 10000 mutations still decoded\n", ok);
	free(m);
	free(msg);
}

/* issue 15: the env-write section round-trips, and every truncation or
 * over-cap count of it is refused. */
static void test_env_section(void)
{
	struct boot_result a, b;
	uint8_t *m = NULL, blk[1024];
	size_t n = 0, cut, full;
	int code;

	memset(blk, '#', sizeof(blk));
	result_init(&a);
	a.args = strdup("ro");
	a.env.n = 1;
	a.env.w[0].vol_off = 1u << 20;
	a.env.w[0].vol_len = 30u << 20;
	a.env.w[0].nranges = 2;
	a.env.w[0].ranges[0].disk_off = 5u << 20;
	a.env.w[0].ranges[0].len = 512;
	a.env.w[0].ranges[1].disk_off = 9u << 20;
	a.env.w[0].ranges[1].len = 512;
	a.env.w[0].len = sizeof(blk);
	a.env.w[0].block = malloc(sizeof(blk));
	memcpy(a.env.w[0].block, blk, sizeof(blk));
	CHECK(wire_encode(&a, 0, &m, &n) == 0);
	CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
	CHECK(b.env.n == 1 && b.env.w[0].nranges == 2 &&
	      b.env.w[0].ranges[1].disk_off == (9u << 20) &&
	      b.env.w[0].len == sizeof(blk) &&
	      memcmp(b.env.w[0].block, blk, sizeof(blk)) == 0);
	result_free(&b);
	/* every cut inside the section (the header's length fixed up) */
	full = n;
	for (cut = 1; cut < 4 + 16 + 4 + 32 + 4 + sizeof(blk); cut += 7) {
		put_u64le(m + 8, full - cut - WIRE_HDR_SIZE);
		CHECK(wire_decode(m, full - cut, MAXF, &b, &code) < 0);
	}
	put_u64le(m + 8, full - WIRE_HDR_SIZE);
	/* count over the cap; ranges 0 and over the cap; block too big */
	{
		size_t sec = full - (4 + 16 + 4 + 32 + 4 + sizeof(blk));

		m[sec] = PV_MAX_ENV_FILES + 1;
		CHECK(wire_decode(m, full, MAXF, &b, &code) == PV_ELIMIT);
		m[sec] = 1;
		m[sec + 4 + 16] = 0;
		CHECK(wire_decode(m, full, MAXF, &b, &code) == PV_ELIMIT);
		m[sec + 4 + 16] = PV_MAX_ENV_RANGES + 1;
		CHECK(wire_decode(m, full, MAXF, &b, &code) < 0);
		m[sec + 4 + 16] = 2;
		put_u64le(m + sec + 4 + 16 + 4 + 32, 0x00ffffffu);
		CHECK(wire_decode(m, full, MAXF, &b, &code) < 0);
	}
	free(m);
	result_free(&a);
}

/* --allow-backing: a backing request, and segments in backing files */
static void test_backing(void)
{
	static const uint64_t sizes[3] = { 0, 1 << 20, 4 << 20 };
	struct boot_result r, b;
	uint8_t *m;
	size_t n;
	int code;

	/* a request round-trips and carries nothing else */
	result_init(&r);
	r.backing = strdup("../base.qcow2");
	CHECK(wire_encode(&r, 0, &m, &n) == 0);
	CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
	CHECK(code == 0 && b.backing && !strcmp(b.backing, "../base.qcow2"));
	validate_allow_backing(0);
	CHECK(validate_answer(&b, 0, DISK, MAXF) == PV_ESANDBOX);
	CHECK(strstr(pv_errmsg(), "--allow-backing") != NULL);
	validate_allow_backing(1);
	CHECK(validate_answer(&b, 0, DISK, MAXF) == 0);
	b.args = strdup("ro"); /* with anything else: a lie */
	CHECK(validate_answer(&b, 0, DISK, MAXF) == PV_ESANDBOX);
	free(b.args);
	b.args = NULL;
	b.backing[2] = '\x1b'; /* a control character */
	CHECK(validate_answer(&b, 0, DISK, MAXF) == PV_ESANDBOX);
	b.backing[0] = '\0';
	CHECK(validate_answer(&b, 0, DISK, MAXF) == PV_ESANDBOX);
	result_free(&b);
	free(m);
	/* with a failure it is a lie too */
	r.status = 3;
	r.error = strdup("bad");
	CHECK(wire_encode(&r, PV_ECORRUPT, &m, &n) == 0);
	CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
	CHECK(validate_answer(&b, code, DISK, MAXF) == PV_ESANDBOX);
	result_free(&b);
	free(m);
	result_free(&r);
	/* over the name's cap */
	r.backing = calloc(1, PV_MAX_BACKING_NAME + 2);
	memset(r.backing, 'a', PV_MAX_BACKING_NAME + 1);
	CHECK(wire_encode(&r, 0, &m, &n) == PV_ELIMIT);
	result_free(&r);

	/* a boot whose kernel lies in backing file 2 */
	sample(&r);
	CHECK(blob_add_disk_in(&r.kernel, 2, 4096, 512, MAXF) == 0);
	CHECK(blob_add_disk_in(&r.kernel, 2, 4608, 512, MAXF) == 0); /* merged */
	CHECK(blob_add_disk_in(&r.kernel, 1, 5120, 512, MAXF) == 0); /* not */
	CHECK(r.kernel.n == 6 && r.kernel.segs[4].len == 1024);
	CHECK(blob_add_disk_in(&r.kernel, PV_MAX_BACKING_DEPTH + 1, 0, 1,
			       MAXF) == PV_EINVAL);
	CHECK(wire_encode(&r, 0, &m, &n) == 0);
	CHECK(wire_decode(m, n, MAXF, &b, &code) == 0);
	CHECK(same_blob(&r.kernel, &b.kernel));
	validate_set_backing(sizes, 1); /* file 2 not opened */
	CHECK(validate_answer(&b, 0, DISK, MAXF) == PV_ESANDBOX);
	validate_set_backing(sizes, 2);
	CHECK(validate_answer(&b, 0, DISK, MAXF) == 0);
	b.kernel.segs[4].disk_off = (4 << 20) - 1023; /* past its end */
	CHECK(validate_answer(&b, 0, DISK, MAXF) == PV_ESANDBOX);
	CHECK(strstr(pv_errmsg(), "its backing file") != NULL);
	b.kernel.segs[4].disk_off = 4096;
	b.kernel.segs[1].file = 1; /* a hole in a file */
	CHECK(validate_answer(&b, 0, DISK, MAXF) == PV_ESANDBOX);
	validate_set_backing(NULL, 0);
	validate_allow_backing(0);
	result_free(&b);
	result_free(&r);
	free(m);
}

int main(void)
{
	test_round_trip();
	test_truncations();
	test_oversize();
	test_crafted();
	test_validate();
	test_mutations();
	test_env_section();
	test_backing();
	return unit_report("test_wire");
}
