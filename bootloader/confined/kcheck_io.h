/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PVBOOT_BOOTLOADER_KCHECK_IO_H
#define PVBOOT_BOOTLOADER_KCHECK_IO_H

#include "bootloader/wire/blob.h"
#include "kernel/kcheck.h"
#include "partition/disk.h"

/* Run the kernel check on the kernel blob b of disk d (bounded reads). */
int kernel_check_blob(const struct disk *d, const struct blob *b,
		      struct kcheck *k);

#endif
