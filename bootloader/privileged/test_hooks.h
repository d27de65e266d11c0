/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test-build scaffolding, declared weak: build/pvboot links none of it, so
 * every pointer below is NULL there and the calls are skipped.
 * build/pvboot-test and the unit tests link tests/hooks/worker_hooks.o,
 * which defines them (env PVBOOT_TEST_HOOK and PVBOOT_TEST_FAIL_LAYER).
 */
#ifndef PVBOOT_BOOTLOADER_TEST_HOOKS_H
#define PVBOOT_BOOTLOADER_TEST_HOOKS_H

#include "bootloader/wire/result.h"

#include <stdint.h>
#include <sys/types.h>

/* In the worker, after confinement and before the pipeline: misbehave as
 * PVBOOT_TEST_HOOK says (may _exit or never return).  wfd: the result
 * pipe; parent: the supervisor's pid in its own pid namespace. */
void pv_test_hook_before(int wfd, pid_t parent) __attribute__((weak));

/* In the worker, after the pipeline: make the answer lie (*rc: the
 * worker function's return). */
void pv_test_hook_after(struct boot_result *r, int *rc, uint64_t disk_size,
			uint64_t max_file) __attribute__((weak));

/* In the worker, sending the stream: 1 to cut it half-way
 * (PVBOOT_TEST_HOOK=lie-stream), 2 to cut it and then stall
 * (stall-stream), 0 for an honest stream. */
int pv_test_stream_lie(void) __attribute__((weak));

/* In the supervisor: nonzero to name output files at creation, as where
 * O_TMPFILE is missing (PVBOOT_TEST_NO_TMPFILE). */
int pv_test_no_tmpfile(void) __attribute__((weak));

/* In the worker, just before PR_SET_PDEATHSIG: with
 * PVBOOT_TEST_PDEATH_RACE=1, wait until the supervisor has died (its end
 * of result_fd closed), to prove the re-check after the prctl. */
void pv_test_hook_pdeath_race(int result_fd) __attribute__((weak));

/* In the worker, during confinement: nonzero when the mandatory layer
 * named (PVBOOT_TEST_FAIL_LAYER=uid|mountns|seccomp) is to fail as if the
 * kernel had refused it, to prove the run then stops. */
int pv_test_fail_layer(const char *layer) __attribute__((weak));

/* In the supervisor, arming the menu's deadline (menu_watch.c): the
 * grace in seconds to use instead of secs (PVBOOT_TEST_MENU_GRACE). */
unsigned int pv_test_menu_grace(unsigned int secs) __attribute__((weak));

/* Exit statuses of the PVBOOT_TEST_HOOK attempts (the worker's own, seen
 * by the supervisor as "exited with status N"): the forbidden call
 * succeeded (a sandbox hole); it failed with the errno the design
 * promises (open: EACCES); it failed with another errno (a layer is
 * missing and a later one caught it). */
#define PV_HOOK_ESCAPED 99
#define PV_HOOK_REFUSED 98
#define PV_HOOK_OTHER_ERRNO 97

#endif
