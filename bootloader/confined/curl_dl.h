/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libcurl, loaded only by the network worker (dlopen).  Linking it into
 * pvboot would load ~27 more shared libraries (TLS, HTTP/2, SSH, LDAP,
 * Kerberos...) in every run, disk boots included: about 10 ms of start-up
 * that a disk boot does not need (issue #12 measures start-up).
 */
#ifndef PVBOOT_BOOTLOADER_CURL_DL_H
#define PVBOOT_BOOTLOADER_CURL_DL_H

#include <curl/curl.h>

struct curl_api {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *c);
	const char *(*easy_strerror)(CURLcode rc);
};

/* Load libcurl (once) into *api.  0, or -1 with a message in pv_err. */
int curl_dl_load(struct curl_api *api);

#endif
