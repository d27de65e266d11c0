/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One config parser (FUZZ_PARSE) on a buffer, then selection of the
 * default and of a few --entry values. */
#include "tests/fuzz/fuzz.h"
#include "menu/menu.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const wants[] = { NULL, "0", "1>0", "2", "x" };
	const struct menu_entry *e;
	struct menu m;
	char *buf = malloc(size + 1);
	size_t i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	menu_init(&m, "fuzz");
	if (FUZZ_PARSE("/boot/fuzz.cfg", buf, size, NULL, &m) == 0)
		for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++)
			menu_select(&m, wants[i], &e, NULL, 0);
	menu_free(&m);
	free(buf);
	return 0;
}
