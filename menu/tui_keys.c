/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Extra key sequences for the menu (tui_keys.h). */
#define NCURSES_WIDECHAR 1
#include "menu/tui_keys.h"

#include <curses.h>
#include <stddef.h>

static const struct {
	const char *seq;
	int key;
} extra[] = {
	/* cursor keys: normal and application mode */
	{ "\033[A", KEY_UP },    { "\033OA", KEY_UP },
	{ "\033[B", KEY_DOWN },  { "\033OB", KEY_DOWN },
	{ "\033[C", KEY_RIGHT }, { "\033OC", KEY_RIGHT },
	{ "\033[D", KEY_LEFT },  { "\033OD", KEY_LEFT },
	/* Home: xterm, rxvt/linux console, vt220 */
	{ "\033[H", KEY_HOME },  { "\033OH", KEY_HOME },
	{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME },
	/* End */
	{ "\033[F", KEY_END },   { "\033OF", KEY_END },
	{ "\033[4~", KEY_END },  { "\033[8~", KEY_END },
	{ "\033[3~", KEY_DC },
	{ "\033[2~", KEY_IC },
	{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
};

void tui_keys_setup(void)
{
	size_t i;

	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (key_defined(extra[i].seq) != extra[i].key)
			define_key(extra[i].seq, extra[i].key);
}

int tui_key_norm(int c)
{
	switch (c) {
	case 'P' & 0x1f:
		return KEY_UP;
	case 'N' & 0x1f:
		return KEY_DOWN;
	case 0x7f:
	case 'H' & 0x1f:
		return KEY_BACKSPACE;
	case '\r':
	case '\n':
		return KEY_ENTER;
	default:
		return c;
	}
}
