/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opening a backing chain under the trust rule of backing.h. */
#include "bootloader/privileged/backing.h"
#include "common/err.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int backing_init(struct backing *b, struct vdisk_chain *c, int allow,
		 const char *path, int diskfd)
{
	char dir[PATH_MAX];
	const char *slash;
	struct stat st;

	memset(c, 0, sizeof(*c));
	b->rootfd = -1;
	c->allow = allow;
	/* without --allow-backing nothing else is read: not clearing b's
	 * 41 KiB spares the supervisor ten page faults (issue 12) */
	if (!allow)
		return 0;
	memset(b, 0, sizeof(*b));
	b->rootfd = -1;
	slash = strrchr(path, '/');
	if (strlen(path) >= sizeof(dir))
		return pv_err(PV_EINVAL, "%s: path too long", path);
	if (!slash) {
		strcpy(dir, ".");
		snprintf(b->rel[0], sizeof(b->rel[0]), "%s", path);
	} else {
		snprintf(dir, sizeof(dir), "%.*s",
			 slash == path ? 1 : (int)(slash - path), path);
		snprintf(b->rel[0], sizeof(b->rel[0]), "%s", slash + 1);
	}
	if (fstat(diskfd, &st) < 0)
		return pv_err(PV_EIO, "%s: %s", path, strerror(errno));
	b->dev[0] = st.st_dev;
	b->ino[0] = st.st_ino;
	/* the image directory is the operator's: opened as named */
	b->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->rootfd < 0 || !realpath(dir, b->root_abs))
		return pv_err(PV_EIO, "--allow-backing: the image directory %s: %s",
			      dir, strerror(errno));
	/* every host file would lie beneath it */
	if (strcmp(b->root_abs, "/") == 0)
		return pv_err(PV_EINVAL,
			      "--allow-backing: the image is in /, where every file would qualify as a backing file; move it into a directory of its own");
	return 0;
}

/* The name as a path beneath the image directory: relative to the
 * directory of level k - 1, or absolute inside the image directory. */
static int beneath(const struct backing *b, int k, const char *name,
		   char *out, size_t outsz)
{
	const char *parent = b->rel[k - 1], *slash = strrchr(parent, '/');
	size_t rl = strlen(b->root_abs);
	int n;

	if (name[0] == '/') {
		if (strncmp(name, b->root_abs, rl) || name[rl] != '/')
			return pv_err(PV_EINVAL,
				      "backing file %s: an absolute name outside the image directory %s",
				      name, b->root_abs);
		n = snprintf(out, outsz, "%s", name + rl + 1);
	} else if (slash) {
		n = snprintf(out, outsz, "%.*s/%s", (int)(slash - parent),
			     parent, name);
	} else {
		n = snprintf(out, outsz, "%s", name);
	}
	if (n < 0 || (size_t)n >= outsz || !*out)
		return pv_err(PV_EINVAL, "backing file %s: bad name", name);
	return 0;
}

int backing_open_next(struct backing *b, struct vdisk_chain *c,
		      const char *name)
{
	struct open_how how;
	char path[PATH_MAX];
	struct stat st;
	int k = c->n + 1, fd, nfd, i, r;
	size_t len = strlen(name);

	if (!c->allow || b->rootfd < 0)
		return pv_err(PV_EINVAL, "internal: backing files not allowed");
	if (k > PV_MAX_BACKING_DEPTH)
		return pv_err(PV_ELIMIT,
			      "more than %d backing files in the chain (%s would be one more)",
			      PV_MAX_BACKING_DEPTH, name);
	/* hostile text: the worker checked nothing we rely on */
	if (len == 0 || len > PV_MAX_BACKING_NAME)
		return pv_err(PV_EINVAL, "backing file name of %zu bytes", len);
	for (i = 0; i < (int)len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return pv_err(PV_EINVAL,
				      "backing file name contains a control character");
	r = beneath(b, k, name, path, sizeof(path));
	if (r < 0)
		return r;
	memset(&how, 0, sizeof(how));
	/* O_NONBLOCK: a fifo must not hang the open; no symlink at all, and
	 * nothing outside the image directory ("..", absolute links) */
	how.flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS |
		      RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV;
	fd = (int)syscall(SYS_openat2, b->rootfd, path, &how, sizeof(how));
	if (fd < 0) {
		int e = errno;

		return pv_err(e == ENOENT ? PV_ENOENT : PV_EINVAL,
			      "backing file %s: %s", name,
			      e == EXDEV ? "outside the image directory" :
			      e == ELOOP ? "reached through a symlink" :
			      strerror(e));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pv_err(PV_ENOTREG, "backing file %s: not a regular file",
			      name);
	}
	for (i = 0; i < k; i++) {
		if (b->dev[i] == st.st_dev && b->ino[i] == st.st_ino) {
			close(fd);
			return pv_err(PV_ELOOP,
				      "backing file loop: %s is already level %d of the chain",
				      name, i);
		}
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	/* above stdio, where the worker's dup2s cannot reach it */
	nfd = fd > 2 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (nfd != fd)
		close(fd);
	if (nfd < 0)
		return pv_err(PV_EIO, "backing file %s: %s", name, strerror(errno));
	c->fd[k] = nfd;
	c->size[k] = (uint64_t)st.st_size;
	c->n = k;
	b->dev[k] = st.st_dev;
	b->ino[k] = st.st_ino;
	snprintf(b->rel[k], sizeof(b->rel[k]), "%s", path);
	pv_debug("backing file %d: %s (%llu bytes)", k, path,
		 (unsigned long long)st.st_size);
	return 0;
}

void backing_close(struct backing *b, struct vdisk_chain *c)
{
	int k;

	for (k = 1; k <= c->n; k++)
		close(c->fd[k]);
	c->n = 0;
	if (b->rootfd >= 0)
		close(b->rootfd);
	b->rootfd = -1;
}
