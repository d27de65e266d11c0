/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor's deadlines around the interactive exchange: a worker
 * that sends its menu and then nothing is killed at the deadline (which
 * starts again once the choice is sent); a menu screen that never
 * returns, whatever its reads do, is cut off by menu_watch and the run
 * ends with exit 5 (test build: PVBOOT_TEST_MENU_GRACE shortens the wait).
 */
#include "bootloader/privileged/supervisor.h"
#include "common/err.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXF (1ull << 20)
#define DISK_SIZE 8192

static int disk_fd = -1;

static struct sandbox_cfg cfg_on(void)
{
	struct sandbox_cfg c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.drop_uid = 1;
	c.uid = (uid_t)-1;
	c.gid = (gid_t)-1;
	c.keep_fds[c.nkeep++] = disk_fd;
	return c;
}

static int answer(struct boot_result *out)
{
	out->kernel_path = strdup("/boot/vmlinuz");
	out->args = strdup("ro");
	return blob_add_disk(&out->kernel, 0, 512, MAXF) < 0 ? PV_ENOMEM : 0;
}

static int ask_fn(void *ctx, struct boot_result *out)
{
	struct flat_item it;
	struct flat_menu m;
	struct flat_choice pick;
	int rc;

	(void)ctx;
	memset(&it, 0, sizeof(it));
	it.title = "Linux";
	strcpy(it.path, "0");
	it.bootable = 1;
	memset(&m, 0, sizeof(m));
	m.items = &it;
	m.n = 1;
	m.timeout = -1; /* wait for a key */
	rc = supervise_ask(&m, &pick);
	return rc < 0 ? rc : answer(out);
}

/* Asks, then never answers. */
static int ask_then_hang_fn(void *ctx, struct boot_result *out)
{
	struct flat_item it;
	struct flat_menu m;
	struct flat_choice pick;

	(void)ctx;
	(void)out;
	memset(&it, 0, sizeof(it));
	it.title = "Linux";
	strcpy(it.path, "0");
	it.bootable = 1;
	memset(&m, 0, sizeof(m));
	m.items = &it;
	m.n = 1;
	m.timeout = 5;
	if (supervise_ask(&m, &pick) < 0)
		return PV_EINVAL;
	for (;;)
		__asm__ volatile("" ::: "memory");
	return 0;
}

static void quick_show(const struct flat_menu *m, struct flat_choice *c)
{
	c->index = m->def;
}

/* A screen that never returns, whatever its reads do. */
static void stuck_show(const struct flat_menu *m, struct flat_choice *c)
{
	(void)m;
	(void)c;
	for (;;)
		pause();
}

/* A worker silent after the menu is killed at the deadline (which starts
 * again once the choice is sent). */
static void silent_after_menu(void)
{
	struct sandbox_cfg c = cfg_on();
	struct boot_result r;
	int rc, st;

	setenv("PVBOOT_WORKER_TIMEOUT", "2", 1);
	rc = supervise_menu(&c, ask_then_hang_fn, NULL, DISK_SIZE, MAXF,
			    quick_show, &r);
	unsetenv("PVBOOT_WORKER_TIMEOUT");
	CHECK(rc == PV_ESANDBOX);
	CHECK(strstr(pv_errmsg(), "timed out after 2 s") != NULL);
	printf("test_deadline: silent after the menu -> %s\n", pv_errmsg());
	CHECK(waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD);
	result_free(&r);
}

static void menu_deadline(void)
{
	struct timespec ts = { 0, 50 * 1000000 };
	int st = 0, waited;
	pid_t p;

	fflush(NULL);
	p = fork();
	CHECK(p >= 0);
	if (p == 0) {
		struct sandbox_cfg c = cfg_on();
		struct boot_result r;

		setenv("PVBOOT_TEST_MENU_GRACE", "1", 1);
		supervise_menu(&c, ask_fn, NULL, DISK_SIZE, MAXF, stuck_show, &r);
		_exit(0); /* must not get here */
	}
	/* a generous bound: the deadline is 1 + PV_MENU_HARD_EXTRA_SECONDS */
	for (waited = 0; waited < 60000; waited += 50) {
		if (waitpid(p, &st, WNOHANG) == p)
			break;
		nanosleep(&ts, NULL);
	}
	if (waited >= 60000) {
		kill(p, SIGKILL);
		waitpid(p, &st, 0);
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	printf("test_deadline: a stuck menu screen ends the run (status %d)\n",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

int main(void)
{
	char path[] = "/tmp/pvboot-deadline-XXXXXX";
	uint8_t disk[DISK_SIZE];

	disk_fd = mkstemp(path);
	CHECK(disk_fd >= 0);
	memset(disk, 0, sizeof(disk));
	CHECK(write(disk_fd, disk, sizeof(disk)) == (ssize_t)sizeof(disk));
	unlink(path);
	silent_after_menu();
	menu_deadline();
	close(disk_fd);
	return unit_report("test_deadline");
}
