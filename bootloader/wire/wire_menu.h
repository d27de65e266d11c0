/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interactive exchange between the worker and the supervisor (the
 * worker parses, the supervisor owns the terminal; security.md §4):
 *
 *   worker → supervisor, on the result pipe, before its answer (wire.h):
 *     header: "PVM1" | u32 version (1) | u64 body length
 *     body:   u32 n (1..PV_MAX_ENTRIES) | u32 default (< n)
 *             i32 timeout (-1..PV_MAX_MENU_TIMEOUT) |
 *             u8 hidden (bit 0) and lock (bits 1-2: enum menu_lock)
 *             n x { u8 bootable (bit 0) and locked (bit 1, only with a
 *                   lock or bit 2) and its own password (bit 2, GRUB
 *                   legacy: with bit 1) | str path | str title | str args |
 *                   (the lock bits came with menu passwords: version 2
 *                   messages without them decode as before)
 *                   str lines }
 *             u32 nsub (<= PV_MAX_ENTRIES) | nsub x { str path | str title }
 *             (the submenus, for the screen to open them)
 *     str:    u32 length | bytes (no NUL); a path is digits and '>'
 *             (< FLAT_PATH_MAX), a title at most PV_MAX_MENU_TITLE bytes,
 *             args at most PV_MAX_ARGS, lines (the entry as 'e' edits
 *             it) at most PV_MAX_EDIT_TEXT ("" on an entry that cannot
 *             boot)
 *   supervisor → worker, on a second pipe, one of:
 *     "PVC1" | u32 index of the chosen item
 *     "PVC0" | u32 0: nothing chosen (the console went away while the
 *             menu waited for a key): the run fails
 *     "PVC2" | u32 index | u32 kind | u32 n | n bytes: what was typed,
 *             kind 1 the kernel arguments ('a', n <= PV_MAX_ARGS), 2 the
 *             entry's lines ('e'), 3 command lines ('c'); n <=
 *             PV_MAX_EDIT_TEXT, printable ASCII and '\n' between lines
 *             (flat_edit_ok); the worker re-reads it with the config's
 *             parser rules
 *     before that, any number of logins (wire_login.h)
 *
 * Integers little-endian.  The supervisor decodes the menu as it decodes
 * the answer: every length checked against the bytes present and the
 * caps before allocating, the body consumed exactly.
 */
#ifndef PVBOOT_BOOTLOADER_WIRE_MENU_H
#define PVBOOT_BOOTLOADER_WIRE_MENU_H

#include "common/pvlimits.h"
#include "menu/flat.h"

#include <stddef.h>
#include <stdint.h>

#define WIRE_MENU_MAGIC "PVM1"
#define WIRE_MENU_VERSION 2u
#define WIRE_CHOICE_MAGIC "PVC1"
#define WIRE_CHOICE_SIZE 8
#define WIRE_CHOICE_EDIT_MAGIC "PVC2"
#define WIRE_CHOICE_NONE_MAGIC "PVC0"
#define WIRE_CHOICE_EDIT_FIXED 16
#define WIRE_CHOICE_MAX (WIRE_CHOICE_EDIT_FIXED + PV_MAX_EDIT_TEXT)

/* The largest menu body an honest worker can send. */
uint64_t wire_menu_max_body(void);

/* Encode f into a malloc'd message (header included). */
int wire_menu_encode(const struct flat_menu *f, uint8_t **msg, size_t *len);

/* Decode a whole message (header + body, exactly len bytes) into out
 * (items' e pointers are NULL).  PV_ECORRUPT / PV_ELIMIT on anything
 * malformed; out is empty then. */
int wire_menu_decode(const uint8_t *msg, size_t len, struct flat_menu *out);

void wire_choice_encode(uint32_t index, uint8_t out[WIRE_CHOICE_SIZE]);
int wire_choice_decode(const uint8_t in[WIRE_CHOICE_SIZE], uint32_t *index);

/* The whole choice (out holds WIRE_CHOICE_MAX bytes): PVC1, or PVC2 when
 * c->edited.  PV_EINVAL when the typed arguments are not sendable. */
int wire_choice_encode_full(const struct flat_choice *c, uint8_t *out,
			    size_t *len);
/* Reading it back: the first WIRE_CHOICE_SIZE bytes give the index and
 * whether edited arguments follow (returns 1; 0 for a plain pick; <0 on
 * a bad magic); then the u32 kind and length (8 bytes, checked); then
 * the bytes themselves (checked: flat_edit_ok). */
int wire_choice_decode_head(const uint8_t in[WIRE_CHOICE_SIZE],
			    struct flat_choice *c);
int wire_choice_decode_args(const uint8_t kl[8], struct flat_choice *c,
			    uint32_t *len);
int wire_choice_check_args(struct flat_choice *c, const uint8_t *s,
			   uint32_t len);

#endif
