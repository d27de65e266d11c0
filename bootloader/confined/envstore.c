/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB environment files as one run sees them (see envstore.h). */
#include "bootloader/confined/envstore.h"
#include "common/err.h"
#include "partition/vdisk.h"
#include "common/pvlimits.h"
#include "fs/path.h"

#include <stdlib.h>
#include <string.h>

#define SECTOR 512u
/* The store's inode key for a GRUB blocklist "(dev)N+M" (no inode). */
#define BLOCKLIST_INO UINT64_MAX

/*
 * A GRUB blocklist path, "N+M" or "+M": M sectors from sector N of the
 * device (openSUSE keeps its btrfs environment block at "512+1", the
 * reserved area before the first superblock, named by grubenv's
 * env_block= key).  1 with *off and *len in bytes, or 0 when path is not one.
 * Only the one-range form is accepted; it is capped at
 * PV_MAX_ENVBLK_WRITE.
 */
static int blocklist(const char *path, uint64_t *off, uint64_t *len)
{
	uint64_t n = 0, m = 0;
	const char *p = path;
	int digits = 0;

	for (; *p >= '0' && *p <= '9' && digits < 12; p++, digits++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (*p++ != '+')
		return 0;
	for (digits = 0; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
		m = m * 10 + (uint64_t)(*p - '0');
	if (*p || digits == 0 || m == 0 || m * SECTOR > PV_MAX_ENVBLK_WRITE)
		return 0;
	*off = n * SECTOR;
	*len = m * SECTOR;
	return 1;
}

/* The volume a blocklist on dev refers to, its range checked. */
static int find_blocks(struct run_ctx *rc, const char *dev, uint64_t off,
		       uint64_t len, size_t *vi)
{
	long v = vols_by_dev(rc, dev, rc->cfg_vol);
	const struct volume *vol;

	if (v < 0)
		return pv_err(PV_ENOENT, "no device %s", dev ? dev : "");
	vol = &rc->parts.v[v];
	if (off > vol->length || len > vol->length - off)
		return pv_err(PV_ENOENT, "blocklist outside the device");
	*vi = (size_t)v;
	return 0;
}

struct env_file {
	size_t vol;
	uint64_t ino, aux;
	char *orig;            /* the file's bytes on disk */
	char *cur;             /* as the last save_env left it */
	size_t len;
	uint32_t nranges;
	struct env_range ranges[PV_MAX_ENV_RANGES];
};

struct env_store {
	struct env_file f[PV_MAX_ENV_FILES];
	size_t n;
};

void envstore_reset(struct run_ctx *rc)
{
	size_t i;

	if (!rc->env)
		return;
	for (i = 0; i < rc->env->n; i++) {
		free(rc->env->f[i].orig);
		free(rc->env->f[i].cur);
	}
	free(rc->env);
	rc->env = NULL;
}

/* The volume, filesystem and regular file at dev:path. */
static int find(struct run_ctx *rc, const char *dev, const char *path,
		size_t *vi, struct fs_node *n)
{
	long v = vols_by_dev(rc, dev, rc->cfg_vol);

	if (v < 0 || vols_mount(rc, (size_t)v) < 0)
		return pv_err(PV_ENOENT, "no filesystem on device %s",
			      dev ? dev : "(config)");
	*vi = (size_t)v;
	return fs_resolve_file(rc->vs[v].fs, path, n);
}

static struct env_file *lookup(struct run_ctx *rc, size_t vi,
			       const struct fs_node *n)
{
	size_t i;

	for (i = 0; rc->env && i < rc->env->n; i++) {
		struct env_file *f = &rc->env->f[i];

		if (f->vol == vi && f->ino == n->ino && f->aux == n->aux)
			return f;
	}
	return NULL;
}

static int env_read(void *ctx, const char *dev, const char *path, char **buf,
		    size_t *len)
{
	struct run_ctx *rc = ctx;
	struct env_file *f;
	struct fs_node n;
	uint64_t boff, blen;
	size_t vi;
	int r;

	if (blocklist(path, &boff, &blen)) {
		if ((r = find_blocks(rc, dev, boff, blen, &vi)) < 0)
			return r;
		n.ino = BLOCKLIST_INO;
		n.aux = boff;
		f = lookup(rc, vi, &n);
		if (!f) {
			*buf = malloc(blen + 1);
			if (!*buf)
				return pv_err(PV_ENOMEM, "out of memory");
			r = vol_read(&rc->parts.v[vi], boff, *buf, blen);
			if (r < 0) {
				free(*buf);
				*buf = NULL;
				return r;
			}
			(*buf)[blen] = '\0';
			*len = blen;
			return 0;
		}
	} else {
		if ((r = find(rc, dev, path, &vi, &n)) < 0)
			return r;
		f = lookup(rc, vi, &n);
		if (!f)
			return fs_read_file(rc->vs[vi].fs, path,
					    PV_MAX_CONFIG_SIZE, buf, len);
	}
	*buf = malloc(f->len + 1);
	if (!*buf)
		return pv_err(PV_ENOMEM, "out of memory");
	memcpy(*buf, f->cur, f->len);
	(*buf)[f->len] = '\0';
	*len = f->len;
	return 0;
}

struct map_ctx {
	struct env_file *f;
	const struct volume *vol;
	uint64_t next;
	int refused;  /* take_range said why */
};

static int check_range(struct map_ctx *m, const struct fs_extent *e)
{
	struct env_file *f = m->f;
	const struct volume *v = m->vol;

	if (e->file_off != m->next || e->len == 0 || e->len > f->len - m->next)
		return pv_err(PV_ECORRUPT, "file map is inconsistent");
	if (e->zero) /* GRUB: "sparse file not allowed" */
		return pv_err(PV_ENOTSUP, "sparse file not allowed");
	if (e->disk_off % SECTOR)
		return pv_err(PV_ENOTSUP, "data not sector-aligned");
	if (e->disk_off < v->offset || e->disk_off - v->offset > v->length ||
	    e->len > v->length - (e->disk_off - v->offset))
		return pv_err(PV_ECORRUPT, "data lies outside its volume");
	/* a range that continues the last one is the same range */
	if (f->nranges && f->ranges[f->nranges - 1].disk_off +
				  f->ranges[f->nranges - 1].len == e->disk_off) {
		f->ranges[f->nranges - 1].len += e->len;
	} else {
		if (f->nranges >= PV_MAX_ENV_RANGES)
			return pv_err(PV_ENOTSUP, "in more than %d pieces",
				      PV_MAX_ENV_RANGES);
		if (f->nranges && f->ranges[f->nranges - 1].len % SECTOR)
			return pv_err(PV_ENOTSUP, "data not sector-aligned");
		f->ranges[f->nranges].disk_off = e->disk_off;
		f->ranges[f->nranges].len = e->len;
		f->nranges++;
	}
	m->next += e->len;
	return 0;
}

static int take_range(void *ctx, const struct fs_extent *e)
{
	struct map_ctx *m = ctx;
	int r = check_range(m, e);

	if (r < 0)
		m->refused = 1;
	return r;
}

/* Where GRUB's save_env would write: see envstore.h.  Fills f->ranges. */
static int map_file(struct run_ctx *rc, size_t vi, const struct fs_node *n,
		    struct env_file *f)
{
	struct fs *fs = rc->vs[vi].fs;
	struct map_ctx m = { f, fs->vol, 0, 0 };
	const char *type = fs->ops->name;
	uint32_t i, k;
	uint64_t off = 0;
	char *back;
	int r;

	if (!strcmp(type, "btrfs") || !strcmp(type, "iso9660"))
		return pv_err(PV_ENOTSUP, "GRUB does not write files on %s",
			      type);
	if (f->len > PV_MAX_ENVBLK_WRITE)
		return pv_err(PV_ENOTSUP, "larger than %u bytes",
			      PV_MAX_ENVBLK_WRITE);
	if (!fs->ops->extents)
		return pv_err(PV_ENOTSUP, "%s files cannot be mapped", type);
	r = fs->ops->extents(fs, n, take_range, &m);
	if (r == PV_ENOTSUP && !m.refused) /* inline, compressed, ... */
		r = pv_err(PV_ENOTSUP, "not plainly mapped to disk sectors");
	if (r < 0)
		return r;
	if (m.next != f->len)
		return pv_err(PV_ENOTSUP, "sparse file not allowed");
	for (i = 0; i < f->nranges; i++)
		for (k = i + 1; k < f->nranges; k++)
			if (f->ranges[i].disk_off <
				    f->ranges[k].disk_off + f->ranges[k].len &&
			    f->ranges[k].disk_off <
				    f->ranges[i].disk_off + f->ranges[i].len)
				return pv_err(PV_ECORRUPT, "malformed file");
	/* GRUB re-reads its blocklist and compares with the file */
	back = malloc(f->len ? f->len : 1);
	if (!back)
		return pv_err(PV_ENOMEM, "out of memory");
	for (i = 0; i < f->nranges && r == 0; i++) {
		r = disk_read(fs->vol->disk, f->ranges[i].disk_off, back + off,
			      (size_t)f->ranges[i].len);
		off += f->ranges[i].len;
	}
	if (r == 0 && memcmp(back, f->orig, f->len) != 0)
		r = pv_err(PV_ECORRUPT, "invalid blocklist");
	free(back);
	return r;
}

static int env_write(void *ctx, const char *dev, const char *path,
		     const char *buf, size_t len)
{
	struct run_ctx *rc = ctx;
	struct env_file *f, nf;
	struct fs_node n;
	size_t vi, olen = 0;
	uint64_t boff = 0, blen = 0;
	int r, blocks = blocklist(path, &boff, &blen);

	if (blocks) {
		if ((r = find_blocks(rc, dev, boff, blen, &vi)) < 0)
			return r;
		n.ino = BLOCKLIST_INO;
		n.aux = boff;
		n.size = blen;
	} else if ((r = find(rc, dev, path, &vi, &n)) < 0) {
		return r;
	}
	/* a qcow2/VHD file: its virtual sectors are not the file's bytes */
	/* an LV: its extents are not disk sectors until mapped, and GRUB's
	 * lvm module refuses to write there too */
	if (rc->parts.v[vi].nsegs)
		return pv_err(PV_ENOTSUP, "the file is on an LVM logical volume");
	if (rc->parts.v[vi].disk->vops)
		return pv_err(PV_ENOTSUP, "the disk is a %s image, written only by its own tools",
			      rc->parts.v[vi].disk->vops->name);
	f = lookup(rc, vi, &n);
	if (f) {
		if (len != f->len)
			return pv_err(PV_EINVAL, "block changed size");
		memcpy(f->cur, buf, len);
		return 0;
	}
	if (rc->env && rc->env->n >= PV_MAX_ENV_FILES)
		return pv_err(PV_ELIMIT, "more than %d environment files "
			      "changed", PV_MAX_ENV_FILES);
	memset(&nf, 0, sizeof(nf));
	nf.vol = vi;
	nf.ino = n.ino;
	nf.aux = n.aux;
	nf.len = len;
	if (n.size != len)
		return pv_err(PV_EINVAL, "block is not the whole file");
	if (blocks) {
		/* a blocklist is its own map: sectors of the device */
		const struct volume *vol = &rc->parts.v[vi];

		nf.orig = malloc(len ? len : 1);
		r = nf.orig ? vol_read(vol, boff, nf.orig, len)
			    : pv_err(PV_ENOMEM, "out of memory");
		nf.nranges = 1;
		nf.ranges[0].disk_off = vol->offset + boff;
		nf.ranges[0].len = len;
	} else {
		r = fs_read_file(rc->vs[vi].fs, path, PV_MAX_CONFIG_SIZE,
				 &nf.orig, &olen);
		if (r == 0 && olen != len)
			r = pv_err(PV_EINVAL, "block is not the whole file");
		if (r == 0)
			r = map_file(rc, vi, &n, &nf);
	}
	if (r == 0 && !(nf.cur = malloc(len ? len : 1)))
		r = pv_err(PV_ENOMEM, "out of memory");
	if (r == 0 && !rc->env && !(rc->env = calloc(1, sizeof(*rc->env))))
		r = pv_err(PV_ENOMEM, "out of memory");
	if (r < 0) {
		free(nf.orig);
		free(nf.cur);
		return r;
	}
	memcpy(nf.cur, buf, len);
	rc->env->f[rc->env->n++] = nf;
	return 0;
}

void envstore_io(struct run_ctx *rc, struct cfg_io *io)
{
	(void)rc;
	io->env_read = env_read;
	io->env_write = env_write;
}

int envstore_collect(struct run_ctx *rc, struct env_writes *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; rc->env && i < rc->env->n; i++) {
		struct env_file *f = &rc->env->f[i];
		struct env_block_write *w = &out->w[out->n];
		const struct volume *v = &rc->parts.v[f->vol];

		if (!memcmp(f->orig, f->cur, f->len))
			continue; /* nothing changed: nothing to write */
		w->block = malloc(f->len);
		if (!w->block) {
			envw_free(out);
			return pv_err(PV_ENOMEM, "out of memory");
		}
		memcpy(w->block, f->cur, f->len);
		w->len = (uint32_t)f->len;
		w->vol_off = v->offset;
		w->vol_len = v->length;
		w->nranges = f->nranges;
		memcpy(w->ranges, f->ranges, sizeof(w->ranges));
		out->n++;
		pv_debug("grubenv: %zu-byte block changed, to write in %u "
			 "range(s)", f->len, f->nranges);
	}
	return 0;
}
