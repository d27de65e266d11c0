/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the parsing side (the sandboxed worker, or the same process with
 * --no-sandbox) produces, and the only thing the copying side (the
 * supervisor) takes from it.  The supervisor validates all of it.
 */
#ifndef PVBOOT_BOOTLOADER_RESULT_H
#define PVBOOT_BOOTLOADER_RESULT_H

#include "bootloader/wire/blob.h"
#include "bootloader/wire/envwrite.h"

struct boot_result {
	int status;         /* 0, or the exit status of a failed run */
	char *error;        /* the one-line error when status != 0 */
	char *args;         /* kernel command line ("" if none) */
	char *kernel_path;  /* guest path, for -n and messages */
	char *ramdisk_path; /* guest path(s), NULL if none */
	struct blob kernel;
	struct blob ramdisk;
	int have_ramdisk;
	char *text;         /* what to print on stdout (--list-entries, -n) */
	char *log;          /* warnings/debug lines the worker produced, one per
			       line, for the supervisor to print (sanitised) */
	struct env_writes env; /* GRUB environment blocks to write back */
	char *backing;      /* --allow-backing: the worker needs this backing
			       file opened (and nothing else is set) */
	/* Worker side: what SEG_BYTES segments read on demand from (the
	 * mounted volumes), freed with the result, after the segments. */
	void *keep;
	void (*keep_free)(void *keep);
};

void result_init(struct boot_result *r);
void result_free(struct boot_result *r);

#endif
