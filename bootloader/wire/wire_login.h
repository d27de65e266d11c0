/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A login at the interactive menu (menu/auth.h), between the supervisor,
 * which reads what the console types, and the worker, which holds the
 * guest's password hashes and checks them.  Any number of these may come
 * before the choice (wire_menu.h):
 *
 *   supervisor → worker, on the choice pipe:
 *     "PVL1" | u32 user length | u32 password length | user | password
 *     (each at most PV_MAX_LOGIN_TEXT bytes, no NUL; GRUB legacy, which
 *     has no users: user "" the menu's password, or an entry's index in
 *     decimal for that entry's own password, flat.h)
 *   worker → supervisor, on the result pipe:
 *     "PVA1" | u8 right (0/1) | u8 editing allowed (0/1) | u16 0 |
 *     u32 n (the menu's entry count) | n x u8 (1: entry i may be booted)
 *
 * A worker can only unlock its own guest's menu with a false answer,
 * which the guest's config could do anyway by setting no password: the
 * supervisor needs no more trust in it than that.  The screen enforces
 * the verdicts; the worker also refuses a choice they do not allow (an
 * edit without a superuser, a locked entry nobody unlocked).
 */
#ifndef PVBOOT_BOOTLOADER_WIRE_LOGIN_H
#define PVBOOT_BOOTLOADER_WIRE_LOGIN_H

#include "common/pvlimits.h"

#include <stddef.h>
#include <stdint.h>

#define WIRE_LOGIN_MAGIC "PVL1"
#define WIRE_LOGIN_HEAD 12
#define WIRE_LOGIN_MAX (WIRE_LOGIN_HEAD + 2 * PV_MAX_LOGIN_TEXT)
#define WIRE_VERDICT_MAGIC "PVA1"
#define WIRE_VERDICT_HEAD 12
#define WIRE_VERDICT_MAX (WIRE_VERDICT_HEAD + PV_MAX_ENTRIES)

/* The request into out (WIRE_LOGIN_MAX bytes); PV_EINVAL when too long. */
int wire_login_encode(const char *user, const char *pass, uint8_t *out,
		      size_t *len);
/* From its head (WIRE_LOGIN_HEAD bytes): the lengths, checked. */
int wire_login_lengths(const uint8_t head[WIRE_LOGIN_HEAD], uint32_t *ulen,
		       uint32_t *plen);
/* The verdict into out (WIRE_VERDICT_MAX bytes). */
void wire_verdict_encode(int ok, int super, const unsigned char *unlock,
			 size_t n, uint8_t *out, size_t *len);
/* Check a whole verdict of len bytes for a menu of n entries and read
 * it: the right flag (0/1) or a negative PV_ECORRUPT. */
int wire_verdict_decode(const uint8_t *in, size_t len, size_t n, int *super,
			unsigned char *unlock);

#endif
