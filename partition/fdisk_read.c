/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The libfdisk glue: hand libfdisk a read-only fd, let it parse MBR (with
 * the EBR chain) or GPT (with the backup header), and copy out the used
 * entries.  Nothing here decides whether an entry is sane; discover.c does.
 *
 * libfdisk reads through a file descriptor only, so an in-memory disk (tests,
 * fuzzers) is copied into a memfd: fuzzers then exercise the same path as a
 * real disk.  libfdisk and libblkid print debug traces to stderr when their
 * *_DEBUG environment variables are set, and libfdisk "asks" the caller to
 * print warnings about the table: both are kept off stdout/stderr.
 */
#include "partition/part_priv.h"
#include "common/err.h"

#include <blkid/blkid.h>
#include <ctype.h>
#include <errno.h>
#include <libfdisk/libfdisk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* GPT entry attribute: legacy BIOS bootable (UEFI spec, bit 2). */
#define GPT_ATTR_LEGACY_BOOT (1ULL << 2)

/*
 * Initialise both libraries' debug masks once with the environment
 * variables hidden: a zero mask then means "no debug at all", and later
 * calls (libfdisk calls them on every new context) are no-ops.
 */
static void silence_library_debug(void)
{
	static const char *const vars[] = { "LIBFDISK_DEBUG", "LIBBLKID_DEBUG" };
	static int done;
	char *saved[2] = { NULL, NULL };
	size_t i;

	if (done)
		return;
	done = 1;
	for (i = 0; i < 2; i++) {
		const char *v = getenv(vars[i]);

		if (v) {
			saved[i] = strdup(v);
			unsetenv(vars[i]);
		}
	}
	fdisk_init_debug(0);
	blkid_init_debug(0);
	for (i = 0; i < 2; i++) {
		if (saved[i]) {
			setenv(vars[i], saved[i], 1);
			free(saved[i]);
		}
	}
}

/* libfdisk's warnings ("primary GPT is corrupt...") go to --debug only;
 * any question is refused (we never modify the table). */
static int ask_cb(struct fdisk_context *cxt, struct fdisk_ask *ask, void *data)
{
	(void)cxt;
	(void)data;
	switch (fdisk_ask_get_type(ask)) {
	case FDISK_ASKTYPE_INFO:
	case FDISK_ASKTYPE_WARN:
	case FDISK_ASKTYPE_WARNX: {
		const char *m = fdisk_ask_print_get_mesg(ask);

		pv_debug("libfdisk: %s", m ? m : "");
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/* Only MBR and GPT concern a Xen PV guest; the SUN, SGI and BSD label
 * parsers are not even run over the guest's bytes. */
static void disable_other_labels(struct fdisk_context *cxt)
{
	struct fdisk_label *lb = NULL;

	while (fdisk_next_label(cxt, &lb) == 0) {
		const char *name = fdisk_label_get_name(lb);

		if (!name || (strcmp(name, "dos") != 0 &&
			      strcmp(name, "gpt") != 0))
			fdisk_label_set_disabled(lb, 1);
	}
}

/* A memfd holding the bytes of an in-memory disk; -1 after pv_err(). */
static int mem_to_fd(const struct disk *d)
{
	const uint8_t *p = d->mem;
	uint64_t left = d->size;
	int fd;

	fd = memfd_create("pvboot-disk", MFD_CLOEXEC);
	if (fd < 0) {
		pv_err(PV_EIO, "%s: memfd_create: %s", d->name, strerror(errno));
		return -1;
	}
	while (left > 0) {
		size_t chunk = left > (1u << 20) ? (1u << 20) : (size_t)left;
		ssize_t w = write(fd, p, chunk);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			pv_err(PV_EIO, "%s: copying to memfd: %s", d->name,
			       w < 0 ? strerror(errno) : "short write");
			close(fd);
			return -1;
		}
		p += w;
		left -= (uint64_t)w;
	}
	return fd;
}

/* Copy a libfdisk string (a GUID) lower-cased and bounded. */
static void copy_lower(char *dst, size_t dstsz, const char *src)
{
	size_t i = 0;

	if (src)
		for (; src[i] && i + 1 < dstsz; i++)
			dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static void fill_entry(struct fdisk_context *cxt, struct fdisk_partition *pa,
		       int is_gpt, struct raw_part *e)
{
	struct fdisk_parttype *t = fdisk_partition_get_type(pa);
	const char *name = t ? fdisk_parttype_get_name(t) : NULL;
	size_t partno = fdisk_partition_get_partno(pa);

	memset(e, 0, sizeof(*e));
	e->has_range = fdisk_partition_has_start(pa) &&
		       fdisk_partition_has_size(pa);
	if (e->has_range) {
		e->start = fdisk_partition_get_start(pa);
		e->size = fdisk_partition_get_size(pa);
	}
	/* libfdisk caps GPT entries at 32768 and logicals near 60. */
	e->number = partno < PV_MAX_GPT_ENTRIES ? (int)partno + 1 : -1;
	e->container = fdisk_partition_is_container(pa);
	if (is_gpt) {
		uint64_t attrs = 0;

		if (fdisk_gpt_get_partition_attrs(cxt, partno, &attrs) == 0)
			e->bootable = (attrs & GPT_ATTR_LEGACY_BOOT) != 0;
		copy_lower(e->type_guid, sizeof(e->type_guid),
			   t ? fdisk_parttype_get_string(t) : NULL);
		copy_lower(e->part_uuid, sizeof(e->part_uuid),
			   fdisk_partition_get_uuid(pa));
	} else {
		e->bootable = fdisk_partition_is_bootable(pa) == 1;
		e->mbr_type = t ? fdisk_parttype_get_code(t) & 0xff : 0;
	}
	if (name && *name)
		snprintf(e->type_name, sizeof(e->type_name), "%s", name);
	else if (is_gpt)
		snprintf(e->type_name, sizeof(e->type_name), "unknown");
	else
		snprintf(e->type_name, sizeof(e->type_name), "type 0x%02x",
			 e->mbr_type);
}

static int copy_table(struct fdisk_context *cxt, const struct disk *d,
		      struct raw_table *t)
{
	struct fdisk_table *tb = NULL;
	struct fdisk_iter *it;
	struct fdisk_partition *pa;
	int is_gpt = fdisk_is_label(cxt, GPT);
	int r;

	r = fdisk_get_partitions(cxt, &tb);
	if (r < 0) {
		fdisk_unref_table(tb);
		return pv_err(r == -ENOMEM ? PV_ENOMEM : PV_ECORRUPT,
			      "%s: cannot list the %s partitions: %s", d->name,
			      t->label, strerror(-r));
	}
	it = fdisk_new_iter(FDISK_ITER_FORWARD);
	if (!it) {
		fdisk_unref_table(tb);
		return pv_err(PV_ENOMEM, "%s: out of memory", d->name);
	}
	while (fdisk_table_next_partition(tb, it, &pa) == 0) {
		if (!fdisk_partition_is_used(pa))
			continue;
		if (t->n >= PV_MAX_PARTITIONS) {
			t->dropped++;
			continue;
		}
		fill_entry(cxt, pa, is_gpt, &t->e[t->n++]);
	}
	fdisk_free_iter(it);
	fdisk_unref_table(tb);
	return 0;
}

int part_table_read(const struct disk *d, unsigned sector_size,
		    struct raw_table *t)
{
	struct fdisk_context *cxt;
	int fd, r;

	t->n = 0;
	t->dropped = 0;
	t->sector_size = sector_size;
	snprintf(t->label, sizeof(t->label), "none");

	silence_library_debug();
	fd = d->mem ? mem_to_fd(d) : d->fd;
	if (fd < 0)
		return d->mem ? PV_EIO : pv_err(PV_EINVAL, "%s: no fd", d->name);

	cxt = fdisk_new_context();
	if (!cxt) {
		r = pv_err(PV_ENOMEM, "%s: out of memory", d->name);
		goto out_fd;
	}
	fdisk_set_ask(cxt, ask_cb, NULL);
	/* List-only: no collision check (that would run libblkid's
	 * filesystem probers over the guest's bytes for nothing). */
	fdisk_enable_listonly(cxt, 1);
	disable_other_labels(cxt);
	if (sector_size != 512)
		fdisk_save_user_sector_size(cxt, sector_size, sector_size);

	r = fdisk_assign_device_by_fd(cxt, fd, d->name, 1);
	if (r < 0) {
		r = pv_err(r == -ENOMEM ? PV_ENOMEM : PV_ECORRUPT,
			   "%s: libfdisk cannot read the disk: %s", d->name,
			   strerror(-r));
		goto out_cxt;
	}
	t->sector_size = (unsigned)fdisk_get_sector_size(cxt);
	if (t->sector_size != 512 && t->sector_size != 4096) {
		r = pv_err(PV_ENOTSUP, "%s: sector size %u is not supported",
			   d->name, t->sector_size);
		goto out_dev;
	}
	if (fdisk_has_label(cxt)) {
		const char *lb = fdisk_label_get_name(fdisk_get_label(cxt, NULL));

		snprintf(t->label, sizeof(t->label), "%s", lb ? lb : "?");
		r = copy_table(cxt, d, t);
	} else {
		r = 0;
	}
out_dev:
	fdisk_deassign_device(cxt, 1);
out_cxt:
	fdisk_unref_context(cxt);
out_fd:
	if (d->mem)
		close(fd);
	return r;
}
