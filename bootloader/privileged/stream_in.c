/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stream of file bytes after a boot answer (stream_in.h). */
#include "bootloader/privileged/stream_in.h"
#include "bootloader/privileged/pipe_read.h"
#include "bootloader/wire/wire.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Hand n bytes at the cursor to the sink, across segment boundaries. */
static int deliver(struct wire_cursor *c, const struct answer_sink *sink,
		   const uint8_t *p, size_t n)
{
	while (n) {
		const struct seg *s;
		uint64_t off, left;
		int file, r;
		size_t k;

		if (wire_cursor_next(c, &file, &s, &off, &left))
			return pv_err(PV_EINVAL, "internal: stream past its end");
		k = left < n ? (size_t)left : n;
		if (sink) {
			r = sink->write(sink->ctx, file, off, p, k);
			if (r < 0)
				return r;
		}
		wire_cursor_skip(c, k);
		p += k;
		n -= k;
	}
	return 0;
}

enum stream_end stream_in(int fd, int64_t deadline,
			  const struct boot_result *r,
			  const struct answer_sink *sink)
{
	uint64_t due = wire_stream_len(r);
	enum stream_end end = STREAM_OK;
	struct wire_cursor c;
	uint8_t fh[WIRE_FRAME_HDR], *buf;
	uint32_t n;
	ssize_t got;
	int fr;

	if (!due)
		return STREAM_OK;
	buf = malloc(PV_WIRE_CHUNK);
	if (!buf) {
		pv_err(PV_ENOMEM, "out of memory for the stream");
		return STREAM_BAD;
	}
	wire_cursor_init(&c, r);
	while (due && end == STREAM_OK) {
		got = read_full(fd, fh, sizeof(fh), deadline);
		if (got >= 0 && got < (ssize_t)sizeof(fh)) {
			pv_err(PV_ECORRUPT, "stream ends with %llu bytes due",
			       (unsigned long long)due);
			end = STREAM_BAD;
			break;
		}
		if (got < 0)
			goto io_fail;
		fr = wire_frame(fh, due, &n);
		if (fr < 0) {
			end = STREAM_BAD;
			break;
		}
		if (fr == 1) {
			end = STREAM_ABORT;
			break;
		}
		got = read_full(fd, buf, n, deadline);
		if (got < 0)
			goto io_fail;
		if ((size_t)got != n) {
			pv_err(PV_ECORRUPT, "truncated frame (%zd of %u bytes)",
			       got, n);
			end = STREAM_BAD;
			break;
		}
		if (deliver(&c, sink, buf, n) < 0)
			end = STREAM_SINK;
		due -= n;
	}
	free(buf);
	return end;
io_fail:
	free(buf);
	if (errno == ETIMEDOUT)
		return STREAM_TIMEOUT;
	pv_err(PV_EIO, "reading the stream: %s", strerror(errno));
	return STREAM_BAD;
}

int stream_local(const struct boot_result *r, const struct answer_sink *sink,
		 int *sink_failed)
{
	struct wire_cursor c;
	const struct seg *s;
	uint64_t off, left;
	uint8_t *buf;
	int file, rc = 0;

	*sink_failed = 0;
	if (!wire_stream_len(r))
		return 0;
	buf = malloc(PV_WIRE_CHUNK);
	if (!buf)
		return pv_err(PV_ENOMEM, "out of memory for the stream");
	wire_cursor_init(&c, r);
	while (rc == 0 && !wire_cursor_next(&c, &file, &s, &off, &left)) {
		size_t k = left < PV_WIRE_CHUNK ? (size_t)left : PV_WIRE_CHUNK;

		rc = blob_seg_read(s, c.done, buf, k);
		if (rc == 0 && sink) {
			rc = sink->write(sink->ctx, file, off, buf, k);
			*sink_failed = rc < 0;
		}
		wire_cursor_skip(&c, k);
	}
	free(buf);
	return rc;
}
