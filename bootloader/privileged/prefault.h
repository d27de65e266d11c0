/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fork()ed child does not inherit the page table entries of its
 * parent's read-only file mappings (program and library code, constants):
 * each page it runs or reads is faulted in again, up to 16 pages a fault.
 * The worker maps them all with one madvise() per segment instead.
 */
#ifndef PVBOOT_BOOTLOADER_PREFAULT_H
#define PVBOOT_BOOTLOADER_PREFAULT_H

/* MADV_POPULATE_READ every read-only PT_LOAD segment of the program and
 * of its loaded libraries (best effort: kernels < 5.14 fault as before). */
void prefault_code(void);

#endif
