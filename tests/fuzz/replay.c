/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Replay driver: run the target on every file named (directories are
 * walked one level).  Exit 0 when all ran; a crash is the failure. */
#include "tests/fuzz/fuzz.h"
#include "common/err.h"

#include <dirent.h>
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

int main(int argc, char **argv)
{
	int i, bad = 0;

	pv_quiet_warnings = 1;
	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *de;
			char p[4096];

			while (d && (de = readdir(d))) {
				if (de->d_name[0] == '.')
					continue;
				snprintf(p, sizeof(p), "%s/%s", argv[i], de->d_name);
				if (run_file(p) < 0)
					bad++;
			}
			if (d)
				closedir(d);
		} else if (run_file(argv[i]) < 0) {
			bad++;
		}
	}
	printf("%s: replayed %d inputs\n", argv[0], ran);
	return bad ? 1 : 0;
}
