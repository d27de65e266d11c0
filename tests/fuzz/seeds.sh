#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build small seed inputs for the disk-level fuzz targets into OUT/NAME/
# (disk images are generated, never committed: only small text seeds and
# named regression inputs live in tests/fuzz/corpus and tests/fuzz/regress).
set -euo pipefail
out=${1:?usage: seeds.sh OUTDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"/{partition,pipeline,volumes,fs_ext,fs_xfs,fs_fat,fs_iso9660,fs_btrfs}
# the worker's answers on the wire (written by a script, like the disks)
python3 "$(dirname "$0")/wire_seeds.py" "$out/wire"

tree=$tmp/tree
mkdir -p "$tree/boot/grub"
printf 'kernel-bytes' > "$tree/boot/vmlinuz-1"
printf 'initrd-bytes' > "$tree/boot/initrd.img-1"
ln -s vmlinuz-1 "$tree/boot/vmlinuz"
cat > "$tree/boot/grub/grub.cfg" <<'CFG'
set default="0"
menuentry 'Linux' --id linux { linux /boot/vmlinuz root=/dev/xvda1 ro ; initrd /boot/initrd.img-1 }
CFG

mke2fs -q -F -t ext2 -b 1024 -N 32 -d "$tree" "$tmp/ext2.img" 200k >/dev/null
cp "$tmp/ext2.img" "$out/fs_ext/ext2-small"
mke2fs -q -F -t ext4 -b 1024 -N 32 -O ^has_journal -d "$tree" "$tmp/ext4.img" 400k >/dev/null
cp "$tmp/ext4.img" "$out/fs_ext/ext4-small"
cp "$tmp/ext2.img" "$out/pipeline/whole-ext2"

# MBR and GPT disks holding the ext2 filesystem at sector 64
truncate -s 1M "$tmp/mbr.img"
printf 'label: dos\nstart=64, size=400, type=83, bootable\n' | sfdisk -q "$tmp/mbr.img" >/dev/null
dd if="$tmp/ext2.img" of="$tmp/mbr.img" bs=512 seek=64 conv=notrunc status=none
cp "$tmp/mbr.img" "$out/pipeline/mbr-ext2"
head -c 4096 "$tmp/mbr.img" > "$out/partition/mbr"
truncate -s 1M "$tmp/gpt.img"
printf 'label: gpt\nstart=64, size=400, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' | sfdisk -q "$tmp/gpt.img" >/dev/null
cp "$tmp/gpt.img" "$out/partition/gpt"
truncate -s 1M "$tmp/ext.img"
printf 'label: dos\nstart=64, size=200, type=5\nstart=300, size=200, type=83\n' | sfdisk -q "$tmp/ext.img" >/dev/null 2>&1 || true
printf 'label: dos\nstart=64, size=900, type=5\n' | sfdisk -q "$tmp/ext.img" >/dev/null 2>&1 || true
printf ',100,83\n,100,83\n' | sfdisk -q -N 5 "$tmp/ext.img" >/dev/null 2>&1 || true
cp "$tmp/ext.img" "$out/partition/extended"

if command -v mkfs.xfs >/dev/null; then
	truncate -s 300M "$tmp/xfs.img" 2>/dev/null
	if mkfs.xfs -q -f "$tmp/xfs.img" >/dev/null 2>&1; then
		head -c 65536 "$tmp/xfs.img" > "$out/fs_xfs/xfs-head"
	fi
fi

if command -v mkfs.fat >/dev/null && command -v mcopy >/dev/null; then
	rm -f "$tmp/fat.img"
	mkfs.fat -C -F 12 "$tmp/fat.img" 200 >/dev/null
	mcopy -s -i "$tmp/fat.img" "$tree/boot" ::/ 2>/dev/null || true
	cp "$tmp/fat.img" "$out/fs_fat/fat12-small"
fi
if command -v xorriso >/dev/null; then
	xorriso -as mkisofs -quiet -R -J -o "$tmp/iso.img" "$tree" >/dev/null 2>&1 &&
		cp "$tmp/iso.img" "$out/fs_iso9660/rr-joliet"
fi
if command -v mkfs.btrfs >/dev/null; then
	truncate -s 16M "$tmp/btrfs.img"
	mkfs.btrfs -q -f -M --rootdir "$tree" "$tmp/btrfs.img" >/dev/null 2>&1 &&
		cp "$tmp/btrfs.img" "$out/fs_btrfs/mixed-small"
fi

# Stacked volumes (volumes target): MD 1.2 and 0.90 members holding the
# ext2 filesystem, and an LVM2 PV written from the committed metadata text
# (tests/fuzz/corpus/lvm_text) with 4 KiB extents so the disk stays small.
here=$(cd "$(dirname "$0")" && pwd)
for v in 1.2 0.90; do
	truncate -s 512K "$tmp/md$v"
	python3 "$here/../images/mdsuper.py" "$tmp/md$v" "$v" data_offset=16
	dd if="$tmp/ext2.img" of="$tmp/md$v" bs=512 seek=$([ $v = 1.2 ] && echo 16 || echo 0) conv=notrunc status=none
	cp "$tmp/md$v" "$out/volumes/md-$v"
done
python3 - "$here/corpus/lvm_text/vg0-two-segments.vg" "$out/volumes/lvm-pv" <<'PY'
import re, struct, sys, zlib
crc = lambda b: (~zlib.crc32(b, ~0xf597a6cf & 0xffffffff)) & 0xffffffff
t = open(sys.argv[1], 'rb').read()
t = t.replace(b'extent_size = 2048', b'extent_size = 8').replace(b'pe_start = 2048', b'pe_start = 64')
uuid = re.search(rb'pv0 \{\s*id = "([^"]+)"', t).group(1).replace(b'-', b'')
size = 64 * 512 + 62 * 4096
mda_off, mda_size = 4096, 64 * 512 - 4096
d = bytearray(size)
lab = bytearray(512)
lab[0:8] = b'LABELONE'; struct.pack_into('<QII', lab, 8, 1, 0, 32); lab[24:32] = b'LVM2 001'
pvh = uuid + struct.pack('<Q', size) + struct.pack('<QQQQ', 64 * 512, 0, 0, 0) + struct.pack('<QQQQ', mda_off, mda_size, 0, 0)
lab[32:32 + len(pvh)] = pvh
struct.pack_into('<I', lab, 16, crc(bytes(lab[20:512])))
d[512:1024] = lab
h = bytearray(512)
h[4:20] = b' LVM2 x[5A%r0N*>'
struct.pack_into('<IQQ', h, 20, 1, mda_off, mda_size)
struct.pack_into('<QQII', h, 40, 512, len(t), crc(t), 0)
struct.pack_into('<I', h, 0, crc(bytes(h[4:512])))
d[mda_off:mda_off + 512] = h
d[mda_off + 512:mda_off + 512 + len(t)] = t
open(sys.argv[2], 'wb').write(d)
PY
# PE files (UKIs, add-ons) and kernels for the pe target: objcopy onto the
# systemd-stub when it is installed, and kernel-shaped files
mkdir -p "$out/pe"
stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
if [ -r "$stub" ] && command -v objcopy >/dev/null; then
	printf 'ID=debian\nPRETTY_NAME="Debian"\n' >"$tmp/osrel"
	printf 'root=/dev/xvda1 ro' >"$tmp/cmdline"
	printf 'ID=rescue\nTITLE=Rescue\n' >"$tmp/profile"
	head -c 3000 /dev/zero >"$tmp/linux"
	objcopy --add-section .osrel="$tmp/osrel" --change-section-vma .osrel=0x20000 \
		--add-section .cmdline="$tmp/cmdline" --change-section-vma .cmdline=0x30000 \
		--add-section .profile="$tmp/profile" --change-section-vma .profile=0x40000 \
		--add-section .linux="$tmp/linux" --change-section-vma .linux=0x100000 \
		"$stub" "$tmp/uki.efi" && head -c 131072 "$tmp/uki.efi" >"$out/pe/uki-head"
fi
here=$(cd "$(dirname "$0")" && pwd)
if command -v python3 >/dev/null; then
	head -c 2000 /dev/zero | xz --check=crc32 -c >"$tmp/p.xz"
	python3 "$here/../images/mk-kernel.py" bzimage "$out/pe/bzimage-xz" "$tmp/p.xz"
	python3 "$here/../images/mk-kernel.py" elf "$out/pe/elf-pvh" --pvh
fi

# disk images over a backing file (fuzz_vdisk): u32 LE length, the image,
# then its backing file
if command -v qemu-img >/dev/null && command -v qemu-io >/dev/null; then
	mkdir -p "$out/vdisk"
	vd=$tmp/vdisk; mkdir -p "$vd"
	seed() { # NAME IMAGE BACKING
		python3 -c 'import struct,sys; t=open(sys.argv[1],"rb").read(); b=open(sys.argv[2],"rb").read(); sys.stdout.buffer.write(struct.pack("<I",len(t))+t+b)' \
			"$2" "$3" >"$out/vdisk/$1"
	}
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 256)' >"$vd/base.raw"
	(cd "$vd" &&
	 qemu-img create -q -f qcow2 -o cluster_size=4096 -b base.raw -F raw top-raw.qcow2 &&
	 qemu-io -f qcow2 -c 'write -q -P 0x5a 8192 4096' -c 'write -q -z 20480 4096' top-raw.qcow2 &&
	 qemu-img convert -O qcow2 -o cluster_size=4096 base.raw base.qcow2 &&
	 qemu-img create -q -f qcow2 -o cluster_size=4096 -b base.qcow2 -F qcow2 top-q.qcow2 100k &&
	 qemu-io -f qcow2 -c 'write -q -P 0x33 4096 512' top-q.qcow2 &&
	 qemu-img convert -O vpc -o subformat=dynamic base.raw base.vhd &&
	 qemu-img convert -O raw base.vhd base-vhd.raw &&
	 python3 -c 'import sys; b=bytearray(open("base-vhd.raw","rb").read()); b[1024:1536]=b"\x77"*512; open("new.raw","wb").write(b)' &&
	 python3 "$here/../vdisk/vhddiff.py" base.vhd base-vhd.raw new.raw diff.vhd W2ru base.vhd) >/dev/null 2>&1 &&
	seed qcow2-over-raw "$vd/top-raw.qcow2" "$vd/base.raw" &&
	seed qcow2-over-qcow2-larger "$vd/top-q.qcow2" "$vd/base.qcow2" &&
	seed vhd-differencing "$vd/diff.vhd" "$vd/base.vhd" || true
fi
