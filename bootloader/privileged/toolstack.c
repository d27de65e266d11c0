/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/toolstack.h"
#include "bootloader/privileged/domcfg.h"
#include "bootloader/confined/diagnose.h" /* the verdict lines */
#include "common/err.h"
#include "common/pvlimits.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct toolstack toolstack;

static struct domcfg dc;     /* lives as long as the rewritten argv */
static char **built;         /* the rewritten argv (kept for the run) */
static int nbuilt_own;       /* built[1..nbuilt_own] are ours to free */

static void free_built(void)
{
	int i;

	if (built)
		for (i = 1; i <= nbuilt_own; i++)
			free(built[i]);
	free(built);
	built = NULL;
	domcfg_free(&dc);
}
static char cfgpath[PATH_MAX];

/* Options taking a value, as "--name=V" or "--name V". */
static const char *const valued[] = {
	"--domain-config", "--domain", "--disk", "--error-format",
	"--default_args", "--extra_args", "--vm",
};

/* If arg is one of ours, return its name's index and the value. */
static int match(char **argv, int argc, int *i, const char **val)
{
	const char *a = argv[*i];
	size_t k;

	for (k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
		size_t n = strlen(valued[k]);

		if (strncmp(a, valued[k], n) != 0)
			continue;
		if (a[n] == '=') {
			*val = a + n + 1;
			return (int)k;
		}
		if (a[n] == '\0') {
			if (*i + 1 >= argc)
				return pv_err(PV_EINVAL, "option %s needs a value", a);
			*val = argv[++*i];
			return (int)k;
		}
	}
	return -100; /* not ours */
}

static int no_control(const char *what, const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return pv_err(PV_EINVAL, "%s contains control character 0x%02x",
				      what, (unsigned char)*s);
	return 0;
}

static int set(int k, const char *v, const char **domain, const char **disk)
{
	switch (k) {
	case 0: toolstack.domain_config = v; break;
	case 1: *domain = v; break;
	case 2: *disk = v; break;
	case 3:
		if (strcmp(v, "pygrub") == 0)
			toolstack.pygrub_errors = 1;
		else if (strcmp(v, "pvboot") == 0)
			toolstack.pygrub_errors = 0;
		else
			return pv_err(PV_EINVAL, "unknown error format %s (pvboot or pygrub)", v);
		break;
	case 4: toolstack.default_args = v; return no_control("--default_args", v);
	case 5: toolstack.extra_args = v; return no_control("--extra_args", v);
	case 6: toolstack.vm = v; break;
	}
	return 0;
}

static char *fmt_arg(const char *name, const char *v)
{
	char *s;

	if (asprintf(&s, "%s=%s", name, v) < 0)
		return NULL;
	return s;
}

/* argv as libxl builds it (libxl_bootloader.c): --kernel, --ramdisk,
 * --args (when not empty), [--runas --quiet], ..., bootloader_args, disk;
 * the user's own options go after the config's so that they win. */
static int build(char *argv0, char **rest, int nrest, int *argc, char ***argv)
{
	/* argv0, --kernel, --ramdisk, --args, bootloader_args, rest, disk, NULL */
	int cap = 4 + dc.n_bl_args + nrest + 2, n = 0, i;
	char **v = calloc((size_t)cap, sizeof(*v));

	if (!v)
		return pv_err(PV_ENOMEM, "out of memory");
	built = v;
	atexit(free_built);
	v[n++] = argv0;
	if (dc.kernel && !(v[n++] = fmt_arg("--kernel", dc.kernel)))
		return pv_err(PV_ENOMEM, "out of memory");
	if (dc.ramdisk && !(v[n++] = fmt_arg("--ramdisk", dc.ramdisk)))
		return pv_err(PV_ENOMEM, "out of memory");
	if (dc.cmdline && *dc.cmdline) {
		if (no_control("the config's cmdline", dc.cmdline) < 0)
			return PV_EINVAL;
		if (!(v[n++] = fmt_arg("--args", dc.cmdline)))
			return pv_err(PV_ENOMEM, "out of memory");
	}
	nbuilt_own = n - 1;
	for (i = 0; i < dc.n_bl_args; i++)
		v[n++] = dc.bl_args[i];
	for (i = 0; i < nrest; i++)
		v[n++] = rest[i];
	v[n++] = dc.disk;
	v[n] = NULL;
	*argc = n;
	*argv = v;
	return 0;
}

int toolstack_argv(int *argc, char ***argv)
{
	char **in = *argv, **rest;
	const char *base, *domain = NULL, *disk = NULL, *val = NULL;
	int i, k, nrest = 0, r, dashdash = 0;

	base = strrchr(in[0], '/') ? strrchr(in[0], '/') + 1 : in[0];
	toolstack.pygrub_errors = strcmp(base, "pygrub") == 0;
	rest = calloc((size_t)*argc + 1, sizeof(*rest));
	if (!rest)
		return pv_err(PV_ENOMEM, "out of memory");
	for (i = 1; i < *argc; i++) {
		if (dashdash) {
			rest[nrest++] = in[i];
			continue;
		}
		if (strcmp(in[i], "--") == 0)
			dashdash = 1;
		if (strcmp(in[i], "--print-config") == 0) {
			toolstack.print_config = 1;
			continue;
		}
		if (strcmp(in[i], "--json") == 0) {
			toolstack.json = 1;
			continue;
		}
		if (strcmp(in[i], "--diagnose") == 0) {
			toolstack.diagnose = 1;
			continue;
		}
		k = match(in, *argc, &i, &val);
		if (k == -100) {
			rest[nrest++] = in[i];
			continue;
		}
		if (k < 0 || set(k, val, &domain, &disk) < 0)
			goto fail;
	}
	if (domain && toolstack.domain_config) {
		pv_err(PV_EINVAL, "--domain and --domain-config both given");
		goto fail;
	}
	if (domain) {
		if (domcfg_find(domain, cfgpath, sizeof(cfgpath)) < 0)
			goto fail;
		toolstack.domain_config = cfgpath;
	}
	if (!toolstack.domain_config) {
		if (disk) {
			pv_err(PV_EINVAL, "--disk needs --domain-config or --domain");
			goto fail;
		}
		/* no config: argv without our options */
		memmove(in + 1, rest, sizeof(*rest) * (size_t)nrest);
		in[nrest + 1] = NULL;
		*argc = nrest + 1;
		free(rest);
		return 0;
	}
	if (domcfg_load(toolstack.domain_config, disk, &dc) < 0)
		goto fail;
	if (dc.warning)
		fprintf(stderr, "pvboot: warning: %s\n", dc.warning);
	r = build(in[0], rest, nrest, argc, argv);
	free(rest); /* build copied the pointers, which point into in[] */
	return r;
fail:
	free(rest);
	return PV_EINVAL;
}

int toolstack_apply(struct options *o)
{
	if (toolstack.extra_args && *toolstack.extra_args) {
		/* XCP-ng's pygrub: chosen args + " " + extra_args */
		static char *joined;

		free(joined);
		if (asprintf(&joined, "%s%s%s", o->args ? o->args : "",
			     o->args && *o->args ? " " : "",
			     toolstack.extra_args) < 0) {
			joined = NULL;
			return pv_err(PV_ENOMEM, "out of memory");
		}
		o->args = joined;
	}
	if (toolstack.default_args) {
		/* XCP-ng: /xenkernel boots with default_args (then extra_args) */
		static char *dflt;

		free(dflt);
		if (asprintf(&dflt, "%s%s%s", toolstack.default_args,
			     *toolstack.default_args && toolstack.extra_args &&
			     *toolstack.extra_args ? " " : "",
			     toolstack.extra_args ? toolstack.extra_args : "") < 0) {
			dflt = NULL;
			return pv_err(PV_ENOMEM, "out of memory");
		}
		o->xcp_default_args = dflt;
	}
	if (toolstack.print_config && toolstack.json)
		return pv_err(PV_EINVAL, "--print-config and --json both given");
	if (toolstack.json && o->isconfig)
		return pv_err(PV_EINVAL, "--json does not apply to --isconfig");
	if (toolstack.diagnose && (toolstack.json || toolstack.print_config ||
				   o->list_entries || o->isconfig))
		return pv_err(PV_EINVAL,
			      "--diagnose is a report of its own: not with --json, --print-config, -l or --isconfig");
	if (toolstack.diagnose) {
		/* a report on stdout: no menu, no files, no --output */
		o->diagnose = 1;
		o->not_really = 1;
		o->interactive = 0;
		o->output = NULL;
	}
	if (toolstack.print_config)
		o->format = OUT_DOMCFG;
	o->json = toolstack.json;
	return 0;
}

void toolstack_fail(const char *image, const char *msg)
{
	if (toolstack.pygrub_errors) {
		/* xenopsd shows the text after "RuntimeError: " to the end of
		 * stderr: one line, nothing after it. */
		fprintf(stderr, "RuntimeError: %s\n", msg);
		return;
	}
	if (image)
		fprintf(stderr, "pvboot: %s: %s\n", image, msg);
	else
		fprintf(stderr, "pvboot: %s\n", msg);
}

int toolstack_text_status(const struct options *o, const char *text)
{
	const char *last = NULL, *p;

	if (!o->diagnose)
		return EXIT_OK;
	/* the verdict is the last line starting with "result: " (report
	 * lines about the guest are indented; a long verdict wraps onto
	 * indented lines) */
	for (p = text; *p; p++)
		if ((p == text || p[-1] == '\n') && !strncmp(p, "result: ", 8))
			last = p;
	return last && strncmp(last, DIAG_VERDICT_BOOT, strlen(DIAG_VERDICT_BOOT)) == 0
		       ? EXIT_OK : EXIT_NOBOOT;
}

void toolstack_usage(void)
{
	fprintf(stderr,
		"       [--domain-config=FILE | --domain=NAME] [--disk=VDEV] [--print-config] [--json] [--diagnose]\n"
		"       [--error-format=pvboot|pygrub] [--default_args=ARGS] [--extra_args=ARGS] [--vm=UUID]\n"
		"       [-h|--help]\n");
}
