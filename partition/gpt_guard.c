/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks on GPT headers made *before* libfdisk sees the disk.
 *
 * libfdisk (util-linux 2.38) sizes the entry array from the header alone:
 * it callocs entries x entry_size bytes (2^32-1 x 128 = 512 GiB is tried),
 * and it steps through the array by the header's entry size while reading
 * 128-byte entries, so an entry size below 128 with a matching CRC makes
 * it read past its buffer.  A header with a valid CRC is what libfdisk goes
 * on to trust, so every such header it may read (LBA 1, the backup the
 * primary points at, the last LBA) must have sane sizes here, or the disk
 * is refused (security.md A9-A11).
 */
#include "partition/part_priv.h"
#include "common/err.h"

#include <string.h>
#include <zlib.h>

#define GPT_HDR_MIN 92      /* UEFI: the header proper */
#define GPT_ENTRY_MIN 128   /* UEFI: entry size is 128 x 2^n */
#define GPT_ENTRY_MAX 4096  /* no more than a 4Kn sector per entry */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * Check the header at lba, if there is one.  *alt receives its backup LBA
 * when the header is valid.  Returns 0 (absent, bad CRC: libfdisk will
 * ignore it, or sane) or PV_ECORRUPT.
 */
static int check_header(const struct disk *d, unsigned ss, uint64_t lba,
			uint64_t *alt)
{
	uint8_t h[4096];
	uint32_t hsize, crc, nents, esize;
	uint64_t off;

	*alt = 0;
	if (__builtin_mul_overflow(lba, (uint64_t)ss, &off) ||
	    off > d->size || ss > d->size - off)
		return 0;
	if (disk_read(d, off, h, ss) < 0)
		return 0;
	if (memcmp(h, "EFI PART", 8) != 0)
		return 0;
	hsize = le32(h + 12);
	if (hsize < GPT_HDR_MIN || hsize > ss)
		return pv_err(PV_ECORRUPT,
			      "%s: GPT header at LBA %llu has size %u (92..%u allowed)",
			      d->name, (unsigned long long)lba, hsize, ss);
	crc = le32(h + 16);
	memset(h + 16, 0, 4);
	if ((uint32_t)crc32(0, h, hsize) != crc)
		return 0;
	nents = le32(h + 80);
	esize = le32(h + 84);
	if (nents > PV_MAX_GPT_ENTRIES)
		return pv_err(PV_ECORRUPT,
			      "%s: GPT header at LBA %llu lists %u entries (limit %d)",
			      d->name, (unsigned long long)lba, nents,
			      PV_MAX_GPT_ENTRIES);
	if (esize < GPT_ENTRY_MIN || esize > GPT_ENTRY_MAX ||
	    esize % GPT_ENTRY_MIN != 0)
		return pv_err(PV_ECORRUPT,
			      "%s: GPT header at LBA %llu has entries of %u bytes",
			      d->name, (unsigned long long)lba, esize);
	if ((uint64_t)nents * esize > PV_MAX_GPT_ARRAY_BYTES)
		return pv_err(PV_ECORRUPT,
			      "%s: GPT entry array at LBA %llu is %llu bytes (limit %u)",
			      d->name, (unsigned long long)lba,
			      (unsigned long long)nents * esize,
			      PV_MAX_GPT_ARRAY_BYTES);
	*alt = le64(h + 32);
	return 0;
}

int gpt_guard(const struct disk *d, unsigned ss)
{
	uint64_t last = d->size / ss - 1, alt, unused;
	int r;

	if (d->size / ss < 2)
		return 0;
	r = check_header(d, ss, 1, &alt);
	if (r == 0 && alt > 1 && alt != last)
		r = check_header(d, ss, alt, &unused);
	if (r == 0)
		r = check_header(d, ss, last, &unused);
	return r;
}
