/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's build-time seccomp program (seccomp_prog.c) against what
 * libseccomp builds from the rule table now (seccomp_rules.c), for
 * several result fds and pids: the same instructions, byte for byte.  A
 * table edited without regenerating, a stand-in left in place or one
 * patched at the wrong spot fails here.
 */
#include "bootloader/privileged/seccomp_prog.h"
#include "bootloader/privileged/seccomp_rules.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_INSNS 4096

static struct sock_filter built[MAX_INSNS], shipped[MAX_INSNS];

/* libseccomp's program for (fd, pid); its length, 0 on failure */
static size_t export_now(int fd, pid_t pid)
{
	int bad_rule, bad_nr, err, mfd;
	scmp_filter_ctx sc;
	ssize_t got;

	sc = seccomp_rules_build(fd, pid, &bad_rule, &bad_nr, &err);
	if (!sc) {
		fprintf(stderr, "rule %d (syscall %d): %s\n", bad_rule, bad_nr,
			strerror(-err));
		return 0;
	}
	mfd = memfd_create("bpf", MFD_CLOEXEC);
	if (mfd < 0 || seccomp_export_bpf(sc, mfd) < 0) {
		seccomp_release(sc);
		return 0;
	}
	seccomp_release(sc);
	got = pread(mfd, built, sizeof(built), 0);
	close(mfd);
	if (got <= 0 || got % sizeof(built[0]))
		return 0;
	return (size_t)got / sizeof(built[0]);
}

static void same_program(int fd, pid_t pid)
{
	size_t n = export_now(fd, pid), m, i, standins = 0;

	m = seccomp_prog_fill(shipped, MAX_INSNS, fd, pid);
	CHECK(n > 0);
	CHECK(m == n);
	if (m != n || !n) {
		fprintf(stderr, "fd %d pid %d: libseccomp %zu instructions, shipped %zu\n",
			fd, (int)pid, n, m);
		return;
	}
	for (i = 0; i < n; i++) {
		if (memcmp(&built[i], &shipped[i], sizeof(built[i]))) {
			fprintf(stderr, "fd %d pid %d: instruction %zu differs: {%#x %u %u %#x} built, {%#x %u %u %#x} shipped\n",
				fd, (int)pid, i, built[i].code, built[i].jt,
				built[i].jf, built[i].k, shipped[i].code,
				shipped[i].jt, shipped[i].jf, shipped[i].k);
			CHECK(!"the shipped program is the table's");
			return;
		}
		if (shipped[i].k == SECCOMP_FD_STANDIN ||
		    shipped[i].k == SECCOMP_PID_STANDIN)
			standins++;
	}
	if (fd != (int)SECCOMP_FD_STANDIN)
		CHECK(standins == 0);
	unit_passed++;
}

int main(void)
{
	/* the stand-ins themselves (the table as the generator saw it), the
	 * worker's usual case (pid 1 of its namespace), a plain fork's pid,
	 * the largest values.  Not an fd of 3: libseccomp merges identical
	 * instruction blocks, and "arg0 == 3, allow" is also the prctl rule
	 * (PR_GET_DUMPABLE is 3), so its program is shorter there while it
	 * allows the same calls. */
	static const struct { int fd; pid_t pid; } cases[] = {
		{ (int)SECCOMP_FD_STANDIN, (pid_t)SECCOMP_PID_STANDIN },
		{ 5, 1 }, { 6, 1 }, { 5, 4242 }, { 15, 123456 },
		{ 1023, 4194304 }, { 0x7fffffff, 0x7ffffffe },
	};
	size_t i;

	CHECK(seccomp_prog_len() > 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_program(cases[i].fd, cases[i].pid);
	/* out of range: nothing to load */
	CHECK(seccomp_prog_fill(shipped, MAX_INSNS, -1, 1) == 0);
	CHECK(seccomp_prog_fill(shipped, MAX_INSNS, 5, -1) == 0);
	CHECK(seccomp_prog_fill(shipped, seccomp_prog_len() - 1, 5, 1) == 0);
	return unit_report("test_seccomp_bpf");
}
