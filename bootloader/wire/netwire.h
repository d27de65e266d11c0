/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The network worker's stream to the supervisor (pvboot --location=URL).
 * The worker speaks HTTP/TLS/FTP; the supervisor only reads these frames,
 * checks them and writes the bytes into files it created itself.
 *
 * frame:  u8 type | u32 length (little-endian) | length bytes
 *   NW_BEGIN   u8 which (NW_KERNEL/NW_RAMDISK) | the URL being fetched
 *              (starts a candidate: the supervisor empties that file)
 *   NW_DATA    bytes of the current candidate (at most NW_MAX_CHUNK)
 *   NW_END     u8 ok (1: the candidate is complete; 0: it was not there,
 *              try the next one) | a short reason
 *   NW_LAYOUT  the name of the install-tree layout that matched
 *   NW_FAIL    u8 NW_WHY_* | the one-line reason the whole fetch failed
 *   NW_DONE    nothing: the kernel (and the ramdisk, if any) are complete
 *   NW_SANDBOX the confinement layer that could not be put in place (the
 *              worker then exits without touching the network)
 * Anything out of this order, over a cap, or after NW_FAIL/NW_DONE makes
 * the supervisor kill the worker and fail the run.
 */
#ifndef PVBOOT_BOOTLOADER_NETWIRE_H
#define PVBOOT_BOOTLOADER_NETWIRE_H

#define NW_BEGIN 'B'
#define NW_DATA 'D'
#define NW_END 'E'
#define NW_LAYOUT 'L'
#define NW_FAIL 'F'
#define NW_DONE 'K'
#define NW_SANDBOX 'S'

/* NW_FAIL's first byte: which documented failure status it is */
#define NW_WHY_UNREACHABLE 0  /* not found, network, TLS, time: exit 2 */
#define NW_WHY_LIMIT 1        /* over the file cap, truncated: exit 3 */

#define NW_KERNEL 0
#define NW_RAMDISK 1

#define NW_HDR_SIZE 5
#define NW_MAX_CHUNK (64u << 10)  /* one NW_DATA frame */
#define NW_MAX_TEXT 2048u         /* a URL, reason or layout name */

#endif
