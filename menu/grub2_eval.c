/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The GRUB 2 script evaluator.  Like GRUB, it runs the whole config first
 * (menuentry only records an entry and its body), then, with the final
 * variables, runs each entry body as GRUB would when booting it (in an
 * overlay context, so entries do not see each other's `set`) and each
 * submenu body in a fresh context holding only exported variables.
 * Everything is bounded: steps, call depth, submenu depth, variables.
 */
#include "menu/grub2_script.h"
#include "menu/grub2_entry.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct g2_pending {
	struct menu *menu;
	size_t index;
	struct g2_node *body;
	char **argv;          /* positional parameters for the body */
	size_t argc;
};

/* --- variables --- */

const char *g2_get_var(struct g2_eval *ev, const char *name)
{
	static char num[24];

	if (name[0] >= '0' && name[0] <= '9') {
		char *end;
		unsigned long k;

		errno = 0;
		k = strtoul(name, &end, 10);
		if (errno || *end || !ev->frame || k == 0 || k > ev->frame->argc)
			return NULL;
		return ev->frame->argv[k - 1];
	}
	if (!strcmp(name, "#")) {
		snprintf(num, sizeof(num), "%zu", ev->frame ? ev->frame->argc : 0);
		return num;
	}
	if (!strcmp(name, "?")) {
		snprintf(num, sizeof(num), "%d", ev->status);
		return num;
	}
	if (!strcmp(name, "@") || !strcmp(name, "*")) {
		/* rebuilt on each use; bounded by the arguments' size */
		size_t i, len = 0;

		free(ev->joined);
		ev->joined = NULL;
		if (!ev->frame)
			return NULL;
		for (i = 0; i < ev->frame->argc; i++)
			len += strlen(ev->frame->argv[i]) + 1;
		ev->joined = calloc(1, len + 1);
		if (!ev->joined)
			return NULL;
		for (i = 0; i < ev->frame->argc; i++) {
			if (i)
				strcat(ev->joined, " ");
			strcat(ev->joined, ev->frame->argv[i]);
		}
		return ev->joined;
	}
	return g2_ctx_get(ev->ctx, name);
}

int g2_set_var(struct g2_eval *ev, const char *name, const char *value)
{
	/* GRUB's root hook drops the parentheses of "(hd0,1)" */
	if (value && !strcmp(name, "root")) {
		size_t n = strlen(value);

		if (n >= 2 && value[0] == '(' && value[n - 1] == ')') {
			char *v = strndup(value + 1, n - 2);
			int r;

			if (!v)
				return pv_err(PV_ENOMEM, "out of memory");
			r = g2_ctx_set(ev->ctx, name, v);
			free(v);
			return r;
		}
	}
	return g2_ctx_set(ev->ctx, name, value);
}

int g2_resolve(struct g2_eval *ev, const char *in, char **dev,
	       const char **path)
{
	const char *devtext, *cdev = ev->io ? ev->io->config_dev : NULL;
	size_t dlen;

	*dev = NULL;
	if (in[0] == '(') {
		const char *close = strchr(in, ')');

		if (!close)
			return pv_err(PV_EINVAL, "unbalanced '(' in a path");
		devtext = in + 1;
		dlen = (size_t)(close - devtext);
		*path = close + 1;
	} else {
		devtext = g2_get_var(ev, "root");
		if (!devtext)
			devtext = "";
		dlen = strlen(devtext);
		*path = in;
	}
	if (dlen == 0)
		return 0;
	if (cdev && strlen(cdev) == dlen && !memcmp(cdev, devtext, dlen))
		return 0;
	*dev = strndup(devtext, dlen);
	return *dev ? 0 : pv_err(PV_ENOMEM, "out of memory");
}

/* --- functions --- */

static struct g2_func *find_func(struct g2_eval *ev, const char *name)
{
	size_t i;

	for (i = 0; i < ev->nfuncs; i++)
		if (!strcmp(ev->funcs[i].name, name))
			return &ev->funcs[i];
	return NULL;
}

static int define_func(struct g2_eval *ev, struct g2_node *n)
{
	struct g2_func *f = find_func(ev, n->words[0]);

	if (!f) {
		/* functions share the variables' bound: both are names a
		 * script creates */
		if (ev->nfuncs >= PV_MAX_VARIABLES)
			return pv_err(PV_ELIMIT, "more than %d GRUB functions",
				      PV_MAX_VARIABLES);
		f = realloc(ev->funcs, (ev->nfuncs + 1) * sizeof(*f));
		if (!f)
			return pv_err(PV_ENOMEM, "out of memory");
		ev->funcs = f;
		f = &ev->funcs[ev->nfuncs++];
		f->name = n->words[0]; /* arena-owned */
	}
	f->body = n->body;
	return 0;
}

static int call_func(struct g2_eval *ev, struct g2_func *f, char **argv,
		     size_t argc)
{
	struct g2_frame frame = { argv + 1, argc - 1 }, *saved = ev->frame;
	int r;

	if (ev->call_depth >= PV_MAX_CALL_DEPTH)
		return pv_err(PV_ELIMIT, "function calls nested deeper than %d "
			      "(recursion)", PV_MAX_CALL_DEPTH);
	ev->call_depth++;
	ev->frame = &frame;
	ev->status = 0;
	r = g2_exec_list(ev, f->body);
	ev->frame = saved;
	ev->call_depth--;
	if (ev->unwind == G2_UW_RETURN)
		ev->unwind = G2_UW_NONE;
	return r < 0 ? r : ev->status;
}

/* --- simple builtins --- */

static int cmd_set(struct g2_eval *ev, char **argv, size_t argc)
{
	char *eq, *name;
	int r;

	if (argc < 2)
		return 0;
	eq = strchr(argv[1], '=');
	if (!eq)
		return 0; /* `set x` prints x in GRUB */
	name = strndup(argv[1], (size_t)(eq - argv[1]));
	if (!name)
		return pv_err(PV_ENOMEM, "out of memory");
	r = name[0] ? g2_set_var(ev, name, eq + 1) : 1;
	free(name);
	return r;
}

static int cmd_unset(struct g2_eval *ev, char **argv, size_t argc)
{
	size_t i;
	int r;

	for (i = 1; i < argc; i++)
		if ((r = g2_ctx_set(ev->ctx, argv[i], NULL)) < 0)
			return r;
	return 0;
}

static int cmd_export(struct g2_eval *ev, char **argv, size_t argc)
{
	size_t i;
	int r;

	for (i = 1; i < argc; i++)
		if ((r = g2_ctx_export(ev->ctx, argv[i])) < 0)
			return r;
	return 0;
}

static int cmd_true(struct g2_eval *ev, char **argv, size_t argc)
{
	(void)ev, (void)argv, (void)argc;
	return 0;
}

static int cmd_false(struct g2_eval *ev, char **argv, size_t argc)
{
	(void)ev, (void)argv, (void)argc;
	return 1;
}

static int cmd_return(struct g2_eval *ev, char **argv, size_t argc)
{
	int st = argc > 1 ? atoi(argv[1]) : ev->status;

	if (!ev->call_depth)
		return 1; /* not in a function body */
	ev->unwind = G2_UW_RETURN;
	return st;
}

static int cmd_loopctl(struct g2_eval *ev, char **argv, size_t argc)
{
	int k = argc > 1 ? atoi(argv[1]) : 1;

	if (!ev->loop_depth)
		return 0;
	if (k < 1)
		k = 1;
	ev->unwind = argv[0][0] == 'b' ? G2_UW_BREAK : G2_UW_CONTINUE;
	ev->unwind_count = k;
	return 0;
}

static int cmd_shift(struct g2_eval *ev, char **argv, size_t argc)
{
	unsigned long k = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;

	if (!ev->frame || k > ev->frame->argc)
		return 1;
	ev->frame->argv += k;
	ev->frame->argc -= k;
	return 0;
}

static int cmd_ignored(struct g2_eval *ev, char **argv, size_t argc)
{
	(void)ev, (void)argc;
	pv_debug("grub2: %s ignored", argv[0]);
	return 0;
}

struct builtin {
	const char *name;
	int (*fn)(struct g2_eval *ev, char **argv, size_t argc);
};

static const struct builtin builtins[] = {
	{ "set", cmd_set },
	{ "unset", cmd_unset },
	{ "export", cmd_export },
	{ "true", cmd_true },
	{ "false", cmd_false },
	{ "[", g2_cmd_test },
	{ "test", g2_cmd_test },
	{ "return", cmd_return },
	{ "break", cmd_loopctl },
	{ "continue", cmd_loopctl },
	{ "shift", cmd_shift },
	{ "source", g2_cmd_source },
	{ ".", g2_cmd_source },
	{ "configfile", g2_cmd_configfile },
	{ "load_env", g2_cmd_load_env },
	{ "save_env", g2_cmd_save_env },
	{ "search", g2_cmd_search },
	{ "search.fs_uuid", g2_cmd_search },
	{ "search.fs_label", g2_cmd_search },
	{ "search.file", g2_cmd_search },
	{ "blscfg", g2_cmd_blscfg },
	{ "linux", g2_cmd_linux },
	{ "linux16", g2_cmd_linux },
	{ "linuxefi", g2_cmd_linux },
	{ "kernel", g2_cmd_linux },
	{ "initrd", g2_cmd_initrd },
	{ "initrd16", g2_cmd_initrd },
	{ "initrdefi", g2_cmd_initrd },
	{ "multiboot", g2_cmd_multiboot },
	{ "multiboot2", g2_cmd_multiboot },
	{ "module", g2_cmd_multiboot },
	{ "module2", g2_cmd_multiboot },
	{ "chainloader", g2_cmd_chainloader },
	/* known GRUB commands with no effect on what boots */
	{ "insmod", cmd_ignored },
	{ "rmmod", cmd_ignored },
	{ "echo", cmd_ignored },
	{ "terminal_output", cmd_ignored },
	{ "terminal_input", cmd_ignored },
	{ "terminal", cmd_ignored },
	{ "terminfo", cmd_ignored },
	{ "serial", cmd_ignored },
	{ "loadfont", cmd_ignored },
	{ "play", cmd_ignored },
	{ "background_image", cmd_ignored },
	{ "background_color", cmd_ignored },
	{ "clear", cmd_ignored },
	{ "sleep", cmd_ignored },
	{ "gettext", cmd_ignored },
	{ "password", g2_cmd_password },
	{ "password_pbkdf2", g2_cmd_password },
	{ "exit", cmd_ignored },
	{ "cpuid", cmd_ignored },
	{ "keystatus", cmd_false },
};

static const struct builtin *find_builtin(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

/* --- menuentry / submenu --- */

static int add_pending(struct g2_eval *ev, struct g2_node *body,
		       size_t index, char **argv, size_t argc)
{
	struct g2_pending *p;
	size_t i;

	if (ev->npending == ev->cappending) {
		size_t cap = ev->cappending ? ev->cappending * 2 : 16;

		p = realloc(ev->pending, cap * sizeof(*p));
		if (!p)
			return pv_err(PV_ENOMEM, "out of memory");
		ev->pending = p;
		ev->cappending = cap;
	}
	p = &ev->pending[ev->npending];
	memset(p, 0, sizeof(*p));
	p->menu = ev->menu;
	p->index = index;
	p->body = body;
	p->argv = g2_alloc(&ev->arena, (argc + 1) * sizeof(char *));
	if (!p->argv)
		return ev->arena.err;
	for (i = 0; i < argc; i++) {
		p->argv[i] = g2_strndup(&ev->arena, argv[i], strlen(argv[i]));
		if (!p->argv[i])
			return ev->arena.err;
	}
	p->argc = argc;
	ev->npending++;
	return 0;
}

/* The argument copies live in the arena (bounded with the scripts). */
static void free_pending(struct g2_pending *p, size_t n)
{
	(void)n;
	free(p);
}

/* Options taking a value, as GRUB's menuentry accepts them. */
static int menu_opt_arg(const char *o)
{
	return !strcmp(o, "class") || !strcmp(o, "users") ||
	       !strcmp(o, "hotkey") || !strcmp(o, "source") ||
	       !strcmp(o, "id");
}

static int exec_menu(struct g2_eval *ev, struct g2_node *n)
{
	struct g2_argv a;
	const char *id = NULL, *users = NULL;
	int unrestricted = 0;
	char **pos;
	size_t i, npos = 0;
	struct menu_entry *e;
	int r, opts = 1;

	if (ev->entry) {
		pv_warn("%s:%d: menuentry run from an entry body: ignored",
			n->file, n->line);
		return 1;
	}
	if ((r = g2_expand_words(ev, n->words, n->nwords, &a)) < 0)
		return r;
	pos = calloc(a.n + 1, sizeof(*pos));
	if (!pos) {
		g2_argv_free(&a);
		return pv_err(PV_ENOMEM, "out of memory");
	}
	for (i = 0; i < a.n; i++) {
		char *w = a.v[i];

		if (opts && !strcmp(w, "--")) {
			opts = 0;
		} else if (opts && w[0] == '-' && w[1] == '-' && w[2]) {
			char *eq = strchr(w, '=');
			const char *val = NULL;

			if (eq)
				*eq = '\0';
			if (!strcmp(w + 2, "unrestricted")) {
				unrestricted = 1;
				continue;
			}
			if (!menu_opt_arg(w + 2)) {
				pv_warn("%s:%d: menuentry: unknown option %s: "
					"entry skipped", n->file, n->line, w);
				r = 1;
				goto out;
			}
			if (eq)
				val = eq + 1;
			else if (i + 1 < a.n)
				val = a.v[++i];
			else {
				pv_warn("%s:%d: menuentry: %s needs a value: "
					"entry skipped", n->file, n->line, w);
				r = 1;
				goto out;
			}
			if (!strcmp(w + 2, "id"))
				id = val;
			if (!strcmp(w + 2, "users"))
				users = val;
		} else {
			pos[npos++] = w;
		}
	}
	if (npos == 0) {
		pv_warn("%s:%d: menuentry without a title: skipped", n->file,
			n->line);
		r = 1;
		goto out;
	}
	if (ev->menu->n >= PV_MAX_ENTRIES) {
		r = pv_err(PV_ELIMIT, "more than %d menu entries",
			   PV_MAX_ENTRIES);
		goto out;
	}
	e = menu_add(ev->menu);
	if (!e) {
		r = PV_ENOMEM;
		goto out;
	}
	if (users && strlen(users) > PV_MAX_MENU_SUPERUSERS)
		users = ""; /* nobody named: superusers only */
	if ((r = g2_menu_bytes(ev, strlen(pos[0]) + (id ? strlen(id) : 0) +
				   (users ? strlen(users) : 0) +
				   sizeof(*e))) < 0 ||
	    (r = menu_set(&e->title, pos[0])) < 0 ||
	    (r = menu_set(&e->id, id)) < 0)
		goto out;
	if ((r = menu_set(&e->users, users)) < 0)
		goto out;
	e->unrestricted = unrestricted;
	if (n->submenu) {
		e->kind = ENTRY_SUBMENU;
		e->sub = calloc(1, sizeof(*e->sub));
		if (!e->sub) {
			r = pv_err(PV_ENOMEM, "out of memory");
			goto out;
		}
		menu_init(e->sub, "grub2");
	} else {
		e->kind = ENTRY_NOT_PV;
		if ((r = menu_set(&e->note, "no kernel loaded by this entry")) < 0)
			goto out;
	}
	r = add_pending(ev, n->body, ev->menu->n - 1, pos, npos);
out:
	free(pos);
	g2_argv_free(&a);
	return r;
}

/* --- execution --- */

static int exec_cmd(struct g2_eval *ev, struct g2_node *n)
{
	struct g2_argv a;
	const struct builtin *b;
	struct g2_func *f;
	char *eq;
	int r;

	if ((r = g2_expand_words(ev, n->words, n->nwords, &a)) < 0)
		return r;
	if (a.n == 0) {
		r = 0;
	} else if ((b = find_builtin(a.v[0]))) {
		r = b->fn(ev, a.v, a.n);
	} else if ((f = find_func(ev, a.v[0]))) {
		r = call_func(ev, f, a.v, a.n);
	} else if ((eq = strchr(a.v[0], '=')) && eq > a.v[0] &&
		   g2_is_name(a.v[0], (size_t)(eq - a.v[0]))) {
		/* GRUB's last resort: NAME=VALUE */
		*eq = '\0';
		r = g2_set_var(ev, a.v[0], eq + 1);
	} else {
		pv_debug("%s:%d: unknown command %s ignored", n->file, n->line,
			 a.v[0]);
		r = 1;
	}
	g2_argv_free(&a);
	return r;
}

/* After one round of a while/until/for body: consume a break or continue
 * aimed at this loop (break N / continue N count down one level per
 * loop), and say whether the loop ends here. */
static int loop_should_stop(struct g2_eval *ev)
{
	if (ev->unwind == G2_UW_BREAK || ev->unwind == G2_UW_CONTINUE) {
		int brk = ev->unwind == G2_UW_BREAK;

		if (--ev->unwind_count > 0)
			return 1;
		ev->unwind = G2_UW_NONE;
		return brk;
	}
	return ev->unwind != G2_UW_NONE;
}

static int exec_while(struct g2_eval *ev, struct g2_node *n)
{
	int r = 0, st = 0;

	ev->loop_depth++;
	for (;;) {
		if ((r = g2_step(ev, n->file, n->line)) < 0)
			break;
		r = g2_exec_list(ev, n->cond);
		if (r < 0 || ev->unwind != G2_UW_NONE)
			break;
		if ((ev->status == 0) == n->until)
			break;
		r = g2_exec_list(ev, n->body);
		st = ev->status;
		if (r < 0)
			break;
		if (loop_should_stop(ev))
			break;
	}
	ev->loop_depth--;
	return r < 0 ? r : st;
}

static int exec_for(struct g2_eval *ev, struct g2_node *n)
{
	struct g2_argv a;
	size_t i;
	int r, st = 0;

	if ((r = g2_expand_words(ev, n->words + 1, n->nwords - 1, &a)) < 0)
		return r;
	ev->loop_depth++;
	for (i = 0; i < a.n; i++) {
		if ((r = g2_step(ev, n->file, n->line)) < 0 ||
		    (r = g2_set_var(ev, n->words[0], a.v[i])) < 0)
			break;
		r = g2_exec_list(ev, n->body);
		st = ev->status;
		if (r < 0)
			break;
		if (loop_should_stop(ev))
			break;
	}
	ev->loop_depth--;
	g2_argv_free(&a);
	return r < 0 ? r : st;
}

int g2_step(struct g2_eval *ev, const char *file, int line)
{
	if (++ev->steps > PV_MAX_STEPS) {
		ev->err_located = 1;
		return pv_err(PV_ELIMIT, "%s:%d: more than %d commands run (a "
			      "loop?)", file, line, PV_MAX_STEPS);
	}
	return 0;
}

int g2_menu_bytes(struct g2_eval *ev, size_t n)
{
	if (n > PV_MAX_MENU_BYTES - ev->menu_bytes)
		return pv_err(PV_ELIMIT, "menu text larger than %u bytes",
			      PV_MAX_MENU_BYTES);
	ev->menu_bytes += n;
	return 0;
}

static int exec_node(struct g2_eval *ev, struct g2_node *n)
{
	int r;

	if ((r = g2_step(ev, n->file, n->line)) < 0)
		return r;
	ev->file = n->file;
	ev->line = n->line;
	switch (n->type) {
	case G2_CMD:
		r = exec_cmd(ev, n);
		break;
	case G2_IF: {
		struct g2_node *br = n;
		int st;

		/* the elif branches in a loop: a long chain is not deep */
		for (;;) {
			ev->status = 0;
			r = g2_exec_list(ev, br->cond);
			if (r < 0 || ev->unwind != G2_UW_NONE)
				break;
			st = ev->status;
			if (st != 0 && br->alt && br->alt->elif) {
				br = br->alt;
				if ((r = g2_step(ev, br->file, br->line)) < 0)
					break;
				continue;
			}
			ev->status = 0;
			r = g2_exec_list(ev, st == 0 ? br->body : br->alt);
			if (r == 0)
				r = ev->status;
			break;
		}
		if (r == 0 && ev->unwind != G2_UW_NONE)
			r = ev->status;
		break;
	}
	case G2_WHILE:
		r = exec_while(ev, n);
		break;
	case G2_FOR:
		r = exec_for(ev, n);
		break;
	case G2_FUNC:
		r = define_func(ev, n);
		break;
	case G2_MENU:
		r = exec_menu(ev, n);
		break;
	default:
		r = 0;
	}
	if (r < 0) {
		if (!ev->err_located) {
			pv_err_ctx("%s:%d", n->file, n->line);
			ev->err_located = 1;
		}
		return r;
	}
	ev->status = n->negate ? !r : r;
	return 0;
}

int g2_exec_list(struct g2_eval *ev, struct g2_node *n)
{
	int r;

	for (; n; n = n->next) {
		if ((r = exec_node(ev, n)) < 0)
			return r;
		if (ev->unwind != G2_UW_NONE)
			break;
	}
	return 0;
}

/* --- menus --- */

/*
 * GRUB sets and exports $chosen before it runs an entry (or submenu)
 * body: the enclosing $chosen, '>', then the entry's id (its title when it
 * has none) with each '>' doubled.  savedefault saves it as saved_entry.
 */
static int set_chosen(struct g2_eval *ev, const struct menu_entry *e)
{
	const char *id = e->id ? e->id : e->title ? e->title : "";
	const char *outer = g2_get_var(ev, "chosen");
	size_t n = (outer ? strlen(outer) + 1 : 0) + 2 * strlen(id) + 1, o = 0;
	char *buf = malloc(n);
	int r;

	if (!buf)
		return pv_err(PV_ENOMEM, "out of memory");
	if (outer) {
		memcpy(buf, outer, strlen(outer));
		o = strlen(outer);
		buf[o++] = '>';
	}
	for (; *id; id++) {
		if (*id == '>')
			buf[o++] = '>';
		buf[o++] = *id;
	}
	buf[o] = '\0';
	r = g2_ctx_set(ev->ctx, "chosen", buf);
	if (r == 0)
		r = g2_ctx_export(ev->ctx, "chosen");
	free(buf);
	return r;
}

/* An entry body, as GRUB runs it when booting the entry. */
static int run_entry(struct g2_eval *ev, struct g2_pending *p)
{
	struct g2_ctx overlay, *saved_ctx = ev->ctx;
	struct g2_frame frame = { p->argv, p->argc }, *saved_frame = ev->frame;
	struct g2_entry_state st = { p->menu, p->index, 0 };
	int r;

	g2_ctx_init(&overlay, ev->ctx, &ev->alive);
	ev->ctx = &overlay;
	ev->frame = &frame;
	ev->entry = &st;
	ev->status = 0;
	r = set_chosen(ev, &p->menu->e[p->index]);
	if (r == 0)
		r = g2_exec_list(ev, p->body);
	ev->unwind = G2_UW_NONE;
	ev->entry = NULL;
	ev->frame = saved_frame;
	ev->ctx = saved_ctx;
	g2_ctx_free(&overlay);
	return r;
}

/* A submenu body: a new context with the exported variables only. */
static int run_submenu(struct g2_eval *ev, struct g2_pending *p)
{
	struct g2_ctx ctx, *saved_ctx = ev->ctx;
	struct g2_frame frame = { p->argv, p->argc }, *saved_frame = ev->frame;
	int r;

	if (ev->menu_depth >= PV_MAX_NESTING)
		return pv_err(PV_ELIMIT, "submenus nested deeper than %d",
			      PV_MAX_NESTING);
	g2_ctx_init(&ctx, NULL, &ev->alive);
	r = g2_ctx_copy_exported(&ctx, ev->ctx);
	if (r == 0) {
		ev->ctx = &ctx;
		r = set_chosen(ev, &p->menu->e[p->index]);
		ev->ctx = saved_ctx;
	}
	if (r == 0) {
		ev->ctx = &ctx;
		ev->frame = &frame;
		ev->menu_depth++;
		r = g2_run_menu(ev, p->body, p->menu->e[p->index].sub);
		ev->menu_depth--;
		ev->frame = saved_frame;
		ev->ctx = saved_ctx;
	}
	g2_ctx_free(&ctx);
	return r;
}

static int parse_timeout(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end)
		return -1;
	if (errno || v > INT_MAX)
		return INT_MAX;
	return v < 0 ? -1 : (int)v;
}

/* The menu settings are whatever the variables hold once the script ran. */
static int read_settings(struct g2_eval *ev, struct menu *m)
{
	const char *d = g2_get_var(ev, "default");
	const char *fb = g2_get_var(ev, "fallback");
	const char *ts = g2_get_var(ev, "timeout_style");
	int r;

	if ((r = menu_set(&m->default_spec, d && *d ? d : NULL)) < 0 ||
	    (r = menu_set(&m->fallback, fb && *fb ? fb : NULL)) < 0)
		return r;
	m->timeout = parse_timeout(g2_get_var(ev, "timeout"));
	m->hidden = ts && !strcmp(ts, "hidden");
	return 0;
}

int g2_run_menu(struct g2_eval *ev, struct g2_node *script, struct menu *m)
{
	struct menu *saved_menu = ev->menu;
	struct g2_pending *saved_p = ev->pending, *mine;
	size_t saved_n = ev->npending, saved_cap = ev->cappending, n, i;
	int r;

	ev->menu = m;
	ev->pending = NULL;
	ev->npending = ev->cappending = 0;
	r = g2_exec_list(ev, script);
	if (r == 0 && ev->unwind == G2_UW_REPLACED) {
		/* configfile: its menu is the one GRUB shows */
		free_pending(ev->pending, ev->npending);
		ev->pending = NULL;
		ev->npending = ev->cappending = 0;
		menu_free(m);
		*m = *ev->replacement;
		free(ev->replacement);
		ev->replacement = NULL;
	} else if (r == 0) {
		r = read_settings(ev, m);
	}
	ev->unwind = G2_UW_NONE;
	mine = ev->pending;
	n = ev->npending;
	ev->pending = saved_p;
	ev->npending = saved_n;
	ev->cappending = saved_cap;
	for (i = 0; r == 0 && i < n; i++) {
		if (mine[i].menu->e[mine[i].index].kind == ENTRY_SUBMENU)
			r = run_submenu(ev, &mine[i]);
		else
			r = run_entry(ev, &mine[i]);
	}
	free_pending(mine, n);
	ev->menu = saved_menu;
	return r;
}
