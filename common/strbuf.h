/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growing string with a hard cap; an allocation failure or the cap is
 * remembered (failed) instead of reported at every append. */
#ifndef PVBOOT_COMMON_STRBUF_H
#define PVBOOT_COMMON_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p;       /* NUL-terminated when len > 0 */
	size_t len, cap, max;
	int failed;    /* out of memory or over max */
};

void sb_init(struct strbuf *b, size_t max);
void sb_put(struct strbuf *b, const char *s, size_t n);
void sb_puts(struct strbuf *b, const char *s);
void sb_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand over the string (malloc'd, "" when empty); NULL if failed. */
char *sb_take(struct strbuf *b);
void sb_free(struct strbuf *b);

#endif
