/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LVM2 metadata text parser (grammar in lvm_text.h).  Recursive descent,
 * depth bounded by PV_MAX_LVM_DEPTH; every node comes from one array sized
 * from the text (a node needs at least one byte of text) and capped at
 * PV_MAX_LVM_NODES; every string is copied once into one pool no larger
 * than the text.
 */
#include "partition/lvm_text.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <stdlib.h>
#include <string.h>

struct lp {
	const char *s;
	size_t len, pos;
	unsigned line;
	struct lvm_node *nodes;
	size_t nnodes, capnodes;
	char *pool;
	size_t npool, cappool;
};

static int bad(struct lp *p, const char *what)
{
	return pv_err(PV_ECORRUPT, "LVM2 metadata line %u: %s", p->line, what);
}

static void skip_ws(struct lp *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c == '\n') {
			p->line++;
			p->pos++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\0') {
			p->pos++;
		} else if (c == '#') {
			while (p->pos < p->len && p->s[p->pos] != '\n')
				p->pos++;
		} else {
			break;
		}
	}
}

static struct lvm_node *new_node(struct lp *p, enum lvm_type type,
				 const char *name)
{
	struct lvm_node *n;

	if (p->nnodes >= p->capnodes) {
		pv_err(PV_ELIMIT, "LVM2 metadata line %u: more than %zu values",
		       p->line, p->capnodes);
		return NULL;
	}
	n = &p->nodes[p->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->name = name;
	return n;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	       c == '+' || c == '/';
}

/* Copy n bytes into the pool, NUL-terminated. */
static char *pool_add(struct lp *p, const char *src, size_t n)
{
	char *d;

	if (n > PV_MAX_LVM_STRING) {
		pv_err(PV_ELIMIT, "LVM2 metadata line %u: a name or string over %d bytes",
		       p->line, PV_MAX_LVM_STRING);
		return NULL;
	}
	if (p->cappool - p->npool < n + 1) {
		pv_err(PV_ELIMIT, "LVM2 metadata line %u: strings overflow", p->line);
		return NULL;
	}
	d = p->pool + p->npool;
	memcpy(d, src, n);
	d[n] = '\0';
	p->npool += n + 1;
	return d;
}

static const char *parse_name(struct lp *p)
{
	size_t st = p->pos;

	while (p->pos < p->len && is_name_char(p->s[p->pos]))
		p->pos++;
	if (p->pos == st) {
		bad(p, "a name was expected");
		return NULL;
	}
	return pool_add(p, p->s + st, p->pos - st);
}

/* "..." with \" and \\ escapes; no newline inside. */
static int parse_string(struct lp *p, struct lvm_node *n)
{
	size_t room = p->cappool - p->npool, o = 0;
	char *d = p->pool + p->npool;

	p->pos++; /* opening quote */
	for (;;) {
		char c;

		if (p->pos >= p->len || p->s[p->pos] == '\n')
			return bad(p, "unterminated string");
		c = p->s[p->pos++];
		if (c == '"')
			break;
		if (c == '\\') {
			if (p->pos >= p->len)
				return bad(p, "unterminated string");
			c = p->s[p->pos++];
		}
		if (o >= PV_MAX_LVM_STRING)
			return pv_err(PV_ELIMIT,
				      "LVM2 metadata line %u: a string over %d bytes",
				      p->line, PV_MAX_LVM_STRING);
		if (o + 1 >= room)
			return pv_err(PV_ELIMIT, "LVM2 metadata line %u: strings overflow",
				      p->line);
		d[o++] = c;
	}
	d[o] = '\0';
	p->npool += o + 1;
	n->str = d;
	return 0;
}

static int parse_number(struct lp *p, struct lvm_node *n)
{
	int neg = 0, digits = 0;
	uint64_t v = 0;

	if (p->s[p->pos] == '-') {
		neg = 1;
		p->pos++;
	}
	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
		unsigned d = (unsigned)(p->s[p->pos++] - '0');

		if (v > ((uint64_t)INT64_MAX - d) / 10)
			return bad(p, "number out of range");
		v = v * 10 + d;
		digits++;
	}
	if (!digits)
		return bad(p, "a number was expected");
	n->num = neg ? -(int64_t)v : (int64_t)v;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		/* a float: kept as a type only (VG metadata has none) */
		p->pos++;
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
		n->type = LVM_FLOAT;
	}
	return 0;
}

static int parse_scalar(struct lp *p, struct lvm_node *n)
{
	char c;

	if (p->pos >= p->len)
		return bad(p, "a value was expected");
	c = p->s[p->pos];
	if (c == '"') {
		n->type = LVM_STR;
		return parse_string(p, n);
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		n->type = LVM_INT;
		return parse_number(p, n);
	}
	return bad(p, "a value was expected");
}

static int parse_value(struct lp *p, struct lvm_node *n)
{
	struct lvm_node **tail = &n->child;

	if (p->pos >= p->len || p->s[p->pos] != '[')
		return parse_scalar(p, n);
	n->type = LVM_ARRAY;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
		return 0;
	}
	for (;;) {
		struct lvm_node *it = new_node(p, LVM_INT, "");
		int r;

		if (!it)
			return PV_ELIMIT;
		skip_ws(p);
		r = parse_scalar(p, it);
		if (r < 0)
			return r;
		*tail = it;
		tail = &it->next;
		skip_ws(p);
		if (p->pos >= p->len)
			return bad(p, "unterminated array");
		if (p->s[p->pos] == ']') {
			p->pos++;
			return 0;
		}
		if (p->s[p->pos] != ',')
			return bad(p, "',' or ']' expected in an array");
		p->pos++;
	}
}

/* Items up to '}' (depth > 0) or the end of the text (depth 0). */
static int parse_items(struct lp *p, struct lvm_node *sec, unsigned depth)
{
	struct lvm_node **tail = &sec->child;

	if (depth > PV_MAX_LVM_DEPTH)
		return pv_err(PV_ELIMIT, "LVM2 metadata line %u: sections nested over %d deep",
			      p->line, PV_MAX_LVM_DEPTH);
	for (;;) {
		const char *name;
		struct lvm_node *n;
		int r;

		skip_ws(p);
		if (p->pos >= p->len) {
			if (depth)
				return bad(p, "unterminated section");
			return 0;
		}
		if (p->s[p->pos] == '}') {
			if (!depth)
				return bad(p, "unbalanced '}'");
			p->pos++;
			return 0;
		}
		name = parse_name(p);
		if (!name)
			return PV_ECORRUPT;
		skip_ws(p);
		if (p->pos >= p->len)
			return bad(p, "'=' or '{' expected");
		if (p->s[p->pos] == '{') {
			p->pos++;
			n = new_node(p, LVM_SECTION, name);
			if (!n)
				return PV_ELIMIT;
			r = parse_items(p, n, depth + 1);
		} else if (p->s[p->pos] == '=') {
			p->pos++;
			skip_ws(p);
			n = new_node(p, LVM_INT, name);
			if (!n)
				return PV_ELIMIT;
			r = parse_value(p, n);
		} else {
			return bad(p, "'=' or '{' expected");
		}
		if (r < 0)
			return r;
		*tail = n;
		tail = &n->next;
	}
}

int lvm_text_parse(const char *buf, size_t len, struct lvm_tree *t)
{
	struct lp p = { .s = buf, .len = len, .line = 1 };
	int r;

	memset(t, 0, sizeof(*t));
	if (len > PV_MAX_LVM_TEXT)
		return pv_err(PV_ELIMIT, "LVM2 metadata of %zu bytes is over %u",
			      len, PV_MAX_LVM_TEXT);
	p.capnodes = len + 1 < PV_MAX_LVM_NODES ? len + 1 : PV_MAX_LVM_NODES;
	p.cappool = len + 1;
	p.nodes = calloc(p.capnodes, sizeof(*p.nodes));
	p.pool = malloc(p.cappool);
	if (!p.nodes || !p.pool) {
		free(p.nodes);
		free(p.pool);
		return pv_err(PV_ENOMEM, "out of memory for LVM2 metadata");
	}
	t->nodes = p.nodes;
	t->strings = p.pool;
	t->root = new_node(&p, LVM_SECTION, "");
	r = parse_items(&p, t->root, 0);
	if (r < 0) {
		lvm_text_free(t);
		return r;
	}
	return 0;
}

void lvm_text_free(struct lvm_tree *t)
{
	free(t->nodes);
	free(t->strings);
	memset(t, 0, sizeof(*t));
}

const struct lvm_node *lvm_get(const struct lvm_node *sec, const char *name)
{
	const struct lvm_node *n;

	if (!sec || sec->type != LVM_SECTION)
		return NULL;
	for (n = sec->child; n; n = n->next)
		if (strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

int lvm_get_int(const struct lvm_node *sec, const char *name, int64_t *out)
{
	const struct lvm_node *n = lvm_get(sec, name);

	if (!n || n->type != LVM_INT)
		return -1;
	*out = n->num;
	return 0;
}

const char *lvm_get_str(const struct lvm_node *sec, const char *name)
{
	const struct lvm_node *n = lvm_get(sec, name);

	return n && n->type == LVM_STR ? n->str : NULL;
}

int lvm_has_flag(const struct lvm_node *sec, const char *name, const char *s)
{
	const struct lvm_node *n = lvm_get(sec, name), *i;

	if (!n || n->type != LVM_ARRAY)
		return 0;
	for (i = n->child; i; i = i->next)
		if (i->type == LVM_STR && strcmp(i->str, s) == 0)
			return 1;
	return 0;
}
