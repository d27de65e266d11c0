/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System Use Sharing Protocol entries of a directory record and the Rock
 * Ridge entries we use: NM (name, continued over several entries), PX
 * (mode), SL (symlink components), RE (relocated directory: hidden), CE
 * (continuation area), ST (stop).  CL/PL relocation is not followed: a
 * deep directory moved to rr_moved shows as an empty file in its parent.
 *
 * This is where libfsimage overran buffers and spun (XSA-497): every entry
 * length is >= 4 and within what is left of its area, each continuation
 * area lies inside one logical block of the volume, and at most
 * PV_MAX_SUSP_AREAS areas are read per record, so a CE cycle ends.
 */
#include "fs/iso9660_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

static int corrupt(const char *what)
{
	return pv_err(PV_ECORRUPT, "iso9660: SUSP: %s", what);
}

int iso_susp_sp(const uint8_t *su, size_t len, unsigned *skip)
{
	if (len < 7 || su[0] != 'S' || su[1] != 'P' || su[2] < 7 ||
	    su[4] != 0xBE || su[5] != 0xEF)
		return 0;
	*skip = su[6];
	return 1;
}

static int sl_add(struct iso_rr *rr, const char *s, size_t n)
{
	if (rr->sllen + n >= rr->slcap)
		return pv_err(PV_ELIMIT, "iso9660: Rock Ridge SL: target longer than %zu bytes",
			      rr->slcap ? rr->slcap - 1 : 0);
	memcpy(rr->sl + rr->sllen, s, n);
	rr->sllen += n;
	rr->sl[rr->sllen] = '\0';
	return 0;
}

/* One SL entry's component records. */
static int parse_sl(struct iso_rr *rr, const uint8_t *e, size_t elen)
{
	size_t p = 5;
	int r;

	if (elen < 5)
		return corrupt("SL entry too short");
	rr->has_sl = 1;
	while (p < elen) {
		uint8_t cf, cl;

		if (elen - p < 2)
			return corrupt("SL component record truncated");
		cf = e[p];
		cl = e[p + 1];
		if ((size_t)cl > elen - p - 2)
			return corrupt("SL component longer than its entry");
		if (!rr->sl) {
			p += 2 + cl;
			continue;
		}
		if (cf & 0x08) { /* root */
			if ((r = sl_add(rr, "/", 1)) < 0)
				return r;
			rr->sl_cont = 1;
			p += 2 + cl;
			continue;
		}
		if (rr->sllen && !rr->sl_cont && (r = sl_add(rr, "/", 1)) < 0)
			return r;
		if (cf & 0x02)
			r = sl_add(rr, ".", 1);
		else if (cf & 0x04)
			r = sl_add(rr, "..", 2);
		else if (memchr(e + p + 2, '\0', cl) || memchr(e + p + 2, '/', cl))
			r = corrupt("SL component holds a NUL or '/'");
		else
			r = sl_add(rr, (const char *)e + p + 2, cl);
		if (r < 0)
			return r;
		rr->sl_cont = cf & 0x01;
		p += 2 + cl;
	}
	return 0;
}

static int parse_nm(struct iso_rr *rr, const uint8_t *e, size_t elen)
{
	size_t n;

	if (elen < 5)
		return corrupt("NM entry too short");
	if (e[4] & 0x06) /* "." or "..": not a name */
		return 0;
	n = elen - 5;
	if (rr->namelen + n > PV_NAME_MAX)
		return corrupt("NM name longer than 255 bytes");
	if (memchr(e + 5, '\0', n) || memchr(e + 5, '/', n))
		return corrupt("NM name holds a NUL or '/'");
	memcpy(rr->name + rr->namelen, e + 5, n);
	rr->namelen += n;
	rr->name[rr->namelen] = '\0';
	rr->has_name = 1;
	return 0;
}

/* Are the bytes from p on all zero (padding after the last entry)? */
static int all_zero(const uint8_t *a, size_t n)
{
	while (n--)
		if (*a++)
			return 0;
	return 1;
}

int iso_susp_parse(struct iso_fs *f, const uint8_t *su, size_t len,
		   struct iso_rr *rr)
{
	uint8_t *ce_buf = NULL;
	const uint8_t *area = su;
	unsigned areas = 0;
	int r = 0;

	rr->namelen = 0;
	rr->name[0] = '\0';
	rr->has_name = rr->relocated = rr->has_sl = rr->sl_cont = 0;
	rr->mode = 0;
	rr->sllen = 0;
	if (rr->sl && rr->slcap)
		rr->sl[0] = '\0';
	for (;;) {
		uint64_t ce_off = 0, ce_len = 0;
		size_t p = 0;
		int stop = 0;

		while (!stop && len - p >= 4) {
			const uint8_t *e = area + p;
			size_t elen = e[2];

			if (elen < 4) {
				if (all_zero(e, len - p))
					break;
				r = corrupt("entry length below 4");
				goto out;
			}
			if (elen > len - p) {
				r = corrupt("entry longer than its area");
				goto out;
			}
			if (e[0] == 'C' && e[1] == 'E') {
				uint32_t blk, off, cl;

				if (elen < 28) {
					r = corrupt("CE entry too short");
					goto out;
				}
				blk = iso_le32(e + 4);
				off = iso_le32(e + 12);
				cl = iso_le32(e + 20);
				if (off >= f->block || cl > f->block - off ||
				    (uint64_t)blk * f->block + f->block > f->vol_bytes) {
					r = corrupt("CE area outside its block or the volume");
					goto out;
				}
				ce_off = (uint64_t)blk * f->block + off;
				ce_len = cl;
			} else if (e[0] == 'S' && e[1] == 'T') {
				stop = 1;
			} else if (e[0] == 'N' && e[1] == 'M') {
				r = parse_nm(rr, e, elen);
			} else if (e[0] == 'P' && e[1] == 'X') {
				if (elen >= 12)
					rr->mode = iso_le32(e + 4);
			} else if (e[0] == 'S' && e[1] == 'L') {
				r = parse_sl(rr, e, elen);
			} else if (e[0] == 'R' && e[1] == 'E') {
				rr->relocated = 1;
			}
			if (r < 0)
				goto out;
			p += elen;
		}
		if (!ce_len)
			break;
		if (++areas > PV_MAX_SUSP_AREAS) {
			r = corrupt("too many continuation areas (a CE loop?)");
			goto out;
		}
		if (!ce_buf && !(ce_buf = malloc(f->block))) {
			r = pv_err(PV_ENOMEM, "iso9660: out of memory");
			goto out;
		}
		if (vol_read(f->base.vol, ce_off, ce_buf, (size_t)ce_len) < 0) {
			r = pv_err(PV_EIO, "iso9660: SUSP: continuation area unreadable");
			goto out;
		}
		area = ce_buf;
		len = (size_t)ce_len;
	}
out:
	free(ce_buf);
	return r;
}
