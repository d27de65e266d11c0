/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Typed kernel arguments through the config's own parser (edit_args.h). */
#include "bootloader/confined/edit_args.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "menu/flat.h"
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

/* The one-entry wrap for lines in format's syntax */
static const struct {
	const char *format;
	const char *head, *tail;
	int (*parse)(const char *path, const char *buf, size_t len,
		     const struct cfg_io *io, struct menu *out);
} line_wraps[] = {
	{ "grub-legacy", "timeout 0\ntitle edited\n", "\n", grub_legacy_parse },
	{ "extlinux", "default edited\nlabel edited\n", "\n", extlinux_parse },
	/* everything else, and every 'c' command line: GRUB 2 */
	{ "grub2", "menuentry edited {\n", "\n}\n", grub2_parse },
};

/* text's lines into b: for 'c', `kernel` becomes `linux` and `boot`
 * lines are left out (boot is what happens next anyway). */
static void put_lines(char *b, const char *text, int commands)
{
	const char *p = text;

	*b = '\0';
	while (*p) {
		const char *nl = strchr(p, '\n'), *w = p;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		while (w < p + n && *w == ' ')
			w++;
		if (commands && !strncmp(w, "kernel", 6) &&
		    (w + 6 == p + n || w[6] == ' ')) {
			strcat(b, "linux");
			strncat(b, w + 6, n - (size_t)(w + 6 - p));
		} else if (commands && !strncmp(w, "boot", 4) &&
			   (w + 4 == p + n || w[4] == ' ')) {
			/* dropped */
		} else {
			strncat(b, p, n);
		}
		strcat(b, "\n");
		p += n;
		if (*p == '\n')
			p++;
	}
}

int edit_lines_reparse(const char *format, int kind, const char *text,
		       const struct cfg_io *io, struct menu *out)
{
	size_t i, last = sizeof(line_wraps) / sizeof(line_wraps[0]) - 1;
	size_t n = strlen(text), cap;
	char *buf;
	int rc;

	menu_init(out, "grub2");
	if (n > PV_MAX_EDIT_TEXT)
		return pv_err(PV_ELIMIT, "edited lines over %d bytes",
			      PV_MAX_EDIT_TEXT);
	for (i = 0; i < last; i++)
		if (kind != FLAT_EDIT_COMMANDS && format &&
		    !strcmp(format, line_wraps[i].format))
			break;
	/* `kernel` -> `linux` grows a line by one byte at most */
	cap = strlen(line_wraps[i].head) + 2 * n + PV_MAX_EDIT_LINES * 2 +
	      strlen(line_wraps[i].tail) + 1;
	buf = malloc(cap);
	if (!buf)
		return pv_err(PV_ENOMEM, "out of memory");
	strcpy(buf, line_wraps[i].head);
	put_lines(buf + strlen(buf), text, kind == FLAT_EDIT_COMMANDS);
	strcat(buf, line_wraps[i].tail);
	menu_free(out);
	menu_init(out, line_wraps[i].format);
	rc = line_wraps[i].parse(kind == FLAT_EDIT_COMMANDS ? "(command line)"
							    : "(edited entry)",
				 buf, strlen(buf), io, out);
	free(buf);
	if (rc == 0 && (out->n != 1 || out->e[0].kind != ENTRY_LINUX ||
			!out->e[0].kernel))
		rc = pv_err(PV_EINVAL, "%s: no kernel to boot",
			    kind == FLAT_EDIT_COMMANDS ? "command line"
						       : "edited entry");
	return rc;
}
