/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the parsing side hands the copying side for the kernel and for the
 * ramdisk: a list of segments, each a byte range of the disk, a run of
 * zeros (a hole), or bytes already read (compressed/inline data).  Several
 * initrds become one blob, concatenated in order.  The supervisor checks
 * every segment against the disk size and the per-file cap before copying.
 */
#ifndef PVBOOT_BOOTLOADER_BLOB_H
#define PVBOOT_BOOTLOADER_BLOB_H

#include <stddef.h>
#include <stdint.h>

enum seg_kind { SEG_DISK = 1, SEG_ZERO = 2, SEG_BYTES = 3 };

/* Where the bytes of a SEG_BYTES segment come from when they are not held
 * in memory: read on demand (a compressed file is decompressed chunk by
 * chunk while it is sent, never held whole).  Worker side only: on the
 * wire the bytes follow the answer in chunk frames (wire.h). */
struct seg_src {
	long (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void (*free)(void *ctx);
	void *ctx;
};

struct seg {
	enum seg_kind kind;
	uint64_t disk_off; /* SEG_DISK: absolute disk offset */
	uint8_t file;      /* SEG_DISK: 0 the disk, k its k-th backing file
			      (--allow-backing, partition/vdisk.h); else 0 */
	uint64_t len;
	uint8_t *bytes;    /* SEG_BYTES: owned by the blob, or NULL when */
	struct seg_src *src; /* ... the bytes are read from here (owned) */
};

struct blob {
	struct seg *segs;
	size_t n, cap;
	uint64_t total;    /* sum of lengths */
};

void blob_init(struct blob *b);
void blob_free(struct blob *b);
/* Append; adjacent disk ranges are merged.  PV_ELIMIT past
 * PV_MAX_SEGMENTS segments or when total would exceed max_total. */
int blob_add_disk(struct blob *b, uint64_t disk_off, uint64_t len,
		  uint64_t max_total);
/* The same in file k of the backing chain (0: the disk). */
int blob_add_disk_in(struct blob *b, int file, uint64_t disk_off,
		     uint64_t len, uint64_t max_total);
int blob_add_zero(struct blob *b, uint64_t len, uint64_t max_total);
/* Takes ownership of bytes (malloc'd). */
int blob_add_bytes(struct blob *b, uint8_t *bytes, uint64_t len,
		   uint64_t max_total);
/* SEG_BYTES of len bytes read on demand from src (taken over, freed with
 * the blob even on failure). */
int blob_add_source(struct blob *b, struct seg_src *src, uint64_t len,
		    uint64_t max_total);
/* Read len bytes at off of a SEG_BYTES segment (held or on demand) into
 * buf: 0 or a negative PV_E*; a short source is PV_ECORRUPT. */
int blob_seg_read(const struct seg *s, uint64_t off, void *buf, size_t len);
/* Move every segment of from to the end of b (from is left empty). */
int blob_append(struct blob *b, struct blob *from, uint64_t max_total);

#endif
