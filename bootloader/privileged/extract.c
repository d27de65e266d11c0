/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/extract.h"
#include "bootloader/privileged/cleanup.h"
#include "bootloader/privileged/copy_runs.h"
#include "bootloader/privileged/outdir.h"
#include "bootloader/privileged/test_hooks.h"
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

int extract_open(struct extract *x, const char *dir, int default_dir,
		 int diskfd)
{
	memset(x, 0, sizeof(*x));
	x->diskfd = diskfd;
	x->dirfd = -1;
	x->fd[0] = x->fd[1] = -1;
	x->no_tmpfile = pv_test_no_tmpfile ? pv_test_no_tmpfile() : 0;
	if (snprintf(x->dir, sizeof(x->dir), "%s", dir) >= (int)sizeof(x->dir))
		return pv_err(PV_EINVAL, "output directory path too long");
	/* "dir/" and "dir" name the same place; print "dir/boot_kernel.x" */
	while (strlen(x->dir) > 1 && x->dir[strlen(x->dir) - 1] == '/')
		x->dir[strlen(x->dir) - 1] = '\0';
	if (default_dir) {
		x->dirfd = outdir_open_private(x->dir);
		return x->dirfd < 0 ? x->dirfd : 0;
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

/* Give a name to file: by linkat for an unnamed one (named != 0: create
 * one with O_EXCL and return its fd).  Registered for SIGTERM before the
 * signal can see it.  0 / fd, or a negative PV_E*. */
static int give_name(struct extract *x, int file, const char *prefix,
		     int create)
{
	char name[32], proc[64];
	int tries, rc = -1, fd = -1, err = 0;

	for (tries = 0; tries < 100; tries++) {
		snprintf(name, sizeof(name), "%s.", prefix);
		suffix(name + strlen(name));
		cleanup_block();
		if (create) {
			fd = openat(x->dirfd, name,
				    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC, 0600);
			rc = fd < 0 ? -1 : 0;
		} else {
			/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc
			 * does not */
			rc = linkat(x->fd[file], "", x->dirfd, name,
				    AT_EMPTY_PATH);
			if (rc < 0 && errno != EEXIST) {
				snprintf(proc, sizeof(proc), "/proc/self/fd/%d",
					 x->fd[file]);
				rc = linkat(AT_FDCWD, proc, x->dirfd, name,
					    AT_SYMLINK_FOLLOW);
			}
		}
		err = errno;
		if (rc == 0 && cleanup_add(x->dirfd, name) < 0) {
			unlinkat(x->dirfd, name, 0);
			if (fd >= 0)
				close(fd);
			cleanup_unblock();
			return pv_err(PV_EINVAL, "internal: too many files");
		}
		if (rc == 0)
			snprintf(x->names[file], sizeof(x->names[0]), "%s", name);
		cleanup_unblock();
		if (rc == 0 || err != EEXIST)
			break;
	}
	if (rc < 0)
		return pv_err(PV_EIO, "cannot create %s/%s.XXXXXX: %s", x->dir,
			      prefix, strerror(err));
	return create ? fd : 0;
}

int extract_create(struct extract *x, int file, const char *prefix)
{
	int fd = -1;

	if (file < 0 || file > 1 || x->fd[file] >= 0 || x->names[file][0])
		return pv_err(PV_EINVAL, "internal: output file %d twice", file);
	if (!x->no_tmpfile)
		fd = openat(x->dirfd, ".", O_WRONLY | O_TMPFILE | O_CLOEXEC,
			    0600);
	if (fd >= 0) {
		x->fd[file] = fd;
		return 0;
	}
	/* not supported by this kernel or filesystem: a named file */
	if (!x->no_tmpfile && errno != EOPNOTSUPP && errno != EISDIR &&
	    errno != EINVAL)
		return pv_err(PV_EIO, "cannot create a file in %s: %s",
			      x->dir, strerror(errno));
	fd = give_name(x, file, prefix, 1);
	if (fd < 0)
		return fd;
	x->fd[file] = fd;
	return 0;
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

int extract_write(struct extract *x, int file, uint64_t off,
		  const uint8_t *p, size_t n)
{
	int r;

	if (file < 0 || file > 1 || x->fd[file] < 0)
		return pv_err(PV_EINVAL, "internal: output file %d not open",
			      file);
	r = write_all(x->fd[file], p, n, off);
	if (r < 0)
		pv_err_ctx("%s", x->dir);
	return r;
}

int extract_finish(struct extract *x, int file, const char *prefix,
		   const struct blob *b, char *path_out, size_t path_out_sz)
{
	struct copy_runs cr;
	uint64_t off = 0;
	size_t i;
	int fd, r = 0;

	if (file < 0 || file > 1 || x->fd[file] < 0)
		return pv_err(PV_EINVAL, "internal: output file %d not open",
			      file);
	fd = x->fd[file];
	copy_runs_init(&cr, fd);
	/* The disk's open file is shared with the worker, where libblkid
	 * advised POSIX_FADV_RANDOM on it: readahead off for our copy too.
	 * The copy reads long runs in order: ask for readahead (a cold
	 * page cache after a host reboot is the boot storm's case). */
	(void)posix_fadvise(x->diskfd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (i = 1; x->chain && i <= (size_t)x->chain->n; i++)
		(void)posix_fadvise(x->chain->fd[i], 0, 0,
				    POSIX_FADV_SEQUENTIAL);
	for (i = 0; i < b->n && r == 0; i++) {
		const struct seg *s = &b->segs[i];

		/* SEG_BYTES came in the stream; SEG_ZERO: a hole, sized by
		 * ftruncate */
		if (s->kind == SEG_DISK && s->file == 0)
			r = copy_runs_add(&cr, x->diskfd, s->disk_off, off,
					  s->len);
		else if (s->kind == SEG_DISK && x->chain && s->file <= x->chain->n)
			r = copy_runs_add(&cr, x->chain->fd[s->file],
					  s->disk_off, off, s->len);
		else if (s->kind == SEG_DISK)
			r = pv_err(PV_EINVAL, "internal: no backing file %u",
				   s->file);
		off += s->len;
	}
	if (r == 0)
		r = copy_runs_flush(&cr);
	/* Only a file ending in a hole needs its size set: on XFS a
	 * truncate to the size the file already has still flushed the
	 * file's pages (15 ms for 64 MiB). */
	if (r == 0) {
		struct stat st;

		if (fstat(fd, &st) < 0 || (uint64_t)st.st_size != off) {
			if (ftruncate(fd, (off_t)off) < 0)
				r = pv_err(PV_EIO, "%s", strerror(errno));
		}
	}
	if (r == 0 && !x->names[file][0])
		r = give_name(x, file, prefix, 0);
	if (close(fd) < 0 && r == 0)
		r = pv_err(PV_EIO, "%s", strerror(errno));
	x->fd[file] = -1;
	if (r < 0) {
		pv_err_ctx("%s/%s", x->dir, x->names[file][0] ?
			   x->names[file] : prefix);
		return r;
	}
	snprintf(path_out, path_out_sz, "%s/%s", x->dir, x->names[file]);
	return 0;
}

void extract_rollback(struct extract *x)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (x->fd[i] >= 0)
			close(x->fd[i]); /* unnamed: gone with its fd */
		x->fd[i] = -1;
		if (x->names[i][0] && x->dirfd >= 0) {
			unlinkat(x->dirfd, x->names[i], 0);
			cleanup_forget(x->dirfd, x->names[i]);
		}
		x->names[i][0] = '\0';
	}
}

void extract_close(struct extract *x)
{
	int i;

	for (i = 0; i < 2; i++)
		if (x->fd[i] >= 0)
			close(x->fd[i]);
	x->fd[0] = x->fd[1] = -1;
	if (x->dirfd >= 0)
		close(x->dirfd);
	x->dirfd = -1;
}
