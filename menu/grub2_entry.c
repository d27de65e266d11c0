/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loader commands in an entry body.  `linux` records the kernel (device
 * prefix split off, resolved on $root) and the command line rebuilt the
 * way GRUB builds it; `initrd` replaces the initrd list (several paths on
 * one line: several initrds, in order); multiboot and chainloader mark the
 * entry as not bootable as a PV kernel.  As in GRUB, the last loader
 * command wins and `initrd` needs a kernel first.  Outside an entry body
 * (the config's top level) they do nothing.
 */
#include "menu/grub2_entry.h"
#include "menu/grub2_script.h"
#include "common/err.h"

#include <stdlib.h>
#include <string.h>

static struct menu_entry *cur_entry(struct g2_eval *ev, const char *cmd)
{
	if (!ev->entry) {
		pv_debug("grub2: %s outside a menuentry ignored", cmd);
		return NULL;
	}
	return &ev->entry->menu->e[ev->entry->index];
}

static void clear_initrds(struct menu_entry *e)
{
	size_t i;

	for (i = 0; i < e->ninitrd; i++) {
		free(e->initrd[i]);
		free(e->initrd_dev[i]);
		e->initrd[i] = e->initrd_dev[i] = NULL;
	}
	e->ninitrd = 0;
}

int g2_cmd_linux(struct g2_eval *ev, char **argv, size_t argc)
{
	struct menu_entry *e = cur_entry(ev, argv[0]);
	const char *path;
	char *dev = NULL, *args = NULL;
	int r;

	if (!e)
		return 0;
	if (argc < 2) {
		pv_debug("grub2: %s without a file", argv[0]);
		return 1;
	}
	if ((r = g2_resolve(ev, argv[1], &dev, &path)) < 0) {
		pv_warn("%s:%d: %s: bad path", ev->file, ev->line, argv[0]);
		return r == PV_EINVAL ? 1 : r;
	}
	r = g2_cmdline(argv + 2, argc - 2, &args);
	if (r == 0)
		r = g2_menu_bytes(ev, strlen(args) + strlen(path) +
				  (dev ? strlen(dev) : 0));
	if (r == 0)
		r = menu_set(&e->kernel, path);
	if (r == 0)
		r = menu_set(&e->kernel_dev, dev);
	if (r == 0)
		r = menu_set(&e->root, g2_get_var(ev, "root"));
	if (r == 0) {
		free(e->args);
		e->args = args;
		args = NULL;
		clear_initrds(e);
		e->kind = ENTRY_LINUX;
		r = menu_set(&e->note, NULL);
		ev->entry->loaded = 1;
	}
	free(args);
	free(dev);
	return r;
}

int g2_cmd_initrd(struct g2_eval *ev, char **argv, size_t argc)
{
	struct menu_entry *e = cur_entry(ev, argv[0]);
	size_t i;
	int r;

	if (!e)
		return 0;
	if (e->kind != ENTRY_LINUX) {
		pv_debug("grub2: %s before linux ignored", argv[0]);
		return 1;
	}
	clear_initrds(e);
	for (i = 1; i < argc; i++) {
		const char *path;
		char *dev = NULL;

		if ((r = g2_resolve(ev, argv[i], &dev, &path)) < 0) {
			pv_warn("%s:%d: %s: bad path", ev->file, ev->line,
				argv[0]);
			clear_initrds(e);
			return r == PV_EINVAL ? 1 : r;
		}
		r = g2_menu_bytes(ev, strlen(path) + (dev ? strlen(dev) : 0));
		if (r == 0)
			r = entry_add_initrd(e, path, dev);
		free(dev);
		if (r < 0)
			return r;
	}
	return 0;
}

static int not_pv(struct g2_eval *ev, struct menu_entry *e, const char *why)
{
	int r = menu_set(&e->note, why);

	e->kind = ENTRY_NOT_PV;
	ev->entry->loaded = 1;
	return r;
}

int g2_cmd_multiboot(struct g2_eval *ev, char **argv, size_t argc)
{
	struct menu_entry *e = cur_entry(ev, argv[0]);

	(void)argc;
	if (!e)
		return 0;
	/* a module after linux fails in GRUB and changes nothing */
	if (!strncmp(argv[0], "module", 6) && e->kind == ENTRY_LINUX)
		return 1;
	return not_pv(ev, e, "multiboot (Xen hypervisor or other multiboot "
		      "kernel)");
}

int g2_cmd_chainloader(struct g2_eval *ev, char **argv, size_t argc)
{
	struct menu_entry *e = cur_entry(ev, argv[0]);

	(void)argc;
	if (!e)
		return 0;
	return not_pv(ev, e, "chainloader (another boot loader)");
}
