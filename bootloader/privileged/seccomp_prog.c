/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The build-time seccomp program, filled in and loaded (seccomp_prog.h). */
#include "bootloader/privileged/seccomp_prog.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* $(BUILD)/gen, written by tools/gen_seccomp */
#include "seccomp_worker_bpf.h"

size_t seccomp_prog_len(void)
{
	return WORKER_BPF_LEN;
}

size_t seccomp_prog_fill(struct sock_filter *out, size_t cap, int result_fd,
			 pid_t pid)
{
	size_t i;

	if (cap < WORKER_BPF_LEN || result_fd < 0 || pid < 0)
		return 0;
	memcpy(out, worker_bpf, sizeof(worker_bpf));
	for (i = 0; i < sizeof(worker_bpf_fd_at) / sizeof(worker_bpf_fd_at[0]); i++)
		out[worker_bpf_fd_at[i]].k = (__u32)result_fd;
	for (i = 0; i < sizeof(worker_bpf_pid_at) / sizeof(worker_bpf_pid_at[0]); i++)
		out[worker_bpf_pid_at[i]].k = (__u32)pid;
	return WORKER_BPF_LEN;
}

int seccomp_prog_load(int result_fd, pid_t pid)
{
	struct sock_filter insns[WORKER_BPF_LEN];
	struct sock_fprog fprog;

	fprog.len = (unsigned short)seccomp_prog_fill(insns, WORKER_BPF_LEN,
						      result_fd, pid);
	if (!fprog.len)
		return -EINVAL;
	fprog.filter = insns;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0)
		return 0;
	/* kernels before 3.17 have only the prctl */
	if (errno == ENOSYS &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) == 0)
		return 0;
	return -errno;
}
