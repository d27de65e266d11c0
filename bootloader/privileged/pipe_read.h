/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the worker's pipe against a wall-clock deadline. */
#ifndef PVBOOT_BOOTLOADER_PIPE_READ_H
#define PVBOOT_BOOTLOADER_PIPE_READ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* CLOCK_MONOTONIC in milliseconds. */
int64_t now_ms(void);

/* Read up to len bytes before the deadline; returns bytes read (short on
 * EOF), or -1 on timeout/error (errno ETIMEDOUT for the former). */
ssize_t read_full(int fd, uint8_t *p, size_t len, int64_t deadline);

#endif
