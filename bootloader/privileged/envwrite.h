/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing GRUB environment blocks back to the guest's disk (issue 15), as
 * GRUB's save_env does: the file's own sectors, in place.  The worker says
 * which bytes go where; the supervisor cannot re-derive that without
 * parsing the filesystem, so envwrite_check() checks what it can (see
 * envwrite.c for the list and why it suffices) and envwrite_apply() writes
 * each range with one pwrite, then fsyncs.
 */
#ifndef PVBOOT_BOOTLOADER_PRIV_ENVWRITE_H
#define PVBOOT_BOOTLOADER_PRIV_ENVWRITE_H

#include "bootloader/wire/options.h"
#include "bootloader/wire/result.h"
#include "partition/disk.h"

/* A second fd on the disk, read-write, when a write may be due (not -n,
 * -l, --isconfig, --no-env-write): the same file as d (device and inode
 * compared), or -1 with a --debug line saying nothing will be written. */
int envwrite_open(const struct options *o, const struct disk *d);

/* 0 when block w may be written over the disk of disk_size bytes whose
 * current bytes are readable through fd; PV_EINVAL with the reason
 * otherwise.  kernel/ramdisk: the extracted files' segments. */
int envwrite_check(int fd, uint64_t disk_size,
		   const struct env_block_write *w, const struct blob *kernel,
		   const struct blob *ramdisk);

/* Check and write every block of r->env; a refused or failed block gives
 * a warning and is skipped (GRUB prints an error and boots on).  Returns
 * the number of blocks written. */
int envwrite_apply(int fd, uint64_t disk_size, const struct boot_result *r);

#endif
