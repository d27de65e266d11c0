/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/copy_runs.h"
#include "common/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* One buffer for the whole process: the supervisor copies one file at a
 * time, and a static buffer costs no allocation on the fixed path.
 * 256 KiB: writes still large, but each page of the buffer is a page
 * fault on first use (13-30 us on a paravirtualised guest); at 1 MiB those
 * 256 faults cost more than the copy through them (issue 12). */
#define COPY_BUF_SIZE (1u << 18)
static uint8_t copy_buf[COPY_BUF_SIZE];

void copy_runs_init(struct copy_runs *c, int out)
{
	struct stat st;

	c->out = out;
	c->fill = 0;
	c->buf_off = 0;
	c->blk = 0;
	/* a power of two between 512 and 1 MiB, or we do not trust it */
	if (fstat(out, &st) == 0 && st.st_blksize >= 512 &&
	    st.st_blksize <= (1 << 20) &&
	    !(st.st_blksize & (st.st_blksize - 1)))
		c->blk = (uint64_t)st.st_blksize;
}

static int write_all(int fd, const uint8_t *p, uint64_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return pv_err(PV_EIO, "write: %s",
				      n < 0 ? strerror(errno) : "no progress");
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

int copy_runs_flush(struct copy_runs *c)
{
	int r = 0;

	if (c->fill)
		r = write_all(c->out, copy_buf, c->fill, c->buf_off);
	c->fill = 0;
	return r;
}

/* Gather len bytes of in at in_off for the output at out_off. */
static int gather(struct copy_runs *c, int in, uint64_t in_off,
		  uint64_t out_off, uint64_t len)
{
	int r;

	if (c->fill && c->buf_off + c->fill != out_off &&
	    (r = copy_runs_flush(c)) < 0)
		return r;
	while (len) {
		size_t room, want;
		ssize_t n;

		if (!c->fill)
			c->buf_off = out_off;
		room = COPY_BUF_SIZE - c->fill;
		want = len < room ? (size_t)len : room;
		n = pread(in, copy_buf + c->fill, want, (off_t)in_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pv_err(PV_EIO, "read disk: %s", strerror(errno));
		if (n == 0)
			return pv_err(PV_EIO, "disk ended inside a file's data");
		c->fill += (size_t)n;
		in_off += (uint64_t)n;
		out_off += (uint64_t)n;
		len -= (uint64_t)n;
		if (c->fill == COPY_BUF_SIZE && (r = copy_runs_flush(c)) < 0)
			return r;
	}
	return 0;
}

/* copy_file_range the whole of an aligned run; 1 if the kernel cannot
 * (another filesystem, a device...), so the caller gathers it instead. */
static int kernel_copy(struct copy_runs *c, int in, uint64_t *in_off,
		       uint64_t *out_off, uint64_t *len)
{
	while (*len) {
		loff_t io = (loff_t)*in_off, oo = (loff_t)*out_off;
		ssize_t n = copy_file_range(in, &io, c->out, &oo,
					    *len > (1u << 30) ? (1u << 30) : *len,
					    0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EXDEV || errno == EINVAL ||
			      errno == ENOSYS || errno == EOPNOTSUPP ||
			      errno == EBADF))
			return 1;
		if (n < 0)
			return pv_err(PV_EIO, "copy: %s", strerror(errno));
		if (n == 0)
			return pv_err(PV_EIO, "disk ended inside a file's data");
		*in_off += (uint64_t)n;
		*out_off += (uint64_t)n;
		*len -= (uint64_t)n;
	}
	return 0;
}

int copy_runs_add(struct copy_runs *c, int in, uint64_t in_off,
		  uint64_t out_off, uint64_t len)
{
	uint64_t bulk;
	int r;

	/* When disk and output offsets share their phase within a block, the
	 * head up to the next block boundary is gathered and the block-aligned
	 * body shared or kernel-copied; the tail is gathered. */
	if (c->blk && in_off % c->blk == out_off % c->blk) {
		uint64_t head = (c->blk - in_off % c->blk) % c->blk;

		if (head && head < len) {
			if ((r = gather(c, in, in_off, out_off, head)) < 0)
				return r;
			in_off += head;
			out_off += head;
			len -= head;
		}
	}
	if (c->blk && in_off % c->blk == 0 && out_off % c->blk == 0 &&
	    (bulk = len - len % c->blk) > 0) {
		if ((r = copy_runs_flush(c)) < 0)
			return r;
		len -= bulk;
		r = kernel_copy(c, in, &in_off, &out_off, &bulk);
		if (r < 0)
			return r;
		len += bulk; /* what the kernel would not copy is gathered */
	}
	return len ? gather(c, in, in_off, out_off, len) : 0;
}
