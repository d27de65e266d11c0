/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB variable contexts.  A context is a small table; an overlay context
 * (entry bodies) reads through to its parent and writes locally, so one
 * entry's `set` never leaks into the next.  A submenu gets a fresh context
 * holding copies of the exported variables only (GRUB's context_open).
 * Every variable alive counts against PV_MAX_VARIABLES.
 */
#include "menu/grub2_script.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

void g2_ctx_init(struct g2_ctx *c, struct g2_ctx *parent, size_t *alive)
{
	memset(c, 0, sizeof(*c));
	c->parent = parent;
	c->alive = alive;
}

void g2_ctx_free(struct g2_ctx *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].value);
	}
	*c->alive -= c->n;
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

static struct g2_var *find_local(const struct g2_ctx *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0)
			return &c->v[i];
	return NULL;
}

/* The variable as seen from c (through overlays), or NULL. */
static const struct g2_var *lookup(const struct g2_ctx *c, const char *name)
{
	for (; c; c = c->parent) {
		const struct g2_var *v = find_local(c, name);

		if (v)
			return v;
	}
	return NULL;
}

const char *g2_ctx_get(const struct g2_ctx *c, const char *name)
{
	const struct g2_var *v = lookup(c, name);

	return v ? v->value : NULL;
}

static int add_local(struct g2_ctx *c, const char *name, struct g2_var **out)
{
	struct g2_var *v;

	if (*c->alive >= PV_MAX_VARIABLES)
		return pv_err(PV_ELIMIT, "more than %d GRUB variables",
			      PV_MAX_VARIABLES);
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;

		v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return pv_err(PV_ENOMEM, "out of memory");
		c->v = v;
		c->cap = cap;
	}
	v = &c->v[c->n];
	memset(v, 0, sizeof(*v));
	v->name = strdup(name);
	if (!v->name)
		return pv_err(PV_ENOMEM, "out of memory");
	c->n++;
	(*c->alive)++;
	*out = v;
	return 0;
}

/* The local variable for name, created (with the value and exported flag
 * of what it hides) when missing. */
static int local_for_write(struct g2_ctx *c, const char *name,
			   struct g2_var **out)
{
	struct g2_var *v = find_local(c, name);
	const struct g2_var *up;
	int r;

	if (v) {
		*out = v;
		return 0;
	}
	up = c->parent ? lookup(c->parent, name) : NULL;
	if ((r = add_local(c, name, &v)) < 0)
		return r;
	if (up) {
		v->exported = up->exported;
		if (up->value && !(v->value = strdup(up->value)))
			return pv_err(PV_ENOMEM, "out of memory");
	}
	*out = v;
	return 0;
}

int g2_ctx_set(struct g2_ctx *c, const char *name, const char *value)
{
	struct g2_var *v;
	char *copy = NULL;
	int r;

	if (value && strlen(value) > PV_MAX_EXPANSION)
		return pv_err(PV_ELIMIT, "variable value longer than %u bytes",
			      PV_MAX_EXPANSION);
	if (!value && !c->parent) {
		/* unset in a plain context: drop the variable */
		size_t i;

		for (i = 0; i < c->n; i++)
			if (strcmp(c->v[i].name, name) == 0)
				break;
		if (i == c->n)
			return 0;
		free(c->v[i].name);
		free(c->v[i].value);
		c->v[i] = c->v[c->n - 1];
		c->n--;
		(*c->alive)--;
		return 0;
	}
	if (value && !(copy = strdup(value)))
		return pv_err(PV_ENOMEM, "out of memory");
	if ((r = local_for_write(c, name, &v)) < 0) {
		free(copy);
		return r;
	}
	free(v->value);
	v->value = copy;
	if (!value)
		v->exported = 0;
	return 0;
}

int g2_ctx_export(struct g2_ctx *c, const char *name)
{
	struct g2_var *v;
	int r = local_for_write(c, name, &v);

	if (r < 0)
		return r;
	/* exporting an unset variable creates it empty, as GRUB does */
	if (!v->value && !(v->value = strdup("")))
		return pv_err(PV_ENOMEM, "out of memory");
	v->exported = 1;
	return 0;
}

int g2_ctx_copy_exported(struct g2_ctx *c, const struct g2_ctx *src)
{
	const struct g2_ctx *s;
	size_t i;
	int r;

	for (s = src; s; s = s->parent) {
		for (i = 0; i < s->n; i++) {
			const struct g2_var *v = &s->v[i];

			/* the nearest definition wins */
			if (lookup(src, v->name) != v || !v->exported ||
			    !v->value)
				continue;
			if ((r = g2_ctx_set(c, v->name, v->value)) < 0 ||
			    (r = g2_ctx_export(c, v->name)) < 0)
				return r;
		}
	}
	return 0;
}
