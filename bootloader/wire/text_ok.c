/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/wire/text_ok.h"
#include "common/sanitize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The sanitizer is the one definition of printable: a piece is clean when
 * it comes out of pv_sanitize unchanged.  The buffer has room for the
 * longest escape of every byte, so nothing is cut short. */
static int piece_ok(const char *s, size_t n, char *buf, size_t bufsz)
{
	pv_sanitize(buf, bufsz, s, n);
	return strlen(buf) == n && memcmp(buf, s, n) == 0;
}

int wire_text_ok(const char *s, int lines)
{
	size_t len = strlen(s), start = 0, i, bufsz;
	char *buf;
	int ok = 1;

	if (len > (SIZE_MAX - 16) / 8)
		return 0;
	bufsz = 8 * len + 16;
	buf = malloc(bufsz);
	if (!buf)
		return 0;
	for (i = 0; i <= len && ok; i++) {
		if (i < len && !(lines && (s[i] == '\n' || s[i] == '\t')))
			continue;
		ok = piece_ok(s + start, i - start, buf, bufsz);
		start = i + 1;
	}
	free(buf);
	return ok;
}
