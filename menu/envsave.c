/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's save_env over a cfg_io, and savedefault's deferred saves (see
 * envsave.h). */
#include "menu/envsave.h"
#include "menu/grubenv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

int grubenv_save(const struct cfg_io *io, const char *dev, const char *path,
		 char *const *names, char *const *values, size_t n,
		 const char *where)
{
	char *buf = NULL;
	size_t len = 0, i;
	int r;

	if (!io || !io->env_read || !io->env_write) {
		pv_debug("grub2: %s: save_env %s: no file access", where, path);
		return 1;
	}
	r = io->env_read(io->ctx, dev, path, &buf, &len);
	if (r < 0) {
		if (r == PV_ENOMEM)
			return r;
		pv_warn("%s: save_env %s: %s", where, path, pv_errmsg());
		return 1;
	}
	if (len < strlen(GRUBENV_SIGNATURE) ||
	    memcmp(buf, GRUBENV_SIGNATURE, strlen(GRUBENV_SIGNATURE)) != 0) {
		pv_warn("%s: save_env %s: invalid environment block", where,
			path);
		free(buf);
		return 1;
	}
	/* GRUB checks that it can write the file (its blocklist) before it
	 * edits anything: the same refusal, with the same reason, first */
	r = io->env_write(io->ctx, dev, path, buf, len);
	if (r < 0) {
		free(buf);
		if (r == PV_ENOMEM)
			return r;
		pv_warn("%s: save_env %s: %s", where, path, pv_errmsg());
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (!values[i]) {
			grubenv_delete(buf, len, names[i]);
		} else if (!grubenv_set(buf, len, names[i], values[i])) {
			/* GRUB: "environment block too small", nothing saved */
			pv_warn("%s: save_env %s: environment block too small "
				"for %s: nothing saved", where, path, names[i]);
			free(buf);
			return 1;
		}
	}
	r = io->env_write(io->ctx, dev, path, buf, len);
	free(buf);
	if (r < 0) {
		if (r == PV_ENOMEM)
			return r;
		pv_warn("%s: save_env %s: %s", where, path, pv_errmsg());
		return 1;
	}
	return 0;
}

static char *dup_or_null(const char *s, int *bad)
{
	char *c;

	if (!s)
		return NULL;
	c = strdup(s);
	if (!c)
		*bad = 1;
	return c;
}

static void save_free(struct menu_env_save *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->names)
			free(s->names[i]);
		if (s->values)
			free(s->values[i]);
	}
	free(s->names);
	free(s->values);
	free(s->dev);
	free(s->path);
}

int menu_env_save_record(struct menu_entry *e, const char *dev,
			 const char *path, char *const *names,
			 char *const *values, size_t n)
{
	struct menu_env_save *v, *s;
	size_t i;
	int bad = 0;

	if (e->nsaves >= PV_MAX_ENV_SAVES || n > PV_MAX_ENV_NAMES)
		return pv_err(PV_ELIMIT, "more than %d save_env commands or "
			      "%d names in one entry", PV_MAX_ENV_SAVES,
			      PV_MAX_ENV_NAMES);
	v = realloc(e->saves, (e->nsaves + 1) * sizeof(*v));
	if (!v)
		return pv_err(PV_ENOMEM, "out of memory");
	e->saves = v;
	s = &v[e->nsaves];
	memset(s, 0, sizeof(*s));
	s->dev = dup_or_null(dev, &bad);
	s->path = dup_or_null(path, &bad);
	s->names = calloc(n + 1, sizeof(char *));
	s->values = calloc(n + 1, sizeof(char *));
	if (!s->names || !s->values)
		bad = 1;
	for (i = 0; !bad && i < n; i++) {
		s->names[i] = dup_or_null(names[i], &bad);
		s->values[i] = dup_or_null(values[i], &bad);
		s->n = i + 1;
	}
	if (bad) {
		save_free(s);
		return pv_err(PV_ENOMEM, "out of memory");
	}
	e->nsaves++;
	return 0;
}

int menu_env_saves_run(const struct cfg_io *io, const struct menu_entry *e)
{
	size_t i;
	int r;

	for (i = 0; i < e->nsaves; i++) {
		const struct menu_env_save *s = &e->saves[i];

		r = grubenv_save(io, s->dev, s->path, s->names, s->values,
				 s->n, e->title ? e->title : "entry");
		if (r < 0)
			return r;
	}
	return 0;
}

void menu_env_saves_free(struct menu_entry *e)
{
	size_t i;

	for (i = 0; i < e->nsaves; i++)
		save_free(&e->saves[i]);
	free(e->saves);
	e->saves = NULL;
	e->nsaves = 0;
}
