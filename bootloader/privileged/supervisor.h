/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supervisor side of the split (security.md §4): run the parsing
 * function in a confined, forked worker, read its one answer with caps and
 * a wall-clock deadline, reap it always, and validate what it says.
 */
#ifndef PVBOOT_BOOTLOADER_SUPERVISOR_H
#define PVBOOT_BOOTLOADER_SUPERVISOR_H

#include "bootloader/wire/result.h"
#include "bootloader/privileged/sandbox.h"
#include "bootloader/privileged/stream_in.h"
#include "menu/flat.h"

#include <stddef.h>
#include <stdint.h>

/* Runs in the worker after confinement; fills *out (result_init'ed).
 * Returns 0 or a negative PV_E* (with pv_err) like any pvboot function. */
typedef int (*worker_fn)(void *ctx, struct boot_result *out);

/*
 * cfg->enabled == 0 (--no-sandbox): call fn in-process, then validate.
 * Otherwise fork a worker: sandbox_confine(), fn(), send the wire-encoded
 * result, _exit.  The supervisor reads it with caps (wire.h) and a deadline
 * of PV_WORKER_WALL_SECONDS (env PVBOOT_WORKER_TIMEOUT may shorten it, for
 * tests), SIGKILLs the worker on timeout or a bad answer, and always reaps it.
 * The worker's warnings/debug lines (out->log) are printed to stderr at
 * once with --debug; otherwise they are left in out->log for the caller.
 *
 * Returns:
 *  0: out holds a validated result (validate.h) to copy from.
 *  fn's own negative code when fn failed: out->status and out->error (one
 *    sanitised line) are kept, everything else is freed; pv_errmsg() holds
 *    the same line.
 *  PV_ESANDBOX when the worker crashed, was killed (e.g. SIGSYS from the
 *    seccomp filter), timed out, exited without an answer, or sent a
 *    malformed, oversized or invalid one; out is empty.
 *  Any other negative code for a setup failure (pipe, fork); out is empty.
 *
 * The test build (test_hooks.h) can make the worker misbehave after
 * confinement; build/pvboot cannot.
 */
int supervise(const struct sandbox_cfg *cfg, worker_fn fn, void *ctx,
	      uint64_t disk_size, uint64_t max_file, struct boot_result *out);

/* Where a validated boot answer's files go: sink->begin once the answer
 * is believed and before any file byte is read, then the stream's bytes
 * as they arrive (stream_in.h).  A sink failure makes supervise() return
 * PV_EIO with the sink's message.  NULL (the default): bytes are dropped.
 * Bytes on the disk (SEG_DISK) and holes are the caller's to copy after
 * supervise() returns 0. */
void supervise_set_sink(const struct answer_sink *sink);

/*
 * Interactive runs (security.md §4: the worker parses, the supervisor owns
 * the terminal).  As supervise(), but the worker may, once, call
 * supervise_ask() with the flattened menu: the supervisor reads it from
 * the result pipe before the answer (bootloader/wire_menu.h), decodes and
 * checks it, calls show (in the supervisor, e.g. tui_choose) and sends the
 * chosen index back on a second pipe that the worker may only read.  The
 * worker's wall-clock deadline starts again once the choice is sent: the
 * time a user spends in the menu is not the worker's.  show == NULL is
 * supervise().
 */
typedef void (*menu_show_fn)(const struct flat_menu *m,
			     struct flat_choice *c);
int supervise_menu(const struct sandbox_cfg *cfg, worker_fn fn, void *ctx,
		   uint64_t disk_size, uint64_t max_file, menu_show_fn show,
		   struct boot_result *out);

/* In the worker (fn of supervise_menu): show m through the supervisor and
 * return the choice (index, and the arguments typed with 'a' if any) in
 * *choice.  PV_EINVAL without a menu to ask (supervise() or a second
 * call), PV_ESANDBOX when no choice came back, PV_ECORRUPT/PV_ELIMIT on a
 * malformed one. */
int supervise_ask(const struct flat_menu *m, struct flat_choice *choice);

#endif
