/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/jsonout.h"
#include "bootloader/privileged/output.h"
#include "bootloader/wire/entries.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (1..4), or 0. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_str(struct strbuf *b, const char *s)
{
	const unsigned char *p;

	if (!s) {
		sb_puts(b, "null");
		return;
	}
	sb_puts(b, "\"");
	for (p = (const unsigned char *)s; *p;) {
		size_t n = utf8_len(p);

		if (n == 0) {
			sb_printf(b, "\\\\x%02x", *p);
			p++;
		} else if (*p == '"' || *p == '\\') {
			sb_printf(b, "\\%c", *p);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			sb_printf(b, "\\u%04x", *p);
			p++;
		} else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			sb_printf(b, "\\u%04x", p[1]); /* C1 control */
			p += 2;
		} else {
			sb_put(b, (const char *)p, n);
			p += n;
		}
	}
	sb_puts(b, "\"");
}

static void str_list(struct strbuf *b, char *const *v, size_t n)
{
	size_t i;

	sb_puts(b, "[");
	for (i = 0; i < n; i++) {
		if (i)
			sb_puts(b, ", ");
		json_str(b, v[i]);
	}
	sb_puts(b, "]");
}

static void entry_json(struct strbuf *b, const struct entries *x, size_t i)
{
	const struct entry_info *e = &x->e[i];

	sb_printf(b, "    {\"index\": %zu, \"path\": ", i);
	json_str(b, e->path);
	sb_puts(b, ", \"submenu\": ");
	str_list(b, e->sub, e->nsub);
	sb_puts(b, ",\n     \"title\": ");
	json_str(b, e->title);
	sb_puts(b, ", \"id\": ");
	json_str(b, e->id);
	sb_puts(b, ",\n     \"kernel\": ");
	json_str(b, e->kernel);
	sb_puts(b, ", \"initrds\": ");
	str_list(b, e->initrd, e->ninitrd);
	sb_puts(b, ",\n     \"args\": ");
	json_str(b, e->args);
	sb_printf(b, ",\n     \"default\": %s, \"bootable\": %s, \"not_bootable_because\": ",
		  e->is_default ? "true" : "false",
		  e->bootable ? "true" : "false");
	json_str(b, e->bootable ? NULL : e->why_not);
	sb_puts(b, ",\n     \"source_file\": ");
	json_str(b, x->config);
	sb_puts(b, ", \"partition\": ");
	json_str(b, x->vol);
	sb_puts(b, "}");
}

static int json_doc(const struct options *o, const struct boot_result *res,
		    const char *kernel, const char *ramdisk, const char *args,
		    char **out, size_t *len)
{
	struct entries x;
	struct strbuf b;
	size_t i;
	int r;

	r = entries_decode(res->text, &x);
	if (r < 0)
		return pv_err(PV_ESANDBOX, "worker: %s", pv_errmsg());
	sb_init(&b, PV_MAX_JSON_BYTES);
	sb_puts(&b, "{\"pvboot_json\": 1,\n \"disk\": ");
	json_str(&b, o->image);
	sb_puts(&b, ",\n \"partition\": ");
	json_str(&b, x.vol);
	sb_puts(&b, ", \"config\": ");
	json_str(&b, x.config);
	sb_puts(&b, ", \"format\": ");
	json_str(&b, x.format);
	sb_puts(&b, ",\n \"entries\": [");
	for (i = 0; i < x.n; i++) {
		sb_puts(&b, i ? ",\n" : "\n");
		entry_json(&b, &x, i);
	}
	sb_puts(&b, x.n ? "\n ],\n \"boot\": " : "],\n \"boot\": ");
	if (!kernel) {
		sb_puts(&b, "null");
	} else {
		if (x.boot >= 0)
			sb_printf(&b, "{\"entry\": %ld", x.boot);
		else
			sb_puts(&b, "{\"entry\": null");
		sb_puts(&b, ", \"kernel\": ");
		json_str(&b, kernel);
		sb_puts(&b, ", \"ramdisk\": ");
		json_str(&b, ramdisk && *ramdisk ? ramdisk : NULL);
		sb_puts(&b, ",\n          \"args\": ");
		json_str(&b, args ? args : "");
		sb_printf(&b, ", \"extracted\": %s}", o->not_really ? "false" : "true");
	}
	sb_puts(&b, "\n}\n");
	entries_free(&x);
	*out = sb_take(&b);
	if (!*out)
		return pv_err(PV_ELIMIT, "JSON answer too large");
	*len = strlen(*out);
	return 0;
}

int answer_format(const struct options *o, const struct boot_result *res,
		  const char *kernel, const char *ramdisk, const char *args,
		  char **out, size_t *len)
{
	if (!o->json)
		return output_format(o->format, kernel, ramdisk, args, out, len);
	return json_doc(o, res, kernel, ramdisk, args, out, len);
}
