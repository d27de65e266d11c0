/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One line of text edited on the screen (the menu's 'a' editor):
 * Left/Right, Home/End and ^A/^E, Backspace, Delete and ^D, ^K (cut to
 * the end), ^U (cut to the start), Enter accepts, Esc cancels.  Only
 * printable ASCII is typed in; a line wider than the screen scrolls
 * sideways to keep the cursor in view.
 */
#ifndef PVBOOT_MENU_TUI_EDIT_H
#define PVBOOT_MENU_TUI_EDIT_H

#include <stddef.h>

/* 1 when every byte of s is printable ASCII (what the editor can show
 * and send back as typed). */
int tui_edit_ascii(const char *s);

/* Edit buf (NUL-terminated, cap bytes with the NUL) on screen row row,
 * after prompt.  1 accepted, 0 cancelled (buf then unspecified), -1 the
 * terminal is gone. */
int tui_edit_line(int row, const char *prompt, char *buf, size_t cap);

#endif
