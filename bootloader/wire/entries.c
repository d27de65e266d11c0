/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/wire/entries.h"
#include "common/err.h"

#include <stdlib.h>
#include <string.h>

void entries_field(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	sb_puts(sb, " ");
	if (!s) {
		sb_puts(sb, "~");
		return;
	}
	sb_puts(sb, "=");
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '%') {
			sb_put(sb, (const char *)p, 1);
		} else {
			char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			sb_put(sb, e, 3);
		}
	}
}

/* A cursor over one line's fields. */
struct cur {
	const char *p, *end;
};

static int next_raw(struct cur *c, const char **s, size_t *n)
{
	const char *sp;

	if (c->p >= c->end)
		return pv_err(PV_ECORRUPT, "entries: a field is missing");
	sp = memchr(c->p, ' ', (size_t)(c->end - c->p));
	*s = c->p;
	*n = sp ? (size_t)(sp - c->p) : (size_t)(c->end - c->p);
	c->p = sp ? sp + 1 : c->end;
	return 0;
}

static int hexval(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

/* A string field: "~" -> NULL, "=..." -> the decoded bytes (no NUL). */
static int next_str(struct cur *c, char **out)
{
	const char *s;
	size_t n, i, k = 0;
	char *d;

	*out = NULL;
	if (next_raw(c, &s, &n) < 0)
		return PV_ECORRUPT;
	if (n == 1 && s[0] == '~')
		return 0;
	if (n == 0 || s[0] != '=')
		return pv_err(PV_ECORRUPT, "entries: bad field");
	d = malloc(n);
	if (!d)
		return pv_err(PV_ENOMEM, "out of memory");
	for (i = 1; i < n; i++) {
		if (s[i] == '%') {
			int a = i + 2 < n ? hexval(s[i + 1]) : -1;
			int b = a >= 0 ? hexval(s[i + 2]) : -1;

			if (b < 0 || (a == 0 && b == 0)) {
				free(d);
				return pv_err(PV_ECORRUPT, "entries: bad escape");
			}
			d[k++] = (char)(a * 16 + b);
			i += 2;
		} else {
			d[k++] = s[i];
		}
	}
	d[k] = '\0';
	*out = d;
	return 0;
}

static int next_num(struct cur *c, long min, long max, long *v)
{
	const char *s;
	size_t n, i;
	long x = 0;
	int neg = 0;

	if (next_raw(c, &s, &n) < 0)
		return PV_ECORRUPT;
	i = 0;
	if (n && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i >= n || n - i > 9)
		return pv_err(PV_ECORRUPT, "entries: bad number");
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return pv_err(PV_ECORRUPT, "entries: bad number");
		x = x * 10 + (s[i] - '0');
	}
	if (neg)
		x = -x;
	if (x < min || x > max)
		return pv_err(PV_ELIMIT, "entries: number %ld out of range", x);
	*v = x;
	return 0;
}

static int is_kw(struct cur *c, const char *kw)
{
	size_t n = strlen(kw);

	if ((size_t)(c->end - c->p) >= n && memcmp(c->p, kw, n) == 0 &&
	    (c->p + n == c->end || c->p[n] == ' ')) {
		c->p += n + (c->p + n < c->end);
		return 1;
	}
	return 0;
}

static int entry_line(struct cur *c, struct entries *x)
{
	struct entry_info *e, *grown;
	const char *f;
	size_t fn, i;
	long v;
	int r;

	if (x->n >= PV_MAX_ENTRIES)
		return pv_err(PV_ELIMIT, "entries: more than %d", PV_MAX_ENTRIES);
	grown = realloc(x->e, sizeof(*grown) * (x->n + 1));
	if (!grown)
		return pv_err(PV_ENOMEM, "out of memory");
	x->e = grown;
	e = &x->e[x->n++];
	memset(e, 0, sizeof(*e));
	if (next_raw(c, &f, &fn) < 0)
		return PV_ECORRUPT;
	for (i = 0; i < fn; i++) {
		if (f[i] == 'd')
			e->is_default = 1;
		else if (f[i] == 'b')
			e->bootable = 1;
		else if (f[i] != '-')
			return pv_err(PV_ECORRUPT, "entries: bad flags");
	}
	if ((r = next_str(c, &e->path)) < 0)
		return r;
	if ((r = next_num(c, 0, PV_MAX_NESTING + 1, &v)) < 0)
		return r;
	for (i = 0; i < (size_t)v; i++, e->nsub++)
		if ((r = next_str(c, &e->sub[i])) < 0)
			return r;
	if ((r = next_str(c, &e->title)) < 0 || (r = next_str(c, &e->id)) < 0 ||
	    (r = next_str(c, &e->kernel)) < 0 || (r = next_str(c, &e->args)) < 0 ||
	    (r = next_str(c, &e->why_not)) < 0)
		return r;
	if ((r = next_num(c, 0, PV_MAX_INITRDS, &v)) < 0)
		return r;
	for (i = 0; i < (size_t)v; i++, e->ninitrd++)
		if ((r = next_str(c, &e->initrd[i])) < 0)
			return r;
	return 0;
}

int entries_decode(const char *text, struct entries *x)
{
	const char *p = text, *nl;
	int r = 0, first = 1;

	memset(x, 0, sizeof(*x));
	x->boot = -1;
	if (!text)
		return pv_err(PV_ECORRUPT, "entries: none sent");
	while (*p && r == 0) {
		struct cur c;
		long v;

		nl = strchr(p, '\n');
		c.p = p;
		c.end = nl ? nl : p + strlen(p);
		p = nl ? nl + 1 : c.end;
		if (first) {
			if (!is_kw(&c, ENTRIES_MAGIC) || c.p != c.end)
				r = pv_err(PV_ECORRUPT, "entries: bad magic");
			first = 0;
			continue;
		}
		if (is_kw(&c, "vol")) {
			free(x->vol); free(x->config); free(x->format);
			x->vol = x->config = x->format = NULL;
			if ((r = next_str(&c, &x->vol)) == 0 &&
			    (r = next_str(&c, &x->config)) == 0)
				r = next_str(&c, &x->format);
		} else if (is_kw(&c, "entry")) {
			r = entry_line(&c, x);
		} else if (is_kw(&c, "boot")) {
			if ((r = next_num(&c, -1, PV_MAX_ENTRIES, &v)) == 0) {
				x->boot = v;
				x->have_boot = 1;
			}
		} else {
			r = pv_err(PV_ECORRUPT, "entries: unknown record");
		}
		if (r == 0 && c.p != c.end)
			r = pv_err(PV_ECORRUPT, "entries: extra fields");
	}
	if (r == 0 && first)
		r = pv_err(PV_ECORRUPT, "entries: empty");
	if (r == 0 && x->have_boot && x->boot >= (long)x->n)
		r = pv_err(PV_ECORRUPT, "entries: boot index %ld of %zu", x->boot, x->n);
	if (r < 0)
		entries_free(x);
	return r;
}

void entries_free(struct entries *x)
{
	size_t i, k;

	for (i = 0; i < x->n; i++) {
		struct entry_info *e = &x->e[i];

		free(e->path); free(e->title); free(e->id); free(e->kernel);
		free(e->args); free(e->why_not);
		for (k = 0; k < e->nsub; k++)
			free(e->sub[k]);
		for (k = 0; k < e->ninitrd; k++)
			free(e->initrd[k]);
	}
	free(x->e);
	free(x->vol); free(x->config); free(x->format);
	memset(x, 0, sizeof(*x));
	x->boot = -1;
}
