/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FAT chains: entries of the allocation table (FAT12's packed 12-bit pairs
 * included), a chain turned into runs of contiguous clusters, and file data
 * read or mapped through those runs.
 *
 * A chain is hostile: every cluster must lie in 2..clusters+1 and be in
 * use, a file's chain must hold the clusters its size needs (we stop there;
 * a longer tail is ignored as Linux does), a directory's chain ends within
 * PV_MAX_DIR_BYTES, and a cluster seen twice (a loop, found with Brent's
 * cycle check and by sorting the runs) is PV_ECORRUPT.
 */
#include "fs/fat_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>


static int corrupt(uint32_t first, const char *what)
{
	return pv_err(PV_ECORRUPT, "fat: cluster chain at %u: %s",
		      (unsigned)first, what);
}

/* One byte of the FAT in use, through a window. */
static int fat_byte(struct fat_fs *f, uint64_t off, uint8_t *out)
{
	int r;

	if (off >= f->fat_bytes)
		return pv_err(PV_ECORRUPT, "fat: FAT: entry beyond the table");
	if (!f->win_len || off < f->win_off || off >= f->win_off + f->win_len) {
		uint64_t start = off - off % FAT_WIN_BYTES;
		uint64_t len = f->fat_bytes - start;

		if (len > FAT_WIN_BYTES)
			len = FAT_WIN_BYTES;
		f->win_len = 0;
		r = vol_read(f->base.vol, f->fat_off + start, f->win, len);
		if (r < 0)
			return pv_err(PV_EIO, "fat: FAT: read failed");
		f->win_off = start;
		f->win_len = (uint32_t)len;
	}
	*out = f->win[off - f->win_off];
	return 0;
}

/* The FAT entry of cluster c, normalised: values >= 0x0FFFFFF8 mean end
 * of chain, 0x0FFFFFF7 a bad cluster, whatever the FAT width. */
static int fat_entry(struct fat_fs *f, uint32_t c, uint32_t *next)
{
	uint8_t b[4];
	uint32_t v;
	int i, r;

	if (f->bits == 12) {
		uint64_t off = (uint64_t)c + c / 2;

		for (i = 0; i < 2; i++)
			if ((r = fat_byte(f, off + i, &b[i])) < 0)
				return r;
		v = (uint32_t)b[0] | (uint32_t)b[1] << 8;
		v = (c & 1) ? v >> 4 : v & 0xFFF;
		if (v >= 0xFF7)
			v |= 0x0FFFF000;
	} else if (f->bits == 16) {
		for (i = 0; i < 2; i++)
			if ((r = fat_byte(f, (uint64_t)c * 2 + i, &b[i])) < 0)
				return r;
		v = (uint32_t)b[0] | (uint32_t)b[1] << 8;
		if (v >= 0xFFF7)
			v |= 0x0FFF0000;
	} else {
		for (i = 0; i < 4; i++)
			if ((r = fat_byte(f, (uint64_t)c * 4 + i, &b[i])) < 0)
				return r;
		v = ((uint32_t)b[0] | (uint32_t)b[1] << 8 |
		     (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24) & 0x0FFFFFFF;
	}
	*next = v;
	return 0;
}

uint64_t fat_cluster_off(const struct fat_fs *f, uint32_t cluster)
{
	return f->data_off + (uint64_t)(cluster - 2) * f->cluster_size;
}

void fat_map_free(struct fat_map *m)
{
	free(m->runs);
	memset(m, 0, sizeof(*m));
}

static int add_cluster(struct fat_map *m, uint32_t c)
{
	struct fat_run *last = m->nruns ? &m->runs[m->nruns - 1] : NULL;

	if (last && last->start + last->count == c) {
		last->count++;
		return 0;
	}
	if (m->nruns == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct fat_run *n;

		if (m->cap >= PV_MAX_FILE_EXTENTS)
			return pv_err(PV_ELIMIT,
				      "fat: more than %u fragments in one file",
				      (unsigned)PV_MAX_FILE_EXTENTS);
		if (cap > PV_MAX_FILE_EXTENTS)
			cap = PV_MAX_FILE_EXTENTS;
		n = realloc(m->runs, cap * sizeof(*n));
		if (!n)
			return pv_err(PV_ENOMEM, "fat: out of memory");
		m->runs = n;
		m->cap = cap;
	}
	m->runs[m->nruns].start = c;
	m->runs[m->nruns].count = 1;
	m->nruns++;
	return 0;
}

static int run_cmp(const void *a, const void *b)
{
	const struct fat_run *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* No cluster may appear in two runs (a loop the walk bound cut short). */
static int check_overlap(struct fat_map *m, uint32_t first)
{
	struct fat_run *s;
	size_t i;

	if (m->nruns < 2)
		return 0;
	s = malloc(m->nruns * sizeof(*s));
	if (!s)
		return pv_err(PV_ENOMEM, "fat: out of memory");
	memcpy(s, m->runs, m->nruns * sizeof(*s));
	qsort(s, m->nruns, sizeof(*s), run_cmp);
	for (i = 1; i < m->nruns; i++)
		if ((uint64_t)s[i - 1].start + s[i - 1].count > s[i].start)
			break;
	free(s);
	return i < m->nruns ? corrupt(first, "loop (a cluster used twice)") : 0;
}

int fat_map_chain(struct fat_fs *f, uint32_t first, uint64_t bytes,
		  const struct fat_map **out)
{
	struct fat_map *m = &f->map;
	uint64_t want, steps, max_steps;
	uint32_t c = first, tort = first, power = 1, lam = 0, next;
	int dir = bytes == UINT64_MAX, r;

	if (m->first == first && m->bytes == bytes && m->nruns) {
		*out = m;
		return 0;
	}
	m->first = 0;
	m->nruns = 0;
	if (dir) {
		max_steps = PV_MAX_DIR_BYTES / f->cluster_size;
		want = 0;
	} else {
		want = bytes / f->cluster_size + !!(bytes % f->cluster_size);
		if (want > f->clusters)
			return corrupt(first, "file larger than the volume");
		max_steps = want;
	}
	if (first < 2 || first > f->clusters + 1)
		return corrupt(first, "first cluster out of range");
	for (steps = 0;;) {
		if ((r = add_cluster(m, c)) < 0)
			return r;
		steps++;
		if (!dir && steps == want)
			break;
		if ((r = fat_entry(f, c, &next)) < 0)
			return r;
		if (next >= 0x0FFFFFF8) {
			if (!dir)
				return corrupt(first, "chain shorter than the file size");
			break;
		}
		if (next == 0x0FFFFFF7)
			return corrupt(first, "bad cluster in chain");
		if (next == 0)
			return corrupt(first, "free cluster in chain");
		if (next < 2 || next > f->clusters + 1)
			return corrupt(first, "cluster beyond the FAT");
		/* Brent: the tortoise jumps to the hare at powers of two */
		if (next == tort)
			return corrupt(first, "loop");
		if (++lam == power) {
			tort = next;
			power *= 2;
			lam = 0;
		}
		if (steps >= f->clusters)
			return corrupt(first, "loop (longer than the volume)");
		if (steps >= max_steps)
			return pv_err(PV_ELIMIT,
				      "fat: directory larger than %u bytes",
				      (unsigned)PV_MAX_DIR_BYTES);
		c = next;
	}
	if ((r = check_overlap(m, first)) < 0) {
		m->nruns = 0;
		return r;
	}
	m->first = first;
	m->bytes = bytes;
	*out = m;
	return 0;
}

/* Map a regular file; size 0 needs no cluster (and must have none). */
static int map_file(struct fat_fs *f, const struct fs_node *n,
		    const struct fat_map **m)
{
	if (n->size == 0) {
		*m = NULL;
		return 0;
	}
	if (n->ino == 0 || n->ino > UINT32_MAX)
		return pv_err(PV_ECORRUPT, "fat: directory entry: file of %llu bytes without clusters",
			      (unsigned long long)n->size);
	return fat_map_chain(f, (uint32_t)n->ino, n->size, m);
}

long fat_read(struct fs *fs, const struct fs_node *n, uint64_t off, void *buf,
	      size_t len)
{
	struct fat_fs *f = FAT(fs);
	const struct fat_map *m;
	uint64_t run_off = 0, done = 0;
	size_t i;
	int r;

	if (!S_ISREG(n->mode))
		return pv_err(PV_ENOTREG, "fat: read of a directory");
	if (off >= n->size || len == 0)
		return 0;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	if ((r = map_file(f, n, &m)) < 0)
		return r;
	for (i = 0; m && i < m->nruns && done < len; i++) {
		uint64_t rlen = (uint64_t)m->runs[i].count * f->cluster_size;
		uint64_t pos = off + done, take;

		if (pos >= run_off + rlen) {
			run_off += rlen;
			continue;
		}
		take = run_off + rlen - pos;
		if (take > len - done)
			take = len - done;
		r = vol_read(fs->vol,
			     fat_cluster_off(f, m->runs[i].start) + (pos - run_off),
			     (uint8_t *)buf + done, take);
		if (r < 0)
			return pv_err(PV_EIO, "fat: file data: read failed");
		done += take;
		run_off += rlen;
	}
	return (long)done;
}

int fat_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		void *ctx)
{
	struct fat_fs *f = FAT(fs);
	const struct fat_map *m;
	uint64_t file_off = 0;
	size_t i;
	int r;

	if (!S_ISREG(n->mode))
		return pv_err(PV_ENOTREG, "fat: extents of a directory");
	if ((r = map_file(f, n, &m)) < 0)
		return r;
	for (i = 0; m && i < m->nruns && file_off < n->size; i++) {
		struct fs_extent e;
		uint64_t rlen = (uint64_t)m->runs[i].count * f->cluster_size;

		e.file_off = file_off;
		e.disk_off = fs->vol->offset + fat_cluster_off(f, m->runs[i].start);
		e.len = rlen < n->size - file_off ? rlen : n->size - file_off;
		e.zero = 0;
		if ((r = cb(ctx, &e)) != 0)
			return r;
		file_off += e.len;
	}
	return 0;
}
