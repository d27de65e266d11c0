/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An entry as editable lines, and what an edit may hold (flat.h). */
#include "menu/flat.h"
#include "common/strbuf.h"

#include <stdlib.h>
#include <string.h>

static void sb_putc(struct strbuf *b, char c)
{
	sb_put(b, &c, 1);
}

/* A path as one GRUB word: as is when every byte is plain, else in single
 * quotes (a quote itself as '\'' the way GRUB's shell reads it). */
static void put_word(struct strbuf *b, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789/._,()+=:@%-", *p))
			break;
	if (!*p) {
		sb_puts(b, s);
		return;
	}
	sb_putc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			sb_puts(b, "'\\''");
		else
			sb_putc(b, *p);
	}
	sb_putc(b, '\'');
}

static void put_path(struct strbuf *b, const char *dev, const char *path,
		     int grub2)
{
	struct strbuf w;
	char *s;

	if (!grub2 || !dev) {
		put_word(b, path);
		return;
	}
	sb_init(&w, PV_MAX_EDIT_TEXT);
	sb_putc(&w, '(');
	sb_puts(&w, dev);
	sb_putc(&w, ')');
	sb_puts(&w, path);
	s = sb_take(&w);
	if (s)
		put_word(b, s);
	free(s);
}

char *flat_entry_lines(const struct menu_entry *e, const char *format)
{
	int legacy = format && !strcmp(format, "grub-legacy");
	int ext = format && !strcmp(format, "extlinux");
	struct strbuf b;
	size_t i;
	char *s;

	if (e->kind != ENTRY_LINUX || !e->kernel)
		return strdup("");
	sb_init(&b, PV_MAX_EDIT_TEXT + 1);
	if (legacy && e->root) {
		sb_puts(&b, "root ");
		sb_puts(&b, e->root);
		sb_putc(&b, '\n');
	}
	sb_puts(&b, legacy || ext ? "kernel " : "linux ");
	put_path(&b, e->kernel_dev, e->kernel, !legacy && !ext);
	if (ext) {
		sb_puts(&b, "\nappend");
	}
	if (e->args && *e->args) {
		sb_putc(&b, ' ');
		sb_puts(&b, e->args);
	}
	for (i = 0; i < e->ninitrd; i++) {
		if (i == 0)
			sb_puts(&b, "\ninitrd ");
		else
			sb_putc(&b, ext ? ',' : ' ');
		put_path(&b, e->initrd_dev[i], e->initrd[i], !legacy && !ext);
	}
	s = sb_take(&b);
	if (!s || strlen(s) > PV_MAX_EDIT_TEXT || !flat_edit_ok(FLAT_EDIT_LINES, s, strlen(s))) {
		/* too long, or bytes the editor cannot show: not editable */
		free(s);
		return strdup("");
	}
	return s;
}

int flat_edit_ok(int kind, const char *text, size_t n)
{
	size_t i, lines = 1;

	if (kind == FLAT_EDIT_NONE)
		return n == 0;
	if (kind == FLAT_EDIT_ARGS && n > PV_MAX_ARGS)
		return 0;
	if (kind != FLAT_EDIT_ARGS && kind != FLAT_EDIT_LINES &&
	    kind != FLAT_EDIT_COMMANDS)
		return 0;
	if (n > PV_MAX_EDIT_TEXT)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n' && kind != FLAT_EDIT_ARGS) {
			if (++lines > PV_MAX_EDIT_LINES)
				return 0;
			continue;
		}
		if (c < 0x20 || c > 0x7e)
			return 0;
	}
	return 1;
}
