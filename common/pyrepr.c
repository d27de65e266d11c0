/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "common/pyrepr.h"
#include "common/sanitize.h"

#include <stdio.h>
#include <string.h>

int pv_py_printable(uint32_t cp)
{
	unsigned lo = 0, hi = pv_pyrepr_nnonprint;

	while (lo < hi) { /* binary search of the sorted ranges */
		unsigned mid = lo + (hi - lo) / 2;

		if (cp < pv_pyrepr_nonprint[mid].lo)
			hi = mid;
		else if (cp > pv_pyrepr_nonprint[mid].hi)
			lo = mid + 1;
		else
			return 0;
	}
	return 1;
}

void pv_pyrepr(struct strbuf *b, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	int sq = memchr(src, '\'', len) != NULL;
	int dq = memchr(src, '"', len) != NULL;
	char q = sq && !dq ? '"' : '\'';
	size_t i = 0, n;
	uint32_t cp;
	char esc[16];

	sb_put(b, &q, 1);
	while (i < len) {
		n = pv_utf8_decode(s + i, len - i, &cp);
		if (n == 0) { /* surrogateescape */
			cp = 0xdc00 + s[i];
			n = 1;
		}
		if (cp == (uint32_t)q || cp == '\\') {
			esc[0] = '\\';
			esc[1] = (char)cp;
			sb_put(b, esc, 2);
		} else if (cp == '\t') {
			sb_puts(b, "\\t");
		} else if (cp == '\n') {
			sb_puts(b, "\\n");
		} else if (cp == '\r') {
			sb_puts(b, "\\r");
		} else if (pv_py_printable(cp)) {
			sb_put(b, (const char *)s + i, n);
		} else {
			if (cp < 0x100)
				snprintf(esc, sizeof(esc), "\\x%02x", cp);
			else if (cp < 0x10000)
				snprintf(esc, sizeof(esc), "\\u%04x", cp);
			else
				snprintf(esc, sizeof(esc), "\\U%08x", cp);
			sb_puts(b, esc);
		}
		i += n;
	}
	sb_put(b, &q, 1);
}
