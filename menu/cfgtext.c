/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded line reading and string helpers for the line-oriented parsers. */
#include "menu/cfgtext.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cfg_reader_init(struct cfg_reader *r, const char *path, const char *buf,
		     size_t len)
{
	r->path = path ? path : "(config)";
	r->buf = buf ? buf : "";
	r->len = buf ? len : 0;
	r->pos = 0;
	r->lineno = 0;
}

int cfg_next_line(struct cfg_reader *r, const char **line, size_t *n)
{
	const char *s, *nl;
	size_t avail, l;

	if (r->pos >= r->len)
		return 0;
	s = r->buf + r->pos;
	avail = r->len - r->pos;
	nl = memchr(s, '\n', avail);
	l = nl ? (size_t)(nl - s) : avail;
	r->pos += l + (nl ? 1 : 0);
	r->lineno++;
	if (l > PV_MAX_LINE)
		return pv_err(PV_ELIMIT, "%s:%u: line longer than %d bytes",
			      r->path, r->lineno, PV_MAX_LINE);
	if (l && s[l - 1] == '\r')
		l--;
	while (l && cfg_blank((unsigned char)*s)) {
		s++;
		l--;
	}
	while (l && cfg_blank((unsigned char)s[l - 1]))
		l--;
	*line = s;
	*n = l;
	return 1;
}

int cfg_ctl(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 1;
	}
	return 0;
}

int cfg_nul(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

char *cfg_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d) {
		pv_err(PV_ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

int cfg_parse_uint(const char *s, size_t n, long max, long *out)
{
	long v = 0;
	size_t i;

	if (n == 0)
		return PV_EINVAL;
	for (i = 0; i < n; i++) {
		if (!cfg_digit((unsigned char)s[i]))
			return PV_EINVAL;
		if (v > (max - (s[i] - '0')) / 10)
			return PV_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int cfg_dirname(const char *path, char *out, size_t outsz)
{
	const char *slash = strrchr(path, '/');
	size_t l = slash ? (size_t)(slash - path) : 0;

	if (l >= outsz)
		return pv_err(PV_ELIMIT, "path too long");
	memcpy(out, path, l);
	out[l] = '\0';
	return 0;
}

int cfg_join(char *out, size_t outsz, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	int r;

	if (dl && dir[dl - 1] == '/')
		r = snprintf(out, outsz, "%s%s", dir, name);
	else
		r = snprintf(out, outsz, "%s/%s", dir, name);
	if (r < 0 || (size_t)r >= outsz)
		return pv_err(PV_ELIMIT, "path longer than %zu bytes", outsz - 1);
	return 0;
}
