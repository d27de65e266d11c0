/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LILO's /etc/lilo.conf: `key = value` or flag lines; global options, then
 * `image=` (a Linux kernel) and `other=` (another OS, chainloaded) sections.
 * Options an image lacks (append, root, read-only/read-write, initrd) come
 * from the global section.  The command line is built as LILO builds it:
 * "ro"/"rw", then "root=...", then append and addappend; `literal=`
 * replaces all of it.  Timeouts are in tenths of a second; without
 * `prompt`, LILO boots the default at once.
 */
#include "menu/menu.h"
#include "menu/cfgtext.h"
#include "common/err.h"

#include <stdlib.h>
#include <string.h>

enum { RO_UNSET, RO_RO, RO_RW };

/* Options that may be global or per image. */
struct lilo_opts {
	char *append, *addappend, *literal, *root, *initrd;
	int ro;
	int noinitrd;
};

struct lilo_section {
	char *image;   /* image= or other= value */
	char *label;
	int other;
	struct lilo_opts o;
};

struct lilo {
	const char *path;
	unsigned line;
	struct lilo_opts g;
	struct lilo_section *s;  /* sections, at most PV_MAX_ENTRIES */
	size_t n;
	char *deflt;
	long timeout;            /* tenths, -1 unset */
	int prompt;
	char *password;
};

static void opts_free(struct lilo_opts *o)
{
	free(o->append);
	free(o->addappend);
	free(o->literal);
	free(o->root);
	free(o->initrd);
}

static void lilo_free(struct lilo *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->s[i].image);
		free(st->s[i].label);
		opts_free(&st->s[i].o);
	}
	free(st->s);
	opts_free(&st->g);
	free(st->deflt);
	free(st->password);
}

static int keyis(const char *k, size_t kl, const char *name)
{
	return strlen(name) == kl && memcmp(k, name, kl) == 0;
}

/*
 * Split one line (comment already removed) into key and value.  The value
 * may be "quoted" (\" and \\ escapes inside); *val is NULL for a flag.
 */
static int lilo_kv(struct lilo *st, const char *l, size_t n, size_t *kl,
		   char **val)
{
	size_t i = 0, j;
	char *v;

	*val = NULL;
	while (i < n && l[i] != '=' && !cfg_blank((unsigned char)l[i]))
		i++;
	*kl = i;
	while (i < n && cfg_blank((unsigned char)l[i]))
		i++;
	if (i == n)
		return 0;
	if (l[i] != '=')
		return pv_err(PV_EINVAL, "%s:%u: expected '=' after '%.*s'",
			      st->path, st->line, (int)(*kl > 32 ? 32 : *kl), l);
	i++;
	while (i < n && cfg_blank((unsigned char)l[i]))
		i++;
	v = malloc(n - i + 1);
	if (!v)
		return pv_err(PV_ENOMEM, "out of memory");
	j = 0;
	if (i < n && l[i] == '"') {
		for (i++; i < n && l[i] != '"'; i++) {
			if (l[i] == '\\' && i + 1 < n &&
			    (l[i + 1] == '"' || l[i + 1] == '\\'))
				i++;
			v[j++] = l[i];
		}
		if (i >= n) {
			free(v);
			return pv_err(PV_EINVAL, "%s:%u: unterminated quote",
				      st->path, st->line);
		}
		if (i + 1 < n)
			pv_warn("%s:%u: text after the closing quote ignored",
				st->path, st->line);
	} else {
		memcpy(v, l + i, n - i);
		j = n - i;
	}
	v[j] = '\0';
	*val = v;
	return 0;
}

/* Remove a '#' comment (outside quotes) and the blanks before it. */
static size_t lilo_uncomment(const char *l, size_t n)
{
	size_t i;
	int q = 0;

	for (i = 0; i < n; i++) {
		if (l[i] == '"' && (i == 0 || l[i - 1] != '\\'))
			q = !q;
		else if (l[i] == '#' && !q)
			break;
	}
	while (i && cfg_blank((unsigned char)l[i - 1]))
		i--;
	return i;
}

/* An option valid globally and per image; 1 when key was one. */
static int lilo_opt(struct lilo_opts *o, const char *k, size_t kl,
		    char **val)
{
	char **f = NULL;

	if (keyis(k, kl, "read-only"))
		o->ro = RO_RO;
	else if (keyis(k, kl, "read-write"))
		o->ro = RO_RW;
	else if (keyis(k, kl, "noinitrd"))
		o->noinitrd = 1;
	else if (keyis(k, kl, "append"))
		f = &o->append;
	else if (keyis(k, kl, "addappend"))
		f = &o->addappend;
	else if (keyis(k, kl, "literal"))
		f = &o->literal;
	else if (keyis(k, kl, "root"))
		f = &o->root;
	else if (keyis(k, kl, "initrd"))
		f = &o->initrd;
	else
		return 0;
	if (f && *val) {
		free(*f);
		*f = *val;
		*val = NULL;
	}
	return 1;
}

static int lilo_line(struct lilo *st, const char *k, size_t kl, char **val)
{
	struct lilo_section *sec = st->n ? &st->s[st->n - 1] : NULL;
	long t;

	if (keyis(k, kl, "image") || keyis(k, kl, "other")) {
		if (!*val || !**val)
			return pv_err(PV_EINVAL, "%s:%u: %.*s without a path",
				      st->path, st->line, (int)kl, k);
		if (st->n >= PV_MAX_ENTRIES)
			return pv_err(PV_ELIMIT, "%s:%u: more than %d images",
				      st->path, st->line, PV_MAX_ENTRIES);
		sec = &st->s[st->n++];
		memset(sec, 0, sizeof(*sec));
		sec->other = keyis(k, kl, "other");
		sec->image = *val;
		*val = NULL;
		return 0;
	}
	if (sec) {
		if (keyis(k, kl, "label")) {
			free(sec->label);
			sec->label = *val;
			*val = NULL;
			return 0;
		}
		if (!lilo_opt(&sec->o, k, kl, val))
			pv_debug("%s:%u: image option '%.*s' ignored",
				 st->path, st->line, (int)(kl > 32 ? 32 : kl), k);
		return 0;
	}
	if (keyis(k, kl, "default")) {
		free(st->deflt);
		st->deflt = *val;
		*val = NULL;
	} else if (keyis(k, kl, "timeout")) {
		if (!*val || cfg_parse_uint(*val, strlen(*val), 100000000, &t) < 0)
			pv_warn("%s:%u: invalid timeout ignored", st->path,
				st->line);
		else
			st->timeout = t;
	} else if (keyis(k, kl, "prompt")) {
		st->prompt = 1;
	} else if (keyis(k, kl, "password")) {
		/* kept for the menu, never hashed or compared here */
		free(st->password);
		st->password = *val;
		*val = NULL;
	} else if (!lilo_opt(&st->g, k, kl, val)) {
		pv_debug("%s:%u: option '%.*s' ignored", st->path, st->line,
			 (int)(kl > 32 ? 32 : kl), k);
	}
	return 0;
}

/* Kernel and initrd paths: absolute as written, relative to the config's
 * directory otherwise (elilo-style configs). */
static int lilo_path(const char *cfgpath, const char *p, char **out)
{
	char dir[PV_PATH_MAX + 1], full[PV_PATH_MAX + 1];
	int r;

	if (p[0] == '/')
		return menu_set(out, p);
	r = cfg_dirname(cfgpath, dir, sizeof(dir));
	if (r == 0)
		r = cfg_join(full, sizeof(full), dir, p);
	if (r == 0)
		r = menu_set(out, full);
	return r;
}

/* Append word w (skipped when empty) to the line in buf. */
static int add_arg(char *buf, size_t sz, const char *pre, const char *w)
{
	size_t l = strlen(buf), pl = strlen(pre), wl;

	if (!w || !*w)
		return 0;
	wl = strlen(w);
	if (l + 1 + pl + wl + 1 > sz)
		return pv_err(PV_ELIMIT, "command line longer than %zu bytes",
			      sz - 1);
	if (l)
		buf[l++] = ' ';
	memcpy(buf + l, pre, pl);
	memcpy(buf + l + pl, w, wl + 1);
	return 0;
}

static int lilo_entry(struct lilo *st, const struct lilo_section *sec,
		      struct menu_entry *e)
{
	const struct lilo_opts *o = &sec->o, *g = &st->g;
	const char *label = sec->label, *slash, *initrd;
	char *args;
	int ro, r;

	if (!label) { /* LILO's default label: the image's file name */
		slash = strrchr(sec->image, '/');
		label = slash ? slash + 1 : sec->image;
	}
	r = menu_set(&e->title, label);
	if (r == 0)
		r = menu_set(&e->id, label);
	if (r < 0)
		return r;
	if (sec->other) {
		e->kind = ENTRY_NOT_PV;
		return menu_set(&e->note, "other= section: chainloads another "
				"operating system");
	}
	e->kind = ENTRY_LINUX;
	r = lilo_path(st->path, sec->image, &e->kernel);
	initrd = o->initrd ? o->initrd : g->initrd;
	if (r == 0 && initrd && !o->noinitrd) {
		char *p = NULL;

		r = lilo_path(st->path, initrd, &p);
		if (r == 0)
			r = entry_add_initrd(e, p, NULL);
		free(p);
	}
	if (r < 0)
		return r;
	args = calloc(1, PV_MAX_LINE + 1);
	if (!args)
		return pv_err(PV_ENOMEM, "out of memory");
	if (o->literal || g->literal) {
		r = add_arg(args, PV_MAX_LINE + 1, "",
			    o->literal ? o->literal : g->literal);
	} else {
		ro = o->ro != RO_UNSET ? o->ro : g->ro;
		r = add_arg(args, PV_MAX_LINE + 1, "",
			    ro == RO_RO ? "ro" : ro == RO_RW ? "rw" : NULL);
		if (r == 0)
			r = add_arg(args, PV_MAX_LINE + 1, "root=",
				    o->root ? o->root : g->root);
		if (r == 0)
			r = add_arg(args, PV_MAX_LINE + 1, "",
				    o->append ? o->append : g->append);
		if (r == 0)
			r = add_arg(args, PV_MAX_LINE + 1, "",
				    o->addappend ? o->addappend : g->addappend);
	}
	if (r == 0)
		r = menu_set(&e->args, args);
	free(args);
	return r;
}

static int lilo_build(struct lilo *st, struct menu *out)
{
	struct menu_entry *e;
	size_t i;
	int r;

	for (i = 0; i < st->n; i++) {
		e = menu_add(out);
		if (!e)
			return PV_ENOMEM;
		r = lilo_entry(st, &st->s[i], e);
		if (r < 0) {
			pv_err_ctx("%s: image %s", st->path, st->s[i].image);
			return r;
		}
	}
	if (st->deflt) {
		r = menu_set(&out->default_spec, st->deflt);
		if (r < 0)
			return r;
	}
	if (st->password) {
		r = menu_set(&out->password, st->password);
		if (r < 0)
			return r;
	}
	if (!st->prompt)
		out->timeout = 0;
	else if (st->timeout >= 0)
		out->timeout = (int)((st->timeout + 9) / 10);
	return 0;
}

int lilo_parse(const char *path, const char *buf, size_t len,
	       const struct cfg_io *io, struct menu *out)
{
	struct lilo st;
	struct cfg_reader rd;
	const char *l;
	char *val;
	size_t n, kl;
	int r;

	(void)io;
	menu_init(out, "lilo");
	memset(&st, 0, sizeof(st));
	st.path = path ? path : "(config)";
	st.timeout = -1;
	st.s = calloc(PV_MAX_ENTRIES, sizeof(*st.s));
	if (!st.s)
		return pv_err(PV_ENOMEM, "out of memory");
	cfg_reader_init(&rd, st.path, buf, len);
	while ((r = cfg_next_line(&rd, &l, &n)) > 0) {
		st.line = rd.lineno;
		n = lilo_uncomment(l, n);
		if (n == 0)
			continue;
		if (cfg_ctl(l, n)) {
			r = pv_err(PV_EINVAL, "%s:%u: NUL or control byte",
				   st.path, st.line);
			break;
		}
		r = lilo_kv(&st, l, n, &kl, &val);
		if (r == 0)
			r = lilo_line(&st, l, kl, &val);
		free(val);
		if (r < 0)
			break;
	}
	if (r == 0)
		r = lilo_build(&st, out);
	lilo_free(&st);
	if (r < 0)
		menu_free(out);
	return r < 0 ? r : 0;
}
