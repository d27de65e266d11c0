/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The GRUB environment block reader. */
#include "menu/grubenv.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "tests/unit/unit.h"

#include <stdlib.h>
#include <string.h>

struct seen {
	char names[8][64];
	char values[8][64];
	int n;
	int stop_at;   /* return an error on this call (1-based), or 0 */
};

static int record(void *ctx, const char *name, const char *value)
{
	struct seen *s = ctx;

	if (s->stop_at && s->n + 1 == s->stop_at)
		return PV_EINVAL;
	if (s->n < 8) {
		snprintf(s->names[s->n], 64, "%s", name);
		snprintf(s->values[s->n], 64, "%s", value);
	}
	s->n++;
	return 0;
}

/* A 1024-byte block holding vars, '#'-padded, as grub-editenv writes. */
static size_t block(char *buf, size_t size, const char *vars, size_t vlen)
{
	size_t sl = strlen(GRUBENV_SIGNATURE);

	memset(buf, '#', size);
	memcpy(buf, GRUBENV_SIGNATURE, sl);
	memcpy(buf + sl, vars, vlen);
	return size;
}

static void test_basic(void)
{
	static const char vars[] = "saved_entry=gnulinux-advanced>gnulinux-5.10\n"
				   "kernelopts=root=/dev/xvda1 ro quiet\n"
				   "noequals\n"
				   "=emptyname\n"
				   "multi=a\\\nb\n"
				   "bs=back\\\\slash\n"
				   "empty=\n";
	char buf[1024];
	struct seen s = { 0 };
	int r;

	block(buf, sizeof(buf), vars, sizeof(vars) - 1);
	r = grubenv_parse(buf, sizeof(buf), record, &s);
	CHECK(r == 5);
	CHECK(s.n == 5);
	CHECK_STR(s.names[0], "saved_entry");
	CHECK_STR(s.values[0], "gnulinux-advanced>gnulinux-5.10");
	CHECK_STR(s.names[1], "kernelopts");
	CHECK_STR(s.values[1], "root=/dev/xvda1 ro quiet");
	/* an escaped newline stays in the value; \\ is one backslash */
	CHECK_STR(s.names[2], "multi");
	CHECK_STR(s.values[2], "a\nb");
	CHECK_STR(s.values[3], "back\\slash");
	CHECK_STR(s.names[4], "empty");
	CHECK_STR(s.values[4], "");
}

static void test_bad(void)
{
	char buf[1024];
	struct seen s = { 0 };
	int r;

	/* no signature */
	memset(buf, '#', sizeof(buf));
	r = grubenv_parse(buf, sizeof(buf), record, &s);
	CHECK(r == PV_ECORRUPT);
	r = grubenv_parse("# GRUB Env", 10, record, &s);
	CHECK(r == PV_ECORRUPT);
	r = grubenv_parse("", 0, record, &s);
	CHECK(r == PV_ECORRUPT);
	/* not 1024 bytes: read anyway; unterminated last line */
	r = grubenv_parse(GRUBENV_SIGNATURE "a=1\nb=2", 
			  strlen(GRUBENV_SIGNATURE) + 7, record, &s);
	CHECK(r == 2);
	CHECK_STR(s.values[1], "2");
	/* a trailing lone backslash does not run past the end */
	memset(&s, 0, sizeof(s));
	r = grubenv_parse(GRUBENV_SIGNATURE "a=x\\", strlen(GRUBENV_SIGNATURE) + 4,
			  record, &s);
	CHECK(r == 1);
	CHECK_STR(s.values[0], "x\\");
	/* the callback's error stops the walk */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	block(buf, sizeof(buf), "a=1\nb=2\nc=3\n", 12);
	r = grubenv_parse(buf, sizeof(buf), record, &s);
	CHECK(r == PV_EINVAL);
	CHECK(s.n == 1);
	/* a NUL inside a line stops reading */
	memset(&s, 0, sizeof(s));
	block(buf, sizeof(buf), "a=1\nb=\0x\nc=3\n", 13);
	r = grubenv_parse(buf, sizeof(buf), record, &s);
	CHECK(r == 1);
	/* bigger than the config cap */
	r = grubenv_parse(buf, (size_t)PV_MAX_CONFIG_SIZE + 1, record, &s);
	CHECK(r == PV_ELIMIT);
}

int main(void)
{
	test_basic();
	test_bad();
	return unit_report("grubenv");
}
