/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kernel/pe.h"
#include "common/err.h"

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

/* MZ header: e_lfanew at 0x3c; PE signature, then the 20-byte COFF
 * header; the section table follows the optional header. */
#define PE_LFANEW_AT 0x3c
#define PE_COFF_BYTES 20
#define PE_SECTION_BYTES 40

static int overlap(const struct pe_section *a, const struct pe_section *b)
{
	uint64_t a0 = a->raw_off, a1 = a0 + a->raw_size;
	uint64_t b0 = b->raw_off, b1 = b0 + b->raw_size;

	return a->raw_size && b->raw_size && a0 < b1 && b0 < a1;
}

int pe_parse(const uint8_t *head, size_t len, uint64_t file_size,
	     struct pe_info *out)
{
	uint32_t lfanew;
	uint16_t nsect, optsz;
	uint64_t tab;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	if (len < 64 || head[0] != 'M' || head[1] != 'Z')
		return pv_err(PV_ENOTMINE, "not a PE file (no MZ header)");
	lfanew = le32(head + PE_LFANEW_AT);
	if ((uint64_t)lfanew + 4 + PE_COFF_BYTES > len)
		return pv_err(PV_ECORRUPT,
			      "PE header offset %u lies outside the first %zu bytes",
			      lfanew, len);
	if (memcmp(head + lfanew, "PE\0\0", 4) != 0)
		return pv_err(PV_ENOTMINE, "not a PE file (no PE signature)");
	out->machine = le16(head + lfanew + 4);
	nsect = le16(head + lfanew + 6);
	optsz = le16(head + lfanew + 20);
	if (nsect > PV_MAX_PE_SECTIONS)
		return pv_err(PV_ELIMIT, "PE file has %u sections (at most %d)",
			      nsect, PV_MAX_PE_SECTIONS);
	tab = (uint64_t)lfanew + 4 + PE_COFF_BYTES + optsz;
	if (tab + (uint64_t)nsect * PE_SECTION_BYTES > len)
		return pv_err(PV_ECORRUPT,
			      "PE section table (%u entries at %llu) lies outside the first %zu bytes",
			      nsect, (unsigned long long)tab, len);
	for (i = 0; i < nsect; i++) {
		const uint8_t *h = head + tab + i * PE_SECTION_BYTES;
		struct pe_section *s = &out->s[i];

		memcpy(s->name, h, 8);
		s->name[8] = '\0';
		for (j = 0; j < 8; j++) /* a name we print: no control bytes */
			if (s->name[j] && ((unsigned char)s->name[j] < 0x20 ||
					   (unsigned char)s->name[j] >= 0x7f))
				s->name[j] = '?';
		s->vsize = le32(h + 8);
		s->raw_size = le32(h + 16);
		s->raw_off = le32(h + 20);
		if (s->raw_size &&
		    (uint64_t)s->raw_off + s->raw_size > file_size)
			return pv_err(PV_ECORRUPT,
				      "PE section %s (%u bytes at %u) lies outside the %llu-byte file",
				      s->name, s->raw_size, s->raw_off,
				      (unsigned long long)file_size);
		for (j = 0; j < i; j++)
			if (overlap(s, &out->s[j]))
				return pv_err(PV_ECORRUPT,
					      "PE sections %s and %s overlap",
					      out->s[j].name, s->name);
	}
	out->n = nsect;
	return 0;
}

int pe_section_bytes(const struct pe_section *s, uint64_t *off,
		     uint64_t *len)
{
	/* VirtualSize is the payload; SizeOfRawData is padded.  A zero
	 * VirtualSize (some linkers) means the raw size. */
	uint32_t n = s->vsize ? s->vsize : s->raw_size;

	if (n > s->raw_size)
		return pv_err(PV_ECORRUPT,
			      "PE section %s is %u bytes long but stores %u",
			      s->name, n, s->raw_size);
	*off = s->raw_off;
	*len = n;
	return 0;
}
