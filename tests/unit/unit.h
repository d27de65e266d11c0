/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny unit-test header (after redis' testhelp.h): CHECK(cond) records a
 * failure with its line; unit_report() prints "N passed, N failed" and
 * returns the exit status. */
#ifndef PVBOOT_TESTS_UNIT_H
#define PVBOOT_TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;

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
	printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
