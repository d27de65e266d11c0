/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small read cache in front of a raw disk's pread(): each partition is
 * probed for MD, LVM and every filesystem, and those probes read small
 * pieces of the same first blocks.  Only whole aligned blocks that lie
 * inside the disk are cached; the disk is read-only to us, so a block
 * never goes stale in a way a single read could not also see.
 */
#ifndef PVBOOT_PARTITION_DISK_CACHE_H
#define PVBOOT_PARTITION_DISK_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct disk;
struct disk_cache;

/* An empty cache (NULL when out of memory: reads then go uncached). */
struct disk_cache *disk_cache_new(void);
void disk_cache_free(struct disk_cache *c);
/* 1 and len bytes at off copied to buf when [off, off+len) lies in one
 * block that is cached or could be read now; 0 when the caller must read
 * itself (too big, crossing a block, past the disk's last whole block, or
 * a failed block read). */
int disk_cache_read(const struct disk *d, uint64_t off, void *buf,
		    size_t len);

#endif
