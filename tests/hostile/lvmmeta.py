#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/hostile/lvmmeta.py DISK PVOFF MODE [ARGS...]
#
# Rewrites the committed LVM2 metadata copy of the PV that starts at byte
# PVOFF of DISK (every metadata area of it), re-computing lvm2's checksums
# so only the content is hostile:
#   sub OLD NEW      replace the first OLD in the text by NEW (re.sub)
#   text FILE        replace the whole text by FILE's bytes
#   badcrc           keep the text, break its checksum
# Layout: lvm2's lib/format_text/layout.h (label in sectors 0-3, PV header,
# metadata area header, raw_locn[0], circular text after the header).
import re
import struct
import sys
import zlib

INIT = 0xf597a6cf


def lvm_crc(data, init=INIT):
    # lvm2's calc_crc: crc32 without the pre/post inversion
    return (~zlib.crc32(data, ~init & 0xffffffff)) & 0xffffffff


def main():
    disk, pvoff, mode = sys.argv[1], int(sys.argv[2], 0), sys.argv[3]
    f = open(disk, 'r+b')
    for s in range(4):
        f.seek(pvoff + 512 * s)
        sec = f.read(512)
        if sec[:8] == b'LABELONE':
            break
    else:
        sys.exit('no LVM2 label')
    hoff, = struct.unpack_from('<I', sec, 20)
    p = hoff + 32 + 8
    mdas = []
    for lst in range(2):
        while True:
            o, sz = struct.unpack_from('<QQ', sec, p)
            p += 16
            if o == 0:
                break
            if lst == 1:
                mdas.append((o, sz))
    for (mo, msz) in mdas:
        f.seek(pvoff + mo)
        h = bytearray(f.read(512))
        off, size, csum, flags = struct.unpack_from('<QQII', h, 40)
        base = pvoff + mo

        def rd(o, n):
            out = b''
            while n:
                k = min(n, msz - o)
                f.seek(base + o)
                out += f.read(k)
                n -= k
                o = 512
            return out

        def wr(o, data):
            while data:
                k = min(len(data), msz - o)
                f.seek(base + o)
                f.write(data[:k])
                data = data[k:]
                o = 512

        text = rd(off, size)
        if mode == 'sub':
            new = re.sub(sys.argv[4].encode(), sys.argv[5].encode(), text, count=1)
        elif mode == 'text':
            new = open(sys.argv[4], 'rb').read()
        elif mode == 'badcrc':
            struct.pack_into('<I', h, 56, csum ^ 0x5a5a5a5a)
            struct.pack_into('<I', h, 0, lvm_crc(bytes(h[4:512])))
            f.seek(base)
            f.write(h)
            continue
        else:
            sys.exit('unknown mode')
        if len(new) > msz - 512:
            sys.exit('text does not fit the metadata area')
        wr(off, new)
        struct.pack_into('<QQI', h, 40, off, len(new), lvm_crc(new))
        struct.pack_into('<I', h, 0, lvm_crc(bytes(h[4:512])))
        f.seek(base)
        f.write(h)


main()
