/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PE/COFF section tables (UEFI executables: Unified Kernel Images and
 * their add-ons).  A parser over bytes the caller read (the head of the
 * file): no I/O of its own.  Every offset and size is checked against the
 * buffer and against the file's size.
 */
#ifndef PVBOOT_KERNEL_PE_H
#define PVBOOT_KERNEL_PE_H

#include <stddef.h>
#include <stdint.h>

#include "common/pvlimits.h"

struct pe_section {
	char name[9];       /* NUL-terminated (PE names are 8 bytes) */
	uint32_t vsize;     /* VirtualSize: the section's real length */
	uint32_t raw_size;  /* SizeOfRawData (rounded up to FileAlignment) */
	uint32_t raw_off;   /* PointerToRawData */
};

struct pe_info {
	uint16_t machine;
	size_t n;
	struct pe_section s[PV_MAX_PE_SECTIONS];
};

/*
 * Parse the section table from head (the first len bytes of a file of
 * file_size bytes).  0, PV_ENOTMINE (no MZ/PE signature), PV_ECORRUPT
 * (a table or a section outside the buffer or the file, overlapping
 * sections) or PV_ELIMIT (more sections than PE allows).
 */
int pe_parse(const uint8_t *head, size_t len, uint64_t file_size,
	     struct pe_info *out);

/* The bytes of s that hold its contents: [raw_off, raw_off + *len). A
 * section longer in memory than in the file (zero-filled tail) is
 * PV_ECORRUPT for what we copy. */
int pe_section_bytes(const struct pe_section *s, uint64_t *off,
		     uint64_t *len);

/* Bytes to read from the head of a file to parse its table. */
#define PE_HEAD_BYTES 65536

#endif
