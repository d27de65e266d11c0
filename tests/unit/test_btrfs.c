/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The btrfs backend against images made at test time.  mkfs.btrfs
 * --rootdir (no root needed) gives plain files, inline files, a symlink and
 * a 500-entry directory: bytes and extents are compared with the sources.
 * Compressed extents (zlib, lzo, zstd; inline and regular), holes,
 * preallocation, snapshots and subvolume layouts (Fedora: top-level `root`
 * and `home`; openSUSE: default subvolume @/.snapshots/1/snapshot) need the
 * kernel: that part runs as root with a loop mount and is skipped with a
 * reason otherwise.  Corrupted copies (superblocks, tree nodes, with the
 * checksums recomputed where the point is a field check) give clean errors.
 */
#include "fs/btrfs_priv.h"
#include "fs/fs.h"
#include "fs/path.h"
#include "common/err.h"
#include "partition/disk.h"
#include "tests/unit/fstest.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lzo/lzo1x.h>
#include <zlib.h>
#include <zstd.h>

#define KERNEL_SIZE 1500000u
#define INITRD_SIZE 300001u
#define MANY_FILES 500
#define UUID "0123abcd-4567-89ef-0011-223344556677"
#define MIB (1024 * 1024)

static char tmp[256];
static uint8_t *kernel, *initrd;

/* Compressible: a repeated text pattern, then a random tail. */
static uint8_t *compressible(size_t n, size_t tail, uint64_t seed)
{
	uint8_t *p = malloc(n);
	size_t i;

	for (i = 0; i < n - tail; i++)
		p[i] = "linux kernel image, very compressible. "[i % 40] +
		       (uint8_t)((i / 4096) % 3);
	fstest_fill(p + n - tail, tail, seed);
	return p;
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

static int make_rootdir_image(const char *img)
{
	char p[512];
	int i;

	snprintf(p, sizeof(p), "%s/src/boot/many", tmp);
	if (fstest_sh("mkdir -p %s %s/src/boot/grub", p, tmp))
		return -1;
	kernel = malloc(KERNEL_SIZE);
	initrd = malloc(INITRD_SIZE);
	fstest_fill(kernel, KERNEL_SIZE, 1);
	fstest_fill(initrd, INITRD_SIZE, 2);
	snprintf(p, sizeof(p), "%s/src/boot/vmlinuz-6.1", tmp);
	fstest_write_file(p, kernel, KERNEL_SIZE);
	snprintf(p, sizeof(p), "%s/src/boot/initrd.img-6.1", tmp);
	fstest_write_file(p, initrd, INITRD_SIZE);
	snprintf(p, sizeof(p), "%s/src/boot/grub/grub.cfg", tmp);
	fstest_write_file(p, "set default=0\n", 14);
	snprintf(p, sizeof(p), "%s/src/empty", tmp);
	fstest_write_file(p, "", 0);
	for (i = 0; i < MANY_FILES; i++) {
		snprintf(p, sizeof(p), "%s/src/boot/many/file-%03d", tmp, i);
		fstest_write_file(p, "small\n", 6);
	}
	if (fstest_sh("ln -s vmlinuz-6.1 %s/src/boot/vmlinuz", tmp))
		return -1;
	return fstest_sh("truncate -s 120M %s && mkfs.btrfs -q -f -L bootfs -U %s "
		  "--rootdir %s/src %s >/dev/null 2>&1",
		  img, UUID, tmp, img);
}

static void check_rootdir_image(const char *img)
{
	struct fstest_img m;
	struct fs_node n;
	struct fstest_extents c;
	char buf[64];
	int r;

	r = fstest_mount(&m, img, 0, 0, &btrfs_fs_ops);
	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "mount %s: %s\n", img, pv_errmsg());
		return;
	}
	CHECK_STR(m.fs->uuid, UUID);
	CHECK_STR(m.fs->label, "bootfs");
	CHECK(fstest_file_equals(m.fs, "/boot/vmlinuz-6.1", kernel, KERNEL_SIZE));
	CHECK(fstest_file_equals(m.fs, "/boot/initrd.img-6.1", initrd, INITRD_SIZE));
	CHECK(fstest_file_equals(m.fs, "/boot/grub/grub.cfg",
			  (const uint8_t *)"set default=0\n", 14));
	CHECK(fstest_file_equals(m.fs, "/boot/many/file-499",
			  (const uint8_t *)"small\n", 6));
	CHECK(fstest_file_equals(m.fs, "/empty", (const uint8_t *)"", 0));
	CHECK(fstest_extents_match(&m, "/boot/vmlinuz-6.1", kernel, KERNEL_SIZE,
			 &c) == 0);
	CHECK(c.data_extents >= 1);
	CHECK(fstest_extents_match(&m, "/boot/initrd.img-6.1", initrd, INITRD_SIZE,
			 &c) == 0);
	/* an inline file cannot be mapped: the caller reads it */
	CHECK(fstest_extents_match(&m, "/boot/grub/grub.cfg",
			 (const uint8_t *)"set default=0\n", 14, &c) ==
	      PV_ENOTSUP);
	CHECK(fstest_extents_match(&m, "/empty", (const uint8_t *)"", 0, &c) == 0);

	/* reads past and across EOF */
	CHECK(fstest_walk(m.fs, "/boot/vmlinuz-6.1", &n) == 0);
	CHECK(btrfs_fs_ops.read(m.fs, &n, KERNEL_SIZE, buf, 10) == 0);
	CHECK(btrfs_fs_ops.read(m.fs, &n, KERNEL_SIZE - 3, buf, 10) == 3);
	CHECK(memcmp(buf, kernel + KERNEL_SIZE - 3, 3) == 0);

	CHECK(fstest_walk(m.fs, "/boot/vmlinuz", &n) == 0 && S_ISLNK(n.mode));
	CHECK(btrfs_fs_ops.readlink(m.fs, &n, buf, sizeof(buf)) == 11);
	CHECK_STR(buf, "vmlinuz-6.1");
	CHECK(btrfs_fs_ops.readlink(m.fs, &n, buf, 11) == PV_ELIMIT);

	CHECK(fstest_walk(m.fs, "/boot/nothing", &n) == PV_ENOENT);
	CHECK(fstest_walk(m.fs, "/boot/many/file-500", &n) == PV_ENOENT);
	CHECK(fstest_walk(m.fs, "/boot/many/file-000", &n) == 0 && n.size == 6);
	CHECK(fstest_walk(m.fs, "/boot/vmlinuz-6.1/x", &n) == PV_ENOTREG);
	check_listing(m.fs, "/", "boot", "empty", 2);
	check_listing(m.fs, "/boot", "vmlinuz-6.1", "many", 5);
	check_listing(m.fs, "/boot/many", "file-000", "file-499", MANY_FILES);
	fstest_unmount(&m);
}

/* Other mkfs layouts: mixed block groups on a 16 MiB volume, xxhash
 * checksums (structure checked, checksum not verified), 64 KiB nodes, DUP
 * data. */
static void check_variants(void)
{
	static const char *const opts[] = {
		"-M", "--csum xxhash", "-n 65536", "-d dup -m dup", "-m single",
	};
	char img[512];
	struct fstest_img m;
	struct fstest_extents c;
	size_t i;

	snprintf(img, sizeof(img), "%s/variant.img", tmp);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (fstest_sh("rm -f %s && truncate -s %s %s && mkfs.btrfs -q -f %s "
		       "--rootdir %s/src %s >/dev/null 2>&1",
		       img, i == 0 ? "16M" : "120M", img, opts[i], tmp, img)) {
			fprintf(stderr, "mkfs.btrfs %s failed\n", opts[i]);
			CHECK(!"mkfs.btrfs variant");
			continue;
		}
		if (fstest_mount(&m, img, 0, 0, &btrfs_fs_ops) < 0) {
			fprintf(stderr, "mkfs.btrfs %s: %s\n", opts[i], pv_errmsg());
			CHECK(!"mount variant");
			continue;
		}
		CHECK(fstest_file_equals(m.fs, "/boot/vmlinuz-6.1", kernel, KERNEL_SIZE));
		CHECK(fstest_file_equals(m.fs, "/boot/many/file-123",
				  (const uint8_t *)"small\n", 6));
		CHECK(fstest_extents_match(&m, "/boot/initrd.img-6.1", initrd,
				 INITRD_SIZE, &c) == 0);
		fstest_unmount(&m);
	}
}

/* Through the registry and the shared path resolver, as a run uses it. */
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
	CHECK_STR(fs_type_name(fs), "btrfs");
	CHECK(fs_resolve_file(fs, "/boot/vmlinuz", &n) == 0);
	CHECK(n.size == KERNEL_SIZE);
	CHECK(fs_resolve_dir(fs, "/boot/many/../grub", &n) == 0);
	CHECK(fs_read_file(fs, "/boot/grub/grub.cfg", 1024, &cfg, &len) == 0);
	CHECK(cfg && len == 14 && !strcmp(cfg, "set default=0\n"));
	free(cfg);
	fstest_unmount(&m);
}

/* ---- corrupted copies ---- */

static const char *copy_of(const char *img)
{
	static char bad[512];

	snprintf(bad, sizeof(bad), "%s/bad.img", tmp);
	if (fstest_patch_copy(img, bad, 0, NULL, 0))
		return NULL;
	return bad;
}

/* Patch len bytes at off inside the superblock copy at sboff, and
 * recompute its checksum when fix is set. */
static int patch_super(const char *img, uint64_t sboff, unsigned off,
		       const void *bytes, size_t len, int fix)
{
	uint8_t sb[BTRFS_SUPER_SIZE];
	int fd = open(img, O_RDWR), ok;
	uint32_t c;

	if (fd < 0)
		return -1;
	ok = pread(fd, sb, sizeof(sb), (off_t)sboff) == sizeof(sb);
	memcpy(sb + off, bytes, len);
	if (fix) {
		c = btrfs_csum(sb + BTRFS_CSUM_SIZE,
			       BTRFS_SUPER_SIZE - BTRFS_CSUM_SIZE);
		sb[0] = (uint8_t)c;
		sb[1] = (uint8_t)(c >> 8);
		sb[2] = (uint8_t)(c >> 16);
		sb[3] = (uint8_t)(c >> 24);
	}
	ok = ok && pwrite(fd, sb, sizeof(sb), (off_t)sboff) == sizeof(sb);
	close(fd);
	return ok ? 0 : -1;
}

/* Patch a tree node (at its physical offset) and recompute its csum. */
static int patch_node(const char *img, uint64_t phys, uint32_t nodesize,
		      unsigned off, const void *bytes, size_t len, int fix)
{
	uint8_t *n = malloc(nodesize);
	int fd = open(img, O_RDWR), ok;
	uint32_t c;

	if (fd < 0 || !n)
		return -1;
	ok = pread(fd, n, nodesize, (off_t)phys) == (ssize_t)nodesize;
	memcpy(n + off, bytes, len);
	if (fix) {
		c = btrfs_csum(n + BTRFS_CSUM_SIZE, nodesize - BTRFS_CSUM_SIZE);
		n[0] = (uint8_t)c;
		n[1] = (uint8_t)(c >> 8);
		n[2] = (uint8_t)(c >> 16);
		n[3] = (uint8_t)(c >> 24);
	}
	ok = ok && pwrite(fd, n, nodesize, (off_t)phys) == (ssize_t)nodesize;
	close(fd);
	free(n);
	return ok ? 0 : -1;
}

static int try_mount(const char *img)
{
	struct fstest_img m;
	int r = fstest_mount(&m, img, 0, 0, &btrfs_fs_ops);

	if (r == 0)
		fstest_unmount(&m);
	return r;
}

static void check_bad_superblocks(const char *img)
{
	const uint64_t P = BTRFS_SUPER_OFFSET, M = BTRFS_SUPER_MIRROR1;
	uint8_t two[8] = {2}, huge[4] = {0x88, 0x13}; /* 5000 */
	uint8_t odd[4] = {0x00, 0x30}, csum9[2] = {9}; /* sectorsize 12288 */
	const char *bad;

	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0x40, "_BHRfS_X", 8, 1) == 0);
	CHECK(try_mount(bad) == PV_ENOTMINE);

	/* a bad checksum on the primary: the mirror at 64 MiB serves */
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0x12b, "evil", 4, 0) == 0);
	CHECK(try_mount(bad) == 0);
	/* ... and with the mirror broken too, a clean error */
	CHECK(patch_super(bad, M, 0x12b, "evil", 4, 0) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("btrfs: primary superblock: checksum mismatch"));

	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0x88, two, 8, 1) == 0);
	CHECK(try_mount(bad) == PV_ENOTSUP);
	CHECK(fstest_msg_has("btrfs: multi-device filesystems are not supported"));

	/* a field error on the primary alone falls back to the mirror; on
	 * both it is corrupt */
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0xa0, huge, 4, 1) == 0);
	CHECK(try_mount(bad) == 0);
	CHECK(patch_super(bad, M, 0xa0, huge, 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("sys_chunk_array_size"));

	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0x90, odd, 4, 1) == 0 &&
	      patch_super(bad, M, 0x90, odd, 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("sectorsize"));
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0xc4, csum9, 2, 1) == 0 &&
	      patch_super(bad, M, 0xc4, csum9, 2, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("checksum type"));
	/* bytenr must say where the copy lives */
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0x30, "\0\0\2\0\0\0\0\0", 8, 1) == 0 &&
	      patch_super(bad, M, 0x30, "\0\0\2\0\0\0\0\0", 8, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("bytenr"));
	/* no bootstrap chunk */
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0xa0, "\0\0\0\0", 4, 1) == 0 &&
	      patch_super(bad, M, 0xa0, "\0\0\0\0", 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
}

/* Physical offset of the root tree's root node, through the reader. */
static int root_node_phys(const char *img, uint64_t *phys, uint32_t *nodesize)
{
	struct fstest_img m;
	struct btrfs_fs *b;
	uint64_t n;
	int r = fstest_mount(&m, img, 0, 0, &btrfs_fs_ops);

	if (r < 0)
		return r;
	b = BTRFS(m.fs);
	*nodesize = b->nodesize;
	r = btrfs_map(b, b->root_bytenr, b->nodesize, phys, &n);
	fstest_unmount(&m);
	return r;
}

static void check_bad_nodes(const char *img)
{
	uint64_t phys, bytenr;
	uint32_t ns = 0;
	uint8_t level = 5, b8[8];
	const char *bad;
	int i;

	CHECK(root_node_phys(img, &phys, &ns) == 0);
	/* the root tree's root is a leaf here: call it level 5 */
	bad = copy_of(img);
	CHECK(bad && patch_node(bad, phys, ns, 0x64, &level, 1, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("level"));
	/* header bytenr off by one node */
	bad = copy_of(img);
	{
		int fd = open(bad, O_RDONLY);

		CHECK(pread(fd, b8, 8, (off_t)(phys + 0x30)) == 8);
		close(fd);
	}
	bytenr = btrfs_le64(b8) + ns;
	for (i = 0; i < 8; i++)
		b8[i] = (uint8_t)(bytenr >> (8 * i));
	CHECK(patch_node(bad, phys, ns, 0x30, b8, 8, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("bytenr"));
	/* more items than fit */
	bad = copy_of(img);
	CHECK(patch_node(bad, phys, ns, 0x60, "\xff\xff\0\0", 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("more items"));
	/* an item whose data runs past the node */
	bad = copy_of(img);
	CHECK(patch_node(bad, phys, ns, BTRFS_HEADER_SIZE + 17,
			 "\xf0\xff\0\0", 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	/* any byte changed without fixing the checksum */
	bad = copy_of(img);
	CHECK(patch_node(bad, phys, ns, 0x200, "\x5a", 1, 0) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(fstest_msg_has("checksum"));
}

/* ---- mutated tree nodes, checksums fixed: no crash, clean codes ---- */

#define MAX_NODES 256
#ifndef MUTATIONS
#define MUTATIONS 400 /* more with -DMUTATIONS=N for a longer soak */
#endif
static uint64_t node_phys[MAX_NODES];
static int nnodes;

static void note_node(struct btrfs_fs *b, const uint8_t *node)
{
	uint64_t logical = btrfs_le64(node + 0x30), phys, n;
	int i;

	if (btrfs_map(b, logical, b->nodesize, &phys, &n) < 0)
		return;
	for (i = 0; i < nnodes; i++)
		if (node_phys[i] == phys)
			return;
	if (nnodes < MAX_NODES)
		node_phys[nnodes++] = phys;
}

/* Every node of one tree, found by walking all its items. */
static void collect_tree(struct btrfs_fs *b, uint64_t root, uint8_t level,
			 uint64_t gen)
{
	struct btrfs_key k = {0, 0, 0};
	struct btrfs_path p;
	int r, l;

	r = btrfs_search_ge(b, root, level, gen, &k, &p);
	while (r == 0) {
		for (l = 0; l < p.levels; l++)
			note_node(b, p.node[l]);
		r = btrfs_next(b, &p);
	}
	btrfs_path_free(&p);
}

static int ignore_cb(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	(void)name;
	(void)len;
	return 0;
}

static int sum_cb(void *ctx, const struct fs_extent *e)
{
	*(uint64_t *)ctx += e->len;
	return 0;
}

/* What a run does with a filesystem; any result code is fine. */
static void exercise(const char *img)
{
	static const char *const paths[] = {
		"/boot/vmlinuz", "/boot/initrd.img-6.1", "/boot/grub/grub.cfg",
		"/boot/many", "/boot/many/file-250", "/empty",
	};
	struct fstest_img m;
	struct fs *fs;
	struct fs_node n;
	size_t i;

	if (fstest_mount(&m, img, 0, 0, &btrfs_fs_ops) == 0) {
		fs = m.fs;
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			char *buf;
			size_t len;
			uint64_t total = 0;

			if (fs_resolve(fs, paths[i], &n) != 0)
				continue;
			if (S_ISDIR(n.mode))
				btrfs_fs_ops.readdir(fs, &n, ignore_cb, NULL);
			if (S_ISREG(n.mode)) {
				if (fs_read_file(fs, paths[i], 4u << 20, &buf,
						 &len) == 0)
					free(buf);
				btrfs_fs_ops.extents(fs, &n, sum_cb, &total);
			}
		}
		fstest_unmount(&m);
	}
}

static void check_mutations(const char *img)
{
	struct fstest_img m;
	struct btrfs_fs *b;
	struct btrfs_subvol *sv;
	const char *bad;
	uint64_t s = 12345;
	uint8_t *orig;
	uint32_t ns;
	int i, fd;

	if (fstest_mount(&m, img, 0, 0, &btrfs_fs_ops) < 0) {
		CHECK(!"mount for mutations");
		return;
	}
	b = BTRFS(m.fs);
	ns = b->nodesize;
	collect_tree(b, b->chunk_bytenr, b->chunk_level, b->chunk_generation);
	collect_tree(b, b->root_bytenr, b->root_level, b->generation);
	if (btrfs_subvol(b, 5, &sv) == 0)
		collect_tree(b, sv->bytenr, sv->level, sv->generation);
	fstest_unmount(&m);
	CHECK(nnodes >= 4);
	bad = copy_of(img);
	orig = malloc(ns);
	fd = open(bad, O_RDONLY);
	for (i = 0; bad && fd >= 0 && i < MUTATIONS; i++) {
		uint64_t phys;
		unsigned off, j, nbytes;
		uint8_t val[4];

		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		phys = node_phys[s % (uint64_t)nnodes];
		if (pread(fd, orig, ns, (off_t)phys) != (ssize_t)ns)
			break;
		/* mostly the header and item table, sometimes item data */
		off = (unsigned)((s >> 16) % ((s >> 40) & 1 ? ns : 1024));
		if (off < BTRFS_CSUM_SIZE)
			off += BTRFS_CSUM_SIZE;
		nbytes = 1 + (unsigned)((s >> 8) % 4);
		if (off + nbytes > ns)
			nbytes = 1;
		for (j = 0; j < nbytes; j++)
			val[j] = (uint8_t)(s >> (24 + 8 * j));
		patch_node(bad, phys, ns, off, val, nbytes, 1);
		exercise(bad);
		patch_node(bad, phys, ns, 0, orig, ns, 0); /* restore */
	}
	if (fd >= 0)
		close(fd);
	free(orig);
	CHECK(i == MUTATIONS);
}

/* ---- decompressors on valid and mutated streams ---- */

/* btrfs's LZO layout: total length, then per 4 KiB page a length and an
 * LZO1X segment; a segment header never straddles a 4 KiB sector. */
static size_t lzo_btrfs(const uint8_t *in, size_t len, uint8_t *out)
{
	static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
	size_t pos = 4, i;

	lzo_init();
	for (i = 0; i < len; i += 4096) {
		lzo_uint got;
		size_t n = len - i < 4096 ? len - i : 4096;

		if (4096 - pos % 4096 < 4) {
			memset(out + pos, 0, 4096 - pos % 4096);
			pos += 4096 - pos % 4096;
		}
		lzo1x_1_compress(in + i, n, out + pos + 4, &got, wrk);
		out[pos] = (uint8_t)got;
		out[pos + 1] = (uint8_t)(got >> 8);
		out[pos + 2] = 0;
		out[pos + 3] = 0;
		pos += 4 + got;
	}
	out[0] = (uint8_t)pos;
	out[1] = (uint8_t)(pos >> 8);
	out[2] = (uint8_t)(pos >> 16);
	out[3] = 0;
	return pos;
}

static void check_decompressors(void)
{
	const size_t ram = BTRFS_MAX_UNCOMPRESSED;
	uint8_t *plain = compressible(ram, 9000, 40);
	uint8_t *z = malloc(2 * ram), *mut = malloc(2 * ram), *out = malloc(ram);
	struct btrfs_fs b;
	size_t zlen[4] = {0};
	uint8_t *zs[4] = {NULL};
	uint64_t s = 777;
	int c, i;

	memset(&b, 0, sizeof(b));
	b.sectorsize = 4096;
	for (c = 1; c <= 3; c++) {
		uLongf zl = 2 * ram;

		if (c == BTRFS_COMPRESS_ZLIB)
			compress2(z, &zl, plain, ram, 6);
		else if (c == BTRFS_COMPRESS_LZO)
			zl = lzo_btrfs(plain, ram, z);
		else
			zl = ZSTD_compress(z, 2 * ram, plain, ram, 3);
		zlen[c] = zl;
		zs[c] = malloc(zl);
		memcpy(zs[c], z, zl);
		CHECK(zl < ram / 2);
		CHECK(btrfs_decompress(&b, (uint8_t)c, zs[c], zl, out, ram) == 0);
		CHECK(memcmp(out, plain, ram) == 0);
		/* a shorter ram_bytes takes a prefix; padding after is fine */
		memset(z + zl, 0, 4096);
		CHECK(btrfs_decompress(&b, (uint8_t)c, z, zl + 4096, out, 5000) == 0);
		CHECK(memcmp(out, plain, 5000) == 0);
	}
	CHECK(btrfs_decompress(&b, 4, zs[1], zlen[1], out, ram) == PV_ENOTSUP);
	for (i = 0; i < 3000; i++) {
		size_t len, j;

		c = 1 + i % 3;
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		len = zlen[c];
		memcpy(mut, zs[c], len);
		for (j = 0; j < 1 + (s >> 60); j++)
			mut[(s >> (j * 7 % 56)) % len] ^= (uint8_t)(1 + (s >> 32) % 255);
		if (s & 1)
			len = (s >> 20) % len; /* truncated */
		c = btrfs_decompress(&b, (uint8_t)c, mut, len, out, ram);
		if (c != 0 && c != PV_ECORRUPT)
			break;
	}
	CHECK(i == 3000);
	for (c = 1; c <= 3; c++)
		free(zs[c]);
	free(plain);
	free(z);
	free(mut);
	free(out);
}

/* ---- kernel-made images: compression, holes, subvolumes ---- */

struct payload {
	char path[64]; /* inside the mount */
	uint8_t *data;
	size_t len;
};

#define NPAY 12
static struct payload pay[NPAY];
static int npay;

static int put(const char *mnt, const char *path, uint8_t *data, size_t len)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", mnt, path);
	snprintf(pay[npay].path, sizeof(pay[npay].path), "%s", path);
	pay[npay].data = data;
	pay[npay].len = len;
	npay++;
	return fstest_write_file(p, data, len);
}

static int build_fedora(const char *img, const char *mnt)
{
	static const char *const algs[] = {"zlib", "lzo", "zstd"};
	char p[1024];
	int i, r = 0;

	if (fstest_sh("truncate -s 120M %s && mkfs.btrfs -q -f %s >/dev/null 2>&1 && "
	       "mkdir -p %s && mount -o loop,compress=zlib %s %s 2>/dev/null",
	       img, img, mnt, img, mnt))
		return -1;
	r |= fstest_sh("btrfs -q subvolume create %s/root >/dev/null && "
		"btrfs -q subvolume create %s/home >/dev/null && "
		"mkdir -p %s/root/boot/grub2 %s/home/user",
		mnt, mnt, mnt, mnt);
	for (i = 0; i < 3; i++) {
		char name[64], small[64];

		r |= fstest_sh("mount -o remount,compress=%s %s", algs[i], mnt);
		snprintf(name, 64, "root/boot/vmlinuz-%s", algs[i]);
		r |= put(mnt, name, compressible(3 * MIB + 12345, 200000, 10 + i),
			 3 * MIB + 12345);
		snprintf(small, 64, "root/boot/grub2/small-%s", algs[i]);
		r |= put(mnt, small, compressible(3000, 0, 0), 3000);
	}
	/* holes, explicit or implicit (no-holes), and preallocation */
	{
		uint8_t *h = calloc(1, 3 * MIB), *q = calloc(1, 2 * MIB);

		fstest_fill(h + MIB, 70000, 20);
		snprintf(p, sizeof(p), "%s/root/boot/holey", mnt);
		r |= fstest_sh("truncate -s 3M %s", p);
		r |= fstest_write_at(p, MIB, h + MIB, 70000);
		pay[npay++] = (struct payload){"root/boot/holey", h, 3 * MIB};
		fstest_fill(q + 4096, 8192, 21);
		snprintf(p, sizeof(p), "%s/root/boot/prealloc", mnt);
		r |= fstest_sh("mount -o remount,compress=no %s && fallocate -l 2M %s",
			mnt, p);
		r |= fstest_write_at(p, 4096, q + 4096, 8192);
		pay[npay++] = (struct payload){"root/boot/prealloc", q, 2 * MIB};
	}
	r |= put(mnt, "home/user/notes", (uint8_t *)strdup("hello\n"), 6);
	r |= fstest_sh("ln -s vmlinuz-zstd %s/root/boot/vmlinuz", mnt);
	r |= fstest_sh("btrfs -q subvolume snapshot %s/root %s/root-snap >/dev/null",
		mnt, mnt);
	r |= fstest_sh("sync; umount %s", mnt);
	return r ? -1 : 0;
}

static struct payload *find_pay(const char *path)
{
	int i;

	for (i = 0; i < npay; i++)
		if (!strcmp(pay[i].path, path))
			return &pay[i];
	return NULL;
}

static void check_fedora(const char *img)
{
	struct fstest_img m;
	struct fs_node n;
	struct fstest_extents c;
	struct payload *z;
	char want[1024];
	int i, r;

	r = fstest_mount(&m, img, 0, 0, &btrfs_fs_ops);
	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "mount %s: %s\n", img, pv_errmsg());
		return;
	}
	for (i = 0; i < npay; i++) {
		snprintf(want, sizeof(want), "/%s", pay[i].path);
		CHECK(fstest_file_equals(m.fs, want, pay[i].data, pay[i].len));
	}
	/* compressed data cannot be mapped; holes and prealloc can */
	z = find_pay("root/boot/vmlinuz-zstd");
	CHECK(fstest_extents_match(&m, "/root/boot/vmlinuz-zstd", z->data, z->len,
			 &c) == PV_ENOTSUP);
	z = find_pay("root/boot/holey");
	CHECK(fstest_extents_match(&m, "/root/boot/holey", z->data, z->len, &c) == 0);
	CHECK(c.zero_extents >= 2 && c.data_extents >= 1);
	z = find_pay("root/boot/prealloc");
	CHECK(fstest_extents_match(&m, "/root/boot/prealloc", z->data, z->len,
			 &c) == 0);
	CHECK(c.zero_extents >= 1 && c.data_extents >= 1);
	/* a snapshot shares the subvolume's blocks */
	z = find_pay("root/boot/vmlinuz-lzo");
	CHECK(fstest_file_equals(m.fs, "/root-snap/boot/vmlinuz-lzo", z->data, z->len));
	check_listing(m.fs, "/", "root", "root-snap", 3);
	CHECK(fstest_walk(m.fs, "/root/boot/vmlinuz", &n) == 0 && S_ISLNK(n.mode));
	fstest_unmount(&m);

	/* the resolver crosses subvolumes and follows the symlink */
	{
		struct fs *fs;

		CHECK(fstest_open(&m, img, 0, 0) == 0);
		CHECK(fstest_mount_vol(&m, NULL) == 0);
		fs = m.fs;
		if (fs) {
			z = find_pay("root/boot/vmlinuz-zstd");
			CHECK(fs_resolve_file(fs, "/root/boot/vmlinuz", &n) == 0);
			CHECK(n.size == z->len);
			CHECK(fs_resolve_dir(fs, "/root/boot/../../home/user",
					     &n) == 0);
		}
		fstest_unmount(&m);
	}
}

static int build_opensuse(const char *img, const char *mnt, uint8_t *kern,
			  size_t klen)
{
	char p[1024];
	int r = 0;

	if (fstest_sh("truncate -s 120M %s && mkfs.btrfs -q -f %s >/dev/null 2>&1 && "
	       "mkdir -p %s && mount -o loop %s %s 2>/dev/null",
	       img, img, mnt, img, mnt))
		return -1;
	r |= fstest_sh("btrfs -q subvolume create %s/@ >/dev/null && "
		"btrfs -q subvolume create %s/@/.snapshots >/dev/null && "
		"mkdir %s/@/.snapshots/1 && "
		"btrfs -q subvolume create %s/@/.snapshots/1/snapshot >/dev/null && "
		"mkdir -p %s/@/.snapshots/1/snapshot/boot/grub2 %s/@/boot",
		mnt, mnt, mnt, mnt, mnt, mnt);
	snprintf(p, sizeof(p), "%s/@/.snapshots/1/snapshot/boot/vmlinuz", mnt);
	r |= fstest_write_file(p, kern, klen);
	snprintf(p, sizeof(p), "%s/@/.snapshots/1/snapshot/boot/grub2/grub.cfg",
		 mnt);
	r |= fstest_write_file(p, "set btrfs_relative_path=y\n", 26);
	snprintf(p, sizeof(p), "%s/@/boot/not-the-default", mnt);
	r |= fstest_write_file(p, "x", 1);
	r |= fstest_sh("id=$(btrfs subvolume list %s | awk '/snapshot$/ {print $2}') && "
		"btrfs -q subvolume set-default $id %s", mnt, mnt);
	r |= fstest_sh("sync; umount %s", mnt);
	return r ? -1 : 0;
}

static void check_opensuse(const char *img, const uint8_t *kern, size_t klen)
{
	struct fstest_img m;
	struct fs_node n;
	int r;

	r = fstest_mount(&m, img, 0, 0, &btrfs_fs_ops);
	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "mount %s: %s\n", img, pv_errmsg());
		return;
	}
	CHECK(BTRFS(m.fs)->default_subvol >= 256);
	CHECK(fstest_file_equals(m.fs, "/boot/vmlinuz", kern, klen));
	CHECK(fstest_file_equals(m.fs, "/boot/grub2/grub.cfg",
			  (const uint8_t *)"set btrfs_relative_path=y\n", 26));
	CHECK(fstest_walk(m.fs, "/@", &n) == PV_ENOENT);
	check_listing(m.fs, "/", "boot", "boot", 1);
	fstest_unmount(&m);
}

static void check_kernel_made(void)
{
	char img[512], mnt[512];
	uint8_t *kern;
	int i;

	if (geteuid() != 0) {
		printf("test_btrfs: SKIP compressed/subvolume images: not root "
		       "(needs mount -o loop)\n");
		return;
	}
	snprintf(img, sizeof(img), "%s/fedora.img", tmp);
	snprintf(mnt, sizeof(mnt), "%s/mnt", tmp);
	if (build_fedora(img, mnt) < 0) {
		fstest_sh("umount %s 2>/dev/null", mnt);
		printf("test_btrfs: SKIP compressed/subvolume images: "
		       "mount -o loop of a btrfs image failed\n");
		return;
	}
	check_fedora(img);
	kern = compressible(2 * MIB + 7, 1000000, 30);
	snprintf(img, sizeof(img), "%s/opensuse.img", tmp);
	if (build_opensuse(img, mnt, kern, 2 * MIB + 7) < 0) {
		fstest_sh("umount %s 2>/dev/null", mnt);
		CHECK(!"building the openSUSE layout failed");
	} else {
		check_opensuse(img, kern, 2 * MIB + 7);
	}
	free(kern);
	for (i = 0; i < npay; i++)
		free(pay[i].data);
}

int main(void)
{
	char img[512];

	pv_quiet_warnings = 1; /* the mirror fallback warns, by design */
	if (fstest_mkdtemp(tmp, sizeof(tmp), "btrfs"))
		return 1;
	snprintf(img, sizeof(img), "%s/rootdir.img", tmp);
	CHECK(make_rootdir_image(img) == 0);
	check_rootdir_image(img);
	check_registry(img);
	check_variants();
	check_bad_superblocks(img);
	check_bad_nodes(img);
	check_mutations(img);
	check_decompressors();
	check_kernel_made();

	/* a buffer too small for a superblock is not btrfs */
	{
		static uint8_t small[70000];
		struct fstest_img m;

		memset(&m, 0, sizeof(m));
		m.data = small;
		m.len = sizeof(small);
		fstest_open_mem(&m, "small", 0, 0);
		CHECK(btrfs_fs_ops.probe(&m.v) == PV_ENOTMINE);
	}
	fstest_sh("rm -rf %s", tmp);
	free(kernel);
	free(initrd);
	return unit_report("btrfs");
}
