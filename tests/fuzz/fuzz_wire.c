/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The only parser that runs as root: the worker's answer (wire_decode),
 * the supervisor's checks of it (validate_answer) and, for a boot answer,
 * the stream of file bytes after it (stream_in), with a worker's abort
 * and its failure answer.  Input: what the worker writes on its pipe: an
 * optional interactive menu (wire_menu.h), one answer message, then what
 * follows it.  Beyond "no crash", the sink checks what the supervisor
 * promises: no byte is written before the files exist, and every byte
 * lands inside a bytes segment of a file whose answer was believed.
 */
#include "tests/fuzz/fuzz.h"
#include "bootloader/privileged/stream_in.h"
#include "bootloader/privileged/validate.h"
#include "bootloader/wire/wire.h"
#include "bootloader/wire/wire_menu.h"
#include "bootloader/wire/wire_login.h"
#include "common/err.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DISK (1ull << 30)
#define MAXF (128ull << 20)

struct check {
	const struct boot_result *r;
	int begun;
	uint64_t written;
};

static int fz_begin(void *ctx, const struct boot_result *r)
{
	struct check *c = ctx;

	c->begun = 1;
	c->r = r;
	return 0;
}

static int fz_write(void *ctx, int file, uint64_t off, const uint8_t *p,
		    size_t n)
{
	struct check *c = ctx;
	const struct blob *b;
	uint64_t at = 0;
	size_t i;

	(void)p;
	if (!c->begun || file < 0 || file > 1 || !n)
		abort();
	b = file ? &c->r->ramdisk : &c->r->kernel;
	for (i = 0; i < b->n; at += b->segs[i].len, i++)
		if (off >= at && off - at < b->segs[i].len)
			break;
	/* inside one bytes segment, never a disk range or a hole */
	if (i == b->n || b->segs[i].kind != SEG_BYTES ||
	    n > b->segs[i].len - (off - at))
		abort();
	c->written += n;
	return 0;
}

/* The length of the message at the start of data (its header says). */
static size_t message_len(const uint8_t *data, size_t size)
{
	uint64_t body;

	if (size < WIRE_HDR_SIZE ||
	    wire_header(data, wire_max_body(MAXF), &body) < 0 ||
	    body > size - WIRE_HDR_SIZE)
		return size;
	return WIRE_HDR_SIZE + (size_t)body;
}

/* After an abort: one failure answer, then nothing. */
static void after_abort(int fd)
{
	static uint8_t rest[1 << 16];
	struct boot_result f;
	ssize_t n = read(fd, rest, sizeof(rest));
	size_t len;
	int code;

	if (n <= 0)
		return;
	len = message_len(rest, (size_t)n);
	if (wire_decode(rest, len, MAXF, &f, &code) == 0) {
		(void)validate_answer(&f, code, DISK, MAXF);
		result_free(&f);
	}
}

/* An interactive run's menu comes first: its length, 0 if none. */
static size_t take_menu(const uint8_t *data, size_t size)
{
	struct flat_menu f;
	uint64_t body = 0;
	int i;

	if (size < WIRE_HDR_SIZE || memcmp(data, WIRE_MENU_MAGIC, 4))
		return 0;
	for (i = 0; i < 8; i++)
		body |= (uint64_t)data[8 + i] << (8 * i);
	if (body > wire_menu_max_body() || body > size - WIRE_HDR_SIZE)
		return size; /* the supervisor stops here */
	if (wire_menu_decode(data, WIRE_HDR_SIZE + (size_t)body, &f) < 0)
		return size;
	/* then a login verdict, when the bytes after the menu start like one */
	{
		size_t rest = size - WIRE_HDR_SIZE - (size_t)body;
		const uint8_t *v = data + WIRE_HDR_SIZE + body;

		if (rest >= WIRE_VERDICT_HEAD &&
		    !memcmp(v, WIRE_VERDICT_MAGIC, 4)) {
			unsigned char *un = malloc(f.n);
			int super;
			size_t vl = WIRE_VERDICT_HEAD + f.n;

			if (un && rest >= vl) {
				(void)wire_verdict_decode(v, vl, f.n, &super, un);
				free(un);
				flat_free(&f);
				return WIRE_HDR_SIZE + (size_t)body + vl;
			}
			free(un);
		}
	}
	flat_free(&f);
	return WIRE_HDR_SIZE + (size_t)body;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct answer_sink sink = { fz_begin, fz_write, NULL };
	struct boot_result r;
	struct check c = { NULL, 0, 0 };
	size_t mlen, skip = take_menu(data, size);
	enum stream_end e;
	int code, fd;
	/* --allow-backing with two backing files open */
	static const uint64_t backing[3] = { 0, 1 << 20, 64 << 20 };

	validate_allow_backing(1);
	validate_set_backing(backing, 2);
	data += skip;
	size -= skip;
	mlen = message_len(data, size);
	if (wire_decode(data, mlen, MAXF, &r, &code) < 0)
		return 0;
	if (validate_answer(&r, code, DISK, MAXF) < 0 || code < 0 || r.text ||
	    r.backing) {
		result_free(&r);
		return 0;
	}
	/* what follows the answer, as the supervisor reads it */
	fd = memfd_create("fuzz-wire", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data + mlen, size - mlen) !=
			      (ssize_t)(size - mlen) ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		if (fd >= 0)
			close(fd);
		result_free(&r);
		return 0;
	}
	sink.ctx = &c;
	fz_begin(&c, &r);
	e = stream_in(fd, INT64_MAX, &r, &sink);
	if (e == STREAM_OK && c.written != wire_stream_len(&r))
		abort();
	if (e == STREAM_ABORT)
		after_abort(fd);
	close(fd);
	result_free(&r);
	return 0;
}
