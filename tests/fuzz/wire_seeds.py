#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Valid worker answers in the wire format (bootloader/wire/wire.h,
version 3), each followed by its stream, as seeds for the wire fuzz
target: python3 wire_seeds.py OUTDIR."""
import os
import struct
import sys

NULL = None
DISK, ZERO, BYTES = 1, 2, 3
ABORT = 0xffffffff


def s(v):
    if v is None:
        return struct.pack('<I', 0xffffffff)
    b = v.encode() if isinstance(v, str) else v
    return struct.pack('<I', len(b)) + b


def blob(segs):
    out = struct.pack('<I', len(segs))
    for seg in segs:
        kind, off, n = seg[:3]
        f = seg[3] if len(seg) > 3 else 0  # the file of a backing chain
        out += struct.pack('<BBQQ', kind, f, off, n)
    return out


def answer(code=0, status=0, error=NULL, args=NULL, kpath=NULL, rpath=NULL,
           text=NULL, log=NULL, backing=NULL, have_rd=0, kernel=(),
           ramdisk=()):
    body = struct.pack('<ii', code, status)
    for f in (error, args, kpath, rpath, text, log, backing):
        body += s(f)
    body += struct.pack('<B', have_rd) + blob(kernel) + blob(ramdisk)
    return b'PVB3' + struct.pack('<IQ', 3, len(body)) + body


def menu(items, default=0, timeout=5, hidden=0):
    body = struct.pack('<IIiB', len(items), default, timeout, hidden)
    for bootable, path, title in items:
        body += struct.pack('<B', bootable) + s(path) + s(title)
    return b'PVM1' + struct.pack('<IQ', 1, len(body)) + body


def frames(data, chunk):
    out = b''
    for i in range(0, len(data), chunk):
        part = data[i:i + chunk]
        out += struct.pack('<I', len(part)) + part
    return out


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    seeds = {}
    k = [(DISK, 1 << 20, 4096), (ZERO, 0, 8192), (BYTES, 0, 7),
         (DISK, 9 << 20, 100)]
    rd = [(DISK, 2 << 20, 65536), (BYTES, 0, 3)]
    boot = answer(args='root=/dev/xvda1 ro quiet', kpath='/boot/vmlinuz',
                  rpath='/boot/initrd.img', log='warning: p1: no fs\n',
                  have_rd=1, kernel=k, ramdisk=rd)
    seeds['boot-disk-and-bytes'] = boot + frames(b'inline!xyz', 4)
    seeds['boot-one-frame'] = boot + frames(b'inline!xyz', 10)
    seeds['boot-no-ramdisk'] = answer(args='', kpath='/vmlinuz',
                                      kernel=[(DISK, 0, 512)])
    seeds['boot-compressed'] = answer(
        args='ro', kpath='/root/boot/vmlinuz', rpath='/root/boot/initramfs',
        have_rd=1, kernel=[(BYTES, 0, 300)],
        ramdisk=[(BYTES, 0, 100), (ZERO, 0, 4096), (BYTES, 0, 50)]) + \
        frames((bytes(range(256)) * 2)[:450], 200)
    seeds['not-really'] = answer(args='ro', kpath='/boot/vmlinuz',
                                 rpath='/boot/initrd', have_rd=1)
    seeds['listing'] = answer(text='title: Debian\n  kernel: /vmlinuz\n')
    seeds['failure'] = answer(code=-2, status=3,
                              error='p2 (ext4): grub.cfg:41: bad')
    seeds['abort'] = answer(args='ro', kpath='/k', kernel=[(BYTES, 0, 20)]) + \
        frames(b'0123456789', 10) + struct.pack('<I', ABORT) + \
        answer(code=-2, status=3, error='zstd: corrupt frame')
    seeds['menu-then-boot'] = menu([(1, '0', 'Debian GNU/Linux'),
                                    (0, '1', 'Advanced options'),
                                    (1, '1>0', 'Debian, with Linux 6.1')],
                                   default=2) + seeds['boot-one-frame']
    # --allow-backing: a request for the next level, and a boot reading
    # from backing files 1 and 2 (the fuzz target opens two)
    seeds['backing-request'] = answer(backing='../base.qcow2')
    seeds['boot-backing-files'] = answer(
        args='ro', kpath='/boot/vmlinuz', kernel=[(DISK, 65536, 4096, 2),
                                                  (DISK, 4096, 512, 1),
                                                  (ZERO, 0, 512),
                                                  (DISK, 0, 512, 0)])
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main(sys.argv[1])
