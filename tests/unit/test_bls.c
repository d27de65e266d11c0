/* SPDX-License-Identifier: GPL-2.0-or-later */
/* BLS entries: parsing, rpm version order, loading a directory through an
 * in-memory cfg_io, options expansion, loader.conf, hostile inputs. */
#include "menu/bls.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string literal and its length, NUL bytes included. */
#define LIT(s) s, sizeof(s) - 1

/* --- an in-memory filesystem --- */

struct memfile {
	const char *path;
	const char *data;
	size_t len; /* 0: strlen(data) */
};

struct memfs {
	const struct memfile *f;
	size_t n;
	const char *gen_dir; /* list this many generated names in gen_dir */
	size_t gen_count;
	int reads;
};

static int mem_read(void *ctx, const char *dev, const char *path, char **buf,
		    size_t *len)
{
	struct memfs *fs = ctx;
	size_t i, l;

	(void)dev;
	fs->reads++;
	for (i = 0; i < fs->n; i++) {
		if (strcmp(fs->f[i].path, path) != 0)
			continue;
		l = fs->f[i].len ? fs->f[i].len : strlen(fs->f[i].data);
		*buf = malloc(l + 1);
		if (!*buf)
			return PV_ENOMEM;
		memcpy(*buf, fs->f[i].data, l);
		(*buf)[l] = '\0';
		*len = l;
		return 0;
	}
	if (fs->gen_dir && strncmp(path, fs->gen_dir, strlen(fs->gen_dir)) == 0) {
		*buf = strdup("linux /vmlinuz\n");
		*len = strlen(*buf);
		return *buf ? 0 : PV_ENOMEM;
	}
	return PV_ENOENT;
}

static int mem_list(void *ctx, const char *dev, const char *path,
		    int (*cb)(void *cbctx, const char *name), void *cbctx)
{
	struct memfs *fs = ctx;
	size_t i, pl = strlen(path);
	int found = 0, r;
	char name[64];

	(void)dev;
	if (fs->gen_dir && strcmp(path, fs->gen_dir) == 0) {
		for (i = 0; i < fs->gen_count; i++) {
			snprintf(name, sizeof(name), "gen-%zu.conf", i);
			r = cb(cbctx, name);
			if (r)
				return r;
		}
		return 0;
	}
	for (i = 0; i < fs->n; i++) {
		const char *p = fs->f[i].path;

		if (strncmp(p, path, pl) != 0 || p[pl] != '/' ||
		    strchr(p + pl + 1, '/'))
			continue;
		found = 1;
		r = cb(cbctx, p + pl + 1);
		if (r)
			return r;
	}
	return found ? 0 : PV_ENOENT;
}

static struct cfg_io mem_io(struct memfs *fs)
{
	struct cfg_io io;

	memset(&io, 0, sizeof(io));
	io.ctx = fs;
	io.read_file = mem_read;
	io.list_dir = mem_list;
	return io;
}

/* --- fixtures --- */

#define MID "e3b0c44298fc1c149afbf4c8996fb924"

static const char fedora39[] =
	"title Fedora Linux (6.5.6-300.fc39.x86_64) 39 (Workstation Edition)\n"
	"version 6.5.6-300.fc39.x86_64\n"
	"linux /vmlinuz-6.5.6-300.fc39.x86_64\n"
	"initrd /initramfs-6.5.6-300.fc39.x86_64.img\n"
	"options $kernelopts\n"
	"grub_users $grub_users\n"
	"grub_arg --unrestricted\n"
	"grub_class fedora\n";

static const char two_initrds[] =
	"# written by hand\r\n"
	"  title\tCustom kernel  \r\n"
	"machine-id " MID "\n"
	"linux /vmlinuz-custom\n"
	"initrd /intel-ucode.img\n"
	"initrd /initramfs-custom.img\n"
	"options root=UUID=0b2f ro\n"
	"options   rhgb  quiet\n"
	"lonelykey\n"
	"frobnicate yes\n"
	"title Second title is ignored\n";

static const struct memfile entries[] = {
	{ "/loader/entries/" MID "-5.14.0-362.el9.x86_64.conf",
	  "title RHEL 9.3\nversion 5.14.0-362.el9.x86_64\n"
	  "linux /vmlinuz-5.14.0-362.el9.x86_64\n"
	  "initrd /initramfs-5.14.0-362.el9.x86_64.img\n"
	  "options root=/dev/xvda2 ro\n", 0 },
	{ "/loader/entries/" MID "-5.14.0-70.el9.x86_64.conf",
	  "title RHEL 9.0\nlinux /vmlinuz-5.14.0-70.el9.x86_64\n", 0 },
	{ "/loader/entries/" MID "-6.5.6-300.fc39.x86_64.conf", fedora39, 0 },
	{ "/loader/entries/" MID "-6.5.10-200.fc39.x86_64.conf",
	  "version 6.5.10-200.fc39.x86_64\n"
	  "linux /vmlinuz-6.5.10-200.fc39.x86_64\n", 0 },
	{ "/loader/entries/" MID "-0-rescue.conf",
	  "title Rescue\nlinux /vmlinuz-0-rescue-" MID "\n"
	  "options $kernelopts single\n", 0 },
	{ "/loader/entries/" MID "-nolinux.conf", "title No kernel\n", 0 },
	{ "/loader/entries/README", "not an entry\n", 0 },
	{ "/loader/entries/.hidden.conf", "linux /x\n", 0 },
	{ "/loader/entries/nul.conf", "title t\nlinux /vmlinuz\0/etc/shadow\n",
	  sizeof("title t\nlinux /vmlinuz\0/etc/shadow\n") - 1 },
	{ "/loader/loader.conf", "", 0 },
};

static const char *getvar(void *ctx, const char *name)
{
	(void)ctx;
	if (strcmp(name, "kernelopts") == 0)
		return "root=/dev/mapper/fedora-root ro  rd.lvm.lv=fedora/root\t"
		       "rhgb quiet";
	if (strcmp(name, "default_kernelopts") == 0)
		return "root=/dev/xvda1 ro";
	if (strcmp(name, "a") == 0)
		return "x";
	return NULL;
}

static char *bigval;

static const char *getvar_big(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return bigval;
}

/* --- tests --- */

static void test_parse(void)
{
	struct bls_entry e;

	CHECK(bls_parse_entry("/loader/entries/" MID "-6.5.6-300.fc39.x86_64.conf",
			      fedora39, sizeof(fedora39) - 1, &e) == 0);
	CHECK_STR(e.file_id, MID "-6.5.6-300.fc39.x86_64");
	CHECK_STR(e.title,
		  "Fedora Linux (6.5.6-300.fc39.x86_64) 39 (Workstation Edition)");
	CHECK_STR(e.version, "6.5.6-300.fc39.x86_64");
	CHECK_STR(e.linux, "/vmlinuz-6.5.6-300.fc39.x86_64");
	CHECK(e.ninitrd == 1);
	CHECK_STR(e.initrd[0], "/initramfs-6.5.6-300.fc39.x86_64.img");
	CHECK_STR(e.options, "$kernelopts");
	bls_entry_free(&e);

	CHECK(bls_parse_entry("x/custom.conf", two_initrds,
			      sizeof(two_initrds) - 1, &e) == 0);
	CHECK_STR(e.file_id, "custom");
	CHECK_STR(e.title, "Custom kernel");
	CHECK_STR(e.machine_id, MID);
	CHECK(e.version == NULL);
	CHECK(e.ninitrd == 2);
	CHECK_STR(e.initrd[0], "/intel-ucode.img");
	CHECK_STR(e.initrd[1], "/initramfs-custom.img");
	CHECK_STR(e.options, "root=UUID=0b2f ro rhgb  quiet");
	bls_entry_free(&e);

	/* several initrds on one line, as GRUB's initrd command takes them */
	CHECK(bls_parse_entry("a.conf", LIT("linux /k\ninitrd /a /b\ninitrd /c\n"),
			      &e) == 0);
	CHECK(e.ninitrd == 3);
	CHECK_STR(e.initrd[2], "/c");
	bls_entry_free(&e);

	/* no linux: parses, bls_load_dir skips it */
	CHECK(bls_parse_entry("n.conf", LIT("title x\n"), &e) == 0);
	CHECK(e.linux == NULL);
	bls_entry_free(&e);
}

static void test_vercmp(void)
{
	CHECK(bls_vercmp("1.0", "1.0") == 0);
	CHECK(bls_vercmp("1.0", "2.0") < 0);
	CHECK(bls_vercmp("2.0", "1.0") > 0);
	CHECK(bls_vercmp("2.0.1", "2.0") > 0);
	CHECK(bls_vercmp("2.0.1a", "2.0.1") > 0);
	CHECK(bls_vercmp("5.5p1", "5.5p2") < 0);
	CHECK(bls_vercmp("5.5p10", "5.5p2") > 0);
	CHECK(bls_vercmp("10xyz", "10.1xyz") < 0);
	CHECK(bls_vercmp("xyz10", "xyz10.1") < 0);
	CHECK(bls_vercmp("1.0aa", "1.0a") > 0);
	CHECK(bls_vercmp("10", "9") > 0);
	CHECK(bls_vercmp("1.01", "1.1") == 0);      /* leading zeros */
	CHECK(bls_vercmp("1.001", "1.0010") < 0);
	CHECK(bls_vercmp("1", "a") > 0);            /* digits beat letters */
	CHECK(bls_vercmp("a", "1") < 0);
	CHECK(bls_vercmp("1.0", "1.0.") == 0);      /* separators only */
	CHECK(bls_vercmp("1_0", "1.0") == 0);
	CHECK(bls_vercmp("1.0~rc1", "1.0") < 0);    /* tilde */
	CHECK(bls_vercmp("1.0~rc1", "1.0~rc2") < 0);
	CHECK(bls_vercmp("1.0~rc1~git123", "1.0~rc1") < 0);
	CHECK(bls_vercmp("1.0", "1.0~rc1") > 0);
	CHECK(bls_vercmp("1.0^", "1.0") > 0);       /* caret */
	CHECK(bls_vercmp("1.0^git1", "1.0") > 0);
	CHECK(bls_vercmp("1.0^git1", "1.0.1") < 0);
	CHECK(bls_vercmp("1.0^git1", "1.0^git2") < 0);
	CHECK(bls_vercmp("1.0^git1~pre", "1.0^git1") < 0);
	CHECK(bls_vercmp("1.0^20160101", "1.0.1") < 0);
	CHECK(bls_vercmp("6.5.10", "6.5.6") > 0);
	CHECK(bls_vercmp("362.el9", "70.el9") > 0);
	CHECK(bls_vercmp("99999999999999999999999", "100000000000000000000000") < 0);
	CHECK(bls_vercmp("", "") == 0);
	CHECK(bls_vercmp(NULL, "1") < 0);
}

static void test_load_sorted(void)
{
	struct memfs fs = { entries, sizeof(entries) / sizeof(entries[0]),
			    NULL, 0, 0 };
	struct cfg_io io = mem_io(&fs);
	struct bls_entry *e = NULL;
	size_t n = 0, i;

	pv_quiet_warnings = 1;
	CHECK(bls_load_dir(&io, NULL, "/loader/entries", &e, &n) == 0);
	/* nolinux, README, .hidden and the NUL-cut linux line are skipped */
	CHECK(n == 5);
	if (n == 5) {
		CHECK_STR(e[0].file_id, MID "-6.5.10-200.fc39.x86_64");
		CHECK_STR(e[1].file_id, MID "-6.5.6-300.fc39.x86_64");
		CHECK_STR(e[2].file_id, MID "-5.14.0-362.el9.x86_64");
		CHECK_STR(e[3].file_id, MID "-5.14.0-70.el9.x86_64");
		CHECK_STR(e[4].file_id, MID "-0-rescue");
	}
	for (i = 0; i < n; i++)
		bls_entry_free(&e[i]);
	free(e);

	/* missing directory */
	CHECK(bls_load_dir(&io, NULL, "/nowhere", &e, &n) == PV_ENOENT);
	CHECK(e == NULL && n == 0);
	/* no io at all behaves as not found */
	CHECK(bls_load_dir(NULL, NULL, "/loader/entries", &e, &n) == PV_ENOENT);
}

static void test_ties(void)
{
	static const struct memfile f[] = {
		{ "/e/m-1.0-1.conf", "linux /b\n", 0 },
		{ "/e/m-1.0-01.conf", "linux /a\n", 0 },
		{ "/e/m-1.0~rc1-1.conf", "linux /c\n", 0 },
		{ "/e/plain.conf", "linux /d\n", 0 },
	};
	struct memfs fs = { f, 4, NULL, 0, 0 };
	struct cfg_io io = mem_io(&fs);
	struct bls_entry *e;
	size_t n, i;

	CHECK(bls_load_dir(&io, NULL, "/e", &e, &n) == 0);
	CHECK(n == 4);
	if (n == 4) {
		/* name "plain" > name "m" (letters compared), then the two
		 * equal versions by file name, then the ~rc */
		CHECK_STR(e[0].file_id, "plain");
		CHECK_STR(e[1].file_id, "m-1.0-01");
		CHECK_STR(e[2].file_id, "m-1.0-1");
		CHECK_STR(e[3].file_id, "m-1.0~rc1-1");
	}
	for (i = 0; i < n; i++)
		bls_entry_free(&e[i]);
	free(e);
}

static void test_expand(void)
{
	char *s;

	s = bls_expand_options("$kernelopts", getvar, NULL);
	CHECK_STR(s, "root=/dev/mapper/fedora-root ro rd.lvm.lv=fedora/root "
		     "rhgb quiet");
	free(s);
	s = bls_expand_options("  ${a}b   $nope root=x  ", getvar, NULL);
	CHECK_STR(s, "xb root=x");
	free(s);
	/* blscfg ends a word after a $name value */
	s = bls_expand_options("c=$a,115200", getvar, NULL);
	CHECK_STR(s, "c=x ,115200");
	free(s);
	s = bls_expand_options("acpi_osi=\"Windows 2015\" "
			       "dyndbg='file x.c +p'  a\\b", getvar, NULL);
	CHECK_STR(s, "\"acpi_osi=Windows 2015\" \"dyndbg=file x.c +p\" ab");
	free(s);
	s = bls_expand_options("cost$ $ ${unclosed ${}", getvar, NULL);
	CHECK_STR(s, "cost$ $ ${unclosed ${}");
	free(s);
	s = bls_expand_options("$kernelopts quiet", NULL, NULL);
	CHECK_STR(s, "quiet");
	free(s);
	s = bls_expand_options(NULL, NULL, NULL);
	CHECK_STR(s, "");
	free(s);

	/* expansion bound */
	bigval = malloc(40000);
	memset(bigval, 'y', 39999);
	bigval[39999] = '\0';
	s = bls_expand_options("$a", getvar_big, NULL);
	CHECK(s != NULL && strlen(s) == 39999);
	free(s);
	s = bls_expand_options("$a $a", getvar_big, NULL);
	CHECK(s == NULL);
	free(bigval);
}

static void test_append(void)
{
	struct memfs fs = { entries, sizeof(entries) / sizeof(entries[0]),
			    NULL, 0, 0 };
	struct cfg_io io = mem_io(&fs);
	struct bls_entry *e;
	struct menu m;
	size_t n, i;

	CHECK(bls_load_dir(&io, NULL, "/loader/entries", &e, &n) == 0);
	menu_init(&m, "grub2");
	CHECK(bls_append_to_menu(e, n, "/boot", getvar, NULL, &m) == 0);
	CHECK(m.n == 5);
	if (m.n == 5) {
		/* no title: the version */
		CHECK_STR(m.e[0].title, "6.5.10-200.fc39.x86_64");
		CHECK_STR(m.e[0].id, MID "-6.5.10-200.fc39.x86_64");
		CHECK(m.e[0].kind == ENTRY_LINUX);
		CHECK_STR(m.e[0].kernel, "/boot/vmlinuz-6.5.10-200.fc39.x86_64");
		CHECK(m.e[0].ninitrd == 0);
		/* no options: $default_kernelopts */
		CHECK_STR(m.e[0].args, "root=/dev/xvda1 ro");
		CHECK_STR(m.e[1].args, "root=/dev/mapper/fedora-root ro "
			  "rd.lvm.lv=fedora/root rhgb quiet");
		CHECK(m.e[2].ninitrd == 1);
		CHECK_STR(m.e[2].initrd[0],
			  "/boot/initramfs-5.14.0-362.el9.x86_64.img");
		CHECK(m.e[2].initrd_dev[0] == NULL);
		CHECK_STR(m.e[2].args, "root=/dev/xvda2 ro");
		CHECK_STR(m.e[4].title, "Rescue");
		CHECK_STR(m.e[4].args, "root=/dev/mapper/fedora-root ro "
			  "rd.lvm.lv=fedora/root rhgb quiet single");
	}
	menu_free(&m);

	/* no title, no version: the file id; empty prefix keeps paths */
	menu_init(&m, "grub2");
	free(e[0].version);
	e[0].version = NULL;
	CHECK(bls_append_to_menu(e, 1, "", NULL, NULL, &m) == 0);
	CHECK(m.n == 1);
	CHECK_STR(m.e[0].title, MID "-6.5.10-200.fc39.x86_64");
	CHECK_STR(m.e[0].kernel, "/vmlinuz-6.5.10-200.fc39.x86_64");
	CHECK_STR(m.e[0].args, "");
	menu_free(&m);
	for (i = 0; i < n; i++)
		bls_entry_free(&e[i]);
	free(e);
}

/* RHEL 8 entries end their initrd line with $tuned_initrd: GRUB expands
 * it when the entry runs, so empty adds nothing and "a b" adds two. */
static const char *getvar_tuned(void *ctx, const char *name)
{
	if (strcmp(name, "tuned_initrd") == 0)
		return ctx;
	return NULL;
}

static void test_initrd_vars(void)
{
	static const char rhel8[] =
		"title Rocky Linux (4.18.0-553.el8_10.x86_64) 8.10\n"
		"version 4.18.0-553.el8_10.x86_64\n"
		"linux /vmlinuz-4.18.0-553.el8_10.x86_64\n"
		"initrd /initramfs-4.18.0-553.el8_10.x86_64.img $tuned_initrd\n"
		"options $kernelopts $tuned_params\n";
	struct bls_entry b;
	struct menu m;

	memset(&b, 0, sizeof(b));
	CHECK(bls_parse_entry("/loader/entries/x.conf", rhel8,
			      sizeof(rhel8) - 1, &b) == 0);
	menu_init(&m, "grub2");
	CHECK(bls_append_to_menu(&b, 1, "", getvar_tuned, "", &m) == 0);
	CHECK(m.n == 1 && m.e[0].ninitrd == 1);
	if (m.n == 1 && m.e[0].ninitrd == 1)
		CHECK_STR(m.e[0].initrd[0],
			  "/initramfs-4.18.0-553.el8_10.x86_64.img");
	menu_free(&m);
	menu_init(&m, "grub2");
	CHECK(bls_append_to_menu(&b, 1, "/boot", getvar_tuned,
				 "/tuned.img  early.img", &m) == 0);
	CHECK(m.n == 1 && m.e[0].ninitrd == 3);
	if (m.n == 1 && m.e[0].ninitrd == 3) {
		CHECK_STR(m.e[0].initrd[1], "/boot/tuned.img");
		CHECK_STR(m.e[0].initrd[2], "/boot/early.img");
	}
	menu_free(&m);
	/* sd-boot (no variables): the word is a file name as written */
	menu_init(&m, "bls");
	CHECK(bls_append_to_menu(&b, 1, "", NULL, NULL, &m) == 0);
	CHECK(m.n == 1 && m.e[0].ninitrd == 2);
	menu_free(&m);
	bls_entry_free(&b);
}

static void test_loader(void)
{
	static const struct memfile boot_entries[] = {
		{ "/boot/loader/entries/arch.conf",
		  "title Arch Linux\nlinux /vmlinuz-linux\n"
		  "initrd /initramfs-linux.img\noptions root=/dev/xvda2 rw\n", 0 },
		{ "/boot/loader/entries/arch-lts.conf",
		  "title Arch Linux LTS\nlinux /vmlinuz-linux-lts\n", 0 },
	};
	struct memfs fs = { entries, sizeof(entries) / sizeof(entries[0]),
			    NULL, 0, 0 };
	struct memfs fs2 = { boot_entries, 2, NULL, 0, 0 };
	struct cfg_io io = mem_io(&fs), io2 = mem_io(&fs2);
	struct menu m;
	const char *conf;

	conf = "# sd-boot\ndefault " MID "-5.14*\ntimeout 5\n"
	       "console-mode max\neditor no\n";
	CHECK(bls_loader_parse("/loader/loader.conf", conf, strlen(conf), &io,
			       &m) == 0);
	CHECK_STR(m.format, "bls");
	CHECK(m.n == 5);
	CHECK(m.timeout == 5);
	/* the first match in blscfg order: 362 before 70 */
	CHECK_STR(m.default_spec, MID "-5.14.0-362.el9.x86_64");
	menu_free(&m);

	/* a glob with the .conf suffix, case-insensitive as sd-boot ids */
	conf = "default *RESCUE.conf\ntimeout menu-hidden\n";
	CHECK(bls_loader_parse("/loader/loader.conf", conf, strlen(conf), &io,
			       &m) == 0);
	CHECK_STR(m.default_spec, MID "-0-rescue");
	CHECK(m.timeout == 0 && m.hidden == 1);
	menu_free(&m);

	/* @saved: we have no EFI variables, the first entry boots */
	conf = "default @saved\ntimeout abc\n";
	CHECK(bls_loader_parse("/boot/loader/loader.conf", conf, strlen(conf),
			       &io2, &m) == 0);
	CHECK(m.default_spec == NULL);
	CHECK(m.timeout == 0); /* a bad timeout is ignored: sd-boot's 0 */
	CHECK(m.n == 2);
	if (m.n == 2) {
		/* "arch-lts" splits as name "arch", version "lts": newer
		 * than the bare name "arch" */
		CHECK_STR(m.e[0].id, "arch-lts");
		CHECK_STR(m.e[1].title, "Arch Linux");
		CHECK_STR(m.e[1].args, "root=/dev/xvda2 rw");
		CHECK_STR(m.e[1].initrd[0], "/initramfs-linux.img");
	}
	menu_free(&m);

	/* a default glob matching nothing keeps default_spec unset */
	conf = "default nothing-*\n";
	CHECK(bls_loader_parse("/boot/loader/loader.conf", conf, strlen(conf),
			       &io2, &m) == 0);
	CHECK(m.default_spec == NULL);
	menu_free(&m);

	/* no entries directory */
	CHECK(bls_loader_parse("/efi/loader/loader.conf", "timeout 3\n", 10,
			       &io2, &m) == PV_ENOENT);
	CHECK(m.n == 0);
	menu_free(&m);

	/* a pathological glob stays fast and matches nothing */
	conf = "default *a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n";
	CHECK(bls_loader_parse("/boot/loader/loader.conf", conf, strlen(conf),
			       &io2, &m) == 0);
	CHECK(m.default_spec == NULL);
	menu_free(&m);
}

static void test_hostile(void)
{
	struct memfs fs = { NULL, 0, "/many", 2000, 0 };
	struct cfg_io io = mem_io(&fs);
	struct bls_entry e, *ents;
	size_t n, i, len;
	char *buf;
	int r;

	/* 10^4 initrd lines: bounded by PV_MAX_INITRDS */
	buf = malloc(10000 * 16 + 32);
	len = (size_t)sprintf(buf, "linux /k\n");
	for (i = 0; i < 10000; i++)
		len += (size_t)sprintf(buf + len, "initrd /i%03zu\n", i % 1000);
	CHECK(bls_parse_entry("x.conf", buf, len, &e) == PV_ELIMIT);
	CHECK(e.ninitrd == 0 && e.linux == NULL); /* freed on error */
	free(buf);

	/* options repeated without end: bounded by PV_MAX_EXPANSION */
	buf = malloc(10000 * 24 + 32);
	len = 0;
	for (i = 0; i < 10000; i++)
		len += (size_t)sprintf(buf + len, "options abcdefghijkl\n");
	CHECK(bls_parse_entry("x.conf", buf, len, &e) == PV_ELIMIT);
	free(buf);

	/* a 100 KB title */
	buf = malloc(100 * 1024 + 64);
	memcpy(buf, "title ", 6);
	memset(buf + 6, 'T', 100 * 1024);
	len = 6 + 100 * 1024;
	len += (size_t)sprintf(buf + len, "\nlinux /k\n");
	CHECK(bls_parse_entry("x.conf", buf, len, &e) == PV_ELIMIT);
	CHECK(strstr(pv_errmsg(), "x.conf:1:") != NULL);
	free(buf);

	/* NUL bytes: the line is dropped, never cut at the NUL */
	r = bls_parse_entry("x.conf", LIT("title a\0b\nlinux /k\0/etc/shadow\n"
					 "linux /vmlinuz\n"), &e);
	CHECK(r == 0);
	CHECK(e.title == NULL);
	CHECK_STR(e.linux, "/vmlinuz");
	bls_entry_free(&e);

	/* escape sequences in options are refused with the line */
	CHECK(bls_parse_entry("x.conf", LIT("linux /k\noptions a\033[2Jb\n"),
			      &e) == 0);
	CHECK(e.options == NULL);
	bls_entry_free(&e);

	/* 2000 .conf files: PV_ELIMIT, nothing read past the cap */
	CHECK(bls_load_dir(&io, NULL, "/many", &ents, &n) == PV_ELIMIT);
	CHECK(ents == NULL && n == 0);
	CHECK(fs.reads == 0);
	/* exactly the cap is fine */
	fs.gen_count = PV_MAX_BLS_ENTRIES;
	CHECK(bls_load_dir(&io, NULL, "/many", &ents, &n) == 0);
	CHECK(n == PV_MAX_BLS_ENTRIES);
	for (i = 0; i < n; i++)
		bls_entry_free(&ents[i]);
	free(ents);
}

int main(void)
{
	pv_quiet_warnings = 1;
	test_parse();
	test_vercmp();
	test_load_sorted();
	test_ties();
	test_expand();
	test_append();
	test_initrd_vars();
	test_loader();
	test_hostile();
	return unit_report("bls");
}
