/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Volume discovery over a disk buffer (partition tables, MD superblocks,
 * LVM2 labels, metadata areas and VGs), then a read at the start and the
 * end of every volume, through its segments when it is an LV. */
#include "tests/fuzz/fuzz.h"
#include "partition/partition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct part_list pl;
	static uint8_t buf[4096];
	struct disk d;
	size_t i;

	disk_open_mem(&d, data, size, "fuzz");
	if (partition_discover(&d, &pl) == 0) {
		for (i = 0; i < pl.n; i++) {
			const struct volume *v = &pl.v[i];
			size_t n = v->length < sizeof(buf) ? (size_t)v->length
							   : sizeof(buf);

			if (v->holder || v->unusable || n == 0)
				continue;
			if (vol_read(v, 0, buf, n) < 0 ||
			    vol_read(v, v->length - n, buf, n) < 0)
				__builtin_trap();  /* a mapped volume must be readable */
		}
	}
	disk_close(&d);
	return 0;
}
