# SPDX-License-Identifier: GPL-2.0-or-later
#
# Backing chains (--allow-backing, partition/vdisk.h and
# bootloader/privileged/backing.h), sourced by tests/vdisk.sh, which
# provides PV, W, T, RAW and fails.  Two raw guest disks
# differ only in grub.cfg (marker=base / marker=overlay / marker=third):
# an empty overlay gets (qemu-io write -s) only the 4 KiB blocks that
# differ from its backing file, so the kernel and ramdisk are read from
# the base and the config from the overlay.  Then hostile chains: loops,
# too deep, names pointing outside the image directory, at a directory,
# a device, a fifo or through a symlink, a name with a control character.

B=$W/backing
mkdir -p "$B/l2" "$B/chain" "$W/outside"

# guest disk NAME MARKER: the vdisk guest's files, grub.cfg with MARKER;
# made the same way each time, so only the config's blocks differ
bk_disk() {
	local t=$B/tree.$1
	rm -rf "$t"; mkdir -p "$t/boot/grub"
	cp "$T/boot/vmlinuz" "$T/boot/initrd.img" "$t/boot/"
	touch -d @1700000000 "$t/boot/vmlinuz" "$t/boot/initrd.img"
	sed "s/marker=vdisk/marker=$2/" "$T/boot/grub/grub.cfg" >"$t/boot/grub/grub.cfg"
	E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext4 -b 4096 \
		-U 0b5e0b5e-1111-2222-3333-444455556666 \
		-E hash_seed=0b5e0b5e-1111-2222-3333-444455556666 \
		-d "$t" "$B/fs.$1" 24M >/dev/null 2>&1
	truncate -s 32M "$B/$1.raw"
	printf 'label: dos\nlabel-id: 0x0b5e0b5e\nstart=2048, size=49152, type=83\n' |
		sfdisk -q --no-reread --no-tell-kernel "$B/$1.raw" >/dev/null
	dd if="$B/fs.$1" of="$B/$1.raw" bs=1M seek=1 conv=notrunc status=none
}
bk_disk base base
bk_disk overlay overlay
bk_disk third third

# overlay_of TOP BACKING FORMAT BELOW.raw NEW.raw [SIZE]: TOP over BACKING,
# holding the blocks where NEW differs from BELOW (what BACKING reads as)
overlay_of() {
	qemu-img create -q -f qcow2 -b "$2" -F "$3" "$1" ${6:+"$6"} &&
	python3 - "$1" "$4" "$5" "$W/blocks" <<'PY'
import os, shutil, subprocess, sys
top, below, new, tmp = sys.argv[1:5]
a, b = open(below, "rb").read(), open(new, "rb").read()
cmds = []
shutil.rmtree(tmp, ignore_errors=True)
os.makedirs(tmp)
for off in range(0, len(b), 4096):
    if a[off:off + 4096] != b[off:off + 4096]:
        p = os.path.join(tmp, "%d" % off)
        open(p, "wb").write(b[off:off + 4096])
        cmds += ["-c", "write -q -s %s %d 4096" % (p, off)]
if not cmds:
    sys.exit("no block differs")
subprocess.run(["qemu-io", "-f", "qcow2"] + cmds + [top], check=True)
PY
}

# bytes IMG holds itself (not in a backing file), from QEMU's own map
own_bytes() {
	qemu-img map --output=json "$1" | python3 -c '
import json, sys
print(sum(e["length"] for e in json.load(sys.stdin) if e["depth"] == 0 and e["data"]))'
}

# boots_chain NAME IMG MARKER [KERNEL]: with --allow-backing, the kernel
# (KERNEL, or the guest's) and ramdisk come out and the args carry MARKER
# (the top config)
boots_chain() {
	local name=$1 img=$2 out=$W/out.$1 dir=$W/dir.$1 err=$W/err.$1 k r a rc
	rm -rf "$dir"; mkdir -p "$dir"
	"$PV" -q --allow-backing --output="$out" --output-format=simple0 \
		--output-directory="$dir" "$img" 2>"$err" </dev/null
	rc=$?
	[ $rc -eq 0 ] || { bad "$name: exit $rc: $(head -c 300 "$err")"; return; }
	k=$(simple0_field "$out" kernel)
	r=$(simple0_field "$out" ramdisk)
	a=$(simple0_field "$out" args)
	[ "$(sha "$k")" = "$(sha "${4:-$T/boot/vmlinuz}")" ] || { bad "$name: kernel differs"; return; }
	[ "$(sha "$r")" = "$(sha "$T/boot/initrd.img")" ] || { bad "$name: ramdisk differs"; return; }
	[ "$a" = "root=/dev/xvda1 ro marker=$3" ] || { bad "$name: args '$a'"; return; }
	ok "$name"
}

(
	cd "$B" || exit 1
	qemu-img convert -O qcow2 base.raw base.qcow2 &&
	overlay_of top.qcow2 base.qcow2 qcow2 base.raw overlay.raw &&
	# three levels, each name relative to the image that holds it:
	# top3 -> l2/mid.qcow2 -> ../base.qcow2
	(cd l2 && overlay_of mid.qcow2 ../base.qcow2 qcow2 ../base.raw ../overlay.raw) &&
	overlay_of top3.qcow2 l2/mid.qcow2 qcow2 overlay.raw third.raw &&
	# a raw backing file
	overlay_of top-raw.qcow2 base.raw raw base.raw overlay.raw &&
	# an overlay larger than its backing file: reads past its end are zeros
	qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 big.qcow2 64M &&
	# a backing file of only the first 4 MiB: the rest of the kernel is in
	# the overlay, but for 64 KiB of it zeroed on the disk past 4 MiB, which
	# the overlay does not hold: they read as zeros past the backing file
	head -c 4M base.raw >short.raw && cp short.raw short-view.raw &&
	truncate -s 32M short-view.raw && cp overlay.raw overlay-z.raw &&
	zfb= && for fb in $(seq 800 1300); do
		p=$(debugfs -R "bmap /boot/vmlinuz $fb" fs.overlay 2>/dev/null | tail -1)
		off=$((1048576 + p * 4096))
		e=$(debugfs -R "bmap /boot/vmlinuz $((fb + 15))" fs.overlay 2>/dev/null | tail -1)
		if [ $((off % 65536)) -eq 0 ] && [ $off -gt $((4 << 20)) ] && [ "$e" = $((p + 15)) ]; then
			zfb=$fb; break
		fi
	done && [ -n "$zfb" ] &&
	dd if=/dev/zero of=overlay-z.raw bs=64k seek=$((off / 65536)) count=1 conv=notrunc status=none &&
	cp "$T/boot/vmlinuz" vmlinuz-z &&
	dd if=/dev/zero of=vmlinuz-z bs=4096 seek="$zfb" count=16 conv=notrunc status=none &&
	overlay_of top-short.qcow2 short.raw raw short-view.raw overlay-z.raw 32M
) || bad "backing-setup: qemu-img could not build the chains"

# differencing VHDs, written by tests/vdisk/vhddiff.py from the VHD
# specification (qemu-img cannot create one, and reads one without its
# parent); qemu-img info must accept each as a VHD
(
	cd "$B" || exit 1
	qemu-img convert -O vpc -o subformat=dynamic base.raw base.vhd &&
	qemu-img convert -O raw base.vhd base-vhd.raw &&
	python3 "$here/vdisk/vhddiff.py" base.vhd base-vhd.raw overlay.raw diff-w2ru.vhd W2ru base.vhd &&
	python3 "$here/vdisk/vhddiff.py" base.vhd base-vhd.raw overlay.raw diff-w2ku.vhd W2ku "$B/base.vhd" &&
	python3 "$here/vdisk/vhddiff.py" base.vhd base-vhd.raw overlay.raw diff-macx.vhd MacX "$B/base.vhd" &&
	# a Windows relative path with backslashes, one directory down
	cp base.vhd l2/base.vhd &&
	python3 "$here/vdisk/vhddiff.py" base.vhd base-vhd.raw overlay.raw diff-sub.vhd W2ru '.\l2\base.vhd' &&
	# a qcow2 overlay over a VHD, and a differencing VHD over that
	overlay_of top-over-vhd.qcow2 base.vhd vpc base-vhd.raw overlay.raw &&
	python3 "$here/vdisk/vhddiff.py" diff-w2ru.vhd overlay.raw third.raw diff-2.vhd W2ru diff-w2ru.vhd &&
	# hostile: itself as its parent; a Windows drive path
	python3 "$here/vdisk/vhddiff.py" base.vhd base-vhd.raw overlay.raw diff-self.vhd W2ru diff-self.vhd &&
	python3 "$here/vdisk/vhddiff.py" base.vhd base-vhd.raw overlay.raw diff-drive.vhd W2ku 'C:\vms\base.vhd'
) || bad "vhd-differencing-setup: could not write the differencing VHDs"
for v in diff-w2ru diff-w2ku diff-macx diff-sub diff-2; do
	qemu-img info "$B/$v.vhd" 2>/dev/null | grep -q "file format: vpc" ||
		bad "vhd-$v-info: qemu-img info does not take it for a VHD"
done
boots_chain vhd-differencing-w2ru "$B/diff-w2ru.vhd" overlay
boots_chain vhd-differencing-w2ku-absolute "$B/diff-w2ku.vhd" overlay
boots_chain vhd-differencing-macx-url "$B/diff-macx.vhd" overlay
boots_chain vhd-differencing-windows-relative "$B/diff-sub.vhd" overlay
boots_chain vhd-differencing-over-differencing "$B/diff-2.vhd" third
boots_chain qcow2-over-vhd "$B/top-over-vhd.qcow2" overlay
fails vhd-differencing-not-allowed 3 "differencing.*--allow-backing" "$B/diff-w2ru.vhd"

own=$(own_bytes "$B/top.qcow2")
if [ "${own:-0}" -gt 0 ] && [ "$own" -lt 1048576 ]; then
	ok "qcow2-overlay-holds-only-the-config ($own bytes of its own)"
else
	bad "qcow2-overlay-holds-only-the-config: the overlay holds $own bytes: the kernel is not read from the base"
fi
boots_chain qcow2-over-qcow2 "$B/top.qcow2" overlay
boots_chain qcow2-three-levels "$B/top3.qcow2" third
boots_chain qcow2-over-raw "$B/top-raw.qcow2" overlay
boots_chain qcow2-larger-than-its-backing "$B/big.qcow2" base
boots_chain qcow2-over-a-shorter-backing-file "$B/top-short.qcow2" overlay "$B/vmlinuz-z"

# without --allow-backing: the clear refusal, naming the option
fails qcow2-backing-not-allowed 3 "backing file.*--allow-backing" "$B/top.qcow2"

# --- hostile chains (each: exit 3, one line naming the reason, nothing left)
# fails_bk NAME REGEX IMG: fails (tests/vdisk.sh) with --allow-backing
fails_bk() { fails "$1" 3 "$2" "$3" --allow-backing; }
# an overlay of base.qcow2 whose backing name is then rewritten (-u: the
# header only, as a hostile image would hold it)
overlay_naming() { # FILE NAME [FORMAT]
	qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 "$1" 32M &&
		qemu-img rebase -u -b "$2" -F "${3:-qcow2}" "$1"
}
(
	cd "$B" || exit 1
	overlay_naming self.qcow2 self.qcow2
	overlay_naming loop-a.qcow2 loop-b.qcow2
	overlay_naming loop-b.qcow2 loop-a.qcow2
	# a real image beside the image directory, not beneath it
	cp base.qcow2 ../outside/base.qcow2
	overlay_naming escape.qcow2 ../outside/base.qcow2
	overlay_naming abs-outside.qcow2 /etc/passwd raw
	overlay_naming abs-inside.qcow2 "$B/base.qcow2"
	mkdir -p adir && overlay_naming dir.qcow2 adir raw
	# a character device (as /dev/null) beside the image
	mknod nulldev c 1 3 2>/dev/null && overlay_naming dev.qcow2 nulldev raw
	mkfifo afifo && overlay_naming fifo.qcow2 afifo raw
	ln -s base.qcow2 link.qcow2 && overlay_naming symlink.qcow2 link.qcow2
	# a directory symlink inside the image directory, pointing out of it
	ln -s ../outside linkdir && overlay_naming symlink-dir.qcow2 linkdir/base.qcow2
	overlay_naming ctrl.qcow2 "$(printf 'base\033[2J.qcow2')"
	# a chain one deeper than PV_MAX_BACKING_DEPTH (8), and one at it;
	# each name relative to the image that holds it
	cd chain || exit 1
	cp ../base.qcow2 base.qcow2 || exit 1
	prev=base.qcow2
	for i in 1 2 3 4 5 6 7 8 9; do
		qemu-img create -q -f qcow2 -b "$prev" -F qcow2 "d$i.qcow2" 32M || exit 1
		prev=d$i.qcow2
	done
) || bad "backing-hostile-setup: qemu-img could not build the hostile chains"

fails_bk backing-loop-self "backing file loop: self.qcow2 is already level 0" "$B/self.qcow2"
fails_bk backing-loop-a-b-a "backing file loop: loop-a.qcow2 is already level 0" "$B/loop-a.qcow2"
fails_bk backing-depth-over-limit "more than 8 backing files" "$B/chain/d9.qcow2"
boots_chain backing-depth-at-limit "$B/chain/d8.qcow2" base
fails_bk backing-dotdot-escape "backing file ../outside/base.qcow2: outside the image directory" "$B/escape.qcow2"
fails_bk backing-absolute-outside "backing file /etc/passwd: an absolute name outside the image directory" "$B/abs-outside.qcow2"
boots_chain backing-absolute-inside "$B/abs-inside.qcow2" base
fails_bk backing-directory "backing file adir: not a regular file" "$B/dir.qcow2"
if [ -c "$B/nulldev" ]; then
	fails_bk backing-device "backing file nulldev: not a regular file" "$B/dev.qcow2"
else
	say "SKIP backing-device: cannot mknod here (not root?)"; skip=$((skip + 1))
fi
fails_bk backing-fifo "backing file afifo: not a regular file" "$B/fifo.qcow2"
fails_bk backing-symlink "backing file link.qcow2: reached through a symlink" "$B/symlink.qcow2"
fails_bk backing-symlinked-directory "backing file linkdir/base.qcow2: reached through a symlink" "$B/symlink-dir.qcow2"
fails_bk vhd-parent-loop "backing file loop: diff-self.vhd is already level 0" "$B/diff-self.vhd"
fails_bk vhd-parent-windows-drive "VHD: the parent is named by a Windows drive path" "$B/diff-drive.vhd"
# hostile names inside the images themselves (header fields rewritten;
# a VHD header's checksum recomputed so only the named field is wrong)
bk_patch() { # CASE IN OUT
	python3 - "$@" <<'PY'
import struct, sys
case, src, out = sys.argv[1:4]
b = bytearray(open(src, "rb").read())
def vhd_sum(b):  # the dynamic header at 512 (vhddiff.py's layout)
    b[512 + 36:512 + 40] = b"\0\0\0\0"
    struct.pack_into(">I", b, 512 + 36, ~sum(b[512:1536]) & 0xffffffff)
loc = 512 + 576  # the first parent locator
if case == "qcow2-name-past-eof":
    struct.pack_into(">Q", b, 8, len(b) + 4096)
elif case == "qcow2-name-too-long":
    struct.pack_into(">I", b, 16, 5000)
elif case == "vhd-locator-past-eof":
    struct.pack_into(">Q", b, loc + 16, len(b) + 512)
elif case == "vhd-locator-bad-utf16":
    at = struct.unpack_from(">Q", b, loc + 16)[0]
    b[at:at + 2] = b"\x00\xd8"  # a lone high surrogate
elif case == "vhd-other-parent":
    b[512 + 40] ^= 0xff  # the parent's unique id
elif case == "vhd-no-locator":
    b[loc:loc + 4] = b"\0\0\0\0"
if case.startswith("vhd"):
    vhd_sum(b)
open(out, "wb").write(b)
PY
}
for c in qcow2-name-past-eof qcow2-name-too-long; do bk_patch $c "$B/top.qcow2" "$B/$c.qcow2"; done
for c in vhd-locator-past-eof vhd-locator-bad-utf16 vhd-no-locator vhd-other-parent; do bk_patch $c "$B/diff-w2ru.vhd" "$B/$c.vhd"; done
fails_bk qcow2-backing-name-past-eof "qcow2: backing file name lies outside the image" "$B/qcow2-name-past-eof.qcow2"
fails_bk qcow2-backing-name-too-long "qcow2: backing file name of 5000 bytes" "$B/qcow2-name-too-long.qcow2"
fails_bk vhd-parent-locator-past-eof "VHD: parent locator lies outside the image" "$B/vhd-locator-past-eof.vhd"
fails_bk vhd-parent-locator-bad-utf16 "VHD: bad UTF-16 in the parent locator" "$B/vhd-locator-bad-utf16.vhd"
fails_bk vhd-parent-unique-id-differs "VHD: the parent's unique id is not the one" "$B/vhd-other-parent.vhd"
fails_bk vhd-differencing-without-locator "VHD: a differencing disk without a parent locator" "$B/vhd-no-locator.vhd"
fails_bk backing-control-char "backing file name contains a control character" "$B/ctrl.qcow2"
