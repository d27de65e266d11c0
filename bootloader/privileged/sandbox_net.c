/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Confining the network worker (sandbox_net.h). */
#include "bootloader/privileged/sandbox_net.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <linux/mount.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int stdio_and_fds(int result_fd, int devnull_fd)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (dup2(devnull_fd, fd) < 0)
			return pv_err(PV_ESANDBOX, "dup2 /dev/null: %s",
				      strerror(errno));
	if (result_fd != SANDBOX_NET_RESULT_FD &&
	    dup2(result_fd, SANDBOX_NET_RESULT_FD) < 0)
		return pv_err(PV_ESANDBOX, "dup2 result pipe: %s",
			      strerror(errno));
	if (close_range(SANDBOX_NET_RESULT_FD + 1, ~0u, 0) < 0)
		return pv_err(PV_ESANDBOX, "close_range: %s", strerror(errno));
	return 0;
}

/* Every mount read-only in a private mount namespace (root only). */
static int readonly_mounts(void)
{
	struct mount_attr a = {
		.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
			    MOUNT_ATTR_NODEV,
	};

	if (unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS) < 0)
		return pv_err(PV_ESANDBOX, "read-only mounts: unshare: %s",
			      strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &a,
		    sizeof(a)) < 0)
		return pv_err(PV_ESANDBOX, "read-only mounts: %s",
			      strerror(errno));
	return 0;
}

static int limits(const struct sandbox_net_cfg *cfg)
{
	const struct {
		int res;
		rlim_t val;
	} lim[] = {
		{ RLIMIT_AS, cfg->max_ram ? cfg->max_ram : RLIM_INFINITY },
		{ RLIMIT_CPU, PV_WORKER_CPU_SECONDS },
		{ RLIMIT_FSIZE, 0 },
		{ RLIMIT_NOFILE, PV_NET_NOFILE },
		{ RLIMIT_CORE, 0 },
		{ RLIMIT_MEMLOCK, 0 },
		{ RLIMIT_MSGQUEUE, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		struct rlimit rl = { lim[i].val, lim[i].val };

		if (setrlimit(lim[i].res, &rl) < 0)
			return pv_err(PV_ESANDBOX, "rlimit %d: %s", lim[i].res,
				      strerror(errno));
	}
	return 0;
}

static int drop(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;

	if (uid == 0 || gid == 0)
		return pv_err(PV_ESANDBOX, "uid drop: refusing to run as root");
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0 || getresuid(&ru, &eu, &su) < 0 ||
	    ru != uid || eu != uid || su != uid || setuid(0) == 0)
		return pv_err(PV_ESANDBOX, "uid drop to %u: %s", (unsigned)uid,
			      strerror(errno));
	return 0;
}

/* Landlock: the whole tree readable, nothing writable (best effort). */
static void landlock_readonly(void)
{
#ifdef SYS_landlock_create_ruleset
	struct landlock_ruleset_attr attr = { 0 };
	struct landlock_path_beneath_attr pb = { 0 };
	long abi;
	int fd;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
		      LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) {
		pv_debug("network sandbox: no Landlock (%s)", strerror(errno));
		return;
	}
	attr.handled_access_fs = (1ull << 13) - 1; /* ABI 1's rights */
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr,
			  sizeof(attr.handled_access_fs), 0);
	if (fd < 0)
		return;
	pb.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE |
			    LANDLOCK_ACCESS_FS_READ_DIR;
	pb.parent_fd = open("/", O_PATH | O_CLOEXEC);
	if (pb.parent_fd >= 0 &&
	    syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &pb,
		    0) == 0 &&
	    syscall(SYS_landlock_restrict_self, fd, 0) == 0)
		pv_debug("network sandbox: Landlock ABI %ld, read-only", abi);
	if (pb.parent_fd >= 0)
		close(pb.parent_fd);
	close(fd);
#endif
}

/* What the network worker may never do.  A deny list, not the disk
 * worker's allow list: TLS, the resolver and libcurl's threads use too
 * many calls to enumerate safely across library versions. */
static const int kill_calls[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(fork), SCMP_SYS(vfork),
	SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv),
	SCMP_SYS(process_vm_writev), SCMP_SYS(mount), SCMP_SYS(umount2),
	SCMP_SYS(pivot_root), SCMP_SYS(chroot), SCMP_SYS(unshare),
	SCMP_SYS(setns), SCMP_SYS(bpf), SCMP_SYS(perf_event_open),
	SCMP_SYS(userfaultfd), SCMP_SYS(io_uring_setup),
	SCMP_SYS(io_uring_enter), SCMP_SYS(io_uring_register),
	SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key),
	SCMP_SYS(init_module), SCMP_SYS(finit_module),
	SCMP_SYS(delete_module), SCMP_SYS(kexec_load),
	SCMP_SYS(kexec_file_load), SCMP_SYS(reboot), SCMP_SYS(swapon),
	SCMP_SYS(swapoff), SCMP_SYS(syslog), SCMP_SYS(acct),
	SCMP_SYS(settimeofday), SCMP_SYS(clock_settime), SCMP_SYS(adjtimex),
	SCMP_SYS(mknod), SCMP_SYS(mknodat), SCMP_SYS(open_by_handle_at),
	SCMP_SYS(name_to_handle_at), SCMP_SYS(fanotify_init),
	SCMP_SYS(move_mount), SCMP_SYS(fsopen), SCMP_SYS(fsmount),
	SCMP_SYS(open_tree), SCMP_SYS(mount_setattr), SCMP_SYS(setuid),
	SCMP_SYS(setgid), SCMP_SYS(setreuid), SCMP_SYS(setregid),
	SCMP_SYS(setresuid), SCMP_SYS(setresgid), SCMP_SYS(setgroups),
	SCMP_SYS(personality),
};

static const int eperm_calls[] = {
	SCMP_SYS(kill), SCMP_SYS(tkill), SCMP_SYS(rt_sigqueueinfo),
	SCMP_SYS(rt_tgsigqueueinfo), SCMP_SYS(pidfd_open),
	SCMP_SYS(pidfd_send_signal), SCMP_SYS(pidfd_getfd),
	SCMP_SYS(unlink), SCMP_SYS(unlinkat), SCMP_SYS(rename),
	SCMP_SYS(renameat), SCMP_SYS(renameat2), SCMP_SYS(mkdir),
	SCMP_SYS(mkdirat), SCMP_SYS(rmdir), SCMP_SYS(link), SCMP_SYS(linkat),
	SCMP_SYS(symlink), SCMP_SYS(symlinkat), SCMP_SYS(chmod),
	SCMP_SYS(fchmod), SCMP_SYS(fchmodat), SCMP_SYS(chown),
	SCMP_SYS(fchown), SCMP_SYS(lchown), SCMP_SYS(fchownat),
	SCMP_SYS(truncate), SCMP_SYS(utimensat), SCMP_SYS(creat),
	SCMP_SYS(memfd_create),
};

static int seccomp_net(void)
{
	/* opening with any of these flags is refused */
	static const unsigned long wflags[] = { O_WRONLY, O_RDWR, O_CREAT,
						O_TRUNC, O_APPEND, O_TMPFILE };
	static const int bad_fams[] = { 0, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13,
					14, 15 };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	size_t i;
	int r = 0;

	if (!ctx)
		return pv_err(PV_ESANDBOX, "seccomp: cannot build the filter");
	for (i = 0; r == 0 && i < sizeof(kill_calls) / sizeof(kill_calls[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, kill_calls[i], 0);
	for (i = 0; r == 0 && i < sizeof(eperm_calls) / sizeof(eperm_calls[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), eperm_calls[i], 0);
	/* tgkill only on ourselves (abort(), libcurl's thread wake-ups) */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(tgkill),
				     1, SCMP_A0(SCMP_CMP_NE, (uint64_t)getpid()));
	/* threads yes (CLONE_THREAD), processes no; clone3's flags live in
	 * memory a filter cannot read: ENOSYS makes glibc use clone */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	for (i = 0; r == 0 && i < sizeof(wflags) / sizeof(wflags[0]); i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, wflags[i], wflags[i]));
		if (r == 0)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 1,
					     SCMP_A1(SCMP_CMP_MASKED_EQ, wflags[i], wflags[i]));
	}
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat2), 0);
	/* socket families: IPv4, IPv6, local, netlink only.  A rule may
	 * compare an argument once, so the others are listed: AF_UNSPEC,
	 * 3-9, 11-15 and everything from 17 up. */
	for (i = 0; r == 0 && i < sizeof(bad_fams) / sizeof(bad_fams[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT),
				     SCMP_SYS(socket), 1,
				     SCMP_A0(SCMP_CMP_EQ, (uint64_t)bad_fams[i]));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT),
				     SCMP_SYS(socket), 1,
				     SCMP_A0(SCMP_CMP_GE, (uint64_t)AF_NETLINK + 1));
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		return pv_err(PV_ESANDBOX, "seccomp: %s", strerror(-r));
	return 0;
}

int sandbox_confine_net(const struct sandbox_net_cfg *cfg, int result_fd,
			int devnull_fd, pid_t parent)
{
	if (stdio_and_fds(result_fd, devnull_fd) < 0)
		return PV_ESANDBOX;
	if (geteuid() == 0 && readonly_mounts() < 0)
		return PV_ESANDBOX;
	if (limits(cfg) < 0)
		return PV_ESANDBOX;
	if (geteuid() == 0 && cfg->drop_uid && drop(cfg->uid, cfg->gid) < 0)
		return PV_ESANDBOX;
	/* after the last credential change, which clears it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		return pv_err(PV_ESANDBOX, "the supervisor is gone");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return pv_err(PV_ESANDBOX, "no_new_privs: %s", strerror(errno));
	landlock_readonly();
	return seccomp_net();
}
