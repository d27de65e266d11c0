/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Menu passwords (menu/auth.h): the checks against known vectors (an
 * `openssl passwd -1` string, a grub-mkpasswd-pbkdf2 string, a PBKDF2
 * computed by Python's hashlib), hostile hashes refused before any work,
 * the GRUB 2 and GRUB legacy policies, and the login on the wire. */
#include "menu/auth.h"
#include "menu/flat.h"
#include "menu/menu.h"
#include "bootloader/wire/wire_login.h"
#include "bootloader/wire/wire_menu.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* openssl passwd -1 -salt abcdefgh lgpass */
#define MD5_LGPASS "$1$abcdefgh$sBLDoD92moo5pWq0HMgCf/"
/* printf 'sekrit\nsekrit\n' | grub-mkpasswd-pbkdf2 (10000 rounds, 64-byte
 * salt and hash, upper-case hex as GRUB writes it) */
#define GRUB_SEKRIT "grub.pbkdf2.sha512.10000." \
	"03A307FBE65197DB126A2C700FCD9711604624180D8BECBE9F2CAA7063336445" \
	"DA1F07C786C3FBF3D0915DDCD8BD0F150203DDD8F92E8AC206EB3FB2B24090F9." \
	"93D67DB85E4A61B776A85992F0292166ABE6237DAE3939C241248E068DB04619" \
	"46403AD0FC262ADEA2558EFFC8A7E3BE92213CF796488DFC21BD8DB8D4CAAF0A"
/* hashlib.pbkdf2_hmac('sha512', b'sekrit', bytes.fromhex('00112233'),
 * 10000, 64).hex(): a short salt, lower-case hex */
#define PY_SEKRIT "grub.pbkdf2.sha512.10000.00112233." \
	"780746f726b2793c76398bb5c08d279bbab78461f2e8f3534cbae281fe87293e" \
	"8bbda822ffc57c30122ba17fc4350a32e37f5622345ad1a7edead78dffa24c21"
#define HASH64 "93D67DB85E4A61B776A85992F0292166ABE6237DAE3939C241248E068DB04619" \
	"46403AD0FC262ADEA2558EFFC8A7E3BE92213CF796488DFC21BD8DB8D4CAAF0A"

static void test_plain(void)
{
	CHECK(auth_check_plain("secret", "secret") == 1);
	CHECK(auth_check_plain("secret", "secre") == 0);
	CHECK(auth_check_plain("secret", "secrets") == 0);
	CHECK(auth_check_plain("secret", "Secret") == 0);
	CHECK(auth_check_plain("secret", "") == 0);
	CHECK(auth_check_plain("", "") == 1);
}

static void test_md5(void)
{
	CHECK(auth_check_md5crypt(MD5_LGPASS, "lgpass") == 1);
	CHECK(auth_check_md5crypt(MD5_LGPASS, "lgpasS") == 0);
	CHECK(auth_check_md5crypt(MD5_LGPASS, "") == 0);
	/* only $1$, and only its shape: no method a config could make slow */
	CHECK(auth_check_md5crypt("$6$rounds=999999999$salt$abc", "x") < 0);
	CHECK(auth_check_md5crypt("$5$salt$abc", "x") < 0);
	CHECK(auth_check_md5crypt("abJnggxhB/yWI", "x") < 0); /* DES */
	CHECK(auth_check_md5crypt("$1$abcdefghi$sBLDoD92moo5pWq0HMgCf/", "lgpass") < 0);
	CHECK(auth_check_md5crypt("$1$abcdefgh$sBLDoD92moo5pWq0HMgCf", "lgpass") < 0);
	CHECK(auth_check_md5crypt("$1$abcdefgh$sBLDoD92moo5pWq0HMgC!/", "lgpass") < 0);
	CHECK(auth_check_md5crypt("$1$abc", "lgpass") < 0);
}

static void test_pbkdf2(void)
{
	char big[2 * PV_MAX_PBKDF2_SALT + 2 + 200];
	size_t i;

	CHECK(auth_check_pbkdf2(GRUB_SEKRIT, "sekrit") == 1);
	CHECK(auth_check_pbkdf2(GRUB_SEKRIT, "sekriT") == 0);
	CHECK(auth_check_pbkdf2(GRUB_SEKRIT, "") == 0);
	CHECK(auth_check_pbkdf2(PY_SEKRIT, "sekrit") == 1);
	CHECK(auth_check_pbkdf2(PY_SEKRIT, "sekrit ") == 0);
	/* hostile: refused before any round is computed */
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.2147483648.00." HASH64, "x") == PV_ELIMIT);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.99999999999999999999999.00." HASH64, "x") == PV_ELIMIT);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.1000001.00." HASH64, "x") == PV_ELIMIT);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.0.00." HASH64, "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.-1.00." HASH64, "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512..00." HASH64, "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.10000.001." HASH64, "x") < 0); /* odd */
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.10000.0g." HASH64, "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.10000.." HASH64, "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.10000.00.", "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.10000.00.abc", "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.10000.00", "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha512.10000.00." HASH64 "00", "x") < 0);
	CHECK(auth_check_pbkdf2("grub.pbkdf2.sha256.10000.00." HASH64, "x") < 0);
	CHECK(auth_check_pbkdf2("sekrit", "sekrit") < 0);
	/* a salt one byte over the limit */
	i = (size_t)snprintf(big, sizeof(big), "grub.pbkdf2.sha512.1.");
	memset(big + i, 'a', 2 * (PV_MAX_PBKDF2_SALT + 1));
	i += 2 * (PV_MAX_PBKDF2_SALT + 1);
	snprintf(big + i, sizeof(big) - i, ".00");
	CHECK(auth_check_pbkdf2(big, "x") < 0);
}

static void test_legacy_line(void)
{
	CHECK(auth_check_legacy("password lgplain", "lgplain") == 1);
	CHECK(auth_check_legacy("password lgplain", "lgplai") == 0);
	CHECK(auth_check_legacy("password=lgplain /boot/grub/other.lst", "lgplain") == 1);
	CHECK(auth_check_legacy("password --md5 " MD5_LGPASS, "lgpass") == 1);
	CHECK(auth_check_legacy("password --md5 " MD5_LGPASS, MD5_LGPASS) == 0);
	CHECK(auth_check_legacy("password --md5 " MD5_LGPASS " /grub/x.lst", "lgpass") == 1);
	CHECK(auth_check_legacy("password", "") < 0);
	/* an option we do not know is not the password */
	CHECK(auth_check_legacy("password --encrypted $6$x$y", "--encrypted") < 0);
	CHECK(auth_check_legacy("password --md5", "") < 0);
}

static const char g2cfg[] =
	"set superusers=\"root, admin\"\n"
	"password_pbkdf2 root " GRUB_SEKRIT "\n"
	"password admin adminpw\n"
	"password bob bobpw\n"
	"set default=0\n"
	"menuentry 'Open' --unrestricted { linux /vmlinuz-a ro }\n"
	"menuentry 'Locked' { linux /vmlinuz-b ro }\n"
	"menuentry 'Bobs' --users bob { linux /vmlinuz-c ro }\n"
	"submenu 'Sub' --unrestricted {\n"
	"  menuentry 'Inner' { linux /vmlinuz-d ro }\n"
	"  menuentry 'InnerOpen' --unrestricted { linux /vmlinuz-e ro }\n"
	"}\n"
	"submenu 'SubLocked' {\n"
	"  menuentry 'Deep' --unrestricted { linux /vmlinuz-f ro }\n"
	"}\n";

static void test_grub2_policy(void)
{
	struct menu m;
	struct flat_menu f;
	unsigned char un[16];
	int super;

	CHECK(grub2_parse("grub.cfg", g2cfg, sizeof(g2cfg) - 1, NULL, &m) == 0);
	CHECK(auth_lock_mode(&m) == MENU_LOCK_GRUB2);
	CHECK(m.nusers == 3);
	CHECK(!auth_path_locked(&m, "0"));
	CHECK(auth_path_locked(&m, "1"));
	CHECK(auth_path_locked(&m, "2"));
	CHECK(auth_path_locked(&m, "3>0"));
	CHECK(!auth_path_locked(&m, "3>1"));
	CHECK(auth_path_locked(&m, "4>0")); /* its submenu is restricted */
	CHECK(auth_path_locked(&m, "9"));   /* names nothing: locked */
	CHECK(auth_login(&m, "root", "sekrit", &super) == 1 && super == 1);
	CHECK(auth_login(&m, "root", "wrong", &super) == 0 && super == 0);
	CHECK(auth_login(&m, "admin", "adminpw", &super) == 1 && super == 1);
	CHECK(auth_login(&m, "bob", "bobpw", &super) == 1 && super == 0);
	CHECK(auth_login(&m, "bob", "adminpw", &super) == 0);
	CHECK(auth_login(&m, "nobody", "", &super) == 0);
	CHECK(auth_path_allows(&m, "2", "bob", 0));
	CHECK(!auth_path_allows(&m, "1", "bob", 0));
	CHECK(auth_path_allows(&m, "1", "root", 1));

	CHECK(flat_build(&m, &f) == 0);
	CHECK(f.lock == MENU_LOCK_GRUB2 && f.n == 6);
	CHECK(!f.items[0].locked && f.items[1].locked && f.items[2].locked);
	CHECK(flat_login(&f, "bob", "bobpw", &super, un) == 1 && !super);
	CHECK(un[0] && !un[1] && un[2] && !un[3] && un[4] && !un[5]);
	CHECK(flat_login(&f, "root", "nope", &super, un) == 0);
	CHECK(un[0] && !un[1] && !un[2]);
	CHECK(flat_login(&f, "root", "sekrit", &super, un) == 1 && super);
	CHECK(un[1] && un[2] && un[3] && un[5]);
	flat_free(&f);
	menu_free(&m);

	/* the default is never locked: it boots anyway if nobody types */
	{
		static const char c[] = "set superusers=root\nset default=1\n"
			"menuentry A { linux /a }\nmenuentry B { linux /b }\n";

		CHECK(grub2_parse("grub.cfg", c, sizeof(c) - 1, NULL, &m) == 0);
		CHECK(flat_build(&m, &f) == 0);
		CHECK(f.items[0].locked && !f.items[1].locked && f.def == 1);
		/* a superuser with no password line cannot log in */
		CHECK(auth_login(&m, "root", "", &super) == 0);
		flat_free(&f);
		menu_free(&m);
	}
	/* no superusers: passwords alone lock nothing (as in GRUB) */
	{
		static const char c[] = "password root x\nmenuentry A { linux /a }\n";

		CHECK(grub2_parse("grub.cfg", c, sizeof(c) - 1, NULL, &m) == 0);
		CHECK(auth_lock_mode(&m) == MENU_LOCK_NONE);
		CHECK(!auth_path_locked(&m, "0"));
		menu_free(&m);
	}
	/* hostile: 2^31 rounds: kept, warned about, never computed */
	{
		static const char c[] = "set superusers=root\n"
			"password_pbkdf2 root grub.pbkdf2.sha512.2147483648.00." HASH64 "\n"
			"menuentry A { linux /a }\nmenuentry B { linux /b }\n";

		CHECK(grub2_parse("grub.cfg", c, sizeof(c) - 1, NULL, &m) == 0);
		CHECK(m.nusers == 1);
		CHECK(auth_login(&m, "root", "x", &super) == 0 && !super);
		CHECK(auth_pbkdf2_valid(m.users[0].secret) == PV_ELIMIT);
		CHECK(auth_pbkdf2_valid(GRUB_SEKRIT) == 0);
		menu_free(&m);
	}
	/* hostile: an overlong user, a password line with no password */
	{
		char c[512];

		snprintf(c, sizeof(c), "set superusers=x\npassword %0*d y\n"
			 "password z\nmenuentry A { linux /a }\n",
			 PV_MAX_MENU_USER_NAME + 1, 0);
		CHECK(grub2_parse("grub.cfg", c, strlen(c), NULL, &m) == 0);
		CHECK(m.nusers == 0);
		menu_free(&m);
	}
}

static void test_legacy_policy(void)
{
	static const char c[] = "password --md5 " MD5_LGPASS "\n"
		"default 0\ntitle A\nkernel /a ro\ntitle B\nlock\nkernel /b ro\n";
	struct menu m;
	int super;

	CHECK(grub_legacy_parse("menu.lst", c, sizeof(c) - 1, NULL, &m) == 0);
	CHECK(auth_lock_mode(&m) == MENU_LOCK_LEGACY);
	CHECK(!auth_path_locked(&m, "0"));
	CHECK(auth_path_locked(&m, "1"));
	CHECK(auth_login(&m, "", "lgpass", &super) == 1 && super);
	CHECK(auth_login(&m, "", "lgpas", &super) == 0 && !super);
	menu_free(&m);
}

/* An entry's own password (GRUB legacy): only it unlocks the entry, the
 * default included; the menu's password unlocks editing, not the entry */
static void test_entry_policy(void)
{
	static const char c[] = "password menupw\n"
		"default 1\ntitle A\nkernel /a ro\n"
		"title B\npassword --md5 " MD5_LGPASS "\nkernel /b ro\n"
		"title C\npassword cpw\nkernel /c ro\n";
	static const char nomenu[] = "title A\nkernel /a\n"
		"title B\npassword bpw\nkernel /b\n";
	unsigned char un[3];
	struct flat_menu f;
	struct menu m;
	int super;

	CHECK(grub_legacy_parse("menu.lst", c, sizeof(c) - 1, NULL, &m) == 0);
	CHECK(auth_entry_login(&m.e[1], "lgpass") == 1);
	CHECK(auth_entry_login(&m.e[1], "menupw") == 0);
	CHECK(auth_entry_login(&m.e[0], "") == 0);
	CHECK(flat_build(&m, &f) == 0);
	CHECK(f.def == 1 && f.lock == MENU_LOCK_LEGACY);
	CHECK(!f.items[0].locked && !f.items[0].own_pw);
	/* the default too: GRUB asks for it when the countdown ends */
	CHECK(f.items[1].locked && f.items[1].own_pw);
	CHECK(f.items[2].locked && f.items[2].own_pw);
	/* the menu's password: editing, not the entries with their own */
	CHECK(flat_login(&f, "", "menupw", &super, un) == 1 && super);
	CHECK(un[0] && !un[1] && !un[2]);
	/* an entry's password: that entry only, never editing */
	CHECK(flat_login(&f, "2", "cpw", &super, un) == 1 && !super);
	CHECK(un[0] && !un[1] && un[2]);
	CHECK(flat_login(&f, "1", "cpw", &super, un) == 0 && !super);
	CHECK(un[0] && !un[1] && !un[2]);
	CHECK(flat_login(&f, "1", "lgpass", &super, un) == 1 && un[1] && !un[2]);
	CHECK(flat_login(&f, "0", "", &super, un) == 0); /* has none */
	CHECK(flat_login(&f, "9", "cpw", &super, un) == 0);
	CHECK(flat_login(&f, "2x", "cpw", &super, un) == 0);
	CHECK(flat_login(&f, "-0", "cpw", &super, un) == 0);
	flat_free(&f);
	menu_free(&m);

	/* no menu password: editing free, the entry still locked */
	CHECK(grub_legacy_parse("menu.lst", nomenu, sizeof(nomenu) - 1, NULL,
				&m) == 0);
	CHECK(flat_build(&m, &f) == 0);
	CHECK(f.lock == MENU_LOCK_NONE && !f.items[0].locked &&
	      f.items[1].locked && f.items[1].own_pw);
	CHECK(flat_login(&f, "", "bpw", &super, un) == 0);
	CHECK(flat_login(&f, "1", "bpw", &super, un) == 1 && !super && un[1]);
	flat_free(&f);
	menu_free(&m);
}

static void test_wire(void)
{
	uint8_t buf[WIRE_VERDICT_MAX], *msg;
	unsigned char un[3] = { 1, 0, 1 }, back[3];
	struct flat_item items[2];
	struct flat_menu f, g;
	uint32_t ul, pl;
	size_t len;
	int super;

	CHECK(wire_login_encode("root", "pw", buf, &len) == 0 &&
	      len == WIRE_LOGIN_HEAD + 6);
	CHECK(wire_login_lengths(buf, &ul, &pl) == 0 && ul == 4 && pl == 2);
	buf[5] = 1; /* 260 bytes */
	CHECK(wire_login_lengths(buf, &ul, &pl) < 0);
	wire_verdict_encode(1, 0, un, 3, buf, &len);
	CHECK(wire_verdict_decode(buf, len, 3, &super, back) == 1 && !super &&
	      back[0] == 1 && back[1] == 0 && back[2] == 1);
	CHECK(wire_verdict_decode(buf, len, 2, &super, back) < 0);
	buf[WIRE_VERDICT_HEAD + 1] = 2;
	CHECK(wire_verdict_decode(buf, len, 3, &super, back) < 0);

	/* the lock and the locked flags cross in the menu message */
	memset(&f, 0, sizeof(f));
	memset(items, 0, sizeof(items));
	items[0].title = "a";
	items[0].bootable = 1;
	strcpy(items[0].path, "0");
	items[1].title = "b";
	items[1].bootable = 1;
	items[1].locked = 1;
	strcpy(items[1].path, "1");
	f.items = items;
	f.n = 2;
	f.timeout = -1;
	f.lock = MENU_LOCK_LEGACY;
	CHECK(wire_menu_encode(&f, &msg, &len) == 0);
	CHECK(wire_menu_decode(msg, len, &g) == 0);
	CHECK(g.lock == MENU_LOCK_LEGACY && !g.items[0].locked &&
	      g.items[1].locked && g.items[1].bootable && !g.hidden);
	flat_free(&g);
	free(msg);
	/* a locked entry without a lock is malformed */
	f.lock = 0;
	CHECK(wire_menu_encode(&f, &msg, &len) == 0);
	CHECK(wire_menu_decode(msg, len, &g) < 0);
	free(msg);
	/* unless it has its own password (GRUB legacy) */
	items[1].own_pw = 1;
	CHECK(wire_menu_encode(&f, &msg, &len) == 0);
	CHECK(wire_menu_decode(msg, len, &g) == 0);
	CHECK(g.lock == 0 && !g.items[0].own_pw && g.items[1].own_pw &&
	      g.items[1].locked);
	flat_free(&g);
	free(msg);
	/* which GRUB 2 menus never have */
	f.lock = MENU_LOCK_GRUB2;
	CHECK(wire_menu_encode(&f, &msg, &len) == 0);
	CHECK(wire_menu_decode(msg, len, &g) < 0);
	free(msg);
}

int main(void)
{
	auth_prepare();
	test_plain();
	test_md5();
	test_pbkdf2();
	test_legacy_line();
	test_grub2_policy();
	test_legacy_policy();
	test_entry_policy();
	test_wire();
	return unit_report("auth");
}
