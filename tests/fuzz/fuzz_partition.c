/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "tests/fuzz/fuzz.h"
#include "partition/partition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct disk d;
	static struct part_list pl;

	disk_open_mem(&d, data, size, "fuzz");
	partition_discover(&d, &pl);
	disk_close(&d);
	return 0;
}
