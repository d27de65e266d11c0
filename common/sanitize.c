/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "common/sanitize.h"

#include <stdio.h>
#include <string.h>

size_t pv_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (left == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	if (c >= 0xd800 && c <= 0xdfff)
		return 0;
	*cp = c;
	return n;
}

int pv_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f ||
	       (cp >= 0x80 && cp <= 0x9f) ||          /* C1 controls */
	       cp == 0x061c ||                        /* arabic letter mark */
	       cp == 0x200e || cp == 0x200f ||        /* LRM, RLM */
	       (cp >= 0x202a && cp <= 0x202e) ||      /* embeddings, overrides */
	       (cp >= 0x2066 && cp <= 0x2069) ||      /* isolates */
	       cp == 0x2028 || cp == 0x2029;          /* line, paragraph sep. */
}

long pv_text_unsafe_at(const char *src, size_t len, unsigned flags,
		       uint32_t *cp_out)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, n;
	uint32_t cp = 0;

	while (i < len) {
		n = pv_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			/* invalid UTF-8: a lone C1 byte is always unsafe */
			if ((flags & PV_TEXT_UTF8) || (s[i] >= 0x80 && s[i] <= 0x9f))
				goto bad;
			i++;
			continue;
		}
		if (pv_cp_unsafe(cp) &&
		    !((flags & PV_TEXT_NL_TAB) && (cp == '\n' || cp == '\t')))
			goto bad;
		i += n;
	}
	return -1;
bad:
	if (cp_out)
		*cp_out = n ? cp : s[i];
	return (long)i;
}

char *pv_sanitize(char *dst, size_t dstsz, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, i = 0, n;
	uint32_t cp;

	if (dstsz == 0)
		return dst;
	while (i < len) {
		char tmp[8];
		size_t tl;

		n = pv_utf8_decode(s + i, len - i, &cp);
		if (n && !pv_cp_unsafe(cp)) {
			memcpy(tmp, s + i, n);
			tl = n;
		} else {
			/* one byte at a time: an unsafe sequence becomes its
			 * bytes, all escaped */
			snprintf(tmp, sizeof(tmp), "\\x%02x", s[i]);
			tl = 4;
			n = 1;
		}
		if (o + tl + 4 > dstsz) { /* keep room for "..." and NUL */
			if (dstsz >= 4) {
				memcpy(dst + (o + 3 < dstsz ? o : dstsz - 4), "...", 3);
				o = (o + 3 < dstsz ? o : dstsz - 4) + 3;
			}
			break;
		}
		memcpy(dst + o, tmp, tl);
		o += tl;
		i += n;
	}
	dst[o < dstsz ? o : dstsz - 1] = '\0';
	return dst;
}
