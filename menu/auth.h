/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Menu passwords: who may edit and who may boot which entry from the
 * interactive menu, and the checks of a typed password against what the
 * guest's config holds.  Runs in the worker (the hashes and the policy
 * are guest bytes); the supervisor only sends what was typed and gets
 * the verdict (bootloader/wire/wire_menu.h, PVL1/PVA1).
 *
 * GRUB legacy: `password [--md5] PASSWD` locks the editing keys until the
 * password is given ('p'); an entry holding `lock` needs it to boot.  A
 * `password` line inside an entry is that entry's own: booting it from
 * the menu asks for that password, every time, the default included (the
 * countdown ending on it asks too), and neither the menu's password nor
 * any other unlocks it: GRUB 0.97 runs the line as one of the entry's
 * commands (password_func, BUILTIN_SCRIPT), which prompts whatever was
 * typed before.  Editing ('a', 'e') an entry with its own password asks
 * for it too, as GRUB's edited entry still holds the line; 'c' boots what
 * is typed, not an entry, and needs only the editing rights.  Two
 * differences, both stricter than GRUB: a wrong password there boots the
 * `fallback` entry when one is set, here it returns to the menu; GRUB's
 * 'e' shows the line (which one may then delete), here 'e' does not show
 * it and asks for it first.
 * GRUB 2: once $superusers is set, editing needs a superuser, and an
 * entry (or a submenu around it) that is not --unrestricted needs a
 * superuser or a user its --users names.  Passwords: `password USER
 * PLAIN`, `password_pbkdf2 USER grub.pbkdf2.sha512.ITER.SALT.HASH`.
 *
 * Passwords gate the interactive menu only: the default entry, which
 * boots anyway when nobody touches the console, is never locked by `lock`
 * or GRUB 2's restrictions, and the non-interactive runs (-q, --entry,
 * -l, -n, --runas) boot as before.  GRUB legacy has no such runs; there an
 * entry's own password is not asked (nobody is at a console to ask) and
 * the boot says so in a warning (auth_entry_unasked).
 */
#ifndef PVBOOT_MENU_AUTH_H
#define PVBOOT_MENU_AUTH_H

#include "menu/menu.h"

enum menu_lock {
	MENU_LOCK_NONE = 0,
	MENU_LOCK_LEGACY = 1, /* GRUB legacy password: 'p' unlocks */
	MENU_LOCK_GRUB2 = 2,  /* GRUB 2 superusers: a user logs in */
};

/* What m locks. */
enum menu_lock auth_lock_mode(const struct menu *m);

/* 1 when the entry at path ("1>0", flat.h) in the top menu m needs a
 * login to be booted from the menu. */
int auth_path_locked(const struct menu *m, const char *path);

/* Check a login against m (user ignored for GRUB legacy).  1 right, 0
 * wrong (or unknown user, or a hash that cannot be checked: refused, with
 * a debug line saying why).  *super: 1 when editing is now allowed. */
int auth_login(const struct menu *m, const char *user, const char *pass,
	       int *super);

/* GRUB legacy: pass against e's own `password` line.  1 right, 0 wrong
 * (or a line that cannot be checked, with a debug line saying why). */
int auth_entry_login(const struct menu_entry *e, const char *pass);

/* A non-interactive run boots e: when e has its own password (which
 * only the menu asks for), warn that it was not asked. */
void auth_entry_unasked(const struct menu_entry *e);

/* 1 when user (logged in; super as auth_login said) may boot path. */
int auth_path_allows(const struct menu *m, const char *path,
		     const char *user, int super);

/* The checks, exposed for test_auth: 1 right, 0 wrong, negative PV_E*
 * when the stored hash is malformed or over a limit (pvlimits.h). */
int auth_check_plain(const char *want, const char *pass);
int auth_check_md5crypt(const char *hash, const char *pass);
int auth_check_pbkdf2(const char *hash, const char *pass);
/* 0 when a pbkdf2 hash has GRUB's shape and is within the limits (no
 * computation), else the error auth_check_pbkdf2 would give */
int auth_pbkdf2_valid(const char *hash);
/* GRUB legacy's whole line: "password [--md5] PASSWD [FILE]" */
int auth_check_legacy(const char *line, const char *pass);

/* Load what the checks need (OpenSSL's SHA-512 and PBKDF2) before the
 * worker is confined: nothing is read or opened at check time. */
void auth_prepare(void);

#endif
