/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pvboot's own output directory (the default /var/run/xen/pygrub). */
#ifndef PVBOOT_BOOTLOADER_OUTDIR_H
#define PVBOOT_BOOTLOADER_OUTDIR_H

/*
 * Open (creating what is missing) the absolute directory path and return
 * its fd, or a negative PV_E* with one line.  Walked one component at a
 * time: a symlink on the way is followed only when root owns it (e.g.
 * /var/run -> /run), every directory on the way must belong to root or to
 * us and be writable by nobody else unless sticky, and the last component
 * is never a symlink.  Missing parents are made 0755, the directory itself
 * 0700; an existing one must be a directory owned by us (root) with mode
 * exactly 0700, else it is refused.
 */
int outdir_open_private(const char *path);

#endif
