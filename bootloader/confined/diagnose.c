/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The report walks the disk the way a run does (run.c): volumes best
 * first, the first config file found on each, the default's resolution,
 * the chosen files; it stops at the first volume that would boot, as a
 * run does, and says what it rejected on the way and why.  Every guest
 * string is sanitised; every line fits 80 columns (long values wrap).
 */
#include "bootloader/confined/diagnose.h"
#include "bootloader/confined/kcheck.h"
#include "bootloader/confined/volumes.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"
#include "common/strbuf.h"
#include "menu/flat.h"
#include "menu/menu.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_COLS 80

/* Append one logical line, wrapped at DIAG_COLS on spaces (a word longer
 * than a line is cut, never inside a UTF-8 sequence); continuation lines
 * are indented by indent + 4. */
static void line(struct strbuf *sb, int indent, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void line(struct strbuf *sb, int indent, const char *fmt, ...)
{
	char buf[PV_MAX_DIAG_LINE];
	const char *p = buf;
	int cur = indent, first = 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	while (*p) {
		size_t room = DIAG_COLS - (size_t)cur, n = strlen(p), cut;

		sb_printf(sb, "%*s", cur, "");
		if (n <= room) {
			sb_puts(sb, p);
			break;
		}
		cut = room;
		while (cut > 0 && p[cut] != ' ')
			cut--;
		if (cut == 0) { /* one long word: cut at a character start */
			cut = room;
			while (cut > 1 && ((unsigned char)p[cut] & 0xc0) == 0x80)
				cut--;
		}
		sb_put(sb, p, cut);
		sb_puts(sb, "\n");
		p += cut;
		while (*p == ' ')
			p++;
		if (first)
			cur = indent + 4, first = 0;
	}
	sb_puts(sb, "\n");
}

/* pv_sanitize into a rotating set of buffers, for use inside one line(). */
static const char *S(const char *s)
{
	static char bufs[6][1024];
	static int k;
	char *b = bufs[k++ % 6];

	if (!s)
		return "(none)";
	return pv_sanitize(b, sizeof(bufs[0]), s, strlen(s));
}

static const char *size_str(uint64_t n)
{
	static char bufs[2][32];
	static int k;
	char *b = bufs[k++ % 2];

	return pv_human_size(n, b, sizeof(bufs[0]));
}

/* Warnings the selection printed (captured in the worker's log). */
static void put_log(struct strbuf *sb, int indent, const char *prefix)
{
	char *log = pv_log_take(), *p = log, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(p, "warning: ", 9))
			p += 9;
		line(sb, indent, "%s%s", prefix, p);
		p = nl ? nl + 1 : NULL;
	}
	free(log);
}

struct list_walk {
	struct strbuf *sb;
	const struct menu_entry *def;
	long leaf;
};

static void list_entries(struct list_walk *w, const struct menu *m,
			 const char *prefix, int depth)
{
	size_t i, k;

	for (i = 0; i < m->n && depth <= PV_MAX_NESTING; i++) {
		const struct menu_entry *e = &m->e[i];
		char path[(PV_MAX_NESTING + 2) * 12], ird[1024] = "";

		snprintf(path, sizeof(path), "%s%s%zu", prefix, *prefix ? ">" : "", i);
		if (e->kind == ENTRY_SUBMENU) {
			line(w->sb, 4, "submenu %s \"%s\"", path, S(e->title));
			if (e->sub)
				list_entries(w, e->sub, path, depth + 1);
			continue;
		}
		line(w->sb, 4, "%ld. [%s] \"%s\"%s", w->leaf++, path, S(e->title),
		     e == w->def ? " (the default)" : "");
		if (e->kind != ENTRY_LINUX) {
			line(w->sb, 8, "cannot boot here: %s",
			     S(e->note ? e->note : "not a PV kernel entry"));
			continue;
		}
		for (k = 0; k < e->ninitrd; k++) {
			size_t l = strlen(ird);

			snprintf(ird + l, sizeof(ird) - l, "%s%s", k ? " " : "", S(e->initrd[k]));
		}
		line(w->sb, 8, "kernel %s%s%s", S(e->kernel), e->ninitrd ? ", initrd " : "", ird);
		line(w->sb, 8, "args %s", S(e->args && *e->args ? e->args : "(none)"));
	}
}

struct blob_reader {
	const struct disk *d;
	const struct blob *b;
};

/* Read from a blob (the kernel's segments) at a file offset. */
static int blob_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct blob_reader *br = ctx;
	uint64_t pos = 0;
	uint8_t *out = buf;
	size_t i;

	if (off > br->b->total || len > br->b->total - off)
		return PV_EIO;
	for (i = 0; i < br->b->n && len; i++) {
		const struct seg *s = &br->b->segs[i];
		uint64_t in, take;

		if (off >= pos + s->len) {
			pos += s->len;
			continue;
		}
		in = off - pos;
		take = s->len - in < len ? s->len - in : len;
		if (s->kind == SEG_ZERO)
			memset(out, 0, (size_t)take);
		else if (s->kind == SEG_BYTES)
			memcpy(out, s->bytes + in, (size_t)take);
		else if (disk_read(br->d, s->disk_off + in, out, (size_t)take) < 0)
			return PV_EIO;
		out += take;
		off += take;
		len -= (size_t)take;
		pos += s->len;
	}
	return len ? PV_EIO : 0;
}

/* The chosen entry's files: found?, sizes, kernel checks.  1 if it would
 * boot. */
static int check_files(struct strbuf *sb, struct run_ctx *rc, size_t vi,
		       const struct options *o, const struct menu_entry *e)
{
	struct blob kb, ib;
	struct blob_reader br;
	char used[PV_PATH_MAX];
	size_t k;
	int ok;

	blob_init(&kb);
	if (vols_file_blob(rc, vi, e->kernel_dev, e->kernel, o->max_file, &kb,
			   used, sizeof(used)) < 0) {
		line(sb, 2, "rejected: kernel %s: %s", S(e->kernel), S(pv_errmsg()));
		blob_free(&kb);
		return 0;
	}
	line(sb, 2, "kernel %s: found, %s", S(used), size_str(kb.total));
	br.d = rc->disk;
	br.b = &kb;
	ok = kcheck_describe(sb, kb.total, o->max_file, blob_read, &br);
	blob_free(&kb);
	for (k = 0; k < e->ninitrd; k++) {
		blob_init(&ib);
		if (vols_file_blob(rc, vi, e->initrd_dev[k], e->initrd[k],
				   o->max_file, &ib, used, sizeof(used)) < 0) {
			line(sb, 2, "rejected: initrd %s: %s", S(e->initrd[k]),
			     S(pv_errmsg()));
			blob_free(&ib);
			return 0;
		}
		line(sb, 2, "initrd %s: found, %s", S(used), size_str(ib.total));
		blob_free(&ib);
	}
	if (!ok)
		line(sb, 2, "warning: pvboot would hand this kernel over, but Xen is unlikely to boot it");
	return 1;
}

/* One volume: 1 = would boot (verdict written into verdict). */
static int diag_volume(struct strbuf *sb, struct run_ctx *rc, size_t vi,
		       const struct options *o, char *verdict, size_t vsz)
{
	const struct menu_entry *e = NULL, *def = NULL;
	struct list_walk w;
	struct cfg_io io;
	struct menu m;
	char *buf, path[FLAT_PATH_MAX];
	size_t len, k;
	int rv;

	if (vols_mount(rc, vi) < 0) {
		line(sb, 2, "filesystem: none usable (%s)", S(rc->vs[vi].diag));
		return 0;
	}
	line(sb, 2, "filesystem: %s%s%s", fs_type_name(rc->vs[vi].fs),
	     rc->vs[vi].fs->uuid[0] ? ", uuid " : "", S(rc->vs[vi].fs->uuid));
	for (k = 0; k < cfg_ncandidates; k++) {
		const struct cfg_candidate *c = &cfg_candidates[k];

		rv = vols_read_config(rc, vi, c->path, &buf, &len);
		if (rv == PV_ENOENT)
			continue;
		if (rv < 0) {
			line(sb, 2, "rejected: config %s cannot be read: %s", c->path,
			     S(pv_errmsg()));
			return 0;
		}
		line(sb, 2, "config %s: %zu bytes, %s format (the first found: used)",
		     c->path, len, c->format);
		vols_io(rc, vi, c->path, &io);
		menu_init(&m, c->format);
		rv = c->parse(c->path, buf, len, &io, &m);
		free(buf);
		put_log(sb, 4, "parser: ");
		if (rv < 0) {
			line(sb, 2, "rejected: %s", S(pv_errmsg()));
			menu_free(&m);
			return 0;
		}
		/* the default, step by step */
		if (menu_select(&m, NULL, &def, NULL, 0) < 0)
			def = NULL;
		pv_err_clear();
		free(pv_log_take());
		line(sb, 2, "entries (%s):", c->format);
		memset(&w, 0, sizeof(w));
		w.sb = sb;
		w.def = def;
		list_entries(&w, &m, "", 0);
		if (!w.leaf)
			line(sb, 4, "(none)");
		line(sb, 2, "default: the config says %s%s%s",
		     m.default_spec ? "\"" : "", S(m.default_spec ? m.default_spec
					  : "nothing (GRUB boots the first entry)"),
		     m.default_spec ? "\"" : "");
		if (m.timeout >= 0)
			line(sb, 4, "timeout %d s%s", m.timeout, m.hidden ? ", menu hidden" : "");
		if (o->entry)
			line(sb, 4, "--entry=%s overrides it", S(o->entry));
		rv = menu_select(&m, o->entry, &e, path, sizeof(path));
		put_log(sb, 4, "step: ");
		if (rv < 0) {
			line(sb, 2, "rejected: %s", S(pv_errmsg()));
			menu_free(&m);
			return 0;
		}
		line(sb, 4, "step: resolves to [%s] \"%s\"", path, S(e->title));
		rv = check_files(sb, rc, vi, o, e);
		if (rv)
			snprintf(verdict, vsz, "entry [%s] \"%s\" (kernel %s) from %s %s",
				 path, S(e->title), S(e->kernel), S(vols_label(rc, vi)),
				 c->path);
		menu_free(&m);
		return rv;
	}
	line(sb, 2, "rejected: no config file (looked for %zu paths: /boot/grub/grub.cfg, ..., /etc/lilo.conf)",
	     cfg_ncandidates);
	return 0;
}

int run_diagnose(const struct options *o, struct disk *d, struct boot_result *r)
{
	struct strbuf sb;
	struct run_ctx *rc;
	char verdict[1024] = "";
	size_t vi;
	int booted = 0;

	sb_init(&sb, PV_MAX_DIAG_BYTES);
	free(pv_log_take());
	line(&sb, 0, "pvboot --diagnose: %s", S(d->name));
	line(&sb, 0, "disk: %s (%llu bytes), %u-byte sectors", size_str(d->size),
	     (unsigned long long)d->size, d->sector_size);
	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return pv_err(PV_ENOMEM, "out of memory");
	if (vols_discover(rc, d, o->have_offset, o->offset) < 0) {
		line(&sb, 0, "partition table: unreadable: %s", S(pv_errmsg()));
		free(rc);
	} else {
		line(&sb, 0, "partition table: %s; %zu volume%s, tried in this order:",
		     rc->parts.table, rc->n, rc->n == 1 ? "" : "s");
		put_log(&sb, 2, "note: ");
		if (o->kernel)
			line(&sb, 2, "note: --kernel is ignored: this reports what the disk's configs boot");
		for (vi = 0; vi < rc->n && !booted; vi++) {
			const struct volume *v = &rc->parts.v[vi];

			line(&sb, 0, "volume %s%s", S(vols_label(rc, vi)),
			     v->bootable ? " (bootable flag)" : "");
			booted = diag_volume(&sb, rc, vi, o, verdict, sizeof(verdict));
		}
		for (; vi < rc->n; vi++)
			line(&sb, 0, "volume %s: not looked at (a run stops at the first that boots)",
			     S(vols_label(rc, vi)));
		vols_free(rc);
	}
	if (booted)
		line(&sb, 0, DIAG_VERDICT_BOOT " %s", verdict);
	else
		line(&sb, 0, DIAG_VERDICT_NONE);
	r->text = sb_take(&sb);
	if (!r->text)
		return pv_err(PV_ELIMIT, "diagnosis longer than %u bytes",
			      PV_MAX_DIAG_BYTES);
	r->status = 0;
	return 0;
}
