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
#include "tests/unit/unit.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct fs_ops fat_fs_ops;

#define KNAME "vmlinuz-6.1.0-13-amd64"
#define INAME "initrd.img-6.1.0-13-amd64"
#define MANY 300

static char tmp[256];

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

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

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

/* Probe and mount an in-memory image at offset; returns the code. */
static int mount_mem(struct img *m, uint64_t offset)
{
	int r;

	m->fs = NULL;
	disk_open_mem(&m->d, m->data, m->len, "fat");
	memset(&m->v, 0, sizeof(m->v));
	m->v.disk = &m->d;
	m->v.offset = offset;
	m->v.length = m->len - offset;
	pv_err_clear();
	r = fat_fs_ops.probe(&m->v);
	if (r == 0)
		r = fat_fs_ops.mount(&m->v, &m->fs);
	if (r == 0) {
		m->fs->ops = &fat_fs_ops;
		m->fs->vol = &m->v;
	}
	return r;
}

static void umount_mem(struct img *m)
{
	if (m->fs)
		fat_fs_ops.unmount(m->fs);
	m->fs = NULL;
}

static uint8_t *read_all(struct fs *fs, const struct fs_node *n)
{
	uint8_t *buf = malloc(n->size + 1);
	uint64_t off = 0;

	while (buf && off < n->size) {
		long got = fat_fs_ops.read(fs, n, off, buf + off, 4099);

		if (got <= 0) {
			free(buf);
			return NULL;
		}
		off += (uint64_t)got;
	}
	return buf;
}

struct extcheck {
	const uint8_t *disk;
	const uint8_t *want;
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

/* Bytes by read and by extents equal want; returns the extent count. */
static int check_file(struct img *m, const char *path, const uint8_t *want,
		      size_t len)
{
	struct fs_node n;
	struct extcheck x = { m->data, want, 0, 0, 0 };
	uint8_t *got;
	int r = fs_resolve(m->fs, path, &n);

	CHECK(r == 0);
	if (r)
		return -1;
	CHECK(S_ISREG(n.mode) && (n.mode & 0777) == 0644);
	CHECK(n.size == len);
	got = read_all(m->fs, &n);
	CHECK(got && memcmp(got, want, len) == 0);
	free(got);
	CHECK(fat_fs_ops.extents(m->fs, &n, ext_cb, &x) == 0);
	CHECK(x.bad == 0 && x.next == len);
	return x.count;
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

	fill(kernel, sizeof(kernel), 1);
	fill(initrd, sizeof(initrd), 2);
	fill(big, sizeof(big), 3);
	sh("mkdir -p %s/src/boot/grub %s/src/many %s/src/EFI/BOOT", tmp, tmp, tmp);
	snprintf(p, sizeof(p), "%s/src/boot/" KNAME, tmp);
	write_file(p, kernel, sizeof(kernel));
	snprintf(p, sizeof(p), "%s/src/boot/" INAME, tmp);
	write_file(p, initrd, sizeof(initrd));
	snprintf(p, sizeof(p), "%s/src/boot/grub/grub.cfg", tmp);
	write_file(p, "set default=0\n", 14);
	snprintf(p, sizeof(p), "%s/src/boot/empty", tmp);
	write_file(p, "", 0);
	snprintf(p, sizeof(p), "%s/src/EFI/BOOT/BOOTX64.EFI", tmp);
	write_file(p, "MZ", 2);
	for (i = 0; i < MANY; i++) {
		snprintf(p, sizeof(p), "%s/src/many/a-rather-long-name-%05d.", tmp, i);
		/* a trailing dot is dropped by mtools; use an extension */
		snprintf(p + strlen(p), sizeof(p) - strlen(p), "cfg");
		write_file(p, "x\n", 2);
	}
	snprintf(p, sizeof(p), "%s/big", tmp);
	write_file(p, big, sizeof(big));
	snprintf(p, sizeof(p), "%s/small", tmp);
	write_file(p, big, 3000);
}

/* mkfs.fat with opts on a size_kib image, then the source tree. */
static int build(const char *name, const char *opts, unsigned size_kib,
		 int with_kernel)
{
	if (sh("cd %s && rm -f %s && mkfs.fat -C %s %s %u >/dev/null", tmp,
	       name, opts, name, size_kib))
		return -1;
	if (with_kernel)
		return sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i %s -s src/boot src/many src/EFI ::/",
			  tmp, name);
	return sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i %s -s src/many ::/", tmp,
		  name);
}

static int load_img(struct img *m, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	m->data = load(p, &m->len);
	return m->data ? 0 : -1;
}

static void check_tree(struct img *m, int with_kernel)
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
	struct img m;

	memset(&m, 0, sizeof(m));
	CHECK(build(name, opts, kib, with_kernel) == 0);
	CHECK(load_img(&m, name) == 0);
	if (!m.data)
		return;
	CHECK(mount_mem(&m, 0) == 0);
	if (m.fs) {
		CHECK_STR(fs_type_name(m.fs), variant);
		CHECK_STR(m.fs->uuid, "1234-ABCD");
		CHECK_STR(m.fs->label, "MYLABEL");
		check_tree(&m, with_kernel);
	} else {
		fprintf(stderr, "%s: %s\n", name, pv_errmsg());
	}
	umount_mem(&m);
	free(m.data);
}

/* The FAT entry of cluster c in the first FAT of a FAT16 image. */
static uint8_t *fat16_entry(struct img *m, uint32_t c)
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
	struct img m;
	struct fs_node n;
	uint8_t *e, *got, save[2];
	uint32_t c0, c1;
	int i;

	memset(&m, 0, sizeof(m));
	CHECK(build("frag.img", "-F 16 -s 1 -i 1234ABCD -n MYLABEL", 8192, 0) == 0);
	for (i = 0; i < 24; i++)
		sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i frag.img small ::/s%02d", tmp, i);
	for (i = 0; i < 24; i += 2)
		sh("cd %s && MTOOLS_SKIP_CHECK=1 mdel -i frag.img ::/s%02d", tmp, i);
	CHECK(sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i frag.img big ::/big", tmp) == 0);
	CHECK(load_img(&m, "frag.img") == 0);
	if (!m.data)
		return;
	CHECK(mount_mem(&m, 0) == 0);
	if (!m.fs)
		return;
	CHECK_STR(fs_type_name(m.fs), "fat16");
	CHECK(check_file(&m, "/big", big, sizeof(big)) > 5);
	CHECK(check_file(&m, "/s01", big, 3000) == 1);
	CHECK(fs_resolve(m.fs, "/big", &n) == 0);
	c0 = (uint32_t)n.ino;
	umount_mem(&m);

	/* the second cluster points back at the first: a loop */
	e = fat16_entry(&m, c0);
	c1 = e[0] | e[1] << 8;
	e = fat16_entry(&m, c1);
	memcpy(save, e, 2);
	put16(e, c0);
	CHECK(mount_mem(&m, 0) == 0);
	if (m.fs) {
		CHECK(fs_resolve(m.fs, "/big", &n) == 0);
		got = malloc(n.size);
		CHECK(fat_fs_ops.read(m.fs, &n, 0, got, n.size) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "fat: cluster chain") != NULL);
		CHECK(strstr(pv_errmsg(), "loop") != NULL);
		free(got);
		umount_mem(&m);
	}
	/* a cluster beyond the FAT */
	put16(e, 0xFFF0);
	CHECK(mount_mem(&m, 0) == 0);
	if (m.fs) {
		struct extcheck x = { m.data, big, 0, 0, 0 };

		CHECK(fs_resolve(m.fs, "/big", &n) == 0);
		CHECK(fat_fs_ops.extents(m.fs, &n, ext_cb, &x) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "beyond the FAT") != NULL);
		umount_mem(&m);
	}
	/* a chain ending early: shorter than the file */
	put16(e, 0xFFFF);
	CHECK(mount_mem(&m, 0) == 0);
	if (m.fs) {
		uint8_t b[16];

		CHECK(fs_resolve(m.fs, "/big", &n) == 0);
		CHECK(fat_fs_ops.read(m.fs, &n, 0, b, sizeof(b)) == PV_ECORRUPT);
		CHECK(strstr(pv_errmsg(), "shorter") != NULL);
		umount_mem(&m);
	}
	/* a free cluster in a chain */
	put16(e, 0);
	CHECK(mount_mem(&m, 0) == 0);
	if (m.fs) {
		uint8_t b[16];

		CHECK(fs_resolve(m.fs, "/big", &n) == 0);
		CHECK(fat_fs_ops.read(m.fs, &n, 0, b, sizeof(b)) == PV_ECORRUPT);
		umount_mem(&m);
	}
	memcpy(e, save, 2);
	/* restored: reads again */
	CHECK(mount_mem(&m, 0) == 0);
	if (m.fs)
		CHECK(check_file(&m, "/big", big, sizeof(big)) > 5);
	umount_mem(&m);
	free(m.data);
}

/* Broken boot sectors: mine (FAT type string) but inconsistent. */
static void test_bad_bpb(void)
{
	struct img m;
	uint8_t orig[512];

	memset(&m, 0, sizeof(m));
	CHECK(build("bpb.img", "-F 16 -s 1 -i 1234ABCD -n MYLABEL", 4096, 0) == 0);
	CHECK(load_img(&m, "bpb.img") == 0);
	if (!m.data)
		return;
	memcpy(orig, m.data, 512);
	CHECK(mount_mem(&m, 0) == 0);
	umount_mem(&m);

	/* FAT larger than the volume */
	put16(m.data + 22, 0xFFFF);
	CHECK(mount_mem(&m, 0) == PV_ECORRUPT);
	CHECK(strncmp(pv_errmsg(), "fat: boot sector: ", 18) == 0);
	memcpy(m.data, orig, 512);
	/* more sectors than the volume holds */
	m.len -= 4096;
	CHECK(mount_mem(&m, 0) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "larger than its volume") != NULL);
	m.len += 4096;
	/* no root directory entries on a FAT16 layout */
	put16(m.data + 17, 0);
	CHECK(mount_mem(&m, 0) == PV_ECORRUPT);
	memcpy(m.data, orig, 512);
	/* sector size not a power of two: not a FAT boot sector at all */
	put16(m.data + 11, 1000);
	CHECK(mount_mem(&m, 0) == PV_ENOTMINE);
	memcpy(m.data, orig, 512);
	/* three FATs */
	m.data[16] = 3;
	CHECK(mount_mem(&m, 0) == PV_ENOTMINE);
	memcpy(m.data, orig, 512);
	/* no jump */
	m.data[0] = 0x00;
	CHECK(mount_mem(&m, 0) == PV_ENOTMINE);
	memcpy(m.data, orig, 512);
	/* a GRUB-style MBR: jump + signature, BPB zeroed */
	memset(m.data + 3, 0, 59);
	CHECK(mount_mem(&m, 0) == PV_ENOTMINE);
	memcpy(m.data, orig, 512);
	/* no type string but consistent geometry is still FAT */
	memset(m.data + 54, ' ', 8);
	CHECK(mount_mem(&m, 0) == 0);
	umount_mem(&m);
	/* no type string and broken geometry is not mine */
	put16(m.data + 22, 0xFFFF);
	CHECK(mount_mem(&m, 0) == PV_ENOTMINE);
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
	CHECK(mount_mem(&m, 0) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "root cluster") != NULL);
	free(m.data);
}

/* Not FAT: an ext4 filesystem, a partitioned disk (MBR). */
static void test_not_fat(void)
{
	struct img m;

	memset(&m, 0, sizeof(m));
	CHECK(sh("cd %s && rm -f ext.img && truncate -s 4M ext.img && mke2fs -q -F -t ext4 ext.img", tmp) == 0);
	CHECK(load_img(&m, "ext.img") == 0);
	if (m.data)
		CHECK(mount_mem(&m, 0) == PV_ENOTMINE);
	free(m.data);
	CHECK(sh("cd %s && rm -f mbr.img && truncate -s 4M mbr.img && echo 'start=2048, type=83' | sfdisk -q mbr.img", tmp) == 0);
	CHECK(load_img(&m, "mbr.img") == 0);
	if (m.data)
		CHECK(mount_mem(&m, 0) == PV_ENOTMINE);
	free(m.data);
	/* a FAT filesystem inside a partition: found at its offset */
	CHECK(sh("cd %s && rm -f part.img && truncate -s 8M part.img && echo 'start=2048, type=c' | sfdisk -q part.img && mkfs.fat -F 16 -s 1 -i 1234ABCD -n MYLABEL --offset 2048 part.img 6000 >/dev/null 2>&1 && MTOOLS_SKIP_CHECK=1 mcopy -i part.img@@1M -s src/many ::/", tmp) == 0);
	CHECK(load_img(&m, "part.img") == 0);
	if (m.data) {
		CHECK(mount_mem(&m, 0) == PV_ENOTMINE);
		CHECK(mount_mem(&m, 1 << 20) == 0);
		if (m.fs)
			check_tree(&m, 0);
		umount_mem(&m);
	}
	free(m.data);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmp, sizeof(tmp), "%s/pvboot-fat-XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	make_sources();
	test_type("f12.img", "-F 12 -i 1234ABCD -n MYLABEL", 2000, "fat12", 1);
	test_type("f16.img", "-F 16 -s 1 -i 1234ABCD -n MYLABEL", 8192, "fat16", 1);
	test_type("f16s.img", "-F 16 -S 4096 -s 1 -i 1234ABCD -n MYLABEL", 20480, "fat16", 1);
	test_type("f32.img", "-F 32 -S 512 -i 1234ABCD -n MYLABEL", 40960, "fat32", 1);
	test_type("f12many.img", "-F 12 -s 1 -i 1234ABCD -n MYLABEL", 1440, "fat12", 0);
	test_fragmented_and_corrupt();
	test_bad_bpb();
	test_not_fat();
	sh("rm -rf %s", tmp);
	return unit_report("fat");
}
