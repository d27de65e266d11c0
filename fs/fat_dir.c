/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FAT directories: 32-byte entries, 8.3 names (with the NT lower-case
 * flags Linux and Windows honour) and VFAT long names (a run of LFN slots,
 * sequence numbers counting down, each carrying the checksum of the 8.3
 * name that follows; UCS-2/UTF-16 converted to UTF-8).  A long name whose
 * sequence or checksum does not fit is ignored and the 8.3 name is used,
 * as Linux does.
 *
 * Lookup is case-insensitive with ASCII case folding only (A-Z = a-z;
 * other bytes compare exactly, so the rule does not depend on a locale or
 * a code page); a name matches an entry's long name or its 8.3 name, and
 * the first matching entry in directory order wins.  Bytes of 8.3 names
 * outside printable ASCII are shown as '_'.
 */
#include "fs/fat_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

#define LFN_MAX_SLOTS 20
#define LFN_UNITS (LFN_MAX_SLOTS * 13)
#define NAME_BUF (LFN_UNITS * 3 + 1) /* UTF-8 of 260 UTF-16 units */

#define ATTR_VOLUME 0x08
#define ATTR_DIR 0x10
#define ATTR_LFN_MASK 0x3F
#define ATTR_LFN 0x0F

/* One entry as the iterator reports it. */
struct fat_dent {
	char name[NAME_BUF];   /* long name if valid, else the 8.3 name */
	size_t namelen;
	char sname[13];        /* 8.3 name with the case flags applied */
	size_t snamelen;
	const uint8_t *raw;    /* the 32-byte entry */
	uint8_t attr;
	uint32_t cluster;
	uint32_t size;
};

typedef int (*dent_cb)(void *ctx, const struct fat_dent *d);

struct lfn_state {
	uint16_t units[LFN_UNITS];
	int active;
	unsigned next;  /* sequence number expected next; 0 = complete */
	unsigned slots;
	uint8_t csum;
};

static uint8_t short_csum(const uint8_t *e)
{
	uint8_t s = 0;
	int i;

	for (i = 0; i < 11; i++)
		s = (uint8_t)(((s & 1) << 7) + (s >> 1) + e[i]);
	return s;
}

static void lfn_slot(struct lfn_state *l, const uint8_t *e)
{
	static const uint8_t pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22,
					 24, 28, 30 };
	unsigned seq = e[0] & 0x1F, i;

	if (e[0] & 0x40) {
		l->active = seq >= 1 && seq <= LFN_MAX_SLOTS;
		l->slots = seq;
		l->csum = e[13];
	} else if (!l->active || seq == 0 || seq != l->next ||
		   e[13] != l->csum) {
		l->active = 0;
	}
	if (!l->active)
		return;
	for (i = 0; i < 13; i++)
		l->units[(seq - 1) * 13 + i] =
			(uint16_t)(e[pos[i]] | e[pos[i] + 1] << 8);
	l->next = seq - 1;
}

/* UTF-16 units to UTF-8; 0 when the name is unusable. */
static size_t lfn_utf8(const struct lfn_state *l, char *out)
{
	size_t n = 0, i, max = (size_t)l->slots * 13;

	for (i = 0; i < max; i++) {
		uint32_t c = l->units[i];

		if (c == 0x0000 || c == 0xFFFF)
			break;
		if (c >= 0xD800 && c <= 0xDBFF) {
			uint32_t lo = i + 1 < max ? l->units[i + 1] : 0;

			if (lo < 0xDC00 || lo > 0xDFFF)
				return 0;
			c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
			i++;
		} else if (c >= 0xDC00 && c <= 0xDFFF) {
			return 0;
		}
		if (c < 0x20 || c == '/' || c == 0x7F)
			return 0;
		if (c < 0x80) {
			out[n++] = (char)c;
		} else if (c < 0x800) {
			out[n++] = (char)(0xC0 | c >> 6);
			out[n++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[n++] = (char)(0xE0 | c >> 12);
			out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[n++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[n++] = (char)(0xF0 | c >> 18);
			out[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[n++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[n] = '\0';
	if ((n == 1 && out[0] == '.') || (n == 2 && !memcmp(out, "..", 2)))
		return 0;
	return n;
}

static char short_char(uint8_t c, int lower)
{
	if (c < 0x20 || c >= 0x7F || c == '/')
		return '_';
	if (lower && c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return (char)c;
}

static size_t short_name(const uint8_t *e, char *out)
{
	int base = 8, ext = 3, i;
	size_t n = 0;

	while (base && e[base - 1] == ' ')
		base--;
	while (ext && e[8 + ext - 1] == ' ')
		ext--;
	for (i = 0; i < base; i++) {
		uint8_t c = (i == 0 && e[0] == 0x05) ? 0xE5 : e[i];

		out[n++] = short_char(c, e[12] & 0x08);
	}
	if (ext) {
		out[n++] = '.';
		for (i = 0; i < ext; i++)
			out[n++] = short_char(e[8 + i], e[12] & 0x10);
	}
	out[n] = '\0';
	return n;
}

/* One 32-byte entry; 1 at the end-of-directory marker. */
static int one_entry(struct fat_fs *f, struct lfn_state *l, const uint8_t *e,
		     int want_label, dent_cb cb, void *ctx)
{
	struct fat_dent d;

	if (e[0] == 0x00)
		return 1;
	if (e[0] == 0xE5) {
		l->active = 0;
		return 0;
	}
	if ((e[11] & ATTR_LFN_MASK) == ATTR_LFN) {
		lfn_slot(l, e);
		return 0;
	}
	d.raw = e;
	d.attr = e[11];
	d.snamelen = short_name(e, d.sname);
	d.namelen = 0;
	if (l->active && l->next == 0 && l->csum == short_csum(e))
		d.namelen = lfn_utf8(l, d.name);
	l->active = 0;
	if (!d.namelen) {
		memcpy(d.name, d.sname, d.snamelen + 1);
		d.namelen = d.snamelen;
	}
	if (!!(d.attr & ATTR_VOLUME) != !!want_label)
		return 0;
	if (!want_label && (!strcmp(d.sname, ".") || !strcmp(d.sname, "..") ||
			    d.snamelen == 0))
		return 0;
	d.cluster = (uint32_t)e[26] | (uint32_t)e[27] << 8;
	if (f->bits == 32)
		d.cluster |= ((uint32_t)e[20] | (uint32_t)e[21] << 8) << 16;
	d.size = (uint32_t)e[28] | (uint32_t)e[29] << 8 |
		 (uint32_t)e[30] << 16 | (uint32_t)e[31] << 24;
	return cb(ctx, &d) ? 2 : 0;
}

/* Walk dir's entries; returns 0 when done, 2 when cb stopped, or an
 * error. */
static int iterate(struct fat_fs *f, const struct fs_node *dir, int want_label,
		   dent_cb cb, void *ctx)
{
	struct fat_run fixed, *runs = NULL;
	size_t nruns, i;
	struct lfn_state *l;
	uint8_t *buf;
	int r = 0;

	if (!S_ISDIR(dir->mode))
		return pv_err(PV_ENOTREG, "fat: not a directory");
	l = calloc(1, sizeof(*l));
	buf = malloc(f->bytes_per_sector);
	if (!l || !buf) {
		r = pv_err(PV_ENOMEM, "fat: out of memory");
		goto out;
	}
	if (dir->aux & FAT_AUX_FIXED_ROOT) {
		fixed.start = 0;
		fixed.count = 1;
		runs = &fixed;
		nruns = 1;
	} else {
		const struct fat_map *m;

		if (dir->ino < 2 || dir->ino > UINT32_MAX) {
			r = pv_err(PV_ECORRUPT, "fat: directory without clusters");
			goto out;
		}
		r = fat_map_chain(f, (uint32_t)dir->ino, UINT64_MAX, &m);
		if (r < 0)
			goto out;
		/* a copy: a callback may read files, which remaps */
		runs = malloc(m->nruns * sizeof(*runs));
		if (!runs) {
			r = pv_err(PV_ENOMEM, "fat: out of memory");
			goto out;
		}
		memcpy(runs, m->runs, m->nruns * sizeof(*runs));
		nruns = m->nruns;
	}
	for (i = 0; i < nruns && r == 0; i++) {
		uint64_t off, len, pos;

		if (runs == &fixed) {
			off = f->root_off;
			len = f->root_bytes;
		} else {
			off = fat_cluster_off(f, runs[i].start);
			len = (uint64_t)runs[i].count * f->cluster_size;
		}
		for (pos = 0; pos < len && r == 0; pos += f->bytes_per_sector) {
			uint32_t k;

			if (vol_read(f->base.vol, off + pos, buf,
				     f->bytes_per_sector) < 0) {
				r = pv_err(PV_EIO, "fat: directory: read failed");
				break;
			}
			for (k = 0; k < f->bytes_per_sector && r == 0;
			     k += FAT_DIRENT_SIZE)
				r = one_entry(f, l, buf + k, want_label, cb, ctx);
		}
	}
	if (r == 1)
		r = 0;
out:
	if (runs != &fixed)
		free(runs);
	free(buf);
	free(l);
	return r;
}

static int eq_fold(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

struct find {
	const char *name;
	size_t len;
	struct fat_dent found;
	int hit;
};

static int find_cb(void *ctx, const struct fat_dent *d)
{
	struct find *q = ctx;

	if (!eq_fold(q->name, q->len, d->name, d->namelen) &&
	    !eq_fold(q->name, q->len, d->sname, d->snamelen))
		return 0;
	q->found = *d;
	q->hit = 1;
	return 1;
}

int fat_lookup(struct fs *fs, const struct fs_node *dir, const char *name,
	       size_t namelen, struct fs_node *out)
{
	struct fat_fs *f = FAT(fs);
	struct find *q = calloc(1, sizeof(*q));
	int r;

	if (!q)
		return pv_err(PV_ENOMEM, "fat: out of memory");
	q->name = name;
	q->len = namelen;
	r = iterate(f, dir, 0, find_cb, q);
	if (r >= 0 && !q->hit)
		r = PV_ENOENT;
	if (r >= 0) {
		memset(out, 0, sizeof(*out));
		out->ino = q->found.cluster;
		if (q->found.attr & ATTR_DIR) {
			out->mode = S_IFDIR | 0755;
			if (q->found.cluster < 2 ||
			    q->found.cluster > f->clusters + 1)
				r = pv_err(PV_ECORRUPT,
					   "fat: directory entry: directory with cluster %u",
					   (unsigned)q->found.cluster);
		} else {
			out->mode = S_IFREG | 0644;
			out->size = q->found.size;
		}
		if (r > 0)
			r = 0;
	}
	free(q);
	return r;
}

struct list {
	fs_dirent_cb cb;
	void *ctx;
	unsigned long count;
	int ret;
};

static int list_cb(void *ctx, const struct fat_dent *d)
{
	struct list *ls = ctx;

	if (++ls->count > PV_MAX_DIR_ENTRIES) {
		ls->ret = pv_err(PV_ELIMIT, "fat: more than %u entries in a directory",
				 (unsigned)PV_MAX_DIR_ENTRIES);
		return 1;
	}
	ls->ret = ls->cb(ls->ctx, d->name, d->namelen);
	return ls->ret != 0;
}

int fat_readdir(struct fs *fs, const struct fs_node *dir, fs_dirent_cb cb,
		void *ctx)
{
	struct list ls = { cb, ctx, 0, 0 };
	int r = iterate(FAT(fs), dir, 0, list_cb, &ls);

	if (r < 0)
		return r;
	return ls.ret;
}

struct label {
	char *buf;
	size_t bufsz;
};

static int label_cb(void *ctx, const struct fat_dent *d)
{
	struct label *lb = ctx;
	size_t n = 11, i;

	while (n && (d->raw[n - 1] == ' ' || d->raw[n - 1] == '\0'))
		n--;
	if (n >= lb->bufsz)
		n = lb->bufsz - 1;
	for (i = 0; i < n; i++)
		lb->buf[i] = short_char(d->raw[i], 0);
	lb->buf[n] = '\0';
	return 1;
}

int fat_root_label(struct fat_fs *f, const struct fs_node *root, char *buf,
		   size_t bufsz)
{
	struct label lb = { buf, bufsz };
	int r;

	buf[0] = '\0';
	r = iterate(f, root, 1, label_cb, &lb);
	return r < 0 ? r : 0;
}
