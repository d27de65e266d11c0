/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-only FAT12/16/32 (an EFI system partition, a syslinux partition):
 * the boot sector, checked field by field before anything trusts it, mount,
 * uuid/label and the ops table.  Chains live in fat_chain.c, directories in
 * fat_dir.c.
 *
 * Probe: a FAT boot sector has no real magic, so "mine" needs a jump
 * instruction (0xEB xx or 0xE9 xx xx), the 0x55AA signature and a sane BPB
 * (sector size, cluster size, reserved sectors, FAT count, media byte) --
 * an MBR (GRUB's boot.img starts with 0xEB too, but its BPB is zeroed) or
 * an ext superblock fails there -- plus either a "FAT" type string or a
 * BPB whose geometry is fully consistent.  Past the probe, every
 * inconsistency is PV_ECORRUPT.
 *
 * FAT type: the BPB layout picks FAT32 (16-bit FAT size 0, no fixed root
 * directory), as Linux does; otherwise the cluster count decides between
 * FAT12 (< 4085) and FAT16 (< 65525), as Microsoft's specification says.
 */
#include "fs/fat_priv.h"
#include "common/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAT12_MAX_CLUSTERS 4084u
#define FAT16_MAX_CLUSTERS 65524u
#define FAT32_MAX_CLUSTERS 0x0FFFFFF5u /* 0x0FFFFFF7 is "bad", 0..1 reserved */

/* The boot sector fields we use, in host order. */
struct bpb {
	uint32_t bps, spc, reserved, nfats, root_entries, media;
	uint32_t total, fatsz, fatsz16;
	uint32_t root_cluster, ext_flags;
	uint32_t serial;
	const uint8_t *label, *type;
};

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static void parse_bpb(const uint8_t *s, struct bpb *b)
{
	uint32_t t16 = le16(s + 19);

	memset(b, 0, sizeof(*b));
	b->bps = le16(s + 11);
	b->spc = s[13];
	b->reserved = le16(s + 14);
	b->nfats = s[16];
	b->root_entries = le16(s + 17);
	b->total = t16 ? t16 : le32(s + 32);
	b->media = s[21];
	b->fatsz16 = le16(s + 22);
	if (b->fatsz16) {
		b->fatsz = b->fatsz16;
		b->serial = le32(s + 39);
		b->label = s + 43;
		b->type = s + 54;
	} else {
		b->fatsz = le32(s + 36);
		b->ext_flags = le16(s + 40);
		b->root_cluster = le32(s + 44);
		b->serial = le32(s + 67);
		b->label = s + 71;
		b->type = s + 82;
	}
}

/* The part of the BPB that even the probe insists on. */
static const char *bpb_sane(const uint8_t *s, const struct bpb *b)
{
	if (!(s[0] == 0xEB || s[0] == 0xE9))
		return "no jump instruction";
	if (s[510] != 0x55 || s[511] != 0xAA)
		return "no 0x55AA signature";
	if (b->bps < 512 || b->bps > 4096 || !is_pow2(b->bps))
		return "bytes per sector not a power of two in 512..4096";
	if (!is_pow2(b->spc))
		return "sectors per cluster not a power of two";
	if (b->reserved == 0)
		return "no reserved sectors";
	if (b->nfats < 1 || b->nfats > 2)
		return "FAT count not 1 or 2";
	if (b->media != 0xF0 && b->media < 0xF8)
		return "bad media byte";
	return NULL;
}

/* Full geometry; fills f on success, NULL or what is wrong. */
static const char *bpb_geometry(const struct bpb *b, uint64_t vol_len,
				struct fat_fs *f)
{
	uint64_t bps = b->bps, root_secs, meta, data_secs, clusters, need;
	unsigned active = 0;

	if (b->total == 0)
		return "total sector count is 0";
	if ((uint64_t)b->total * bps > vol_len)
		return "filesystem larger than its volume";
	if (b->fatsz == 0)
		return "FAT size is 0";
	if (b->fatsz16 == 0) {
		if (b->root_entries != 0)
			return "FAT32 with a fixed root directory";
	} else if (b->root_entries == 0) {
		return "FAT12/16 without root directory entries";
	}
	root_secs = ((uint64_t)b->root_entries * FAT_DIRENT_SIZE + bps - 1) / bps;
	meta = b->reserved + (uint64_t)b->nfats * b->fatsz + root_secs;
	if (meta >= b->total)
		return "no room for data after the FATs";
	data_secs = b->total - meta;
	clusters = data_secs / b->spc;
	if (clusters == 0)
		return "no data clusters";
	if (b->fatsz16 == 0) {
		f->bits = 32;
		if (clusters > FAT32_MAX_CLUSTERS)
			return "too many clusters for FAT32";
		need = (clusters + 2) * 4;
		if (b->root_cluster < 2 || b->root_cluster > clusters + 1)
			return "FAT32 root cluster out of range";
		if (b->ext_flags & 0x80) /* mirroring off: one active FAT */
			active = b->ext_flags & 0x0F;
		if (active >= b->nfats)
			return "active FAT beyond the FAT count";
	} else if (clusters <= FAT12_MAX_CLUSTERS) {
		f->bits = 12;
		need = ((clusters + 2) * 3 + 1) / 2;
	} else if (clusters <= FAT16_MAX_CLUSTERS) {
		f->bits = 16;
		need = (clusters + 2) * 2;
	} else {
		return "too many clusters for FAT16";
	}
	if ((uint64_t)b->fatsz * bps < need)
		return "FAT too small for the cluster count";
	f->bytes_per_sector = b->bps;
	f->cluster_size = b->bps * b->spc;
	if (f->cluster_size > (1u << 21))
		return "cluster larger than 2 MiB";
	f->clusters = (uint32_t)clusters;
	f->fat_off = (b->reserved + (uint64_t)active * b->fatsz) * bps;
	f->fat_bytes = need;
	f->root_off = (b->reserved + (uint64_t)b->nfats * b->fatsz) * bps;
	f->root_bytes = (uint32_t)(root_secs * bps);
	f->root_cluster = b->root_cluster;
	f->data_off = meta * bps;
	return NULL;
}

static int read_boot(struct volume *v, uint8_t *s)
{
	if (v->length < 512 || vol_read(v, 0, s, 512) < 0)
		return PV_ENOTMINE;
	return 0;
}

static int fat_root(struct fs *fs, struct fs_node *out);
extern const struct fs_ops fat_fs_ops;

static int fat_probe(struct volume *v)
{
	uint8_t s[512];
	struct bpb b;
	struct fat_fs tmp;

	if (read_boot(v, s) < 0)
		return PV_ENOTMINE;
	parse_bpb(s, &b);
	if (bpb_sane(s, &b))
		return PV_ENOTMINE;
	if (memcmp(b.type, "FAT", 3) == 0)
		return 0;
	memset(&tmp, 0, sizeof(tmp));
	return bpb_geometry(&b, v->length, &tmp) ? PV_ENOTMINE : 0;
}

/* Eleven space-padded bytes, trimmed; "NO NAME" means none. */
static void set_label(char *dst, size_t dstsz, const uint8_t *src)
{
	size_t n = 11, i;

	while (n && (src[n - 1] == ' ' || src[n - 1] == '\0'))
		n--;
	if (n >= dstsz)
		n = dstsz - 1;
	for (i = 0; i < n; i++)
		dst[i] = (src[i] < 0x20 || src[i] >= 0x7F) ? '_' : (char)src[i];
	dst[n] = '\0';
	if (strcmp(dst, "NO NAME") == 0)
		dst[0] = '\0';
}

static int fat_mount(struct volume *v, struct fs **out)
{
	uint8_t s[512];
	struct bpb b;
	struct fat_fs *f;
	struct fs_node root;
	const char *why;
	int r;

	*out = NULL;
	if (read_boot(v, s) < 0)
		return PV_ENOTMINE;
	parse_bpb(s, &b);
	if (bpb_sane(s, &b))
		return PV_ENOTMINE;
	f = calloc(1, sizeof(*f));
	if (!f)
		return pv_err(PV_ENOMEM, "fat: out of memory");
	f->base.ops = &fat_fs_ops;
	f->base.vol = v;
	why = bpb_geometry(&b, v->length, f);
	if (why) {
		free(f);
		return pv_err(PV_ECORRUPT, "fat: boot sector: %s", why);
	}
	f->win = malloc(FAT_WIN_BYTES);
	if (!f->win) {
		free(f);
		return pv_err(PV_ENOMEM, "fat: out of memory");
	}
	/* GRUB prints the volume serial as XXXX-XXXX, upper-case hex */
	snprintf(f->base.uuid, sizeof(f->base.uuid), "%04X-%04X",
		 (unsigned)(b.serial >> 16), (unsigned)(b.serial & 0xFFFF));
	/* GRUB reads the label from the root directory; the boot sector's
	 * copy is the fallback */
	fat_root(&f->base, &root);
	r = fat_root_label(f, &root, f->base.label, sizeof(f->base.label));
	if (r < 0) {
		fat_map_free(&f->map);
		free(f->win);
		free(f);
		return r;
	}
	if (!f->base.label[0])
		set_label(f->base.label, sizeof(f->base.label), b.label);
	*out = &f->base;
	return 0;
}

static int fat_root(struct fs *fs, struct fs_node *out)
{
	struct fat_fs *f = FAT(fs);

	memset(out, 0, sizeof(*out));
	out->mode = S_IFDIR | 0755;
	if (f->bits == 32) {
		out->ino = f->root_cluster;
	} else {
		out->aux = FAT_AUX_FIXED_ROOT;
		out->size = f->root_bytes;
	}
	return 0;
}

static int fat_readlink(struct fs *fs, const struct fs_node *n, char *buf,
			size_t bufsz)
{
	(void)fs;
	(void)n;
	(void)buf;
	(void)bufsz;
	return pv_err(PV_ENOTSUP, "fat: no symbolic links on FAT");
}

static const char *fat_variant(struct fs *fs)
{
	switch (FAT(fs)->bits) {
	case 12:
		return "fat12";
	case 16:
		return "fat16";
	default:
		return "fat32";
	}
}

static void fat_unmount(struct fs *fs)
{
	struct fat_fs *f = FAT(fs);

	if (!fs)
		return;
	fat_map_free(&f->map);
	free(f->win);
	free(f);
}

const struct fs_ops fat_fs_ops = {
	.name = "fat",
	.probe = fat_probe,
	.mount = fat_mount,
	.root = fat_root,
	.lookup = fat_lookup,
	.read = fat_read,
	.readlink = fat_readlink,
	.readdir = fat_readdir,
	.extents = fat_extents,
	.variant = fat_variant,
	.unmount = fat_unmount,
};
