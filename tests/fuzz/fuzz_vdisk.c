/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Disk images with a backing chain (partition/vdisk.h), as the worker
 * reads them under --allow-backing: input = u32 LE length L, then L bytes
 * of the image, then its backing file (one level; a deeper one is asked
 * for and refused).  Beyond "no crash": every piece disk_map yields lies
 * inside the file of the chain it names, and the pieces add up to the
 * range asked for.
 */
#include "tests/fuzz/fuzz.h"
#include "common/err.h"
#include "partition/disk.h"
#include "partition/vdisk.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SPAN (256u << 10) /* bytes read and mapped at each end */

struct mapped {
	uint64_t size[2]; /* the image's and the backing file's */
	uint64_t total;
};

static int piece(void *arg, enum vmap_kind kind, int level, uint64_t off,
		 uint64_t len, uint8_t *bytes)
{
	struct mapped *m = arg;

	if (kind == VMAP_FILE &&
	    (level < 0 || level > 1 || off > m->size[level] ||
	     len > m->size[level] - off))
		__builtin_trap(); /* a range outside its file */
	if (kind != VMAP_FILE && level)
		__builtin_trap();
	free(bytes);
	m->total += len;
	return 0;
}

static int memfd_of(const uint8_t *p, size_t n)
{
	int fd = memfd_create("fuzz-vdisk", MFD_CLOEXEC);

	if (fd >= 0 && n && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return fd;
}

static void both_ends(struct disk *d, struct mapped *m, uint8_t *buf)
{
	uint64_t ends[2] = { 0, d->size > SPAN ? d->size - SPAN : 0 };
	int i;

	for (i = 0; i < 2; i++) {
		uint64_t n = d->size - ends[i] < SPAN ? d->size - ends[i] : SPAN;

		(void)disk_read(d, ends[i], buf, (size_t)n);
		m->total = 0;
		if (disk_map(d, ends[i], n, piece, m) == 0 && m->total != n)
			__builtin_trap(); /* pieces not adding up */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[SPAN];
	struct vdisk_chain chain;
	struct mapped m;
	struct disk d;
	uint32_t l;
	int fd;

	if (size < 4)
		return 0;
	l = data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
	    (uint32_t)data[3] << 24;
	data += 4;
	size -= 4;
	if (l > size)
		l = (uint32_t)size;
	memset(&chain, 0, sizeof(chain));
	chain.allow = 1;
	chain.n = 1;
	chain.fd[1] = memfd_of(data + l, size - l);
	chain.size[1] = size - l;
	fd = memfd_of(data, l);
	if (fd < 0 || chain.fd[1] < 0 || disk_open_fd(&d, fd, "fuzz") < 0)
		goto out;
	d.chain = &chain;
	m.size[0] = l;
	m.size[1] = size - l;
	if (vdisk_detect(&d) == 1)
		both_ends(&d, &m, buf);
	disk_close(&d);
out:
	if (fd >= 0)
		close(fd);
	if (chain.fd[1] >= 0)
		close(chain.fd[1]);
	pv_err_clear();
	return 0;
}
