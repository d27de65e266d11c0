/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/outfile.h"
#include "bootloader/privileged/cleanup.h"
#include "common/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_check(struct outfile *o, const char *path)
{
	char dir[PATH_MAX];
	const char *slash;
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->dirfd = -1;
	if (!path || !strcmp(path, "-")) {
		o->to_stdout = 1;
		return 0;
	}
	slash = strrchr(path, '/');
	if (snprintf(o->path, sizeof(o->path), "%s", path) >=
		    (int)sizeof(o->path) ||
	    snprintf(o->base, sizeof(o->base), "%s", slash ? slash + 1 : path) >=
		    (int)sizeof(o->base))
		return pv_err(PV_EIO, "output path %s is too long", path);
	if (!o->base[0] || !strcmp(o->base, ".") || !strcmp(o->base, ".."))
		return pv_err(PV_EIO, "output %s names a directory", path);
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->dirfd < 0)
		return pv_err(PV_EIO, "cannot open output %s: %s", path,
			      strerror(errno));
	if (fstatat(o->dirfd, o->base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return pv_err(PV_EIO, "cannot open output %s: %s",
				      path, strerror(errno));
		return 0; /* made only when the run succeeds */
	}
	if (!S_ISREG(st.st_mode))
		return pv_err(PV_EIO, "output %s is not a regular file", path);
	o->existed = 1;
	o->mode = st.st_mode & 0777;
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int outfile_commit(struct outfile *o, const char *buf, size_t len)
{
	char tmp[32];
	unsigned char rnd[4];
	int fd = -1, tries, err = 0, bad;

	if (o->to_stdout)
		return write_all(STDOUT_FILENO, buf, len) < 0
			? pv_err(PV_EIO, "output: %s", strerror(errno)) : 0;
	for (tries = 0; tries < 100 && fd < 0; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			memset(rnd, tries, sizeof(rnd));
		snprintf(tmp, sizeof(tmp), ".pvboot-out.%02x%02x%02x%02x",
			 rnd[0], rnd[1], rnd[2], rnd[3]);
		cleanup_block();
		fd = openat(o->dirfd, tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		err = errno;
		if (fd >= 0 && cleanup_add(o->dirfd, tmp) < 0) {
			close(fd);
			unlinkat(o->dirfd, tmp, 0);
			fd = -1;
			err = ENAMETOOLONG;
		}
		cleanup_unblock();
		if (fd < 0 && err != EEXIST)
			break;
	}
	if (fd < 0)
		return pv_err(PV_EIO, "cannot write output %s: %s", o->path,
			      strerror(err));
	/* No fsync: the rename is what makes the answer appear whole to the
	 * toolstack reading it now; durability across a host crash buys
	 * nothing (the domain is created again), and on a host whose output
	 * directory is on XFS an fsync forced the log and cost ~40 ms. */
	bad = (o->existed && fchmod(fd, o->mode) < 0) ||
	      write_all(fd, buf, len) < 0;
	err = errno;
	if (close(fd) < 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (!bad && renameat(o->dirfd, tmp, o->dirfd, o->base) < 0) {
		bad = 1;
		err = errno;
	}
	if (bad) {
		unlinkat(o->dirfd, tmp, 0);
		cleanup_forget(o->dirfd, tmp);
		return pv_err(PV_EIO, "cannot write output %s: %s", o->path,
			      strerror(err));
	}
	cleanup_forget(o->dirfd, tmp);
	return 0;
}

void outfile_close(struct outfile *o)
{
	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
}
