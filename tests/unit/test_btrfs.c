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
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define KERNEL_SIZE 1500000u
#define INITRD_SIZE 300001u
#define MANY_FILES 500
#define UUID "0123abcd-4567-89ef-0011-223344556677"
#define MIB (1024 * 1024)

static char tmp[256];
static uint8_t *kernel, *initrd;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void fill(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		p[i] = (uint8_t)(s >> 24);
	}
}

/* Compressible: a repeated text pattern, then a random tail. */
static uint8_t *compressible(size_t n, size_t tail, uint64_t seed)
{
	uint8_t *p = malloc(n);
	size_t i;

	for (i = 0; i < n - tail; i++)
		p[i] = "linux kernel image, very compressible. "[i % 40] +
		       (uint8_t)((i / 4096) % 3);
	fill(p + n - tail, tail, seed);
	return p;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int write_at(const char *path, uint64_t off, const void *buf,
		    size_t len)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = pwrite(fd, buf, len, (off_t)off) == (ssize_t)len;
	return (close(fd) == 0 && ok) ? 0 : -1;
}

struct mounted {
	struct disk d;
	struct volume v;
	struct fs *fs;
};

static int mount_img(struct mounted *m, const char *path)
{
	int r;

	memset(m, 0, sizeof(*m));
	r = disk_open(&m->d, path);
	if (r < 0)
		return r;
	m->v.disk = &m->d;
	m->v.length = m->d.size;
	m->v.kind = VOL_WHOLE_DISK;
	pv_err_clear();
	r = btrfs_fs_ops.probe(&m->v);
	if (r == 0)
		r = btrfs_fs_ops.mount(&m->v, &m->fs);
	if (r < 0) {
		disk_close(&m->d);
		return r;
	}
	m->fs->ops = &btrfs_fs_ops;
	m->fs->vol = &m->v;
	return 0;
}

static void umount_img(struct mounted *m)
{
	btrfs_fs_ops.unmount(m->fs);
	disk_close(&m->d);
}

/* Walk an absolute path without symlinks. */
static int walk(struct fs *fs, const char *path, struct fs_node *out)
{
	struct fs_node n;
	int r = btrfs_fs_ops.root(fs, &n);

	while (r == 0 && *path) {
		const char *s;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		s = strchrnul(path, '/');
		r = btrfs_fs_ops.lookup(fs, &n, path, (size_t)(s - path), &n);
		path = s;
	}
	if (r == 0)
		*out = n;
	return r;
}

/* Read a whole file in odd-sized chunks. */
static uint8_t *read_all(struct fs *fs, const struct fs_node *n)
{
	uint8_t *buf = malloc(n->size + 1);
	uint64_t off = 0;

	while (buf && off < n->size) {
		long got = btrfs_fs_ops.read(fs, n, off, buf + off, 65531);

		if (got <= 0) {
			free(buf);
			return NULL;
		}
		off += (uint64_t)got;
	}
	return buf;
}

static int file_equals(struct fs *fs, const char *path, const uint8_t *want,
		       size_t len)
{
	struct fs_node n;
	uint8_t *got;
	int ok, r;

	r = walk(fs, path, &n);
	if (r < 0 || n.size != len || !S_ISREG(n.mode)) {
		fprintf(stderr, "%s: r=%d size=%llu (%s)\n", path, r,
			(unsigned long long)n.size, pv_errmsg());
		return 0;
	}
	got = read_all(fs, &n);
	ok = got && memcmp(got, want, len) == 0;
	if (!ok)
		fprintf(stderr, "%s: bytes differ (%s)\n", path, pv_errmsg());
	free(got);
	return ok;
}

struct ext_check {
	int fd;
	const uint8_t *want;
	uint64_t next;
	int data_extents, zero_extents, bad;
};

/* Each extent follows the last and its disk bytes are the file's bytes. */
static int ext_cb(void *ctx, const struct fs_extent *e)
{
	struct ext_check *c = ctx;
	uint8_t *buf;

	if (e->file_off != c->next || e->len == 0) {
		c->bad++;
		return 0;
	}
	c->next += e->len;
	buf = malloc(e->len);
	if (e->zero) {
		c->zero_extents++;
		memset(buf, 0, e->len);
	} else {
		c->data_extents++;
		if (pread(c->fd, buf, e->len, (off_t)e->disk_off) !=
		    (ssize_t)e->len)
			c->bad++;
	}
	if (memcmp(buf, c->want + e->file_off, e->len))
		c->bad++;
	free(buf);
	return 0;
}

/* extents() result for path; *ok says whether the map matched want. */
static int extents_of(struct mounted *m, const char *img, const char *path,
		      const uint8_t *want, size_t len, struct ext_check *c)
{
	struct fs_node n;
	int r;

	memset(c, 0, sizeof(*c));
	r = walk(m->fs, path, &n);
	if (r < 0)
		return r;
	if (n.size != len)
		return 99;
	c->fd = open(img, O_RDONLY);
	c->want = want;
	r = btrfs_fs_ops.extents(m->fs, &n, ext_cb, c);
	close(c->fd);
	if (r == 0 && (c->bad || c->next != len))
		return 98;
	return r;
}

struct count_ctx {
	int n, dots, seen_first, seen_last;
	const char *first, *last;
};

static int count_cb(void *ctx, const char *name, size_t len)
{
	struct count_ctx *c = ctx;

	c->n++;
	if (!strcmp(name, ".") || !strcmp(name, "..") || strlen(name) != len)
		c->dots++;
	if (!strcmp(name, c->first))
		c->seen_first = 1;
	if (!strcmp(name, c->last))
		c->seen_last = 1;
	return 0;
}

static void check_listing(struct fs *fs, const char *dir, const char *first,
			  const char *last, int want)
{
	struct count_ctx c = {0, 0, 0, 0, first, last};
	struct fs_node n;

	CHECK(walk(fs, dir, &n) == 0 && S_ISDIR(n.mode));
	CHECK(btrfs_fs_ops.readdir(fs, &n, count_cb, &c) == 0);
	CHECK(c.n == want);
	CHECK(c.dots == 0);
	CHECK(c.seen_first && c.seen_last);
}

static int make_rootdir_image(const char *img)
{
	char p[512];
	int i;

	snprintf(p, sizeof(p), "%s/src/boot/many", tmp);
	if (sh("mkdir -p %s %s/src/boot/grub", p, tmp))
		return -1;
	kernel = malloc(KERNEL_SIZE);
	initrd = malloc(INITRD_SIZE);
	fill(kernel, KERNEL_SIZE, 1);
	fill(initrd, INITRD_SIZE, 2);
	snprintf(p, sizeof(p), "%s/src/boot/vmlinuz-6.1", tmp);
	write_file(p, kernel, KERNEL_SIZE);
	snprintf(p, sizeof(p), "%s/src/boot/initrd.img-6.1", tmp);
	write_file(p, initrd, INITRD_SIZE);
	snprintf(p, sizeof(p), "%s/src/boot/grub/grub.cfg", tmp);
	write_file(p, "set default=0\n", 14);
	snprintf(p, sizeof(p), "%s/src/empty", tmp);
	write_file(p, "", 0);
	for (i = 0; i < MANY_FILES; i++) {
		snprintf(p, sizeof(p), "%s/src/boot/many/file-%03d", tmp, i);
		write_file(p, "small\n", 6);
	}
	if (sh("ln -s vmlinuz-6.1 %s/src/boot/vmlinuz", tmp))
		return -1;
	return sh("truncate -s 120M %s && mkfs.btrfs -q -f -L bootfs -U %s "
		  "--rootdir %s/src %s >/dev/null 2>&1",
		  img, UUID, tmp, img);
}

static void check_rootdir_image(const char *img)
{
	struct mounted m;
	struct fs_node n;
	struct ext_check c;
	char buf[64];
	int r;

	r = mount_img(&m, img);
	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "mount %s: %s\n", img, pv_errmsg());
		return;
	}
	CHECK_STR(m.fs->uuid, UUID);
	CHECK_STR(m.fs->label, "bootfs");
	CHECK(file_equals(m.fs, "/boot/vmlinuz-6.1", kernel, KERNEL_SIZE));
	CHECK(file_equals(m.fs, "/boot/initrd.img-6.1", initrd, INITRD_SIZE));
	CHECK(file_equals(m.fs, "/boot/grub/grub.cfg",
			  (const uint8_t *)"set default=0\n", 14));
	CHECK(file_equals(m.fs, "/boot/many/file-499",
			  (const uint8_t *)"small\n", 6));
	CHECK(file_equals(m.fs, "/empty", (const uint8_t *)"", 0));
	CHECK(extents_of(&m, img, "/boot/vmlinuz-6.1", kernel, KERNEL_SIZE,
			 &c) == 0);
	CHECK(c.data_extents >= 1);
	CHECK(extents_of(&m, img, "/boot/initrd.img-6.1", initrd, INITRD_SIZE,
			 &c) == 0);
	/* an inline file cannot be mapped: the caller reads it */
	CHECK(extents_of(&m, img, "/boot/grub/grub.cfg",
			 (const uint8_t *)"set default=0\n", 14, &c) ==
	      PV_ENOTSUP);
	CHECK(extents_of(&m, img, "/empty", (const uint8_t *)"", 0, &c) == 0);

	/* reads past and across EOF */
	CHECK(walk(m.fs, "/boot/vmlinuz-6.1", &n) == 0);
	CHECK(btrfs_fs_ops.read(m.fs, &n, KERNEL_SIZE, buf, 10) == 0);
	CHECK(btrfs_fs_ops.read(m.fs, &n, KERNEL_SIZE - 3, buf, 10) == 3);
	CHECK(memcmp(buf, kernel + KERNEL_SIZE - 3, 3) == 0);

	CHECK(walk(m.fs, "/boot/vmlinuz", &n) == 0 && S_ISLNK(n.mode));
	CHECK(btrfs_fs_ops.readlink(m.fs, &n, buf, sizeof(buf)) == 11);
	CHECK_STR(buf, "vmlinuz-6.1");
	CHECK(btrfs_fs_ops.readlink(m.fs, &n, buf, 11) == PV_ELIMIT);

	CHECK(walk(m.fs, "/boot/nothing", &n) == PV_ENOENT);
	CHECK(walk(m.fs, "/boot/many/file-500", &n) == PV_ENOENT);
	CHECK(walk(m.fs, "/boot/many/file-000", &n) == 0 && n.size == 6);
	CHECK(walk(m.fs, "/boot/vmlinuz-6.1/x", &n) == PV_ENOTREG);
	check_listing(m.fs, "/", "boot", "empty", 2);
	check_listing(m.fs, "/boot", "vmlinuz-6.1", "many", 5);
	check_listing(m.fs, "/boot/many", "file-000", "file-499", MANY_FILES);
	umount_img(&m);
}

/* Through the registry and the shared path resolver, as a run uses it. */
static void check_registry(const char *img)
{
	struct disk d;
	struct volume v;
	struct fs *fs = NULL;
	struct fs_node n;
	char *cfg = NULL;
	size_t len = 0;

	memset(&v, 0, sizeof(v));
	CHECK(disk_open(&d, img) == 0);
	v.disk = &d;
	v.length = d.size;
	v.kind = VOL_WHOLE_DISK;
	CHECK(fs_mount_any(&v, &fs) == 0);
	if (!fs) {
		disk_close(&d);
		return;
	}
	CHECK_STR(fs_type_name(fs), "btrfs");
	CHECK(fs_resolve_file(fs, "/boot/vmlinuz", &n) == 0);
	CHECK(n.size == KERNEL_SIZE);
	CHECK(fs_resolve_dir(fs, "/boot/many/../grub", &n) == 0);
	CHECK(fs_read_file(fs, "/boot/grub/grub.cfg", 1024, &cfg, &len) == 0);
	CHECK(cfg && len == 14 && !strcmp(cfg, "set default=0\n"));
	free(cfg);
	fs_unmount(fs);
	disk_close(&d);
}

/* ---- corrupted copies ---- */

static const char *copy_of(const char *img)
{
	static char bad[512];

	snprintf(bad, sizeof(bad), "%s/bad.img", tmp);
	if (sh("cp --sparse=always %s %s", img, bad))
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

static int msg_has(const char *s)
{
	int ok = strstr(pv_errmsg(), s) != NULL;

	if (!ok)
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", pv_errmsg(), s);
	return ok;
}

static int try_mount(const char *img)
{
	struct mounted m;
	int r = mount_img(&m, img);

	if (r == 0)
		umount_img(&m);
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
	CHECK(msg_has("btrfs: primary superblock: checksum mismatch"));

	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0x88, two, 8, 1) == 0);
	CHECK(try_mount(bad) == PV_ENOTSUP);
	CHECK(msg_has("btrfs: multi-device filesystems are not supported"));

	/* a field error on the primary alone falls back to the mirror; on
	 * both it is corrupt */
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0xa0, huge, 4, 1) == 0);
	CHECK(try_mount(bad) == 0);
	CHECK(patch_super(bad, M, 0xa0, huge, 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(msg_has("sys_chunk_array_size"));

	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0x90, odd, 4, 1) == 0 &&
	      patch_super(bad, M, 0x90, odd, 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(msg_has("sectorsize"));
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0xc4, csum9, 2, 1) == 0 &&
	      patch_super(bad, M, 0xc4, csum9, 2, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(msg_has("checksum type"));
	/* bytenr must say where the copy lives */
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0x30, "\0\0\2\0\0\0\0\0", 8, 1) == 0 &&
	      patch_super(bad, M, 0x30, "\0\0\2\0\0\0\0\0", 8, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(msg_has("bytenr"));
	/* no bootstrap chunk */
	bad = copy_of(img);
	CHECK(bad && patch_super(bad, P, 0xa0, "\0\0\0\0", 4, 1) == 0 &&
	      patch_super(bad, M, 0xa0, "\0\0\0\0", 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
}

/* Physical offset of the root tree's root node, through the reader. */
static int root_node_phys(const char *img, uint64_t *phys, uint32_t *nodesize)
{
	struct mounted m;
	struct btrfs_fs *b;
	uint64_t n;
	int r = mount_img(&m, img);

	if (r < 0)
		return r;
	b = BTRFS(m.fs);
	*nodesize = b->nodesize;
	r = btrfs_map(b, b->root_bytenr, b->nodesize, phys, &n);
	umount_img(&m);
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
	CHECK(msg_has("level"));
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
	CHECK(msg_has("bytenr"));
	/* more items than fit */
	bad = copy_of(img);
	CHECK(patch_node(bad, phys, ns, 0x60, "\xff\xff\0\0", 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(msg_has("more items"));
	/* an item whose data runs past the node */
	bad = copy_of(img);
	CHECK(patch_node(bad, phys, ns, BTRFS_HEADER_SIZE + 17,
			 "\xf0\xff\0\0", 4, 1) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	/* any byte changed without fixing the checksum */
	bad = copy_of(img);
	CHECK(patch_node(bad, phys, ns, 0x200, "\x5a", 1, 0) == 0);
	CHECK(try_mount(bad) == PV_ECORRUPT);
	CHECK(msg_has("checksum"));
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
	return write_file(p, data, len);
}

static int build_fedora(const char *img, const char *mnt)
{
	static const char *const algs[] = {"zlib", "lzo", "zstd"};
	char p[1024];
	int i, r = 0;

	if (sh("truncate -s 120M %s && mkfs.btrfs -q -f %s >/dev/null 2>&1 && "
	       "mkdir -p %s && mount -o loop,compress=zlib %s %s 2>/dev/null",
	       img, img, mnt, img, mnt))
		return -1;
	r |= sh("btrfs -q subvolume create %s/root >/dev/null && "
		"btrfs -q subvolume create %s/home >/dev/null && "
		"mkdir -p %s/root/boot/grub2 %s/home/user",
		mnt, mnt, mnt, mnt);
	for (i = 0; i < 3; i++) {
		char name[64], small[64];

		r |= sh("mount -o remount,compress=%s %s", algs[i], mnt);
		snprintf(name, 64, "root/boot/vmlinuz-%s", algs[i]);
		r |= put(mnt, name, compressible(3 * MIB + 12345, 200000, 10 + i),
			 3 * MIB + 12345);
		snprintf(small, 64, "root/boot/grub2/small-%s", algs[i]);
		r |= put(mnt, small, compressible(3000, 0, 0), 3000);
	}
	/* holes, explicit or implicit (no-holes), and preallocation */
	{
		uint8_t *h = calloc(1, 3 * MIB), *q = calloc(1, 2 * MIB);

		fill(h + MIB, 70000, 20);
		snprintf(p, sizeof(p), "%s/root/boot/holey", mnt);
		r |= sh("truncate -s 3M %s", p);
		r |= write_at(p, MIB, h + MIB, 70000);
		pay[npay++] = (struct payload){"root/boot/holey", h, 3 * MIB};
		fill(q + 4096, 8192, 21);
		snprintf(p, sizeof(p), "%s/root/boot/prealloc", mnt);
		r |= sh("mount -o remount,compress=no %s && fallocate -l 2M %s",
			mnt, p);
		r |= write_at(p, 4096, q + 4096, 8192);
		pay[npay++] = (struct payload){"root/boot/prealloc", q, 2 * MIB};
	}
	r |= put(mnt, "home/user/notes", (uint8_t *)strdup("hello\n"), 6);
	r |= sh("ln -s vmlinuz-zstd %s/root/boot/vmlinuz", mnt);
	r |= sh("btrfs -q subvolume snapshot %s/root %s/root-snap >/dev/null",
		mnt, mnt);
	r |= sh("sync; umount %s", mnt);
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
	struct mounted m;
	struct fs_node n;
	struct ext_check c;
	struct payload *z;
	char want[1024];
	int i, r;

	r = mount_img(&m, img);
	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "mount %s: %s\n", img, pv_errmsg());
		return;
	}
	for (i = 0; i < npay; i++) {
		snprintf(want, sizeof(want), "/%s", pay[i].path);
		CHECK(file_equals(m.fs, want, pay[i].data, pay[i].len));
	}
	/* compressed data cannot be mapped; holes and prealloc can */
	z = find_pay("root/boot/vmlinuz-zstd");
	CHECK(extents_of(&m, img, "/root/boot/vmlinuz-zstd", z->data, z->len,
			 &c) == PV_ENOTSUP);
	z = find_pay("root/boot/holey");
	CHECK(extents_of(&m, img, "/root/boot/holey", z->data, z->len, &c) == 0);
	CHECK(c.zero_extents >= 2 && c.data_extents >= 1);
	z = find_pay("root/boot/prealloc");
	CHECK(extents_of(&m, img, "/root/boot/prealloc", z->data, z->len,
			 &c) == 0);
	CHECK(c.zero_extents >= 1 && c.data_extents >= 1);
	/* a snapshot shares the subvolume's blocks */
	z = find_pay("root/boot/vmlinuz-lzo");
	CHECK(file_equals(m.fs, "/root-snap/boot/vmlinuz-lzo", z->data, z->len));
	check_listing(m.fs, "/", "root", "root-snap", 3);
	CHECK(walk(m.fs, "/root/boot/vmlinuz", &n) == 0 && S_ISLNK(n.mode));
	umount_img(&m);

	/* the resolver crosses subvolumes and follows the symlink */
	{
		struct disk d;
		struct volume v;
		struct fs *fs = NULL;

		memset(&v, 0, sizeof(v));
		CHECK(disk_open(&d, img) == 0);
		v.disk = &d;
		v.length = d.size;
		CHECK(fs_mount_any(&v, &fs) == 0);
		if (fs) {
			z = find_pay("root/boot/vmlinuz-zstd");
			CHECK(fs_resolve_file(fs, "/root/boot/vmlinuz", &n) == 0);
			CHECK(n.size == z->len);
			CHECK(fs_resolve_dir(fs, "/root/boot/../../home/user",
					     &n) == 0);
			fs_unmount(fs);
		}
		disk_close(&d);
	}
}

static int build_opensuse(const char *img, const char *mnt, uint8_t *kern,
			  size_t klen)
{
	char p[1024];
	int r = 0;

	if (sh("truncate -s 120M %s && mkfs.btrfs -q -f %s >/dev/null 2>&1 && "
	       "mkdir -p %s && mount -o loop %s %s 2>/dev/null",
	       img, img, mnt, img, mnt))
		return -1;
	r |= sh("btrfs -q subvolume create %s/@ >/dev/null && "
		"btrfs -q subvolume create %s/@/.snapshots >/dev/null && "
		"mkdir %s/@/.snapshots/1 && "
		"btrfs -q subvolume create %s/@/.snapshots/1/snapshot >/dev/null && "
		"mkdir -p %s/@/.snapshots/1/snapshot/boot/grub2 %s/@/boot",
		mnt, mnt, mnt, mnt, mnt, mnt);
	snprintf(p, sizeof(p), "%s/@/.snapshots/1/snapshot/boot/vmlinuz", mnt);
	r |= write_file(p, kern, klen);
	snprintf(p, sizeof(p), "%s/@/.snapshots/1/snapshot/boot/grub2/grub.cfg",
		 mnt);
	r |= write_file(p, "set btrfs_relative_path=y\n", 26);
	snprintf(p, sizeof(p), "%s/@/boot/not-the-default", mnt);
	r |= write_file(p, "x", 1);
	r |= sh("id=$(btrfs subvolume list %s | awk '/snapshot$/ {print $2}') && "
		"btrfs -q subvolume set-default $id %s", mnt, mnt);
	r |= sh("sync; umount %s", mnt);
	return r ? -1 : 0;
}

static void check_opensuse(const char *img, const uint8_t *kern, size_t klen)
{
	struct mounted m;
	struct fs_node n;
	int r;

	r = mount_img(&m, img);
	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "mount %s: %s\n", img, pv_errmsg());
		return;
	}
	CHECK(BTRFS(m.fs)->default_subvol >= 256);
	CHECK(file_equals(m.fs, "/boot/vmlinuz", kern, klen));
	CHECK(file_equals(m.fs, "/boot/grub2/grub.cfg",
			  (const uint8_t *)"set btrfs_relative_path=y\n", 26));
	CHECK(walk(m.fs, "/@", &n) == PV_ENOENT);
	check_listing(m.fs, "/", "boot", "boot", 1);
	umount_img(&m);
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
		sh("umount %s 2>/dev/null", mnt);
		printf("test_btrfs: SKIP compressed/subvolume images: "
		       "mount -o loop of a btrfs image failed\n");
		return;
	}
	check_fedora(img);
	kern = compressible(2 * MIB + 7, 1000000, 30);
	snprintf(img, sizeof(img), "%s/opensuse.img", tmp);
	if (build_opensuse(img, mnt, kern, 2 * MIB + 7) < 0) {
		sh("umount %s 2>/dev/null", mnt);
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

	snprintf(tmp, sizeof(tmp), "/tmp/test_btrfs.XXXXXX");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(img, sizeof(img), "%s/rootdir.img", tmp);
	CHECK(make_rootdir_image(img) == 0);
	check_rootdir_image(img);
	check_registry(img);
	check_bad_superblocks(img);
	check_bad_nodes(img);
	check_kernel_made();

	/* a buffer too small for a superblock is not btrfs */
	{
		static uint8_t small[70000];
		struct disk d;
		struct volume v;

		memset(&v, 0, sizeof(v));
		disk_open_mem(&d, small, sizeof(small), "small");
		v.disk = &d;
		v.length = sizeof(small);
		CHECK(btrfs_fs_ops.probe(&v) == PV_ENOTMINE);
	}
	sh("rm -rf %s", tmp);
	free(kernel);
	free(initrd);
	return unit_report("btrfs");
}
