/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded bump allocation for parsed GRUB scripts: freed all at once. */
#include "menu/grub2_script.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64u << 10)

struct g2_chunk {
	struct g2_chunk *next;
	size_t size, used;
	max_align_t data[];
};

void *g2_alloc(struct g2_arena *a, size_t n)
{
	struct g2_chunk *c = a->head;
	size_t need = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	void *p;

	if (need < n || need > PV_MAX_SCRIPT_MEMORY - a->used) {
		a->err = pv_err(PV_ELIMIT, "GRUB scripts need more than %u bytes",
				PV_MAX_SCRIPT_MEMORY);
		return NULL;
	}
	if (!c || c->size - c->used < need) {
		size_t sz = need > CHUNK_SIZE ? need : CHUNK_SIZE;

		c = malloc(sizeof(*c) + sz);
		if (!c) {
			a->err = pv_err(PV_ENOMEM, "out of memory");
			return NULL;
		}
		c->size = sz;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

char *g2_strndup(struct g2_arena *a, const char *s, size_t n)
{
	char *p = g2_alloc(a, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void g2_arena_free(struct g2_arena *a)
{
	while (a->head) {
		struct g2_chunk *c = a->head;

		a->head = c->next;
		free(c);
	}
	a->used = a->nodes = 0;
}
