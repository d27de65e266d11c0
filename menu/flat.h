/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The menu as the interactive screen shows it: every leaf entry of the
 * tree (submenus flattened, in file order, as pygrub's list and --entry
 * numbers count them), the default's index, the timeout.  The worker
 * builds it from its parsed struct menu and sends it to the supervisor
 * (bootloader/wire/wire_menu.h), which draws it (menu/tui.h) and answers with
 * an index into items.
 */
#ifndef PVBOOT_MENU_FLAT_H
#define PVBOOT_MENU_FLAT_H

#include "common/pvlimits.h"
#include "menu/menu.h"

#include <stddef.h>

/* "1>0>12": up to PV_MAX_NESTING + 1 indices below PV_MAX_ENTRIES */
#define FLAT_PATH_MAX ((PV_MAX_NESTING + 2) * 12)

struct flat_item {
	/* the entry's own title (as pygrub lists it), raw guest bytes
	 * (sanitised only when drawn), at most PV_MAX_MENU_TITLE bytes */
	char *title;
	/* index path in the tree, e.g. "1>0": its depth indents the title */
	char path[FLAT_PATH_MAX];
	int bootable;             /* ENTRY_LINUX; 0 for ENTRY_NOT_PV */
	/* the kernel arguments as parsed (the 'a' editor starts from them),
	 * "" when none or over PV_MAX_ARGS bytes */
	char *args;
	/* the entry as the lines 'e' edits ("linux PATH ARGS\ninitrd ...",
	 * in the config's own syntax), "" when it cannot be edited */
	char *lines;
	const struct menu_entry *e; /* worker side only (NULL once decoded) */
	/* booting it from the menu needs a login (menu/auth.h); never the
	 * default's, unless own_pw */
	int locked;
	/* GRUB legacy: the entry has its own `password` line: only that
	 * password unlocks it (a login for it alone, below); implies locked */
	int own_pw;
};

/* A submenu, by its path (its leaves' paths start with it and '>') */
struct flat_sub {
	char *title; /* raw guest bytes, at most PV_MAX_MENU_TITLE */
	char path[FLAT_PATH_MAX];
};

struct flat_menu {
	struct flat_item *items;
	size_t n;
	struct flat_sub *subs;
	size_t nsub;
	size_t def;   /* the default entry's index (< n) */
	int timeout;  /* seconds, -1 = wait for a key; 0..PV_MAX_MENU_TIMEOUT */
	int hidden;   /* hiddenmenu / timeout_style=hidden: no menu shown */
	int lock;     /* enum menu_lock (menu/auth.h): editing needs a login */
	/* worker side only: the menu it was built from (the passwords) */
	const struct menu *src;
	/* supervisor side only: checks a login with the worker (NULL: no
	 * login possible).  1 right, 0 wrong, -1 no answer; on 1, *super
	 * says whether editing is allowed and unlock[i] (f->n bytes) whether
	 * item i may now be booted. */
	int (*login)(void *ctx, const char *user, const char *pass,
		     int *super, unsigned char *unlock);
	void *login_ctx;
};

/* The worker's side of a login (menu/auth.h): the same contract as
 * flat_menu.login, against f->src.  GRUB legacy has no user names: there
 * user "" is the menu's password, and a user that is an item's index in
 * decimal ("3") gives that item's own password (own_pw), which unlocks
 * that item only and never editing. */
int flat_login(const struct flat_menu *f, const char *user, const char *pass,
	       int *super, unsigned char *unlock);

/* What the user picked: an index into items and, when edited, what was
 * typed: kernel arguments ('a', at most PV_MAX_ARGS bytes), the entry's
 * lines ('e') or command lines ('c'), lines joined by '\n', at most
 * PV_MAX_EDIT_LINES lines and PV_MAX_EDIT_TEXT bytes, printable ASCII
 * otherwise.  The worker re-reads them with the config's parser rules. */
enum flat_edit {
	FLAT_EDIT_NONE = 0,
	FLAT_EDIT_ARGS = 1,
	FLAT_EDIT_LINES = 2,
	FLAT_EDIT_COMMANDS = 3,
};

struct flat_choice {
	size_t index;
	int edited;   /* enum flat_edit */
	int idle;     /* supervisor only: nobody typed for the wait cap */
	int gone;     /* supervisor only: the terminal went away while the
			 menu waited for a key: boot nothing */
	char args[PV_MAX_EDIT_TEXT + 1];
};

/* The lines 'e' shows for e, in the syntax format's parser reads back
 * (GRUB legacy: root/kernel/initrd; extlinux: kernel/append/initrd;
 * everything else GRUB 2's linux/initrd), malloc'd; "" when e cannot
 * boot or the lines would be over PV_MAX_EDIT_TEXT.  NULL: no memory. */
char *flat_entry_lines(const struct menu_entry *e, const char *format);

/* 1 when text (n bytes) may be sent as an edit of that kind. */
int flat_edit_ok(int kind, const char *text, size_t n);

/* Flatten m.  The default is menu_select()'s (so it warns as -q would);
 * a menu with no bootable entry fails with menu_select()'s error.  0 or
 * a negative PV_E*; *out is empty on failure. */
int flat_build(const struct menu *m, struct flat_menu *out);
void flat_free(struct flat_menu *f);

#endif
