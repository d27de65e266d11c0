/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-only XFS (v4 and v5): the superblock, checked field by field before
 * anything else trusts it (libfsimage's XFS reader trusted it and became
 * XSA-443), mount, and the ops table.  Inodes, data forks and directories
 * live in xfs_inode.c, xfs_bmap.c and xfs_dir.c.
 */
#include "fs/xfs_priv.h"
#include "common/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XFS_SB_MAGIC 0x58465342u /* "XFSB" */
#define XFS_SB_READ 512          /* every field we use is in the first 512 bytes */

/* sb_versionnum (v4 feature bits live here) */
#define XFS_SB_VERSION_NUMBITS 0x000fu
#define XFS_SB_VERSION_DIRV2BIT 0x2000u
#define XFS_SB_VERSION_MOREBITSBIT 0x8000u
/* sb_features2 (v4) */
#define XFS_SB_VERSION2_LAZYSBCOUNT 0x0002u
#define XFS_SB_VERSION2_ATTR2 0x0008u
#define XFS_SB_VERSION2_PARENT 0x0010u
#define XFS_SB_VERSION2_PROJID32 0x0080u
#define XFS_SB_VERSION2_CRC 0x0100u
#define XFS_SB_VERSION2_FTYPE 0x0200u
#define XFS_SB_VERSION2_KNOWN                                               \
	(XFS_SB_VERSION2_LAZYSBCOUNT | XFS_SB_VERSION2_ATTR2 |              \
	 XFS_SB_VERSION2_PROJID32 | XFS_SB_VERSION2_FTYPE)
/* sb_features_incompat (v5) */
#define XFS_INCOMPAT_FTYPE 0x01u
#define XFS_INCOMPAT_SPINODES 0x02u  /* sparse inode chunks: no effect on reads */
#define XFS_INCOMPAT_META_UUID 0x04u /* sb_uuid stays the user-visible uuid */
#define XFS_INCOMPAT_BIGTIME 0x08u
#define XFS_INCOMPAT_NEEDSREPAIR 0x10u
#define XFS_INCOMPAT_NREXT64 0x20u   /* 64-bit extent counters, per inode flag */
#define XFS_INCOMPAT_EXCHRANGE 0x40u /* log items only */
#define XFS_INCOMPAT_PARENT 0x80u    /* parent pointers are attributes */
#define XFS_INCOMPAT_KNOWN 0xffu

static int corrupt(const char *what)
{
	return pv_err(PV_ECORRUPT, "xfs: superblock: %s", what);
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* log2 rounded up, as mkfs derives sb_agblklog from sb_agblocks */
static unsigned log2_roundup(uint32_t v)
{
	unsigned l = 0;

	while (l < 32 && ((uint64_t)1 << l) < v)
		l++;
	return l;
}

int xfs_fsb_to_byte(const struct xfs_fs *x, uint64_t fsb, uint64_t count,
		    uint64_t *byte)
{
	uint64_t agno = fsb >> x->agblklog;
	uint64_t agbno = fsb & (((uint64_t)1 << x->agblklog) - 1);
	uint64_t blk;

	if (agno >= x->agcount || agbno >= x->agblocks ||
	    count > x->agblocks - agbno)
		return pv_err(PV_ECORRUPT,
			      "block %llu (+%llu) is outside its allocation group",
			      (unsigned long long)fsb,
			      (unsigned long long)count);
	blk = agno * x->agblocks + agbno;
	if (blk + count > x->dblocks)
		return pv_err(PV_ECORRUPT,
			      "block %llu (+%llu) is past the end of the filesystem",
			      (unsigned long long)fsb,
			      (unsigned long long)count);
	*byte = blk << x->blocklog;
	return 0;
}

/* Features: version 4 or 5, and nothing we do not know how to read. */
static int check_features(struct xfs_fs *x, const uint8_t *sb)
{
	uint16_t vnum = xfs_be16(sb + 100);
	uint32_t f2 = xfs_be32(sb + 200) | xfs_be32(sb + 204); /* + bad_features2 */

	x->version = vnum & XFS_SB_VERSION_NUMBITS;
	if (x->version == 5) {
		uint32_t incompat = xfs_be32(sb + 216);

		if (incompat & ~XFS_INCOMPAT_KNOWN)
			return pv_err(PV_ENOTSUP,
				      "xfs: superblock: unknown incompatible features 0x%x",
				      incompat & ~XFS_INCOMPAT_KNOWN);
		if (incompat & XFS_INCOMPAT_NEEDSREPAIR)
			pv_warn("xfs: filesystem is marked as needing repair");
		x->has_ftype = !!(incompat & XFS_INCOMPAT_FTYPE);
		return 0;
	}
	if (x->version != 4)
		return pv_err(PV_ENOTSUP, "xfs: superblock: version %u",
			      x->version);
	if (!(vnum & XFS_SB_VERSION_DIRV2BIT))
		return pv_err(PV_ENOTSUP,
			      "xfs: superblock: version 1 directories");
	if (!(vnum & XFS_SB_VERSION_MOREBITSBIT))
		f2 = 0;
	if (f2 & XFS_SB_VERSION2_CRC)
		return corrupt("CRC feature on a version 4 superblock");
	if (f2 & ~XFS_SB_VERSION2_KNOWN)
		return pv_err(PV_ENOTSUP,
			      "xfs: superblock: unknown v4 features 0x%x",
			      f2 & ~XFS_SB_VERSION2_KNOWN);
	x->has_ftype = !!(f2 & XFS_SB_VERSION2_FTYPE);
	return 0;
}

/* Geometry: every size and log agrees with its twin, and the filesystem
 * fits in the volume. */
static int check_geometry(struct xfs_fs *x, const uint8_t *sb,
			  const struct volume *v)
{
	uint32_t sectsize = xfs_be16(sb + 102);
	uint32_t inopblock = xfs_be16(sb + 106);
	unsigned sectlog = sb[121], inopblog = sb[123];
	unsigned core = x->version == 5 ? XFS_DINODE_CORE_V3 :
					  XFS_DINODE_CORE_V2;
	char msg[160];

	x->blocksize = xfs_be32(sb + 4);
	x->blocklog = sb[120];
	x->dblocks = xfs_be64(sb + 8);
	x->agblocks = xfs_be32(sb + 84);
	x->agcount = xfs_be32(sb + 88);
	x->inodesize = xfs_be16(sb + 104);
	x->inodelog = sb[122];
	x->agblklog = sb[124];
	x->dirblklog = sb[192];
	x->rootino = xfs_be64(sb + 56);

	if (!is_pow2(x->blocksize) || x->blocksize < 512 ||
	    x->blocksize > 65536 || x->blocklog < 9 || x->blocklog > 16 ||
	    x->blocksize != 1u << x->blocklog) {
		snprintf(msg, sizeof(msg),
			 "block size %u / log %u is not a power of two in [512, 65536]",
			 x->blocksize, x->blocklog);
		return corrupt(msg);
	}
	if (sectlog < 9 || sectlog > 15 || sectsize != 1u << sectlog ||
	    sectsize > x->blocksize) {
		snprintf(msg, sizeof(msg), "sector size %u / log %u is invalid",
			 sectsize, sectlog);
		return corrupt(msg);
	}
	if (x->inodelog < 8 || x->inodelog > 11 ||
	    x->inodesize != 1u << x->inodelog ||
	    x->inodelog > x->blocklog || x->inodesize <= core) {
		snprintf(msg, sizeof(msg), "inode size %u / log %u is invalid",
			 x->inodesize, x->inodelog);
		return corrupt(msg);
	}
	x->inopblog = x->blocklog - x->inodelog;
	if (inopblog != x->inopblog || inopblock != 1u << x->inopblog)
		return corrupt("inodes per block do not match the sizes");
	if (x->agblocks < 64 || x->agblklog >= 32 ||
	    x->agblklog != log2_roundup(x->agblocks)) {
		snprintf(msg, sizeof(msg),
			 "AG size %u blocks / log %u is invalid",
			 x->agblocks, x->agblklog);
		return corrupt(msg);
	}
	if (x->agcount == 0)
		return corrupt("AG count is 0");
	if (x->dblocks > (uint64_t)x->agcount * x->agblocks ||
	    x->dblocks <= (uint64_t)(x->agcount - 1) * x->agblocks) {
		snprintf(msg, sizeof(msg),
			 "%llu blocks do not fit %u AGs of %u blocks",
			 (unsigned long long)x->dblocks, x->agcount,
			 x->agblocks);
		return corrupt(msg);
	}
	if (x->dblocks > v->length >> x->blocklog)
		return corrupt("filesystem is larger than its volume");
	/* A directory block is at most 64 KiB (XSA-443 was blocklog +
	 * dirblklog overflowing a shift). */
	if (x->dirblklog > 16 - x->blocklog) {
		snprintf(msg, sizeof(msg), "directory block log %u is invalid",
			 x->dirblklog);
		return corrupt(msg);
	}
	x->dirblksize = x->blocksize << x->dirblklog;
	if (sb[126])
		return corrupt("mkfs did not finish (sb_inprogress)");
	return 0;
}

/* The root inode number decodes to a place inside the filesystem. */
static int check_rootino(const struct xfs_fs *x)
{
	uint64_t agno = x->rootino >> (x->agblklog + x->inopblog);
	uint64_t agbno = (x->rootino >> x->inopblog) &
			 (((uint64_t)1 << x->agblklog) - 1);
	uint64_t byte;

	if (agno >= x->agcount || agbno >= x->agblocks ||
	    xfs_fsb_to_byte(x, agno << x->agblklog | agbno, 1, &byte) < 0)
		return corrupt("root inode number is outside the filesystem");
	return 0;
}

static void set_uuid_label(struct xfs_fs *x, const uint8_t *sb)
{
	const uint8_t *u = sb + 32;
	size_t i;

	snprintf(x->base.uuid, sizeof(x->base.uuid),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	for (i = 0; i < 12 && sb[108 + i]; i++)
		x->base.label[i] = (char)sb[108 + i];
	x->base.label[i] = '\0';
}

static int xfs_probe(struct volume *v)
{
	uint8_t m[4];

	if (v->length < XFS_SB_READ)
		return PV_ENOTMINE;
	if (vol_read(v, 0, m, sizeof(m)) < 0)
		return PV_ENOTMINE;
	return xfs_be32(m) == XFS_SB_MAGIC ? 0 : PV_ENOTMINE;
}

static int xfs_mount(struct volume *v, struct fs **out)
{
	uint8_t sb[XFS_SB_READ];
	struct xfs_fs *x;
	int r;

	*out = NULL;
	if (v->length < XFS_SB_READ)
		return PV_ENOTMINE;
	r = vol_read(v, 0, sb, sizeof(sb));
	if (r < 0)
		return r;
	if (xfs_be32(sb) != XFS_SB_MAGIC)
		return PV_ENOTMINE;
	x = calloc(1, sizeof(*x));
	if (!x)
		return pv_err(PV_ENOMEM, "xfs: out of memory");
	r = check_features(x, sb);
	if (r == 0)
		r = check_geometry(x, sb, v);
	if (r == 0)
		r = check_rootino(x);
	if (r < 0) {
		free(x);
		return r;
	}
	x->base.vol = v;
	set_uuid_label(x, sb);
	*out = &x->base;
	return 0;
}

static int xfs_root(struct fs *fs, struct fs_node *out)
{
	struct xfs_fs *x = XFS(fs);
	int r = xfs_inode_to_node(x, x->rootino, out);

	if (r == 0 && !S_ISDIR(out->mode))
		return pv_err(PV_ECORRUPT, "xfs: root inode is not a directory");
	return r;
}

static void xfs_unmount(struct fs *fs)
{
	struct xfs_fs *x = XFS(fs);

	if (!fs)
		return;
	xfs_map_free(&x->cache);
	free(x);
}

const struct fs_ops xfs_fs_ops = {
	.name = "xfs",
	.probe = xfs_probe,
	.mount = xfs_mount,
	.root = xfs_root,
	.lookup = xfs_lookup,
	.read = xfs_read,
	.readlink = xfs_readlink,
	.readdir = xfs_readdir,
	.extents = xfs_extents,
	.unmount = xfs_unmount,
};
