/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/cmdline.h"
#include "bootloader/privileged/output.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_OUTPUT = 256, OPT_FORMAT, OPT_DIR, OPT_OFFSET, OPT_RUNAS,
	OPT_ENTRY, OPT_KERNEL, OPT_RAMDISK, OPT_ARGS, OPT_ISCONFIG, OPT_DEBUG,
	OPT_NOSANDBOX, OPT_LOCATION, OPT_INSECURE, OPT_CACERT, OPT_NOENVWRITE,
	OPT_PREFER_PVGRUB, OPT_WAITCAP, OPT_ALLOW_BACKING
};

static const struct option longopts[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "interactive", no_argument, NULL, 'i' },
	{ "list-entries", no_argument, NULL, 'l' },
	{ "not-really", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "output-format", required_argument, NULL, OPT_FORMAT },
	{ "output-directory", required_argument, NULL, OPT_DIR },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "runas", required_argument, NULL, OPT_RUNAS },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "ramdisk", required_argument, NULL, OPT_RAMDISK },
	{ "args", required_argument, NULL, OPT_ARGS },
	{ "isconfig", no_argument, NULL, OPT_ISCONFIG },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "no-sandbox", no_argument, NULL, OPT_NOSANDBOX },
	{ "location", required_argument, NULL, OPT_LOCATION },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "no-env-write", no_argument, NULL, OPT_NOENVWRITE },
	{ "prefer-pvgrub", no_argument, NULL, OPT_PREFER_PVGRUB },
	{ "menu-wait-cap", required_argument, NULL, OPT_WAITCAP },
	{ "allow-backing", no_argument, NULL, OPT_ALLOW_BACKING },
	{ NULL, 0, NULL, 0 }
};

void cmdline_usage(const char *argv0)
{
	fprintf(stderr,
		"Usage: %s [-q|--quiet] [-i|--interactive] [-l|--list-entries] [-n|--not-really] "
		"[--output=] [--kernel=] [--ramdisk=] [--args=] [--entry=] [--output-directory=] "
		"[--output-format=sxp|simple|simple0] [--runas=] [--offset=] [--isconfig] "
		"[--debug] [--no-sandbox] [--no-env-write] [--prefer-pvgrub]\n"
		"       [--menu-wait-cap=SECONDS] [--allow-backing] <image>\n"
		"       %s --location=URL|DIR|ISO [--kernel=] [--ramdisk=] [--args=] "
		"[--insecure] [--cacert=FILE] [output options] [<ignored disk>]\n",
		argv0, argv0);
	fprintf(stderr,
		"\nThe worker that reads the disk is confined.  As root it must get a new\n"
		"mount namespace with an empty read-only root, the uid of nobody (or\n"
		"--runas) and a seccomp filter, or the run stops with exit 5; a new pid,\n"
		"net, ipc and uts namespace and Landlock are added where the kernel has\n"
		"them (--debug names any that are missing).  Not root: rlimits,\n"
		"no_new_privs, Landlock where available and the seccomp filter.\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

/* An environment override in MiB, bounded to something sane. */
static uint64_t env_mib(const char *name, uint64_t def_mib)
{
	const char *s = getenv(name);
	uint64_t v;

	if (!s || parse_u64(s, &v) < 0 || v == 0 || v > (1u << 20))
		return def_mib << 20;
	return v << 20;
}

static int parse_runas(const char *s, struct options *o)
{
	uint64_t v;
	struct passwd *pw;

	if (parse_u64(s, &v) == 0) {
		if (v == 0 || v >= (uint64_t)(uid_t)-1)
			return pv_err(PV_EINVAL,
				      "runas value must be a non-root user id");
		o->runas_uid = (uid_t)v;
		pw = getpwuid(o->runas_uid);
		o->runas_gid = pw ? pw->pw_gid : (gid_t)v;
	} else {
		pw = getpwnam(s);
		if (!pw)
			return pv_err(PV_EINVAL,
				      "runas value must be a user id or an existing user name");
		if (pw->pw_uid == 0)
			return pv_err(PV_EINVAL, "runas user must not be root");
		o->runas_uid = pw->pw_uid;
		o->runas_gid = pw->pw_gid;
	}
	o->have_runas = 1;
	return 0;
}

int cmdline_parse(int argc, char **argv, struct options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->interactive = 1;
	o->menu_wait_cap = -1;
	o->format = OUT_SXP;
	o->output_dir = "/var/run/xen/pygrub";
	o->max_file = env_mib("PYGRUB_MAX_FILE_SIZE_MB", PV_DEFAULT_MAX_FILE_MB);
	o->max_ram = env_mib("PYGRUB_MAX_RAM_USAGE_MB", PV_DEFAULT_MAX_RAM_MB);
	/* issue 15: a host that never lets dom0 write its guests' disks */
	{
		const char *nw = getenv("PVBOOT_NO_ENV_WRITE");

		o->no_env_write = nw && *nw && strcmp(nw, "0") != 0;
	}

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qilnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': o->interactive = 0; break;
		case 'i': o->interactive = 1; break;
		case 'l': o->list_entries = 1; break;
		case 'n': o->not_really = 1; break;
		case 'h': return 1;
		case OPT_OUTPUT:
			o->output = strcmp(optarg, "-") ? optarg : NULL;
			break;
		case OPT_FORMAT:
			if (output_format_parse(optarg, &o->format) < 0)
				return PV_EINVAL;
			break;
		case OPT_DIR: o->output_dir = optarg; break;
		case OPT_OFFSET:
			if (parse_u64(optarg, &o->offset) < 0)
				return pv_err(PV_EINVAL,
					      "offset value must be an integer");
			o->have_offset = 1;
			break;
		case OPT_RUNAS:
			if (parse_runas(optarg, o) < 0)
				return PV_EINVAL;
			break;
		case OPT_ENTRY:
			o->entry = optarg;
			o->interactive = 0; /* as pygrub: --entry implies -q */
			break;
		case OPT_KERNEL: o->kernel = optarg; break;
		case OPT_RAMDISK: o->ramdisk = optarg; break;
		case OPT_ARGS:
			o->args = optarg;
			for (const char *c = optarg; *c; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					return pv_err(PV_EINVAL,
						      "--args contains control character 0x%02x",
						      (unsigned char)*c);
			break;
		case OPT_ISCONFIG: o->isconfig = 1; break;
		case OPT_DEBUG: o->debug = 1; break;
		case OPT_NOSANDBOX: o->no_sandbox = 1; break;
		case OPT_LOCATION: o->location = optarg; break;
		case OPT_INSECURE: o->insecure = 1; break;
		case OPT_CACERT: o->cacert = optarg; break;
		case OPT_NOENVWRITE: o->no_env_write = 1; break;
		case OPT_PREFER_PVGRUB: o->prefer_pvgrub = 1; break;
		case OPT_ALLOW_BACKING: o->allow_backing = 1; break;
		case OPT_WAITCAP: {
			uint64_t v;

			if (parse_u64(optarg, &v) < 0 || v < 1 ||
			    v > PV_MAX_MENU_TIMEOUT)
				return pv_err(PV_EINVAL,
					      "--menu-wait-cap takes 1 to %d seconds",
					      PV_MAX_MENU_TIMEOUT);
			o->menu_wait_cap = (long)v;
			break;
		}
		default:
			return pv_err(PV_EINVAL, "unknown or incomplete option %s",
				      argv[optind - 1]);
		}
	}
	if (o->location) {
		/* libxl appends the guest's disk even for a network boot (as
		 * it does for xenpvnetboot): accepted and ignored */
		if (argc - optind > 1)
			return pv_err(PV_EINVAL, "more than one disk image given");
		if (o->list_entries || o->isconfig || o->have_offset || o->entry)
			return pv_err(PV_EINVAL,
				      "--location does not go with -l, --isconfig, --offset or --entry");
		o->image = o->location;
		return 0;
	}
	if (o->insecure || o->cacert)
		return pv_err(PV_EINVAL, "--insecure and --cacert go with --location");
	if (optind >= argc)
		return pv_err(PV_EINVAL, "no disk image given");
	if (argc - optind > 1)
		return pv_err(PV_EINVAL, "more than one disk image given");
	o->image = argv[optind];
	return 0;
}
