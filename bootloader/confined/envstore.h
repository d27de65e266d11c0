/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB environment files as one run sees them (issue 15).  GRUB's
 * save_env writes the file's own sectors at once, so a later load_env of
 * the same file reads the new block.  pvboot keeps the new block here
 * instead (keyed by volume and inode, so "-f" paths and symlinks to the
 * same file agree) and hands the changed blocks, with the disk ranges the
 * file occupies, to the supervisor only after a successful boot decision.
 *
 * A file is accepted for writing only where GRUB 2.06's save_env would
 * write it: a regular file no larger than PV_MAX_ENVBLK_WRITE whose every
 * byte is mapped 1:1 to disk sectors (no holes, no inline data, no
 * compression; GRUB: "sparse file not allowed"), in at most
 * PV_MAX_ENV_RANGES sector-aligned, non-overlapping ranges inside its
 * volume that read back as the file's bytes (GRUB re-reads its blocklist
 * and compares), on ext2/3/4, XFS or FAT.  Not on btrfs (GRUB cannot map
 * a btrfs file to sectors for writing) nor ISO 9660.
 *
 * A GRUB blocklist "(dev)N+M" (openSUSE's env_block on btrfs: grubenv
 * says env_block=512+1 and its grub.cfg runs load_env/save_env -f
 * "(${root})512+1") is read and written as those sectors of the device.
 */
#ifndef PVBOOT_BOOTLOADER_ENVSTORE_H
#define PVBOOT_BOOTLOADER_ENVSTORE_H

#include "bootloader/confined/volumes.h"
#include "bootloader/wire/envwrite.h"

/* Point io's env_read/env_write at rc's store. */
void envstore_io(struct run_ctx *rc, struct cfg_io *io);
/* Forget every change (a volume that did not boot). */
void envstore_reset(struct run_ctx *rc);
/* The changed blocks (new bytes differ from the disk's) into out.
 * 0, PV_ENOMEM. */
int envstore_collect(struct run_ctx *rc, struct env_writes *out);

#endif
