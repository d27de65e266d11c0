/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The backend registry and the mount loop.  A volume belongs to the first
 * backend whose magic matches; "not mine" moves on, any other answer is
 * final (style.md: magic decides, never "try every plugin until one
 * mounts").  Backends start their messages with their name ("ext4: ..."),
 * so the caller only adds which volume it was.
 */
#include "fs/fs.h"
#include "common/err.h"

#include <string.h>

extern const struct fs_ops ext_fs_ops;
extern const struct fs_ops xfs_fs_ops;
extern const struct fs_ops btrfs_fs_ops;
extern const struct fs_ops iso9660_fs_ops;
extern const struct fs_ops fat_fs_ops;

/* Probe order; one line per backend. */
const struct fs_ops *const fs_backends[] = {
	&ext_fs_ops,
	&xfs_fs_ops,
	&btrfs_fs_ops,
	&iso9660_fs_ops, /* before FAT: a hybrid ISO may hold a boot sector */
	&fat_fs_ops,
	NULL
};

/* Make sure a failing backend leaves a message naming it. */
static int name_failure(const struct fs_ops *ops, int r)
{
	const char *msg = pv_errmsg();
	size_t n = strlen(ops->name);

	if (!msg[0])
		return pv_err(r, "%s: %s", ops->name, pv_strerror(r));
	if (strncmp(msg, ops->name, n) != 0 || msg[n] != ':')
		pv_err_ctx("%s", ops->name);
	return r;
}

int fs_mount_any(struct volume *v, struct fs **out)
{
	int i, r;

	*out = NULL;
	for (i = 0; fs_backends[i]; i++) {
		const struct fs_ops *ops = fs_backends[i];
		struct fs *fs = NULL;

		pv_err_clear();
		r = ops->probe(v);
		if (r == PV_ENOTMINE)
			continue;
		if (r == 0)
			r = ops->mount(v, &fs);
		if (r == PV_ENOTMINE)
			continue;
		if (r < 0)
			return name_failure(ops, r);
		fs->ops = ops;
		fs->vol = v;
		*out = fs;
		return 0;
	}
	return pv_err(PV_ENOTMINE, "no known filesystem");
}

void fs_unmount(struct fs *fs)
{
	if (fs && fs->ops && fs->ops->unmount)
		fs->ops->unmount(fs);
}

const char *fs_type_name(struct fs *fs)
{
	const char *v = NULL;

	if (!fs || !fs->ops)
		return "?";
	if (fs->ops->variant)
		v = fs->ops->variant(fs);
	return v ? v : fs->ops->name;
}
