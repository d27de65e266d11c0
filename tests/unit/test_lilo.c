/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LILO: globals applying to images, quoting, labels, other=, timeouts in
 * tenths, hostile inputs. */
#include "menu/menu.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIT(s) s, sizeof(s) - 1

static const char sample[] =
	"# /etc/lilo.conf\n"
	"boot=/dev/xvda\n"
	"map=/boot/map\n"
	"prompt\n"
	"timeout=50\n"
	"default=linux-old\n"
	"lba32\n"
	"read-only\n"
	"root=/dev/xvda1\n"
	"append=\"console=hvc0 quiet\"   # global, with a comment\n"
	"initrd=/boot/initrd-global.img\n"
	"password=\"s3cret\"\n"
	"\n"
	"image=/boot/vmlinuz\n"
	"\tlabel=linux\n"
	"\tinitrd=/boot/initrd.img\n"
	"\tappend=\"console=hvc0 splash=\\\"silent\\\" # not a comment\"\n"
	"\n"
	"image = /boot/vmlinuz.old\n"
	"\tlabel = linux-old\n"
	"\tread-write\n"
	"\troot=/dev/xvda2\n"
	"\tnoinitrd\n"
	"\n"
	"image=vmlinuz-test\n"
	"\tliteral=\"init=/bin/sh\"\n"
	"\n"
	"other=/dev/xvda3\n"
	"\tlabel=windows\n"
	"\ttable=/dev/xvda\n";

static void test_sample(void)
{
	struct menu m;

	CHECK(lilo_parse("/etc/lilo.conf", LIT(sample), NULL, &m) == 0);
	CHECK_STR(m.format, "lilo");
	CHECK(m.n == 4);
	CHECK_STR(m.default_spec, "linux-old");
	CHECK(m.timeout == 5);
	CHECK_STR(m.password, "s3cret");
	if (m.n != 4)
		goto out;
	CHECK_STR(m.e[0].title, "linux");
	CHECK_STR(m.e[0].id, "linux");
	CHECK(m.e[0].kind == ENTRY_LINUX);
	CHECK_STR(m.e[0].kernel, "/boot/vmlinuz");
	CHECK(m.e[0].ninitrd == 1);
	CHECK_STR(m.e[0].initrd[0], "/boot/initrd.img");
	/* global read-only and root; the image's own append */
	CHECK_STR(m.e[0].args,
		  "ro root=/dev/xvda1 console=hvc0 splash=\"silent\" # not a comment");

	CHECK_STR(m.e[1].title, "linux-old");
	CHECK_STR(m.e[1].kernel, "/boot/vmlinuz.old");
	CHECK(m.e[1].ninitrd == 0);
	CHECK_STR(m.e[1].args, "rw root=/dev/xvda2 console=hvc0 quiet");

	/* no label: the file name; relative path: beside the config */
	CHECK_STR(m.e[2].title, "vmlinuz-test");
	CHECK_STR(m.e[2].kernel, "/etc/vmlinuz-test");
	CHECK(m.e[2].ninitrd == 1);
	CHECK_STR(m.e[2].initrd[0], "/boot/initrd-global.img");
	CHECK_STR(m.e[2].args, "init=/bin/sh");

	CHECK_STR(m.e[3].title, "windows");
	CHECK(m.e[3].kind == ENTRY_NOT_PV);
	CHECK(m.e[3].note != NULL);
out:
	menu_free(&m);
}

static void test_timeouts(void)
{
	struct menu m;

	/* without prompt LILO boots the default at once */
	CHECK(lilo_parse("/etc/lilo.conf", LIT("timeout=100\nimage=/k\n"), NULL,
			 &m) == 0);
	CHECK(m.timeout == 0);
	CHECK(m.default_spec == NULL);
	CHECK_STR(m.e[0].args, "");
	menu_free(&m);
	CHECK(lilo_parse("/etc/lilo.conf", LIT("prompt\ntimeout=5\nimage=/k\n"),
			 NULL, &m) == 0);
	CHECK(m.timeout == 1); /* half a second rounds up */
	menu_free(&m);
	CHECK(lilo_parse("/etc/lilo.conf", LIT("prompt\nimage=/k\n"), NULL,
			 &m) == 0);
	CHECK(m.timeout == -1);
	menu_free(&m);
	CHECK(lilo_parse("/etc/lilo.conf", LIT("prompt\ntimeout=-3\nimage=/k\n"),
			 NULL, &m) == 0);
	CHECK(m.timeout == -1);
	menu_free(&m);
}

static void test_hostile(void)
{
	struct menu m;
	char *buf;
	size_t len, i;

	CHECK(lilo_parse("/etc/lilo.conf", LIT("image=/k\nappend=\"ro quiet\n"),
			 NULL, &m) == PV_EINVAL);
	CHECK(strstr(pv_errmsg(), "/etc/lilo.conf:2:") != NULL);
	CHECK(m.n == 0);
	menu_free(&m);
	CHECK(lilo_parse("/etc/lilo.conf", LIT("image\n"), NULL, &m) == PV_EINVAL);
	menu_free(&m);
	CHECK(lilo_parse("/etc/lilo.conf", LIT("image=/k\nfoo bar\n"), NULL,
			 &m) == PV_EINVAL);
	menu_free(&m);
	CHECK(lilo_parse("/etc/lilo.conf", LIT("image=/k\nappend=\"a\0b\"\n"),
			 NULL, &m) == PV_EINVAL);
	menu_free(&m);
	CHECK(lilo_parse("/etc/lilo.conf", LIT("image=/k\nappend=a\033]52;x\n"),
			 NULL, &m) == PV_EINVAL);
	menu_free(&m);

	/* a 100 KB append */
	buf = malloc(100 * 1024 + 64);
	len = (size_t)sprintf(buf, "image=/k\nappend=\"");
	memset(buf + len, 'a', 100 * 1024);
	len += 100 * 1024;
	len += (size_t)sprintf(buf + len, "\"\n");
	CHECK(lilo_parse("/etc/lilo.conf", buf, len, NULL, &m) == PV_ELIMIT);
	menu_free(&m);
	free(buf);

	/* 2000 images */
	buf = malloc(2000 * 32 + 1);
	len = 0;
	for (i = 0; i < 2000; i++)
		len += (size_t)sprintf(buf + len, "image=/k%zu\n", i);
	CHECK(lilo_parse("/etc/lilo.conf", buf, len, NULL, &m) == PV_ELIMIT);
	CHECK(m.n == 0);
	menu_free(&m);
	free(buf);

	CHECK(lilo_parse("/etc/lilo.conf", "", 0, NULL, &m) == 0);
	CHECK(m.n == 0);
	menu_free(&m);
}

int main(void)
{
	pv_quiet_warnings = 1;
	test_sample();
	test_timeouts();
	test_hostile();
	return unit_report("lilo");
}
