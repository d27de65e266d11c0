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
#include "tests/unit/fstest.h"
#include "tests/unit/unit.h"

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

/* The file name in the temp dir. */
static uint8_t *load(const char *name, size_t *len)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	return fstest_load(p, len);
}

static void check_file(struct fstest_img *m, const char *path, const uint8_t *want,
		       size_t len)
{
	struct fs_node n;
	struct fstest_extents x;
	uint8_t *got;
	int r = fs_resolve(m->fs, path, &n);

	CHECK(r == 0);
	if (r) {
		fprintf(stderr, "  %s: %s\n", path, pv_errmsg());
		return;
	}
	CHECK(S_ISREG(n.mode));
	CHECK(n.size == len);
	got = fstest_read_all(m->fs, &n, 5003);
	CHECK(got && n.size == len && memcmp(got, want, len) == 0);
	free(got);
	CHECK(fstest_extents(m, &n, want, len, &x) == 0);
	CHECK(x.bad == 0 && x.zero_extents == 0 && x.next == len);
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

	fstest_fill(kernel, sizeof(kernel), 1);
	fstest_fill(initrd, sizeof(initrd), 2);
	memset(longname, 'l', 200);
	fstest_sh("mkdir -p %s/src/boot/grub %s/src/many", tmp, tmp);
	snprintf(p, sizeof(p), "%s/src/boot/" KNAME, tmp);
	fstest_write_file(p, kernel, sizeof(kernel));
	snprintf(p, sizeof(p), "%s/src/boot/" INAME, tmp);
	fstest_write_file(p, initrd, sizeof(initrd));
	snprintf(p, sizeof(p), "%s/src/boot/grub/grub.cfg", tmp);
	fstest_write_file(p, "set default=0\n", 14);
	snprintf(p, sizeof(p), "%s/src/boot/%s", tmp, longname);
	fstest_write_file(p, "long\n", 5);
	snprintf(p, sizeof(p), "%s/src/boot/empty", tmp);
	fstest_write_file(p, "", 0);
	for (i = 0; i < MANY; i++) {
		snprintf(p, sizeof(p), "%s/src/many/file-%05d.conf", tmp, i);
		fstest_write_file(p, "x\n", 2);
	}
	/* a tree with symlinks, for Rock Ridge */
	fstest_sh("cp -a %s/src %s/srcrr && ln -s " KNAME " %s/srcrr/boot/vmlinuz && "
	   "ln -s /boot/" INAME " %s/srcrr/boot/initrd.img && "
	   "ln -s ../boot/grub/../grub %s/srcrr/boot/g", tmp, tmp, tmp, tmp, tmp);
}

static int xorriso(const char *out, const char *opts, const char *src)
{
	return fstest_sh("cd %s && xorriso -as mkisofs %s -V MYISO "
		  "--modification-date=2023010203040506 -o %s %s >/dev/null 2>&1",
		  tmp, opts, out, src);
}

static void check_common(struct fstest_img *m)
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
	struct fstest_img m;
	struct fs_node n;
	char link[64], p[300];
	int count = 0;

	memset(&m, 0, sizeof(m));
	CHECK(xorriso("rr.iso", "-R -J", "srcrr") == 0);
	m.data = load("rr.iso", &m.len);
	CHECK(m.data != NULL);
	if (!m.data)
		return;
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
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
	fstest_unmount(&m);
	free(m.data);
}

static void test_joliet_and_plain(void)
{
	struct fstest_img m;
	struct fs_node a, b;

	memset(&m, 0, sizeof(m));
	CHECK(xorriso("j.iso", "--norock -J", "src") == 0);
	m.data = load("j.iso", &m.len);
	CHECK(m.data && fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		check_common(&m);
		/* Joliet names are exact, not folded */
		CHECK(fs_resolve(m.fs, "/BOOT/" KNAME, &a) == PV_ENOENT);
		fstest_unmount(&m);
	}
	free(m.data);

	memset(&m, 0, sizeof(m));
	CHECK(xorriso("p.iso", "--norock -iso-level 2", "src") == 0);
	m.data = load("p.iso", &m.len);
	CHECK(m.data && fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
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
		fstest_unmount(&m);
	}
	free(m.data);
}

/* An MBR partition inside the ISO: the ISO is read at offset 0 through
 * the whole disk, and through the partition's own superblock copy. */
static void test_hybrid(void)
{
	struct fstest_img m;
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
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		check_common(&m);
		check_file(&m, "/boot/vmlinuz", kernel, sizeof(kernel));
		fstest_unmount(&m);
	}
	CHECK(fstest_mount_mem(&m, "iso", start, size, &iso9660_fs_ops) == 0);
	if (m.fs) {
		check_common(&m);
		fstest_unmount(&m);
	}
	free(m.data);

	/* a DOS label written onto a plain ISO with sfdisk */
	memset(&m, 0, sizeof(m));
	CHECK(fstest_sh("cd %s && cp rr.iso sf.iso && echo 'start=2048, type=83' | "
		 "sfdisk -q --wipe never sf.iso >/dev/null 2>&1", tmp) == 0);
	m.data = load("sf.iso", &m.len);
	CHECK(m.data && m.data[510] == 0x55 &&
	      fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		check_common(&m);
		fstest_unmount(&m);
	}
	free(m.data);
}

/* Find needle in the image; its offset or 0. */
static size_t find(const struct fstest_img *m, const void *needle, size_t n)
{
	size_t i;

	for (i = 0; i + n <= m->len; i++)
		if (!memcmp(m->data + i, needle, n))
			return i;
	return 0;
}

/* The NM entry of the kernel's record. */
static size_t kernel_nm(const struct fstest_img *m)
{
	uint8_t nm[5 + sizeof(KNAME) - 1] = { 'N', 'M', 5 + sizeof(KNAME) - 1, 1, 0 };

	memcpy(nm + 5, KNAME, sizeof(KNAME) - 1);
	return find(m, nm, sizeof(nm));
}

static int lookup_kernel(struct fstest_img *m)
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
	struct fstest_img m;
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
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "iso9660: SUSP: entry length below 4") != NULL);
		fstest_unmount(&m);
	}
	/* SUSP entry longer than what is left */
	m.data[nm + 2] = 250;
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "longer than its area") != NULL);
		fstest_unmount(&m);
	}
	memcpy(m.data, orig, len);
	/* CE pointing outside the volume */
	m.data[px] = 'C';
	m.data[px + 1] = 'E';
	put32(m.data + px + 4, 0x7FFFFFF0);
	put32(m.data + px + 12, 0);
	put32(m.data + px + 20, 100);
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "CE area outside") != NULL);
		fstest_unmount(&m);
	}
	/* CE area beyond its block */
	put32(m.data + px + 4, 20);
	put32(m.data + px + 12, 2000);
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		fstest_unmount(&m);
	}
	/* a CE pointing at its own area: a loop, stopped */
	put32(m.data + px + 4, (uint32_t)(px / 2048));
	put32(m.data + px + 12, (uint32_t)(px % 2048));
	put32(m.data + px + 20, m.data[px + 2]);
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "too many continuation areas") != NULL);
		fstest_unmount(&m);
	}
	memcpy(m.data, orig, len);
	/* directory record length < 33: the "." record of /boot */
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
	if (m.fs) {
		CHECK(fs_resolve_dir(m.fs, "/boot", &n) == 0);
		fstest_unmount(&m);
		m.data[n.ino] = 20;
		CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "length below 33") != NULL);
		fstest_unmount(&m);
		memcpy(m.data, orig, len);
		/* a name longer than its record */
		m.data[n.ino + 32] = 200;
		CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == 0);
		CHECK(lookup_kernel(&m) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "name longer than its record") != NULL);
		fstest_unmount(&m);
		memcpy(m.data, orig, len);
	}
	/* descriptors: bad block size, volume larger than the image,
	 * garbage instead of the terminator, no CD001 at all */
	m.data[16 * 2048 + 128] = 0;
	m.data[16 * 2048 + 129] = 0x10;
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "logical block size") != NULL);
	memcpy(m.data, orig, len);
	put32(m.data + 16 * 2048 + 80, 0x100000);
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "volume larger") != NULL);
	memcpy(m.data, orig, len);
	{
		size_t i;

		for (i = 17; i < 24 && m.data[i * 2048] != 255; i++)
			;
		CHECK(i < 24);
		m.data[i * 2048] = 0; /* the terminator becomes a boot record */
	}
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "bad identifier") != NULL);
	memcpy(m.data, orig, len);
	m.data[16 * 2048 + 1] = 'X';
	CHECK(fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == PV_ENOTMINE);
	memcpy(m.data, orig, len);
	/* truncated: the volume is larger than the disk window */
	CHECK(fstest_mount_mem(&m, "iso", 0, len - 4096, &iso9660_fs_ops) == PV_ECORRUPT);
	free(orig);
	free(m.data);

	/* not ISO: an ext4 filesystem */
	memset(&m, 0, sizeof(m));
	CHECK(fstest_sh("cd %s && truncate -s 4M ext.img && mke2fs -q -F -t ext4 ext.img", tmp) == 0);
	m.data = load("ext.img", &m.len);
	CHECK(m.data && fstest_mount_mem(&m, "iso", 0, 0, &iso9660_fs_ops) == PV_ENOTMINE);
	free(m.data);
}

int main(void)
{
	if (fstest_mkdtemp(tmp, sizeof(tmp), "iso"))
		return 1;
	make_sources();
	test_rock_ridge();
	test_joliet_and_plain();
	test_hybrid();
	test_hostile();
	fstest_sh("rm -rf %s", tmp);
	return unit_report("iso9660");
}
