/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest-controlled strings (titles, paths, file names) are never printed raw:
 * control bytes, DEL, C1 controls and invalid UTF-8 become \xNN escapes, so a
 * hostile title cannot move the cursor, clear the screen or forge a line.
 */
#ifndef PVBOOT_COMMON_SANITIZE_H
#define PVBOOT_COMMON_SANITIZE_H

#include <stddef.h>

/* Escape src[0..len) into dst (always NUL-terminated, truncated with "...").
 * Returns dst. */
char *pv_sanitize(char *dst, size_t dstsz, const char *src, size_t len);

#endif
