/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Xen's docs/misc/x86-xenpv-bootloader.pandoc: a guest that installs
 * grub-xen keeps its own PV bootloader at /boot/xen/pvboot-x86_64.elf (or
 * /xen/pvboot-x86_64.elf on a separate /boot), and a stage-1 bootloader
 * should offer it.  Booting it means handing that ELF to the domain
 * builder as the kernel, with no ramdisk and no arguments; it then reads
 * the guest's own grub.cfg itself.  We offer it only when the kernel check
 * says it is a 64-bit ELF with Xen's ELF notes.
 */
#include "bootloader/confined/pvgrub.h"
#include "bootloader/confined/kcheck_io.h"
#include "common/err.h"

#include <stdio.h>

static const char *const pvgrub_paths[] = {
	"/boot/xen/pvboot-x86_64.elf", "/xen/pvboot-x86_64.elf"
};

/* 1 = path on volume vi is a usable PV-GRUB, 0 = not there or not one */
static int pvgrub_usable(struct run_ctx *rc, size_t vi, const char *path,
			 uint64_t max)
{
	char used[PV_PATH_MAX];
	struct kcheck k;
	struct blob b;
	int r;

	blob_init(&b);
	r = vols_file_part_blob(rc, vi, rc->vs[vi].dev, path, NULL, max, &b,
				used, sizeof(used));
	if (r == 0)
		r = kernel_check_blob(rc->disk, &b, &k);
	blob_free(&b);
	if (r == PV_ENOENT || r == PV_ENOTREG || r == PV_ELOOP) {
		pv_err_clear();
		return 0;
	}
	if (r < 0) {
		pv_warn("%s: not offered (%s)", path, pv_errmsg());
		pv_err_clear();
		return 0;
	}
	if (k.fmt != KFMT_ELF || k.bits != 64 || !k.xen_notes || k.fatal) {
		pv_warn("%s: not offered: not a 64-bit ELF with Xen ELF notes (%s)",
			path, k.summary);
		return 0;
	}
	pv_debug("%s: the guest's own PV-GRUB (%s)", path, k.summary);
	return 1;
}

int pvgrub_add(struct run_ctx *rc, size_t vi, const struct options *o,
	       struct menu *m)
{
	struct menu_entry *e;
	char idx[24];
	size_t i;
	int r;

	for (i = 0; i < sizeof(pvgrub_paths) / sizeof(pvgrub_paths[0]); i++)
		if (pvgrub_usable(rc, vi, pvgrub_paths[i], o->max_file))
			break;
	if (i == sizeof(pvgrub_paths) / sizeof(pvgrub_paths[0]))
		return 0;
	e = menu_add(m);
	if (!e)
		return PV_ENOMEM;
	e->kind = ENTRY_LINUX;
	r = menu_set(&e->title, PVGRUB_TITLE);
	if (r == 0)
		r = menu_set(&e->id, "pvgrub");
	if (r == 0)
		r = menu_set(&e->kernel, pvgrub_paths[i]);
	if (r == 0)
		r = menu_set(&e->kernel_dev, rc->vs[vi].dev);
	if (r == 0)
		r = menu_set(&e->args, "");
	if (r == 0 && o->prefer_pvgrub) {
		snprintf(idx, sizeof(idx), "%zu", m->n - 1);
		r = menu_set(&m->default_spec, idx);
	}
	return r;
}
