/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The worker's answer and stream on the wire (stream_out.h). */
#include "bootloader/confined/stream_out.h"
#include "bootloader/wire/options.h"
#include "bootloader/wire/wire.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void put_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		p += n;
		len -= (size_t)n;
	}
}

/* Replace r by a failure answer: status, the current error line, log. */
static void make_failure(struct boot_result *r, int status)
{
	char *err = strdup(pv_errmsg()), *log = r->log;

	r->log = NULL;
	result_free(r);
	r->status = status;
	r->error = err;
	r->log = log;
	if (r->error && strlen(r->error) > PV_MAX_WORKER_ERROR)
		r->error[PV_MAX_WORKER_ERROR] = '\0';
}

static void send_answer(int wfd, struct boot_result *r, int code)
{
	uint8_t *msg;
	size_t len;
	int rc;

	rc = wire_encode(r, code, &msg, &len);
	if (rc < 0) {
		/* too large or out of memory: say so instead */
		make_failure(r, EXIT_BADIMAGE);
		free(r->log);
		r->log = NULL;
		if (wire_encode(r, rc, &msg, &len) < 0)
			_exit(3);
	}
	put_all(wfd, msg, len);
	free(msg);
}

void stream_out(int wfd, struct boot_result *r, int code, int cut)
{
	uint64_t due, sent = 0;
	struct wire_cursor c;
	const struct seg *s;
	uint64_t off, left;
	uint8_t fh[WIRE_FRAME_HDR], *buf;
	int file, rc = 0;

	send_answer(wfd, r, code);
	if (code < 0 || (r->text && !r->kernel_path)) /* a listing */
		return;
	due = wire_stream_len(r);
	if (!due)
		return;
	buf = malloc(PV_WIRE_CHUNK);
	if (!buf)
		rc = pv_err(PV_ENOMEM, "out of memory for the stream");
	wire_cursor_init(&c, r);
	while (rc == 0 && !wire_cursor_next(&c, &file, &s, &off, &left)) {
		size_t k = left < PV_WIRE_CHUNK ? (size_t)left : PV_WIRE_CHUNK;

		if (cut && sent + k > due / 2)
			break;
		rc = blob_seg_read(s, c.done, buf, k);
		if (rc < 0)
			break;
		wire_frame_put(fh, (uint32_t)k);
		put_all(wfd, fh, sizeof(fh));
		put_all(wfd, buf, k);
		wire_cursor_skip(&c, k);
		sent += k;
	}
	free(buf);
	if (rc < 0) {
		/* the answer said success: take it back */
		wire_frame_put(fh, WIRE_FRAME_ABORT);
		put_all(wfd, fh, sizeof(fh));
		make_failure(r, EXIT_BADIMAGE);
		send_answer(wfd, r, rc);
	}
}
