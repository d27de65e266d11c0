/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the GRUB 2 script reader shared by its files:
 *   grub2_arena.c  bounded memory for parsed scripts
 *   grub2_lex.c    bytes -> tokens (words keep their quotes: they are
 *                  expanded only when the command runs, as GRUB does)
 *   grub2_parse.c  tokens -> a tree of commands (syntax errors, nesting cap)
 *   grub2_vars.c   variable contexts (submenus see exported ones only)
 *   grub2_expand.c word expansion and the kernel command line GRUB builds
 *   grub2_test.c   the `[`/`test` command
 *   grub2_eval.c   the evaluator: commands, if, loops, functions, menus
 *   grub2_entry.c  loader commands in entry bodies (linux, initrd, ...)
 *   grub2_cmds.c   commands that touch the guest fs: search, source,
 *                  configfile, load_env, `[ -f ]`
 *   grub2_blscfg.c blscfg, through menu/bls.c
 *   grub2.c        grub2_parse(), the entry point
 */
#ifndef PVBOOT_MENU_GRUB2_SCRIPT_H
#define PVBOOT_MENU_GRUB2_SCRIPT_H

#include <stddef.h>

#include "menu/menu.h"

/* --- arena: every node and word of every parsed file of one run --- */
struct g2_chunk;
struct g2_arena {
	struct g2_chunk *head;
	size_t used;    /* bytes handed out, against PV_MAX_SCRIPT_MEMORY */
	size_t nodes;   /* nodes created, against PV_MAX_SCRIPT_NODES */
	int err;        /* code of the last failure (PV_ELIMIT/PV_ENOMEM) */
};
void *g2_alloc(struct g2_arena *a, size_t n); /* zeroed; NULL + pv_err */
char *g2_strndup(struct g2_arena *a, const char *s, size_t n);
void g2_arena_free(struct g2_arena *a);

/* --- tokens --- */
enum g2_tok_type { G2_T_WORD, G2_T_SEP, G2_T_LBRACE, G2_T_RBRACE, G2_T_EOF };

struct g2_token {
	enum g2_tok_type type;
	char *text;   /* G2_T_WORD: raw text, quotes kept, continuations gone */
	size_t len;
	int line;
};

struct g2_lexer {
	const char *buf;
	size_t len, pos;
	int line;
	const char *path;
	char *word;      /* scratch buffer for one word, PV_MAX_LINE + 1 */
	size_t wlen;
};

int g2_lex_init(struct g2_lexer *lx, const char *path, const char *buf,
		size_t len);
void g2_lex_free(struct g2_lexer *lx);
/* Next token; the word text points into lx->word (valid until the next
 * call).  0, or PV_ECORRUPT / PV_ELIMIT with "path:line: ..." recorded. */
int g2_lex_next(struct g2_lexer *lx, struct g2_token *t);

/* --- the tree --- */
enum g2_node_type {
	G2_CMD,   /* words[0..n): a simple command */
	G2_IF,    /* if cond; then body; else alt; fi (elif: alt is an IF
		     marked elif, the same nesting level) */
	G2_WHILE, /* while/until cond; do body; done */
	G2_FOR,   /* for words[0] in words[1..]; do body; done */
	G2_FUNC,  /* function words[0] { body } */
	G2_MENU   /* menuentry/submenu words[0..n) { body } */
};

struct g2_node {
	enum g2_node_type type;
	int line;
	const char *file;        /* path of the script it came from */
	struct g2_node *next;    /* the next command in the list */
	char **words;            /* raw words (unexpanded) */
	size_t nwords;
	struct g2_node *cond, *body, *alt;
	unsigned negate : 1;     /* `! cmd` */
	unsigned until : 1;      /* G2_WHILE: until */
	unsigned submenu : 1;    /* G2_MENU: submenu */
	unsigned elif : 1;       /* G2_IF: an elif branch of the IF before */
};

/* Parse a whole file into a command list (*out may be NULL: empty file).
 * path is kept by pointer: it must live as long as the arena. */
int g2_parse_script(struct g2_arena *a, const char *path, const char *buf,
		    size_t len, struct g2_node **out);

/* --- variables --- */
struct g2_var {
	char *name;
	char *value;      /* NULL: unset here (hides the parent's) */
	int exported;
};

struct g2_ctx {
	struct g2_var *v;
	size_t n, cap;
	struct g2_ctx *parent;  /* overlay: reads fall through to it */
	size_t *alive;          /* run-wide count against PV_MAX_VARIABLES */
};

void g2_ctx_init(struct g2_ctx *c, struct g2_ctx *parent, size_t *alive);
void g2_ctx_free(struct g2_ctx *c);
const char *g2_ctx_get(const struct g2_ctx *c, const char *name);
/* value NULL unsets.  0, PV_ENOMEM, PV_ELIMIT. */
int g2_ctx_set(struct g2_ctx *c, const char *name, const char *value);
int g2_ctx_export(struct g2_ctx *c, const char *name);
/* Copy src's exported variables (through its parents) into an empty c. */
int g2_ctx_copy_exported(struct g2_ctx *c, const struct g2_ctx *src);

/* --- expansion --- */
struct g2_argv {
	char **v;
	size_t n, cap;
	size_t bytes;   /* total, against PV_MAX_EXPANSION */
};

struct g2_eval;
void g2_argv_free(struct g2_argv *a);
int g2_argv_push(struct g2_argv *a, const char *s, size_t len);
/* Expand raw words into fields: quotes removed, escapes resolved,
 * $var/${var} substituted, unquoted substitutions split on blanks. */
int g2_expand_words(struct g2_eval *ev, char **words, size_t n,
		    struct g2_argv *out);
/* Expand one raw word into one string, no field splitting (assignment
 * values).  Malloc'd. */
int g2_expand_one(struct g2_eval *ev, const char *raw, char **out);
/* The kernel command line GRUB builds from argv: words joined by one
 * space; '\\', '\'' and '"' get a backslash; a word with a space is
 * wrapped in double quotes.  Malloc'd. */
int g2_cmdline(char *const *argv, size_t argc, char **out);
/* Is name a valid variable name for $name (letters, digits, '_')? */
int g2_is_name(const char *s, size_t len);

/* --- evaluator --- */
struct g2_entry_state {
	struct menu *menu;
	size_t index;         /* entries may move when the menu grows */
	int loaded;           /* a loader command ran */
};

struct g2_func {
	char *name;
	struct g2_node *body;
};

struct g2_frame {
	char **argv;          /* positional parameters $1.. (malloc'd copies) */
	size_t argc;
};

enum g2_unwind { G2_UW_NONE, G2_UW_RETURN, G2_UW_BREAK, G2_UW_CONTINUE,
		 G2_UW_REPLACED };

struct g2_pending;

struct g2_eval {
	const struct cfg_io *io;
	struct g2_arena arena;
	struct g2_ctx *ctx;            /* current variable context */
	struct menu *menu;             /* menu that menuentry adds to */
	struct g2_pending *pending;    /* bodies to run after the script */
	size_t npending, cappending;
	struct g2_frame *frame;        /* positional parameters, or NULL */
	struct g2_func *funcs;
	size_t nfuncs;
	size_t alive;                  /* variables alive */
	unsigned long steps;
	int call_depth, include_depth, menu_depth, loop_depth;
	int nfiles;
	int status;                    /* $? */
	enum g2_unwind unwind;
	int unwind_count;              /* break N / continue N */
	struct menu *replacement;      /* configfile's menu */
	struct g2_entry_state *entry;  /* while running an entry body */
	int err_located;               /* the error message has path:line */
	char *joined;                  /* the last $@ / $* value */
	size_t menu_bytes;             /* against PV_MAX_MENU_BYTES */
	const char *file;              /* for messages */
	int line;
	/* password / password_pbkdf2 users, moved to the top menu at the
	 * end (menu->users) */
	struct menu_user *users;
	size_t nusers;
};

/* password / password_pbkdf2 (grub2_auth.c) */
int g2_cmd_password(struct g2_eval *ev, char **argv, size_t argc);
/* Hand the users and $superusers to the top menu m; frees what is left. */
int g2_auth_finish(struct g2_eval *ev, struct menu *m, int ok);

/* Count one step against PV_MAX_STEPS (commands, loop rounds). */
int g2_step(struct g2_eval *ev, const char *file, int line);
/* Account for n bytes stored in the menu: PV_ELIMIT past the bound. */
int g2_menu_bytes(struct g2_eval *ev, size_t n);
/* Run a command list. 0 or a fatal negative code. */
int g2_exec_list(struct g2_eval *ev, struct g2_node *n);
/* Run a script as a menu: the commands, then the entry and submenu
 * bodies, then the menu settings from the variables. */
int g2_run_menu(struct g2_eval *ev, struct g2_node *script, struct menu *m);
int g2_set_var(struct g2_eval *ev, const char *name, const char *value);
const char *g2_get_var(struct g2_eval *ev, const char *name);
/* Split "(dev)/path" or a path on $root into the device to pass to the io
 * callbacks (NULL: the config's fs) and the path.  *dev is malloc'd. */
int g2_resolve(struct g2_eval *ev, const char *in, char **dev,
	       const char **path);

/* Commands in other files: argv[0] is the command name.  They return the
 * GRUB exit status (0 true, 1 false) or a fatal negative code. */
int g2_cmd_test(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_search(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_source(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_configfile(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_load_env(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_save_env(struct g2_eval *ev, char **argv, size_t argc);
int g2_cmd_blscfg(struct g2_eval *ev, char **argv, size_t argc);
/* stat through io on $root; 0 when found. */
int g2_stat(struct g2_eval *ev, const char *path, char *type,
	    unsigned long long *size);

#endif
