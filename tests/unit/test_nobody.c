/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The worker's default ids: "nobody" read straight from passwd bytes
 * (bootloader/privileged/nobody.h), and the same ids getpwnam() gives on
 * this host. */
#include "bootloader/privileged/nobody.h"
#include "tests/unit/unit.h"

#include <pwd.h>
#include <string.h>

static int parse(const char *text, uid_t *u, gid_t *g)
{
	*u = 1;
	*g = 1;
	return nobody_parse(text, strlen(text), u, g);
}

int main(void)
{
	uid_t u;
	gid_t g;
	struct passwd *pw;

	CHECK(parse("root:x:0:0:root:/root:/bin/bash\n"
		    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
		    &u, &g) == 0);
	CHECK(u == 65534 && g == 65534);
	/* the last line without its newline */
	CHECK(parse("a:x:1:1::/:/bin/sh\nnobody:x:99:98", &u, &g) == 0);
	CHECK(u == 99 && g == 98);
	/* a name that only starts with nobody, and one in another field */
	CHECK(parse("nobodyx:x:5:5::/:\nroot:x:0:0:nobody:/:\n", &u, &g) < 0);
	CHECK(parse("nobodyxx:5:6::/:\n", &u, &g) < 0);
	/* malformed ids are not guessed at */
	CHECK(parse("nobody:x::65534::/:\n", &u, &g) < 0);
	CHECK(parse("nobody:x:65534:-1::/:\n", &u, &g) < 0);
	CHECK(parse("nobody:x:6553a:1::/:\n", &u, &g) < 0);
	CHECK(parse("nobody:x:4294967295:1::/:\n", &u, &g) < 0);
	CHECK(parse("nobody:x:99999999999:1::/:\n", &u, &g) < 0);
	CHECK(parse("nobody:x:1\n", &u, &g) < 0);
	CHECK(parse("nobody:\n", &u, &g) < 0);
	CHECK(parse("", &u, &g) < 0);
	/* the first nobody line counts */
	CHECK(parse("nobody:x:7:8::/:\nnobody:x:9:9::/:\n", &u, &g) == 0);
	CHECK(u == 7 && g == 8);
	/* on this host: what getpwnam() says, or its fallback */
	nobody_ids(&u, &g);
	pw = getpwnam("nobody");
	CHECK(u == (pw ? pw->pw_uid : 65534));
	CHECK(g == (pw ? pw->pw_gid : 65534));
	return unit_report("test_nobody");
}
