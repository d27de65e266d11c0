/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's seccomp allowlist (seccomp_rules.h).  Lived in sandbox.c
 * until the filter moved to build time: the generator links this file
 * alone.  Not in pvboot's run-time path (the worker loads the exported
 * program, seccomp_prog.c).
 */
#include "bootloader/privileged/seccomp_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/blkzoned.h>
#include <linux/fd.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>

/* How a rule's argument condition is filled in at run time. */
enum sc_cond {
	C_NONE,
	C_RESULT_FD,  /* arg0 == the result pipe */
	C_NO_EXEC,    /* (arg2 & PROT_EXEC) == 0 */
	C_EMPTY_PATH, /* arg0 is not AT_FDCWD and arg3 has AT_EMPTY_PATH */
	C_EQ1,        /* arg1 == val (e.g. an ioctl request) */
	C_EQ0,        /* arg0 == val */
	C_SELF_ABRT,  /* tgkill(own pid, any, SIGABRT): abort() */
	C_FAKE_OK,    /* not run at all, the caller sees success (0) */
	C_EQ1_ENOTTY, /* arg1 == val: not run, the caller sees ENOTTY */
	C_EACCES,     /* not run, the caller sees EACCES */
};

struct sc_rule {
	int nr;
	enum sc_cond cond;
	uint64_t val;
};

/*
 * The worker's whole vocabulary.  To allow another call, add a line (and
 * the reason); everything else kills the process with SIGSYS.
 */
static const struct sc_rule allow[] = {
	/* reading the disk and the result of fstat */
	{ SCMP_SYS(read), C_NONE, 0 },
	{ SCMP_SYS(pread64), C_NONE, 0 },
	{ SCMP_SYS(readv), C_NONE, 0 },
	{ SCMP_SYS(preadv), C_NONE, 0 },
	{ SCMP_SYS(lseek), C_NONE, 0 },
	{ SCMP_SYS(fstat), C_NONE, 0 },
	/* glibc's fstat(): newfstatat(fd, "", buf, AT_EMPTY_PATH) */
	{ SCMP_SYS(newfstatat), C_EMPTY_PATH, 0 },
	{ SCMP_SYS(close), C_NONE, 0 },
	/* libblkid (inside libfdisk) advises FADV_RANDOM on the disk fd */
	{ SCMP_SYS(fadvise64), C_NONE, 0 },
	/* libfdisk syncs the (read-only) disk fd when it lets go of it:
	 * pretend it worked, flushing dom0's cache is not the worker's job */
	{ SCMP_SYS(fsync), C_FAKE_OK, 0 },
	{ SCMP_SYS(fdatasync), C_FAKE_OK, 0 },
	/* the answer */
	{ SCMP_SYS(write), C_RESULT_FD, 0 },
	{ SCMP_SYS(writev), C_RESULT_FD, 0 },
	/* memory: no executable mappings */
	{ SCMP_SYS(mmap), C_NO_EXEC, 0 },
	{ SCMP_SYS(mprotect), C_NO_EXEC, 0 },
	{ SCMP_SYS(munmap), C_NONE, 0 },
	{ SCMP_SYS(mremap), C_NONE, 0 },
	{ SCMP_SYS(brk), C_NONE, 0 },
	{ SCMP_SYS(madvise), C_NONE, 0 },
	/* libc and library housekeeping */
	{ SCMP_SYS(clock_gettime), C_NONE, 0 },
	{ SCMP_SYS(gettimeofday), C_NONE, 0 },
	{ SCMP_SYS(time), C_NONE, 0 },
	{ SCMP_SYS(getrandom), C_NONE, 0 },
	{ SCMP_SYS(futex), C_NONE, 0 },
	{ SCMP_SYS(getpid), C_NONE, 0 },
	{ SCMP_SYS(gettid), C_NONE, 0 },
	/* libext2fs's safe_getenv compares real and effective ids, then
	 * asks PR_GET_DUMPABLE */
	{ SCMP_SYS(getuid), C_NONE, 0 },
	{ SCMP_SYS(geteuid), C_NONE, 0 },
	{ SCMP_SYS(getgid), C_NONE, 0 },
	{ SCMP_SYS(getegid), C_NONE, 0 },
	{ SCMP_SYS(prctl), C_EQ0, PR_GET_DUMPABLE },
	/* glibc qsort() sizes its buffer with sysconf(_SC_PHYS_PAGES) */
	{ SCMP_SYS(sysinfo), C_NONE, 0 },
	/* block-device geometry queries libfdisk/libblkid make on the disk
	 * fd (read-only; a regular file just answers ENOTTY) */
	{ SCMP_SYS(ioctl), C_EQ1, BLKGETSIZE64 },
	{ SCMP_SYS(ioctl), C_EQ1, BLKGETSIZE },
	{ SCMP_SYS(ioctl), C_EQ1, BLKSSZGET },
	{ SCMP_SYS(ioctl), C_EQ1, BLKPBSZGET },
	{ SCMP_SYS(ioctl), C_EQ1, BLKIOMIN },
	{ SCMP_SYS(ioctl), C_EQ1, BLKIOOPT },
	{ SCMP_SYS(ioctl), C_EQ1, BLKALIGNOFF },
	{ SCMP_SYS(ioctl), C_EQ1, BLKGETZONESZ },
	{ SCMP_SYS(ioctl), C_EQ1, HDIO_GETGEO },
	/* libblkid looks up a block device's topology in /sys: opening any
	 * path is refused (never run: Landlock and the empty root would
	 * refuse it too), so the library falls back instead of dying */
	{ SCMP_SYS(open), C_EACCES, 0 },
	{ SCMP_SYS(openat), C_EACCES, 0 },
	{ SCMP_SYS(openat2), C_EACCES, 0 },
	/* libblkid asks whether a block device is a floppy: it is not */
	{ SCMP_SYS(ioctl), C_EQ1_ENOTTY, FDGETFDCSTAT },
	/* signals: return from a handler, masks, and abort() on itself */
	{ SCMP_SYS(rt_sigreturn), C_NONE, 0 },
	{ SCMP_SYS(rt_sigprocmask), C_NONE, 0 },
	/* an alternate signal stack in our own memory (sanitizer runtimes
	 * set one up around each function call they intercept) */
	{ SCMP_SYS(sigaltstack), C_NONE, 0 },
	{ SCMP_SYS(tgkill), C_SELF_ABRT, 0 },
	{ SCMP_SYS(exit), C_NONE, 0 },
	{ SCMP_SYS(exit_group), C_NONE, 0 },
};

static int add_rule(scmp_filter_ctx sc, const struct sc_rule *r,
		    int result_fd, pid_t pid)
{
	struct scmp_arg_cmp c[2];
	unsigned int n = 0;

	memset(c, 0, sizeof(c));
	switch (r->cond) {
	case C_NONE:
		break;
	case C_FAKE_OK:
		return seccomp_rule_add_array(sc, SCMP_ACT_ERRNO(0), r->nr, 0,
					      c);
	case C_EACCES:
		return seccomp_rule_add_array(sc, SCMP_ACT_ERRNO(EACCES),
					      r->nr, 0, c);
	case C_RESULT_FD:
		c[n++] = (struct scmp_arg_cmp){ 0, SCMP_CMP_EQ,
						(uint64_t)result_fd, 0 };
		break;
	case C_NO_EXEC:
		c[n++] = (struct scmp_arg_cmp){ 2, SCMP_CMP_MASKED_EQ,
						PROT_EXEC, 0 };
		break;
	case C_EMPTY_PATH:
		/* a negative dirfd (AT_FDCWD) has bit 31 set however the
		 * caller extended it; the kernel only looks at 32 bits */
		c[n++] = (struct scmp_arg_cmp){ 0, SCMP_CMP_MASKED_EQ,
						0x80000000u, 0 };
		c[n++] = (struct scmp_arg_cmp){ 3, SCMP_CMP_MASKED_EQ,
						AT_EMPTY_PATH, AT_EMPTY_PATH };
		break;
	case C_EQ0:
		c[n++] = (struct scmp_arg_cmp){ 0, SCMP_CMP_EQ, r->val, 0 };
		break;
	case C_EQ1:
		c[n++] = (struct scmp_arg_cmp){ 1, SCMP_CMP_EQ, r->val, 0 };
		break;
	case C_EQ1_ENOTTY:
		c[n++] = (struct scmp_arg_cmp){ 1, SCMP_CMP_EQ, r->val, 0 };
		return seccomp_rule_add_array(sc, SCMP_ACT_ERRNO(ENOTTY),
					      r->nr, n, c);
	case C_SELF_ABRT:
		c[n++] = (struct scmp_arg_cmp){ 0, SCMP_CMP_EQ,
						(uint64_t)pid, 0 };
		c[n++] = (struct scmp_arg_cmp){ 2, SCMP_CMP_EQ, SIGABRT, 0 };
		break;
	}
	return seccomp_rule_add_array(sc, SCMP_ACT_ALLOW, r->nr, n, c);
}

scmp_filter_ctx seccomp_rules_build(int result_fd, pid_t pid,
				    int *bad_rule, int *bad_nr, int *err)
{
	scmp_filter_ctx sc;
	size_t i;
	int rc;

	*bad_rule = -1;
	*bad_nr = -1;
	*err = -EINVAL;
	sc = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!sc)
		return NULL;
	for (i = 0; i < sizeof(allow) / sizeof(allow[0]); i++) {
		rc = add_rule(sc, &allow[i], result_fd, pid);
		if (rc < 0) {
			seccomp_release(sc);
			*bad_rule = (int)i;
			*bad_nr = allow[i].nr;
			*err = rc;
			return NULL;
		}
	}
	*err = 0;
	return sc;
}
