/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The answer libxl reads back: sxp, simple or simple0 (protocol.md). */
#ifndef PVBOOT_BOOTLOADER_OUTPUT_H
#define PVBOOT_BOOTLOADER_OUTPUT_H

#include <stddef.h>

#include "bootloader/wire/options.h"

/*
 * Format kernel/ramdisk/args (ramdisk and args may be NULL or "": then their
 * item is left out, as pygrub does).  A value that the format cannot carry
 * (its delimiter inside a value: XSA-198) is refused with PV_EINVAL.
 * *out is malloc'd; *len counts the NULs of simple0.
 */
int output_format(enum out_format f, const char *kernel, const char *ramdisk,
		  const char *args, char **out, size_t *len);
/* Parse "sxp", "simple", "simple0". */
int output_format_parse(const char *s, enum out_format *f);

#endif
