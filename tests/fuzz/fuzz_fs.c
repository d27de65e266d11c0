/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One filesystem backend (FUZZ_FS_OPS) on a whole-disk volume: mount,
 * walk the paths a run walks, list directories, read and map files. */
#include "tests/fuzz/fuzz.h"
#include "fs/path.h"

#include <stdlib.h>
#include <string.h>

extern const struct fs_ops FUZZ_FS_OPS;

static int count(void *ctx, const char *name, size_t len)
{
	(void)name;
	(void)len;
	return ++*(int *)ctx > 10000;
}

static int ext_cb(void *ctx, const struct fs_extent *e)
{
	*(uint64_t *)ctx += e->len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/boot/grub/grub.cfg", "/grub/grub.cfg", "/boot/grub/menu.lst",
		"/boot/vmlinuz", "/vmlinuz", "/boot/initrd.img",
		"/boot/extlinux/extlinux.conf", "/loader/entries", "/a/../b/./c",
	};
	struct disk d;
	struct volume v;
	struct fs *fs = NULL;
	struct fs_node n;
	size_t i;

	disk_open_mem(&d, data, size, "fuzz");
	memset(&v, 0, sizeof(v));
	v.disk = &d;
	v.length = size;
	if (FUZZ_FS_OPS.probe(&v) != 0 || FUZZ_FS_OPS.mount(&v, &fs) != 0)
		return 0;
	/* what fs_mount_any does after a backend mounts */
	fs->ops = &FUZZ_FS_OPS;
	fs->vol = &v;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *buf;
		size_t len;
		uint64_t total = 0;
		int entries = 0;

		if (fs_resolve(fs, paths[i], &n) != 0)
			continue;
		if (S_ISDIR(n.mode) && fs->ops->readdir)
			fs->ops->readdir(fs, &n, count, &entries);
		if (S_ISREG(n.mode)) {
			if (fs_read_file(fs, paths[i], 1u << 20, &buf, &len) == 0)
				free(buf);
			if (fs->ops->extents)
				fs->ops->extents(fs, &n, ext_cb, &total);
		}
	}
	if (fs->ops->root(fs, &n) == 0 && fs->ops->readdir) {
		int entries = 0;

		fs->ops->readdir(fs, &n, count, &entries);
	}
	fs->ops->unmount(fs);
	return 0;
}
