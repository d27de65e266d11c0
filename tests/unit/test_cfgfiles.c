/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Config file candidates and --isconfig format detection: menu/cfgfiles.c */
#include "menu/menu.h"
#include "menu/bls.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdlib.h>

/*
 * This test only looks at the table and at cfg_detect, never runs a parser:
 * weak stand-ins keep it linkable while the parsers are written elsewhere
 * (the real definitions, when present in libpvboot.a, are simply not
 * pulled in for this program).
 */
#define STUB(name)                                                        \
	__attribute__((weak)) int name(const char *path, const char *buf,  \
				       size_t len, const struct cfg_io *io, \
				       struct menu *out)                     \
	{                                                                  \
		(void)path; (void)buf; (void)len; (void)io; (void)out;     \
		return PV_ENOTSUP;                                         \
	}
STUB(grub2_parse)
STUB(grub_legacy_parse)
STUB(lilo_parse)
STUB(bls_loader_parse)
STUB(extlinux_parse)

static const char *detect(const char *path, const char *text)
{
	const struct cfg_candidate *c =
		cfg_detect(path, text, text ? strlen(text) : 0);

	return c ? c->format : "(null)";
}

static void test_table(void)
{
	static const char *const pygrub[] = {
		"/boot/grub/grub.cfg", "/grub/grub.cfg", "/boot/grub2/grub.cfg",
		"/grub2/grub.cfg", "/boot/isolinux/isolinux.cfg",
		"/boot/extlinux/extlinux.conf", "/boot/extlinux.conf",
		"/extlinux/extlinux.conf", "/extlinux.conf",
		"/boot/grub/menu.lst", "/boot/grub/grub.conf", "/grub/menu.lst",
		"/grub/grub.conf",
	};
	size_t i, n = sizeof(pygrub) / sizeof(pygrub[0]);

	CHECK(cfg_ncandidates == n + 8);
	for (i = 0; i < n && i < cfg_ncandidates; i++)
		CHECK_STR(cfg_candidates[i].path, pygrub[i]);
	for (i = 0; i < 4; i++) {
		CHECK_STR(cfg_candidates[i].format, "grub2");
		CHECK(cfg_candidates[i].parse == grub2_parse);
	}
	for (; i < 9; i++) {
		CHECK_STR(cfg_candidates[i].format, "extlinux");
		CHECK(cfg_candidates[i].parse == extlinux_parse);
	}
	for (; i < 13; i++) {
		CHECK_STR(cfg_candidates[i].format, "grub-legacy");
		CHECK(cfg_candidates[i].parse == grub_legacy_parse);
	}
	/* ours, after pygrub's: Fedora btrfs, ISO/FAT syslinux, BLS, LILO */
	CHECK_STR(cfg_candidates[13].path, "/root/boot/grub2/grub.cfg");
	CHECK(cfg_candidates[13].parse == grub2_parse);
	CHECK_STR(cfg_candidates[14].path, "/isolinux/isolinux.cfg");
	CHECK(cfg_candidates[14].parse == extlinux_parse);
	CHECK_STR(cfg_candidates[17].path, "/syslinux.cfg");
	CHECK(cfg_candidates[17].parse == extlinux_parse);
	CHECK_STR(cfg_candidates[18].path, "/boot/loader/loader.conf");
	CHECK(cfg_candidates[18].parse == bls_loader_parse);
	CHECK_STR(cfg_candidates[19].path, "/loader/loader.conf");
	CHECK_STR(cfg_candidates[19].format, "bls");
	CHECK_STR(cfg_candidates[20].path, "/etc/lilo.conf");
	CHECK_STR(cfg_candidates[20].format, "lilo");
	CHECK(cfg_candidates[20].parse == lilo_parse);
}

static const char grub2[] =
	"set default=\"0\"\n"
	"insmod part_gpt\n"
	"if [ x$feature_timeout_style = xy ] ; then\n"
	"  set timeout_style=menu\n"
	"fi\n"
	"menuentry 'Debian GNU/Linux' --class debian $menuentry_id_option 'gnulinux-simple' {\n"
	"\tlinux\t/boot/vmlinuz-6.1.0-13-amd64 root=UUID=x ro  quiet\n"
	"\tinitrd\t/boot/initrd.img-6.1.0-13-amd64\n"
	"}\n"
	"submenu 'Advanced options for Debian GNU/Linux' {\n"
	"}\n";

static const char legacy[] =
	"default 0\n"
	"timeout 5\n"
	"hiddenmenu\n"
	"title CentOS (2.6.18-398.el5xen)\n"
	"\troot (hd0,0)\n"
	"\tkernel /vmlinuz-2.6.18-398.el5xen ro root=/dev/VolGroup00/LogVol00\n"
	"\tinitrd /initrd-2.6.18-398.el5xen.img\n";

static const char extlinux[] =
	"DEFAULT menu.c32\n"
	"PROMPT 0\n"
	"TIMEOUT 30\n"
	"LABEL grsec\n"
	"  MENU LABEL Linux 3.0.10-grsec\n"
	"  KERNEL vmlinuz-3.0.10-grsec\n"
	"  APPEND initrd=initramfs-3.0.10-grsec root=/dev/xvda1 quiet\n";

static const char extlinux_lc[] =
	"default linux\n"
	"timeout 50\n"
	"label linux\n"
	"  kernel /boot/vmlinuz\n"
	"  append root=/dev/xvda1 ro\n"
	"  initrd /boot/initrd.img\n";

static const char lilo[] =
	"boot=/dev/xvda\n"
	"map=/boot/map\n"
	"prompt\n"
	"default=linux\n"
	"image=/boot/vmlinuz\n"
	"\tlabel=linux\n"
	"\tread-only\n"
	"\troot=/dev/xvda1\n"
	"\tinitrd=/boot/initrd.img\n"
	"\tappend=\"console=hvc0\"\n";

static const char loader[] =
	"#timeout 3\n"
	"default fedora-*\n"
	"timeout 5\n"
	"console-mode max\n"
	"editor no\n";

static void test_content(void)
{
	CHECK_STR(detect("/tmp/x", grub2), "grub2");
	CHECK_STR(detect("/tmp/x", legacy), "grub-legacy");
	CHECK_STR(detect("/tmp/x", extlinux), "extlinux");
	CHECK_STR(detect("/tmp/x", extlinux_lc), "extlinux");
	CHECK_STR(detect("/tmp/x", lilo), "lilo");
	CHECK_STR(detect("/tmp/x", loader), "bls");
	CHECK_STR(detect("conf", grub2), "grub2");
	/* content wins over a misleading name */
	CHECK_STR(detect("/boot/extlinux.conf", grub2), "grub2");
	CHECK_STR(detect("/boot/grub/grub.cfg", legacy), "grub-legacy");
	CHECK_STR(detect("/etc/lilo.conf", extlinux), "extlinux");
	/* and matching names agree */
	CHECK_STR(detect("/boot/grub/grub.cfg", grub2), "grub2");
	CHECK_STR(detect("/boot/grub/menu.lst", legacy), "grub-legacy");
	CHECK_STR(detect("/boot/syslinux/syslinux.cfg", extlinux_lc), "extlinux");
}

static void test_names(void)
{
	CHECK_STR(detect("/boot/grub/grub.cfg", ""), "grub2");
	CHECK_STR(detect("/boot/grub/menu.lst", ""), "grub-legacy");
	CHECK_STR(detect("/boot/grub/grub.conf", "# empty\n"), "grub-legacy");
	CHECK_STR(detect("/boot/extlinux/extlinux.conf", ""), "extlinux");
	CHECK_STR(detect("/isolinux/isolinux.cfg", ""), "extlinux");
	CHECK_STR(detect("SYSLINUX.CFG", ""), "extlinux");
	CHECK_STR(detect("/etc/lilo.conf", ""), "lilo");
	CHECK_STR(detect("/loader/loader.conf", ""), "bls");
	/* nothing to go on: GRUB 2, the common case */
	CHECK_STR(detect("/tmp/x", ""), "grub2");
	CHECK_STR(detect(NULL, NULL), "grub2");
	CHECK_STR(detect("/tmp/notgrub.cfg.bak", "hello\nworld\n"), "grub2");
	/* "xgrub.cfg" is not grub.cfg */
	CHECK_STR(detect("/tmp/xmenu.lst", ""), "grub2");
}

/* Xen's pygrub corpus, when it is around. */
static void test_corpus(void)
{
	static const struct {
		const char *file, *format;
	} c[] = {
		{ "alpine-linux-2.3.2.extlinux", "extlinux" },
		{ "debian-wheezy-hvm.grub2", "grub2" },
		{ "fedora-16-with-xen.grub2", "grub2" },
		{ "fedora-19.grub2", "grub2" },
		{ "rhel-7-beta.grub2", "grub2" },
		{ "ubuntu-14.04-lts.grub2", "grub2" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char path[256], *buf;
		FILE *f;
		long n;

		snprintf(path, sizeof(path),
			 "/work/shared/corpus/xen-pygrub-examples/%s", c[i].file);
		f = fopen(path, "rb");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			CHECK_STR(cfg_detect(path, buf, (size_t)n)->format, c[i].format);
		}
		free(buf);
		fclose(f);
	}
}

int main(void)
{
	test_table();
	test_content();
	test_names();
	test_corpus();
	return unit_report("cfgfiles");
}
