/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor and the confined worker: a good answer arrives whole;
 * every misbehaviour (PVBOOT_TEST_HOOK, tests/hooks) ends in a clean PV_ESANDBOX and the
 * forbidden action never succeeds; memory and wall-clock limits hold; no
 * child or fd is left behind.  Uid and namespace checks need root.
 */
#include "bootloader/privileged/supervisor.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "tests/unit/unit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define MAXF (128ull << 20)
#define DISK_SIZE 65536

static int disk_fd = -1;

static struct sandbox_cfg cfg_on(void)
{
	struct sandbox_cfg c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.drop_uid = 1;
	c.uid = (uid_t)-1;
	c.gid = (gid_t)-1;
	/* ASan reserves terabytes of address space: no RLIMIT_AS there */
	c.max_ram = UNDER_ASAN ? 0 : (uint64_t)PV_DEFAULT_MAX_RAM_MB << 20;
	c.keep_fds[0] = disk_fd;
	c.nkeep = 1;
	return c;
}

/* A worker that reads the (kept) disk fd and answers with every field. */
static int good_fn(void *ctx, struct boot_result *out)
{
	char buf[64], first[9];
	struct stat st;

	(void)ctx;
	if (fstat(disk_fd, &st) < 0 || st.st_size != DISK_SIZE)
		return pv_err(PV_EIO, "fstat of the kept disk fd failed");
	if (pread(disk_fd, first, 8, 4096) != 8)
		return pv_err(PV_EIO, "pread of the kept disk fd failed");
	first[8] = '\0';
	pv_warn("worker saw %s", first);
	snprintf(buf, sizeof(buf), "uid=%u first=%s", (unsigned)getuid(),
		 first);
	out->args = strdup(buf);
	out->kernel_path = strdup("/boot/vmlinuz");
	out->ramdisk_path = strdup("/boot/initrd.img");
	out->have_ramdisk = 1;
	if (blob_add_disk(&out->kernel, 4096, 8192, MAXF) < 0 ||
	    blob_add_zero(&out->kernel, 512, MAXF) < 0 ||
	    blob_add_disk(&out->kernel, 32768, 100, MAXF) < 0 ||
	    blob_add_disk(&out->ramdisk, 0, DISK_SIZE, MAXF) < 0)
		return PV_ENOMEM;
	{
		uint8_t *b = malloc(5);

		memcpy(b, "bytes", 5);
		if (blob_add_bytes(&out->ramdisk, b, 5, MAXF) < 0)
			return PV_ENOMEM;
	}
	return 0;
}

/* The stream's bytes (the ramdisk's 5 "bytes") land here. */
static uint8_t streamed[16];
static uint64_t streamed_off;

static int sink_begin(void *ctx, const struct boot_result *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

static int sink_write(void *ctx, int file, uint64_t off, const uint8_t *p,
		      size_t n)
{
	(void)ctx;
	if (file == 0) /* the stream hooks' kernel bytes */
		return 0;
	if (file != 1 || n > sizeof(streamed))
		return pv_err(PV_EINVAL, "unexpected stream write");
	streamed_off = off;
	memcpy(streamed, p, n);
	return 0;
}

static const struct answer_sink sink = { sink_begin, sink_write, NULL };

static int fail_fn(void *ctx, struct boot_result *out)
{
	(void)ctx;
	out->status = 3;
	return pv_err(PV_ECORRUPT, "grub.cfg:41: title \x1b[2J is bad");
}

static int alloc_fn(void *ctx, struct boot_result *out)
{
	size_t sz = (size_t)1 << 30;
	char *p = malloc(sz);

	(void)ctx;
	(void)out;
	if (!p)
		return pv_err(PV_ENOMEM, "cannot allocate 1 GiB");
	memset(p, 1, sz);
	free(p);
	return 0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the DIR's own fd */
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void check_good(const struct boot_result *r, int root, int want_log)
{
	char want[64];

	CHECK(r->kernel.n == 3 && r->kernel.total == 8192 + 512 + 100);
	CHECK(r->kernel.n == 3 && r->kernel.segs[0].kind == SEG_DISK &&
	      r->kernel.segs[0].disk_off == 4096 &&
	      r->kernel.segs[1].kind == SEG_ZERO &&
	      r->kernel.segs[2].disk_off == 32768);
	CHECK(r->ramdisk.n == 2 && r->ramdisk.total == DISK_SIZE + 5);
	CHECK(r->ramdisk.n == 2 && r->ramdisk.segs[1].kind == SEG_BYTES);
	/* the bytes came in the stream, at their place in the ramdisk */
	CHECK(streamed_off == DISK_SIZE && memcmp(streamed, "bytes", 5) == 0);
	streamed_off = 0;
	memset(streamed, 0, sizeof(streamed));
	CHECK(r->have_ramdisk == 1);
	CHECK_STR(r->kernel_path, "/boot/vmlinuz");
	CHECK(r->text == NULL);
	/* kept for the caller, which prints warnings only on success */
	if (want_log)
		CHECK(r->log && strstr(r->log, "warning: worker saw DISKDATA\n") != NULL);
	if (root) {
		/* confined to nobody, not root */
		CHECK(r->args && strncmp(r->args, "uid=0 ", 6) != 0);
	} else {
		snprintf(want, sizeof(want), "uid=%u first=DISKDATA",
			 (unsigned)getuid());
		CHECK_STR(r->args, want);
	}
	CHECK(r->args && strstr(r->args, "first=DISKDATA") != NULL);
}

/* Run one hook; the result must be a clean sandbox error. */
static void hook(const char *name, const char *expect)
{
	struct sandbox_cfg c = cfg_on();
	struct boot_result r;
	int rc;

	setenv("PVBOOT_TEST_HOOK", name, 1);
	rc = supervise(&c, good_fn, NULL, DISK_SIZE, MAXF, &r);
	unsetenv("PVBOOT_TEST_HOOK");
	CHECK(rc == PV_ESANDBOX);
	/* never escaped, never refused with an errno the design does not
	 * promise (test_hooks.h) */
	CHECK(strstr(pv_errmsg(), "status 99") == NULL);
	CHECK(strstr(pv_errmsg(), "status 97") == NULL);
	if (!strstr(pv_errmsg(), expect)) {
		unit_failed++;
		fprintf(stderr, "hook %s: want \"%s\", got \"%s\"\n", name,
			expect, pv_errmsg());
	} else {
		unit_passed++;
	}
	CHECK(r.args == NULL && r.kernel.n == 0 && r.text == NULL);
	result_free(&r);
	printf("test_sandbox: hook %-12s -> %s\n", name, pv_errmsg());
}

int main(void)
{
	char path[] = "/tmp/pvboot-sandbox-XXXXXX", logpath[64];
	struct boot_result r;
	struct sandbox_cfg c;
	int root = geteuid() == 0, fds0, rc, saved, logfd, st;
	uint8_t disk[DISK_SIZE];
	double t0;

	/* a small "disk" the worker reads through its kept fd */
	disk_fd = mkstemp(path);
	CHECK(disk_fd >= 0);
	memset(disk, 0, sizeof(disk));
	memcpy(disk + 4096, "DISKDATA", 8);
	CHECK(write(disk_fd, disk, sizeof(disk)) == (ssize_t)sizeof(disk));
	unlink(path);
	if (!root)
		printf("test_sandbox: not root: skipping the uid-drop and namespace checks\n");
	fds0 = count_fds();
	supervise_set_sink(&sink);

	/* --no-sandbox: in-process, validated all the same */
	c = cfg_on();
	c.enabled = 0;
	rc = supervise(&c, good_fn, NULL, DISK_SIZE, MAXF, &r);
	CHECK(rc == 0);
	CHECK(r.args && strstr(r.args, "first=DISKDATA"));
	result_free(&r);
	rc = supervise(&c, good_fn, NULL, DISK_SIZE - 1, MAXF, &r);
	CHECK(rc == PV_ESANDBOX); /* the ramdisk range ends past the disk */
	CHECK(r.ramdisk.n == 0);

	/* a confined worker answers; with --debug its warning reaches our
	 * stderr at once */
	snprintf(logpath, sizeof(logpath), "/tmp/pvboot-sblog-%d", (int)getpid());
	logfd = open(logpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	saved = dup(2);
	dup2(logfd, 2);
	c = cfg_on();
	pv_debug_enabled = 1;
	rc = supervise(&c, good_fn, NULL, DISK_SIZE, MAXF, &r);
	pv_debug_enabled = 0;
	dup2(saved, 2);
	close(saved);
	CHECK(rc == 0);
	if (rc)
		fprintf(stderr, "supervise: %s\n", pv_errmsg());
	CHECK(r.log == NULL); /* printed (--debug), not kept */
	check_good(&r, root, 0);
	result_free(&r);
	{
		char buf[512] = { 0 };

		CHECK(pread(logfd, buf, sizeof(buf) - 1, 0) > 0);
		CHECK(strstr(buf, "pvboot: warning: worker saw DISKDATA\n") != NULL);
	}
	close(logfd);
	unlink(logpath);

	/* the same result, now checked against a smaller disk */
	rc = supervise(&c, good_fn, NULL, DISK_SIZE - 1, MAXF, &r);
	CHECK(rc == PV_ESANDBOX);
	CHECK(strstr(pv_errmsg(), "invalid answer") != NULL);

	/* a failing worker: its code and one sanitised line come back */
	rc = supervise(&c, fail_fn, NULL, DISK_SIZE, MAXF, &r);
	CHECK(rc == PV_ECORRUPT);
	CHECK(r.status == 3);
	CHECK(r.error && strstr(r.error, "grub.cfg:41") && !strchr(r.error, 0x1b));
	CHECK(!strchr(pv_errmsg(), 0x1b));
	result_free(&r);

	/* each misbehaviour */
	/* open* is refused with EACCES (libblkid must survive its /sys
	 * lookups): the hook exits 98 only for EACCES; the rest is killed */
	hook("open", "status 98");
	hook("socket", "SIGSYS");
	hook("exec", "SIGSYS");
	hook("ptrace", "SIGSYS");
	hook("kill", "SIGSYS");
	hook("write-stderr", "SIGSYS");
	/* ASan's own SEGV handler reads /proc first: the filter stops it */
	hook("crash", UNDER_ASAN ? "killed by signal" : "SIGSEGV");
	hook("lie-range", "outside the disk");
	hook("lie-size", "cap");
	hook("lie-status", "status 256");
	hook("lie-nokernel", "no kernel path");
	hook("lie-stream", "bytes due");
	hook("garbage", "malformed answer");
	hook("huge", "malformed answer");
	setenv("PVBOOT_WORKER_TIMEOUT", "2", 1);
	t0 = now_s();
	hook("hang", "timed out after 2 s");
	CHECK(now_s() - t0 < 3.5);
	unsetenv("PVBOOT_WORKER_TIMEOUT");

	/* RLIMIT_AS */
	if (!UNDER_ASAN) {
		rc = supervise(&c, alloc_fn, NULL, DISK_SIZE, MAXF, &r);
		CHECK(rc == PV_ENOMEM);
		CHECK(strstr(pv_errmsg(), "1 GiB") != NULL);
		result_free(&r);
	} else {
		printf("test_sandbox: ASan build: skipping the RLIMIT_AS check\n");
	}

	/* nothing left behind: no child, no fd */
	CHECK(waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD);
	CHECK(count_fds() == fds0);
	close(disk_fd);
	return unit_report("test_sandbox");
}
