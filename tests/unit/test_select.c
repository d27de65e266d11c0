/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entry selection: menu/select.c, against grub-semantics.md's observed
 * outcomes and pygrub's --entry. */
#include "menu/menu.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdlib.h>

static struct menu_entry *add(struct menu *m, enum entry_kind kind,
			      const char *title, const char *id)
{
	struct menu_entry *e = menu_add(m);

	if (!e)
		abort();
	e->kind = kind;
	menu_set(&e->title, title);
	menu_set(&e->id, id);
	if (kind == ENTRY_LINUX)
		menu_set(&e->kernel, "/vmlinuz");
	if (kind == ENTRY_NOT_PV)
		menu_set(&e->note, "multiboot (Xen hypervisor)");
	if (kind == ENTRY_SUBMENU) {
		e->sub = malloc(sizeof(*e->sub));
		if (!e->sub)
			abort();
		menu_init(e->sub, m->format);
	}
	return e;
}

/*
 * grub-mkconfig's Debian 12 layout:
 * 0 Debian GNU/Linux                                  (simple)
 * 1 Advanced options for Debian GNU/Linux             (submenu)
 *   0 Debian GNU/Linux, with Linux 6.1.0-13-amd64
 *   1 Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)
 *   2 Debian GNU/Linux, with Linux 5.10.0-26-amd64
 *   3 Debian GNU/Linux, with Linux 5.10.0-26-amd64 (recovery mode)
 * 2 Debian GNU/Linux, with Xen hypervisor             (multiboot: NOT_PV)
 * 3 a>b                                                (a '>' in a title)
 */
#define ADV "Advanced options for Debian GNU/Linux"
#define K5 "Debian GNU/Linux, with Linux 5.10.0-26-amd64"

static void debian(struct menu *m)
{
	struct menu_entry *sub;
	struct menu *s;

	menu_init(m, "grub2");
	add(m, ENTRY_LINUX, "Debian GNU/Linux", "gnulinux-simple-u1");
	sub = add(m, ENTRY_SUBMENU, ADV, "gnulinux-advanced-u1");
	s = sub->sub;
	add(s, ENTRY_LINUX, "Debian GNU/Linux, with Linux 6.1.0-13-amd64",
	    "gnulinux-6.1.0-13-amd64-advanced-u1");
	add(s, ENTRY_LINUX, "Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)",
	    "gnulinux-6.1.0-13-amd64-recovery-u1");
	add(s, ENTRY_LINUX, K5, "gnulinux-5.10.0-26-amd64-advanced-u1");
	add(s, ENTRY_LINUX, K5 " (recovery mode)",
	    "gnulinux-5.10.0-26-amd64-recovery-u1");
	add(m, ENTRY_NOT_PV, "Debian GNU/Linux, with Xen hypervisor", "xen");
	add(m, ENTRY_LINUX, "a>b", NULL);
}

/* The path menu_select picks for default spec (NULL: the menu's own). */
static const char *pick(struct menu *m, const char *spec)
{
	static char path[64];
	const struct menu_entry *e;

	menu_set(&m->default_spec, spec);
	if (menu_select(m, NULL, &e, path, sizeof(path)) < 0)
		return "error";
	return path;
}

static const char *pick_want(struct menu *m, const char *want, int *rc)
{
	static char path[64];
	const struct menu_entry *e = NULL;

	*rc = menu_select(m, want, &e, path, sizeof(path));
	if (*rc < 0)
		return "error";
	if (!e || e->kind != ENTRY_LINUX)
		return "bad entry";
	return path;
}

static void test_defaults(void)
{
	struct menu m;
	char *log;

	debian(&m);
	/* observed outcomes */
	CHECK_STR(pick(&m, "1>2"), "1>2");
	CHECK_STR(pick(&m, "gnulinux-5.10.0-26-amd64-advanced-u1"), "0");
	CHECK_STR(pick(&m, "7"), "0");
	CHECK_STR(pick(&m, "1"), "1>0");
	CHECK_STR(pick(&m, "1>nosuch"), "1>0");
	CHECK_STR(pick(&m, "gnulinux-advanced-u1>nosuch"), "1>0");
	CHECK_STR(pick(&m, ADV ">" K5), "1>2");
	CHECK_STR(pick(&m, "gnulinux-advanced-u1>gnulinux-5.10.0-26-amd64-advanced-u1"), "1>2");
	CHECK_STR(pick(&m, "1>" K5 " (recovery mode)"), "1>3");
	/* the usual ones */
	CHECK_STR(pick(&m, NULL), "0");
	CHECK_STR(pick(&m, "0"), "0");
	CHECK_STR(pick(&m, "Debian GNU/Linux"), "0");
	CHECK_STR(pick(&m, "gnulinux-simple-u1"), "0");
	CHECK_STR(pick(&m, "3"), "3");
	CHECK_STR(pick(&m, "a>>b"), "3"); /* ">>" is a literal '>' */
	CHECK_STR(pick(&m, "0>5"), "0");  /* GRUB ignores the rest */
	/* bad numbers and garbage */
	CHECK_STR(pick(&m, "-1"), "0");
	CHECK_STR(pick(&m, "4"), "0");
	CHECK_STR(pick(&m, "99999999999999999999999"), "0");
	CHECK_STR(pick(&m, "garbage"), "0");
	CHECK_STR(pick(&m, ""), "0");
	CHECK_STR(pick(&m, ">"), "0");
	CHECK_STR(pick(&m, "1>>2"), "0");
	/* the Xen entry: skipped with a warning naming why */
	pv_quiet_warnings = 0;
	pv_log_capture(1);
	CHECK_STR(pick(&m, "2"), "0");
	log = pv_log_take();
	CHECK(log && strstr(log, "cannot boot here") && strstr(log, "multiboot"));
	free(log);
	CHECK_STR(pick(&m, "7"), "0");
	log = pv_log_take();
	CHECK(log && strstr(log, "falling back"));
	free(log);
	pv_log_capture(0);
	pv_quiet_warnings = 1;
	/* a submenu's own default is used when the path stops at it */
	menu_set(&m.e[1].sub->default_spec, "3");
	CHECK_STR(pick(&m, "1"), "1>3");
	CHECK_STR(pick(&m, "1>1"), "1>1");
	menu_free(&m);
}

static void test_fallback_shapes(void)
{
	struct menu m;
	struct menu_entry *s;

	/* entry 0 is a submenu: fallback descends into it */
	menu_init(&m, "grub2");
	s = add(&m, ENTRY_SUBMENU, "sub", NULL);
	add(s->sub, ENTRY_NOT_PV, "chain", NULL);
	add(s->sub, ENTRY_LINUX, "inner", NULL);
	add(&m, ENTRY_LINUX, "outer", NULL);
	CHECK_STR(pick(&m, "nosuch"), "0>1");
	CHECK_STR(pick(&m, NULL), "0>1");   /* sub's entry 0 is NOT_PV */
	CHECK_STR(pick(&m, "0>0"), "0>1");
	menu_free(&m);

	/* entry 0 cannot boot; nor can the whole first submenu */
	menu_init(&m, "grub2");
	add(&m, ENTRY_NOT_PV, "xen", NULL);
	s = add(&m, ENTRY_SUBMENU, "empty", NULL);
	add(&m, ENTRY_LINUX, "linux", NULL);
	CHECK_STR(pick(&m, NULL), "2");
	CHECK_STR(pick(&m, "1"), "2");     /* an empty submenu */
	menu_free(&m);

	/* nothing bootable at all */
	{
		const struct menu_entry *e;

		menu_init(&m, "extlinux");
		add(&m, ENTRY_NOT_PV, "xen", NULL);
		CHECK(menu_select(&m, NULL, &e, NULL, 0) == PV_ENOTSUP);
		CHECK(strstr(pv_errmsg(), "multiboot") != NULL);
		menu_free(&m);
	}
	/* empty menu */
	{
		const struct menu_entry *e = (void *)1;
		char path[8] = "x";

		menu_init(&m, "grub2");
		CHECK(menu_select(&m, NULL, &e, path, sizeof(path)) == PV_ENOENT);
		CHECK(e == NULL);
		CHECK_STR(path, "");
		CHECK_STR(pv_errmsg(), "no boot entries");
		CHECK(menu_select(&m, "0", &e, NULL, 0) == PV_ENOENT);
		menu_free(&m);
	}
}

static void test_want(void)
{
	struct menu m;
	int rc;

	debian(&m);
	menu_set(&m.default_spec, "1>2");
	CHECK_STR(pick_want(&m, "0", &rc), "0");
	/* numbers are pygrub's flat index: submenu entries counted in order */
	CHECK_STR(pick_want(&m, "3", &rc), "1>2");
	CHECK_STR(pick_want(&m, "6", &rc), "3");
	/* titles match at any depth, as pygrub's flattened list did */
	CHECK_STR(pick_want(&m, K5 " (recovery mode)", &rc), "1>3");
	CHECK_STR(pick_want(&m, "Debian GNU/Linux", &rc), "0");
	CHECK_STR(pick_want(&m, "gnulinux-simple-u1", &rc), "0");
	CHECK_STR(pick_want(&m, "a>b", &rc), "3"); /* exact title first */
	CHECK_STR(pick_want(&m, "1>2", &rc), "1>2");
	CHECK_STR(pick_want(&m, ADV ">" K5, &rc), "1>2");
	CHECK_STR(pick_want(&m, "1", &rc), "1>0"); /* a submenu: its first */
	/* must name something */
	CHECK_STR(pick_want(&m, "7", &rc), "error");
	CHECK(rc == PV_ENOENT);
	CHECK(strstr(pv_errmsg(), "no menu entry matches --entry=7") != NULL);
	CHECK_STR(pick_want(&m, "nosuch", &rc), "error");
	CHECK(rc == PV_ENOENT);
	CHECK_STR(pick_want(&m, "-1", &rc), "error");
	CHECK(rc == PV_ENOENT);
	CHECK_STR(pick_want(&m, "1>9", &rc), "error");
	CHECK(rc == PV_ENOENT);
	CHECK_STR(pick_want(&m, "0>0", &rc), "error");
	CHECK(rc == PV_ENOENT);
	CHECK_STR(pick_want(&m, "", &rc), "error");
	CHECK(rc == PV_ENOENT);
	CHECK_STR(pick_want(&m, "gnulinux-5.10.0-26-amd64-advanced-u1", &rc), "error");
	CHECK(rc == PV_ENOENT);
	/* an entry that cannot boot is an error, not a fallback */
	CHECK_STR(pick_want(&m, "5", &rc), "error");
	CHECK(rc == PV_ENOTSUP);
	CHECK(strstr(pv_errmsg(), "cannot boot here") != NULL);
	CHECK_STR(pick_want(&m, "xen", &rc), "error");
	CHECK(rc == PV_ENOTSUP);
	menu_free(&m);

	/* hostile titles are not printed raw in the error */
	menu_init(&m, "grub2");
	add(&m, ENTRY_LINUX, "ok", NULL);
	CHECK_STR(pick_want(&m, "\x1b[2J", &rc), "error");
	CHECK(strchr(pv_errmsg(), '\x1b') == NULL);
	/* a tiny path_out is truncated, never overrun */
	{
		const struct menu_entry *e;
		char small[2];

		CHECK(menu_select(&m, NULL, &e, small, sizeof(small)) == 0);
		CHECK_STR(small, "0");
	}
	menu_free(&m);
}

int main(void)
{
	pv_quiet_warnings = 1;
	test_defaults();
	test_fallback_shapes();
	test_want();
	return unit_report("select");
}
