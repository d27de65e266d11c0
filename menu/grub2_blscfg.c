/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * blscfg (Fedora/RHEL GRUB): add the Boot Loader Spec entries of
 * loader/entries to the current menu.  Entries are looked for at
 * /loader/entries on $root (a separate /boot filesystem) and then at
 * /boot/loader/entries (/boot inside the root filesystem: paths in the
 * entries are relative to /boot, so "/boot" is prepended unless they
 * already start with it).  Options are expanded with the evaluator's
 * variables, so $kernelopts from grubenv works.
 */
#include "menu/grub2_script.h"
#include "menu/bls.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

static const char *bls_getvar(void *ctx, const char *name)
{
	return g2_get_var(ctx, name);
}

static void free_ents(struct bls_entry *ents, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bls_entry_free(&ents[i]);
	free(ents);
}

/* Entries of one directory: 0 with *n possibly 0, or a fatal code. */
static int load(struct g2_eval *ev, const char *dev, const char *dir,
		struct bls_entry **ents, size_t *n)
{
	int r;

	*ents = NULL;
	*n = 0;
	r = bls_load_dir(ev->io, dev, dir, ents, n);
	if (r == PV_ELIMIT || r == PV_ENOMEM)
		return r;
	if (r < 0) {
		if (r != PV_ENOENT)
			pv_warn("%s:%d: blscfg: %s: %s", ev->file, ev->line, dir,
				pv_strerror(r));
		*ents = NULL;
		*n = 0;
	}
	return 0;
}

int g2_cmd_blscfg(struct g2_eval *ev, char **argv, size_t argc)
{
	struct bls_entry *ents = NULL;
	const char *path;
	char *dev = NULL;
	size_t n = 0, i, first = ev->menu->n, k;
	int r, in_boot = 0;

	(void)argv, (void)argc;
	if (ev->entry || !ev->io || !ev->io->list_dir)
		return 1;
	if ((r = g2_resolve(ev, "/loader/entries", &dev, &path)) < 0)
		return 1;
	r = load(ev, dev, "/loader/entries", &ents, &n);
	if (r == 0 && n == 0) {
		in_boot = 1;
		r = load(ev, dev, "/boot/loader/entries", &ents, &n);
	}
	if (r < 0 || n == 0)
		goto out;
	if (n > (size_t)(PV_MAX_CONFIG_FILES - ev->nfiles)) {
		r = pv_err(PV_ELIMIT, "more than %d config files read",
			   PV_MAX_CONFIG_FILES);
		goto out;
	}
	ev->nfiles += (int)n;
	/* one at a time: the /boot prefix depends on each entry's paths */
	for (i = 0; i < n && r == 0; i++) {
		const char *prefix = in_boot && ents[i].linux &&
				     strncmp(ents[i].linux, "/boot/", 6) ? "/boot" : "";

		r = bls_append_to_menu(&ents[i], 1, prefix, bls_getvar, ev,
				       ev->menu);
	}
	for (k = first; r == 0 && dev && k < ev->menu->n; k++) {
		struct menu_entry *e = &ev->menu->e[k];
		size_t j;

		if ((r = menu_set(&e->kernel_dev, dev)) < 0)
			break;
		for (j = 0; j < e->ninitrd && r == 0; j++)
			r = menu_set(&e->initrd_dev[j], dev);
	}
out:
	free_ents(ents, n);
	free(dev);
	if (r < 0)
		return r;
	return n ? 0 : 1;
}
