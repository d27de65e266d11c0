/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * btrfs B-tree nodes and searches.  Every node read is checked before use:
 * checksum (crc32c filesystems), fsid, header bytenr equal to the address
 * it was read from, the level the parent promised (one less per step, at
 * most 8 levels), the generation the parent recorded, item counts that fit
 * the node, item data inside the node, keys strictly increasing, and a
 * child's first key equal to its parent's key.  Walking from leaf to leaf
 * also requires keys to keep increasing, so a hostile tree cannot loop; the
 * callers bound how many items they visit.
 */
#include "fs/btrfs_priv.h"
#include "common/err.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define H_FSID 0x20
#define H_BYTENR 0x30
#define H_GENERATION 0x50
#define H_NRITEMS 0x60
#define H_LEVEL 0x64

static void get_key(const uint8_t *p, struct btrfs_key *k)
{
	k->objectid = btrfs_le64(p);
	k->type = p[8];
	k->offset = btrfs_le64(p + 9);
}

int btrfs_key_cmp(const struct btrfs_key *a, const struct btrfs_key *b)
{
	if (a->objectid != b->objectid)
		return a->objectid < b->objectid ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return 0;
}

static uint32_t nritems(const uint8_t *node)
{
	return btrfs_le32(node + H_NRITEMS);
}

/* Key of slot i: items and key pointers both start with the key. */
static void slot_key(const uint8_t *node, int level, uint32_t i,
		     struct btrfs_key *k)
{
	size_t sz = level ? BTRFS_KEY_PTR_SIZE : BTRFS_ITEM_SIZE;

	get_key(node + BTRFS_HEADER_SIZE + i * sz, k);
}

static int node_bad(uint64_t logical, const char *what)
{
	return pv_err(PV_ECORRUPT, "btrfs: tree node at %" PRIu64 ": %s",
		      logical, what);
}

static int check_node(const struct btrfs_fs *b, const uint8_t *n,
		      uint64_t logical, int level, uint64_t gen)
{
	uint32_t count = nritems(n), i;
	uint32_t space = b->nodesize - BTRFS_HEADER_SIZE;
	struct btrfs_key prev, k;

	if (b->csum_type == 0 &&
	    btrfs_csum(n + BTRFS_CSUM_SIZE, b->nodesize - BTRFS_CSUM_SIZE) !=
		    btrfs_le32(n))
		return node_bad(logical, "checksum mismatch");
	if (memcmp(n + H_FSID, b->meta_fsid, 16) != 0)
		return node_bad(logical, "fsid does not match the superblock");
	if (btrfs_le64(n + H_BYTENR) != logical)
		return node_bad(logical, "header bytenr does not match its address");
	if (n[H_LEVEL] != level)
		return node_bad(logical, "level is not the one its parent expects");
	if (gen && btrfs_le64(n + H_GENERATION) != gen)
		return node_bad(logical, "generation is not the one its parent recorded");
	if (count > space / (level ? BTRFS_KEY_PTR_SIZE : BTRFS_ITEM_SIZE))
		return node_bad(logical, "more items than fit in the node");
	if (level && !count)
		return node_bad(logical, "internal node without items");
	for (i = 0; i < count; i++) {
		slot_key(n, level, i, &k);
		if (i && btrfs_key_cmp(&prev, &k) >= 0)
			return node_bad(logical, "keys out of order");
		prev = k;
		if (!level) {
			const uint8_t *it = n + BTRFS_HEADER_SIZE +
					    i * BTRFS_ITEM_SIZE;
			uint64_t off = btrfs_le32(it + 17);
			uint64_t sz = btrfs_le32(it + 21);

			if (off < (uint64_t)count * BTRFS_ITEM_SIZE ||
			    off + sz > space)
				return node_bad(logical, "item data outside the node");
		}
	}
	return 0;
}

static int read_node(struct btrfs_fs *b, uint64_t logical, int level,
		     uint64_t gen, uint8_t *buf)
{
	int r;

	if (logical % b->sectorsize)
		return node_bad(logical, "unaligned address");
	r = btrfs_read_logical(b, logical, buf, b->nodesize);
	if (r < 0)
		return r;
	return check_node(b, buf, logical, level, gen);
}

void btrfs_path_free(struct btrfs_path *p)
{
	int i;

	for (i = 0; i < BTRFS_MAX_LEVEL; i++) {
		free(p->node[i]);
		p->node[i] = NULL;
	}
}

/* Read the child of node[level] at its slot into node[level-1]. */
static int read_child(struct btrfs_fs *b, struct btrfs_path *p, int level)
{
	const uint8_t *ptr = p->node[level] + BTRFS_HEADER_SIZE +
			     p->slot[level] * BTRFS_KEY_PTR_SIZE;
	struct btrfs_key want, first;
	int r;

	if (!p->node[level - 1]) {
		p->node[level - 1] = malloc(b->nodesize);
		if (!p->node[level - 1])
			return pv_err(PV_ENOMEM, "btrfs: out of memory");
	}
	r = read_node(b, btrfs_le64(ptr + 17), level - 1, btrfs_le64(ptr + 25),
		      p->node[level - 1]);
	if (r < 0)
		return r;
	if (!nritems(p->node[level - 1]))
		return node_bad(btrfs_le64(ptr + 17), "empty child node");
	get_key(ptr, &want);
	slot_key(p->node[level - 1], level - 1, 0, &first);
	if (btrfs_key_cmp(&want, &first) != 0)
		return node_bad(btrfs_le64(ptr + 17),
				"first key differs from its parent's key");
	return 0;
}

/* Last slot with key <= target, -1 when all are larger. */
static int find_slot(const uint8_t *node, int level,
		     const struct btrfs_key *target)
{
	int lo = 0, hi = (int)nritems(node); /* answer in [lo-1, hi-1] */

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		struct btrfs_key k;

		slot_key(node, level, (uint32_t)mid, &k);
		if (btrfs_key_cmp(&k, target) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

int btrfs_search(struct btrfs_fs *b, uint64_t root, uint8_t level,
		 uint64_t gen, const struct btrfs_key *key,
		 struct btrfs_path *p)
{
	int l, r;

	memset(p, 0, sizeof(*p));
	if (level >= BTRFS_MAX_LEVEL)
		return pv_err(PV_ECORRUPT, "btrfs: tree root level %u", level);
	p->levels = level + 1;
	p->node[level] = malloc(b->nodesize);
	if (!p->node[level])
		return pv_err(PV_ENOMEM, "btrfs: out of memory");
	r = read_node(b, root, level, gen, p->node[level]);
	if (r < 0)
		return r;
	for (l = level; l > 0; l--) {
		int s = find_slot(p->node[l], l, key);

		p->slot[l] = s < 0 ? 0 : s;
		r = read_child(b, p, l);
		if (r < 0)
			return r;
	}
	p->slot[0] = find_slot(p->node[0], 0, key);
	if (p->slot[0] >= 0) {
		slot_key(p->node[0], 0, (uint32_t)p->slot[0], &p->last);
		p->have_last = 1;
	}
	return 0;
}

int btrfs_next(struct btrfs_fs *b, struct btrfs_path *p)
{
	struct btrfs_key k;
	int l, r;

	if (p->slot[0] + 1 < (int)nritems(p->node[0])) {
		p->slot[0]++;
	} else {
		for (l = 1; l < p->levels; l++)
			if (p->slot[l] + 1 < (int)nritems(p->node[l]))
				break;
		if (l >= p->levels) {
			p->slot[0] = (int)nritems(p->node[0]);
			return 1;
		}
		p->slot[l]++;
		for (; l > 0; l--) {
			r = read_child(b, p, l);
			if (r < 0)
				return r;
			p->slot[l - 1] = 0;
		}
	}
	slot_key(p->node[0], 0, (uint32_t)p->slot[0], &k);
	if (p->have_last && btrfs_key_cmp(&p->last, &k) >= 0)
		return pv_err(PV_ECORRUPT,
			      "btrfs: tree keys go backwards between leaves");
	p->last = k;
	p->have_last = 1;
	return 0;
}

int btrfs_search_ge(struct btrfs_fs *b, uint64_t root, uint8_t level,
		    uint64_t gen, const struct btrfs_key *key,
		    struct btrfs_path *p)
{
	int r = btrfs_search(b, root, level, gen, key, p);

	if (r < 0)
		return r;
	if (p->slot[0] >= 0 && btrfs_key_cmp(&p->last, key) == 0)
		return 0;
	return btrfs_next(b, p);
}

void btrfs_item(const struct btrfs_fs *b, const struct btrfs_path *p,
		struct btrfs_key *key, const uint8_t **data, uint32_t *size)
{
	const uint8_t *it = p->node[0] + BTRFS_HEADER_SIZE +
			    p->slot[0] * BTRFS_ITEM_SIZE;

	(void)b;
	get_key(it, key);
	*data = p->node[0] + BTRFS_HEADER_SIZE + btrfs_le32(it + 17);
	*size = btrfs_le32(it + 21);
}

int btrfs_lookup_item(struct btrfs_fs *b, uint64_t root, uint8_t level,
		      uint64_t gen, const struct btrfs_key *key, uint8_t **data,
		      uint32_t *size)
{
	struct btrfs_path p;
	const uint8_t *d;
	struct btrfs_key k;
	int r;

	*data = NULL;
	*size = 0;
	r = btrfs_search(b, root, level, gen, key, &p);
	if (r == 0 && (p.slot[0] < 0 || btrfs_key_cmp(&p.last, key) != 0))
		r = PV_ENOENT;
	if (r == 0) {
		btrfs_item(b, &p, &k, &d, size);
		*data = malloc(*size ? *size : 1);
		if (*data)
			memcpy(*data, d, *size);
		else
			r = pv_err(PV_ENOMEM, "btrfs: out of memory");
	}
	btrfs_path_free(&p);
	return r;
}
