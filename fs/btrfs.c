/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-only btrfs, single device: mount (superblock and chunk map in
 * btrfs_super.c), subvolumes, inodes and directories, and the ops table.
 * A node's aux is its subvolume (tree id); the root is the default
 * subvolume (the root tree's "default" entry, else the top level, 5).  A
 * directory entry whose location is a ROOT_ITEM crosses into that
 * subvolume, so with the top level as default "/root/boot/vmlinuz" reaches
 * Fedora's root subvolume.  File data lives in btrfs_file.c.
 */
#include "fs/btrfs_priv.h"
#include "common/err.h"
#include "common/pvlimits.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* root item fields */
#define RI_GENERATION 160
#define RI_DIRID 168
#define RI_BYTENR 176
#define RI_LEVEL 238
/* inode item fields */
#define II_SIZE 16
#define II_MODE 52

static int subvol_id_ok(uint64_t id)
{
	return id == BTRFS_FS_TREE_OBJECTID ||
	       (id >= BTRFS_FIRST_FREE_OBJECTID && id <= BTRFS_LAST_FREE_OBJECTID);
}

/* The tree of subvolume id, from the root tree (cached). */
int btrfs_subvol(struct btrfs_fs *b, uint64_t id, struct btrfs_subvol **out)
{
	struct btrfs_key k = {id, BTRFS_ROOT_ITEM_KEY, UINT64_MAX};
	struct btrfs_subvol *sv;
	struct btrfs_path p;
	const uint8_t *d;
	uint32_t sz;
	unsigned i;
	int r;

	for (i = 0; i < BTRFS_SUBVOL_CACHE; i++)
		if (b->subvols[i].id == id && id) {
			*out = &b->subvols[i];
			return 0;
		}
	if (!subvol_id_ok(id))
		return pv_err(PV_ECORRUPT, "btrfs: %" PRIu64
			      " is not a subvolume id", id);
	r = btrfs_search(b, b->root_bytenr, b->root_level, b->generation, &k,
			 &p);
	if (r == 0 && p.slot[0] >= 0) {
		btrfs_item(b, &p, &k, &d, &sz);
		if (k.objectid != id || k.type != BTRFS_ROOT_ITEM_KEY)
			r = pv_err(PV_ENOENT, "btrfs: subvolume %" PRIu64
				   " not found", id);
	} else if (r == 0) {
		r = pv_err(PV_ENOENT, "btrfs: subvolume %" PRIu64 " not found",
			   id);
	}
	if (r == 0 && sz < BTRFS_ROOT_ITEM_MIN)
		r = pv_err(PV_ECORRUPT, "btrfs: root item of %" PRIu64
			   " too short", id);
	if (r == 0 && d[RI_LEVEL] >= BTRFS_MAX_LEVEL)
		r = pv_err(PV_ECORRUPT, "btrfs: subvolume %" PRIu64
			   " tree level %u", id, d[RI_LEVEL]);
	if (r < 0) {
		btrfs_path_free(&p);
		return r;
	}
	sv = &b->subvols[b->subvol_next++ % BTRFS_SUBVOL_CACHE];
	sv->id = id;
	sv->bytenr = btrfs_le64(d + RI_BYTENR);
	sv->generation = btrfs_le64(d + RI_GENERATION);
	sv->dirid = btrfs_le64(d + RI_DIRID);
	sv->level = d[RI_LEVEL];
	btrfs_path_free(&p);
	*out = sv;
	return 0;
}

static int inode_to_node(struct btrfs_fs *b, uint64_t tree, uint64_t ino,
			 struct fs_node *out)
{
	struct btrfs_key k = {ino, BTRFS_INODE_ITEM_KEY, 0};
	struct btrfs_subvol *sv;
	uint8_t *d;
	uint32_t sz;
	int r;

	r = btrfs_subvol(b, tree, &sv);
	if (r < 0)
		return r;
	r = btrfs_lookup_item(b, sv->bytenr, sv->level, sv->generation, &k, &d,
			      &sz);
	if (r == PV_ENOENT)
		return pv_err(PV_ECORRUPT, "btrfs: inode %" PRIu64
			      " of subvolume %" PRIu64 " is missing", ino, tree);
	if (r < 0)
		return r;
	if (sz < BTRFS_INODE_ITEM_SIZE) {
		free(d);
		return pv_err(PV_ECORRUPT, "btrfs: inode %" PRIu64
			      " item too short", ino);
	}
	out->ino = ino;
	out->aux = tree;
	out->mode = btrfs_le32(d + II_MODE);
	out->size = btrfs_le64(d + II_SIZE);
	free(d);
	return 0;
}

/* The node a directory entry's location key names. */
static int location_to_node(struct btrfs_fs *b, uint64_t tree,
			    const uint8_t *loc, struct fs_node *out)
{
	uint64_t objectid = btrfs_le64(loc);
	struct btrfs_subvol *sv;
	int r;

	if (loc[8] == BTRFS_INODE_ITEM_KEY)
		return inode_to_node(b, tree, objectid, out);
	if (loc[8] != BTRFS_ROOT_ITEM_KEY)
		return pv_err(PV_ECORRUPT, "btrfs: directory entry of unknown "
			      "location type %u", loc[8]);
	/* a subvolume (or snapshot) mounted here */
	r = btrfs_subvol(b, objectid, &sv);
	if (r < 0)
		return r;
	return inode_to_node(b, objectid, sv->dirid, out);
}

/*
 * Find name among the entries packed in one DIR_ITEM (names with the same
 * hash share it); *loc points at the matching location key.
 */
static int match_dir_item(const uint8_t *d, uint32_t sz, const char *name,
			  size_t namelen, const uint8_t **loc)
{
	uint32_t pos = 0;

	while (pos < sz) {
		uint32_t nl, dl;

		if (sz - pos < BTRFS_DIR_ITEM_HEAD)
			return pv_err(PV_ECORRUPT, "btrfs: truncated directory item");
		dl = btrfs_le16(d + pos + 25);
		nl = btrfs_le16(d + pos + 27);
		if (nl > PV_NAME_MAX ||
		    sz - pos - BTRFS_DIR_ITEM_HEAD < nl + dl)
			return pv_err(PV_ECORRUPT, "btrfs: bad directory item lengths");
		if (nl == namelen &&
		    memcmp(d + pos + BTRFS_DIR_ITEM_HEAD, name, nl) == 0) {
			*loc = d + pos;
			return 0;
		}
		pos += BTRFS_DIR_ITEM_HEAD + nl + dl;
	}
	return PV_ENOENT;
}

/* Look name up in directory dirino of tree by its name hash. */
static int dir_lookup(struct btrfs_fs *b, uint64_t root, uint8_t level,
		      uint64_t gen, uint64_t dirino, const char *name,
		      size_t namelen, uint8_t loc[BTRFS_KEY_SIZE])
{
	struct btrfs_key k = {dirino, BTRFS_DIR_ITEM_KEY,
			      btrfs_name_hash(name, namelen)};
	const uint8_t *l = NULL;
	uint8_t *d;
	uint32_t sz;
	int r;

	r = btrfs_lookup_item(b, root, level, gen, &k, &d, &sz);
	if (r < 0)
		return r;
	r = match_dir_item(d, sz, name, namelen, &l);
	if (r == 0)
		memcpy(loc, l, BTRFS_KEY_SIZE);
	free(d);
	return r;
}

static int btrfs_lookup(struct fs *fs, const struct fs_node *dir,
			const char *name, size_t namelen, struct fs_node *out)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct btrfs_subvol *sv;
	uint8_t loc[BTRFS_KEY_SIZE];
	int r;

	if (!S_ISDIR(dir->mode))
		return pv_err(PV_ENOTREG, "btrfs: not a directory");
	if (!namelen || namelen > PV_NAME_MAX)
		return PV_ENOENT;
	r = btrfs_subvol(b, dir->aux, &sv);
	if (r < 0)
		return r;
	r = dir_lookup(b, sv->bytenr, sv->level, sv->generation, dir->ino,
		       name, namelen, loc);
	if (r < 0)
		return r;
	return location_to_node(b, dir->aux, loc, out);
}

static int btrfs_readdir(struct fs *fs, const struct fs_node *dir,
			 fs_dirent_cb cb, void *ctx)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct btrfs_key k = {dir->ino, BTRFS_DIR_INDEX_KEY, 0};
	struct btrfs_subvol *sv;
	struct btrfs_path p;
	char name[PV_NAME_MAX + 1];
	size_t count = 0;
	int r, rc = 0;

	if (!S_ISDIR(dir->mode))
		return pv_err(PV_ENOTREG, "btrfs: not a directory");
	r = btrfs_subvol(b, dir->aux, &sv);
	if (r < 0)
		return r;
	r = btrfs_search_ge(b, sv->bytenr, sv->level, sv->generation, &k, &p);
	while (r == 0) {
		const uint8_t *d;
		uint32_t sz, nl;

		btrfs_item(b, &p, &k, &d, &sz);
		if (k.objectid != dir->ino || k.type != BTRFS_DIR_INDEX_KEY)
			break;
		if (sz < BTRFS_DIR_ITEM_HEAD) {
			rc = pv_err(PV_ECORRUPT, "btrfs: truncated directory index");
			break;
		}
		nl = btrfs_le16(d + 27);
		if (nl > PV_NAME_MAX || nl > sz - BTRFS_DIR_ITEM_HEAD) {
			rc = pv_err(PV_ECORRUPT, "btrfs: bad directory index name length");
			break;
		}
		memcpy(name, d + BTRFS_DIR_ITEM_HEAD, nl);
		name[nl] = '\0';
		/* a name no path could reach is not listed */
		if (nl && strlen(name) == nl && !memchr(name, '/', nl)) {
			if (++count > PV_MAX_DIR_ENTRIES) {
				rc = pv_err(PV_ELIMIT, "btrfs: directory has more than %u entries",
					    (unsigned)PV_MAX_DIR_ENTRIES);
				break;
			}
			rc = cb(ctx, name, nl);
			if (rc)
				break;
		}
		r = btrfs_next(b, &p);
	}
	btrfs_path_free(&p);
	if (rc)
		return rc;
	return r < 0 ? r : 0;
}

static int btrfs_readlink(struct fs *fs, const struct fs_node *n, char *buf,
			  size_t bufsz)
{
	long got;

	if (!S_ISLNK(n->mode))
		return pv_err(PV_EINVAL, "btrfs: not a symlink");
	if (!bufsz || n->size > bufsz - 1)
		return pv_err(PV_ELIMIT, "btrfs: symlink target too long");
	got = btrfs_read(fs, n, 0, buf, (size_t)n->size);
	if (got < 0)
		return (int)got;
	if ((uint64_t)got != n->size)
		return pv_err(PV_ECORRUPT, "btrfs: short symlink");
	buf[got] = '\0';
	if (strlen(buf) != (size_t)got)
		return pv_err(PV_ECORRUPT, "btrfs: symlink target holds a NUL");
	return (int)got;
}

static int btrfs_root(struct fs *fs, struct fs_node *out)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct btrfs_subvol *sv;
	int r = btrfs_subvol(b, b->default_subvol, &sv);

	if (r == 0)
		r = inode_to_node(b, b->default_subvol, sv->dirid, out);
	if (r == 0 && !S_ISDIR(out->mode))
		return pv_err(PV_ECORRUPT, "btrfs: root inode is not a directory");
	return r;
}

/* The root tree's "default" entry in its directory 6 names the subvolume
 * mounted without subvol=; without it, the top level. */
static int find_default(struct btrfs_fs *b)
{
	uint8_t loc[BTRFS_KEY_SIZE];
	int r;

	b->default_subvol = BTRFS_FS_TREE_OBJECTID;
	r = dir_lookup(b, b->root_bytenr, b->root_level, b->generation,
		       BTRFS_ROOT_TREE_DIR_OBJECTID, "default", 7, loc);
	if (r == PV_ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (loc[8] != BTRFS_ROOT_ITEM_KEY || !subvol_id_ok(btrfs_le64(loc)))
		return pv_err(PV_ECORRUPT, "btrfs: bad default subvolume entry");
	b->default_subvol = btrfs_le64(loc);
	return 0;
}

static int btrfs_probe(struct volume *v)
{
	uint8_t m[8];

	if (v->length < BTRFS_SUPER_OFFSET + BTRFS_SUPER_SIZE)
		return PV_ENOTMINE;
	if (vol_read(v, BTRFS_SUPER_OFFSET + 0x40, m, sizeof(m)) < 0)
		return PV_ENOTMINE;
	return memcmp(m, BTRFS_MAGIC, 8) == 0 ? 0 : PV_ENOTMINE;
}

static void btrfs_unmount(struct fs *fs)
{
	struct btrfs_fs *b = BTRFS(fs);

	if (!fs)
		return;
	free(b->chunks);
	free(b->z.buf);
	free(b);
}

static int btrfs_mount(struct volume *v, struct fs **out)
{
	struct btrfs_fs *b;
	struct fs_node root;
	int r;

	*out = NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return pv_err(PV_ENOMEM, "btrfs: out of memory");
	b->base.vol = v;
	r = btrfs_load_super(b, v);
	if (r == 0)
		r = btrfs_load_chunk_tree(b);
	if (r == 0)
		r = find_default(b);
	if (r == 0)
		r = btrfs_root(&b->base, &root);
	if (r < 0) {
		btrfs_unmount(&b->base);
		return r;
	}
	b->base.ops = &btrfs_fs_ops;
	*out = &b->base;
	return 0;
}

const struct fs_ops btrfs_fs_ops = {
	.name = "btrfs",
	.probe = btrfs_probe,
	.mount = btrfs_mount,
	.root = btrfs_root,
	.lookup = btrfs_lookup,
	.read = btrfs_read,
	.readlink = btrfs_readlink,
	.readdir = btrfs_readdir,
	.extents = btrfs_extents,
	.unmount = btrfs_unmount,
};
