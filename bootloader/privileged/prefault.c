/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's code and constants mapped at once (prefault.h).  On a
 * paravirtualised guest a page fault costs 15-30 us and the worker took
 * about 30 of them for pages its parent had already mapped; populating the
 * ~750 pages of the read-only segments takes about 100 us (issue 12).
 * Only what is mapped already, readable, and backed by the page cache: it
 * adds no mapping and reads nothing from disk that is not cached.
 */
#include "bootloader/privileged/prefault.h"

#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14 */
#endif

static int populate(struct dl_phdr_info *info, size_t size, void *ctx)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	int i;

	(void)size;
	(void)ctx;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo, hi;

		/* writable segments were written (relocations) and are
		 * copied at fork: only the read-only ones come back */
		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) ||
		    !ph->p_memsz)
			continue;
		lo = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		hi = (info->dlpi_addr + ph->p_vaddr + ph->p_filesz + page - 1) &
		     ~(page - 1);
		if (hi > lo) /* EINVAL on old kernels: they fault instead */
			(void)madvise((void *)lo, hi - lo, MADV_POPULATE_READ);
	}
	return 0;
}

void prefault_code(void)
{
	dl_iterate_phdr(populate, NULL);
}
