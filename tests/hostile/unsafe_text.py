#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# unsafe_text.py FILE...: exit 1 (and name the first) if any file holds a
# character pvboot must never print raw: a C0 control other than newline
# (and NUL, simple0's separator), DEL, a C1 control (U+0080..U+009F, or a
# lone byte 0x80..0x9f), a bidi control or U+2028/U+2029 (common/sanitize.h).
import sys

BAD = set(range(0x01, 0x20)) - {0x0a} | {0x7f} | set(range(0x80, 0xa0)) | \
    {0x061c, 0x200e, 0x200f, 0x2028, 0x2029} | set(range(0x202a, 0x202f)) | \
    set(range(0x2066, 0x206a)) | set(range(0xdc80, 0xdca0))
status = 0
for path in sys.argv[1:]:
    text = open(path, 'rb').read().decode('utf-8', 'surrogateescape')
    for i, ch in enumerate(text):
        if ord(ch) in BAD:
            print('%s: raw U+%04X at character %d' % (path, ord(ch), i))
            status = 1
            break
sys.exit(status)
