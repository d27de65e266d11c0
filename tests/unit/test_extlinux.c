/* SPDX-License-Identifier: GPL-2.0-or-later */
/* extlinux/syslinux/isolinux parser: menu/extlinux.c */
#include "menu/menu.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdint.h>
#include <stdlib.h>

/* --- a fake filesystem for INCLUDE: a table of (path, text) --- */
struct fake_file {
	const char *path;
	const char *text;
};

struct fake_fs {
	const struct fake_file *files;
	size_t n;
	unsigned reads;
	/* generated files: "/gen/N" includes "/gen/N+1" fanout times */
	int gen_fanout;
};

static int fake_read(void *ctx, const char *dev, const char *path, char **buf,
		     size_t *len)
{
	struct fake_fs *fs = ctx;
	size_t i;

	(void)dev;
	fs->reads++;
	if (fs->gen_fanout && strncmp(path, "/gen/", 5) == 0) {
		int lvl = atoi(path + 5), k;
		char *b = malloc(64 * (size_t)fs->gen_fanout + 64), *p = b;

		if (!b)
			return PV_ENOMEM;
		*p = '\0';
		/* distinct names for the same content: no cycle, a DAG
		 * 7 levels deep (inside the depth cap) */
		for (k = 0; lvl < 7 && k < fs->gen_fanout; k++)
			p += sprintf(p, "INCLUDE /gen/%d/%d\n", lvl + 1, k);
		*buf = b;
		*len = strlen(b);
		return 0;
	}
	for (i = 0; i < fs->n; i++) {
		if (strcmp(fs->files[i].path, path) == 0) {
			*buf = strdup(fs->files[i].text);
			*len = strlen(*buf);
			return *buf ? 0 : PV_ENOMEM;
		}
	}
	return PV_ENOENT;
}

static int fake_stat(void *ctx, const char *dev, const char *path, char *type,
		     uint64_t *size)
{
	struct fake_fs *fs = ctx;
	size_t i;

	(void)dev;
	for (i = 0; i < fs->n; i++) {
		if (strcmp(fs->files[i].path, path) == 0) {
			*type = 'f';
			*size = strlen(fs->files[i].text);
			return 0;
		}
	}
	return PV_ENOENT;
}

static int parse(const char *path, const char *text, const struct cfg_io *io,
		 struct menu *m)
{
	return extlinux_parse(path, text, strlen(text), io, m);
}

/* /work/shared/corpus/xen-pygrub-examples/alpine-linux-2.3.2.extlinux,
 * verbatim (Xen's pygrub test corpus). */
static const char alpine[] =
	"DEFAULT menu.c32\n"
	"PROMPT 0\n"
	"MENU TITLE Alpine/Linux Boot Menu\n"
	"MENU HIDDEN\n"
	"MENU AUTOBOOT Alpine will be booted automatically in # seconds.\n"
	"TIMEOUT 30\n"
	"LABEL grsec\n"
	"  MENU DEFAULT\n"
	"  MENU LABEL Linux 3.0.10-grsec\n"
	"  KERNEL vmlinuz-3.0.10-grsec\n"
	"  APPEND initrd=initramfs-3.0.10-grsec root=UUID=a97ffe64-430f-4fd3-830e-4736d9a27af0 modules=sd-mod,usb-storage,ext4 quiet\n";

static void test_alpine(void)
{
	struct menu m;
	const struct menu_entry *e;
	char path[32];
	FILE *f;

	/* the embedded copy is the corpus file, when it is around */
	f = fopen("/work/shared/corpus/xen-pygrub-examples/alpine-linux-2.3.2.extlinux", "r");
	if (f) {
		char buf[2048];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);

		buf[n] = '\0';
		fclose(f);
		CHECK_STR(buf, alpine);
	}

	/* Alpine's /boot is its own partition: the config is at its root */
	CHECK(parse("/extlinux.conf", alpine, NULL, &m) == 0);
	CHECK(m.n == 1);
	CHECK_STR(m.format, "extlinux");
	e = &m.e[0];
	CHECK(e->kind == ENTRY_LINUX);
	CHECK_STR(e->title, "Linux 3.0.10-grsec");
	CHECK_STR(e->id, "grsec");
	CHECK_STR(e->kernel, "/vmlinuz-3.0.10-grsec");
	CHECK(e->ninitrd == 1);
	CHECK_STR(e->initrd[0], "/initramfs-3.0.10-grsec");
	/* as pygrub: initrd= removed, the rest kept */
	CHECK_STR(e->args, "root=UUID=a97ffe64-430f-4fd3-830e-4736d9a27af0 modules=sd-mod,usb-storage,ext4 quiet");
	CHECK_STR(m.default_spec, "0");
	CHECK(m.timeout == 3);
	CHECK(m.hidden == 1);
	CHECK(menu_select(&m, NULL, &e, path, sizeof(path)) == 0);
	CHECK(e == &m.e[0]);
	CHECK_STR(path, "0");
	menu_free(&m);

	/* the same file inside a whole root filesystem */
	CHECK(parse("/boot/extlinux.conf", alpine, NULL, &m) == 0);
	CHECK(m.n == 1);
	CHECK_STR(m.e[0].kernel, "/boot/vmlinuz-3.0.10-grsec");
	CHECK_STR(m.e[0].initrd[0], "/boot/initramfs-3.0.10-grsec");
	menu_free(&m);
}

static void test_paths_and_keywords(void)
{
	struct menu m;

	CHECK(parse("/boot/syslinux/syslinux.cfg",
		    "label a\n"
		    "\tkernel ./vmlinuz\n"
		    "\tinitrd ../initrd.img\n"
		    "Label b\n"
		    "  LINUX /abs/vmlinuz\n"
		    "  Append ro\n"
		    "LABEL c\n"
		    "  kErNeL sub/vmlinuz\r\n"
		    "  INITRD a.img,/b.img,,c.img\r\n",
		    NULL, &m) == 0);
	CHECK(m.n == 3);
	CHECK_STR(m.e[0].kernel, "/boot/syslinux/vmlinuz");
	CHECK(m.e[0].ninitrd == 1);
	CHECK_STR(m.e[0].initrd[0], "/boot/syslinux/../initrd.img");
	CHECK_STR(m.e[0].args, "");
	CHECK_STR(m.e[0].title, "a");
	CHECK_STR(m.e[1].kernel, "/abs/vmlinuz");
	CHECK_STR(m.e[1].args, "ro");
	CHECK(m.e[1].kind == ENTRY_LINUX);
	CHECK_STR(m.e[2].kernel, "/boot/syslinux/sub/vmlinuz");
	CHECK(m.e[2].ninitrd == 3);
	CHECK_STR(m.e[2].initrd[0], "/boot/syslinux/a.img");
	CHECK_STR(m.e[2].initrd[1], "/b.img");
	CHECK_STR(m.e[2].initrd[2], "/boot/syslinux/c.img");
	/* no DEFAULT: the first entry; no UI and no PROMPT 1: boot at once */
	CHECK(m.default_spec == NULL);
	CHECK(m.timeout == 0);
	CHECK(m.hidden == 1);
	menu_free(&m);

	/* a config path without a directory: relative to the root */
	CHECK(parse("extlinux.conf", "LABEL x\nKERNEL vmlinuz\n", NULL, &m) == 0);
	CHECK_STR(m.e[0].kernel, "/vmlinuz");
	menu_free(&m);

	/* "label" must be a whole word; MENU LABEL carets; TEXT HELP skipped */
	CHECK(parse("/extlinux.conf",
		    "PROMPT 1\n"
		    "TIMEOUT 15\n"
		    "labelx junk\n"
		    "LABEL inst\n"
		    "  MENU LABEL ^Install ^Debian\n"
		    "  KERNEL /vmlinuz\n"
		    "  TEXT HELP\n"
		    "  LABEL bogus\n"
		    "    KERNEL /bogus\n"
		    "  ENDTEXT\n"
		    "  APPEND quiet\n",
		    NULL, &m) == 0);
	CHECK(m.n == 1);
	CHECK_STR(m.e[0].title, "Install Debian");
	CHECK_STR(m.e[0].args, "quiet");
	CHECK(m.timeout == 2);
	CHECK(m.hidden == 0);
	menu_free(&m);

	CHECK(parse("/e.conf", "PROMPT 1\nTIMEOUT 0\nLABEL a\nKERNEL /k\n", NULL,
		    &m) == 0);
	CHECK(m.timeout == -1);
	menu_free(&m);
}

static void test_append_initrd(void)
{
	struct menu m;

	CHECK(parse("/extlinux.conf",
		    "APPEND console=hvc0\n"              /* global APPEND */
		    "LABEL a\n KERNEL /k\n"              /* inherits it */
		    "LABEL b\n KERNEL /k\n APPEND -\n"   /* none */
		    "LABEL c\n KERNEL /k\n APPEND ro initrd=/i1,/i2  quiet initrd=/i3 x\n"
		    "LABEL d\n KERNEL /k single\n APPEND root=/dev/xvda1 INITRD=/ia\n INITRD /ib\n"
		    "LABEL e\n APPEND before\n KERNEL /k\n",
		    NULL, &m) == 0);
	CHECK(m.n == 5);
	CHECK_STR(m.e[0].args, "console=hvc0");
	CHECK(m.e[0].ninitrd == 0);
	CHECK_STR(m.e[1].args, "");
	/* last initrd= wins; removed words take their trailing blanks */
	CHECK_STR(m.e[2].args, "ro quiet x");
	CHECK(m.e[2].ninitrd == 1);
	CHECK_STR(m.e[2].initrd[0], "/i3");
	/* KERNEL-line words come first; INITRD wins over initrd= */
	CHECK_STR(m.e[3].args, "single root=/dev/xvda1");
	CHECK(m.e[3].ninitrd == 1);
	CHECK_STR(m.e[3].initrd[0], "/ib");
	/* APPEND before KERNEL in the same LABEL still applies */
	CHECK_STR(m.e[4].args, "before");
	menu_free(&m);

	/* a comma list in APPEND: several initrds, in order */
	CHECK(parse("/boot/extlinux/extlinux.conf",
		    "LABEL a\n KERNEL ../vmlinuz\n APPEND initrd=../ucode.img,../initramfs.img root=/dev/xvda2\n",
		    NULL, &m) == 0);
	CHECK(m.e[0].ninitrd == 2);
	CHECK_STR(m.e[0].initrd[0], "/boot/extlinux/../ucode.img");
	CHECK_STR(m.e[0].initrd[1], "/boot/extlinux/../initramfs.img");
	CHECK_STR(m.e[0].args, "root=/dev/xvda2");
	menu_free(&m);
}

static void test_not_pv(void)
{
	struct menu m;
	const struct menu_entry *e;

	CHECK(parse("/extlinux.conf",
		    "DEFAULT xen\n"
		    "LABEL xen\n"
		    " KERNEL mboot.c32\n"
		    " APPEND /xen.gz dom0_mem=1G --- /vmlinuz ro --- /initrd.img\n"
		    "LABEL hdt\n COM32 hdt.c32\n"
		    "LABEL menu\n KERNEL vesamenu.c32\n"
		    "LABEL local\n LOCALBOOT 0\n"
		    "LABEL nokernel\n APPEND ro\n"
		    "LABEL linux\n KERNEL /vmlinuz\n",
		    NULL, &m) == 0);
	CHECK(m.n == 6);
	CHECK(m.e[0].kind == ENTRY_NOT_PV);
	CHECK(m.e[0].note && strstr(m.e[0].note, "multiboot"));
	CHECK(m.e[1].kind == ENTRY_NOT_PV);
	CHECK(m.e[2].kind == ENTRY_NOT_PV);
	CHECK(m.e[3].kind == ENTRY_NOT_PV);
	CHECK(m.e[4].kind == ENTRY_NOT_PV);
	CHECK(m.e[4].note && strstr(m.e[4].note, "without KERNEL"));
	CHECK(m.e[5].kind == ENTRY_LINUX);
	CHECK_STR(m.default_spec, "0");
	/* the default is the Xen entry: skipped, the first bootable one boots */
	CHECK(menu_select(&m, NULL, &e, NULL, 0) == 0);
	CHECK(e == &m.e[5]);
	CHECK(menu_select(&m, "xen", &e, NULL, 0) == PV_ENOTSUP);
	menu_free(&m);
}

static void test_defaults(void)
{
	struct menu m;
	const char *three = "LABEL a\n KERNEL /ka\n"
			    "LABEL b\n KERNEL /kb\n APPEND ro\n"
			    "LABEL c\n KERNEL /kc\n MENU DEFAULT\n";
	char buf[512];
	struct fake_file files[] = { { "/vmlinuz", "x" } };
	struct fake_fs fs = { files, 1, 0, 0 };
	struct cfg_io io = { .ctx = &fs, .read_file = fake_read, .stat = fake_stat };

	/* with a menu UI, MENU DEFAULT wins over DEFAULT */
	snprintf(buf, sizeof(buf), "UI menu.c32\nDEFAULT b\n%s", three);
	CHECK(parse("/extlinux.conf", buf, NULL, &m) == 0);
	CHECK_STR(m.default_spec, "2");
	CHECK(m.timeout == -1 && m.hidden == 0);
	menu_free(&m);
	snprintf(buf, sizeof(buf), "DEFAULT vesamenu.c32\n%s", three);
	CHECK(parse("/extlinux.conf", buf, NULL, &m) == 0);
	CHECK_STR(m.default_spec, "2");
	menu_free(&m);
	/* without one, syslinux boots DEFAULT */
	snprintf(buf, sizeof(buf), "DEFAULT b\n%s", three);
	CHECK(parse("/extlinux.conf", buf, NULL, &m) == 0);
	CHECK_STR(m.default_spec, "1");
	menu_free(&m);
	/* ONTIMEOUT (a label) is what boots unattended */
	snprintf(buf, sizeof(buf), "UI menu.c32\nONTIMEOUT a\n%s", three);
	CHECK(parse("/extlinux.conf", buf, NULL, &m) == 0);
	CHECK_STR(m.default_spec, "0");
	menu_free(&m);

	/* DEFAULT label + extra words: the label's line plus them */
	snprintf(buf, sizeof(buf), "DEFAULT b single initrd=/x.img\n%s", three);
	CHECK(parse("/extlinux.conf", buf, NULL, &m) == 0);
	CHECK(m.n == 4);
	CHECK_STR(m.default_spec, "3");
	CHECK_STR(m.e[3].kernel, "/kb");
	CHECK_STR(m.e[3].args, "ro single");
	CHECK(m.e[3].ninitrd == 1);
	CHECK_STR(m.e[3].initrd[0], "/x.img");
	menu_free(&m);

	/* DEFAULT as a whole command line: an implicit entry */
	CHECK(parse("/extlinux.conf", "APPEND quiet\nDEFAULT vmlinuz\n", NULL, &m) == 0);
	CHECK(m.n == 1);
	CHECK_STR(m.e[0].kernel, "/vmlinuz");
	CHECK_STR(m.e[0].args, "quiet"); /* global APPEND for a bare image */
	CHECK_STR(m.default_spec, "0");
	menu_free(&m);
	CHECK(parse("/extlinux.conf",
		    "APPEND quiet\nDEFAULT /vmlinuz root=/dev/xvda1 initrd=/i\nLABEL a\n KERNEL /ka\n",
		    &io, &m) == 0);
	CHECK(m.n == 2);
	CHECK_STR(m.e[1].kernel, "/vmlinuz");
	CHECK_STR(m.e[1].args, "root=/dev/xvda1");
	CHECK_STR(m.e[1].initrd[0], "/i");
	CHECK_STR(m.default_spec, "1");
	menu_free(&m);
	/* ... unless labels exist and the file does not */
	CHECK(parse("/extlinux.conf", "DEFAULT nosuch\nLABEL a\n KERNEL /ka\n",
		    &io, &m) == 0);
	CHECK(m.n == 1);
	CHECK(m.default_spec == NULL);
	menu_free(&m);
}

static void test_submenus(void)
{
	struct menu m;
	const struct menu_entry *e;
	char path[32];

	CHECK(parse("/extlinux.conf",
		    "UI menu.c32\n"
		    "LABEL top\n KERNEL /k0\n"
		    "MENU BEGIN tools\n"
		    " MENU TITLE Tools\n"
		    " LABEL t1\n  KERNEL /k1\n"
		    " LABEL t2\n  KERNEL /k2\n  MENU DEFAULT\n"
		    "MENU END\n"
		    "LABEL after\n KERNEL /k3\n",
		    NULL, &m) == 0);
	CHECK(m.n == 3);
	CHECK(m.e[1].kind == ENTRY_SUBMENU);
	CHECK_STR(m.e[1].title, "Tools");
	CHECK(m.e[1].sub && m.e[1].sub->n == 2);
	CHECK_STR(m.e[2].id, "after");
	CHECK_STR(m.default_spec, "1>1");
	CHECK(menu_select(&m, NULL, &e, path, sizeof(path)) == 0);
	CHECK_STR(e->kernel, "/k2");
	CHECK_STR(path, "1>1");
	menu_free(&m);

	/* DEFAULT finds a label inside a submenu, as syslinux does */
	CHECK(parse("/extlinux.conf",
		    "DEFAULT t1\nLABEL top\n KERNEL /k0\n"
		    "MENU BEGIN\n LABEL t1\n  KERNEL /k1\n",  /* no MENU END */
		    NULL, &m) == 0);
	CHECK_STR(m.default_spec, "1>0");
	menu_free(&m);
}

static void test_include(void)
{
	struct fake_file files[] = {
		{ "/boot/syslinux/common.cfg",
		  "APPEND console=hvc0\nLABEL inc\n KERNEL vmlinuz-inc\n" },
		{ "/boot/syslinux/tools.cfg", "LABEL memtest\n KERNEL memtest\n" },
		{ "/boot/syslinux/cont.cfg", " APPEND from-include\n" },
		{ "/a.cfg", "LABEL a\n KERNEL /ka\nINCLUDE /b.cfg\n" },
		{ "/b.cfg", "LABEL b\n KERNEL /kb\nINCLUDE a.cfg\n" },
		{ "/self.cfg", "LABEL s\n KERNEL /ks\nINCLUDE ./self.cfg\n" },
		{ "/d1", "INCLUDE /d2\n" }, { "/d2", "INCLUDE /d3\n" },
		{ "/d3", "INCLUDE /d4\n" }, { "/d4", "INCLUDE /d5\n" },
		{ "/d5", "INCLUDE /d6\n" }, { "/d6", "INCLUDE /d7\n" },
		{ "/d7", "INCLUDE /d8\n" }, { "/d8", "INCLUDE /d9\n" },
		{ "/d9", "INCLUDE /d10\n" }, { "/d10", "LABEL deep\n KERNEL /k\n" },
	};
	struct fake_fs fs = { files, sizeof(files) / sizeof(files[0]), 0, 0 };
	struct cfg_io io = { .ctx = &fs, .read_file = fake_read };
	struct menu m;
	const char *main_cfg =
		"INCLUDE common.cfg\n"
		"INCLUDE missing.cfg\n"
		"MENU INCLUDE tools.cfg Tools\n"
		"LABEL cont\n KERNEL /kc\n"
		"INCLUDE cont.cfg\n"; /* the pending LABEL continues */

	CHECK(parse("/boot/syslinux/syslinux.cfg", main_cfg, &io, &m) == 0);
	CHECK(m.n == 3);
	CHECK_STR(m.e[0].id, "inc");
	CHECK_STR(m.e[0].kernel, "/boot/syslinux/vmlinuz-inc");
	CHECK_STR(m.e[0].args, "console=hvc0");
	CHECK(m.e[1].kind == ENTRY_SUBMENU);
	CHECK_STR(m.e[1].title, "Tools");
	CHECK(m.e[1].sub && m.e[1].sub->n == 1);
	CHECK_STR(m.e[1].sub->e[0].kernel, "/boot/syslinux/memtest");
	CHECK_STR(m.e[2].args, "from-include");
	menu_free(&m);

	/* without io, INCLUDE is skipped, not an error */
	CHECK(parse("/boot/syslinux/syslinux.cfg", main_cfg, NULL, &m) == 0);
	CHECK(m.n == 2); /* the empty Tools submenu and cont */
	menu_free(&m);

	/* cycles: a -> b -> a, and a file including itself */
	fs.reads = 0;
	CHECK(parse("/a.cfg", files[3].text, &io, &m) == 0);
	CHECK(m.n == 2);
	CHECK(fs.reads == 1);
	menu_free(&m);
	CHECK(parse("/self.cfg", files[5].text, &io, &m) == 0);
	CHECK(m.n == 1);
	menu_free(&m);

	/* 9 nested includes: past PV_MAX_INCLUDE_DEPTH (8) */
	CHECK(parse("/d0", "INCLUDE /d1\n", &io, &m) == PV_ELIMIT);
	CHECK(m.n == 0);
	CHECK(strstr(pv_errmsg(), "too deeply") != NULL);
	menu_free(&m);
	CHECK(parse("/d0", "INCLUDE /d3\n", &io, &m) == 0);
	CHECK(m.n == 1);
	menu_free(&m);

	/* a DAG without cycles but with 5461 files: bounded by the file cap */
	fs.gen_fanout = 4;
	fs.reads = 0;
	CHECK(parse("/gen/0", "INCLUDE /gen/1\n", &io, &m) == PV_ELIMIT);
	CHECK(fs.reads <= PV_MAX_CONFIG_FILES);
	CHECK(strstr(pv_errmsg(), "too many") != NULL);
	menu_free(&m);
}

static void test_hostile(void)
{
	struct menu m;
	size_t n = 10000, i;
	char *big = malloc(n * 24 + 1), *p = big;

	/* 10^4 LABELs */
	for (i = 0; i < n; i++)
		p += sprintf(p, "LABEL l%zu\nKERNEL /k\n", i);
	CHECK(extlinux_parse("/extlinux.conf", big, (size_t)(p - big), NULL, &m) ==
	      PV_ELIMIT);
	CHECK(m.n == 0);
	CHECK(strstr(pv_errmsg(), "entries") != NULL);
	menu_free(&m);
	free(big);

	/* one line longer than PV_MAX_LINE */
	big = malloc(PV_MAX_LINE + 100);
	memcpy(big, "APPEND ", 7);
	memset(big + 7, 'a', PV_MAX_LINE + 10);
	CHECK(extlinux_parse("/extlinux.conf", big, PV_MAX_LINE + 17, NULL, &m) ==
	      PV_ELIMIT);
	CHECK(strstr(pv_errmsg(), "/extlinux.conf:1:") != NULL);
	menu_free(&m);
	free(big);

	/* MENU BEGIN nested past PV_MAX_NESTING */
	big = malloc(40 * 12 + 1);
	for (p = big, i = 0; i < 40; i++)
		p += sprintf(p, "MENU BEGIN\n");
	CHECK(extlinux_parse("/e", big, (size_t)(p - big), NULL, &m) == PV_ELIMIT);
	menu_free(&m);
	free(big);

	/* embedded NUL bytes end a line; no terminating newline */
	{
		static const char nul[] = "LABEL a\n KERNEL /k\0junk\n APPEND x";

		CHECK(extlinux_parse("/e", nul, sizeof(nul) - 1, NULL, &m) == 0);
		CHECK(m.n == 1);
		CHECK_STR(m.e[0].kernel, "/k");
		CHECK_STR(m.e[0].args, "x");
		menu_free(&m);
	}
	/* 20 initrds: past PV_MAX_INITRDS */
	CHECK(parse("/e", "LABEL a\n KERNEL /k\n INITRD a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t\n",
		    NULL, &m) == PV_ELIMIT);
	menu_free(&m);
	/* empty and blank input */
	CHECK(extlinux_parse("/e", "", 0, NULL, &m) == 0);
	CHECK(m.n == 0);
	menu_free(&m);
	CHECK(parse("/e", "LABEL\nKERNEL\nAPPEND\nINITRD\nDEFAULT\nTIMEOUT 99999999999999999\n",
		    NULL, &m) == 0);
	CHECK(m.n == 1);
	CHECK(m.e[0].kind == ENTRY_NOT_PV);
	menu_free(&m);
}

int main(void)
{
	pv_quiet_warnings = 1;
	test_alpine();
	test_paths_and_keywords();
	test_append_initrd();
	test_not_pv();
	test_defaults();
	test_submenus();
	test_include();
	test_hostile();
	return unit_report("extlinux");
}
