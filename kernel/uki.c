/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kernel/uki.h"
#include "common/err.h"

#include <string.h>
#include <strings.h>

const char *const uki_sect_name[UKI_NSECT] = {
	".linux", ".initrd", ".ucode", ".cmdline", ".osrel", ".uname",
	".profile"
};

static int sect_index(const char *name)
{
	int k;

	for (k = 0; k < UKI_NSECT; k++)
		if (strcmp(name, uki_sect_name[k]) == 0)
			return k;
	return -1;
}

int uki_profile(const struct pe_info *pe, unsigned p,
		const struct pe_section *out[UKI_NSECT])
{
	const struct pe_section *base[UKI_NSECT] = { 0 };
	const struct pe_section *own[UKI_NSECT] = { 0 };
	unsigned cur = 0, nprof = 0;
	int in_base = 1, k;
	size_t i;

	for (i = 0; i < pe->n; i++) {
		k = sect_index(pe->s[i].name);
		if (k == UKI_PROFILE) {
			if (!in_base)
				cur++;
			in_base = 0;
			nprof++;
		}
		if (k < 0)
			continue;
		if (in_base) {
			if (!base[k]) /* the first one wins */
				base[k] = &pe->s[i];
		} else if (cur == p && !own[k]) {
			own[k] = &pe->s[i];
		}
	}
	if (p >= (nprof ? nprof : 1))
		return PV_ENOENT;
	for (k = 0; k < UKI_NSECT; k++)
		out[k] = own[k] ? own[k] : base[k];
	return 0;
}

static int blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int uki_kv(const char *buf, size_t len, const char *key, char *out,
	   size_t outsz)
{
	size_t off = 0, kl = strlen(key);
	int found = 0;

	while (off < len) {
		const char *l = buf + off, *nl = memchr(l, '\n', len - off);
		size_t n = nl ? (size_t)(nl - l) : len - off, o = 0;

		off += n + (nl ? 1 : 0);
		while (n && blank((unsigned char)*l)) {
			l++;
			n--;
		}
		if (n <= kl || memcmp(l, key, kl) != 0 || l[kl] != '=')
			continue;
		l += kl + 1;
		n -= kl + 1;
		while (n && blank((unsigned char)l[n - 1]))
			n--;
		if (n >= 2 && (l[0] == '"' || l[0] == '\'') && l[n - 1] == l[0]) {
			l++;
			n -= 2;
		}
		for (; n && o + 1 < outsz; l++, n--) {
			unsigned char c = (unsigned char)*l;

			if (c == '\\' && n > 1) { /* shell-style escape */
				l++;
				n--;
				c = (unsigned char)*l;
			}
			out[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
		}
		if (outsz)
			out[o] = '\0';
		found = 1;
	}
	return found;
}

void uki_cmdline(const char *buf, size_t len, char *out, size_t outsz)
{
	size_t i, o = 0;

	if (!outsz)
		return;
	for (i = 0; i < len && buf[i] && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)buf[i];

		out[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

static int digit(int c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

void uki_tries(const char *fname, char *id, size_t idsz, int *left,
	       int *done)
{
	size_t n = strlen(fname), stem = n, i;
	const char *plus;

	*left = *done = -1;
	if (n >= 4 && strcasecmp(fname + n - 4, ".efi") == 0)
		stem = n - 4;
	else if (n >= 5 && strcasecmp(fname + n - 5, ".conf") == 0)
		stem = n - 5; /* type #1 entries count the same way */
	plus = memrchr(fname, '+', stem);
	if (plus) {
		const char *p = plus + 1, *end = fname + stem;
		long l = 0, d = 0;
		int ok = p < end && digit(*p);

		for (; ok && p < end && digit(*p); p++)
			l = l < 100000 ? l * 10 + (*p - '0') : l;
		if (ok && p < end && *p == '-') {
			p++;
			ok = p < end && digit(*p);
			for (; ok && p < end && digit(*p); p++)
				d = d < 100000 ? d * 10 + (*p - '0') : d;
		} else {
			d = 0;
		}
		if (ok && p == end) {
			*left = (int)l;
			*done = (int)d;
			/* the id is the name without "+L-D" */
			for (i = 0; i < (size_t)(plus - fname) && i + 1 < idsz; i++)
				id[i] = (char)lower((unsigned char)fname[i]);
			if (stem < n && i + (n - stem) < idsz) {
				size_t k;

				for (k = stem; k < n; k++)
					id[i++] = (char)lower((unsigned char)fname[k]);
			}
			if (idsz)
				id[i] = '\0';
			return;
		}
	}
	for (i = 0; i < n && i + 1 < idsz; i++)
		id[i] = (char)lower((unsigned char)fname[i]);
	if (idsz)
		id[i] = '\0';
}

static int alnum(int c)
{
	return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int vchar(int c)
{
	return alnum(c) || c == '~' || c == '-' || c == '^' || c == '.';
}

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

/* '~' sorts before everything (even the end), '-' before all but '~' and
 * the end, then '^', then '.'; digit runs compare as numbers and beat
 * letters; letter runs compare as strings. */
int uki_verscmp(const char *a, const char *b)
{
	if (!a || !b)
		return CMP(a != NULL, b != NULL);
	for (;;) {
		size_t na, nb;
		int r;

		while (*a && !vchar((unsigned char)*a))
			a++;
		while (*b && !vchar((unsigned char)*b))
			b++;
		if (*a == '~' || *b == '~') {
			if (*a != '~')
				return 1;
			if (*b != '~')
				return -1;
			a++, b++;
			continue;
		}
		if (!*a || !*b)
			return CMP(*a, *b);
		if (*a == '-' || *b == '-') {
			if (*a != '-')
				return 1;
			if (*b != '-')
				return -1;
			a++, b++;
			continue;
		}
		if (*a == '^' || *b == '^') {
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++, b++;
			continue;
		}
		if (*a == '.' || *b == '.') {
			if (*a != '.')
				return 1;
			if (*b != '.')
				return -1;
			a++, b++;
			continue;
		}
		if (digit((unsigned char)*a) || digit((unsigned char)*b)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			for (na = 0; digit((unsigned char)a[na]); na++)
				;
			for (nb = 0; digit((unsigned char)b[nb]); nb++)
				;
			if (na != nb)
				return CMP(na, nb);
			r = memcmp(a, b, na);
			if (r)
				return CMP(r, 0);
		} else {
			for (na = 0; a[na] && !digit((unsigned char)a[na]) &&
				     alnum((unsigned char)a[na]); na++)
				;
			for (nb = 0; b[nb] && !digit((unsigned char)b[nb]) &&
				     alnum((unsigned char)b[nb]); nb++)
				;
			r = memcmp(a, b, na < nb ? na : nb);
			if (r)
				return CMP(r, 0);
			if (na != nb)
				return CMP(na, nb);
		}
		a += na;
		b += nb;
	}
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return CMP(a != NULL, b != NULL);
	return strcmp(a, b);
}

int uki_entry_cmp(const struct uki_sortkey *a, const struct uki_sortkey *b)
{
	int r;

	r = CMP(a->tries_left == 0, b->tries_left == 0);
	if (r)
		return r;
	r = CMP(!a->sort_key, !b->sort_key);
	if (r)
		return r;
	if (a->sort_key && b->sort_key) {
		r = strcmp(a->sort_key, b->sort_key);
		if (r)
			return r;
		r = strcmp_null(a->machine_id, b->machine_id);
		if (r)
			return r;
		r = -uki_verscmp(a->version, b->version);
		if (r)
			return r;
	}
	r = -uki_verscmp(a->id, b->id);
	if (r)
		return r;
	r = CMP(a->profile, b->profile);
	if (r)
		return r;
	if (a->tries_left < 0 || b->tries_left < 0)
		return 0;
	r = -CMP(a->tries_left, b->tries_left);
	if (r)
		return r;
	return CMP(a->tries_done, b->tries_done);
}
