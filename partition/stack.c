/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Volumes stacked on the partitions: MD RAID1 arrays (md.c) and LVM2
 * logical volumes (lvm_label.c, lvm_vg.c), LVM2 also on an array.  The
 * members and PVs stay in the list as holders (named in messages, never
 * probed for a filesystem); arrays and LVs are appended after them.
 */
#include "partition/stack_priv.h"
#include "common/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct md_found {
	size_t vi;
	struct md_member m;
	int used;
};

static int usable(const struct volume *v)
{
	return !v->holder && !v->unusable;
}

static void md_group(struct disk *d, struct part_list *out,
		     struct md_found *f, size_t nf, size_t first)
{
	size_t i, best = nf;
	struct md_member *bm;
	struct volume *a;
	char bname[32], nm[40];

	for (i = first; i < nf; i++) {
		if (f[i].used || memcmp(f[i].m.uuid, f[first].m.uuid, 16) != 0)
			continue;
		f[i].used = 1;
		out->v[f[i].vi].holder = 1;
		if (f[i].m.why[0]) {
			snprintf(out->v[f[i].vi].note, sizeof(out->v[0].note),
				 "MD member (%s): %s",
				 md_version_name(f[i].m.version), f[i].m.why);
			continue;
		}
		if (f[i].m.active &&
		    (best == nf || f[i].m.events > f[best].m.events))
			best = i;
	}
	if (best == nf)
		return;
	bm = &f[best].m;
	vol_name(&out->v[f[best].vi], bname, sizeof(bname));
	for (i = first; i < nf; i++) {
		struct volume *h = &out->v[f[i].vi];

		if (memcmp(f[i].m.uuid, bm->uuid, 16) != 0 || f[i].m.why[0])
			continue;
		if (i == best)
			snprintf(h->note, sizeof(h->note),
				 "MD RAID1 member of %.32s (%s)", bm->name,
				 md_version_name(bm->version));
		else if (!f[i].m.active)
			snprintf(h->note, sizeof(h->note),
				 "MD RAID1 member of %.32s (%s): not in sync, %.24s is used",
				 bm->name, md_version_name(bm->version), bname);
		else
			snprintf(h->note, sizeof(h->note),
				 "MD RAID1 member of %.32s (%s): stale (%llu events, %.24s has %llu)",
				 bm->name, md_version_name(bm->version),
				 (unsigned long long)f[i].m.events, bname,
				 (unsigned long long)bm->events);
	}
	if (out->n >= PV_MAX_PROBED_VOLUMES)
		return;
	a = &out->v[out->n++];
	memset(a, 0, sizeof(*a));
	a->disk = d;
	a->kind = VOL_MD;
	a->offset = out->v[f[best].vi].offset + bm->data_off;
	a->length = bm->data_len;
	a->parent = (int)f[best].vi + 1;
	snprintf(nm, sizeof(nm), "%s", bm->name);
	snprintf(a->vname, sizeof(a->vname), "array md/%s", nm);
	snprintf(a->grub_dev, sizeof(a->grub_dev), "md/%s", nm);
	snprintf(a->type_name, sizeof(a->type_name), "MD RAID1");
}

static int md_pass(struct disk *d, struct part_list *out)
{
	size_t n0 = out->n, nf = 0, i;
	struct md_found *f = calloc(n0 ? n0 : 1, sizeof(*f));

	if (!f)
		return pv_err(PV_ENOMEM, "out of memory");
	for (i = 0; i < n0; i++)
		if (usable(&out->v[i]) &&
		    md_probe(&out->v[i], &f[nf].m) == 0) {
			f[nf].vi = i;
			nf++;
		}
	for (i = 0; i < nf; i++)
		if (!f[i].used)
			md_group(d, out, f, nf, i);
	free(f);
	return 0;
}

static int lvm_pass(struct disk *d, struct part_list *out)
{
	struct lvm_pv *pvs = calloc(PV_MAX_LVM_PVS, sizeof(*pvs));
	size_t n0 = out->n, npv = 0, i;
	int r = 0;

	if (!pvs)
		return pv_err(PV_ENOMEM, "out of memory");
	for (i = 0; i < n0 && npv < PV_MAX_LVM_PVS; i++) {
		struct volume *v = &out->v[i];
		char nm[32];

		if (!usable(v))
			continue;
		r = lvm_pv_probe(v, &pvs[npv]);
		if (r == PV_ENOTMINE) {
			r = 0;
			continue;
		}
		if (r == PV_ENOMEM)
			goto out;
		v->holder = 1;
		if (r < 0) {
			snprintf(v->note, sizeof(v->note), "LVM2 PV: %s",
				 pv_errmsg());
			r = 0;
			continue;
		}
		if (!pvs[npv].text)
			snprintf(v->note, sizeof(v->note), "%s",
				 pvs[npv].bad_copies ?
				 "LVM2 PV: no valid metadata copy" :
				 "LVM2 PV without metadata (its VG is not on this disk)");
		pv_debug("%s: LVM2 PV of %s (seqno %llu)",
			 vol_name(v, nm, sizeof(nm)), pvs[npv].vgname,
			 (unsigned long long)pvs[npv].seqno);
		pvs[npv++].vi = i;
	}
	r = lvm_build(d, out, pvs, npv);
out:
	for (i = 0; i < PV_MAX_LVM_PVS; i++)
		free(pvs[i].text);
	free(pvs);
	return r;
}

int stack_discover(struct disk *d, struct part_list *out)
{
	int r = md_pass(d, out);

	if (r < 0)
		return r;
	return lvm_pass(d, out);
}
