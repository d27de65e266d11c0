/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --diagnose: the worker's report on a disk (what xl's "Boot loader
 * didn't return any data" needs), as text for the supervisor to print. */
#ifndef PVBOOT_BOOTLOADER_DIAGNOSE_H
#define PVBOOT_BOOTLOADER_DIAGNOSE_H

#include "bootloader/wire/options.h"
#include "bootloader/wire/result.h"
#include "partition/disk.h"

/* The report's last line starts with one of these. */
#define DIAG_VERDICT_BOOT "result: would boot"
#define DIAG_VERDICT_NONE "result: nothing would boot"

/* Fill r->text with the report (status 0 even when nothing would boot:
 * the last line says which). */
int run_diagnose(const struct options *o, struct disk *d, struct boot_result *r);

#endif
