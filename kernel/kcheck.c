/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kernel/kcheck.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdio.h>
#include <string.h>

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* x86 boot protocol (Documentation/arch/x86/boot.rst) */
#define BZ_SETUP_SECTS 0x1f1
#define BZ_BOOT_FLAG 0x1fe
#define BZ_HEADER 0x202
#define BZ_VERSION 0x206
#define BZ_XLOADFLAGS 0x236
#define BZ_PAYLOAD_OFFSET 0x248
#define BZ_PAYLOAD_LENGTH 0x24c
#define BZ_XLF_KERNEL_64 1

#define ELFNOTE_XEN_PHYS32_ENTRY 18

static const char *mib(uint64_t v, char *buf, size_t sz)
{
	if (v % (1u << 20) == 0)
		snprintf(buf, sz, "%llu MiB", (unsigned long long)(v >> 20));
	else
		snprintf(buf, sz, "%llu KiB", (unsigned long long)(v >> 10));
	return buf;
}

/* LZMA2 dictionary size from its one property byte (xz file format) */
static uint64_t lzma2_dict(uint8_t p)
{
	if (p > 40)
		return 0;
	if (p == 40)
		return 0xffffffffull;
	return (uint64_t)(2 | (p & 1)) << (p / 2 + 11);
}

/* xz variable-length integer at b[*i] (at most 9 bytes) */
static int xz_varint(const uint8_t *b, size_t n, size_t *i, uint64_t *v)
{
	unsigned k;

	*v = 0;
	for (k = 0; k < 9 && *i < n; k++) {
		uint8_t c = b[(*i)++];

		*v |= (uint64_t)(c & 0x7f) << (7 * k);
		if (!(c & 0x80))
			return 0;
	}
	return -1;
}

/* The LZMA2 dictionary of the first block of an xz stream. */
static uint64_t xz_dict(const uint8_t *b, size_t n)
{
	size_t i = 12, end;
	unsigned nf, f;
	uint64_t v;

	if (n < 14)
		return 0;
	end = 12 + ((size_t)b[12] + 1) * 4;
	if (b[12] == 0 || end > n)
		return 0;
	nf = (b[13] & 3) + 1;
	i = 14;
	if ((b[13] & 0x40) && xz_varint(b, end, &i, &v) < 0)
		return 0;
	if ((b[13] & 0x80) && xz_varint(b, end, &i, &v) < 0)
		return 0;
	for (f = 0; f < nf; f++) {
		uint64_t id, psz;

		if (xz_varint(b, end, &i, &id) < 0 ||
		    xz_varint(b, end, &i, &psz) < 0 || psz > end - i)
			return 0;
		if (id == 0x21 && psz == 1)
			return lzma2_dict(b[i]);
		i += psz;
	}
	return 0;
}

static void bzimage_payload(const uint8_t *p, size_t n, struct kcheck *k)
{
	static const struct {
		const char *name;
		const char *magic;
		size_t len;
	} m[] = {
		{ "gzip", "\x1f\x8b", 2 },
		{ "gzip", "\x1f\x9e", 2 },
		{ "bzip2", "BZh", 3 },
		{ "xz", "\xfd" "7zXZ\0", 6 },
		{ "lzma", "\x5d\0\0", 3 },
		{ "lzo", "\x89LZO", 4 },
		{ "lz4", "\x02\x21\x4c\x18", 4 },
		{ "zstd", "\x28\xb5\x2f\xfd", 4 },
		{ "ELF", "\x7f" "ELF", 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (n >= m[i].len && memcmp(p, m[i].magic, m[i].len) == 0)
			break;
	if (i == sizeof(m) / sizeof(m[0])) {
		k->fatal = 1;
		snprintf(k->problem, sizeof(k->problem),
			 "the bzImage payload is in no format Xen's domain builder decompresses");
		return;
	}
	k->comp = m[i].name;
	if (strcmp(k->comp, "ELF") == 0) /* libxenguest probes by magic */
		snprintf(k->problem, sizeof(k->problem),
			 "an uncompressed bzImage payload: Xen 4.17's domain builder knows only gzip, bzip2, xz, lzma, lzo, lz4 and zstd ones");
	if (strcmp(k->comp, "xz") == 0)
		k->dict = xz_dict(p, n);
	else if (strcmp(k->comp, "lzma") == 0 && n >= 5)
		k->dict = le32(p + 1);
}

static int check_bzimage(const uint8_t *h, uint64_t size, kcheck_read_fn rd,
			 void *ctx, struct kcheck *k)
{
	uint8_t p[PV_KCHECK_PAYLOAD_HEAD];
	unsigned setup = h[BZ_SETUP_SECTS] ? h[BZ_SETUP_SECTS] : 4;
	uint64_t off, len;
	size_t n;
	int r;

	k->fmt = KFMT_BZIMAGE;
	k->protocol = le16(h + BZ_VERSION);
	if (k->protocol >= 0x020c)
		k->bits = (le16(h + BZ_XLOADFLAGS) & BZ_XLF_KERNEL_64) ? 64 : 32;
	if (k->protocol < 0x0208) {
		k->fatal = 1;
		snprintf(k->problem, sizeof(k->problem),
			 "bzImage boot protocol %u.%02u: Xen's domain builder needs 2.08 or later",
			 k->protocol >> 8, k->protocol & 0xff);
		return 0;
	}
	off = (uint64_t)(setup + 1) * 512 + le32(h + BZ_PAYLOAD_OFFSET);
	len = le32(h + BZ_PAYLOAD_LENGTH);
	if (len == 0 || off > size || len > size - off) {
		k->fatal = 1;
		snprintf(k->problem, sizeof(k->problem),
			 "bzImage payload (%llu bytes at %llu) lies outside the %llu-byte kernel",
			 (unsigned long long)len, (unsigned long long)off,
			 (unsigned long long)size);
		return 0;
	}
	n = len < sizeof(p) ? (size_t)len : sizeof(p);
	r = rd(ctx, off, p, n);
	if (r < 0)
		return r;
	bzimage_payload(p, n, k);
	return 0;
}

/* One PT_NOTE segment's notes (bounded read). */
static int elf_notes(uint64_t off, uint64_t len, uint64_t size,
		     kcheck_read_fn rd, void *ctx, struct kcheck *k)
{
	uint8_t b[PV_KCHECK_NOTES];
	size_t n, i = 0;
	int r;

	if (off > size)
		return 0;
	if (len > size - off)
		len = size - off;
	n = len < sizeof(b) ? (size_t)len : sizeof(b);
	r = rd(ctx, off, b, n);
	if (r < 0)
		return r;
	while (i + 12 <= n) {
		uint32_t nsz = le32(b + i), dsz = le32(b + i + 4);
		uint32_t type = le32(b + i + 8);
		uint64_t name = i + 12, desc = name + ((nsz + 3ull) & ~3ull);
		uint64_t next = desc + ((dsz + 3ull) & ~3ull);

		if (next > n)
			break;
		if (nsz == 4 && memcmp(b + name, "Xen", 4) == 0) {
			k->xen_notes = 1;
			if (type == ELFNOTE_XEN_PHYS32_ENTRY)
				k->pvh = 1;
		}
		i = (size_t)next;
	}
	return 0;
}

static int check_elf(const uint8_t *h, size_t hn, uint64_t size,
		     kcheck_read_fn rd, void *ctx, struct kcheck *k)
{
	int is64 = h[4] == 2;
	uint16_t machine = le16(h + 18), phnum, phentsize;
	uint64_t phoff;
	unsigned i;
	int r;

	k->fmt = KFMT_ELF;
	k->bits = is64 ? 64 : 32;
	if (h[4] != 1 && h[4] != 2) {
		k->fatal = 1;
		snprintf(k->problem, sizeof(k->problem), "ELF of unknown class %u", h[4]);
		return 0;
	}
	if (machine != 3 && machine != 62) {
		k->fatal = 1;
		snprintf(k->problem, sizeof(k->problem),
			 "ELF for machine %u, not x86", machine);
		return 0;
	}
	phoff = is64 ? le64(h + 32) : le32(h + 28);
	phentsize = le16(h + (is64 ? 54 : 42));
	phnum = le16(h + (is64 ? 56 : 44));
	if (phentsize < (is64 ? 56 : 32) || phnum > PV_KCHECK_MAX_PHDRS ||
	    phoff > hn || (uint64_t)phnum * phentsize > hn - phoff) {
		snprintf(k->problem, sizeof(k->problem),
			 "ELF program headers lie outside the first %zu bytes: notes not checked",
			 hn);
		return 0;
	}
	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = h + phoff + (uint64_t)i * phentsize;

		if (le32(ph) != 4) /* PT_NOTE */
			continue;
		r = is64 ? elf_notes(le64(ph + 8), le64(ph + 32), size, rd, ctx, k)
			 : elf_notes(le32(ph + 4), le32(ph + 16), size, rd, ctx, k);
		if (r < 0)
			return r;
	}
	if (!k->xen_notes)
		snprintf(k->problem, sizeof(k->problem),
			 "ELF kernel without Xen ELF notes: only a '__xen_guest' section would let the domain builder load it");
	return 0;
}

int kcheck_run(uint64_t size, kcheck_read_fn rd, void *ctx, struct kcheck *k)
{
	uint8_t h[PV_KCHECK_HEAD];
	size_t n = size < sizeof(h) ? (size_t)size : sizeof(h);
	char d[32];
	int r;

	memset(k, 0, sizeof(*k));
	r = rd(ctx, 0, h, n);
	if (r < 0)
		return r;
	if (n >= 0x250 && le16(h + BZ_BOOT_FLAG) == 0xaa55 &&
	    memcmp(h + BZ_HEADER, "HdrS", 4) == 0)
		r = check_bzimage(h, size, rd, ctx, k);
	else if (n >= 64 && memcmp(h, "\x7f" "ELF", 4) == 0)
		r = check_elf(h, n, size, rd, ctx, k);
	else if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		k->fmt = KFMT_GZIP_FILE;
	if (r < 0)
		return r;

	switch (k->fmt) {
	case KFMT_BZIMAGE:
		snprintf(k->summary, sizeof(k->summary),
			 "bzImage, boot protocol %u.%02u%s%s, %s payload%s%s%s",
			 k->protocol >> 8, k->protocol & 0xff,
			 k->bits ? ", " : "", k->bits == 64 ? "64-bit" :
			 k->bits == 32 ? "32-bit" : "",
			 k->comp ? k->comp : "unknown",
			 k->dict ? " (dictionary " : "",
			 k->dict ? mib(k->dict, d, sizeof(d)) : "",
			 k->dict ? ")" : "");
		break;
	case KFMT_ELF:
		snprintf(k->summary, sizeof(k->summary),
			 "ELF, %d-bit%s, %s%s", k->bits,
			 k->bits == 32 ? " (a 32-bit PV kernel)" : "",
			 k->xen_notes ? "Xen ELF notes" : "no Xen ELF notes",
			 k->pvh ? ", PVH entry (XEN_ELFNOTE_PHYS32_ENTRY)" :
			 k->xen_notes ? ", no PVH entry note" : "");
		break;
	case KFMT_GZIP_FILE:
		snprintf(k->summary, sizeof(k->summary),
			 "gzip-compressed file (the domain builder unpacks it first)");
		break;
	default:
		snprintf(k->summary, sizeof(k->summary),
			 "neither a bzImage nor an ELF kernel");
	}
	if (!k->fatal && k->dict >= KCHECK_XZ_DICT_LIMIT)
		snprintf(k->problem, sizeof(k->problem),
			 "%s dictionary of %s: Xen before 4.20 cannot decompress it (libxenguest's 128 MiB memory limit)",
			 k->comp, mib(k->dict, d, sizeof(d)));
	return 0;
}
