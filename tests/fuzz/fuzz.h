/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every fuzz target defines LLVMFuzzerTestOneInput; built with
 * -fsanitize=fuzzer it is a libFuzzer target, built plainly it links with
 * replay.c and replays corpus files (so `make check` runs the corpora
 * without clang). */
#ifndef PVBOOT_TESTS_FUZZ_H
#define PVBOOT_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
