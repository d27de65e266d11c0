/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The network worker's job (pvboot --location=URL): fetch the kernel and
 * ramdisk of an install tree with libcurl and stream them to the
 * supervisor as bootloader/wire/netwire.h frames.  Runs only after
 * sandbox_confine_net(): it writes nothing but the result pipe.
 */
#ifndef PVBOOT_BOOTLOADER_NETFETCH_H
#define PVBOOT_BOOTLOADER_NETFETCH_H

#include <stddef.h>
#include <stdint.h>

struct netfetch_req {
	const char *location;   /* http://, https:// or ftp:// base */
	const char *kernel;     /* relative to location or a URL; NULL: layouts */
	const char *ramdisk;    /* likewise; NULL: the layout's, or none */
	int probe_only;         /* -n: ask for the headers only */
	int insecure;           /* --insecure: no certificate checks */
	const void *ca;         /* --cacert bundle (PEM), or NULL: system store */
	size_t ca_len;
	uint64_t max_file;      /* bytes per file */
	unsigned int seconds;   /* for everything together */
};

/* Fetch and stream; always ends the stream with NW_DONE or NW_FAIL.
 * Returns 0 when NW_DONE was sent. */
int netfetch_run(const struct netfetch_req *q, int wfd);

/* Send one text frame (NW_FAIL, NW_SANDBOX...): for callers that must
 * report before netfetch_run. */
int netfetch_report(int wfd, int type, const char *msg);

/* Join a location and a relative path (or take path if it is a URL) into
 * out; -1 when it does not fit. */
int netfetch_join(char *out, size_t sz, const char *location,
		  const char *path);

#endif
