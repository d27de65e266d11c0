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
#include "tests/unit/fstest.h"
#include "tests/unit/unit.h"

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

static char tmp[256];
static unsigned char *kernel;

static int make_tree(const char *root, int bigdir)
{
	char p[512];
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
	if (fstest_sh("mkdir -p %s %s/etc", p, root))
		return -1;
	snprintf(p, sizeof(p), "%s/boot/vmlinuz-6.1", root);
	if (fstest_write_file(p, kernel, KERNEL_SIZE))
		return -1;
	snprintf(p, sizeof(p), "%s/boot/grub/grub.cfg", root);
	if (fstest_write_file(p, "set default=0\n", 14))
		return -1;
	snprintf(p, sizeof(p), "%s/etc/os-release", root);
	if (fstest_write_file(p, "ID=test\n", 8))
		return -1;
	if (fstest_sh("cd %s && ln -s vmlinuz-6.1 boot/vmlinuz && "
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
			if (fstest_write_file(p, "x", 1))
				return -1;
		}
	}
	return 0;
}

/* Where the filesystem starts on the disk image (a partition's offset). */
static uint64_t vol_offset;

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
	struct fstest_img m;
	struct fs_node k, n;
	struct fstest_extents c;
	struct names names;
	char *buf = NULL, target[PV_PATH_MAX + 1];
	size_t len = 0;
	int r, stop = 0;

	fprintf(stderr, "-- %s\n", label);
	r = fstest_mount(&m, img, vol_offset, 0, NULL);
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

	r = fstest_extents(&m, &k, kernel, KERNEL_SIZE, &c);
	CHECK(r == 0);
	CHECK(c.next == KERNEL_SIZE);
	CHECK(c.bad == 0);
	CHECK(c.zero_extents >= 1 && c.data_extents >= 2);

	CHECK(fs_resolve(m.fs, "/boot/grub/grub.cfg", &n) == 0);
	r = fstest_extents(&m, &n, (const uint8_t *)"set default=0\n", 14, &c);
	if (inline_data)
		CHECK(r == PV_ENOTSUP);
	else
		CHECK(r == 0);

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
	fstest_unmount(&m);
}

static void expect_mount_error(const char *what, const char *img, int code,
			       uint64_t length)
{
	struct fstest_img m;
	int r = fstest_mount(&m, img, vol_offset, length, NULL);

	CHECK(r == code);
	fprintf(stderr, "  %s: %d %s\n", what, r, pv_errmsg());
	if (r == 0)
		fstest_unmount(&m);
}

static void check_corruption(const char *good, const char *plain,
			     const char *csum_img, const char *inline_img)
{
	char p[512];
	struct fstest_img m;
	struct fs_node n;
	char *buf;
	size_t len;
	unsigned char b4[4];

	fprintf(stderr, "-- corruption\n");
	snprintf(p, sizeof(p), "%s/bad.img", tmp);

	b4[0] = 30, b4[1] = b4[2] = b4[3] = 0;   /* s_log_block_size = 30 */
	CHECK(fstest_patch_copy(good, p, 1024 + 24, b4, 4) == 0);
	expect_mount_error("log block size 30", p, PV_ECORRUPT, 0);

	memset(b4, 0, 4);                         /* s_inodes_per_group = 0 */
	CHECK(fstest_patch_copy(plain, p, 1024 + 40, b4, 4) == 0);
	expect_mount_error("inodes per group 0", p, PV_ECORRUPT, 0);

	CHECK(fstest_patch_copy(good, p, 1024 + 32, b4, 4) == 0);
	expect_mount_error("blocks per group 0", p, PV_ECORRUPT, 0);

	b4[0] = 0xff, b4[1] = 0xff, b4[2] = 0xff, b4[3] = 0x7f;  /* blocks */
	CHECK(fstest_patch_copy(good, p, 1024 + 4, b4, 4) == 0);
	expect_mount_error("blocks count huge", p, PV_ECORRUPT, 0);

	b4[0] = 0x08, b4[1] = b4[2] = b4[3] = 0; /* journal_dev incompat */
	CHECK(fstest_patch_copy(good, p, 1024 + 96, b4, 4) == 0);
	expect_mount_error("journal_dev", p, PV_ENOTSUP, 0);

	b4[0] = 0, b4[1] = 0, b4[2] = 0, b4[3] = 0x80; /* unknown incompat */
	CHECK(fstest_patch_copy(plain, p, 1024 + 96, b4, 4) == 0);
	expect_mount_error("unknown incompat", p, PV_ENOTSUP, 0);

	b4[0] = 0x12, b4[1] = 0x34;               /* magic */
	CHECK(fstest_patch_copy(good, p, 1024 + 56, b4, 2) == 0);
	expect_mount_error("bad magic", p, PV_ENOTMINE, 0);
	CHECK(strstr(pv_errmsg(), "no known filesystem") != NULL);

	/* a volume smaller than the filesystem */
	expect_mount_error("truncated volume", good, PV_ECORRUPT, 4u << 20);

	/* metadata_csum: one byte of the label changed, checksum not */
	CHECK(fstest_patch_copy(csum_img, p, 1024 + 120, "X", 1) == 0);
	expect_mount_error("superblock checksum", p, PV_ECORRUPT, 0);

	/* a root inode that is not a directory */
	CHECK(fstest_sh("cp %s %s && debugfs -w -R 'sif <2> mode 0100644' %s "
		  ">/dev/null 2>&1", plain, p, p) == 0);
	expect_mount_error("root not a directory", p, PV_ECORRUPT, 0);

	/* a symlink inode whose size is huge (security.md B14) */
	CHECK(fstest_sh("cp %s %s && debugfs -w -R 'sif /boot/slow size 0x7fffffff' %s "
		  ">/dev/null 2>&1", csum_img, p, p) == 0);
	CHECK(fstest_mount(&m, p, vol_offset, 0, NULL) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/boot/slow", &n) == PV_ECORRUPT);
		fprintf(stderr, "  huge slow symlink: %s\n", pv_errmsg());
		CHECK(fs_resolve(m.fs, "/boot/vmlinuz", &n) == 0);
		fstest_unmount(&m);
	}
	/* the same for a fast symlink (size > 60 makes it look slow) */
	CHECK(fstest_sh("cp %s %s && debugfs -w -R 'sif /boot/vmlinuz size 0xfffffff0' %s "
		  ">/dev/null 2>&1", good, p, p) == 0);
	CHECK(fstest_mount(&m, p, vol_offset, 0, NULL) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/boot/vmlinuz", &n) == PV_ECORRUPT);
		fprintf(stderr, "  huge fast symlink: %s\n", pv_errmsg());
		fstest_unmount(&m);
	}
	/* an inline-data symlink whose size is huge (security.md B15) */
	CHECK(fstest_sh("cp %s %s && debugfs -w -R 'sif /boot/slow size 0xfffffff0' %s "
		  ">/dev/null 2>&1", inline_img, p, p) == 0);
	CHECK(fstest_mount(&m, p, vol_offset, 0, NULL) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/boot/slow", &n) == PV_ECORRUPT);
		fprintf(stderr, "  huge inline symlink: %s\n", pv_errmsg());
		fstest_unmount(&m);
	}
	/* ... and one whose size is longer than its inline data */
	CHECK(fstest_sh("cp %s %s && debugfs -w -R 'sif /boot/slow size 1000' %s "
		  ">/dev/null 2>&1", inline_img, p, p) == 0);
	CHECK(fstest_mount(&m, p, vol_offset, 0, NULL) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/boot/slow", &n) == PV_ECORRUPT);
		fprintf(stderr, "  long inline symlink: %s\n", pv_errmsg());
		fstest_unmount(&m);
	}
	/* a file whose size says 100 GiB: read_file refuses before reading */
	CHECK(fstest_sh("cp %s %s && debugfs -w -R 'sif /boot/vmlinuz-6.1 size 0x1900000000' %s "
		  ">/dev/null 2>&1", good, p, p) == 0);
	CHECK(fstest_mount(&m, p, vol_offset, 0, NULL) == 0);
	if (m.fs) {
		CHECK(fs_read_file(m.fs, "/boot/vmlinuz", 128u << 20, &buf,
				   &len) == PV_ELIMIT);
		fstest_unmount(&m);
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
	char src[512], srcbig[512], img[512], good[512], plain[512], csum[512];
	char inl[512];
	size_t i;

	if (fstest_mkdtemp(tmp, sizeof(tmp), "ext"))
		return 1;
	snprintf(src, sizeof(src), "%s/src", tmp);
	snprintf(srcbig, sizeof(srcbig), "%s/srcbig", tmp);
	CHECK(make_tree(src, 0) == 0);
	free(kernel);
	CHECK(make_tree(srcbig, 1) == 0);
	for (i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
		snprintf(img, sizeof(img), "%s/%s.img", tmp, imgs[i].name);
		if (fstest_sh("mke2fs -q -F %s -L pvtest -U %s -E root_owner=0:0 "
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
	if (fstest_sh("head -c 1048576 /dev/zero > %s && cat %s >> %s", img, good,
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
	fstest_sh("rm -rf %s", tmp);
	return unit_report("ext");
}
