/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's seccomp allowlist as a rule table (seccomp_rules.c), the
 * source of truth for its filter.  libseccomp turns the table into a BPF
 * program at build time (tools/gen_seccomp.c); the worker loads that
 * program (seccomp_prog.h) without libseccomp in its start-up path.
 * test_seccomp_bpf checks that the two agree.
 */
#ifndef PVBOOT_BOOTLOADER_SECCOMP_RULES_H
#define PVBOOT_BOOTLOADER_SECCOMP_RULES_H

#include <seccomp.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The two values the filter compares with that only exist at run time:
 * the result pipe's fd (write/writev) and the worker's own pid (tgkill
 * for abort()).  The build-time program holds these stand-ins, replaced
 * in place by seccomp_prog_fill().  Both are below 2^31 like any fd or
 * pid, so libseccomp lays the program out the same as for real values.
 */
#define SECCOMP_FD_STANDIN 0x50564644u  /* "PVFD" */
#define SECCOMP_PID_STANDIN 0x50565044u /* "PVPD" */

/*
 * A libseccomp filter (default action: kill the process) holding every
 * rule of the table, for this result fd and pid; NULL on failure, with
 * the failing rule's index and syscall in *bad_rule / *bad_nr (-1 when
 * seccomp_init itself failed) and -errno returned in *err.
 */
scmp_filter_ctx seccomp_rules_build(int result_fd, pid_t pid,
				    int *bad_rule, int *bad_nr, int *err);

#endif
