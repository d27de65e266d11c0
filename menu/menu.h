/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The menu model every config parser produces, and selection.
 * Parsers do no I/O of their own: they get (path, bytes) and, for the few
 * commands that need the guest filesystem (GRUB's `source`, `load_env`,
 * `[ -f ]`, `search`, `blscfg`; extlinux INCLUDE), a table of callbacks
 * (struct cfg_io) that the run passes in.  menu/ includes nothing from fs/
 * or partition/.
 */
#ifndef PVBOOT_MENU_MENU_H
#define PVBOOT_MENU_MENU_H

#include <stddef.h>
#include <stdint.h>

#include "common/pvlimits.h"

enum entry_kind {
	ENTRY_LINUX,   /* a bootable PV kernel (linux/linux16/kernel/...) */
	ENTRY_SUBMENU, /* a submenu: see sub */
	ENTRY_NOT_PV   /* listed but not bootable here: multiboot, chainloader,
			  EFI-only...; note says why */
};

struct menu;
struct menu_env_save;

/* A byte range of a file to boot instead of the whole file: the sections
 * of a Unified Kernel Image.  len 0 = the whole file. */
struct file_part {
	uint64_t off, len;
	char name[9];       /* the section's name, for messages: ".linux" */
};

struct menu_entry {
	enum entry_kind kind;
	char *title;
	char *id;           /* --id, BLS file name without .conf, LABEL; or NULL */
	char *kernel;       /* path in the guest, device prefix removed; or NULL */
	char *kernel_dev;   /* GRUB device the path is on ("hd0,gpt2"), or NULL
			       for the filesystem holding the config */
	char *initrd[PV_MAX_INITRDS]; /* paths, loaded in order, concatenated */
	char *initrd_dev[PV_MAX_INITRDS];
	size_t ninitrd;
	char *args;         /* the kernel command line as the bootloader builds it */
	char *root;         /* GRUB/legacy root device text, for --list-entries */
	char *note;         /* why this entry cannot boot here (ENTRY_NOT_PV) */
	struct menu *sub;   /* ENTRY_SUBMENU */
	/* save_env commands the body runs when GRUB boots it (savedefault):
	 * replayed for the chosen entry only (menu/envsave.h) */
	struct menu_env_save *saves;
	size_t nsaves;
	struct file_part kernel_part;              /* UKI: .linux */
	/* UKI: .ucode, .initrd; PV_MAX_INITRDS of them when set, NULL for
	 * every other entry (a 1,000-entry menu is then 500 KiB smaller,
	 * pages a paravirtualised worker faults in at 10 us each) */
	struct file_part *initrd_part;
	/* Who may boot it from the interactive menu (menu/auth.h): GRUB 2's
	 * --users list (NULL: none given) and --unrestricted; GRUB legacy's
	 * `lock` */
	char *users;
	int unrestricted;
	int locked;
	/* GRUB legacy's `password [--md5] PASSWD` inside the entry, the whole
	 * line as written: booting it from the menu asks for that password
	 * (menu/auth.h); NULL when the entry has none */
	char *password;
};

/* A GRUB 2 `password USER PLAIN` or `password_pbkdf2 USER HASH` line, kept
 * as written (checked only when somebody logs in: menu/auth.h). */
struct menu_user {
	char *name;
	char *secret;
	int pbkdf2;
};

struct menu {
	struct menu_entry *e;
	size_t n, cap;
	char *default_spec;  /* raw default: "0", "1>0", a title, an id, NULL */
	char *fallback;      /* GRUB fallback, or NULL */
	int timeout;         /* seconds; -1 = wait forever / unset */
	int hidden;          /* hiddenmenu / timeout_style=hidden */
	char *password;      /* GRUB legacy's password line, after the command
				"[--md5] PASSWD [FILE]" (menu/auth.h) */
	/* GRUB 2 menu security, on the top menu only: $superusers as the
	 * script left it (NULL: unset, nothing locked) and the users */
	char *superusers;
	struct menu_user *users;
	size_t nusers;
	const char *format;  /* "grub2", "grub-legacy", "extlinux", "bls", "lilo" */
};

/* Filesystem access for parsers.  dev is a GRUB device name ("hd0,msdos1")
 * or NULL for the filesystem holding the config.  All callbacks may be NULL
 * (--isconfig, unit tests): the command then behaves as "not found". */
/* What the config parsers may spend in one run: shared by the configs of
 * every volume, so a disk with many volumes pointing at one hostile config
 * cannot multiply the limits.  exhausted stays set once a limit is hit. */
struct cfg_budget {
	unsigned long steps;  /* GRUB commands run, against PV_MAX_STEPS */
	int files;            /* config files read, against PV_MAX_CONFIG_FILES */
	uint64_t bytes;       /* bytes read, against PV_MAX_CONFIG_BYTES_READ */
	int exhausted;
};

struct cfg_io {
	void *ctx;
	/* Read a whole regular file (capped at PV_MAX_CONFIG_SIZE) into a
	 * malloc'd NUL-terminated buffer. 0, PV_ENOENT, or an error. */
	int (*read_file)(void *ctx, const char *dev, const char *path,
			 char **buf, size_t *len);
	/* 0 and type ('f' regular, 'd' directory, 'l' other) and size, or
	 * PV_ENOENT. */
	int (*stat)(void *ctx, const char *dev, const char *path, char *type,
		    uint64_t *size);
	/* Call cb for each name in a directory (sorted by the caller). */
	int (*list_dir)(void *ctx, const char *dev, const char *path,
			int (*cb)(void *cbctx, const char *name), void *cbctx);
	/* GRUB search: how = "fs-uuid", "label" or "file"; writes the device
	 * name of the first match into dev_out.  0 or PV_ENOENT. */
	int (*search)(void *ctx, const char *how, const char *value,
		      char *dev_out, size_t dev_out_sz);
	/* The device holding the config ("hd0,gpt2"), for $root. */
	const char *config_dev;
	/* GRUB's environment files (load_env/save_env), issue 15.  env_read:
	 * the block as this run sees it (what an earlier save_env stored,
	 * else the file), same contract as read_file.  env_write: GRUB's
	 * save_env write of the whole block (same size): 0, or a negative
	 * code with a message when GRUB would refuse to write the file (not
	 * a plain file mapped 1:1 to disk sectors).  Both may be NULL. */
	int (*env_read)(void *ctx, const char *dev, const char *path,
			char **buf, size_t *len);
	int (*env_write)(void *ctx, const char *dev, const char *path,
			 const char *buf, size_t len);
	/* The run's budget (NULL: each parse has its own). */
	struct cfg_budget *budget;
};

/* --- the model --- */
void menu_init(struct menu *m, const char *format);
void menu_free(struct menu *m);
/* Append a zeroed entry; NULL (and an error recorded) past PV_MAX_ENTRIES. */
struct menu_entry *menu_add(struct menu *m);
/* Add an initrd path (copied); PV_ELIMIT past PV_MAX_INITRDS. */
int entry_add_initrd(struct menu_entry *e, const char *path, const char *dev);
/* Replace *field with a copy of s (NULL allowed). 0 or PV_ENOMEM. */
int menu_set(char **field, const char *s);

/* --- parsers: 0 or a negative code with a message "path:line: ..." --- */
int grub2_parse(const char *path, const char *buf, size_t len,
		const struct cfg_io *io, struct menu *out);
int grub_legacy_parse(const char *path, const char *buf, size_t len,
		      const struct cfg_io *io, struct menu *out);
int extlinux_parse(const char *path, const char *buf, size_t len,
		   const struct cfg_io *io, struct menu *out);
int lilo_parse(const char *path, const char *buf, size_t len,
	       const struct cfg_io *io, struct menu *out);

/* The config files looked for, in pygrub's order, with their parser. */
struct cfg_candidate {
	const char *path;
	int (*parse)(const char *path, const char *buf, size_t len,
		     const struct cfg_io *io, struct menu *out);
	const char *format;
};
extern const struct cfg_candidate cfg_candidates[];
extern const size_t cfg_ncandidates;
/* Guess the parser for a config given as a file (--isconfig) from its
 * name and content. */
const struct cfg_candidate *cfg_detect(const char *path, const char *buf,
				       size_t len);

/* --- selection --- */
/*
 * Pick the entry to boot.  want is --entry (index, title, id, or an
 * "a>b" path; NULL = the menu's default).  An --entry that names nothing,
 * or names an entry that cannot boot, is an error; a default that names
 * nothing falls back to the first bootable entry with a warning.
 * *out points into m.  path_out (optional) receives e.g. "1>0".
 */
int menu_select(const struct menu *m, const char *want,
		const struct menu_entry **out, char *path_out,
		size_t path_out_sz);

#endif
