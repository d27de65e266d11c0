/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test build's worker misbehaviour (bootloader/privileged/test_hooks.h).
 * Linked into build/pvboot-test and the unit tests only, never into
 * build/pvboot: `strings build/pvboot | grep PVBOOT_TEST_HOOK` finds
 * nothing.
 *
 * PVBOOT_TEST_HOOK=
 *   open socket exec ptrace kill write-stderr   try what the sandbox forbids
 *   crash hang garbage huge                     die, spin, or answer junk
 *   lie-range lie-size                          an answer that lies
 * PVBOOT_TEST_FAIL_LAYER=uid|mountns|seccomp    that layer "fails"
 * PVBOOT_TEST_PDEATH_RACE=1     the supervisor dies before the worker's
 *                               PR_SET_PDEATHSIG (waits for it, <= 60 s)
 * PVBOOT_TEST_MENU_GRACE=N      the supervisor's menu deadline: N s, not
 *                               PV_MENU_GRACE_SECONDS (only shorter)
 */
#include "bootloader/privileged/test_hooks.h"
#include "common/err.h"
#include "bootloader/wire/blob.h"
#include "bootloader/wire/wire.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

static void put(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		p += n;
		len -= (size_t)n;
	}
}

/* A forbidden call came back: it worked (a hole), or failed with the
 * errno the design promises, or with another one. */
static void __attribute__((noreturn)) verdict(int rc, int want_errno)
{
	if (rc >= 0)
		_exit(PV_HOOK_ESCAPED);
	_exit(errno == want_errno ? PV_HOOK_REFUSED : PV_HOOK_OTHER_ERRNO);
}

void pv_test_hook_before(int wfd, pid_t parent)
{
	const char *hook = getenv("PVBOOT_TEST_HOOK");

	if (!hook)
		return;
	/* the design: open* fails with EACCES (seccomp), everything else
	 * kills the worker with SIGSYS, so want_errno 0 never matches */
	if (!strcmp(hook, "open")) {
		verdict(open("/etc/passwd", O_RDONLY | O_CLOEXEC), EACCES);
	} else if (!strcmp(hook, "socket")) {
		verdict(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), 0);
	} else if (!strcmp(hook, "exec")) {
		char *argv[] = { "true", NULL }, *envp[] = { NULL };

		verdict(execve("/bin/true", argv, envp), 0);
	} else if (!strcmp(hook, "ptrace")) {
		verdict((int)ptrace(PTRACE_ATTACH, parent, NULL, NULL), 0);
	} else if (!strcmp(hook, "kill")) {
		verdict(kill(1, 0), 0);
	} else if (!strcmp(hook, "write-stderr")) {
		verdict(write(2, "escaped\n", 8) == 8 ? 0 : -1, 0);
	} else if (!strcmp(hook, "crash")) {
		volatile int *volatile bad = NULL;

		*bad = 1;
		_exit(PV_HOOK_OTHER_ERRNO);
	} else if (!strcmp(hook, "hang")) {
		for (;;)
			__asm__ volatile("" ::: "memory");
	} else if (!strcmp(hook, "garbage")) {
		uint8_t junk[4096];

		if (getrandom(junk, sizeof(junk), 0) != sizeof(junk))
			memset(junk, 0xa5, sizeof(junk));
		put(wfd, junk, sizeof(junk));
		_exit(0);
	} else if (!strcmp(hook, "huge")) {
		uint8_t hdr[WIRE_HDR_SIZE] = { 'P', 'V', 'B', '1', 1, 0, 0, 0,
					       0, 0, 0, 0, 1, 0, 0, 0 };

		put(wfd, hdr, sizeof(hdr)); /* body of 4 GiB */
		_exit(0);
	}
}

void pv_test_hook_after(struct boot_result *r, int *rc, uint64_t disk_size,
			uint64_t max_file)
{
	const char *hook = getenv("PVBOOT_TEST_HOOK");
	struct seg *s;

	if (!hook)
		return;
	if (!strcmp(hook, "lie-status")) { /* exit 256 would be exit 0 */
		result_free(r);
		r->status = 256;
		r->error = strdup("status 256");
		*rc = PV_EINVAL;
		return;
	}
	if (!strcmp(hook, "lie-nokernel")) {
		free(r->kernel_path);
		r->kernel_path = NULL;
		return;
	}
	if (!strcmp(hook, "lie-stream") || !strcmp(hook, "stall-stream")) {
		/* 3 MiB due in the stream; pv_test_stream_lie sends half */
		uint8_t *b = calloc(1, 3u << 20);

		if (!b || blob_add_bytes(&r->kernel, b, 3u << 20, max_file) < 0)
			_exit(PV_HOOK_OTHER_ERRNO);
		return;
	}
	if (!strcmp(hook, "lie-backing-name") ||
	    !strcmp(hook, "lie-backing-ctrl")) {
		/* "needs backing file NAME", whatever the image says */
		result_free(r);
		r->backing = strdup(hook[12] == 'n' ? "/etc/shadow"
						    : "base\033]0;x\007");
		*rc = 0;
		return;
	}
	if (!strcmp(hook, "lie-backing-seg")) {
		/* the kernel in backing file 1, which nobody opened */
		if (r->kernel.n)
			r->kernel.segs[0].file = 1;
		return;
	}
	if (strcmp(hook, "lie-range") && strcmp(hook, "lie-size"))
		return;
	blob_free(&r->kernel);
	s = calloc(1, sizeof(*s));
	if (!s)
		_exit(PV_HOOK_OTHER_ERRNO);
	if (!strcmp(hook, "lie-range")) {
		s->kind = SEG_DISK;
		s->disk_off = disk_size > 512 ? disk_size - 512 : 0;
		s->len = 4096; /* runs off the end of the disk */
	} else {
		s->kind = SEG_ZERO;
		s->len = max_file + 1;
	}
	r->kernel.segs = s;
	r->kernel.n = r->kernel.cap = 1;
	r->kernel.total = s->len;
}

int pv_test_stream_lie(void)
{
	const char *hook = getenv("PVBOOT_TEST_HOOK");

	if (!hook)
		return 0;
	return !strcmp(hook, "lie-stream") ? 1 : !strcmp(hook, "stall-stream") ? 2 : 0;
}

int pv_test_no_tmpfile(void)
{
	const char *e = getenv("PVBOOT_TEST_NO_TMPFILE");

	return e && *e;
}

int pv_test_fail_layer(const char *layer)
{
	const char *want = getenv("PVBOOT_TEST_FAIL_LAYER");

	return want && !strcmp(want, layer);
}

unsigned int pv_test_menu_grace(unsigned int secs)
{
	const char *e = getenv("PVBOOT_TEST_MENU_GRACE");
	unsigned long v;
	char *end;

	if (!e || !*e)
		return secs;
	v = strtoul(e, &end, 10);
	return *end || v == 0 || v > secs ? secs : (unsigned int)v;
}

void pv_test_hook_pdeath_race(int result_fd)
{
	const char *e = getenv("PVBOOT_TEST_PDEATH_RACE");
	int i;

	if (!e || strcmp(e, "1"))
		return;
	for (i = 0; i < 600; i++) {
		struct pollfd p = { result_fd, POLLOUT, 0 };

		if (poll(&p, 1, 100) < 0 || (p.revents & POLLERR))
			return; /* the read end is gone: the supervisor died */
		if (p.revents & POLLOUT)
			usleep(100 * 1000);
	}
}
