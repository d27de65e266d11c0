/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PVBOOT_BOOTLOADER_CMDLINE_H
#define PVBOOT_BOOTLOADER_CMDLINE_H

#include "bootloader/wire/options.h"

/*
 * Parse argv as pygrub does (GNU getopt: options and the image may mix).
 * Returns 0, 1 when --help was given (usage printed, exit 0), or a negative
 * code with a message (usage error).
 */
int cmdline_parse(int argc, char **argv, struct options *o);
void cmdline_usage(const char *argv0);

#endif
