/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/outdir.h"
#include "common/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A directory we pass through: nobody but root or us could have put the
 * next component there. */
static int trusted_parent(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return pv_err(PV_EIO, "%s: %s", path, strerror(errno));
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return pv_err(PV_EIO, "%s belongs to uid %u, not to root",
			      path, (unsigned)st.st_uid);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return pv_err(PV_EIO, "%s is writable by others (mode %04o)",
			      path, (unsigned)(st.st_mode & 07777));
	return 0;
}

/* Step from dir into name (creating it with mode when missing). */
static int step(int dir, const char *name, mode_t mode, int last,
		const char *shown, int *created)
{
	struct stat st;
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC, fd;

	*created = 0;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return pv_err(PV_EIO, "%s: %s", shown, strerror(errno));
		if (mkdirat(dir, name, mode) < 0 && errno != EEXIST)
			return pv_err(PV_EIO, "cannot create %s: %s", shown,
				      strerror(errno));
		*created = errno != EEXIST;
		flags |= O_NOFOLLOW;
	} else if (S_ISLNK(st.st_mode)) {
		if (last || st.st_uid != 0)
			return pv_err(PV_EIO,
				      "%s is a symlink (owned by uid %u)", shown,
				      (unsigned)st.st_uid);
		/* root's own link, e.g. /var/run -> /run: follow it */
	} else {
		flags |= O_NOFOLLOW;
	}
	fd = openat(dir, name, flags);
	if (fd < 0)
		return pv_err(PV_EIO, "%s is not a directory (%s)", shown,
			      strerror(errno));
	return fd;
}

int outdir_open_private(const char *path)
{
	char buf[PATH_MAX], shown[PATH_MAX];
	char *comp, *next, *save = NULL;
	struct stat st;
	int dir, fd, created = 0;

	if (path[0] != '/' ||
	    snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return pv_err(PV_EINVAL, "bad output directory %s", path);
	dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return pv_err(PV_EIO, "/: %s", strerror(errno));
	shown[0] = '\0';
	comp = strtok_r(buf, "/", &save);
	while (comp) {
		next = strtok_r(NULL, "/", &save);
		fd = trusted_parent(dir, shown[0] ? shown : "/");
		snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown),
			 "/%s", comp);
		if (fd == 0)
			fd = step(dir, comp, next ? 0755 : 0700, !next, shown,
				  &created);
		close(dir);
		if (fd < 0)
			return fd;
		dir = fd;
		comp = next;
	}
	/* ours: made now (whatever the umask did, it is 0700) or checked */
	if (created && fchmod(dir, 0700) < 0) {
		close(dir);
		return pv_err(PV_EIO, "%s: %s", path, strerror(errno));
	}
	if (fstat(dir, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0700) {
		fd = pv_err(PV_EIO,
			    "%s must be a directory owned by uid %u with mode 0700 (it has uid %u, mode %04o)",
			    path, (unsigned)geteuid(), (unsigned)st.st_uid,
			    (unsigned)(st.st_mode & 07777));
		close(dir);
		return fd;
	}
	return dir;
}
