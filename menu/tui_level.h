/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Submenus on the screen: the rows of one level of the flattened menu (its
 * leaves and submenus whose paths are direct children of the level's
 * path, in the config's order).  Enter opens a submenu, Esc returns; the
 * item indices (--entry's numbering) never change.
 */
#ifndef PVBOOT_MENU_TUI_LEVEL_H
#define PVBOOT_MENU_TUI_LEVEL_H

#include "menu/flat.h"

#include <stddef.h>

struct tui_row {
	int sub;    /* 1: f->subs[idx]; 0: f->items[idx] */
	size_t idx;
};

/* Fill rows (room for f->n + f->nsub) with level's children ("" is the
 * top), ordered by their index in the level.  Returns the count. */
size_t tui_level_rows(const struct flat_menu *f, const char *level,
		      struct tui_row *rows);

/* The level holding path: "2>1" -> "2", "3" -> "". */
void tui_level_parent(const char *path, char out[FLAT_PATH_MAX]);

#endif
