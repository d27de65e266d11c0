/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fs/ext.c against real images built now with mke2fs -d (ext2, ext3, ext4
 * with and without extents, inline data, metadata_csum+64bit, an htree
 * directory), plus corrupted copies that must give clean errors.
 */
#include "fs/fs.h"
#include "fs/path.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "partition/disk.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KERNEL_SIZE (300 * 1024 + 123)
#define HOLE_START (64 * 1024)
#define HOLE_END (160 * 1024)
#define BIGDIR_FILES 3000
#define SLOW_TARGET "../boot/../boot/../boot/../boot/../boot/../boot/../boot/vmlinuz-6.1"
#define UUID "0123abcd-4567-89ef-0123-456789abcdef"

static char tmp[64];
static unsigned char *kernel;

static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	if (r != 0)
		fprintf(stderr, "command failed (%d): %s\n", r, cmd);
	return r;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	size_t n;

	if (!f)
		return -1;
	n = fwrite(data, 1, len, f);
	return fclose(f) == 0 && n == len ? 0 : -1;
}

static int make_tree(const char *root, int bigdir)
{
	char p[256];
	uint32_t x = 12345;
	size_t i;

	kernel = malloc(KERNEL_SIZE);
	if (!kernel)
		return -1;
	for (i = 0; i < KERNEL_SIZE; i++) {
		x = x * 1103515245u + 12345u;
		kernel[i] = (unsigned char)(x >> 16);
	}
	/* zeros that mke2fs -d turns into a hole */
	memset(kernel + HOLE_START, 0, HOLE_END - HOLE_START);

	snprintf(p, sizeof(p), "%s/boot/grub", root);
	if (run("mkdir -p %s %s/etc", p, root))
		return -1;
	snprintf(p, sizeof(p), "%s/boot/vmlinuz-6.1", root);
	if (write_file(p, kernel, KERNEL_SIZE))
		return -1;
	snprintf(p, sizeof(p), "%s/boot/grub/grub.cfg", root);
	if (write_file(p, "set default=0\n", 14))
		return -1;
	snprintf(p, sizeof(p), "%s/etc/os-release", root);
	if (write_file(p, "ID=test\n", 8))
		return -1;
	if (run("cd %s && ln -s vmlinuz-6.1 boot/vmlinuz && "
		"ln -s /boot/vmlinuz-6.1 boot/abs && ln -s %s boot/slow && "
		"ln -s ../../../../../../etc/os-release boot/up && "
		"ln -s loop2 loop1 && ln -s /loop1 loop2", root, SLOW_TARGET))
		return -1;
	if (bigdir) {
		snprintf(p, sizeof(p), "%s/big", root);
		if (mkdir(p, 0755))
			return -1;
		for (i = 0; i < BIGDIR_FILES; i++) {
			snprintf(p, sizeof(p), "%s/big/file-with-a-longish-name-%zu",
				 root, i);
			if (write_file(p, "x", 1))
				return -1;
		}
	}
	return 0;
}

struct mounted {
	struct disk disk;
	struct volume vol;
	struct fs *fs;
};

/* Where the filesystem starts on the disk image (a partition's offset). */
static uint64_t vol_offset;

static int mount_image(const char *img, struct mounted *m, uint64_t length)
{
	int r;

	memset(m, 0, sizeof(*m));
	r = disk_open(&m->disk, img);
	if (r < 0)
		return r;
	m->vol.disk = &m->disk;
	m->vol.offset = vol_offset;
	m->vol.length = length ? length : m->disk.size - vol_offset;
	m->vol.kind = VOL_WHOLE_DISK;
	r = fs_mount_any(&m->vol, &m->fs);
	if (r < 0)
		disk_close(&m->disk);
	return r;
}

static void unmount_image(struct mounted *m)
{
	fs_unmount(m->fs);
	disk_close(&m->disk);
}

struct ext_check {
	struct mounted *m;
	uint64_t next;
	int bad, zeros, datas;
	unsigned char *buf;
};

/* Extents cover [0, size) in order; the disk at each one holds the bytes. */
static int check_extent(void *ctx, const struct fs_extent *e)
{
	struct ext_check *c = ctx;

	if (e->file_off != c->next || e->len == 0 ||
	    e->file_off + e->len > KERNEL_SIZE) {
		c->bad++;
		return 0;
	}
	c->next += e->len;
	if (e->zero) {
		uint64_t i;

		c->zeros++;
		for (i = 0; i < e->len; i++)
			if (kernel[e->file_off + i])
				c->bad++;
		return 0;
	}
	c->datas++;
	c->buf = realloc(c->buf, e->len);
	if (!c->buf || disk_read(&c->m->disk, e->disk_off, c->buf, e->len) ||
	    memcmp(c->buf, kernel + e->file_off, e->len))
		c->bad++;
	return 0;
}

struct names {
	int count, saw_grub, saw_vmlinuz, saw_dot;
};

static int collect(void *ctx, const char *name, size_t len)
{
	struct names *n = ctx;

	n->count++;
	if (len == 4 && !memcmp(name, "grub", 4))
		n->saw_grub = 1;
	if (len == 7 && !memcmp(name, "vmlinuz", 7))
		n->saw_vmlinuz = 1;
	if (len <= 2 && name[0] == '.')
		n->saw_dot = 1;
	return 0;
}

static int stop_at_3(void *ctx, const char *name, size_t len)
{
	(void)name, (void)len;
	return ++*(int *)ctx == 3 ? 42 : 0;
}

static void check_image(const char *label, const char *img,
			const char *want_type, int inline_data, int bigdir)
{
	struct mounted m;
	struct fs_node k, n;
	struct ext_check c;
	struct names names;
	char *buf = NULL, target[PV_PATH_MAX + 1];
	size_t len = 0;
	int r, stop = 0;

	fprintf(stderr, "-- %s\n", label);
	r = mount_image(img, &m, 0);
	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "  mount: %s\n", pv_errmsg());
		return;
	}
	CHECK_STR(fs_type_name(m.fs), want_type);
	CHECK_STR(m.fs->uuid, UUID);
	CHECK_STR(m.fs->label, "pvtest");

	CHECK(fs_resolve_file(m.fs, "/boot/vmlinuz-6.1", &k) == 0);
	CHECK(k.size == KERNEL_SIZE);
	CHECK(fs_resolve(m.fs, "/boot/vmlinuz", &n) == 0 && n.ino == k.ino);
	CHECK(fs_resolve(m.fs, "/boot/abs", &n) == 0 && n.ino == k.ino);
	CHECK(fs_resolve(m.fs, "/boot/slow", &n) == 0 && n.ino == k.ino);
	CHECK(fs_resolve(m.fs, "boot/grub/../vmlinuz", &n) == 0 && n.ino == k.ino);
	CHECK(fs_resolve(m.fs, "/boot/vmlinuz/", &n) == PV_ENOTREG);
	CHECK(fs_resolve(m.fs, "/loop1", &n) == PV_ELOOP);
	CHECK(fs_resolve(m.fs, "/boot/missing", &n) == PV_ENOENT);

	/* readlink of each kind of symlink */
	CHECK(fs_resolve(m.fs, "/boot", &n) == 0);
	CHECK(m.fs->ops->lookup(m.fs, &n, "slow", 4, &n) == 0);
	CHECK(m.fs->ops->readlink(m.fs, &n, target, sizeof(target)) ==
	      (int)strlen(SLOW_TARGET));
	CHECK_STR(target, SLOW_TARGET);
	CHECK(m.fs->ops->readlink(m.fs, &n, target, 10) == PV_ELIMIT);

	r = fs_read_file(m.fs, "/boot/vmlinuz", 1 << 20, &buf, &len);
	CHECK(r == 0);
	CHECK(len == KERNEL_SIZE && buf && !memcmp(buf, kernel, KERNEL_SIZE));
	free(buf);
	CHECK(fs_read_file(m.fs, "/boot/vmlinuz", KERNEL_SIZE - 1, &buf,
			   &len) == PV_ELIMIT);
	r = fs_read_file(m.fs, "/boot/up", 100, &buf, &len);
	CHECK(r == 0 && buf && strcmp(buf, "ID=test\n") == 0);
	free(buf);
	r = fs_read_file(m.fs, "/boot/grub/grub.cfg", 100, &buf, &len);
	CHECK(r == 0 && len == 14 && buf && strcmp(buf, "set default=0\n") == 0);
	free(buf);

	/* a read in the middle, across the hole */
	{
		unsigned char part[5000];
		long got = m.fs->ops->read(m.fs, &k, HOLE_END - 2000, part,
					   sizeof(part));

		CHECK(got == (long)sizeof(part));
		CHECK(!memcmp(part, kernel + HOLE_END - 2000, sizeof(part)));
		CHECK(m.fs->ops->read(m.fs, &k, KERNEL_SIZE - 3, part, 100) == 3);
		CHECK(m.fs->ops->read(m.fs, &k, KERNEL_SIZE, part, 100) == 0);
	}

	memset(&c, 0, sizeof(c));
	c.m = &m;
	r = m.fs->ops->extents(m.fs, &k, check_extent, &c);
	CHECK(r == 0);
	CHECK(c.next == KERNEL_SIZE);
	CHECK(c.bad == 0);
	CHECK(c.zeros >= 1 && c.datas >= 2);
	free(c.buf);

	CHECK(fs_resolve(m.fs, "/boot/grub/grub.cfg", &n) == 0);
	memset(&c, 0, sizeof(c));
	c.m = &m;
	r = m.fs->ops->extents(m.fs, &n, check_extent, &c);
	if (inline_data)
		CHECK(r == PV_ENOTSUP);
	else
		CHECK(r == 0);
	free(c.buf);

	memset(&names, 0, sizeof(names));
	CHECK(fs_resolve_dir(m.fs, "/boot", &n) == 0);
	CHECK(m.fs->ops->readdir(m.fs, &n, collect, &names) == 0);
	CHECK(names.count == 6 && names.saw_grub && names.saw_vmlinuz &&
	      !names.saw_dot);
	CHECK(m.fs->ops->readdir(m.fs, &n, stop_at_3, &stop) == 42);
	CHECK(fs_resolve(m.fs, "/boot/vmlinuz-6.1", &n) == 0);
	CHECK(m.fs->ops->readdir(m.fs, &n, collect, &names) == PV_ENOTREG);

	if (bigdir) {
		memset(&names, 0, sizeof(names));
		CHECK(fs_resolve_dir(m.fs, "/big", &n) == 0);
		CHECK(n.size > 3 * 4096); /* more than one block: indexed */
		CHECK(m.fs->ops->readdir(m.fs, &n, collect, &names) == 0);
		CHECK(names.count == BIGDIR_FILES);
		CHECK(fs_read_file(m.fs, "/big/file-with-a-longish-name-2999",
				   10, &buf, &len) == 0 && len == 1);
		free(buf);
		CHECK(fs_resolve(m.fs, "/big/file-with-a-longish-name-3000",
				 &n) == PV_ENOENT);
	}
	unmount_image(&m);
}

/* Copy img to dst and overwrite len bytes at off. */
static int patch_copy(const char *img, const char *dst, long off,
		      const void *bytes, size_t len)
{
	int fd;

	if (run("cp %s %s", img, dst))
		return -1;
	fd = open(dst, O_WRONLY);
	if (fd < 0)
		return -1;
	if (pwrite(fd, bytes, len, off) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void expect_mount_error(const char *what, const char *img, int code,
			       uint64_t length)
{
	struct mounted m;
	int r = mount_image(img, &m, length);

	CHECK(r == code);
	fprintf(stderr, "  %s: %d %s\n", what, r, pv_errmsg());
	if (r == 0)
		unmount_image(&m);
}

static void check_corruption(const char *good, const char *plain,
			     const char *csum_img, const char *inline_img)
{
	char p[128];
	struct mounted m;
	struct fs_node n;
	char *buf;
	size_t len;
	unsigned char b4[4];

	fprintf(stderr, "-- corruption\n");
	snprintf(p, sizeof(p), "%s/bad.img", tmp);

	b4[0] = 30, b4[1] = b4[2] = b4[3] = 0;   /* s_log_block_size = 30 */
	CHECK(patch_copy(good, p, 1024 + 24, b4, 4) == 0);
	expect_mount_error("log block size 30", p, PV_ECORRUPT, 0);

	memset(b4, 0, 4);                         /* s_inodes_per_group = 0 */
	CHECK(patch_copy(plain, p, 1024 + 40, b4, 4) == 0);
	expect_mount_error("inodes per group 0", p, PV_ECORRUPT, 0);

	CHECK(patch_copy(good, p, 1024 + 32, b4, 4) == 0);
	expect_mount_error("blocks per group 0", p, PV_ECORRUPT, 0);

	b4[0] = 0xff, b4[1] = 0xff, b4[2] = 0xff, b4[3] = 0x7f;  /* blocks */
	CHECK(patch_copy(good, p, 1024 + 4, b4, 4) == 0);
	expect_mount_error("blocks count huge", p, PV_ECORRUPT, 0);

	b4[0] = 0x08, b4[1] = b4[2] = b4[3] = 0; /* journal_dev incompat */
	CHECK(patch_copy(good, p, 1024 + 96, b4, 4) == 0);
	expect_mount_error("journal_dev", p, PV_ENOTSUP, 0);

	b4[0] = 0, b4[1] = 0, b4[2] = 0, b4[3] = 0x80; /* unknown incompat */
	CHECK(patch_copy(plain, p, 1024 + 96, b4, 4) == 0);
	expect_mount_error("unknown incompat", p, PV_ENOTSUP, 0);

	b4[0] = 0x12, b4[1] = 0x34;               /* magic */
	CHECK(patch_copy(good, p, 1024 + 56, b4, 2) == 0);
	expect_mount_error("bad magic", p, PV_ENOTMINE, 0);
	CHECK(strstr(pv_errmsg(), "no known filesystem") != NULL);

	/* a volume smaller than the filesystem */
	expect_mount_error("truncated volume", good, PV_ECORRUPT, 4u << 20);

	/* metadata_csum: one byte of the label changed, checksum not */
	CHECK(patch_copy(csum_img, p, 1024 + 120, "X", 1) == 0);
	expect_mount_error("superblock checksum", p, PV_ECORRUPT, 0);

	/* a root inode that is not a directory */
	CHECK(run("cp %s %s && debugfs -w -R 'sif <2> mode 0100644' %s "
		  ">/dev/null 2>&1", plain, p, p) == 0);
	expect_mount_error("root not a directory", p, PV_ECORRUPT, 0);

	/* a symlink inode whose size is huge (security.md B14) */
	CHECK(run("cp %s %s && debugfs -w -R 'sif /boot/slow size 0x7fffffff' %s "
		  ">/dev/null 2>&1", csum_img, p, p) == 0);
	CHECK(mount_image(p, &m, 0) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/boot/slow", &n) == PV_ECORRUPT);
		fprintf(stderr, "  huge slow symlink: %s\n", pv_errmsg());
		CHECK(fs_resolve(m.fs, "/boot/vmlinuz", &n) == 0);
		unmount_image(&m);
	}
	/* the same for a fast symlink (size > 60 makes it look slow) */
	CHECK(run("cp %s %s && debugfs -w -R 'sif /boot/vmlinuz size 0xfffffff0' %s "
		  ">/dev/null 2>&1", good, p, p) == 0);
	CHECK(mount_image(p, &m, 0) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/boot/vmlinuz", &n) == PV_ECORRUPT);
		fprintf(stderr, "  huge fast symlink: %s\n", pv_errmsg());
		unmount_image(&m);
	}
	/* an inline-data symlink whose size is huge (security.md B15) */
	CHECK(run("cp %s %s && debugfs -w -R 'sif /boot/slow size 0xfffffff0' %s "
		  ">/dev/null 2>&1", inline_img, p, p) == 0);
	CHECK(mount_image(p, &m, 0) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/boot/slow", &n) == PV_ECORRUPT);
		fprintf(stderr, "  huge inline symlink: %s\n", pv_errmsg());
		unmount_image(&m);
	}
	/* ... and one whose size is longer than its inline data */
	CHECK(run("cp %s %s && debugfs -w -R 'sif /boot/slow size 1000' %s "
		  ">/dev/null 2>&1", inline_img, p, p) == 0);
	CHECK(mount_image(p, &m, 0) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/boot/slow", &n) == PV_ECORRUPT);
		fprintf(stderr, "  long inline symlink: %s\n", pv_errmsg());
		unmount_image(&m);
	}
	/* a file whose size says 100 GiB: read_file refuses before reading */
	CHECK(run("cp %s %s && debugfs -w -R 'sif /boot/vmlinuz-6.1 size 0x1900000000' %s "
		  ">/dev/null 2>&1", good, p, p) == 0);
	CHECK(mount_image(p, &m, 0) == 0);
	if (m.fs) {
		CHECK(fs_read_file(m.fs, "/boot/vmlinuz", 128u << 20, &buf,
				   &len) == PV_ELIMIT);
		unmount_image(&m);
	}
}

int main(void)
{
	static const struct {
		const char *name, *opts, *type;
		int inline_data, bigdir;
	} imgs[] = {
		{ "ext4", "-t ext4", "ext4", 0, 0 },
		{ "ext2", "-t ext2", "ext2", 0, 0 },
		{ "ext3", "-t ext3", "ext3", 0, 0 },
		{ "ext4-noextent", "-t ext4 -O ^extent,^64bit", "ext4", 0, 0 },
		{ "ext4-inline", "-t ext4 -O inline_data", "ext4", 1, 0 },
		{ "ext4-csum64", "-t ext4 -b 4096 -O metadata_csum,64bit", "ext4", 0, 0 },
		{ "ext4-htree", "-t ext4 -N 4096", "ext4", 0, 1 },
	};
	char src[96], srcbig[96], img[128], good[128], plain[128], csum[128];
	char inl[128];
	size_t i;

	snprintf(tmp, sizeof(tmp), "/tmp/pvtest-ext.XXXXXX");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(src, sizeof(src), "%s/src", tmp);
	snprintf(srcbig, sizeof(srcbig), "%s/srcbig", tmp);
	CHECK(make_tree(src, 0) == 0);
	free(kernel);
	CHECK(make_tree(srcbig, 1) == 0);
	for (i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
		snprintf(img, sizeof(img), "%s/%s.img", tmp, imgs[i].name);
		if (run("mke2fs -q -F %s -L pvtest -U %s -E root_owner=0:0 "
			"-d %s %s %s >/dev/null 2>&1", imgs[i].opts, UUID,
			imgs[i].bigdir ? srcbig : src, img,
			imgs[i].bigdir ? "16M" : "8M")) {
			CHECK(0);
			continue;
		}
		check_image(imgs[i].name, img, imgs[i].type,
			    imgs[i].inline_data, imgs[i].bigdir);
	}
	snprintf(good, sizeof(good), "%s/ext4.img", tmp);

	/* the same filesystem 1 MiB into the disk: extents are disk offsets */
	snprintf(img, sizeof(img), "%s/part.img", tmp);
	if (run("head -c 1048576 /dev/zero > %s && cat %s >> %s", img, good,
		img) == 0) {
		vol_offset = 1u << 20;
		check_image("ext4 at 1 MiB", img, "ext4", 0, 0);
		vol_offset = 0;
	} else {
		CHECK(0);
	}
	snprintf(csum, sizeof(csum), "%s/ext4-csum64.img", tmp);
	snprintf(plain, sizeof(plain), "%s/ext2.img", tmp);
	snprintf(inl, sizeof(inl), "%s/ext4-inline.img", tmp);
	check_corruption(good, plain, csum, inl);

	free(kernel);
	run("rm -rf %s", tmp);
	return unit_report("ext");
}
