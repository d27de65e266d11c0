/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB's `test` / `[ ... ]`: strings (-z -n = == != < >), integers (-eq -ne
 * -lt -gt -le -ge), files on the guest (-e -f -d -s), ! ( ) -a -o.  File
 * tests go through io->stat; without io a file does not exist.  The
 * recursion (for '!' and parentheses) is capped at PV_MAX_NESTING.
 */
#include "menu/grub2_script.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct tparse {
	struct g2_eval *ev;
	char **a;
	size_t n, i;
	int depth;
	int err;      /* a fatal negative code, or 1 for a syntax error */
};

static long long num(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s)
		return 0; /* GRUB treats a non-number as 0 */
	return v;
}

static int file_test(struct tparse *t, char op, const char *path)
{
	char type = 0;
	unsigned long long size = 0;
	int r = g2_stat(t->ev, path, &type, &size);

	if (r < 0) {
		if (r != PV_ENOENT && r != PV_ENOTREG && r != PV_EINVAL)
			pv_debug("grub2: [ -%c %s ]: %s", op, path,
				 pv_strerror(r));
		return 0;
	}
	switch (op) {
	case 'e': return 1;
	case 'f': return type == 'f';
	case 'd': return type == 'd';
	case 's': return size > 0;
	}
	return 0;
}

static int is_binop(const char *s)
{
	static const char *const ops[] = { "=", "==", "!=", "<", ">", "<=",
					   ">=", "-eq", "-ne", "-lt", "-gt",
					   "-le", "-ge", "-nt", "-ot", "-pgt",
					   "-plt", "-pge", "-ple" };
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(s, ops[i]) == 0)
			return 1;
	return 0;
}

static int binop(const char *l, const char *op, const char *r)
{
	int c = strcmp(l, r);

	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return c == 0;
	if (!strcmp(op, "!="))
		return c != 0;
	if (!strcmp(op, "<"))
		return c < 0;
	if (!strcmp(op, ">"))
		return c > 0;
	if (!strcmp(op, "<="))
		return c <= 0;
	if (!strcmp(op, ">="))
		return c >= 0;
	if (!strcmp(op, "-eq"))
		return num(l) == num(r);
	if (!strcmp(op, "-ne"))
		return num(l) != num(r);
	if (!strcmp(op, "-lt"))
		return num(l) < num(r);
	if (!strcmp(op, "-gt"))
		return num(l) > num(r);
	if (!strcmp(op, "-le"))
		return num(l) <= num(r);
	if (!strcmp(op, "-ge"))
		return num(l) >= num(r);
	/* -nt/-ot (file times) and -p* (prefixed numbers): not modelled */
	pv_debug("grub2: test %s is not supported, false", op);
	return 0;
}

static int expr_or(struct tparse *t);

static const char *peek(struct tparse *t, size_t k)
{
	return t->i + k < t->n ? t->a[t->i + k] : NULL;
}

static int primary(struct tparse *t)
{
	const char *a = peek(t, 0), *b = peek(t, 1), *c = peek(t, 2);
	int v;

	if (!a) {
		t->err = 1;
		return 0;
	}
	if (++t->depth > PV_MAX_NESTING) {
		t->err = pv_err(PV_ELIMIT, "test expression nested deeper "
				"than %d", PV_MAX_NESTING);
		return 0;
	}
	if (!strcmp(a, "!") && b) {
		t->i++;
		v = !primary(t);
	} else if (!strcmp(a, "(") && b) {
		t->i++;
		v = expr_or(t);
		if (!peek(t, 0) || strcmp(peek(t, 0), ")"))
			t->err = t->err ? t->err : 1;
		else
			t->i++;
	} else if (b && c && is_binop(b)) {
		t->i += 3;
		v = binop(a, b, c);
	} else if (a[0] == '-' && a[1] && !a[2] && b &&
		   strchr("zndefs", a[1])) {
		t->i += 2;
		if (a[1] == 'z')
			v = b[0] == '\0';
		else if (a[1] == 'n')
			v = b[0] != '\0';
		else
			v = file_test(t, a[1], b);
	} else {
		t->i++;
		v = a[0] != '\0';
	}
	t->depth--;
	return v;
}

static int expr_and(struct tparse *t)
{
	int v = primary(t);

	while (!t->err && peek(t, 0) && !strcmp(peek(t, 0), "-a")) {
		t->i++;
		v = primary(t) && v;
	}
	return v;
}

static int expr_or(struct tparse *t)
{
	int v = expr_and(t);

	while (!t->err && peek(t, 0) && !strcmp(peek(t, 0), "-o")) {
		t->i++;
		v = expr_and(t) || v;
	}
	return v;
}

int g2_cmd_test(struct g2_eval *ev, char **argv, size_t argc)
{
	struct tparse t = { .ev = ev, .a = argv + 1, .n = argc - 1 };
	int v;

	if (!strcmp(argv[0], "[")) {
		if (argc < 2 || strcmp(argv[argc - 1], "]")) {
			pv_debug("grub2: '[' without ']'");
			return 1;
		}
		t.n--;
	}
	if (t.n == 0)
		return 1;
	v = expr_or(&t);
	if (t.err < 0)
		return t.err;
	if (t.err || t.i != t.n) {
		pv_debug("grub2: malformed test expression, false");
		return 1;
	}
	return v ? 0 : 1;
}
