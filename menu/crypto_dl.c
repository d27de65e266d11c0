/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading libcrypto at run time (crypto_dl.h). */
#include "menu/crypto_dl.h"
#include "common/err.h"

#include <dlfcn.h>

/* Debian 12's libssl3, which libssl-dev's headers describe */
#define LIBCRYPTO "libcrypto.so.3"

const struct crypto_api *crypto_dl(void)
{
	static struct crypto_api api;
	static int state; /* 0 not tried, 1 loaded, -1 failed */
	void *h;

	if (state)
		goto out;
	state = -1;
	h = dlopen(LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		pv_err(PV_ENOTSUP, "cannot load %s (%s): install libssl3",
		       LIBCRYPTO, dlerror());
		return NULL;
	}
	/* POSIX: a void * from dlsym converts to a function pointer */
#define SYM(field, name)                                                   \
	do {                                                               \
		*(void **)&api.field = dlsym(h, name);                     \
		if (!api.field) {                                          \
			pv_err(PV_ENOTSUP, "%s lacks %s", LIBCRYPTO, name);  \
			return NULL;                                       \
		}                                                          \
	} while (0)
	SYM(init, "OPENSSL_init_crypto");
	SYM(pbkdf2, "PKCS5_PBKDF2_HMAC");
	SYM(sha512, "EVP_sha512");
	SYM(memcmp, "CRYPTO_memcmp");
#undef SYM
	state = 1;
out:
	if (state < 0)
		pv_err(PV_ENOTSUP, "%s is not available", LIBCRYPTO);
	return state > 0 ? &api : NULL;
}
