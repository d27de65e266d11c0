/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which text may cross from the worker to the supervisor and be printed or
 * written by it: one rule both sides apply.  The worker refuses a guest
 * path or args that break it as bad guest data (exit 3); the supervisor
 * refuses an answer that breaks it as a lie (exit 5).
 */
#ifndef PVBOOT_BOOTLOADER_TEXT_OK_H
#define PVBOOT_BOOTLOADER_TEXT_OK_H

/* What the sanitizer (common/sanitize.h) would show unchanged: so every
 * class it escapes (C0, DEL, C1, bidi controls, separators, invalid UTF-8)
 * is refused; with lines set, '\n' and '\t' are allowed between pieces.
 * A string too large to check is refused. */
int wire_text_ok(const char *s, int lines);

#endif
