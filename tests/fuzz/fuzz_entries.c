/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The --json entries records as a compromised worker could send them:
 * the supervisor's decoder and its JSON writer (bootloader/wire/entries.h,
 * bootloader/privileged/jsonout.c). */
#include "tests/fuzz/fuzz.h"
#include "bootloader/privileged/jsonout.h"
#include "bootloader/wire/entries.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o;
	struct boot_result res;
	char *text = malloc(size + 1), *out = NULL;
	size_t len = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&o, 0, sizeof(o));
	o.json = 1;
	o.image = "fuzz.img";
	result_init(&res);
	res.text = text;
	if (answer_format(&o, &res, "/k", size & 1 ? "/r" : NULL, "a", &out, &len) == 0)
		free(out);
	o.not_really = 1;
	if (answer_format(&o, &res, NULL, NULL, NULL, &out, &len) == 0)
		free(out);
	free(text);
	return 0;
}
