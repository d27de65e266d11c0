/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-only ISO 9660 (CD/DVD images, hybrid ISOs written to a disk): the
 * volume descriptor set from sector 16 (at most PV_MAX_ISO_DESCRIPTORS,
 * stopping at the terminator), the primary descriptor checked before
 * anything trusts it, the choice of directory tree, mount, uuid/label and
 * the ops table.
 *
 * Tree and names: Rock Ridge (an SP entry in the primary root's "."
 * record) wins; otherwise a Joliet supplementary descriptor (escape
 * sequence %/@, %/C or %/E) provides the tree; otherwise plain ISO names.
 * Probe: "CD001" at byte 32769 (sector 16, 2048-byte sectors).
 */
#include "fs/iso9660_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VD_START 16
#define VD_PRIMARY 1
#define VD_SUPPLEMENTARY 2
#define VD_TERMINATOR 255

extern const struct fs_ops iso9660_fs_ops;

static int corrupt(const char *what)
{
	return pv_err(PV_ECORRUPT, "iso9660: %s", what);
}

static int iso_probe(struct volume *v)
{
	uint8_t b[8];

	if (v->length < (VD_START + 1) * (uint64_t)ISO_SECTOR ||
	    vol_read(v, VD_START * (uint64_t)ISO_SECTOR, b, sizeof(b)) < 0)
		return PV_ENOTMINE;
	return memcmp(b + 1, "CD001", 5) == 0 ? 0 : PV_ENOTMINE;
}

static int is_joliet(const uint8_t *d)
{
	if (d[7] & 1) /* volume flags: escape sequences not all registered */
		return 0;
	return d[88] == '%' && d[89] == '/' &&
	       (d[90] == '@' || d[90] == 'C' || d[90] == 'E');
}

/* The root directory record (34 bytes at 156) of a descriptor. */
static int root_record(struct iso_fs *f, const uint8_t *d, uint64_t *off,
		       uint64_t *size)
{
	const uint8_t *r = d + 156;
	uint64_t ext = (uint64_t)iso_le32(r + 2) + r[1];

	if (r[0] < 34 || !(r[25] & ISO_FLAG_DIR))
		return corrupt("volume descriptor: bad root directory record");
	*off = ext * f->block;
	*size = iso_le32(r + 10);
	if (*size == 0 || *off > f->vol_bytes || *size > f->vol_bytes - *off)
		return corrupt("volume descriptor: root directory outside the volume");
	return 0;
}

/* Does the primary tree's root "." record start with an SP entry? */
static int detect_susp(struct iso_fs *f)
{
	uint8_t s[ISO_SECTOR];
	size_t len, nl, su;
	int r;

	r = vol_read(f->base.vol, f->root_off, s, sizeof(s));
	if (r < 0)
		return pv_err(PV_EIO, "iso9660: root directory unreadable");
	len = s[0];
	nl = s[32];
	if (len < ISO_REC_MIN || ISO_REC_MIN + nl > len)
		return corrupt("directory record: root \".\" record is broken");
	su = ISO_REC_MIN + nl + !(nl & 1);
	if (su < len && iso_susp_sp(s + su, len - su, &f->susp_skip))
		f->susp = 1;
	return 0;
}

static void set_uuid_label(struct iso_fs *f, const uint8_t *pvd)
{
	const uint8_t *m = pvd + 830; /* modification date "YYYYMMDDHHMMSSCC" */
	int i, zero = 1, digits = 1;
	size_t n = 32;

	for (i = 0; i < 16; i++) {
		zero &= m[i] == 0;
		digits &= m[i] >= '0' && m[i] <= '9';
	}
	/* GRUB's --fs-uuid for ISO 9660; none when the date is unset */
	if (!zero && digits)
		snprintf(f->base.uuid, sizeof(f->base.uuid),
			 "%.4s-%.2s-%.2s-%.2s-%.2s-%.2s-%.2s", m, m + 4, m + 6,
			 m + 8, m + 10, m + 12, m + 14);
	while (n && (pvd[40 + n - 1] == ' ' || pvd[40 + n - 1] == '\0'))
		n--;
	for (i = 0; i < (int)n; i++) {
		uint8_t c = pvd[40 + i];

		f->base.label[i] = (c < 0x20 || c >= 0x7F) ? '_' : (char)c;
	}
	f->base.label[n] = '\0';
}

static int iso_mount(struct volume *v, struct fs **out)
{
	uint8_t *d, *pvd, *svd;
	struct iso_fs *f;
	int i, r = 0, have_pvd = 0, have_svd = 0;

	*out = NULL;
	if (iso_probe(v) < 0)
		return PV_ENOTMINE;
	f = calloc(1, sizeof(*f));
	d = malloc(3 * ISO_SECTOR);
	if (!f || !d) {
		free(f);
		free(d);
		return pv_err(PV_ENOMEM, "iso9660: out of memory");
	}
	pvd = d + ISO_SECTOR;
	svd = d + 2 * ISO_SECTOR;
	f->base.ops = &iso9660_fs_ops;
	f->base.vol = v;
	for (i = 0; i < PV_MAX_ISO_DESCRIPTORS; i++) {
		uint64_t off = (uint64_t)(VD_START + i) * ISO_SECTOR;

		if (off + ISO_SECTOR > v->length ||
		    vol_read(v, off, d, ISO_SECTOR) < 0) {
			r = corrupt("volume descriptor set: runs past the volume");
			goto fail;
		}
		if (memcmp(d + 1, "CD001", 5) != 0) {
			r = corrupt("volume descriptor set: bad identifier");
			goto fail;
		}
		if (d[0] == VD_TERMINATOR)
			break;
		if (d[0] == VD_PRIMARY && !have_pvd) {
			memcpy(pvd, d, ISO_SECTOR);
			have_pvd = 1;
		} else if (d[0] == VD_SUPPLEMENTARY && !have_svd && is_joliet(d)) {
			memcpy(svd, d, ISO_SECTOR);
			have_svd = 1;
		}
	}
	if (!have_pvd) {
		r = corrupt("volume descriptor set: no primary volume descriptor");
		goto fail;
	}
	f->block = iso_le16(pvd + 128);
	if (f->block != 512 && f->block != 1024 && f->block != 2048) {
		r = corrupt("primary volume descriptor: logical block size not 512, 1024 or 2048");
		goto fail;
	}
	f->vol_bytes = (uint64_t)iso_le32(pvd + 80) * f->block;
	if (f->vol_bytes < (VD_START + 2) * (uint64_t)ISO_SECTOR) {
		r = corrupt("primary volume descriptor: volume too small");
		goto fail;
	}
	if (f->vol_bytes > v->length) {
		r = corrupt("primary volume descriptor: volume larger than its partition or disk");
		goto fail;
	}
	if ((r = root_record(f, pvd, &f->root_off, &f->root_size)) < 0)
		goto fail;
	if ((r = detect_susp(f)) < 0)
		goto fail;
	if (!f->susp && have_svd) {
		if (iso_le16(svd + 128) != f->block) {
			r = corrupt("Joliet volume descriptor: block size differs");
			goto fail;
		}
		if ((r = root_record(f, svd, &f->root_off, &f->root_size)) < 0)
			goto fail;
		f->joliet = 1;
	}
	f->root_mode = S_IFDIR | 0755;
	set_uuid_label(f, pvd);
	free(d);
	*out = &f->base;
	return 0;
fail:
	free(d);
	free(f);
	return r;
}

static int iso_root(struct fs *fs, struct fs_node *out)
{
	struct iso_fs *f = ISO(fs);

	memset(out, 0, sizeof(*out));
	out->ino = f->root_off;
	out->size = f->root_size;
	out->mode = f->root_mode;
	return 0;
}

static void iso_unmount(struct fs *fs)
{
	free(fs);
}

const struct fs_ops iso9660_fs_ops = {
	.name = "iso9660",
	.probe = iso_probe,
	.mount = iso_mount,
	.root = iso_root,
	.lookup = iso_lookup,
	.read = iso_read,
	.readlink = iso_readlink,
	.readdir = iso_readdir,
	.extents = iso_extents,
	.unmount = iso_unmount,
};
