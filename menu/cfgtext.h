/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small text helpers shared by the line-oriented config parsers (BLS
 * entries, loader.conf, GRUB legacy, LILO): a bounded line reader and a few
 * string and path utilities.  Every function bounds what it reads.
 */
#ifndef PVBOOT_MENU_CFGTEXT_H
#define PVBOOT_MENU_CFGTEXT_H

#include <stddef.h>

struct cfg_reader {
	const char *path;   /* for "path:line:" messages */
	const char *buf;
	size_t len, pos;
	unsigned lineno;    /* of the line last returned */
};

void cfg_reader_init(struct cfg_reader *r, const char *path, const char *buf,
		     size_t len);
/* Next physical line without its "\n" / "\r\n", blanks trimmed on both
 * sides.  1 and (*line, *n), 0 at the end, PV_ELIMIT (recorded) for a line
 * longer than PV_MAX_LINE.  The line may contain NUL bytes: see cfg_ctl. */
int cfg_next_line(struct cfg_reader *r, const char **line, size_t *n);

/* ASCII classes, locale-independent. */
static inline int cfg_blank(int c) { return c == ' ' || c == '\t'; }
static inline int cfg_digit(int c) { return c >= '0' && c <= '9'; }
static inline int cfg_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int cfg_alnum(int c) { return cfg_digit(c) || cfg_alpha(c); }

/* 1 when s[0..n) holds a NUL byte or another control byte except tab. */
int cfg_ctl(const char *s, size_t n);
/* 1 when s[0..n) holds a NUL byte. */
int cfg_nul(const char *s, size_t n);
/* Copy s[0..n) to a NUL-terminated malloc'd string; NULL and PV_ENOMEM
 * recorded on failure. */
char *cfg_strndup(const char *s, size_t n);
/* Parse a whole decimal number in s[0..n) into *out (0 <= v <= max).
 * 0, or PV_EINVAL (not recorded) when it is not one. */
int cfg_parse_uint(const char *s, size_t n, long max, long *out);
/* dirname of path into out: "/boot/grub/menu.lst" -> "/boot/grub",
 * "/x" -> "", "x" -> "".  0 or PV_ELIMIT (recorded). */
int cfg_dirname(const char *path, char *out, size_t outsz);
/* out = dir + "/" + name (dir may be "" or end in '/').  0 or PV_ELIMIT. */
int cfg_join(char *out, size_t outsz, const char *dir, const char *name);

#endif
