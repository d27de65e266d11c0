/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The systemd-boot menu of a guest that ships Unified Kernel Images: type
 * #2 entries (/EFI/Linux/NAME.efi on the ESP and the XBOOTLDR partition, or
 * /boot/efi/EFI/Linux and /boot/EFI/Linux seen from a root filesystem),
 * type #1 entries (loader/entries/NAME.conf, with `linux` or `uki`), their
 * add-ons, sorted and defaulted as systemd-boot does.  Each UKI's kernel
 * and ramdisk are named as sections (file parts) of the file, so the copy
 * stays a list of disk ranges.  Runs in the worker.
 */
#include "bootloader/confined/uki_scan.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "kernel/pe.h"
#include "kernel/uki.h"
#include "menu/bls.h"
#include "menu/cfgtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ESP_GUID "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
#define XBOOTLDR_GUID "bc13c2ff-59e6-4262-a352-b275fd6f7172"
#define MBR_ESP 0xef
#define MBR_XBOOTLDR 0xea

static const char *const uki_dirs[] = {
	"/EFI/Linux", "/boot/efi/EFI/Linux", "/boot/EFI/Linux"
};

struct item {
	struct uki_sortkey k;
	char *id, *id_base, *sort_key, *machine_id, *version;
	int type1;          /* a loader/entries file: glob also with .conf */
	size_t e;           /* index in scan.tmp */
};

struct addons {
	char *cmdline;      /* " a b" appended to the UKI's own */
	char *path[PV_MAX_INITRDS];
	size_t vol[PV_MAX_INITRDS]; /* the volume each add-on lies on */
	struct file_part part[PV_MAX_INITRDS];
	size_t n;
};

struct scan {
	struct run_ctx *rc;
	struct menu tmp;
	struct item *it;
	size_t n, cap;
	size_t nukis;
	size_t esp;         /* where global add-ons are: the group's ESP */
};

static int boot_part(const struct volume *v)
{
	return strcmp(v->type_guid, ESP_GUID) == 0 ||
	       strcmp(v->type_guid, XBOOTLDR_GUID) == 0 ||
	       v->mbr_type == MBR_ESP || v->mbr_type == MBR_XBOOTLDR;
}

static int is_esp(const struct volume *v)
{
	return strcmp(v->type_guid, ESP_GUID) == 0 || v->mbr_type == MBR_ESP;
}

static int ends_ci(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n > k && strcasecmp(s + n - k, suf) == 0;
}

/* --- directory listings --- */

struct names {
	char **v;
	size_t n;
	size_t max;
	const char *suffix;
	int skip_auto;
	int err;
};

static int name_cb(void *ctx, const char *name)
{
	struct names *nm = ctx;

	if (name[0] == '.' || !ends_ci(name, nm->suffix) ||
	    (nm->skip_auto && strncasecmp(name, "auto-", 5) == 0))
		return 0;
	if (nm->n >= nm->max) {
		nm->err = PV_ELIMIT;
		return PV_ELIMIT;
	}
	nm->v[nm->n] = strdup(name);
	if (!nm->v[nm->n]) {
		nm->err = PV_ENOMEM;
		return PV_ENOMEM;
	}
	nm->n++;
	return 0;
}

static void names_free(struct names *nm)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
	nm->v = NULL;
	nm->n = 0;
}

/* Names in dir on volume v ending in suffix (sorted): 0 (none is fine),
 * PV_ELIMIT past max, or an error. */
static int list_names(struct run_ctx *rc, size_t v, const char *dir,
		      const char *suffix, size_t max, int skip_auto,
		      struct names *nm)
{
	struct cfg_io io;
	int r;

	memset(nm, 0, sizeof(*nm));
	nm->max = max;
	nm->suffix = suffix;
	nm->skip_auto = skip_auto;
	nm->v = calloc(max ? max : 1, sizeof(*nm->v));
	if (!nm->v)
		return pv_err(PV_ENOMEM, "out of memory");
	vols_io(rc, v, dir, &io);
	r = io.list_dir(io.ctx, NULL, dir, name_cb, nm);
	if (nm->err == PV_ELIMIT)
		return pv_err(PV_ELIMIT, "%s: more than %zu *%s files", dir,
			      max, suffix);
	if (nm->err == PV_ENOMEM)
		return pv_err(PV_ENOMEM, "out of memory");
	if (r == PV_ENOENT || r == PV_ENOTREG) {
		pv_err_clear();
		return 0;
	}
	/* a directory we cannot list holds no UKI for us: the configs and
	 * their own diagnosis decide what this volume means */
	if (r < 0 && r != PV_ELIMIT && r != PV_ENOMEM) {
		pv_debug("%s: not listed (%s)", dir, pv_errmsg());
		pv_err_clear();
		return 0;
	}
	return r < 0 ? r : 0;
}

/* --- reading sections --- */

/* The PE section table of path on volume v. */
static int read_pe(struct run_ctx *rc, size_t v, const char *path,
		   struct pe_info *pe, uint64_t *size)
{
	uint8_t *head;
	size_t hl;
	int r;

	r = vols_read_at(rc, v, path, 0, NULL, 0, size);
	if (r < 0)
		return r;
	hl = *size < PE_HEAD_BYTES ? (size_t)*size : PE_HEAD_BYTES;
	head = malloc(hl ? hl : 1);
	if (!head)
		return pv_err(PV_ENOMEM, "out of memory");
	r = vols_read_at(rc, v, path, 0, head, hl, NULL);
	if (r == 0)
		r = pe_parse(head, hl, *size, pe);
	free(head);
	if (r < 0)
		pv_err_ctx("%s", path);
	return r;
}

/* A text section (.osrel, .cmdline, ...), NUL-terminated; NULL s gives
 * "". */
static int read_text(struct run_ctx *rc, size_t v, const char *path,
		     const struct pe_section *s, char **out, size_t *len)
{
	uint64_t off, n;
	int r;

	*out = NULL;
	*len = 0;
	if (!s)
		return 0;
	r = pe_section_bytes(s, &off, &n);
	if (r < 0)
		return r;
	if (n > PV_MAX_UKI_TEXT)
		return pv_err(PV_ELIMIT, "%s: section %s is %llu bytes (at most %u)",
			      path, s->name, (unsigned long long)n,
			      PV_MAX_UKI_TEXT);
	*out = malloc(n + 1);
	if (!*out)
		return pv_err(PV_ENOMEM, "out of memory");
	r = vols_read_at(rc, v, path, off, *out, n, NULL);
	if (r < 0) {
		free(*out);
		*out = NULL;
		return r;
	}
	(*out)[n] = '\0';
	*len = n;
	return 0;
}

static int set_part(struct file_part *p, const struct pe_section *s)
{
	int r = pe_section_bytes(s, &p->off, &p->len);

	memcpy(p->name, s->name, sizeof(p->name));
	if (r == 0 && p->len == 0)
		r = pv_err(PV_ECORRUPT, "section %s is empty", s->name);
	return r;
}

static int append(char **dst, const char *add)
{
	size_t a = *dst ? strlen(*dst) : 0, b = strlen(add);
	char *n;

	if (!b)
		return 0;
	if (a + b + 2 > PV_MAX_EXPANSION)
		return pv_err(PV_ELIMIT, "UKI command line longer than %u bytes",
			      PV_MAX_EXPANSION);
	n = realloc(*dst, a + b + 2);
	if (!n)
		return pv_err(PV_ENOMEM, "out of memory");
	if (a)
		n[a++] = ' ';
	memcpy(n + a, add, b + 1);
	*dst = n;
	return 0;
}

static void addons_free(struct addons *ad)
{
	size_t i;

	free(ad->cmdline);
	for (i = 0; i < ad->n; i++)
		free(ad->path[i]);
	memset(ad, 0, sizeof(*ad));
}

/* One add-on: its .cmdline, .ucode and .initrd.  An add-on carrying a
 * kernel is ignored, as systemd-stub does. */
static int take_addon(struct run_ctx *rc, size_t v, const char *path,
		      struct addons *ad)
{
	const struct pe_section *sec[UKI_NSECT];
	struct pe_info *pe = malloc(sizeof(*pe));
	uint64_t size;
	char *txt = NULL;
	size_t len, k;
	int r;

	if (!pe)
		return pv_err(PV_ENOMEM, "out of memory");
	r = read_pe(rc, v, path, pe, &size);
	if (r == 0)
		r = uki_profile(pe, 0, sec);
	if (r == 0 && sec[UKI_LINUX]) {
		pv_warn("%s: an add-on with a .linux section, ignored", path);
		goto out;
	}
	if (r == 0)
		r = read_text(rc, v, path, sec[UKI_CMDLINE], &txt, &len);
	if (r == 0 && txt) {
		/* in place: the command line is never longer than its bytes;
		 * a long one is kept whole, for check_args to refuse */
		uki_cmdline(txt, len, txt, len + 1);
		r = append(&ad->cmdline, txt);
	}
	for (k = UKI_INITRD; r == 0 && k <= UKI_UCODE; k++) {
		/* .ucode before .initrd, as for the UKI itself */
		const struct pe_section *s = sec[k == UKI_INITRD ? UKI_UCODE
								  : UKI_INITRD];

		if (!s)
			continue;
		if (ad->n >= PV_MAX_INITRDS) {
			r = pv_err(PV_ELIMIT, "more than %d initrds", PV_MAX_INITRDS);
			break;
		}
		r = set_part(&ad->part[ad->n], s);
		if (r == 0) {
			ad->path[ad->n] = strdup(path);
			ad->vol[ad->n] = v;
			if (!ad->path[ad->n])
				r = pv_err(PV_ENOMEM, "out of memory");
			else
				ad->n++;
		}
	}
out:
	free(txt);
	free(pe);
	return r;
}

/* Global add-ons (/loader/addons on the ESP, gv, as systemd-stub reads
 * them; the UKI's own volume when there is no ESP), then the UKI's own
 * (PATH.extra.d beside it on volume v), each directory in name order. */
static int load_addons(struct run_ctx *rc, size_t gv, size_t v,
		       const char *path, struct addons *ad)
{
	char dirs[2][PV_PATH_MAX], p[PV_PATH_MAX + PV_NAME_MAX + 2];
	size_t vols[2] = { gv, v };
	struct names nm;
	size_t d, i, total = 0;
	int r = 0;

	memset(ad, 0, sizeof(*ad));
	snprintf(dirs[0], sizeof(dirs[0]), "/loader/addons");
	if (snprintf(dirs[1], sizeof(dirs[1]), "%s.extra.d", path) >=
	    (int)sizeof(dirs[1]))
		return pv_err(PV_ELIMIT, "%s: path too long", path);
	for (d = 0; d < 2 && r == 0; d++) {
		r = list_names(rc, vols[d], dirs[d], ".addon.efi",
			       PV_MAX_UKI_ADDONS - total, 0, &nm);
		if (r == PV_ELIMIT)
			r = pv_err(PV_ELIMIT, "%s: more than %d add-ons", path,
				   PV_MAX_UKI_ADDONS);
		for (i = 0; r == 0 && i < nm.n; i++) {
			snprintf(p, sizeof(p), "%s/%s", dirs[d], nm.v[i]);
			r = take_addon(rc, vols[d], p, ad);
			total++;
		}
		names_free(&nm);
	}
	return r;
}

/* --- building entries --- */

static int add_item(struct scan *s, struct menu_entry **e, struct item **it)
{
	if (s->n >= PV_MAX_ENTRIES)
		return pv_err(PV_ELIMIT, "more than %d menu entries",
			      PV_MAX_ENTRIES);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct item *n = realloc(s->it, cap * sizeof(*n));

		if (!n)
			return pv_err(PV_ENOMEM, "out of memory");
		s->it = n;
		s->cap = cap;
	}
	*e = menu_add(&s->tmp);
	if (!*e)
		return PV_ENOMEM;
	*it = &s->it[s->n];
	memset(*it, 0, sizeof(**it));
	(*it)->e = s->tmp.n - 1;
	(*it)->k.tries_left = (*it)->k.tries_done = -1;
	s->n++;
	return 0;
}

static char *dup_or_null(const char *v)
{
	return v && *v ? strdup(v) : NULL;
}

/* A type #1 entry's id and tries: its file name without ".conf" and
 * without the boot counter ("a+2-1.conf" is "a", 2 tries left, 1 done). */
static char *type1_id(const char *file_id, int *left, int *done)
{
	char name[PV_NAME_MAX + 8], id[PV_NAME_MAX + 8];
	size_t n;

	snprintf(name, sizeof(name), "%s.conf", file_id);
	uki_tries(name, id, sizeof(id), left, done);
	n = strlen(id);
	if (*left < 0) /* no counter: the id as it always was */
		return strdup(file_id);
	if (n > 5)
		id[n - 5] = '\0';
	return strdup(id);
}

/* os-release fields systemd-boot uses (bootspec_pick_name_version_sort_key) */
struct osrel {
	char pretty[256], image_id[128], name[128], id[128];
	char image_version[128], version[128], version_id[128], build_id[128];
};

static void osrel_read(const char *t, size_t n, struct osrel *o)
{
	memset(o, 0, sizeof(*o));
	uki_kv(t, n, "PRETTY_NAME", o->pretty, sizeof(o->pretty));
	uki_kv(t, n, "IMAGE_ID", o->image_id, sizeof(o->image_id));
	uki_kv(t, n, "NAME", o->name, sizeof(o->name));
	uki_kv(t, n, "ID", o->id, sizeof(o->id));
	uki_kv(t, n, "IMAGE_VERSION", o->image_version, sizeof(o->image_version));
	uki_kv(t, n, "VERSION", o->version, sizeof(o->version));
	uki_kv(t, n, "VERSION_ID", o->version_id, sizeof(o->version_id));
	uki_kv(t, n, "BUILD_ID", o->build_id, sizeof(o->build_id));
}

static const char *first(const char *a, const char *b, const char *c,
			 const char *d)
{
	return *a ? a : *b ? b : *c ? c : *d ? d : NULL;
}

/* The entry of one profile of a UKI.  t1 (a type #1 entry with `uki`)
 * overrides title, id, sort keys and options. */
static int uki_entry(struct scan *s, size_t v, const char *path,
		     const char *fname, unsigned p,
		     const struct pe_section *sec[UKI_NSECT],
		     const struct addons *ad, const struct bls_entry *t1)
{
	struct run_ctx *rc = s->rc;
	struct menu_entry *e;
	struct item *it;
	struct osrel o;
	char *osr = NULL, *un = NULL, *pr = NULL, *cl = NULL;
	char title[600], pid[128] = "", ptitle[256] = "", unb[128] = "";
	char idb[PV_NAME_MAX + 1], idp[PV_NAME_MAX + 140];
	char *args = NULL;
	const char *name, *ver, *skey;
	size_t len, k;
	int r, left, done;

	r = read_text(rc, v, path, sec[UKI_OSREL], &osr, &len);
	if (r < 0)
		goto out;
	osrel_read(osr ? osr : "", len, &o);
	name = first(o.pretty, o.image_id, o.name, o.id);
	ver = first(o.image_version, o.version, o.version_id, o.build_id);
	skey = *o.image_id ? o.image_id : *o.id ? o.id : NULL;
	r = read_text(rc, v, path, sec[UKI_UNAME], &un, &len);
	if (r == 0 && un)
		uki_cmdline(un, len, unb, sizeof(unb));
	if (r == 0)
		r = read_text(rc, v, path, sec[UKI_PROFILE], &pr, &len);
	if (r == 0 && pr) {
		uki_kv(pr, len, "ID", pid, sizeof(pid));
		uki_kv(pr, len, "TITLE", ptitle, sizeof(ptitle));
	}
	if (r < 0)
		goto out;
	if (!name && !(t1 && t1->title)) {
		pv_debug("%s: no .osrel name, not a type #2 entry", path);
		goto out;
	}
	if (t1 && t1->title)
		name = t1->title;
	if (*ptitle)
		snprintf(title, sizeof(title), "%s (%s)", name, ptitle);
	else if (p > 0 && *pid)
		snprintf(title, sizeof(title), "%s (%s)", name, pid);
	else if (p > 0)
		snprintf(title, sizeof(title), "%s (Profile #%u)", name, p + 1);
	else
		snprintf(title, sizeof(title), "%s", name);

	/* args: the type #1 entry's options, else .cmdline; then add-ons */
	if (t1 && t1->options) {
		r = append(&args, t1->options);
	} else {
		r = read_text(rc, v, path, sec[UKI_CMDLINE], &cl, &len);
		if (r == 0 && cl) {
			uki_cmdline(cl, len, cl, len + 1);
			r = append(&args, cl);
		}
	}
	if (r == 0 && ad->cmdline)
		r = append(&args, ad->cmdline);
	if (r < 0)
		goto out;

	r = add_item(s, &e, &it);
	if (r < 0)
		goto out;
	e->kind = ENTRY_LINUX;
	r = menu_set(&e->title, title);
	if (r == 0)
		r = menu_set(&e->kernel, path);
	if (r == 0)
		r = menu_set(&e->kernel_dev, rc->vs[v].dev);
	if (r == 0)
		r = menu_set(&e->args, args ? args : "");
	if (r == 0)
		r = set_part(&e->kernel_part, sec[UKI_LINUX]);
	if (r == 0 && !(e->initrd_part = calloc(PV_MAX_INITRDS,
						 sizeof(*e->initrd_part))))
		r = pv_err(PV_ENOMEM, "out of memory");
	for (k = 0; r == 0 && k < 2; k++) {
		const struct pe_section *x = sec[k ? UKI_INITRD : UKI_UCODE];

		if (!x)
			continue;
		r = entry_add_initrd(e, path, rc->vs[v].dev);
		if (r == 0)
			r = set_part(&e->initrd_part[e->ninitrd - 1], x);
	}
	for (k = 0; r == 0 && k < ad->n; k++) {
		r = entry_add_initrd(e, ad->path[k], rc->vs[ad->vol[k]].dev);
		if (r == 0)
			e->initrd_part[e->ninitrd - 1] = ad->part[k];
	}
	if (r < 0)
		goto out;

	/* the id and sort keys, as systemd-boot makes them */
	uki_tries(fname, idb, sizeof(idb), &left, &done);
	if (t1) {
		snprintf(idp, sizeof(idp), "%s", t1->file_id);
	} else if (p > 0 && *pid) {
		snprintf(idp, sizeof(idp), "%s@%s", idb, pid);
	} else if (p > 0) {
		snprintf(idp, sizeof(idp), "%s@%u", idb, p);
	} else {
		snprintf(idp, sizeof(idp), "%s", idb);
	}
	if (t1) {
		it->id = type1_id(t1->file_id, &left, &done);
		it->id_base = it->id ? strdup(it->id) : NULL;
		it->k.tries_left = left;
		it->k.tries_done = done;
		snprintf(idp, sizeof(idp), "%s", it->id ? it->id : "");
	} else {
		it->id = strdup(idp);
		it->id_base = strdup(idb);
	}
	it->type1 = t1 != NULL;
	if (t1) {
		it->sort_key = dup_or_null(t1->sort_key);
		it->machine_id = dup_or_null(t1->machine_id);
		it->version = dup_or_null(t1->version);
	} else {
		it->sort_key = dup_or_null(skey);
		it->version = dup_or_null(ver ? ver : unb);
		it->k.tries_left = left;
		it->k.tries_done = done;
	}
	it->k.profile = p;
	if (!it->id || !it->id_base)
		r = pv_err(PV_ENOMEM, "out of memory");
	if (r == 0)
		r = menu_set(&e->id, idp);
	if (r == 0 && *unb)
		pv_debug("%s: entry %s, kernel %s", path, idp, unb);
out:
	free(osr);
	free(un);
	free(pr);
	free(cl);
	free(args);
	return r;
}

/* Every profile of the UKI at dir/fname on volume v (t1: see uki_entry,
 * profile 0 only). */
static int add_uki(struct scan *s, size_t v, const char *path,
		   const char *fname, const struct bls_entry *t1)
{
	const struct pe_section *sec[UKI_NSECT];
	struct pe_info *pe;
	struct addons ad;
	uint64_t size;
	unsigned p;
	int r;

	if (s->nukis >= PV_MAX_UKIS)
		return pv_err(PV_ELIMIT, "more than %d UKIs", PV_MAX_UKIS);
	s->nukis++;
	pe = malloc(sizeof(*pe));
	if (!pe)
		return pv_err(PV_ENOMEM, "out of memory");
	r = read_pe(s->rc, v, path, pe, &size);
	if (r < 0) {
		free(pe);
		return r;
	}
	r = load_addons(s->rc, s->esp, v, path, &ad);
	for (p = 0; r == 0 && p < PV_MAX_UKI_PROFILES; p++) {
		if (uki_profile(pe, p, sec) < 0)
			break;
		if (!sec[UKI_LINUX]) {
			pv_debug("%s: profile %u has no .linux", path, p);
			continue;
		}
		if (!sec[UKI_OSREL] && !t1) /* as systemd-boot: no entry */
			continue;
		r = uki_entry(s, v, path, fname, p, sec, &ad, t1);
		if (t1)
			break;
	}
	if (r < 0)
		pv_err_ctx("%s", path);
	addons_free(&ad);
	free(pe);
	return r;
}

/* Type #1 entries of volume v: `linux` ones as blscfg builds them, `uki`
 * ones through add_uki. */
static int add_type1(struct scan *s, size_t v, int *nuki)
{
	struct bls_entry *ents = NULL;
	struct cfg_io io;
	size_t n = 0, i, k;
	int r;

	vols_io(s->rc, v, "/loader/entries", &io);
	r = bls_load_dir(&io, NULL, "/loader/entries", &ents, &n);
	if (r == PV_ENOENT || r == PV_ENOTREG) {
		pv_err_clear();
		return 0;
	}
	for (i = 0; r == 0 && i < n; i++) {
		struct menu_entry *e;
		struct item *it;
		char path[PV_PATH_MAX];

		if (!ents[i].linux) {
			snprintf(path, sizeof(path), "%s%s",
				 ents[i].uki[0] == '/' ? "" : "/", ents[i].uki);
			r = add_uki(s, v, path, path, &ents[i]);
			(*nuki)++;
			continue;
		}
		r = add_item(s, &e, &it);
		if (r < 0)
			break;
		s->tmp.n--; /* bls_append_to_menu adds it again */
		r = bls_append_to_menu(&ents[i], 1, "", NULL, NULL, &s->tmp);
		if (r < 0)
			break;
		e = &s->tmp.e[s->tmp.n - 1];
		r = menu_set(&e->kernel_dev, s->rc->vs[v].dev);
		for (k = 0; r == 0 && k < e->ninitrd; k++)
			r = menu_set(&e->initrd_dev[k], s->rc->vs[v].dev);
		it->id = type1_id(ents[i].file_id, &it->k.tries_left,
				  &it->k.tries_done);
		it->id_base = it->id ? strdup(it->id) : NULL;
		it->type1 = 1;
		if (r == 0 && it->id)
			r = menu_set(&e->id, it->id);
		it->sort_key = dup_or_null(ents[i].sort_key);
		it->machine_id = dup_or_null(ents[i].machine_id);
		it->version = dup_or_null(ents[i].version);
		if (r == 0 && (!it->id || !it->id_base))
			r = pv_err(PV_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		bls_entry_free(&ents[i]);
	free(ents);
	return r;
}

/* One "key value" line of loader.conf: default (a glob) and timeout. */
static void loader_line(char *l, size_t n, char *glob, size_t globsz,
			int *timeout)
{
	size_t kl, j;
	long t = 0;

	for (kl = 0; kl < n && l[kl] != ' ' && l[kl] != '\t'; kl++)
		;
	while (kl < n && (l[kl] == ' ' || l[kl] == '\t' || l[kl] == '\r'))
		l[kl++] = '\0';
	while (n > kl && strchr(" \t\r", l[n - 1]))
		n--;
	if (n == kl)
		return;
	if (strcmp(l, "default") == 0 && n - kl < globsz) {
		memcpy(glob, l + kl, n - kl);
		glob[n - kl] = '\0';
	} else if (strcmp(l, "timeout") == 0) {
		for (j = kl; j < n && l[j] >= '0' && l[j] <= '9' && t < 1000000; j++)
			t = t * 10 + (l[j] - '0');
		/* as bls_loader_parse: menu-force waits, menu-hidden and
		 * menu-disabled boot at once */
		if (j > kl)
			*timeout = (int)t;
		else if (n - kl == 10 && !strncmp(l + kl, "menu-force", 10))
			*timeout = -1;
		else if ((n - kl == 11 && !strncmp(l + kl, "menu-hidden", 11)) ||
			 (n - kl == 13 && !strncmp(l + kl, "menu-disabled", 13)))
			*timeout = 0;
	}
}

/* loader.conf's default and timeout (the ESP's, else XBOOTLDR's). */
static int loader_conf(struct scan *s, const size_t *grp, size_t ng,
		       char *glob, size_t globsz, int *timeout)
{
	size_t i, pass, len, off;
	char *buf;
	int r;

	*glob = '\0';
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ng; i++) {
			const struct volume *vol = &s->rc->parts.v[grp[i]];

			if ((pass == 0) != (is_esp(vol) || ng == 1))
				continue;
			r = vols_read_config(s->rc, grp[i], "/loader/loader.conf",
					     &buf, &len);
			if (r == PV_ENOENT)
				continue;
			if (r < 0)
				return r;
			for (off = 0; off < len;) {
				char *l = buf + off;
				char *nl = memchr(l, '\n', len - off);
				size_t n = nl ? (size_t)(nl - l) : len - off;

				off += n + (nl ? 1 : 0);
				if (nl)
					*nl = '\0';
				loader_line(l, n, glob, globsz, timeout);
			}
			free(buf);
			return 0;
		}
	}
	return 0;
}

static int glob_hits(const char *glob, const struct item *it)
{
	char full[PV_NAME_MAX + 160];

	if (bls_glob_match(glob, it->id))
		return 1;
	if (it->type1 && strlen(it->id) + 6 < sizeof(full)) {
		snprintf(full, sizeof(full), "%s.conf", it->id);
		return bls_glob_match(glob, full);
	}
	return 0;
}

static void items_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->it[i].id);
		free(s->it[i].id_base);
		free(s->it[i].sort_key);
		free(s->it[i].machine_id);
		free(s->it[i].version);
	}
	free(s->it);
}

static void fill_keys(struct item *it)
{
	it->k.id = it->id_base;
	it->k.sort_key = it->sort_key;
	it->k.machine_id = it->machine_id;
	it->k.version = it->version;
}

int uki_menu(struct run_ctx *rc, size_t vi, struct menu *m)
{
	struct scan s;
	struct names nm;
	size_t grp[PV_MAX_PROBED_VOLUMES], ng = 0, g, d, i, j;
	char path[PV_PATH_MAX + PV_NAME_MAX + 2], glob[PV_NAME_MAX + 1];
	/* loader.conf(5): without a timeout line (or without loader.conf)
	 * systemd-boot shows no menu and boots the default at once; waiting
	 * for a key here would stall every unattended `xl create` */
	int r = 0, nuki = 0, timeout = 0;

	memset(&s, 0, sizeof(s));
	s.rc = rc;
	menu_init(&s.tmp, "bls");
	s.esp = vi;
	if (boot_part(&rc->parts.v[vi])) {
		for (i = 0; i < rc->n; i++)
			if (boot_part(&rc->parts.v[i]) && vols_mount(rc, i) == 0)
				grp[ng++] = i;
		for (i = ng; i > 0; i--) /* the first ESP */
			if (is_esp(&rc->parts.v[grp[i - 1]]))
				s.esp = grp[i - 1];
	} else {
		grp[ng++] = vi;
	}
	/* type #2 first: without any, this is not a UKI guest */
	for (g = 0; g < ng && r == 0; g++) {
		for (d = 0; d < sizeof(uki_dirs) / sizeof(uki_dirs[0]) && r == 0; d++) {
			r = list_names(rc, grp[g], uki_dirs[d], ".efi",
				       PV_MAX_UKIS, 1, &nm);
			for (i = 0; r == 0 && i < nm.n; i++) {
				snprintf(path, sizeof(path), "%s/%s", uki_dirs[d],
					 nm.v[i]);
				r = add_uki(&s, grp[g], path, nm.v[i], NULL);
				nuki++;
			}
			names_free(&nm);
		}
	}
	for (g = 0; g < ng && r == 0; g++)
		r = add_type1(&s, grp[g], &nuki);
	if (r == 0 && !nuki)
		goto out; /* no UKI: the plain BLS path reads this guest */
	if (r == 0 && s.n == 0)
		r = pv_err(PV_ENOENT, "no bootable UKI (%d found)", nuki);
	if (r == 0)
		r = loader_conf(&s, grp, ng, glob, sizeof(glob), &timeout);
	if (r < 0)
		goto out;
	/* sort as systemd-boot (insertion sort: bounded, stable) */
	for (i = 0; i < s.n; i++)
		fill_keys(&s.it[i]);
	for (i = 1; i < s.n; i++) {
		struct item t = s.it[i];

		for (j = i; j > 0 && uki_entry_cmp(&t.k, &s.it[j - 1].k) < 0; j--)
			s.it[j] = s.it[j - 1];
		s.it[j] = t;
	}
	menu_init(m, "bls");
	m->timeout = timeout;
	for (i = 0; i < s.n; i++) {
		struct menu_entry *e = menu_add(m);

		if (!e) {
			r = PV_ENOMEM;
			break;
		}
		*e = s.tmp.e[s.it[i].e];
		memset(&s.tmp.e[s.it[i].e], 0, sizeof(*e));
	}
	if (r == 0 && *glob && glob[0] != '@') {
		char idx[24];

		for (i = 0; i < s.n && !glob_hits(glob, &s.it[i]); i++)
			;
		if (i < s.n) {
			snprintf(idx, sizeof(idx), "%zu", i);
			r = menu_set(&m->default_spec, idx);
		} else {
			pv_warn("loader.conf: default '%s' matches no entry, using the first",
				glob);
		}
	}
	if (r < 0)
		menu_free(m);
	else
		r = 1;
out:
	menu_free(&s.tmp);
	items_free(&s);
	return r;
}
