/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --print-config's lines read back through libxlutil (the parser xl uses)
 * give exactly the values written: quotes, backslashes, non-ASCII, the
 * control characters libxlutil can spell; the rest is refused. */
#include "bootloader/privileged/output.h"
#include "bootloader/privileged/xlquote.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <libxlutil.h>

#include <stdlib.h>
#include <string.h>

/* Write the three lines, parse them with xlu_cfg_readdata, compare. */
static int round_trip(const char *k, const char *r, const char *a)
{
	XLU_Config *cfg;
	const char *gk = NULL, *gr = NULL, *ga = NULL;
	char *out = NULL;
	size_t len = 0;
	int ok;

	if (output_format(OUT_DOMCFG, k, r, a, &out, &len) < 0) {
		fprintf(stderr, "refused: %s\n", pv_errmsg());
		return 0;
	}
	cfg = xlu_cfg_init(stderr, "test");
	if (!cfg || xlu_cfg_readdata(cfg, out, (int)len) != 0) {
		fprintf(stderr, "libxlutil did not parse:\n%s", out);
		free(out);
		if (cfg)
			xlu_cfg_destroy(cfg);
		return 0;
	}
	xlu_cfg_get_string(cfg, "kernel", &gk, 1);
	xlu_cfg_get_string(cfg, "ramdisk", &gr, 1);
	xlu_cfg_get_string(cfg, "cmdline", &ga, 1);
	ok = gk && strcmp(gk, k) == 0 &&
	     (r && *r ? gr && strcmp(gr, r) == 0 : gr == NULL) &&
	     (a && *a ? ga && strcmp(ga, a) == 0 : ga == NULL);
	if (!ok)
		fprintf(stderr, "wrote:\n%sread: [%s] [%s] [%s]\n", out,
			gk ? gk : "-", gr ? gr : "-", ga ? ga : "-");
	xlu_cfg_destroy(cfg);
	free(out);
	return ok;
}

static int refused(const char *a)
{
	char *out = NULL;
	size_t len = 0;
	int r = output_format(OUT_DOMCFG, "/k", NULL, a, &out, &len);

	free(out);
	return r == PV_EINVAL;
}

int main(void)
{
	char *out = NULL;
	size_t len = 0;

	CHECK(output_format(OUT_DOMCFG, "/var/run/xen/pygrub/boot_kernel.X",
			    "/r", "ro quiet", &out, &len) == 0);
	CHECK_STR(out, "kernel = \"/var/run/xen/pygrub/boot_kernel.X\"\n"
		       "ramdisk = \"/r\"\ncmdline = \"ro quiet\"\n");
	free(out);

	CHECK(round_trip("/boot/vmlinuz", "/boot/initrd.img", "root=/dev/xvda1 ro quiet"));
	CHECK(round_trip("/boot/vmlinuz", NULL, NULL));
	CHECK(round_trip("/boot/vmlinuz", "", ""));
	CHECK(round_trip("/k", NULL, "init=/bin/sh -c \"echo hi\""));
	CHECK(round_trip("/k", NULL, "a\\b \\\\ \\\" \\n end\\"));
	CHECK(round_trip("/k", NULL, "quote' single 'x' \"double\""));
	CHECK(round_trip("/k", NULL, "lang=fr_FR.UTF-8 nom=ÉlÈve 名前 emoji=\xf0\x9f\x98\x80"));
	CHECK(round_trip("/päth/with space/vmlinuz", "/r#not a comment", "x = y ; z # w"));
	CHECK(round_trip("/k", NULL, "tab\there nl\nthere cr\r bell\a bs\b ff\f vt\v"));
	CHECK(round_trip("/k", NULL, "\x80\xff high bytes"));
	/* libxlutil cannot read these back */
	CHECK(refused("esc\x1b[2J"));
	CHECK(refused("nul-ish\x01"));
	CHECK(refused("del\x7f"));
	return unit_report("test_xlquote");
}
