/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The whole parsing side of a run on an in-memory disk image. */
#include "tests/fuzz/fuzz.h"
#include "bootloader/confined/run.h"
#include "common/err.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o;
	struct disk d;
	struct boot_result r;

	memset(&o, 0, sizeof(o));
	o.max_file = 128u << 20;
	o.image = "fuzz";
	pv_quiet_warnings = 1;
	disk_open_mem(&d, data, size, "fuzz");
	result_init(&r);
	run_boot(&o, &d, &r);
	result_free(&r);
	disk_close(&d);
	return 0;
}
