/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks of a worker's answer (see validate.h). */
#include "bootloader/privileged/validate.h"
#include "bootloader/wire/options.h"
#include "bootloader/wire/text_ok.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"

#include <string.h>

int answer_status_ok(int status)
{
	return status == EXIT_USAGE || status == EXIT_NOBOOT ||
	       status == EXIT_BADIMAGE || status == EXIT_SANDBOX;
}

/* The backing files the supervisor opened (--allow-backing): their
 * sizes, levels 1..backing_n; set by the supervisor, never the worker. */
static const uint64_t *backing_size;
static int backing_n;

void validate_set_backing(const uint64_t *size, int n)
{
	backing_size = size;
	backing_n = n;
}

static int validate_blob(const char *what, const struct blob *b,
			 uint64_t disk_size, uint64_t max_file)
{
	uint64_t total = 0, size;
	size_t i;

	if (b->n > PV_MAX_SEGMENTS)
		return pv_err(PV_ESANDBOX, "%s has %zu segments (cap %d)",
			      what, b->n, PV_MAX_SEGMENTS);
	if (b->n && !b->segs)
		return pv_err(PV_ESANDBOX, "%s has no segment table", what);
	for (i = 0; i < b->n; i++) {
		const struct seg *s = &b->segs[i];

		if (!s->len)
			return pv_err(PV_ESANDBOX, "%s segment %zu is empty",
				      what, i);
		switch (s->kind) {
		case SEG_DISK:
			/* file 0 is the disk; k the k-th backing file */
			if (s->file > backing_n)
				return pv_err(PV_ESANDBOX,
					      "%s segment %zu reads backing file %u of %d",
					      what, i, s->file, backing_n);
			size = s->file ? backing_size[s->file] : disk_size;
			/* off + len <= size, written so it cannot wrap */
			if (s->disk_off > size || s->len > size - s->disk_off)
				return pv_err(PV_ESANDBOX,
					      "%s segment %zu (offset %llu, length %llu) lies outside %s (%llu bytes)",
					      what, i,
					      (unsigned long long)s->disk_off,
					      (unsigned long long)s->len,
					      s->file ? "its backing file" : "the disk",
					      (unsigned long long)size);
			break;
		case SEG_ZERO:
		case SEG_BYTES:
			if (s->disk_off || s->file)
				return pv_err(PV_ESANDBOX,
					      "%s segment %zu has an offset",
					      what, i);
			break;
		default:
			return pv_err(PV_ESANDBOX,
				      "%s segment %zu has unknown kind %d",
				      what, i, (int)s->kind);
		}
		if (s->len > max_file || total > max_file - s->len)
			return pv_err(PV_ESANDBOX,
				      "%s is larger than the %llu-byte cap",
				      what, (unsigned long long)max_file);
		total += s->len;
	}
	if (total != b->total)
		return pv_err(PV_ESANDBOX,
			      "%s total %llu does not match its segments (%llu)",
			      what, (unsigned long long)b->total,
			      (unsigned long long)total);
	return 0;
}

/* Nothing but what a failure or a listing carries. */
static int no_boot_fields(const struct boot_result *r, const char *kind)
{
	const char *what = r->args ? "args" :
			   r->kernel_path ? "a kernel path" :
			   r->ramdisk_path ? "a ramdisk path" :
			   r->kernel.n ? "kernel segments" :
			   r->ramdisk.n ? "ramdisk segments" :
			   r->have_ramdisk ? "a ramdisk" : NULL;

	if (what)
		return pv_err(PV_ESANDBOX, "%s with %s", kind, what);
	return 0;
}

static int validate_failure(const struct boot_result *r)
{
	if (!answer_status_ok(r->status))
		return pv_err(PV_ESANDBOX,
			      "status %d is not a failure the worker may report",
			      r->status);
	if (!r->error)
		return pv_err(PV_ESANDBOX, "failure without an error line");
	if (r->text)
		return pv_err(PV_ESANDBOX, "failure with text");
	if (r->backing)
		return pv_err(PV_ESANDBOX, "failure with a backing file name");
	return no_boot_fields(r, "failure");
}

static int validate_boot(const struct boot_result *r, uint64_t disk_size,
			 uint64_t max_file)
{
	int ret;

	if (!r->kernel_path || !*r->kernel_path)
		return pv_err(PV_ESANDBOX, "no kernel path");
	if (!r->args)
		return pv_err(PV_ESANDBOX, "no args");
	if (r->have_ramdisk != 0 && r->have_ramdisk != 1)
		return pv_err(PV_ESANDBOX, "bad have_ramdisk %d",
			      r->have_ramdisk);
	if (r->have_ramdisk != (r->ramdisk_path != NULL))
		return pv_err(PV_ESANDBOX, "%s",
			      r->have_ramdisk ? "a ramdisk without a path"
					      : "a ramdisk path without a ramdisk");
	if (!r->have_ramdisk && r->ramdisk.n)
		return pv_err(PV_ESANDBOX, "ramdisk segments without a ramdisk");
	ret = validate_blob("kernel", &r->kernel, disk_size, max_file);
	if (ret < 0)
		return ret;
	ret = validate_blob("ramdisk", &r->ramdisk, disk_size, max_file);
	if (ret < 0)
		return ret;
	if (strlen(r->args) > PV_MAX_ARGS)
		return pv_err(PV_ESANDBOX, "args are %zu bytes (cap %d)",
			      strlen(r->args), PV_MAX_ARGS);
	if (!wire_text_ok(r->args, 0))
		return pv_err(PV_ESANDBOX,
			      "args contain a control character or invalid UTF-8");
	if (!wire_text_ok(r->kernel_path, 0))
		return pv_err(PV_ESANDBOX,
			      "kernel path contains a control character or invalid UTF-8");
	if (r->ramdisk_path && (!*r->ramdisk_path ||
				!wire_text_ok(r->ramdisk_path, 0)))
		return pv_err(PV_ESANDBOX,
			      "ramdisk path is empty or contains a control character or invalid UTF-8");
	return 0;
}

/* --json: the worker sends the entry records as text beside a boot
 * answer (jsonout.c decodes them strictly); set by the supervisor from
 * its own command line, never from the worker. */
static int text_with_boot;

void validate_allow_text_with_boot(int on)
{
	text_with_boot = on;
}

/* --allow-backing: the worker may ask for a backing file (set by the
 * supervisor from its own command line). */
static int backing_ok;

void validate_allow_backing(int on)
{
	backing_ok = on;
}

int validate_answer(const struct boot_result *r, int code, uint64_t disk_size,
		    uint64_t max_file)
{
	int ret;

	if (code > 0 || code < PV_ESANDBOX)
		return pv_err(PV_ESANDBOX, "unknown code %d", code);
	if (code < 0)
		return validate_failure(r);
	if (r->status != 0)
		return pv_err(PV_ESANDBOX, "status %d without an error code",
			      r->status);
	if (r->error)
		return pv_err(PV_ESANDBOX, "success with an error line");
	if (r->backing) { /* "needs backing file NAME": nothing else */
		const char *name = r->backing;

		if (!backing_ok)
			return pv_err(PV_ESANDBOX, "a backing file name without --allow-backing");
		if (r->text)
			return pv_err(PV_ESANDBOX, "a backing file name with text");
		ret = no_boot_fields(r, "a backing file name");
		if (ret < 0)
			return ret;
		if (!*name || !wire_text_ok(name, 0))
			return pv_err(PV_ESANDBOX,
				      "backing file name is empty or contains a control character or invalid UTF-8");
		return 0;
	}
	if (r->text) {
		if (!wire_text_ok(r->text, 1))
			return pv_err(PV_ESANDBOX,
				      "text has a control character or invalid UTF-8");
		if (!text_with_boot || !r->kernel_path)
			return no_boot_fields(r, "text");
	}
	return validate_boot(r, disk_size, max_file);
}
