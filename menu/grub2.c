/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * grub2_parse(): read a grub.cfg the way GRUB 2.06 would (see
 * grub2_script.h for the pieces).  The variables GRUB itself sets before
 * reading its config are preset: prefix and config_directory (the
 * config's directory, with the config's device when known), root, the
 * feature_* flags GRUB 2.06 advertises, grub_platform and grub_cpu.
 */
#include "menu/grub2_script.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What GRUB 2.06's normal mode exports before it reads grub.cfg. */
static const char *const features[] = {
	"feature_chainloader_bpb", "feature_ntldr",
	"feature_platform_search_hint", "feature_default_font_path",
	"feature_all_video_module", "feature_menuentry_id",
	"feature_menuentry_options", "feature_200_final",
	"feature_nativedisk_cmd", "feature_timeout_style",
};

static int preset(struct g2_ctx *c, const char *name, const char *value)
{
	int r = g2_ctx_set(c, name, value);

	return r < 0 ? r : g2_ctx_export(c, name);
}

static int preset_vars(struct g2_ctx *c, const char *path,
		       const struct cfg_io *io)
{
	const char *slash = strrchr(path, '/'), *dev = io ? io->config_dev : NULL;
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	char *dir, *file;
	size_t i, n;
	int r = 0;

	if (strlen(path) > PV_PATH_MAX)
		return pv_err(PV_EINVAL, "config path too long");
	n = strlen(path) + (dev ? strlen(dev) : 0) + 4;
	dir = malloc(n);
	file = malloc(n);
	if (!dir || !file) {
		free(dir);
		free(file);
		return pv_err(PV_ENOMEM, "out of memory");
	}
	if (dev) {
		snprintf(dir, n, "(%s)%.*s", dev, (int)dlen, path);
		snprintf(file, n, "(%s)%s", dev, path);
	} else {
		snprintf(dir, n, "%.*s", (int)dlen, path);
		snprintf(file, n, "%s", path);
	}
	for (i = 0; r == 0 && i < sizeof(features) / sizeof(features[0]); i++)
		r = preset(c, features[i], "y");
	if (r == 0)
		r = preset(c, "grub_platform", "xen");
	if (r == 0)
		r = preset(c, "grub_cpu", "x86_64");
	if (r == 0)
		r = preset(c, "prefix", dir);
	if (r == 0)
		r = preset(c, "config_directory", dir);
	if (r == 0)
		r = preset(c, "config_file", file);
	if (r == 0 && dev)
		r = preset(c, "root", dev);
	free(dir);
	free(file);
	return r;
}

int grub2_parse(const char *path, const char *buf, size_t len,
		const struct cfg_io *io, struct menu *out)
{
	struct g2_eval ev;
	struct g2_ctx top;
	struct g2_node *script;
	size_t i;
	int r;

	menu_init(out, "grub2");
	if (len > PV_MAX_CONFIG_SIZE)
		return pv_err(PV_ELIMIT, "%s: larger than %u bytes", path,
			      PV_MAX_CONFIG_SIZE);
	memset(&ev, 0, sizeof(ev));
	ev.io = io;
	ev.nfiles = 1;
	if (io && io->budget) { /* the run's budget, not this file's */
		ev.steps = io->budget->steps;
		ev.nfiles += io->budget->files;
	}
	g2_ctx_init(&top, NULL, &ev.alive);
	ev.ctx = &top;
	r = g2_parse_script(&ev.arena, path, buf, len, &script);
	if (r == 0)
		r = preset_vars(&top, path, io);
	if (r == 0)
		r = g2_run_menu(&ev, script, out);
	{
		int ra = g2_auth_finish(&ev, out, r == 0);

		if (r == 0)
			r = ra;
	}
	if (io && io->budget) {
		io->budget->steps = ev.steps;
		io->budget->files = ev.nfiles;
	}
	g2_ctx_free(&top);
	for (i = 0; i < ev.nfuncs; i++)
		ev.funcs[i].name = NULL;
	free(ev.funcs);
	if (ev.replacement)
		menu_free(ev.replacement);
	free(ev.replacement);
	free(ev.joined);
	g2_arena_free(&ev.arena);
	if (r < 0)
		menu_free(out);
	return r;
}
