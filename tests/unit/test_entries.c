/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The --json entries records: what the worker writes decodes back
 * exactly; anything else the untrusted worker could send is refused. */
#include "bootloader/wire/entries.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <stdlib.h>
#include <string.h>

static int refused(const char *text)
{
	struct entries x;
	int r = entries_decode(text, &x);

	if (r == 0)
		entries_free(&x);
	return r < 0;
}

int main(void)
{
	struct strbuf sb;
	struct entries x;
	char *t;

	sb_init(&sb, 1 << 16);
	sb_puts(&sb, ENTRIES_MAGIC "\nvol");
	entries_field(&sb, "p1 1MiB Linux");
	entries_field(&sb, "/boot/grub/grub.cfg");
	entries_field(&sb, "grub2");
	sb_puts(&sb, "\nentry db");
	entries_field(&sb, "1>0");
	sb_puts(&sb, " 1");
	entries_field(&sb, "Adv % options");
	entries_field(&sb, "t\x1b\n\"é");
	entries_field(&sb, NULL);
	entries_field(&sb, "/vmlinuz");
	entries_field(&sb, "");
	entries_field(&sb, NULL);
	sb_puts(&sb, " 2");
	entries_field(&sb, "/i1");
	entries_field(&sb, "/i 2");
	sb_puts(&sb, "\nboot 0\n");
	t = sb_take(&sb);
	CHECK(t && !strchr(t, '\x1b'));
	CHECK(entries_decode(t, &x) == 0);
	CHECK(x.n == 1 && x.have_boot && x.boot == 0);
	CHECK_STR(x.vol, "p1 1MiB Linux");
	CHECK_STR(x.e[0].path, "1>0");
	CHECK(x.e[0].nsub == 1);
	CHECK_STR(x.e[0].sub[0], "Adv % options");
	CHECK_STR(x.e[0].title, "t\x1b\n\"é");
	CHECK(x.e[0].id == NULL && x.e[0].why_not == NULL);
	CHECK_STR(x.e[0].args, "");
	CHECK(x.e[0].ninitrd == 2);
	CHECK_STR(x.e[0].initrd[1], "/i 2");
	CHECK(x.e[0].is_default && x.e[0].bootable);
	entries_free(&x);
	free(t);

	CHECK(refused(""));
	CHECK(refused("PVE2\n"));
	CHECK(refused("PVE1\nbogus\n"));
	CHECK(refused("PVE1\nvol =a =b\n"));            /* a field missing */
	CHECK(refused("PVE1\nvol =a =b =c =d\n"));      /* one too many */
	CHECK(refused("PVE1\nvol =a%0 ~ ~\n"));         /* short escape */
	CHECK(refused("PVE1\nvol =a%00 ~ ~\n"));        /* NUL */
	CHECK(refused("PVE1\nvol =a%zz ~ ~\n"));
	CHECK(refused("PVE1\nvol x ~ ~\n"));            /* neither ~ nor = */
	CHECK(refused("PVE1\nentry q =0 0 =t ~ ~ ~ ~ 0\n"));  /* flags */
	CHECK(refused("PVE1\nentry b =0 99 =t ~ ~ ~ ~ 0\n")); /* nesting */
	CHECK(refused("PVE1\nentry b =0 0 =t ~ ~ ~ ~ 17\n")); /* initrds */
	CHECK(refused("PVE1\nentry b =0 0 =t ~ ~ ~ ~ 2 =a\n"));
	CHECK(refused("PVE1\nentry b =0 0 =t ~ ~ ~ ~ 9999999999\n"));
	CHECK(refused("PVE1\nboot 0\n"));               /* no such entry */
	CHECK(refused("PVE1\nboot -2\n"));
	CHECK(!refused("PVE1\nvol ~ ~ ~\nboot -1\n"));
	return unit_report("test_entries");
}
