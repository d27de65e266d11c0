/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/extract.h"
#include "common/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int extract_open(struct extract *x, const char *dir, int create, int diskfd)
{
	memset(x, 0, sizeof(*x));
	x->diskfd = diskfd;
	x->dirfd = -1;
	if (snprintf(x->dir, sizeof(x->dir), "%s", dir) >= (int)sizeof(x->dir))
		return pv_err(PV_EINVAL, "output directory path too long");
	/* "dir/" and "dir" name the same place; print "dir/boot_kernel.x" */
	while (strlen(x->dir) > 1 && x->dir[strlen(x->dir) - 1] == '/')
		x->dir[strlen(x->dir) - 1] = '\0';
	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST) {
		/* the default /var/run/xen/pygrub: make its parents too */
		char tmp[PATH_MAX], *p;

		snprintf(tmp, sizeof(tmp), "%s", dir);
		for (p = tmp + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
				break;
			*p = '/';
		}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return pv_err(PV_EIO, "cannot create %s: %s", dir,
				      strerror(errno));
	}
	x->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (x->dirfd < 0)
		return pv_err(PV_EIO, "%s is not an existing directory (%s)",
			      dir, strerror(errno));
	return 0;
}

/* tempfile-style suffix: 6 characters from [a-z0-9_] */
static void suffix(char *s)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	unsigned char rnd[6];
	int i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		for (i = 0; i < 6; i++)
			rnd[i] = (unsigned char)((ts.tv_nsec >> (i * 5)) ^ getpid());
	}
	for (i = 0; i < 6; i++)
		s[i] = set[rnd[i] % (sizeof(set) - 1)];
	s[6] = '\0';
}

static int write_all(int fd, const uint8_t *p, uint64_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, p, len > (1u << 30) ? (1u << 30) : len,
				   (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return pv_err(PV_EIO, "write: %s", strerror(errno));
		}
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

/* Copy len bytes of the disk at in_off to out_off: copy_file_range where
 * the kernel can (no trip through user space), read/write otherwise. */
int extract_copy(int in, uint64_t in_off, int out, uint64_t out_off,
		 uint64_t len)
{
	static uint8_t buf[1u << 20];

	while (len) {
		loff_t io = (loff_t)in_off, oo = (loff_t)out_off;
		ssize_t n = copy_file_range(in, &io, out, &oo,
					    len > (1u << 30) ? (1u << 30) : len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EXDEV && errno != EINVAL &&
		    errno != ENOSYS && errno != EOPNOTSUPP && errno != EBADF)
			return pv_err(PV_EIO, "copy: %s", strerror(errno));
		if (n < 0) { /* fall back to read/write */
			size_t want = len > sizeof(buf) ? sizeof(buf) : len;

			n = pread(in, buf, want, (off_t)in_off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return pv_err(PV_EIO, "read disk: %s",
					      strerror(errno));
			if (n > 0 && write_all(out, buf, (uint64_t)n, out_off) < 0)
				return PV_EIO;
		}
		if (n == 0)
			return pv_err(PV_EIO, "disk ended inside a file's data");
		in_off += (uint64_t)n;
		out_off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

int extract_create(struct extract *x, const char *prefix, char *path_out,
		   size_t path_out_sz)
{
	char name[32];
	int fd = -1, tries;

	if (x->n >= 2)
		return pv_err(PV_EINVAL, "internal: too many output files");
	for (tries = 0; tries < 100 && fd < 0; tries++) {
		snprintf(name, sizeof(name), "%s.", prefix);
		suffix(name + strlen(name));
		fd = openat(x->dirfd, name,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return pv_err(PV_EIO, "cannot create %s/%s.XXXXXX: %s", x->dir,
			      prefix, strerror(errno));
	snprintf(x->names[x->n++], sizeof(x->names[0]), "%s", name);
	snprintf(path_out, path_out_sz, "%s/%s", x->dir, name);
	return fd;
}

int extract_blob(struct extract *x, const char *prefix, const struct blob *b,
		 char *path_out, size_t path_out_sz)
{
	const char *name;
	uint64_t off = 0;
	size_t i;
	int fd, r = 0;

	fd = extract_create(x, prefix, path_out, path_out_sz);
	if (fd < 0)
		return fd;
	name = x->names[x->n - 1];
	for (i = 0; i < b->n && r == 0; i++) {
		const struct seg *s = &b->segs[i];

		if (s->kind == SEG_DISK)
			r = extract_copy(x->diskfd, s->disk_off, fd, off, s->len);
		else if (s->kind == SEG_BYTES)
			r = write_all(fd, s->bytes, s->len, off);
		off += s->len; /* SEG_ZERO: a hole, sized by ftruncate */
	}
	if (r == 0 && ftruncate(fd, (off_t)off) < 0)
		r = pv_err(PV_EIO, "%s: %s", name, strerror(errno));
	if (close(fd) < 0 && r == 0)
		r = pv_err(PV_EIO, "%s: %s", name, strerror(errno));
	if (r < 0) {
		pv_err_ctx("%s/%s", x->dir, name);
		return r;
	}
	return 0;
}

void extract_rollback(struct extract *x)
{
	while (x->n > 0)
		unlinkat(x->dirfd, x->names[--x->n], 0);
}

void extract_close(struct extract *x)
{
	if (x->dirfd >= 0)
		close(x->dirfd);
	x->dirfd = -1;
}
