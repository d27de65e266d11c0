/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XFS inodes: where an inode number points, the checks on its core, where
 * its data fork is; and symlinks (inline in the fork, or in blocks).
 */
#include "fs/xfs_priv.h"
#include "common/err.h"

#include <stdlib.h>
#include <string.h>

#define XFS_DINODE_MAGIC 0x494eu  /* "IN" */
#define XFS_SYMLINK_MAGIC 0x58534c4du /* "XSLM" */
#define XFS_SYMLINK_HDR 56        /* v5 remote symlink block header */

int xfs_inode_read(struct xfs_fs *x, uint64_t ino, struct xfs_inode *ip)
{
	unsigned shift = x->agblklog + x->inopblog;
	uint64_t agno = ino >> shift;
	uint64_t agbno = (ino >> x->inopblog) &
			 (((uint64_t)1 << x->agblklog) - 1);
	uint64_t idx = ino & (((uint64_t)1 << x->inopblog) - 1);
	uint64_t byte;
	unsigned core, forkoff;
	size_t litino;
	uint8_t *b;
	int r;

	memset(ip, 0, sizeof(*ip));
	if (agno >= x->agcount ||
	    xfs_fsb_to_byte(x, agno << x->agblklog | agbno, 1, &byte) < 0)
		return pv_err(PV_ECORRUPT,
			      "xfs: inode %llu: number is outside the filesystem",
			      (unsigned long long)ino);
	byte += idx << x->inodelog;
	b = malloc(x->inodesize);
	if (!b)
		return pv_err(PV_ENOMEM, "xfs: out of memory");
	r = vol_read(x->base.vol, byte, b, x->inodesize);
	if (r < 0) {
		free(b);
		return r;
	}
	ip->buf = b;
	ip->ino = ino;
	if (xfs_be16(b) != XFS_DINODE_MAGIC)
		goto bad_magic;
	ip->version = b[4];
	if (x->version == 5 ? ip->version != 3 :
			      (ip->version != 1 && ip->version != 2)) {
		xfs_inode_free(ip);
		return pv_err(PV_ECORRUPT, "xfs: inode %llu: version %u",
			      (unsigned long long)ino, ip->version);
	}
	if (ip->version == 3 && xfs_be64(b + 152) != ino) {
		xfs_inode_free(ip);
		return pv_err(PV_ECORRUPT,
			      "xfs: inode %llu: records another inode number",
			      (unsigned long long)ino);
	}
	ip->mode = xfs_be16(b + 2);
	ip->format = b[5];
	ip->size = xfs_be64(b + 56);
	ip->diflags = xfs_be16(b + 90);
	ip->diflags2 = ip->version == 3 ? xfs_be64(b + 120) : 0;
	if (ip->diflags2 & XFS_DIFLAG2_NREXT64)
		ip->nextents = xfs_be64(b + 24);
	else
		ip->nextents = xfs_be32(b + 76);
	if (ip->size >> 63) {
		xfs_inode_free(ip);
		return pv_err(PV_ECORRUPT, "xfs: inode %llu: negative size",
			      (unsigned long long)ino);
	}
	core = ip->version == 3 ? XFS_DINODE_CORE_V3 : XFS_DINODE_CORE_V2;
	litino = x->inodesize - core; /* > 0: checked at mount */
	forkoff = b[82] * 8u;
	if (forkoff >= litino) {
		xfs_inode_free(ip);
		return pv_err(PV_ECORRUPT,
			      "xfs: inode %llu: attribute fork offset %u is too large",
			      (unsigned long long)ino, forkoff);
	}
	ip->fork = b + core;
	ip->forklen = forkoff ? forkoff : litino;
	return 0;

bad_magic:
	xfs_inode_free(ip);
	return pv_err(PV_ECORRUPT, "xfs: inode %llu: bad magic",
		      (unsigned long long)ino);
}

void xfs_inode_free(struct xfs_inode *ip)
{
	free(ip->buf);
	ip->buf = NULL;
	ip->fork = NULL;
}

int xfs_inode_to_node(struct xfs_fs *x, uint64_t ino, struct fs_node *out)
{
	struct xfs_inode ip;
	int r = xfs_inode_read(x, ino, &ip);

	if (r < 0)
		return r;
	switch (ip.mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR:
	case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	default:
		xfs_inode_free(&ip);
		return pv_err(PV_ECORRUPT, "xfs: inode %llu: bad file type 0%o",
			      (unsigned long long)ino, ip.mode & S_IFMT);
	}
	out->ino = ino;
	out->aux = 0;
	out->mode = ip.mode;
	out->size = ip.size;
	xfs_inode_free(&ip);
	return 0;
}

/* A symlink stored in blocks: v5 puts an XSLM header on each block. */
static int read_remote_link(struct xfs_fs *x, const struct xfs_inode *ip,
			    char *dst)
{
	uint64_t nblocks = (ip->size + x->blocksize - 1) >> x->blocklog;
	size_t hdr = x->version == 5 ? XFS_SYMLINK_HDR : 0;
	size_t done = 0;
	struct xfs_map map;
	uint64_t b;
	uint8_t *blk;
	int r;

	/* v5 headers may push a target into one more block */
	if (hdr)
		nblocks = (ip->size + (x->blocksize - hdr) - 1) /
			  (x->blocksize - hdr);
	r = xfs_map_load(x, ip, nblocks, &map);
	if (r < 0)
		return r;
	blk = malloc(x->blocksize);
	if (!blk) {
		xfs_map_free(&map);
		return pv_err(PV_ENOMEM, "xfs: out of memory");
	}
	for (b = 0; b < nblocks && done < ip->size; b++) {
		size_t n = ip->size - done;

		r = xfs_map_read(x, &map, b << x->blocklog, blk, x->blocksize);
		if (r < 0)
			break;
		/* mkfs.xfs -p (xfsprogs 6.1 at least) writes v5 remote
		 * symlinks without the header: read those as v4 does */
		if (hdr && b == 0 && xfs_be32(blk) != XFS_SYMLINK_MAGIC) {
			pv_debug("xfs: inode %llu: symlink block without a header",
				 (unsigned long long)ip->ino);
			hdr = 0;
			nblocks = (ip->size + x->blocksize - 1) >> x->blocklog;
		}
		if (hdr) {
			uint32_t off = xfs_be32(blk + 4), bytes = xfs_be32(blk + 8);

			if (xfs_be32(blk) != XFS_SYMLINK_MAGIC ||
			    off != done || bytes == 0 ||
			    bytes > x->blocksize - hdr || bytes > n ||
			    xfs_be64(blk + 32) != ip->ino) {
				r = pv_err(PV_ECORRUPT,
					   "xfs: inode %llu: bad symlink block",
					   (unsigned long long)ip->ino);
				break;
			}
			n = bytes;
		} else if (n > x->blocksize) {
			n = x->blocksize;
		}
		memcpy(dst + done, blk + hdr, n);
		done += n;
	}
	free(blk);
	xfs_map_free(&map);
	if (r < 0)
		return r;
	if (done != ip->size)
		return pv_err(PV_ECORRUPT, "xfs: inode %llu: symlink is short",
			      (unsigned long long)ip->ino);
	return 0;
}

int xfs_readlink(struct fs *fs, const struct fs_node *n, char *buf,
		 size_t bufsz)
{
	struct xfs_fs *x = XFS(fs);
	struct xfs_inode ip;
	int r = xfs_inode_read(x, n->ino, &ip);

	if (r < 0)
		return r;
	if (!S_ISLNK(ip.mode)) {
		r = pv_err(PV_EINVAL, "xfs: inode %llu is not a symlink",
			   (unsigned long long)n->ino);
		goto out;
	}
	if (ip.size == 0 || ip.size > XFS_SYMLINK_MAXLEN) {
		r = pv_err(PV_ECORRUPT, "xfs: inode %llu: symlink length %llu",
			   (unsigned long long)n->ino,
			   (unsigned long long)ip.size);
		goto out;
	}
	if (ip.size >= bufsz) {
		r = pv_err(PV_ELIMIT, "xfs: symlink target is too long");
		goto out;
	}
	if (ip.format == XFS_FMT_LOCAL) {
		if (ip.size > ip.forklen) {
			r = pv_err(PV_ECORRUPT,
				   "xfs: inode %llu: inline symlink overflows its fork",
				   (unsigned long long)n->ino);
			goto out;
		}
		memcpy(buf, ip.fork, ip.size);
	} else if (ip.format == XFS_FMT_EXTENTS ||
		   ip.format == XFS_FMT_BTREE) {
		r = read_remote_link(x, &ip, buf);
		if (r < 0)
			goto out;
	} else {
		r = pv_err(PV_ECORRUPT, "xfs: inode %llu: symlink format %u",
			   (unsigned long long)n->ino, ip.format);
		goto out;
	}
	buf[ip.size] = '\0';
	if (memchr(buf, '\0', ip.size)) {
		r = pv_err(PV_ECORRUPT,
			   "xfs: inode %llu: symlink target holds a NUL byte",
			   (unsigned long long)n->ino);
		goto out;
	}
	r = (int)ip.size;
out:
	xfs_inode_free(&ip);
	return r;
}
