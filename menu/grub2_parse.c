/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB 2 script parser: tokens -> command tree.  Recursive descent whose
 * depth is capped at PV_MAX_NESTING, so hostile nesting ends in an error,
 * not a stack overflow.  Reserved words (if then elif else fi function
 * menuentry submenu while until for do done !) count only unquoted and in
 * command position, as in GRUB.
 */
#include "menu/grub2_script.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

struct parser {
	struct g2_lexer lx;
	struct g2_arena *a;
	struct g2_token tok;     /* lookahead */
	char *tok_word;          /* arena copy of the lookahead word */
	int depth;
	int in_entry;            /* inside a menuentry body */
};

static int perr(struct parser *p, int code, int line, const char *what)
{
	return pv_err(code, "%s:%d: %s", p->lx.path, line, what);
}

/* An arena failure: its message, with where. */
static int alloc_err(struct parser *p, int line)
{
	pv_err_ctx("%s:%d", p->lx.path, line);
	return p->a->err;
}

static int advance(struct parser *p)
{
	int r = g2_lex_next(&p->lx, &p->tok);

	p->tok_word = NULL;
	if (r < 0)
		return r;
	if (p->tok.type == G2_T_WORD) {
		p->tok_word = g2_strndup(p->a, p->tok.text, p->tok.len);
		if (!p->tok_word)
			return alloc_err(p, p->tok.line);
	}
	return 0;
}

static int is_word(const struct parser *p, const char *w)
{
	return p->tok.type == G2_T_WORD && strcmp(p->tok_word, w) == 0;
}

/* Words that end a command list (the caller checks which one it wanted). */
static int at_terminator(const struct parser *p)
{
	static const char *const stop[] = { "then", "elif", "else", "fi",
					    "do", "done" };
	size_t i;

	if (p->tok.type == G2_T_RBRACE || p->tok.type == G2_T_EOF)
		return 1;
	for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		if (is_word(p, stop[i]))
			return 1;
	return 0;
}

static struct g2_node *new_node(struct parser *p, enum g2_node_type type,
				int line)
{
	struct g2_node *n;

	if (p->a->nodes >= PV_MAX_SCRIPT_NODES) {
		perr(p, PV_ELIMIT, line, "more than 200000 commands in scripts");
		return NULL;
	}
	n = g2_alloc(p->a, sizeof(*n));
	if (!n) {
		alloc_err(p, line);
		return NULL;
	}
	p->a->nodes++;
	n->type = type;
	n->line = line;
	n->file = p->lx.path;
	return n;
}

/* Collect words up to a separator, brace or EOF into n->words. */
static int collect_words(struct parser *p, struct g2_node *n)
{
	size_t cap = 0, bytes = 0;
	int r;

	while (p->tok.type == G2_T_WORD) {
		bytes += p->tok.len + 1;
		if (bytes > PV_MAX_LINE)
			return perr(p, PV_ELIMIT, p->tok.line,
				    "command longer than 65536 bytes");
		if (n->nwords == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **w = g2_alloc(p->a, ncap * sizeof(*w));

			if (!w)
				return alloc_err(p, p->tok.line);
			if (cap)
				memcpy(w, n->words, cap * sizeof(*w));
			n->words = w;
			cap = ncap;
		}
		n->words[n->nwords++] = p->tok_word;
		if ((r = advance(p)) < 0)
			return r;
	}
	return 0;
}

static int skip_seps(struct parser *p)
{
	int r;

	while (p->tok.type == G2_T_SEP)
		if ((r = advance(p)) < 0)
			return r;
	return 0;
}

static int parse_list(struct parser *p, struct g2_node **out);

/* Enter one nesting level; every block-opening construct calls it. */
static int enter(struct parser *p, int line)
{
	if (++p->depth > PV_MAX_NESTING)
		return perr(p, PV_ELIMIT, line,
			    "blocks nested deeper than 32 levels");
	return 0;
}

static int expect_word(struct parser *p, const char *w, int line,
		       const char *what)
{
	if (!is_word(p, w))
		return perr(p, PV_ECORRUPT,
			    p->tok.type == G2_T_EOF ? line : p->tok.line, what);
	return advance(p);
}

/* if LIST then LIST [elif LIST then LIST]... [else LIST] fi
 * An elif chain is one nesting level, however long (openSUSE's and other
 * generated configs have long ones): each elif becomes an IF node marked
 * elif in the alt of the one before, built in a loop, not by recursion. */
static int parse_if(struct parser *p, struct g2_node **out, int line)
{
	struct g2_node *n = new_node(p, G2_IF, line), *cur = n;
	int r;

	if (!n)
		return p->a->err ? p->a->err : PV_ELIMIT;
	if ((r = enter(p, line)) < 0 || (r = advance(p)) < 0)
		return r;
	for (;;) {
		if ((r = parse_list(p, &cur->cond)) < 0 ||
		    (r = expect_word(p, "then", line, "'if' without 'then'")) < 0 ||
		    (r = parse_list(p, &cur->body)) < 0)
			return r;
		if (!is_word(p, "elif"))
			break;
		cur->alt = new_node(p, G2_IF, p->tok.line);
		if (!cur->alt)
			return p->a->err ? p->a->err : PV_ELIMIT;
		cur = cur->alt;
		cur->elif = 1;
		if ((r = advance(p)) < 0)
			return r;
	}
	if (is_word(p, "else")) {
		if ((r = advance(p)) < 0 || (r = parse_list(p, &cur->alt)) < 0)
			return r;
	}
	if ((r = expect_word(p, "fi", line, "'if' without 'fi'")) < 0)
		return r;
	p->depth--;
	*out = n;
	return 0;
}

/* while|until LIST do LIST done */
static int parse_while(struct parser *p, struct g2_node **out, int line)
{
	struct g2_node *n = new_node(p, G2_WHILE, line);
	int r;

	if (!n)
		return p->a->err ? p->a->err : PV_ELIMIT;
	n->until = is_word(p, "until");
	if ((r = enter(p, line)) < 0 || (r = advance(p)) < 0 ||
	    (r = parse_list(p, &n->cond)) < 0 ||
	    (r = expect_word(p, "do", line, "loop without 'do'")) < 0 ||
	    (r = parse_list(p, &n->body)) < 0 ||
	    (r = expect_word(p, "done", line, "loop without 'done'")) < 0)
		return r;
	p->depth--;
	*out = n;
	return 0;
}

/* for NAME in WORDS; do LIST done */
static int parse_for(struct parser *p, struct g2_node **out, int line)
{
	struct g2_node *n = new_node(p, G2_FOR, line);
	int r;

	if (!n)
		return p->a->err ? p->a->err : PV_ELIMIT;
	if ((r = enter(p, line)) < 0 || (r = advance(p)) < 0)
		return r;
	if (p->tok.type != G2_T_WORD || !g2_is_name(p->tok_word,
						     strlen(p->tok_word)))
		return perr(p, PV_ECORRUPT, line, "'for' without a variable name");
	if ((r = collect_words(p, n)) < 0)
		return r;
	if (n->nwords < 2 || strcmp(n->words[1], "in") != 0)
		return perr(p, PV_ECORRUPT, line, "'for' without 'in'");
	/* drop "in": words = name, values... */
	memmove(&n->words[1], &n->words[2], (n->nwords - 2) * sizeof(char *));
	n->nwords--;
	if ((r = skip_seps(p)) < 0 ||
	    (r = expect_word(p, "do", line, "loop without 'do'")) < 0 ||
	    (r = parse_list(p, &n->body)) < 0 ||
	    (r = expect_word(p, "done", line, "loop without 'done'")) < 0)
		return r;
	p->depth--;
	*out = n;
	return 0;
}

/* function NAME { LIST } and menuentry/submenu WORDS { LIST } */
static int parse_block(struct parser *p, struct g2_node **out, int line,
		       enum g2_node_type type)
{
	struct g2_node *n = new_node(p, type, line);
	int r, entry = 0;

	if (!n)
		return p->a->err ? p->a->err : PV_ELIMIT;
	if (type == G2_MENU) {
		if (p->in_entry)
			return perr(p, PV_ECORRUPT, line,
				    "menuentry inside menuentry");
		n->submenu = is_word(p, "submenu");
		entry = !n->submenu;
	}
	if ((r = enter(p, line)) < 0 || (r = advance(p)) < 0 ||
	    (r = collect_words(p, n)) < 0)
		return r;
	if (type == G2_FUNC) {
		if (n->nwords != 1)
			return perr(p, PV_ECORRUPT, line,
				    "'function' needs one name");
		if ((r = skip_seps(p)) < 0)
			return r;
	}
	if (p->tok.type != G2_T_LBRACE)
		return perr(p, PV_ECORRUPT, line,
			    type == G2_FUNC ? "function without '{'"
					    : "menuentry without '{'");
	if ((r = advance(p)) < 0)
		return r;
	p->in_entry += entry;
	if ((r = parse_list(p, &n->body)) < 0)
		return r;
	p->in_entry -= entry;
	if (p->tok.type != G2_T_RBRACE)
		return perr(p, PV_ECORRUPT,
			    p->tok.type == G2_T_EOF ? line : p->tok.line,
			    p->tok.type == G2_T_EOF ? "end of file inside '{'"
						    : "unexpected word before '}'");
	if ((r = advance(p)) < 0)
		return r;
	p->depth--;
	*out = n;
	return 0;
}

static int parse_command(struct parser *p, struct g2_node **out)
{
	int line = p->tok.line, negate = 0, r;
	struct g2_node *n;

	if (is_word(p, "!")) {
		negate = 1;
		if ((r = advance(p)) < 0)
			return r;
		if (p->tok.type != G2_T_WORD)
			return perr(p, PV_ECORRUPT, line, "'!' without a command");
	}
	if (is_word(p, "if"))
		r = parse_if(p, out, line);
	else if (is_word(p, "while") || is_word(p, "until"))
		r = parse_while(p, out, line);
	else if (is_word(p, "for"))
		r = parse_for(p, out, line);
	else if (is_word(p, "function"))
		r = parse_block(p, out, line, G2_FUNC);
	else if (is_word(p, "menuentry") || is_word(p, "submenu"))
		r = parse_block(p, out, line, G2_MENU);
	else {
		n = new_node(p, G2_CMD, line);
		if (!n)
			return p->a->err ? p->a->err : PV_ELIMIT;
		if ((r = collect_words(p, n)) < 0)
			return r;
		if (p->tok.type == G2_T_LBRACE)
			return perr(p, PV_ECORRUPT, p->tok.line, "unexpected '{'");
		*out = n;
	}
	if (r == 0 && negate)
		(*out)->negate = 1;
	return r;
}

/* Commands until a terminator (left in p->tok for the caller). */
static int parse_list(struct parser *p, struct g2_node **out)
{
	struct g2_node **tail = out;
	int r;

	*out = NULL;
	for (;;) {
		if ((r = skip_seps(p)) < 0)
			return r;
		if (p->tok.type == G2_T_LBRACE)
			return perr(p, PV_ECORRUPT, p->tok.line, "unexpected '{'");
		if (at_terminator(p))
			return 0;
		if ((r = parse_command(p, tail)) < 0)
			return r;
		tail = &(*tail)->next;
		if (p->tok.type != G2_T_SEP && !at_terminator(p))
			return perr(p, PV_ECORRUPT, p->tok.line,
				    "unexpected token after a block");
	}
}

int g2_parse_script(struct g2_arena *a, const char *path, const char *buf,
		    size_t len, struct g2_node **out)
{
	struct parser p;
	int r;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.a = a;
	r = g2_lex_init(&p.lx, path, buf, len);
	if (r < 0)
		return r;
	r = advance(&p);
	if (r == 0)
		r = parse_list(&p, out);
	if (r == 0 && p.tok.type != G2_T_EOF) {
		if (p.tok.type == G2_T_RBRACE)
			r = perr(&p, PV_ECORRUPT, p.tok.line,
				 "'}' without an opening '{'");
		else
			r = pv_err(PV_ECORRUPT, "%s:%d: '%s' without a matching "
				   "opening word", path, p.tok.line, p.tok_word);
	}
	g2_lex_free(&p.lx);
	return r;
}
