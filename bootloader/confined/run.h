/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parsing side of a run: disk → candidate volumes → filesystem →
 * config → chosen entry → kernel/ramdisk as blobs, args.  Runs inside the
 * sandboxed worker; produces a struct boot_result and nothing else.
 */
#ifndef PVBOOT_BOOTLOADER_RUN_H
#define PVBOOT_BOOTLOADER_RUN_H

#include "bootloader/wire/options.h"
#include "bootloader/wire/result.h"
#include "menu/flat.h"
#include "partition/disk.h"

/* Fill r.  Returns an enum pv_exit status; on failure r->error holds the
 * one-line reason. */
int run_boot(const struct options *o, struct disk *d, struct boot_result *r);

/* Interactive runs: as run_boot, but the menu of the first config that
 * parses is shown through ask (supervise_ask: the supervisor draws it)
 * and the chosen entry boots, resolved as --entry=INDEX would be.  A run
 * that falls through to another volume asks no second time. */
typedef int (*run_ask_fn)(const struct flat_menu *m,
			  struct flat_choice *choice);
int run_boot_ask(const struct options *o, struct disk *d, run_ask_fn ask,
		 struct boot_result *r);

#endif
