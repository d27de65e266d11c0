#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile edits of qcow2 and VHD images for tests/vdisk.sh.

patch.py CASE IN OUT: copy IN to OUT with one structure broken (CASE as
listed in CASES); fields are big-endian as the formats define them."""
import shutil
import struct
import sys
import zlib


def be32(b, o):
    return struct.unpack(">I", b[o:o + 4])[0]


def be64(b, o):
    return struct.unpack(">Q", b[o:o + 8])[0]


def put32(b, o, v):
    b[o:o + 4] = struct.pack(">I", v)


def put64(b, o, v):
    b[o:o + 8] = struct.pack(">Q", v)


def q_l2(b):
    """(offset of the first L2 table, cluster size)"""
    cs = 1 << be32(b, 20)
    l1 = be64(b, 40)
    for i in range(be32(b, 36)):
        e = be64(b, l1 + 8 * i) & 0x00fffffffffffe00
        if e:
            return e, cs
    raise SystemExit("no L2 table")


def q_first_data_entry(b):
    l2, cs = q_l2(b)
    for i in range(cs // 8):
        if be64(b, l2 + 8 * i):
            return l2 + 8 * i
    raise SystemExit("no data cluster")


def vhd_fix_footer(b, at):
    put32(b, at + 64, 0)
    put32(b, at + 64, ~sum(b[at:at + 512]) & 0xffffffff)


def run(case, b):
    if case == "qcow2-l1-past-eof":
        put64(b, 40, (len(b) + (1 << 20)) & ~0xffff)
    elif case == "qcow2-l1-too-small":
        put32(b, 36, 0)
    elif case == "qcow2-encrypted":
        put32(b, 32, 1)
    elif case == "qcow2-cluster-bits":
        put32(b, 20, 31)
    elif case == "qcow2-huge-size":
        put64(b, 24, 1 << 62)
    elif case == "qcow2-data-past-eof":
        o = q_first_data_entry(b)
        put64(b, o, (1 << 63) | ((len(b) + (1 << 24)) & 0x00fffffffffe0000))
    elif case == "qcow2-l2-points-at-itself":
        # every data entry of the first L2 table names the table itself
        l2, cs = q_l2(b)
        for i in range(cs // 8):
            if be64(b, l2 + 8 * i):
                put64(b, l2 + 8 * i, (1 << 63) | l2)
    elif case == "qcow2-compressed-expands":
        # the first compressed cluster: replace its data by a deflate
        # stream of twice the cluster size, and its sector count to match
        l2, cs = q_l2(b)
        cb = be32(b, 20)
        x = 62 - (cb - 8)
        for i in range(cs // 8):
            e = be64(b, l2 + 8 * i)
            if e & (1 << 62):
                host = e & ((1 << x) - 1)
                c = zlib.compressobj(9, zlib.DEFLATED, -15)
                z = c.compress(b"A" * (2 * cs)) + c.flush()
                b[host:host + len(z)] = z
                nsect = (len(z) + (host & 511) + 511) // 512 - 1
                put64(b, l2 + 8 * i, (1 << 62) | (nsect << x) | host)
                return
        raise SystemExit("no compressed cluster")
    elif case == "qcow2-compressed-garbage":
        l2, cs = q_l2(b)
        cb = be32(b, 20)
        x = 62 - (cb - 8)
        for i in range(cs // 8):
            e = be64(b, l2 + 8 * i)
            if e & (1 << 62):
                host = e & ((1 << x) - 1)
                b[host:host + 64] = b"\xff" * 64
                return
        raise SystemExit("no compressed cluster")
    elif case == "vhd-bad-checksum":
        b[len(b) - 512 + 40] ^= 0xff  # creator OS, covered by the checksum
    elif case == "vhd-differencing":
        put32(b, len(b) - 512 + 60, 4)
        vhd_fix_footer(b, len(b) - 512)
    elif case == "vhd-bat-past-eof":
        f = len(b) - 512
        dyn = be64(b, f + 16)
        bat = be64(b, dyn + 16)
        n = be32(b, dyn + 28)
        for i in range(n):
            if be32(b, bat + 4 * i) != 0xffffffff:
                put32(b, bat + 4 * i, (len(b) // 512) + 100)
                return
        raise SystemExit("no allocated block")
    elif case == "vhd-huge-table":
        f = len(b) - 512
        dyn = be64(b, f + 16)
        put32(b, dyn + 28, 0x7fffffff)
        put32(b, dyn + 36, 0)
        put32(b, dyn + 36, ~sum(b[dyn:dyn + 1024]) & 0xffffffff)
    else:
        raise SystemExit("unknown case " + case)


def main():
    case, src, dst = sys.argv[1:4]
    shutil.copyfile(src, dst)
    with open(dst, "r+b") as f:
        b = bytearray(f.read())
        run(case, b)
        f.seek(0)
        f.write(b)


if __name__ == "__main__":
    main()
