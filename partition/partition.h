/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Partition discovery: which byte windows of the disk could hold /boot, in
 * the order a firmware and GRUB would look.  Implemented with libfdisk.
 */
#ifndef PVBOOT_PARTITION_PARTITION_H
#define PVBOOT_PARTITION_PARTITION_H

#include "common/pvlimits.h"
#include "partition/disk.h"

struct part_list {
	size_t n;
	struct volume v[PV_MAX_PROBED_VOLUMES];
	char table[16];  /* "dos", "gpt", "none", "offset" */
	/* segments of the mapped volumes (LVs) in v[], which point here */
	size_t nsegs;
	struct vol_seg segs[PV_MAX_LV_SEGMENTS];
	/* Partitions that were listed but not kept (outside the disk,
	 * zero-length, duplicate...) are reported as warnings, not here. */
};

/*
 * Fill out with candidate volumes of d, best first:
 *  XBOOTLDR, bootable/active, ESP, Linux filesystem types, then the rest
 *  (stable: table order within a class).
 * A disk without a partition table (or a boot sector with an empty table)
 * yields one whole-disk volume.  A hybrid ISO (CD001 at 0x8001 plus an MBR)
 * yields the whole disk first, then the partitions.
 * Ranges outside the disk, zero-length and duplicate ranges are skipped with
 * a warning.  Returns 0 or a negative PV_E* code.
 */
int partition_discover(struct disk *d, struct part_list *out);

/*
 * Stacked volumes (partition/stack.c): MD RAID1 arrays and LVM2 logical
 * volumes on the volumes already in out.  Their holders (members, PVs) are
 * kept, marked holder; arrays and LVs are appended after them, each with
 * parent naming its holder; what cannot be read (other RAID levels, thin
 * pools, a missing PV...) is appended as unusable, with the reason.
 * Only fails on out of memory: a bad label is a warning or a note.
 */
int stack_discover(struct disk *d, struct part_list *out);

/* One whole-disk-like volume at a given byte offset (--offset). */
int partition_at_offset(struct disk *d, uint64_t offset, struct part_list *out);

#endif
