/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What pvboot prints: the unsafe-character predicate shared by the worker
 * and the supervisor, pv_sanitize, and the sxp quoting, which must be
 * exactly Python's repr() of a str (checked against python3 on thousands
 * of random strings when python3 has the table's Unicode version).
 */
#include "common/pyrepr.h"
#include "common/sanitize.h"
#include "common/strbuf.h"
#include "tests/unit/unit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long at(const char *s, unsigned flags)
{
	return pv_text_unsafe_at(s, strlen(s), flags, NULL);
}

static void test_predicate(void)
{
	/* each class, alone and after a prefix */
	static const char *const unsafe[] = {
		"\x01", "\x1b", "\n", "\t", "\x7f",
		"\x9b", "\x80", "\x85",              /* lone C1 bytes */
		"\xc2\x80", "\xc2\x9b", "\xc2\x9f",  /* U+0080..U+009F */
		"\xd8\x9c",                          /* U+061C */
		"\xe2\x80\x8e", "\xe2\x80\x8f",      /* U+200E, U+200F */
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
		"\xe2\x80\xae",                      /* U+202A..U+202E */
		"\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
		"\xe2\x81\xa9",                      /* U+2066..U+2069 */
		"\xe2\x80\xa8", "\xe2\x80\xa9",      /* U+2028, U+2029 */
	};
	static const char *const safe[] = {
		"", "root=/dev/xvda1 ro quiet", "Caf\xc3\xa9", "\xc2\xa0",
		"\xe6\xbc\xa2\xe5\xad\x97", "\xf0\x9f\x98\x80",
		"\xe2\x80\x8b",     /* U+200B zero width space: not bidi */
		"\xe2\x80\xa9" + 3, /* empty */
		"\xe9t\xe9",        /* Latin-1 letters: invalid UTF-8, not C1 */
		"\xc2\xa0\xc2\xbf", "\xe2\x81\xa5", "\xe2\x81\xaa",
		"\xe2\x80\xa7", "\xe2\x80\xaf", "\xd8\x9b", "\xd8\x9d",
	};
	size_t i;
	uint32_t cp;
	char buf[64];

	for (i = 0; i < sizeof(unsafe) / sizeof(*unsafe); i++) {
		CHECK(at(unsafe[i], 0) == 0);
		snprintf(buf, sizeof(buf), "ab%s", unsafe[i]);
		CHECK(at(buf, 0) == 2);
		snprintf(buf, sizeof(buf), "%s", unsafe[i]);
		if (strcmp(buf, "\n") && strcmp(buf, "\t"))
			CHECK(at(buf, PV_TEXT_NL_TAB) == 0);
	}
	for (i = 0; i < sizeof(safe) / sizeof(*safe); i++)
		CHECK(at(safe[i], 0) == -1);
	CHECK(at("a\nb\tc", PV_TEXT_NL_TAB) == -1);
	CHECK(at("\xe9t\xe9", PV_TEXT_UTF8) == 0);
	CHECK(at("ok\xe2\x80", PV_TEXT_UTF8) == 2); /* truncated sequence */
	CHECK(at("\xed\xa0\x80", PV_TEXT_UTF8) == 0); /* surrogate */
	CHECK(at("\xc0\xaf", PV_TEXT_UTF8) == 0);     /* overlong */
	CHECK(pv_text_unsafe_at("x\xe2\x80\xae", 4, 0, &cp) == 1 && cp == 0x202e);
	CHECK(pv_text_unsafe_at("x\x9b", 2, 0, &cp) == 1 && cp == 0x9b);
	CHECK(pv_text_unsafe_at("\xc2\x85", 2, 0, &cp) == 0 && cp == 0x85);
}

static const char *san(const char *s)
{
	static char buf[256];

	return pv_sanitize(buf, sizeof(buf), s, strlen(s));
}

static void test_sanitize(void)
{
	CHECK_STR(san("plain text"), "plain text");
	CHECK_STR(san("Caf\xc3\xa9"), "Caf\xc3\xa9");
	CHECK_STR(san("a\x1b[2Jb"), "a\\x1b[2Jb");
	CHECK_STR(san("a\x9b" "31m"), "a\\x9b31m");
	CHECK_STR(san("a\xc2\x9b" "31m"), "a\\xc2\\x9b31m");
	CHECK_STR(san("\xd8\x9c"), "\\xd8\\x9c");
	CHECK_STR(san("\xe2\x80\x8e\xe2\x80\x8f"), "\\xe2\\x80\\x8e\\xe2\\x80\\x8f");
	CHECK_STR(san("x\xe2\x81\xa6y"), "x\\xe2\\x81\\xa6y");
	CHECK_STR(san("line\xe2\x80\xa8two\xe2\x80\xa9"),
		  "line\\xe2\\x80\\xa8two\\xe2\\x80\\xa9");
	CHECK_STR(san("\xe9"), "\\xe9");
	/* the output is itself safe, for every class */
	CHECK(at(san("\x01\x9b\xc2\x85\xe2\x80\xae\xe2\x80\xa8\xd8\x9c"),
		 PV_TEXT_UTF8) == -1);
}

static const char *repr(const char *s)
{
	static char out[1024];
	struct strbuf b;
	char *p;

	sb_init(&b, 4096);
	pv_pyrepr(&b, s, strlen(s));
	p = sb_take(&b);
	snprintf(out, sizeof(out), "%s", p ? p : "(null)");
	free(p);
	return out;
}

/* Expected values written by python3: repr(b.decode("utf-8",
 * "surrogateescape")). */
static void test_repr_fixed(void)
{
	CHECK_STR(repr(""), "''");
	CHECK_STR(repr("/boot/vmlinuz"), "'/boot/vmlinuz'");
	CHECK_STR(repr("it's"), "\"it's\"");
	CHECK_STR(repr("say \"hi\""), "'say \"hi\"'");
	CHECK_STR(repr("both ' and \""), "'both \\' and \"'");
	CHECK_STR(repr("back\\slash"), "'back\\\\slash'");
	CHECK_STR(repr("t\tn\nr\r"), "'t\\tn\\nr\\r'");
	CHECK_STR(repr("\x01\x1b\x7f"), "'\\x01\\x1b\\x7f'");
	CHECK_STR(repr("\xc2\x85\xc2\xa0\xc2\xad"), "'\\x85\\xa0\\xad'");
	CHECK_STR(repr("Caf\xc3\xa9"), "'Caf\xc3\xa9'");
	CHECK_STR(repr("\xe2\x80\xae\xe2\x80\xa8\xd8\x9c"),
		  "'\\u202e\\u2028\\u061c'");
	CHECK_STR(repr("\xe9\x9b"), "'\\udce9\\udc9b'");
	CHECK_STR(repr("\xf3\xa0\x80\x81"), "'\\U000e0001'");
	CHECK_STR(repr("\xf0\x9f\x98\x80"), "'\xf0\x9f\x98\x80'");
	CHECK_STR(repr("\xed\xa0\x80"), "'\\udced\\udca0\\udc80'");
}

/* Random byte strings biased towards the interesting classes, compared
 * with python3's repr one by one. */
static void test_repr_python(void)
{
	static const char *const pieces[] = {
		"a", "'", "\"", "\\", "\t", "\n", "\r", "\x01", "\x1b", "\x7f",
		"\x80", "\x9b", "\xe9", "\xff", "\xc2\x85", "\xc2\xa0", "\xc2\xad",
		"\xc3\xa9", "\xd8\x9c", "\xe2\x80\x8b", "\xe2\x80\x8e",
		"\xe2\x80\xae", "\xe2\x80\xa8", "\xe2\x81\xa6", "\xe3\x80\x80",
		"\xef\xbb\xbf", "\xef\xbf\xbf", "\xed\xa0\x80", "\xf0\x9f\x98\x80",
		"\xf3\xa0\x80\x81", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80",
		"\xe2\x80", "\xcd\xb8", " ", "z",
	};
	const size_t np = sizeof(pieces) / sizeof(*pieces), N = 4000;
	char dir[] = "/tmp/pvboot-test-text.XXXXXX", in[64], out[128], cmd[512];
	char line[8192];
	FILE *f;
	size_t i, k, bad = 0, seen = 0;
	unsigned seed = 12345;
	char **inputs;

	if (access("/usr/bin/python3", X_OK) != 0) {
		UNIT_SKIP("text: python3 not found: repr cross-check");
		return;
	}
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(in, sizeof(in), "%s/in", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	inputs = calloc(N, sizeof(*inputs));
	f = fopen(in, "w");
	CHECK(f && inputs);
	if (!f || !inputs)
		return;
	for (i = 0; i < N; i++) {
		struct strbuf b;
		size_t n = 1 + (seed = seed * 1103515245 + 12345) % 12;

		sb_init(&b, 4096);
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			sb_puts(&b, pieces[(seed >> 8) % np]);
		}
		/* and now and then any code point at all */
		if (i % 3 == 0) {
			uint32_t cp = (seed = seed * 1103515245 + 12345) % 0x110000;
			char u[5];

			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xe000;
			if (cp == 0)
				cp = 1;
			if (cp < 0x80) {
				u[0] = (char)cp, u[1] = 0;
			} else if (cp < 0x800) {
				u[0] = (char)(0xc0 | cp >> 6);
				u[1] = (char)(0x80 | (cp & 0x3f)), u[2] = 0;
			} else if (cp < 0x10000) {
				u[0] = (char)(0xe0 | cp >> 12);
				u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[2] = (char)(0x80 | (cp & 0x3f)), u[3] = 0;
			} else {
				u[0] = (char)(0xf0 | cp >> 18);
				u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
				u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[3] = (char)(0x80 | (cp & 0x3f)), u[4] = 0;
			}
			sb_puts(&b, u);
		}
		inputs[i] = sb_take(&b);
		for (k = 0; inputs[i][k]; k++)
			fprintf(f, "%02x", (unsigned char)inputs[i][k]);
		fputc('\n', f);
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys, unicodedata\n"
		 "print(unicodedata.unidata_version)\n"
		 "for l in open(sys.argv[1]):\n"
		 "    s = bytes.fromhex(l.strip()).decode(\"utf-8\", \"surrogateescape\")\n"
		 "    print(repr(s).encode(\"utf-8\", \"surrogateescape\").hex())\n"
		 "' %s > %s", in, out);
	CHECK(system(cmd) == 0);
	f = fopen(out, "r");
	CHECK(f != NULL);
	if (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, pv_pyrepr_unicode_version) != 0) {
			printf("text: python3 has Unicode %s, the table %s\n",
			       line, pv_pyrepr_unicode_version);
			UNIT_SKIP("text: repr cross-check (Unicode versions differ)");
			fclose(f);
			f = NULL;
		}
	}
	for (i = 0; f && i < N && fgets(line, sizeof(line), f); i++) {
		const char *want = NULL;
		char got[4096], hex[8192];
		struct strbuf b;
		char *r;

		line[strcspn(line, "\n")] = '\0';
		sb_init(&b, 8192);
		pv_pyrepr(&b, inputs[i], strlen(inputs[i]));
		r = sb_take(&b);
		hex[0] = '\0';
		for (k = 0; r && r[k] && 2 * k + 3 < sizeof(hex); k++)
			sprintf(hex + 2 * k, "%02x", (unsigned char)r[k]);
		snprintf(got, sizeof(got), "%s", r ? r : "");
		if (strcmp(hex, line) != 0) {
			want = line;
			if (bad++ < 5)
				fprintf(stderr, "text: repr differs: got %s want hex %s\n",
					san(got), want);
		}
		seen++;
		free(r);
	}
	if (f)
		fclose(f);
	if (f || seen) {
		CHECK(seen == N);
		CHECK(bad == 0);
	}
	for (i = 0; i < N; i++)
		free(inputs[i]);
	free(inputs);
	unlink(in);
	unlink(out);
	rmdir(dir);
}

int main(void)
{
	test_predicate();
	test_sanitize();
	test_repr_fixed();
	test_repr_python();
	return unit_report("text");
}
