/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fs/path.c over a small in-memory filesystem defined here. */
#include "fs/path.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_node {
	uint64_t ino, parent;
	const char *name;
	uint32_t mode;
	const char *data; /* file contents or symlink target */
	uint64_t size;    /* 0: strlen(data) */
};

static char long_target[PV_PATH_MAX];
static char dots_target[PV_PATH_MAX];

static struct fake_node nodes[] = {
	{ 1, 0, "", S_IFDIR | 0755, NULL, 0 },
	{ 2, 1, "boot", S_IFDIR | 0755, NULL, 0 },
	{ 3, 2, "vmlinuz-1", S_IFREG | 0644, "KERNEL", 0 },
	{ 4, 2, "vmlinuz", S_IFLNK | 0777, "vmlinuz-1", 0 },
	{ 5, 2, "abs", S_IFLNK | 0777, "/boot/vmlinuz-1", 0 },
	{ 6, 2, "up", S_IFLNK | 0777, "../../../../etc/passwd", 0 },
	{ 7, 1, "etc", S_IFDIR | 0755, NULL, 0 },
	{ 8, 7, "passwd", S_IFREG | 0644, "guest-root", 0 },
	{ 9, 1, "loop1", S_IFLNK | 0777, "/loop2", 0 },
	{ 10, 1, "loop2", S_IFLNK | 0777, "loop1", 0 },
	{ 11, 1, "c1", S_IFLNK | 0777, "c2", 0 },
	{ 12, 1, "c2", S_IFLNK | 0777, "c3", 0 },
	{ 13, 1, "c3", S_IFLNK | 0777, "c4", 0 },
	{ 14, 1, "c4", S_IFLNK | 0777, "c5", 0 },
	{ 15, 1, "c5", S_IFLNK | 0777, "c6", 0 },
	{ 16, 1, "c6", S_IFLNK | 0777, "c7", 0 },
	{ 17, 1, "c7", S_IFLNK | 0777, "c8", 0 },
	{ 18, 1, "c8", S_IFLNK | 0777, "c9", 0 },
	{ 19, 1, "c9", S_IFLNK | 0777, "/etc/passwd", 0 },
	{ 20, 1, "dirlink", S_IFLNK | 0777, "boot/", 0 },
	{ 21, 1, "empty", S_IFLNK | 0777, "", 0 },
	{ 22, 2, "grub", S_IFDIR | 0755, NULL, 0 },
	{ 23, 22, "grub.cfg", S_IFREG | 0644, "menuentry", 0 },
	{ 24, 1, "liar", S_IFREG | 0644, "abc", 100 },
	{ 25, 1, "big", S_IFLNK | 0777, long_target, 0 },
	{ 26, 1, "dots", S_IFLNK | 0777, dots_target, 0 },
	{ 27, 2, "tofile", S_IFLNK | 0777, "vmlinuz-1/", 0 },
	{ 28, 1, "abs2boot", S_IFLNK | 0777, "/boot", 0 },
};
#define NNODES (sizeof(nodes) / sizeof(nodes[0]))

static int lookups;

static struct fake_node *find(uint64_t ino)
{
	size_t i;

	for (i = 0; i < NNODES; i++)
		if (nodes[i].ino == ino)
			return &nodes[i];
	return NULL;
}

static void fill(const struct fake_node *f, struct fs_node *out)
{
	out->ino = f->ino;
	out->aux = 0;
	out->mode = f->mode;
	out->size = f->size ? f->size : f->data ? strlen(f->data) : 0;
}

static int fake_root(struct fs *fs, struct fs_node *out)
{
	(void)fs;
	fill(&nodes[0], out);
	return 0;
}

static int fake_lookup(struct fs *fs, const struct fs_node *dir,
		       const char *name, size_t len, struct fs_node *out)
{
	size_t i;

	(void)fs;
	lookups++;
	if (!S_ISDIR(dir->mode) || memchr(name, '/', len) ||
	    (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return pv_err(PV_EINVAL, "fake: bad lookup");
	for (i = 0; i < NNODES; i++) {
		if (nodes[i].parent == dir->ino &&
		    strlen(nodes[i].name) == len &&
		    memcmp(nodes[i].name, name, len) == 0) {
			fill(&nodes[i], out);
			return 0;
		}
	}
	return PV_ENOENT;
}

static long fake_read(struct fs *fs, const struct fs_node *n, uint64_t off,
		      void *buf, size_t len)
{
	struct fake_node *f = find(n->ino);
	size_t have;

	(void)fs;
	if (!f || !f->data)
		return pv_err(PV_EIO, "fake: no data");
	have = strlen(f->data);
	if (off >= have)
		return 0;
	if (len > have - off)
		len = have - off;
	memcpy(buf, f->data + off, len);
	return (long)len;
}

static int fake_readlink(struct fs *fs, const struct fs_node *n, char *buf,
			 size_t bufsz)
{
	struct fake_node *f = find(n->ino);
	size_t len;

	(void)fs;
	if (!f || !S_ISLNK(f->mode))
		return pv_err(PV_EINVAL, "fake: not a link");
	len = strlen(f->data);
	if (len >= bufsz)
		return pv_err(PV_ELIMIT, "fake: link too long");
	memcpy(buf, f->data, len + 1);
	return (int)len;
}

static const struct fs_ops fake_ops = {
	.name = "fake",
	.root = fake_root,
	.lookup = fake_lookup,
	.read = fake_read,
	.readlink = fake_readlink,
};

static struct fs fake_fs = { .ops = &fake_ops };

static int resolve(const char *path, uint64_t *ino)
{
	struct fs_node n;
	int r;

	*ino = 0;
	r = fs_resolve(&fake_fs, path, &n);
	if (r == 0)
		*ino = n.ino;
	return r;
}

#define EXPECT_INO(path, want)                                         \
	do {                                                           \
		uint64_t got_;                                         \
		int r_ = resolve(path, &got_);                         \
		CHECK(r_ == 0);                                        \
		CHECK(got_ == (want));                                 \
		if (r_ || got_ != (want))                              \
			fprintf(stderr, "  path %s: r=%d ino=%llu (%s)\n", \
				path, r_, (unsigned long long)got_,    \
				pv_errmsg());                          \
	} while (0)

#define EXPECT_ERR(path, code)                                         \
	do {                                                           \
		uint64_t got_;                                         \
		int r_ = resolve(path, &got_);                         \
		CHECK(r_ == (code));                                   \
		if (r_ != (code))                                      \
			fprintf(stderr, "  path %s: r=%d (%s)\n", path, \
				r_, pv_errmsg());                      \
	} while (0)

static void test_basic(void)
{
	EXPECT_INO("/", 1);
	EXPECT_INO("//", 1);
	EXPECT_INO("/boot", 2);
	EXPECT_INO("/boot/", 2);
	EXPECT_INO("boot/vmlinuz-1", 3);
	EXPECT_INO("//boot///vmlinuz-1", 3);
	EXPECT_INO("/boot/./grub/../vmlinuz-1", 3);
	EXPECT_INO("/boot/grub/grub.cfg", 23);
	EXPECT_INO("/..", 1);
	EXPECT_INO("/../../../boot/../../boot/vmlinuz-1", 3);
	EXPECT_INO("/boot/grub/..", 2);
	EXPECT_INO("/boot/grub/../..", 1);
	EXPECT_ERR("", PV_ENOENT);
	EXPECT_ERR("/nothing", PV_ENOENT);
	EXPECT_ERR("/boot/nothing/grub.cfg", PV_ENOENT);
	CHECK(strstr(pv_errmsg(), "nothing") != NULL);
}

static void test_not_dir(void)
{
	EXPECT_ERR("/boot/vmlinuz-1/", PV_ENOTREG);
	EXPECT_ERR("/boot/vmlinuz-1/.", PV_ENOTREG);
	EXPECT_ERR("/boot/vmlinuz-1/..", PV_ENOTREG);
	EXPECT_ERR("/boot/vmlinuz-1/x", PV_ENOTREG);
	EXPECT_ERR("/boot/vmlinuz/", PV_ENOTREG);  /* through a link */
	EXPECT_ERR("/boot/tofile", PV_ENOTREG);    /* target ends in '/' */
}

static void test_symlinks(void)
{
	EXPECT_INO("/boot/vmlinuz", 3);
	EXPECT_INO("/boot/abs", 3);
	EXPECT_INO("/boot/up", 8);       /* ../../../.. clamps at the root */
	EXPECT_INO("/dirlink/vmlinuz", 3);
	EXPECT_INO("/dirlink/", 2);
	EXPECT_INO("/dirlink/grub/../abs", 3);
	EXPECT_INO("/abs2boot/..", 1);    /* ".." of the target, not the link */
	EXPECT_INO("/boot/grub/../../abs2boot/grub/grub.cfg", 23);
	EXPECT_INO("/c2", 8);            /* 8 hops: the limit */
	EXPECT_ERR("/c1", PV_ELOOP);     /* 9 hops */
	EXPECT_ERR("/loop1", PV_ELOOP);
	EXPECT_ERR("/loop2/x", PV_ELOOP);
	EXPECT_ERR("/empty", PV_ENOENT);
	EXPECT_ERR("/big/x", PV_ELIMIT);  /* target + rest > PV_PATH_MAX */
	EXPECT_ERR("/dots", PV_ELIMIT);   /* too many components */
}

static void test_limits(void)
{
	char name[PV_NAME_MAX + 3], path[PV_PATH_MAX + 8];
	size_t i;

	memset(name, 'a', sizeof(name));
	name[0] = '/';
	name[PV_NAME_MAX + 1] = '\0';  /* "/" + 255 bytes: allowed */
	EXPECT_ERR(name, PV_ENOENT);
	name[PV_NAME_MAX + 1] = 'a';
	name[PV_NAME_MAX + 2] = '\0';  /* 256 bytes */
	EXPECT_ERR(name, PV_ELIMIT);

	/* exactly PV_PATH_MAX bytes is allowed, one more is not */
	for (i = 0; i < PV_PATH_MAX; i += 2)
		memcpy(path + i, "/.", 2);
	path[PV_PATH_MAX] = '\0';
	memcpy(path + PV_PATH_MAX - 2, "//", 2);
	EXPECT_ERR(path, PV_ELIMIT); /* 2047 "." components > 256 */
	for (i = 0; i < PV_PATH_MAX; i++)
		path[i] = '/';
	path[PV_PATH_MAX] = '\0';
	EXPECT_INO(path, 1);
	path[PV_PATH_MAX] = '/';
	path[PV_PATH_MAX + 1] = '\0';
	EXPECT_ERR(path, PV_ELIMIT);

	/* PV_MAX_COMPONENTS components pass, one more fails */
	path[0] = '\0';
	for (i = 0; i < PV_MAX_COMPONENTS - 1; i++)
		strcat(path, "/.");
	strcat(path, "/boot");
	EXPECT_INO(path, 2);
	strcat(path, "/.");
	EXPECT_ERR(path, PV_ELIMIT);
}

static void test_kinds_and_read(void)
{
	struct fs_node n;
	char *buf;
	size_t len;

	CHECK(fs_resolve_file(&fake_fs, "/boot/vmlinuz", &n) == 0);
	CHECK(fs_resolve_file(&fake_fs, "/boot", &n) == PV_ENOTREG);
	CHECK(fs_resolve_dir(&fake_fs, "/dirlink", &n) == 0 && n.ino == 2);
	CHECK(fs_resolve_dir(&fake_fs, "/boot/abs", &n) == PV_ENOTREG);

	CHECK(fs_read_file(&fake_fs, "/boot/up", 100, &buf, &len) == 0);
	CHECK(len == 10 && buf && strcmp(buf, "guest-root") == 0);
	free(buf);
	CHECK(fs_read_file(&fake_fs, "/boot/up", 10, &buf, &len) == 0);
	free(buf);
	CHECK(fs_read_file(&fake_fs, "/boot/up", 9, &buf, &len) == PV_ELIMIT);
	CHECK(buf == NULL);
	CHECK(fs_read_file(&fake_fs, "/boot", 100, &buf, &len) == PV_ENOTREG);
	/* size says 100, data ends after 3: a short read is an error */
	CHECK(fs_read_file(&fake_fs, "/liar", 1000, &buf, &len) == PV_EIO);
	CHECK(buf == NULL);
}

int main(void)
{
	size_t i;

	memset(long_target, 'x', PV_PATH_MAX - 1);
	long_target[0] = '/';
	for (i = 0; i + 2 < PV_PATH_MAX; i += 2)
		memcpy(dots_target + i, "./", 2);
	test_basic();
	test_not_dir();
	test_symlinks();
	test_limits();
	test_kinds_and_read();
	CHECK(lookups > 0);
	return unit_report("path");
}
