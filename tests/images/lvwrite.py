#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/images/lvwrite.py DISK FSFILE EXTENT_BYTES PV=DISKOFF[:PESTART]... < SEGMENTS
#
# Writes the filesystem image FSFILE into an LV of the disk image DISK at
# the extents lvm2 reports, since no LV can be activated here (no
# device-mapper).  SEGMENTS is the LV's
#   lvs --segments --units b --noheadings --separator ';'
#       -o seg_start,seg_size,stripes,stripe_size,seg_pe_ranges
# output; each PV=DISKOFF:PESTART says where that PV device starts on the
# disk and where its first extent is (bytes).  Striped segments are written
# stripe_size bytes at a time, round robin over their areas, as dm-stripe
# maps them.
import sys


def num(s):
    return int(s.strip().rstrip('B'))


def main():
    disk, fsfile, ext = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pvs = {}
    for a in sys.argv[4:]:
        name, rest = a.split('=', 1)
        off, pe = rest.split(':')
        pvs[name] = (int(off), int(pe))
    data = open(fsfile, 'rb').read()
    with open(disk, 'r+b') as d:
        for line in sys.stdin:
            if not line.strip():
                continue
            start, size, stripes, ssize, ranges = [f.strip() for f in line.split(';')]
            start, size, stripes, ssize = num(start), num(size), int(stripes), num(ssize)
            areas = []
            for r in ranges.split():
                dev, pe = r.rsplit(':', 1)
                first = int(pe.split('-')[0])
                base, pestart = pvs[dev]
                areas.append(base + pestart + first * ext)
            chunk = ssize if stripes > 1 else size
            pos = 0
            while pos < size:
                n = min(chunk, size - pos)
                c = pos // chunk
                where = areas[c % stripes] + (c // stripes) * chunk
                piece = data[start + pos:start + pos + n]
                if piece:
                    d.seek(where)
                    d.write(piece)
                pos += n


main()
