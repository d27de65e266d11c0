/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The menu's login screen (menu/auth.h says what a login unlocks): GRUB 2
 * asks for a username (shown as typed) and a password, GRUB legacy for
 * the password only.  The password is never drawn (not even as '*'),
 * never logged, and wiped once sent.  The check is the worker's
 * (flat_menu.login).  A wrong password waits PV_LOGIN_FAIL_DELAY_MS and
 * is counted on the screen; after PV_MAX_LOGIN_FAILURES (or
 * PV_MAX_LOGIN_ATTEMPTS of any outcome, which bounds the worker's CPU) the
 * screen offers no more logins for this run (the unlocked entries still
 * boot).
 */
#ifndef PVBOOT_MENU_TUI_LOGIN_H
#define PVBOOT_MENU_TUI_LOGIN_H

#include "menu/flat.h"

struct tui_auth {
	int super;              /* editing allowed */
	int fails;              /* wrong passwords so far */
	int tries;              /* passwords sent to the worker so far */
	unsigned char *unlock;  /* f->n: item i may be booted */
	const char *msg;        /* what the last attempt said, or NULL */
};

/* Set up a (calloc'd unlock: the unlocked items); 0 or -1 (no memory). */
int tui_auth_init(struct tui_auth *a, const struct flat_menu *f);
void tui_auth_free(struct tui_auth *a);

/* Ask for a login on the whole screen (the caller redraws after).  1 the
 * login was right (a updated), 0 wrong, refused or cancelled (a->msg
 * says why), -1 the terminal is gone. */
int tui_login(const struct flat_menu *f, struct tui_auth *a);

/* GRUB legacy: ask for the own password of item idx (flat_item.own_pw),
 * showing its title (utf8 as tui_render_title), with the same limits,
 * delay and counting; right unlocks that item only.  Returns as
 * tui_login. */
int tui_login_entry(const struct flat_menu *f, struct tui_auth *a,
		    size_t idx, int utf8);

#endif
