/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest-controlled strings (titles, paths, file names, args, error lines)
 * are never printed raw.  One predicate, used by the worker and again by
 * the supervisor, says which characters are unsafe on a terminal or in a
 * log: C0 controls and DEL; C1 controls, as a code point (U+0080..U+009F)
 * or as a lone byte 0x80..0x9f outside valid UTF-8 (a Latin-1 terminal
 * takes 0x9b for CSI); every Unicode bidi control (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069), which can reorder what a line shows;
 * and the line and paragraph separators U+2028, U+2029.
 * pv_sanitize escapes them (and invalid UTF-8) as \xNN.
 */
#ifndef PVBOOT_COMMON_SANITIZE_H
#define PVBOOT_COMMON_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

/* Length (1..4) and code point of the valid UTF-8 sequence at s (no
 * overlongs, surrogates or > U+10FFFF); 0 when invalid or left is short.
 * An ASCII byte is a sequence of 1. */
size_t pv_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);

/* Is this code point unsafe to print (the classes above)? */
int pv_cp_unsafe(uint32_t cp);

/* Flags of pv_text_unsafe_at. */
#define PV_TEXT_NL_TAB 1u /* '\n' and '\t' are allowed (multi-line text) */
#define PV_TEXT_UTF8   2u /* any invalid UTF-8 is unsafe too */

/* Offset of the first unsafe character in s[0..len), or -1 when clean;
 * *cp_out (optional) receives its code point, or the byte when it is not
 * valid UTF-8. */
long pv_text_unsafe_at(const char *s, size_t len, unsigned flags,
		       uint32_t *cp_out);

/* Escape src[0..len) into dst (always NUL-terminated, truncated with "...").
 * Returns dst. */
char *pv_sanitize(char *dst, size_t dstsz, const char *src, size_t len);

#endif
