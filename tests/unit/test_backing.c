/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor's side of --allow-backing (bootloader/privileged/
 * backing.h): the name the worker sends is hostile text, and only regular
 * files beneath the image directory, reached without symlinks, not yet in
 * the chain, at most PV_MAX_BACKING_DEPTH deep, are opened.  The worker
 * refuses most of these itself; these checks hold even when it lies.
 */
#include "bootloader/privileged/backing.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static const char *at(const char *rel)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, rel);
	return p[k];
}

static void file(const char *rel, size_t size)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0 && ftruncate(fd, (off_t)size) == 0);
	close(fd);
}

/* a fresh chain for the image dir/img */
static int start(struct backing *b, struct vdisk_chain *c, int allow,
		 int *img)
{
	*img = open(at("img"), O_RDONLY | O_CLOEXEC);
	CHECK(*img >= 0);
	return backing_init(b, c, allow, at("img"), *img);
}

static void finish(struct backing *b, struct vdisk_chain *c, int img)
{
	backing_close(b, c);
	close(img);
}

static int fails_with(struct backing *b, struct vdisk_chain *c,
		      const char *name, int code, const char *msg)
{
	int n = c->n, r = backing_open_next(b, c, name);

	if (r != code || !strstr(pv_errmsg(), msg) || c->n != n) {
		fprintf(stderr, "%s: %d %s\n", name, r, pv_errmsg());
		return 0;
	}
	return 1;
}

int main(void)
{
	struct backing b;
	struct vdisk_chain c;
	char name[PV_MAX_BACKING_NAME + 2], abs[600];
	int img, i;

	snprintf(dir, sizeof(dir), "/tmp/pvboot-backing.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	file("img", 4096);
	file("base", 12345);
	CHECK(mkdir(at("sub"), 0700) == 0);
	file("sub/mid", 512);
	CHECK(mkdir(at("adir"), 0700) == 0);
	CHECK(symlink("base", at("link")) == 0);
	CHECK(symlink("/etc", at("etc")) == 0);
	CHECK(mkfifo(at("fifo"), 0600) == 0);
	for (i = 0; i <= PV_MAX_BACKING_DEPTH; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		file(name, 512);
	}

	/* without --allow-backing nothing is opened */
	CHECK(start(&b, &c, 0, &img) == 0 && !c.allow && b.rootfd < 0);
	CHECK(fails_with(&b, &c, "base", PV_EINVAL, "not allowed"));
	finish(&b, &c, img);

	CHECK(start(&b, &c, 1, &img) == 0 && c.allow && c.n == 0);
	/* hostile text */
	CHECK(fails_with(&b, &c, "", PV_EINVAL, "of 0 bytes"));
	CHECK(fails_with(&b, &c, "ba\033[2Jse", PV_EINVAL, "control character"));
	CHECK(fails_with(&b, &c, "base\n", PV_EINVAL, "control character"));
	CHECK(fails_with(&b, &c, "ba\177se", PV_EINVAL, "control character"));
	memset(name, 'a', PV_MAX_BACKING_NAME + 1);
	name[PV_MAX_BACKING_NAME + 1] = '\0';
	CHECK(fails_with(&b, &c, name, PV_EINVAL, "bytes"));
	/* outside the image directory, by name or by link */
	CHECK(fails_with(&b, &c, "/etc/passwd", PV_EINVAL, "absolute name outside"));
	CHECK(fails_with(&b, &c, "../../etc/passwd", PV_EINVAL, "outside the image directory"));
	CHECK(fails_with(&b, &c, "sub/../../x", PV_EINVAL, "outside the image directory"));
	CHECK(fails_with(&b, &c, "link", PV_EINVAL, "symlink"));
	CHECK(fails_with(&b, &c, "etc/passwd", PV_EINVAL, "symlink"));
	/* not regular files; missing */
	CHECK(fails_with(&b, &c, "adir", PV_ENOTREG, "not a regular file"));
	CHECK(fails_with(&b, &c, "fifo", PV_ENOTREG, "not a regular file"));
	CHECK(fails_with(&b, &c, "nothere", PV_ENOENT, "No such file"));
	/* a loop back to the image itself */
	CHECK(fails_with(&b, &c, "img", PV_ELOOP, "already level 0"));
	/* a good one: relative to the image, fd above stdio, size kept */
	CHECK(backing_open_next(&b, &c, "sub/mid") == 0);
	CHECK(c.n == 1 && c.fd[1] > 2 && c.size[1] == 512);
	/* the next is relative to sub/, and may climb back beneath */
	CHECK(fails_with(&b, &c, "mid", PV_ELOOP, "already level 1"));
	CHECK(backing_open_next(&b, &c, "../base") == 0);
	CHECK(c.n == 2 && c.size[2] == 12345);
	CHECK(fails_with(&b, &c, "sub/mid", PV_ELOOP, "already level 1"));
	/* an absolute name inside the image directory */
	CHECK(realpath(dir, abs) != NULL);
	strcat(abs, "/d0");
	CHECK(backing_open_next(&b, &c, abs) == 0 && c.n == 3);
	/* the depth limit */
	for (i = 1; c.n < PV_MAX_BACKING_DEPTH; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		CHECK(backing_open_next(&b, &c, name) == 0);
	}
	snprintf(name, sizeof(name), "d%d", i);
	CHECK(fails_with(&b, &c, name, PV_ELIMIT, "more than 8 backing files"));
	finish(&b, &c, img);

	/* an image directly in / : every host file would qualify */
	img = open(at("img"), O_RDONLY | O_CLOEXEC);
	CHECK(backing_init(&b, &c, 1, "/img-in-root", img) == PV_EINVAL);
	CHECK(strstr(pv_errmsg(), "in /") != NULL);
	finish(&b, &c, img);

	snprintf(abs, sizeof(abs), "rm -rf '%s'", dir);
	if (system(abs) != 0)
		fprintf(stderr, "cleanup of %s failed\n", dir);
	return unit_report("test_backing");
}
