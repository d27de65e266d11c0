/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/privileged/xlquote.h"
#include "common/err.h"

#include <string.h>

int xl_quote(struct strbuf *b, const char *s)
{
	/* the escapes xlu__cfgl_dequote turns back into these bytes */
	static const char ctl[] = "\a\b\f\n\r\t\v", name[] = "abfnrtv";
	const unsigned char *p;

	sb_puts(b, "\"");
	for (p = (const unsigned char *)s; *p; p++) {
		const char *c = *p ? strchr(ctl, *p) : NULL;
		char esc[2] = { '\\', 0 };

		if (*p == '\\' || *p == '"') {
			esc[1] = (char)*p;
			sb_put(b, esc, 2);
		} else if (c) {
			esc[1] = name[c - ctl];
			sb_put(b, esc, 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			return pv_err(PV_EINVAL,
				      "control character 0x%02x cannot be written in an xl config string",
				      *p);
		} else {
			sb_put(b, (const char *)p, 1);
		}
	}
	sb_puts(b, "\"");
	return 0;
}

static int line(struct strbuf *b, const char *key, const char *v)
{
	sb_puts(b, key);
	sb_puts(b, " = ");
	if (xl_quote(b, v) < 0) {
		pv_err_ctx("%s", key);
		return PV_EINVAL;
	}
	sb_puts(b, "\n");
	return 0;
}

int xl_direct_boot(struct strbuf *b, const char *kernel, const char *ramdisk,
		   const char *args)
{
	if (line(b, "kernel", kernel) < 0)
		return PV_EINVAL;
	if (ramdisk && *ramdisk && line(b, "ramdisk", ramdisk) < 0)
		return PV_EINVAL;
	if (args && *args && line(b, "cmdline", args) < 0)
		return PV_EINVAL;
	return 0;
}
