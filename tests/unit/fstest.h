/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the filesystem unit tests (test_ext, test_xfs, test_btrfs,
 * test_fat, test_iso9660): shell commands and host files for building
 * images, an image opened as a disk with one whole volume and mounted
 * (by one backend or through the registry), and comparisons of a guest
 * file's bytes, extents and directory listing with what the test wrote.
 *
 * None of these CHECKs anything: unit.h's counters belong to each test's
 * own translation unit, so the helpers return what they saw and the tests
 * keep their assertions.
 */
#ifndef PVBOOT_TESTS_FSTEST_H
#define PVBOOT_TESTS_FSTEST_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"
#include "partition/disk.h"

/* ---- host side ---- */

/* Run a shell command built like printf; its exit status (-1 if it did
 * not exit).  A failure is reported on stderr with the command. */
int fstest_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A fresh directory ${TMPDIR:-/tmp}/pvboot-NAME-XXXXXX into buf; 0 or -1
 * (reported with perror). */
int fstest_mkdtemp(char *buf, size_t size, const char *name);
/* n pseudo-random bytes that depend only on seed (xorshift). */
void fstest_fill(uint8_t *p, size_t n, uint64_t seed);
/* Create or truncate path with len bytes; 0 or -1. */
int fstest_write_file(const char *path, const void *buf, size_t len);
/* Overwrite len bytes at off in an existing file; 0 or -1. */
int fstest_write_at(const char *path, uint64_t off, const void *buf,
		    size_t len);
/* Copy img to dst (sparse) and overwrite len bytes at off (none when len
 * is 0); 0 or -1. */
int fstest_patch_copy(const char *img, const char *dst, uint64_t off,
		      const void *bytes, size_t len);
/* A whole host file in a malloc'd buffer (NULL if missing, empty or
 * unreadable); *len is set to its size whenever it could be opened. */
uint8_t *fstest_load(const char *path, size_t *len);

/* ---- an image as a disk with one volume ---- */

struct fstest_img {
	uint8_t *data; /* the image's bytes, for one held in memory */
	size_t len;
	struct disk d;
	struct volume v;
	struct fs *fs; /* NULL until mounted */
};

/* Open the image file at path; the volume starts at offset and runs
 * length bytes (0: to the end of the disk). */
int fstest_open(struct fstest_img *m, const char *path, uint64_t offset,
		uint64_t length);
/* The same for m->data and m->len. */
void fstest_open_mem(struct fstest_img *m, const char *name, uint64_t offset,
		     uint64_t length);
/* Mount the opened volume: probe and mount with ops, or through the
 * registry (fs_mount_any) when ops is NULL.  0 or the error code. */
int fstest_mount_vol(struct fstest_img *m, const struct fs_ops *ops);
/* fstest_open + fstest_mount_vol; the disk is closed again on failure. */
int fstest_mount(struct fstest_img *m, const char *path, uint64_t offset,
		 uint64_t length, const struct fs_ops *ops);
/* fstest_open_mem + fstest_mount_vol. */
int fstest_mount_mem(struct fstest_img *m, const char *name, uint64_t offset,
		     uint64_t length, const struct fs_ops *ops);
/* Unmount if mounted and close the disk. */
void fstest_unmount(struct fstest_img *m);

/* ---- a guest file against what the test wrote ---- */

/* Walk an absolute path with the backend's lookup, following no
 * symlinks (fs/path.c does the real walking in a run). */
int fstest_walk(struct fs *fs, const char *path, struct fs_node *out);
/* The whole file, read in chunks of chunk bytes (odd sizes cross block
 * edges); NULL if a read fails or stops early. */
uint8_t *fstest_read_all(struct fs *fs, const struct fs_node *n,
			 size_t chunk);
/* The file at path (walked) is regular, len bytes long and holds want;
 * 1 or 0, with the reason on stderr. */
int fstest_file_equals(struct fs *fs, const char *path, const uint8_t *want,
		       size_t len);

/* What a file's extent map was seen to hold. */
struct fstest_extents {
	const struct disk *disk;
	const uint8_t *want;
	uint64_t len;  /* bytes of want */
	uint64_t next; /* file offset where the next extent must start */
	int data_extents, zero_extents;
	int bad; /* extents out of order, empty, past want or with other bytes */
};
/* Map n with its backend's extents(): every extent must follow the last
 * one, lie inside want and hold want's bytes on the disk (a zero extent:
 * zeros).  Returns extents()'s result; c says what was seen. */
int fstest_extents(struct fstest_img *m, const struct fs_node *n,
		   const uint8_t *want, size_t len, struct fstest_extents *c);
/* The same for the file at path (walked): 0 when the map covers exactly
 * want, a negative code from the walk or extents(), 99 when the file's
 * size is not len, 98 when the map is wrong. */
int fstest_extents_match(struct fstest_img *m, const char *path,
			 const uint8_t *want, size_t len,
			 struct fstest_extents *c);

/* pv_errmsg() holds s; if not, both are shown on stderr. */
int fstest_msg_has(const char *s);

/* What a directory listing held. */
struct fstest_listing {
	int n;          /* entries */
	int dots;       /* "." or "..", or a length that is not the name's */
	int seen_first, seen_last;
};
/* List dir with the backend's readdir, looking for the names first and
 * last; readdir's result. */
int fstest_list(struct fs *fs, const struct fs_node *dir, const char *first,
		const char *last, struct fstest_listing *out);

#endif
