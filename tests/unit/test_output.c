/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Output formats byte for byte as libxl parses them, and the command line. */
#include "bootloader/privileged/cmdline.h"
#include "bootloader/privileged/output.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdlib.h>
#include <string.h>

static int fmt_eq(enum out_format f, const char *k, const char *r,
		  const char *a, const char *want, size_t wantlen)
{
	char *out = NULL;
	size_t len = 0;
	int ok;

	if (output_format(f, k, r, a, &out, &len) < 0)
		return 0;
	ok = len == wantlen && memcmp(out, want, len) == 0;
	if (!ok)
		fprintf(stderr, "got [%.*s] (%zu bytes)\n", (int)len, out, len);
	free(out);
	return ok;
}

static int refused(enum out_format f, const char *k, const char *r,
		   const char *a)
{
	char *out = NULL;
	size_t len;
	int rc = output_format(f, k, r, a, &out, &len);

	free(out);
	return rc == PV_EINVAL;
}

static int parse(struct options *o, int argc, const char **argv)
{
	return cmdline_parse(argc, (char **)argv, o);
}

int main(void)
{
	struct options o;

	/* simple0: items NUL-terminated, then an empty item */
	CHECK(fmt_eq(OUT_SIMPLE0, "/d/boot_kernel.a", "/d/boot_ramdisk.b",
		     "root=/dev/xvda1 ro",
		     "kernel /d/boot_kernel.a\0ramdisk /d/boot_ramdisk.b\0args root=/dev/xvda1 ro\0\0",
		     sizeof("kernel /d/boot_kernel.a\0ramdisk /d/boot_ramdisk.b\0args root=/dev/xvda1 ro\0\0") - 1));
	/* no ramdisk, no args: no items for them (security.md E2, E3) */
	CHECK(fmt_eq(OUT_SIMPLE0, "/k", NULL, "", "kernel /k\0\0", 11));
	CHECK(fmt_eq(OUT_SIMPLE, "/k", "/r", "a b",
		     "kernel /k\nramdisk /r\nargs a b\n\n", 31));
	/* sxp with Python repr quoting */
	CHECK(fmt_eq(OUT_SXP, "/k", "/r", "ro quiet",
		     "linux (kernel '/k')(ramdisk '/r')(args 'ro quiet')", 50));
	CHECK(fmt_eq(OUT_SXP, "/k", NULL, "it's",
		     "linux (kernel '/k')(args \"it's\")", 32));
	CHECK(fmt_eq(OUT_SXP, "/k", NULL, "a'b\"c\\",
		     "linux (kernel '/k')(args 'a\\'b\"c\\\\')", 36));
	CHECK(fmt_eq(OUT_SXP, "/k", NULL, "x\ny",
		     "linux (kernel '/k')(args 'x\\ny')", 32));
	/* a delimiter inside a value is refused (XSA-198) */
	CHECK(refused(OUT_SIMPLE, "/k", NULL, "a\nkernel /etc/shadow"));
	CHECK(refused(OUT_SIMPLE, "/k\n", NULL, "a"));
	CHECK(refused(OUT_SIMPLE0, "/k", "/r\n", "a"));
	CHECK(!refused(OUT_SIMPLE, "/k", NULL, "a b"));

	/* the command line as libxl passes it */
	{
		const char *av[] = { "pvboot", "--args=console=hvc0", "--output=/tmp/o",
				     "--output-format=simple0", "--output-directory=/tmp/d",
				     "disk.img", NULL };
		CHECK(parse(&o, 6, av) == 0);
		CHECK(o.format == OUT_SIMPLE0);
		CHECK_STR(o.args, "console=hvc0");
		CHECK_STR(o.image, "disk.img");
		CHECK_STR(o.output_dir, "/tmp/d");
		CHECK(o.interactive == 1);
		CHECK(o.max_file == 128u << 20);
	}
	{
		const char *av[] = { "pvboot", "disk.img", "-q", "--entry=1>0", "--offset=1048576", NULL };
		CHECK(parse(&o, 5, av) == 0);
		CHECK(o.interactive == 0);
		CHECK_STR(o.entry, "1>0");
		CHECK(o.have_offset && o.offset == 1048576);
	}
	{
		const char *av[] = { "pvboot", "--output-format=xml", "d", NULL };
		CHECK(parse(&o, 3, av) < 0);
	}
	{
		const char *av[] = { "pvboot", "--offset=-5", "d", NULL };
		CHECK(parse(&o, 3, av) < 0);
	}
	{
		const char *av[] = { "pvboot", "-q", NULL };
		CHECK(parse(&o, 2, av) < 0);
	}
	{
		const char *av[] = { "pvboot", "--runas=0", "d", NULL };
		CHECK(parse(&o, 3, av) < 0);
	}
	{
		const char *av[] = { "pvboot", "--runas=12345", "--entry=0", "d", NULL };
		CHECK(parse(&o, 4, av) == 0);
		CHECK(o.have_runas && o.runas_uid == 12345);
	}
	{
		const char *av[] = { "pvboot", "-h", NULL };
		CHECK(parse(&o, 2, av) == 1);
	}
	{
		const char *av[] = { "pvboot", "--bogus", "d", NULL };
		CHECK(parse(&o, 3, av) < 0);
	}
	return unit_report("output");
}
