/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/output.h"
#include "bootloader/privileged/xlquote.h"
#include "common/err.h"
#include "common/pyrepr.h"
#include "common/sanitize.h"
#include "common/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* sxp values are Python's repr() of a str (common/pyrepr.c): what pygrub
 * writes and xend's sxp reader expects. */
static void put_repr(struct strbuf *b, const char *s)
{
	pv_pyrepr(b, s, strlen(s));
}

/* simple and simple0 carry values raw: anything unsafe to print (a
 * control, C1, bidi control, line separator) is refused, not escaped. */
static const char *unsafe_item(const char *kernel, const char *ramdisk,
			       const char *args)
{
	if (kernel && pv_text_unsafe_at(kernel, strlen(kernel), 0, NULL) >= 0)
		return "kernel path";
	if (ramdisk && pv_text_unsafe_at(ramdisk, strlen(ramdisk), 0, NULL) >= 0)
		return "ramdisk path";
	if (args && pv_text_unsafe_at(args, strlen(args), 0, NULL) >= 0)
		return "args";
	return NULL;
}

static int has_delim(const char *v, char delim)
{
	/* simple0's delimiter is NUL, which a C string cannot hold: what
	 * can hide there is an embedded item separator in a value that was
	 * cut short earlier.  We also refuse newlines in simple0, because
	 * libxl logs items line by line. */
	if (!v)
		return 0;
	if (delim == '\0')
		return strchr(v, '\n') != NULL;
	return strchr(v, delim) != NULL;
}

int output_format(enum out_format f, const char *kernel, const char *ramdisk,
		  const char *args, char **out, size_t *len)
{
	struct strbuf b;

	sb_init(&b, 1u << 20);

	if (ramdisk && !*ramdisk)
		ramdisk = NULL;
	if (args && !*args)
		args = NULL;
	if (f == OUT_DOMCFG) {
		if (xl_direct_boot(&b, kernel, ramdisk, args) < 0) {
			sb_free(&b);
			return PV_EINVAL;
		}
	} else if (f == OUT_SXP) {
		sb_puts(&b, "linux (kernel ");
		put_repr(&b, kernel);
		sb_puts(&b, ")");
		if (ramdisk) {
			sb_puts(&b, "(ramdisk ");
			put_repr(&b, ramdisk);
			sb_puts(&b, ")");
		}
		if (args) {
			sb_puts(&b, "(args ");
			put_repr(&b, args);
			sb_puts(&b, ")");
		}
	} else {
		char d = f == OUT_SIMPLE ? '\n' : '\0';
		const char *what = has_delim(kernel, d) ? "kernel path" :
				   has_delim(ramdisk, d) ? "ramdisk path" :
				   has_delim(args, d) ? "args" : NULL;

		if (what)
			return pv_err(PV_EINVAL,
				      "%s contains a %s, which the %s output format cannot carry",
				      what, d ? "newline" : "newline or NUL",
				      f == OUT_SIMPLE ? "simple" : "simple0");
		what = unsafe_item(kernel, ramdisk, args);
		if (what)
			return pv_err(PV_EINVAL,
				      "%s contains a control, bidi or separator character, which the %s output format cannot carry",
				      what, f == OUT_SIMPLE ? "simple" : "simple0");
		sb_puts(&b, "kernel ");
		sb_puts(&b, kernel);
		sb_put(&b, &d, 1);
		if (ramdisk) {
			sb_puts(&b, "ramdisk ");
			sb_puts(&b, ramdisk);
			sb_put(&b, &d, 1);
		}
		if (args) {
			sb_puts(&b, "args ");
			sb_puts(&b, args);
			sb_put(&b, &d, 1);
		}
		sb_put(&b, &d, 1);
	}
	*len = b.len;
	*out = sb_take(&b);
	if (!*out)
		return pv_err(PV_ENOMEM, "out of memory");
	return 0;
}

int output_format_parse(const char *s, enum out_format *f)
{
	if (strcmp(s, "sxp") == 0)
		*f = OUT_SXP;
	else if (strcmp(s, "simple") == 0)
		*f = OUT_SIMPLE;
	else if (strcmp(s, "simple0") == 0)
		*f = OUT_SIMPLE0;
	else
		return pv_err(PV_EINVAL, "unknown output format %s", s);
	return 0;
}
