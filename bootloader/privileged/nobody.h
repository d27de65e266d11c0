/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ids the worker drops to when no --runas is given: "nobody" of the
 * host's /etc/passwd, read directly.  getpwnam() would first parse
 * nsswitch.conf and try nscd's socket twice, allocating and faulting in
 * its buffers at every start (issue 12); it is still asked when
 * /etc/passwd has no such line (nobody from LDAP, say).
 */
#ifndef PVBOOT_BOOTLOADER_NOBODY_H
#define PVBOOT_BOOTLOADER_NOBODY_H

#include <sys/types.h>

/* Fill *uid and *gid: /etc/passwd's nobody, else getpwnam("nobody"),
 * else 65534 (Debian's and most distributions' nobody/nogroup). */
void nobody_ids(uid_t *uid, gid_t *gid);

/* The parser, for the unit test: the nobody line of a passwd file's
 * bytes.  0, or -1 if there is none (or it is malformed). */
int nobody_parse(const char *text, size_t len, uid_t *uid, gid_t *gid);

#endif
