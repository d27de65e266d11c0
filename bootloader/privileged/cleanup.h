/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The files this run has given a name to (extracted kernel and ramdisk,
 * the --output temp file), so that SIGTERM (libxl sends it before its
 * SIGKILL), SIGINT and SIGHUP remove them: a handler that only unlinks
 * from this fixed table (async-signal-safe) and dies by the signal.
 */
#ifndef PVBOOT_BOOTLOADER_CLEANUP_H
#define PVBOOT_BOOTLOADER_CLEANUP_H

#define CLEANUP_MAX 4
#define CLEANUP_NAME_MAX 256

/* Install the handlers (cleanup_add does, at the first name). */
void cleanup_install(void);

/* Block / unblock the handled signals around a name's creation and its
 * registration, so no signal sees the name without the entry. */
void cleanup_block(void);
void cleanup_unblock(void);

/* Remember dirfd/name (call with signals blocked).  0, or -1 when the
 * table is full or the name too long (the caller must not create it). */
int cleanup_add(int dirfd, const char *name);
/* Forget dirfd/name (renamed away, or removed by the caller). */
void cleanup_forget(int dirfd, const char *name);
/* A successful run: keep every file. */
void cleanup_forget_all(void);

#endif
