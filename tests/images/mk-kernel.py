#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Kernel-shaped files for the kernel check's tests (test-only).

  mk-kernel.py bzimage OUT PAYLOAD [--protocol 0x20f] [--bits 64|32]
                                   [--payload-outside] [--xz-dict-mib N]
      An x86 bzImage: a real setup header (boot flag, "HdrS", protocol
      version, xloadflags, payload_offset/payload_length) and PAYLOAD,
      already compressed by the tool under test, where the header says.
      --xz-dict-mib rewrites an xz payload's LZMA2 dictionary property
      (and the block header's CRC32): the data stays valid, and no 1 GiB
      encoder is needed to make a 128 MiB-dictionary stream.
  mk-kernel.py elf OUT [--bits 64|32] [--notes xen|none] [--pvh]
      An ELF executable for x86 with a PT_LOAD and, with --notes xen, a
      PT_NOTE segment of Xen ELF notes (GUEST_OS, XEN_VERSION, ENTRY, and
      with --pvh XEN_ELFNOTE_PHYS32_ENTRY).
"""
import argparse
import struct
import zlib

SETUP_SECTS = 4


def xz_set_dict(data, mib):
    """Set the LZMA2 dictionary property of the first block's filters."""
    b = bytearray(data)
    assert b[:6] == b"\xfd7zXZ\x00"
    hsize = (b[12] + 1) * 4
    flags = b[13]
    i = 14

    def varint(i):
        v, k = 0, 0
        while True:
            c = b[i]
            v |= (c & 0x7F) << (7 * k)
            i += 1
            k += 1
            if not c & 0x80:
                return v, i

    if flags & 0x40:
        _, i = varint(i)
    if flags & 0x80:
        _, i = varint(i)
    for _ in range((flags & 3) + 1):
        fid, i = varint(i)
        psz, i = varint(i)
        if fid == 0x21:
            want = mib << 20
            for p in range(41):
                if ((2 | (p & 1)) << (p // 2 + 11)) == want:
                    b[i] = p
                    break
            else:
                raise SystemExit("no LZMA2 property for %d MiB" % mib)
        i += psz
    crc = zlib.crc32(bytes(b[12:12 + hsize - 4])) & 0xFFFFFFFF
    b[12 + hsize - 4:12 + hsize] = struct.pack("<I", crc)
    return bytes(b)


def bzimage(a):
    payload = open(a.payload, "rb").read()
    if a.xz_dict_mib:
        payload = xz_set_dict(payload, a.xz_dict_mib)
    setup = bytearray((SETUP_SECTS + 1) * 512)
    setup[0x1F1] = SETUP_SECTS
    setup[0x1FE:0x200] = b"\x55\xaa"
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, a.protocol)
    setup[0x211] = 1  # loadflags: LOADED_HIGH
    struct.pack_into("<H", setup, 0x236, 1 if a.bits == 64 else 0)
    pm_head = b"\x90" * 0x200  # stands for the decompressor's code
    off = len(pm_head)
    length = len(payload)
    if a.payload_outside:
        off += 1 << 30
    struct.pack_into("<II", setup, 0x248, off, length)
    with open(a.out, "wb") as f:
        f.write(bytes(setup) + pm_head + payload + b"\0" * 4)


def note(name, typ, desc):
    n = name + b"\0"
    pad = lambda x: x + b"\0" * (-len(x) % 4)
    return struct.pack("<III", len(n), len(desc), typ) + pad(n) + pad(desc)


def elf(a):
    is64 = a.bits == 64
    notes = b""
    if a.notes == "xen":
        notes += note(b"Xen", 6, b"linux\0")       # GUEST_OS
        notes += note(b"Xen", 5, b"xen-3.0\0")     # XEN_VERSION
        notes += note(b"Xen", 1, struct.pack("<Q" if is64 else "<I", 0x1000))
        if a.pvh:
            notes += note(b"Xen", 18, struct.pack("<I", 0x1000000))
    ehsize, phsize = (64, 56) if is64 else (52, 32)
    phnum = 2 if notes else 1
    code_off = 0x1000
    code = b"\xf4" * 0x1000
    notes_off = code_off + len(code)
    if is64:
        eh = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0,
                         b"\0" * 7, 2, 62, 1, 0xFFFFFFFF81000000, ehsize, 0, 0,
                         ehsize, phsize, phnum, 0, 0, 0)
        ph = struct.pack("<IIQQQQQQ", 1, 5, code_off, 0xFFFFFFFF81000000,
                         0x1000000, len(code), len(code), 0x1000)
        if notes:
            ph += struct.pack("<IIQQQQQQ", 4, 4, notes_off, 0, 0, len(notes),
                              len(notes), 4)
    else:
        eh = struct.pack("<4sBBBBB7sHHIIIIIHHHHHH", b"\x7fELF", 1, 1, 1, 0, 0,
                         b"\0" * 7, 2, 3, 1, 0xC1000000, ehsize, 0, 0,
                         ehsize, phsize, phnum, 0, 0, 0)
        ph = struct.pack("<IIIIIIII", 1, code_off, 0xC1000000, 0x1000000,
                         len(code), len(code), 5, 0x1000)
        if notes:
            ph += struct.pack("<IIIIIIII", 4, notes_off, 0, 0, len(notes),
                              len(notes), 4, 4)
    head = eh + ph
    head += b"\0" * (code_off - len(head))
    with open(a.out, "wb") as f:
        f.write(head + code + notes)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="kind", required=True)
    b = sub.add_parser("bzimage")
    b.add_argument("out")
    b.add_argument("payload")
    b.add_argument("--protocol", type=lambda s: int(s, 0), default=0x20F)
    b.add_argument("--bits", type=int, default=64)
    b.add_argument("--payload-outside", action="store_true")
    b.add_argument("--xz-dict-mib", type=int, default=0)
    e = sub.add_parser("elf")
    e.add_argument("out")
    e.add_argument("--bits", type=int, default=64)
    e.add_argument("--notes", default="xen")
    e.add_argument("--pvh", action="store_true")
    a = p.parse_args()
    (bzimage if a.kind == "bzimage" else elf)(a)


main()
