/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * copy_runs.h: runs of a disk copied into an output file give exactly the
 * bytes of the runs at their output offsets, whatever their alignment
 * (block-aligned runs go through copy_file_range, others are gathered into
 * large writes, a run whose disk and output offsets share a phase is split
 * into a gathered head, a kernel-copied body and a gathered tail).
 */
#include "bootloader/privileged/copy_runs.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DISK_SIZE (8u << 20)

struct run { uint64_t in_off, out_off, len; };

static uint8_t *disk, *want, *got;

/* copy the runs into a fresh file; 1 if its bytes are what they should be */
static int try_runs(int diskfd, const char *dir, const struct run *r, int n,
		    uint64_t size)
{
	char path[256];
	struct copy_runs c;
	int out, i, ok = 1;
	ssize_t got_n;

	snprintf(path, sizeof(path), "%s/out", dir);
	out = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (out < 0)
		return 0;
	memset(want, 0, size);
	copy_runs_init(&c, out);
	for (i = 0; i < n && ok; i++) {
		memcpy(want + r[i].out_off, disk + r[i].in_off, r[i].len);
		ok = copy_runs_add(&c, diskfd, r[i].in_off, r[i].out_off,
				   r[i].len) == 0;
	}
	ok = ok && copy_runs_flush(&c) == 0 && ftruncate(out, (off_t)size) == 0;
	got_n = pread(out, got, size, 0);
	ok = ok && got_n == (ssize_t)size && memcmp(want, got, size) == 0;
	close(out);
	unlink(path);
	return ok;
}

int main(void)
{
	char dir[] = "/tmp/pvboot-copyruns.XXXXXX", path[256];
	int fd, i;
	uint32_t x = 12345;

	disk = malloc(DISK_SIZE);
	want = malloc(DISK_SIZE);
	got = malloc(DISK_SIZE);
	if (!disk || !want || !got || !mkdtemp(dir))
		return 1;
	for (i = 0; i < (int)DISK_SIZE; i++) {
		x = x * 1103515245u + 12345u;
		disk[i] = (uint8_t)(x >> 16);
	}
	snprintf(path, sizeof(path), "%s/disk", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, disk, DISK_SIZE) != (ssize_t)DISK_SIZE)
		return 1;
	{
		/* block-aligned: one kernel copy */
		struct run a[] = { { 4096, 0, 3u << 20 } };
		/* aligned body with a short tail, then a second run */
		struct run b[] = { { 8192, 0, 5000 }, { 65536, 5000, 70000 } };
		/* 1 KiB-phase runs (a guest filesystem of 1 KiB blocks),
		 * phases that never match the output's */
		struct run c[] = { { 1024, 0, 2u << 20 },
				   { 3u << 20, 2u << 20, 1024 },
				   { (5u << 20) + 3072, (2u << 20) + 1024, 1500000 } };
		/* same phase: gathered head, kernel body, gathered tail */
		struct run d[] = { { 1024, 1024, 3000000 } };
		/* many tiny runs, more than the buffer (256 KiB) holds */
		struct run e[600];
		/* a hole between runs (a sparse file's zeros) */
		struct run f[] = { { 512, 0, 700 }, { 9000, 100000, 4096 },
				   { 16384, 200704, 8192 } };
		uint64_t o = 0;

		CHECK(try_runs(fd, dir, a, 1, 3u << 20));
		CHECK(try_runs(fd, dir, b, 2, 75000));
		CHECK(try_runs(fd, dir, c, 3, (2u << 20) + 1024 + 1500000));
		CHECK(try_runs(fd, dir, d, 1, 1024 + 3000000));
		for (i = 0; i < 600; i++) {
			e[i].in_off = (uint64_t)(599 - i) * 9000 + 7;
			e[i].out_off = o;
			e[i].len = 2000 + (uint64_t)i;
			o += e[i].len;
		}
		CHECK(try_runs(fd, dir, e, 600, o));
		CHECK(try_runs(fd, dir, f, 3, 200704 + 8192));
	}
	{
		/* a run past the disk's end is an error, not a short file */
		struct copy_runs c;
		int out;

		snprintf(path, sizeof(path), "%s/out", dir);
		out = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		copy_runs_init(&c, out);
		CHECK(copy_runs_add(&c, fd, DISK_SIZE - 100, 1, 4096) < 0);
		CHECK(copy_runs_add(&c, fd, DISK_SIZE - 4096, 0, 8192) < 0);
		close(out);
		unlink(path);
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/disk", dir);
	unlink(path);
	rmdir(dir);
	free(disk);
	free(want);
	free(got);
	return unit_report("copy_runs");
}
