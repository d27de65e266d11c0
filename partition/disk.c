/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "partition/disk.h"
#include "common/err.h"
#include "partition/disk_cache.h"
#include "partition/vdisk.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_name(struct disk *d, const char *name)
{
	snprintf(d->name, sizeof(d->name), "%s", name ? name : "disk");
}

int disk_open_fd(struct disk *d, int fd, const char *name)
{
	struct stat st;

	memset(d, 0, sizeof(*d));
	d->fd = fd;
	d->sector_size = 512;
	set_name(d, name);
	if (fstat(fd, &st) < 0)
		return pv_err(PV_EIO, "%s: %s", d->name, strerror(errno));
	if (S_ISREG(st.st_mode)) {
		d->size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		uint64_t sz;
		int ss;

		if (ioctl(fd, BLKGETSIZE64, &sz) < 0)
			return pv_err(PV_EIO, "%s: cannot get device size: %s",
				      d->name, strerror(errno));
		d->size = sz;
		if (ioctl(fd, BLKSSZGET, &ss) == 0 && (ss == 512 || ss == 4096))
			d->sector_size = (unsigned)ss;
	} else {
		return pv_err(PV_EINVAL,
			      "%s: not a regular file or block device", d->name);
	}
	d->file_size = d->size;
	d->cache = disk_cache_new();
	return 0;
}

int disk_open(struct disk *d, const char *path)
{
	int fd, r;

	/* O_NONBLOCK: a FIFO planted as the disk must not block the open
	 * (security.md F5); it is refused below, then the flag is cleared */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		memset(d, 0, sizeof(*d));
		d->fd = -1;
		set_name(d, path);
		return pv_err(errno == ENOENT ? PV_ENOENT : PV_EIO, "%s: %s",
			      path, strerror(errno));
	}
	r = disk_open_fd(d, fd, path);
	if (r < 0) {
		close(fd);
		d->fd = -1;
		return r;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	d->own_fd = 1;
	return 0;
}

int disk_open_mem(struct disk *d, const void *buf, size_t len,
		  const char *name)
{
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->mem = buf;
	d->size = len;
	d->file_size = len;
	d->sector_size = 512;
	set_name(d, name);
	return 0;
}

void disk_close(struct disk *d)
{
	if (d->vops) {
		d->vops->close(d->vctx);
		free(d->raw);
		d->vops = NULL;
		d->vctx = NULL;
		d->raw = NULL;
	}
	disk_cache_free(d->cache);
	d->cache = NULL;
	if (d->own_fd && d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	d->own_fd = 0;
	/* the levels of a backing chain belong to the disk at its top */
	if (d->chain && d->level == 0)
		vdisk_chain_close(d->chain);
}

int disk_read(const struct disk *d, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (off > d->size || len > d->size - off)
		return pv_err(PV_EIO,
			      "read of %zu bytes at %llu is past the end of the disk (%llu bytes)",
			      len, (unsigned long long)off,
			      (unsigned long long)d->size);
	if (d->vops) {
		int r = d->vops->read(d->vctx, off, buf, len);

		vdisk_note(d->vctx, r); /* the first failure, for vdisk_failure */
		return r;
	}
	if (d->mem) {
		memcpy(buf, d->mem + off, len);
		return 0;
	}
	if (disk_cache_read(d, off, buf, len))
		return 0;
	while (len > 0) {
		ssize_t n = pread(d->fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return pv_err(PV_EIO, "read at %llu: %s",
				      (unsigned long long)off, strerror(errno));
		}
		if (n == 0)
			return pv_err(PV_EIO,
				      "short read at %llu: disk ended early",
				      (unsigned long long)off);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static const struct vol_seg *find_seg(const struct volume *v, uint64_t off)
{
	size_t lo = 0, hi = v->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vol_seg *s = &v->segs[mid];

		if (off < s->vol_off)
			hi = mid;
		else if (off - s->vol_off >= s->len)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

int vol_map(const struct volume *v, uint64_t off, uint64_t *disk_off,
	    uint64_t *contig)
{
	const struct vol_seg *s;
	uint64_t rel, chunk, within, n;

	if (off >= v->length)
		return pv_err(PV_EIO, "offset %llu is outside the volume (%llu bytes)",
			      (unsigned long long)off,
			      (unsigned long long)v->length);
	if (!v->segs) {
		*disk_off = v->offset + off;
		*contig = v->length - off;
		return 0;
	}
	s = find_seg(v, off);
	if (!s)
		return pv_err(PV_EIO, "offset %llu of the volume is not mapped",
			      (unsigned long long)off);
	rel = off - s->vol_off;
	if (s->nstripes <= 1) {
		*disk_off = s->disk_off[0] + rel;
		*contig = s->len - rel;
		return 0;
	}
	chunk = rel / s->stripe_bytes;
	within = rel % s->stripe_bytes;
	n = s->nstripes;
	*disk_off = s->disk_off[chunk % n] + (chunk / n) * s->stripe_bytes + within;
	*contig = s->stripe_bytes - within;
	if (*contig > s->len - rel)
		*contig = s->len - rel;
	return 0;
}

int vol_read(const struct volume *v, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (off > v->length || len > v->length - off)
		return pv_err(PV_EIO,
			      "read of %zu bytes at %llu is outside the volume (%llu bytes)",
			      len, (unsigned long long)off,
			      (unsigned long long)v->length);
	if (!v->segs)
		return disk_read(v->disk, v->offset + off, buf, len);
	while (len > 0) {
		uint64_t d, c;
		size_t n;
		int r = vol_map(v, off, &d, &c);

		if (r < 0)
			return r;
		n = c < len ? (size_t)c : len;
		r = disk_read(v->disk, d, p, n);
		if (r < 0)
			return r;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

const char *vol_name(const struct volume *v, char *buf, size_t bufsz)
{
	if (v->vname[0]) {
		snprintf(buf, bufsz, "%s", v->vname);
	} else if (v->kind == VOL_WHOLE_DISK && v->number == 0) {
		if (v->offset)
			snprintf(buf, bufsz, "offset %llu",
				 (unsigned long long)v->offset);
		else
			snprintf(buf, bufsz, "disk");
	} else {
		snprintf(buf, bufsz, "p%d", v->number);
	}
	return buf;
}

const char *pv_human_size(uint64_t b, char *buf, size_t bufsz)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned u = 0;
	uint64_t whole = b, rem = 0;

	while (whole >= 1024 && u < 5) {
		rem = whole % 1024;
		whole /= 1024;
		u++;
	}
	if (rem == 0)
		snprintf(buf, bufsz, "%llu%s", (unsigned long long)whole, unit[u]);
	else
		snprintf(buf, bufsz, "%llu.%llu%s", (unsigned long long)whole,
			 (unsigned long long)(rem * 10 / 1024), unit[u]);
	return buf;
}
