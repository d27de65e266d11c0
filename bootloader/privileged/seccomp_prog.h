/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's seccomp filter as built at build time from the rule table
 * (seccomp_rules.h, tools/gen_seccomp.c): at run time only the result fd
 * and the pid are filled in and the program is loaded, which costs one
 * system call instead of libseccomp's kernel probing and compiling.
 */
#ifndef PVBOOT_BOOTLOADER_SECCOMP_PROG_H
#define PVBOOT_BOOTLOADER_SECCOMP_PROG_H

#include <linux/filter.h>
#include <stddef.h>
#include <sys/types.h>

/* Instructions in the program. */
size_t seccomp_prog_len(void);

/*
 * Copy the program into out (cap instructions) with result_fd and pid in
 * place of the stand-ins; returns its length, or 0 when cap is too small
 * or a value is negative.
 */
size_t seccomp_prog_fill(struct sock_filter *out, size_t cap, int result_fd,
			 pid_t pid);

/* Load it for the calling thread (no_new_privs must be set): 0 or -errno. */
int seccomp_prog_load(int result_fd, pid_t pid);

#endif
