/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ISO 9660 directories and file data: directory records (length >= 33,
 * the name inside the record, the record inside its 2048-byte logical
 * sector, a zero length byte moving on to the next sector, the extent
 * inside the volume), multi-extent files (consecutive records with the
 * multi-extent flag, at most PV_MAX_FILE_EXTENTS), names, lookup, read,
 * extents and symlinks.  Interleaved files are PV_ENOTSUP.
 *
 * Names: the Rock Ridge NM name if there is one, else the Joliet name,
 * else the ISO name; Joliet and ISO names lose a ";N" version and trailing
 * dots.  Plain ISO names are shown in lower case and looked up with ASCII
 * case folding (they are upper case on disk: "VMLINUZ"); Rock Ridge and
 * Joliet names compare exactly.  The first matching record wins.
 */
#include "fs/iso9660_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

#define NAME_BUF 1024

struct iso_rec {
	uint64_t pos;        /* volume byte offset of the record */
	uint64_t ext_off;    /* volume byte offset of its data */
	uint32_t size;
	uint8_t flags;
	int interleaved;
	size_t len;
	const uint8_t *name;
	size_t namelen;
	const uint8_t *su;
	size_t sulen;
};

struct iso_ent {
	struct iso_rec rec;  /* the first record (of a multi-extent file) */
	uint64_t total;
	int multi;
	char name[NAME_BUF];
	size_t namelen;
	int fold;
	uint32_t mode;       /* Rock Ridge PX mode, 0 if none */
	int hidden;
};

typedef int (*ent_cb)(void *ctx, const struct iso_ent *e);

static int corrupt(const char *what)
{
	return pv_err(PV_ECORRUPT, "iso9660: directory record: %s", what);
}

/* The record at sec[p]; 1 at a zero length byte (go to the next sector). */
static int parse_record(struct iso_fs *f, const uint8_t *sec, size_t seclen,
			size_t p, uint64_t secpos, struct iso_rec *rec)
{
	const uint8_t *r = sec + p;
	uint64_t ext;
	size_t su;

	if (p >= seclen || r[0] == 0)
		return 1;
	rec->len = r[0];
	if (rec->len < ISO_REC_MIN)
		return corrupt("length below 33");
	if (rec->len > seclen - p)
		return corrupt("crosses the end of its sector");
	rec->namelen = r[32];
	if (ISO_REC_MIN + rec->namelen > rec->len)
		return corrupt("name longer than its record");
	rec->pos = secpos + p;
	rec->name = r + ISO_REC_MIN;
	ext = (uint64_t)iso_le32(r + 2) + r[1];
	rec->ext_off = ext * f->block;
	rec->size = iso_le32(r + 10);
	rec->flags = r[25];
	rec->interleaved = r[26] || r[27];
	if (rec->size && (rec->ext_off > f->vol_bytes ||
			  rec->size > f->vol_bytes - rec->ext_off))
		return corrupt("extent outside the volume");
	su = ISO_REC_MIN + rec->namelen + !(rec->namelen & 1) + f->susp_skip;
	if (su > rec->len)
		su = rec->len;
	rec->su = r + su;
	rec->sulen = rec->len - su;
	return 0;
}

static size_t put_utf8(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Joliet: UCS-2/UTF-16 big endian. */
static size_t joliet_name(const struct iso_rec *rec, char *out)
{
	size_t i, n = 0, units = rec->namelen / 2;

	for (i = 0; i < units; i++) {
		uint32_t c = (uint32_t)rec->name[2 * i] << 8 | rec->name[2 * i + 1];

		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
			uint32_t lo = (uint32_t)rec->name[2 * i + 2] << 8 |
				      rec->name[2 * i + 3];

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			}
		}
		if (c < 0x20 || c == '/' || c == 0x7F ||
		    (c >= 0xD800 && c <= 0xDFFF))
			c = '_';
		n += put_utf8(out + n, c);
	}
	return n;
}

static size_t plain_name(const struct iso_rec *rec, char *out)
{
	size_t i;

	for (i = 0; i < rec->namelen; i++) {
		uint8_t c = rec->name[i];

		if (c < 0x20 || c >= 0x7F || c == '/')
			c = '_';
		else if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		out[i] = (char)c;
	}
	return rec->namelen;
}

/* Drop ";N" and trailing dots. */
static size_t strip_version(char *s, size_t n)
{
	size_t i = n;

	while (i && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	if (i && s[i - 1] == ';')
		n = i - 1;
	while (n && s[n - 1] == '.')
		n--;
	s[n] = '\0';
	return n;
}

static int make_name(struct iso_fs *f, struct iso_rr *rr, struct iso_ent *e)
{
	int r;

	e->mode = 0;
	e->hidden = 0;
	e->fold = 0;
	if (f->susp) {
		r = iso_susp_parse(f, e->rec.su, e->rec.sulen, rr);
		if (r < 0)
			return r;
		e->mode = rr->mode;
		e->hidden = rr->relocated;
		if (rr->has_name) {
			memcpy(e->name, rr->name, rr->namelen + 1);
			e->namelen = rr->namelen;
			return 0;
		}
	}
	if (f->joliet) {
		e->namelen = strip_version(e->name, joliet_name(&e->rec, e->name));
	} else {
		e->namelen = strip_version(e->name, plain_name(&e->rec, e->name));
		e->fold = 1;
	}
	return 0;
}

/* Walk the directory dir; 0 when done, 1 when cb stopped, or an error. */
static int iterate(struct iso_fs *f, const struct fs_node *dir, ent_cb cb,
		   void *ctx)
{
	uint64_t pos = dir->ino, end;
	struct iso_rr *rr;
	struct iso_ent *e;
	uint8_t *sec;
	int in_group = 0, r = 0;
	unsigned long extents = 0;

	if (!S_ISDIR(dir->mode))
		return pv_err(PV_ENOTREG, "iso9660: not a directory");
	if (dir->ino > f->vol_bytes || dir->size > f->vol_bytes - dir->ino)
		return corrupt("directory outside the volume");
	if (dir->size > PV_MAX_DIR_BYTES)
		return pv_err(PV_ELIMIT, "iso9660: directory larger than %u bytes",
			      (unsigned)PV_MAX_DIR_BYTES);
	end = dir->ino + dir->size;
	rr = calloc(1, sizeof(*rr));
	e = calloc(1, sizeof(*e));
	sec = malloc(ISO_SECTOR);
	if (!rr || !e || !sec) {
		r = pv_err(PV_ENOMEM, "iso9660: out of memory");
		goto out;
	}
	while (pos < end && r == 0) {
		uint64_t secpos = pos - pos % ISO_SECTOR;
		size_t seclen = (size_t)((end - secpos < ISO_SECTOR) ?
					 end - secpos : ISO_SECTOR);
		size_t p = (size_t)(pos - secpos);
		struct iso_rec rec;

		if (vol_read(f->base.vol, secpos, sec, seclen) < 0) {
			r = pv_err(PV_EIO, "iso9660: directory unreadable");
			break;
		}
		while (r == 0) {
			r = parse_record(f, sec, seclen, p, secpos, &rec);
			if (r)
				break;
			p += rec.len;
			if (rec.namelen == 1 && rec.name[0] <= 1)
				continue; /* "." and ".." */
			if (in_group) {
				e->total += rec.size;
				if (++extents > PV_MAX_FILE_EXTENTS) {
					r = pv_err(PV_ELIMIT, "iso9660: more than %u extents in one file",
						   (unsigned)PV_MAX_FILE_EXTENTS);
					break;
				}
				if (rec.flags & ISO_FLAG_MULTI)
					continue;
				in_group = 0;
			} else {
				if (rec.flags & ISO_FLAG_ASSOC)
					continue;
				e->rec = rec;
				e->total = rec.size;
				e->multi = !!(rec.flags & ISO_FLAG_MULTI);
				/* names are made now: rec points into sec */
				if ((r = make_name(f, rr, e)) < 0)
					break;
				if (e->multi) {
					in_group = 1;
					extents = 1;
					continue;
				}
			}
			if (e->hidden || e->namelen == 0)
				continue;
			if (cb(ctx, e))
				r = 2;
		}
		if (r == 1)
			r = 0;
		pos = secpos + ISO_SECTOR;
	}
	if (r == 0 && in_group)
		r = corrupt("multi-extent file runs past its directory");
	if (r == 2)
		r = 1;
out:
	free(sec);
	free(e);
	free(rr);
	return r;
}

static int eq_name(const struct iso_ent *e, const char *name, size_t len)
{
	size_t i;

	if (e->namelen != len)
		return 0;
	if (!e->fold)
		return memcmp(e->name, name, len) == 0;
	for (i = 0; i < len; i++) {
		unsigned char x = (unsigned char)e->name[i],
			      y = (unsigned char)name[i];

		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y) /* e->name is lower case already */
			return 0;
	}
	return 1;
}

struct find {
	const char *name;
	size_t len;
	struct fs_node node;
	int hit, err;
};

static int find_cb(void *ctx, const struct iso_ent *e)
{
	struct find *q = ctx;
	struct fs_node *n = &q->node;
	uint32_t type = e->mode & S_IFMT;

	if (!eq_name(e, q->name, q->len))
		return 0;
	q->hit = 1;
	memset(n, 0, sizeof(*n));
	n->ino = e->rec.ext_off;
	n->size = e->total;
	if (e->rec.flags & ISO_FLAG_DIR) {
		n->mode = S_IFDIR | (e->mode ? (e->mode & 07777) : 0755);
		if (e->multi)
			q->err = pv_err(PV_ENOTSUP, "iso9660: multi-extent directory");
		return 1;
	}
	if (type == S_IFLNK)
		n->mode = S_IFLNK | 0777;
	else if (type == 0 || type == S_IFREG || type == S_IFDIR)
		n->mode = S_IFREG | (e->mode ? (e->mode & 07777) : 0644);
	else
		n->mode = type | (e->mode & 07777);
	n->aux = ISO_AUX_REC | (e->rec.pos & ISO_AUX_POS_MASK);
	if (e->multi)
		n->aux |= ISO_AUX_MULTI;
	if (e->rec.interleaved)
		n->aux |= ISO_AUX_INTERLEAVED;
	return 1;
}

int iso_lookup(struct fs *fs, const struct fs_node *dir, const char *name,
	       size_t namelen, struct fs_node *out)
{
	struct find q;
	int r;

	memset(&q, 0, sizeof(q));
	q.name = name;
	q.len = namelen;
	r = iterate(ISO(fs), dir, find_cb, &q);
	if (r < 0)
		return r;
	if (q.err)
		return q.err;
	if (!q.hit)
		return PV_ENOENT;
	*out = q.node;
	return 0;
}

struct list {
	fs_dirent_cb cb;
	void *ctx;
	unsigned long count;
	int ret;
};

static int list_cb(void *ctx, const struct iso_ent *e)
{
	struct list *ls = ctx;

	if (++ls->count > PV_MAX_DIR_ENTRIES) {
		ls->ret = pv_err(PV_ELIMIT, "iso9660: more than %u entries in a directory",
				 (unsigned)PV_MAX_DIR_ENTRIES);
		return 1;
	}
	ls->ret = ls->cb(ls->ctx, e->name, e->namelen);
	return ls->ret != 0;
}

int iso_readdir(struct fs *fs, const struct fs_node *dir, fs_dirent_cb cb,
		void *ctx)
{
	struct list ls = { cb, ctx, 0, 0 };
	int r = iterate(ISO(fs), dir, list_cb, &ls);

	return r < 0 ? r : ls.ret;
}

/* The record at pos (a file's own record, found again). */
static int record_at(struct iso_fs *f, uint64_t pos, uint8_t *sec,
		     struct iso_rec *rec)
{
	uint64_t secpos = pos - pos % ISO_SECTOR;
	int r;

	if (secpos >= f->vol_bytes ||
	    vol_read(f->base.vol, secpos, sec, ISO_SECTOR) < 0)
		return pv_err(PV_EIO, "iso9660: directory record unreadable");
	r = parse_record(f, sec, ISO_SECTOR, (size_t)(pos - secpos), secpos, rec);
	return r == 1 ? corrupt("vanished") : r;
}

typedef int (*piece_fn)(void *ctx, uint64_t file_off, uint64_t vol_off,
			uint64_t len);

/* A file's data as pieces of the volume, in file order. */
static int pieces(struct iso_fs *f, const struct fs_node *n, piece_fn fn,
		  void *ctx)
{
	uint64_t pos, file_off = 0;
	unsigned long steps;
	struct iso_rec rec;
	uint8_t *sec;
	int r = 0;

	if (!S_ISREG(n->mode))
		return pv_err(PV_ENOTREG, "iso9660: not a regular file");
	if (n->aux & ISO_AUX_INTERLEAVED)
		return pv_err(PV_ENOTSUP, "iso9660: interleaved file");
	if (n->size == 0)
		return 0;
	if (!(n->aux & ISO_AUX_MULTI)) {
		if (n->ino > f->vol_bytes || n->size > f->vol_bytes - n->ino)
			return corrupt("extent outside the volume");
		return fn(ctx, 0, n->ino, n->size);
	}
	sec = malloc(ISO_SECTOR);
	if (!sec)
		return pv_err(PV_ENOMEM, "iso9660: out of memory");
	pos = n->aux & ISO_AUX_POS_MASK;
	for (steps = 0; r == 0; steps++) {
		if (steps > 2 * (unsigned long)PV_MAX_FILE_EXTENTS) {
			r = pv_err(PV_ELIMIT, "iso9660: more than %u extents in one file",
				   (unsigned)PV_MAX_FILE_EXTENTS);
			break;
		}
		r = record_at(f, pos, sec, &rec);
		if (r < 0 && pos % ISO_SECTOR) {
			/* a zero length byte: the group goes on in the next sector */
			uint64_t next = pos - pos % ISO_SECTOR + ISO_SECTOR;

			if (sec[pos % ISO_SECTOR] == 0) {
				pv_err_clear();
				pos = next;
				r = 0;
				continue;
			}
		}
		if (r < 0)
			break;
		if (rec.interleaved) {
			r = pv_err(PV_ENOTSUP, "iso9660: interleaved file");
			break;
		}
		if (rec.size > n->size - file_off) {
			r = corrupt("multi-extent file longer than found");
			break;
		}
		if (rec.size)
			r = fn(ctx, file_off, rec.ext_off, rec.size);
		file_off += rec.size;
		if (r || !(rec.flags & ISO_FLAG_MULTI))
			break;
		pos = rec.pos + rec.len;
	}
	free(sec);
	if (r == 0 && file_off != n->size)
		r = corrupt("multi-extent file shorter than found");
	return r;
}

struct rd {
	struct iso_fs *f;
	uint64_t off;
	uint8_t *buf;
	size_t len, done;
};

static int read_piece(void *ctx, uint64_t file_off, uint64_t vol_off,
		      uint64_t len)
{
	struct rd *x = ctx;
	uint64_t from, to;

	from = x->off > file_off ? x->off : file_off;
	to = x->off + x->len < file_off + len ? x->off + x->len : file_off + len;
	if (from >= to)
		return file_off >= x->off + x->len; /* past the window: stop */
	if (vol_read(x->f->base.vol, vol_off + (from - file_off),
		     x->buf + (from - x->off), (size_t)(to - from)) < 0)
		return pv_err(PV_EIO, "iso9660: file data unreadable");
	x->done += (size_t)(to - from);
	return 0;
}

long iso_read(struct fs *fs, const struct fs_node *n, uint64_t off, void *buf,
	      size_t len)
{
	struct rd x = { ISO(fs), off, buf, len, 0 };
	int r;

	if (!S_ISREG(n->mode))
		return pv_err(PV_ENOTREG, "iso9660: not a regular file");
	if (off >= n->size || len == 0)
		return 0;
	if (len > n->size - off)
		x.len = len = (size_t)(n->size - off);
	r = pieces(ISO(fs), n, read_piece, &x);
	if (r < 0)
		return r;
	if (x.done != len)
		return corrupt("file data missing");
	return (long)len;
}

struct ex {
	struct fs *fs;
	fs_extent_cb cb;
	void *ctx;
};

static int extent_piece(void *ctx, uint64_t file_off, uint64_t vol_off,
			uint64_t len)
{
	struct ex *x = ctx;
	struct fs_extent e;

	e.file_off = file_off;
	e.disk_off = x->fs->vol->offset + vol_off;
	e.len = len;
	e.zero = 0;
	return x->cb(x->ctx, &e);
}

int iso_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		void *ctx)
{
	struct ex x = { fs, cb, ctx };

	return pieces(ISO(fs), n, extent_piece, &x);
}

int iso_readlink(struct fs *fs, const struct fs_node *n, char *buf,
		 size_t bufsz)
{
	struct iso_fs *f = ISO(fs);
	struct iso_rec rec;
	struct iso_rr *rr;
	uint8_t *sec;
	int r;

	if (!S_ISLNK(n->mode) || !(n->aux & ISO_AUX_REC) || !f->susp)
		return pv_err(PV_ENOTSUP, "iso9660: not a symbolic link");
	if (bufsz == 0)
		return pv_err(PV_ELIMIT, "iso9660: no room for a symlink target");
	sec = malloc(ISO_SECTOR);
	rr = calloc(1, sizeof(*rr));
	if (!sec || !rr) {
		free(sec);
		free(rr);
		return pv_err(PV_ENOMEM, "iso9660: out of memory");
	}
	r = record_at(f, n->aux & ISO_AUX_POS_MASK, sec, &rec);
	if (r == 0) {
		rr->sl = buf;
		rr->slcap = bufsz;
		r = iso_susp_parse(f, rec.su, rec.sulen, rr);
	}
	if (r == 0 && (!rr->has_sl || rr->sllen == 0))
		r = pv_err(PV_ECORRUPT, "iso9660: Rock Ridge symlink without an SL target");
	if (r == 0)
		r = (int)rr->sllen;
	free(sec);
	free(rr);
	return r;
}
