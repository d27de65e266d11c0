/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The LVM2 metadata text format (lvm2's lib/config syntax), parsed from a
 * buffer with no I/O: hostile input, bounded in size, depth, node count
 * and string length (common/pvlimits.h).
 *
 *   file    := item*
 *   item    := NAME '=' value | NAME '{' item* '}'
 *   value   := STRING | NUMBER | '[' [value (',' value)*] ']'
 *   comment := '#' to the end of the line
 */
#ifndef PVBOOT_PARTITION_LVM_TEXT_H
#define PVBOOT_PARTITION_LVM_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum lvm_type { LVM_SECTION, LVM_INT, LVM_FLOAT, LVM_STR, LVM_ARRAY };

struct lvm_node {
	enum lvm_type type;
	const char *name;        /* "" for array items */
	int64_t num;             /* LVM_INT */
	const char *str;         /* LVM_STR (escapes resolved) */
	struct lvm_node *child;  /* LVM_SECTION, LVM_ARRAY: first member */
	struct lvm_node *next;
};

struct lvm_tree {
	struct lvm_node *root;   /* an LVM_SECTION holding the file's items */
	struct lvm_node *nodes;  /* storage */
	char *strings;
};

/* 0, or PV_ECORRUPT / PV_ELIMIT / PV_ENOMEM with a message naming the
 * line.  On success free with lvm_text_free(). */
int lvm_text_parse(const char *buf, size_t len, struct lvm_tree *t);
void lvm_text_free(struct lvm_tree *t);

/* Child of a section by name (first match), or NULL. */
const struct lvm_node *lvm_get(const struct lvm_node *sec, const char *name);
/* An integer child: 0, or -1 when missing or not an integer. */
int lvm_get_int(const struct lvm_node *sec, const char *name, int64_t *out);
/* A string child, or NULL. */
const char *lvm_get_str(const struct lvm_node *sec, const char *name);
/* Does the string array child hold s? */
int lvm_has_flag(const struct lvm_node *sec, const char *name, const char *s);

#endif
