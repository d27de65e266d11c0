/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor's checks of a worker's result before it copies a byte or
 * prints a line: a compromised worker must not make it read outside the
 * disk, write more than the per-file cap, or inject into the output
 * protocol (XSA-198) or the terminal.
 */
#ifndef PVBOOT_BOOTLOADER_VALIDATE_H
#define PVBOOT_BOOTLOADER_VALIDATE_H

#include "bootloader/wire/result.h"

#include <stdint.h>

/* Check a successful result:
 *  - every SEG_DISK range lies inside [0, disk_size) (64-bit, no overflow),
 *    SEG_ZERO carries no offset, SEG_BYTES has its bytes;
 *  - each blob's total is the sum of its segments and is <= max_file;
 *    no ramdisk segments unless have_ramdisk;
 *  - args: <= PV_MAX_ARGS bytes, no byte < 0x20 and no 0x7f;
 *  - kernel_path / ramdisk_path: no control byte (< 0x20, 0x7f);
 *  - text: valid UTF-8 with no control character but '\n' and '\t'
 *    (C0, DEL and C1 are what move cursors and forge lines).
 * 0, or PV_ESANDBOX with a message naming the first violation. */
int validate_result(const struct boot_result *r, uint64_t disk_size,
		    uint64_t max_file);

#endif
