/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Flattening the menu tree for the interactive screen (flat.h). */
#include "menu/flat.h"
#include "menu/auth.h"
#include "common/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Titles are cut at PV_MAX_MENU_TITLE bytes: nobody reads more on an
 * 80-column screen, and it bounds the message to the supervisor. */
static char *cap_title(const char *title)
{
	size_t n = strlen(title ? title : "");
	char *s;

	if (n > PV_MAX_MENU_TITLE)
		n = PV_MAX_MENU_TITLE;
	s = malloc(n + 1);
	if (!s)
		return NULL;
	memcpy(s, title ? title : "", n);
	s[n] = '\0';
	return s;
}

static int add_leaves(const struct menu *m, struct flat_menu *f,
		      const char *path, int depth)
{
	size_t i;

	if (!m)
		return 0;
	if (depth > PV_MAX_NESTING)
		return pv_err(PV_ELIMIT, "menu nested deeper than %d submenus",
			      PV_MAX_NESTING);
	for (i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->e[i];
		char p[FLAT_PATH_MAX];
		int k, rc;

		k = snprintf(p, sizeof(p), "%s%s%zu", path, *path ? ">" : "",
			     i);
		if (k < 0 || (size_t)k >= sizeof(p))
			return pv_err(PV_ELIMIT, "menu path too long");
		if (e->kind == ENTRY_SUBMENU) {
			if (f->nsub >= PV_MAX_ENTRIES)
				return pv_err(PV_ELIMIT, "more than %d submenus",
					      PV_MAX_ENTRIES);
			if (!f->subs) {
				f->subs = calloc(PV_MAX_ENTRIES, sizeof(*f->subs));
				if (!f->subs)
					return pv_err(PV_ENOMEM, "out of memory");
			}
			f->subs[f->nsub].title = cap_title(e->title);
			if (!f->subs[f->nsub].title)
				return pv_err(PV_ENOMEM, "out of memory");
			memcpy(f->subs[f->nsub].path, p, (size_t)k + 1);
			f->nsub++;
			rc = add_leaves(e->sub, f, p, depth + 1);
			if (rc < 0)
				return rc;
			continue;
		}
		if (f->n >= PV_MAX_ENTRIES)
			return pv_err(PV_ELIMIT, "more than %d menu entries",
				      PV_MAX_ENTRIES);
		if (f->n == 0) {
			/* allocated once, at the cap: at most 1024 small items */
			f->items = calloc(PV_MAX_ENTRIES, sizeof(*f->items));
			if (!f->items)
				return pv_err(PV_ENOMEM, "out of memory");
		}
		f->items[f->n].title = cap_title(e->title);
		if (!f->items[f->n].title)
			return pv_err(PV_ENOMEM, "out of memory");
		memcpy(f->items[f->n].path, p, (size_t)k + 1);
		f->items[f->n].bootable = e->kind == ENTRY_LINUX;
		f->items[f->n].args = strdup(e->args && strlen(e->args) <=
					     PV_MAX_ARGS ? e->args : "");
		f->items[f->n].lines = flat_entry_lines(e, m->format);
		if (!f->items[f->n].args || !f->items[f->n].lines) {
			free(f->items[f->n].title);
			free(f->items[f->n].args);
			free(f->items[f->n].lines);
			f->items[f->n].title = f->items[f->n].args = NULL;
			f->items[f->n].lines = NULL;
			return pv_err(PV_ENOMEM, "out of memory");
		}
		f->items[f->n].e = e;
		f->items[f->n].own_pw = e->password != NULL &&
					auth_lock_mode(f->src) != MENU_LOCK_GRUB2;
		f->items[f->n].locked = auth_path_locked(f->src, p) ||
					f->items[f->n].own_pw;
		f->n++;
	}
	return 0;
}

int flat_build(const struct menu *m, struct flat_menu *out)
{
	const struct menu_entry *def;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->src = m;
	rc = menu_select(m, NULL, &def, NULL, 0);
	if (rc < 0)
		return rc;
	rc = add_leaves(m, out, "", 0);
	if (rc < 0) {
		flat_free(out);
		return rc;
	}
	for (i = 0; i < out->n && out->items[i].e != def; i++)
		;
	if (i == out->n) { /* cannot happen: the default is a leaf */
		flat_free(out);
		return pv_err(PV_EINVAL, "default entry is not in the menu");
	}
	out->def = i;
	/* what boots with nobody at the console needs no password, unless
	 * it has its own: GRUB asks for that when the countdown ends too */
	out->items[i].locked = out->items[i].own_pw;
	out->lock = (int)auth_lock_mode(m);
	out->timeout = m->timeout < 0 ? -1
		       : m->timeout > PV_MAX_MENU_TIMEOUT ? PV_MAX_MENU_TIMEOUT
		       : m->timeout;
	out->hidden = m->hidden ? 1 : 0;
	return 0;
}

int flat_login(const struct flat_menu *f, const char *user, const char *pass,
	       int *super, unsigned char *unlock)
{
	size_t i;
	int ok;

	*super = 0;
	if (!f->src)
		return 0;
	if (auth_lock_mode(f->src) != MENU_LOCK_GRUB2 && user[0]) {
		/* an entry's own password: user is its index */
		char *end;
		unsigned long k = strtoul(user, &end, 10);

		if (*end || user[0] < '0' || user[0] > '9' || k >= f->n ||
		    !f->items[k].own_pw)
			return 0;
		ok = auth_entry_login(f->items[k].e, pass);
		for (i = 0; i < f->n; i++)
			unlock[i] = !f->items[i].locked || (ok && i == k);
		return ok;
	}
	if (!f->lock)
		return 0;
	ok = auth_login(f->src, user, pass, super);
	for (i = 0; i < f->n; i++)
		unlock[i] = !f->items[i].locked ||
			    (ok && !f->items[i].own_pw &&
			     auth_path_allows(f->src, f->items[i].path,
					      user, *super));
	return ok;
}

void flat_free(struct flat_menu *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->items[i].title);
		free(f->items[i].args);
		free(f->items[i].lines);
	}
	free(f->items);
	for (i = 0; i < f->nsub; i++)
		free(f->subs[i].title);
	free(f->subs);
	memset(f, 0, sizeof(*f));
}
