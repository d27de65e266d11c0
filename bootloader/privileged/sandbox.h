/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Confining the worker that parses guest data (security.md §4): after
 * sandbox_confine() it holds only its inherited fds, cannot open a path,
 * create a socket, exec, fork, signal others or write anywhere but the
 * result pipe, and is bounded in memory and CPU.
 */
#ifndef PVBOOT_BOOTLOADER_SANDBOX_H
#define PVBOOT_BOOTLOADER_SANDBOX_H

#include "common/pvlimits.h"

#include <stdint.h>
#include <sys/types.h>

/* the disk, the choice pipe, a backing chain (--allow-backing) and spare */
#define SANDBOX_MAX_KEEP (8 + PV_MAX_BACKING_DEPTH)

struct sandbox_cfg {
	int enabled;    /* 0: --no-sandbox, parse in-process (debugging) */
	int drop_uid;   /* when root: switch to uid/gid below */
	uid_t uid;      /* (uid_t)-1: "nobody", resolved by the supervisor */
	gid_t gid;
	uint64_t max_ram;               /* RLIMIT_AS; 0 = none (ASan builds) */
	int keep_fds[SANDBOX_MAX_KEEP]; /* e.g. the disk; each must be >= 3 */
	int nkeep;
	int debug;      /* log each confinement step (through the pipe) */
};

/*
 * Confine the calling process (the freshly spawned worker), in this order:
 * /dev/null (devnull_fd, opened by the supervisor) over 0, 1, 2; close
 * every fd but result_fd, 0-2 and cfg->keep_fds; when root: a new mount
 * namespace and an empty read-only root (mandatory), new net/ipc/uts
 * namespaces (best effort); rlimits; when root: drop to cfg->uid/gid
 * (mandatory; already resolved: no getpwnam here; root without drop_uid
 * fails); no_new_privs, not dumpable; Landlock with no rules (best
 * effort); the parent-death signal, after the last credential change, and
 * a check that the supervisor (parent) still holds result_fd's read end;
 * the seccomp allowlist (mandatory; write only to result_fd).
 * Each mandatory step fails closed: PV_ESANDBOX with a message that starts
 * with the layer ("mount namespace: ", "uid drop: ", "seccomp: "); what is
 * best effort is logged under --debug.
 * Messages go through pv_warn/pv_debug, so the caller must have turned on
 * pv_log_capture() first: stderr is /dev/null afterwards.
 */
int sandbox_confine(const struct sandbox_cfg *cfg, int result_fd,
		    int devnull_fd, pid_t parent);

/* fork() the worker; when root, as pid 1 of a new pid namespace if the
 * kernel allows (*new_pidns = 1), else a plain fork (logged under
 * --debug).  *pidfd: the worker's pidfd (close-on-exec), or -1 where the
 * kernel has none.  Returns as fork() does. */
pid_t sandbox_spawn(int *new_pidns, int *pidfd);

#endif
