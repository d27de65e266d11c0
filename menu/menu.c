/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The menu model: allocation and release.  Parsing is in one file per
 * format, selection in menu/select.c. */
#include "menu/menu.h"
#include "menu/envsave.h"
#include "common/err.h"

#include <stdlib.h>
#include <string.h>

void menu_init(struct menu *m, const char *format)
{
	memset(m, 0, sizeof(*m));
	m->timeout = -1;
	m->format = format;
}

static void entry_free(struct menu_entry *e)
{
	size_t i;

	free(e->title);
	free(e->id);
	free(e->kernel);
	free(e->kernel_dev);
	for (i = 0; i < e->ninitrd; i++) {
		free(e->initrd[i]);
		free(e->initrd_dev[i]);
	}
	free(e->args);
	free(e->root);
	free(e->note);
	free(e->users);
	free(e->initrd_part);
	if (e->password)
		explicit_bzero(e->password, strlen(e->password));
	free(e->password);
	menu_env_saves_free(e);
	if (e->sub) {
		menu_free(e->sub);
		free(e->sub);
	}
}

void menu_free(struct menu *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		entry_free(&m->e[i]);
	free(m->e);
	free(m->default_spec);
	free(m->fallback);
	if (m->password) /* may be a plain password */
		explicit_bzero(m->password, strlen(m->password));
	free(m->password);
	free(m->superusers);
	for (i = 0; i < m->nusers; i++) {
		free(m->users[i].name);
		if (m->users[i].secret)
			explicit_bzero(m->users[i].secret,
				       strlen(m->users[i].secret));
		free(m->users[i].secret);
	}
	free(m->users);
	m->superusers = NULL;
	m->users = NULL;
	m->nusers = 0;
	m->e = NULL;
	m->n = m->cap = 0;
	m->default_spec = m->fallback = m->password = NULL;
}

struct menu_entry *menu_add(struct menu *m)
{
	if (m->n >= PV_MAX_ENTRIES) {
		pv_err(PV_ELIMIT, "more than %d menu entries", PV_MAX_ENTRIES);
		return NULL;
	}
	if (m->n == m->cap) {
		/* x4: each move copies the array into fresh pages, and a
		 * first touch is what a big menu costs (at most
		 * PV_MAX_ENTRIES, so never more than the x2 growth reached) */
		size_t cap = m->cap ? m->cap * 4 : 8;
		struct menu_entry *e;

		if (cap > PV_MAX_ENTRIES)
			cap = PV_MAX_ENTRIES;
		e = realloc(m->e, cap * sizeof(*e));

		if (!e) {
			pv_err(PV_ENOMEM, "out of memory");
			return NULL;
		}
		m->e = e;
		m->cap = cap;
	}
	memset(&m->e[m->n], 0, sizeof(m->e[0]));
	return &m->e[m->n++];
}

int menu_set(char **field, const char *s)
{
	char *c = NULL;

	if (s) {
		c = strdup(s);
		if (!c)
			return pv_err(PV_ENOMEM, "out of memory");
	}
	free(*field);
	*field = c;
	return 0;
}

int entry_add_initrd(struct menu_entry *e, const char *path, const char *dev)
{
	int r;

	if (e->ninitrd >= PV_MAX_INITRDS)
		return pv_err(PV_ELIMIT, "more than %d initrds in one entry",
			      PV_MAX_INITRDS);
	e->initrd[e->ninitrd] = NULL;
	e->initrd_dev[e->ninitrd] = NULL;
	r = menu_set(&e->initrd[e->ninitrd], path);
	if (r == 0)
		r = menu_set(&e->initrd_dev[e->ninitrd], dev);
	if (r < 0) {
		free(e->initrd[e->ninitrd]);
		e->initrd[e->ninitrd] = NULL;
		return r;
	}
	e->ninitrd++;
	return 0;
}
