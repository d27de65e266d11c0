/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Replay driver: run the target on every file named (directories are
 * walked one level).  The first argument is the target's committed corpus:
 * finding no input there is a failure (a replay of nothing proves
 * nothing).  Exit 0 when all ran; a crash is the failure.  Counts go to
 * $PV_COUNTS as "fuzz:NAME replayed 0 0" (tests/sum-counts.sh). */
#include "tests/fuzz/fuzz.h"
#include "common/err.h"

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int ran;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return perror(path), -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	ran++;
	return 0;
}

static int replay_path(const char *path)
{
	struct stat st;
	int bad = 0;

	if (stat(path, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		char p[4096];

		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
			if (run_file(p) < 0)
				bad++;
		}
		if (d)
			closedir(d);
	} else if (run_file(path) < 0) {
		bad++;
	}
	return bad;
}

int main(int argc, char **argv)
{
	int i, bad = 0, corpus = 0;
	const char *counts = getenv("PV_COUNTS");
	char *name = basename(argv[0]);

	if (strncmp(name, "replay_", 7) == 0)
		name += 7;
	pv_quiet_warnings = 1;
	for (i = 1; i < argc; i++) {
		bad += replay_path(argv[i]);
		if (i == 1)
			corpus = ran;
	}
	if (argc > 1 && corpus == 0) {
		fprintf(stderr, "FAIL fuzz:%s: no corpus inputs in %s\n", name,
			argv[1]);
		bad++;
	}
	printf("fuzz:%s: %d passed, %d failed, 0 skipped (inputs replayed)\n",
	       name, ran, bad);
	if (counts && *counts) {
		FILE *f = fopen(counts, "a");

		if (f) {
			fprintf(f, "fuzz:%s %d %d 0\n", name, ran, bad);
			fclose(f);
		}
	}
	return bad ? 1 : 0;
}
