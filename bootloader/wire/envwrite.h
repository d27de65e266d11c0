/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB environment blocks to write back (issue 15): what the worker
 * reports after a successful boot decision, in its own section at the end
 * of the answer's body, and what the supervisor checks and writes.
 *
 * Wire section (little-endian, appended after the kernel and ramdisk
 * blobs):
 *   u32 count                        0..PV_MAX_ENV_FILES
 *   count x {
 *     u64 vol_off | u64 vol_len      the volume the file is on
 *     u32 nranges                    1..PV_MAX_ENV_RANGES
 *     nranges x { u64 disk_off | u64 len }   absolute disk bytes, in
 *                                    file order
 *     u32 len                        1..PV_MAX_ENVBLK_WRITE
 *     len bytes                      the whole new block
 *   }
 * The decoder checks only the structure (counts, lengths against the
 * bytes present and the caps above); envwrite_check() in the supervisor
 * checks the meaning.
 */
#ifndef PVBOOT_BOOTLOADER_ENVWRITE_H
#define PVBOOT_BOOTLOADER_ENVWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "common/pvlimits.h"

struct env_range {
	uint64_t disk_off;
	uint64_t len;
};

struct env_block_write {
	uint64_t vol_off, vol_len;
	uint32_t nranges;
	struct env_range ranges[PV_MAX_ENV_RANGES];
	uint32_t len;
	uint8_t *block;          /* malloc'd, len bytes */
};

struct env_writes {
	uint32_t n;
	struct env_block_write w[PV_MAX_ENV_FILES];
};

void envw_free(struct env_writes *e);
/* The largest section an honest worker sends. */
uint64_t envw_max_size(void);
/* Bytes the section takes; envw_encode writes exactly that many.  The
 * caller has checked envw_valid_shape() first. */
size_t envw_encoded_size(const struct env_writes *e);
void envw_encode(const struct env_writes *e, uint8_t *out);
/* 0 when the counts and lengths are within the caps (for the encoder). */
int envw_valid_shape(const struct env_writes *e);
/* Decode the section at p (left bytes available); *used = its size.
 * out must be zeroed; on failure it is freed and a PV_ECORRUPT/PV_ELIMIT
 * message names the problem. */
int envw_decode(const uint8_t *p, size_t left, size_t *used,
		struct env_writes *out);
/* Is buf a GRUB environment block: the signature line, then lines of
 * NAME=VALUE (NAME non-empty, no NUL, '=' present, escapes complete),
 * then only '#' to the end?  1 or 0. */
int envw_block_valid(const uint8_t *buf, size_t len);

#endif
