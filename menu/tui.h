/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interactive boot menu, as pygrub draws it: a box of entry titles
 * with the selected one highlighted, a short help text, and a "Will boot
 * selected entry in NN seconds" countdown that any key stops.  Up/Down
 * (and PageUp/PageDown/Home/End) move, Enter boots.  Runs in the
 * supervisor, which owns the terminal; titles are guest bytes and are
 * drawn escaped (pv_sanitize, then no byte the terminal could interpret).
 */
#ifndef PVBOOT_MENU_TUI_H
#define PVBOOT_MENU_TUI_H

#include "menu/flat.h"

#include <stddef.h>
#include <wchar.h>

/* 1 when a menu can be shown: stdin and stdout are terminals and TERM
 * names one (set, not empty, not "dumb").  Otherwise 0 and *why says why
 * (the caller then boots the default, as with -q). */
int tui_usable(const char **why);

/* Show f and fill c: the chosen index into f->items (always bootable
 * unless nothing is) and, after 'a', the arguments typed (c->edited).  A
 * hidden menu or a timeout of 0 picks the default without drawing; so
 * does a terminal ncurses cannot set up. */
void tui_choose(const struct flat_menu *f, struct flat_choice *c);

/* The text drawn for a title: sanitised, escaped further when utf8 is 0
 * (every non-ASCII byte as \xNN) or a character has no printable width,
 * and cut to cols display columns ending in '>' when longer.  Writes a
 * NUL-terminated wide string into out (outsz >= 1); returns the columns
 * used.  Exposed for the unit test. */
int tui_render_title(const char *title, int utf8, int cols, wchar_t *out,
		     size_t outsz);

#endif
