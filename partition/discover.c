/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Candidate volumes of a disk: read the table with libfdisk
 * (fdisk_read.c), check every range against the disk, drop what cannot be
 * a filesystem, order the rest (part_order.c).
 *
 * Nothing libfdisk reports is trusted: on Debian 12 a self-linked EBR comes
 * back as ~56 identical logical partitions, and a GPT whose headers are both
 * bad comes back as a dos table holding the protective 0xEE entry of 2^32-1
 * sectors.  So each range is computed in 64 bits with overflow checks, must
 * lie inside the disk, be non-empty and not overlap a range already kept.
 */
#include "partition/partition.h"
#include "partition/part_priv.h"
#include "common/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MBR_PROTECTIVE 0xee
#define MBR_EXTENDED 0x05
#define MBR_EXTENDED_LBA 0x0f
#define MBR_EXTENDED_LINUX 0x85

/* ISO 9660: a volume descriptor "\x01CD001" at byte 32768 (sector 16). */
#define ISO_VD_OFFSET 0x8001
#define ISO_MAGIC "CD001"

struct discover {
	struct disk *d;
	struct part_list *out;
	size_t first_part;    /* index of the first partition volume in out */
	size_t skipped;       /* entries skipped with a reason */
	size_t over_cap;      /* good entries beyond PV_MAX_PROBED_VOLUMES */
	int saw_protective;   /* a 0xEE entry in a dos table */
};

static void add_whole_disk(struct disk *d, struct part_list *out,
			   uint64_t offset)
{
	struct volume *v = &out->v[out->n++];

	memset(v, 0, sizeof(*v));
	v->disk = d;
	v->offset = offset;
	v->length = d->size - offset;
	v->kind = VOL_WHOLE_DISK;
	v->number = 0;
}

static void set_table(struct part_list *out, const char *name)
{
	snprintf(out->table, sizeof(out->table), "%s", name);
}

/* Warn about one skipped entry; past PV_MAX_PART_WARNINGS only count. */
static void skip(struct discover *ds, int number, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void skip(struct discover *ds, int number, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	if (ds->skipped++ >= PV_MAX_PART_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pv_warn("%s: partition %d %s: skipped", ds->d->name, number, why);
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* The byte range of e, or 0 after skip() when it cannot be a volume. */
static int entry_range(struct discover *ds, const struct raw_part *e,
		       unsigned ss, uint64_t *off, uint64_t *len)
{
	uint64_t end;
	size_t i;

	if (!e->has_range) {
		skip(ds, e->number, "has no start or size");
		return 0;
	}
	if (e->size == 0) {
		skip(ds, e->number, "is empty");
		return 0;
	}
	if (__builtin_mul_overflow(e->start, (uint64_t)ss, off) ||
	    __builtin_mul_overflow(e->size, (uint64_t)ss, len) ||
	    __builtin_add_overflow(*off, *len, &end) || end > ds->d->size) {
		skip(ds, e->number,
		     "(sectors %llu+%llu) lies outside the disk (%llu bytes)",
		     (unsigned long long)e->start, (unsigned long long)e->size,
		     (unsigned long long)ds->d->size);
		return 0;
	}
	/* The whole disk of a hybrid ISO (before first_part) overlaps every
	 * partition; only an identical range is a duplicate of it. */
	for (i = 0; i < ds->out->n; i++) {
		const struct volume *k = &ds->out->v[i];

		if (k->offset == *off && k->length == *len) {
			if (k->kind == VOL_WHOLE_DISK)
				skip(ds, e->number, "is the whole disk again");
			else
				skip(ds, e->number, "duplicates partition %d",
				     k->number);
			return 0;
		}
		if (i >= ds->first_part &&
		    overlaps(k->offset, k->length, *off, *len)) {
			skip(ds, e->number, "overlaps partition %d", k->number);
			return 0;
		}
	}
	return 1;
}

static int is_extended_type(unsigned t)
{
	return t == MBR_EXTENDED || t == MBR_EXTENDED_LBA ||
	       t == MBR_EXTENDED_LINUX;
}

static void add_partition(struct discover *ds, const struct raw_table *t,
			  const struct raw_part *e)
{
	struct volume *v;
	uint64_t off, len;
	int gpt = strcmp(t->label, "gpt") == 0;

	if (e->number <= 0) {
		skip(ds, e->number, "has no usable number");
		return;
	}
	/* An extended partition only holds the EBR chain; its logicals are
	 * listed on their own.  libfdisk does not follow (nor flag as a
	 * container) one that starts at LBA 0, the MBR itself: check the
	 * type too. */
	if (e->container || (!gpt && is_extended_type(e->mbr_type))) {
		pv_debug("%s: p%d is an extended partition", ds->d->name,
			 e->number);
		return;
	}
	if (!gpt && e->mbr_type == MBR_PROTECTIVE) {
		ds->saw_protective = 1;
		skip(ds, e->number,
		     "is a GPT protective entry but no valid GPT was found");
		return;
	}
	if (!entry_range(ds, e, t->sector_size, &off, &len))
		return;
	if (ds->out->n >= PV_MAX_PROBED_VOLUMES) {
		ds->over_cap++;
		return;
	}
	v = &ds->out->v[ds->out->n++];
	memset(v, 0, sizeof(*v));
	v->disk = ds->d;
	v->offset = off;
	v->length = len;
	v->kind = gpt ? VOL_GPT : VOL_MBR;
	v->number = e->number;
	v->bootable = e->bootable;
	v->mbr_type = e->mbr_type;
	memcpy(v->type_guid, e->type_guid, sizeof(v->type_guid));
	memcpy(v->type_name, e->type_name, sizeof(v->type_name));
	memcpy(v->part_uuid, e->part_uuid, sizeof(v->part_uuid));
}

static int has_bytes(const struct disk *d, uint64_t off, const char *magic,
		     size_t len)
{
	char buf[16];

	if (len > sizeof(buf) || off > d->size || len > d->size - off)
		return 0;
	if (disk_read(d, off, buf, len) < 0)
		return 0;
	return memcmp(buf, magic, len) == 0;
}

/* The boot signature or a GPT header: a table was meant to be here. */
static int looks_partitioned(const struct disk *d, unsigned ss)
{
	return has_bytes(d, 510, "\x55\xaa", 2) ||
	       has_bytes(d, ss, "EFI PART", 8);
}

/*
 * A boot sector with the 0x55AA signature and four empty entries (GRUB's
 * boot.img on an unpartitioned disk, a FAT boot sector): the whole disk,
 * as pygrub does.  Decided here, before libfdisk: nothing to parse.
 */
static int empty_mbr(const struct disk *d)
{
	uint8_t s[512];
	int i;

	if (d->size < sizeof(s) || disk_read(d, 0, s, sizeof(s)) < 0)
		return 0;
	if (s[510] != 0x55 || s[511] != 0xaa)
		return 0;
	for (i = 0; i < 4; i++)
		if (s[446 + 16 * i + 4] != 0)
			return 0;
	return 1;
}

/*
 * An image file of a 4Kn disk looks like any file (512-byte sectors to
 * libfdisk); its GPT header sits at byte 4096 instead of 512.
 */
static unsigned pick_sector_size(const struct disk *d)
{
	if (d->sector_size == 4096)
		return 4096;
	if (!has_bytes(d, 512, "EFI PART", 8) &&
	    has_bytes(d, 4096, "EFI PART", 8)) {
		pv_debug("%s: GPT header at byte 4096: 4096-byte sectors",
			 d->name);
		return 4096;
	}
	return 512;
}

static void report_dropped(struct discover *ds, const struct raw_table *t)
{
	const char *n = ds->d->name;

	if (ds->skipped > PV_MAX_PART_WARNINGS)
		pv_warn("%s: %zu more partition entries skipped", n,
			ds->skipped - PV_MAX_PART_WARNINGS);
	if (t->dropped)
		pv_warn("%s: %zu partition entries beyond the first %d ignored",
			n, t->dropped, PV_MAX_PARTITIONS);
	if (ds->over_cap)
		pv_warn("%s: %zu partitions beyond the first %d not probed", n,
			ds->over_cap, PV_MAX_PROBED_VOLUMES);
}

/* Turn the table into ordered volumes; out->table is already set. */
static int use_table(struct disk *d, const struct raw_table *t,
		     struct part_list *out)
{
	struct discover ds = { .d = d, .out = out };
	size_t i;

	/* A hybrid ISO boots as an ISO from a CD and through its table from
	 * a disk; the ISO 9660 view of the whole image comes first. */
	if (has_bytes(d, ISO_VD_OFFSET, ISO_MAGIC, 5)) {
		pv_debug("%s: hybrid ISO: whole disk first", d->name);
		add_whole_disk(d, out, 0);
	}
	ds.first_part = out->n;
	for (i = 0; i < t->n; i++)
		add_partition(&ds, t, &t->e[i]);
	report_dropped(&ds, t);

	if (out->n == ds.first_part) {
		if (ds.saw_protective && out->n == 0)
			return pv_err(PV_ECORRUPT,
				      "%s: protective MBR but neither GPT header is valid",
				      d->name);
		if (out->n == 0) {
			/* pygrub too: a boot sector (GRUB's, a FAT VBR) may
			 * carry 0x55AA with nothing in the table. */
			if (t->n)
				pv_warn("%s: no usable partition in the %s table: trying the whole disk",
					d->name, t->label);
			add_whole_disk(d, out, 0);
		}
		return 0;
	}
	part_sort(out->v + ds.first_part, out->n - ds.first_part);
	return 0;
}

/*
 * An empty list.  Only the counts and the label: every entry is cleared
 * when it is added (add_whole_disk, add_part, lvm_vg, stack), and nothing
 * reads past n or nsegs.  Clearing the whole struct (~240 KiB of entries)
 * touched ~60 fresh pages of the worker's calloc()ed context, a page fault
 * each: about a tenth of a -q -n run's parse (issue 12).
 */
static void part_list_reset(struct part_list *out)
{
	out->n = 0;
	out->nsegs = 0;
	memset(out->table, 0, sizeof(out->table));
}

int partition_discover(struct disk *d, struct part_list *out)
{
	struct raw_table *t;
	unsigned ss;
	int r;

	part_list_reset(out);
	set_table(out, "none");
	if (d->size == 0)
		return pv_err(PV_EIO, "%s: the disk is empty", d->name);
	ss = pick_sector_size(d);
	if (d->size < ss) {
		/* Too small for any table: maybe a tiny filesystem. */
		add_whole_disk(d, out, 0);
		return 0;
	}

	if (empty_mbr(d)) {
		pv_debug("%s: empty MBR: whole disk", d->name);
		set_table(out, "dos");
		add_whole_disk(d, out, 0);
		return 0;
	}

	t = malloc(sizeof(*t));
	if (!t)
		return pv_err(PV_ENOMEM, "%s: out of memory", d->name);
	r = gpt_guard(d, ss);
	if (r < 0)
		goto out;
	r = d->vops ? vdisk_table_read(d, ss, t) : part_table_read(d, ss, t);
	if (r < 0) {
		if (r == PV_ENOMEM || looks_partitioned(d, ss))
			goto out;
		pv_debug("%s: no partition table (%s)", d->name, pv_errmsg());
		add_whole_disk(d, out, 0);
		r = 0;
		goto out;
	}
	if (strcmp(t->label, "dos") != 0 && strcmp(t->label, "gpt") != 0) {
		if (strcmp(t->label, "none") != 0)
			pv_warn("%s: %s disk label ignored: trying the whole disk",
				d->name, t->label);
		add_whole_disk(d, out, 0);
		goto out;
	}
	set_table(out, t->label);
	r = use_table(d, t, out);
out:
	free(t);
	if (r == 0)
		r = stack_discover(d, out);
	if (r < 0)
		part_list_reset(out);
	return r;
}

int partition_at_offset(struct disk *d, uint64_t offset,
			struct part_list *out)
{
	part_list_reset(out);
	if (offset >= d->size)
		return pv_err(PV_EINVAL,
			      "%s: offset %llu is not inside the disk (%llu bytes)",
			      d->name, (unsigned long long)offset,
			      (unsigned long long)d->size);
	set_table(out, "offset");
	add_whole_disk(d, out, offset);
	return 0;
}
