/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * save_env's block editing (menu/grubenv_edit.c) against grub-editenv, byte
 * for byte: the same sequence of set/unset on a block grub-editenv
 * created, compared after every step, including escapes (backslash,
 * newline), growing and shrinking values of a variable that is not the
 * last, deleting, and a value that does not fit (grub-editenv fails and
 * leaves the file; grubenv_set returns 0 and leaves the block).  Also the
 * env-write validator and the supervisor's checks on forged answers.
 */
#include "menu/grubenv.h"
#include "bootloader/wire/envwrite.h"
#include "bootloader/privileged/envwrite.h"
#include "common/pvlimits.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[64];

/* grub-editenv PATH ARGS...: its exit status. */
static int editenv(const char *a1, const char *a2)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);

		dup2(nul, 2);
		execlp("grub-editenv", "grub-editenv", path, a1, a2,
		       (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int file_is(const char *buf, size_t len)
{
	char disk[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, disk, sizeof(disk));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)len && memcmp(disk, buf, len) == 0;
}

struct op {
	const char *name;
	const char *value;  /* NULL: unset */
};

static const struct op ops[] = {
	{ "saved_entry", "gnulinux-advanced-x>gnulinux-6.1-advanced-x" },
	{ "next_entry", "gnulinux-6.1-recovery" },
	{ "kernelopts", "root=/dev/xvda1 ro quiet" },
	{ "next_entry", "" },              /* shrink, not the last line */
	{ "bs", "back\\slash and\nnewline\\" },
	{ "saved_entry", "Advanced options for Debian GNU/Linux>Debian "
			 "GNU/Linux, with Linux 6.1.0-18-amd64" }, /* grow */
	{ "kernelopts", NULL },            /* delete in the middle */
	{ "empty", "" },
	{ "next_entry", "x" },
	{ "bs", "\\\\" },
	{ "missing", NULL },               /* delete what is not there */
};

static void test_against_grub_editenv(void)
{
	char buf[1024], arg[1024], big[2048];
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "/tmp/pvboot-grubenv.XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	unlink(path);
	if (editenv("create", NULL) != 0) {
		printf("SKIP grub-editenv comparison: grub-editenv (grub-common) "
		       "is not installed or failed\n");
		return;
	}
	/* GRUB 2.06's block: the signature, a "# WARNING: ..." comment line,
	 * '#' padding to 1024 bytes; start from its bytes */
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf));
	if (fd >= 0)
		close(fd);
	CHECK(memcmp(buf, GRUBENV_SIGNATURE "# WARNING",
		     strlen(GRUBENV_SIGNATURE) + 9) == 0);
	CHECK(file_is(buf, sizeof(buf)));
	CHECK(envw_block_valid((uint8_t *)buf, sizeof(buf)));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (ops[i].value) {
			snprintf(arg, sizeof(arg), "%s=%s", ops[i].name,
				 ops[i].value);
			CHECK(editenv("set", arg) == 0);
			CHECK(grubenv_set(buf, sizeof(buf), ops[i].name,
					  ops[i].value) == 1);
		} else {
			CHECK(editenv("unset", ops[i].name) == 0);
			grubenv_delete(buf, sizeof(buf), ops[i].name);
		}
		if (!file_is(buf, sizeof(buf)))
			fprintf(stderr, "differs after step %zu (%s)\n", i,
				ops[i].name);
		CHECK(file_is(buf, sizeof(buf)));
		CHECK(envw_block_valid((uint8_t *)buf, sizeof(buf)));
	}
	/* too big: both refuse and leave the block as it was */
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(arg, sizeof(arg), "huge=%.900s", big);
	CHECK(editenv("set", arg) != 0);
	CHECK(grubenv_set(buf, sizeof(buf), "huge", big + sizeof(big) - 901)
	      == 0);
	CHECK(file_is(buf, sizeof(buf)));
	unlink(path);
}

static void test_valid(void)
{
	char b[256];

	memset(b, '#', sizeof(b));
	memcpy(b, GRUBENV_SIGNATURE "a=1\n", strlen(GRUBENV_SIGNATURE) + 4);
	CHECK(envw_block_valid((uint8_t *)b, sizeof(b)));
	b[strlen(GRUBENV_SIGNATURE) + 1] = 'x'; /* "ax1\n": no '=' */
	CHECK(!envw_block_valid((uint8_t *)b, sizeof(b)));
	b[strlen(GRUBENV_SIGNATURE) + 1] = '=';
	b[0] = 'X';
	CHECK(!envw_block_valid((uint8_t *)b, sizeof(b)));
	b[0] = '#';
	b[100] = '\0';
	CHECK(!envw_block_valid((uint8_t *)b, sizeof(b)));
	b[100] = '#';
	b[sizeof(b) - 1] = 'z'; /* padding must be '#' to the end */
	CHECK(!envw_block_valid((uint8_t *)b, sizeof(b)));
}

/* The supervisor's checks on forged answers, over a 4 MiB file whose
 * block at 2 MiB is an environment block. */
static void test_supervisor_checks(void)
{
	char disk_path[] = "/tmp/pvboot-envdisk.XXXXXX";
	uint64_t size = 4u << 20, at = 2u << 20;
	uint8_t old[1024], neu[1024];
	struct env_block_write w;
	struct blob k;
	int fd = mkstemp(disk_path);

	CHECK(fd >= 0 && ftruncate(fd, (off_t)size) == 0);
	memset(old, '#', sizeof(old));
	memcpy(old, GRUBENV_SIGNATURE "next_entry=1\n",
	       strlen(GRUBENV_SIGNATURE) + 13);
	memcpy(neu, old, sizeof(neu));
	grubenv_set((char *)neu, sizeof(neu), "next_entry", "");
	CHECK(pwrite(fd, old, sizeof(old), (off_t)at) == sizeof(old));
	CHECK(pwrite(fd, old, sizeof(old), 0) == sizeof(old));

	memset(&w, 0, sizeof(w));
	w.vol_off = 1u << 20;
	w.vol_len = 2u << 20;
	w.nranges = 1;
	w.ranges[0].disk_off = at;
	w.ranges[0].len = sizeof(neu);
	w.len = sizeof(neu);
	w.block = neu;
	blob_init(&k);
	CHECK(envwrite_check(fd, size, &w, &k, NULL) == 0);

	/* the kernel's bytes */
	CHECK(blob_add_disk(&k, at + 512, 4096, 1u << 20) == 0);
	CHECK(envwrite_check(fd, size, &w, &k, NULL) < 0);
	blob_free(&k);
	/* the partition table area, even where a block is */
	w.vol_off = 0;
	w.ranges[0].disk_off = 0;
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) < 0);
	w.vol_off = 1u << 20;
	/* outside the volume, outside the disk, misaligned */
	w.ranges[0].disk_off = (3u << 20) + 512;
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) < 0);
	w.ranges[0].disk_off = size - 512;
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) < 0);
	w.ranges[0].disk_off = at + 1;
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) < 0);
	/* lengths that do not add up; overlapping ranges */
	w.ranges[0].disk_off = at;
	w.ranges[0].len = 512;
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) < 0);
	w.nranges = 2;
	w.ranges[1].disk_off = at;
	w.ranges[1].len = 512;
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) < 0);
	w.ranges[1].disk_off = at + 512;
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) == 0);
	/* where the disk holds no environment block */
	w.nranges = 1;
	w.ranges[0].len = 1024;
	w.ranges[0].disk_off = at + 4096;
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) < 0);
	/* a new block that is not one */
	w.ranges[0].disk_off = at;
	neu[30] = '\0';
	CHECK(envwrite_check(fd, size, &w, NULL, NULL) < 0);
	close(fd);
	unlink(disk_path);
}

int main(void)
{
	test_against_grub_editenv();
	test_valid();
	test_supervisor_checks();
	return unit_report("test_grubenv_edit");
}
