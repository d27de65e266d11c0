/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading libxlutil at run time (xen_dl.h). */
#define XEN_DL_NO_MACROS
#include <stdio.h>
#include "bootloader/privileged/xen_dl.h"
#include "common/err.h"

#include <dlfcn.h>

/* The soname of the libxlutil we were built against (the Makefile reads it
 * off the -dev package's libxlutil.so); its libxenlight comes with it. */
#ifndef XLUTIL_SONAME
#define XLUTIL_SONAME "libxlutil.so"
#endif

struct xen_api xen_api;

int xen_dl_load(void)
{
	static int loaded;
	void *h;

	if (loaded)
		return 0;
	h = dlopen(XLUTIL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return pv_err(PV_ENOTSUP,
			      "cannot load Xen's libxlutil to read domain configs (%s): install libxenmisc",
			      dlerror());
	/* dlsym on the handle also searches libxlutil's dependencies, so the
	 * libxl_* symbols come from the libxenlight it was linked with.
	 * POSIX: a void * from dlsym converts to a function pointer. */
#define SYM(field, name)                                                   \
	do {                                                               \
		*(void **)&xen_api.field = dlsym(h, name);                 \
		if (!xen_api.field)                                        \
			return pv_err(PV_ENOTSUP, "libxlutil lacks %s", name); \
	} while (0)
	SYM(cfg_init, "xlu_cfg_init");
	SYM(cfg_readfile, "xlu_cfg_readfile");
	SYM(cfg_destroy, "xlu_cfg_destroy");
	SYM(cfg_get_string, "xlu_cfg_get_string");
	SYM(cfg_get_list, "xlu_cfg_get_list");
	SYM(cfg_get_listitem, "xlu_cfg_get_listitem");
	SYM(cfg_get_defbool, "xlu_cfg_get_defbool");
	SYM(disk_parse, "xlu_disk_parse");
	SYM(disk_init, "libxl_device_disk_init");
	SYM(disk_dispose, "libxl_device_disk_dispose");
	SYM(disk_format_to_string, "libxl_disk_format_to_string");
	SYM(defbool_setdefault, "libxl_defbool_setdefault");
	SYM(defbool_val, "libxl_defbool_val");
#undef SYM
	loaded = 1;
	return 0;
}
