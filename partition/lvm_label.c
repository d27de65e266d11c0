/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LVM2 on-disk label and metadata areas (lvm2's lib/label/label.h and
 * lib/format_text/layout.h describe them):
 *  - a 32-byte label header "LABELONE" in one of sectors 0-3, with a crc
 *    of the rest of its sector, pointing at the PV header;
 *  - the PV header: uuid, device size, then two zero-terminated lists of
 *    (offset, size) disk areas: data areas, then metadata areas;
 *  - each metadata area starts with a 512-byte header (crc, magic,
 *    version, start, size, raw_locn list); raw_locn[0] is the committed
 *    metadata text, in a circular buffer after the header: it may wrap
 *    from the area's end back to just after the header.
 * We read every metadata area, keep the copies whose crc verifies, and
 * take the highest seqno among them (lvm_vg.c compares PVs).
 */
#include "partition/stack_priv.h"
#include "common/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR 512
#define LABEL_SCAN_SECTORS 4
#define MDA_HEADER_SIZE 512
#define MDA_MAGIC " LVM2 x[5A%r0N*>"
#define RAW_LOCN_IGNORED 1u

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t lvm_crc(uint32_t crc, const uint8_t *p, size_t len)
{
	size_t i;
	int k;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return crc;
}

/* "seqno = N" at the top of the VG section: only to pick the newest copy
 * (lvm_vg.c parses the chosen text properly). */
static uint64_t text_seqno(const char *t, size_t len, char *vg, size_t vgsz)
{
	const char *p = memmem(t, len, "seqno = ", 8);
	size_t i = 0;
	uint64_t n = 0;

	while (i < len && i + 1 < vgsz &&
	       (t[i] == '_' || t[i] == '-' || t[i] == '.' || t[i] == '+' ||
		(t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'z') ||
		(t[i] >= 'A' && t[i] <= 'Z'))) {
		vg[i] = t[i];
		i++;
	}
	vg[i] = '\0';
	if (!p)
		return 0;
	p += 8;
	while (p < t + len && *p >= '0' && *p <= '9' && n < UINT64_MAX / 10)
		n = n * 10 + (uint64_t)(*p++ - '0');
	return n;
}

/* Read the committed copy of the metadata area at mda_off (mda_size
 * bytes) into a malloc'd buffer.  0, PV_ENOENT (no copy), or an error. */
static int read_mda(const struct volume *v, uint64_t mda_off,
		    uint64_t mda_size, char **out, size_t *out_len)
{
	uint8_t h[MDA_HEADER_SIZE];
	uint64_t off, size, first;
	uint32_t csum, flags;
	char *t;
	int r;

	if (mda_size <= MDA_HEADER_SIZE || mda_off > v->length ||
	    mda_size > v->length - mda_off)
		return pv_err(PV_ECORRUPT, "metadata area outside the PV");
	r = vol_read(v, mda_off, h, sizeof(h));
	if (r < 0)
		return r;
	if (memcmp(h + 4, MDA_MAGIC, 16) != 0)
		return pv_err(PV_ECORRUPT, "metadata area header has a bad magic");
	if (lvm_crc(LVM_INITIAL_CRC, h + 4, MDA_HEADER_SIZE - 4) != le32(h))
		return pv_err(PV_ECORRUPT, "metadata area header crc mismatch");
	if (le32(h + 20) != 1)
		return pv_err(PV_ECORRUPT, "metadata area version %u unknown",
			      le32(h + 20));
	if (le64(h + 24) != mda_off || le64(h + 32) != mda_size)
		return pv_err(PV_ECORRUPT, "metadata area header disagrees with the PV header");
	/* raw_locn[0] at 40: offset, size, checksum, flags */
	off = le64(h + 40);
	size = le64(h + 48);
	csum = le32(h + 56);
	flags = le32(h + 60);
	if (off == 0 || (flags & RAW_LOCN_IGNORED))
		return PV_ENOENT;
	if (size == 0 || size > PV_MAX_LVM_TEXT ||
	    size > mda_size - MDA_HEADER_SIZE || off < MDA_HEADER_SIZE ||
	    off >= mda_size)
		return pv_err(PV_ECORRUPT,
			      "metadata copy (%llu bytes at %llu) does not fit its area",
			      (unsigned long long)size, (unsigned long long)off);
	t = malloc((size_t)size + 1);
	if (!t)
		return pv_err(PV_ENOMEM, "out of memory for LVM metadata");
	/* circular: what does not fit before the end wraps to the start */
	first = mda_size - off < size ? mda_size - off : size;
	r = vol_read(v, mda_off + off, t, (size_t)first);
	if (r == 0 && first < size)
		r = vol_read(v, mda_off + MDA_HEADER_SIZE, t + first,
			     (size_t)(size - first));
	if (r == 0 && lvm_crc(LVM_INITIAL_CRC, (uint8_t *)t, (size_t)size) != csum)
		r = pv_err(PV_ECORRUPT, "metadata copy checksum mismatch");
	if (r < 0) {
		free(t);
		return r;
	}
	t[size] = '\0';
	*out = t;
	*out_len = (size_t)size;
	return 0;
}

static int find_label(const struct volume *v, uint8_t *s, uint64_t *at)
{
	unsigned i;

	for (i = 0; i < LABEL_SCAN_SECTORS; i++) {
		if ((uint64_t)(i + 1) * SECTOR > v->length ||
		    vol_read(v, (uint64_t)i * SECTOR, s, SECTOR) < 0)
			return PV_ENOTMINE;
		if (memcmp(s, "LABELONE", 8) == 0 &&
		    memcmp(s + 24, "LVM2 001", 8) == 0) {
			*at = (uint64_t)i * SECTOR;
			return 0;
		}
	}
	return PV_ENOTMINE;
}

int lvm_pv_probe(const struct volume *v, struct lvm_pv *pv)
{
	uint8_t s[SECTOR];
	uint64_t at, size;
	uint32_t hoff;
	const uint8_t *p, *end;
	int r, list, n, i;
	struct { uint64_t off, size; } mda[PV_MAX_LVM_LOCNS];
	int nmda = 0;

	memset(pv, 0, sizeof(*pv));
	if (find_label(v, s, &at) < 0)
		return PV_ENOTMINE;
	if (le64(s + 8) != at / SECTOR)
		return pv_err(PV_ECORRUPT, "LVM2 label in the wrong sector");
	if (lvm_crc(LVM_INITIAL_CRC, s + 20, SECTOR - 20) != le32(s + 16))
		return pv_err(PV_ECORRUPT, "LVM2 label crc mismatch");
	hoff = le32(s + 20);
	if (hoff < 32 || hoff > SECTOR - LVM_ID_LEN - 8 - 16)
		return pv_err(PV_ECORRUPT, "LVM2 PV header offset %u is bad", hoff);
	p = s + hoff;
	end = s + SECTOR;
	for (i = 0; i < LVM_ID_LEN; i++) {
		char c = (char)p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			return pv_err(PV_ECORRUPT, "LVM2 PV uuid is not printable");
		pv->uuid[i] = c;
	}
	pv->uuid[LVM_ID_LEN] = '\0';
	pv->dev_size = le64(p + LVM_ID_LEN);
	p += LVM_ID_LEN + 8;
	/* list 0: data areas (not needed: pe_start says where extents are),
	 * list 1: metadata areas */
	for (list = 0; list < 2; list++) {
		for (n = 0;; n++) {
			if (end - p < 16 || n > PV_MAX_LVM_LOCNS)
				return pv_err(PV_ECORRUPT,
					      "LVM2 PV header area list is not terminated");
			at = le64(p);
			size = le64(p + 8);
			p += 16;
			if (at == 0)
				break;
			if (list == 1 && nmda < PV_MAX_LVM_LOCNS) {
				mda[nmda].off = at;
				mda[nmda].size = size;
				nmda++;
			}
		}
	}
	for (i = 0; i < nmda; i++) {
		char *t = NULL, vg[128];
		size_t len = 0;
		uint64_t seq;

		r = read_mda(v, mda[i].off, mda[i].size, &t, &len);
		if (r == PV_ENOMEM) {
			free(pv->text);
			return r;
		}
		if (r < 0) {
			if (r != PV_ENOENT) {
				pv->bad_copies++;
				pv_warn("%s: LVM2 metadata area %d skipped: %s",
					v->disk->name, i + 1, pv_errmsg());
			}
			continue;
		}
		seq = text_seqno(t, len, vg, sizeof(vg));
		if (!pv->text || seq > pv->seqno) {
			free(pv->text);
			pv->text = t;
			pv->text_len = len;
			pv->seqno = seq;
			memcpy(pv->vgname, vg, sizeof(vg));
		} else {
			free(t);
		}
	}
	return 0;
}
