/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny unit-test header (after redis' testhelp.h): CHECK(cond) records a
 * failure with its line; UNIT_SKIP(why) counts a skipped check and prints
 * why; unit_report() prints "NAME: N passed, M failed, K skipped", appends
 * "unit:NAME N M K" to the file named by $PV_COUNTS (tests/sum-counts.sh)
 * and returns the exit status. */
#ifndef PVBOOT_TESTS_UNIT_H
#define PVBOOT_TESTS_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_passed, unit_failed, unit_skipped;

#define UNIT_SKIP(why)                                                     \
	do {                                                               \
		unit_skipped++;                                            \
		printf("skip %s\n", (why));                               \
	} while (0)

#define CHECK(cond)                                                        \
	do {                                                               \
		if (cond) {                                                \
			unit_passed++;                                     \
		} else {                                                   \
			unit_failed++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__,   \
				__LINE__, #cond);                          \
		}                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *a_ = (a), *b_ = (b);                           \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                     \
			unit_passed++;                                     \
		} else {                                                   \
			unit_failed++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s == \"%s\" (got \"%s\")\n", \
				__FILE__, __LINE__, #a, b_ ? b_ : "(null)",   \
				a_ ? a_ : "(null)");                       \
		}                                                          \
	} while (0)

static inline int unit_report(const char *name)
{
	const char *counts = getenv("PV_COUNTS");

	printf("%s: %d passed, %d failed, %d skipped\n", name, unit_passed,
	       unit_failed, unit_skipped);
	if (counts && *counts) {
		FILE *f = fopen(counts, "a");

		if (f) {
			fprintf(f, "unit:%s %d %d %d\n", name, unit_passed,
				unit_failed, unit_skipped);
			fclose(f);
		}
	}
	return unit_failed ? 1 : 0;
}

#endif
