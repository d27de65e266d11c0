/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --json: the answer as one JSON document (schema in README.md), written
 * by the supervisor from the worker's entries after decoding them. */
#ifndef PVBOOT_BOOTLOADER_JSONOUT_H
#define PVBOOT_BOOTLOADER_JSONOUT_H

#include "bootloader/wire/options.h"
#include "bootloader/wire/result.h"
#include "common/strbuf.h"

#include <stddef.h>

/* Append s as a JSON string: UTF-8 kept, '"' '\\' and every C0/C1
 * control escaped (\uXXXX), a byte that is not valid UTF-8 written as the
 * text \xNN (escaped backslash); NULL as null. */
void json_str(struct strbuf *b, const char *s);

/* The answer pvboot writes: with o->json the JSON document (entries from
 * res->text, the boot from kernel/ramdisk/args when kernel != NULL),
 * else output_format(o->format, ...).  *out malloc'd. */
int answer_format(const struct options *o, const struct boot_result *res,
		  const char *kernel, const char *ramdisk, const char *args,
		  char **out, size_t *len);

#endif
