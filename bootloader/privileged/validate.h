/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor's checks of a worker's answer before it copies a byte,
 * creates a file or prints a line: a compromised worker must not choose
 * pvboot's exit status, make it read outside the disk, write more than the
 * per-file cap, or inject into the output protocol (XSA-198) or the
 * terminal.  The same checks apply to an in-process (--no-sandbox) result.
 */
#ifndef PVBOOT_BOOTLOADER_VALIDATE_H
#define PVBOOT_BOOTLOADER_VALIDATE_H

#include "bootloader/wire/result.h"

#include <stdint.h>

/* A failure status the worker may ask for (README's table: 1 usage, 2
 * nothing bootable, 3 bad image, 5 sandbox).  0 OK and 4 (output) are the
 * supervisor's own; anything else is a lie. */
int answer_status_ok(int status);

/*
 * Check an answer (code: the worker's return, 0 or PV_E*).  One of:
 *  - a failure (code < 0): status is answer_status_ok, error is set, and
 *    nothing else but the log (no paths, args, text, segments);
 *  - a backing request (code 0, backing set, only with
 *    validate_allow_backing): a non-empty name, wire_text_ok without
 *    lines, and nothing else;
 *  - a listing (code 0, text set): text is wire_text_ok (text_ok.h)
 *    with lines, and no paths, args or segments;
 *  - a boot (code 0, no text): a non-empty kernel_path, args (maybe ""),
 *    a ramdisk_path exactly when have_ramdisk (0 or 1), all
 *    wire_text_ok without lines, args <= PV_MAX_ARGS; no ramdisk
 *    segments without a ramdisk; every SEG_DISK range inside
 *    [0, disk_size) (64-bit, no overflow), or for file k >= 1 inside
 *    backing file k of those validate_set_backing gave; SEG_ZERO/SEG_BYTES without an
 *    offset, no empty segment; each blob's total the sum of its segments
 *    and <= max_file.
 * 0, or PV_ESANDBOX with a message naming the first violation.
 */
int validate_answer(const struct boot_result *r, int code, uint64_t disk_size,
		    uint64_t max_file);

/* --json: allow the worker's entry records (text) beside a boot answer. */
void validate_allow_text_with_boot(int on);
/* --allow-backing: allow a backing request. */
void validate_allow_backing(int on);
/* The sizes of backing files 1..n (size[0] unused), kept by the caller. */
void validate_set_backing(const uint64_t *size, int n);

#endif
