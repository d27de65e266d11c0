/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every bound pvboot applies to guest-controlled input, in one place.
 * Each has a reason; change them here and nowhere else.
 */
#ifndef PVBOOT_COMMON_PVLIMITS_H
#define PVBOOT_COMMON_PVLIMITS_H

/* --- disk and partitions --- */
/* Partition entries considered at all (libfdisk itself caps logical
 * partitions near 60; a GPT may list 128+).  Extras: ignored with a warning. */
#define PV_MAX_PARTITIONS 256
/* Distinct volumes we probe for a filesystem (security.md A20). */
#define PV_MAX_PROBED_VOLUMES 128
/* GPT entry count we accept (libfdisk's own cap is 32768). */
#define PV_MAX_GPT_ENTRIES 32768
/* GPT entry array size we let libfdisk allocate (32768 x 128 bytes). */
#define PV_MAX_GPT_ARRAY_BYTES (4u << 20)
/* Skipped-partition warnings printed one per line; the rest are counted in
 * one summary (a self-linked EBR alone yields ~56 duplicates). */
#define PV_MAX_PART_WARNINGS 8

/* --- paths --- */
#define PV_PATH_MAX 4096      /* a whole path, as Linux PATH_MAX */
#define PV_NAME_MAX 255       /* one component, as every fs we read */
#define PV_MAX_COMPONENTS 256 /* components walked in one resolution */
/* Symlinks followed while resolving one path: Linux's own limit is 40,
 * libext2fs's 8, GRUB's 8.  We take 8: no real /boot needs more. */
#define PV_MAX_SYMLINKS 8

/* Names listed from one directory (BLS loader/entries, security.md B20). */
#define PV_MAX_DIR_ENTRIES 100000
/* ext block groups whose descriptors libext2fs loads at mount (64 bytes
 * each): 1 Mi groups = 64 MiB, a 128 TiB fs with 4 KiB blocks. */
#define PV_MAX_EXT_GROUPS (1u << 20)
/* Size of one directory we scan for a name or a listing: PV_MAX_DIR_ENTRIES
 * entries of the longest names fit in 26 MiB. */
#define PV_MAX_DIR_BYTES (64u << 20)

/* --- filesystem metadata --- */
/* Extents decoded for one file or directory: a 1 GiB file fragmented into
 * 4 KiB pieces; also bounds the btree blocks read to map it. */
#define PV_MAX_FILE_EXTENTS (1u << 18)
/* Levels of an on-disk extent btree (XFS bmbt): real trees stay under 6
 * even with 64-bit extent counters; a cycle or a lie stops here. */
#define PV_MAX_BTREE_DEPTH 8
/* ISO 9660 volume descriptors walked from sector 16 (a real set has 2-5:
 * primary, El Torito, Joliet, terminator; security.md B18). */
#define PV_MAX_ISO_DESCRIPTORS 64
/* SUSP continuation areas (CE) followed for one directory record: real
 * Rock Ridge needs one or two; a CE cycle stops here (XSA-497 class). */
#define PV_MAX_SUSP_AREAS 16
/* btrfs chunk map entries (32 bytes each): 64 Ki chunks of 1 GiB map a
 * 64 TiB filesystem; a small guest disk has a handful. */
#define PV_MAX_BTRFS_CHUNKS 65536

/* --- config files --- */
/* A config file larger than this is refused (pygrub silently truncated at
 * 1 MiB, which can change meaning).  Real grub.cfg files are < 100 KiB. */
#define PV_MAX_CONFIG_SIZE (4u << 20)
/* One logical line or token (the BootHole class, CVE-2020-10713). */
#define PV_MAX_LINE 65536
/* Menu entries kept per menu; more is an error (security.md C2). */
#define PV_MAX_ENTRIES 1024
/* Bytes of one entry title on the interactive menu (longer ones are cut):
 * an 80-column screen shows 70; bounds the menu message to the supervisor. */
#define PV_MAX_MENU_TITLE 512
/* A menu countdown longer than a day is treated as a day. */
#define PV_MAX_MENU_TIMEOUT 86400
/* submenu / if / function nesting depth (security.md C4). */
#define PV_MAX_NESTING 32
/* source/configfile/include depth (security.md C15). */
#define PV_MAX_INCLUDE_DEPTH 8
/* Total config files read in one run through source/include/BLS. */
#define PV_MAX_CONFIG_FILES 2048
/* Size of one variable expansion result (CVE-2020-27749 class). */
#define PV_MAX_EXPANSION (64u << 10)
/* Variables alive at once in the GRUB evaluator. */
#define PV_MAX_VARIABLES 1024
/* Function call depth in the GRUB evaluator (recursion is GRUB's loop). */
#define PV_MAX_CALL_DEPTH 32
/* Statements the GRUB evaluator executes in one run. */
#define PV_MAX_STEPS 200000
/* Memory and commands of all GRUB script files parsed in one run (source,
 * configfile and re-reads included): the parsed tree outlives each file. */
#define PV_MAX_SCRIPT_MEMORY (32u << 20)
#define PV_MAX_SCRIPT_NODES 200000
/* Bytes of titles, ids, paths and args the GRUB evaluator stores in one
 * menu tree (submenus multiply PV_MAX_ENTRIES; real menus need < 1 MiB). */
#define PV_MAX_MENU_BYTES (16u << 20)
/* An entry as lines on the menu's 'e' editor, or the commands typed at
 * its 'c' command line: bytes in all, and lines. */
#define PV_MAX_EDIT_TEXT 4096
#define PV_MAX_EDIT_LINES 32
/* Nobody at the console: a menu that waits for a key (timeout -1), and
 * every editor, boots the default after this many seconds without a key
 * (--menu-wait-cap, PVBOOT_MENU_WAIT_CAP; at most PV_MAX_MENU_TIMEOUT). */
#define PV_MENU_WAIT_CAP_DEFAULT 300
/* Initrds concatenated for one entry. */
#define PV_MAX_INITRDS 16
/* BLS entry files read from loader/entries. */
#define PV_MAX_BLS_ENTRIES 1024

/* --- output --- */
/* Kernel command line: Xen's MAX_GUEST_CMDLINE is 1024 including the NUL,
 * so a longer line would be silently truncated by the hypervisor. */
#define PV_MAX_ARGS 1023
/* Per copied file, overridable by PYGRUB_MAX_FILE_SIZE_MB (pygrub's name). */
#define PV_DEFAULT_MAX_FILE_MB 128
/* Segments (extents) describing one kernel or ramdisk. */
#define PV_MAX_SEGMENTS 65536

/* --- worker --- */
#define PV_DEFAULT_MAX_RAM_MB 256 /* RLIMIT_AS, PYGRUB_MAX_RAM_USAGE_MB */
#define PV_WORKER_CPU_SECONDS 30  /* RLIMIT_CPU */
#define PV_WORKER_WALL_SECONDS 90 /* below libxl's 120 s bootloader timeout */
/* The worker's answer: --list-entries/-n text, its error line, and its
 * forwarded warnings (err.c keeps at most 64 KiB of them).  Generous for a
 * real menu, small for the supervisor. */
#define PV_MAX_WORKER_TEXT (1u << 20)
#define PV_MAX_WORKER_ERROR 1024
#define PV_MAX_WORKER_LOG (64u << 10)
/* RLIMIT_NOFILE in the worker: it opens nothing, it only keeps a few fds. */
#define PV_WORKER_NOFILE 16

#endif
