/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside partition/: the MD superblock reader (md.c), the LVM2 label and
 * metadata area reader (lvm_label.c), the metadata text parser
 * (lvm_text.h) and the VG mapper (lvm_vg.c) that stack.c puts together.
 */
#ifndef PVBOOT_PARTITION_STACK_PRIV_H
#define PVBOOT_PARTITION_STACK_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "partition/partition.h"

/* --- MD --- */
struct md_member {
	int version;          /* 90, 10, 11 or 12 (0.90, 1.0, 1.1, 1.2) */
	uint8_t uuid[16];     /* the array's */
	char name[40];        /* 1.x set_name after any "host:", or "N" */
	int level;
	uint64_t events;
	uint64_t data_off;    /* bytes from the member's start */
	uint64_t data_len;    /* bytes */
	int active;           /* an in-sync member, not spare/faulty/rebuilding */
	char why[96];         /* non-empty: this member cannot be used */
};

/* 0 and m when v holds an MD superblock (m->why says when it is unusable),
 * PV_ENOTMINE when none. */
int md_probe(const struct volume *v, struct md_member *m);
const char *md_version_name(int version);

/* --- LVM2 label and metadata areas --- */
#define LVM_ID_LEN 32

struct lvm_pv {
	size_t vi;                 /* the volume holding it */
	char uuid[LVM_ID_LEN + 1]; /* without dashes */
	uint64_t dev_size;         /* bytes, from the PV header */
	char *text;                /* newest valid committed metadata copy */
	size_t text_len;
	uint64_t seqno;            /* its seqno (read by lvm_vg.c) */
	char vgname[128];
	int bad_copies;            /* copies skipped (bad checksum...) */
};

/* 0 and pv (text malloc'd, may be NULL: a PV without metadata areas) when
 * v has an LVM2 label; PV_ENOTMINE when none; PV_ECORRUPT etc. (message
 * recorded) when the label is there but broken. */
int lvm_pv_probe(const struct volume *v, struct lvm_pv *pv);
/* lvm2's crc (crc32 polynomial, initial 0xf597a6cf, no final xor). */
uint32_t lvm_crc(uint32_t crc, const uint8_t *p, size_t len);
#define LVM_INITIAL_CRC 0xf597a6cfu

/* Build the LVs of every VG found in pvs[] into out (appended). */
int lvm_build(struct disk *d, struct part_list *out, struct lvm_pv *pvs,
	      size_t npvs);

#endif
