/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From LVM2 metadata to volumes: for each VG found on this disk, the
 * newest valid copy among its PVs' metadata areas (highest seqno whose
 * checksum verified: a copy with a bad checksum is skipped with a warning,
 * so a torn or forged newer copy falls back to the last good one), then
 * each visible LV whose segments are all "striped" (linear = 1 stripe)
 * becomes a volume mapped through vol_segs.  Every extent range is checked
 * against its PV's pe_count and the PV's volume on the disk.  Anything
 * else (thin, snapshot, RAID, mirror, a PV not on this disk) is listed as
 * an unusable volume with the reason.
 */
#include "partition/stack_priv.h"
#include "partition/lvm_text.h"
#include "common/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR 512

struct vgpv {
	const char *key;        /* "pv0" */
	int have;               /* found on this disk */
	size_t vi;
	uint64_t pe_start;      /* bytes from the PV's start */
	uint64_t pe_count;
};

/* uuid as written in metadata (with dashes) equals a label uuid */
static int same_uuid(const char *meta, const char *label)
{
	size_t i = 0;

	for (; *meta; meta++) {
		if (*meta == '-')
			continue;
		if (i >= LVM_ID_LEN || *meta != label[i])
			return 0;
		i++;
	}
	return i == LVM_ID_LEN;
}

static struct volume *add_vol(struct part_list *out, struct disk *d)
{
	struct volume *v;

	if (out->n >= PV_MAX_PROBED_VOLUMES)
		return NULL;
	v = &out->v[out->n++];
	memset(v, 0, sizeof(*v));
	v->disk = d;
	v->kind = VOL_LV;
	return v;
}

/* GRUB's name: "lvm/VG-LV" with '-' doubled inside each name. */
static void grub_name(char *buf, size_t sz, const char *vg, const char *lv)
{
	size_t o = 0;
	const char *parts[2] = { vg, lv };
	int k;

	o += (size_t)snprintf(buf, sz, "lvm/");
	for (k = 0; k < 2; k++) {
		const char *c;

		if (k && o + 1 < sz)
			buf[o++] = '-';
		for (c = parts[k]; *c && o + 2 < sz; c++) {
			if (*c == '-')
				buf[o++] = '-';
			buf[o++] = *c;
		}
	}
	buf[o < sz ? o : sz - 1] = '\0';
}

static const struct vgpv *pv_by_key(const struct vgpv *pvs, size_t n,
				    const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(pvs[i].key, key) == 0)
			return &pvs[i];
	return NULL;
}

/* One segment into out->segs; 0, or -1 with why set. */
static int map_segment(struct part_list *out, const struct lvm_node *seg,
		       const struct vgpv *pvs, size_t npvs, uint64_t ext_bytes,
		       uint64_t lv_off, char *why, size_t whysz,
		       uint64_t *seg_len)
{
	const char *type = lvm_get_str(seg, "type");
	const struct lvm_node *stripes = lvm_get(seg, "stripes"), *it;
	int64_t start, count, nstr, ssize = 0;
	struct vol_seg *s;
	uint64_t area_ext, area_len;
	unsigned k = 0;

	if (!type || strcmp(type, "striped") != 0) {
		snprintf(why, whysz, "segment type %s: not supported",
			 type ? type : "(none)");
		return -1;
	}
	if (lvm_get_int(seg, "start_extent", &start) < 0 ||
	    lvm_get_int(seg, "extent_count", &count) < 0 ||
	    lvm_get_int(seg, "stripe_count", &nstr) < 0 || !stripes ||
	    stripes->type != LVM_ARRAY || count <= 0 || start < 0) {
		snprintf(why, whysz, "a segment lacks its extents or stripes");
		return -1;
	}
	if (nstr < 1 || nstr > PV_MAX_LV_STRIPES) {
		snprintf(why, whysz, "%lld stripes: not supported", (long long)nstr);
		return -1;
	}
	if (nstr > 1 && (lvm_get_int(seg, "stripe_size", &ssize) < 0 ||
			 ssize <= 0 || ssize > (int64_t)(UINT32_MAX))) {
		snprintf(why, whysz, "a striped segment has no stripe size");
		return -1;
	}
	if ((uint64_t)start * ext_bytes / ext_bytes != (uint64_t)start ||
	    (uint64_t)start * ext_bytes != lv_off) {
		snprintf(why, whysz, "segments are not contiguous");
		return -1;
	}
	if (count % nstr != 0) {
		snprintf(why, whysz, "extents do not divide among the stripes");
		return -1;
	}
	area_ext = (uint64_t)count / (uint64_t)nstr;
	if (__builtin_mul_overflow(area_ext, ext_bytes, &area_len) ||
	    __builtin_mul_overflow((uint64_t)count, ext_bytes, seg_len)) {
		snprintf(why, whysz, "segment size overflows");
		return -1;
	}
	if (nstr > 1 && area_len % ((uint64_t)ssize * SECTOR) != 0) {
		snprintf(why, whysz, "stripe size does not divide the extents");
		return -1;
	}
	if (out->nsegs >= PV_MAX_LV_SEGMENTS) {
		snprintf(why, whysz, "over %d LV segments on this disk",
			 PV_MAX_LV_SEGMENTS);
		return -1;
	}
	s = &out->segs[out->nsegs];
	memset(s, 0, sizeof(*s));
	s->vol_off = lv_off;
	s->len = *seg_len;
	s->nstripes = (unsigned)nstr;
	s->stripe_bytes = nstr > 1 ? (uint64_t)ssize * SECTOR : 0;
	for (it = stripes->child; it; it = it->next) {
		const struct vgpv *pv;
		const struct lvm_node *pe = it->next;
		uint64_t off, end;
		const struct volume *pvv;

		if (it->type != LVM_STR || !pe || pe->type != LVM_INT ||
		    pe->num < 0 || k >= (unsigned)nstr) {
			snprintf(why, whysz, "a segment's stripe list is malformed");
			return -1;
		}
		pv = pv_by_key(pvs, npvs, it->str);
		if (!pv || !pv->have) {
			snprintf(why, whysz, "on %s, a PV not on this disk: not supported",
				 it->str);
			return -1;
		}
		pvv = &out->v[pv->vi];
		if ((uint64_t)pe->num > pv->pe_count ||
		    area_ext > pv->pe_count - (uint64_t)pe->num ||
		    __builtin_mul_overflow((uint64_t)pe->num, ext_bytes, &off) ||
		    __builtin_add_overflow(off, pv->pe_start, &off) ||
		    __builtin_add_overflow(off, area_len, &end) ||
		    end > pvv->length) {
			snprintf(why, whysz,
				 "extents %lld+%llu of %s lie outside the PV",
				 (long long)pe->num, (unsigned long long)area_ext,
				 it->str);
			return -1;
		}
		s->disk_off[k++] = pvv->offset + off;
		it = pe;
	}
	if (k != (unsigned)nstr) {
		snprintf(why, whysz, "a segment's stripe list is short");
		return -1;
	}
	out->nsegs++;
	return 0;
}

static void add_lv(struct disk *d, struct part_list *out,
		   const struct lvm_node *lv, const char *vgname,
		   const struct vgpv *pvs, size_t npvs, uint64_t ext_bytes,
		   int parent)
{
	struct volume *v;
	size_t seg0 = out->nsegs;
	int64_t nseg;
	char why[112] = "";
	uint64_t off = 0;
	const struct lvm_node *c;
	int i;

	if (!lvm_has_flag(lv, "status", "VISIBLE"))
		return;         /* internal LVs (pool data, logs) */
	v = add_vol(out, d);
	if (!v)
		return;
	v->parent = parent;
	snprintf(v->vname, sizeof(v->vname), "lv %s", lv->name);
	grub_name(v->grub_dev, sizeof(v->grub_dev), vgname, lv->name);
	snprintf(v->type_name, sizeof(v->type_name), "LVM2 LV");
	if (lvm_get_int(lv, "segment_count", &nseg) < 0 || nseg < 1 ||
	    nseg > PV_MAX_LV_SEGS_PER_LV) {
		snprintf(why, sizeof(why), "segment count missing or over %d",
			 PV_MAX_LV_SEGS_PER_LV);
		goto unusable;
	}
	/* segment1, segment2... in volume order */
	for (i = 1; i <= nseg; i++) {
		char key[24];
		uint64_t len;

		snprintf(key, sizeof(key), "segment%d", i);
		c = lvm_get(lv, key);
		if (!c || c->type != LVM_SECTION) {
			snprintf(why, sizeof(why), "%s is missing", key);
			goto unusable;
		}
		if (map_segment(out, c, pvs, npvs, ext_bytes, off, why,
				sizeof(why), &len) < 0)
			goto unusable;
		off += len;
	}
	v->segs = &out->segs[seg0];
	v->nsegs = out->nsegs - seg0;
	v->length = off;
	return;
unusable:
	out->nsegs = seg0;
	v->unusable = 1;
	snprintf(v->note, sizeof(v->note), "%s", why);
}

/* Is this LV name a /boot? Those are probed first. */
static int is_boot_name(const char *n)
{
	return strcmp(n, "boot") == 0 || strstr(n, "boot") != NULL;
}

static void build_vg(struct disk *d, struct part_list *out,
		     struct lvm_pv *pvs, size_t npvs, size_t chosen)
{
	struct lvm_tree t;
	const struct lvm_node *vg, *pvsec, *lvsec, *c;
	struct vgpv vp[PV_MAX_LVM_PVS];
	size_t nvp = 0, i;
	int64_t ext;
	int parent = 0, pass, missing = 0;
	char firstname[32];

	if (lvm_text_parse(pvs[chosen].text, pvs[chosen].text_len, &t) < 0) {
		/* the holders say why: "LVM2 PV of vg0: metadata line 3: ..." */
		for (i = 0; i < npvs; i++)
			if (strcmp(pvs[i].vgname, pvs[chosen].vgname) == 0)
				snprintf(out->v[pvs[i].vi].note,
					 sizeof(out->v[0].note),
					 "LVM2 PV of %.32s: %.140s",
					 pvs[chosen].vgname, pv_errmsg());
		return;
	}
	vg = t.root->child;
	if (!vg || vg->type != LVM_SECTION ||
	    lvm_get_int(vg, "extent_size", &ext) < 0 || ext <= 0 ||
	    ext > (INT64_MAX / SECTOR) ||
	    !(pvsec = lvm_get(vg, "physical_volumes"))) {
		for (i = 0; i < npvs; i++)
			if (strcmp(pvs[i].vgname, pvs[chosen].vgname) == 0)
				snprintf(out->v[pvs[i].vi].note,
					 sizeof(out->v[0].note),
					 "LVM2 PV of %.32s: metadata has no extent size or PV list",
					 pvs[chosen].vgname);
		goto out;
	}
	for (c = pvsec->child; c && nvp < PV_MAX_LVM_PVS; c = c->next) {
		struct vgpv *p = &vp[nvp];
		const char *id = lvm_get_str(c, "id");
		int64_t ps, pc;

		if (c->type != LVM_SECTION)
			continue;
		memset(p, 0, sizeof(*p));
		p->key = c->name;
		if (!id || lvm_get_int(c, "pe_start", &ps) < 0 ||
		    lvm_get_int(c, "pe_count", &pc) < 0 || ps < 0 || pc < 0 ||
		    ps > INT64_MAX / SECTOR)
			continue;
		p->pe_start = (uint64_t)ps * SECTOR;
		p->pe_count = (uint64_t)pc;
		for (i = 0; i < npvs; i++)
			if (same_uuid(id, pvs[i].uuid)) {
				p->have = 1;
				p->vi = pvs[i].vi;
				break;
			}
		if (!p->have)
			missing++;
		nvp++;
	}
	/* the holders: every PV of this VG on the disk; LVs hang off the
	 * first one */
	for (i = 0; i < npvs; i++) {
		struct volume *h = &out->v[pvs[i].vi];

		if (strcmp(pvs[i].vgname, pvs[chosen].vgname) != 0)
			continue;
		if (!parent) {
			parent = (int)pvs[i].vi + 1;
			snprintf(h->note, sizeof(h->note), "LVM2 PV of %s",
				 vg->name);
			vol_name(h, firstname, sizeof(firstname));
		} else {
			snprintf(h->note, sizeof(h->note),
				 "LVM2 PV of %s (its LVs are listed with %s)",
				 vg->name, firstname);
		}
	}
	if (missing)
		pv_warn("%s: VG %s: %d PV(s) not on this disk", d->name,
			vg->name, missing);
	lvsec = lvm_get(vg, "logical_volumes");
	for (pass = 0; lvsec && pass < 2; pass++)
		for (c = lvsec->child; c; c = c->next)
			if (c->type == LVM_SECTION &&
			    is_boot_name(c->name) == !pass)
				add_lv(d, out, c, vg->name, vp, nvp,
				       (uint64_t)ext * SECTOR, parent);
out:
	lvm_text_free(&t);
}

int lvm_build(struct disk *d, struct part_list *out, struct lvm_pv *pvs,
	      size_t npvs)
{
	size_t i, j;

	for (i = 0; i < npvs; i++) {
		size_t best = i;
		int first = 1;

		if (!pvs[i].text)
			continue;
		/* one VG once: the first PV naming it decides */
		for (j = 0; j < i; j++)
			if (pvs[j].text &&
			    strcmp(pvs[j].vgname, pvs[i].vgname) == 0)
				first = 0;
		if (!first)
			continue;
		for (j = i + 1; j < npvs; j++)
			if (pvs[j].text &&
			    strcmp(pvs[j].vgname, pvs[i].vgname) == 0 &&
			    pvs[j].seqno > pvs[best].seqno)
				best = j;
		build_vg(d, out, pvs, npvs, best);
	}
	return 0;
}
