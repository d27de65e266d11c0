/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's one answer to the supervisor, over a pipe: a fixed header
 * (magic, version, body length) and a body carrying a struct boot_result
 * plus the worker's return code.  The supervisor trusts nothing in it: the
 * decoder checks every length against the bytes present and against the
 * caps below before allocating, and the body must be consumed exactly.
 *
 * Layout, all integers little-endian:
 *   header: "PVB1" | u32 version (1) | u64 body length
 *   body:   i32 code (the worker function's return, 0 or PV_E*)
 *           i32 status
 *           str error, args, kernel_path, ramdisk_path, text, log
 *           u8  have_ramdisk (0 or 1)
 *           blob kernel, blob ramdisk
 *           env-write section (bootloader/wire/envwrite.h, issue 15)
 *   str:    u32 length (0xffffffff = NULL) | bytes (no NUL inside)
 *   blob:   u32 count | count x { u8 kind | u64 disk_off | u64 len |
 *                                 len bytes if kind is SEG_BYTES }
 */
#ifndef PVBOOT_BOOTLOADER_WIRE_H
#define PVBOOT_BOOTLOADER_WIRE_H

#include "bootloader/wire/result.h"

#include <stddef.h>
#include <stdint.h>

#define WIRE_MAGIC "PVB1"
#define WIRE_VERSION 1u
#define WIRE_HDR_SIZE 16

/* The largest body an honest worker can send with this per-file cap. */
uint64_t wire_max_body(uint64_t max_file);

/* Encode r (and code) into a malloc'd message (header included).  Fails
 * with PV_ELIMIT when a field is over its cap, so the worker can report
 * that instead. */
int wire_encode(const struct boot_result *r, int code, uint8_t **msg,
		size_t *len);

/* Check a header; on success *body_len is the announced body length,
 * already checked against max_body.  PV_ECORRUPT / PV_ELIMIT otherwise. */
int wire_header(const uint8_t hdr[WIRE_HDR_SIZE], uint64_t max_body,
		uint64_t *body_len);

/* Decode a whole message (header + body, exactly len bytes).  r is
 * overwritten (result_init'ed first: pass an empty one).  On success it owns
 * the decoded fields and *code holds the
 * worker's code.  On failure r is left empty and a PV_ECORRUPT/PV_ELIMIT
 * message names the first problem.  Blob totals are capped at max_file. */
int wire_decode(const uint8_t *msg, size_t len, uint64_t max_file,
		struct boot_result *r, int *code);

#endif
