/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/confined/run.h"
#include "bootloader/confined/entries_out.h"
#include "bootloader/confined/diagnose.h"
#include "bootloader/confined/pvgrub.h"
#include "bootloader/confined/kcheck_io.h"
#include "bootloader/confined/uki_scan.h"
#include "bootloader/confined/edit_args.h"
#include "bootloader/confined/volumes.h"
#include "bootloader/confined/envstore.h"
#include "menu/envsave.h"
#include "bootloader/wire/text_ok.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"
#include "common/strbuf.h"
#include "fs/path.h"
#include "menu/auth.h"
#include "menu/bls.h"
#include "menu/menu.h"
#include "menu/netlayout.h"
#include "partition/vdisk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct boot_result *r, int status)
{
	r->status = status;
	r->error = strdup(pv_errmsg());
	return status;
}

static int exit_for(int code)
{
	switch (code) {
	case PV_ENOENT:
	case PV_ENOTREG:
	case PV_ENOTMINE:
		return EXIT_NOBOOT;
	case PV_ESANDBOX:
		return EXIT_SANDBOX;
	case PV_EINVAL:
		return EXIT_USAGE;
	default:
		return EXIT_BADIMAGE;
	}
}

/* args = the entry's, then --args, joined by one space. */
static char *join_args(const char *a, const char *b)
{
	struct strbuf sb;

	sb_init(&sb, 1u << 20);
	if (a && *a)
		sb_puts(&sb, a);
	if (b && *b) {
		if (a && *a)
			sb_puts(&sb, " ");
		sb_puts(&sb, b);
	}
	return sb_take(&sb);
}

/* Name an unsafe character for a message: "control character 0x0a",
 * "control character U+202E", "byte 0xe9 that is not UTF-8". */
static const char *unsafe_name(char *buf, size_t sz, const char *s, long at,
			       uint32_t cp)
{
	unsigned char b = (unsigned char)s[at];

	if (cp < 0x80)
		snprintf(buf, sz, "control character 0x%02x", (unsigned)cp);
	else if (b == cp && (b < 0xc2 || b > 0xf4 || pv_cp_unsafe(cp)))
		snprintf(buf, sz, "%sbyte 0x%02x that is not UTF-8",
			 b <= 0x9f ? "C1 " : "", (unsigned)b);
	else if (pv_cp_unsafe(cp))
		snprintf(buf, sz, "control character U+%04X", (unsigned)cp);
	else
		snprintf(buf, sz, "byte 0x%02x that is not UTF-8", (unsigned)b);
	return buf;
}

/* Xen keeps 1023 bytes of a PV command line; control bytes could forge
 * output items or console lines (XSA-198, security.md C9-C12), and C1,
 * bidi controls and line separators could do the same on a terminal or in
 * a log: the supervisor's validation uses the same predicate. */
static int check_args(const char *a)
{
	size_t n = strlen(a);
	uint32_t cp;
	char nm[48];
	long at;

	if (n > PV_MAX_ARGS)
		return pv_err(PV_ELIMIT,
			      "kernel args are %zu bytes; Xen keeps at most %d",
			      n, PV_MAX_ARGS);
	at = pv_text_unsafe_at(a, n, PV_TEXT_UTF8, &cp);
	if (at >= 0)
		return pv_err(PV_ECORRUPT,
			      "kernel args contain %s at byte %ld",
			      unsafe_name(nm, sizeof(nm), a, at, cp), at);
	return 0;
}

/* A guest file name holding such a character, or bytes that are not
 * UTF-8, is bad guest data (exit 3), refused here before the supervisor
 * would see it (validate.c refuses the same, as the worker's fault). */
static int check_path(const char *what, const char *p)
{
	uint32_t cp;
	char nm[48];
	long at;

	if (!p)
		return 0;
	at = pv_text_unsafe_at(p, strlen(p), PV_TEXT_UTF8, &cp);
	if (at >= 0)
		return pv_err(PV_ECORRUPT,
			      "%s contains %s at byte %ld",
			      what, unsafe_name(nm, sizeof(nm), p, at, cp), at);
	return 0;
}

/* "  check: ..." for -l: the kernel check of entry e (rc NULL: none). */
struct list_ctx {
	struct run_ctx *rc;
	size_t vi;
	uint64_t max;
	size_t checked;
};

static void list_check(struct strbuf *sb, struct list_ctx *lc,
		       const struct menu_entry *e)
{
	char used[PV_PATH_MAX], p[512];
	struct kcheck k;
	struct blob b;
	int r;

	if (!lc || !lc->rc || e->kind != ENTRY_LINUX)
		return;
	if (lc->checked++ >= PV_KCHECK_LIST_MAX) {
		sb_puts(sb, "  check: not done (listing limit)\n");
		return;
	}
	blob_init(&b);
	r = vols_file_part_blob(lc->rc, lc->vi, e->kernel_dev, e->kernel,
				&e->kernel_part, lc->max, &b, used,
				sizeof(used));
	if (r == 0)
		r = kernel_check_blob(lc->rc->disk, &b, &k);
	blob_free(&b);
	if (r < 0) {
		pv_sanitize(p, sizeof(p), pv_errmsg(), strlen(pv_errmsg()));
		sb_printf(sb, "  check: kernel not readable (%s)\n", p);
		pv_err_clear();
		return;
	}
	pv_sanitize(p, sizeof(p), k.summary, strlen(k.summary));
	sb_printf(sb, "  check: %s\n", p);
	if (k.problem[0]) {
		pv_sanitize(p, sizeof(p), k.problem, strlen(k.problem));
		sb_printf(sb, "  check: %s: %s\n", k.fatal ? "cannot boot" :
			  "warning", p);
	}
}

/* --- --list-entries, in pygrub's layout, titles escaped --- */
static void list_menu(struct strbuf *sb, const struct menu *m,
		      const char *prefix, struct list_ctx *lc)
{
	size_t i, k;
	char t[512], p[512];

	for (i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->e[i];
		char title[1024];

		snprintf(title, sizeof(title), "%s%s", prefix,
			 e->title ? e->title : "");
		pv_sanitize(t, sizeof(t), title, strlen(title));
		if (e->kind == ENTRY_SUBMENU) {
			snprintf(title, sizeof(title), "%s%s>", prefix,
				 e->title ? e->title : "");
			if (e->sub)
				list_menu(sb, e->sub, title, lc);
			continue;
		}
		sb_printf(sb, "title: %s\n", t);
		pv_sanitize(p, sizeof(p), e->root ? e->root : "None",
			    strlen(e->root ? e->root : "None"));
		sb_printf(sb, "  root: %s\n", p);
		if (e->kind == ENTRY_NOT_PV) {
			pv_sanitize(p, sizeof(p), e->note ? e->note : "",
				    strlen(e->note ? e->note : ""));
			sb_printf(sb, "  kernel: None (%s)\n", p);
		} else {
			pv_sanitize(p, sizeof(p), e->kernel ? e->kernel : "",
				    strlen(e->kernel ? e->kernel : ""));
			sb_printf(sb, "  kernel: %s%s%s\n", p,
				  e->kernel_part.len ? ":" : "",
				  e->kernel_part.len ? e->kernel_part.name : "");
		}
		pv_sanitize(p, sizeof(p), e->args ? e->args : "",
			    strlen(e->args ? e->args : ""));
		sb_printf(sb, "  args: %s\n", p);
		if (!e->ninitrd)
			sb_puts(sb, "  initrd: None\n");
		else {
			sb_puts(sb, "  initrd:");
			for (k = 0; k < e->ninitrd; k++) {
				pv_sanitize(p, sizeof(p), e->initrd[k],
					    strlen(e->initrd[k]));
				sb_printf(sb, " %s%s%s", p,
					  e->initrd_part &&
					  e->initrd_part[k].len ? ":" : "",
					  e->initrd_part &&
					  e->initrd_part[k].len ?
					  e->initrd_part[k].name : "");
			}
			sb_puts(sb, "\n");
		}
		list_check(sb, lc, e);
	}
}

static char *initrd_list(const struct menu_entry *e)
{
	struct strbuf sb;
	size_t k;

	sb_init(&sb, 64 * 1024);
	for (k = 0; k < e->ninitrd; k++) {
		if (k)
			sb_puts(&sb, " ");
		sb_puts(&sb, e->initrd[k]);
	}
	return sb_take(&sb);
}

/* "LABEL VALUE\n" with VALUE escaped: the checks above refused every
 * unsafe character, but bytes that are not UTF-8 (a Latin-1 name) are
 * allowed there and the text must be UTF-8 (validate.c). */
static void put_clean(struct strbuf *sb, const char *label, const char *v)
{
	size_t n = strlen(v), sz = 4 * n + 8;
	char *c = malloc(sz);

	if (!c) {
		sb->failed = 1;
		return;
	}
	pv_sanitize(c, sz, v, n);
	sb_printf(sb, "%s%s\n", label, c);
	free(c);
}

/* --isconfig: the image is a config file; print what would boot. */
static int run_isconfig(const struct options *o, struct disk *d,
			struct boot_result *r)
{
	const struct cfg_candidate *c;
	const struct menu_entry *e;
	struct menu m;
	struct strbuf sb;
	char *buf, *args, *ird;
	int rc;

	if (d->size > PV_MAX_CONFIG_SIZE) {
		pv_err(PV_ELIMIT, "config file is larger than %u bytes",
		       PV_MAX_CONFIG_SIZE);
		return fail(r, EXIT_BADIMAGE);
	}
	buf = malloc(d->size + 1);
	if (!buf)
		return pv_err(PV_ENOMEM, "out of memory"), fail(r, EXIT_BADIMAGE);
	rc = disk_read(d, 0, buf, d->size);
	if (rc < 0) {
		free(buf);
		return fail(r, EXIT_BADIMAGE);
	}
	buf[d->size] = '\0';
	c = cfg_detect(o->image, buf, d->size);
	menu_init(&m, c->format);
	rc = c->parse(o->image, buf, d->size, NULL, &m);
	free(buf);
	if (rc == 0 && o->list_entries) {
		sb_init(&sb, 4u << 20);
		list_menu(&sb, &m, "", NULL);
		r->text = sb_take(&sb);
		menu_free(&m);
		return 0;
	}
	if (rc == 0)
		rc = menu_select(&m, o->entry, &e, NULL, 0);
	if (rc < 0) {
		menu_free(&m);
		return fail(r, exit_for(rc));
	}
	args = join_args(e->args, o->args);
	ird = initrd_list(e);
	/* the same checks as a disk run: nothing printed raw can forge a
	 * line or reach the terminal as a control */
	rc = !args || !ird ? pv_err(PV_ENOMEM, "out of memory") : 0;
	if (rc == 0)
		rc = check_path("kernel path", e->kernel);
	if (rc == 0)
		rc = check_path("initrd path", ird);
	if (rc == 0)
		rc = check_args(args);
	if (rc < 0) {
		free(args);
		free(ird);
		menu_free(&m);
		return fail(r, exit_for(rc));
	}
	sb_init(&sb, 1u << 20);
	put_clean(&sb, "  kernel: ", e->kernel ? e->kernel : "");
	if (ird && *ird)
		put_clean(&sb, "  initrd: ", ird);
	put_clean(&sb, "  args: ", args ? args : "");
	r->text = sb_take(&sb);
	free(args);
	free(ird);
	menu_free(&m);
	return 0;
}

/* A guest path for a message: long ones are cut in the middle so the
 * reason after them stays visible. */
static const char *short_path(char *buf, size_t sz, const char *p)
{
	size_t n = strlen(p);

	if (n < 100 || sz < 100)
		snprintf(buf, sz, "%s", p);
	else
		snprintf(buf, sz, "%.40s...%s", p, p + n - 40);
	return buf;
}

/* Copy the chosen files into the result (as blobs) and set paths/args. */
/* The kernel check before the hand-over: fails only where Xen's domain
 * builder surely would; otherwise a warning, and the summary for -n and
 * --debug. */
static int check_kernel(struct run_ctx *rc, const struct options *o,
			const char *path, const struct blob *kernel)
{
	struct kcheck k;
	char sp[128];
	int e = kernel_check_blob(rc->disk, kernel, &k);

	short_path(sp, sizeof(sp), path);
	if (e < 0) {
		pv_err_ctx("kernel %s", sp);
		return e;
	}
	if (k.fatal)
		return pv_err(PV_ECORRUPT, "kernel %s: %s (%s)", sp, k.problem,
			      k.summary);
	pv_debug("kernel check: %s: %s", sp, k.summary);
	if (o->not_really)
		pv_note("kernel check: %s", k.summary);
	if (k.problem[0])
		pv_warn("kernel %s: %s", sp, k.problem);
	return 0;
}

/* "PATH" or, for a part of a file (a UKI section), "PATH:.section" */
static char *shown_path(const char *used, const struct file_part *part)
{
	char buf[PV_PATH_MAX + 16];

	snprintf(buf, sizeof(buf), "%s%s%s", used,
		 part && part->len ? ":" : "",
		 part && part->len ? part->name : "");
	return strdup(buf);
}

static int take_entry(struct run_ctx *rc, size_t vi, const struct options *o,
		      const char *kdev, const char *kernel,
		      const char *const *initrd, const char *const *idev,
		      size_t ninitrd, const char *args,
		      const struct file_part *kpart,
		      const struct file_part *iparts, struct boot_result *r)
{
	struct strbuf paths;
	char used[PV_PATH_MAX], sp[128], *shown;
	size_t k;
	int e;

	e = vols_file_part_blob(rc, vi, kdev, kernel, kpart, o->max_file,
				&r->kernel, used, sizeof(used));
	if (e < 0) {
		pv_err_ctx("kernel %s", short_path(sp, sizeof(sp), kernel));
		return e;
	}
	r->kernel_path = shown_path(used, kpart);
	e = check_path("kernel path", r->kernel_path ? r->kernel_path : used);
	if (e < 0)
		return e;
	e = check_kernel(rc, o, r->kernel_path ? r->kernel_path : used,
			 &r->kernel);
	if (e < 0)
		return e;
	sb_init(&paths, 64 * 1024);
	for (k = 0; k < ninitrd; k++) {
		e = vols_file_part_blob(rc, vi, idev ? idev[k] : NULL,
					initrd[k], iparts ? &iparts[k] : NULL,
					o->max_file, &r->ramdisk, used,
					sizeof(used));
		if (e < 0) {
			sb_free(&paths);
			pv_err_ctx("initrd %s",
				   short_path(sp, sizeof(sp), initrd[k]));
			return e;
		}
		e = check_path("initrd path", used);
		if (e < 0) {
			sb_free(&paths);
			return e;
		}
		if (k)
			sb_puts(&paths, " ");
		shown = shown_path(used, iparts ? &iparts[k] : NULL);
		sb_puts(&paths, shown ? shown : used);
		free(shown);
	}
	if (ninitrd) {
		r->have_ramdisk = 1;
		r->ramdisk_path = sb_take(&paths);
	} else {
		sb_free(&paths);
	}
	r->args = join_args(args, o->args);
	if (!r->kernel_path || !r->args || (ninitrd && !r->ramdisk_path))
		return pv_err(PV_ENOMEM, "out of memory");
	return check_args(r->args);
}

/* --kernel given: boot that path (with --ramdisk/--args) from the first
 * volume that has it, without reading any config (pygrub does the same). */
static int run_explicit(struct run_ctx *rc, const struct options *o,
			struct boot_result *r)
{
	const char *ird[1] = { o->ramdisk };
	size_t vi;
	int e;

	for (vi = 0; vi < rc->n; vi++) {
		if (vols_mount(rc, vi) < 0)
			continue;
		if (!vols_has_file(rc, vi, NULL, o->kernel)) {
			vols_diag(rc, vi, "no %s", o->kernel);
			continue;
		}
		e = take_entry(rc, vi, o, NULL, o->kernel, ird, NULL,
			       o->ramdisk ? 1 : 0, NULL, NULL, NULL, r);
		if (e < 0) {
			vols_ctx(rc, vi);
			return fail(r, exit_for(e));
		}
		return 0;
	}
	vols_no_boot(rc, "kernel not found", 0);
	return fail(r, EXIT_NOBOOT);
}

/* --location=ISO without --kernel: the first install-tree layout
 * (menu/netlayout.h) whose kernel some volume holds, booted with --args
 * only, as xenpvnetboot does.  0: booted; -1: no layout here (the ISO's
 * own boot configs are tried next); else the exit status of a failure. */
static int run_layouts(struct run_ctx *rc, const struct options *o,
		       struct boot_result *r)
{
	char kpath[PV_PATH_MAX], rpath[PV_PATH_MAX];
	const char *ird[1];
	size_t li, vi;
	int e;

	for (li = 0; li < n_netlayouts; li++) {
		const struct netlayout *l = &netlayouts[li];

		snprintf(kpath, sizeof(kpath), "/%s", l->kernel);
		snprintf(rpath, sizeof(rpath), "/%s", l->ramdisk);
		ird[0] = o->ramdisk ? o->ramdisk : rpath;
		for (vi = 0; vi < rc->n; vi++) {
			if (vols_mount(rc, vi) < 0 ||
			    !vols_has_file(rc, vi, NULL, kpath))
				continue;
			e = take_entry(rc, vi, o, NULL, kpath, ird, NULL, 1,
				       NULL, NULL, NULL, r);
			if (e < 0) {
				vols_ctx(rc, vi);
				return fail(r, exit_for(e));
			}
			pv_warn("install tree layout: %s", l->name);
			return 0;
		}
	}
	return -1;
}

/* XCP-ng's pygrub rule, asked for with --default_args: when the first
 * volume holds /xenkernel (or /boot/xenkernel), boot it, with /xeninitrd
 * (or /boot/xeninitrd) if present, and the default args, ignoring any
 * config.  1 = not there (go on), else the run's status. */
static int run_xenkernel(struct run_ctx *rc, const struct options *o,
			 struct boot_result *r)
{
	static const char *const dirs[] = { "", "/boot" };
	struct options x = *o;
	char k[32], i[32];
	size_t d;

	if (!rc->n || vols_mount(rc, 0) < 0)
		return 1;
	for (d = 0; d < 2; d++) {
		snprintf(k, sizeof(k), "%s/xenkernel", dirs[d]);
		snprintf(i, sizeof(i), "%s/xeninitrd", dirs[d]);
		if (!vols_has_file(rc, 0, NULL, k))
			continue;
		pv_debug("%s: %s present: booting it (--default_args)",
			 vols_label(rc, 0), k);
		x.kernel = k;
		x.ramdisk = vols_has_file(rc, 0, NULL, i) ? i : NULL;
		x.args = o->xcp_default_args;
		return run_explicit(rc, &x, r);
	}
	return 1;
}

/* Let the user pick from m (through ask) and resolve the pick as
 * --entry=INDEX would: pygrub's flat numbering, the same walk as
 * flat_build's.  Arguments typed with 'a' come back in *args (re-read
 * with m's parser rules), else *args is NULL. */
static int choose_entry(const struct menu *m, run_ask_fn ask,
			const struct cfg_io *io, struct menu *edited_m,
			const struct menu_entry **out, char **args)
{
	struct flat_choice *c;
	struct flat_menu f;
	char want[24], path[FLAT_PATH_MAX];
	size_t idx = 0;
	int rv;

	*args = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return pv_err(PV_ENOMEM, "out of memory");
	rv = flat_build(m, &f);
	if (rv < 0) {
		free(c);
		return rv;
	}
	rv = ask(&f, c);
	idx = c->index;
	if (rv == 0 && c->edited == FLAT_EDIT_ARGS) {
		rv = edit_args_reparse(m->format, c->args, args);
		if (rv == 0)
			pv_debug("menu: arguments edited: '%s'", *args);
	} else if (rv == 0 && c->edited && !io) {
		rv = pv_err(PV_EINVAL, "this menu's entries cannot be edited");
	} else if (rv == 0 && c->edited) {
		/* 'e' or 'c': the typed lines make the entry */
		rv = edit_lines_reparse(m->format, c->edited, c->args, io,
					edited_m);
		if (rv == 0) {
			*out = &edited_m->e[0];
			pv_debug("menu: booting the %s",
				 c->edited == FLAT_EDIT_LINES ? "edited entry"
							      : "command line");
		}
		free(c);
		flat_free(&f);
		return rv;
	}
	free(c);
	if (rv == 0) {
		snprintf(want, sizeof(want), "%zu", idx);
		rv = menu_select(m, want, out, path, sizeof(path));
	}
	if (rv == 0 && *out != f.items[idx].e)
		rv = pv_err(PV_EINVAL, "menu entry %zu resolves elsewhere",
			    idx);
	if (rv == 0)
		pv_debug("menu: booting entry %zu (%s)", idx, path);
	flat_free(&f);
	return rv;
}

/* The config's own default, for --json's flag (NULL if it names none). */
static const struct menu_entry *default_of(const struct menu *m)
{
	const struct menu_entry *e = NULL;
	int quiet = pv_quiet_warnings;

	pv_quiet_warnings = 1; /* the boot itself warns, once */
	if (menu_select(m, NULL, &e, NULL, 0) < 0)
		e = NULL;
	pv_quiet_warnings = quiet;
	return e;
}

/* Boot (or list) menu m, read from what on volume vi: 1 = booted or
 * listed, <0 = an error (diag recorded).  m is freed. */
static int use_menu(struct run_ctx *rc, size_t vi, const struct options *o,
		    run_ask_fn *ask, struct strbuf *listing, const char *what,
		    const struct cfg_io *io, struct menu *m,
		    struct boot_result *r)
{
	const struct menu_entry *e;
	struct menu em; /* an entry the user edited ('e', 'c') */
	char *edited = NULL; /* arguments the user edited ('a') */
	int rv;

	rv = pvgrub_add(rc, vi, o, m);
	if (rv < 0) {
		vols_diag(rc, vi, "%s: %s", what, pv_errmsg());
		menu_free(m);
		return rv;
	}
	if (o->list_entries) {
		struct list_ctx lc = { rc, vi, o->max_file, 0 };

		if (o->json)
			entries_put(listing, vols_label(rc, vi), what, m,
				    default_of(m), 0, NULL);
		else
			list_menu(listing, m, "", &lc);
		menu_free(m);
		return 1;
	}
	menu_init(&em, m->format);
	if (*ask && !o->entry) {
		rv = choose_entry(m, *ask, io, &em, &e, &edited);
		*ask = NULL; /* one menu per run */
	} else {
		/* no menu, nobody asked: an entry's own GRUB password is not
		 * asked either (auth.h), and the boot says so */
		rv = menu_select(m, o->entry, &e, NULL, 0);
		if (rv == 0)
			auth_entry_unasked(e);
	}
	if (rv < 0) {
		vols_diag(rc, vi, "%s: %s", what, pv_errmsg());
		menu_free(m);
		menu_free(&em);
		free(edited);
		return rv;
	}
	/* GRUB runs the chosen body: its save_env (savedefault) */
	rv = io ? menu_env_saves_run(io, e) : 0;
	if (rv == 0)
		rv = take_entry(rc, vi, o, e->kernel_dev, e->kernel,
				(const char *const *)e->initrd,
				(const char *const *)e->initrd_dev, e->ninitrd,
				edited ? edited : e->args, &e->kernel_part,
				e->initrd_part, r);
	if (rv == 0 && o->json)
		entries_put(listing, vols_label(rc, vi), what, m,
			    default_of(m), 1, e);
	if (rv == 0 && !o->not_really && !o->no_env_write)
		rv = envstore_collect(rc, &r->env);
	menu_free(m);
	menu_free(&em);
	free(edited);
	if (rv < 0) {
		vols_diag(rc, vi, "%s: %s", what, pv_errmsg());
		return rv;
	}
	return 1;
}

/* Unified Kernel Images (type #2 entries) on this volume, or on the ESP
 * and XBOOTLDR partitions when it is one: 1 booted, 0 none, <0 error. */
static int try_ukis(struct run_ctx *rc, size_t vi, const struct options *o,
		    run_ask_fn *ask, struct strbuf *listing,
		    struct boot_result *r)
{
	struct menu m;
	int rv = uki_menu(rc, vi, &m);

	if (rv < 0) {
		vols_diag(rc, vi, "UKI: %s", pv_errmsg());
		return rv;
	}
	if (rv == 0)
		return 0;
	pv_debug("%s: using the Unified Kernel Images (%zu entries)",
		 vols_label(rc, vi), m.n);
	return use_menu(rc, vi, o, ask, listing, "UKI", NULL, &m, r);
}

/* Try the config files of one volume. 1 = booted (r filled), 0 = nothing
 * here (diag recorded), <0 = a hard error for this volume (diag recorded). */
static int try_volume(struct run_ctx *rc, size_t vi, const struct options *o,
		      run_ask_fn *ask, struct strbuf *listing,
		      struct boot_result *r)
{
	struct cfg_io io;
	struct menu m;
	char *buf;
	size_t len, k;
	int rv;

	for (k = 0; k < cfg_ncandidates; k++) {
		const struct cfg_candidate *c = &cfg_candidates[k];

		rv = vols_read_config(rc, vi, c->path, &buf, &len);
		if (rv == PV_ENOENT)
			continue;
		if (rv < 0) {
			vols_diag(rc, vi, "%s: %s", c->path, pv_errmsg());
			return rv;
		}
		/* sd-boot's loader.conf with UKIs beside it: the whole
		 * systemd-boot menu */
		if (c->parse == bls_loader_parse) {
			rv = try_ukis(rc, vi, o, ask, listing, r);
			if (rv != 0) {
				free(buf);
				return rv;
			}
		}
		pv_debug("%s: using %s (%s)", vols_label(rc, vi), c->path,
			 c->format);
		vols_io(rc, vi, c->path, &io);
		menu_init(&m, c->format);
		rv = c->parse(c->path, buf, len, &io, &m);
		free(buf);
		/* a parser may take a refused read for a missing file: the
		 * run's budget decides */
		if (rc->budget.exhausted)
			rv = pv_err(PV_ELIMIT,
				    "%s: config files read in this run exceed %u bytes",
				    c->path, PV_MAX_CONFIG_BYTES_READ);
		if (rv < 0) {
			vols_diag(rc, vi, "%s", pv_errmsg());
			menu_free(&m);
			return rv;
		}
		return use_menu(rc, vi, o, ask, listing, c->path, &io, &m, r);
	}
	rv = try_ukis(rc, vi, o, ask, listing, r);
	if (rv != 0)
		return rv;
	/* no config at all: the guest's own PV-GRUB alone, if it has one */
	menu_init(&m, "pvgrub");
	rv = pvgrub_add(rc, vi, o, &m);
	if (rv == 0 && m.n) {
		menu_free(&m);
		menu_init(&m, "pvgrub");
		return use_menu(rc, vi, o, ask, listing, "PV-GRUB", NULL, &m, r);
	}
	menu_free(&m);
	if (rv < 0)
		return rv;
	vols_diag(rc, vi, "no config file");
	return 0;
}

/* --json after --kernel (or XCP-ng's /xenkernel): no menu was read. */
static int explicit_entries(const struct options *o, struct boot_result *r)
{
	struct strbuf sb;

	if (!o->json)
		return 0;
	sb_init(&sb, 4096);
	entries_put(&sb, NULL, NULL, NULL, NULL, 1, NULL);
	r->text = sb_take(&sb);
	if (!r->text)
		return pv_err(PV_ENOMEM, "out of memory"), fail(r, EXIT_BADIMAGE);
	return 0;
}

/* The chosen files' bytes that are not plain disk ranges are read when
 * they are sent (fileblob.c): the volumes stay mounted until then. */
static void free_volumes(void *rc)
{
	vols_free(rc);
}

static void keep_volumes(struct boot_result *r, struct run_ctx *rc)
{
	r->keep = rc;
	r->keep_free = free_volumes;
}

/* The end of a run that booted without a menu (--kernel, /xenkernel, an
 * install-tree layout): the entry list for --json, and the volumes kept
 * for the bytes still to be sent. */
static int end_explicit(struct run_ctx *rc, const struct options *o,
			struct boot_result *r, int status)
{
	if (status == 0)
		status = explicit_entries(o, r);
	if (status == 0)
		keep_volumes(r, rc);
	else
		vols_free(rc);
	return status;
}

int run_boot(const struct options *o, struct disk *d, struct boot_result *r)
{
	return run_boot_ask(o, d, NULL, r);
}

int run_boot_ask(const struct options *o, struct disk *d, run_ask_fn ask,
		 struct boot_result *r)
{
	struct run_ctx *rc;
	struct strbuf listing;
	int worst = 0, rv, status, found_cfg = 0;
	size_t vi;

	if (o->isconfig)
		return run_isconfig(o, d, r);
	if (o->diagnose)
		return run_diagnose(o, d, r);

	/* a qcow2 or VHD file is read as its virtual disk (vdisk.h) */
	rv = vdisk_detect(d);
	if (rv < 0) {
		pv_err_ctx("disk image");
		return fail(r, exit_for(rv));
	}
	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return pv_err(PV_ENOMEM, "out of memory"), fail(r, EXIT_BADIMAGE);
	rv = vols_discover(rc, d, o->have_offset, o->offset);
	if (rv < 0) {
		free(rc);
		return fail(r, exit_for(rv));
	}
	status = o->xcp_default_args && !o->kernel && !o->list_entries
			 ? run_xenkernel(rc, o, r) : 1;
	if (status != 1)
		return end_explicit(rc, o, r, status);
	if (o->kernel) {
		status = run_explicit(rc, o, r);
		return end_explicit(rc, o, r, status);
	}
	if (o->netboot_layouts) {
		status = run_layouts(rc, o, r);
		if (status >= 0)
			return end_explicit(rc, o, r, status);
	}
	sb_init(&listing, 4u << 20);
	for (vi = 0; vi < rc->n; vi++) {
		if (vols_mount(rc, vi) < 0) {
			if (rc->vs[vi].mount_rc != PV_ENOTMINE && !worst)
				worst = rc->vs[vi].mount_rc;
			continue;
		}
		rv = try_volume(rc, vi, o, &ask, &listing, r);
		if (rv > 0)
			break;
		if (rv == PV_ELIMIT) {
			/* the budgets are the run's: a limit ends it, or 128
			 * volumes holding one hostile config would run it 128
			 * times */
			result_free(r);
			sb_free(&listing);
			vols_ctx(rc, vi);
			vols_free(rc);
			return fail(r, EXIT_BADIMAGE);
		}
		if (rv < 0)
			found_cfg = 1;
		if (rv < 0 && (!worst || worst == PV_ENOENT))
			worst = rv;
		/* a half-filled result from a failed volume is discarded, and
		 * so is what its config saved (GRUB never got past it) */
		result_free(r);
		envstore_reset(rc);
	}
	if (vi < rc->n) {
		if (o->list_entries || o->json) {
			r->text = sb_take(&listing);
			if (!r->text) {
				pv_err(PV_ELIMIT, "entry listing too long");
				vols_free(rc);
				return fail(r, EXIT_BADIMAGE);
			}
			vols_free(rc);
		} else {
			sb_free(&listing);
			keep_volumes(r, rc);
		}
		return 0;
	}
	sb_free(&listing);
	/* an image whose own tables broke explains "nothing found" best */
	rv = vdisk_failure(d);
	if (rv) {
		rv = exit_for(rv);
		pv_err_ctx("disk image");
		vols_free(rc);
		return fail(r, rv);
	}
	/* the list of config files helps only when none was found */
	vols_no_boot(rc, "no bootable config", !found_cfg);
	vols_free(rc);
	/* Nothing anywhere: EXIT_NOBOOT; a config that was found but broken
	 * (or a corrupt filesystem) is the more useful status. */
	status = (worst && worst != PV_ENOENT && worst != PV_ENOTREG)
			 ? exit_for(worst) : EXIT_NOBOOT;
	return fail(r, status);
}
