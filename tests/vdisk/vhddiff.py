#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a differencing VHD from the VHD specification (QEMU's qemu-img
cannot create one): vhddiff.py PARENT.vhd BELOW.raw NEW.raw OUT.vhd
LOCATOR NAME

BELOW.raw is what PARENT.vhd reads as, NEW.raw what OUT.vhd must read as.
Only the 2 MiB blocks where they differ are allocated, and in them only
the differing sectors have their bitmap bit set; the other sectors of an
allocated block hold 0xa5 garbage, so a reader that ignores the bitmap
reads wrong bytes.  LOCATOR is W2ru, W2ku (UTF-16LE) or MacX (a UTF-8
file:// URL): the one parent locator, holding NAME."""
import struct
import sys
import time
import uuid

BLOCK = 2 << 20
SECT = 512


def checksum(b, at):
    b[at:at + 4] = b"\0\0\0\0"
    b[at:at + 4] = struct.pack(">I", ~sum(b) & 0xffffffff)


def main(parent, below, new, out, locator, name):
    pf = open(parent, "rb").read()[-512:]
    assert pf[:8] == b"conectix", "parent has no VHD footer"
    size = struct.unpack(">Q", pf[48:56])[0]
    a = open(below, "rb").read()[:size].ljust(size, b"\0")
    n = open(new, "rb").read()[:size].ljust(size, b"\0")
    nblocks = (size + BLOCK - 1) // BLOCK
    bat_off = 512 + 1024
    bat_len = (nblocks * 4 + 511) // 512 * 512
    if locator == "MacX":
        data = ("file://" + name).encode()
        code = b"MacX"
    else:
        data = name.encode("utf-16-le")
        code = locator.encode()
    loc_off = bat_off + bat_len
    loc_space = (len(data) + 511) // 512 * 512
    at = loc_off + loc_space
    bitmap_len = (BLOCK // SECT // 8 + 511) // 512 * 512
    bat = [0xffffffff] * nblocks
    blocks = b""
    for i in range(nblocks):
        lo, hi = i * BLOCK, min(size, (i + 1) * BLOCK)
        if a[lo:hi] == n[lo:hi]:
            continue
        bits = bytearray(bitmap_len)
        data_blk = bytearray(b"\xa5" * BLOCK)
        for s in range((hi - lo) // SECT):
            o = lo + s * SECT
            if a[o:o + SECT] != n[o:o + SECT]:
                bits[s // 8] |= 0x80 >> (s % 8)
                data_blk[s * SECT:(s + 1) * SECT] = n[o:o + SECT]
        bat[i] = (at + len(blocks)) // SECT
        blocks += bytes(bits) + bytes(data_blk)
    foot = bytearray(512)
    foot[0:8] = b"conectix"
    struct.pack_into(">IIQI", foot, 8, 2, 0x00010000, 512,
                     int(time.time()) - 946684800)
    foot[28:32] = b"pvbt"
    struct.pack_into(">I", foot, 32, 0x00010000)
    foot[36:40] = b"Wi2k"
    struct.pack_into(">QQ", foot, 40, size, size)
    foot[56:60] = pf[56:60]  # the parent's geometry
    struct.pack_into(">I", foot, 60, 4)  # differencing
    foot[68:84] = uuid.uuid4().bytes
    checksum(foot, 64)
    hdr = bytearray(1024)
    hdr[0:8] = b"cxsparse"
    struct.pack_into(">QQIII", hdr, 8, 0xffffffffffffffff, bat_off,
                     0x00010000, nblocks, BLOCK)
    hdr[40:56] = pf[68:84]  # the parent's unique id
    hdr[56:60] = pf[24:28]  # and its time stamp
    leaf = name.rsplit("/", 1)[-1].encode("utf-16-be")[:512]
    hdr[64:64 + len(leaf)] = leaf
    struct.pack_into(">4sIIIQ", hdr, 576, code, loc_space // 512, len(data),
                     0, loc_off)
    checksum(hdr, 36)
    batb = b"".join(struct.pack(">I", e) for e in bat).ljust(bat_len, b"\xff")
    with open(out, "wb") as f:
        f.write(bytes(foot) + bytes(hdr) + batb + data.ljust(loc_space, b"\0")
                + blocks + bytes(foot))


if __name__ == "__main__":
    main(*sys.argv[1:7])
