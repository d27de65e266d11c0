/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The line editor of the menu (tui_edit.h). */
#define NCURSES_WIDECHAR 1
#include "menu/tui_edit.h"
#include "menu/tui_keys.h"

#include <curses.h>
#include <string.h>

#define KEY_ESC 27

int tui_edit_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static void draw_line(int row, const char *prompt, const char *buf,
		      size_t len, size_t pos, size_t *off)
{
	int pl = (int)strlen(prompt), width = COLS - pl - 1;
	size_t i;

	if (width < 2)
		width = 2;
	/* keep the cursor in view, a few columns from either edge */
	if (pos < *off)
		*off = pos;
	if (pos >= *off + (size_t)width)
		*off = pos - (size_t)width + 1;
	move(row, 0);
	clrtoeol();
	mvaddnstr(row, 0, prompt, COLS > 1 ? COLS - 1 : 1);
	addch(*off ? '<' : ' ');
	for (i = *off; i < len && i < *off + (size_t)width - 1; i++)
		addch((chtype)(unsigned char)buf[i]);
	if (len > *off + (size_t)width - 1)
		mvaddch(row, COLS - 1, '>');
	move(row, pl + 1 + (int)(pos - *off));
	refresh();
}

int tui_edit_line(int row, const char *prompt, char *buf, size_t cap)
{
	size_t len = strlen(buf), pos = len, off = 0;
	int c;

	if (cap == 0 || len >= cap)
		return 0;
	curs_set(1);
	for (;;) {
		if (row >= LINES)
			row = LINES - 1;
		draw_line(row, prompt, buf, len, pos, &off);
		c = tui_getch_idle();
		if (c == TUI_GONE) {
			curs_set(0);
			return -1;
		}
		switch (tui_key_norm(c)) {
		case KEY_RESIZE:
			break;
		case KEY_LEFT:
			if (pos > 0)
				pos--;
			break;
		case KEY_RIGHT:
			if (pos < len)
				pos++;
			break;
		case KEY_HOME:
		case 'A' & 0x1f:
			pos = 0;
			break;
		case KEY_END:
		case 'E' & 0x1f:
			pos = len;
			break;
		case KEY_BACKSPACE:
			if (pos == 0)
				break;
			pos--;
			/* fall through */
		case KEY_DC:
		case 'D' & 0x1f:
			if (pos < len) {
				memmove(buf + pos, buf + pos + 1, len - pos);
				len--;
			}
			break;
		case 'K' & 0x1f:
			len = pos;
			buf[len] = '\0';
			break;
		case 'U' & 0x1f:
			memmove(buf, buf + pos, len - pos + 1);
			len -= pos;
			pos = 0;
			break;
		case KEY_ESC:
			curs_set(0);
			return 0;
		case KEY_ENTER:
			curs_set(0);
			return 1;
		default:
			if (c >= 0x20 && c <= 0x7e && len + 1 < cap) {
				memmove(buf + pos + 1, buf + pos, len - pos + 1);
				buf[pos++] = (char)c;
				len++;
			}
			break;
		}
	}
}
