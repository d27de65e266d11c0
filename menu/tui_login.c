/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The menu's login screen (tui_login.h). */
#define NCURSES_WIDECHAR 1
#include "menu/tui_login.h"
#include "menu/auth.h"
#include "menu/tui_edit.h"
#include "menu/tui_keys.h"
#include "menu/tui.h"
#include "common/pvlimits.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27

int tui_auth_init(struct tui_auth *a, const struct flat_menu *f)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->super = !f->lock;
	a->unlock = calloc(f->n ? f->n : 1, 1);
	if (!a->unlock)
		return -1;
	for (i = 0; i < f->n; i++)
		a->unlock[i] = !f->items[i].locked;
	return 0;
}

void tui_auth_free(struct tui_auth *a)
{
	free(a->unlock);
	a->unlock = NULL;
}

/* Read a password without drawing it: printable ASCII, Backspace, ^U
 * (start again), Enter, Esc.  1, 0 (cancelled), -1 (gone). */
static int read_secret(int row, const char *prompt, char *buf, size_t cap)
{
	size_t len = 0;
	int c;

	buf[0] = '\0';
	move(row, 0);
	clrtoeol();
	mvaddstr(row, 0, prompt);
	curs_set(1);
	refresh();
	for (;;) {
		c = tui_getch_idle();
		if (c == TUI_GONE) {
			explicit_bzero(buf, cap);
			curs_set(0);
			return -1;
		}
		switch (tui_key_norm(c)) {
		case KEY_ENTER:
			curs_set(0);
			return 1;
		case KEY_ESC:
			explicit_bzero(buf, cap);
			curs_set(0);
			return 0;
		case KEY_BACKSPACE:
			if (len)
				buf[--len] = '\0';
			break;
		case 'U' & 0x1f:
			explicit_bzero(buf, cap);
			len = 0;
			break;
		default:
			if (c >= 0x20 && c <= 0x7e && len + 1 < cap) {
				buf[len++] = (char)c;
				buf[len] = '\0';
			}
			break;
		}
	}
}

/* The limits on logins in one run: 1 when another may be tried, else 0
 * with a->msg saying why. */
static int may_try(struct tui_auth *a)
{
	if (a->fails >= PV_MAX_LOGIN_FAILURES) {
		a->msg = "Too many wrong passwords: no more logins in this run.";
		return 0;
	}
	if (a->tries >= PV_MAX_LOGIN_ATTEMPTS) {
		a->msg = "Too many logins: no more in this run.";
		return 0;
	}
	return 1;
}

/* Read the password at row, send it as user's and apply the verdict.
 * Returns as tui_login; ok_msg is said when it was right. */
static int check(const struct flat_menu *f, struct tui_auth *a,
		 const char *user, int row, const char *ok_msg)
{
	char pass[PV_MAX_LOGIN_TEXT + 1];
	static char said[96];
	unsigned char *got;
	int r, super = 0;
	size_t i;

	r = read_secret(row, "Enter password: ", pass, sizeof(pass));
	if (r <= 0) {
		a->msg = r == 0 ? "Login cancelled." : NULL;
		return r;
	}
	a->tries++;
	got = calloc(f->n ? f->n : 1, 1);
	r = got ? f->login(f->login_ctx, user, pass, &super, got) : -1;
	explicit_bzero(pass, sizeof(pass));
	for (i = 0; r > 0 && i < f->n; i++) /* a login only adds */
		a->unlock[i] |= got[i];
	free(got);
	if (r > 0) {
		a->super = a->super || super;
		a->msg = ok_msg ? ok_msg
			: a->super ? "Logged in: editing is unlocked."
				   : "Logged in: this user's entries are unlocked.";
		return 1;
	}
	if (r < 0) {
		a->msg = "The password could not be checked.";
		return 0;
	}
	a->fails++;
	snprintf(said, sizeof(said), "Wrong password or user (%d of %d tries).",
		 a->fails, PV_MAX_LOGIN_FAILURES);
	a->msg = said;
	mvaddstr(row + 2, 2, said);
	refresh();
	napms(PV_LOGIN_FAIL_DELAY_MS);
	flushinp(); /* keys typed during the wait do not count */
	return 0;
}

int tui_login(const struct flat_menu *f, struct tui_auth *a)
{
	char user[PV_MAX_LOGIN_TEXT + 1] = "";
	int r, row = 5;

	a->msg = NULL;
	if (!f->lock || !f->login) {
		a->msg = "No password is set: nothing to unlock.";
		return 0;
	}
	if (!may_try(a))
		return 0;
	erase();
	mvaddstr(1, 4, f->lock == MENU_LOCK_GRUB2
		 ? "pvboot: log in (the guest's GRUB superusers and users)"
		 : "pvboot: the guest's GRUB menu password");
	mvaddstr(3, 2, "Enter gives it, Esc goes back to the menu.");
	if (f->lock == MENU_LOCK_GRUB2) {
		r = tui_edit_line(row++, "Enter username:", user, sizeof(user));
		if (r <= 0) {
			a->msg = r == 0 ? "Login cancelled." : NULL;
			return r;
		}
	}
	return check(f, a, user, row, NULL);
}

int tui_login_entry(const struct flat_menu *f, struct tui_auth *a,
		    size_t idx, int utf8)
{
	wchar_t title[PV_MAX_MENU_TITLE + 8];
	char user[24];

	a->msg = NULL;
	if (idx >= f->n || !f->items[idx].own_pw || !f->login) {
		a->msg = "This entry is locked: it needs a login.";
		return 0;
	}
	if (!may_try(a))
		return 0;
	erase();
	mvaddstr(1, 4, "pvboot: this entry has its own GRUB password");
	mvaddstr(2, 4, "Entry: ");
	tui_render_title(f->items[idx].title, utf8, COLS > 20 ? COLS - 12 : 8,
			 title, sizeof(title) / sizeof(title[0]));
	addwstr(title);
	mvaddstr(3, 2, "Enter gives it, Esc goes back to the menu.");
	snprintf(user, sizeof(user), "%zu", idx); /* flat.h: whose password */
	return check(f, a, user, 5, "The entry's password is right.");
}
