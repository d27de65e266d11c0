/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/confined/entries_out.h"
#include "bootloader/wire/entries.h"

#include <stdio.h>
#include <string.h>

struct walk {
	struct strbuf *sb;
	const struct menu_entry *def, *chosen;
	const char *sub[PV_MAX_NESTING + 1];
	size_t depth;
	long leaf, chosen_at;
};

static void put_entry(struct walk *w, const struct menu_entry *e,
		      const char *path)
{
	size_t k, nf = 0;
	char flags[3];

	if (e == w->def)
		flags[nf++] = 'd';
	if (e->kind == ENTRY_LINUX)
		flags[nf++] = 'b';
	if (!nf)
		flags[nf++] = '-';
	flags[nf] = '\0';
	sb_printf(w->sb, "entry %s", flags);
	entries_field(w->sb, path);
	sb_printf(w->sb, " %zu", w->depth);
	for (k = 0; k < w->depth; k++)
		entries_field(w->sb, w->sub[k]);
	entries_field(w->sb, e->title);
	entries_field(w->sb, e->id);
	entries_field(w->sb, e->kind == ENTRY_LINUX ? e->kernel : NULL);
	entries_field(w->sb, e->args);
	entries_field(w->sb, e->kind == ENTRY_LINUX ? NULL
			     : (e->note ? e->note : "not a PV kernel entry"));
	sb_printf(w->sb, " %zu", e->ninitrd);
	for (k = 0; k < e->ninitrd; k++)
		entries_field(w->sb, e->initrd[k]);
	sb_puts(w->sb, "\n");
	if (e == w->chosen)
		w->chosen_at = w->leaf;
	w->leaf++;
}

static void walk(struct walk *w, const struct menu *m, const char *prefix)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->e[i];
		char path[(PV_MAX_NESTING + 2) * 12];

		snprintf(path, sizeof(path), "%s%s%zu", prefix, *prefix ? ">" : "", i);
		if (e->kind != ENTRY_SUBMENU) {
			put_entry(w, e, path);
			continue;
		}
		if (!e->sub || w->depth > PV_MAX_NESTING)
			continue;
		w->sub[w->depth++] = e->title ? e->title : "";
		walk(w, e->sub, path);
		w->depth--;
	}
}

void entries_put(struct strbuf *sb, const char *vol, const char *config,
		 const struct menu *m, const struct menu_entry *def,
		 int boot, const struct menu_entry *chosen)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.sb = sb;
	w.def = def;
	w.chosen = chosen;
	w.chosen_at = -1;
	sb_puts(sb, ENTRIES_MAGIC "\nvol");
	entries_field(sb, vol);
	entries_field(sb, config);
	entries_field(sb, m ? m->format : NULL);
	sb_puts(sb, "\n");
	if (m)
		walk(&w, m, "");
	if (boot)
		sb_printf(sb, "boot %ld\n", w.chosen_at);
}
