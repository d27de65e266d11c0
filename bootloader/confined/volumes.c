/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/confined/volumes.h"
#include "bootloader/confined/envstore.h"
#include "common/err.h"
#include "common/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void name_dev(struct run_ctx *rc, size_t vi)
{
	const struct volume *v = &rc->parts.v[vi];
	char *dev = rc->vs[vi].dev;
	size_t sz = sizeof(rc->vs[vi].dev);

	if (v->grub_dev[0])
		snprintf(dev, sz, "%s", v->grub_dev);
	else if (v->number == 0)
		snprintf(dev, sz, "hd0");
	else if (v->kind == VOL_GPT)
		snprintf(dev, sz, "hd0,gpt%d", v->number);
	else
		snprintf(dev, sz, "hd0,msdos%d", v->number);
}

int vols_discover(struct run_ctx *rc, struct disk *d, int have_offset,
		  uint64_t offset)
{
	size_t i;
	int r;

	rc->disk = d;
	r = have_offset ? partition_at_offset(d, offset, &rc->parts)
			: partition_discover(d, &rc->parts);
	if (r < 0)
		return r;
	rc->n = rc->parts.n;
	for (i = 0; i < rc->n; i++)
		name_dev(rc, i);
	return 0;
}

void vols_free(struct run_ctx *rc)
{
	size_t i;

	for (i = 0; i < rc->n; i++)
		if (rc->vs[i].fs)
			fs_unmount(rc->vs[i].fs);
	envstore_reset(rc);
	free(rc);
}

const char *vols_label(struct run_ctx *rc, size_t vi)
{
	static char buf[160];
	const struct volume *v = &rc->parts.v[vi];
	char name[32], sz[24], off[24];

	vol_name(v, name, sizeof(name));
	pv_human_size(v->length, sz, sizeof(sz));
	pv_human_size(v->offset, off, sizeof(off));
	if (v->parent) {
		char pn[32];

		vol_name(&rc->parts.v[v->parent - 1], pn, sizeof(pn));
		snprintf(buf, sizeof(buf), "%s %s on %s", name, sz, pn);
	} else if (v->kind == VOL_LV || v->kind == VOL_MD)
		snprintf(buf, sizeof(buf), "%s", name);
	else if (v->number == 0 && v->offset == 0)
		snprintf(buf, sizeof(buf), "%s %s", name, sz);
	else
		snprintf(buf, sizeof(buf), "%s %s@%s%s%s", name, sz, off,
			 v->type_name[0] ? " " : "", v->type_name);
	return buf;
}

int vols_mount(struct run_ctx *rc, size_t vi)
{
	struct vol_state *s = &rc->vs[vi];
	int r;

	if (s->mounted > 0)
		return 0;
	if (s->mounted < 0)
		return s->mount_rc;
	if (rc->parts.v[vi].holder || rc->parts.v[vi].unusable) {
		/* an LVM2 PV or MD member (its LVs/array are volumes of
		 * their own), or what we cannot read, with the reason */
		s->mounted = -1;
		s->mount_rc = PV_ENOTMINE;
		memcpy(s->diag, rc->parts.v[vi].note,
		       sizeof(rc->parts.v[vi].note));
		return PV_ENOTMINE;
	}
	pv_err_clear();
	r = fs_mount_any(&rc->parts.v[vi], &s->fs);
	if (r < 0) {
		s->mounted = -1;
		s->mount_rc = r;
		s->fs = NULL;
		if (r == PV_ENOTMINE)
			snprintf(s->diag, sizeof(s->diag), "no filesystem");
		else
			snprintf(s->diag, sizeof(s->diag), "%s", pv_errmsg());
		pv_debug("%s: %s", vols_label(rc, vi), s->diag);
		return r;
	}
	s->mounted = 1;
	pv_debug("%s: %s filesystem", vols_label(rc, vi), fs_type_name(s->fs));
	return 0;
}

void vols_diag(struct run_ctx *rc, size_t vi, const char *fmt, ...)
{
	struct vol_state *s = &rc->vs[vi];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->diag, sizeof(s->diag), fmt, ap);
	va_end(ap);
	pv_debug("%s: %s", vols_label(rc, vi), s->diag);
}

void vols_ctx(struct run_ctx *rc, size_t vi)
{
	char name[32];
	struct vol_state *s = &rc->vs[vi];

	vol_name(&rc->parts.v[vi], name, sizeof(name));
	if (s->fs)
		pv_err_ctx("%s (%s)", name, fs_type_name(s->fs));
	else
		pv_err_ctx("%s", name);
}

/* "LABEL FS: why", or for a holder with volumes on it
 * "LABEL NOTE: lv a 8GiB ext4: why; lv b ...: why" */
static void describe(struct run_ctx *rc, struct strbuf *sb, size_t i,
		     int depth)
{
	const struct volume *v = &rc->parts.v[i];
	struct vol_state *s = &rc->vs[i];
	size_t c, nc = 0;
	char name[32], sz[24];

	if (v->parent) {
		vol_name(v, name, sizeof(name));
		if (v->unusable)
			sb_puts(sb, name);
		else
			sb_printf(sb, "%s %s", name,
				  pv_human_size(v->length, sz, sizeof(sz)));
	} else {
		sb_puts(sb, vols_label(rc, i));
	}
	if (v->holder && depth < 2) {
		for (c = 0; c < rc->n; c++) {
			if (rc->parts.v[c].parent != (int)i + 1)
				continue;
			sb_printf(sb, nc++ ? "; " : " %s: ", v->note);
			describe(rc, sb, c, depth + 1);
		}
		if (nc)
			return;
	}
	if (s->fs)
		sb_printf(sb, " %s", fs_type_name(s->fs));
	sb_printf(sb, ": %s", s->diag[0] ? s->diag :
		  (v->holder || v->unusable) ? v->note : "not examined");
}

void vols_no_boot(struct run_ctx *rc, const char *what, int list_configs)
{
	size_t order[PV_MAX_PROBED_VOLUMES];
	struct strbuf sb;
	size_t i, j, k;
	char *msg;

	sb_init(&sb, 8192);
	sb_printf(&sb, "%s: ", what);
	if (rc->n == 0)
		sb_puts(&sb, "no partitions");
	/* in disk order, which is how an operator reads a partition table
	 * (candidates were tried best-first) */
	for (k = 0; k < rc->n; k++)
		order[k] = k;
	for (k = 1; k < rc->n; k++)
		for (j = k; j > 0 && rc->parts.v[order[j]].offset <
					     rc->parts.v[order[j - 1]].offset; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (j = 0, k = 0; j < rc->n; j++) {
		i = order[j];
		if (rc->parts.v[i].parent)
			continue;   /* listed after its holder */
		if (k++)
			sb_puts(&sb, "; ");
		describe(rc, &sb, i, 0);
	}
	if (list_configs) {
		sb_puts(&sb, " (looked for");
		for (k = 0; k < cfg_ncandidates; k++)
			sb_printf(&sb, "%s %s", k ? "," : "",
				  cfg_candidates[k].path);
		sb_puts(&sb, ")");
	}
	msg = sb_take(&sb);
	pv_err(PV_ENOENT, "%s", msg ? msg : "no bootable config found");
	free(msg);
}

/* GRUB device names: "hd0", "hd0,1", "hd0,msdos1", "hd0,gpt2", with or
 * without parentheses.  Only one disk exists for a PV guest's bootloader. */
long vols_by_dev(struct run_ctx *rc, const char *dev, size_t cur)
{
	char buf[64];
	const char *p;
	size_t i, n;
	long part = 0;

	if (!dev || !*dev)
		return (long)cur;
	n = strlen(dev);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, dev, n + 1);
	p = buf;
	if (*p == '(') {
		p++;
		if (n < 2 || buf[n - 1] != ')')
			return -1;
		buf[n - 1] = '\0';
	}
	/* an LV or array by its GRUB name: "lvm/vg0-boot", "md/boot" */
	for (i = 0; i < rc->n; i++)
		if (rc->parts.v[i].grub_dev[0] &&
		    strcmp(rc->parts.v[i].grub_dev, p) == 0)
			return (long)i;
	if (strncmp(p, "hd", 2) != 0)
		return -1;
	p += 2;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == ',') {
		p++;
		if (strncmp(p, "msdos", 5) == 0)
			p += 5;
		else if (strncmp(p, "gpt", 3) == 0)
			p += 3;
		while (*p >= '0' && *p <= '9' && part < 100000)
			part = part * 10 + (*p++ - '0');
		if (*p && *p != ',')
			return -1;
	} else if (*p) {
		return -1;
	}
	for (i = 0; i < rc->n; i++)
		if (rc->parts.v[i].number == part && !rc->parts.v[i].parent &&
		    rc->parts.v[i].kind != VOL_LV && rc->parts.v[i].kind != VOL_MD)
			return (long)i;
	return -1;
}
