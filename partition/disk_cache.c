/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "partition/disk_cache.h"
#include "partition/disk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct disk_cache {
	uint64_t blk[PV_DISK_CACHE_BLOCKS];  /* block number + 1; 0: empty */
	unsigned long used[PV_DISK_CACHE_BLOCKS]; /* last use, for LRU */
	unsigned long clock;
	uint8_t data[PV_DISK_CACHE_BLOCKS][PV_DISK_CACHE_BLOCK];
};

struct disk_cache *disk_cache_new(void)
{
	return calloc(1, sizeof(struct disk_cache));
}

void disk_cache_free(struct disk_cache *c)
{
	free(c);
}

static int read_block(int fd, uint64_t off, uint8_t *p)
{
	size_t len = PV_DISK_CACHE_BLOCK;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int disk_cache_read(const struct disk *d, uint64_t off, void *buf,
		    size_t len)
{
	struct disk_cache *c = d->cache;
	uint64_t b = off / PV_DISK_CACHE_BLOCK;
	size_t in = (size_t)(off % PV_DISK_CACHE_BLOCK), k, victim = 0;

	/* the caller checked off + len <= d->size */
	if (!c || d->fd < 0 || len > PV_DISK_CACHE_BLOCK - in ||
	    d->size / PV_DISK_CACHE_BLOCK <= b)
		return 0;
	for (k = 0; k < PV_DISK_CACHE_BLOCKS; k++) {
		if (c->blk[k] == b + 1) {
			c->used[k] = ++c->clock;
			memcpy(buf, c->data[k] + in, len);
			return 1;
		}
		if (c->used[k] < c->used[victim])
			victim = k;
	}
	c->blk[victim] = 0;
	if (read_block(d->fd, b * PV_DISK_CACHE_BLOCK, c->data[victim]) < 0)
		return 0;
	c->blk[victim] = b + 1;
	c->used[victim] = ++c->clock;
	memcpy(buf, c->data[victim] + in, len);
	return 1;
}
