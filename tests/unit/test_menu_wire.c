/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The interactive menu: flattening, the menu/choice messages between the
 * worker and the supervisor (a hostile worker's menu is refused), and how
 * titles are drawn. */
#include "bootloader/wire/wire.h"
#include "bootloader/wire/wire_menu.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "menu/flat.h"
#include "menu/tui.h"
#include "tests/unit/unit.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static struct menu_entry *add(struct menu *m, enum entry_kind kind,
			      const char *title)
{
	struct menu_entry *e = menu_add(m);

	e->kind = kind;
	menu_set(&e->title, title);
	if (kind == ENTRY_LINUX)
		menu_set(&e->kernel, "/vmlinuz");
	if (kind == ENTRY_SUBMENU) {
		e->sub = calloc(1, sizeof(*e->sub));
		menu_init(e->sub, "grub2");
	}
	return e;
}

/* Alpha, Xen (not PV), More>{Gamma, Delta}, Omega; default "2>1". */
static void sample(struct menu *m)
{
	struct menu_entry *sub;

	menu_init(m, "grub2");
	add(m, ENTRY_LINUX, "Alpha");
	add(m, ENTRY_NOT_PV, "Xen")->note = strdup("multiboot");
	sub = add(m, ENTRY_SUBMENU, "More");
	add(sub->sub, ENTRY_LINUX, "Gamma");
	add(sub->sub, ENTRY_LINUX, "Delta");
	add(m, ENTRY_LINUX, "Omega");
	menu_set(&m->default_spec, "2>1");
	m->timeout = 7;
}

static void test_flatten(void)
{
	struct flat_menu f;
	struct menu m;

	sample(&m);
	CHECK(flat_build(&m, &f) == 0);
	CHECK(f.n == 5);
	CHECK_STR(f.items[0].title, "Alpha");
	CHECK_STR(f.items[1].title, "Xen");
	CHECK(!f.items[1].bootable && f.items[0].bootable);
	CHECK_STR(f.items[2].title, "Gamma");
	CHECK_STR(f.items[2].path, "2>0");
	CHECK_STR(f.items[3].path, "2>1");
	CHECK_STR(f.items[4].path, "3");
	CHECK(f.def == 3); /* Delta */
	CHECK(f.timeout == 7 && f.hidden == 0);
	/* the flat index is --entry's number: same entry */
	{
		const struct menu_entry *e;

		CHECK(menu_select(&m, "3", &e, NULL, 0) == 0 &&
		      e == f.items[3].e);
	}
	flat_free(&f);

	m.timeout = 1 << 30;
	m.hidden = 1;
	CHECK(flat_build(&m, &f) == 0);
	CHECK(f.timeout == PV_MAX_MENU_TIMEOUT && f.hidden == 1);
	flat_free(&f);
	m.timeout = -5;
	CHECK(flat_build(&m, &f) == 0 && f.timeout == -1);
	flat_free(&f);
	/* a title over the cap is cut */
	free(m.e[0].title);
	m.e[0].title = malloc(PV_MAX_MENU_TITLE * 3);
	memset(m.e[0].title, 'x', PV_MAX_MENU_TITLE * 3 - 1);
	m.e[0].title[PV_MAX_MENU_TITLE * 3 - 1] = '\0';
	CHECK(flat_build(&m, &f) == 0 &&
	      strlen(f.items[0].title) == PV_MAX_MENU_TITLE);
	flat_free(&f);
	menu_free(&m);

	/* nothing bootable: menu_select's error, no menu */
	menu_init(&m, "grub2");
	add(&m, ENTRY_NOT_PV, "Xen");
	CHECK(flat_build(&m, &f) < 0 && f.n == 0 && !f.items);
	menu_free(&m);
}

static void sample_flat(struct flat_menu *f)
{
	struct menu m;

	sample(&m);
	CHECK(flat_build(&m, f) == 0);
	menu_free(&m);
	/* the e pointers dangle now: the wire never reads them */
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Decode msg with one change: the result must be an error. */
static int refused(const uint8_t *msg, size_t len)
{
	struct flat_menu d;
	int rc = wire_menu_decode(msg, len, &d);

	if (rc == 0)
		flat_free(&d);
	return rc < 0 && d.n == 0 && !d.items;
}

static void test_roundtrip(void)
{
	struct flat_menu f, d;
	uint8_t *msg, *bad;
	size_t len, i, k;
	int ok = 1;

	sample_flat(&f);
	CHECK(wire_menu_encode(&f, &msg, &len) == 0);
	CHECK(memcmp(msg, "PVM1", 4) == 0);
	CHECK(wire_menu_decode(msg, len, &d) == 0);
	CHECK(d.n == f.n && d.def == f.def && d.timeout == f.timeout &&
	      d.hidden == f.hidden);
	CHECK(d.nsub == 1 && f.nsub == 1);
	if (d.nsub == 1 && f.nsub == 1) {
		CHECK_STR(d.subs[0].title, "More");
		CHECK_STR(d.subs[0].path, "2");
	}
	for (i = 0; i < d.n && i < f.n; i++) {
		CHECK_STR(d.items[i].title, f.items[i].title);
		CHECK_STR(d.items[i].path, f.items[i].path);
		CHECK(d.items[i].bootable == f.items[i].bootable);
		CHECK_STR(d.items[i].args, f.items[i].args);
		CHECK(d.items[i].e == NULL);
	}
	flat_free(&d);

	/* every truncation is refused */
	for (k = 0; k < len; k++)
		ok &= refused(msg, k);
	CHECK(ok);

	/* one trailing byte, with the length adjusted */
	bad = malloc(len + 1);
	memcpy(bad, msg, len);
	bad[len] = 0;
	put32(bad + 8, (uint32_t)(len + 1 - WIRE_HDR_SIZE));
	CHECK(refused(bad, len + 1));
	free(bad);

	/* each field out of range */
	bad = malloc(len);
#define MUTATE(off, val)                                                   \
	do {                                                               \
		memcpy(bad, msg, len);                                     \
		put32(bad + (off), (val));                                 \
		CHECK(refused(bad, len));                                  \
	} while (0)
	MUTATE(0, 0x314d5650 + 1);                /* magic */
	MUTATE(4, 1);                             /* version 1: no args */
	MUTATE(4, 3);
	MUTATE(12, 1);                            /* length > 4 GiB */
	MUTATE(WIRE_HDR_SIZE, 0);                 /* no entries */
	MUTATE(WIRE_HDR_SIZE, PV_MAX_ENTRIES + 1);
	MUTATE(WIRE_HDR_SIZE, 6);                 /* more than sent */
	MUTATE(WIRE_HDR_SIZE + 4, 5);             /* default past the end */
	MUTATE(WIRE_HDR_SIZE + 8, (uint32_t)-2);  /* timeout */
	MUTATE(WIRE_HDR_SIZE + 8, PV_MAX_MENU_TIMEOUT + 1);
	memcpy(bad, msg, len);
	bad[WIRE_HDR_SIZE + 12] = 6; /* hidden flag: lock mode 3 */
	CHECK(refused(bad, len));
	memcpy(bad, msg, len);
	bad[WIRE_HDR_SIZE + 13] = 3; /* entry 0 locked in a menu with no lock */
	CHECK(refused(bad, len));
	memcpy(bad, msg, len);
	bad[WIRE_HDR_SIZE + 13] = 8; /* bootable flag of entry 0 */
	CHECK(refused(bad, len));
	memcpy(bad, msg, len);
	bad[WIRE_HDR_SIZE + 13] = 5; /* its own password, not locked */
	CHECK(refused(bad, len));
	memcpy(bad, msg, len);
	bad[WIRE_HDR_SIZE + 13] = 7; /* its own password: locked, no lock */
	CHECK(!refused(bad, len));
	memcpy(bad, msg, len);
	bad[WIRE_HDR_SIZE + 18] = 'x'; /* path "0" -> "x" */
	CHECK(refused(bad, len));
	memcpy(bad, msg, len);
	bad[WIRE_HDR_SIZE + 23] = '\0'; /* NUL inside "Alpha" */
	CHECK(refused(bad, len));
	MUTATE(WIRE_HDR_SIZE + 19, PV_MAX_MENU_TITLE + 1); /* title length */
	MUTATE(WIRE_HDR_SIZE + 14, FLAT_PATH_MAX);         /* path length */
#undef MUTATE
	/* every single-byte change: refused or decoded, never a crash */
	for (k = 0; k < len; k++) {
		memcpy(bad, msg, len);
		bad[k] ^= 0xff;
		if (wire_menu_decode(bad, len, &d) == 0) {
			CHECK(d.n >= 1 && d.def < d.n);
			flat_free(&d);
		}
	}
	free(bad);
	free(msg);

	/* the encoder refuses what the decoder would */
	f.def = f.n;
	CHECK(wire_menu_encode(&f, &msg, &len) < 0 && msg == NULL);
	flat_free(&f);
}

static void test_choice(void)
{
	uint8_t b[WIRE_CHOICE_SIZE];
	uint32_t v = 0;

	wire_choice_encode(1023, b);
	CHECK(wire_choice_decode(b, &v) == 0 && v == 1023);
	b[0] = 'X';
	CHECK(wire_choice_decode(b, &v) < 0);
}

/* The choice with typed arguments: encoded, read back in its three
 * steps, and every bound enforced on both sides. */
static void test_choice_edit(void)
{
	static struct flat_choice c, d;
	uint8_t b[WIRE_CHOICE_MAX];
	size_t len;
	uint32_t n;

	memset(&c, 0, sizeof(c));
	c.index = 3;
	CHECK(wire_choice_encode_full(&c, b, &len) == 0 &&
	      len == WIRE_CHOICE_SIZE);
	CHECK(wire_choice_decode_head(b, &d) == 0 && d.index == 3 &&
	      !d.edited);
	c.edited = 1;
	strcpy(c.args, "ro single init=/bin/sh");
	CHECK(wire_choice_encode_full(&c, b, &len) == 0 &&
	      len == WIRE_CHOICE_EDIT_FIXED + strlen(c.args));
	CHECK(wire_choice_decode_head(b, &d) == 1 && d.index == 3);
	CHECK(wire_choice_decode_args(b + 8, &d, &n) == 0 &&
	      n == strlen(c.args));
	CHECK(d.edited == FLAT_EDIT_ARGS);
	CHECK(wire_choice_check_args(&d, b + 16, n) == 0);
	CHECK_STR(d.args, "ro single init=/bin/sh");
	/* a control character is neither sent nor accepted */
	c.args[2] = '\033';
	CHECK(wire_choice_encode_full(&c, b, &len) < 0);
	CHECK(wire_choice_check_args(&d, (const uint8_t *)c.args,
				     (uint32_t)strlen(c.args)) < 0);
	/* a length over PV_MAX_ARGS is refused before anything is read */
	put32(b + 8, FLAT_EDIT_ARGS);
	put32(b + 12, PV_MAX_ARGS + 1);
	CHECK(wire_choice_decode_args(b + 8, &d, &n) < 0);
	put32(b + 8, 7); /* unknown kind */
	put32(b + 12, 1);
	CHECK(wire_choice_decode_args(b + 8, &d, &n) < 0);
	memset(c.args, 'x', PV_MAX_ARGS);
	c.args[PV_MAX_ARGS] = '\0';
	CHECK(wire_choice_encode_full(&c, b, &len) == 0 &&
	      len == WIRE_CHOICE_EDIT_FIXED + PV_MAX_ARGS);
	c.args[PV_MAX_ARGS - 1] = '\n'; /* one line only */
	CHECK(wire_choice_encode_full(&c, b, &len) < 0);
	/* lines: '\n' between them, at most PV_MAX_EDIT_LINES */
	c.edited = FLAT_EDIT_LINES;
	strcpy(c.args, "linux /vmlinuz ro\ninitrd /initrd");
	CHECK(wire_choice_encode_full(&c, b, &len) == 0);
	CHECK(wire_choice_decode_head(b, &d) == 1);
	CHECK(wire_choice_decode_args(b + 8, &d, &n) == 0 &&
	      d.edited == FLAT_EDIT_LINES);
	CHECK(wire_choice_check_args(&d, b + 16, n) == 0);
	CHECK_STR(d.args, "linux /vmlinuz ro\ninitrd /initrd");
	memset(c.args, '\n', PV_MAX_EDIT_LINES);
	c.args[PV_MAX_EDIT_LINES] = '\0';
	CHECK(wire_choice_encode_full(&c, b, &len) < 0);
	put32(b + 12, PV_MAX_EDIT_TEXT + 1);
	CHECK(wire_choice_decode_args(b + 8, &d, &n) < 0);
}

static const char *render(const char *t, int utf8, int cols)
{
	static char out[1024];
	wchar_t w[512];

	tui_render_title(t, utf8, cols, w, 512);
	if (wcstombs(out, w, sizeof(out)) == (size_t)-1)
		snprintf(out, sizeof(out), "(unconvertible)");
	return out;
}

static void test_titles(void)
{
	wchar_t w[512];

	/* C locale: everything escaped to ASCII */
	CHECK_STR(render("Debian GNU/Linux", 0, 70), "Debian GNU/Linux");
	CHECK_STR(render("a\033[2Jb", 0, 70), "a\\x1b[2Jb");
	CHECK_STR(render("x\033]0;t\007y", 0, 70), "x\\x1b]0;t\\x07y");
	CHECK_STR(render("Caf\xc3\xa9", 0, 70), "Caf\\xc3\\xa9");
	CHECK_STR(render("0123456789abc", 0, 10), "012345678>");
	CHECK_STR(render("0123456789", 0, 10), "0123456789");
	CHECK(tui_render_title("0123456789abc", 0, 10, w, 512) == 10);
	CHECK(tui_render_title("abc", 0, 0, w, 512) == 0 && w[0] == 0);
	/* a tiny buffer is never overrun */
	CHECK(tui_render_title("0123456789", 0, 70, w, 4) <= 3 &&
	      wcslen(w) <= 3);

	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		UNIT_SKIP("menu_wire: no C.UTF-8 locale: UTF-8 cases");
		return;
	}
	CHECK_STR(render("Caf\xc3\xa9", 1, 70), "Caf\xc3\xa9");
	/* bidi override and C1 CSI are escaped by pv_sanitize */
	CHECK_STR(render("a\xe2\x80\xae" "b\xc2\x9b" "c", 1, 70),
		  "a\\xe2\\x80\\xaeb\\xc2\\x9bc");
	/* zero-width space: no width, escaped here */
	CHECK_STR(render("a\xe2\x80\x8b" "b", 1, 70), "a\\xe2\\x80\\x8bb");
	/* double-width characters count twice when cutting */
	CHECK_STR(render("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97", 1, 6),
		  "\xe6\xbc\xa2\xe5\xad\x97>");
	CHECK(tui_render_title("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97",
			       1, 6, w, 512) == 5);
	setlocale(LC_CTYPE, "C");
}

int main(void)
{
	pv_quiet_warnings = 1;
	test_flatten();
	test_roundtrip();
	test_choice();
	test_choice_edit();
	test_titles();
	return unit_report("menu_wire");
}
