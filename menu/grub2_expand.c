/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Word expansion as GRUB does it when a command runs: single quotes keep
 * everything, double quotes keep all but $ and \ (which escapes $ " \),
 * a backslash outside quotes escapes any character and disappears,
 * $name/${name}/$1/$#/$@/$? are substituted, and an unquoted substitution
 * is split into several words on blanks.  Everything is bounded by
 * PV_MAX_EXPANSION per command.
 */
#include "menu/grub2_script.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

void g2_argv_free(struct g2_argv *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static int too_big(void)
{
	return pv_err(PV_ELIMIT, "expansion larger than %u bytes",
		      PV_MAX_EXPANSION);
}

int g2_argv_push(struct g2_argv *a, const char *s, size_t len)
{
	char *c;

	if (len > PV_MAX_EXPANSION - a->bytes || a->n >= PV_MAX_EXPANSION)
		return too_big();
	if (a->n + 1 >= a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		char **v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return pv_err(PV_ENOMEM, "out of memory");
		a->v = v;
		a->cap = cap;
	}
	c = malloc(len + 1);
	if (!c)
		return pv_err(PV_ENOMEM, "out of memory");
	memcpy(c, s, len);
	c[len] = '\0';
	a->v[a->n++] = c;
	a->v[a->n] = NULL;
	a->bytes += len + 1;
	return 0;
}

int g2_is_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* The field being built. */
struct field {
	char *buf;
	size_t len, cap;
	int started;     /* a quote or a character made it a word */
};

static int fadd(struct field *f, const struct g2_argv *out, const char *s,
		size_t n)
{
	if (n > PV_MAX_EXPANSION - out->bytes ||
	    f->len + n > PV_MAX_EXPANSION - out->bytes)
		return too_big();
	if (f->len + n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 64;
		char *b;

		while (cap < f->len + n + 1)
			cap *= 2;
		b = realloc(f->buf, cap);
		if (!b)
			return pv_err(PV_ENOMEM, "out of memory");
		f->buf = b;
		f->cap = cap;
	}
	memcpy(f->buf + f->len, s, n);
	f->len += n;
	f->buf[f->len] = '\0';
	f->started = 1;
	return 0;
}

static int fend(struct field *f, struct g2_argv *out)
{
	int r = 0;

	if (f->started)
		r = g2_argv_push(out, f->buf ? f->buf : "", f->len);
	f->len = 0;
	f->started = 0;
	return r;
}

/*
 * Parse the variable reference at raw[*i] (just after '$'); on success
 * *name and *nlen point into raw and *i is past it.  0 when it is not a
 * reference (a lone '$' is literal).
 */
static int var_ref(const char *raw, size_t *i, const char **name, size_t *nlen)
{
	size_t j = *i;

	if (raw[j] == '{') {
		const char *end = strchr(raw + j + 1, '}');

		if (!end)
			return 0;
		*name = raw + j + 1;
		*nlen = (size_t)(end - *name);
		*i = (size_t)(end - raw) + 1;
		return 1;
	}
	if (raw[j] == '?' || raw[j] == '#' || raw[j] == '@' || raw[j] == '*') {
		*name = raw + j;
		*nlen = 1;
		*i = j + 1;
		return 1;
	}
	if (raw[j] >= '0' && raw[j] <= '9') {
		while (raw[j] >= '0' && raw[j] <= '9')
			j++;
	} else {
		while (g2_is_name(raw + j, 1))
			j++;
	}
	if (j == *i)
		return 0;
	*name = raw + *i;
	*nlen = j - *i;
	*i = j;
	return 1;
}

static int expand(struct g2_eval *ev, const char *raw, struct g2_argv *out,
		  int split)
{
	struct field f = { 0 };
	size_t i = 0;
	int quote = 0, r = 0;

	while (raw[i] && r == 0) {
		char c = raw[i];

		if (quote == '\'') {
			/* the whole run up to the closing quote at once */
			size_t n = strcspn(raw + i, "'");

			if (n) {
				r = fadd(&f, out, raw + i, n);
				i += n;
			} else {
				quote = 0;
				i++;
			}
		} else if (c == '\\' && quote == '"') {
			char d = raw[i + 1];

			if (d == '$' || d == '"' || d == '\\') {
				r = fadd(&f, out, &d, 1);
				i += 2;
			} else {
				r = fadd(&f, out, &c, 1);
				i++;
			}
		} else if (c == '\\') {
			if (raw[i + 1]) {
				r = fadd(&f, out, raw + i + 1, 1);
				i += 2;
			} else {
				r = fadd(&f, out, &c, 1);
				i++;
			}
		} else if (c == '"' || (c == '\'' && !quote)) {
			quote = quote ? 0 : c;
			f.started = 1;
			i++;
		} else if (c == '$') {
			const char *name, *val;
			char nbuf[256];
			size_t nlen;

			i++;
			if (!var_ref(raw, &i, &name, &nlen)) {
				r = fadd(&f, out, "$", 1);
				continue;
			}
			if (nlen >= sizeof(nbuf)) {
				val = NULL;
			} else {
				memcpy(nbuf, name, nlen);
				nbuf[nlen] = '\0';
				val = g2_get_var(ev, nbuf);
			}
			if (!val)
				continue;
			if (quote || !split) {
				if (*val)
					r = fadd(&f, out, val, strlen(val));
				continue;
			}
			while (*val && r == 0) {
				size_t n = strcspn(val, " \t\n"); /* GRUB's IFS */

				if (n) {
					r = fadd(&f, out, val, n);
					val += n;
				} else {
					r = fend(&f, out);
					val++;
				}
			}
		} else {
			/* a run of plain characters at once: one copy, not one
			 * call a character (1,000 entries: 57k calls -> 9k) */
			size_t n = strcspn(raw + i, "\\\"'$");

			if (!n)
				n = 1; /* a ' inside "...": literal */
			r = fadd(&f, out, raw + i, n);
			i += n;
		}
	}
	if (r == 0)
		r = split ? fend(&f, out) : g2_argv_push(out, f.buf ? f.buf : "",
							 f.len);
	free(f.buf);
	return r;
}

int g2_expand_words(struct g2_eval *ev, char **words, size_t n,
		    struct g2_argv *out)
{
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if ((r = expand(ev, words[i], out, 1)) < 0) {
			g2_argv_free(out);
			return r;
		}
	}
	return 0;
}

int g2_expand_one(struct g2_eval *ev, const char *raw, char **out)
{
	struct g2_argv a = { 0 };
	int r = expand(ev, raw, &a, 0);

	*out = NULL;
	if (r == 0) {
		*out = a.v[0];
		a.v[0] = NULL;
		a.n = 0;
	}
	g2_argv_free(&a);
	return r;
}

int g2_cmdline(char *const *argv, size_t argc, char **out)
{
	size_t i, len = 0;
	char *b, *p;

	/* worst case: every byte escaped, quotes, separator */
	for (i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);

		if (l > PV_MAX_EXPANSION || len > PV_MAX_EXPANSION * 2)
			return too_big();
		len += 2 * l + 3;
	}
	b = malloc(len + 1);
	if (!b)
		return pv_err(PV_ENOMEM, "out of memory");
	p = b;
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];
		int space = strchr(s, ' ') != NULL;

		if (i)
			*p++ = ' ';
		if (space)
			*p++ = '"';
		for (; *s; s++) {
			if (*s == '\\' || *s == '\'' || *s == '"')
				*p++ = '\\';
			*p++ = *s;
		}
		if (space)
			*p++ = '"';
	}
	*p = '\0';
	*out = b;
	return 0;
}
