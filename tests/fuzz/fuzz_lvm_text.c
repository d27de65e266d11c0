/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The LVM2 metadata text parser on any bytes, then the look-ups the VG
 * mapper makes on what it returns. */
#include "tests/fuzz/fuzz.h"
#include "partition/lvm_text.h"

static void walk(const struct lvm_node *n, unsigned depth)
{
	int64_t v;

	for (; n; n = n->next) {
		if (n->type == LVM_SECTION) {
			lvm_get_int(n, "extent_size", &v);
			lvm_get_str(n, "type");
			lvm_has_flag(n, "status", "VISIBLE");
			walk(n->child, depth + 1);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lvm_tree t;

	if (lvm_text_parse((const char *)data, size, &t) == 0) {
		walk(t.root, 0);
		lvm_text_free(&t);
	}
	return 0;
}
