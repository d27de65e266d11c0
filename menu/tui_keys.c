/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Extra key sequences for the menu (tui_keys.h). */
#define NCURSES_WIDECHAR 1
#include "menu/tui_keys.h"

#include "common/pvlimits.h"

#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* getch() returning ERR at once this often in a row: the terminal is gone */
#define MAX_EARLY_ERRS 8

static int wait_cap = PV_MENU_WAIT_CAP_DEFAULT;

int tui_set_wait_cap(long opt)
{
	const char *e = getenv("PVBOOT_MENU_WAIT_CAP");
	char *end;
	long v = opt;

	if (v < 0 && e && *e) {
		v = strtol(e, &end, 10);
		if (*end || v < 0)
			v = -1;
	}
	if (v < 0)
		v = PV_MENU_WAIT_CAP_DEFAULT;
	if (v < 1)
		v = 1;
	if (v > PV_MAX_MENU_TIMEOUT)
		v = PV_MAX_MENU_TIMEOUT;
	wait_cap = (int)v;
	return wait_cap;
}

int tui_wait_cap(void)
{
	return wait_cap;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tui_getch_idle(void)
{
	int64_t end = now_ms() + (int64_t)wait_cap * 1000, left, t0;
	int early = 0, c;

	for (;;) {
		left = end - now_ms();
		if (left <= 0)
			return TUI_GONE;
		timeout(left > 1000 ? 1000 : (int)left);
		t0 = now_ms();
		c = getch();
		if (c != ERR)
			return c;
		if (now_ms() - t0 < 100 && ++early > MAX_EARLY_ERRS)
			return TUI_GONE;
	}
}

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
