/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The PE/COFF section reader, UKI profiles and text sections, and the
 * kernel check, on one input taken as a whole file. */
#include "tests/fuzz/fuzz.h"
#include "kernel/kcheck.h"
#include "kernel/pe.h"
#include "kernel/uki.h"

#include <stdlib.h>
#include <string.h>

struct mem {
	const uint8_t *d;
	size_t n;
};

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct mem *m = ctx;

	if (off > m->n || len > m->n - off)
		return -5;
	memcpy(buf, m->d + off, len);
	return 0;
}

static void text(const uint8_t *data, size_t size, const struct pe_section *s)
{
	char v[256];
	uint64_t off, len;

	if (!s || pe_section_bytes(s, &off, &len) < 0 || off > size ||
	    len > size - off)
		return;
	uki_kv((const char *)data + off, (size_t)len, "PRETTY_NAME", v, sizeof(v));
	uki_kv((const char *)data + off, (size_t)len, "ID", v, sizeof(v));
	uki_cmdline((const char *)data + off, (size_t)len, v, sizeof(v));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pe_info *pe = malloc(sizeof(*pe));
	const struct pe_section *sec[UKI_NSECT];
	struct mem m = { data, size };
	struct kcheck k;
	unsigned p;

	if (!pe)
		return 0;
	if (pe_parse(data, size < PE_HEAD_BYTES ? size : PE_HEAD_BYTES, size,
		     pe) == 0) {
		for (p = 0; p < 8 && uki_profile(pe, p, sec) == 0; p++) {
			text(data, size, sec[UKI_OSREL]);
			text(data, size, sec[UKI_CMDLINE]);
			text(data, size, sec[UKI_PROFILE]);
		}
	}
	free(pe);
	kcheck_run(size, mem_read, &m, &k);
	if (size < 512) {
		char a[256], b[256], id[300];
		int l, d;

		memcpy(a, data, size / 2 < 255 ? size / 2 : 255);
		a[size / 2 < 255 ? size / 2 : 255] = '\0';
		memcpy(b, data + size / 2, size - size / 2 < 255 ? size - size / 2 : 255);
		b[size - size / 2 < 255 ? size - size / 2 : 255] = '\0';
		uki_verscmp(a, b);
		uki_tries(a, id, sizeof(id), &l, &d);
	}
	return 0;
}
