/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OpenSSL's libcrypto, loaded at run time for the menu's PBKDF2 check
 * (menu/auth.h), as libcurl is for netboot: linked in, its ~17000
 * relocations would cost every run (the non-interactive ones above all:
 * issue 12's start-up), though only an interactive run with a GRUB 2
 * password_pbkdf2 line ever uses it.  Loaded before the worker is
 * confined (auth_prepare); the worker inherits the mapping.
 */
#ifndef PVBOOT_MENU_CRYPTO_DL_H
#define PVBOOT_MENU_CRYPTO_DL_H

#include <openssl/crypto.h>
#include <openssl/evp.h>

struct crypto_api {
	__typeof__(OPENSSL_init_crypto) *init;
	__typeof__(PKCS5_PBKDF2_HMAC) *pbkdf2;
	__typeof__(EVP_sha512) *sha512;
	__typeof__(CRYPTO_memcmp) *memcmp;
};

/* The functions, loading libcrypto.so.3 the first time; NULL (with an
 * error recorded) when it cannot be loaded. */
const struct crypto_api *crypto_dl(void);

#endif
