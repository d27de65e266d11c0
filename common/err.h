/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors: functions return 0 (or a count) on success and a negative PV_E*
 * code on failure.  The deepest failure records a message with pv_err();
 * each layer above may prefix context with pv_err_ctx(); main() prints the
 * one resulting line.  Single-threaded by design: one global message.
 */
#ifndef PVBOOT_COMMON_ERR_H
#define PVBOOT_COMMON_ERR_H

#include <stddef.h>

enum pv_err_code {
	PV_OK = 0,
	PV_ENOTMINE = -1, /* probe: this is not my format (try the next one) */
	PV_ECORRUPT = -2, /* the format is mine but a structure is broken */
	PV_ENOENT = -3,   /* a path or entry does not exist */
	PV_ENOMEM = -4,   /* allocation failed */
	PV_EIO = -5,      /* read/write failed, short read, range outside */
	PV_ELIMIT = -6,   /* a documented limit (common/pvlimits.h) was hit */
	PV_ENOTSUP = -7,  /* valid but unsupported feature */
	PV_EINVAL = -8,   /* bad argument or value (usage, config value) */
	PV_ELOOP = -9,    /* symlink loop / too many symlinks */
	PV_ENOTREG = -10, /* not a regular file (or not a directory) */
	PV_ESANDBOX = -11 /* the sandboxed worker failed or lied */
};

/* Record a message (printf-style) for code and return code. */
int pv_err(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefix the recorded message with context: "ctx: <old message>". */
void pv_err_ctx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The recorded message ("" when none). */
const char *pv_errmsg(void);
/* Forget the recorded message. */
void pv_err_clear(void);
/* A short generic name for a code ("corrupt", "not found", ...). */
const char *pv_strerror(int code);

/* Warnings and --debug traces go to stderr, sanitised, prefixed "pvboot: ". */
extern int pv_debug_enabled;
extern int pv_quiet_warnings;
void pv_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pv_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A fact worth showing without --debug (-n's kernel check): "pvboot: ...". */
void pv_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* In the sandboxed worker stderr is gone: capture warnings and debug lines
 * (already sanitised, newline-terminated, capped) for the result instead.
 * pv_log_take returns the malloc'd text (or NULL) and clears it. */
void pv_log_capture(int on);
char *pv_log_take(void);

#endif
