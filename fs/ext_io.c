/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The read-only volume io_manager for libext2fs.  libext2fs names its device
 * with a string; ours carries the struct volume pointer ("pvboot-vol:%p"),
 * which only this process ever writes or parses.
 */
#include "fs/ext_io.h"
#include "common/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_PREFIX "pvboot-vol:"

void ext_io_name(const struct volume *v, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, NAME_PREFIX "%p", (const void *)v);
}

static errcode_t vol_io_open(const char *name, int flags, io_channel *out)
{
	io_channel ch;
	void *p = NULL;
	errcode_t err;

	if (!name || strncmp(name, NAME_PREFIX, strlen(NAME_PREFIX)) != 0 ||
	    sscanf(name + strlen(NAME_PREFIX), "%p", &p) != 1 || !p)
		return EXT2_ET_BAD_DEVICE_NAME;
	if (flags & IO_FLAG_RW)
		return EXT2_ET_RO_FILSYS;
	err = ext2fs_get_memzero(sizeof(*ch), &ch);
	if (err)
		return err;
	err = ext2fs_get_mem(strlen(name) + 1, &ch->name);
	if (err) {
		ext2fs_free_mem(&ch);
		return err;
	}
	strcpy(ch->name, name);
	ch->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	ch->manager = ext_vol_io_manager;
	ch->block_size = 1024;
	ch->refcount = 1;
	ch->private_data = p;
	*out = ch;
	return 0;
}

static errcode_t vol_io_close(io_channel ch)
{
	if (--ch->refcount > 0)
		return 0;
	ext2fs_free_mem(&ch->name);
	ext2fs_free_mem(&ch);
	return 0;
}

static errcode_t vol_io_set_blksize(io_channel ch, int blksize)
{
	/* libext2fs asks for 1024 (superblock) and then the fs block size;
	 * block sizes above 64 KiB are never valid ext block sizes. */
	if (blksize < 512 || blksize > 65536)
		return EXT2_ET_INVALID_ARGUMENT;
	ch->block_size = blksize;
	return 0;
}

/* count > 0: that many blocks; count < 0: -count bytes (libext2fs's
 * convention for sub-block reads such as the superblock). */
static errcode_t vol_io_read_blk64(io_channel ch, unsigned long long block,
				   int count, void *data)
{
	const struct volume *v = ch->private_data;
	uint64_t bs = (uint64_t)ch->block_size, len, off;

	if (count < 0)
		len = (uint64_t)-(int64_t)count;
	else
		len = (uint64_t)count * bs;
	if (len == 0)
		return 0;
	if (block > UINT64_MAX / bs || len > SIZE_MAX)
		return EXT2_ET_SHORT_READ;
	off = block * bs;
	if (vol_read(v, off, data, (size_t)len) < 0)
		return EXT2_ET_SHORT_READ;
	return 0;
}

static errcode_t vol_io_read_blk(io_channel ch, unsigned long block,
				 int count, void *data)
{
	return vol_io_read_blk64(ch, block, count, data);
}

static errcode_t vol_io_write_blk64(io_channel ch, unsigned long long block,
				    int count, const void *data)
{
	(void)ch;
	(void)block;
	(void)count;
	(void)data;
	return EXT2_ET_RO_FILSYS;
}

static errcode_t vol_io_write_blk(io_channel ch, unsigned long block,
				  int count, const void *data)
{
	return vol_io_write_blk64(ch, block, count, data);
}

static errcode_t vol_io_write_byte(io_channel ch, unsigned long offset,
				   int count, const void *data)
{
	return vol_io_write_blk64(ch, offset, count, data);
}

static errcode_t vol_io_flush(io_channel ch)
{
	(void)ch;
	return 0;
}

static errcode_t vol_io_set_option(io_channel ch, const char *option,
				   const char *arg)
{
	(void)ch;
	(void)option;
	(void)arg;
	return EXT2_ET_INVALID_ARGUMENT;
}

static struct struct_io_manager vol_io_manager = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "pvboot volume I/O manager",
	.open = vol_io_open,
	.close = vol_io_close,
	.set_blksize = vol_io_set_blksize,
	.read_blk = vol_io_read_blk,
	.write_blk = vol_io_write_blk,
	.flush = vol_io_flush,
	.write_byte = vol_io_write_byte,
	.set_option = vol_io_set_option,
	.read_blk64 = vol_io_read_blk64,
	.write_blk64 = vol_io_write_blk64,
};

io_manager ext_vol_io_manager = &vol_io_manager;
