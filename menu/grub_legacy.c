/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB legacy (0.9x) menu.lst / grub.conf.  Global commands come before the
 * first `title`; each `title` starts an entry whose commands (root, kernel,
 * initrd, module, chainloader...) follow it.  A command and its argument
 * are split at the first blank, or at '=' when that comes first
 * ("default=0"), as GRUB legacy and pygrub accept both.
 *
 * Device prefixes "(hd0,0)" are removed from paths and kept as text in
 * entry->root: legacy numbering differs from GRUB 2's, so kernel_dev stays
 * NULL and paths are read on the filesystem holding the config, as pygrub
 * does.
 */
#include "menu/menu.h"
#include "menu/cfgtext.h"
#include "common/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct legacy {
	const char *path;
	unsigned line;
	const struct cfg_io *io;
	struct menu *m;
	struct menu_entry *cur;  /* NULL before the first title */
	int modules, chain, xen; /* of cur */
};

/* A word: [s, s+n). */
struct word {
	const char *s;
	size_t n;
};

static int is(const struct word *w, const char *name)
{
	return strlen(name) == w->n && memcmp(w->s, name, w->n) == 0;
}

/* Split a line into command and argument (grub_split semantics). */
static void legacy_split(const char *l, size_t n, struct word *cmd,
			 struct word *arg)
{
	size_t i, eq = n, bl = n;

	for (i = 0; i < n; i++) {
		if (l[i] == '=' && eq == n)
			eq = i;
		if (cfg_blank((unsigned char)l[i])) {
			bl = i;
			break;
		}
	}
	i = eq < bl ? eq : bl;
	cmd->s = l;
	cmd->n = i;
	if (i < n)
		i++;
	while (i < n && cfg_blank((unsigned char)l[i]))
		i++;
	arg->s = l + i;
	arg->n = n - i;
}

/* The first blank-separated word of a, and the rest after it. */
static void first_word(const struct word *a, struct word *w,
		       struct word *rest)
{
	size_t i = 0;

	while (i < a->n && !cfg_blank((unsigned char)a->s[i]))
		i++;
	w->s = a->s;
	w->n = i;
	while (i < a->n && cfg_blank((unsigned char)a->s[i]))
		i++;
	rest->s = a->s + i;
	rest->n = a->n - i;
}

/* Split "(hd0,0)/vmlinuz" into device text "(hd0,0)" and path. */
static int legacy_path(struct legacy *st, const struct word *w,
		       struct word *dev, struct word *path)
{
	const char *close;

	dev->s = NULL;
	dev->n = 0;
	*path = *w;
	if (w->n && w->s[0] == '(') {
		close = memchr(w->s, ')', w->n);
		if (!close)
			return pv_err(PV_EINVAL, "%s:%u: unbalanced '(' in '%.*s'",
				      st->path, st->line,
				      (int)(w->n > 64 ? 64 : w->n), w->s);
		dev->s = w->s;
		dev->n = (size_t)(close - w->s) + 1;
		path->s = close + 1;
		path->n = w->n - dev->n;
	}
	if (path->n == 0)
		return pv_err(PV_EINVAL, "%s:%u: no file name after the device",
			      st->path, st->line);
	return 0;
}

static int set_word(char **field, const struct word *w)
{
	char *s = cfg_strndup(w->s, w->n);

	if (!s)
		return PV_ENOMEM;
	free(*field);
	*field = s;
	return 0;
}

/* A Xen hypervisor image: xen.gz, xen-4.1-amd64.gz, xen.gz-2.6.18-8.el5. */
static int is_xen_image(const struct word *p)
{
	const char *base = p->s;
	size_t i, n;

	for (i = 0; i < p->n; i++)
		if (p->s[i] == '/')
			base = p->s + i + 1;
	n = p->n - (size_t)(base - p->s);
	if (n < 3 || memcmp(base, "xen", 3) != 0)
		return 0;
	for (i = 3; i + 3 <= n; i++)
		if (memcmp(base + i, ".gz", 3) == 0)
			return 1;
	return 0;
}

static int legacy_kernel(struct legacy *st, const struct word *arg)
{
	struct menu_entry *e = st->cur;
	struct word rest = *arg, w, dev, path;
	int r;

	/* kernel [--type=TYPE] [--no-mem-option] FILE [ARGS] */
	for (;;) {
		first_word(&rest, &w, &rest);
		if (!(w.n >= 2 && w.s[0] == '-' && w.s[1] == '-'))
			break;
	}
	if (w.n == 0)
		return pv_err(PV_EINVAL, "%s:%u: kernel without a file name",
			      st->path, st->line);
	r = legacy_path(st, &w, &dev, &path);
	if (r == 0)
		r = set_word(&e->kernel, &path);
	if (r == 0)
		r = set_word(&e->args, &rest); /* the rest, as GRUB passes it */
	if (r == 0 && dev.n && !e->root)
		r = set_word(&e->root, &dev);
	if (is_xen_image(&path))
		st->xen = 1;
	return r;
}

static int legacy_initrd(struct legacy *st, const struct word *arg)
{
	struct menu_entry *e = st->cur;
	struct word w, rest, dev, path;
	char *p;
	size_t i;
	int r;

	first_word(arg, &w, &rest);
	if (w.n == 0)
		return pv_err(PV_EINVAL, "%s:%u: initrd without a file name",
			      st->path, st->line);
	r = legacy_path(st, &w, &dev, &path);
	if (r < 0)
		return r;
	/* GRUB legacy loads one initrd: a later initrd line replaces it. */
	for (i = 0; i < e->ninitrd; i++) {
		free(e->initrd[i]);
		free(e->initrd_dev[i]);
		e->initrd[i] = e->initrd_dev[i] = NULL;
	}
	e->ninitrd = 0;
	p = cfg_strndup(path.s, path.n);
	if (!p)
		return PV_ENOMEM;
	r = entry_add_initrd(e, p, NULL);
	free(p);
	return r;
}

/* Settle the kind of the entry just finished. */
static int legacy_finish(struct legacy *st)
{
	struct menu_entry *e = st->cur;
	const char *note = NULL;

	if (!e)
		return 0;
	if (st->chain)
		note = "chainloader entry: boots another boot loader";
	else if (st->xen || st->modules)
		note = "Xen hypervisor / multiboot entry: its kernel is a "
		       "module, not a PV kernel";
	else if (!e->kernel)
		note = "entry has no kernel line";
	e->kind = note ? ENTRY_NOT_PV : ENTRY_LINUX;
	st->cur = NULL;
	return note ? menu_set(&e->note, note) : 0;
}

/* The FILE of "password [--md5] PASSWD [FILE]" (arg: after the command),
 * or an empty word. */
static void legacy_pw_file(const struct word *arg, struct word *file)
{
	struct word w, rest = *arg;

	do /* the options, then the password */
		first_word(&rest, &w, &rest);
	while (w.n > 2 && w.s[0] == '-' && w.s[1] == '-');
	first_word(&rest, file, &rest);
}

/*
 * `password [--md5] PASSWD [FILE]` inside an entry.  GRUB 0.97 runs it as
 * the entry's commands run (password_func with BUILTIN_SCRIPT): it asks
 * "Password: " and stops the entry with "Error 32: Must be authenticated"
 * when the answer is wrong, whichever way the entry was started (the
 * arrow keys and Enter, or the default when the countdown ends), and
 * whether or not the menu's own password was given.  It cuts the
 * argument at the first blank (nul_terminate): FILE is ignored there, as
 * here.  The line is kept whole, like the menu's (checked only when
 * somebody types a password: menu/auth.h).
 */
static int legacy_entry_password(struct legacy *st, const struct word *arg,
				 const char *l, size_t n)
{
	struct word raw = { l, n }, file;
	static const char several[] = "password --pvboot-several-passwords";

	legacy_pw_file(arg, &file);
	if (file.n)
		pv_debug("%s:%u: the FILE of an entry's password is ignored, as "
			 "GRUB ignores it there", st->path, st->line);
	if (!st->cur->password)
		return set_word(&st->cur->password, &raw);
	if (strlen(st->cur->password) == n &&
	    !memcmp(st->cur->password, l, n))
		return 0;
	/* GRUB would ask for each in turn: rather than ask for one only,
	 * this entry cannot be unlocked from the menu */
	pv_warn("%s:%u: a second, different password line in the entry: "
		"it cannot be booted from the menu", st->path, st->line);
	explicit_bzero(st->cur->password, strlen(st->cur->password));
	return menu_set(&st->cur->password, several);
}

static int legacy_entry_cmd(struct legacy *st, const struct word *cmd,
			    const struct word *arg, const char *l, size_t n)
{
	struct word w, rest;

	if (cfg_ctl(l, n))
		return pv_err(PV_EINVAL, "%s:%u: control character in '%.*s'",
			      st->path, st->line,
			      (int)(cmd->n > 32 ? 32 : cmd->n), cmd->s);
	if (is(cmd, "kernel"))
		return legacy_kernel(st, arg);
	if (is(cmd, "initrd"))
		return legacy_initrd(st, arg);
	if (is(cmd, "root") || is(cmd, "rootnoverify")) {
		first_word(arg, &w, &rest);
		if (w.n && w.s[0] == '(' && !memchr(w.s, ')', w.n))
			return pv_err(PV_EINVAL, "%s:%u: unbalanced '(' in root",
				      st->path, st->line);
		return set_word(&st->cur->root, &w);
	}
	if (is(cmd, "module") || is(cmd, "modulenounzip")) {
		st->modules++;
		return 0;
	}
	if (is(cmd, "chainloader")) {
		st->chain = 1;
		return 0;
	}
	if (is(cmd, "lock")) { /* booting it needs the menu password */
		st->cur->locked = 1;
		return 0;
	}
	if (is(cmd, "password"))
		return legacy_entry_password(st, arg, l, n);
	pv_debug("%s:%u: entry command '%.*s' ignored", st->path, st->line,
		 (int)(cmd->n > 32 ? 32 : cmd->n), cmd->s);
	return 0;
}

/* `default saved`: the number on the first line of the `default` file
 * beside the config (or /boot/grub/default); 0 when there is none. */
static int legacy_saved_default(struct legacy *st)
{
	char dir[PV_PATH_MAX + 1], p[PV_PATH_MAX + 1];
	const char *cands[2];
	char *buf = NULL;
	size_t len = 0, i, k;
	long v;
	int r = PV_ENOENT;

	cands[0] = NULL;
	cands[1] = "/boot/grub/default";
	if (cfg_dirname(st->path, dir, sizeof(dir)) == 0 &&
	    cfg_join(p, sizeof(p), dir, "default") == 0)
		cands[0] = p;
	for (i = 0; i < 2 && r < 0; i++) {
		if (!cands[i] || !st->io || !st->io->read_file)
			continue;
		r = st->io->read_file(st->io->ctx, NULL, cands[i], &buf, &len);
		if (r == PV_ENOMEM)
			return r;
	}
	if (r < 0) {
		pv_debug("%s: default saved, no default file: entry 0",
			 st->path);
		return menu_set(&st->m->default_spec, "0");
	}
	for (k = 0; k < len && cfg_digit((unsigned char)buf[k]); k++)
		;
	if (cfg_parse_uint(buf, k, 1000000, &v) < 0) {
		pv_warn("%s: saved default is not a number: entry 0", st->path);
		v = 0;
	}
	free(buf);
	snprintf(dir, sizeof(dir), "%ld", v);
	return menu_set(&st->m->default_spec, dir);
}

static int legacy_global_cmd(struct legacy *st, const struct word *cmd,
			     const struct word *arg, const char *l, size_t n)
{
	long v;

	if (is(cmd, "default")) {
		if (arg->n == 5 && memcmp(arg->s, "saved", 5) == 0)
			return legacy_saved_default(st);
		if (cfg_parse_uint(arg->s, arg->n, 1000000, &v) < 0) {
			pv_warn("%s:%u: invalid default, using entry 0",
				st->path, st->line);
			return menu_set(&st->m->default_spec, "0");
		}
		return set_word(&st->m->default_spec, arg);
	}
	if (is(cmd, "fallback"))
		return set_word(&st->m->fallback, arg);
	if (is(cmd, "timeout")) {
		if (cfg_parse_uint(arg->s, arg->n, 1000000, &v) < 0)
			pv_warn("%s:%u: invalid timeout ignored", st->path,
				st->line);
		else
			st->m->timeout = (int)v;
		return 0;
	}
	if (is(cmd, "hiddenmenu")) {
		st->m->hidden = 1;
		return 0;
	}
	if (is(cmd, "password")) {
		/* Kept for the menu; never hashed or compared here. */
		struct word raw = { l, n }, file;

		legacy_pw_file(arg, &file);
		if (file.n) /* GRUB: the right password loads FILE instead */
			pv_warn("%s:%u: password FILE: pvboot does not load "
				"another menu file; the right password unlocks "
				"editing of this menu instead", st->path,
				st->line);
		return set_word(&st->m->password, &raw);
	}
	pv_debug("%s:%u: command '%.*s' ignored", st->path, st->line,
		 (int)(cmd->n > 32 ? 32 : cmd->n), cmd->s);
	return 0;
}

static int legacy_title(struct legacy *st, const struct word *arg)
{
	int r = legacy_finish(st);

	if (r < 0)
		return r;
	st->cur = menu_add(st->m);
	if (!st->cur)
		return st->m->n >= PV_MAX_ENTRIES ? PV_ELIMIT : PV_ENOMEM;
	st->modules = st->chain = st->xen = 0;
	st->cur->kind = ENTRY_NOT_PV; /* until legacy_finish */
	return set_word(&st->cur->title, arg);
}

int grub_legacy_parse(const char *path, const char *buf, size_t len,
		      const struct cfg_io *io, struct menu *out)
{
	struct legacy st;
	struct cfg_reader rd;
	struct word cmd, arg;
	const char *l;
	size_t n;
	int r;

	menu_init(out, "grub-legacy");
	memset(&st, 0, sizeof(st));
	st.path = path ? path : "(config)";
	st.io = io;
	st.m = out;
	cfg_reader_init(&rd, st.path, buf, len);
	while ((r = cfg_next_line(&rd, &l, &n)) > 0) {
		st.line = rd.lineno;
		if (n == 0 || l[0] == '#')
			continue;
		if (cfg_nul(l, n)) {
			r = pv_err(PV_ECORRUPT, "%s:%u: NUL byte in the config",
				   st.path, st.line);
			break;
		}
		legacy_split(l, n, &cmd, &arg);
		if (is(&cmd, "title"))
			r = legacy_title(&st, &arg);
		else if (st.cur)
			r = legacy_entry_cmd(&st, &cmd, &arg, l, n);
		else
			r = legacy_global_cmd(&st, &cmd, &arg, l, n);
		if (r < 0)
			break;
	}
	if (r == 0)
		r = legacy_finish(&st);
	if (r < 0) {
		menu_free(out);
		return r;
	}
	return 0;
}
