/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Editing a GRUB environment block in place, byte for byte as GRUB 2.06
 * does it (behaviour read from grub-core/lib/envblk.c and checked against
 * grub-editenv by tests/unit/test_grubenv_edit.c).  Offsets are indices;
 * nothing is read or written outside [0, len).
 */
#include "menu/grubenv.h"

#include <string.h>

static size_t escaped_len(const char *v)
{
	size_t n = 0;

	for (; *v; v++)
		n += (*v == '\\' || *v == '\n') ? 2 : 1;
	return n;
}

/* The start of the line after the one at p (a backslash escapes the
 * next byte, so an escaped newline does not end a line).  May be > len. */
static size_t next_line(const char *buf, size_t len, size_t p)
{
	while (p < len) {
		if (buf[p] == '\\')
			p += 2;
		else if (buf[p] == '\n')
			break;
		else
			p++;
	}
	return p + 1;
}

/* The length of the (escaped) text from p to the next unescaped newline;
 * 0 and *ok = 0 when there is none before len. */
static size_t text_len(const char *buf, size_t len, size_t p, int *ok)
{
	size_t n = 0;

	while (p + n < len && buf[p + n] != '\n')
		n += buf[p + n] == '\\' ? 2 : 1;
	*ok = p + n < len;
	return n;
}

static void put_value(char *buf, size_t p, const char *value)
{
	for (; *value; value++) {
		if (*value == '\\' || *value == '\n')
			buf[p++] = '\\';
		buf[p++] = *value;
	}
	buf[p] = '\n';
}

int grubenv_set(char *buf, size_t len, const char *name, const char *value)
{
	size_t sig = strlen(GRUBENV_SIGNATURE), nl = strlen(name);
	size_t vl = escaped_len(value), p = sig, space, cur;
	int ok;

	if (len < sig || memcmp(buf, GRUBENV_SIGNATURE, sig) != 0)
		return 0;
	/* the free space: the '#' run at the end, after a newline */
	space = len;
	while (space > 0 && buf[space - 1] == '#')
		space--;
	if (space == 0 || buf[space - 1] != '\n')
		return 0;

	while (p + nl + 1 < space) {
		if (memcmp(buf + p, name, nl) == 0 && buf[p + nl] == '=') {
			p += nl + 1;
			cur = text_len(buf, len, p, &ok);
			if (!ok)
				return 0;
			if (vl > cur && vl - cur > len - space)
				return 0;
			if (vl < cur) {
				memmove(buf + p + vl, buf + p + cur,
					len - (p + cur));
				memset(buf + space - (cur - vl), '#', cur - vl);
			} else {
				/* the tail moves forward over the padding */
				memmove(buf + p + vl, buf + p + cur,
					len - (p + vl));
			}
			put_value(buf, p, value);
			return 1;
		}
		p = next_line(buf, len, p);
	}
	if (len - space < nl + 1 + vl + 1)
		return 0;
	memcpy(buf + space, name, nl);
	buf[space + nl] = '=';
	put_value(buf, space + nl + 1, value);
	return 1;
}

void grubenv_delete(char *buf, size_t len, const char *name)
{
	size_t sig = strlen(GRUBENV_SIGNATURE), nl = strlen(name), p = sig;
	size_t n;
	int ok;

	if (len < sig)
		return;
	while (p + nl + 1 < len) {
		if (memcmp(buf + p, name, nl) == 0 && buf[p + nl] == '=') {
			n = nl + 1 + text_len(buf, len, p + nl + 1, &ok);
			if (!ok)
				return;
			n++; /* the newline */
			memmove(buf + p, buf + p + n, len - (p + n));
			memset(buf + len - n, '#', n);
			return;
		}
		p = next_line(buf, len, p);
	}
}
