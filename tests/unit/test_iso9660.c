/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ISO 9660 backend against images made at test time with xorriso (no
 * root needed): Rock Ridge + Joliet, Joliet only, plain ISO level 2; a
 * symlinked kernel (SL), a 200-byte name (NM over a CE area), a 300-file
 * directory, bytes and extents compared with the sources; a hybrid disk
 * (MBR partition inside the ISO) read at offset 0 and through the
 * partition; hostile copies (SUSP length 0, CE outside the volume, a CE
 * loop, record length < 33, broken descriptors) give clean errors.
 */
#include "fs/fs.h"
#include "fs/path.h"
#include "common/err.h"
#include "partition/disk.h"
#include "tests/unit/unit.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct fs_ops iso9660_fs_ops;

#define KNAME "vmlinuz-6.1.0-13-amd64"
#define INAME "initrd.img-6.1.0-13-amd64"
#define MANY 300

static char tmp[256];
static char longname[201];
static uint8_t kernel[900000], initrd[300001];

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

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

static uint8_t *load(const char *name, size_t *len)
{
	char p[512];
	FILE *f;
	uint8_t *buf = NULL;
	long n;

	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	f = fopen(p, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n > 0 && (buf = malloc((size_t)n)) &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

struct img {
	uint8_t *data;
	size_t len;
	struct disk d;
	struct volume v;
	struct fs *fs;
};

static int mount_mem(struct img *m, uint64_t offset, uint64_t length)
{
	int r;

	m->fs = NULL;
	disk_open_mem(&m->d, m->data, m->len, "iso");
	memset(&m->v, 0, sizeof(m->v));
	m->v.disk = &m->d;
	m->v.offset = offset;
	m->v.length = length ? length : m->len - offset;
	pv_err_clear();
	r = iso9660_fs_ops.probe(&m->v);
	if (r == 0)
		r = iso9660_fs_ops.mount(&m->v, &m->fs);
	if (r == 0) {
		m->fs->ops = &iso9660_fs_ops;
		m->fs->vol = &m->v;
	}
	return r;
}

static void umount_mem(struct img *m)
{
	if (m->fs)
		iso9660_fs_ops.unmount(m->fs);
	m->fs = NULL;
}

struct extcheck {
	const uint8_t *disk, *want;
	uint64_t next;
	int count, bad;
};

static int ext_cb(void *ctx, const struct fs_extent *e)
{
	struct extcheck *x = ctx;

	if (e->file_off != x->next || e->zero ||
	    memcmp(x->disk + e->disk_off, x->want + e->file_off, e->len))
		x->bad++;
	x->next += e->len;
	x->count++;
	return 0;
}

static void check_file(struct img *m, const char *path, const uint8_t *want,
		       size_t len)
{
	struct fs_node n;
	struct extcheck x = { m->data, want, 0, 0, 0 };
	uint8_t *got = malloc(len + 1);
	uint64_t off = 0;
	int r = fs_resolve(m->fs, path, &n);

	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "  %s: %s\n", path, pv_errmsg());
		free(got);
		return;
	}
	CHECK(S_ISREG(n.mode));
	CHECK(n.size == len);
	while (got && off < len) {
		long k = iso9660_fs_ops.read(m->fs, &n, off, got + off, 5003);

		if (k <= 0)
			break;
		off += (uint64_t)k;
	}
	CHECK(off == len && memcmp(got, want, len) == 0);
	free(got);
	CHECK(iso9660_fs_ops.extents(m->fs, &n, ext_cb, &x) == 0);
	CHECK(x.bad == 0 && x.next == len);
}

static int count_cb(void *ctx, const char *name, size_t len)
{
	(void)name;
	(void)len;
	++*(int *)ctx;
	return 0;
}

static void make_sources(void)
{
	char p[512];
	int i;

	fill(kernel, sizeof(kernel), 1);
	fill(initrd, sizeof(initrd), 2);
	memset(longname, 'l', 200);
	sh("mkdir -p %s/src/boot/grub %s/src/many", tmp, tmp);
	snprintf(p, sizeof(p), "%s/src/boot/" KNAME, tmp);
	write_file(p, kernel, sizeof(kernel));
	snprintf(p, sizeof(p), "%s/src/boot/" INAME, tmp);
	write_file(p, initrd, sizeof(initrd));
	snprintf(p, sizeof(p), "%s/src/boot/grub/grub.cfg", tmp);
	write_file(p, "set default=0\n", 14);
	snprintf(p, sizeof(p), "%s/src/boot/%s", tmp, longname);
	write_file(p, "long\n", 5);
	snprintf(p, sizeof(p), "%s/src/boot/empty", tmp);
	write_file(p, "", 0);
	for (i = 0; i < MANY; i++) {
		snprintf(p, sizeof(p), "%s/src/many/file-%05d.conf", tmp, i);
		write_file(p, "x\n", 2);
	}
	/* a tree with symlinks, for Rock Ridge */
	sh("cp -a %s/src %s/srcrr && ln -s " KNAME " %s/srcrr/boot/vmlinuz && "
	   "ln -s /boot/" INAME " %s/srcrr/boot/initrd.img && "
	   "ln -s ../boot/grub/../grub %s/srcrr/boot/g", tmp, tmp, tmp, tmp, tmp);
}

static int xorriso(const char *out, const char *opts, const char *src)
{
	return sh("cd %s && xorriso -as mkisofs %s -V MYISO "
		  "--modification-date=2023010203040506 -o %s %s >/dev/null 2>&1",
		  tmp, opts, out, src);
}

static void check_common(struct img *m)
{
	struct fs_node n;
	int count = 0;

	CHECK_STR(m->fs->uuid, "2023-01-02-03-04-05-06");
	CHECK_STR(m->fs->label, "MYISO");
	check_file(m, "/boot/" KNAME, kernel, sizeof(kernel));
	check_file(m, "/boot/" INAME, initrd, sizeof(initrd));
	check_file(m, "/boot/grub/grub.cfg", (const uint8_t *)"set default=0\n", 14);
	check_file(m, "/boot/empty", (const uint8_t *)"", 0);
	CHECK(fs_resolve_dir(m->fs, "/many", &n) == 0);
	CHECK(iso9660_fs_ops.readdir(m->fs, &n, count_cb, &count) == 0);
	CHECK(count == MANY);
	CHECK(fs_resolve(m->fs, "/many/file-00299.conf", &n) == 0 && n.size == 2);
	CHECK(fs_resolve(m->fs, "/many/file-00300.conf", &n) == PV_ENOENT);
}

static void test_rock_ridge(void)
{
	struct img m;
	struct fs_node n;
	char link[64], p[300];
	int count = 0;

	memset(&m, 0, sizeof(m));
	CHECK(xorriso("rr.iso", "-R -J", "srcrr") == 0);
	m.data = load("rr.iso", &m.len);
	CHECK(m.data != NULL);
	if (!m.data)
		return;
	CHECK(mount_mem(&m, 0, 0) == 0);
	if (!m.fs) {
		fprintf(stderr, "  %s\n", pv_errmsg());
		free(m.data);
		return;
	}
	check_common(&m);
	/* symlinks through SL */
	check_file(&m, "/boot/vmlinuz", kernel, sizeof(kernel));
	check_file(&m, "/boot/initrd.img", initrd, sizeof(initrd));
	check_file(&m, "/boot/g/grub.cfg", (const uint8_t *)"set default=0\n", 14);
	CHECK(fs_resolve_dir(m.fs, "/boot", &n) == 0);
	CHECK(iso9660_fs_ops.lookup(m.fs, &n, "vmlinuz", 7, &n) == 0 && S_ISLNK(n.mode));
	CHECK(iso9660_fs_ops.readlink(m.fs, &n, link, sizeof(link)) == (int)strlen(KNAME));
	CHECK_STR(link, KNAME);
	CHECK(iso9660_fs_ops.readlink(m.fs, &n, link, 8) == PV_ELIMIT);
	CHECK(fs_resolve_dir(m.fs, "/boot", &n) == 0);
	CHECK(iso9660_fs_ops.lookup(m.fs, &n, "initrd.img", 10, &n) == 0);
	CHECK(iso9660_fs_ops.readlink(m.fs, &n, link, sizeof(link)) > 0);
	CHECK_STR(link, "/boot/" INAME);
	CHECK(fs_resolve_dir(m.fs, "/boot", &n) == 0);
	CHECK(iso9660_fs_ops.lookup(m.fs, &n, "g", 1, &n) == 0);
	CHECK(iso9660_fs_ops.readlink(m.fs, &n, link, sizeof(link)) > 0);
	CHECK_STR(link, "../boot/grub/../grub");
	/* the 200-byte name */
	snprintf(p, sizeof(p), "/boot/%s", longname);
	check_file(&m, p, (const uint8_t *)"long\n", 5);
	/* Rock Ridge names are exact */
	CHECK(fs_resolve(m.fs, "/BOOT/" KNAME, &n) == PV_ENOENT);
	CHECK(fs_resolve_dir(m.fs, "/boot", &n) == 0);
	CHECK(iso9660_fs_ops.readdir(m.fs, &n, count_cb, &count) == 0);
	CHECK(count == 8);
	umount_mem(&m);
	free(m.data);
}

static void test_joliet_and_plain(void)
{
	struct img m;
	struct fs_node a, b;

	memset(&m, 0, sizeof(m));
	CHECK(xorriso("j.iso", "--norock -J", "src") == 0);
	m.data = load("j.iso", &m.len);
	CHECK(m.data && mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		check_common(&m);
		/* Joliet names are exact, not folded */
		CHECK(fs_resolve(m.fs, "/BOOT/" KNAME, &a) == PV_ENOENT);
		umount_mem(&m);
	}
	free(m.data);

	memset(&m, 0, sizeof(m));
	CHECK(xorriso("p.iso", "--norock -iso-level 2", "src") == 0);
	m.data = load("p.iso", &m.len);
	CHECK(m.data && mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		int count = 0;

		CHECK(fs_resolve_dir(m.fs, "/many", &a) == 0);
		CHECK(iso9660_fs_ops.readdir(m.fs, &a, count_cb, &count) == 0);
		CHECK(count == MANY);
		/* xorriso's level 2 name: '-' and all dots but the last are '_' */
		CHECK(fs_resolve(m.fs, "/boot/VMLINUZ_6_1.0_13_AMD64", &a) == 0);
		CHECK(fs_resolve(m.fs, "/boot/vmlinuz_6_1.0_13_amd64", &b) == 0);
		CHECK(a.ino == b.ino && a.size == sizeof(kernel));
		CHECK_STR(m.fs->uuid, "2023-01-02-03-04-05-06");
		check_file(&m, "/boot/grub/grub.cfg", (const uint8_t *)"set default=0\n", 14);
		check_file(&m, "/boot/empty", (const uint8_t *)"", 0);
		/* plain names: version and dot dropped, case folded */
		CHECK(fs_resolve(m.fs, "/BOOT/GRUB/GRUB.CFG", &a) == 0);
		CHECK(fs_resolve(m.fs, "/boot/Grub/grub.cfg", &b) == 0);
		CHECK(a.ino == b.ino && a.size == 14);
		CHECK(fs_resolve(m.fs, "/boot/empty", &a) == 0 && a.size == 0);
		CHECK(fs_resolve(m.fs, "/boot/EMPTY;1", &a) == PV_ENOENT);
		umount_mem(&m);
	}
	free(m.data);
}

/* An MBR partition inside the ISO: the ISO is read at offset 0 through
 * the whole disk, and through the partition's own superblock copy. */
static void test_hybrid(void)
{
	struct img m;
	uint64_t start, size;

	memset(&m, 0, sizeof(m));
	CHECK(xorriso("hy.iso", "-R -J -partition_offset 16", "srcrr") == 0);
	m.data = load("hy.iso", &m.len);
	CHECK(m.data != NULL);
	if (!m.data)
		return;
	CHECK(m.data[510] == 0x55 && m.data[511] == 0xAA);
	start = (uint64_t)(m.data[454] | m.data[455] << 8 | m.data[456] << 16) * 512;
	size = (uint64_t)(m.data[458] | m.data[459] << 8 | m.data[460] << 16) * 512;
	CHECK(start == 32768 && size > 0);
	CHECK(mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		check_common(&m);
		check_file(&m, "/boot/vmlinuz", kernel, sizeof(kernel));
		umount_mem(&m);
	}
	CHECK(mount_mem(&m, start, size) == 0);
	if (m.fs) {
		check_common(&m);
		umount_mem(&m);
	}
	free(m.data);

	/* a DOS label written onto a plain ISO with sfdisk */
	memset(&m, 0, sizeof(m));
	CHECK(sh("cd %s && cp rr.iso sf.iso && echo 'start=2048, type=83' | "
		 "sfdisk -q --wipe never sf.iso >/dev/null 2>&1", tmp) == 0);
	m.data = load("sf.iso", &m.len);
	CHECK(m.data && m.data[510] == 0x55 && mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		check_common(&m);
		umount_mem(&m);
	}
	free(m.data);
}

/* Find needle in the image; its offset or 0. */
static size_t find(const struct img *m, const void *needle, size_t n)
{
	size_t i;

	for (i = 0; i + n <= m->len; i++)
		if (!memcmp(m->data + i, needle, n))
			return i;
	return 0;
}

/* The NM entry of the kernel's record. */
static size_t kernel_nm(const struct img *m)
{
	uint8_t nm[5 + sizeof(KNAME) - 1] = { 'N', 'M', 5 + sizeof(KNAME) - 1, 1, 0 };

	memcpy(nm + 5, KNAME, sizeof(KNAME) - 1);
	return find(m, nm, sizeof(nm));
}

static int lookup_kernel(struct img *m)
{
	struct fs_node n;

	return fs_resolve(m->fs, "/boot/" KNAME, &n);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void test_hostile(void)
{
	struct img m;
	uint8_t *orig;
	size_t nm, px, len;
	struct fs_node n;

	memset(&m, 0, sizeof(m));
	m.data = load("rr.iso", &m.len);
	CHECK(m.data != NULL);
	if (!m.data)
		return;
	orig = malloc(m.len);
	memcpy(orig, m.data, m.len);
	len = m.len;
	nm = kernel_nm(&m);
	CHECK(nm > 0);
	/* the PX entry before it in the same record */
	for (px = nm; px > nm - 200 && px > 0; px--)
		if (m.data[px] == 'P' && m.data[px + 1] == 'X' &&
		    m.data[px + 2] >= 36 && m.data[px + 3] == 1)
			break;
	CHECK(m.data[px] == 'P');

	/* SUSP entry length 0 */
	m.data[nm + 2] = 0;
	CHECK(mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "iso9660: SUSP: entry length below 4") != NULL);
		umount_mem(&m);
	}
	/* SUSP entry longer than what is left */
	m.data[nm + 2] = 250;
	CHECK(mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "longer than its area") != NULL);
		umount_mem(&m);
	}
	memcpy(m.data, orig, len);
	/* CE pointing outside the volume */
	m.data[px] = 'C';
	m.data[px + 1] = 'E';
	put32(m.data + px + 4, 0x7FFFFFF0);
	put32(m.data + px + 12, 0);
	put32(m.data + px + 20, 100);
	CHECK(mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "CE area outside") != NULL);
		umount_mem(&m);
	}
	/* CE area beyond its block */
	put32(m.data + px + 4, 20);
	put32(m.data + px + 12, 2000);
	CHECK(mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		umount_mem(&m);
	}
	/* a CE pointing at its own area: a loop, stopped */
	put32(m.data + px + 4, (uint32_t)(px / 2048));
	put32(m.data + px + 12, (uint32_t)(px % 2048));
	put32(m.data + px + 20, m.data[px + 2]);
	CHECK(mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "too many continuation areas") != NULL);
		umount_mem(&m);
	}
	memcpy(m.data, orig, len);
	/* directory record length < 33: the "." record of /boot */
	CHECK(mount_mem(&m, 0, 0) == 0);
	if (m.fs) {
		CHECK(fs_resolve_dir(m.fs, "/boot", &n) == 0);
		umount_mem(&m);
		m.data[n.ino] = 20;
		CHECK(mount_mem(&m, 0, 0) == 0);
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "length below 33") != NULL);
		umount_mem(&m);
		memcpy(m.data, orig, len);
		/* a name longer than its record */
		m.data[n.ino + 32] = 200;
		CHECK(mount_mem(&m, 0, 0) == 0);
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "name longer than its record") != NULL);
		umount_mem(&m);
		memcpy(m.data, orig, len);
	}
	/* descriptors: bad block size, volume larger than the image,
	 * garbage instead of the terminator, no CD001 at all */
	m.data[16 * 2048 + 128] = 0;
	m.data[16 * 2048 + 129] = 0x10;
	CHECK(mount_mem(&m, 0, 0) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "logical block size") != NULL);
	memcpy(m.data, orig, len);
	put32(m.data + 16 * 2048 + 80, 0x100000);
	CHECK(mount_mem(&m, 0, 0) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "volume larger") != NULL);
	memcpy(m.data, orig, len);
	{
		size_t i;

		for (i = 17; i < 24 && m.data[i * 2048] != 255; i++)
			;
		CHECK(i < 24);
		m.data[i * 2048] = 0; /* the terminator becomes a boot record */
	}
	CHECK(mount_mem(&m, 0, 0) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "bad identifier") != NULL);
	memcpy(m.data, orig, len);
	m.data[16 * 2048 + 1] = 'X';
	CHECK(mount_mem(&m, 0, 0) == PV_ENOTMINE);
	memcpy(m.data, orig, len);
	/* truncated: the volume is larger than the disk window */
	CHECK(mount_mem(&m, 0, len - 4096) == PV_ECORRUPT);
	free(orig);
	free(m.data);

	/* not ISO: an ext4 filesystem */
	memset(&m, 0, sizeof(m));
	CHECK(sh("cd %s && truncate -s 4M ext.img && mke2fs -q -F -t ext4 ext.img", tmp) == 0);
	m.data = load("ext.img", &m.len);
	CHECK(m.data && mount_mem(&m, 0, 0) == PV_ENOTMINE);
	free(m.data);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmp, sizeof(tmp), "%s/pvboot-iso-XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	make_sources();
	test_rock_ridge();
	test_joliet_and_plain();
	test_hybrid();
	test_hostile();
	sh("rm -rf %s", tmp);
	return unit_report("iso9660");
}
