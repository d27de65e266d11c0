/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MD RAID superblocks (Linux md_p.h and the md(4) manual describe them):
 * 0.90 in the last 64 KiB-aligned 64 KiB of the member, 1.0 8-16 sectors
 * from its end, 1.1 at its start, 1.2 at 4 KiB.  We only read: a RAID1
 * member holds the whole array at its data offset, so the array is a
 * window of one member.  Little-endian superblocks only (x86 dom0s).
 */
#include "partition/stack_priv.h"
#include "common/err.h"

#include <stdio.h>
#include <string.h>

#define MD_MAGIC 0xa92b4efcu
#define MD90_RESERVED (64u * 1024)
#define MD90_BYTES 4096
#define MD1_BYTES 256           /* before dev_roles */
#define MD1_MAX_READ 4096
#define MD1_FEATURE_RECOVERY 2u
#define MD1_FEATURE_RESHAPE 4u
#define MD_ROLE_FAULTY 0xfffe

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* md's checksum: 32-bit words summed in 64 bits, then folded once. */
static uint32_t md_csum(const uint8_t *p, size_t len, size_t csum_off)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		if (i != csum_off)
			sum += le32(p + i);
	if (len % 4 == 2)
		sum += (uint32_t)p[len - 2] | (uint32_t)p[len - 1] << 8;
	return (uint32_t)((sum & 0xffffffffu) + (sum >> 32));
}

const char *md_version_name(int v)
{
	switch (v) {
	case 90: return "0.90";
	case 10: return "1.0";
	case 11: return "1.1";
	default: return "1.2";
	}
}

static void set_why(struct md_member *m, const char *why)
{
	snprintf(m->why, sizeof(m->why), "%s", why);
}

static int check_level(struct md_member *m)
{
	if (m->level != 1) {
		snprintf(m->why, sizeof(m->why),
			 "MD RAID level %d: not supported (only RAID1)",
			 m->level);
		return -1;
	}
	return 0;
}

static int parse90(const struct volume *v, uint64_t at, struct md_member *m)
{
	uint8_t b[MD90_BYTES];
	const uint8_t *this_disk;

	if (vol_read(v, at, b, sizeof(b)) < 0 || le32(b) != MD_MAGIC)
		return PV_ENOTMINE;
	memset(m, 0, sizeof(*m));
	m->version = 90;
	if (le32(b + 4) != 0 || le32(b + 8) != 90)
		return set_why(m, "MD superblock 0.x of an unknown minor version"), 0;
	if (md_csum(b, sizeof(b), 38 * 4) != le32(b + 38 * 4))
		return set_why(m, "MD 0.90 superblock checksum mismatch"), 0;
	memcpy(m->uuid, b + 5 * 4, 4);
	memcpy(m->uuid + 4, b + 13 * 4, 12);
	snprintf(m->name, sizeof(m->name), "%u", le32(b + 11 * 4));
	m->level = (int)le32(b + 7 * 4);
	m->events = (uint64_t)le32(b + 40 * 4) << 32 | le32(b + 39 * 4);
	m->data_off = 0;
	m->data_len = (uint64_t)le32(b + 8 * 4) * 1024;
	this_disk = b + 992 * 4;
	/* state: bit 0 faulty, bit 1 active, bit 2 sync */
	m->active = (le32(this_disk + 16) & 7) == 6;
	if (check_level(m) < 0)
		return 0;
	if (m->data_len == 0 || m->data_len > at)
		return set_why(m, "MD 0.90 array size overlaps its superblock or is empty"), 0;
	return 0;
}

static int parse1(const struct volume *v, uint64_t at, int version,
		  struct md_member *m)
{
	uint8_t b[MD1_MAX_READ];
	uint32_t max_dev, feat, dev_number;
	uint64_t data_off, data_len, super_off, end;
	size_t sb_len;
	char nm[33];
	const char *colon;

	if (v->length < at + MD1_MAX_READ ||
	    vol_read(v, at, b, sizeof(b)) < 0 || le32(b) != MD_MAGIC)
		return PV_ENOTMINE;
	memset(m, 0, sizeof(*m));
	m->version = version;
	if (le32(b + 4) != 1)
		return set_why(m, "MD superblock of an unknown major version"), 0;
	max_dev = le32(b + 220);
	if (max_dev > PV_MAX_MD_DEVS)
		return set_why(m, "MD superblock lists too many devices"), 0;
	sb_len = MD1_BYTES + 2 * (size_t)max_dev;
	if (md_csum(b, sb_len, 216) != le32(b + 216))
		return set_why(m, "MD 1.x superblock checksum mismatch"), 0;
	memcpy(m->uuid, b + 16, 16);
	memcpy(nm, b + 32, 32);
	nm[32] = '\0';
	colon = strchr(nm, ':');
	snprintf(m->name, sizeof(m->name), "%s", colon ? colon + 1 : nm);
	m->level = (int)le32(b + 72);
	m->events = le64(b + 200);
	feat = le32(b + 8);
	data_off = le64(b + 128);
	data_len = le64(b + 80);   /* size: what each member holds of the array */
	super_off = le64(b + 144);
	dev_number = le32(b + 160);
	if (check_level(m) < 0)
		return 0;
	if (super_off != at / 512)
		return set_why(m, "MD superblock records another location"), 0;
	if (feat & MD1_FEATURE_RESHAPE)
		return set_why(m, "MD array in the middle of a reshape: not supported"), 0;
	if (__builtin_mul_overflow(data_off, 512, &m->data_off) ||
	    __builtin_mul_overflow(data_len, 512, &m->data_len) ||
	    __builtin_add_overflow(m->data_off, m->data_len, &end) ||
	    end > v->length || m->data_len == 0) {
		snprintf(m->why, sizeof(m->why),
			 "MD data (sectors %llu+%llu) lies outside the member",
			 (unsigned long long)data_off,
			 (unsigned long long)data_len);
		return 0;
	}
	/* the data must not cover the superblock */
	if (m->data_off < at + 4096 && end > at)
		return set_why(m, "MD data area overlaps its superblock"), 0;
	m->active = 0;
	if (dev_number < max_dev) {
		uint32_t role = (uint32_t)b[256 + 2 * dev_number] |
				(uint32_t)b[257 + 2 * dev_number] << 8;

		m->active = role < MD_ROLE_FAULTY;
	}
	if (feat & MD1_FEATURE_RECOVERY)
		m->active = 0;    /* being rebuilt: not yet a full copy */
	return 0;
}

int md_probe(const struct volume *v, struct md_member *m)
{
	uint64_t at;

	if (v->length >= 8192 && parse1(v, 4096, 12, m) == 0)
		return 0;
	if (v->length >= 8192 && parse1(v, 0, 11, m) == 0)
		return 0;
	if (v->length >= 8192 * 2) {
		at = ((v->length / 512 - 16) & ~(uint64_t)7) * 512;
		if (parse1(v, at, 10, m) == 0)
			return 0;
	}
	if (v->length >= 2 * MD90_RESERVED) {
		at = (v->length & ~(uint64_t)(MD90_RESERVED - 1)) - MD90_RESERVED;
		if (parse90(v, at, m) == 0)
			return 0;
	}
	return PV_ENOTMINE;
}
