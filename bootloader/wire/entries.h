/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The menu entries behind --json, as the worker reports them to the
 * supervisor (inside the result's text, so the wire format is unchanged).
 * The supervisor decodes them strictly and writes the JSON itself.
 *
 * Text, one record per line, fields separated by one space:
 *   "PVE1"
 *   "vol" LABEL CONFIG FORMAT
 *   "entry" FLAGS PATH NSUB SUB... TITLE ID KERNEL ARGS WHYNOT NINITRD INITRD...
 *   "boot" INDEX           (the entry booted; -1 for --kernel)
 * A field is "~" (none) or "=" then its bytes, each byte outside
 * 0x21..0x7e and '%' written as %HH.  FLAGS is "-" or letters: d (the
 * config's default), b (bootable).  PATH is the index path in the tree
 * ("1>0"), NSUB/NINITRD decimal counts (<= PV_MAX_NESTING, <=
 * PV_MAX_INITRDS), INDEX decimal.
 */
#ifndef PVBOOT_BOOTLOADER_ENTRIES_H
#define PVBOOT_BOOTLOADER_ENTRIES_H

#include "common/pvlimits.h"
#include "common/strbuf.h"

#include <stddef.h>

#define ENTRIES_MAGIC "PVE1"

struct entry_info {
	char *path;              /* "1>0" */
	char *sub[PV_MAX_NESTING + 1]; /* submenu titles, outermost first */
	size_t nsub;
	char *title, *id, *kernel, *args, *why_not; /* may be NULL */
	char *initrd[PV_MAX_INITRDS];
	size_t ninitrd;
	int is_default, bootable;
};

struct entries {
	char *vol, *config, *format; /* may be NULL */
	struct entry_info *e;
	size_t n;
	long boot;                  /* index into e, -1 = none/--kernel */
	int have_boot;
};

/* Encoding (worker side). */
void entries_field(struct strbuf *sb, const char *s);

/* Decode text (from the untrusted worker) into out.  Every count, length
 * and number is checked; PV_ECORRUPT / PV_ELIMIT with a message. */
int entries_decode(const char *text, struct entries *out);
void entries_free(struct entries *x);

#endif
