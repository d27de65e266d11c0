/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The stream of file bytes after a boot answer (wire.h): what the worker
 * sends (stream_out) arrives whole and in place through stream_in, read
 * one chunk at a time; a source that fails mid-stream turns into a
 * failure answer; malformed frames are refused.
 */
#include "bootloader/confined/stream_out.h"
#include "bootloader/privileged/stream_in.h"
#include "bootloader/privileged/validate.h"
#include "bootloader/wire/wire.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "tests/unit/unit.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXF (128ull << 20)
#define DISK (1ull << 30)
#define BIG (3 * PV_WIRE_CHUNK + 12345)

static uint8_t pattern(uint64_t off, int file)
{
	return (uint8_t)(off * 7 + (off >> 9) + (uint64_t)file * 13);
}

/* A source of pattern bytes that fails at fail_at (0: never); it counts
 * the largest read, which must stay one chunk. */
struct pat {
	int file;
	uint64_t fail_at;
};
static size_t largest_read;

static long pat_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct pat *p = ctx;
	uint8_t *b = buf;
	size_t i;

	if (len > largest_read)
		largest_read = len;
	if (p->fail_at && off + len > p->fail_at)
		return pv_err(PV_ECORRUPT, "zstd: corrupt frame at %llu",
			      (unsigned long long)p->fail_at);
	for (i = 0; i < len; i++)
		b[i] = pattern(off + i, p->file);
	return (long)len;
}

static struct seg_src *pat_src(int file, uint64_t fail_at)
{
	struct seg_src *s = calloc(1, sizeof(*s));
	struct pat *p = calloc(1, sizeof(*p));

	p->file = file;
	p->fail_at = fail_at;
	s->read = pat_read;
	s->free = free;
	s->ctx = p;
	return s;
}

static void boot_result(struct boot_result *r, uint64_t fail_at)
{
	uint8_t *abc = malloc(3);

	memcpy(abc, "abc", 3);
	result_init(r);
	r->args = strdup("ro");
	r->kernel_path = strdup("/boot/vmlinuz");
	r->ramdisk_path = strdup("/boot/initrd");
	r->have_ramdisk = 1;
	CHECK(blob_add_disk(&r->kernel, 4096, 1000, MAXF) == 0);
	CHECK(blob_add_bytes(&r->kernel, abc, 3, MAXF) == 0);
	CHECK(blob_add_zero(&r->kernel, 5000, MAXF) == 0);
	CHECK(blob_add_source(&r->kernel, pat_src(0, 0), 200000, MAXF) == 0);
	CHECK(blob_add_source(&r->ramdisk, pat_src(1, fail_at), BIG, MAXF) == 0);
}

/* The sink: files in memory, and whether begin came first. */
struct mem {
	uint8_t *f[2];
	uint64_t size[2];
	int begun, early;
};

static int mem_begin(void *ctx, const struct boot_result *r)
{
	struct mem *m = ctx;

	m->begun = 1;
	m->size[0] = r->kernel.total;
	m->size[1] = r->ramdisk.total;
	m->f[0] = calloc(1, m->size[0]);
	m->f[1] = calloc(1, m->size[1]);
	return 0;
}

static int mem_write(void *ctx, int file, uint64_t off, const uint8_t *p,
		     size_t n)
{
	struct mem *m = ctx;

	if (!m->begun) {
		m->early = 1;
		return PV_EINVAL;
	}
	if (file < 0 || file > 1 || off + n > m->size[file])
		return pv_err(PV_EINVAL, "write outside the file");
	memcpy(m->f[file] + off, p, n);
	return 0;
}

static int read_full_fd(int fd, uint8_t *p, uint64_t len)
{
	while (len) {
		ssize_t n = read(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= (uint64_t)n;
	}
	return 0;
}

/* Read one answer message (header + body) and decode it. */
static int take_msg(int fd, struct boot_result *r, int *code)
{
	uint8_t hdr[WIRE_HDR_SIZE], *msg;
	uint64_t blen;
	int rc;

	if (read(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr))
		return -1;
	if (wire_header(hdr, wire_max_body(MAXF), &blen) < 0)
		return -1;
	msg = malloc(WIRE_HDR_SIZE + blen);
	memcpy(msg, hdr, WIRE_HDR_SIZE);
	rc = read_full_fd(fd, msg + WIRE_HDR_SIZE, blen);
	if (rc == 0)
		rc = wire_decode(msg, WIRE_HDR_SIZE + blen, MAXF, r, code);
	free(msg);
	return rc;
}

static pid_t sender(int *rfd, uint64_t fail_at, int cut)
{
	int p[2];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		struct boot_result r;

		close(p[0]);
		boot_result(&r, fail_at);
		stream_out(p[1], &r, 0, cut);
		_exit(largest_read > PV_WIRE_CHUNK ? 7 : 0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void test_round_trip(void)
{
	struct answer_sink sink;
	struct boot_result r;
	struct mem m;
	uint64_t i;
	int fd, code, st, bad = 0;
	pid_t pid = sender(&fd, 0, 0);
	uint8_t extra;

	memset(&m, 0, sizeof(m));
	sink.begin = mem_begin;
	sink.write = mem_write;
	sink.ctx = &m;
	CHECK(take_msg(fd, &r, &code) == 0);
	CHECK(validate_answer(&r, code, DISK, MAXF) == 0);
	CHECK(wire_stream_len(&r) == 3 + 200000 + BIG);
	CHECK(sink.begin(sink.ctx, &r) == 0);
	CHECK(stream_in(fd, INT64_MAX, &r, &sink) == STREAM_OK);
	CHECK(read(fd, &extra, 1) == 0);
	CHECK(!m.early);
	CHECK(memcmp(m.f[0] + 1000, "abc", 3) == 0);
	for (i = 0; i < 200000; i++)
		bad += m.f[0][1000 + 3 + 5000 + i] != pattern(i, 0);
	for (i = 0; i < BIG; i++)
		bad += m.f[1][i] != pattern(i, 1);
	CHECK(bad == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0); /* never more than a chunk at once */
	close(fd);
	free(m.f[0]);
	free(m.f[1]);
	result_free(&r);
}

/* A source failing mid-stream: abort frame, then a failure answer. */
static void test_abort(void)
{
	struct boot_result r, f;
	int fd, code, st;
	pid_t pid = sender(&fd, PV_WIRE_CHUNK + 10, 0);

	CHECK(take_msg(fd, &r, &code) == 0 && code == 0);
	CHECK(stream_in(fd, INT64_MAX, &r, NULL) == STREAM_ABORT);
	CHECK(take_msg(fd, &f, &code) == 0);
	CHECK(code == PV_ECORRUPT && f.status == 3);
	CHECK(f.error && strstr(f.error, "corrupt frame") != NULL);
	CHECK(validate_answer(&f, code, DISK, MAXF) == 0);
	waitpid(pid, &st, 0);
	close(fd);
	result_free(&r);
	result_free(&f);
}

/* The cut hook: half the bytes, then EOF. */
static void test_cut(void)
{
	struct boot_result r;
	int fd, code, st;
	pid_t pid = sender(&fd, 0, 1);

	CHECK(take_msg(fd, &r, &code) == 0 && code == 0);
	CHECK(stream_in(fd, INT64_MAX, &r, NULL) == STREAM_BAD);
	CHECK(strstr(pv_errmsg(), "due") != NULL);
	waitpid(pid, &st, 0);
	close(fd);
	result_free(&r);
}

/* Hand-made frames against a stream of 10 bytes due. */
static void test_frames(void)
{
	static const uint32_t bad[] = { 0, 11, PV_WIRE_CHUNK + 1, 0x7fffffff };
	struct boot_result r;
	uint8_t fh[WIRE_FRAME_HDR];
	uint32_t n;
	size_t i;
	uint8_t *b = malloc(10);

	memset(b, 'x', 10);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wire_frame_put(fh, bad[i]);
		CHECK(wire_frame(fh, 10, &n) == PV_ECORRUPT && n == 0);
	}
	wire_frame_put(fh, 10);
	CHECK(wire_frame(fh, 10, &n) == 0 && n == 10);
	wire_frame_put(fh, PV_WIRE_CHUNK);
	CHECK(wire_frame(fh, UINT64_MAX, &n) == 0 && n == PV_WIRE_CHUNK);
	wire_frame_put(fh, WIRE_FRAME_ABORT);
	CHECK(wire_frame(fh, 10, &n) == 1);

	/* through a pipe: a frame over the bytes due, and a short frame */
	result_init(&r);
	r.kernel_path = strdup("/k");
	r.args = strdup("");
	CHECK(blob_add_bytes(&r.kernel, b, 10, MAXF) == 0);
	for (i = 0; i < 2; i++) {
		int p[2];

		CHECK(pipe(p) == 0);
		wire_frame_put(fh, i ? 4 : 11);
		CHECK(write(p[1], fh, 4) == 4);
		CHECK(write(p[1], "xyz", 3) == 3);
		close(p[1]);
		CHECK(stream_in(p[0], INT64_MAX, &r, NULL) == STREAM_BAD);
		close(p[0]);
	}
	result_free(&r);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_round_trip();
	test_abort();
	test_cut();
	test_frames();
	return unit_report("test_stream");
}
