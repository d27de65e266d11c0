#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Byte surgery on test images: patch.py FILE OFFSET FORMAT VALUE...
# FORMAT is a struct format ("<I", "<Q", "B", "4s" ...); values are ints
# (0x... allowed) or, for "s" formats, text.  Also: patch.py FILE crc32-gpt
# OFF_HDR recomputes a GPT header CRC (entries CRC first when asked).
import struct, sys, zlib

f = sys.argv[1]
with open(f, 'r+b') as fh:
    if sys.argv[2] == 'gpt-fix':
        # gpt-fix HDR_OFFSET: recompute entries CRC and header CRC
        hdr = int(sys.argv[3], 0)
        fh.seek(hdr)
        h = bytearray(fh.read(92))
        hsize, = struct.unpack_from('<I', h, 12)
        lba_entries, = struct.unpack_from('<Q', h, 72)
        n, esz = struct.unpack_from('<II', h, 80)
        if n * esz <= 1 << 24:
            fh.seek(lba_entries * 512)
            struct.pack_into('<I', h, 88, zlib.crc32(fh.read(n * esz)))
        fh.seek(hdr)
        full = bytearray(fh.read(max(hsize, 92) if hsize <= 512 else 92))
        full[:92] = h
        struct.pack_into('<I', full, 16, 0)
        struct.pack_into('<I', full, 16, zlib.crc32(bytes(full[:min(hsize, 512)])))
        fh.seek(hdr)
        fh.write(full)
        sys.exit(0)
    off = int(sys.argv[2], 0)
    fmt = sys.argv[3]
    vals = [v if fmt.endswith('s') else int(v, 0) for v in sys.argv[4:]]
    if fmt.endswith('s'):
        vals = [v.encode().decode('unicode_escape').encode('latin-1') for v in vals]
    fh.seek(off)
    fh.write(struct.pack(fmt, *vals))
