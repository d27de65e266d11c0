/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The systemd-boot menu of a guest with Unified Kernel Images (type #2
 * entries, and type #1 entries beside them), see uki_scan.c. */
#ifndef PVBOOT_BOOTLOADER_UKI_SCAN_H
#define PVBOOT_BOOTLOADER_UKI_SCAN_H

#include "bootloader/confined/volumes.h"

/* For volume vi (with every ESP and XBOOTLDR partition when vi is one):
 * 1 = m holds the sorted menu with its default; 0 = no UKI here (m
 * untouched); <0 = an error (recorded). */
int uki_menu(struct run_ctx *rc, size_t vi, struct menu *m);

#endif
