/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel check: kernel/kcheck.c */
#include "kernel/kcheck.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdint.h>

static uint8_t k[16384];
static size_t ksize;

static int rd(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx;
	if (off > ksize || len > ksize - off)
		return PV_EIO;
	memcpy(buf, k + off, len);
	return 0;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

/* setup_sects 4: the protected-mode part at 2560, payload at +0x100 */
static void bz(unsigned proto, const void *payload, size_t n)
{
	memset(k, 0, sizeof(k));
	k[0x1f1] = 4;
	put16(k + 0x1fe, 0xaa55);
	memcpy(k + 0x202, "HdrS", 4);
	put16(k + 0x206, proto);
	put16(k + 0x236, 1);
	put32(k + 0x248, 0x100);
	put32(k + 0x24c, 4000);
	memcpy(k + 2560 + 0x100, payload, n);
	ksize = 2560 + 0x100 + 4000;
}

static void test_bzimage(void)
{
	/* xz: stream header, block header with x86 BCJ + LZMA2 (prop p) */
	uint8_t xz[24] = { 0xfd, '7', 'z', 'X', 'Z', 0, 0, 1, 0, 0, 0, 0,
			   0x02, 0x01, 0x04, 0x00, 0x21, 0x01, 24, 0 };
	static const struct { const char *m; size_t n; const char *name; } c[] = {
		{ "\x1f\x8b\x08", 3, "gzip" }, { "BZh9", 4, "bzip2" },
		{ "\x5d\0\0\x80\0", 5, "lzma" }, { "\x89LZO", 4, "lzo" },
		{ "\x02\x21\x4c\x18", 4, "lz4" }, { "\x28\xb5\x2f\xfd", 4, "zstd" },
	};
	struct kcheck r;
	size_t i;

	bz(0x020f, xz, sizeof(xz));
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0);
	CHECK(r.fmt == KFMT_BZIMAGE && r.protocol == 0x20f && r.bits == 64);
	CHECK_STR(r.comp, "xz");
	CHECK(r.dict == (16u << 20) && !r.fatal && !r.problem[0]);
	xz[18] = 30; /* 128 MiB: Linux 6.12's setting */
	bz(0x020f, xz, sizeof(xz));
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0);
	CHECK(r.dict == (128u << 20) && !r.fatal && strstr(r.problem, "4.20"));
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		bz(0x020f, c[i].m, c[i].n);
		CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && !r.fatal);
		CHECK_STR(r.comp, c[i].name);
	}
	CHECK(r.dict == 0);
	bz(0x020f, "\x5d\0\0\0\x10", 5); /* lzma, 256 MiB dictionary */
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.dict == (256u << 20) &&
	      r.problem[0]);
	bz(0x020f, "\x7f" "ELF", 4); /* uncompressed: named, warned */
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && !r.fatal && r.problem[0]);
	CHECK_STR(r.comp, "ELF");
	bz(0x0206, "\x1f\x8b", 2);
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.fatal);
	bz(0x020f, "what?", 5);
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.fatal);
	bz(0x020f, "\x1f\x8b", 2);
	put32(k + 0x24c, 0xffffffffu); /* payload outside the file */
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.fatal);
	bz(0x020f, "\x1f\x8b", 2);
	put16(k + 0x236, 0);
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.bits == 32);
	/* a corrupt xz block header: compression still named, no dict */
	xz[12] = 0xff;
	bz(0x020f, xz, sizeof(xz));
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.dict == 0);
}

static void elf64(uint16_t machine, int notes, int pvh)
{
	uint8_t *ph = k + 64, *n = k + 1024;

	memset(k, 0, sizeof(k));
	memcpy(k, "\x7f" "ELF", 4);
	k[4] = 2;
	k[5] = 1;
	put16(k + 18, machine);
	put32(k + 32, 64);     /* e_phoff */
	put16(k + 54, 56);     /* e_phentsize */
	put16(k + 56, 1);      /* e_phnum */
	put32(ph, notes ? 4 : 1);
	put32(ph + 8, 1024);   /* p_offset */
	put32(ph + 32, 40);    /* p_filesz */
	put32(n, 4);
	put32(n + 4, 4);
	put32(n + 8, pvh ? 18 : 6);
	memcpy(n + 12, "Xen", 4);
	put32(n + 20, 4);
	put32(n + 24, 4);
	put32(n + 28, 5);
	memcpy(n + 32, "Xen", 4);
	ksize = 4096;
}

static void test_elf(void)
{
	struct kcheck r;

	elf64(62, 1, 1);
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0);
	CHECK(r.fmt == KFMT_ELF && r.bits == 64 && r.xen_notes && r.pvh && !r.fatal);
	CHECK(strstr(r.summary, "PHYS32_ENTRY") != NULL);
	elf64(62, 1, 0);
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.xen_notes && !r.pvh);
	elf64(62, 0, 0);
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && !r.xen_notes &&
	      r.problem[0] && !r.fatal);
	elf64(40, 1, 0); /* ARM */
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.fatal);
	elf64(62, 1, 0);
	put32(k + 64 + 8, 0xfffff000u); /* notes outside: not found, no crash */
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && !r.xen_notes);
	elf64(62, 1, 0);
	put16(k + 56, 60000); /* too many program headers */
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && !r.xen_notes);
	elf64(62, 1, 0);
	put32(k + 1024, 0xfffffff0u); /* a note's name size lies */
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && !r.xen_notes);
	k[4] = 1; /* 32-bit class, its header fields read as such */
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.bits == 32);
	memcpy(k, "\x1f\x8b", 2);
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.fmt == KFMT_GZIP_FILE);
	memcpy(k, "junk", 4);
	CHECK(kcheck_run(ksize, rd, NULL, &r) == 0 && r.fmt == KFMT_UNKNOWN &&
	      !r.fatal);
	CHECK(kcheck_run(0, rd, NULL, &r) == 0 && r.fmt == KFMT_UNKNOWN);
}

int main(void)
{
	pv_quiet_warnings = 1;
	test_bzimage();
	test_elf();
	return unit_report("test_kcheck");
}
