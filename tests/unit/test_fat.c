/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The FAT backend against images made at test time with mkfs.fat and
 * mtools (no root needed): FAT12, FAT16 (512- and 4096-byte sectors),
 * FAT32; long names, a 300-file directory, case-insensitive lookup, a
 * fragmented file; bytes and extents compared with the source files;
 * corrupted copies (cluster loop, cluster beyond the FAT, broken BPBs)
 * give clean errors; an ext4 superblock and MBRs are not taken for FAT.
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

extern const struct fs_ops fat_fs_ops;

#define KNAME "vmlinuz-6.1.0-13-amd64"
#define INAME "initrd.img-6.1.0-13-amd64"
#define MANY 300

static char tmp[256];

/* Bytes by read and by extents equal want; returns the extent count. */
static int check_file(struct fstest_img *m, const char *path,
		      const uint8_t *want, size_t len)
{
	struct fs_node n;
	struct fstest_extents x;
	uint8_t *got;
	int r = fs_resolve(m->fs, path, &n);

	CHECK(r == 0);
	if (r)
		return -1;
	CHECK(S_ISREG(n.mode) && (n.mode & 0777) == 0644);
	CHECK(n.size == len);
	got = fstest_read_all(m->fs, &n, 4099);
	CHECK(got && memcmp(got, want, len) == 0);
	free(got);
	CHECK(fstest_extents(m, &n, want, len, &x) == 0);
	CHECK(x.bad == 0 && x.zero_extents == 0 && x.next == len);
	return x.data_extents + x.zero_extents;
}

struct names {
	int count, found_k, found_long;
};

static int names_cb(void *ctx, const char *name, size_t len)
{
	struct names *s = ctx;

	s->count++;
	if (len == strlen(KNAME) && !memcmp(name, KNAME, len))
		s->found_k++;
	if (len == 25 && !memcmp(name, "a-rather-long-name-00299.", 25))
		s->found_long++;
	return 0;
}

static uint8_t kernel[900000], initrd[300001], big[700000];

static void make_sources(void)
{
	char p[512];
	int i;

	fstest_fill(kernel, sizeof(kernel), 1);
	fstest_fill(initrd, sizeof(initrd), 2);
	fstest_fill(big, sizeof(big), 3);
	fstest_sh("mkdir -p %s/src/boot/grub %s/src/many %s/src/EFI/BOOT", tmp, tmp, tmp);
	snprintf(p, sizeof(p), "%s/src/boot/" KNAME, tmp);
	fstest_write_file(p, kernel, sizeof(kernel));
	snprintf(p, sizeof(p), "%s/src/boot/" INAME, tmp);
	fstest_write_file(p, initrd, sizeof(initrd));
	snprintf(p, sizeof(p), "%s/src/boot/grub/grub.cfg", tmp);
	fstest_write_file(p, "set default=0\n", 14);
	snprintf(p, sizeof(p), "%s/src/boot/empty", tmp);
	fstest_write_file(p, "", 0);
	snprintf(p, sizeof(p), "%s/src/EFI/BOOT/BOOTX64.EFI", tmp);
	fstest_write_file(p, "MZ", 2);
	for (i = 0; i < MANY; i++) {
		snprintf(p, sizeof(p), "%s/src/many/a-rather-long-name-%05d.", tmp, i);
		/* a trailing dot is dropped by mtools; use an extension */
		snprintf(p + strlen(p), sizeof(p) - strlen(p), "cfg");
		fstest_write_file(p, "x\n", 2);
	}
	snprintf(p, sizeof(p), "%s/big", tmp);
	fstest_write_file(p, big, sizeof(big));
	snprintf(p, sizeof(p), "%s/small", tmp);
	fstest_write_file(p, big, 3000);
}

/* mkfs.fat with opts on a size_kib image, then the source tree. */
static int build(const char *name, const char *opts, unsigned size_kib,
		 int with_kernel)
{
	if (fstest_sh("cd %s && rm -f %s && mkfs.fat -C %s %s %u >/dev/null", tmp,
	       name, opts, name, size_kib))
		return -1;
	if (with_kernel)
		return fstest_sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i %s -s src/boot src/many src/EFI ::/",
			  tmp, name);
	return fstest_sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i %s -s src/many ::/", tmp,
		  name);
}

static int load_img(struct fstest_img *m, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	m->data = fstest_load(p, &m->len);
	return m->data ? 0 : -1;
}

static void check_tree(struct fstest_img *m, int with_kernel)
{
	struct fs_node a, b;
	struct names s = { 0, 0, 0 };
	char link[64];

	CHECK(fat_fs_ops.root(m->fs, &a) == 0 && S_ISDIR(a.mode));
	if (with_kernel) {
		check_file(m, "/boot/" KNAME, kernel, sizeof(kernel));
		check_file(m, "/boot/" INAME, initrd, sizeof(initrd));
		check_file(m, "/boot/grub/grub.cfg", (const uint8_t *)"set default=0\n", 14);
		check_file(m, "/boot/empty", (const uint8_t *)"", 0);
		/* case-insensitive, long name and 8.3 name */
		CHECK(fs_resolve(m->fs, "/boot/" KNAME, &a) == 0);
		CHECK(fs_resolve(m->fs, "/BOOT/VMLINUZ-6.1.0-13-AMD64", &b) == 0);
		CHECK(a.ino == b.ino && a.size == b.size);
		CHECK(fs_resolve(m->fs, "/efi/boot/bootx64.efi", &b) == 0 && b.size == 2);
		CHECK(fs_resolve(m->fs, "/boot/GRUB/Grub.Cfg", &b) == 0 && b.size == 14);
		CHECK(fs_resolve(m->fs, "/boot/vmlinuz", &b) == PV_ENOENT);
		CHECK(fs_resolve(m->fs, "/boot/grub", &b) == 0 && S_ISDIR(b.mode) &&
		      (b.mode & 0777) == 0755);
		CHECK(fat_fs_ops.readlink(m->fs, &a, link, sizeof(link)) == PV_ENOTSUP);
		CHECK(fs_resolve_dir(m->fs, "/boot", &b) == 0);
		CHECK(fat_fs_ops.readdir(m->fs, &b, names_cb, &s) == 0);
		CHECK(s.count == 4 && s.found_k == 1);
	}
	CHECK(fs_resolve_dir(m->fs, "/many", &b) == 0);
	memset(&s, 0, sizeof(s));
	CHECK(fat_fs_ops.readdir(m->fs, &b, names_cb, &s) == 0);
	CHECK(s.count == MANY);
	CHECK(fs_resolve(m->fs, "/many/A-RATHER-LONG-NAME-00123.CFG", &a) == 0 &&
	      a.size == 2);
	CHECK(fs_resolve(m->fs, "/many/a-rather-long-name-00300.cfg", &a) == PV_ENOENT);
}

static void test_type(const char *name, const char *opts, unsigned kib,
		      const char *variant, int with_kernel)
{
	struct fstest_img m;

	memset(&m, 0, sizeof(m));
	CHECK(build(name, opts, kib, with_kernel) == 0);
	CHECK(load_img(&m, name) == 0);
	if (!m.data)
		return;
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	if (m.fs) {
		CHECK_STR(fs_type_name(m.fs), variant);
		CHECK_STR(m.fs->uuid, "1234-ABCD");
		CHECK_STR(m.fs->label, "MYLABEL");
		check_tree(&m, with_kernel);
	} else {
		fprintf(stderr, "%s: %s\n", name, pv_errmsg());
	}
	fstest_unmount(&m);
	free(m.data);
}

/* The FAT entry of cluster c in the first FAT of a FAT16 image. */
static uint8_t *fat16_entry(struct fstest_img *m, uint32_t c)
{
	const uint8_t *s = m->data;
	uint32_t bps = s[11] | s[12] << 8, rsvd = s[14] | s[15] << 8;

	return m->data + (uint64_t)rsvd * bps + c * 2;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* A fragmented file, then corruptions of its chain. */
static void test_fragmented_and_corrupt(void)
{
	struct fstest_img m;
	struct fs_node n;
	uint8_t *e, *got, save[2];
	uint32_t c0, c1;
	int i;

	memset(&m, 0, sizeof(m));
	CHECK(build("frag.img", "-F 16 -s 1 -i 1234ABCD -n MYLABEL", 8192, 0) == 0);
	for (i = 0; i < 24; i++)
		fstest_sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i frag.img small ::/s%02d", tmp, i);
	for (i = 0; i < 24; i += 2)
		fstest_sh("cd %s && MTOOLS_SKIP_CHECK=1 mdel -i frag.img ::/s%02d", tmp, i);
	CHECK(fstest_sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i frag.img big ::/big", tmp) == 0);
	CHECK(load_img(&m, "frag.img") == 0);
	if (!m.data)
		return;
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	if (!m.fs)
		return;
	CHECK_STR(fs_type_name(m.fs), "fat16");
	CHECK(check_file(&m, "/big", big, sizeof(big)) > 5);
	CHECK(check_file(&m, "/s01", big, 3000) == 1);
	CHECK(fs_resolve(m.fs, "/big", &n) == 0);
	c0 = (uint32_t)n.ino;
	fstest_unmount(&m);

	/* the second cluster points back at the first: a loop */
	e = fat16_entry(&m, c0);
	c1 = e[0] | e[1] << 8;
	e = fat16_entry(&m, c1);
	memcpy(save, e, 2);
	put16(e, c0);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/big", &n) == 0);
		got = malloc(n.size);
		CHECK(fat_fs_ops.read(m.fs, &n, 0, got, n.size) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "fat: cluster chain") != NULL);
		CHECK(strstr(pv_errmsg(), "loop") != NULL);
		free(got);
		fstest_unmount(&m);
	}
	/* a cluster beyond the FAT */
	put16(e, 0xFFF0);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	if (m.fs) {
		struct fstest_extents x;

		CHECK(fs_resolve(m.fs, "/big", &n) == 0);
		CHECK(fstest_extents(&m, &n, big, sizeof(big), &x) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "beyond the FAT") != NULL);
		fstest_unmount(&m);
	}
	/* a chain ending early: shorter than the file */
	put16(e, 0xFFFF);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	if (m.fs) {
		uint8_t b[16];

		CHECK(fs_resolve(m.fs, "/big", &n) == 0);
		CHECK(fat_fs_ops.read(m.fs, &n, 0, b, sizeof(b)) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "shorter") != NULL);
		fstest_unmount(&m);
	}
	/* a free cluster in a chain */
	put16(e, 0);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	if (m.fs) {
		uint8_t b[16];

		CHECK(fs_resolve(m.fs, "/big", &n) == 0);
		CHECK(fat_fs_ops.read(m.fs, &n, 0, b, sizeof(b)) == PV_ECORRUPT);
		fstest_unmount(&m);
	}
	memcpy(e, save, 2);
	/* restored: reads again */
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	if (m.fs)
		CHECK(check_file(&m, "/big", big, sizeof(big)) > 5);
	fstest_unmount(&m);
	free(m.data);
}

/* Broken boot sectors: mine (FAT type string) but inconsistent. */
static void test_bad_bpb(void)
{
	struct fstest_img m;
	uint8_t orig[512];

	memset(&m, 0, sizeof(m));
	CHECK(build("bpb.img", "-F 16 -s 1 -i 1234ABCD -n MYLABEL", 4096, 0) == 0);
	CHECK(load_img(&m, "bpb.img") == 0);
	if (!m.data)
		return;
	memcpy(orig, m.data, 512);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	fstest_unmount(&m);

	/* FAT larger than the volume */
	put16(m.data + 22, 0xFFFF);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ECORRUPT);
	CHECK(strncmp(pv_errmsg(), "fat: boot sector: ", 18) == 0);
	memcpy(m.data, orig, 512);
	/* more sectors than the volume holds */
	m.len -= 4096;
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "larger than its volume") != NULL);
	m.len += 4096;
	/* no root directory entries on a FAT16 layout */
	put16(m.data + 17, 0);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ECORRUPT);
	memcpy(m.data, orig, 512);
	/* sector size not a power of two: not a FAT boot sector at all */
	put16(m.data + 11, 1000);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ENOTMINE);
	memcpy(m.data, orig, 512);
	/* three FATs */
	m.data[16] = 3;
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ENOTMINE);
	memcpy(m.data, orig, 512);
	/* no jump */
	m.data[0] = 0x00;
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ENOTMINE);
	memcpy(m.data, orig, 512);
	/* a GRUB-style MBR: jump + signature, BPB zeroed */
	memset(m.data + 3, 0, 59);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ENOTMINE);
	memcpy(m.data, orig, 512);
	/* no type string but consistent geometry is still FAT */
	memset(m.data + 54, ' ', 8);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == 0);
	fstest_unmount(&m);
	/* no type string and broken geometry is not mine */
	put16(m.data + 22, 0xFFFF);
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ENOTMINE);
	free(m.data);

	/* FAT32 with its root cluster out of range */
	memset(&m, 0, sizeof(m));
	CHECK(build("bpb32.img", "-F 32 -S 512 -i 1234ABCD -n MYLABEL", 40960, 0) == 0);
	CHECK(load_img(&m, "bpb32.img") == 0);
	if (!m.data)
		return;
	m.data[44] = 0xFF;
	m.data[45] = 0xFF;
	m.data[46] = 0xFF;
	m.data[47] = 0x0F;
	CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "root cluster") != NULL);
	free(m.data);
}

/* Not FAT: an ext4 filesystem, a partitioned disk (MBR). */
static void test_not_fat(void)
{
	struct fstest_img m;

	memset(&m, 0, sizeof(m));
	CHECK(fstest_sh("cd %s && rm -f ext.img && truncate -s 4M ext.img && mke2fs -q -F -t ext4 ext.img", tmp) == 0);
	CHECK(load_img(&m, "ext.img") == 0);
	if (m.data)
		CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ENOTMINE);
	free(m.data);
	CHECK(fstest_sh("cd %s && rm -f mbr.img && truncate -s 4M mbr.img && echo 'start=2048, type=83' | sfdisk -q mbr.img", tmp) == 0);
	CHECK(load_img(&m, "mbr.img") == 0);
	if (m.data)
		CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ENOTMINE);
	free(m.data);
	/* a FAT filesystem inside a partition: found at its offset */
	CHECK(fstest_sh("cd %s && rm -f part.img && truncate -s 8M part.img && echo 'start=2048, type=c' | sfdisk -q part.img && mkfs.fat -F 16 -s 1 -i 1234ABCD -n MYLABEL --offset 2048 part.img 6000 >/dev/null 2>&1 && MTOOLS_SKIP_CHECK=1 mcopy -i part.img@@1M -s src/many ::/", tmp) == 0);
	CHECK(load_img(&m, "part.img") == 0);
	if (m.data) {
		CHECK(fstest_mount_mem(&m, "fat", 0, 0, &fat_fs_ops) == PV_ENOTMINE);
		CHECK(fstest_mount_mem(&m, "fat", 1 << 20, 0, &fat_fs_ops) == 0);
		if (m.fs)
			check_tree(&m, 0);
		fstest_unmount(&m);
	}
	free(m.data);
}

int main(void)
{
	if (fstest_mkdtemp(tmp, sizeof(tmp), "fat"))
		return 1;
	make_sources();
	test_type("f12.img", "-F 12 -i 1234ABCD -n MYLABEL", 2000, "fat12", 1);
	test_type("f16.img", "-F 16 -s 1 -i 1234ABCD -n MYLABEL", 8192, "fat16", 1);
	test_type("f16s.img", "-F 16 -S 4096 -s 1 -i 1234ABCD -n MYLABEL", 20480, "fat16", 1);
	test_type("f32.img", "-F 32 -S 512 -i 1234ABCD -n MYLABEL", 40960, "fat32", 1);
	test_type("f12many.img", "-F 12 -s 1 -i 1234ABCD -n MYLABEL", 1440, "fat12", 0);
	test_fragmented_and_corrupt();
	test_bad_bpb();
	test_not_fat();
	fstest_sh("rm -rf %s", tmp);
	return unit_report("fat");
}
