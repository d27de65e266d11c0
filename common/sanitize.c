/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "common/sanitize.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of a valid, printable UTF-8 sequence at s (2..4 bytes), else 0.
 * C1 controls (U+0080..U+009F) and bidi overrides are rejected. */
static size_t utf8_ok(const unsigned char *s, size_t left)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	/* bidi embedding/override/isolate controls can reorder a line */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f)
		return 0;
	return n;
}

char *pv_sanitize(char *dst, size_t dstsz, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, i = 0, n;

	if (dstsz == 0)
		return dst;
	while (i < len) {
		char tmp[8];
		size_t tl;

		if (s[i] >= 0x20 && s[i] < 0x7f) {
			tmp[0] = (char)s[i];
			tl = 1;
			n = 1;
		} else if ((n = utf8_ok(s + i, len - i)) != 0) {
			memcpy(tmp, s + i, n);
			tl = n;
		} else {
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
