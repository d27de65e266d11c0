/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PVBOOT_XEN_DL_H
#define PVBOOT_XEN_DL_H
/*
 * libxlutil (and the libxenlight it pulls in) loaded at run time, only when
 * a domain config is read (--domain, --domain-config).
 *
 * Linked at start-up, the Xen toolstack libraries cost every run seventeen
 * shared objects mapped and relocated (libxenlight, libxenguest, libxenctrl,
 * libyajl, liblzma...): more than half of -q -n's start-up on a small disk
 * (issue #12).  domcfg.c includes this header after <libxlutil.h>; the
 * macros below turn its calls into calls through the pointers loaded here,
 * so it reads as plain libxlutil code.
 */
#include <libxlutil.h>

struct xen_api {
	XLU_Config *(*cfg_init)(FILE *, const char *);
	int (*cfg_readfile)(XLU_Config *, const char *);
	void (*cfg_destroy)(XLU_Config *);
	int (*cfg_get_string)(const XLU_Config *, const char *, const char **,
			      int);
	int (*cfg_get_list)(const XLU_Config *, const char *,
			    XLU_ConfigList **, int *, int);
	const char *(*cfg_get_listitem)(const XLU_ConfigList *, int);
	int (*cfg_get_defbool)(const XLU_Config *, const char *,
			       libxl_defbool *, int);
	int (*disk_parse)(XLU_Config *, int, const char **,
			  libxl_device_disk *);
	void (*disk_init)(libxl_device_disk *);
	void (*disk_dispose)(libxl_device_disk *);
	const char *(*disk_format_to_string)(libxl_disk_format);
	void (*defbool_setdefault)(libxl_defbool *, bool);
	bool (*defbool_val)(libxl_defbool);
};

extern struct xen_api xen_api;

/* Load the libraries once; 0, or a negative PV_E* with the reason said
 * (libxenmisc not installed). */
int xen_dl_load(void);

#ifndef XEN_DL_NO_MACROS
#define xlu_cfg_init xen_api.cfg_init
#define xlu_cfg_readfile xen_api.cfg_readfile
#define xlu_cfg_destroy xen_api.cfg_destroy
#define xlu_cfg_get_string xen_api.cfg_get_string
#define xlu_cfg_get_list xen_api.cfg_get_list
#define xlu_cfg_get_listitem xen_api.cfg_get_listitem
#define xlu_cfg_get_defbool xen_api.cfg_get_defbool
#define xlu_disk_parse xen_api.disk_parse
#define libxl_device_disk_init xen_api.disk_init
#define libxl_device_disk_dispose xen_api.disk_dispose
#define libxl_disk_format_to_string xen_api.disk_format_to_string
#define libxl_defbool_setdefault xen_api.defbool_setdefault
#define libxl_defbool_val xen_api.defbool_val
#endif

#endif
