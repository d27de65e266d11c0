/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Typed kernel arguments through the config's own parser (edit_args.h). */
#include "bootloader/confined/edit_args.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "menu/menu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A one-entry config around the typed words; %s is the typed text.  The
 * kernel path is a placeholder: only the arguments are taken. */
static const struct {
	const char *format;
	const char *text;
	int (*parse)(const char *path, const char *buf, size_t len,
		     const struct cfg_io *io, struct menu *out);
} wraps[] = {
	{ "grub2", "menuentry edited {\n\tlinux /vmlinuz %s\n}\n", grub2_parse },
	{ "grub-legacy", "timeout 0\ntitle edited\n\tkernel /vmlinuz %s\n",
	  grub_legacy_parse },
	{ "extlinux", "default edited\nlabel edited\n\tkernel /vmlinuz\n"
		      "\tappend %s\n", extlinux_parse },
};

int edit_args_reparse(const char *format, const char *typed, char **out)
{
	struct cfg_io io;
	struct menu m;
	char *buf;
	size_t i, n = strlen(typed);
	int rc, len;

	*out = NULL;
	if (n > PV_MAX_ARGS)
		return pv_err(PV_ELIMIT, "edited arguments over %d bytes",
			      PV_MAX_ARGS);
	for (i = 0; i < sizeof(wraps) / sizeof(wraps[0]); i++)
		if (format && !strcmp(format, wraps[i].format))
			break;
	if (i == sizeof(wraps) / sizeof(wraps[0])) {
		*out = strdup(typed);
		return *out ? 0 : pv_err(PV_ENOMEM, "out of memory");
	}
	buf = malloc(strlen(wraps[i].text) + n + 1);
	if (!buf)
		return pv_err(PV_ENOMEM, "out of memory");
	len = sprintf(buf, wraps[i].text, typed);
	memset(&io, 0, sizeof(io));
	menu_init(&m, format);
	rc = wraps[i].parse("(edited arguments)", buf, (size_t)len, &io, &m);
	free(buf);
	if (rc == 0 && (m.n != 1 || m.e[0].kind != ENTRY_LINUX))
		rc = pv_err(PV_EINVAL, "edited arguments do not make one entry");
	if (rc == 0) {
		*out = strdup(m.e[0].args ? m.e[0].args : "");
		if (!*out)
			rc = pv_err(PV_ENOMEM, "out of memory");
	}
	menu_free(&m);
	return rc;
}
