/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Worker confinement (see sandbox.h and security.md §4).
 *
 * Mandatory layers (their failure stops the run, PV_ESANDBOX, one line
 * naming the layer): as root the mount namespace with an empty read-only
 * root and the uid drop; always the seccomp filter (and stdio, fds,
 * rlimits, no_new_privs, parent death).  Best effort, reported under
 * --debug: the pid namespace (sandbox_spawn: the worker is pid 1 of a new
 * one), the net/ipc/uts namespaces and Landlock, which older kernels or
 * containers may lack.  No user namespace: a dedicated uid gives the same
 * isolation without widening the kernel surface (security.md §4, "Other
 * choices").
 */
#include "bootloader/privileged/sandbox.h"
#include "bootloader/privileged/seccomp_prog.h"
#include "bootloader/privileged/test_hooks.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/blkzoned.h>
#include <linux/fd.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <linux/landlock.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* --- parent death: after the last credential change --- */

/* A knob of the test build: does this mandatory layer "fail"? */
static int forced_failure(const char *layer)
{
	return pv_test_fail_layer && pv_test_fail_layer(layer);
}

/*
 * The kernel clears PR_SET_PDEATHSIG on every credential change, so this
 * runs after the uid drop (and Landlock, which commits creds too).  Then
 * re-check that the supervisor is still there: in a new pid namespace
 * getppid() is 0, so the check is the result pipe instead, whose read end
 * only the supervisor holds: once it has exited, the write end polls
 * POLLERR.  (Exit closes a process's files before it reparents its
 * children, so a death the prctl missed always shows here.)
 */
static int set_pdeathsig(pid_t parent, int result_fd)
{
	struct pollfd p = { result_fd, POLLOUT, 0 };
	pid_t pp;

	if (pv_test_hook_pdeath_race) /* test build only */
		pv_test_hook_pdeath_race(result_fd);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return pv_err(PV_ESANDBOX, "parent death signal: %s",
			      strerror(errno));
	pp = getppid();
	if (pp != 0 && pp != parent)
		return pv_err(PV_ESANDBOX, "the supervisor is gone");
	if (poll(&p, 1, 0) < 0 || (p.revents & (POLLERR | POLLNVAL)))
		return pv_err(PV_ESANDBOX, "the supervisor is gone");
	return 0;
}

/* --- stdio, fds --- */

static int is_kept(const struct sandbox_cfg *cfg, int fd, int result_fd)
{
	int i;

	if (fd <= 2 || fd == result_fd)
		return 1;
	for (i = 0; i < cfg->nkeep; i++)
		if (cfg->keep_fds[i] == fd)
			return 1;
	return 0;
}

static int close_others(const struct sandbox_cfg *cfg, int result_fd)
{
	int keep[SANDBOX_MAX_KEEP + 1], n = 0, i, j, lo = 3;

	keep[n++] = result_fd;
	for (i = 0; i < cfg->nkeep && i < SANDBOX_MAX_KEEP; i++)
		if (cfg->keep_fds[i] > 2) /* 0-2 are /dev/null by now */
			keep[n++] = cfg->keep_fds[i];
	/* sort (n <= 9) and close the gaps between kept fds */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (i = 0; i <= n; i++) {
		unsigned int hi = i < n ? (unsigned int)keep[i] - 1 : ~0u;

		if (i < n && keep[i] < lo) /* duplicate */
			continue;
		if (hi >= (unsigned int)lo &&
		    close_range((unsigned int)lo, hi, 0) < 0) {
			/* kernel < 5.9: fall back to a bounded loop */
			long max = sysconf(_SC_OPEN_MAX);
			int fd;

			if (max < 0 || max > 65536)
				max = 65536;
			for (fd = lo; fd < max && (unsigned int)fd <= hi; fd++)
				close(fd);
		}
		if (i < n)
			lo = keep[i] + 1;
	}
	return 0;
}

static int setup_stdio(int devnull_fd, const struct sandbox_cfg *cfg,
		       int result_fd)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (dup2(devnull_fd, fd) < 0)
			return pv_err(PV_ESANDBOX, "dup2 /dev/null: %s",
				      strerror(errno));
	if (!is_kept(cfg, devnull_fd, result_fd))
		close(devnull_fd);
	return 0;
}

/* --- namespaces and an empty root (root only) --- */

/* Best effort: a kernel or container without one keeps the rest. */
static void optional_namespace(int flag, const char *name)
{
	if (unshare(flag) < 0)
		pv_debug("sandbox: no %s namespace (unshare: %s)", name,
			 strerror(errno));
}

static int enter_namespaces(void)
{
	/* mandatory: without it there is no empty root */
	if (forced_failure("mountns"))
		return pv_err(PV_ESANDBOX,
			      "mount namespace: unshare: %s (test build)",
			      strerror(EPERM));
	if (unshare(CLONE_NEWNS) < 0)
		return pv_err(PV_ESANDBOX, "mount namespace: unshare: %s",
			      strerror(errno));
	optional_namespace(CLONE_NEWNET, "net");
	optional_namespace(CLONE_NEWIPC, "ipc");
	optional_namespace(CLONE_NEWUTS, "uts");
	/*
	 * An empty, read-only root: even the metadata-only calls seccomp
	 * allows (newfstatat with a path) see nothing of dom0.  /dev is
	 * used as the mount point only because it always exists; the mount
	 * is private to this namespace.
	 */
	/*
	 * Private first, so that the tmpfs below cannot propagate back to
	 * dom0's mounts.  The kernel refuses this (EINVAL) when "/" is not a
	 * mount point, as in a plain chroot: say so rather than go on.
	 */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		if (errno == EINVAL)
			return pv_err(PV_ESANDBOX,
				      "mount namespace: cannot make / private: "
				      "/ is not a mount point (in a chroot, "
				      "bind-mount its directory onto itself)");
		return pv_err(PV_ESANDBOX,
			      "mount namespace: cannot make / private: %s",
			      strerror(errno));
	}
	if (mount("pvboot-empty", "/dev", "tmpfs",
		  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,nr_inodes=1,mode=0555") < 0 ||
	    chroot("/dev") < 0 || chdir("/") < 0)
		return pv_err(PV_ESANDBOX, "mount namespace: empty root: %s",
			      strerror(errno));
	return 0;
}

/* --- rlimits, hard = soft so they cannot be raised again --- */

static int set_limits(const struct sandbox_cfg *cfg)
{
	const struct {
		int res;
		const char *name;
		rlim_t val;
	} lim[] = {
		{ RLIMIT_AS, "AS", cfg->max_ram ? cfg->max_ram : RLIM_INFINITY },
		{ RLIMIT_CPU, "CPU", PV_WORKER_CPU_SECONDS },
		{ RLIMIT_STACK, "STACK", PV_WORKER_STACK_BYTES },
		{ RLIMIT_FSIZE, "FSIZE", 0 },
		{ RLIMIT_NOFILE, "NOFILE", PV_WORKER_NOFILE },
		{ RLIMIT_NPROC, "NPROC", 0 },
		{ RLIMIT_CORE, "CORE", 0 },
		{ RLIMIT_MEMLOCK, "MEMLOCK", 0 },
		{ RLIMIT_MSGQUEUE, "MSGQUEUE", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		struct rlimit rl = { lim[i].val, lim[i].val };

		if (setrlimit(lim[i].res, &rl) < 0)
			return pv_err(PV_ESANDBOX, "RLIMIT_%s: %s",
				      lim[i].name, strerror(errno));
	}
	return 0;
}

/* --- identity --- */

static int drop_identity(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (uid == 0 || gid == 0)
		return pv_err(PV_ESANDBOX, "uid drop: refusing to run the worker as root");
	if (forced_failure("uid"))
		return pv_err(PV_ESANDBOX,
			      "uid drop: cannot switch to uid %u gid %u: %s (test build)",
			      (unsigned)uid, (unsigned)gid, strerror(EPERM));
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		return pv_err(PV_ESANDBOX,
			      "uid drop: cannot switch to uid %u gid %u: %s",
			      (unsigned)uid, (unsigned)gid, strerror(errno));
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0 ||
	    ru != uid || eu != uid || su != uid || rg != gid || eg != gid ||
	    sg != gid)
		return pv_err(PV_ESANDBOX, "uid drop: the switch did not stick");
	if (setuid(0) == 0 || setgid(0) == 0)
		return pv_err(PV_ESANDBOX, "uid drop: could regain root after dropping it");
	return 0;
}

/* --- Landlock, by raw syscalls (glibc has no wrappers) --- */

/* Our own copy of the attr struct: the system header may predate ABI 4/6. */
struct ll_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI >= 4 */
	uint64_t scoped;             /* ABI >= 6 */
};

static int landlock_apply(void)
{
#ifdef SYS_landlock_create_ruleset
	struct ll_attr attr = { 0, 0, 0 };
	size_t size;
	long abi;
	int fd;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
		      LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) {
		if (errno == ENOSYS || errno == EOPNOTSUPP) {
			pv_debug("sandbox: Landlock unavailable (%s)",
				 strerror(errno));
			return 0;
		}
		return pv_err(PV_ESANDBOX, "Landlock ABI query: %s",
			      strerror(errno));
	}
	/* every fs right the ABI knows: ABI 1 has 13, then REFER (2),
	 * TRUNCATE (3), IOCTL_DEV (5) */
	attr.handled_access_fs = (1ull << 13) - 1;
	if (abi >= 2)
		attr.handled_access_fs |= 1ull << 13;
	if (abi >= 3)
		attr.handled_access_fs |= 1ull << 14;
	if (abi >= 5)
		attr.handled_access_fs |= 1ull << 15;
	size = sizeof(attr.handled_access_fs);
	if (abi >= 4) { /* BIND_TCP | CONNECT_TCP */
		attr.handled_access_net = 3;
		size += sizeof(attr.handled_access_net);
	}
	if (abi >= 6) { /* abstract unix sockets and signals: own domain only */
		attr.scoped = 3;
		size += sizeof(attr.scoped);
	}
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		return pv_err(PV_ESANDBOX, "Landlock ruleset (ABI %ld): %s",
			      abi, strerror(errno));
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0) {
		int e = errno;

		close(fd);
		return pv_err(PV_ESANDBOX, "Landlock restrict: %s",
			      strerror(e));
	}
	close(fd);
	pv_debug("sandbox: Landlock ABI %ld applied", abi);
	return 0;
#else
	pv_debug("sandbox: built without Landlock syscall numbers");
	return 0;
#endif
}

/* --- seccomp allowlist --- */

/*
 * The allowlist itself is the rule table in seccomp_rules.c; libseccomp
 * compiles it at build time (tools/gen_seccomp.c) and the worker loads
 * the result (seccomp_prog.c): at run time that is one system call, not
 * libseccomp's kernel probing and compiling on every start.
 */
static int seccomp_available(void)
{
	/* EINVAL: the kernel was built without seccomp */
	return !(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL);
}

static int seccomp_apply(int result_fd)
{
	int rc;

	/* mandatory, root or not: the filter is what stands between
	 * a compromised worker and the kernel's whole system call surface */
	if (forced_failure("seccomp"))
		return pv_err(PV_ESANDBOX, "seccomp: cannot load the filter: %s (test build)",
			      strerror(EINVAL));
	if (!seccomp_available())
		return pv_err(PV_ESANDBOX, "seccomp: the kernel has no seccomp");
	rc = seccomp_prog_load(result_fd, getpid());
	if (rc < 0)
		return pv_err(PV_ESANDBOX, "seccomp: cannot load the filter: %s",
			      strerror(-rc));
	return 0;
}

int sandbox_confine(const struct sandbox_cfg *cfg, int result_fd,
		    int devnull_fd, pid_t parent)
{
	int root = geteuid() == 0;
	int rc;

	if (cfg->debug)
		pv_debug_enabled = 1;
	if (result_fd <= 2 || devnull_fd <= 2)
		return pv_err(PV_ESANDBOX, "worker fds collide with stdio");
	rc = setup_stdio(devnull_fd, cfg, result_fd);
	if (rc < 0)
		return rc;
	rc = close_others(cfg, result_fd);
	if (rc < 0)
		return rc;
	if (root && !cfg->drop_uid)
		return pv_err(PV_ESANDBOX, "uid drop: no uid to drop to");
	if (root) {
		rc = enter_namespaces();
		if (rc < 0)
			return rc;
	}
	rc = set_limits(cfg);
	if (rc < 0)
		return rc;
	if (root) {
		rc = drop_identity(cfg->uid, cfg->gid);
		if (rc < 0)
			return rc;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return pv_err(PV_ESANDBOX, "PR_SET_NO_NEW_PRIVS: %s",
			      strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return pv_err(PV_ESANDBOX, "PR_SET_DUMPABLE: %s",
			      strerror(errno));
	rc = landlock_apply();
	if (rc < 0)
		return rc;
	/* no credential changes after this point */
	rc = set_pdeathsig(parent, result_fd);
	if (rc < 0)
		return rc;
	rc = seccomp_apply(result_fd);
	if (rc < 0)
		return rc;
	pv_debug("sandbox: worker %d confined", (int)getpid());
	return 0;
}

/*
 * fork(), with the child as pid 1 of a new pid namespace when the kernel
 * lets us (root): then it cannot see or signal any host process even
 * without seccomp, and it dies with the namespace.  clone() straight,
 * not glibc's fork(): no flags there.  The child is single-threaded and
 * runs only our code before confinement, so skipping fork()'s atfork
 * handlers is safe.  As its namespace's init, the worker ignores the
 * signals it sends itself and those without a kernel-forced delivery:
 * abort() ends by the seccomp filter (its fallback sigaction is not
 * allowed: SIGSYS), RLIMIT_CPU by SIGKILL (hard = soft), a write to the
 * closed pipe by EPIPE; faults still kill it.  Each is exit 5 all the same.
 *
 * *pidfd: a pidfd for the child (CLONE_PIDFD, or pidfd_open() after a
 * plain fork), so that the supervisor can sleep until the worker exits
 * instead of polling waitpid(); -1 on kernels without pidfds (< 5.3).
 */
pid_t sandbox_spawn(int *new_pidns, int *pidfd)
{
	pid_t pid;

	*new_pidns = 0;
	*pidfd = -1;
	if (geteuid() == 0) {
#ifdef CLONE_PIDFD
		pid = (pid_t)syscall(SYS_clone,
				     CLONE_NEWPID | CLONE_PIDFD | SIGCHLD, NULL,
				     pidfd, NULL, NULL);
		if (pid < 0 && errno == EINVAL) /* kernel < 5.2 */
#endif
		{
			*pidfd = -1;
			pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD,
					     NULL, NULL, NULL, NULL);
		}
		if (pid >= 0) {
			*new_pidns = 1;
			return pid;
		}
		*pidfd = -1;
		pv_debug("sandbox: no pid namespace (clone: %s)",
			 strerror(errno));
		if (errno == EAGAIN || errno == ENOMEM)
			return -1;
	}
	pid = fork();
#ifdef SYS_pidfd_open
	if (pid > 0)
		*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	return pid;
}
