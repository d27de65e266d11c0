/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB 2 script reader: the Xen pygrub corpus (expectations written from
 * reading the files), quoting and the rebuilt command line, variables,
 * functions, submenu scoping, the cfg_io commands against an in-memory
 * tree, and hostile scripts that must end in a clean error.
 */
#include "menu/menu.h"
#include "menu/grubenv.h"
#include "menu/envsave.h"
#include "common/err.h"
#include "common/strbuf.h"
#include "tests/unit/unit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS "/work/shared/corpus/xen-pygrub-examples/"

static int parse_str(const char *text, const struct cfg_io *io, struct menu *m)
{
	return grub2_parse("/boot/grub/grub.cfg", text, strlen(text), io, m);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Parse a corpus file with no filesystem access; NULL when absent. */
static int parse_corpus(const char *name, struct menu *m)
{
	char path[512];
	size_t len;
	char *buf;
	int r;

	snprintf(path, sizeof(path), CORPUS "%s", name);
	buf = slurp(path, &len);
	if (!buf) {
		FILE *d = fopen(CORPUS "fedora-19.grub2", "rb");

		/* the corpus is optional, but not a file of it */
		if (d) {
			fclose(d);
			CHECK(!"corpus file missing");
		}
		return 1;
	}
	r = grub2_parse("/boot/grub/grub.cfg", buf, len, NULL, m);
	if (r < 0)
		fprintf(stderr, "%s: %s\n", name, pv_errmsg());
	CHECK(r == 0);
	free(buf);
	return r;
}

static void test_debian_wheezy(void)
{
	struct menu m;
	const struct menu_entry *e;

	if (parse_corpus("debian-wheezy-hvm.grub2", &m))
		return;
	CHECK(m.n == 2);
	CHECK_STR(m.default_spec, "0");
	CHECK(m.timeout == 5);
	CHECK(!m.hidden);
	e = &m.e[0];
	CHECK(e->kind == ENTRY_LINUX);
	CHECK_STR(e->title, "Debian GNU/Linux, with Linux 3.2.0-4-amd64");
	CHECK(e->id == NULL);
	CHECK_STR(e->kernel, "/boot/vmlinuz-3.2.0-4-amd64");
	/* set root='(/dev/xvda,msdos1)' (the search finds nothing here) */
	CHECK_STR(e->kernel_dev, "/dev/xvda,msdos1");
	CHECK_STR(e->root, "/dev/xvda,msdos1");
	/* "ro  " at the end: GRUB rebuilds, so no trailing blanks */
	CHECK_STR(e->args, "root=UUID=f395d5a0-4612-4872-806c-33cd37c152f0 ro");
	CHECK(e->ninitrd == 1);
	CHECK_STR(e->initrd[0], "/boot/initrd.img-3.2.0-4-amd64");
	CHECK_STR(e->initrd_dev[0], "/dev/xvda,msdos1");
	CHECK_STR(m.e[1].title,
		  "Debian GNU/Linux, with Linux 3.2.0-4-amd64 (recovery mode)");
	CHECK_STR(m.e[1].args,
		  "root=UUID=f395d5a0-4612-4872-806c-33cd37c152f0 ro single");
	menu_free(&m);
}

static void test_fedora16(void)
{
	struct menu m;
	const struct menu_entry *e;

	if (parse_corpus("fedora-16-with-xen.grub2", &m))
		return;
	CHECK(m.n == 3);
	/* set default="${saved_entry}" with no grubenv: empty */
	CHECK(m.default_spec == NULL);
	CHECK(m.timeout == 5);
	e = &m.e[0];
	CHECK(e->kind == ENTRY_LINUX);
	CHECK_STR(e->title, "Fedora Linux, with Linux 3.1.0-0.rc9.git0.0.fc16.x86_64");
	CHECK_STR(e->kernel, "/vmlinuz-3.1.0-0.rc9.git0.0.fc16.x86_64");
	CHECK_STR(e->kernel_dev, "hd0,gpt2");
	/* the double space before KEYTABLE collapses */
	CHECK_STR(e->args, "root=/dev/mapper/VolGroup-lv_root ro rd.md=0 rd.dm=0 "
		  "rd.lvm.lv=VolGroup/lv_swap quiet SYSFONT=latarcyrheb-sun16 rhgb "
		  "rd.lvm.lv=VolGroup/lv_root rd.luks=0 KEYTABLE=uk "
		  "LANG=en_US.UTF-8");
	CHECK(e->ninitrd == 1);
	CHECK_STR(e->initrd[0], "/initramfs-3.1.0-0.rc9.git0.0.fc16.x86_64.img");
	e = &m.e[2];
	CHECK(e->kind == ENTRY_SUBMENU);
	CHECK_STR(e->title, "Xen 4.1");
	CHECK(e->sub && e->sub->n == 2);
	if (e->sub && e->sub->n == 2) {
		CHECK(e->sub->e[0].kind == ENTRY_NOT_PV);
		CHECK_STR(e->sub->e[0].note,
			  "multiboot (Xen hypervisor or other multiboot kernel)");
		CHECK_STR(e->sub->e[1].title, "Fedora Linux, with Xen 4.1 and "
			  "Linux 3.1.0-0.rc9.git0.0.fc16.x86_64 (recovery mode)");
		CHECK(e->sub->e[1].kind == ENTRY_NOT_PV);
	}
	menu_free(&m);
}

static void test_fedora19(void)
{
	struct menu m;
	const struct menu_entry *e;

	if (parse_corpus("fedora-19.grub2", &m))
		return;
	CHECK(m.n == 2);
	CHECK(m.default_spec == NULL);
	CHECK(m.timeout == 5);
	e = &m.e[0];
	CHECK(e->kind == ENTRY_LINUX);
	CHECK_STR(e->title, "Fedora, with Linux 3.9.6-301.fc19.i686.PAE");
	/* feature_menuentry_id=y: $menuentry_id_option is --id */
	CHECK_STR(e->id, "gnulinux-3.9.6-301.fc19.i686.PAE-advanced-"
		  "738519ba-06da-4402-9b68-a1c1efada512");
	CHECK_STR(e->kernel, "/vmlinuz-3.9.6-301.fc19.i686.PAE");
	CHECK_STR(e->kernel_dev, "hd0,msdos1");
	CHECK_STR(e->args, "root=/dev/mapper/fedora-root ro rd.lvm.lv=fedora/swap "
		  "rd.md=0 rd.dm=0 vconsole.keymap=us rd.luks=0 "
		  "vconsole.font=latarcyrheb-sun16 rd.lvm.lv=fedora/root");
	CHECK(e->ninitrd == 1);
	CHECK_STR(e->initrd[0], "/initramfs-3.9.6-301.fc19.i686.PAE.img");
	CHECK_STR(m.e[1].id, "gnulinux-0-rescue-8d62a0261d8147dc84eb89292ebc1666-"
		  "advanced-738519ba-06da-4402-9b68-a1c1efada512");
	menu_free(&m);
}

static void test_rhel7(void)
{
	struct menu m;
	const struct menu_entry *e;

	if (parse_corpus("rhel-7-beta.grub2", &m))
		return;
	CHECK(m.n == 2);
	CHECK(m.default_spec == NULL);
	CHECK(m.timeout == 5);
	e = &m.e[0];
	CHECK(e->kind == ENTRY_LINUX);
	CHECK_STR(e->title, "Red Hat Enterprise Linux Everything, with Linux "
		  "3.10.0-54.0.1.el7.x86_64");
	CHECK_STR(e->id, "gnulinux-3.10.0-54.0.1.el7.x86_64-advanced-"
		  "d23b8b49-4cfe-4900-8ef1-ec80bc633163");
	CHECK_STR(e->kernel, "/vmlinuz-3.10.0-54.0.1.el7.x86_64");
	CHECK_STR(e->args, "root=/dev/mapper/rhel-root ro rd.lvm.lv=rhel/swap "
		  "vconsole.keymap=uk crashkernel=auto rd.lvm.lv=rhel/root "
		  "vconsole.font=latarcyrheb-sun16 LANG=en_GB.UTF-8");
	CHECK(e->ninitrd == 1);
	CHECK_STR(e->initrd[0], "/initramfs-3.10.0-54.0.1.el7.x86_64.img");
	menu_free(&m);
}

static void test_ubuntu1404(void)
{
	struct menu m;
	const struct menu_entry *e;
	const struct menu *s;

	if (parse_corpus("ubuntu-14.04-lts.grub2", &m))
		return;
	CHECK(m.n == 4);
	CHECK_STR(m.default_spec, "0");
	CHECK(m.timeout == 5);
	CHECK(!m.hidden);
	e = &m.e[0];
	CHECK(e->kind == ENTRY_LINUX);
	CHECK_STR(e->title, "Ubuntu");
	CHECK_STR(e->id, "gnulinux-simple-c7a4b4ca-71da-4d03-b374-a6b76ebcfc90");
	CHECK_STR(e->kernel, "/vmlinuz-3.13.0-44-generic");
	/* root is only set in the branch not taken: the config's fs */
	CHECK(e->kernel_dev == NULL);
	CHECK_STR(e->args, "root=/dev/mapper/BoxenSys00-root ro biosdevname=0 quiet");
	CHECK(e->ninitrd == 1);
	CHECK_STR(e->initrd[0], "/initrd.img-3.13.0-44-generic");
	CHECK(e->initrd_dev[0] == NULL);
	e = &m.e[1];
	CHECK(e->kind == ENTRY_SUBMENU);
	CHECK_STR(e->title, "Advanced options for Ubuntu");
	CHECK_STR(e->id, "gnulinux-advanced-c7a4b4ca-71da-4d03-b374-a6b76ebcfc90");
	s = e->sub;
	CHECK(s && s->n == 2);
	if (s && s->n == 2) {
		/* menuentry_id_option is exported: ids inside the submenu */
		CHECK_STR(s->e[0].id, "gnulinux-3.13.0-44-generic-advanced-"
			  "c7a4b4ca-71da-4d03-b374-a6b76ebcfc90");
		CHECK_STR(s->e[1].title,
			  "Ubuntu, with Linux 3.13.0-44-generic (recovery mode)");
		CHECK_STR(s->e[1].args, "root=/dev/mapper/BoxenSys00-root ro "
			  "recovery nomodeset biosdevname=0");
	}
	/* knetbsd is not a Linux loader */
	CHECK(m.e[2].kind == ENTRY_NOT_PV);
	CHECK(m.e[2].kernel == NULL);
	CHECK(m.e[3].kind == ENTRY_LINUX);
	CHECK_STR(m.e[3].kernel, "/memtest86+.bin");
	CHECK_STR(m.e[3].args, "console=ttyS0,115200n8");
	CHECK(m.e[3].ninitrd == 0);
	menu_free(&m);
}

static void test_quoting(void)
{
	struct menu m;
	int r;

	r = parse_str("menuentry 'a'\\''b' {\n"
		      "  linux /k acpi_osi=\"Windows 2015\" ro  quiet a\\b "
		      "dyndbg='file x.c +p' x=\\\"q\\\" \\\n  cont\n"
		      "}\n"
		      "menuentry \"two\nlines\" --class x { linux\t/k2 \"\" }\n"
		      "menuentry bare { linux /k3; initrd /i }\n", NULL, &m);
	CHECK(r == 0);
	CHECK(m.n == 3);
	if (m.n == 3) {
		CHECK_STR(m.e[0].title, "a'b");
		CHECK_STR(m.e[0].args, "\"acpi_osi=Windows 2015\" ro quiet ab "
			  "\"dyndbg=file x.c +p\" x=\\\"q\\\" cont");
		CHECK_STR(m.e[1].title, "two\nlines");
		CHECK_STR(m.e[1].args, "");
		CHECK_STR(m.e[2].title, "bare");
		CHECK_STR(m.e[2].kernel, "/k3");
		CHECK(m.e[2].ninitrd == 1);
	}
	menu_free(&m);
}

static void test_variables_functions(void)
{
	struct menu m;
	int r;

	r = parse_str("set kopts=\"quiet  splash\"\n"
		      "function addargs {\n"
		      "  set extra=\"$1 $2\"\n"
		      "  nargs=$#\n"
		      "}\n"
		      "addargs one two three\n"
		      "v=early\n"
		      "menuentry 'vars' {\n"
		      "  linux /k $kopts ${extra} \"$kopts\" n=$nargs v=$v $undefined\n"
		      "  set leaked=yes\n"
		      "}\n"
		      "menuentry 'next' --id n2 { linux /k leaked=$leaked }\n"
		      "v=late\n"
		      "unset kopts\n"
		      "set default=n2\n"
		      "set timeout=abc\n"
		      "if true; then set fallback=1; fi\n"
		      "if ! false; then set timeout_style=hidden; fi\n",
		      NULL, &m);
	CHECK(r == 0);
	CHECK(m.n == 2);
	if (m.n == 2) {
		/* bodies run after the script, as when GRUB boots them:
		 * $v is "late" and $kopts is gone */
		/* the empty "$kopts" stays an (empty) word: two spaces */
		CHECK_STR(m.e[0].args, "one two  n=3 v=late");
		/* an entry's `set` does not leak into the next one */
		CHECK_STR(m.e[1].args, "leaked=");
		CHECK_STR(m.e[1].id, "n2");
	}
	CHECK_STR(m.default_spec, "n2");
	CHECK_STR(m.fallback, "1");
	CHECK(m.timeout == -1);
	CHECK(m.hidden == 1);
	menu_free(&m);

	/* words split from a variable; quoted ones stay whole */
	r = parse_str("set kopts=\"quiet  splash\"\n"
		      "menuentry 'vars' { linux /k $kopts \"$kopts\" }\n", NULL, &m);
	CHECK(r == 0);
	if (m.n == 1)
		CHECK_STR(m.e[0].args, "quiet splash \"quiet  splash\"");
	menu_free(&m);

	/* a function defining entries, elif chains, loops, return */
	r = parse_str("function mk {\n"
		      "  menuentry \"$1\" { linux /vmlinuz-$1 }\n"
		      "  return 0\n"
		      "  menuentry never { linux /x }\n"
		      "}\n"
		      "for k in 5.10 6.1; do mk $k; done\n"
		      "x=2\n"
		      "if [ $x -eq 1 ]; then mk one\n"
		      "elif [ $x -ge 2 -a $x -lt 3 ]; then mk two\n"
		      "else mk three; fi\n"
		      "return\n"
		      "mk four\n", NULL, &m);
	CHECK(r == 0);
	/* `return` outside a function does not stop the script */
	CHECK(m.n == 4);
	if (m.n == 4) {
		CHECK_STR(m.e[3].title, "four");
		CHECK_STR(m.e[0].title, "5.10");
		CHECK_STR(m.e[0].kernel, "/vmlinuz-5.10");
		CHECK_STR(m.e[1].kernel, "/vmlinuz-6.1");
		CHECK_STR(m.e[2].title, "two");
	}
	menu_free(&m);
}

static void test_submenu_scoping(void)
{
	static const char *const cfg[2] = {
		/* set but not exported: nothing inside the submenu */
		"menuentry_id_option=\"--id\"\n"
		"kopt=outer\n"
		"submenu 'S' $menuentry_id_option sid {\n"
		"  menuentry 'in' $menuentry_id_option iid { linux /k a=$kopt }\n"
		"  set default=1\n"
		"}\n"
		"set default='sid>iid'\n",
		/* exported */
		"menuentry_id_option=\"--id\"\n"
		"export menuentry_id_option\n"
		"kopt=outer\n"
		"export kopt\n"
		"submenu 'S' $menuentry_id_option sid {\n"
		"  menuentry 'in' $menuentry_id_option iid { linux /k a=$kopt }\n"
		"}\n",
	};
	struct menu m;
	int r, i;

	for (i = 0; i < 2; i++) {
		r = parse_str(cfg[i], NULL, &m);
		CHECK(r == 0);
		CHECK(m.n == 1);
		if (m.n != 1 || !m.e[0].sub || m.e[0].sub->n != 1) {
			CHECK(!"submenu shape");
			menu_free(&m);
			continue;
		}
		CHECK(m.e[0].kind == ENTRY_SUBMENU);
		CHECK_STR(m.e[0].id, "sid");
		CHECK_STR(m.e[0].sub->e[0].title, "in");
		if (i == 0) {
			CHECK(m.e[0].sub->e[0].id == NULL);
			CHECK_STR(m.e[0].sub->e[0].args, "a=");
			CHECK_STR(m.default_spec, "sid>iid");
			CHECK_STR(m.e[0].sub->default_spec, "1");
		} else {
			CHECK_STR(m.e[0].sub->e[0].id, "iid");
			CHECK_STR(m.e[0].sub->e[0].args, "a=outer");
			CHECK(m.e[0].sub->default_spec == NULL);
		}
		menu_free(&m);
	}
}

/* --- an in-memory guest --- */

struct memfile {
	const char *dev, *path;
	const char *data;
	size_t len;
};

struct memfs {
	struct memfile f[16];
	size_t n;
	int reads;
};

static int same_dev(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const struct memfile *mem_find(struct memfs *fs, const char *dev,
				      const char *path)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (same_dev(fs->f[i].dev, dev) && !strcmp(fs->f[i].path, path))
			return &fs->f[i];
	return NULL;
}

static int mem_read(void *ctx, const char *dev, const char *path, char **buf,
		    size_t *len)
{
	const struct memfile *f = mem_find(ctx, dev, path);

	((struct memfs *)ctx)->reads++;
	if (!f)
		return PV_ENOENT;
	*buf = malloc(f->len + 1);
	memcpy(*buf, f->data, f->len);
	(*buf)[f->len] = '\0';
	*len = f->len;
	return 0;
}

static int mem_stat(void *ctx, const char *dev, const char *path, char *type,
		    uint64_t *size)
{
	const struct memfile *f = mem_find(ctx, dev, path);

	if (!f)
		return PV_ENOENT;
	*type = 'f';
	*size = f->len;
	return 0;
}

static int mem_list(void *ctx, const char *dev, const char *path,
		    int (*cb)(void *cbctx, const char *name), void *cbctx)
{
	struct memfs *fs = ctx;
	size_t i, pl = strlen(path);
	int found = 0, r;

	for (i = 0; i < fs->n; i++) {
		const char *p = fs->f[i].path;

		if (!same_dev(fs->f[i].dev, dev) || strncmp(p, path, pl) ||
		    p[pl] != '/' || strchr(p + pl + 1, '/'))
			continue;
		found = 1;
		if ((r = cb(cbctx, p + pl + 1)) < 0)
			return r;
	}
	return found ? 0 : PV_ENOENT;
}

static int mem_search(void *ctx, const char *how, const char *value,
		      char *dev_out, size_t sz)
{
	(void)ctx;
	if (!strcmp(how, "fs-uuid") && !strcmp(value, "1111-2222")) {
		snprintf(dev_out, sz, "hd0,msdos2");
		return 0;
	}
	if (!strcmp(how, "fs-uuid") && !strcmp(value, "cfg-uuid")) {
		snprintf(dev_out, sz, "hd0,msdos1");
		return 0;
	}
	return PV_ENOENT;
}

static void add_file(struct memfs *fs, const char *path, const char *text)
{
	fs->f[fs->n++] = (struct memfile){ NULL, path, text, strlen(text) };
}

static char envblk[1024];

static void make_env(const char *vars)
{
	memset(envblk, '#', sizeof(envblk));
	memcpy(envblk, GRUBENV_SIGNATURE, strlen(GRUBENV_SIGNATURE));
	memcpy(envblk + strlen(GRUBENV_SIGNATURE), vars, strlen(vars));
}

static const char io_cfg[] =
	"if [ -s $prefix/grubenv ]; then\n"
	"  load_env\n"
	"fi\n"
	"if [ \"${next_entry}\" ] ; then\n"
	"   set default=\"${next_entry}\"\n"
	"   set next_entry=\n"
	"   save_env next_entry\n"
	"else\n"
	"   set default=\"${saved_entry}\"\n"
	"fi\n"
	"search --no-floppy --fs-uuid --set=root --hint='hd0,msdos1' 1111-2222\n"
	"menuentry 'e1' {\n"
	"  linux /vmlinuz $kernelopts\n"
	"  initrd /i1 /i2\n"
	"}\n"
	"menuentry 'e2' {\n"
	"  search --no-floppy --fs-uuid --set=root cfg-uuid\n"
	"  linux ($root)/vmlinuz2\n"
	"  initrd (hd0,msdos3)/x\n"
	"}\n"
	"menuentry 'xen' {\n"
	"  multiboot /xen.gz\n"
	"  module /vmlinuz\n"
	"}\n"
	"menuentry 'chain' { chainloader +1 }\n"
	"if [ -f ${config_directory}/custom.cfg ]; then\n"
	"  source ${config_directory}/custom.cfg\n"
	"fi\n"
	"if [ -e /nonexistent ]; then set timeout=1; else set timeout=7; fi\n";

static void test_io(void)
{
	static const char custom[] = "menuentry 'custom' { linux /c x=$saved_entry }\n";
	struct memfs fs = { 0 };
	struct cfg_io io = { &fs, mem_read, mem_stat, NULL, mem_search,
			     "hd0,msdos1", NULL, NULL, NULL };
	struct menu m;
	int r;

	make_env("saved_entry=foo\nnext_entry=bar\nkernelopts=root=/dev/xvda1 ro\n");
	fs.f[fs.n++] = (struct memfile){ NULL, "/boot/grub/grubenv", envblk,
					 sizeof(envblk) };
	fs.f[fs.n++] = (struct memfile){ NULL, "/boot/grub/custom.cfg", custom,
					 sizeof(custom) - 1 };
	r = parse_str(io_cfg, &io, &m);
	if (r < 0)
		fprintf(stderr, "io: %s\n", pv_errmsg());
	CHECK(r == 0);
	/* next_entry wins over saved_entry */
	CHECK_STR(m.default_spec, "bar");
	CHECK(m.timeout == 7);
	CHECK(m.n == 5);
	if (m.n == 5) {
		/* search moved $root to another partition */
		CHECK(m.e[0].kind == ENTRY_LINUX);
		CHECK_STR(m.e[0].kernel, "/vmlinuz");
		CHECK_STR(m.e[0].kernel_dev, "hd0,msdos2");
		CHECK_STR(m.e[0].args, "root=/dev/xvda1 ro");
		CHECK(m.e[0].ninitrd == 2);
		CHECK_STR(m.e[0].initrd[0], "/i1");
		CHECK_STR(m.e[0].initrd[1], "/i2");
		CHECK_STR(m.e[0].initrd_dev[1], "hd0,msdos2");
		/* back on the config's own device: no _dev */
		CHECK_STR(m.e[1].kernel, "/vmlinuz2");
		CHECK(m.e[1].kernel_dev == NULL);
		CHECK_STR(m.e[1].initrd[0], "/x");
		CHECK_STR(m.e[1].initrd_dev[0], "hd0,msdos3");
		CHECK(m.e[2].kind == ENTRY_NOT_PV);
		CHECK_STR(m.e[2].note,
			  "multiboot (Xen hypervisor or other multiboot kernel)");
		CHECK(m.e[3].kind == ENTRY_NOT_PV);
		CHECK_STR(m.e[4].title, "custom");
		CHECK_STR(m.e[4].args, "x=foo");
	}
	menu_free(&m);

	/* no next_entry: saved_entry; a whitelist of variables */
	make_env("saved_entry=foo\n");
	r = parse_str(io_cfg, &io, &m);
	CHECK(r == 0);
	CHECK_STR(m.default_spec, "foo");
	menu_free(&m);
	make_env("saved_entry=foo\nother=1\n");
	r = parse_str("load_env -f $prefix/grubenv other\n"
		      "set default=\"x${saved_entry}${other}\"\n", &io, &m);
	CHECK(r == 0);
	CHECK_STR(m.default_spec, "x1");
	menu_free(&m);

	/* a grubenv that is not one: load_env fails, nothing fatal */
	fs.f[0].data = "hello=1\n";
	fs.f[0].len = 8;
	r = parse_str(io_cfg, &io, &m);
	CHECK(r == 0);
	CHECK(m.default_spec == NULL);
	menu_free(&m);
	fs.f[0].data = envblk;
	fs.f[0].len = sizeof(envblk);

	/* source of itself: bounded */
	add_file(&fs, "/boot/grub/loop.cfg", "source $prefix/loop.cfg\n");
	r = parse_str("source $prefix/loop.cfg\n", &io, &m);
	CHECK(r == PV_ELIMIT);
	menu_free(&m);

	/* configfile replaces the menu, in a fresh context */
	add_file(&fs, "/boot/grub/real.cfg",
		 "set default=r2\nmenuentry r1 { linux /r1 $x }\n");
	r = parse_str("menuentry stub { linux /stub }\n"
		      "x=notexported\n"
		      "configfile $prefix/real.cfg\n"
		      "menuentry after { linux /after }\n", &io, &m);
	CHECK(r == 0);
	CHECK(m.n == 1);
	if (m.n == 1) {
		CHECK_STR(m.e[0].title, "r1");
		CHECK_STR(m.e[0].args, "");
	}
	CHECK_STR(m.default_spec, "r2");
	menu_free(&m);

	/* a syntax error in a sourced file names that file */
	add_file(&fs, "/boot/grub/bad.cfg", "\nfi\n");
	r = parse_str("source /boot/grub/bad.cfg\n", &io, &m);
	CHECK(r == PV_ECORRUPT);
	CHECK(strstr(pv_errmsg(), "/boot/grub/bad.cfg:2:") != NULL);
	menu_free(&m);
}

static void test_blscfg(void)
{
	static const char cfg[] =
		"load_env\n"
		"set default=\"${saved_entry}\"\n"
		"blscfg\n"
		"menuentry after { linux /after }\n";
	static const char e510[] = "title Fedora (5.10)\nversion 5.10\n"
				   "linux /vmlinuz-5.10\ninitrd /initramfs-5.10.img\n"
				   "options $kernelopts\n";
	static const char e59[] = "title Fedora (5.9)\nversion 5.9\n"
				  "linux /boot/vmlinuz-5.9\n"
				  "options $kernelopts quiet\n";
	struct memfs fs = { 0 };
	struct cfg_io io = { &fs, mem_read, mem_stat, mem_list, mem_search,
			     "hd0,msdos1", NULL, NULL, NULL };
	struct menu m;
	int r;

	make_env("saved_entry=fedora-5.9\nkernelopts=root=/dev/xvda2 ro\n");
	/* /boot inside the root filesystem */
	fs.f[fs.n++] = (struct memfile){ NULL, "/boot/grub2/grubenv", envblk,
					 sizeof(envblk) };
	add_file(&fs, "/boot/loader/entries/fedora-5.10.conf", e510);
	add_file(&fs, "/boot/loader/entries/fedora-5.9.conf", e59);
	r = grub2_parse("/boot/grub2/grub.cfg", cfg, strlen(cfg), &io, &m);
	if (r < 0)
		fprintf(stderr, "blscfg: %s\n", pv_errmsg());
	CHECK(r == 0);
	CHECK_STR(m.default_spec, "fedora-5.9");
	CHECK(m.n == 3);
	if (m.n == 3) {
		/* newest first; /boot prepended unless already there */
		CHECK_STR(m.e[0].id, "fedora-5.10");
		CHECK_STR(m.e[0].title, "Fedora (5.10)");
		CHECK_STR(m.e[0].kernel, "/boot/vmlinuz-5.10");
		CHECK(m.e[0].kernel_dev == NULL);
		CHECK(m.e[0].ninitrd == 1);
		CHECK_STR(m.e[0].initrd[0], "/boot/initramfs-5.10.img");
		CHECK_STR(m.e[0].args, "root=/dev/xvda2 ro");
		CHECK_STR(m.e[1].kernel, "/boot/vmlinuz-5.9");
		CHECK_STR(m.e[1].args, "root=/dev/xvda2 ro quiet");
		CHECK_STR(m.e[2].title, "after");
	}
	menu_free(&m);

	/* a separate /boot: entries at /loader/entries, paths as they are */
	fs.n = 0;
	fs.f[fs.n++] = (struct memfile){ NULL, "/grub2/grubenv", envblk,
					 sizeof(envblk) };
	add_file(&fs, "/loader/entries/fedora-5.10.conf", e510);
	r = grub2_parse("/grub2/grub.cfg", cfg, strlen(cfg), &io, &m);
	CHECK(r == 0);
	CHECK(m.n == 2);
	if (m.n == 2) {
		CHECK_STR(m.e[0].kernel, "/vmlinuz-5.10");
		CHECK_STR(m.e[0].initrd[0], "/initramfs-5.10.img");
		CHECK_STR(m.e[0].args, "root=/dev/xvda2 ro");
	}
	menu_free(&m);

	/* no entries anywhere: blscfg adds nothing */
	fs.n = 0;
	r = grub2_parse("/grub2/grub.cfg", cfg, strlen(cfg), &io, &m);
	CHECK(r == 0);
	CHECK(m.n == 1);
	menu_free(&m);
}

/* --- hostile scripts --- */

static char *repeat(const char *a, size_t n, const char *b, size_t m)
{
	size_t la = strlen(a), lb = strlen(b), i;
	char *s = malloc(la * n + lb * m + 1), *p = s;

	for (i = 0; i < n; i++, p += la)
		memcpy(p, a, la);
	for (i = 0; i < m; i++, p += lb)
		memcpy(p, b, lb);
	*p = '\0';
	return s;
}

static int expect_err(const char *text, int code, const char *msg_part)
{
	struct menu m;
	int r = parse_str(text, NULL, &m);

	if (r != code || (msg_part && !strstr(pv_errmsg(), msg_part)))
		fprintf(stderr, "  got %d: %s\n", r, pv_errmsg());
	CHECK(r == code);
	if (msg_part)
		CHECK(strstr(pv_errmsg(), msg_part) != NULL);
	CHECK(m.n == 0);
	menu_free(&m);
	return r;
}

static void test_hostile(void)
{
	char *s;

	/* 10^5 nested submenus */
	s = repeat("submenu x {\n", 100000, "}\n", 100000);
	expect_err(s, PV_ELIMIT, "nested deeper");
	free(s);
	/* syntax errors name path:line */
	expect_err("menuentry x {\n linux /k\n", PV_ECORRUPT,
		   "/boot/grub/grub.cfg:1: end of file");
	expect_err("\n}\n", PV_ECORRUPT, "grub.cfg:2:");
	expect_err("if true; then\nfi\nfi\n", PV_ECORRUPT, "grub.cfg:3:");
	expect_err("if true; then echo\n", PV_ECORRUPT, "without 'fi'");
	expect_err("menuentry a {\n menuentry b { linux /k }\n}\n", PV_ECORRUPT,
		   "grub.cfg:2: menuentry inside menuentry");
	expect_err("menuentry 'x { linux /k }\n", PV_ECORRUPT, "quote");
	expect_err("set default=\"x\"y\"\n", PV_ECORRUPT, "quote");
	expect_err("linux /k a | b\n", PV_ECORRUPT, NULL);
	expect_err("menuentry x\n{ linux /k }\n", PV_ECORRUPT, "without '{'");
	{
		struct menu m;
		int r = grub2_parse("/g", "set a=1\0\n", 9, NULL, &m);

		CHECK(r == PV_ECORRUPT);
		menu_free(&m);
	}
	/* recursion bomb and an exponential one */
	expect_err("function f { f; }\nf\n", PV_ELIMIT, "recursion");
	expect_err("function f {\n"
		   "  if [ \"$1\" != xxxxxxxxxxxxxxxxxxxxxxxxx ]; then\n"
		   "    f \"x$1\"; f \"x$1\"\n"
		   "  fi\n"
		   "}\nf\n", PV_ELIMIT, "commands run");
	expect_err("while true; do true; done\n", PV_ELIMIT, "commands run");
	expect_err("while do done\n", PV_ELIMIT, "commands run");
	/* entries with 60000-byte titles: the menu's text is bounded */
	{
		char *t = repeat("set t=", 1, "x", 60000);
		char *u = repeat(t, 1, "\nmenuentry \"$t\" { linux /k \"$t\" }", 400);

		expect_err(u, PV_ELIMIT, "menu text");
		free(t);
		free(u);
	}
	/* huge expansion */
	s = repeat("set a=0123456789abcdef\n", 1, "set a=$a$a$a$a\n", 12);
	expect_err(s, PV_ELIMIT, "expansion larger");
	free(s);
	/* 2000 menuentries */
	s = repeat("", 0, "menuentry x { linux /k }\n", 2000);
	expect_err(s, PV_ELIMIT, "menu entries");
	free(s);
	/* too many variables */
	{
		char *t = malloc(2000 * 32), *p = t;
		int i;

		for (i = 0; i < 2000; i++)
			p += sprintf(p, "set v%d=1\n", i);
		expect_err(t, PV_ELIMIT, "variables");
		free(t);
	}
	/* one over-long command of short words */
	s = repeat("linux /k", 1, " a", 40000);
	expect_err(s, PV_ELIMIT, "command longer");
	free(s);
	/* one over-long word */
	s = repeat("linux /k ", 1, "a", 70000);
	expect_err(s, PV_ELIMIT, "longer than");
	free(s);
	/* unbalanced device prefix: the linux command fails, no crash */
	{
		struct menu m;
		int r = parse_str("menuentry x { linux (hd0/vmlinuz }\n", NULL, &m);

		CHECK(r == 0);
		CHECK(m.n == 1 && m.e[0].kind == ENTRY_NOT_PV);
		menu_free(&m);
	}
}

/* --- issue 15: save_env within one run, savedefault at boot --- */
#define HAS(blk, s) (memmem(blk, sizeof(blk), s, strlen(s)) != NULL)
static int mem_env_write(void *ctx, const char *dev, const char *path,
			 const char *buf, size_t len)
{
	const struct memfile *f = mem_find(ctx, dev, path);

	if (!f || f->len != len)
		return PV_EINVAL;
	memcpy((char *)f->data, buf, len); /* the test's own static block */
	return 0;
}

static const char *boot_title(const char *cfg, const char *want,
			      const struct cfg_io *io, struct menu *m)
{
	const struct menu_entry *e = NULL;

	menu_init(m, "grub2");
	if (grub2_parse("/boot/grub/grub.cfg", cfg, strlen(cfg), io, m) < 0 ||
	    menu_select(m, want, &e, NULL, 0) < 0 ||
	    menu_env_saves_run(io, e) < 0)
		return "(failed)";
	return e->title;
}

static void test_save_env(void)
{
	static const char header[] =
		"load_env\n"
		"if [ \"${next_entry}\" ] ; then\n"
		"   set default=\"${next_entry}\"\n"
		"   set next_entry=\n"
		"   save_env next_entry\n"
		"   set boot_once=true\n"
		"else\n"
		"   set default=\"${saved_entry}\"\n"
		"fi\n";
	static const char entries[] =
		"function savedefault {\n"
		"  if [ -z \"${boot_once}\" ]; then\n"
		"    saved_entry=\"${chosen}\"\n"
		"    save_env saved_entry\n"
		"  fi\n"
		"}\n"
		"menuentry 'A' --id a { savedefault\n linux /a }\n"
		"submenu 'S' --id s {\n"
		" menuentry 'B>1' --id b { savedefault\n linux /b }\n"
		" menuentry 'C' { savedefault\n linux /c }\n"
		"}\n";
	char cfg[4096], big[1100];
	struct memfs fs = { 0 };
	struct cfg_io io = { &fs, mem_read, mem_stat, NULL, mem_search, NULL,
			     mem_read, mem_env_write, NULL };
	struct menu m;

	fs.f[fs.n++] = (struct memfile){ NULL, "/boot/grub/grubenv", envblk,
					 sizeof(envblk) };
	/* openSUSE's double header: the second load_env sees the cleared
	 * next_entry, so saved_entry boots */
	make_env("saved_entry=s>b>>1\nnext_entry=a\n");
	snprintf(cfg, sizeof(cfg), "%s%s%s", header, header, entries);
	CHECK_STR(boot_title(cfg, NULL, &io, &m), "B>1");
	menu_free(&m);
	CHECK(HAS(envblk, "\nnext_entry=\n"));
	/* boot_once is not exported: a submenu entry's savedefault does not
	 * see it (GRUB's context rules) and saves its id path */
	CHECK(HAS(envblk, "saved_entry=s>b\n"));

	/* one header: next_entry boots once */
	make_env("saved_entry=s>b>>1\nnext_entry=a\n");
	snprintf(cfg, sizeof(cfg), "%s%s", header, entries);
	CHECK_STR(boot_title(cfg, NULL, &io, &m), "A");
	menu_free(&m);
	/* top level: boot_once is seen, savedefault saves nothing */
	CHECK(HAS(envblk, "saved_entry=s>b>>1\nnext_entry=\n#"));
	CHECK_STR(boot_title(cfg, NULL, &io, &m), "B>1");
	menu_free(&m);

	/* savedefault of the entry that boots, only: $chosen is the id path
	 * ('>' doubled, the title when there is no id) */
	make_env("saved_entry=a\n");
	CHECK_STR(boot_title(cfg, "C", &io, &m), "C");
	menu_free(&m);
	CHECK(HAS(envblk, "saved_entry=s>C\n"));
	CHECK_STR(boot_title(cfg, NULL, &io, &m), "C");
	menu_free(&m);

	/* set var= saves the empty value; unset deletes; other variables
	 * untouched; an overflow fails alone and the run goes on */
	make_env("keep=1\nx=old\n");
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(cfg, sizeof(cfg),
		 "set x=\nsave_env x\nset y=2\nsave_env y\nunset y\n"
		 "save_env y\nset huge=%s\nsave_env x huge\n"
		 "menuentry 'M' { linux /m }\n", big);
	CHECK_STR(boot_title(cfg, NULL, &io, &m), "M");
	menu_free(&m);
	CHECK(!strncmp(envblk + strlen(GRUBENV_SIGNATURE), "keep=1\nx=\n#", 11));
	CHECK(envblk[sizeof(envblk) - 1] == '#');
}

/* An elif chain is one nesting level however long; real nesting is
 * still capped at 32. */
static void test_elif_chain(void)
{
	struct strbuf sb;
	struct menu m;
	char *s;
	int i, r;

	sb_init(&sb, 1u << 20);
	sb_puts(&sb, "set pick=b137\nif [ \"$pick\" = a ]; then\n set k=/none\n");
	for (i = 0; i < 200; i++)
		sb_printf(&sb, "elif [ \"$pick\" = b%d ]; then\n set k=/vmlinuz-%d\n",
			  i, i);
	sb_puts(&sb, "else\n set k=/else\nfi\nmenuentry x { linux $k }\n");
	s = sb_take(&sb);
	CHECK(s != NULL);
	r = parse_str(s, NULL, &m);
	if (r < 0)
		fprintf(stderr, "  elif chain: %s\n", pv_errmsg());
	CHECK(r == 0);
	CHECK(r == 0 && m.n == 1 && m.e[0].kernel &&
	      strcmp(m.e[0].kernel, "/vmlinuz-137") == 0);
	if (r == 0)
		menu_free(&m);
	free(s);
	/* none matches: the else branch */
	s = repeat("set pick=zz\nif false; then set k=/a\n", 1,
		   "elif false; then set k=/b\n", 300);
	{
		char *t = repeat(s, 1, "else set k=/else\nfi\nmenuentry x { linux $k }\n", 1);

		r = parse_str(t, NULL, &m);
		CHECK(r == 0 && m.n == 1 && strcmp(m.e[0].kernel, "/else") == 0);
		if (r == 0)
			menu_free(&m);
		free(t);
	}
	free(s);
	/* 32 nested ifs are allowed, 33 are refused */
	s = repeat("if true; then\n", 32, "fi\n", 32);
	{
		char *t = repeat(s, 1, "menuentry x { linux /k }\n", 1);

		r = parse_str(t, NULL, &m);
		CHECK(r == 0);
		if (r == 0)
			menu_free(&m);
		free(t);
	}
	free(s);
	s = repeat("if true; then\n", 33, "fi\n", 33);
	expect_err(s, PV_ELIMIT, "nested deeper than 32");
	free(s);
	/* nesting inside an elif branch counts */
	s = repeat("if false; then true\nelif true; then\n", 1, "if true; then\n", 32);
	{
		char *t = repeat(s, 1, "fi\n", 33);

		expect_err(t, PV_ELIMIT, "nested deeper than 32");
		free(t);
	}
	free(s);
}

/* The steps are the run's: two configs parsed with one cfg_budget share
 * PV_MAX_STEPS, each alone stays under it. */
static void test_shared_budget(void)
{
	const char *w = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
			"21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40";
	struct cfg_budget budget = { 0 };
	struct cfg_io io = { 0 };
	struct strbuf sb;
	struct menu m;
	char *cfg;
	int r;

	sb_init(&sb, 1u << 16);
	/* 40^3 rounds of "true": about 130000 steps */
	sb_printf(&sb, "for a in %s; do for b in %s; do for c in %s; do true; done; done; done\n"
		  "menuentry x { linux /k }\n", w, w, w);
	cfg = sb_take(&sb);
	CHECK(cfg != NULL);
	r = parse_str(cfg, NULL, &m);
	CHECK(r == 0);
	if (r == 0)
		menu_free(&m);
	io.budget = &budget;
	r = parse_str(cfg, &io, &m);
	CHECK(r == 0 && budget.steps > 100000);
	if (r == 0)
		menu_free(&m);
	r = parse_str(cfg, &io, &m);
	CHECK(r == PV_ELIMIT && strstr(pv_errmsg(), "more than 200000 commands run"));
	free(cfg);
}

int main(void)
{
	pv_quiet_warnings = 1;
	test_debian_wheezy();
	test_fedora16();
	test_fedora19();
	test_rhel7();
	test_ubuntu1404();
	test_quoting();
	test_variables_functions();
	test_submenu_scoping();
	test_io();
	test_blscfg();
	test_hostile();
	test_save_env();
	test_elif_chain();
	test_shared_budget();
	return unit_report("grub2");
}
