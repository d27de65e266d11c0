/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An xl domain config, read through libxlutil (xlu_cfg_readfile,
 * xlu_cfg_get_*, xlu_disk_parse): the same parser xl uses, so a config
 * means here what it means to xl.  What is taken from it follows
 * xl_parse.c and libxl_bootloader.c (Xen 4.17):
 *   - the disk: libxl hands the bootloader the domain's first disk;
 *   - kernel=, ramdisk=: passed as --kernel=, --ramdisk=;
 *   - cmdline=, else "root=ROOT EXTRA" built from root= and extra=;
 *     passed as --args= when not empty;
 *   - bootloader_args: a list, or (deprecated in xl) a string split on
 *     spaces, tabs and newlines; passed in order before the disk;
 *   - bootloader_restrict/bootloader_user: --runas=USER --quiet.
 */
#include "bootloader/privileged/domcfg.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdio.h>
#include <libxlutil.h>
#include "bootloader/privileged/xen_dl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int domcfg_find(const char *name, char *buf, size_t bufsz)
{
	static const char *const pat[] = { "%s/%s", "%s/%s.cfg", "%s/auto/%s" };
	const char *dir = getenv("PVBOOT_XEN_CONFIG_DIR");
	struct stat st;
	size_t i;

	if (!dir || !*dir)
		dir = DOMCFG_DEFAULT_DIR;
	if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return pv_err(PV_EINVAL, "--domain=%s: not a domain name", name);
	for (i = 0; i < sizeof(pat) / sizeof(pat[0]); i++) {
		int n = snprintf(buf, bufsz, pat[i], dir, name);

		if (n < 0 || (size_t)n >= bufsz)
			return pv_err(PV_EINVAL, "--domain=%s: name too long", name);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	}
	return pv_err(PV_ENOENT,
		      "no config for domain %s: none of %s/%s, %s/%s.cfg, %s/auto/%s exists",
		      name, dir, name, dir, name, dir, name);
}

/* libxlutil prints its diagnostics to a FILE: collect them and keep the
 * first line (it names the file and the line: "F:3: config parsing
 * error near `x': syntax error"). */
static const char *first_line(char *text)
{
	char *nl;

	if (!text || !*text)
		return NULL;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	return text;
}

static int get_str(XLU_Config *cfg, const char *key, char **out)
{
	const char *v = NULL;

	*out = NULL;
	if (xlu_cfg_get_string(cfg, key, &v, 1) == 0 && v) {
		*out = strdup(v);
		if (!*out)
			return pv_err(PV_ENOMEM, "out of memory");
	}
	return 0;
}

static int add_arg(struct domcfg *dc, const char *a)
{
	char **n;

	if (dc->n_bl_args >= PV_MAX_DOMCFG_ARGS)
		return pv_err(PV_ELIMIT, "bootloader_args has more than %d items",
			      PV_MAX_DOMCFG_ARGS);
	n = realloc(dc->bl_args, sizeof(*n) * (size_t)(dc->n_bl_args + 1));
	if (!n)
		return pv_err(PV_ENOMEM, "out of memory");
	dc->bl_args = n;
	n[dc->n_bl_args] = strdup(a);
	if (!n[dc->n_bl_args])
		return pv_err(PV_ENOMEM, "out of memory");
	dc->n_bl_args++;
	return 0;
}

/* bootloader_args = [ "a", "b" ], or the deprecated string form that xl
 * splits on " \t\n". */
static int get_bl_args(XLU_Config *cfg, struct domcfg *dc)
{
	XLU_ConfigList *list;
	const char *s = NULL, *item;
	int n = 0, i, r;

	r = xlu_cfg_get_list(cfg, "bootloader_args", &list, &n, 1);
	if (r == 0) {
		for (i = 0; i < n; i++) {
			item = xlu_cfg_get_listitem(list, i);
			if (!item)
				return pv_err(PV_EINVAL,
					      "bootloader_args item %d is not a string", i + 1);
			if (add_arg(dc, item) < 0)
				return PV_ENOMEM;
		}
		return 0;
	}
	if (xlu_cfg_get_string(cfg, "bootloader_args", &s, 1) != 0 || !s)
		return 0;
	while (*s) {
		size_t len = strcspn(s, " \t\n");

		if (len) {
			char tok[PV_MAX_DOMCFG_ARG_BYTES];

			if (len >= sizeof(tok))
				return pv_err(PV_ELIMIT, "a bootloader_args item is over %zu bytes",
					      sizeof(tok) - 1);
			memcpy(tok, s, len);
			tok[len] = '\0';
			if (add_arg(dc, tok) < 0)
				return PV_ENOMEM;
		}
		s += len;
		s += strspn(s, " \t\n");
	}
	return 0;
}

/* cmdline=, or root=/extra= exactly as xl_parse.c builds it. */
static int get_cmdline(XLU_Config *cfg, struct domcfg *dc)
{
	const char *cmd = NULL, *root = NULL, *extra = NULL;
	int n;

	xlu_cfg_get_string(cfg, "cmdline", &cmd, 1);
	xlu_cfg_get_string(cfg, "root", &root, 1);
	xlu_cfg_get_string(cfg, "extra", &extra, 1);
	if (cmd)
		n = asprintf(&dc->cmdline, "%s", cmd);
	else if (root && extra)
		n = asprintf(&dc->cmdline, "root=%s %s", root, extra);
	else if (root)
		n = asprintf(&dc->cmdline, "root=%s", root);
	else if (extra)
		n = asprintf(&dc->cmdline, "%s", extra);
	else
		return 0;
	if (n < 0) {
		dc->cmdline = NULL;
		return pv_err(PV_ENOMEM, "out of memory");
	}
	return 0;
}

/* Is the configured bootloader this program?  By name (pvboot, or pygrub
 * diverted to it) or by the file it resolves to. */
static int names_us(const char *bl)
{
	char a[PATH_MAX], b[PATH_MAX];
	const char *base = strrchr(bl, '/') ? strrchr(bl, '/') + 1 : bl;

	if (strcmp(base, "pvboot") == 0)
		return 1;
	return realpath(bl, a) && realpath("/proc/self/exe", b) &&
	       strcmp(a, b) == 0;
}

static int check_target(const libxl_device_disk *d, const char *vdev)
{
	const char *t = d->pdev_path;
	struct stat st;
	int fd;

	switch (d->format) {
	case LIBXL_DISK_FORMAT_UNKNOWN:
	case LIBXL_DISK_FORMAT_RAW:
	/* read as the virtual disk they hold, by content, in the worker
	 * (partition/vdisk.h): the supervisor parses neither */
	case LIBXL_DISK_FORMAT_QCOW2:
	case LIBXL_DISK_FORMAT_VHD:
		break;
	case LIBXL_DISK_FORMAT_EMPTY:
		return pv_err(PV_EINVAL, "disk %s has no target (an empty drive)", vdev);
	default:
		return pv_err(PV_ENOTSUP,
			      "disk %s (%s) is in %s format: pvboot reads raw disks only",
			      vdev, t ? t : "?", libxl_disk_format_to_string(d->format));
	}
	if (d->script)
		return pv_err(PV_ENOTSUP,
			      "disk %s uses script=%s: its target is what the script makes of %s, which pvboot cannot resolve",
			      vdev, d->script, t ? t : "?");
	if (!t || !*t)
		return pv_err(PV_EINVAL, "disk %s has no target", vdev);
	if (stat(t, &st) < 0)
		return pv_err(PV_ENOENT, "disk %s target %s: %s", vdev, t,
			      strerror(errno));
	if (S_ISDIR(st.st_mode))
		return pv_err(PV_EINVAL, "disk %s target %s is a directory", vdev, t);
	fd = open(t, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return pv_err(PV_EIO, "disk %s target %s cannot be read: %s", vdev,
			      t, strerror(errno));
	close(fd);
	return 0;
}

/* Parse every disk entry (so a bad one is reported as xl would) and keep
 * the first, or the one named want_vdev. */
static int pick_disk(XLU_Config *cfg, const char *want_vdev, struct domcfg *dc)
{
	XLU_ConfigList *list;
	int n = 0, i, r = 0;

	if (xlu_cfg_get_list(cfg, "disk", &list, &n, 1) != 0 || n == 0)
		return pv_err(PV_EINVAL, "the config has no disk");
	for (i = 0; i < n && !dc->disk; i++) {
		const char *spec = xlu_cfg_get_listitem(list, i);
		libxl_device_disk d;

		if (!spec)
			return pv_err(PV_EINVAL, "disk item %d is not a string", i + 1);
		libxl_device_disk_init(&d);
		if (xlu_disk_parse(cfg, 1, &spec, &d) != 0) {
			libxl_device_disk_dispose(&d);
			return pv_err(PV_EINVAL, "disk item %d does not parse: %s",
				      i + 1, spec);
		}
		if (!want_vdev || (d.vdev && strcmp(d.vdev, want_vdev) == 0)) {
			const char *vdev = d.vdev ? d.vdev : "?";

			r = check_target(&d, vdev);
			if (r == 0) {
				dc->disk = strdup(d.pdev_path);
				dc->vdev = strdup(vdev);
				if (!dc->disk || !dc->vdev)
					r = pv_err(PV_ENOMEM, "out of memory");
			}
		}
		libxl_device_disk_dispose(&d);
		if (r < 0)
			return r;
	}
	if (!dc->disk)
		return pv_err(PV_ENOENT, "the config has no disk with vdev %s",
			      want_vdev);
	return 0;
}

static int restricted(XLU_Config *cfg, struct domcfg *dc)
{
	libxl_defbool restrict_bl;
	const char *user = NULL;
	char arg[300];

	memset(&restrict_bl, 0, sizeof(restrict_bl)); /* "default" */
	xlu_cfg_get_defbool(cfg, "bootloader_restrict", &restrict_bl, 1);
	libxl_defbool_setdefault(&restrict_bl, false);
	if (!libxl_defbool_val(restrict_bl))
		return 0;
	/* libxl: bootloader_user, else xen-qemuuser-range-base + domid (no
	 * domid here), else xen-qemuuser-shared. */
	xlu_cfg_get_string(cfg, "bootloader_user", &user, 1);
	if (!user && getpwnam("xen-qemuuser-shared"))
		user = "xen-qemuuser-shared";
	if (!user)
		return pv_err(PV_EINVAL,
			      "bootloader_restrict=1 without bootloader_user, and no xen-qemuuser-shared user (libxl would use xen-qemuuser-range-base + the domid, which only exists at domain creation)");
	snprintf(arg, sizeof(arg), "--runas=%s", user);
	if (add_arg(dc, arg) < 0 || add_arg(dc, "--quiet") < 0)
		return PV_ENOMEM;
	return 0;
}

static int load(XLU_Config *cfg, const char *want_vdev, struct domcfg *dc)
{
	const char *type = NULL, *builder = NULL;
	int r;

	xlu_cfg_get_string(cfg, "type", &type, 1);
	xlu_cfg_get_string(cfg, "builder", &builder, 1);
	if ((type && strcmp(type, "hvm") == 0) ||
	    (!type && builder && strcmp(builder, "hvm") == 0))
		return pv_err(PV_EINVAL,
			      "type=\"hvm\": an HVM guest boots with its own firmware, there is nothing for a PV bootloader to do");
	if ((r = get_str(cfg, "kernel", &dc->kernel)) < 0 ||
	    (r = get_str(cfg, "ramdisk", &dc->ramdisk)) < 0 ||
	    (r = get_str(cfg, "bootloader", &dc->bootloader)) < 0 ||
	    (r = get_cmdline(cfg, dc)) < 0)
		return r;
	/* libxl's order: restricted-mode options come before bootloader_args */
	if ((r = restricted(cfg, dc)) < 0 || (r = get_bl_args(cfg, dc)) < 0)
		return r;
	if ((r = pick_disk(cfg, want_vdev, dc)) < 0)
		return r;
	if (!dc->bootloader) {
		if (asprintf(&dc->warning,
			     "the config sets no bootloader: xl would not run one%s",
			     dc->kernel ? " (it would load kernel= from dom0)" : "") < 0)
			dc->warning = NULL;
	} else if (!names_us(dc->bootloader)) {
		if (asprintf(&dc->warning,
			     "the config's bootloader is %s, not pvboot: running pvboot anyway",
			     dc->bootloader) < 0)
			dc->warning = NULL;
	}
	return 0;
}

int domcfg_load(const char *path, const char *want_vdev, struct domcfg *dc)
{
	XLU_Config *cfg;
	FILE *report;
	char *text = NULL;
	size_t textlen = 0;
	int r, e;

	memset(dc, 0, sizeof(*dc));
	r = xen_dl_load();
	if (r < 0)
		return r;
	dc->path = strdup(path);
	report = open_memstream(&text, &textlen);
	if (!dc->path || !report) {
		if (report)
			fclose(report);
		return pv_err(PV_ENOMEM, "out of memory");
	}
	cfg = xlu_cfg_init(report, path);
	if (!cfg) {
		fclose(report);
		free(text);
		return pv_err(PV_ENOMEM, "out of memory");
	}
	e = xlu_cfg_readfile(cfg, path);
	if (e) {
		fflush(report);
		r = first_line(text)
			? pv_err(PV_EINVAL, "%s", first_line(text))
			: pv_err(PV_EINVAL, "%s: %s", path, strerror(e));
	} else {
		r = load(cfg, want_vdev, dc);
		fflush(report);
		/* a disk spec that does not parse: libxlutil's words, which
		 * name the file */
		if (r < 0 && first_line(text))
			pv_err(r, "%s", first_line(text));
		else if (r < 0)
			pv_err_ctx("%s", path);
	}
	xlu_cfg_destroy(cfg);
	fclose(report);
	free(text);
	return r;
}

void domcfg_free(struct domcfg *dc)
{
	int i;

	free(dc->path);
	free(dc->disk);
	free(dc->vdev);
	free(dc->kernel);
	free(dc->ramdisk);
	free(dc->cmdline);
	free(dc->bootloader);
	free(dc->warning);
	for (i = 0; i < dc->n_bl_args; i++)
		free(dc->bl_args[i]);
	free(dc->bl_args);
	memset(dc, 0, sizeof(*dc));
}
