/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PVBOOT_COPY_RUNS_H
#define PVBOOT_COPY_RUNS_H
/*
 * Copying a file's runs of disk bytes into one output file, as fast as the
 * host allows (issue #12).
 *
 * A run whose disk offset and output offset are both multiples of the
 * output filesystem's block size goes through copy_file_range: on an XFS or
 * btrfs host with reflink the kernel shares the extents, elsewhere it copies
 * in the kernel.  A run that is not aligned (a guest filesystem with 1 KiB
 * blocks, a tail) cannot be shared, and copy_file_range would then copy it
 * page by page through splice; those runs are gathered instead into one
 * 1 MiB buffer with pread and written with one large pwrite, however small
 * the runs are.
 */
#include <stdint.h>
#include <stddef.h>

struct copy_runs {
	int out;            /* the output file */
	uint64_t blk;       /* its filesystem's block size (0: never share) */
	size_t fill;        /* bytes gathered in the buffer */
	uint64_t buf_off;   /* output offset of the buffer's first byte */
};

/* Start copying into out; never fails (an unknown block size only turns
 * copy_file_range off for unaligned runs). */
void copy_runs_init(struct copy_runs *c, int out);
/* Copy len bytes of in at in_off to the output at out_off.  Errors are
 * reported through pv_err; returns 0 or a negative PV_E* code. */
int copy_runs_add(struct copy_runs *c, int in, uint64_t in_off,
		  uint64_t out_off, uint64_t len);
/* Write what is gathered; call once after the last run. */
int copy_runs_flush(struct copy_runs *c);

#endif
