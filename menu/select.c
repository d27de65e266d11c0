/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Choosing the entry to boot (see /work/shared/grub-semantics.md,
 * "Choosing the default").
 *
 * The default is resolved as GRUB resolves $default: the first component
 * of "A>B>C" is looked up in the top-level menu by number, else by title
 * or id (">>" stands for a literal '>'); when it names a submenu, the rest
 * of the path becomes the default inside that submenu (or the submenu's
 * own default when nothing is left, else its first entry); when it names
 * a plain entry, the rest is ignored (GRUB does the same).  A default that
 * names nothing falls back, with a warning, to the first bootable entry of
 * the menu it was looked up in (the whole menu, or the submenu already
 * entered), descending into submenus.  A default that names an entry we
 * cannot boot (ENTRY_NOT_PV: a Xen multiboot entry, a chainloader...)
 * also falls back, with a warning that says why.
 *
 * --entry (want) keeps pygrub's meaning: a number is an index into the
 * flattened list of menuentries (pygrub's GRUB 2 reader ignores submenu
 * structure), a title matches at any depth.  It also takes an id or an
 * A>B path (GRUB's own semantics), but must name something: anything else
 * is an error, never a silent fallback.
 *
 * menu->fallback (GRUB's `fallback`) is not used here: GRUB only uses it
 * when booting the default fails at boot time, which for us would be the
 * kernel copy failing later in the run; we do not retry with it.
 */
#include "menu/menu.h"
#include "common/err.h"
#include "common/sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "1>0>12": up to PV_MAX_NESTING + 1 indices below PV_MAX_ENTRIES */
#define SEL_PATH_MAX ((PV_MAX_NESTING + 2) * 12)

struct sel {
	char path[SEL_PATH_MAX];
	size_t plen;
};

static void path_push(struct sel *s, size_t idx)
{
	int k = snprintf(s->path + s->plen, sizeof(s->path) - s->plen, "%s%zu",
			 s->plen ? ">" : "", idx);

	if (k > 0 && (size_t)k < sizeof(s->path) - s->plen)
		s->plen += (size_t)k;
}

static const char *clean(char *buf, size_t sz, const char *s)
{
	if (!s)
		return "(none)";
	return pv_sanitize(buf, sz, s, strlen(s));
}

/* Copy one path component of spec into comp (">>" -> '>'); return a
 * pointer to the rest after the separating '>', or NULL at the end. */
static const char *split_component(const char *spec, char *comp)
{
	const char *p = spec;

	while (*p) {
		if (*p == '>') {
			if (p[1] == '>') {
				*comp++ = '>';
				p += 2;
				continue;
			}
			*comp = '\0';
			return p + 1;
		}
		*comp++ = *p++;
	}
	*comp = '\0';
	return NULL;
}

/* Index of the entry named by one component (number, title or id), or -1. */
static long lookup(const struct menu *m, const char *comp)
{
	size_t i, n = strlen(comp);

	if (n && strspn(comp, "0123456789") == n) {
		unsigned long v = 0;

		if (n > 9) /* far past PV_MAX_ENTRIES either way */
			return -1;
		for (i = 0; i < n; i++)
			v = v * 10 + (unsigned long)(comp[i] - '0');
		return v < m->n ? (long)v : -1;
	}
	for (i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->e[i];

		if ((e->title && strcmp(e->title, comp) == 0) ||
		    (e->id && strcmp(e->id, comp) == 0))
			return (long)i;
	}
	return -1;
}

/* Depth-first: the first ENTRY_LINUX in m, its index path appended to s. */
static const struct menu_entry *first_bootable(const struct menu *m,
					       struct sel *s, int depth)
{
	size_t i, plen = s->plen;

	if (depth > PV_MAX_NESTING)
		return NULL;
	for (i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->e[i], *r;

		s->plen = plen;
		s->path[plen] = '\0';
		path_push(s, i);
		if (e->kind == ENTRY_LINUX)
			return e;
		if (e->kind == ENTRY_SUBMENU && e->sub) {
			r = first_bootable(e->sub, s, depth + 1);
			if (r)
				return r;
		}
	}
	s->plen = plen;
	s->path[plen] = '\0';
	return NULL;
}

/* The first ENTRY_NOT_PV anywhere, to explain why nothing can boot. */
static const struct menu_entry *first_not_pv(const struct menu *m, int depth)
{
	size_t i;

	if (depth > PV_MAX_NESTING)
		return NULL;
	for (i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->e[i], *r;

		if (e->kind == ENTRY_NOT_PV)
			return e;
		if (e->kind == ENTRY_SUBMENU && e->sub &&
		    (r = first_not_pv(e->sub, depth + 1)))
			return r;
	}
	return NULL;
}

/* The first bootable entry of the whole menu, or an error saying why
 * there is none. */
static int global_fallback(const struct menu *top, struct sel *s,
			   const struct menu_entry **out)
{
	const struct menu_entry *e;
	char t[128], nt[256];

	s->plen = 0;
	s->path[0] = '\0';
	e = first_bootable(top, s, 0);
	if (e) {
		*out = e;
		return 0;
	}
	e = first_not_pv(top, 0);
	if (e)
		return pv_err(PV_ENOTSUP,
			      "no bootable entry: \"%s\" cannot boot here: %s",
			      clean(t, sizeof(t), e->title),
			      clean(nt, sizeof(nt), e->note));
	return pv_err(PV_ENOENT, "no boot entries");
}

/* Fall back from menu cur (whose index path in s is plen long): its first
 * bootable entry, else the whole menu's. */
static int fallback_from(const struct menu *top, const struct menu *cur,
			 size_t plen, int depth, struct sel *s,
			 const struct menu_entry **out)
{
	const struct menu_entry *e;

	s->plen = plen;
	s->path[plen] = '\0';
	if (cur != top) {
		e = first_bootable(cur, s, depth);
		if (e) {
			*out = e;
			return 0;
		}
	}
	return global_fallback(top, s, out);
}

/*
 * Walk spec from menu cur (path so far in s), GRUB's way.  top is the
 * whole menu, for the final fallback.  Lenient: never fails while some
 * entry can boot.
 */
static int walk_default(const struct menu *top, const struct menu *cur,
			const char *spec, struct sel *s,
			const struct menu_entry **out)
{
	char t[128], nt[256], sp[128];
	char *comp = NULL;
	int depth;

	for (depth = 0; depth <= PV_MAX_NESTING; depth++) {
		const struct menu_entry *e;
		const char *rest = NULL;
		size_t plen = s->plen;
		long idx = 0;

		if (spec && *spec) {
			free(comp);
			comp = malloc(strlen(spec) + 1);
			if (!comp)
				return pv_err(PV_ENOMEM, "out of memory");
			rest = split_component(spec, comp);
			idx = lookup(cur, comp);
		}
		if (cur->n == 0) {
			free(comp);
			pv_warn("default: submenu is empty: falling back to the first bootable entry");
			return global_fallback(top, s, out);
		}
		if (idx < 0) {
			pv_warn("default \"%s\" names no menu entry: falling back to the first bootable entry",
				clean(sp, sizeof(sp), spec));
			free(comp);
			return fallback_from(top, cur, plen, depth, s, out);
		}
		e = &cur->e[idx];
		path_push(s, (size_t)idx);
		if (e->kind == ENTRY_SUBMENU && e->sub) {
			cur = e->sub;
			/* the rest of the path, else the submenu's own default */
			spec = rest ? rest : cur->default_spec;
			continue;
		}
		free(comp);
		if (e->kind == ENTRY_LINUX) {
			*out = e;
			return 0;
		}
		pv_warn("default entry \"%s\" cannot boot here (%s): booting the first bootable entry",
			clean(t, sizeof(t), e->title),
			clean(nt, sizeof(nt), e->note ? e->note
				: "an empty submenu"));
		return fallback_from(top, cur, plen, depth, s, out);
	}
	free(comp);
	return pv_err(PV_ELIMIT, "default path nested deeper than %d menus",
		      PV_MAX_NESTING);
}

/*
 * pygrub's own meaning of --entry: its GRUB 2 reader flattens submenus, so
 * a number counts every menuentry in file order (submenus' entries
 * included) and a title matches a menuentry at any depth.  Scripts written
 * for pygrub keep working.  *count carries the running index.
 */
static const struct menu_entry *flat_find(const struct menu *m, long want_idx,
					  const char *want_title, long *count,
					  struct sel *s, int depth)
{
	size_t i, plen = s->plen;

	if (!m || depth > PV_MAX_NESTING)
		return NULL;
	for (i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->e[i], *f;

		s->plen = plen;
		s->path[plen] = '\0';
		path_push(s, i);
		if (e->kind == ENTRY_SUBMENU) {
			f = flat_find(e->sub, want_idx, want_title, count, s,
				      depth + 1);
			if (f)
				return f;
			continue;
		}
		if (want_title ? (e->title && strcmp(e->title, want_title) == 0)
			       : *count == want_idx)
			return e;
		(*count)++;
	}
	s->plen = plen;
	s->path[plen] = '\0';
	return NULL;
}

/* Strict: every component of want must name an entry.  Returns the entry
 * named (maybe a submenu), or NULL. */
static const struct menu_entry *walk_want(const struct menu *top,
					  const char *want, struct sel *s,
					  int *err)
{
	const struct menu *cur = top;
	const struct menu_entry *e = NULL;
	char *comp;
	const char *spec = want;
	long idx;
	int depth;

	*err = 0;
	/* a number: pygrub's flat index (see flat_find) */
	if (*want && strspn(want, "0123456789") == strlen(want)) {
		long count = 0, v = strlen(want) > 9 ? -1 : atol(want);

		return v < 0 ? NULL : flat_find(top, v, NULL, &count, s, 0);
	}
	/* the whole text: a title or id at the top, then a title at any
	 * depth (pygrub); a title may contain '>' */
	idx = lookup(top, want);
	if (idx >= 0) {
		path_push(s, (size_t)idx);
		return &top->e[idx];
	}
	{
		long count = 0;

		e = flat_find(top, -1, want, &count, s, 0);
		if (e)
			return e;
	}
	comp = malloc(strlen(want) + 1);
	if (!comp) {
		*err = pv_err(PV_ENOMEM, "out of memory");
		return NULL;
	}
	for (depth = 0; spec && depth <= PV_MAX_NESTING; depth++) {
		if (!cur) {
			e = NULL;
			break;
		}
		spec = split_component(spec, comp);
		idx = lookup(cur, comp);
		if (idx < 0) {
			e = NULL;
			break;
		}
		e = &cur->e[idx];
		path_push(s, (size_t)idx);
		cur = e->kind == ENTRY_SUBMENU ? e->sub : NULL;
	}
	if (spec)
		e = NULL;
	free(comp);
	return e;
}

int menu_select(const struct menu *m, const char *want,
		const struct menu_entry **out, char *path_out,
		size_t path_out_sz)
{
	struct sel s;
	const struct menu_entry *e = NULL;
	char w[128], t[128], nt[256];
	int r;

	memset(&s, 0, sizeof(s));
	*out = NULL;
	if (path_out && path_out_sz)
		path_out[0] = '\0';
	if (!m || m->n == 0)
		return pv_err(PV_ENOENT, "no boot entries");

	if (want) {
		e = walk_want(m, want, &s, &r);
		if (r < 0)
			return r;
		if (!e)
			return pv_err(PV_ENOENT, "no menu entry matches --entry=%s",
				      clean(w, sizeof(w), want));
		if (e->kind == ENTRY_SUBMENU) {
			const struct menu *sub = e->sub;

			/* a submenu named: its own default, as GRUB would */
			if (!sub || sub->n == 0 || !first_bootable(sub, &(struct sel){ 0 }, 0))
				return pv_err(PV_ENOENT,
					      "--entry=%s names a submenu with no bootable entry",
					      clean(w, sizeof(w), want));
			r = walk_default(m, sub, sub->default_spec, &s, &e);
			if (r < 0)
				return r;
		} else if (e->kind == ENTRY_NOT_PV) {
			return pv_err(PV_ENOTSUP,
				      "--entry=%s names \"%s\", which cannot boot here: %s",
				      clean(w, sizeof(w), want),
				      clean(t, sizeof(t), e->title),
				      clean(nt, sizeof(nt), e->note));
		}
	} else {
		r = walk_default(m, m, m->default_spec, &s, &e);
		if (r < 0)
			return r;
	}
	*out = e;
	if (path_out && path_out_sz)
		snprintf(path_out, path_out_sz, "%s", s.path);
	return 0;
}
