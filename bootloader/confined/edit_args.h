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

/* Lines typed for an entry ('e': the config's own syntax; 'c': GRUB 2
 * commands, `kernel` read as `linux`, `boot` ends them) parsed as a
 * one-entry config of that format into out (menu_free it), with io for
 * the commands that look at the guest's filesystem.  The entry to boot is
 * out->e[0]; anything else (no kernel, a multiboot line, two entries) is
 * an error. */
struct menu;
struct cfg_io;
int edit_lines_reparse(const char *format, int kind, const char *text,
		       const struct cfg_io *io, struct menu *out);

#endif
