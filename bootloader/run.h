/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parsing side of a run: disk → candidate volumes → filesystem →
 * config → chosen entry → kernel/ramdisk as blobs, args.  Runs inside the
 * sandboxed worker; produces a struct boot_result and nothing else.
 */
#ifndef PVBOOT_BOOTLOADER_RUN_H
#define PVBOOT_BOOTLOADER_RUN_H

#include "bootloader/options.h"
#include "bootloader/result.h"
#include "partition/disk.h"

/* Fill r.  Returns an enum pv_exit status; on failure r->error holds the
 * one-line reason. */
int run_boot(const struct options *o, struct disk *d, struct boot_result *r);

#endif
