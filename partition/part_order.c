/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which partition to look at first.  The order follows what firmware and
 * the Boot Loader Specification point at: an XBOOTLDR partition is /boot by
 * definition, an active/bootable one is what a BIOS would boot, an ESP may
 * hold /boot (systemd-boot, some grub setups), then Linux data partitions
 * (a root fs with /boot inside), then anything else.  BIOS boot partitions
 * (raw GRUB core.img) and swap never hold a filesystem with /boot: last.
 */
#include "partition/part_priv.h"

#include <string.h>

/* MBR type bytes. */
#define MBR_LINUX 0x83
#define MBR_SWAP 0x82     /* also Solaris x86: no /boot either way */
#define MBR_ESP 0xef
#define MBR_XBOOTLDR 0xea /* Discoverable Partitions Spec */

#define GUID_XBOOTLDR "bc13c2ff-59e6-4262-a352-b275fd6f7172"
#define GUID_ESP "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
#define GUID_BIOS_BOOT "21686148-6449-6e6f-744e-656564454649"
#define GUID_SWAP "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f"

#define GUID_LINUX_DATA "0fc63daf-8483-4772-8e79-3d69d8477de4"

/*
 * Linux filesystem data, or a root partition of the Discoverable Partitions
 * Specification (a root fs holds /boot when there is no separate one).
 * There is one root GUID per architecture; libfdisk's type table knows
 * them all and names them "Linux root (ARCH)" ("Linux root verity" is a
 * hash tree, not a filesystem).
 */
static int is_linux_gpt(const struct volume *v)
{
	static const char root[] = "Linux root (";

	return strcmp(v->type_guid, GUID_LINUX_DATA) == 0 ||
	       strncmp(v->type_name, root, sizeof(root) - 1) == 0;
}

enum part_class part_classify(const struct volume *v)
{
	const char *g = v->type_guid;

	if (v->kind == VOL_GPT) {
		if (strcmp(g, GUID_XBOOTLDR) == 0)
			return PC_XBOOTLDR;
		if (strcmp(g, GUID_BIOS_BOOT) == 0 || strcmp(g, GUID_SWAP) == 0)
			return PC_LAST;
		if (v->bootable)
			return PC_BOOTABLE;
		if (strcmp(g, GUID_ESP) == 0)
			return PC_ESP;
		if (is_linux_gpt(v))
			return PC_LINUX;
		return PC_OTHER;
	}
	if (v->kind == VOL_MBR) {
		if (v->mbr_type == MBR_XBOOTLDR)
			return PC_XBOOTLDR;
		if (v->mbr_type == MBR_SWAP)
			return PC_LAST;
		if (v->bootable)
			return PC_BOOTABLE;
		if (v->mbr_type == MBR_ESP)
			return PC_ESP;
		if (v->mbr_type == MBR_LINUX)
			return PC_LINUX;
		return PC_OTHER;
	}
	return PC_OTHER;
}

/* Insertion sort: n <= PV_MAX_PROBED_VOLUMES, and it is stable. */
void part_sort(struct volume *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct volume tmp = v[i];
		enum part_class c = part_classify(&tmp);

		for (j = i; j > 0 && part_classify(&v[j - 1]) > c; j--)
			v[j] = v[j - 1];
		v[j] = tmp;
	}
}
