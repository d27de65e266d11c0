/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB 2 loader commands run inside entry bodies (grub2_entry.c). */
#ifndef PVBOOT_MENU_GRUB2_ENTRY_H
#define PVBOOT_MENU_GRUB2_ENTRY_H

#include <stddef.h>

struct g2_eval;

int g2_cmd_linux(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_initrd(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_multiboot(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_chainloader(struct g2_eval *ev, char **argv, size_t argc);

#endif
