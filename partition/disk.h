/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one door through which guest bytes enter: a read-only disk (file,
 * block device, or a buffer for tests and fuzzing) and volumes, byte windows
 * of it.  Every read is range-checked; a read that would cross the end of
 * the window fails with PV_EIO instead of returning fewer bytes.
 */
#ifndef PVBOOT_PARTITION_DISK_H
#define PVBOOT_PARTITION_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "common/pvlimits.h"

struct disk {
	int fd;                 /* -1 for an in-memory disk */
	const uint8_t *mem;     /* in-memory disk (not owned) */
	uint64_t size;          /* bytes */
	unsigned sector_size;   /* logical sector size, 512 or 4096 */
	char name[256];         /* for messages: the path as given */
	int own_fd;             /* close fd in disk_close() */
	/* a disk image (partition/vdisk.h): reads go to its virtual disk */
	const struct vdisk_ops *vops;
	void *vctx;
	struct disk *raw;       /* the file itself, read by the image reader */
	uint64_t file_size;     /* the file's size (== size for a raw disk) */
	/* a backing chain (partition/vdisk.h): which file of the chain this
	 * disk reads (0 = the disk given, k = the k-th backing file) and
	 * the chain the supervisor opened; NULL: no chain may be used */
	int level;
	struct vdisk_chain *chain;
	/* the last blocks read from fd (partition/disk_cache.c); shared
	 * with raw when a vdisk takes the disk over; NULL: uncached */
	struct disk_cache *cache;
};

/* Open path read-only; a regular file or a block device. */
int disk_open(struct disk *d, const char *path);
/* Wrap an already-open fd (the sandboxed worker gets one); not closed. */
int disk_open_fd(struct disk *d, int fd, const char *name);
/* Wrap a buffer (tests, fuzzers). */
int disk_open_mem(struct disk *d, const void *buf, size_t len,
		  const char *name);
void disk_close(struct disk *d);
/* Read exactly len bytes at off, or fail. */
int disk_read(const struct disk *d, uint64_t off, void *buf, size_t len);

/* What a volume is, for ordering candidates and for messages. */
enum vol_kind {
	VOL_WHOLE_DISK, /* no partition table, or --offset */
	VOL_MBR,        /* MBR primary or logical */
	VOL_GPT,
	VOL_MD,         /* an MD RAID1 array: a window of its chosen member */
	VOL_LV          /* an LVM2 logical volume: mapped through segs */
};

/*
 * One segment of a mapped volume (an LV): volume bytes [vol_off,
 * vol_off+len) come from nstripes areas of the disk, stripe_bytes at a time
 * in turn (nstripes 1: one contiguous run at disk_off[0]).  A striped
 * segment is thus a compact list of runs; vol_map() yields them one by one.
 * Built only after every area was checked to lie inside the disk.
 */
struct vol_seg {
	uint64_t vol_off, len;
	uint64_t stripe_bytes;
	unsigned nstripes;
	uint64_t disk_off[PV_MAX_LV_STRIPES];
};

struct volume {
	struct disk *disk;
	uint64_t offset;     /* byte offset of the window on the disk */
	uint64_t length;     /* bytes */
	enum vol_kind kind;
	int number;          /* partition number as Linux names it (p1..), 0 = whole disk */
	int bootable;        /* MBR active flag / GPT legacy BIOS bootable */
	unsigned mbr_type;   /* MBR type byte, 0 if GPT/whole */
	char type_guid[40];  /* GPT type GUID (lower case), "" otherwise */
	char type_name[48];  /* "Linux filesystem", "EFI System", "BIOS boot"... */
	char part_uuid[40];  /* GPT partition UUID, "" otherwise */
	/* Stacked volumes (partition/stack.c).  A mapped volume has offset 0
	 * and reads through segs; fs extents of it are volume offsets that
	 * vol_map() turns into disk ranges. */
	const struct vol_seg *segs;
	size_t nsegs;
	int parent;          /* 1 + index of the volume it lives on, 0 none */
	int holder;          /* an LVM2 PV or MD member: not probed itself */
	int unusable;        /* listed with note as the reason, not probed */
	char note[192];      /* holder: "LVM2 PV of vg0"; unusable: why */
	char vname[80];      /* "lv root", "array md/boot" */
	char grub_dev[64];   /* "lvm/vg0-root", "md/boot"; "" for partitions */
};

/* Where volume offset off lies on the disk, and how many bytes from there
 * on are contiguous on the disk (never past the volume's end). */
int vol_map(const struct volume *v, uint64_t off, uint64_t *disk_off,
	    uint64_t *contig);

/* Read exactly len bytes at off inside the volume, or fail. */
int vol_read(const struct volume *v, uint64_t off, void *buf, size_t len);
/* "p2" or "disk" (whole disk), for messages. */
const char *vol_name(const struct volume *v, char *buf, size_t bufsz);
/* Human size: "100MiB", "512B", "1.5GiB". */
const char *pv_human_size(uint64_t bytes, char *buf, size_t bufsz);

#endif
