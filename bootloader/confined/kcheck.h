/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --diagnose's checks of the chosen kernel: its format (an x86 bzImage
 * with its boot protocol version and payload compression, or an ELF
 * with its class, machine and Xen notes: PV entry, PVH's PHYS32_ENTRY),
 * and its size against the copy limit.  Guest bytes: every offset read
 * through read() is bounded by the file size, every count capped.
 */
#ifndef PVBOOT_BOOTLOADER_KCHECK_H
#define PVBOOT_BOOTLOADER_KCHECK_H

#include "common/strbuf.h"

#include <stddef.h>
#include <stdint.h>

/* Read exactly len bytes at off of the file; 0 or a negative code. */
typedef int (*kcheck_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);

/* Append "  check: ..." lines describing the kernel of size bytes.
 * Returns 1 when it looks bootable as a Xen PV/PVH kernel or its format
 * cannot be told without decompressing (a bzImage), 0 when it is
 * certainly not a kernel Xen can load (unknown format, wrong machine,
 * an ELF without Xen notes), so the report can say so. */
int kcheck_describe(struct strbuf *sb, uint64_t size, uint64_t max_file,
		    kcheck_read_fn rd, void *ctx);

#endif
