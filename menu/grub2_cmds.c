/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB commands that look at the guest's filesystems, all through the
 * cfg_io callbacks: search, source, configfile, load_env and the file
 * tests' stat.  Without a callback the command fails as "not found".
 * Files read are counted (PV_MAX_CONFIG_FILES) and nested sourcing is
 * capped (PV_MAX_INCLUDE_DEPTH).
 */
#include "menu/grub2_script.h"
#include "menu/grubenv.h"
#include "menu/envsave.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int g2_stat(struct g2_eval *ev, const char *path, char *type,
	    unsigned long long *size)
{
	const char *p;
	char *dev;
	uint64_t sz = 0;
	int r;

	if (!ev->io || !ev->io->stat)
		return PV_ENOENT;
	if ((r = g2_resolve(ev, path, &dev, &p)) < 0)
		return r;
	r = ev->io->stat(ev->io->ctx, dev, p, type, &sz);
	*size = sz;
	free(dev);
	return r;
}

/* --- search --- */

int g2_cmd_search(struct g2_eval *ev, char **argv, size_t argc)
{
	const char *how = "file", *var = NULL, *value = NULL;
	char dev[256];
	size_t i = 1;
	int r;

	if (!strcmp(argv[0], "search.fs_uuid") ||
	    !strcmp(argv[0], "search.fs_label") ||
	    !strcmp(argv[0], "search.file")) {
		how = !strcmp(argv[0], "search.file") ? "file" :
		      !strcmp(argv[0], "search.fs_uuid") ? "fs-uuid" : "label";
		if (argc < 2)
			return 1;
		value = argv[1];
		var = argc > 2 ? argv[2] : NULL;
	} else {
		for (; i < argc; i++) {
			const char *a = argv[i];

			if (!strcmp(a, "-f") || !strcmp(a, "--file"))
				how = "file";
			else if (!strcmp(a, "-l") || !strcmp(a, "--label"))
				how = "label";
			else if (!strcmp(a, "-u") || !strcmp(a, "--fs-uuid"))
				how = "fs-uuid";
			else if (!strcmp(a, "-s") || !strcmp(a, "--set"))
				var = "root";
			else if (!strncmp(a, "--set=", 6))
				var = a + 6;
			else if (!strcmp(a, "-n") || !strcmp(a, "--no-floppy") ||
				 !strcmp(a, "-e") || !strcmp(a, "--efidisk-only"))
				;
			else if (!strncmp(a, "--hint", 6)) {
				if (!strchr(a, '=') && i + 1 < argc)
					i++;
			} else if (!strcmp(a, "--"))
				continue;
			else if (!value)
				value = a;
		}
	}
	if (!value)
		return 1;
	if (!ev->io || !ev->io->search) {
		pv_debug("grub2: search %s %s: no search available", how, value);
		return 1;
	}
	r = ev->io->search(ev->io->ctx, how, value, dev, sizeof(dev));
	if (r < 0) {
		pv_debug("grub2: search %s %s: %s", how, value, pv_strerror(r));
		return 1;
	}
	dev[sizeof(dev) - 1] = '\0';
	if (var && *var && (r = g2_set_var(ev, var, dev)) < 0)
		return r;
	return 0;
}

/* --- reading script files --- */

/*
 * Read and parse one script file.  A missing or unreadable file is a
 * failed command (1); a syntax error or a limit is fatal.
 */
static int load_script(struct g2_eval *ev, const char *cmd, const char *file,
		       struct g2_node **out, const char **name_out)
{
	const char *path;
	char *dev = NULL, *buf = NULL, *name;
	size_t len = 0;
	int r;

	if (!ev->io || !ev->io->read_file) {
		pv_debug("grub2: %s %s: no file access", cmd, file);
		return 1;
	}
	if (ev->include_depth >= PV_MAX_INCLUDE_DEPTH)
		return pv_err(PV_ELIMIT, "%s nested deeper than %d files", cmd,
			      PV_MAX_INCLUDE_DEPTH);
	if (ev->nfiles >= PV_MAX_CONFIG_FILES)
		return pv_err(PV_ELIMIT, "more than %d config files read",
			      PV_MAX_CONFIG_FILES);
	if ((r = g2_resolve(ev, file, &dev, &path)) < 0)
		return 1;
	ev->nfiles++;
	r = ev->io->read_file(ev->io->ctx, dev, path, &buf, &len);
	free(dev);
	if (r < 0) {
		if (r == PV_ENOENT)
			pv_debug("grub2: %s %s: not found", cmd, file);
		else
			pv_warn("%s:%d: %s %s: %s", ev->file, ev->line, cmd, file,
				pv_strerror(r));
		return 1;
	}
	name = g2_strndup(&ev->arena, file, strlen(file));
	if (!name) {
		free(buf);
		return ev->arena.err;
	}
	r = g2_parse_script(&ev->arena, name, buf, len, out);
	free(buf);
	if (r < 0) {
		ev->err_located = 1;
		return r;
	}
	*name_out = name;
	return 0;
}

int g2_cmd_source(struct g2_eval *ev, char **argv, size_t argc)
{
	struct g2_node *script;
	const char *name, *sfile = ev->file;
	int r, sline = ev->line;

	if (argc < 2)
		return 1;
	r = load_script(ev, argv[0], argv[1], &script, &name);
	if (r != 0)
		return r;
	ev->include_depth++;
	ev->status = 0;
	r = g2_exec_list(ev, script);
	ev->include_depth--;
	ev->file = sfile;
	ev->line = sline;
	return r < 0 ? r : ev->status;
}

int g2_cmd_configfile(struct g2_eval *ev, char **argv, size_t argc)
{
	struct g2_node *script;
	struct g2_ctx ctx, *saved = ev->ctx;
	struct menu *m;
	const char *name;
	int r;

	if (argc < 2)
		return 1;
	if (ev->entry) {
		pv_warn("%s:%d: configfile in an entry body ignored", ev->file,
			ev->line);
		return 1;
	}
	if (ev->menu_depth >= PV_MAX_NESTING)
		return pv_err(PV_ELIMIT, "configfile and submenus nested deeper "
			      "than %d", PV_MAX_NESTING);
	r = load_script(ev, argv[0], argv[1], &script, &name);
	if (r != 0)
		return r;
	m = malloc(sizeof(*m));
	if (!m)
		return pv_err(PV_ENOMEM, "out of memory");
	menu_init(m, "grub2");
	/* GRUB runs it in a new context: exported variables only */
	g2_ctx_init(&ctx, NULL, &ev->alive);
	r = g2_ctx_copy_exported(&ctx, ev->ctx);
	if (r == 0) {
		ev->ctx = &ctx;
		ev->include_depth++;
		ev->menu_depth++;
		r = g2_run_menu(ev, script, m);
		ev->menu_depth--;
		ev->include_depth--;
		ev->ctx = saved;
	}
	g2_ctx_free(&ctx);
	if (r < 0) {
		menu_free(m);
		free(m);
		return r;
	}
	ev->replacement = m;
	ev->unwind = G2_UW_REPLACED;
	return 0;
}

/* --- load_env --- */

struct env_load {
	struct g2_eval *ev;
	char **only;      /* variables to take, or none: all */
	size_t nonly;
};

static int env_var(void *ctx, const char *name, const char *value)
{
	struct env_load *l = ctx;
	size_t i;

	if (l->nonly) {
		for (i = 0; i < l->nonly; i++)
			if (!strcmp(l->only[i], name))
				break;
		if (i == l->nonly)
			return 0;
	}
	return g2_set_var(l->ev, name, value);
}

int g2_cmd_load_env(struct g2_eval *ev, char **argv, size_t argc)
{
	struct env_load l = { ev, NULL, 0 };
	const char *file = NULL, *path;
	char *dflt = NULL, *dev = NULL, *buf = NULL;
	size_t i, len = 0;
	int r;

	l.only = calloc(argc, sizeof(char *));
	if (!l.only)
		return pv_err(PV_ENOMEM, "out of memory");
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((!strcmp(a, "-f") || !strcmp(a, "--file")) && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(a, "--file=", 7))
			file = a + 7;
		else if (!strcmp(a, "-s") || !strcmp(a, "--skip-sig"))
			;
		else
			l.only[l.nonly++] = argv[i];
	}
	r = 1;
	if (!file) {
		const char *prefix = g2_get_var(ev, "prefix");

		if (!prefix || !*prefix)
			goto out;
		dflt = malloc(strlen(prefix) + sizeof("/grubenv"));
		if (!dflt) {
			r = pv_err(PV_ENOMEM, "out of memory");
			goto out;
		}
		strcpy(dflt, prefix);
		strcat(dflt, "/grubenv");
		file = dflt;
	}
	if (!ev->io || !(ev->io->env_read || ev->io->read_file))
		goto out;
	if (ev->nfiles >= PV_MAX_CONFIG_FILES) {
		r = pv_err(PV_ELIMIT, "more than %d config files read",
			   PV_MAX_CONFIG_FILES);
		goto out;
	}
	if (g2_resolve(ev, file, &dev, &path) < 0)
		goto out;
	ev->nfiles++;
	/* env_read: what an earlier save_env of this run left there */
	if ((ev->io->env_read ? ev->io->env_read : ev->io->read_file)(
		    ev->io->ctx, dev, path, &buf, &len) < 0) {
		pv_debug("grub2: load_env %s: cannot read", file);
		goto out;
	}
	r = grubenv_parse(buf, len, env_var, &l);
	if (r == PV_ECORRUPT) {
		pv_warn("%s:%d: load_env %s: not a GRUB environment block",
			ev->file, ev->line, file);
		r = 1;
	} else if (r >= 0) {
		r = 0;
	}
out:
	free(buf);
	free(dev);
	free(dflt);
	free(l.only);
	return r;
}

/* --- save_env --- */

/*
 * save_env [-f FILE] NAME...: each NAME's current value (unset: the line
 * is removed) into the block, as GRUB does.  In an entry body the command
 * only runs if GRUB boots that entry (savedefault): it is recorded on the
 * entry with the values it would save, and replayed after selection.
 */
int g2_cmd_save_env(struct g2_eval *ev, char **argv, size_t argc)
{
	const char *file = NULL, *path;
	char *dflt = NULL, *dev = NULL, **names, **values, where[PV_PATH_MAX];
	size_t i, n = 0, bytes = 0;
	int r = 1;

	names = calloc(argc + 1, sizeof(char *));
	values = calloc(argc + 1, sizeof(char *));
	if (!names || !values) {
		free(names);
		free(values);
		return pv_err(PV_ENOMEM, "out of memory");
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((!strcmp(a, "-f") || !strcmp(a, "--file")) && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(a, "--file=", 7))
			file = a + 7;
		else if (!strcmp(a, "-s") || !strcmp(a, "--skip-sig"))
			;
		else {
			names[n] = argv[i];
			values[n] = (char *)g2_get_var(ev, argv[i]);
			bytes += strlen(argv[i]) +
				 (values[n] ? strlen(values[n]) : 0);
			n++;
		}
	}
	snprintf(where, sizeof(where), "%s:%d", ev->file, ev->line);
	if (n == 0) { /* GRUB: "no variable is specified" */
		pv_debug("%s: save_env without a variable", where);
		goto out;
	}
	if (n > PV_MAX_ENV_NAMES) {
		pv_warn("%s: save_env of more than %d variables ignored",
			where, PV_MAX_ENV_NAMES);
		goto out;
	}
	if (!file) {
		const char *prefix = g2_get_var(ev, "prefix");

		if (!prefix || !*prefix)
			goto out;
		dflt = malloc(strlen(prefix) + sizeof("/grubenv"));
		if (!dflt) {
			r = pv_err(PV_ENOMEM, "out of memory");
			goto out;
		}
		strcpy(dflt, prefix);
		strcat(dflt, "/grubenv");
		file = dflt;
	}
	if (g2_resolve(ev, file, &dev, &path) < 0)
		goto out;
	if (ev->entry) {
		r = g2_menu_bytes(ev, bytes + strlen(path));
		if (r == 0)
			r = menu_env_save_record(
				&ev->entry->menu->e[ev->entry->index], dev,
				path, names, values, n);
		goto out;
	}
	r = grubenv_save(ev->io, dev, path, names, values, n, where);
out:
	free(dev);
	free(dflt);
	free(names);
	free(values);
	return r;
}
