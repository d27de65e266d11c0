/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The menu's entry editor ('e') and command line ('c'), as pygrub and
 * GRUB offer them.  Both only collect text: the lines go back to the
 * worker, which parses them with the config's rules (security.md §4).
 */
#ifndef PVBOOT_MENU_TUI_ENTRY_H
#define PVBOOT_MENU_TUI_ENTRY_H

#include <stddef.h>

/* 'e': lines ('\n'-separated printable ASCII, from the worker) shown one
 * per row; Up/Down select, 'e' edits the selected line, 'o'/'O' open a
 * new line after/before it, 'd' deletes it, 'b' or ^X boots, Esc goes
 * back.  1 = boot with the lines joined into out (outsz bytes), 0 = back,
 * -1 = the terminal is gone. */
int tui_entry_edit(const char *lines, char *out, size_t outsz);

/* 'c': a "grub>" prompt taking linux/kernel and initrd lines, `boot`
 * boots them, Esc (on an empty prompt: twice) leaves.  Same returns. */
int tui_command_line(char *out, size_t outsz);

#endif
