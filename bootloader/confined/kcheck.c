/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/confined/kcheck.h"
#include "common/pvlimits.h"

#include <stdio.h>
#include <string.h>

/* Xen's public/elfnote.h numbers, for the notes named in the report. */
#define XEN_ELFNOTE_ENTRY 1
#define XEN_ELFNOTE_HYPERCALL_PAGE 2
#define XEN_ELFNOTE_GUEST_OS 6
#define XEN_ELFNOTE_PHYS32_ENTRY 18

static uint32_t le16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static const char *compression(const uint8_t *m)
{
	if (m[0] == 0x1f && (m[1] == 0x8b || m[1] == 0x9e))
		return "gzip";
	if (!memcmp(m, "\xfd" "7zXZ\0", 6))
		return "xz";
	if (!memcmp(m, "BZh", 3))
		return "bzip2";
	if (m[0] == 0x5d && m[1] == 0 && m[2] == 0)
		return "lzma";
	if (!memcmp(m, "\x89LZO", 4))
		return "lzo";
	if (!memcmp(m, "\x02\x21\x4c\x18", 4))
		return "lz4";
	if (!memcmp(m, "\x28\xb5\x2f\xfd", 4))
		return "zstd";
	if (!memcmp(m, "\x7f" "ELF", 4))
		return "none (an ELF)";
	return "unknown";
}

static int bzimage(struct strbuf *sb, const uint8_t *h, uint64_t size,
		   kcheck_read_fn rd, void *ctx)
{
	unsigned ver = le16(h + 0x206), setup = h[0x1f1] ? h[0x1f1] : 4;
	uint64_t poff, plen;
	uint8_t m[8];

	sb_printf(sb, "  check: bzImage, Linux boot protocol %u.%02u\n",
		  ver >> 8, ver & 0xff);
	if (ver < 0x208) {
		sb_puts(sb, "  check: protocol before 2.08: Xen cannot find the payload\n");
		return 0;
	}
	poff = (uint64_t)(setup + 1) * 512 + le32(h + 0x248);
	plen = le32(h + 0x24c);
	if (poff + 8 > size || plen > size - poff) {
		sb_puts(sb, "  check: payload lies outside the file: truncated kernel\n");
		return 0;
	}
	if (rd(ctx, poff, m, sizeof(m)) < 0) {
		sb_puts(sb, "  check: payload cannot be read\n");
		return 0;
	}
	sb_printf(sb, "  check: payload %llu bytes at %llu, compression %s\n",
		  (unsigned long long)plen, (unsigned long long)poff,
		  compression(m));
	sb_puts(sb, "  check: Xen notes are inside the payload (not unpacked here)\n");
	return strcmp(compression(m), "unknown") != 0;
}

/* Walk the notes in [off, off+len): report Xen's. */
static void notes(const uint8_t *n, size_t len, int *entry, int *phys32,
		  int *hyper, int *guest_os)
{
	size_t p = 0;

	while (p + 12 <= len) {
		uint32_t nsz = le32(n + p), dsz = le32(n + p + 4), type = le32(n + p + 8);
		size_t name = p + 12;
		size_t desc = name + ((nsz + 3u) & ~3u);

		if (nsz > len || dsz > len || desc > len ||
		    ((dsz + 3u) & ~3u) > len - desc)
			break;
		if (nsz == 4 && !memcmp(n + name, "Xen", 4)) {
			*entry |= type == XEN_ELFNOTE_ENTRY;
			*phys32 |= type == XEN_ELFNOTE_PHYS32_ENTRY;
			*hyper |= type == XEN_ELFNOTE_HYPERCALL_PAGE;
			*guest_os |= type == XEN_ELFNOTE_GUEST_OS;
		}
		p = desc + ((dsz + 3u) & ~3u);
	}
}

static int elf(struct strbuf *sb, const uint8_t *h, size_t hn, uint64_t size,
	       kcheck_read_fn rd, void *ctx)
{
	int is64 = h[4] == 2, entry = 0, phys32 = 0, hyper = 0, guest_os = 0;
	unsigned machine = le16(h + 18), phnum, phentsize, i;
	uint64_t phoff;
	uint8_t note[PV_MAX_KCHECK_NOTE_BYTES];

	if (h[4] != 1 && h[4] != 2) {
		sb_puts(sb, "  check: ELF with an unknown class\n");
		return 0;
	}
	if (hn < 64) {
		sb_puts(sb, "  check: ELF header truncated\n");
		return 0;
	}
	phoff = is64 ? le64(h + 32) : le32(h + 28);
	phentsize = le16(h + (is64 ? 54 : 42));
	phnum = le16(h + (is64 ? 56 : 44));
	sb_printf(sb, "  check: ELF%d, machine %s\n", is64 ? 64 : 32,
		  machine == 62 ? "x86-64" : machine == 3 ? "i386"
		  : machine == 183 ? "aarch64" : "other");
	if (machine != 62 && machine != 3)
		sb_puts(sb, "  check: not an x86 kernel\n");
	if (phnum > PV_MAX_KCHECK_PHDRS || phentsize < (is64 ? 56u : 32u) ||
	    phoff > size || (uint64_t)phnum * phentsize > size - phoff) {
		sb_puts(sb, "  check: program headers out of range\n");
		return 0;
	}
	for (i = 0; i < phnum; i++) {
		uint8_t ph[56];
		uint64_t off, len;

		if (rd(ctx, phoff + (uint64_t)i * phentsize, ph, is64 ? 56 : 32) < 0)
			break;
		if (le32(ph) != 4) /* PT_NOTE */
			continue;
		off = is64 ? le64(ph + 8) : le32(ph + 4);
		len = is64 ? le64(ph + 32) : le32(ph + 16);
		if (off > size || len > size - off)
			continue;
		if (len > sizeof(note))
			len = sizeof(note);
		if (rd(ctx, off, note, (size_t)len) == 0)
			notes(note, (size_t)len, &entry, &phys32, &hyper, &guest_os);
	}
	sb_printf(sb, "  check: Xen notes: %s%s%s%s\n",
		  entry ? "ENTRY (PV) " : "", phys32 ? "PHYS32_ENTRY (PVH) " : "",
		  hyper ? "HYPERCALL_PAGE " : "",
		  entry || phys32 || hyper || guest_os ? (guest_os ? "GUEST_OS" : "")
						       : "none: Xen cannot boot it as PV or PVH");
	if (!phys32)
		sb_puts(sb, "  check: no PVH entry note: a type=\"pvh\" domain cannot boot it\n");
	return (machine == 62 || machine == 3) && (entry || phys32);
}

int kcheck_describe(struct strbuf *sb, uint64_t size, uint64_t max_file,
		    kcheck_read_fn rd, void *ctx)
{
	uint8_t h[1024];
	size_t hn = size < sizeof(h) ? (size_t)size : sizeof(h);
	char mb[32];

	snprintf(mb, sizeof(mb), "%llu", (unsigned long long)(max_file >> 20));
	sb_printf(sb, "  check: %llu bytes; the copy limit is %s MiB%s\n",
		  (unsigned long long)size, mb,
		  size > max_file ? ": TOO LARGE" : "");
	if (size > max_file)
		return 0;
	if (hn < 64 || rd(ctx, 0, h, hn) < 0) {
		sb_puts(sb, "  check: too short to be a kernel\n");
		return 0;
	}
	if (hn >= 0x250 && !memcmp(h + 0x202, "HdrS", 4))
		return bzimage(sb, h, size, rd, ctx);
	if (!memcmp(h, "\x7f" "ELF", 4))
		return elf(sb, h, hn, size, rd, ctx);
	if (strcmp(compression(h), "unknown") != 0) {
		/* Xen's PV loader unpacks these and wants an ELF inside */
		sb_printf(sb, "  check: a %s-compressed file: Xen unpacks it and needs an ELF inside (not unpacked here)\n",
			  compression(h));
		return 1;
	}
	sb_puts(sb, "  check: neither a bzImage, an ELF nor a compressed file: Xen cannot load it\n");
	return 0;
}
