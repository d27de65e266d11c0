/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing GRUB environment blocks back (see envwrite.h).
 *
 * What the supervisor checks before writing a block, and why that is
 * enough.  The worker (which may be subverted by the guest's bytes) claims
 * "these LEN bytes go to these disk ranges".  The supervisor cannot check
 * that the ranges are the grubenv file's own blocks without parsing the
 * filesystem, which it must not do.  It checks instead:
 *  1. shape: 1..PV_MAX_ENV_RANGES ranges, 1..PV_MAX_ENVBLK_WRITE bytes,
 *     the range lengths add up to exactly the block's length;
 *  2. every range starts on a 512-byte sector boundary and every range
 *     but the last is whole sectors (a filesystem block map never gives
 *     anything else), is non-empty, and the ranges do not overlap;
 *  3. every range lies inside the disk and inside the volume the answer
 *     names, which itself lies inside the disk;
 *  4. no range touches the first or last PV_ENV_GUARD_BYTES of the disk
 *     (MBR, GPT header and entries, backup GPT) nor any disk range of the
 *     kernel or ramdisk just extracted;
 *  5. the new block is a valid environment block (signature line,
 *     NAME=VALUE or comment lines, '#' padding to the end);
 *  6. the bytes now on disk at those ranges, read in order, are a valid
 *     environment block too, of the same size, and differ from the new
 *     one.
 * 6 is what makes the write safe: whatever the worker claims, pvboot only
 * ever replaces bytes that already are a GRUB environment block (in the
 * same places, at the same size) with another environment block.  A
 * lying worker can at worst rewrite a grubenv-shaped run of sectors of
 * the guest's own disk with other grubenv text: the guest's own data,
 * which the guest's GRUB could rewrite the same way, never the partition
 * table, never the files just extracted, never outside the disk.
 * Overlap with another guest file that happens to hold an environment
 * block is not detectable here (the worker refuses it only if the file
 * map shows it) and is harmless by the same argument.
 */
#include "bootloader/privileged/envwrite.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECTOR 512u

int envwrite_open(const struct options *o, const struct disk *d)
{
	struct stat a, b;
	int fd;

	if (o->not_really || o->list_entries || o->isconfig ||
	    o->no_env_write || d->fd < 0)
		return -1;
	fd = open(o->image, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		pv_debug("%s: cannot open for writing (%s): GRUB environment "
			 "changes will not be saved", o->image,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &a) < 0 || fstat(d->fd, &b) < 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino ||
	    (a.st_mode & S_IFMT) != (b.st_mode & S_IFMT) ||
	    a.st_rdev != b.st_rdev) {
		pv_debug("%s: changed while opening it for writing: GRUB "
			 "environment changes will not be saved", o->image);
		close(fd);
		return -1;
	}
	return fd;
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int hits_blob(const struct env_range *r, const struct blob *bl)
{
	size_t i;

	for (i = 0; bl && i < bl->n; i++)
		if (bl->segs[i].kind == SEG_DISK &&
		    overlaps(r->disk_off, r->len, bl->segs[i].disk_off,
			     bl->segs[i].len))
			return 1;
	return 0;
}

/* The bytes now at w's ranges, in order, into buf (w->len bytes). */
static int read_ranges(int fd, const struct env_block_write *w, uint8_t *buf)
{
	uint64_t off = 0;
	uint32_t i;

	for (i = 0; i < w->nranges; i++) {
		ssize_t n = pread(fd, buf + off, (size_t)w->ranges[i].len,
				  (off_t)w->ranges[i].disk_off);

		if (n < 0 || (uint64_t)n != w->ranges[i].len)
			return pv_err(PV_EINVAL, "cannot read the current "
				      "block");
		off += w->ranges[i].len;
	}
	return 0;
}

int envwrite_check(int fd, uint64_t disk_size,
		   const struct env_block_write *w, const struct blob *kernel,
		   const struct blob *ramdisk)
{
	uint64_t total = 0;
	uint8_t *cur;
	uint32_t i, k;
	int r;

	if (w->nranges < 1 || w->nranges > PV_MAX_ENV_RANGES || w->len < 1 ||
	    w->len > PV_MAX_ENVBLK_WRITE || !w->block)
		return pv_err(PV_EINVAL, "bad shape");
	if (w->vol_off > disk_size || w->vol_len > disk_size - w->vol_off)
		return pv_err(PV_EINVAL, "volume outside the disk");
	for (i = 0; i < w->nranges; i++) {
		const struct env_range *g = &w->ranges[i];

		if (g->len == 0 || g->len > PV_MAX_ENVBLK_WRITE)
			return pv_err(PV_EINVAL, "bad range length");
		total += g->len;
		if (g->disk_off % SECTOR ||
		    (i + 1 < w->nranges && g->len % SECTOR))
			return pv_err(PV_EINVAL, "range not sector-aligned");
		if (g->disk_off > disk_size || g->len > disk_size - g->disk_off)
			return pv_err(PV_EINVAL, "range outside the disk");
		if (g->disk_off < w->vol_off ||
		    g->disk_off + g->len > w->vol_off + w->vol_len)
			return pv_err(PV_EINVAL, "range outside its volume");
		if (g->disk_off < PV_ENV_GUARD_BYTES ||
		    g->disk_off + g->len + PV_ENV_GUARD_BYTES > disk_size)
			return pv_err(PV_EINVAL, "range in the partition "
				      "table area (first or last %u KiB of "
				      "the disk)", PV_ENV_GUARD_BYTES >> 10);
		if (hits_blob(g, kernel) || hits_blob(g, ramdisk))
			return pv_err(PV_EINVAL, "range overlaps the kernel "
				      "or ramdisk");
		for (k = 0; k < i; k++)
			if (overlaps(g->disk_off, g->len,
				     w->ranges[k].disk_off, w->ranges[k].len))
				return pv_err(PV_EINVAL, "ranges overlap");
	}
	if (total != w->len)
		return pv_err(PV_EINVAL, "ranges hold %llu bytes, the block "
			      "%u", (unsigned long long)total, w->len);
	if (!envw_block_valid(w->block, w->len))
		return pv_err(PV_EINVAL, "new block is not a GRUB "
			      "environment block");
	cur = malloc(w->len);
	if (!cur)
		return pv_err(PV_ENOMEM, "out of memory");
	r = read_ranges(fd, w, cur);
	if (r == 0 && !envw_block_valid(cur, w->len))
		r = pv_err(PV_EINVAL, "the disk does not hold a GRUB "
			   "environment block of %u bytes there", w->len);
	if (r == 0 && memcmp(cur, w->block, w->len) == 0)
		r = pv_err(PV_EINVAL, "unchanged");
	free(cur);
	return r;
}

static int write_block(int fd, const struct env_block_write *w)
{
	uint64_t off = 0;
	uint32_t i;

	for (i = 0; i < w->nranges; i++) {
		ssize_t n = pwrite(fd, w->block + off, (size_t)w->ranges[i].len,
				   (off_t)w->ranges[i].disk_off);

		if (n < 0 || (uint64_t)n != w->ranges[i].len)
			return pv_err(PV_EIO, "write at %llu: %s",
				      (unsigned long long)w->ranges[i].disk_off,
				      n < 0 ? strerror(errno) : "short write");
		off += w->ranges[i].len;
	}
	return 0;
}

int envwrite_apply(int fd, uint64_t disk_size, const struct boot_result *r)
{
	uint32_t i;
	int written = 0;

	if (r->env.n && fd < 0) {
		pv_debug("GRUB environment changed but the disk is not open "
			 "for writing: nothing written");
		return 0;
	}
	for (i = 0; i < r->env.n && i < PV_MAX_ENV_FILES; i++) {
		const struct env_block_write *w = &r->env.w[i];

		if (envwrite_check(fd, disk_size, w, &r->kernel,
				   &r->ramdisk) < 0 ||
		    write_block(fd, w) < 0) {
			pv_warn("GRUB environment block not written: %s",
				pv_errmsg());
			continue;
		}
		written++;
		pv_debug("GRUB environment block of %u bytes written in %u "
			 "range(s) at %llu", w->len, w->nranges,
			 (unsigned long long)w->ranges[0].disk_off);
	}
	if (written && fsync(fd) < 0)
		pv_warn("GRUB environment: fsync: %s", strerror(errno));
	return written;
}
