/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Menu passwords: the policy and the checks (auth.h).  The hashes come
 * from the guest's config: every field is checked against a named limit
 * before anything is computed, and only the two hash kinds GRUB writes
 * are accepted (no crypt() method a config could make slow). */
#include "menu/auth.h"
#include "common/hex.h"
#include "menu/crypto_dl.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <crypt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PBKDF2_PREFIX "grub.pbkdf2.sha512."
#define MD5_PREFIX "$1$"
#define MD5_SALT_MAX 8
#define MD5_HASH_LEN 22
/* GRUB's word separators in a users list (grub_iswordseparator) */
#define USER_SEPS " \t\n,;|&"

enum menu_lock auth_lock_mode(const struct menu *m)
{
	if (m->superusers)
		return MENU_LOCK_GRUB2;
	if (m->password)
		return MENU_LOCK_LEGACY;
	return MENU_LOCK_NONE;
}

/* 1 when name is a word of list */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	if (!list || !n)
		return 0;
	while (*p) {
		size_t w;

		p += strspn(p, USER_SEPS);
		w = strcspn(p, USER_SEPS);
		if (w == n && !memcmp(p, name, n))
			return 1;
		p += w;
	}
	return 0;
}

/* The entries on path, top down, into chain; their number, 0 when the
 * path does not name an entry. */
static size_t walk(const struct menu *m, const char *path,
		   const struct menu_entry **chain, size_t max)
{
	size_t n = 0;

	while (m && *path && n < max) {
		char *end;
		unsigned long i = strtoul(path, &end, 10);

		if (end == path || i >= m->n)
			return 0;
		chain[n++] = &m->e[i];
		m = m->e[i].sub;
		path = *end == '>' ? end + 1 : end;
		if (*end && *end != '>')
			return 0;
	}
	return *path ? 0 : n;
}

static int restricted(const struct menu *m, const struct menu_entry *e)
{
	switch (auth_lock_mode(m)) {
	case MENU_LOCK_GRUB2:
		return !e->unrestricted;
	case MENU_LOCK_LEGACY:
		return e->locked;
	default:
		return 0;
	}
}

int auth_path_locked(const struct menu *m, const char *path)
{
	const struct menu_entry *chain[PV_MAX_NESTING + 2];
	size_t n = walk(m, path, chain, PV_MAX_NESTING + 2), i;

	if (auth_lock_mode(m) == MENU_LOCK_NONE)
		return 0;
	if (!n)
		return 1;
	for (i = 0; i < n; i++)
		if (restricted(m, chain[i]))
			return 1;
	return 0;
}

int auth_path_allows(const struct menu *m, const char *path,
		     const char *user, int super)
{
	const struct menu_entry *chain[PV_MAX_NESTING + 2];
	size_t n, i;

	if (super)
		return 1;
	if (!auth_path_locked(m, path))
		return 1;
	if (auth_lock_mode(m) != MENU_LOCK_GRUB2)
		return 0;
	n = walk(m, path, chain, PV_MAX_NESTING + 2);
	for (i = 0; i < n; i++)
		if (restricted(m, chain[i]) && !in_list(chain[i]->users, user))
			return 0;
	return n > 0;
}

/* --- the checks --- */

int auth_check_plain(const char *want, const char *pass)
{
	size_t wl = strlen(want), pl = strlen(pass), i;
	volatile unsigned char diff = wl != pl;

	/* time depends on the stored length only, never on the typed bytes */
	for (i = 0; i < wl; i++)
		diff |= (unsigned char)want[i] ^
			(unsigned char)(i < pl ? pass[i] : 0);
	return diff == 0;
}

static int b64_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '.' || c == '/';
}

/* Constant time in len (libcrypto's CRYPTO_memcmp is not loaded for the
 * MD5 and plain checks) */
static int ct_equal(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	volatile unsigned char diff = 0;
	size_t i;

	for (i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

int auth_check_md5crypt(const char *hash, const char *pass)
{
	struct crypt_data *cd;
	const char *salt, *dollar, *got;
	size_t i, want_len = strlen(hash);
	int ok;

	if (strncmp(hash, MD5_PREFIX, strlen(MD5_PREFIX)))
		return pv_err(PV_EINVAL, "not an MD5 crypt hash ($1$...)");
	salt = hash + strlen(MD5_PREFIX);
	dollar = strchr(salt, '$');
	if (!dollar || (size_t)(dollar - salt) > MD5_SALT_MAX)
		return pv_err(PV_EINVAL, "MD5 crypt hash: bad salt");
	for (i = 0; salt + i < dollar; i++)
		if (!b64_char(salt[i]))
			return pv_err(PV_EINVAL, "MD5 crypt hash: bad salt");
	if (strlen(dollar + 1) != MD5_HASH_LEN)
		return pv_err(PV_EINVAL, "MD5 crypt hash: not %d characters",
			      MD5_HASH_LEN);
	for (i = 0; i < MD5_HASH_LEN; i++)
		if (!b64_char(dollar[1 + i]))
			return pv_err(PV_EINVAL, "MD5 crypt hash: bad character");
	cd = calloc(1, sizeof(*cd)); /* 32 KiB: not on the stack */
	if (!cd)
		return pv_err(PV_ENOMEM, "out of memory");
	/* crypt_rn: libxcrypt's crypt_r that returns NULL on failure (and
	 * that ASan does not intercept: its crypt_r hook cannot reach a
	 * statically linked libcrypt) */
	got = crypt_rn(pass, hash, cd, (int)sizeof(*cd));
	ok = got && strlen(got) == want_len && ct_equal(got, hash, want_len);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

/* Hex digits [s, end) into out (at most max bytes): the byte count, or
 * -1 when odd, empty, too long or not hex. */
static long unhex(const char *s, const char *end, uint8_t *out, size_t max)
{
	size_t n = (size_t)(end - s), i;

	if (n == 0 || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

struct pbkdf2_hash {
	unsigned long iter;
	uint8_t salt[PV_MAX_PBKDF2_SALT], want[PV_MAX_PBKDF2_HASH];
	long sl, hl;
};

/* Parse and bound "grub.pbkdf2.sha512.ITER.SALT.HASH": 0 or PV_E*. */
static int pbkdf2_parse(const char *hash, struct pbkdf2_hash *h)
{
	const char *p, *dot;

	h->iter = 0;
	if (strncmp(hash, PBKDF2_PREFIX, strlen(PBKDF2_PREFIX)))
		return pv_err(PV_EINVAL, "not a grub.pbkdf2.sha512 hash");
	p = hash + strlen(PBKDF2_PREFIX);
	/* the rounds: digits only, bounded before they are used */
	for (; *p >= '0' && *p <= '9'; p++) {
		h->iter = h->iter * 10 + (unsigned long)(*p - '0');
		if (h->iter > PV_MAX_PBKDF2_ITERATIONS)
			return pv_err(PV_ELIMIT, "pbkdf2 hash: more than %u rounds",
				      PV_MAX_PBKDF2_ITERATIONS);
	}
	if (*p != '.' || h->iter == 0)
		return pv_err(PV_EINVAL, "pbkdf2 hash: bad round count");
	p++;
	dot = strchr(p, '.');
	if (!dot)
		return pv_err(PV_EINVAL, "pbkdf2 hash: no salt");
	h->sl = unhex(p, dot, h->salt, sizeof(h->salt));
	if (h->sl < 0)
		return pv_err(PV_EINVAL, "pbkdf2 hash: bad salt (hex, at most %d bytes)",
			      PV_MAX_PBKDF2_SALT);
	p = dot + 1;
	h->hl = unhex(p, p + strlen(p), h->want, sizeof(h->want));
	if (h->hl < 0)
		return pv_err(PV_EINVAL, "pbkdf2 hash: bad hash (hex, at most %d bytes)",
			      PV_MAX_PBKDF2_HASH);
	return 0;
}

int auth_pbkdf2_valid(const char *hash)
{
	struct pbkdf2_hash h;

	return pbkdf2_parse(hash, &h);
}

int auth_check_pbkdf2(const char *hash, const char *pass)
{
	const struct crypto_api *c;
	struct pbkdf2_hash h;
	uint8_t got[PV_MAX_PBKDF2_HASH];
	int ok, r = pbkdf2_parse(hash, &h);

	if (r < 0)
		return r;
	c = crypto_dl();
	if (!c)
		return PV_ENOTSUP;
	if (!c->pbkdf2(pass, (int)strlen(pass), h.salt, (int)h.sl,
		       (int)h.iter, c->sha512(), (int)h.hl, got))
		return pv_err(PV_EINVAL, "pbkdf2: the computation failed");
	ok = c->memcmp(got, h.want, (size_t)h.hl) == 0;
	explicit_bzero(got, sizeof(got));
	return ok;
}

int auth_check_legacy(const char *line, const char *pass)
{
	char word[PV_MAX_MENU_SECRET + 1];
	const char *p = line;
	size_t n;
	int md5 = 0, r;

	p += strspn(p, " \t=");
	if (!strncmp(p, "password", 8))
		p += 8;
	for (;;) {
		p += strspn(p, " \t=");
		n = strcspn(p, " \t");
		if (n == 5 && !memcmp(p, "--md5", 5)) {
			md5 = 1;
			p += n;
			continue;
		}
		break;
	}
	if (n == 0 || n > PV_MAX_MENU_SECRET)
		return pv_err(PV_EINVAL, "password line without a password");
	if (n > 2 && p[0] == '-' && p[1] == '-') /* --encrypted (Red Hat's) ... */
		return pv_err(PV_ENOTSUP, "password option %.*s not supported",
			      (int)(n > 16 ? 16 : n), p);
	memcpy(word, p, n);
	word[n] = '\0';
	r = md5 ? auth_check_md5crypt(word, pass) : auth_check_plain(word, pass);
	explicit_bzero(word, sizeof(word));
	return r;
}

int auth_login(const struct menu *m, const char *user, const char *pass,
	       int *super)
{
	const struct menu_user *u = NULL;
	size_t i;
	int r;

	*super = 0;
	switch (auth_lock_mode(m)) {
	case MENU_LOCK_LEGACY:
		r = auth_check_legacy(m->password, pass);
		break;
	case MENU_LOCK_GRUB2:
		for (i = 0; i < m->nusers; i++)
			if (!strcmp(m->users[i].name, user))
				u = &m->users[i];
		if (!u) {
			pv_debug("menu: login: no such user");
			return 0;
		}
		r = u->pbkdf2 ? auth_check_pbkdf2(u->secret, pass)
			      : auth_check_plain(u->secret, pass);
		if (r > 0 && !in_list(m->superusers, user)) {
			*super = 0;
			return 1;
		}
		break;
	default:
		return 0;
	}
	if (r < 0) {
		pv_debug("menu: login refused: %s", pv_errmsg());
		return 0;
	}
	*super = r > 0;
	return r > 0;
}

int auth_entry_login(const struct menu_entry *e, const char *pass)
{
	int r;

	if (!e->password)
		return 0;
	r = auth_check_legacy(e->password, pass);
	if (r < 0) {
		pv_debug("menu: entry password refused: %s", pv_errmsg());
		return 0;
	}
	return r;
}

void auth_entry_unasked(const struct menu_entry *e)
{
	if (e && e->password)
		pv_warn("the entry booted has its own GRUB password, which "
			"only the interactive menu asks for: not asked");
}

void auth_prepare(void)
{
	static const char salt[] = "pvboot";
	const struct crypto_api *c = crypto_dl();
	uint8_t out[16];
	struct crypt_data *cd;

	/* the first use loads OpenSSL's default provider and its SHA-512:
	 * no config file, nothing opened once the worker is confined */
	if (!c || !c->init(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) ||
	    !c->pbkdf2("x", 1, (const uint8_t *)salt, sizeof(salt) - 1, 1,
		       c->sha512(), sizeof(out), out))
		pv_debug("menu: pbkdf2 is not available: %s", pv_errmsg());
	cd = calloc(1, sizeof(*cd));
	if (cd) {
		crypt_rn("x", "$1$pvboot$", cd, (int)sizeof(*cd));
		free(cd);
	}
}
