/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers for the filesystem unit tests: see fstest.h. */
#include "tests/unit/fstest.h"
#include "common/err.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int fstest_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (st != 0)
		fprintf(stderr, "command failed (%d): %s\n", st, cmd);
	return st;
}

int fstest_mkdtemp(char *buf, size_t size, const char *name)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, size, "%s/pvboot-%s-XXXXXX", t ? t : "/tmp", name);
	if (!mkdtemp(buf)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

void fstest_fill(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		p[i] = (uint8_t)(s >> 24);
	}
}

int fstest_write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

int fstest_write_at(const char *path, uint64_t off, const void *buf,
		    size_t len)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = pwrite(fd, buf, len, (off_t)off) == (ssize_t)len;
	return (close(fd) == 0 && ok) ? 0 : -1;
}

int fstest_patch_copy(const char *img, const char *dst, uint64_t off,
		      const void *bytes, size_t len)
{
	if (fstest_sh("cp --sparse=always %s %s", img, dst))
		return -1;
	return len ? fstest_write_at(dst, off, bytes, len) : 0;
}

uint8_t *fstest_load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n > 0 && (buf = malloc((size_t)n)) &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The volume [offset, offset + length) of the disk m->d, 0 = to the end. */
static void whole_volume(struct fstest_img *m, uint64_t offset,
			 uint64_t length)
{
	m->fs = NULL;
	memset(&m->v, 0, sizeof(m->v));
	m->v.disk = &m->d;
	m->v.offset = offset;
	m->v.length = length ? length : m->d.size - offset;
	m->v.kind = VOL_WHOLE_DISK;
}

int fstest_open(struct fstest_img *m, const char *path, uint64_t offset,
		uint64_t length)
{
	int r;

	memset(m, 0, sizeof(*m));
	r = disk_open(&m->d, path);
	if (r < 0)
		return r;
	whole_volume(m, offset, length);
	return 0;
}

void fstest_open_mem(struct fstest_img *m, const char *name, uint64_t offset,
		     uint64_t length)
{
	disk_open_mem(&m->d, m->data, m->len, name);
	whole_volume(m, offset, length);
}

int fstest_mount_vol(struct fstest_img *m, const struct fs_ops *ops)
{
	int r;

	m->fs = NULL;
	if (!m->v.disk) /* fstest_open failed */
		return PV_EINVAL;
	if (!ops)
		return fs_mount_any(&m->v, &m->fs);
	pv_err_clear();
	r = ops->probe(&m->v);
	if (r == 0)
		r = ops->mount(&m->v, &m->fs);
	if (r < 0) {
		m->fs = NULL;
		return r;
	}
	m->fs->ops = ops;
	m->fs->vol = &m->v;
	return 0;
}

int fstest_mount(struct fstest_img *m, const char *path, uint64_t offset,
		 uint64_t length, const struct fs_ops *ops)
{
	int r = fstest_open(m, path, offset, length);

	if (r < 0)
		return r;
	r = fstest_mount_vol(m, ops);
	if (r < 0)
		disk_close(&m->d);
	return r;
}

int fstest_mount_mem(struct fstest_img *m, const char *name, uint64_t offset,
		     uint64_t length, const struct fs_ops *ops)
{
	fstest_open_mem(m, name, offset, length);
	return fstest_mount_vol(m, ops);
}

void fstest_unmount(struct fstest_img *m)
{
	fs_unmount(m->fs);
	m->fs = NULL;
	disk_close(&m->d);
}

int fstest_walk(struct fs *fs, const char *path, struct fs_node *out)
{
	struct fs_node n;
	int r = fs->ops->root(fs, &n);

	while (r == 0 && *path) {
		const char *s;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		s = strchrnul(path, '/');
		r = fs->ops->lookup(fs, &n, path, (size_t)(s - path), &n);
		path = s;
	}
	if (r == 0)
		*out = n;
	return r;
}

uint8_t *fstest_read_all(struct fs *fs, const struct fs_node *n,
			 size_t chunk)
{
	uint8_t *buf = malloc(n->size + 1);
	uint64_t off = 0;

	while (buf && off < n->size) {
		long got = fs->ops->read(fs, n, off, buf + off, chunk);

		if (got <= 0) {
			free(buf);
			return NULL;
		}
		off += (uint64_t)got;
	}
	return buf;
}

int fstest_file_equals(struct fs *fs, const char *path, const uint8_t *want,
		       size_t len)
{
	struct fs_node n;
	uint8_t *got;
	int ok, r;

	r = fstest_walk(fs, path, &n);
	if (r < 0 || n.size != len || !S_ISREG(n.mode)) {
		fprintf(stderr, "%s: r=%d size=%llu (%s)\n", path, r,
			r < 0 ? 0ull : (unsigned long long)n.size,
			pv_errmsg());
		return 0;
	}
	got = fstest_read_all(fs, &n, 65531);
	ok = got && memcmp(got, want, len) == 0;
	if (!ok)
		fprintf(stderr, "%s: bytes differ (%s)\n", path, pv_errmsg());
	free(got);
	return ok;
}

static int extent_cb(void *ctx, const struct fs_extent *e)
{
	struct fstest_extents *c = ctx;
	uint8_t *buf;

	if (e->file_off != c->next || e->len == 0 || e->len > c->len ||
	    e->file_off > c->len - e->len) {
		c->bad++;
		return 0;
	}
	c->next += e->len;
	buf = malloc(e->len);
	if (!buf) {
		c->bad++;
		return 0;
	}
	if (e->zero) {
		c->zero_extents++;
		memset(buf, 0, e->len);
	} else {
		c->data_extents++;
		/* checked here so that disk_read sets no error message */
		if (e->disk_off > c->disk->size ||
		    e->len > c->disk->size - e->disk_off ||
		    disk_read(c->disk, e->disk_off, buf, e->len))
			c->bad++;
	}
	if (memcmp(buf, c->want + e->file_off, e->len))
		c->bad++;
	free(buf);
	return 0;
}

int fstest_extents(struct fstest_img *m, const struct fs_node *n,
		   const uint8_t *want, size_t len, struct fstest_extents *c)
{
	memset(c, 0, sizeof(*c));
	c->disk = &m->d;
	c->want = want;
	c->len = len;
	return m->fs->ops->extents(m->fs, n, extent_cb, c);
}

int fstest_extents_match(struct fstest_img *m, const char *path,
			 const uint8_t *want, size_t len,
			 struct fstest_extents *c)
{
	struct fs_node n;
	int r;

	memset(c, 0, sizeof(*c));
	r = fstest_walk(m->fs, path, &n);
	if (r < 0)
		return r;
	if (n.size != len)
		return 99;
	r = fstest_extents(m, &n, want, len, c);
	if (r == 0 && (c->bad || c->next != len))
		return 98;
	return r;
}

int fstest_msg_has(const char *s)
{
	int ok = strstr(pv_errmsg(), s) != NULL;

	if (!ok)
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", pv_errmsg(), s);
	return ok;
}

struct listing_ctx {
	struct fstest_listing *out;
	const char *first, *last;
};

static int listing_cb(void *ctx, const char *name, size_t len)
{
	struct listing_ctx *c = ctx;

	c->out->n++;
	if (!strcmp(name, ".") || !strcmp(name, "..") || strlen(name) != len)
		c->out->dots++;
	if (!strcmp(name, c->first))
		c->out->seen_first = 1;
	if (!strcmp(name, c->last))
		c->out->seen_last = 1;
	return 0;
}

int fstest_list(struct fs *fs, const struct fs_node *dir, const char *first,
		const char *last, struct fstest_listing *out)
{
	struct listing_ctx c = { out, first, last };

	memset(out, 0, sizeof(*out));
	return fs->ops->readdir(fs, dir, listing_cb, &c);
}
