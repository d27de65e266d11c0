/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pygrub's command line (protocol.md) plus pvboot's additions, parsed. */
#ifndef PVBOOT_BOOTLOADER_OPTIONS_H
#define PVBOOT_BOOTLOADER_OPTIONS_H

#include <stdint.h>
#include <sys/types.h>

enum out_format { OUT_SXP, OUT_SIMPLE, OUT_SIMPLE0,
		  OUT_DOMCFG /* --print-config: xl config lines */ };

struct options {
	int interactive;        /* -i (default) / -q */
	int list_entries;       /* -l */
	int not_really;         /* -n */
	int isconfig;           /* --isconfig */
	int debug;              /* --debug */
	int no_sandbox;         /* --no-sandbox (debugging only) */
	int no_env_write;       /* --no-env-write / PVBOOT_NO_ENV_WRITE=1 */
	int json;               /* --json: the worker reports the entries */
	int diagnose;           /* --diagnose: the worker writes a report */
	const char *output;     /* --output=FILE, NULL or "-" = stdout */
	enum out_format format; /* --output-format (default sxp) */
	const char *output_dir; /* --output-directory (default /var/run/xen/pygrub) */
	const char *entry;      /* --entry=N|TITLE|ID|A>B */
	const char *kernel;     /* --kernel=PATH inside the guest */
	const char *ramdisk;    /* --ramdisk=PATH inside the guest */
	const char *args;       /* --args=... appended to the entry's args */
	const char *xcp_default_args; /* --default_args (XCP-ng): boot
				   /xenkernel with these args when present */
	int have_offset;
	uint64_t offset;        /* --offset=BYTES */
	int have_runas;
	uid_t runas_uid;        /* --runas=UID (or a user name) */
	gid_t runas_gid;
	const char *image;      /* the disk (or config with --isconfig) */
	uint64_t max_file;      /* bytes, PYGRUB_MAX_FILE_SIZE_MB */
	long menu_wait_cap;     /* --menu-wait-cap=SECONDS, -1 = not given */
	uint64_t max_ram;       /* bytes, PYGRUB_MAX_RAM_USAGE_MB */
	/* network boot (xenpvnetboot's job; bootloader/privileged/netboot.h) */
	const char *location;   /* --location=URL|DIR|ISO */
	int insecure;           /* --insecure: no TLS certificate checks */
	const char *cacert;     /* --cacert=FILE instead of the system store */
	int netboot_layouts;    /* the disk is an install ISO: try the
				   install-tree layouts before its configs */
	int prefer_pvgrub;      /* --prefer-pvgrub: the guest's own PV-GRUB
				   (/boot/xen/pvboot-x86_64.elf) by default */
	int allow_backing;      /* --allow-backing: open a qcow2 image's
				   backing files / a VHD's parents
				   (bootloader/privileged/backing.h) */
};

/* Exit statuses (documented in README.md). */
enum pv_exit {
	EXIT_OK = 0,
	EXIT_USAGE = 1,     /* bad command line, as pygrub */
	EXIT_NOBOOT = 2,    /* no bootable config/kernel found on the disk */
	EXIT_BADIMAGE = 3,  /* the disk, a filesystem or a config is corrupt
			       or over a limit */
	EXIT_OUTPUT = 4,    /* cannot write the output file or directory */
	EXIT_SANDBOX = 5    /* the sandboxed worker crashed, hung or lied */
};

#endif
