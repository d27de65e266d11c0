/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A libext2fs io_manager that reads only through vol_read(): no file opens,
 * no ioctls, no writes, so libext2fs can run in the sandboxed worker and
 * can never read outside its volume.
 */
#ifndef PVBOOT_FS_EXT_IO_H
#define PVBOOT_FS_EXT_IO_H

#include <stddef.h>

#include <ext2fs/ext2fs.h>

#include "partition/disk.h"

extern io_manager ext_vol_io_manager;

/* The "device name" to hand ext2fs_open2() with ext_vol_io_manager so that
 * it reads volume v (which must outlive the open filesystem). */
void ext_io_name(const struct volume *v, char *buf, size_t bufsz);

#endif
