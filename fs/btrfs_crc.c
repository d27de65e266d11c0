/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), table-driven:
 * btrfs checksums superblocks and tree nodes with it and hashes directory
 * names with it.
 */
#include "fs/btrfs_priv.h"

static uint32_t table[256];
static int table_ready;

static void make_table(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		table[i] = c;
	}
	table_ready = 1;
}

/* Raw update: no initial or final inversion (the kernel's crc32c()). */
uint32_t btrfs_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!table_ready)
		make_table();
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

uint32_t btrfs_csum(const void *buf, size_t len)
{
	return ~btrfs_crc32c(~0u, buf, len);
}

uint32_t btrfs_name_hash(const char *name, size_t len)
{
	return btrfs_crc32c(~1u, name, len);
}
