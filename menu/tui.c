/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The interactive boot menu (tui.h), drawn with ncursesw on stdscr only:
 * every call clips at the screen edge, so a tiny or unsized terminal (a
 * fresh pty reports 0x0; ncurses then uses the terminfo size) cannot make
 * it fail, only look cramped. */
#define NCURSES_WIDECHAR 1
#include "menu/tui.h"
#include "menu/tui_keys.h"
#include "menu/tui_edit.h"
#include "menu/tui_entry.h"
#include "menu/tui_level.h"
#include "menu/tui_login.h"
#include "menu/auth.h"
#include "common/err.h"
#include "common/sanitize.h"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* pygrub's geometry: entries box at row 2, 8 lines of 70 columns; help
 * text at row 12; countdown at row 20. */
#define ENTRY_LINES 8
#define TITLE_COLS 70
#define BOX_ROW 2
#define BOX_COL 1
#define TEXT_COL 5
#define COUNTDOWN_GAP 8
/* getch() returning at once, again and again, while we wait for a key:
 * the terminal is gone (EOF or hangup).  Stop instead of spinning. */
#define MAX_EARLY_ERRS 8

int tui_usable(const char **why)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*why = "stdin or stdout is not a terminal";
		return 0;
	}
	if (!term || !*term || !strcmp(term, "dumb")) {
		*why = "TERM is unset or dumb";
		return 0;
	}
	*why = "";
	return 1;
}

/* --- titles --- */

/* Length and code point of the UTF-8 sequence at s (pv_sanitize output,
 * so valid); 1 and the byte for anything else. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, *cp = s[0] & 0x07;
	else {
		*cp = s[0];
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = s[0];
			return 1;
		}
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return n;
}

/* Emit pieces of the sanitised title into out until limit columns;
 * returns the columns used (and *o the wide chars written). */
static int emit(const unsigned char *s, int utf8, int limit, wchar_t *out,
		size_t outsz, size_t *o)
{
	int used = 0;

	*o = 0;
	while (*s) {
		wchar_t piece[4 * 4];
		size_t pn = 0, n, k;
		uint32_t cp;
		int pw;

		n = utf8_next(s, &cp);
		if (cp < 0x80 && n == 1 && cp >= 0x20 && cp < 0x7f) {
			piece[pn++] = (wchar_t)cp;
			pw = 1;
		} else if (utf8 && n > 1 && (pw = wcwidth((wchar_t)cp)) > 0) {
			piece[pn++] = (wchar_t)cp;
		} else {
			/* not drawable here: its bytes, escaped */
			for (k = 0; k < n; k++) {
				static const char hex[] = "0123456789abcdef";

				piece[pn++] = L'\\';
				piece[pn++] = L'x';
				piece[pn++] = (wchar_t)hex[s[k] >> 4];
				piece[pn++] = (wchar_t)hex[s[k] & 15];
			}
			pw = (int)pn;
		}
		if (used + pw > limit)
			break;
		if (out) {
			if (*o + pn >= outsz)
				break;
			memcpy(out + *o, piece, pn * sizeof(wchar_t));
		}
		*o += pn;
		used += pw;
		s += n;
	}
	return used;
}

int tui_render_title(const char *title, int utf8, int cols, wchar_t *out,
		     size_t outsz)
{
	char clean[PV_MAX_MENU_TITLE * 4 + 8];
	size_t o, dummy;
	int total, used;

	out[0] = L'\0';
	if (cols <= 0 || outsz < 2)
		return 0;
	pv_sanitize(clean, sizeof(clean), title ? title : "",
		    strlen(title ? title : ""));
	total = emit((const unsigned char *)clean, utf8, 1 << 30, NULL, 0,
		     &dummy);
	if (total <= cols) {
		used = emit((const unsigned char *)clean, utf8, cols, out,
			    outsz, &o);
	} else {
		/* pygrub's cut: one column short, then '>' */
		used = emit((const unsigned char *)clean, utf8, cols - 1, out,
			    outsz - 1, &o);
		out[o++] = L'>';
		used++;
	}
	out[o] = L'\0';
	return used;
}

/* --- the screen --- */

struct view {
	const struct flat_menu *f;
	char level[FLAT_PATH_MAX]; /* the submenu shown, "" = the top */
	struct tui_row *rows;      /* its rows (room for n + nsub) */
	size_t nrows, row;         /* row: the highlighted one */
	size_t sel;     /* its item index, or SIZE_MAX on a submenu row */
	size_t top;
	int vis;        /* entry lines shown */
	int boxw;       /* box width, borders included */
	int text_row;
	int count_row;
	int utf8;
	const char *msg; /* one-line notice, or NULL */
	struct tui_auth auth; /* menu passwords: what is unlocked */
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void layout(struct view *v)
{
	v->vis = ENTRY_LINES;
	if (LINES < BOX_ROW + ENTRY_LINES + 2 + 10)
		v->vis = LINES - (BOX_ROW + 2 + 10);
	if (v->vis < 1)
		v->vis = 1;
	v->boxw = TITLE_COLS + 4;
	if (v->boxw > COLS - BOX_COL)
		v->boxw = COLS - BOX_COL;
	if (v->boxw < 5)
		v->boxw = 5;
	v->text_row = BOX_ROW + v->vis + 2;
	v->count_row = v->text_row + COUNTDOWN_GAP;
	if (v->count_row >= LINES)
		v->count_row = LINES - 1;
}

/* The box: Unicode line drawing when the locale is UTF-8 (ncursesw then
 * sends the characters themselves), else plain ASCII.  The terminal's
 * alternate character set (vt100 SO/SI, ESC ( 0) is never relied on: a
 * relay or console that ignores it shows "lqqqk" (libxl's environment is
 * TERM=vt100 and no locale, so xl's console gets ASCII). */
static void draw_box(const struct view *v)
{
	int bottom = BOX_ROW + v->vis + 1, right = BOX_COL + v->boxw - 1;

	if (v->utf8) {
		mvadd_wch(BOX_ROW, BOX_COL, WACS_ULCORNER);
		mvhline_set(BOX_ROW, BOX_COL + 1, WACS_HLINE, v->boxw - 2);
		mvadd_wch(BOX_ROW, right, WACS_URCORNER);
		mvvline_set(BOX_ROW + 1, BOX_COL, WACS_VLINE, v->vis);
		mvvline_set(BOX_ROW + 1, right, WACS_VLINE, v->vis);
		mvadd_wch(bottom, BOX_COL, WACS_LLCORNER);
		mvhline_set(bottom, BOX_COL + 1, WACS_HLINE, v->boxw - 2);
		mvadd_wch(bottom, right, WACS_LRCORNER);
		return;
	}
	mvaddch(BOX_ROW, BOX_COL, '+');
	mvhline(BOX_ROW, BOX_COL + 1, '-', v->boxw - 2);
	mvaddch(BOX_ROW, right, '+');
	mvvline(BOX_ROW + 1, BOX_COL, '|', v->vis);
	mvvline(BOX_ROW + 1, right, '|', v->vis);
	mvaddch(bottom, BOX_COL, '+');
	mvhline(bottom, BOX_COL + 1, '-', v->boxw - 2);
	mvaddch(bottom, right, '+');
}

/* Show level, highlighting the row of item (or of submenu path). */
static void enter_level(struct view *v, const char *level, int sub,
			size_t idx)
{
	size_t i;

	snprintf(v->level, sizeof(v->level), "%s", level);
	v->nrows = tui_level_rows(v->f, v->level, v->rows);
	v->row = 0;
	v->top = 0;
	for (i = 0; i < v->nrows; i++)
		if (v->rows[i].sub == sub && v->rows[i].idx == idx)
			v->row = i;
}

static void sync_sel(struct view *v)
{
	if (v->row >= v->nrows)
		v->row = v->nrows ? v->nrows - 1 : 0;
	v->sel = v->nrows && !v->rows[v->row].sub ? v->rows[v->row].idx
						   : SIZE_MAX;
}

static const char *row_title(const struct view *v, size_t r)
{
	return v->rows[r].sub ? v->f->subs[v->rows[r].idx].title
			      : v->f->items[v->rows[r].idx].title;
}

/* "pvboot: More > Older" for the submenu shown */
static void draw_header(const struct view *v)
{
	wchar_t part[TITLE_COLS * 2 + 8];
	char p[FLAT_PATH_MAX];
	size_t i, k;

	mvaddstr(1, 4, "pvboot");
	if (!v->level[0])
		return;
	addstr(":");
	/* each prefix of the level path names one submenu */
	for (k = 0; v->level[k]; k++) {
		if (v->level[k + 1] && v->level[k + 1] != '>')
			continue;
		memcpy(p, v->level, k + 1);
		p[k + 1] = '\0';
		for (i = 0; i < v->f->nsub; i++)
			if (!strcmp(v->f->subs[i].path, p))
				break;
		if (i == v->f->nsub)
			continue;
		if (getcurx(stdscr) > 12)
			addstr(" >");
		addstr(" ");
		tui_render_title(v->f->subs[i].title, v->utf8, 24, part,
				 sizeof(part) / sizeof(part[0]));
		addwstr(part);
	}
}

/* The keys: pygrub's text, or what a menu password leaves open */
static void draw_help(const struct view *v)
{
	int r = v->text_row;

	if (!v->auth.super) {
		mvaddstr(r + 1, TEXT_COL,
			 "Press enter to boot the selected OS. Editing is locked:");
		mvaddstr(r + 2, TEXT_COL, v->f->lock == MENU_LOCK_GRUB2
			 ? "press 'p' to log in as a superuser (e, a and c ask too)."
			 : "press 'p' to enter the password and unlock 'e', 'a', 'c'.");
		return;
	}
	mvaddstr(r + 1, TEXT_COL,
		 "Press enter to boot the selected OS, 'e' to edit the");
	mvaddstr(r + 2, TEXT_COL,
		 "commands before booting, 'a' to modify the kernel arguments");
	mvaddstr(r + 3, TEXT_COL, "before booting, or 'c' for a command line.");
}

static void draw(struct view *v, int secs_left)
{
	wchar_t line[TITLE_COLS * 2 + 8];
	int cols = v->boxw - 4, i;

	erase();
	draw_header(v);
	draw_box(v);
	if (v->row < v->top)
		v->top = v->row;
	if (v->row >= v->top + (size_t)v->vis)
		v->top = v->row - (size_t)v->vis + 1;
	for (i = 0; i < v->vis && v->top + (size_t)i < v->nrows; i++) {
		size_t k = v->top + (size_t)i;
		int used, sub = v->rows[k].sub;

		/* a submenu's row ends in " >": Enter opens it */
		used = tui_render_title(row_title(v, k), v->utf8,
					cols - (sub ? 2 : 0), line,
					sizeof(line) / sizeof(line[0]));
		if (k == v->row)
			attron(A_REVERSE);
		mvaddwstr(BOX_ROW + 1 + i, BOX_COL + 2, line);
		if (sub) {
			addstr(" >");
			used += 2;
		}
		for (; used < cols; used++) /* ljust(70) */
			addch(' ');
		if (k == v->row)
			attroff(A_REVERSE);
	}
	mvaddstr(v->text_row, TEXT_COL,
		 "Use the U and D keys to select which entry is highlighted.");
	mvaddch(v->text_row, TEXT_COL + 8, '^');
	mvaddch(v->text_row, TEXT_COL + 14, 'v');
	draw_help(v);
	if (v->msg)
		mvaddstr(v->text_row + 5, TEXT_COL, v->msg);
	if (secs_left >= 0)
		mvprintw(v->count_row, TEXT_COL,
			 "Will boot selected entry in %2d seconds", secs_left);
	move(LINES - 1, COLS - 1);
	refresh();
}

/* 'a': edit the selected entry's arguments on the screen; 1 = boot with
 * them (c filled), 0 = back to the menu. */
static int edit_args(struct view *v, struct flat_choice *c)
{
	const struct flat_item *it;
	int r;

	if (v->sel == SIZE_MAX) {
		v->msg = "This is a submenu: Enter opens it.";
		return 0;
	}
	it = &v->f->items[v->sel];
	if (!it->bootable) {
		v->msg = "This entry cannot be booted here (not a PV kernel).";
		return 0;
	}
	if (!tui_edit_ascii(it->args)) {
		v->msg = "These arguments hold bytes that cannot be edited here.";
		return 0;
	}
	snprintf(c->args, sizeof(c->args), "%s", it->args);
	erase();
	mvaddstr(1, 4, "pvboot: edit the kernel arguments");
	mvaddstr(3, 2, "Enter boots with them, Esc goes back to the menu.");
	r = tui_edit_line(5, "grub append>", c->args, sizeof(c->args));
	if (r < 0) /* the terminal is gone: the entry as it was */
		return c->edited = 0, c->index = v->f->def, c->idle = 1, 1;
	if (r == 0)
		return 0;
	c->index = v->sel;
	c->edited = FLAT_EDIT_ARGS;
	return 1;
}

/* 'e' and 'c': 1 = boot what was typed (c filled), 0 = back. */
static int edit_entry(struct view *v, struct flat_choice *c, int command)
{
	const struct flat_item *it;
	int r;

	if (!command && v->sel == SIZE_MAX) {
		v->msg = "This is a submenu: Enter opens it.";
		return 0;
	}
	it = &v->f->items[command && v->sel == SIZE_MAX ? v->f->def : v->sel];
	if (!command && (!it->bootable || !it->lines[0])) {
		v->msg = "This entry cannot be edited here.";
		return 0;
	}
	r = command ? tui_command_line(c->args, sizeof(c->args))
		    : tui_entry_edit(it->lines, c->args, sizeof(c->args));
	if (r < 0) /* the terminal is gone: the entry as it was */
		return c->edited = FLAT_EDIT_NONE, c->index = v->f->def,
		       c->idle = 1, 1;
	if (r == 0)
		return 0;
	c->index = v->sel;
	if (command && (v->sel == SIZE_MAX || !it->bootable))
		c->index = v->f->def;
	c->edited = command ? FLAT_EDIT_COMMANDS : FLAT_EDIT_LINES;
	return 1;
}

/* 'p', and a locked action: the login screen (tui_login.h).  1 right,
 * 0 not (v->msg says why), -1 the terminal is gone (ch: the default). */
static int login(struct view *v, struct flat_choice *ch)
{
	int r = tui_login(v->f, &v->auth);

	v->msg = v->auth.msg;
	if (r < 0) {
		ch->edited = FLAT_EDIT_NONE;
		ch->index = v->f->def;
		ch->idle = 1;
	}
	return r;
}

/* Before item idx boots (or is edited): the login it needs, if any.  1
 * it may, 0 not (v->msg says why), -1 the terminal is gone (ch: the
 * default).  An entry with its own GRUB legacy password asks for that
 * one, whatever was given before (auth.h). */
static int may_boot(struct view *v, struct flat_choice *ch, size_t idx)
{
	int r;

	if (v->auth.unlock[idx])
		return 1;
	if (!v->f->items[idx].own_pw)
		return login(v, ch) < 0 ? -1 : v->auth.unlock[idx];
	r = tui_login_entry(v->f, &v->auth, idx, v->utf8);
	v->msg = v->auth.msg;
	if (r < 0) {
		ch->edited = FLAT_EDIT_NONE;
		ch->index = v->f->def;
		ch->idle = 1;
		return -1;
	}
	return v->auth.unlock[idx];
}

/* 1 when the default cannot boot before its own password is given */
static int default_asks(const struct view *v)
{
	return v->f->items[v->f->def].own_pw && !v->auth.unlock[v->f->def];
}

/* The key loop.  Returns the index to boot. */
/* The terminal went away (EOF, hangup).  A countdown still running ends
 * as it would have, then the default boots; a menu that waits for a key
 * waits for nobody: the run fails (ch->gone) rather than guess. */
static size_t terminal_gone(const struct view *v, int counting,
			    int64_t deadline, struct flat_choice *ch)
{
	int64_t left;

	if (!counting) {
		ch->gone = 1;
		return v->f->def;
	}
	while ((left = deadline - mono_ms()) > 0) {
		struct timespec ts = { left / 1000, (left % 1000) * 1000000 };

		nanosleep(&ts, NULL);
	}
	return v->f->def;
}

/* A hidden menu (timeout_style=hidden, hiddenmenu): nothing drawn while
 * the timeout runs (the wait cap when the config waits forever); 1 when a
 * key came (show the menu), 0 to boot the default. */
static int hidden_wait(const struct view *v, struct flat_choice *ch)
{
	const struct flat_menu *f = v->f;
	int secs = f->timeout > 0 ? f->timeout : tui_wait_cap();
	int64_t end = mono_ms() + (int64_t)secs * 1000, left, t0;
	int early = 0, c;

	for (;;) {
		left = end - mono_ms();
		if (left <= 0) {
			ch->idle = f->timeout < 0;
			return 0;
		}
		timeout(left > 1000 ? 1000 : (int)left);
		t0 = mono_ms();
		c = getch();
		if (c == KEY_RESIZE)
			continue;
		if (c != ERR)
			return 1;
		if (mono_ms() - t0 < 100 && ++early > MAX_EARLY_ERRS) {
			terminal_gone(v, 1, end, ch);
			return 0;
		}
	}
}

static size_t run_menu(struct view *v, struct flat_choice *ch)
{
	const struct flat_menu *f = v->f;
	int counting = f->timeout > 0 && !f->hidden, early = 0;
	int64_t deadline = mono_ms() + (int64_t)f->timeout * 1000;
	int64_t idle_end = mono_ms() + (int64_t)tui_wait_cap() * 1000;
	/* the default's turn came, and it has its own password: GRUB runs
	 * the entry's `password` line, which asks (auth.h) */
	int ask_def = f->timeout == 0;

	if (f->hidden && !ask_def) {
		if (!hidden_wait(v, ch)) {
			if (ch->idle || !default_asks(v))
				return f->def;
			ask_def = 1;
		} else {
			pv_debug("menu: hidden: a key was pressed, showing the menu");
		}
		idle_end = mono_ms() + (int64_t)tui_wait_cap() * 1000;
	}

	for (;;) {
		int64_t now = mono_ms(), left = counting ? deadline - now : -1, t0;
		int c, wait_ms;

		sync_sel(v);
		if (counting && left <= 0) {
			if (!default_asks(v))
				return f->def; /* untouched: the default */
			counting = 0;
			ask_def = 1;
		}
		if (ask_def) {
			int r = may_boot(v, ch, f->def);

			ask_def = 0;
			if (r != 0)
				return f->def; /* right, or gone (ch says) */
			idle_end = mono_ms() + (int64_t)tui_wait_cap() * 1000;
			continue; /* wrong: the menu, the countdown stopped */
		}
		if (!counting && idle_end - now <= 0) {
			ch->idle = 1; /* nobody at the console */
			return f->def;
		}
		draw(v, counting ? (int)((left + 999) / 1000) : -1);
		if (counting)
			wait_ms = (int)(left % 1000 ? left % 1000 : 1000);
		else
			wait_ms = idle_end - now > 1000 ? 1000
							: (int)(idle_end - now);
		timeout(wait_ms);
		t0 = mono_ms();
		c = getch();
		if (c == ERR) {
			if (mono_ms() - t0 < wait_ms / 2)
				early++;
			if (early > MAX_EARLY_ERRS)
				return terminal_gone(v, counting, deadline, ch);
			continue;
		}
		early = 0;
		idle_end = mono_ms() + (int64_t)tui_wait_cap() * 1000;
		if (c == KEY_RESIZE) {
			layout(v);
			continue;
		}
		counting = 0; /* any key stops the countdown (pygrub) */
		v->msg = NULL;
		switch (tui_key_norm(c)) {
		case KEY_UP:
			if (v->row > 0)
				v->row--;
			break;
		case KEY_DOWN:
			if (v->row + 1 < v->nrows)
				v->row++;
			break;
		case KEY_PPAGE:
			v->row = v->row > (size_t)v->vis ? v->row - (size_t)v->vis : 0;
			break;
		case KEY_NPAGE:
			v->row += (size_t)v->vis;
			break;
		case KEY_HOME:
			v->row = 0;
			break;
		case KEY_END:
			v->row = v->nrows ? v->nrows - 1 : 0;
			break;
		case 27: /* Esc: out of a submenu */
			if (v->level[0]) {
				char up[FLAT_PATH_MAX];
				size_t k;

				tui_level_parent(v->level, up);
				for (k = 0; k < f->nsub; k++)
					if (!strcmp(f->subs[k].path, v->level))
						break;
				enter_level(v, up, 1, k);
			}
			break;
		case 'p':
			if (login(v, ch) < 0)
				return ch->index;
			break;
		case 'a':
		case 'e':
		case 'c':
			if (!v->auth.super) {
				int r;

				if (f->lock == MENU_LOCK_LEGACY) {
					v->msg = "Editing is locked: press 'p' and give the password first.";
					break;
				}
				r = login(v, ch); /* GRUB 2 asks for a superuser */
				if (r < 0)
					return ch->index;
				if (!v->auth.super) {
					if (r > 0)
						v->msg = "Editing needs a superuser.";
					break;
				}
			}
			/* the entry edited still holds its own password line */
			if (c != 'c' && v->sel != SIZE_MAX &&
			    f->items[v->sel].own_pw) {
				int r = may_boot(v, ch, v->sel);

				if (r < 0)
					return ch->index;
				if (r == 0)
					break;
			}
			if (c == 'a' ? edit_args(v, ch)
				     : edit_entry(v, ch, c == 'c'))
				return ch->index;
			break;
		case KEY_ENTER:
			if (v->sel == SIZE_MAX && v->nrows) {
				enter_level(v, f->subs[v->rows[v->row].idx].path,
					    0, SIZE_MAX);
				break;
			}
			if (v->sel != SIZE_MAX && f->items[v->sel].bootable &&
			    !v->auth.unlock[v->sel]) {
				/* a locked entry: who may boot it logs in */
				int r = may_boot(v, ch, v->sel);

				if (r < 0)
					return ch->index;
				if (r == 0) {
					if (!v->msg)
						v->msg = "This entry is locked: it needs a login.";
					break;
				}
			}
			if (v->sel != SIZE_MAX && f->items[v->sel].bootable)
				return v->sel;
			v->msg = "This entry cannot be booted here (not a PV kernel).";
			break;
		default:
			break;
		}
	}
}

void tui_choose(const struct flat_menu *f, struct flat_choice *c)
{
	struct view v;
	SCREEN *scr;
	char *old = NULL;
	const char *cur;
	void (*old_hup)(int);
	size_t pick;

	c->edited = 0;
	c->idle = c->gone = 0;
	c->index = 0;
	if (f->n == 0 || f->def >= f->n)
		return;
	c->index = f->def;
	if (f->timeout == 0 && !f->items[f->def].own_pw) {
		pv_debug("menu: timeout 0: booting the default entry");
		return;
	}
	memset(&v, 0, sizeof(v));
	v.f = f;
	v.rows = calloc(f->n + f->nsub, sizeof(*v.rows));
	if (!v.rows || tui_auth_init(&v.auth, f) < 0) {
		free(v.rows);
		return; /* the default */
	}
	{
		/* a default inside a submenu opens there, preselected */
		char up[FLAT_PATH_MAX];

		tui_level_parent(f->items[f->def].path, up);
		enter_level(&v, up, 0, f->def);
		sync_sel(&v);
	}
	/* the user's character set decides what a title may show as is */
	cur = setlocale(LC_CTYPE, NULL);
	if (cur)
		old = strdup(cur);
	setlocale(LC_CTYPE, "");
	v.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	fflush(stdout);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		pv_debug("menu: cannot set up the terminal: booting the default entry");
		pick = f->def;
		goto out;
	}
	set_term(scr);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	tui_keys_setup();
	set_escdelay(25);
	curs_set(0);
	layout(&v);
	old_hup = signal(SIGHUP, SIG_IGN); /* a hangup is the ERR it gives */
	pick = run_menu(&v, c);
	if (c->idle && default_asks(&v)) {
		/* the worker refuses it: GRUB would wait for the password */
		move(LINES - 1, 0);
		clrtoeol();
		mvprintw(LINES - 1, 0,
			 "No password for %d s: the default entry needs its own; nothing boots.",
			 tui_wait_cap());
		refresh();
	} else if (c->idle) {
		move(LINES - 1, 0);
		clrtoeol();
		mvprintw(LINES - 1, 0,
			 "No key for %d s (nobody at the console?): booting the default entry.",
			 tui_wait_cap());
		refresh();
	}
	curs_set(1);
	endwin();
	delscreen(scr);
	signal(SIGHUP, old_hup);
	if (c->idle && default_asks(&v)) {
		printf("\r\npvboot: no password for %d s: the default entry needs its own\r\n",
		       tui_wait_cap());
		fflush(stdout);
	} else if (c->idle) {
		printf("\r\npvboot: no key for %d s: booting the default entry\r\n",
		       tui_wait_cap());
		fflush(stdout);
	}
out:
	setlocale(LC_CTYPE, old ? old : "C");
	free(old);
	free(v.rows);
	tui_auth_free(&v.auth);
	c->index = pick;
}
