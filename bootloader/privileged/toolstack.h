/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the toolstacks around pvboot need from its command line, kept out of
 * cmdline.c: --domain-config/--domain/--disk (an xl config turned into the
 * argv libxl would pass), --print-config, pygrub-style failures for
 * xenopsd (--error-format=pygrub, or running under the name pygrub), and
 * XCP-ng's pygrub options --default_args, --extra_args and --vm.
 */
#ifndef PVBOOT_BOOTLOADER_TOOLSTACK_H
#define PVBOOT_BOOTLOADER_TOOLSTACK_H

#include "bootloader/wire/options.h"

struct toolstack {
	int pygrub_errors;        /* failures as "RuntimeError: REASON" */
	int print_config;         /* --print-config */
	int json;                 /* --json */
	int diagnose;             /* --diagnose */
	const char *domain_config;/* --domain-config=FILE (or --domain's) */
	const char *extra_args;   /* --extra_args (XCP-ng): appended to args */
	const char *default_args; /* --default_args (XCP-ng) */
	const char *vm;           /* --vm=UUID (XCP-ng; identifies, no effect) */
};

extern struct toolstack toolstack;

/*
 * Consume the options above from argv.  With --domain-config or --domain,
 * replace argv by the one libxl would build from that config (its kernel,
 * ramdisk, args and bootloader_args, then the user's other options, then
 * the config's disk).  0, or a negative code with a message (usage).
 */
int toolstack_argv(int *argc, char ***argv);
/* After cmdline_parse: fold --extra_args into the args, select the
 * domain-config output for --print-config.  0 or a negative code. */
int toolstack_apply(struct options *o);
/* The exit status after printing the worker's text: --diagnose's
 * verdict (EXIT_NOBOOT when nothing would boot), else EXIT_OK. */
int toolstack_text_status(const struct options *o, const char *text);
/* Print the one failure line: "pvboot: [IMAGE: ]MSG", or for pygrub's
 * callers "RuntimeError: MSG" (what xenopsd looks for). */
void toolstack_fail(const char *image, const char *msg);
/* The options above, for --help. */
void toolstack_usage(void);

#endif
