/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A login at the menu on the wire (format in wire_login.h). */
#include "bootloader/wire/wire_login.h"
#include "common/err.h"

#include <string.h>

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int wire_login_encode(const char *user, const char *pass, uint8_t *out,
		      size_t *len)
{
	size_t ul = strlen(user), pl = strlen(pass);

	if (ul > PV_MAX_LOGIN_TEXT || pl > PV_MAX_LOGIN_TEXT)
		return pv_err(PV_EINVAL, "login too long");
	memcpy(out, WIRE_LOGIN_MAGIC, 4);
	put_u32(out + 4, (uint32_t)ul);
	put_u32(out + 8, (uint32_t)pl);
	memcpy(out + WIRE_LOGIN_HEAD, user, ul);
	memcpy(out + WIRE_LOGIN_HEAD + ul, pass, pl);
	*len = WIRE_LOGIN_HEAD + ul + pl;
	return 0;
}

int wire_login_lengths(const uint8_t head[WIRE_LOGIN_HEAD], uint32_t *ulen,
		       uint32_t *plen)
{
	if (memcmp(head, WIRE_LOGIN_MAGIC, 4))
		return pv_err(PV_ECORRUPT, "login: bad magic");
	*ulen = get_u32(head + 4);
	*plen = get_u32(head + 8);
	if (*ulen > PV_MAX_LOGIN_TEXT || *plen > PV_MAX_LOGIN_TEXT)
		return pv_err(PV_ELIMIT, "login: over %d bytes",
			      PV_MAX_LOGIN_TEXT);
	return 0;
}

void wire_verdict_encode(int ok, int super, const unsigned char *unlock,
			 size_t n, uint8_t *out, size_t *len)
{
	size_t i;

	if (n > PV_MAX_ENTRIES)
		n = 0;
	memcpy(out, WIRE_VERDICT_MAGIC, 4);
	out[4] = ok ? 1 : 0;
	out[5] = super ? 1 : 0;
	out[6] = out[7] = 0;
	put_u32(out + 8, (uint32_t)n);
	for (i = 0; i < n; i++)
		out[WIRE_VERDICT_HEAD + i] = unlock[i] ? 1 : 0;
	*len = WIRE_VERDICT_HEAD + n;
}

int wire_verdict_decode(const uint8_t *in, size_t len, size_t n, int *super,
			unsigned char *unlock)
{
	size_t i;

	if (len < WIRE_VERDICT_HEAD || memcmp(in, WIRE_VERDICT_MAGIC, 4) ||
	    in[4] > 1 || in[5] > 1 || in[6] || in[7] ||
	    get_u32(in + 8) != n || len != WIRE_VERDICT_HEAD + n)
		return pv_err(PV_ECORRUPT, "malformed login verdict");
	for (i = 0; i < n; i++) {
		if (in[WIRE_VERDICT_HEAD + i] > 1)
			return pv_err(PV_ECORRUPT, "malformed login verdict");
		unlock[i] = in[WIRE_VERDICT_HEAD + i];
	}
	*super = in[5];
	return in[4];
}
