/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PE/COFF section tables and UKI semantics: kernel/pe.c, kernel/uki.c */
#include "kernel/pe.h"
#include "kernel/uki.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdint.h>
#include <stdlib.h>

#define LFANEW 0x80
#define TAB (LFANEW + 24)

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

/* A PE head of n sections named names[i] at raw offsets/sizes. */
static size_t mkpe(uint8_t *b, size_t cap, unsigned n, const char *const *names,
		   const uint32_t *off, const uint32_t *size)
{
	unsigned i;

	memset(b, 0, cap);
	b[0] = 'M';
	b[1] = 'Z';
	put32(b + 0x3c, LFANEW);
	memcpy(b + LFANEW, "PE\0\0", 4);
	put16(b + LFANEW + 4, 0x8664);
	put16(b + LFANEW + 6, n);
	put16(b + LFANEW + 20, 0); /* no optional header */
	for (i = 0; i < n && TAB + (i + 1) * 40 <= cap; i++) {
		uint8_t *s = b + TAB + i * 40;

		strncpy((char *)s, names[i], 8);
		put32(s + 8, size[i]);
		put32(s + 16, size[i]);
		put32(s + 20, off[i]);
	}
	return cap;
}

static uint8_t buf[8192];

static void test_table(void)
{
	const char *names[] = { ".text", ".osrel", ".linux" };
	uint32_t off[] = { 1024, 2048, 4096 }, size[] = { 512, 100, 4096 };
	struct pe_info *pe = malloc(sizeof(*pe));
	uint64_t o, l;

	mkpe(buf, sizeof(buf), 3, names, off, size);
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == 0);
	CHECK(pe->n == 3);
	CHECK_STR(pe->s[2].name, ".linux");
	CHECK(pe_section_bytes(&pe->s[1], &o, &l) == 0 && o == 2048 && l == 100);
	/* a section outside the file */
	CHECK(pe_parse(buf, 1024, 8000, pe) == PV_ECORRUPT);
	/* a section of 4 GiB - 1 */
	size[2] = 0xffffffffu;
	mkpe(buf, sizeof(buf), 3, names, off, size);
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == PV_ECORRUPT);
	/* overlapping sections */
	size[2] = 4096;
	off[1] = 1200;
	mkpe(buf, sizeof(buf), 3, names, off, size);
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == PV_ECORRUPT);
	/* table outside the bytes read */
	off[1] = 2048;
	mkpe(buf, sizeof(buf), 3, names, off, size);
	CHECK(pe_parse(buf, TAB + 2 * 40, sizeof(buf), pe) == PV_ECORRUPT);
	/* too many sections */
	put16(buf + LFANEW + 6, PV_MAX_PE_SECTIONS + 1);
	CHECK(pe_parse(buf, sizeof(buf), sizeof(buf), pe) == PV_ELIMIT);
	/* e_lfanew past the bytes; no MZ; no PE signature */
	mkpe(buf, sizeof(buf), 3, names, off, size);
	put32(buf + 0x3c, 0xfffffff0u);
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == PV_ECORRUPT);
	buf[0] = 'X';
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == PV_ENOTMINE);
	mkpe(buf, sizeof(buf), 3, names, off, size);
	buf[LFANEW] = 'X';
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == PV_ENOTMINE);
	/* longer in memory than stored */
	mkpe(buf, sizeof(buf), 3, names, off, size);
	put32(buf + TAB + 40 + 8, 200);
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == 0);
	CHECK(pe_section_bytes(&pe->s[1], &o, &l) == PV_ECORRUPT);
	/* a tiny or empty buffer */
	CHECK(pe_parse(buf, 10, 10, pe) == PV_ENOTMINE);
	free(pe);
	pv_err_clear();
}

static void test_profiles(void)
{
	const char *names[] = { ".osrel", ".linux", ".profile", ".cmdline",
				".profile", ".cmdline", ".initrd" };
	uint32_t off[] = { 1024, 1100, 1200, 1300, 1400, 1500, 1600 };
	uint32_t size[] = { 50, 50, 50, 50, 50, 50, 50 };
	const struct pe_section *s[UKI_NSECT];
	struct pe_info *pe = malloc(sizeof(*pe));

	mkpe(buf, sizeof(buf), 7, names, off, size);
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == 0);
	CHECK(uki_profile(pe, 0, s) == 0);
	CHECK(s[UKI_LINUX] && s[UKI_LINUX]->raw_off == 1100);
	CHECK(s[UKI_CMDLINE] && s[UKI_CMDLINE]->raw_off == 1300);
	CHECK(s[UKI_PROFILE] && s[UKI_PROFILE]->raw_off == 1200);
	CHECK(!s[UKI_INITRD]);
	CHECK(uki_profile(pe, 1, s) == 0);
	CHECK(s[UKI_CMDLINE] && s[UKI_CMDLINE]->raw_off == 1500);
	CHECK(s[UKI_INITRD] && s[UKI_INITRD]->raw_off == 1600);
	CHECK(s[UKI_OSREL] && s[UKI_OSREL]->raw_off == 1024); /* base */
	CHECK(uki_profile(pe, 2, s) == PV_ENOENT);
	/* no .profile: profile 0 only */
	mkpe(buf, sizeof(buf), 2, names, off, size);
	CHECK(pe_parse(buf, 1024, sizeof(buf), pe) == 0);
	CHECK(uki_profile(pe, 0, s) == 0 && s[UKI_LINUX]);
	CHECK(uki_profile(pe, 1, s) == PV_ENOENT);
	free(pe);
}

static void test_text(void)
{
	const char *os = "NAME=\"Arch\"\n  ID=arch\nPRETTY_NAME='Arch \\\"L\\\"'\nID=arch2\n";
	char v[64];
	int l, d;

	CHECK(uki_kv(os, strlen(os), "ID", v, sizeof(v)) && !strcmp(v, "arch2"));
	CHECK(uki_kv(os, strlen(os), "PRETTY_NAME", v, sizeof(v)) &&
	      !strcmp(v, "Arch \"L\""));
	CHECK(!uki_kv(os, strlen(os), "VERSION", v, sizeof(v)));
	uki_cmdline("a b\nc\t \n\0junk", 13, v, sizeof(v));
	CHECK_STR(v, "a b c");
	uki_tries("Debian-6.1+3-1.efi", v, sizeof(v), &l, &d);
	CHECK(!strcmp(v, "debian-6.1.efi") && l == 3 && d == 1);
	uki_tries("x+0.EFI", v, sizeof(v), &l, &d);
	CHECK(!strcmp(v, "x.efi") && l == 0 && d == 0);
	uki_tries("entry+5.conf", v, sizeof(v), &l, &d);
	CHECK(!strcmp(v, "entry.conf") && l == 5 && d == 0);
	uki_tries("x+a-1.efi", v, sizeof(v), &l, &d);
	CHECK(!strcmp(v, "x+a-1.efi") && l == -1 && d == -1);
	CHECK(uki_verscmp("6.1.0-18", "6.1.0-13") > 0);
	CHECK(uki_verscmp("6.10", "6.9") > 0);
	CHECK(uki_verscmp("1.0~rc1", "1.0") < 0);
	CHECK(uki_verscmp("1.0", "1.0^p1") < 0);
	CHECK(uki_verscmp("1.0-1", "1.0.1") < 0);
	CHECK(uki_verscmp("a", "a") == 0);
	CHECK(uki_verscmp(NULL, "a") < 0);
}

static void test_sort(void)
{
	struct uki_sortkey a = { "a.efi", "debian", NULL, "12", 0, -1, -1 };
	struct uki_sortkey b = { "b.efi", "debian", NULL, "12", 0, -1, -1 };
	struct uki_sortkey c = { "c.efi", NULL, NULL, NULL, 0, -1, -1 };

	CHECK(uki_entry_cmp(&b, &a) < 0);     /* ids downwards */
	CHECK(uki_entry_cmp(&a, &c) < 0);     /* sort key first */
	b.tries_left = 0;
	CHECK(uki_entry_cmp(&a, &b) < 0);     /* no tries left: last */
	a.version = "13";
	b.tries_left = -1;
	CHECK(uki_entry_cmp(&a, &b) < 0);     /* newer version first */
	a.version = b.version = "12";
	a.id = b.id;
	a.profile = 1;
	CHECK(uki_entry_cmp(&b, &a) < 0);     /* profiles in order */
}

int main(void)
{
	pv_quiet_warnings = 1;
	test_table();
	test_profiles();
	test_text();
	test_sort();
	return unit_report("test_pe");
}
