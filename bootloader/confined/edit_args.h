/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel arguments typed in the menu ('a'), re-read in the worker with the
 * parser rules of the config they replace: for GRUB 2 the words of a
 * `linux` line (quotes, escapes, $variables as GRUB splits them), for
 * GRUB legacy a `kernel` line, for extlinux an `append` line.  LILO and
 * BLS keep the command line as one string already, so the typed text is
 * taken as is.  The operator's text never reaches the supervisor's
 * parser-free side in any other form.
 */
#ifndef PVBOOT_BOOTLOADER_CONFINED_EDIT_ARGS_H
#define PVBOOT_BOOTLOADER_CONFINED_EDIT_ARGS_H

/* The command line that format's parser makes of typed (printable ASCII,
 * at most PV_MAX_ARGS bytes), in a malloc'd *out.  0 or a negative PV_E*
 * with a message. */
int edit_args_reparse(const char *format, const char *typed, char **out);

#endif
