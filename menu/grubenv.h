/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB environment block (grubenv): a file that starts with
 * "# GRUB Environment Block\n", then "name=value\n" lines, padded with '#'
 * to 1024 bytes.  In a value, GRUB writes a backslash before '\\' and
 * before a newline; reading removes it.
 */
#ifndef PVBOOT_MENU_GRUBENV_H
#define PVBOOT_MENU_GRUBENV_H

#include <stddef.h>

#define GRUBENV_SIGNATURE "# GRUB Environment Block\n"
/* The size grub-editenv writes; other sizes are accepted with a debug note. */
#define GRUBENV_BLOCK_SIZE 1024

/*
 * Call cb(ctx, name, value) for each variable of the block, in file order.
 * A line without '=' or with an empty name is skipped.  A negative return
 * from cb stops the walk and is returned.  Returns the number of variables
 * or a negative PV_E* code (PV_ECORRUPT: no signature; PV_ELIMIT: larger
 * than PV_MAX_CONFIG_SIZE).
 */
int grubenv_parse(const char *buf, size_t len,
		  int (*cb)(void *ctx, const char *name, const char *value),
		  void *ctx);


/*
 * Edit a block in place the way GRUB 2.06's save_env (grub-core/lib/
 * envblk.c, also grub-editenv) does; the block keeps its size.  Setting a
 * variable that exists rewrites its value where it is (the lines after it
 * move, the freed or used bytes come out of the '#' padding at the end);
 * a new variable is appended after the last line.  '\\' and newline in a
 * value get a backslash.  grubenv_set returns 1, or 0 when the block has
 * no room or is broken (GRUB: "environment block too small"); the block
 * is then unchanged.  grubenv_delete removes the variable's line and pads
 * the end with '#'.  buf must start with GRUBENV_SIGNATURE.
 */
int grubenv_set(char *buf, size_t len, const char *name, const char *value);
void grubenv_delete(char *buf, size_t len, const char *name);

#endif
