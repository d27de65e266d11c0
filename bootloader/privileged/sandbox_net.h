/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Confining the network worker (pvboot --location=URL).  It needs what the
 * disk worker must not have: sockets, the resolver's files (/etc/hosts,
 * /etc/resolv.conf), the CA store and threads (libcurl's resolver).  So it
 * is confined differently, and README.md says exactly how: a dropped uid,
 * a read-only view of the filesystem (a private mount namespace with every
 * mount read-only, then Landlock read-only), no IPC/UTS sharing, rlimits,
 * no_new_privs, and a seccomp filter that kills exec, fork, ptrace, mount,
 * module and namespace calls and refuses every open for writing, every
 * signal to another process and every socket family but IPv4, IPv6, local
 * and netlink (the resolver).  It writes nothing but its result pipe.
 */
#ifndef PVBOOT_BOOTLOADER_SANDBOX_NET_H
#define PVBOOT_BOOTLOADER_SANDBOX_NET_H

#include <stdint.h>
#include <sys/types.h>

/* The result pipe's fd number in the confined worker. */
#define SANDBOX_NET_RESULT_FD 3

struct sandbox_net_cfg {
	int drop_uid;    /* when root: switch to uid/gid below */
	uid_t uid;
	gid_t gid;
	uint64_t max_ram; /* RLIMIT_AS; 0 = none (ASan builds) */
};

/* In the forked network worker, before it touches the network.  Each
 * mandatory layer (uid drop, read-only mounts when root, seccomp) fails
 * closed with PV_ESANDBOX and a message naming it; Landlock is used when
 * the kernel has it.  stderr is /dev/null afterwards. */
int sandbox_confine_net(const struct sandbox_net_cfg *cfg, int result_fd,
			int devnull_fd, pid_t parent);

#endif
