/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The partition table of a disk image's virtual disk (vdisk.h).
 *
 * libfdisk reads only through a file descriptor, and the confined worker
 * can make none that holds a virtual disk (no memfd writes: RLIMIT_FSIZE
 * is 0, and seccomp allows writes only to the result pipe).  So for
 * images only, this small reader fills the same struct raw_table from the
 * MBR (primaries, and logicals through the EBR chain) or the GPT (primary
 * header, else the backup), checking what libfdisk checks: signatures,
 * header and entry CRCs, sizes, a bounded and loop-free EBR chain.  The
 * ranges are then checked against the disk by discover.c like libfdisk's.
 */
#include "common/err.h"
#include "common/pvlimits.h"
#include "partition/part_priv.h"
#include "partition/vdisk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GPT_ATTR_LEGACY_BOOT (1ull << 2)
#define MAX_GPT_ARRAY (4u << 20)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static const struct {
	unsigned code;
	const char *name;
} mbr_names[] = {
	{ 0x05, "Extended" }, { 0x06, "FAT16" }, { 0x07, "HPFS/NTFS/exFAT" },
	{ 0x0b, "W95 FAT32" }, { 0x0c, "W95 FAT32 (LBA)" },
	{ 0x0e, "W95 FAT16 (LBA)" }, { 0x0f, "W95 Ext'd (LBA)" },
	{ 0x82, "Linux swap / Solaris" }, { 0x83, "Linux" },
	{ 0x85, "Linux extended" }, { 0x8e, "Linux LVM" },
	{ 0xee, "GPT" }, { 0xef, "EFI (FAT-12/16/32)" },
	{ 0xfd, "Linux raid autodetect" },
};

static const struct {
	const char *guid, *name;
} gpt_names[] = {
	{ "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "EFI System" },
	{ "21686148-6449-6e6f-744e-656564454649", "BIOS boot" },
	{ "0fc63daf-8483-4772-8e79-3d69d8477de4", "Linux filesystem" },
	{ "bc13c2ff-59e6-4262-a352-b275fd6f7172", "Linux extended boot" },
	{ "4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "Linux root (x86-64)" },
	{ "e6d6d379-f507-44c2-a23c-238f2a3df928", "Linux LVM" },
	{ "a19d880f-05fc-4d3b-a006-743f0f84911e", "Linux RAID" },
	{ "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "Linux swap" },
	{ "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "Microsoft basic data" },
};

static int is_extended(unsigned t)
{
	return t == 0x05 || t == 0x0f || t == 0x85;
}

static struct raw_part *next_entry(struct raw_table *t)
{
	if (t->n >= PV_MAX_PARTITIONS) {
		t->dropped++;
		return NULL;
	}
	memset(&t->e[t->n], 0, sizeof(t->e[0]));
	return &t->e[t->n++];
}

static void mbr_entry(struct raw_part *e, const uint8_t *p, uint64_t base,
		      int number)
{
	size_t i;

	e->start = base + le32(p + 8);
	e->size = le32(p + 12);
	e->has_range = 1;
	e->number = number;
	e->bootable = p[0] == 0x80;
	e->mbr_type = p[4];
	e->container = is_extended(p[4]);
	snprintf(e->type_name, sizeof(e->type_name), "type 0x%02x", p[4]);
	for (i = 0; i < sizeof(mbr_names) / sizeof(mbr_names[0]); i++)
		if (mbr_names[i].code == p[4])
			snprintf(e->type_name, sizeof(e->type_name), "%s",
				 mbr_names[i].name);
}

/* The logicals of the extended partition at ext (sectors). */
static int read_ebrs(const struct disk *d, unsigned ss, uint64_t ext,
		     struct raw_table *t)
{
	uint64_t seen[PV_MAX_PARTITIONS], ebr = ext;
	uint8_t s[512];
	size_t hops, i;
	int number = 5, r;

	for (hops = 0; hops < PV_MAX_PARTITIONS; hops++) {
		struct raw_part *e;

		for (i = 0; i < hops; i++)
			if (seen[i] == ebr)
				return 0; /* a loop: the chain ends here */
		seen[hops] = ebr;
		if (ebr > d->size / ss - 1)
			return 0;
		r = disk_read(d, ebr * ss, s, sizeof(s));
		if (r < 0)
			return r;
		if (s[510] != 0x55 || s[511] != 0xaa)
			return 0;
		if (s[446 + 4] && !is_extended(s[446 + 4]) && le32(s + 446 + 12)) {
			e = next_entry(t);
			if (e)
				mbr_entry(e, s + 446, ebr, number++);
		}
		if (!is_extended(s[462 + 4]) || le32(s + 462 + 8) == 0)
			return 0;
		ebr = ext + le32(s + 462 + 8);
	}
	return 0;
}

static void guid_str(char *out, size_t sz, const uint8_t *g)
{
	snprintf(out, sz,
		 "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 le32(g), (unsigned)(g[4] | g[5] << 8),
		 (unsigned)(g[6] | g[7] << 8), g[8], g[9], g[10], g[11], g[12],
		 g[13], g[14], g[15]);
}

/* One GPT header at lba and its entries; 0 when used, 1 when not valid. */
static int read_gpt(const struct disk *d, unsigned ss, uint64_t lba,
		    struct raw_table *t)
{
	uint8_t h[4096], *arr;
	uint32_t hsz, n, esz, crc;
	uint64_t entries, i;
	int r;

	if (lba > d->size / ss - 1)
		return 1;
	r = disk_read(d, lba * ss, h, ss);
	if (r < 0)
		return r;
	hsz = le32(h + 12);
	if (memcmp(h, "EFI PART", 8) || hsz < 92 || hsz > ss ||
	    le64(h + 24) != lba)
		return 1;
	crc = le32(h + 16);
	memset(h + 16, 0, 4);
	if ((uint32_t)crc32(0, h, hsz) != crc)
		return 1;
	entries = le64(h + 72);
	n = le32(h + 80);
	esz = le32(h + 84);
	if (esz < 128 || esz > 4096 || (esz & (esz - 1)) ||
	    (uint64_t)n * esz > MAX_GPT_ARRAY || n == 0 ||
	    entries > d->size / ss || (uint64_t)n * esz > d->size - entries * ss)
		return 1;
	arr = malloc((size_t)n * esz);
	if (!arr)
		return pv_err(PV_ENOMEM, "out of memory");
	r = disk_read(d, entries * ss, arr, (size_t)n * esz);
	if (r == 0 && (uint32_t)crc32(0, arr, (uInt)((size_t)n * esz)) != le32(h + 88))
		r = 1;
	for (i = 0; r == 0 && i < n; i++) {
		const uint8_t *p = arr + i * esz;
		static const uint8_t zero[16];
		struct raw_part *e;
		size_t k;

		if (!memcmp(p, zero, 16))
			continue;
		e = next_entry(t);
		if (!e)
			continue;
		e->start = le64(p + 32);
		e->has_range = le64(p + 40) >= e->start;
		e->size = e->has_range ? le64(p + 40) - e->start + 1 : 0;
		e->number = i + 1 < PV_MAX_GPT_ENTRIES ? (int)i + 1 : -1;
		e->bootable = (le64(p + 48) & GPT_ATTR_LEGACY_BOOT) != 0;
		guid_str(e->type_guid, sizeof(e->type_guid), p);
		guid_str(e->part_uuid, sizeof(e->part_uuid), p + 16);
		snprintf(e->type_name, sizeof(e->type_name), "unknown");
		for (k = 0; k < sizeof(gpt_names) / sizeof(gpt_names[0]); k++)
			if (!strcmp(gpt_names[k].guid, e->type_guid))
				snprintf(e->type_name, sizeof(e->type_name), "%s",
					 gpt_names[k].name);
	}
	free(arr);
	if (r == 0)
		snprintf(t->label, sizeof(t->label), "gpt");
	else
		t->n = 0;
	return r;
}

int vdisk_table_read(const struct disk *d, unsigned ss, struct raw_table *t)
{
	uint8_t s[512];
	int i, r, protective = 0;

	t->n = 0;
	t->dropped = 0;
	t->sector_size = ss;
	snprintf(t->label, sizeof(t->label), "none");
	r = disk_read(d, 0, s, sizeof(s));
	if (r < 0)
		return r;
	if (s[510] != 0x55 || s[511] != 0xaa)
		return 0;
	for (i = 0; i < 4; i++)
		protective |= s[446 + 16 * i + 4] == 0xee;
	if (protective) {
		r = read_gpt(d, ss, 1, t);
		if (r == 1)
			r = read_gpt(d, ss, d->size / ss - 1, t);
		if (r == 1)
			return pv_err(PV_ECORRUPT,
				      "%s: protective MBR but neither GPT header is valid",
				      d->name);
		return r;
	}
	snprintf(t->label, sizeof(t->label), "dos");
	for (i = 0; i < 4; i++) {
		const uint8_t *p = s + 446 + 16 * i;
		struct raw_part *e;

		if (!p[4] || !le32(p + 12))
			continue;
		e = next_entry(t);
		if (!e)
			continue;
		mbr_entry(e, p, 0, i + 1);
		if (e->container) {
			r = read_ebrs(d, ss, e->start, t);
			if (r < 0)
				return r;
		}
	}
	return 0;
}
