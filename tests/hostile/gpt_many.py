#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
import struct, sys, zlib
# gpt_many.py IMG FSIMG: a GPT disk with 128 partitions (the most pvboot
# probes), each a copy of the filesystem image FSIMG, none overlapping.
img, fsimg = sys.argv[1], sys.argv[2]
fs = open(fsimg, 'rb').read()
n = 128
fsec = (len(fs) + 511) // 512
sectors = 2048 + n * fsec + 34
buf = bytearray(sectors * 512)
linux = bytes.fromhex('AF3DC60F838472478E793D69D8477DE4')
ents = bytearray(n * 128)
for i in range(n):
    start = 2048 + i * fsec
    buf[start * 512:start * 512 + len(fs)] = fs
    struct.pack_into('<16s16sQQQ', ents, i * 128, linux, bytes([i + 1]) * 16,
                     start, start + fsec - 1, 0)
last = sectors - 1
def hdr(my, alt, ent_lba):
    h = bytearray(92)
    struct.pack_into('<8sIIIIQQQQ16sQIII', h, 0, b'EFI PART', 0x10000, 92, 0, 0,
                     my, alt, 34, last - 33, b'\x11' * 16, ent_lba, n, 128,
                     zlib.crc32(ents))
    struct.pack_into('<I', h, 16, zlib.crc32(h))
    return h
struct.pack_into('<BBBBBBBBII', buf, 446, 0, 0, 2, 0, 0xee, 0xff, 0xff, 0xff, 1, min(sectors - 1, 0xffffffff))
buf[510:512] = b'\x55\xaa'
buf[512:604] = hdr(1, last, 2)
buf[1024:1024 + len(ents)] = ents
buf[(last - 32) * 512:(last - 32) * 512 + len(ents)] = ents
buf[last * 512:last * 512 + 92] = hdr(last, 1, last - 32)
open(img, 'wb').write(buf)
