/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Disk image formats (qcow2, VHD) read as the virtual disk they hold.
 * vdisk_detect() looks at an opened disk's content (never its name); when
 * it is an image, every later disk_read() reads the virtual disk, so
 * partition discovery and every filesystem work unchanged.  disk_map()
 * turns a range of the virtual disk into what the supervisor copies:
 * ranges of the image file (clusters stored plainly), runs of zeros
 * (unallocated or zero clusters) and bytes (compressed clusters, already
 * inflated).  So the supervisor copies images exactly as raw disks, with
 * the same checks, and parses no image format as root.
 *
 * Runs only in the confined worker.  Backing files (qcow2) and parents
 * (differencing VHDs) are files the worker cannot open.  Without
 * --allow-backing they are refused by name.  With it, the supervisor
 * opens the chain level by level (bootloader/privileged/backing.h): an
 * image naming a level the chain does not hold yet records the name in
 * chain->want and fails; the worker answers "needs backing file NAME",
 * and the supervisor opens it and runs the worker again with the chain
 * one longer.  Reads of what an image does not hold go to the level
 * below (recursion bounded by PV_MAX_BACKING_DEPTH); mapped pieces name
 * the level whose file they lie in, so the supervisor copies from it.
 */
#ifndef PVBOOT_PARTITION_VDISK_H
#define PVBOOT_PARTITION_VDISK_H

#include <stddef.h>
#include <stdint.h>

struct disk;

#include "common/pvlimits.h"

/* The backing chain: filled by the supervisor before the worker runs,
 * read by the worker (its copy after fork). */
struct vdisk_chain {
	int allow;   /* --allow-backing */
	int n;       /* backing files open: levels 1..n */
	int fd[PV_MAX_BACKING_DEPTH + 1];        /* [0] unused: the disk */
	uint64_t size[PV_MAX_BACKING_DEPTH + 1]; /* their sizes at open */
	/* worker side: the disk read at each level (NULL until opened) */
	struct disk *lvl[PV_MAX_BACKING_DEPTH + 1];
	/* worker side: the name the deepest image asks for, "" if none */
	char want[PV_MAX_BACKING_NAME + 1];
};

/* What one piece of a mapped range is. */
enum vmap_kind { VMAP_FILE = 1, VMAP_ZERO, VMAP_BYTES };

/* Called in order for consecutive pieces; for VMAP_FILE, level is the
 * file of the chain (0: the disk); for VMAP_BYTES the callee takes
 * ownership of bytes (malloc'd).  A negative return stops the map. */
typedef int (*vmap_fn)(void *arg, enum vmap_kind kind, int level,
		       uint64_t file_off, uint64_t len, uint8_t *bytes);

/* The first member of every reader's context: the first read error, kept
 * because callers above (partition and filesystem probes) may take a
 * failed read for "not mine" and move on. */
struct vdisk_state {
	int code;       /* 0, or the first PV_E* a read or map returned */
	char msg[256];
};

struct vdisk_ops {
	const char *name; /* "qcow2", "VHD dynamic"... */
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	int (*map)(void *ctx, uint64_t off, uint64_t len, vmap_fn fn,
		   void *arg);
	void (*close)(void *ctx);
};

/*
 * If d holds a qcow2 or VHD image, switch d to its virtual disk (d->size
 * becomes the virtual size; d->file_size keeps the file's) and return 1;
 * 0 when it is a raw disk; a negative PV_E* for an image that is corrupt
 * or uses what pvboot does not read (encryption, a backing file...).
 * Block devices are always raw: a virtual disk attached by the toolstack.
 */
int vdisk_detect(struct disk *d);

/* When d is an image whose reader failed a read: set pv_err to that first
 * failure and return its code; 0 otherwise.  A run that found nothing
 * reports this instead of "no filesystem". */
int vdisk_failure(const struct disk *d);

/* Map a range of d (raw or virtual) for copying; see above. */
int disk_map(const struct disk *d, uint64_t off, uint64_t len, vmap_fn fn,
	     void *arg);

/* Remember r in a reader's state if it is its first failure (disk_read
 * and disk_map do, for every reader). */
void vdisk_note(struct vdisk_state *st, int r);

/*
 * The image below the image read through raw (level raw->level): name is
 * what the image stores (NUL-terminated, at most PV_MAX_BACKING_NAME
 * bytes), what says which format names it ("qcow2", "VHD").  Refused
 * without --allow-backing; when the chain does not hold the next level
 * yet, chain->want records name and PV_ENOTSUP says so.  Otherwise
 * *below is that level's disk, opened (and detected by content) once
 * per run and owned by the chain.
 */
int vdisk_backing(const struct disk *raw, const char *what, const char *name,
		  struct disk **below);
/* Read len bytes at off of below, zeros past its end (a backing file
 * smaller than the image above); map likewise. */
int vdisk_below_read(struct disk *below, uint64_t off, void *buf,
		     uint64_t len);
int vdisk_below_map(struct disk *below, uint64_t off, uint64_t len,
		    vmap_fn fn, void *arg);
/* The disk whose file is level k of d's chain (0: d's own file), for
 * reading back a mapped piece; NULL if the chain holds no such level. */
const struct disk *vdisk_file(const struct disk *d, int level);
/* Close every level the worker opened (disk_close of the top does). */
void vdisk_chain_close(struct vdisk_chain *c);

/* The image readers, each probed by vdisk_detect (NOT_MINE if not theirs).
 * They read the file through raw, a disk that stays raw. */
int qcow2_open(const struct disk *raw, const struct vdisk_ops **ops,
	       void **ctx, uint64_t *vsize);
int vhd_open(const struct disk *raw, const struct vdisk_ops **ops,
	     void **ctx, uint64_t *vsize);

#endif
