/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The XFS backend against images made at test time by mkfs.xfs -p (no root
 * needed): v5 and v4 layouts, short-form, block, leaf/node and B-tree
 * directories, inline and remote symlinks; bytes and extents compared with
 * the source files; corrupted superblocks and metadata (patched copies,
 * xfs_db -x) give clean errors.  A fragmented file needs a real mount: that
 * part runs as root with a loop device and is skipped with a reason
 * otherwise.
 */
#include "fs/fs.h"
#include "fs/path.h"
#include "common/err.h"
#include "partition/disk.h"
#include "tests/unit/fstest.h"
#include "tests/unit/unit.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct fs_ops xfs_fs_ops;

#define KERNEL_SIZE 1500000u
#define INITRD_SIZE 300001u
#define BIG_FILES 1300
#define HUGE_FILES 5000
#define GRUB_FILES 40
#define UUID_V5 "0123abcd-4567-89ef-0011-223344556677"

static char tmp[256];
static uint8_t *kernel, *initrd;
static char longtarget[800];

/* mkfs.xfs refuses filesystems under 300 MB unless it is run by fstests */
#define MKFS "TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f"

static void make_sources(void)
{
	char p[512];
	FILE *f;
	int i;

	kernel = malloc(KERNEL_SIZE);
	initrd = malloc(INITRD_SIZE);
	fstest_fill(kernel, KERNEL_SIZE, 1);
	fstest_fill(initrd, INITRD_SIZE, 2);
	snprintf(p, sizeof(p), "%s/kernel", tmp);
	fstest_write_file(p, kernel, KERNEL_SIZE);
	snprintf(p, sizeof(p), "%s/initrd", tmp);
	fstest_write_file(p, initrd, INITRD_SIZE);
	snprintf(p, sizeof(p), "%s/small", tmp);
	fstest_write_file(p, "small\n", 6);
	snprintf(p, sizeof(p), "%s/grubcfg", tmp);
	fstest_write_file(p, "set default=0\n", 14);

	/* a target longer than any inline data fork: stored in a block */
	longtarget[0] = '\0';
	for (i = 0; i < 150; i++)
		strcat(longtarget, "../");
	strcat(longtarget, "boot/vmlinuz-6.1");

	snprintf(p, sizeof(p), "%s/proto", tmp);
	f = fopen(p, "w");
	fprintf(f, "/dev/null\n0 0\nd--755 0 0\n");
	fprintf(f, "boot d--755 0 0\n");
	fprintf(f, "vmlinuz-6.1 ---644 0 0 %s/kernel\n", tmp);
	fprintf(f, "initrd.img-6.1 ---644 0 0 %s/initrd\n", tmp);
	fprintf(f, "vmlinuz l--777 0 0 vmlinuz-6.1\n");
	fprintf(f, "longlink l--777 0 0 %s\n", longtarget);
	fprintf(f, "grub d--755 0 0\n");
	fprintf(f, "grub.cfg ---644 0 0 %s/grubcfg\n", tmp);
	for (i = 0; i < GRUB_FILES; i++)
		fprintf(f, "mod%02d.mod ---644 0 0 %s/small\n", i, tmp);
	fprintf(f, "$\n");
	fprintf(f, "big d--755 0 0\n");
	for (i = 0; i < BIG_FILES; i++)
		fprintf(f, "file-%05d ---644 0 0 %s/small\n", i, tmp);
	fprintf(f, "$\n");
	fprintf(f, "huge d--755 0 0\n");
	for (i = 0; i < HUGE_FILES; i++)
		fprintf(f, "entry-with-a-longer-name-%05d ---644 0 0 %s/small\n",
			i, tmp);
	fprintf(f, "$\n");
	fprintf(f, "$\n"); /* boot */
	fprintf(f, "empty ---644 0 0 /dev/null\n");
	fprintf(f, "$\n");
	fclose(f);
}

static void check_listing(struct fs *fs, const char *dir, const char *first,
			  const char *last, int want)
{
	struct fstest_listing c;
	struct fs_node n;

	CHECK(fstest_walk(fs, dir, &n) == 0 && S_ISDIR(n.mode));
	CHECK(fstest_list(fs, &n, first, last, &c) == 0);
	CHECK(c.n == want);
	CHECK(c.dots == 0);
	CHECK(c.seen_first && c.seen_last);
}

static void check_image(const char *img, uint64_t offset, int v5)
{
	struct fstest_img m;
	struct fs_node n;
	struct fstest_extents c;
	char buf[1100], p[128];
	int r;

	r = fstest_mount(&m, img, offset, 0, &xfs_fs_ops);
	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "mount %s: %s\n", img, pv_errmsg());
		return;
	}
	if (v5)
		CHECK_STR(m.fs->uuid, UUID_V5);
	else
		CHECK(strlen(m.fs->uuid) == 36);
	CHECK_STR(m.fs->label, "bootfs");

	CHECK(fstest_file_equals(m.fs, "/boot/vmlinuz-6.1", kernel, KERNEL_SIZE));
	CHECK(fstest_file_equals(m.fs, "/boot/initrd.img-6.1", initrd, INITRD_SIZE));
	CHECK(fstest_file_equals(m.fs, "/boot/grub/grub.cfg",
			  (const uint8_t *)"set default=0\n", 14));
	CHECK(fstest_file_equals(m.fs, "/boot/grub/mod39.mod",
			  (const uint8_t *)"small\n", 6));
	CHECK(fstest_file_equals(m.fs, "/empty", (const uint8_t *)"", 0));
	CHECK(fstest_extents_match(&m, "/boot/vmlinuz-6.1", kernel, KERNEL_SIZE,
				   &c) == 0);
	CHECK(c.data_extents >= 1);
	CHECK(fstest_extents_match(&m, "/boot/initrd.img-6.1", initrd,
				   INITRD_SIZE, &c) == 0);

	/* reads: past EOF, straddling EOF */
	CHECK(fstest_walk(m.fs, "/boot/vmlinuz-6.1", &n) == 0);
	CHECK(xfs_fs_ops.read(m.fs, &n, KERNEL_SIZE, buf, 10) == 0);
	CHECK(xfs_fs_ops.read(m.fs, &n, KERNEL_SIZE - 3, buf, 10) == 3);
	CHECK(memcmp(buf, kernel + KERNEL_SIZE - 3, 3) == 0);

	/* symlinks: inline and in a block */
	CHECK(fstest_walk(m.fs, "/boot/vmlinuz", &n) == 0 && S_ISLNK(n.mode));
	CHECK(xfs_fs_ops.readlink(m.fs, &n, buf, sizeof(buf)) == 11);
	CHECK_STR(buf, "vmlinuz-6.1");
	CHECK(xfs_fs_ops.readlink(m.fs, &n, buf, 11) == PV_ELIMIT);
	CHECK(fstest_walk(m.fs, "/boot/longlink", &n) == 0 && S_ISLNK(n.mode));
	CHECK(xfs_fs_ops.readlink(m.fs, &n, buf, sizeof(buf)) ==
	      (int)strlen(longtarget));
	CHECK_STR(buf, longtarget);
	CHECK(xfs_fs_ops.read(m.fs, &n, 0, buf, 10) == PV_ENOTREG);

	/* short-form (/boot, /), block (/boot/grub), leaf/node (big),
	 * B-tree (huge) directories */
	CHECK(fstest_walk(m.fs, "/boot/nothing", &n) == PV_ENOENT);
	CHECK(fstest_walk(m.fs, "/boot/grub/mod40.mod", &n) == PV_ENOENT);
	CHECK(fstest_walk(m.fs, "/boot/big/file-00000", &n) == 0 && n.size == 6);
	CHECK(fstest_walk(m.fs, "/boot/big/file-00777", &n) == 0 && n.size == 6);
	CHECK(fstest_walk(m.fs, "/boot/big/file-01299", &n) == 0);
	CHECK(fstest_walk(m.fs, "/boot/big/file-01300", &n) == PV_ENOENT);
	CHECK(fstest_walk(m.fs, "/boot/huge/entry-with-a-longer-name-00000", &n) == 0);
	CHECK(fstest_walk(m.fs, "/boot/huge/entry-with-a-longer-name-02500", &n) == 0);
	CHECK(fstest_file_equals(m.fs, "/boot/huge/entry-with-a-longer-name-04999",
			  (const uint8_t *)"small\n", 6));
	CHECK(fstest_walk(m.fs, "/boot/huge/entry-with-a-longer-name-05000", &n) ==
	      PV_ENOENT);
	CHECK(fstest_walk(m.fs, "/boot/vmlinuz-6.1/x", &n) == PV_ENOTREG);
	check_listing(m.fs, "/", "boot", "empty", 2);
	check_listing(m.fs, "/boot", "vmlinuz-6.1", "huge", 7);
	check_listing(m.fs, "/boot/grub", "grub.cfg", "mod39.mod",
		      GRUB_FILES + 1);
	check_listing(m.fs, "/boot/big", "file-00000", "file-01299", BIG_FILES);
	snprintf(p, sizeof(p), "entry-with-a-longer-name-%05d", HUGE_FILES - 1);
	check_listing(m.fs, "/boot/huge", "entry-with-a-longer-name-00000", p,
		      HUGE_FILES);
	fstest_unmount(&m);
}

/* Through the registry and the shared path resolver, as the run uses it. */
static void check_registry(const char *img)
{
	struct fstest_img m;
	struct fs *fs;
	struct fs_node n;
	char *cfg = NULL;
	size_t len = 0;

	CHECK(fstest_open(&m, img, 0, 0) == 0);
	CHECK(fstest_mount_vol(&m, NULL) == 0);
	fs = m.fs;
	if (!fs) {
		fstest_unmount(&m);
		return;
	}
	CHECK_STR(fs_type_name(fs), "xfs");
	CHECK(fs_resolve_file(fs, "/boot/vmlinuz", &n) == 0);
	CHECK(n.size == KERNEL_SIZE);
	CHECK(fs_resolve_file(fs, "/boot/longlink", &n) == 0);
	CHECK(n.size == KERNEL_SIZE);
	CHECK(fs_resolve_dir(fs, "/boot/huge/../grub", &n) == 0);
	CHECK(fs_read_file(fs, "/boot/grub/grub.cfg", 1024, &cfg, &len) == 0);
	CHECK(cfg && len == 14 && !strcmp(cfg, "set default=0\n"));
	free(cfg);
	CHECK(fs_resolve(fs, "/boot/big/file-01300", &n) == PV_ENOENT);
	fstest_unmount(&m);
}

/* The directory's data fork format, as xfs_db sees it (1 local,
 * 2 extents, 3 btree), to prove the image exercises each form. */
static int dir_format(const char *img, const char *path)
{
	char cmd[1024];
	FILE *f;
	int fmt = -1;

	snprintf(cmd, sizeof(cmd),
		 "xfs_db -r -c 'path %s' -c 'print core.format' %s 2>/dev/null",
		 path, img);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (fscanf(f, "core.format = %d", &fmt) != 1)
		fmt = -1;
	pclose(f);
	return fmt;
}

/* Patch bytes of a copy of img and mount it: returns the mount result. */
static int mount_patched(const char *img, uint64_t off, const void *bytes,
			 size_t len)
{
	char bad[512];
	struct fstest_img m;
	int r;

	snprintf(bad, sizeof(bad), "%s/bad.img", tmp);
	if (fstest_patch_copy(img, bad, off, bytes, len))
		return 99;
	r = fstest_mount(&m, bad, 0, 0, &xfs_fs_ops);
	if (r == 0)
		fstest_unmount(&m);
	return r;
}

static void check_bad_superblocks(const char *img, int v5)
{
	uint8_t b1 = 30, zero4[4] = { 0 }, b200 = 200, b32 = 32, b12 = 12;
	uint8_t incompat[4] = { 0x80, 0, 0, 0x01 };
	uint8_t huge_ino[8] = { 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t huge_dblocks[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };
	uint8_t ver3[2] = { 0xb4, 0xa3 };

	CHECK(mount_patched(img, 120, &b1, 1) == PV_ECORRUPT);  /* blocklog */
	CHECK(fstest_msg_has("xfs: superblock: block size"));
	CHECK(mount_patched(img, 88, zero4, 4) == PV_ECORRUPT); /* agcount */
	CHECK(fstest_msg_has("AG count"));
	CHECK(mount_patched(img, 192, &b200, 1) == PV_ECORRUPT); /* dirblklog */
	CHECK(fstest_msg_has("directory block log"));
	CHECK(mount_patched(img, 124, &b32, 1) == PV_ECORRUPT); /* agblklog */
	CHECK(mount_patched(img, 122, &b12, 1) == PV_ECORRUPT); /* inodelog */
	if (v5) {
		CHECK(mount_patched(img, 216, incompat, 4) == PV_ENOTSUP);
		CHECK(fstest_msg_has("unknown incompatible features 0x80000000"));
	}
	CHECK(mount_patched(img, 56, huge_ino, 8) == PV_ECORRUPT); /* rootino */
	CHECK(mount_patched(img, 8, huge_dblocks, 8) == PV_ECORRUPT);
	CHECK(mount_patched(img, 100, ver3, 2) == PV_ENOTSUP);   /* version 3 */
	CHECK(mount_patched(img, 0, "XFSC", 4) == PV_ENOTMINE);
	CHECK(mount_patched(img, 4, zero4, 4) == PV_ECORRUPT);  /* blocksize */
}

/*
 * Corrupt metadata with xfs_db -x on a copy, then do op on path: the
 * result must be the given error (and no crash, which ASan would catch).
 */
static int after_xfs_db(const char *img, const char *dbcmds, const char *path,
			int read_it)
{
	char bad[512];
	struct fstest_img m;
	struct fs_node n;
	struct fstest_listing c;
	int r;

	snprintf(bad, sizeof(bad), "%s/bad.img", tmp);
	if (fstest_sh("cp --sparse=always %s %s && xfs_db -x %s %s >/dev/null 2>&1",
	       img, bad, dbcmds, bad))
		return 99;
	r = fstest_mount(&m, bad, 0, 0, &xfs_fs_ops);
	if (r)
		return r;
	pv_err_clear();
	r = fstest_walk(m.fs, path, &n);
	if (r == 0 && read_it == 1) {
		uint8_t *buf = malloc(n.size + 1);
		long got = xfs_fs_ops.read(m.fs, &n, 0, buf, n.size);

		r = got < 0 ? (int)got : 0;
		free(buf);
	} else if (r == 0 && read_it == 2) {
		r = fstest_list(m.fs, &n, "", "", &c);
	}
	fstest_unmount(&m);
	return r;
}

static void check_bad_metadata(const char *img, int v5)
{
	const char *bmbt = v5 ? "u3.bmbt" : "u.bmbt";
	const char *bmx = v5 ? "u3.bmx" : "u.bmx";
	char cmds[512];

	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot/vmlinuz-6.1' -c 'write -d core.nextents 1000'");
	CHECK(after_xfs_db(img, cmds, "/boot/vmlinuz-6.1", 1) == PV_ECORRUPT);
	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot/vmlinuz-6.1' -c 'write -d %s[0].startblock 0xfffffffffff'",
		 bmx);
	CHECK(after_xfs_db(img, cmds, "/boot/vmlinuz-6.1", 1) == PV_ECORRUPT);
	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot/vmlinuz-6.1' -c 'write -d core.magic 0'");
	CHECK(after_xfs_db(img, cmds, "/boot/vmlinuz-6.1", 0) == PV_ECORRUPT);
	CHECK(fstest_msg_has("bad magic"));
	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot/vmlinuz-6.1' -c 'write -d core.forkoff 250'");
	CHECK(after_xfs_db(img, cmds, "/boot/vmlinuz-6.1", 0) == PV_ECORRUPT);
	/* B-tree directory root: absurd depth, then a pointer to itself's
	 * inode block instead of a btree block */
	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot/huge' -c 'write -d %s.level 20'", bmbt);
	CHECK(after_xfs_db(img, cmds, "/boot/huge/entry-with-a-longer-name-00001",
			   0) == PV_ECORRUPT);
	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot/huge' -c 'write -d %s.ptrs[1] 0'", bmbt);
	CHECK(after_xfs_db(img, cmds, "/boot/huge/entry-with-a-longer-name-00001",
			   0) == PV_ECORRUPT);
	/* a directory data entry whose name runs off its block */
	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot/big' -c 'dblock 0' -c 'write -d du[3].namelen 255'");
	CHECK(after_xfs_db(img, cmds, "/boot/big", 2) == PV_ECORRUPT);
	/* a short-form directory claiming more entries than it holds */
	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot' -c 'write -d %s.hdr.count 200'",
		 v5 ? "u3.sfdir3" : "u.sfdir2");
	CHECK(after_xfs_db(img, cmds, "/boot", 2) == PV_ECORRUPT);
	/* a remote symlink with a wrong length */
	snprintf(cmds, sizeof(cmds),
		 "-c 'path /boot/longlink' -c 'write -d core.size 5000'");
	{
		char bad[512];
		struct fstest_img m;
		struct fs_node n;
		char buf[2048];

		snprintf(bad, sizeof(bad), "%s/bad.img", tmp);
		CHECK(fstest_sh("cp --sparse=always %s %s && xfs_db -x %s %s >/dev/null 2>&1",
			 img, bad, cmds, bad) == 0);
		CHECK(fstest_mount(&m, bad, 0, 0, &xfs_fs_ops) == 0);
		CHECK(fstest_walk(m.fs, "/boot/longlink", &n) == 0);
		CHECK(xfs_fs_ops.readlink(m.fs, &n, buf, sizeof(buf)) ==
		      PV_ECORRUPT);
		fstest_unmount(&m);
	}
}

/*
 * A fragmented kernel (B-tree data fork), a hole and an unwritten extent:
 * only a real mount makes them, so this needs root and a loop device.
 */
static void check_fragmented(void)
{
	char img[512], mnt[512];
	struct fstest_img m;
	struct fs_node n;
	char lbuf[1100];
	uint8_t *sparse;
	struct fstest_extents c;
	int r;
	const size_t chunk = 16384, nchunks = KERNEL_SIZE / 16384 + 1;
	const size_t ssize = 3u << 20;

	if (geteuid() != 0) {
		printf("test_xfs: SKIP fragmented-file test: needs root for a loop mount\n");
		return;
	}
	snprintf(img, sizeof(img), "%s/frag.img", tmp);
	snprintf(mnt, sizeof(mnt), "%s/mnt", tmp);
	if (fstest_sh(MKFS " -L bootfs -d file,name=%s,size=128m && mkdir -p %s && "
	       "mount -o loop,allocsize=4k %s %s 2>/dev/null", img, mnt, img, mnt)) {
		printf("test_xfs: SKIP fragmented-file test: loop mount of XFS failed\n");
		return;
	}
	/* interleave kernel chunks with synced filler files */
	r = fstest_sh("set -e; mkdir %s/boot; for i in $(seq 0 %zu); do "
	       "dd if=%s/kernel of=%s/boot/vmlinuz bs=%zu skip=$i seek=$i count=1 "
	       "conv=notrunc oflag=sync status=none; "
	       "dd if=/dev/zero of=%s/fill$i bs=4096 count=1 oflag=sync status=none; "
	       "done; "
	       /* 3 MiB: data, hole, unwritten extent, data */
	       "dd if=%s/kernel of=%s/sparse bs=1M count=1 status=none; "
	       "fallocate -o 2097152 -l 524288 %s/sparse; "
	       "dd if=%s/kernel of=%s/sparse bs=524288 skip=1 seek=5 count=1 "
	       "conv=notrunc status=none; "
	       /* a remote symlink as the kernel writes it (XSLM header) */
	       "ln -s %s %s/longlink",
	       mnt, nchunks - 1, tmp, mnt, chunk, mnt, tmp, mnt, mnt, tmp, mnt,
	       longtarget, mnt);
	fstest_sh("umount %s", mnt);
	CHECK(r == 0);
	if (r)
		return;
	CHECK(dir_format(img, "/boot/vmlinuz") == 3);

	sparse = calloc(1, ssize);
	memcpy(sparse, kernel, 1u << 20);
	memcpy(sparse + 5 * 524288, kernel + 524288, 524288);
	r = fstest_mount(&m, img, 0, 0, &xfs_fs_ops);
	CHECK(r == 0);
	if (r == 0) {
		CHECK(fstest_file_equals(m.fs, "/boot/vmlinuz", kernel, KERNEL_SIZE));
		CHECK(fstest_extents_match(&m, "/boot/vmlinuz", kernel,
					   KERNEL_SIZE, &c) == 0);
		CHECK(c.data_extents > 20); /* more than an inode holds: a btree */
		CHECK(fstest_file_equals(m.fs, "/sparse", sparse, ssize));
		CHECK(fstest_extents_match(&m, "/sparse", sparse, ssize, &c) == 0);
		CHECK(fstest_walk(m.fs, "/longlink", &n) == 0);
		CHECK(xfs_fs_ops.readlink(m.fs, &n, lbuf, sizeof(lbuf)) ==
		      (int)strlen(longtarget));
		CHECK_STR(lbuf, longtarget);
		fstest_unmount(&m);
	}
	free(sparse);
}

int main(void)
{
	char img5[512], img4[512], imgk[512], imgoff[512];

	if (fstest_mkdtemp(tmp, sizeof(tmp), "xfs"))
		return 1;
	make_sources();
	snprintf(img5, sizeof(img5), "%s/v5.img", tmp);
	snprintf(img4, sizeof(img4), "%s/v4.img", tmp);
	snprintf(imgk, sizeof(imgk), "%s/v5k.img", tmp);
	snprintf(imgoff, sizeof(imgoff), "%s/off.img", tmp);

	/* v5 defaults (crc, ftype, sparse inodes, bigtime, reflink...) */
	CHECK(fstest_sh(MKFS " -L bootfs -m uuid=" UUID_V5
		 " -p %s/proto -d file,name=%s,size=128m", tmp, img5) == 0);
	/* v4 without ftype */
	CHECK(fstest_sh(MKFS " -L bootfs -m crc=0 -n ftype=0 -p %s/proto "
		 "-d file,name=%s,size=128m 2>/dev/null", tmp, img4) == 0);
	/* v5, 1 KiB blocks, 8 KiB directory blocks, 64-bit extent counters */
	CHECK(fstest_sh(MKFS " -L bootfs -m uuid=" UUID_V5 " -b size=1024 -n size=8192 "
		 "-i nrext64=1 -p %s/proto -d file,name=%s,size=128m",
		 tmp, imgk) == 0);
	/* the v5 image 1 MiB into a disk: extents are disk offsets */
	CHECK(fstest_sh("dd if=%s of=%s bs=1M seek=1 conv=sparse status=none",
		 img5, imgoff) == 0);

	CHECK(dir_format(img5, "/boot") == 1);
	CHECK(dir_format(img5, "/boot/grub") == 2);
	CHECK(dir_format(img5, "/boot/big") == 2);
	CHECK(dir_format(img5, "/boot/huge") == 3);
	CHECK(dir_format(img4, "/boot/huge") == 3);

	check_image(img5, 0, 1);
	check_image(img4, 0, 0);
	check_image(imgk, 0, 1);
	check_image(imgoff, 1u << 20, 1);
	check_registry(img5);
	check_registry(img4);
	check_bad_superblocks(img5, 1);
	check_bad_superblocks(img4, 0);
	check_bad_metadata(img5, 1);
	check_bad_metadata(img4, 0);
	check_fragmented();

	fstest_sh("rm -rf %s", tmp);
	free(kernel);
	free(initrd);
	return unit_report("xfs");
}
