/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extlinux / syslinux / isolinux configuration files.
 *
 * Semantics follow syslinux's own reader (facts, not code):
 * - keywords are case-insensitive and must be followed by a blank or EOL;
 * - LABEL name starts an entry; its KERNEL/LINUX/APPEND/INITRD/MENU lines
 *   follow.  An entry is recorded at the next LABEL, MENU BEGIN/END or
 *   the end of the main file; INCLUDE behaves as if the included file were
 *   pasted in (the pending LABEL may continue across files).
 * - APPEND outside a LABEL is the default for labels without their own;
 *   `APPEND -` means "no arguments".
 * - the command line syslinux builds is "KERNEL-line-words APPEND
 *   initrd=INITRD"; the first word is the image, the rest its arguments.
 * - DEFAULT names a label (looked up across every menu), or is a command
 *   line of its own (kernel + args: an "implicit" entry); DEFAULT menu.c32
 *   / vesamenu.c32 (or UI) start the menu, whose default is MENU DEFAULT.
 * - TIMEOUT is in tenths of a second; 0 means none.  Without a menu UI and
 *   without PROMPT 1, syslinux boots the default at once.
 * - relative paths are relative to the directory the config was loaded
 *   from; we store absolute paths.
 *
 * initrd: syslinux leaves `initrd=` on the kernel command line and loads
 * the comma-separated files; pygrub removes `initrd=` from the args and
 * uses it as the ramdisk.  We do what pygrub does (a PV kernel gets its
 * ramdisk from the domain builder, not from the command line), so args are
 * identical to pygrub's for every config pygrub reads correctly; the
 * comma-separated list becomes several initrds, concatenated.  An INITRD
 * line wins over initrd= in APPEND (syslinux appends it after APPEND and
 * its linux loader takes the last initrd=); among several initrd= words
 * the last one wins, as in pygrub.
 *
 * Entries we cannot boot as a PV kernel stay in the menu (indices then
 * match syslinux's and pygrub's) as ENTRY_NOT_PV with a note: COM32
 * modules (*.c32, including mboot.c32 = Xen via multiboot), COMBOOT, boot
 * sectors, LOCALBOOT, CONFIG, MENU GOTO/EXIT/QUIT, MENU DISABLE, and a
 * LABEL without KERNEL/LINUX (syslinux would try a file named like the
 * label; security.md C18 asks us not to boot it).
 */
#include "menu/menu.h"
#include "common/err.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum ktype {
	KT_NONE,    /* no KERNEL/LINUX line yet */
	KT_KERNEL,  /* KERNEL: type from the file name's extension */
	KT_LINUX,   /* LINUX: always a Linux kernel */
	KT_OTHER    /* BOOT, BSS, PXE, FDIMAGE, COMBOOT, COM32, CONFIG,
		       LOCALBOOT */
};

/* The LABEL being read (syslinux's "labeldata"). */
struct xl_label {
	int active;
	char *label;
	char *menulabel;
	char *kernel;        /* the whole KERNEL/LINUX/... text */
	enum ktype type;
	const char *kwd;     /* keyword for KT_OTHER, for the note */
	char *append;
	int has_append;
	char *initrd;
	int menudefault;
	int disabled;
	int action;          /* MENU GOTO / EXIT / QUIT */
};

struct xl_level {
	struct menu *m;
	struct menu *parent;  /* NULL at the root */
	size_t index;         /* our entry's index in parent */
	int titled;           /* the submenu got a MENU LABEL */
};

struct xl_state {
	const char *cfgpath;
	char *basedir;        /* "" for "/", else "/dir" without a slash */
	const struct cfg_io *io;
	struct xl_level lv[PV_MAX_NESTING + 1];
	int depth;
	struct xl_label ld;
	char *global_append;
	char *default_cmd;
	char *ontimeout;
	char *menu_default;   /* index path of the MENU DEFAULT entry */
	int menu_ui;
	int prompt;
	int timeout_set;
	const char *incstack[PV_MAX_INCLUDE_DEPTH + 1];
	int incdepth;
	unsigned files;
	/* where we are, for messages */
	const char *file;
	unsigned long line;
};

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static const char *skipspace(const char *p)
{
	while (is_blank((unsigned char)*p))
		p++;
	return p;
}

/* Case-insensitive keyword followed by a blank or EOL: the text after it,
 * or NULL. */
static const char *looking_at(const char *p, const char *kwd)
{
	size_t n = strlen(kwd);

	if (strncasecmp(p, kwd, n) != 0)
		return NULL;
	if (p[n] && !is_blank((unsigned char)p[n]))
		return NULL;
	return p + n;
}

static int perr(struct xl_state *st, int code, const char *what)
{
	return pv_err(code, "%s:%lu: %s", st->file, st->line, what);
}

static char *xstrndup(const char *s, size_t n)
{
	char *c = malloc(n + 1);

	if (c) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

/* Copy of s with trailing blanks removed. */
static char *dup_trim(const char *s)
{
	size_t n = strlen(s);

	while (n && is_blank((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static int set_trim(struct xl_state *st, char **field, const char *s)
{
	char *c = dup_trim(s);

	if (!c)
		return perr(st, PV_ENOMEM, "out of memory");
	free(*field);
	*field = c;
	return 0;
}

/* MENU LABEL text without syslinux's '^' hotkey markers. */
static char *strip_caret(const char *s)
{
	char *c = dup_trim(s), *w, *r;

	if (!c)
		return NULL;
	for (r = w = c; *r; r++)
		if (*r != '^')
			*w++ = *r;
	*w = '\0';
	return c;
}

/* An absolute path for a path in the config, in *out (malloc'd).
 * Relative paths are relative to the config file's directory (syslinux's
 * working directory). */
static int abs_path(struct xl_state *st, const char *p, size_t n, char **out)
{
	size_t bl;
	char *r;

	*out = NULL;
	while (n >= 2 && p[0] == '.' && p[1] == '/') {
		p += 2;
		n -= 2;
	}
	bl = (n && p[0] == '/') ? 0 : strlen(st->basedir) + 1;
	if (bl + n > PV_PATH_MAX)
		return perr(st, PV_ELIMIT, "path longer than 4096 bytes");
	r = malloc(bl + n + 1);
	if (!r)
		return perr(st, PV_ENOMEM, "out of memory");
	if (bl) {
		memcpy(r, st->basedir, bl - 1);
		r[bl - 1] = '/';
	}
	memcpy(r + bl, p, n);
	r[bl + n] = '\0';
	*out = r;
	return 0;
}

static void label_clear(struct xl_label *ld)
{
	free(ld->label);
	free(ld->menulabel);
	free(ld->kernel);
	free(ld->append);
	free(ld->initrd);
	memset(ld, 0, sizeof(*ld));
}

static struct menu *cur_menu(struct xl_state *st)
{
	return st->lv[st->depth].m;
}

/* "i>j>k" for entry idx of the current menu, malloc'd. */
static char *index_path(struct xl_state *st, size_t idx)
{
	char buf[(PV_MAX_NESTING + 1) * 12], *p = buf;
	int d;

	for (d = 1; d <= st->depth; d++)
		p += sprintf(p, "%zu>", st->lv[d].index);
	sprintf(p, "%zu", idx);
	return strdup(buf);
}

/*
 * Remove every initrd= word from args (in place, other spacing kept) and
 * return a copy of the last one's value (NULL when none, or on ENOMEM with
 * *err set).
 */
static char *take_initrd_words(char *args, int *err)
{
	char *r = args, *w = args, *val = NULL;

	*err = 0;
	while (*r) {
		char *s = r;
		size_t n;

		while (*r && !is_blank((unsigned char)*r))
			r++;
		n = (size_t)(r - s);
		if (n >= 7 && strncasecmp(s, "initrd=", 7) == 0) {
			free(val);
			val = xstrndup(s + 7, n - 7);
			if (!val) {
				*err = PV_ENOMEM;
				return NULL;
			}
			while (is_blank((unsigned char)*r))
				r++;
			continue;
		}
		memmove(w, s, n);
		w += n;
		while (is_blank((unsigned char)*r))
			*w++ = *r++;
	}
	while (w > args && is_blank((unsigned char)w[-1]))
		w--;
	*w = '\0';
	return val;
}

/* Add "a,b,c" as initrds of e. */
static int add_initrd_list(struct xl_state *st, struct menu_entry *e,
			   const char *list)
{
	const char *p = list;

	while (*p) {
		const char *c = p;
		size_t n;
		char *path;
		int r;

		while (*c && *c != ',')
			c++;
		n = (size_t)(c - p);
		if (n) {
			r = abs_path(st, p, n, &path);
			if (r < 0)
				return r;
			r = entry_add_initrd(e, path, NULL);
			free(path);
			if (r < 0)
				return r;
		}
		p = *c ? c + 1 : c;
	}
	return 0;
}

static int ends_with_ci(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && strncasecmp(s + n - k, suf, k) == 0;
}

/* Why a KERNEL image cannot boot as a PV kernel, from its name; NULL for
 * a Linux kernel.  (syslinux picks the loader from the extension.) */
static const char *kernel_note(const char *k, size_t n)
{
	const char *base = k + n;

	while (base > k && base[-1] != '/')
		base--;
	if ((size_t)(k + n - base) == 9 && strncasecmp(base, "mboot.c32", 9) == 0)
		return "mboot.c32 boots a multiboot hypervisor (Xen), not a PV kernel";
	if (ends_with_ci(k, n, ".c32"))
		return "a syslinux COM32 module, not a Linux kernel";
	if (ends_with_ci(k, n, ".com") || ends_with_ci(k, n, ".cbt"))
		return "a COMBOOT image, not a Linux kernel";
	if (ends_with_ci(k, n, ".bs") || ends_with_ci(k, n, ".bss"))
		return "a boot sector, not a Linux kernel";
	if (ends_with_ci(k, n, ".0"))
		return "a PXE bootstrap program, not a Linux kernel";
	if (ends_with_ci(k, n, ".img"))
		return "a disk image, not a Linux kernel";
	return NULL;
}

/*
 * Fill e from a command line "image args..." plus an APPEND text and an
 * INITRD value (either may be NULL).  type/kwd tell how the image is run.
 */
static int fill_entry(struct xl_state *st, struct menu_entry *e,
		      const char *cmd, enum ktype type, const char *kwd,
		      const char *append, const char *initrd_kw)
{
	const char *img = skipspace(cmd), *rest;
	size_t ilen, alen = 0, rlen;
	char *args, *iw;
	const char *note = NULL;
	int err;

	rest = img;
	while (*rest && !is_blank((unsigned char)*rest))
		rest++;
	ilen = (size_t)(rest - img);
	rest = skipspace(rest);
	rlen = strlen(rest);
	if (append && append[0] == '-' && append[1] == '\0')
		append = NULL;
	if (append)
		alen = strlen(append);

	e->kind = ENTRY_LINUX;
	if (ilen) {
		int r = abs_path(st, img, ilen, &e->kernel);

		if (r < 0)
			return r;
	}
	args = malloc(rlen + alen + 2);
	if (!args)
		return perr(st, PV_ENOMEM, "out of memory");
	memcpy(args, rest, rlen);
	args[rlen] = '\0';
	if (alen) {
		if (rlen)
			strcat(args, " ");
		strcat(args, append);
	}
	iw = take_initrd_words(args, &err);
	if (err) {
		free(args);
		return perr(st, err, "out of memory");
	}
	e->args = args;
	if (initrd_kw && *initrd_kw)
		err = add_initrd_list(st, e, initrd_kw);
	else if (iw)
		err = add_initrd_list(st, e, iw);
	free(iw);
	if (err < 0)
		return err;

	if (!ilen)
		note = "LABEL without KERNEL or LINUX";
	else if (type == KT_OTHER)
		note = kwd;
	else if (type == KT_KERNEL)
		note = kernel_note(img, ilen);
	if (note) {
		e->kind = ENTRY_NOT_PV;
		if (menu_set(&e->note, note) < 0)
			return PV_ENOMEM;
	}
	return 0;
}

/* Turn the pending LABEL into an entry of the current menu. */
static int record(struct xl_state *st)
{
	struct xl_label *ld = &st->ld;
	struct menu *m = cur_menu(st);
	struct menu_entry *e;
	const char *append;
	int r;

	if (!ld->active)
		return 0;
	e = menu_add(m);
	if (!e) {
		label_clear(ld);
		pv_err_ctx("%s:%lu", st->file, st->line);
		return PV_ELIMIT;
	}
	r = menu_set(&e->id, ld->label);
	if (r == 0 && ld->menulabel) {
		e->title = strip_caret(ld->menulabel);
		if (!e->title)
			r = PV_ENOMEM;
	} else if (r == 0) {
		r = menu_set(&e->title, ld->label);
	}
	if (r < 0)
		goto out;
	append = ld->has_append ? ld->append : st->global_append;
	r = fill_entry(st, e, ld->kernel ? ld->kernel : "", ld->type, ld->kwd,
		       append, ld->initrd);
	if (r < 0)
		goto out;
	if (ld->action || ld->disabled) {
		e->kind = ENTRY_NOT_PV;
		r = menu_set(&e->note, ld->disabled ? "disabled by MENU DISABLE"
				: "a menu action (MENU GOTO/EXIT/QUIT)");
		if (r < 0)
			goto out;
	}
	if (ld->menudefault) {
		free(st->menu_default);
		st->menu_default = index_path(st, m->n - 1);
		if (!st->menu_default)
			r = pv_err(PV_ENOMEM, "out of memory");
	}
out:
	label_clear(ld);
	return r;
}

static int begin_submenu(struct xl_state *st, const char *tag)
{
	struct menu *m = cur_menu(st);
	struct menu_entry *e;
	struct menu *sub;
	int r;

	r = record(st);
	if (r < 0)
		return r;
	if (st->depth >= PV_MAX_NESTING)
		return perr(st, PV_ELIMIT, "MENU BEGIN nested too deeply");
	sub = malloc(sizeof(*sub));
	if (!sub)
		return perr(st, PV_ENOMEM, "out of memory");
	menu_init(sub, "extlinux");
	e = menu_add(m);
	if (!e) {
		free(sub);
		pv_err_ctx("%s:%lu", st->file, st->line);
		return PV_ELIMIT;
	}
	e->kind = ENTRY_SUBMENU;
	e->sub = sub;
	tag = skipspace(tag);
	if (set_trim(st, &e->title, tag) < 0 || set_trim(st, &e->id, tag) < 0)
		return PV_ENOMEM;
	st->depth++;
	st->lv[st->depth].m = sub;
	st->lv[st->depth].parent = m;
	st->lv[st->depth].index = m->n - 1;
	st->lv[st->depth].titled = 0;
	return 0;
}

static int end_submenu(struct xl_state *st)
{
	int r = record(st);

	if (r < 0)
		return r;
	if (st->depth > 0)
		st->depth--;
	return 0;
}

static struct menu_entry *submenu_entry(struct xl_state *st)
{
	struct xl_level *l = &st->lv[st->depth];

	return st->depth ? &l->parent->e[l->index] : NULL;
}

static int parse_buf(struct xl_state *st, const char *file, const char *buf,
		     size_t len);

/* INCLUDE file: parsed in place, as if pasted (syslinux); a missing file is
 * skipped.  Depth, cycles and the total file count are bounded. */
static int do_include(struct xl_state *st, const char *arg)
{
	const char *p = skipspace(arg), *w = p;
	const char *savefile = st->file;
	unsigned long saveline = st->line;
	char *path, *buf = NULL;
	size_t blen = 0;
	int i, r;

	while (*w && !is_blank((unsigned char)*w))
		w++;
	if (w == p)
		return 0;
	r = abs_path(st, p, (size_t)(w - p), &path);
	if (r < 0)
		return r;
	for (i = 0; i < st->incdepth; i++) {
		if (strcmp(st->incstack[i], path) == 0) {
			pv_warn("%s:%lu: INCLUDE %s would include itself: ignored",
				st->file, st->line, path);
			free(path);
			return 0;
		}
	}
	if (st->incdepth > PV_MAX_INCLUDE_DEPTH) { /* main + 8 levels */
		free(path);
		return perr(st, PV_ELIMIT, "INCLUDE nested too deeply");
	}
	if (++st->files > PV_MAX_CONFIG_FILES) {
		free(path);
		return perr(st, PV_ELIMIT, "too many INCLUDEd files");
	}
	if (!st->io || !st->io->read_file) {
		pv_warn("%s:%lu: INCLUDE %s: cannot read files here: ignored",
			st->file, st->line, path);
		free(path);
		return 0;
	}
	r = st->io->read_file(st->io->ctx, NULL, path, &buf, &blen);
	if (r == PV_ENOENT) {
		/* syslinux skips a missing include silently */
		pv_warn("%s:%lu: INCLUDE %s: not found: ignored", st->file,
			st->line, path);
		free(path);
		return 0;
	}
	if (r < 0) {
		pv_err_ctx("%s:%lu: INCLUDE %s", st->file, st->line, path);
		free(path);
		return r;
	}
	st->incstack[st->incdepth++] = path;
	r = parse_buf(st, path, buf, blen);
	st->incdepth--;
	free(buf);
	st->file = savefile;
	st->line = saveline;
	free(path);
	return r;
}

/* MENU <something>: p points after "menu". */
static int do_menu(struct xl_state *st, const char *p)
{
	struct xl_label *ld = &st->ld;
	const char *a;
	int r;

	p = skipspace(p);
	if ((a = looking_at(p, "label"))) {
		if (ld->active)
			return set_trim(st, &ld->menulabel, skipspace(a));
		if (st->depth) {
			struct menu_entry *e = submenu_entry(st);
			char *t = strip_caret(skipspace(a));

			if (!t)
				return perr(st, PV_ENOMEM, "out of memory");
			free(e->title);
			e->title = t;
			st->lv[st->depth].titled = 1;
		}
	} else if ((a = looking_at(p, "title"))) {
		if (st->depth && !st->lv[st->depth].titled) {
			struct menu_entry *e = submenu_entry(st);

			return set_trim(st, &e->title, skipspace(a));
		}
	} else if (looking_at(p, "default")) {
		if (ld->active) {
			ld->menudefault = 1;
		} else if (st->depth) {
			st->depth--;
			free(st->menu_default);
			st->menu_default = index_path(st, st->lv[st->depth + 1].index);
			st->depth++;
			if (!st->menu_default)
				return perr(st, PV_ENOMEM, "out of memory");
		}
	} else if (looking_at(p, "hidden")) {
		st->lv[0].m->hidden = 1;
	} else if (looking_at(p, "disable") || looking_at(p, "disabled")) {
		if (ld->active)
			ld->disabled = 1;
	} else if (looking_at(p, "goto") || looking_at(p, "exit") ||
		   looking_at(p, "quit")) {
		if (ld->active)
			ld->action = 1;
	} else if (looking_at(p, "separator")) {
		/* not an entry: nothing to list or boot */
		return record(st);
	} else if ((a = looking_at(p, "begin"))) {
		return begin_submenu(st, a);
	} else if (looking_at(p, "end")) {
		return end_submenu(st);
	} else if ((a = looking_at(p, "include"))) {
		const char *tag;
		int sub;

		/* MENU INCLUDE file [tag]: with a tag, a submenu */
		tag = skipspace(a);
		while (*tag && !is_blank((unsigned char)*tag))
			tag++;
		tag = skipspace(tag);
		sub = *tag != '\0';
		if (sub && (r = begin_submenu(st, tag)) < 0)
			return r;
		r = do_include(st, a);
		if (r < 0)
			return r;
		if (sub)
			return end_submenu(st);
	}
	/* colours, messages, layout, passwords: nothing to do for us */
	return 0;
}

static int do_kernel(struct xl_state *st, const char *a, enum ktype type,
		     const char *kwd)
{
	struct xl_label *ld = &st->ld;

	if (!ld->active) {
		pv_debug("%s:%lu: %s outside a LABEL: ignored (as syslinux)",
			 st->file, st->line, kwd);
		return 0;
	}
	ld->type = type;
	ld->kwd = kwd;
	return set_trim(st, &ld->kernel, skipspace(a));
}

/* Syslinux's other image types: not PV kernels. */
static const struct {
	const char *kwd;
	const char *note;
} other_types[] = {
	{ "localboot", "LOCALBOOT boots a local disk, not a kernel" },
	{ "boot", "BOOT loads a boot sector, not a Linux kernel" },
	{ "bss", "BSS loads a boot sector, not a Linux kernel" },
	{ "pxe", "PXE loads a PXE program, not a Linux kernel" },
	{ "fdimage", "FDIMAGE boots a floppy image, not a Linux kernel" },
	{ "comboot", "COMBOOT runs a COMBOOT program, not a Linux kernel" },
	{ "com32", "COM32 runs a syslinux module, not a Linux kernel" },
	{ "config", "CONFIG restarts syslinux with another config" },
};

static int parse_line(struct xl_state *st, const char *p)
{
	struct xl_label *ld = &st->ld;
	const char *a;
	size_t i;
	int r;

	p = skipspace(p);
	if (!*p || *p == '#')
		return 0;
	if ((a = looking_at(p, "menu")))
		return do_menu(st, a);
	if ((a = looking_at(p, "include")))
		return do_include(st, a);
	if ((a = looking_at(p, "append"))) {
		if (ld->active) {
			ld->has_append = 1;
			return set_trim(st, &ld->append, skipspace(a));
		}
		return set_trim(st, &st->global_append, skipspace(a));
	}
	if ((a = looking_at(p, "initrd"))) {
		if (ld->active)
			return set_trim(st, &ld->initrd, skipspace(a));
		return 0;
	}
	if ((a = looking_at(p, "label"))) {
		const char *w;

		r = record(st);
		if (r < 0)
			return r;
		a = skipspace(a);
		for (w = a; *w && !is_blank((unsigned char)*w); w++)
			;
		ld->label = xstrndup(a, (size_t)(w - a));
		if (!ld->label)
			return perr(st, PV_ENOMEM, "out of memory");
		ld->active = 1;
		return 0;
	}
	if ((a = looking_at(p, "kernel")))
		return do_kernel(st, a, KT_KERNEL, "KERNEL");
	if ((a = looking_at(p, "linux")))
		return do_kernel(st, a, KT_LINUX, "LINUX");
	for (i = 0; i < sizeof(other_types) / sizeof(other_types[0]); i++)
		if ((a = looking_at(p, other_types[i].kwd)))
			return do_kernel(st, a, KT_OTHER, other_types[i].note);
	if ((a = looking_at(p, "timeout"))) {
		long t = 0;

		/* tenths of a second, saturating; 0 = no timeout */
		a = skipspace(a);
		while (isdigit((unsigned char)*a)) {
			if (t < INT_MAX / 10)
				t = t * 10 + (*a - '0');
			a++;
		}
		st->lv[0].m->timeout = t > 0 ? (int)((t + 9) / 10) : -1;
		st->timeout_set = 1;
		return 0;
	}
	if ((a = looking_at(p, "default")))
		return set_trim(st, &st->default_cmd, skipspace(a));
	if ((a = looking_at(p, "ontimeout")))
		return set_trim(st, &st->ontimeout, skipspace(a));
	if ((a = looking_at(p, "ui"))) {
		st->menu_ui = 1;
		return 0;
	}
	if ((a = looking_at(p, "prompt"))) {
		st->prompt = atoi(skipspace(a)) != 0;
		return 0;
	}
	pv_debug("%s:%lu: ignored: %.40s", st->file, st->line, p);
	return 0;
}

/* Parse one file's lines.  TEXT HELP ... ENDTEXT blocks are skipped. */
static int parse_buf(struct xl_state *st, const char *file, const char *buf,
		     size_t len)
{
	size_t off = 0;
	int in_text = 0;

	st->file = file;
	st->line = 0;
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
		char *line;
		int r;

		st->line++;
		if (n > PV_MAX_LINE)
			return perr(st, PV_ELIMIT, "line longer than 65536 bytes");
		line = xstrndup(buf + off, n);
		if (!line)
			return perr(st, PV_ENOMEM, "out of memory");
		off += n + (nl ? 1 : 0);
		if (in_text) {
			if (looking_at(skipspace(line), "endtext"))
				in_text = 0;
			free(line);
			continue;
		}
		if (looking_at(skipspace(line), "text")) {
			in_text = 1;
			free(line);
			continue;
		}
		/* an embedded NUL ends the line, as in syslinux's fgets */
		r = parse_line(st, line);
		free(line);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Find the entry with LABEL name (first word of cmd) anywhere in m; writes
 * the index path to buf. */
static int find_label(const struct menu *m, const char *name, size_t nlen,
		      char *buf, size_t bsz, int depth)
{
	size_t i;

	if (depth > PV_MAX_NESTING)
		return 0;
	for (i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->e[i];
		int k;

		if (e->kind != ENTRY_SUBMENU && e->id && strlen(e->id) == nlen &&
		    memcmp(e->id, name, nlen) == 0) {
			snprintf(buf, bsz, "%zu", i);
			return 1;
		}
		if (e->kind == ENTRY_SUBMENU && e->sub) {
			char sub[(PV_MAX_NESTING + 1) * 12];

			if (find_label(e->sub, name, nlen, sub, sizeof(sub),
				       depth + 1)) {
				k = snprintf(buf, bsz, "%zu>%s", i, sub);
				if (k > 0 && (size_t)k < bsz)
					return 1;
			}
		}
	}
	return 0;
}

static const struct menu_entry *entry_at(const struct menu *m, const char *path)
{
	const struct menu_entry *e = NULL;

	for (;;) {
		char *end;
		unsigned long i = strtoul(path, &end, 10);

		if (i >= m->n)
			return NULL;
		e = &m->e[i];
		if (*end != '>')
			return e;
		if (!e->sub)
			return NULL;
		m = e->sub;
		path = end + 1;
	}
}

/* A command line as DEFAULT gives it: a label (+ extra args) or a kernel
 * with args.  Adds an implicit entry when needed; sets default_spec. */
static int resolve_default(struct xl_state *st, const char *cmd, int ontimeout)
{
	struct menu *root = st->lv[0].m;
	const char *w = skipspace(cmd), *rest;
	char path[(PV_MAX_NESTING + 1) * 12];
	size_t wl;
	struct menu_entry *e;
	int r;

	for (rest = w; *rest && !is_blank((unsigned char)*rest); rest++)
		;
	wl = (size_t)(rest - w);
	rest = skipspace(rest);
	if (!wl)
		return 0;
	if (find_label(root, w, wl, path, sizeof(path), 0)) {
		const struct menu_entry *le;
		size_t k;

		if (!*rest)
			return menu_set(&root->default_spec, path);
		/* "DEFAULT label extra args": the label's line plus the
		 * words typed after it (syslinux's unlabel) */
		le = entry_at(root, path);
		if (!le)
			return 0;
		e = menu_add(root);
		if (!e)
			return PV_ELIMIT;
		le = entry_at(root, path); /* menu_add may have moved it */
		e->kind = le->kind;
		if (menu_set(&e->title, cmd) || menu_set(&e->kernel, le->kernel) ||
		    menu_set(&e->note, le->note))
			return PV_ENOMEM;
		for (k = 0; k < le->ninitrd; k++)
			if ((r = entry_add_initrd(e, le->initrd[k], NULL)) < 0)
				return r;
		{
			size_t al = le->args ? strlen(le->args) : 0;
			char *args = malloc(al + strlen(rest) + 2), *iw;

			if (!args)
				return pv_err(PV_ENOMEM, "out of memory");
			snprintf(args, al + strlen(rest) + 2, "%s%s%s",
				 al ? le->args : "", al ? " " : "", rest);
			iw = take_initrd_words(args, &r);
			e->args = args;
			if (r < 0)
				return pv_err(r, "out of memory");
			if (iw) {
				for (k = 0; k < e->ninitrd; k++) {
					free(e->initrd[k]);
					free(e->initrd_dev[k]);
				}
				e->ninitrd = 0;
				r = add_initrd_list(st, e, iw);
				free(iw);
				if (r < 0)
					return r;
			}
		}
		snprintf(path, sizeof(path), "%zu", root->n - 1);
		return menu_set(&root->default_spec, path);
	}
	if (ends_with_ci(w, wl, "menu.c32")) /* menu.c32, vesamenu.c32 */
		return 0;
	if (ontimeout) {
		pv_warn("%s: ONTIMEOUT %.60s: not a label: ignored", st->cfgpath,
			cmd);
		return 0;
	}
	/* an implicit kernel: skip it when labels exist and the file does
	 * not, as it would only make the default fail */
	if (root->n && st->io && st->io->stat) {
		char *k, type;
		uint64_t size;

		r = abs_path(st, w, wl, &k);
		if (r < 0)
			return r;
		r = st->io->stat(st->io->ctx, NULL, k, &type, &size);
		free(k);
		if (r == PV_ENOENT) {
			pv_warn("%s: DEFAULT %.60s names neither a label nor a file: ignored",
				st->cfgpath, cmd);
			return 0;
		}
	}
	e = menu_add(root);
	if (!e)
		return PV_ELIMIT;
	if (menu_set(&e->title, cmd) < 0)
		return PV_ENOMEM;
	/* a bare image name gets the global APPEND, as syslinux does */
	r = fill_entry(st, e, cmd, KT_KERNEL, NULL,
		       *rest ? NULL : st->global_append, NULL);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%zu", root->n - 1);
	return menu_set(&root->default_spec, path);
}

static void state_free(struct xl_state *st)
{
	label_clear(&st->ld);
	free(st->basedir);
	free(st->global_append);
	free(st->default_cmd);
	free(st->ontimeout);
	free(st->menu_default);
}

int extlinux_parse(const char *path, const char *buf, size_t len,
		   const struct cfg_io *io, struct menu *out)
{
	struct xl_state st;
	const char *slash;
	int r;

	menu_init(out, "extlinux");
	memset(&st, 0, sizeof(st));
	st.cfgpath = path;
	st.io = io;
	st.lv[0].m = out;
	st.files = 1;
	if (len > PV_MAX_CONFIG_SIZE)
		return pv_err(PV_ELIMIT, "%s: larger than %u bytes", path,
			      PV_MAX_CONFIG_SIZE);
	slash = strrchr(path, '/');
	st.basedir = slash ? xstrndup(path, (size_t)(slash - path)) : strdup("");
	if (!st.basedir)
		return pv_err(PV_ENOMEM, "out of memory");

	st.incstack[st.incdepth++] = path;
	r = parse_buf(&st, path, buf, len);
	if (r == 0)
		r = record(&st);
	st.depth = 0;
	st.file = path;
	if (st.default_cmd) {
		const char *w = skipspace(st.default_cmd), *e = w;

		while (*e && !is_blank((unsigned char)*e))
			e++;
		/* DEFAULT menu.c32 / vesamenu.c32 runs the menu */
		if (ends_with_ci(w, (size_t)(e - w), "menu.c32"))
			st.menu_ui = 1;
	}
	/*
	 * What boots unattended: with a menu UI, its MENU DEFAULT, else the
	 * DEFAULT command line; ONTIMEOUT (a label) overrides both.
	 */
	if (r == 0 && st.menu_default && (st.menu_ui || !st.default_cmd))
		r = menu_set(&out->default_spec, st.menu_default);
	else if (r == 0 && st.default_cmd)
		r = resolve_default(&st, st.default_cmd, 0);
	if (r == 0 && st.ontimeout)
		r = resolve_default(&st, st.ontimeout, 1);
	if (r == 0 && !st.menu_ui && !st.prompt) {
		/* no menu and no boot: prompt: syslinux boots at once */
		out->timeout = 0;
		out->hidden = 1;
	}
	state_free(&st);
	if (r < 0) {
		menu_free(out);
		menu_init(out, "extlinux");
	}
	return r;
}
