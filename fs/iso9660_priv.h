/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-only ISO 9660 with Rock Ridge and Joliet: what iso9660.c (volume
 * descriptors, mount), iso9660_dir.c (directory records, names, lookup,
 * file data) and iso9660_susp.c (SUSP / Rock Ridge entries) share.
 *
 * Nodes: a directory is its extent (ino = volume byte offset, size = data
 * length).  A file or symlink also keeps where its directory record is
 * (aux low bits), so that multi-extent files and SL entries can be read
 * again; aux's top byte holds ISO_AUX_* flags.
 */
#ifndef PVBOOT_FS_ISO9660_PRIV_H
#define PVBOOT_FS_ISO9660_PRIV_H

#include "fs/fs.h"

#include <stddef.h>
#include <stdint.h>

#define ISO_SECTOR 2048u          /* directory records never cross these */
#define ISO_REC_MIN 33u           /* fixed part of a directory record */
#define ISO_AUX_SHIFT 56
#define ISO_AUX_POS_MASK ((1ull << ISO_AUX_SHIFT) - 1)
#define ISO_AUX_REC (1ull << 56)         /* aux holds a record position */
#define ISO_AUX_MULTI (1ull << 57)       /* multi-extent file */
#define ISO_AUX_INTERLEAVED (1ull << 58) /* interleaved: not supported */

/* record flags */
#define ISO_FLAG_HIDDEN 0x01
#define ISO_FLAG_DIR 0x02
#define ISO_FLAG_ASSOC 0x04
#define ISO_FLAG_MULTI 0x80

struct iso_fs {
	struct fs base;      /* must be first */
	uint32_t block;      /* logical block size */
	uint64_t vol_bytes;  /* volume space size in bytes */
	uint64_t root_off;   /* root directory of the tree in use */
	uint64_t root_size;
	uint32_t root_mode;
	int joliet;          /* names are Joliet UCS-2 */
	int susp;            /* Rock Ridge / SUSP entries are read */
	unsigned susp_skip;  /* SP len_skp */
};

#define ISO(fs) ((struct iso_fs *)(fs))

/* What the SUSP entries of one record say (iso9660_susp.c). */
struct iso_rr {
	char name[256];      /* NM, at most PV_NAME_MAX bytes */
	size_t namelen;
	int has_name;
	uint32_t mode;       /* PX mode, 0 if none */
	int relocated;       /* RE: hidden (the real entry is the CL link) */
	/* SL target, collected only when sl is set */
	char *sl;
	size_t slcap, sllen;
	int has_sl, sl_cont;
};

/* Parse the system use area su[0..len) and its continuation areas. */
int iso_susp_parse(struct iso_fs *f, const uint8_t *su, size_t len,
		   struct iso_rr *rr);
/* Is su an SP entry ("SP", 7, 1, BE EF, len_skp)?  Sets *skip. */
int iso_susp_sp(const uint8_t *su, size_t len, unsigned *skip);

/* iso9660_dir.c */
int iso_lookup(struct fs *fs, const struct fs_node *dir, const char *name,
	       size_t namelen, struct fs_node *out);
int iso_readdir(struct fs *fs, const struct fs_node *dir, fs_dirent_cb cb,
		void *ctx);
long iso_read(struct fs *fs, const struct fs_node *n, uint64_t off, void *buf,
	      size_t len);
int iso_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		void *ctx);
int iso_readlink(struct fs *fs, const struct fs_node *n, char *buf,
		 size_t bufsz);

static inline uint32_t iso_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint32_t iso_le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

#endif
