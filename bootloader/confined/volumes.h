/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The volumes of one run: discovery, lazy mounting (each volume once), the
 * GRUB device name of each ("hd0,msdos1", "hd0,gpt2", "hd0"), and the
 * diagnosis of every rejected candidate for the "no /boot found" message.
 */
#ifndef PVBOOT_BOOTLOADER_VOLUMES_H
#define PVBOOT_BOOTLOADER_VOLUMES_H

#include "bootloader/wire/blob.h"
#include "fs/fs.h"
#include "menu/menu.h"
#include "partition/partition.h"

struct env_store;

struct vol_state {
	int mounted;       /* 1 mounted, -1 failed, 0 not tried */
	int mount_rc;
	struct fs *fs;
	char dev[32];      /* GRUB device name */
	char diag[512];    /* why this volume did not boot */
};

struct run_ctx {
	struct disk *disk;
	struct part_list parts;
	struct vol_state vs[PV_MAX_PROBED_VOLUMES];
	size_t n;
	/* for cfg_io: the volume holding the config being parsed */
	size_t cfg_vol;
	char cfg_path[PV_PATH_MAX];
	/* GRUB environment files changed by save_env (envstore.h) */
	struct env_store *env;
	/* what the config parsers spend, for the whole run (all volumes) */
	struct cfg_budget budget;
};

int vols_discover(struct run_ctx *rc, struct disk *d, int have_offset,
		  uint64_t offset);
void vols_free(struct run_ctx *rc);
/* Mount volume vi once; 0 or the (remembered) error, diag set. */
int vols_mount(struct run_ctx *rc, size_t vi);
/* "p2 100MiB@2MiB Linux filesystem" */
const char *vols_label(struct run_ctx *rc, size_t vi);
void vols_diag(struct run_ctx *rc, size_t vi, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix the recorded error with the volume ("p2 (ext4)"). */
void vols_ctx(struct run_ctx *rc, size_t vi);
/* Record the "WHAT: p1 ...: why; p2 ...: why" error naming every volume
 * and, with list_configs, the config files looked for. */
void vols_no_boot(struct run_ctx *rc, const char *what, int list_configs);
/* The volume a GRUB device name refers to (NULL dev = cur); -1 if none. */
long vols_by_dev(struct run_ctx *rc, const char *dev, size_t cur);

/* Read a config file (regular file, capped): 0, PV_ENOENT (also for a
 * directory or a symlink loop: security.md C19), or an error. */
int vols_read_config(struct run_ctx *rc, size_t vi, const char *path,
		     char **buf, size_t *len);
/* Count len config bytes read against the run's budget: 0, or PV_ELIMIT
 * (recorded, and rc->budget.exhausted set for good). */
int vols_budget_bytes(struct run_ctx *rc, size_t len);
/* The cfg_io a parser gets for a config on volume vi. */
void vols_io(struct run_ctx *rc, size_t vi, const char *cfg_path,
	     struct cfg_io *io);

/* Does path exist as a regular file (with the /boot fallback)? */
int vols_has_file(struct run_ctx *rc, size_t vi, const char *dev,
		  const char *path);
/* Append the file at path (on dev, or volume vi) to blob, trying
 * path, then without a leading /boot (separate /boot partition), then with
 * /boot added.  used receives the path that was found. */
int vols_file_blob(struct run_ctx *rc, size_t vi, const char *dev,
		   const char *path, uint64_t max, struct blob *b, char *used,
		   size_t usedsz);
/* The same for a part of the file (a UKI section; part NULL or len 0 =
 * the whole file): only the disk ranges inside the part. */
int vols_file_part_blob(struct run_ctx *rc, size_t vi, const char *dev,
			const char *path, const struct file_part *part,
			uint64_t max, struct blob *b, char *used,
			size_t usedsz);
/* Read len bytes at off of a guest file (UKI headers and text sections):
 * 0, or an error; a read past the end is PV_ECORRUPT. */
int vols_read_at(struct run_ctx *rc, size_t vi, const char *path,
		 uint64_t off, void *buf, size_t len, uint64_t *file_size);

#endif
