/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Values quoted as xl domain configs spell them, for --print-config. */
#ifndef PVBOOT_BOOTLOADER_XLQUOTE_H
#define PVBOOT_BOOTLOADER_XLQUOTE_H

#include "common/strbuf.h"

/*
 * Append s as a double-quoted xl config string that libxlutil reads back
 * as exactly s: only backslash and the double quote are escaped, plus the
 * control characters libxlutil names (\a \b \f \n \r \t \v); bytes >= 0x80
 * pass as they are.  libxlutil's numeric escapes (\xHH, \OOO) do not
 * store the byte they decode, so a value holding any other control
 * character cannot be written: PV_EINVAL.
 */
int xl_quote(struct strbuf *b, const char *s);

/* The lines of a direct boot: kernel = "K", [ramdisk = "R",] [cmdline =
 * "A"]; each newline-terminated.  0 or PV_EINVAL naming the value. */
int xl_direct_boot(struct strbuf *b, const char *kernel, const char *ramdisk,
		   const char *args);

#endif
