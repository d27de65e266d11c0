#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/images/mdsuper.py MEMBER VERSION [key=value...]
#
# Writes an MD RAID superblock into the member file MEMBER, from the
# on-disk format documented in Linux's include/uapi/linux/raid/md_p.h and
# md(4): 0.90 in the last 64 KiB-aligned 64 KiB, 1.0 8-16 sectors from the
# end, 1.1 at sector 0, 1.2 at sector 8.  The test checks the result with
# `mdadm --examine`, which reads superblocks without the md driver.
# Keys: level (1), raid_disks (2), dev_number (0), events (1),
# data_offset (sectors, 1.1/1.2: 2048), size (sectors per member: the rest),
# name ("pvboot:boot"), uuid (32 hex), roles ("0,1": dev_roles; 65535 spare,
# 65534 faulty), minor (0.90 md minor, 0), state (0.90 this_disk state, 6).
import os
import struct
import sys

MAGIC = 0xa92b4efc


def csum(buf, skip):
    s = 0
    n = len(buf) // 4 * 4
    for i in range(0, n, 4):
        if i != skip:
            s += struct.unpack_from('<I', buf, i)[0]
    if len(buf) % 4 == 2:
        s += struct.unpack_from('<H', buf, len(buf) - 2)[0]
    return ((s & 0xffffffff) + (s >> 32)) & 0xffffffff


def main():
    path, version = sys.argv[1], sys.argv[2]
    kv = dict(a.split('=', 1) for a in sys.argv[3:])
    size_b = os.path.getsize(path)
    sectors = size_b // 512
    level = int(kv.get('level', 1))
    raid_disks = int(kv.get('raid_disks', 2))
    dev_number = int(kv.get('dev_number', 0))
    events = int(kv.get('events', 1))
    uuid = bytes.fromhex(kv.get('uuid', '5a1e7b0c9d2f4e61a8b3c4d5e6f70812'))
    if version == '0.90':
        at = (size_b & ~(65536 - 1)) - 65536
        size = int(kv.get('size', at // 512))   # sectors; written in KiB
        b = bytearray(4096)
        w = lambda i, v: struct.pack_into('<I', b, i * 4, v & 0xffffffff)
        w(0, MAGIC); w(1, 0); w(2, 90); w(3, 0)
        w(5, int.from_bytes(uuid[0:4], 'little'))
        w(6, 1700000000)
        w(7, level); w(8, size // 2); w(9, raid_disks); w(10, raid_disks)
        w(11, int(kv.get('minor', 0)))
        for k in range(3):
            w(13 + k, int.from_bytes(uuid[4 + 4 * k:8 + 4 * k], 'little'))
        w(32, 1700000000); w(33, 1)  # utime, state clean
        w(34, raid_disks); w(35, raid_disks)
        w(39, events & 0xffffffff); w(40, events >> 32)
        state = int(kv.get('state', 6))
        for d in range(raid_disks):  # disks[d]: number major minor raid_disk state
            base = 128 + 32 * d
            w(base, d); w(base + 3, d); w(base + 4, state if d == dev_number else 6)
        base = 992  # this_disk
        w(base, dev_number); w(base + 3, dev_number); w(base + 4, state)
        w(38, csum(b, 38 * 4))
    else:
        if version == '1.0':
            at = ((sectors - 16) & ~7) * 512
            data_offset = int(kv.get('data_offset', 0))
            size = int(kv.get('size', at // 512 - data_offset))
        else:
            at = 0 if version == '1.1' else 4096
            data_offset = int(kv.get('data_offset', 2048))
            size = int(kv.get('size', sectors - data_offset))
        roles = [int(r) for r in kv.get('roles', ','.join(str(i) for i in range(raid_disks))).split(',')]
        max_dev = max(len(roles), 1)
        b = bytearray(256 + 2 * max_dev)
        struct.pack_into('<IIII', b, 0, MAGIC, 1, 0, 0)
        b[16:32] = uuid
        name = kv.get('name', 'pvboot:boot').encode()[:32]
        b[32:32 + len(name)] = name
        struct.pack_into('<QIIQII', b, 64, 1700000000, level, 0, size, 0, raid_disks)
        struct.pack_into('<QQQQ', b, 128, data_offset, sectors - data_offset if version != '1.0' else size, at // 512, 0)
        struct.pack_into('<II', b, 160, dev_number, 0)
        b[168:184] = bytes((dev_number + 1) * 17 % 256 for _ in range(16))
        struct.pack_into('<QQQ', b, 192, 1700000000, events, 0xffffffffffffffff)
        struct.pack_into('<I', b, 220, max_dev)
        for i, r in enumerate(roles):
            struct.pack_into('<H', b, 256 + 2 * i, r)
        struct.pack_into('<I', b, 216, csum(b, 216))
    with open(path, 'r+b') as f:
        f.seek(at)
        f.write(b)


main()
