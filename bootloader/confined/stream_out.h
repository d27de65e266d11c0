/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worker's side of the wire (wire.h): its one answer, then, for a boot
 * answer, the bytes of its SEG_BYTES segments in chunk frames, read (and
 * decompressed) one chunk at a time.  Runs in the confined worker.
 */
#ifndef PVBOOT_BOOTLOADER_STREAM_OUT_H
#define PVBOOT_BOOTLOADER_STREAM_OUT_H

#include "bootloader/wire/result.h"

/* Send r (with code, 0 or PV_E*) on wfd.  An answer over a wire cap is
 * replaced by a failure answer saying so (status 3).  A segment whose
 * bytes cannot be read mid-stream ends the stream with an abort frame and
 * a failure answer (status 3).  A broken pipe ends the process (_exit).
 * cut != 0 (a test hook) sends half of the bytes due and stops. */
void stream_out(int wfd, struct boot_result *r, int code, int cut);

#endif
