/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ext2/ext3/ext4 through libext2fs, read-only, over fs/ext_io.c (reads go
 * through vol_read only).  libext2fs is fuzzed upstream, but not on every
 * call: we never use ext2fs_namei*() (security.md R1, over-read on a slow
 * symlink with a huge i_size), we validate symlink inodes before reading
 * them, we bound directories before scanning them, we read inline data
 * ourselves (ext2fs_file_read trusts the inline size) and we keep checksum
 * verification on.
 */
#include "fs/fs.h"
#include "fs/ext_io.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <et/com_err.h>
#include <ext2fs/ext2fs.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Superblock: 1024 bytes at byte 1024 of the volume. */
#define SB_OFFSET 1024
#define SB_SIZE 1024
#define SB_MAGIC_OFF 56
/* ext2fs_file_read takes an unsigned int; stay far below it. */
#define READ_CHUNK (1u << 30)
/* Features an ext3 driver knows; anything beyond makes it "ext4". */
#define EXT3_INCOMPAT (EXT2_FEATURE_INCOMPAT_FILETYPE | \
		       EXT3_FEATURE_INCOMPAT_RECOVER | \
		       EXT3_FEATURE_INCOMPAT_JOURNAL_DEV | \
		       EXT2_FEATURE_INCOMPAT_META_BG)
#define EXT3_RO_COMPAT (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
			EXT2_FEATURE_RO_COMPAT_LARGE_FILE | \
			0x0004 /* btree_dir, never used */)

struct ext_fs {
	struct fs base; /* first: struct fs * <-> struct ext_fs * */
	ext2_filsys e2;
	const char *variant;
};

static struct ext_fs *EXT(struct fs *fs)
{
	return (struct ext_fs *)fs;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Record a libext2fs failure as "ext4: <what>: <libext2fs's words>". */
static int ext_err(errcode_t err, const char *what)
{
	int code = PV_ECORRUPT;

	if (err == EXT2_ET_NO_MEMORY)
		code = PV_ENOMEM;
	else if (err == EXT2_ET_UNSUPP_FEATURE || err == EXT2_ET_RO_UNSUPP_FEATURE)
		code = PV_ENOTSUP;
	return pv_err(code, "ext4: %s: %s", what, error_message(err));
}

static int ext_probe(struct volume *v)
{
	uint8_t m[2];

	if (v->length < SB_OFFSET + SB_SIZE)
		return PV_ENOTMINE;
	if (vol_read(v, SB_OFFSET + SB_MAGIC_OFF, m, sizeof(m)) < 0)
		return PV_ENOTMINE;
	return le16(m) == EXT2_SUPER_MAGIC ? 0 : PV_ENOTMINE;
}

/* The checks libext2fs does not do, or does too late, before letting it
 * allocate anything from superblock numbers. */
static int check_superblock(struct volume *v)
{
	uint8_t sb[SB_SIZE];
	uint32_t log_bs, per_group, first, incompat;
	uint64_t blocks, bs, groups;
	int r;

	r = vol_read(v, SB_OFFSET, sb, sizeof(sb));
	if (r < 0)
		return r;
	if (le16(sb + SB_MAGIC_OFF) != EXT2_SUPER_MAGIC)
		return PV_ENOTMINE;
	log_bs = le32(sb + 24);
	/* 1 KiB << 6 = 64 KiB, the largest ext block size */
	if (log_bs > EXT2_MAX_BLOCK_LOG_SIZE - EXT2_MIN_BLOCK_LOG_SIZE)
		return pv_err(PV_ECORRUPT, "ext4: log block size %u is invalid",
			      log_bs);
	incompat = le32(sb + 96);
	if (incompat & EXT3_FEATURE_INCOMPAT_JOURNAL_DEV)
		return pv_err(PV_ENOTSUP,
			      "ext4: external journal device, not a filesystem");
	bs = (uint64_t)EXT2_MIN_BLOCK_SIZE << log_bs;
	blocks = le32(sb + 4);
	if (incompat & EXT4_FEATURE_INCOMPAT_64BIT)
		blocks |= (uint64_t)le32(sb + 0x150) << 32;
	first = le32(sb + 20);
	per_group = le32(sb + 32);
	if (blocks == 0 || per_group == 0 || first >= blocks)
		return pv_err(PV_ECORRUPT,
			      "ext4: superblock block counts are invalid");
	/* The kernel refuses this too ("block count exceeds size of device"). */
	if (blocks > v->length / bs)
		return pv_err(PV_ECORRUPT,
			      "ext4: %llu blocks of %llu bytes do not fit in the volume",
			      (unsigned long long)blocks, (unsigned long long)bs);
	groups = (blocks - first + per_group - 1) / per_group;
	if (groups > PV_MAX_EXT_GROUPS)
		return pv_err(PV_ELIMIT, "ext4: %llu block groups, more than %u",
			      (unsigned long long)groups, PV_MAX_EXT_GROUPS);
	return 0;
}

static const char *variant_of(const struct ext2_super_block *s)
{
	if ((s->s_feature_incompat & ~(uint32_t)EXT3_INCOMPAT) ||
	    (s->s_feature_ro_compat & ~(uint32_t)EXT3_RO_COMPAT))
		return "ext4";
	if (s->s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL)
		return "ext3";
	return "ext2";
}

static void fill_ids(struct ext_fs *e)
{
	const struct ext2_super_block *s = e->e2->super;
	const uint8_t *u = s->s_uuid;
	size_t i, n;
	int any = 0;

	for (i = 0; i < sizeof(s->s_uuid); i++)
		any |= u[i];
	if (any)
		snprintf(e->base.uuid, sizeof(e->base.uuid),
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x%02x%02x%02x%02x",
			 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8],
			 u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	n = strnlen((const char *)s->s_volume_name, sizeof(s->s_volume_name));
	memcpy(e->base.label, s->s_volume_name, n);
	e->base.label[n] = '\0';
}

static int ext_root(struct fs *fs, struct fs_node *out);

static int ext_mount(struct volume *v, struct fs **out)
{
	static int et_ready;
	struct fs_node root;
	char name[64];
	struct ext_fs *e;
	errcode_t err;
	int r;

	*out = NULL;
	r = check_superblock(v);
	if (r < 0)
		return r;
	if (!et_ready) {
		initialize_ext2_error_table();
		et_ready = 1;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return pv_err(PV_ENOMEM, "ext4: out of memory");
	ext_io_name(v, name, sizeof(name));
	/* Read-only, checksums verified (no EXT2_FLAG_IGNORE_CSUM_ERRORS). */
	err = ext2fs_open2(name, NULL, EXT2_FLAG_64BITS, 0, 0,
			   ext_vol_io_manager, &e->e2);
	if (err) {
		free(e);
		return ext_err(err, "cannot open the filesystem");
	}
	if (e->e2->blocksize < EXT2_MIN_BLOCK_SIZE ||
	    e->e2->blocksize > EXT2_MAX_BLOCK_SIZE ||
	    e->e2->blocksize !=
		    (unsigned)EXT2_MIN_BLOCK_SIZE << e->e2->super->s_log_block_size) {
		ext2fs_free(e->e2);
		free(e);
		return pv_err(PV_ECORRUPT, "ext4: block size is invalid");
	}
	e->variant = variant_of(e->e2->super);
	e->base.vol = v;
	fill_ids(e);
	/* the root directory must at least be readable */
	r = ext_root(&e->base, &root);
	if (r < 0) {
		ext2fs_free(e->e2);
		free(e);
		return r;
	}
	*out = &e->base;
	return 0;
}

static void ext_unmount(struct fs *fs)
{
	struct ext_fs *e = EXT(fs);

	/* Nothing was written: free without any flush. */
	ext2fs_free(e->e2);
	free(e);
}

static const char *ext_variant(struct fs *fs)
{
	return EXT(fs)->variant;
}

static int read_inode(struct ext_fs *e, uint64_t ino, struct ext2_inode *in)
{
	char what[48];
	errcode_t err;

	if (ino == 0 || ino > e->e2->super->s_inodes_count)
		return pv_err(PV_ECORRUPT, "ext4: inode number %llu is invalid",
			      (unsigned long long)ino);
	err = ext2fs_read_inode(e->e2, (ext2_ino_t)ino, in);
	if (err) {
		snprintf(what, sizeof(what), "inode %llu",
			 (unsigned long long)ino);
		return ext_err(err, what);
	}
	return 0;
}

static void fill_node(uint64_t ino, const struct ext2_inode *in,
		      struct fs_node *out)
{
	out->ino = ino;
	out->aux = 0;
	out->mode = in->i_mode;
	out->size = EXT2_I_SIZE(in);
}

static int ext_root(struct fs *fs, struct fs_node *out)
{
	struct ext2_inode in;
	int r = read_inode(EXT(fs), EXT2_ROOT_INO, &in);

	if (r < 0)
		return r;
	if (!LINUX_S_ISDIR(in.i_mode))
		return pv_err(PV_ECORRUPT, "ext4: the root is not a directory");
	fill_node(EXT2_ROOT_INO, &in, out);
	return 0;
}

struct count_ctx {
	blk64_t n, max;
};

static int count_block(ext2_filsys e2, blk64_t *blk, e2_blkcnt_t cnt,
		       blk64_t ref, int ref_off, void *priv)
{
	struct count_ctx *c = priv;

	(void)e2, (void)blk, (void)cnt, (void)ref, (void)ref_off;
	return ++c->n > c->max ? BLOCK_ABORT : 0;
}

/*
 * Before libext2fs scans a directory block by block: its size is bounded,
 * and it owns no more blocks than its size says (a block map that loops or
 * lies stops after max+1 blocks instead of walking the whole tree).
 */
static int dir_guard(struct ext_fs *e, uint64_t ino, const struct ext2_inode *in)
{
	uint64_t size = EXT2_I_SIZE(in);
	struct count_ctx c = { 0, 0 };
	errcode_t err;

	if (!LINUX_S_ISDIR(in->i_mode))
		return pv_err(PV_ENOTREG, "ext4: inode %llu is not a directory",
			      (unsigned long long)ino);
	if (in->i_flags & EXT4_INLINE_DATA_FL)
		return 0; /* at most an inode and an xattr block */
	if (size > PV_MAX_DIR_BYTES)
		return pv_err(PV_ELIMIT,
			      "ext4: directory inode %llu is %llu bytes, more than %u",
			      (unsigned long long)ino, (unsigned long long)size,
			      PV_MAX_DIR_BYTES);
	c.max = size / e->e2->blocksize + 1;
	err = ext2fs_block_iterate3(e->e2, (ext2_ino_t)ino,
				    BLOCK_FLAG_READ_ONLY | BLOCK_FLAG_DATA_ONLY,
				    NULL, count_block, &c);
	if (err)
		return ext_err(err, "directory block map");
	if (c.n > c.max)
		return pv_err(PV_ECORRUPT,
			      "ext4: directory inode %llu has more blocks than its size",
			      (unsigned long long)ino);
	return 0;
}

static int ext_lookup(struct fs *fs, const struct fs_node *dir,
		      const char *name, size_t namelen, struct fs_node *out)
{
	struct ext_fs *e = EXT(fs);
	struct ext2_inode in;
	ext2_ino_t ino;
	errcode_t err;
	int r;

	if (namelen == 0 || namelen > EXT2_NAME_LEN)
		return PV_ENOENT;
	r = read_inode(e, dir->ino, &in);
	if (r < 0)
		return r;
	r = dir_guard(e, dir->ino, &in);
	if (r < 0)
		return r;
	err = ext2fs_lookup(e->e2, (ext2_ino_t)dir->ino, name, (int)namelen,
			    NULL, &ino);
	if (err == EXT2_ET_FILE_NOT_FOUND)
		return PV_ENOENT;
	if (err)
		return ext_err(err, "directory lookup");
	r = read_inode(e, ino, &in);
	if (r < 0)
		return r;
	fill_node(ino, &in, out);
	return 0;
}

/*
 * An inline-data inode's bytes, read into a buffer we size ourselves:
 * *data holds *cap bytes (60 in i_block plus the system.data xattr).
 */
static int inline_get(struct ext_fs *e, uint64_t ino, struct ext2_inode *in,
		      char **data, size_t *cap)
{
	size_t size = 0, got = 0;
	errcode_t err;
	char *buf;

	err = ext2fs_inline_data_size(e->e2, (ext2_ino_t)ino, &size);
	if (err)
		return ext_err(err, "inline data");
	/* the xattr lives in the inode or one xattr block */
	if (size < EXT4_MIN_INLINE_DATA_SIZE ||
	    size > EXT4_MIN_INLINE_DATA_SIZE + e->e2->blocksize)
		return pv_err(PV_ECORRUPT, "ext4: inode %llu: inline data size %zu is invalid",
			      (unsigned long long)ino, size);
	buf = malloc(size);
	if (!buf)
		return pv_err(PV_ENOMEM, "ext4: out of memory");
	err = ext2fs_inline_data_get(e->e2, (ext2_ino_t)ino, in, buf, &got);
	if (err || got != size) {
		free(buf);
		return err ? ext_err(err, "inline data") :
			     pv_err(PV_ECORRUPT, "ext4: inode %llu: inline data changed size",
				    (unsigned long long)ino);
	}
	*data = buf;
	*cap = size;
	return 0;
}

/*
 * Symlink targets, validated before anything is read (security.md B14,
 * B15): i_size is non-zero, fits in one block and in the caller's buffer,
 * and the bytes come from where that kind of symlink keeps them.
 */
static int ext_readlink(struct fs *fs, const struct fs_node *n, char *buf,
			size_t bufsz)
{
	struct ext_fs *e = EXT(fs);
	struct ext2_inode in;
	uint64_t size;
	int r;

	r = read_inode(e, n->ino, &in);
	if (r < 0)
		return r;
	if (!LINUX_S_ISLNK(in.i_mode))
		return pv_err(PV_EINVAL, "ext4: inode %llu is not a symbolic link",
			      (unsigned long long)n->ino);
	size = EXT2_I_SIZE(&in);
	if (size == 0 || size > e->e2->blocksize)
		return pv_err(PV_ECORRUPT,
			      "ext4: symbolic link inode %llu has an invalid size %llu",
			      (unsigned long long)n->ino, (unsigned long long)size);
	if (bufsz == 0 || size > bufsz - 1)
		return pv_err(PV_ELIMIT,
			      "ext4: symbolic link target of %llu bytes is too long",
			      (unsigned long long)size);
	if (in.i_flags & EXT4_ENCRYPT_FL)
		return pv_err(PV_ENOTSUP, "ext4: encrypted symbolic link");
	if (in.i_flags & EXT4_INLINE_DATA_FL) {
		char *data;
		size_t cap;

		r = inline_get(e, n->ino, &in, &data, &cap);
		if (r < 0)
			return r;
		if (size > cap) {
			free(data);
			return pv_err(PV_ECORRUPT,
				      "ext4: inline symbolic link is longer than its data");
		}
		memcpy(buf, data, size);
		free(data);
	} else if (size < EXT4_MIN_INLINE_DATA_SIZE &&
		   !(in.i_flags & EXT4_EXTENTS_FL) &&
		   ext2fs_inode_data_blocks2(e->e2, &in) == 0) {
		/* fast symlink: the target is i_block itself */
		memcpy(buf, in.i_block, size);
	} else {
		/* slow symlink: the first (and only) block */
		ext2_file_t f;
		unsigned int got = 0;
		errcode_t err;

		err = ext2fs_file_open2(e->e2, (ext2_ino_t)n->ino, &in, 0, &f);
		if (!err) {
			err = ext2fs_file_read(f, buf, (unsigned int)size, &got);
			ext2fs_file_close(f);
		}
		if (err)
			return ext_err(err, "symbolic link");
		if (got != size)
			return pv_err(PV_ECORRUPT, "ext4: symbolic link is short");
	}
	buf[size] = '\0';
	if (memchr(buf, '\0', size))
		return pv_err(PV_ECORRUPT,
			      "ext4: symbolic link target contains a NUL byte");
	return (int)size;
}

static long read_inline(struct ext_fs *e, uint64_t ino, struct ext2_inode *in,
			uint64_t off, void *buf, size_t len)
{
	char *data;
	size_t cap;
	int r = inline_get(e, ino, in, &data, &cap);

	if (r < 0)
		return r;
	if (EXT2_I_SIZE(in) > cap) {
		free(data);
		return pv_err(PV_ECORRUPT,
			      "ext4: inode %llu: size is larger than its inline data",
			      (unsigned long long)ino);
	}
	memcpy(buf, data + off, len);
	free(data);
	return (long)len;
}

static long ext_read(struct fs *fs, const struct fs_node *n, uint64_t off,
		     void *buf, size_t len)
{
	struct ext_fs *e = EXT(fs);
	struct ext2_inode in;
	uint64_t size;
	size_t done = 0;
	ext2_file_t f;
	errcode_t err;
	int r;

	r = read_inode(e, n->ino, &in);
	if (r < 0)
		return r;
	if (in.i_flags & EXT4_ENCRYPT_FL)
		return pv_err(PV_ENOTSUP, "ext4: inode %llu is encrypted",
			      (unsigned long long)n->ino);
	size = EXT2_I_SIZE(&in);
	if (off >= size || len == 0)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	if (len > READ_CHUNK)
		len = READ_CHUNK;
	if (in.i_flags & EXT4_INLINE_DATA_FL)
		return read_inline(e, n->ino, &in, off, buf, len);
	err = ext2fs_file_open2(e->e2, (ext2_ino_t)n->ino, &in, 0, &f);
	if (err)
		return ext_err(err, "file");
	err = ext2fs_file_llseek(f, off, EXT2_SEEK_SET, NULL);
	while (!err && done < len) {
		unsigned int got = 0;

		err = ext2fs_file_read(f, (char *)buf + done,
				       (unsigned int)(len - done), &got);
		if (!err && got == 0)
			break;
		done += got;
	}
	ext2fs_file_close(f);
	if (err)
		return ext_err(err, "file data");
	if (done > len)
		return pv_err(PV_EIO, "ext4: read returned too much");
	return (long)done;
}

struct dir_ctx {
	fs_dirent_cb cb;
	void *ctx;
	unsigned long count;
	int ret;
};

static int dir_entry(ext2_ino_t dir, int entry, struct ext2_dir_entry *d,
		     int offset, int blocksize, char *buf, void *priv)
{
	struct dir_ctx *c = priv;
	unsigned len = ext2fs_dirent_name_len(d);

	(void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;
	if ((len == 1 && d->name[0] == '.') ||
	    (len == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	if (++c->count > PV_MAX_DIR_ENTRIES) {
		c->ret = pv_err(PV_ELIMIT,
				"ext4: directory has more than %d entries",
				PV_MAX_DIR_ENTRIES);
		return DIRENT_ABORT;
	}
	c->ret = c->cb(c->ctx, d->name, len);
	return c->ret ? DIRENT_ABORT : 0;
}

static int ext_readdir(struct fs *fs, const struct fs_node *dir,
		       fs_dirent_cb cb, void *ctx)
{
	struct ext_fs *e = EXT(fs);
	struct dir_ctx c = { cb, ctx, 0, 0 };
	struct ext2_inode in;
	errcode_t err;
	int r;

	r = read_inode(e, dir->ino, &in);
	if (r < 0)
		return r;
	r = dir_guard(e, dir->ino, &in);
	if (r < 0)
		return r;
	err = ext2fs_dir_iterate2(e->e2, (ext2_ino_t)dir->ino, 0, NULL,
				  dir_entry, &c);
	if (c.ret)
		return c.ret;
	if (err)
		return ext_err(err, "directory");
	return 0;
}

/* Merges mapped blocks into byte extents of the disk, in file order. */
struct map_ctx {
	struct ext_fs *e;
	uint64_t size;         /* file bytes */
	uint64_t nblocks;      /* blocks covering [0, size) */
	uint64_t next;         /* next logical block expected */
	struct fs_extent cur;  /* pending extent, len 0 if none */
	fs_extent_cb cb;
	void *ctx;
	int ret;
};

static int map_flush(struct map_ctx *m)
{
	int r;

	if (m->cur.len == 0)
		return 0;
	r = m->cb(m->ctx, &m->cur);
	m->cur.len = 0;
	return r;
}

/* Logical blocks [lblk, lblk+count) are at physical pblk.. (zero: a hole
 * or unwritten extent).  Returns 1 once past the end of the file. */
static int map_add(struct map_ctx *m, uint64_t lblk, uint64_t pblk,
		   uint64_t count, int zero)
{
	uint64_t bs = m->e->e2->blocksize, vlen = m->e->base.vol->length;
	struct fs_extent x;
	int r;

	if (lblk < m->next) {
		m->ret = pv_err(PV_ECORRUPT,
				"ext4: file block map is out of order at block %llu",
				(unsigned long long)lblk);
		return -1;
	}
	if (lblk >= m->nblocks)
		return 1;
	if (count > m->nblocks - lblk)
		count = m->nblocks - lblk;
	if (lblk > m->next) {
		r = map_add(m, m->next, 0, lblk - m->next, 1);
		if (r)
			return r;
	}
	if (!zero && (pblk == 0 || pblk > vlen / bs || count > vlen / bs - pblk)) {
		m->ret = pv_err(PV_ECORRUPT,
				"ext4: file block %llu maps outside the volume",
				(unsigned long long)lblk);
		return -1;
	}
	x.file_off = lblk * bs;
	x.disk_off = zero ? 0 : m->e->base.vol->offset + pblk * bs;
	x.len = count * bs;
	x.zero = zero;
	if (x.file_off + x.len > m->size) /* the last block is partial */
		x.len = m->size - x.file_off;
	m->next = lblk + count;
	if (m->cur.len && m->cur.zero == x.zero &&
	    m->cur.file_off + m->cur.len == x.file_off &&
	    (x.zero || m->cur.disk_off + m->cur.len == x.disk_off)) {
		m->cur.len += x.len;
		return 0;
	}
	r = map_flush(m);
	if (r) {
		m->ret = r;
		return -1;
	}
	m->cur = x;
	return 0;
}

static int map_block(ext2_filsys e2, blk64_t *blk, e2_blkcnt_t cnt,
		     blk64_t ref, int ref_off, void *priv)
{
	struct map_ctx *m = priv;

	(void)e2, (void)ref, (void)ref_off;
	if (cnt < 0)
		return 0;
	return map_add(m, (uint64_t)cnt, *blk, 1, 0) ? BLOCK_ABORT : 0;
}

static int map_extents(struct map_ctx *m, uint64_t ino, struct ext2_inode *in)
{
	ext2_extent_handle_t h;
	struct ext2fs_extent x;
	uint64_t leaves = 0;
	errcode_t err;
	int op = EXT2_EXTENT_ROOT;

	err = ext2fs_extent_open2(m->e->e2, (ext2_ino_t)ino, in, &h);
	if (err)
		return ext_err(err, "extent tree");
	for (;;) {
		err = ext2fs_extent_get(h, op, &x);
		op = EXT2_EXTENT_NEXT_LEAF;
		if (err == EXT2_ET_EXTENT_NO_NEXT) {
			err = 0;
			break;
		}
		if (err)
			break;
		if (!(x.e_flags & EXT2_EXTENT_FLAGS_LEAF))
			continue;
		/* each leaf moves forward by >= 1 block (map_add checks
		 * order), so a looping tree ends here */
		if (++leaves > m->nblocks + 1 || x.e_len == 0) {
			m->ret = pv_err(PV_ECORRUPT, "ext4: inode %llu: extent tree is invalid",
					(unsigned long long)ino);
			break;
		}
		if (map_add(m, x.e_lblk, x.e_pblk, x.e_len,
			    !!(x.e_flags & EXT2_EXTENT_FLAGS_UNINIT)))
			break;
	}
	ext2fs_extent_free(h);
	if (m->ret)
		return m->ret;
	if (err)
		return ext_err(err, "extent tree");
	return 0;
}

static int ext_extents(struct fs *fs, const struct fs_node *n, fs_extent_cb cb,
		       void *ctx)
{
	struct ext_fs *e = EXT(fs);
	struct map_ctx m;
	struct ext2_inode in;
	uint64_t bs = e->e2->blocksize;
	errcode_t err;
	int r;

	r = read_inode(e, n->ino, &in);
	if (r < 0)
		return r;
	if (!LINUX_S_ISREG(in.i_mode))
		return pv_err(PV_ENOTREG, "ext4: inode %llu is not a regular file",
			      (unsigned long long)n->ino);
	if (in.i_flags & (EXT4_INLINE_DATA_FL | EXT4_ENCRYPT_FL))
		return pv_err(PV_ENOTSUP, "ext4: inode %llu is not plainly mapped",
			      (unsigned long long)n->ino);
	memset(&m, 0, sizeof(m));
	m.e = e;
	m.size = EXT2_I_SIZE(&in);
	m.nblocks = m.size / bs + (m.size % bs != 0);
	m.cb = cb;
	m.ctx = ctx;
	if (in.i_flags & EXT4_EXTENTS_FL) {
		r = map_extents(&m, n->ino, &in);
	} else {
		err = ext2fs_block_iterate3(e->e2, (ext2_ino_t)n->ino,
					    BLOCK_FLAG_READ_ONLY | BLOCK_FLAG_DATA_ONLY,
					    NULL, map_block, &m);
		r = m.ret ? m.ret : err ? ext_err(err, "block map") : 0;
	}
	if (r)
		return r;
	/* a hole up to the end, then whatever is pending */
	if (m.next < m.nblocks &&
	    map_add(&m, m.next, 0, m.nblocks - m.next, 1) < 0)
		return m.ret;
	return map_flush(&m);
}

const struct fs_ops ext_fs_ops = {
	.name = "ext4",
	.probe = ext_probe,
	.mount = ext_mount,
	.root = ext_root,
	.lookup = ext_lookup,
	.read = ext_read,
	.readlink = ext_readlink,
	.readdir = ext_readdir,
	.extents = ext_extents,
	.variant = ext_variant,
	.unmount = ext_unmount,
};
