/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks of a worker's result (see validate.h). */
#include "bootloader/privileged/validate.h"
#include "common/err.h"
#include "common/pvlimits.h"
#include "common/sanitize.h"

#include <string.h>

static int validate_blob(const char *what, const struct blob *b,
			 uint64_t disk_size, uint64_t max_file)
{
	uint64_t total = 0;
	size_t i;

	if (b->n > PV_MAX_SEGMENTS)
		return pv_err(PV_ESANDBOX, "%s has %zu segments (cap %d)",
			      what, b->n, PV_MAX_SEGMENTS);
	if (b->n && !b->segs)
		return pv_err(PV_ESANDBOX, "%s has no segment table", what);
	for (i = 0; i < b->n; i++) {
		const struct seg *s = &b->segs[i];

		switch (s->kind) {
		case SEG_DISK:
			/* off + len <= disk_size, written so it cannot wrap */
			if (s->disk_off > disk_size ||
			    s->len > disk_size - s->disk_off)
				return pv_err(PV_ESANDBOX,
					      "%s segment %zu (offset %llu, length %llu) lies outside the disk (%llu bytes)",
					      what, i,
					      (unsigned long long)s->disk_off,
					      (unsigned long long)s->len,
					      (unsigned long long)disk_size);
			break;
		case SEG_ZERO:
			if (s->disk_off)
				return pv_err(PV_ESANDBOX,
					      "%s hole segment %zu has an offset",
					      what, i);
			break;
		case SEG_BYTES:
			if (s->len && !s->bytes)
				return pv_err(PV_ESANDBOX,
					      "%s segment %zu has no bytes",
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

/* The worker's own predicate (common/sanitize.c), checked again here:
 * args and paths are UTF-8 without a control, C1, bidi control or line
 * separator. */
static int has_control(const char *s)
{
	return pv_text_unsafe_at(s, strlen(s), PV_TEXT_UTF8, NULL) >= 0;
}

/* Text (--list-entries, --isconfig) is valid UTF-8 whose only unsafe
 * characters are '\n' and '\t'.  Offset of the first bad byte, or -1. */
static long text_bad_at(const char *s)
{
	return pv_text_unsafe_at(s, strlen(s), PV_TEXT_NL_TAB | PV_TEXT_UTF8,
				 NULL);
}

int validate_result(const struct boot_result *r, uint64_t disk_size,
		    uint64_t max_file)
{
	long bad;
	int ret;

	ret = validate_blob("kernel", &r->kernel, disk_size, max_file);
	if (ret < 0)
		return ret;
	ret = validate_blob("ramdisk", &r->ramdisk, disk_size, max_file);
	if (ret < 0)
		return ret;
	if (!r->have_ramdisk && r->ramdisk.n)
		return pv_err(PV_ESANDBOX, "ramdisk segments without a ramdisk");
	if (r->args) {
		if (strlen(r->args) > PV_MAX_ARGS)
			return pv_err(PV_ESANDBOX,
				      "args are %zu bytes (cap %d)",
				      strlen(r->args), PV_MAX_ARGS);
		if (has_control(r->args))
			return pv_err(PV_ESANDBOX,
				      "args contain a control character");
	}
	if (r->kernel_path && has_control(r->kernel_path))
		return pv_err(PV_ESANDBOX,
			      "kernel path contains a control character");
	if (r->ramdisk_path && has_control(r->ramdisk_path))
		return pv_err(PV_ESANDBOX,
			      "ramdisk path contains a control character");
	if (r->text) {
		bad = text_bad_at(r->text);
		if (bad >= 0)
			return pv_err(PV_ESANDBOX,
				      "text has a control character or invalid UTF-8 at byte %ld",
				      bad);
	}
	return 0;
}
