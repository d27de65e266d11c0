/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file bytes the worker sends after a boot answer (wire.h, "stream"),
 * read in bounded chunk frames and handed to a sink as they arrive: the
 * supervisor holds one chunk, never a file.
 */
#ifndef PVBOOT_BOOTLOADER_STREAM_IN_H
#define PVBOOT_BOOTLOADER_STREAM_IN_H

#include "bootloader/wire/result.h"

#include <stddef.h>
#include <stdint.h>

/* Where a validated boot answer's files go (main.c: the extraction).
 * begin runs once, after validation and before any file byte is read (it
 * creates the output files); write puts n bytes at off of file 0 (kernel)
 * or 1 (ramdisk).  Both return 0 or a negative PV_E* with pv_err. */
struct answer_sink {
	int (*begin)(void *ctx, const struct boot_result *r);
	int (*write)(void *ctx, int file, uint64_t off, const uint8_t *p,
		     size_t n);
	void *ctx;
};

enum stream_end {
	STREAM_OK,      /* every byte due came, in well-formed frames */
	STREAM_BAD,     /* truncated or malformed (pv_errmsg says why) */
	STREAM_TIMEOUT,
	STREAM_ABORT,   /* the worker gave up: a failure answer follows */
	STREAM_SINK,    /* the sink failed (its error is recorded) */
};

/* Read r's stream from fd before deadline into sink (NULL: read and drop).
 * r must have passed validate_answer. */
enum stream_end stream_in(int fd, int64_t deadline,
			  const struct boot_result *r,
			  const struct answer_sink *sink);

/* --no-sandbox: the same bytes, read from r's own segments (held or on
 * demand) into sink.  0, a sink error (*sink_failed set), or the read's
 * error (bad guest data: a compressed extent that does not decode). */
int stream_local(const struct boot_result *r, const struct answer_sink *sink,
		 int *sink_failed);

#endif
