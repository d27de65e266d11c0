/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The worker's side of --json: a parsed menu as entries records
 * (bootloader/wire/entries.h). */
#ifndef PVBOOT_BOOTLOADER_ENTRIES_OUT_H
#define PVBOOT_BOOTLOADER_ENTRIES_OUT_H

#include "common/strbuf.h"
#include "menu/menu.h"

/* "PVE1", the vol record, every leaf entry (def flagged d), and when
 * booting, "boot N" with N the leaf index of chosen (-1: chosen is NULL
 * and boot is set, i.e. --kernel). */
void entries_put(struct strbuf *sb, const char *vol, const char *config,
		 const struct menu *m, const struct menu_entry *def,
		 int boot, const struct menu_entry *chosen);

#endif
