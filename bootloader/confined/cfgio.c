/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guest filesystem as config parsers see it (struct cfg_io): reads,
 * stats, directory listings and GRUB's search, all bounded. */
#include "bootloader/confined/volumes.h"
#include "bootloader/confined/envstore.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "fs/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct fs *fs_for(struct run_ctx *rc, const char *dev, long *vi_out)
{
	long vi = vols_by_dev(rc, dev, rc->cfg_vol);

	if (vi < 0 || vols_mount(rc, (size_t)vi) < 0)
		return NULL;
	if (vi_out)
		*vi_out = vi;
	return rc->vs[vi].fs;
}

int vols_budget_bytes(struct run_ctx *rc, size_t len)
{
	struct cfg_budget *b = &rc->budget;

	if (b->exhausted || len > PV_MAX_CONFIG_BYTES_READ - b->bytes) {
		b->exhausted = 1;
		return pv_err(PV_ELIMIT,
			      "config files read in this run exceed %u bytes",
			      PV_MAX_CONFIG_BYTES_READ);
	}
	b->bytes += len;
	return 0;
}

/* A read that the budget refuses frees its buffer. */
static int charge(struct run_ctx *rc, int r, char **buf, size_t *len)
{
	if (r == 0 && vols_budget_bytes(rc, *len) < 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
		return PV_ELIMIT;
	}
	return r;
}

int vols_read_config(struct run_ctx *rc, size_t vi, const char *path,
		     char **buf, size_t *len)
{
	struct fs *fs;
	int r;

	if (vols_mount(rc, vi) < 0)
		return PV_ENOENT;
	fs = rc->vs[vi].fs;
	r = charge(rc, fs_read_file(fs, path, PV_MAX_CONFIG_SIZE, buf, len),
		   buf, len);
	/* a directory or a symlink loop where a config should be is "not
	 * there" (security.md C19); corruption is reported */
	if (r == PV_ENOENT || r == PV_ENOTREG || r == PV_ELOOP)
		return PV_ENOENT;
	return r;
}

static int io_read_file(void *ctx, const char *dev, const char *path,
			char **buf, size_t *len)
{
	struct run_ctx *rc = ctx;
	struct fs *fs = fs_for(rc, dev, NULL);

	if (!fs)
		return pv_err(PV_ENOENT, "no filesystem on device %s",
			      dev ? dev : "(config)");
	return charge(rc, fs_read_file(fs, path, PV_MAX_CONFIG_SIZE, buf, len),
		      buf, len);
}

static int io_stat(void *ctx, const char *dev, const char *path, char *type,
		   uint64_t *size)
{
	struct run_ctx *rc = ctx;
	struct fs *fs = fs_for(rc, dev, NULL);
	struct fs_node n;
	int r;

	if (!fs)
		return PV_ENOENT;
	r = fs_resolve(fs, path, &n);
	if (r < 0)
		return r;
	*type = S_ISREG(n.mode) ? 'f' : S_ISDIR(n.mode) ? 'd' : 'l';
	*size = n.size;
	return 0;
}

struct names {
	char **v;
	size_t n, cap;
	int failed;
};

static int collect(void *ctx, const char *name, size_t len)
{
	struct names *nm = ctx;
	char *s;

	if (nm->n >= PV_MAX_DIR_ENTRIES)
		return PV_ELIMIT;
	if (nm->n == nm->cap) {
		size_t cap = nm->cap ? nm->cap * 2 : 64;
		char **v = realloc(nm->v, cap * sizeof(*v));

		if (!v)
			return PV_ENOMEM;
		nm->v = v;
		nm->cap = cap;
	}
	s = strndup(name, len);
	if (!s)
		return PV_ENOMEM;
	nm->v[nm->n++] = s;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int io_list_dir(void *ctx, const char *dev, const char *path,
		       int (*cb)(void *cbctx, const char *name), void *cbctx)
{
	struct run_ctx *rc = ctx;
	struct fs *fs = fs_for(rc, dev, NULL);
	struct names nm = { 0 };
	struct fs_node dir;
	size_t i;
	int r;

	if (!fs)
		return PV_ENOENT;
	if (!fs->ops->readdir)
		return pv_err(PV_ENOTSUP, "%s: cannot list directories",
			      fs_type_name(fs));
	r = fs_resolve_dir(fs, path, &dir);
	if (r < 0)
		return r;
	r = fs->ops->readdir(fs, &dir, collect, &nm);
	if (r == PV_ELIMIT)
		r = pv_err(PV_ELIMIT, "%s: more than %d entries", path,
			   PV_MAX_DIR_ENTRIES);
	else if (r == PV_ENOMEM)
		r = pv_err(PV_ENOMEM, "out of memory");
	if (r >= 0) {
		qsort(nm.v, nm.n, sizeof(*nm.v), cmp_names);
		for (i = 0; i < nm.n && r >= 0; i++)
			r = cb(cbctx, nm.v[i]);
	}
	for (i = 0; i < nm.n; i++)
		free(nm.v[i]);
	free(nm.v);
	return r < 0 ? r : 0;
}

static int io_search(void *ctx, const char *how, const char *value,
		     char *dev_out, size_t dev_out_sz)
{
	struct run_ctx *rc = ctx;
	struct fs_node n;
	size_t i;

	for (i = 0; i < rc->n; i++) {
		struct fs *fs;
		int hit = 0;

		if (vols_mount(rc, i) < 0)
			continue;
		fs = rc->vs[i].fs;
		if (strcmp(how, "fs-uuid") == 0)
			hit = fs->uuid[0] && strcasecmp(fs->uuid, value) == 0;
		else if (strcmp(how, "label") == 0)
			hit = fs->label[0] && strcmp(fs->label, value) == 0;
		else if (strcmp(how, "file") == 0)
			hit = fs_resolve(fs, value, &n) == 0;
		if (hit) {
			snprintf(dev_out, dev_out_sz, "%s", rc->vs[i].dev);
			return 0;
		}
	}
	return PV_ENOENT;
}

void vols_io(struct run_ctx *rc, size_t vi, const char *cfg_path,
	     struct cfg_io *io)
{
	rc->cfg_vol = vi;
	snprintf(rc->cfg_path, sizeof(rc->cfg_path), "%s", cfg_path);
	memset(io, 0, sizeof(*io));
	io->ctx = rc;
	io->read_file = io_read_file;
	io->stat = io_stat;
	io->list_dir = io_list_dir;
	io->search = io_search;
	envstore_io(rc, io);
	io->config_dev = rc->vs[vi].dev;
	io->budget = &rc->budget;
}
