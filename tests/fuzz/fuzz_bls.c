/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "tests/fuzz/fuzz.h"
#include "menu/bls.h"

#include <stdlib.h>
#include <string.h>

static const char *getvar(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "kernelopts") == 0 ? "root=/dev/xvda1 ro" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bls_entry e;
	struct menu m;
	char *buf = malloc(size + 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&e, 0, sizeof(e));
	if (bls_parse_entry("/loader/entries/fuzz.conf", buf, size, &e) == 0 &&
	    e.linux) {
		menu_init(&m, "bls");
		bls_append_to_menu(&e, 1, "", getvar, NULL, &m);
		menu_free(&m);
	}
	bls_entry_free(&e);
	if (size < 256) {
		char *a = strndup(buf, size / 2), *b = strdup(buf + size / 2);

		if (a && b)
			bls_vercmp(a, b);
		free(a);
		free(b);
	}
	free(buf);
	return 0;
}
