#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--diagnose: the operator's report when xl says "Boot loader didn't
return any data".  On the test images and on a disk made here (a bzImage
with a gzip payload, an ELF with Xen's PVH note, a non-PV entry, a default
that names nothing, an entry whose kernel is missing): every section is
there, each line fits 80 columns, exit 0 exactly when something would
boot, and a hostile title cannot put a control byte on the terminal."""
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, finish, image, manifest, skip, tempdir, PVBOOT  # noqa: E402


def diagnose(args):
    p = subprocess.run([PVBOOT, "--diagnose"] + args, stdin=subprocess.DEVNULL,
                       capture_output=True)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def fits(label, raw):
    text = raw.decode("utf-8")
    long = [l for l in text.split("\n") if len(l) > 80]
    check(label + ": every line fits 80 columns", not long, repr(long[:2]))
    check(label + ": no control byte but newlines",
          not any(b < 0x20 and b != 0x0a or b == 0x7f for b in raw))
    return text


def has(label, text, *needles):
    for n in needles:
        check("%s: says %r" % (label, n), n in text, text[-600:])


def bzimage():
    k = bytearray(64 << 10)
    k[0x1f1] = 1                                  # setup_sects
    k[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", k, 0x206, 0x020f)      # protocol 2.15
    struct.pack_into("<II", k, 0x248, 0x100, 1000)  # payload offset, length
    k[0x500:0x503] = b"\x1f\x8b\x08"              # gzip at (1+1)*512+0x100
    return bytes(k)


def elf_pvh():
    note = struct.pack("<III", 4, 4, 18) + b"Xen\0" + b"\0\0\x10\0"
    hdr = bytearray(64)
    hdr[0:7] = b"\x7fELF\x02\x01\x01"
    struct.pack_into("<HHI", hdr, 16, 2, 62, 1)   # ET_EXEC, x86-64
    struct.pack_into("<Q", hdr, 32, 64)           # e_phoff
    struct.pack_into("<HH", hdr, 54, 56, 1)       # e_phentsize, e_phnum
    ph = struct.pack("<IIQQQQQQ", 4, 4, 200, 0, 0, len(note), len(note), 4)
    body = bytes(hdr) + ph
    return body + b"\0" * (200 - len(body)) + note + b"\0" * 4096


def main():
    name = "mbr-ext4"
    m = manifest(name)
    st, out, err = diagnose([image(name)])
    text = fits("mbr-ext4", out)
    check("mbr-ext4: exit 0 (it would boot)", st == 0, err)
    has("mbr-ext4", text, "disk: 32MiB (33554432 bytes)", "partition table: dos",
        "filesystem: ext4", "config /boot/grub/grub.cfg", "grub2 format",
        '"Debian GNU/Linux" (the default)', 'default: the config says "0"',
        "step: resolves to [0]", "kernel /boot/vmlinuz-6.1.0-13-amd64: found",
        "check: 700001 bytes", "result: would boot entry [0]")
    for t in m["titles"].split("|"):
        has("mbr-ext4 entries", text, t)

    st, out, err = diagnose([image("noboot")])
    text = fits("noboot", out)
    check("noboot: exit 2 (nothing would boot)", st == 2, err)
    has("noboot", text, "partition table: gpt", "BIOS boot", "no filesystem",
        "rejected: no config file", "result: nothing would boot")

    d = tempdir()
    root = os.path.join(d, "root")
    os.makedirs(os.path.join(root, "boot/grub"))
    with open(os.path.join(root, "boot/bz"), "wb") as f:
        f.write(bzimage())
    with open(os.path.join(root, "boot/pvh"), "wb") as f:
        f.write(elf_pvh())
    with open(os.path.join(root, "boot/grub/grub.cfg"), "wb") as f:
        f.write(b"set default='no such entry'\n"
                b"menuentry 'chain \x1b[31mred' { chainloader +1 }\n"
                b"menuentry 'bz' { linux /boot/bz ro }\n"
                b"menuentry 'pvh' --id=pvh { linux /boot/pvh ro }\n"
                b"menuentry 'gone' { linux /boot/missing ro }\n")
    disk = os.path.join(d, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(8 << 20)
    if subprocess.run(["mkfs.ext4", "-q", "-F", "-d", root, disk],
                      capture_output=True).returncode != 0:
        skip("--diagnose crafted disk", "mkfs.ext4 -d failed")
    else:
        st, out, err = diagnose([disk])
        text = fits("crafted", out)
        check("crafted: exit 0", st == 0, err)
        has("crafted", text, "partition table: none", "cannot boot here:",
            "chain \\x1b[31mred", 'the config says "no such entry"',
            'step: default "no such entry" names no menu entry', "resolves to [1]", "check: bzImage, Linux boot protocol 2.15",
            "compression gzip")
        st, out, err = diagnose(["--entry=pvh", disk])
        text = fits("crafted pvh", out)
        has("crafted pvh", text, "--entry=pvh overrides it", "check: ELF64, machine x86-64",
            "PHYS32_ENTRY (PVH)", "result: would boot entry [2]")
        st, out, err = diagnose(["--entry=gone", disk])
        text = fits("crafted gone", out)
        check("crafted gone: exit 2", st == 2, err)
        has("crafted gone", text, "rejected: kernel /boot/missing", "result: nothing would boot")
    shutil.rmtree(d)
    finish()


if __name__ == "__main__":
    main()
