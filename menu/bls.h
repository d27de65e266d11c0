/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot Loader Specification type #1 entries (loader/entries/NAME.conf), as
 * GRUB's blscfg command and sd-boot's loader.conf read them.
 */
#ifndef PVBOOT_MENU_BLS_H
#define PVBOOT_MENU_BLS_H

#include "menu/menu.h"

struct bls_entry {
	char *file_id;      /* file name without ".conf": saved_entry names it */
	char *title;
	char *version;
	char *machine_id;
	char *sort_key;
	char *linux;        /* path as written */
	char *uki;          /* a Unified Kernel Image to boot instead (the
			       `uki` key), or NULL; entries with it and no
			       linux are for bootloader/confined/uki_scan.c */
	char *initrd[PV_MAX_INITRDS];
	size_t ninitrd;
	char *options;      /* raw, variables not yet expanded */
	int has_devicetree_only; /* unused for PV; kept for completeness */
};

/* Parse one entry file.  A bad line is skipped with a warning naming
 * path:line; a missing `linux` key is reported by bls_load_dir (skip). */
int bls_parse_entry(const char *path, const char *buf, size_t len,
		    struct bls_entry *out);
void bls_entry_free(struct bls_entry *e);

/* Read every *.conf in dir (via io, on device dev), skipping entries
 * without `linux`, sorted as GRUB's blscfg sorts them (newest first).
 * Caps: PV_MAX_BLS_ENTRIES files.  *out is malloc'd; free each entry and
 * the array. */
int bls_load_dir(const struct cfg_io *io, const char *dev, const char *dir,
		 struct bls_entry **out, size_t *n);

/* Expand $var / ${var} in an options string as GRUB's blscfg does (via
 * getvar; unknown variables expand to ""), then normalise the words as
 * GRUB's linux command would (single spaces).  Malloc'd result or NULL. */
char *bls_expand_options(const char *options,
			 const char *(*getvar)(void *ctx, const char *name),
			 void *ctx);

/* Append the sorted entries to m as ENTRY_LINUX entries (title from
 * title, else version, else file_id; id = file_id).  prefix is prepended
 * to linux/initrd paths ("" or "/boot" when entries live inside a root fs
 * whose paths are relative to /boot). */
int bls_append_to_menu(struct bls_entry *ents, size_t n, const char *prefix,
		       const char *(*getvar)(void *ctx, const char *name),
		       void *ctx, struct menu *m);

/* A guest with BLS entries and loader/loader.conf but no grub.cfg:
 * buf is loader.conf; entries are read from loader/entries beside it.
 * `default` may be a glob (fnmatch) on the file id. */
int bls_loader_parse(const char *path, const char *buf, size_t len,
		     const struct cfg_io *io, struct menu *out);

/* sd-boot's case-insensitive fnmatch-style glob, bounded in time. */
int bls_glob_match(const char *glob, const char *s);

/* rpm-style version comparison (rpmvercmp), as blscfg uses: <0, 0, >0. */
int bls_vercmp(const char *a, const char *b);

#endif
