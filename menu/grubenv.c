/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The GRUB environment block reader (see grubenv.h for the format). */
#include "menu/grubenv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

/*
 * One line: [start, end) without its terminating newline.  The value is
 * unescaped in place into a copy; escapes never lengthen it.
 */
static int env_line(const char *start, const char *end,
		    int (*cb)(void *, const char *, const char *), void *ctx)
{
	const char *eq = memchr(start, '=', (size_t)(end - start));
	size_t n = (size_t)(end - start), i, o = 0;
	char *line, *val;
	int r;

	if (!eq || eq == start)
		return 0;
	line = malloc(n + 1);
	if (!line)
		return pv_err(PV_ENOMEM, "out of memory");
	memcpy(line, start, (size_t)(eq - start));
	line[eq - start] = '\0';
	val = line + (eq - start) + 1;
	for (i = (size_t)(eq - start) + 1; i < n; i++) {
		if (start[i] == '\\' && i + 1 < n)
			i++;
		val[o++] = start[i];
	}
	val[o] = '\0';
	r = cb(ctx, line, val);
	free(line);
	return r < 0 ? r : 1;
}

int grubenv_parse(const char *buf, size_t len,
		  int (*cb)(void *ctx, const char *name, const char *value),
		  void *ctx)
{
	size_t siglen = strlen(GRUBENV_SIGNATURE), pos;
	int count = 0, r;

	if (len > PV_MAX_CONFIG_SIZE)
		return pv_err(PV_ELIMIT, "environment block larger than %u bytes",
			      PV_MAX_CONFIG_SIZE);
	if (len < siglen || memcmp(buf, GRUBENV_SIGNATURE, siglen) != 0)
		return pv_err(PV_ECORRUPT, "not a GRUB environment block");
	if (len != GRUBENV_BLOCK_SIZE)
		pv_debug("grubenv: block of %zu bytes, not %d", len,
			 GRUBENV_BLOCK_SIZE);

	pos = siglen;
	while (pos < len) {
		size_t start = pos;

		/* A line ends at a newline not escaped by a backslash. */
		while (pos < len && buf[pos] != '\n') {
			if (buf[pos] == '\\' && pos + 1 < len)
				pos++;
			pos++;
		}
		if (pos > len)
			pos = len;
		if (buf[start] != '#' && memchr(buf + start, '\0', pos - start)) {
			pv_debug("grubenv: NUL byte in a line, stopping");
			break;
		}
		if (buf[start] != '#' && pos > start) {
			r = env_line(buf + start, buf + pos, cb, ctx);
			if (r < 0)
				return r;
			count += r;
		}
		pos++; /* the newline */
	}
	return count;
}
