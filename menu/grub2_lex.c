/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB 2 script tokenizer.  A word is kept raw (quotes and backslashes
 * included) because GRUB expands it only when its command runs; the lexer
 * only finds where it ends.  Outside quotes, blanks, newlines, ';', '{' and
 * '}' end a word; '#' at the start of a word starts a comment; a backslash
 * before a newline joins lines.  '|', '&', '<' and '>' are not part of
 * GRUB's language: a syntax error.
 */
#include "menu/grub2_script.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

int g2_lex_init(struct g2_lexer *lx, const char *path, const char *buf,
		size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->buf = buf;
	lx->len = len;
	lx->line = 1;
	lx->path = path;
	lx->word = malloc(PV_MAX_LINE + 1);
	if (!lx->word)
		return pv_err(PV_ENOMEM, "out of memory");
	return 0;
}

void g2_lex_free(struct g2_lexer *lx)
{
	free(lx->word);
	lx->word = NULL;
}

static int lex_error(struct g2_lexer *lx, int code, int line, const char *what)
{
	return pv_err(code, "%s:%d: %s", lx->path, line, what);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int ends_word(char c)
{
	return is_blank(c) || c == '\n' || c == ';' || c == '{' || c == '}' ||
	       c == '|' || c == '&' || c == '<' || c == '>';
}

static int put(struct g2_lexer *lx, char c)
{
	if (lx->wlen >= PV_MAX_LINE)
		return lex_error(lx, PV_ELIMIT, lx->line,
				 "word longer than 65536 bytes");
	lx->word[lx->wlen++] = c;
	return 0;
}

/* A character the loop below would only copy, outside single quotes: the
 * fast path copies runs of them without the per-character checks. */
static int plain(unsigned char c)
{
	if (c <= ' ')
		return 0;
	switch (c) {
	case '\\': case '\'': case '"': case '$': case ';': case '{':
	case '}': case '|': case '&': case '<': case '>':
		return 0;
	}
	return 1;
}

/* Is there a backslash-newline at pos? */
static int continuation(const struct g2_lexer *lx, size_t pos)
{
	return pos + 1 < lx->len && lx->buf[pos] == '\\' &&
	       lx->buf[pos + 1] == '\n';
}

/* Scan one word starting at lx->pos (a non-delimiter). */
static int lex_word(struct g2_lexer *lx)
{
	int quote = 0, start_line = lx->line, r;
	const char *b = lx->buf;

	lx->wlen = 0;
	while (lx->pos < lx->len) {
		char c;

		if (quote != '\'') {
			/* stops short of PV_MAX_LINE: put() reports that */
			while (lx->pos < lx->len && lx->wlen < PV_MAX_LINE &&
			       plain((unsigned char)b[lx->pos]))
				lx->word[lx->wlen++] = b[lx->pos++];
			if (lx->pos >= lx->len)
				break;
		}
		c = b[lx->pos];

		if (c == '\0')
			return lex_error(lx, PV_ECORRUPT, lx->line,
					 "NUL byte in the script");
		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
		} else if (continuation(lx, lx->pos)) {
			/* removed inside and outside double quotes */
			lx->pos += 2;
			lx->line++;
			continue;
		} else if (c == '\\') {
			/* keep the pair; expansion resolves it */
			if ((r = put(lx, c)) < 0)
				return r;
			lx->pos++;
			if (lx->pos >= lx->len)
				break;
			c = b[lx->pos];
			if (c == '\0')
				return lex_error(lx, PV_ECORRUPT, lx->line,
						 "NUL byte in the script");
		} else if (quote == '"') {
			if (c == '"')
				quote = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '$' && lx->pos + 1 < lx->len &&
			   b[lx->pos + 1] == '{') {
			/* ${name}: the braces belong to the word */
			size_t end = lx->pos + 2;

			while (end < lx->len && b[end] != '}' && b[end] != '\n' &&
			       b[end] != '\0')
				end++;
			if (end >= lx->len || b[end] != '}')
				return lex_error(lx, PV_ECORRUPT, lx->line,
						 "unterminated ${");
			while (lx->pos <= end)
				if ((r = put(lx, b[lx->pos++])) < 0)
					return r;
			continue;
		} else if (ends_word(c)) {
			break;
		}
		if (c == '\n')
			lx->line++;
		if ((r = put(lx, c)) < 0)
			return r;
		lx->pos++;
	}
	if (quote)
		return lex_error(lx, PV_ECORRUPT, start_line,
				 quote == '"' ? "unterminated double quote"
					      : "unterminated single quote");
	lx->word[lx->wlen] = '\0';
	return 0;
}

int g2_lex_next(struct g2_lexer *lx, struct g2_token *t)
{
	const char *b = lx->buf;
	int r;

	memset(t, 0, sizeof(*t));
	for (;;) {
		if (lx->pos >= lx->len) {
			t->type = G2_T_EOF;
			t->line = lx->line;
			return 0;
		}
		if (is_blank(b[lx->pos])) {
			lx->pos++;
		} else if (continuation(lx, lx->pos)) {
			lx->pos += 2;
			lx->line++;
		} else if (b[lx->pos] == '#') {
			while (lx->pos < lx->len && b[lx->pos] != '\n')
				lx->pos++;
		} else {
			break;
		}
	}
	t->line = lx->line;
	switch (b[lx->pos]) {
	case '\n':
		lx->line++;
		/* fall through */
	case ';':
		lx->pos++;
		t->type = G2_T_SEP;
		return 0;
	case '{':
		lx->pos++;
		t->type = G2_T_LBRACE;
		return 0;
	case '}':
		lx->pos++;
		t->type = G2_T_RBRACE;
		return 0;
	case '|': case '&': case '<': case '>':
		return lex_error(lx, PV_ECORRUPT, lx->line,
				 "'|', '&', '<' and '>' are not GRUB script");
	}
	r = lex_word(lx);
	if (r < 0)
		return r;
	t->type = G2_T_WORD;
	t->text = lx->word;
	t->len = lx->wlen;
	return 0;
}
