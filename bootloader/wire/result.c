/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bootloader/wire/result.h"

#include <stdlib.h>
#include <string.h>

void result_init(struct boot_result *r)
{
	memset(r, 0, sizeof(*r));
	blob_init(&r->kernel);
	blob_init(&r->ramdisk);
}

void result_free(struct boot_result *r)
{
	free(r->error);
	free(r->args);
	free(r->kernel_path);
	free(r->ramdisk_path);
	free(r->text);
	free(r->log);
	free(r->backing);
	blob_free(&r->kernel);
	blob_free(&r->ramdisk);
	envw_free(&r->env);
	if (r->keep_free)
		r->keep_free(r->keep);
	result_init(r);
}
