/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's one answer to the supervisor, over a pipe: a fixed header
 * (magic, version, body length) and a body carrying a struct boot_result
 * plus the worker's return code, then (only for a successful answer that
 * names files) the bytes the supervisor cannot copy from the disk itself,
 * in bounded chunk frames.  The supervisor trusts nothing in it: the
 * decoder checks every length against the bytes present and against the
 * caps below before allocating, and the body must be consumed exactly.
 *
 * Layout (version 3), all integers little-endian:
 *   header: "PVB3" | u32 version (3) | u64 body length
 *   body:   i32 code (the worker function's return: 0 or PV_E*, >= -11)
 *           i32 status (0 iff code is 0; else the exit status it asks for)
 *           str error, args, kernel_path, ramdisk_path, text, log,
 *               backing (--allow-backing: "needs backing file NAME",
 *               an answer carrying nothing else; partition/vdisk.h)
 *           u8  have_ramdisk (0 or 1)
 *           blob kernel, blob ramdisk
 *           env-write section (bootloader/wire/envwrite.h, issue 15)
 *   str:    u32 length (0xffffffff = NULL) | bytes (no NUL inside)
 *   blob:   u32 count (<= PV_MAX_SEGMENTS) |
 *           count x { u8 kind | u8 file | u64 disk_off | u64 len }
 *           kind 1 disk range, 2 hole, 3 bytes-in-the-stream; len >= 1;
 *           file (kind 1 only, else 0): 0 the disk, k <=
 *           PV_MAX_BACKING_DEPTH the k-th backing file of its chain;
 *           disk_off is 0 for kinds 2 and 3; sum of len <= the file cap.
 *   stream: follows the answer; S = the sum of the len of every kind-3
 *           segment, kernel's first then ramdisk's, in segment order.
 *           frames of u32 n | n bytes, 1 <= n <= PV_WIRE_CHUNK and n <= the
 *           bytes still due, until S bytes have come; or, at any frame
 *           boundary, u32 0xffffffff (abort) followed by a complete failure
 *           answer (header + body, code < 0), e.g. a compressed extent
 *           that turned out corrupt while it was being sent.
 *   Then EOF.  S is 0 (no frames) for a failure or a text answer.
 * What the fields may hold together (a failure carries only an error,
 * a listing only text, a boot a kernel path and args) is checked by
 * validate_answer (bootloader/privileged/validate.h).
 */
#ifndef PVBOOT_BOOTLOADER_WIRE_H
#define PVBOOT_BOOTLOADER_WIRE_H

#include "bootloader/wire/result.h"

#include <stddef.h>
#include <stdint.h>

#define WIRE_MAGIC "PVB3"
#define WIRE_VERSION 3u
#define WIRE_HDR_SIZE 16
#define WIRE_FRAME_HDR 4
#define WIRE_FRAME_ABORT 0xffffffffu

/* The largest body an honest worker can send (file bytes travel in the
 * stream, not in the body: this is a few MiB whatever the file cap). */
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
 * the decoded fields and *code holds the worker's code (0 or PV_E*, and
 * status is 0 exactly when code is).  Decoded kind-3 segments hold no
 * bytes (they come in the stream).  On failure r is left empty and a
 * PV_ECORRUPT/PV_ELIMIT message names the first problem.  Blob totals are
 * capped at max_file. */
int wire_decode(const uint8_t *msg, size_t len, uint64_t max_file,
		struct boot_result *r, int *code);

/* Bytes of r that travel in the stream (S above). */
uint64_t wire_stream_len(const struct boot_result *r);

/* One frame header: for data, n bytes follow (1..min(due, PV_WIRE_CHUNK)).
 * wire_frame returns 0 with *n set, 1 for an abort frame, or PV_ECORRUPT
 * (n is 0, over the chunk size or over the bytes still due). */
void wire_frame_put(uint8_t hdr[WIRE_FRAME_HDR], uint32_t n);
int wire_frame(const uint8_t hdr[WIRE_FRAME_HDR], uint64_t due, uint32_t *n);

/* Walk the stream's bytes in order: where the next ones go.  Both sides
 * use it, so sender and receiver agree on the order by construction. */
struct wire_cursor {
	const struct boot_result *r;
	int file;          /* 0 kernel, 1 ramdisk, 2 done */
	size_t seg;        /* segment index in that file's blob */
	uint64_t seg_off;  /* the segment's offset in its file */
	uint64_t done;     /* bytes of the segment already passed */
};
void wire_cursor_init(struct wire_cursor *c, const struct boot_result *r);
/* The current run: file (0/1), the segment, where in the file, and how
 * many bytes are left of the segment (>= 1).  1 when every byte passed. */
int wire_cursor_next(struct wire_cursor *c, int *file, const struct seg **s,
		     uint64_t *file_off, uint64_t *left);
/* Pass n bytes (at most the left of wire_cursor_next). */
void wire_cursor_skip(struct wire_cursor *c, uint64_t n);

#endif
