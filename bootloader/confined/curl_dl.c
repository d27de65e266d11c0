/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading libcurl at run time (curl_dl.h). */
#include "bootloader/confined/curl_dl.h"
#include "common/err.h"

#include <dlfcn.h>
#include <string.h>

/* Debian 12's libcurl4 (OpenSSL flavour), which libcurl4-openssl-dev's
 * headers describe; the gnutls flavour has the same ABI. */
static const char *const libs[] = { "libcurl.so.4", "libcurl-gnutls.so.4" };

int curl_dl_load(struct curl_api *api)
{
	void *h = NULL;
	size_t i;

	for (i = 0; !h && i < sizeof(libs) / sizeof(libs[0]); i++)
		h = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return pv_err(PV_ENOTSUP, "cannot load libcurl (%s): install libcurl4",
			      dlerror());
	/* POSIX: a void * from dlsym converts to a function pointer */
#define SYM(field, name)                                                   \
	do {                                                               \
		*(void **)&api->field = dlsym(h, name);                    \
		if (!api->field)                                           \
			return pv_err(PV_ENOTSUP, "libcurl lacks %s", name); \
	} while (0)
	SYM(global_init, "curl_global_init");
	SYM(global_cleanup, "curl_global_cleanup");
	SYM(easy_init, "curl_easy_init");
	SYM(easy_setopt, "curl_easy_setopt");
	SYM(easy_perform, "curl_easy_perform");
	SYM(easy_getinfo, "curl_easy_getinfo");
	SYM(easy_cleanup, "curl_easy_cleanup");
	SYM(easy_strerror, "curl_easy_strerror");
#undef SYM
	return 0;
}
