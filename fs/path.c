/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One bounded path resolver for every backend.  Backends only answer
 * "this name in this directory" and "what does this symlink say"; the walk
 * itself, "." and "..", symlink splicing and every limit live here.
 *
 * The walk keeps the remaining path text in one buffer and the chain of
 * directories from the root in a stack: ".." pops (and stays at the root),
 * a symlink's target replaces the symlink's component in the remaining text
 * and an absolute target empties the stack back to the root.  Nothing is
 * ever resolved against the host: "/" is always the guest filesystem's root.
 */
#include "fs/path.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages show at most this much of a guest path. */
#define BRIEF_MAX 80
/* Read chunk for fs_read_file: keeps each backend read well inside long. */
#define READ_CHUNK (1u << 30)

struct walk {
	struct fs *fs;
	const char *orig;                /* as the caller gave it */
	char brief[BRIEF_MAX + 4];       /* orig, shortened for messages */
	struct fs_node stack[PV_MAX_COMPONENTS + 1]; /* [0] = root */
	int depth;
	int links;                       /* symlinks followed */
	int comps;                       /* components walked */
	char rest[PV_PATH_MAX + 1];      /* what is left to walk */
	char link[PV_PATH_MAX + 1];      /* scratch for splicing a target */
};

static const char *brief(const char *p, char *buf)
{
	size_t n = strlen(p);

	if (n <= BRIEF_MAX)
		snprintf(buf, BRIEF_MAX + 4, "%s", p);
	else
		snprintf(buf, BRIEF_MAX + 4, "%.*s...", BRIEF_MAX, p);
	return buf;
}

/* Replace the component just looked up (rest[0..end)) by the symlink n's
 * target; an absolute target restarts at the root. */
static int splice_link(struct walk *w, const struct fs_node *n, size_t end)
{
	const char *tail = w->rest + end;
	size_t tlen = strlen(tail);
	int len;

	if (++w->links > PV_MAX_SYMLINKS)
		return pv_err(PV_ELOOP,
			      "%s: too many levels of symbolic links (more than %d)",
			      w->brief, PV_MAX_SYMLINKS);
	len = w->fs->ops->readlink(w->fs, n, w->link, sizeof(w->link));
	if (len < 0) {
		pv_err_ctx("%s", w->brief);
		return len;
	}
	if ((size_t)len >= sizeof(w->link) || memchr(w->link, '\0', (size_t)len))
		return pv_err(PV_ECORRUPT, "%s: malformed symbolic link target",
			      w->brief);
	if (len == 0)
		return pv_err(PV_ENOENT, "%s: empty symbolic link", w->brief);
	if ((size_t)len + tlen > PV_PATH_MAX)
		return pv_err(PV_ELIMIT,
			      "%s: path longer than %d bytes after following a symbolic link",
			      w->brief, PV_PATH_MAX);
	memcpy(w->link + len, tail, tlen + 1);
	memcpy(w->rest, w->link, (size_t)len + tlen + 1);
	if (w->rest[0] == '/')
		w->depth = 0;
	return 0;
}

static int walk(struct walk *w, struct fs_node *out)
{
	struct fs *fs = w->fs;
	size_t pos = 0;
	int slash_after = 0; /* the top node was named with a '/' after it */
	int r;

	r = fs->ops->root(fs, &w->stack[0]);
	if (r < 0) {
		pv_err_ctx("%s", w->brief);
		return r;
	}
	w->depth = 0;
	for (;;) {
		const struct fs_node *cur = &w->stack[w->depth];
		const char *name;
		struct fs_node n;
		size_t len, end;

		while (w->rest[pos] == '/')
			pos++;
		if (!w->rest[pos])
			break;
		name = w->rest + pos;
		len = strcspn(name, "/");
		end = pos + len;
		if (++w->comps > PV_MAX_COMPONENTS)
			return pv_err(PV_ELIMIT, "%s: more than %d path components",
				      w->brief, PV_MAX_COMPONENTS);
		if (len > PV_NAME_MAX)
			return pv_err(PV_ELIMIT, "%s: a name is longer than %d bytes",
				      w->brief, PV_NAME_MAX);
		if (!S_ISDIR(cur->mode))
			return pv_err(PV_ENOTREG, "%s: not a directory: \"%.*s\"",
				      w->brief, (int)(len > 40 ? 40 : len), name);
		if (len == 1 && name[0] == '.') {
			pos = end;
			slash_after = 0;
			continue;
		}
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if (w->depth > 0)
				w->depth--;
			pos = end;
			slash_after = 0;
			continue;
		}
		r = fs->ops->lookup(fs, cur, name, len, &n);
		if (r == PV_ENOENT)
			return pv_err(PV_ENOENT, "%s: \"%.*s\" not found",
				      w->brief, (int)(len > 40 ? 40 : len), name);
		if (r < 0) {
			pv_err_ctx("%s", w->brief);
			return r;
		}
		if (S_ISLNK(n.mode)) {
			r = splice_link(w, &n, end);
			if (r < 0)
				return r;
			pos = 0;
			slash_after = 0;
			continue;
		}
		/* depth <= comps <= PV_MAX_COMPONENTS: the stack has room */
		w->stack[++w->depth] = n;
		slash_after = w->rest[end] == '/';
		pos = end;
	}
	if (slash_after && !S_ISDIR(w->stack[w->depth].mode))
		return pv_err(PV_ENOTREG, "%s: not a directory", w->brief);
	*out = w->stack[w->depth];
	return 0;
}

int fs_resolve(struct fs *fs, const char *path, struct fs_node *out)
{
	struct walk *w;
	size_t n = strlen(path);
	int r;

	if (n == 0)
		return pv_err(PV_ENOENT, "empty path");
	w = malloc(sizeof(*w));
	if (!w)
		return pv_err(PV_ENOMEM, "out of memory resolving a path");
	w->fs = fs;
	w->orig = path;
	brief(path, w->brief);
	w->links = 0;
	w->comps = 0;
	if (n > PV_PATH_MAX) {
		r = pv_err(PV_ELIMIT, "%s: path longer than %d bytes",
			   w->brief, PV_PATH_MAX);
	} else {
		memcpy(w->rest, path, n + 1);
		r = walk(w, out);
	}
	free(w);
	return r;
}

static int resolve_kind(struct fs *fs, const char *path, struct fs_node *out,
			mode_t want, const char *what)
{
	char b[BRIEF_MAX + 4];
	int r = fs_resolve(fs, path, out);

	if (r < 0)
		return r;
	if ((out->mode & S_IFMT) != want)
		return pv_err(PV_ENOTREG, "%s: not a %s", brief(path, b), what);
	return 0;
}

int fs_resolve_file(struct fs *fs, const char *path, struct fs_node *out)
{
	return resolve_kind(fs, path, out, S_IFREG, "regular file");
}

int fs_resolve_dir(struct fs *fs, const char *path, struct fs_node *out)
{
	return resolve_kind(fs, path, out, S_IFDIR, "directory");
}

int fs_read_file(struct fs *fs, const char *path, size_t max, char **buf,
		 size_t *len)
{
	char b[BRIEF_MAX + 4];
	struct fs_node n;
	size_t size, got = 0;
	char *data;
	int r;

	*buf = NULL;
	if (len)
		*len = 0;
	r = fs_resolve_file(fs, path, &n);
	if (r < 0)
		return r;
	if (n.size > max || n.size >= SIZE_MAX)
		return pv_err(PV_ELIMIT, "%s: %llu bytes, more than the %zu allowed",
			      brief(path, b), (unsigned long long)n.size, max);
	size = (size_t)n.size;
	data = malloc(size + 1);
	if (!data)
		return pv_err(PV_ENOMEM, "%s: out of memory for %zu bytes",
			      brief(path, b), size);
	while (got < size) {
		size_t want = size - got < READ_CHUNK ? size - got : READ_CHUNK;
		long k = fs->ops->read(fs, &n, got, data + got, want);

		if (k < 0) {
			free(data);
			pv_err_ctx("%s", brief(path, b));
			return (int)k;
		}
		if (k == 0 || (size_t)k > want) {
			free(data);
			return pv_err(PV_EIO, "%s: read %s at byte %zu of %zu",
				      brief(path, b),
				      k == 0 ? "ended early" : "returned too much",
				      got, size);
		}
		got += (size_t)k;
	}
	data[size] = '\0';
	*buf = data;
	if (len)
		*len = size;
	return 0;
}
