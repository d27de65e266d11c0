/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pvboot's own output directory (outdir.h): made 0700 whatever the umask,
 * parents 0755; an existing one must be ours with mode 0700; a symlink at
 * the end, or one on the way that root does not own, is refused.
 */
#include "bootloader/privileged/outdir.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];

/* base/rel, in one of four buffers (several in one call) */
static const char *at(const char *rel)
{
	static char p[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", base, rel);
	return p[k];
}

static mode_t mode_of(const char *rel)
{
	struct stat st;

	return lstat(at(rel), &st) == 0 ? st.st_mode & 07777 : 0;
}

int main(void)
{
	int fd, root = geteuid() == 0;

	snprintf(base, sizeof(base), "/tmp/pvboot-outdir-XXXXXX");
	CHECK(mkdtemp(base) != NULL);
	chmod(base, 0755);

	/* made from nothing, whatever the umask */
	umask(0277);
	fd = outdir_open_private(at("run/xen/pygrub"));
	umask(022);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK(mode_of("run/xen/pygrub") == 0700);
	/* existing and right: opened again */
	fd = outdir_open_private(at("run/xen/pygrub"));
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);

	/* an existing one with another mode is refused, not repaired */
	chmod(at("run/xen/pygrub"), 0755);
	CHECK(outdir_open_private(at("run/xen/pygrub")) == PV_EIO);
	CHECK(strstr(pv_errmsg(), "mode 0700") != NULL);
	CHECK(mode_of("run/xen/pygrub") == 0755);
	chmod(at("run/xen/pygrub"), 0700);

	/* a symlink planted at the end: refused, its target untouched */
	mkdir(at("decoy"), 0755);
	CHECK(symlink(at("decoy"), at("run/xen/link")) == 0);
	CHECK(outdir_open_private(at("run/xen/link")) == PV_EIO);
	CHECK(strstr(pv_errmsg(), "symlink") != NULL);
	CHECK(mode_of("decoy") == 0755);

	/* a parent writable by others (not sticky) is not trusted */
	chmod(at("run/xen"), 0777);
	CHECK(outdir_open_private(at("run/xen/pygrub")) == PV_EIO);
	CHECK(strstr(pv_errmsg(), "writable by others") != NULL);
	chmod(at("run/xen"), 0755);

	/* a file in the way */
	CHECK(close(open(at("run/xen/file"), O_CREAT | O_WRONLY, 0600)) == 0);
	CHECK(outdir_open_private(at("run/xen/file")) == PV_EIO);

	if (root) {
		/* a symlink on the way that root does not own: refused;
		 * one root owns (like /var/run -> /run) is followed */
		CHECK(symlink(at("run"), at("varrun")) == 0);
		fd = outdir_open_private(at("varrun/xen/pygrub"));
		CHECK(fd >= 0);
		if (fd >= 0)
			close(fd);
		CHECK(lchown(at("varrun"), 1000, 1000) == 0);
		CHECK(outdir_open_private(at("varrun/xen/pygrub")) == PV_EIO);
		CHECK(strstr(pv_errmsg(), "symlink") != NULL);
		/* a directory owned by someone else */
		CHECK(chown(at("run/xen/pygrub"), 1000, 1000) == 0);
		CHECK(outdir_open_private(at("run/xen/pygrub")) == PV_EIO);
		CHECK(strstr(pv_errmsg(), "owned by uid 0") != NULL);
	} else {
		printf("test_outdir: not root: skipping the ownership checks\n");
	}
	CHECK(outdir_open_private("relative/dir") == PV_EINVAL);

	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		CHECK(system(cmd) == 0);
	}
	return unit_report("test_outdir");
}
