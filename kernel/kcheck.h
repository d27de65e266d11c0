/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a PV kernel is, before it is handed to libxl's domain builder:
 * x86 bzImage (setup header, boot protocol, the payload's compression and,
 * for xz and lzma, the dictionary size) or ELF (class, machine, Xen ELF
 * notes, the PVH entry note).  A parser: it reads the bytes it needs
 * through the reader it is given (the header region, the payload's first
 * bytes, the note segments), each read bounded.
 */
#ifndef PVBOOT_KERNEL_KCHECK_H
#define PVBOOT_KERNEL_KCHECK_H

#include <stddef.h>
#include <stdint.h>

/* Read exactly len bytes at off of the kernel: 0 or a negative code. */
typedef int (*kcheck_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);

enum kfmt { KFMT_UNKNOWN, KFMT_BZIMAGE, KFMT_ELF, KFMT_GZIP_FILE };

struct kcheck {
	enum kfmt fmt;
	unsigned protocol;      /* bzImage: 0x020f = 2.15 */
	int bits;               /* 32 or 64 (0 = unknown) */
	const char *comp;       /* bzImage payload: "gzip", "xz", ..., "ELF" */
	uint64_t dict;          /* xz/lzma dictionary bytes, 0 = unknown */
	int xen_notes;          /* ELF: Xen ELF notes found */
	int pvh;                /* ELF: XEN_ELFNOTE_PHYS32_ENTRY found */
	int fatal;              /* the domain builder surely refuses it */
	char summary[256];      /* one line for -l, -n and --debug */
	char problem[256];      /* a warning or the fatal reason, or "" */
};

/* Check a kernel of size bytes.  0 (k filled, fatal or not), or the
 * reader's error. */
int kcheck_run(uint64_t size, kcheck_read_fn read, void *ctx,
	       struct kcheck *k);

/* Xen before 4.20 decompresses xz and lzma kernels with libxenguest's
 * 128 MiB memory limit: a dictionary of 128 MiB or more (Linux 6.12's xz
 * setting for x86) needs more than that. */
#define KCHECK_XZ_DICT_LIMIT (128ull << 20)

#endif
