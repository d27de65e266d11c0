/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a Unified Kernel Image means (uapi-group unified_kernel_image.md,
 * boot_loader_specification.md type #2), as systemd-boot and systemd-stub
 * read it: which section of which profile holds the kernel, initrd,
 * microcode, command line and os-release; the key=value text of .osrel and
 * .profile; boot counting in file names; systemd's version sort.  Pure
 * functions over bytes and section tables: no I/O.
 */
#ifndef PVBOOT_KERNEL_UKI_H
#define PVBOOT_KERNEL_UKI_H

#include "kernel/pe.h"

enum uki_sect {
	UKI_LINUX, UKI_INITRD, UKI_UCODE, UKI_CMDLINE, UKI_OSREL, UKI_UNAME,
	UKI_PROFILE, UKI_NSECT
};
extern const char *const uki_sect_name[UKI_NSECT];

/* The sections profile p sees: its own, else the base's (those before the
 * first .profile).  A UKI without .profile has profile 0 only.  0, or
 * PV_ENOENT when there is no profile p. */
int uki_profile(const struct pe_info *pe, unsigned p,
		const struct pe_section *out[UKI_NSECT]);

/* The value of KEY in os-release-style text (KEY=value lines, optional
 * quotes), the last one winning, copied into out (NUL-terminated, control
 * bytes made spaces).  1 found, 0 not. */
int uki_kv(const char *buf, size_t len, const char *key, char *out,
	   size_t outsz);

/* A command line from .cmdline bytes, as systemd-stub passes it: stops at
 * a NUL, control bytes become spaces, trailing blanks dropped.  out may
 * be buf (it never grows). */
void uki_cmdline(const char *buf, size_t len, char *out, size_t outsz);

/* Boot counting (NAME+LEFT[-DONE].efi, or .conf for type #1): the entry
 * id (the name without the counters, lower case) into id, tries left/done
 * (-1 when absent). */
void uki_tries(const char *fname, char *id, size_t idsz, int *left,
	       int *done);

/* systemd's strverscmp_improved: <0, 0, >0; NULL sorts first. */
int uki_verscmp(const char *a, const char *b);

/* One menu item as systemd-boot sorts them (boot_entry_compare). */
struct uki_sortkey {
	const char *id;          /* without profile suffix */
	const char *sort_key;    /* NULL: old-style, by id only */
	const char *machine_id;
	const char *version;
	unsigned profile;
	int tries_left, tries_done;
};
int uki_entry_cmp(const struct uki_sortkey *a, const struct uki_sortkey *b);

#endif
