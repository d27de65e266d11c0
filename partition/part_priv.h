/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside partition/: the raw table as libfdisk reports it (in sectors, not
 * yet checked against the disk), and the ordering classes.  Nothing outside
 * partition/ includes this.
 */
#ifndef PVBOOT_PARTITION_PART_PRIV_H
#define PVBOOT_PARTITION_PART_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "common/pvlimits.h"
#include "partition/disk.h"

/* One used entry of the table, as read; nothing here is trusted yet. */
struct raw_part {
	uint64_t start;      /* sectors */
	uint64_t size;       /* sectors */
	int has_range;       /* libfdisk knew both start and size */
	int number;          /* Linux numbering: p1..p4 primaries, p5+ logicals */
	int container;       /* MBR extended partition: holds logicals only */
	int bootable;        /* MBR 0x80 / GPT attribute bit 2 */
	unsigned mbr_type;   /* MBR type byte, 0 for GPT */
	char type_guid[40];  /* GPT type GUID, lower case; "" for MBR */
	char type_name[48];  /* libfdisk's human name of the type */
	char part_uuid[40];  /* GPT partition UUID, lower case */
};

struct raw_table {
	char label[16];        /* "dos", "gpt", "none" */
	unsigned sector_size;  /* bytes per sector the table was read with */
	size_t n;
	size_t dropped;        /* entries beyond PV_MAX_PARTITIONS */
	struct raw_part e[PV_MAX_PARTITIONS];
};

/*
 * Read the partition table of d with libfdisk (read-only, silent).
 * sector_size: the logical sector size to read with (512 or 4096).
 * t->label is "none" when no table was found.  Returns 0 or PV_E*.
 */
int part_table_read(const struct disk *d, unsigned sector_size,
		    struct raw_table *t);

/* The same for a disk image's virtual disk (vdisk_table.c: libfdisk needs
 * a file descriptor, which a virtual disk does not have). */
int vdisk_table_read(const struct disk *d, unsigned sector_size,
		     struct raw_table *t);

/*
 * Refuse GPT headers (valid CRC, or unparseable size) whose entry count or
 * entry size libfdisk would trust into a huge allocation or an over-read.
 * Call before part_table_read().  Returns 0 or PV_ECORRUPT.
 */
int gpt_guard(const struct disk *d, unsigned sector_size);

/* Ordering classes, best first (partition.h explains the order). */
enum part_class {
	PC_XBOOTLDR,
	PC_BOOTABLE,
	PC_ESP,
	PC_LINUX,
	PC_OTHER,
	PC_LAST      /* BIOS boot, swap: listed only for the diagnostic */
};

enum part_class part_classify(const struct volume *v);
/* Stable sort of v[0..n) by class. */
void part_sort(struct volume *v, size_t n);

#endif
