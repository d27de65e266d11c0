/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * partition_discover() on tables made at test time: real ones from sfdisk
 * and sgdisk, hostile ones written byte by byte (overlaps, out-of-disk
 * entries, a self-linked EBR, a GPT claiming 2^32-1 entries, 4Kn GPT).
 */
#include "partition/partition.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MiB (1024ull * 1024)

static char tmpdir[64];

static const char *tpath(const char *name)
{
	static char buf[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[8192];
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

/* A file of size bytes holding buf at offset 0. */
static int write_image(const char *path, const void *buf, size_t len,
		       uint64_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok;

	if (fd < 0)
		return -1;
	ok = (len == 0 || write(fd, buf, len) == (ssize_t)len) &&
	     ftruncate(fd, (off_t)size) == 0;
	close(fd);
	return ok ? 0 : -1;
}

static int discover_file(const char *path, struct disk *d,
			 struct part_list *pl)
{
	int r = disk_open(d, path);

	if (r < 0)
		return r;
	return partition_discover(d, pl);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* One 16-byte MBR/EBR entry (CHS fields left zero, as libfdisk ignores). */
static void mbr_entry(uint8_t *sector, int i, int boot, unsigned type,
		      uint32_t start, uint32_t size)
{
	uint8_t *e = sector + 446 + 16 * i;

	e[0] = boot ? 0x80 : 0;
	e[4] = (uint8_t)type;
	put32(e + 8, start);
	put32(e + 12, size);
	sector[510] = 0x55;
	sector[511] = 0xaa;
}

/* "0fc63daf-8483-..." to the on-disk mixed-endian form. */
static void guid_bin(uint8_t *out, const char *s)
{
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
				       8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t b[16];
	int i = 0;

	while (*s && i < 16) {
		unsigned v;

		if (*s == '-') {
			s++;
			continue;
		}
		sscanf(s, "%2x", &v);
		b[i++] = (uint8_t)v;
		s += 2;
	}
	for (i = 0; i < 16; i++)
		out[i] = b[order[i]];
}

struct gpt_part {
	const char *type;
	uint64_t first, last; /* LBA, inclusive */
	uint64_t attrs;
};

/*
 * A primary GPT (protective MBR, header at LBA 1, 128 entries at LBA 2) for
 * a disk of size bytes with ss-byte sectors.  nentries_field is what the
 * header claims (128 for a sane table).  The backup is left out: libfdisk
 * uses a good primary alone.
 */
static size_t build_gpt(uint8_t *img, uint64_t size, unsigned ss,
			uint32_t nentries_field, const struct gpt_part *p,
			int np)
{
	uint64_t lbas = size / ss, ent_sectors = 128 * 128 / ss;
	uint8_t *h = img + ss, *ents = img + 2 * ss;
	int i;

	memset(img, 0, (2 + ent_sectors) * ss);
	mbr_entry(img, 0, 0, 0xee, 1,
		  lbas - 1 > 0xffffffffu ? 0xffffffffu : (uint32_t)(lbas - 1));
	for (i = 0; i < np; i++) {
		uint8_t *e = ents + 128 * i;

		guid_bin(e, p[i].type);
		guid_bin(e + 16, "01234567-89ab-cdef-0123-456789abcd00");
		e[31] = (uint8_t)i;
		put64(e + 32, p[i].first);
		put64(e + 40, p[i].last);
		put64(e + 48, p[i].attrs);
		e[56] = 'p';
	}
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, 1);
	put64(h + 32, lbas - 1);
	put64(h + 40, 2 + ent_sectors);
	put64(h + 48, lbas - 2 - ent_sectors);
	guid_bin(h + 56, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
	put64(h + 72, 2);
	put32(h + 80, nentries_field);
	put32(h + 84, 128);
	put32(h + 88, (uint32_t)crc32(0, ents, 128 * 128));
	put32(h + 16, (uint32_t)crc32(0, h, 92));
	return (2 + ent_sectors) * ss;
}

/* Patch a 32-bit field of the primary header and make its CRC right. */
static void patch_gpt(uint8_t *img, unsigned ss, size_t field, uint32_t v)
{
	uint8_t *h = img + ss;

	put32(h + field, v);
	put32(h + 16, 0);
	put32(h + 16, (uint32_t)crc32(0, h, 92));
}

static const struct volume *find_num(const struct part_list *pl, int num)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->v[i].number == num)
			return &pl->v[i];
	return NULL;
}

static void test_mbr_primaries(void)
{
	struct disk d;
	struct part_list pl;

	CHECK(run("truncate -s 32M %s", tpath("mbr2.img")) == 0);
	CHECK(run("printf 'label: dos\\n1MiB,10MiB,83\\n,10MiB,83,*\\n' | "
		  "sfdisk -q %s >/dev/null", tpath("mbr2.img")) == 0);
	CHECK(discover_file(tpath("mbr2.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "dos");
	CHECK(pl.n == 2);
	/* the bootable one first */
	CHECK(pl.v[0].number == 2 && pl.v[0].bootable);
	CHECK(pl.v[0].offset == 11 * MiB && pl.v[0].length == 10 * MiB);
	CHECK(pl.v[1].number == 1 && !pl.v[1].bootable);
	CHECK(pl.v[1].offset == 1 * MiB && pl.v[1].length == 10 * MiB);
	CHECK(pl.v[1].kind == VOL_MBR && pl.v[1].mbr_type == 0x83);
	CHECK_STR(pl.v[1].type_name, "Linux");
	CHECK_STR(pl.v[1].type_guid, "");
	CHECK(pl.v[1].disk == &d);
	/* libfdisk must not close or keep our fd */
	CHECK(fcntl(d.fd, F_GETFD) >= 0);
	disk_close(&d);
}

static void test_mbr_logicals(void)
{
	struct disk d;
	struct part_list pl;
	const struct volume *p5, *p6;

	CHECK(run("truncate -s 64M %s", tpath("ext.img")) == 0);
	/* named lines: sfdisk would otherwise fill p3 and p4 first */
	CHECK(run("printf 'label: dos\\n%1$s1 : start=2048, size=8192, type=7\\n"
		  "%1$s2 : start=10240, size=61440, type=5\\n"
		  "%1$s5 : size=5MiB, type=83\\n%1$s6 : size=6MiB, type=82\\n"
		  "%1$s7 : size=7MiB, type=83\\n' | sfdisk -q %1$s >/dev/null",
		  tpath("ext.img")) == 0);
	CHECK(discover_file(tpath("ext.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "dos");
	/* p1 (0x07), p5, p6 (swap), p7; not the extended p2 */
	CHECK(pl.n == 4);
	CHECK(find_num(&pl, 2) == NULL);
	p5 = find_num(&pl, 5);
	p6 = find_num(&pl, 6);
	CHECK(p5 && p5->length == 5 * MiB && p5->offset >= 5 * MiB &&
	      p5->offset + p5->length <= 35 * MiB);
	CHECK(p6 && p6->length == 6 * MiB && p6->offset > p5->offset);
	/* order: Linux p5, p7, then the rest p1, then swap p6 last */
	CHECK(pl.n == 4 && pl.v[0].number == 5 && pl.v[1].number == 7 &&
	      pl.v[2].number == 1 && pl.v[3].number == 6);
	CHECK_STR(pl.v[3].type_name, "Linux swap / Solaris");
	disk_close(&d);
}

static void test_gpt_sgdisk(void)
{
	struct disk d;
	struct part_list pl;

	CHECK(run("truncate -s 64M %s", tpath("gpt.img")) == 0);
	CHECK(run("sgdisk -n 1:2048:+1M -t 1:ef02 -n 2:0:+20M -t 2:8300 "
		  "-n 3:0:+10M -t 3:ef00 -n 4:0:+4M -t 4:0700 "
		  "-n 5:0:+4M -t 5:ea00 -n 6:0:+2M -t 6:8200 "
		  "-n 7:0:+2M -t 7:0700 -A 7:set:2 %s >/dev/null",
		  tpath("gpt.img")) == 0);
	CHECK(discover_file(tpath("gpt.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "gpt");
	CHECK(pl.n == 7);
	if (pl.n != 7)
		goto out;
	/* XBOOTLDR, legacy-bootable, ESP, Linux, other, then BIOS boot and
	 * swap in table order */
	CHECK(pl.v[0].number == 5);
	CHECK_STR(pl.v[0].type_guid, "bc13c2ff-59e6-4262-a352-b275fd6f7172");
	CHECK(pl.v[1].number == 7 && pl.v[1].bootable);
	CHECK(pl.v[2].number == 3);
	CHECK_STR(pl.v[2].type_name, "EFI System");
	CHECK(pl.v[3].number == 2);
	CHECK_STR(pl.v[3].type_name, "Linux filesystem");
	CHECK_STR(pl.v[3].type_guid, "0fc63daf-8483-4772-8e79-3d69d8477de4");
	CHECK(pl.v[3].offset == 2 * MiB && pl.v[3].length == 20 * MiB);
	CHECK(pl.v[3].kind == VOL_GPT && pl.v[3].mbr_type == 0);
	CHECK(strlen(pl.v[3].part_uuid) == 36 &&
	      strspn(pl.v[3].part_uuid, "0123456789abcdef-") == 36);
	CHECK(pl.v[4].number == 4);
	CHECK(pl.v[5].number == 1);
	CHECK_STR(pl.v[5].type_name, "BIOS boot");
	CHECK(pl.v[5].offset == 1 * MiB && pl.v[5].length == 1 * MiB);
	CHECK(pl.v[6].number == 6);
out:
	disk_close(&d);
}

static void test_gpt_200(void)
{
	char cmd[8192];
	size_t i, n = 0;
	struct disk d;
	struct part_list pl;
	int ordered = 1;

	CHECK(run("truncate -s 8M %s", tpath("gpt200.img")) == 0);
	n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, "sgdisk -a 1 -S 256");
	for (i = 1; i <= 200; i++)
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, " -n %zu:%zu:%zu",
				      i, 2048 + 8 * i, 2048 + 8 * i + 7);
	snprintf(cmd + n, sizeof(cmd) - n, " %s >/dev/null", tpath("gpt200.img"));
	CHECK(run("%s", cmd) == 0);
	CHECK(discover_file(tpath("gpt200.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "gpt");
	CHECK(pl.n == PV_MAX_PROBED_VOLUMES);
	for (i = 0; i < pl.n; i++)
		if (pl.v[i].number != (int)i + 1 ||
		    pl.v[i].offset != (2048 + 8 * (i + 1)) * 512 ||
		    pl.v[i].length != 4096)
			ordered = 0;
	CHECK(ordered);
	disk_close(&d);
}

static void check_whole(const struct part_list *pl, uint64_t size)
{
	CHECK(pl->n == 1);
	CHECK(pl->v[0].kind == VOL_WHOLE_DISK && pl->v[0].number == 0);
	CHECK(pl->v[0].offset == 0 && pl->v[0].length == size);
}

static void test_no_table(void)
{
	struct disk d;
	struct part_list pl;
	uint8_t mbr[512] = { 0 };

	CHECK(write_image(tpath("zero.img"), NULL, 0, 4 * MiB) == 0);
	CHECK(discover_file(tpath("zero.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "none");
	check_whole(&pl, 4 * MiB);
	disk_close(&d);

	/* GRUB-like boot sector: 0x55AA, four empty entries */
	mbr[0] = 0xeb;
	mbr[1] = 0x63;
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	CHECK(write_image(tpath("empty.img"), mbr, 512, 4 * MiB) == 0);
	CHECK(discover_file(tpath("empty.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "dos");
	check_whole(&pl, 4 * MiB);
	disk_close(&d);

	/* an unpartitioned FAT disk: its boot sector carries 0x55AA */
	CHECK(run("truncate -s 8M %s && mkfs.vfat %s >/dev/null",
		  tpath("fat.img"), tpath("fat.img")) == 0);
	CHECK(discover_file(tpath("fat.img"), &d, &pl) == 0);
	check_whole(&pl, 8 * MiB);
	disk_close(&d);
}

static void test_overlap(void)
{
	struct disk d;
	struct part_list pl;
	uint8_t mbr[512] = { 0 };

	mbr_entry(mbr, 0, 0, 0x83, 2048, 4096);
	mbr_entry(mbr, 1, 0, 0x83, 2048, 4096);  /* duplicate of p1 */
	mbr_entry(mbr, 2, 1, 0x83, 4096, 4096);  /* overlaps p1 */
	mbr_entry(mbr, 3, 0, 0x0c, 8192, 2048);
	CHECK(write_image(tpath("ovl.img"), mbr, 512, 8 * MiB) == 0);
	CHECK(discover_file(tpath("ovl.img"), &d, &pl) == 0);
	CHECK(pl.n == 2);
	CHECK(pl.v[0].number == 1 && pl.v[0].offset == 2048 * 512 &&
	      pl.v[0].length == 4096 * 512);
	CHECK(pl.v[1].number == 4 && pl.v[1].offset == 8192 * 512);
	disk_close(&d);
}

static void test_past_end(void)
{
	struct disk d;
	struct part_list pl;
	uint8_t mbr[512] = { 0 };

	mbr_entry(mbr, 0, 1, 0x83, 0xfffffff0u, 0x100);  /* start past end */
	mbr_entry(mbr, 1, 0, 0x83, 2048, 0xffffffffu);   /* end past end */
	mbr_entry(mbr, 2, 0, 0x83, 4096, 0);             /* empty: unused */
	mbr_entry(mbr, 3, 0, 0x83, 2048, 2048);
	CHECK(write_image(tpath("past.img"), mbr, 512, 4 * MiB) == 0);
	CHECK(discover_file(tpath("past.img"), &d, &pl) == 0);
	CHECK(pl.n == 1 && pl.v[0].number == 4 &&
	      pl.v[0].offset == 1 * MiB && pl.v[0].length == 1 * MiB);
	disk_close(&d);

	/* nothing usable at all: whole disk, as pygrub */
	memset(mbr, 0, sizeof(mbr));
	mbr_entry(mbr, 0, 0, 0x83, 0xfffffff0u, 0x100);
	CHECK(write_image(tpath("past2.img"), mbr, 512, 4 * MiB) == 0);
	CHECK(discover_file(tpath("past2.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "dos");
	check_whole(&pl, 4 * MiB);
	disk_close(&d);
}

static void test_ebr_loop(void)
{
	static uint8_t img[4 * 512 + 2048 * 512];
	struct disk d;
	struct part_list pl;
	uint8_t *ebr = img + 2048 * 512;

	memset(img, 0, sizeof(img));
	mbr_entry(img, 0, 0, 0x05, 2048, 8192);
	mbr_entry(ebr, 0, 0, 0x83, 64, 1024);
	mbr_entry(ebr, 1, 0, 0x05, 0, 8192);   /* next EBR: itself */
	CHECK(write_image(tpath("ebr.img"), img, sizeof(img), 8 * MiB) == 0);
	CHECK(discover_file(tpath("ebr.img"), &d, &pl) == 0);
	CHECK(pl.n == 1);
	CHECK(pl.v[0].number == 5 && pl.v[0].offset == (2048 + 64) * 512 &&
	      pl.v[0].length == 1024 * 512);
	disk_close(&d);

	/* extended partition at LBA 0: its EBR is the MBR itself */
	memset(img, 0, sizeof(img));
	mbr_entry(img, 0, 0, 0x05, 0, 8192);
	mbr_entry(img, 1, 0, 0x83, 4096, 1024);
	CHECK(write_image(tpath("ebr0.img"), img, 512, 8 * MiB) == 0);
	CHECK(discover_file(tpath("ebr0.img"), &d, &pl) == 0);
	CHECK(find_num(&pl, 2) != NULL);
	disk_close(&d);
}

static void test_gpt_handmade(void)
{
	static uint8_t img[64 * 1024];
	const struct gpt_part parts[2] = {
		{ "0fc63daf-8483-4772-8e79-3d69d8477de4", 2048, 4095, 0 },
		/* ends before it starts: libfdisk drops or we skip it */
		{ "0fc63daf-8483-4772-8e79-3d69d8477de4", 6000, 5000, 0 },
	};
	const struct gpt_part parts4k[1] = {
		{ "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", 256, 511, 0 },
	};
	struct disk d;
	struct part_list pl;
	size_t len;
	int r;

	len = build_gpt(img, 4 * MiB, 512, 128, parts, 2);
	CHECK(write_image(tpath("hgpt.img"), img, len, 4 * MiB) == 0);
	CHECK(discover_file(tpath("hgpt.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "gpt");
	CHECK(pl.n == 1 && pl.v[0].number == 1 && pl.v[0].offset == 1 * MiB &&
	      pl.v[0].length == 1 * MiB);
	CHECK_STR(pl.v[0].part_uuid, "01234567-89ab-cdef-0123-456789abcd00");
	disk_close(&d);

	/* header claims 2^32-1 entries (CRC fixed): libfdisk would try a
	 * 512 GiB calloc; refused up front */
	len = build_gpt(img, 4 * MiB, 512, 0xffffffffu, parts, 1);
	CHECK(write_image(tpath("huge.img"), img, len, 4 * MiB) == 0);
	r = discover_file(tpath("huge.img"), &d, &pl);
	CHECK(r == PV_ECORRUPT);
	CHECK(pl.n == 0);
	CHECK(strstr(pv_errmsg(), "GPT") != NULL);
	disk_close(&d);

	/* entries of 1 byte (CRC right): libfdisk would read 128-byte
	 * entries past its 128-byte buffer; refused before it looks */
	len = build_gpt(img, 4 * MiB, 512, 128, parts, 1);
	patch_gpt(img, 512, 84, 1);
	CHECK(write_image(tpath("esz1.img"), img, len, 4 * MiB) == 0);
	CHECK(discover_file(tpath("esz1.img"), &d, &pl) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "entries of 1 bytes") != NULL);
	disk_close(&d);

	/* 2^20 entries of 128 bytes: a 128 MiB allocation, refused */
	len = build_gpt(img, 4 * MiB, 512, 1u << 20, parts, 1);
	CHECK(write_image(tpath("big.img"), img, len, 4 * MiB) == 0);
	CHECK(discover_file(tpath("big.img"), &d, &pl) == PV_ECORRUPT);
	disk_close(&d);

	/* header size beyond the sector */
	len = build_gpt(img, 4 * MiB, 512, 128, parts, 1);
	put32(img + 512 + 12, 0xffffffffu);
	CHECK(write_image(tpath("hsz.img"), img, len, 4 * MiB) == 0);
	CHECK(discover_file(tpath("hsz.img"), &d, &pl) == PV_ECORRUPT);
	disk_close(&d);

	/* huge entry count but a bad CRC: libfdisk ignores that header;
	 * with no other GPT the protective MBR alone is an error */
	len = build_gpt(img, 4 * MiB, 512, 128, parts, 1);
	put32(img + 512 + 80, 0xffffffffu);
	CHECK(write_image(tpath("badcrc.img"), img, len, 4 * MiB) == 0);
	CHECK(discover_file(tpath("badcrc.img"), &d, &pl) == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "protective MBR") != NULL);
	disk_close(&d);

	/* 4Kn: header at byte 4096, LBAs in 4096-byte sectors */
	len = build_gpt(img, 4 * MiB, 4096, 128, parts4k, 1);
	CHECK(write_image(tpath("4kn.img"), img, len, 4 * MiB) == 0);
	CHECK(discover_file(tpath("4kn.img"), &d, &pl) == 0);
	CHECK_STR(pl.table, "gpt");
	CHECK(pl.n == 1 && pl.v[0].offset == 1 * MiB &&
	      pl.v[0].length == 1 * MiB);
	CHECK_STR(pl.v[0].type_name, "EFI System");
	disk_close(&d);
}

static void test_tiny(void)
{
	struct disk d;
	struct part_list pl;
	uint8_t buf[513] = { 0 };

	CHECK(write_image(tpath("0.img"), NULL, 0, 0) == 0);
	CHECK(discover_file(tpath("0.img"), &d, &pl) < 0);
	CHECK(pl.n == 0);
	disk_close(&d);

	CHECK(write_image(tpath("511.img"), buf, 511, 511) == 0);
	CHECK(discover_file(tpath("511.img"), &d, &pl) == 0);
	check_whole(&pl, 511);
	disk_close(&d);

	/* 513 bytes with an MBR entry past the end */
	mbr_entry(buf, 0, 0, 0x83, 1, 1);
	CHECK(write_image(tpath("513.img"), buf, 513, 513) == 0);
	CHECK(discover_file(tpath("513.img"), &d, &pl) == 0);
	check_whole(&pl, 513);
	disk_close(&d);

	/* 513 bytes: GPT signature truncated away */
	memset(buf, 0, sizeof(buf));
	mbr_entry(buf, 0, 0, 0xee, 1, 0xffffffffu);
	buf[512] = 'E';
	CHECK(write_image(tpath("513g.img"), buf, 513, 513) == 0);
	CHECK(discover_file(tpath("513g.img"), &d, &pl) == PV_ECORRUPT);
	disk_close(&d);
}

static void test_hybrid_iso(void)
{
	static uint8_t img[0x8000 + 2048];
	struct disk d;
	struct part_list pl;

	memset(img, 0, sizeof(img));
	/* isohybrid: p1 is the whole image from sector 0, p2 an ESP */
	mbr_entry(img, 0, 1, 0x17, 0, 8192);
	mbr_entry(img, 1, 0, 0xef, 100, 200);
	img[0x8000] = 1;
	memcpy(img + 0x8001, "CD001", 5);
	CHECK(write_image(tpath("iso.img"), img, sizeof(img), 4 * MiB) == 0);
	CHECK(discover_file(tpath("iso.img"), &d, &pl) == 0);
	CHECK(pl.n == 2);
	CHECK(pl.v[0].kind == VOL_WHOLE_DISK && pl.v[0].offset == 0 &&
	      pl.v[0].length == 4 * MiB);
	CHECK(pl.v[1].number == 2 && pl.v[1].offset == 100 * 512);
	disk_close(&d);
}

static void test_mem(void)
{
	static uint8_t img[4 * MiB];
	struct disk d;
	struct part_list pl;

	memset(img, 0, sizeof(img));
	mbr_entry(img, 0, 0, 0x0c, 2048, 2048);
	mbr_entry(img, 1, 0, 0x83, 4096, 2048);
	CHECK(disk_open_mem(&d, img, sizeof(img), "mem") == 0);
	CHECK(partition_discover(&d, &pl) == 0);
	CHECK(pl.n == 2 && pl.v[0].number == 2 && pl.v[0].offset == 2 * MiB &&
	      pl.v[1].number == 1 && pl.v[1].offset == 1 * MiB);
	CHECK(pl.n == 2 && pl.v[0].disk == &d);

	/* a 4Kn disk as the caller knows it: LBAs are 4096-byte sectors */
	memset(img, 0, sizeof(img));
	mbr_entry(img, 0, 0, 0x83, 256, 256);
	CHECK(disk_open_mem(&d, img, sizeof(img), "mem4k") == 0);
	d.sector_size = 4096;
	CHECK(partition_discover(&d, &pl) == 0);
	CHECK(pl.n == 1 && pl.v[0].offset == 1 * MiB &&
	      pl.v[0].length == 1 * MiB);

	/* tiny in-memory disks */
	CHECK(disk_open_mem(&d, img, 0, "mem0") == 0);
	CHECK(partition_discover(&d, &pl) < 0);
	CHECK(disk_open_mem(&d, img, 100, "mem100") == 0);
	CHECK(partition_discover(&d, &pl) == 0);
	check_whole(&pl, 100);
}

static void test_offset(void)
{
	static uint8_t img[4096];
	struct disk d;
	struct part_list pl;

	CHECK(disk_open_mem(&d, img, sizeof(img), "mem") == 0);
	CHECK(partition_at_offset(&d, 1024, &pl) == 0);
	CHECK_STR(pl.table, "offset");
	CHECK(pl.n == 1 && pl.v[0].kind == VOL_WHOLE_DISK &&
	      pl.v[0].offset == 1024 && pl.v[0].length == 3072 &&
	      pl.v[0].number == 0);
	CHECK(partition_at_offset(&d, 4096, &pl) == PV_EINVAL);
	CHECK(pl.n == 0);
	CHECK(partition_at_offset(&d, UINT64_MAX, &pl) == PV_EINVAL);
}

/*
 * With LIBFDISK_DEBUG/LIBBLKID_DEBUG set and hostile tables, nothing but
 * our own "pvboot: " warnings reaches stderr, and nothing reaches stdout.
 */
static void test_silence(void)
{
	const char *imgs[] = { "ebr.img", "huge.img", "ovl.img", "gpt.img",
			       "badcrc.img" };
	char line[1024];
	struct disk d;
	struct part_list pl;
	int saved_out, saved_err, fd, clean = 1, lines = 0;
	size_t i;
	FILE *f;

	setenv("LIBFDISK_DEBUG", "all", 1);
	setenv("LIBBLKID_DEBUG", "all", 1);
	fflush(stdout);
	fflush(stderr);
	fd = open(tpath("log"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	pv_quiet_warnings = 0;
	for (i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
		discover_file(tpath(imgs[i]), &d, &pl);
		disk_close(&d);
	}
	pv_quiet_warnings = 1;
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	unsetenv("LIBFDISK_DEBUG");
	unsetenv("LIBBLKID_DEBUG");

	f = fopen(tpath("log"), "r");
	CHECK(f != NULL);
	while (f && fgets(line, sizeof(line), f)) {
		lines++;
		if (strncmp(line, "pvboot: ", 8) != 0) {
			clean = 0;
			fprintf(stderr, "unexpected output: %s", line);
		}
	}
	if (f)
		fclose(f);
	CHECK(clean);
	/* the self-linked EBR's duplicates: a few lines and a summary, not
	 * one line each; the 2^32-1 GPT: one warning */
	CHECK(lines > 0 && lines <= PV_MAX_PART_WARNINGS + 8);
}

/* disk_read() through the block cache (partition/disk_cache.c) returns the
 * file's bytes: small reads inside a block, across two, past the last whole
 * block, and more distinct blocks than the cache holds, twice over. */
static void test_read_cache(void)
{
	const size_t size = 5 * 4096 + 700;
	static const size_t lens[] = { 1, 2, 8, 512, 4096, 4097, 9000 };
	uint8_t *img = malloc(size), buf[9000];
	struct disk d;
	size_t i, k, bad = 0, n = 0;
	int pass;

	CHECK(img != NULL);
	if (!img)
		return;
	for (i = 0; i < size; i++)
		img[i] = (uint8_t)(i * 2654435761u >> 13);
	CHECK(write_image(tpath("cache.img"), img, size, size) == 0);
	CHECK(disk_open(&d, tpath("cache.img")) == 0);
	CHECK(d.cache != NULL);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < size; i += 331)
			for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
				if (lens[k] > size - i)
					continue;
				memset(buf, 0, sizeof(buf));
				n++;
				if (disk_read(&d, i, buf, lens[k]) < 0 ||
				    memcmp(buf, img + i, lens[k]) != 0)
					bad++;
			}
	CHECK(n > 400);
	CHECK(bad == 0);
	/* one past the end still fails */
	CHECK(disk_read(&d, size - 4, buf, 5) < 0);
	disk_close(&d);
	free(img);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pvboot-part.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	pv_quiet_warnings = 1;
	test_mbr_primaries();
	test_mbr_logicals();
	test_gpt_sgdisk();
	test_gpt_200();
	test_no_table();
	test_overlap();
	test_past_end();
	test_ebr_loop();
	test_gpt_handmade();
	test_tiny();
	test_hybrid_iso();
	test_mem();
	test_offset();
	test_silence();
	test_read_cache();
	run("rm -rf %s", tmpdir);
	return unit_report("partition");
}
