/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entry editor and the command line of the menu (tui_entry.h). */
#define NCURSES_WIDECHAR 1
#include "menu/tui_entry.h"
#include "common/pvlimits.h"
#include "menu/tui_edit.h"
#include "menu/tui_keys.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27
#define LINE_CAP (PV_MAX_EDIT_TEXT + 1)

struct lines {
	char (*l)[LINE_CAP];
	size_t n;
};

static int split(struct lines *L, const char *text)
{
	const char *p = text;

	L->n = 0;
	L->l = calloc(PV_MAX_EDIT_LINES, LINE_CAP);
	if (!L->l)
		return -1;
	while (*p && L->n < PV_MAX_EDIT_LINES) {
		size_t k = strcspn(p, "\n");

		if (k >= LINE_CAP)
			k = LINE_CAP - 1;
		memcpy(L->l[L->n], p, k);
		L->l[L->n++][k] = '\0';
		p += k;
		if (*p == '\n')
			p++;
	}
	return 0;
}

/* The lines joined with '\n' into out; 0 when they do not fit. */
static int join(const struct lines *L, char *out, size_t outsz)
{
	size_t i, o = 0, k;

	for (i = 0; i < L->n; i++) {
		k = strlen(L->l[i]);
		if (o + k + 2 > outsz || o + k + 1 > PV_MAX_EDIT_TEXT + 1)
			return 0;
		memcpy(out + o, L->l[i], k);
		o += k;
		out[o++] = '\n';
	}
	if (o)
		o--; /* no newline after the last line */
	out[o] = '\0';
	return 1;
}

static void draw_lines(const struct lines *L, size_t sel, const char *msg)
{
	size_t i, top = 0;
	int rows = LINES - 8, w = COLS - 6;

	if (rows < 1)
		rows = 1;
	if (w < 4)
		w = 4;
	if (sel >= (size_t)rows)
		top = sel - (size_t)rows + 1;
	erase();
	mvaddstr(1, 4, "pvboot: edit the entry");
	for (i = top; i < L->n && i < top + (size_t)rows; i++) {
		int row = 3 + (int)(i - top);

		if (i == sel)
			attron(A_REVERSE);
		mvaddnstr(row, 2, L->l[i], w);
		if ((int)strlen(L->l[i]) > w)
			addch('>');
		if (i == sel)
			attroff(A_REVERSE);
	}
	mvaddstr(LINES - 4 > 0 ? LINES - 4 : 0, 2,
		 "'e' edits, 'o'/'O' open a line, 'd' deletes, 'b' boots, Esc back");
	if (msg)
		mvaddstr(LINES - 3 > 0 ? LINES - 3 : 0, 2, msg);
	move(LINES - 1, COLS - 1);
	refresh();
}

int tui_entry_edit(const char *lines, char *out, size_t outsz)
{
	struct lines L;
	const char *msg = NULL;
	size_t sel = 0;
	int c, r, ret = 0;

	if (split(&L, lines) < 0)
		return 0;
	for (;;) {
		if (sel >= L.n && L.n)
			sel = L.n - 1;
		draw_lines(&L, sel, msg);
		msg = NULL;
		c = tui_getch_idle();
		if (c == TUI_GONE) {
			ret = -1;
			break;
		}
		c = tui_key_norm(c);
		if (c == KEY_UP && sel > 0)
			sel--;
		else if (c == KEY_DOWN && sel + 1 < L.n)
			sel++;
		else if (c == KEY_ESC)
			break;
		else if (c == 'b' || c == ('X' & 0x1f)) {
			if (join(&L, out, outsz)) {
				ret = 1;
				break;
			}
			msg = "The entry is too long to boot.";
		} else if (c == 'd' && L.n) {
			memmove(L.l[sel], L.l[sel + 1],
				(L.n - sel - 1) * sizeof(L.l[0]));
			L.n--;
		} else if ((c == 'o' || c == 'O') &&
			   L.n < PV_MAX_EDIT_LINES) {
			size_t at = (c == 'o' && L.n) ? sel + 1 : sel;

			memmove(L.l[at + 1], L.l[at],
				(L.n - at) * sizeof(L.l[0]));
			L.l[at][0] = '\0';
			L.n++;
			sel = at;
			r = tui_edit_line(LINES - 2 > 0 ? LINES - 2 : 0, "edit>",
					  L.l[sel], LINE_CAP);
			if (r < 0) {
				ret = -1;
				break;
			}
			if (r == 0) { /* cancelled: the new line goes again */
				memmove(L.l[sel], L.l[sel + 1],
					(L.n - sel - 1) * sizeof(L.l[0]));
				L.n--;
			}
		} else if (c == 'e' && L.n) {
			char *keep = strdup(L.l[sel]);

			if (!keep)
				continue;
			r = tui_edit_line(LINES - 2 > 0 ? LINES - 2 : 0, "edit>",
					  L.l[sel], LINE_CAP);
			if (r == 0)
				strcpy(L.l[sel], keep);
			free(keep);
			if (r < 0) {
				ret = -1;
				break;
			}
		}
	}
	free(L.l);
	return ret;
}

/* The first word of s is w (then a space or the end). */
static int first_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	while (*s == ' ')
		s++;
	return !strncmp(s, w, n) && (s[n] == ' ' || s[n] == '\0');
}

int tui_command_line(char *out, size_t outsz)
{
	struct lines L;
	char *cur;
	const char *msg = NULL;
	int r, ret = 0;
	size_t i;

	if (split(&L, "") < 0)
		return 0;
	cur = calloc(1, LINE_CAP);
	if (!cur) {
		free(L.l);
		return 0;
	}
	for (;;) {
		erase();
		mvaddstr(1, 4, "pvboot: command line (linux or kernel, initrd, boot; Esc leaves)");
		for (i = 0; i < L.n && (int)i + 3 < LINES - 3; i++)
			mvaddnstr(3 + (int)i, 2, L.l[i], COLS - 4);
		if (msg)
			mvaddstr(LINES - 3 > 0 ? LINES - 3 : 0, 2, msg);
		msg = NULL;
		cur[0] = '\0';
		r = tui_edit_line(LINES - 2 > 0 ? LINES - 2 : 0, "grub>", cur,
				  LINE_CAP);
		if (r <= 0) {
			ret = r;
			break;
		}
		if (!cur[strspn(cur, " ")])
			continue;
		if (first_word(cur, "boot")) {
			if (!L.n) {
				msg = "No kernel yet: type a linux line first.";
				continue;
			}
			if (join(&L, out, outsz)) {
				ret = 1;
				break;
			}
			msg = "The command lines are too long to boot.";
		} else if (first_word(cur, "linux") || first_word(cur, "kernel") ||
			   first_word(cur, "initrd")) {
			if (L.n < PV_MAX_EDIT_LINES)
				strcpy(L.l[L.n++], cur);
			else
				msg = "Too many lines.";
		} else {
			msg = "Only linux, kernel, initrd and boot are known here.";
		}
	}
	free(cur);
	free(L.l);
	return ret;
}
