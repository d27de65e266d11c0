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

/* --- disk images (partition/vdisk.h) --- */
/* Virtual disk size of a qcow2/VHD image: 64 TiB, far above any guest
 * disk a PV bootloader reads, and it bounds every table index below. */
#define PV_MAX_VDISK_SIZE (64ull << 40)
/* qcow2 L1 table entries (QEMU's own cap is 32 MiB of table). */
#define PV_MAX_QCOW2_L1 (4u << 20)
/* Compressed data of one qcow2 cluster: QEMU writes at most one cluster
 * (plus the sector it starts in); twice that is a lie. */
#define PV_MAX_QCOW2_COMPRESSED_FACTOR 2
/* VHD block allocation table entries (2 MiB blocks: 8 TiB). */
#define PV_MAX_VHD_BAT (4u << 20)
/* Backing files below a qcow2 image or parents below a differencing VHD
 * (--allow-backing): QEMU itself does not cap the chain; real chains
 * (snapshots of snapshots) are a few deep.  Also bounds the recursion of
 * a read through the chain and the worker re-runs it takes to open it. */
#define PV_MAX_BACKING_DEPTH 8
/* One backing file name as the image stores it (qcow2 caps it at 1023;
 * a VHD parent locator may hold a longer path, which we refuse). */
#define PV_MAX_BACKING_NAME 1023
/* --- stacked volumes: LVM2 and MD RAID1 (partition/stack.c) --- */
/* Stripes of one LV segment we map (lvm2 allows more; /boot is linear). */
#define PV_MAX_LV_STRIPES 8
/* LV segments mapped on one disk, all LVs together (a /boot LV has 1-2). */
#define PV_MAX_LV_SEGMENTS 1024
/* Segments of one LV. */
#define PV_MAX_LV_SEGS_PER_LV 256
/* LVM2 PVs recognised on one disk, and VGs built from them. */
#define PV_MAX_LVM_PVS 32
/* Entries of one disk_locn list of a PV header or raw_locn list of a
 * metadata area header (lvm2 writes 1-2 of each). */
#define PV_MAX_LVM_LOCNS 8
/* One metadata text copy: lvm2's default metadata area is 1 MiB. */
#define PV_MAX_LVM_TEXT (1u << 20)
/* Section nesting in the metadata text (lvm2 writes 4 levels). */
#define PV_MAX_LVM_DEPTH 16
/* Values, sections and array items of one metadata text. */
#define PV_MAX_LVM_NODES 65536
/* One name or string of the metadata text. */
#define PV_MAX_LVM_STRING 4096
/* MD 1.x dev_roles entries: the kernel's own cap, (4096 - 256) / 2. */
#define PV_MAX_MD_DEVS 1920

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
/* Total config files read in one run (every volume's config, source,
 * include, BLS entries): one budget for the whole run. */
#define PV_MAX_CONFIG_FILES 2048
/* Size of one variable expansion result (CVE-2020-27749 class). */
#define PV_MAX_EXPANSION (64u << 10)
/* Variables alive at once in the GRUB evaluator. */
#define PV_MAX_VARIABLES 1024
/* Function call depth in the GRUB evaluator (recursion is GRUB's loop). */
#define PV_MAX_CALL_DEPTH 32
/* Statements the GRUB evaluator executes in one run, across every config
 * of every volume. */
#define PV_MAX_STEPS 200000
/* Bytes the config parsers read from guest files in one run, across every
 * volume (128 volumes of 4 MiB configs would otherwise be 512 MiB). */
#define PV_MAX_CONFIG_BYTES_READ (64u << 20)
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

/* --- Unified Kernel Images (kernel/pe.c, kernel/uki.c) --- */
/* Sections in one PE file: the PE/COFF spec's own loader limit. */
#define PV_MAX_PE_SECTIONS 96
/* UKIs (type #2 files) read in one run: a real ESP holds a handful. */
#define PV_MAX_UKIS 256
/* Profiles of one multi-profile UKI (systemd's UNIFIED_PROFILES_MAX). */
#define PV_MAX_UKI_PROFILES 256
/* Add-ons applied to one UKI (global plus its NAME.efi.extra.d). */
#define PV_MAX_UKI_ADDONS 64
/* One .osrel, .uname, .profile or .cmdline section we read as text. */
#define PV_MAX_UKI_TEXT (64u << 10)
/* The kernel check (kernel/kcheck.c) reads only these: the header region
 * (bzImage setup header, ELF header and program headers), the payload's
 * first bytes (xz stream and block headers), and of each note segment. */
#define PV_KCHECK_HEAD 4096
#define PV_KCHECK_PAYLOAD_HEAD 512
#define PV_KCHECK_NOTES (64u << 10)
#define PV_KCHECK_MAX_PHDRS 64
/* Entries whose kernels --list-entries checks (each costs a few reads). */
#define PV_KCHECK_LIST_MAX 64

/* --- output --- */
/* Kernel command line: Xen's MAX_GUEST_CMDLINE is 1024 including the NUL,
 * so a longer line would be silently truncated by the hypervisor. */
#define PV_MAX_ARGS 1023
/* Per copied file, overridable by PYGRUB_MAX_FILE_SIZE_MB (pygrub's name). */
#define PV_DEFAULT_MAX_FILE_MB 128
/* Segments (extents) describing one kernel or ramdisk. */
#define PV_MAX_SEGMENTS 65536

/* --- domain configs (--domain-config; a root-owned dom0 file) --- */
/* bootloader_args items taken from one config, and one item's length. */
#define PV_MAX_DOMCFG_ARGS 64
#define PV_MAX_DOMCFG_ARG_BYTES 4096

/* --- --json and --diagnose --- */
/* The JSON document: entries are already capped by PV_MAX_ENTRIES and
 * PV_MAX_WORKER_TEXT; escaping at most sextuples a byte. */
#define PV_MAX_JSON_BYTES (64u << 20)
/* --diagnose's report, inside the worker's text answer. */
#define PV_MAX_DIAG_BYTES (PV_MAX_WORKER_TEXT / 2)
/* One report line before wrapping (longer values are cut). */
#define PV_MAX_DIAG_LINE 4096
/* Kernel checks: ELF program headers and note bytes looked at (real
 * kernels have < 16 headers and a few KiB of notes). */
#define PV_MAX_KCHECK_PHDRS 64
#define PV_MAX_KCHECK_NOTE_BYTES (64u << 10)

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
/* File bytes the worker sends itself (compressed or inline data) travel in
 * frames of at most this many bytes, and each side holds one frame: the
 * memory for a 128 MiB compressed initrd is one chunk, not the file. */
#define PV_WIRE_CHUNK (1u << 20)
/* RLIMIT_NOFILE in the worker: it opens nothing, it only keeps a few fds. */
#define PV_WORKER_NOFILE 16
/* bytes of /etc/passwd searched for "nobody" before asking getpwnam()
 * (bootloader/privileged/nobody.c) */
#define PV_PASSWD_SCAN_BYTES 8192
/* RLIMIT_STACK in the worker: every parser's recursion is bounded well
 * below this (glibc's usual default). */
#define PV_WORKER_STACK_BYTES (8u << 20)
/* The interactive menu, on the supervisor's side: however the screen
 * behaves, it must give its answer within the config's timeout plus this
 * (a config that waits for a key: this alone); then the default boots,
 * and if the screen still does not return, the run ends as on SIGTERM. */
#define PV_MENU_GRACE_SECONDS 120
#define PV_MENU_HARD_EXTRA_SECONDS 5

/* --- network boot (--location) --- */
/* The whole fetch, kernel and ramdisk together: below libxl's 120 s
 * bootloader timeout, leaving it time to read the files. */
#define PV_NET_TOTAL_SECONDS 100
/* One TCP/TLS connection set-up. */
#define PV_NET_CONNECT_SECONDS 20
/* Redirects followed for one file (curl's own default is unlimited). */
#define PV_NET_MAX_REDIRS 5
/* A location or a URL built from it. */
#define PV_NET_MAX_URL 4096
/* A --cacert bundle read by the supervisor (Debian's whole store is 200 KiB). */
#define PV_NET_MAX_CA_BYTES (4u << 20)
/* The network worker: sockets, TLS and the resolver need more fds and
 * memory than the disk worker, and threads (curl's resolver). */
#define PV_NET_NOFILE 64
#define PV_NET_MAX_RAM_MB 512

/* --- grubenv writes (issue 15) --- */
/* The largest environment block save_env edits and pvboot writes back.
 * grub-editenv writes 1024 bytes; a bigger grubenv is still read (up to
 * PV_MAX_CONFIG_SIZE) but save_env on it fails, so the answer and the
 * supervisor's write stay small. */
#define PV_MAX_ENVBLK_WRITE (64u << 10)
/* Distinct environment files one run may change (grubenv, load_env -f). */
#define PV_MAX_ENV_FILES 4
/* Disk ranges one written block may occupy (its filesystem extents). */
#define PV_MAX_ENV_RANGES 16
/* save_env commands recorded per entry body (savedefault runs at boot),
 * and variable names per save_env. */
#define PV_MAX_ENV_SAVES 16
#define PV_MAX_ENV_NAMES 32
/* The supervisor never writes into the first or last MiB of the disk: the
 * MBR/GPT headers and entry arrays and the backup GPT live there. */
#define PV_ENV_GUARD_BYTES (1u << 20)

/* --- menu passwords (issue 16) --- */
/* PBKDF2 rounds a guest's grub.pbkdf2.sha512 hash may ask for: GRUB's
 * grub-mkpasswd-pbkdf2 uses 10000 by default; 100x that is about 1 s of
 * SHA-512 in the worker per attempt, while 2^31 (what a hostile config
 * can write) would be hours.  Above this the hash is refused. */
#define PV_MAX_PBKDF2_ITERATIONS 1000000u
/* Salt and hash bytes of a pbkdf2 hash (grub-mkpasswd-pbkdf2 writes 64
 * and 64; the hex text is twice that). */
#define PV_MAX_PBKDF2_SALT 256
#define PV_MAX_PBKDF2_HASH 64
/* Users (password / password_pbkdf2 lines) kept per config; longer
 * names, passwords, hashes and superusers lists are refused. */
#define PV_MAX_MENU_USERS 64
#define PV_MAX_MENU_USER_NAME 64
#define PV_MAX_MENU_SECRET 1024
#define PV_MAX_MENU_SUPERUSERS 1024
/* What the console may type at a username or password prompt. */
#define PV_MAX_LOGIN_TEXT 128
/* Wrong passwords: each one waits this long before the next prompt, and
 * after this many in one run no prompt is offered any more (the menu
 * still boots the unlocked entries). */
#define PV_LOGIN_FAIL_DELAY_MS 1000
#define PV_MAX_LOGIN_FAILURES 3
/* Logins of any outcome in one run: each may cost the worker one PBKDF2
 * of PV_MAX_PBKDF2_ITERATIONS (~1 s of CPU), well inside its RLIMIT_CPU
 * (PV_WORKER_CPU_SECONDS). */
#define PV_MAX_LOGIN_ATTEMPTS 10
/* The supervisor waits this long for the worker's verdict on a login
 * (one PBKDF2 of at most PV_MAX_PBKDF2_ITERATIONS rounds). */
#define PV_LOGIN_REPLY_SECONDS 30
/* The raw disk's read cache (partition/disk_cache.c): this many aligned
 * blocks of this size, so the probes of one partition (MD, LVM, each
 * filesystem's magic) share one read of its first block. */
#define PV_DISK_CACHE_BLOCKS 8
#define PV_DISK_CACHE_BLOCK 4096

#endif
