#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The hostile-image suite (security.md §3): each case builds a disk (or
# config, or environment) that attacks one layer, runs build/pvboot on it
# as libxl would, and checks the invariants:
#   I1 exit status as expected and != 0, no death by signal, exactly one
#      line on stderr starting "pvboot: ", matching the case's pattern,
#      free of raw control bytes;
#   I2 the --output file untouched; I3 the output directory empty;
#   I4 finished within the time bound (the worker's limits bound memory).
# "ok" cases are hostile inputs that must still boot (skip-and-continue).
set -uo pipefail
BUILD=${BUILD:-build}
PV=$(cd "$(dirname "$BUILD/pvboot")" && pwd)/pvboot
here=$(cd "$(dirname "$0")" && pwd)
PATCH="python3 $here/hostile/patch.py"
W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-hostile.XXXXXX")
trap 'rm -rf "$W"' EXIT
export PATH="$PATH:/usr/sbin:/sbin"
. "$here/counts.sh" hostile
. "$here/grub_reboot_cfg.sh"
TIMEOUT=60


# --- building blocks ------------------------------------------------------
GRUBCFG='set default="0"
set timeout=5
menuentry "Linux" --id linux {
	linux /boot/vmlinuz-1 root=/dev/xvda1 ro quiet
	initrd /boot/initrd.img-1
}'
tree() { # DIR [grub.cfg text]
	rm -rf "$1"; mkdir -p "$1/boot/grub" "$1/etc"
	head -c 70000 /dev/urandom >"$1/boot/vmlinuz-1"
	head -c 50000 /dev/urandom >"$1/boot/initrd.img-1"
	printf 'guest shadow\n' >"$1/etc/shadow"
	printf '%s\n' "${2:-$GRUBCFG}" >"$1/boot/grub/grub.cfg"
}
ext() { # IMG DIR [mke2fs options]: an 8 MiB whole-disk ext4
	local img=$1 dir=$2; shift 2
	rm -f "$img"
	mke2fs -q -F -t ext4 -b 1024 "$@" -d "$dir" "$img" 8M >/dev/null 2>&1
}
ext_cfg() { # IMG grub.cfg-text
	tree "$W/t" "$2"; ext "$1" "$W/t" -O ^metadata_csum
}
mbr_wrap() { # DISK FSIMG: MBR with one Linux partition at 1 MiB
	rm -f "$1"; truncate -s 12M "$1"
	printf 'label: dos\nstart=2048, size=16384, type=83\n' |
		sfdisk -q --no-reread --no-tell-kernel "$1" >/dev/null
	dd if="$2" of="$1" bs=1M seek=1 conv=notrunc status=none
}
sb() { echo $((1024 + $1)); } # ext superblock field offset
dbg() { debugfs -w -R "$2" "$1" >/dev/null 2>&1; }
blk_of() { debugfs -R "bmap $2 0" "$1" 2>/dev/null | tail -1; }

# --- the runner -----------------------------------------------------------
# run_case NAME STATUS REGEX IMG [options...]
run_case() {
	local name=$1 want=$2 re=$3 img=$4; shift 4
	local out=$W/out.$name dir=$W/dir.$name err=$W/err.$name rc t0 t1 lines
	mkdir -p "$dir"; printf 'SENTINEL' >"$out"
	t0=$(date +%s)
	timeout -s KILL $TIMEOUT "$PV" -q --output="$out" --output-format=simple0 \
		--output-directory="$dir" "$@" "$img" >/dev/null 2>"$err" </dev/null
	rc=$?; t1=$(date +%s)
	lines=$(wc -l <"$err")
	if [ "$want" = ok ]; then
		if [ $rc -ne 0 ]; then bad "$name: exit $rc, want 0: $(head -c 300 "$err")"; return; fi
		if [ -n "$re" ] && ! tr '\0' '\n' <"$out" | grep -Eq -- "$re"; then
			bad "$name: output does not match /$re/: $(tr '\0' '|' <"$out")"; return; fi
		ok "$name (boots: $(tr '\0' '|' <"$out" | grep -o 'args[^|]*' | head -c 60))"
		return
	fi
	if [ $rc -ge 128 ] || [ $rc -eq 137 ]; then bad "$name: killed (status $rc)"; return; fi
	if [ $rc -ne "$want" ]; then bad "$name: exit $rc, want $want: $(head -c 300 "$err")"; return; fi
	if [ "$lines" -ne 1 ]; then bad "$name: $lines stderr lines: $(head -c 300 "$err")"; return; fi
	if ! grep -q '^pvboot: ' "$err"; then bad "$name: stderr not 'pvboot: ...'"; return; fi
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$err"; then bad "$name: raw control bytes on stderr"; return; fi
	if ! python3 "$here/hostile/unsafe_text.py" "$err" >/dev/null; then bad "$name: raw C1/bidi/separator on stderr"; return; fi
	if ! grep -Eq -- "$re" "$err"; then bad "$name: stderr does not match /$re/: $(head -c 300 "$err")"; return; fi
	if [ "$(cat "$out")" != SENTINEL ]; then bad "$name: --output was touched"; return; fi
	if [ -n "$(ls -A "$dir")" ]; then bad "$name: files left in the output directory: $(ls "$dir")"; return; fi
	if [ $((t1 - t0)) -gt 30 ]; then bad "$name: took $((t1 - t0)) s"; return; fi
	ok "$name (exit $rc: $(head -c 110 "$err"))"
}

# === A. partition tables ====================================================
tree "$W/good" ; ext "$W/good.fs" "$W/good" -O ^metadata_csum
mbr() { mbr_wrap "$W/$1.img" "$W/good.fs"; }

mbr a01-mbr-start-past-end; $PATCH "$W/a01-mbr-start-past-end.img" 454 '<II' 0xFFFFFFF0 100
run_case a01-mbr-start-past-end 2 'no bootable config' "$W/a01-mbr-start-past-end.img"
mbr a02-mbr-size-overflow; $PATCH "$W/a02-mbr-size-overflow.img" 454 '<II' 0xFFFFFF00 0xFFFFFFFF
run_case a02-mbr-size-overflow 2 'no bootable config' "$W/a02-mbr-size-overflow.img"
mbr a03-mbr-duplicate; dd if="$W/a03-mbr-duplicate.img" of="$W/a03-mbr-duplicate.img" bs=1 skip=446 seek=462 count=16 conv=notrunc status=none
run_case a03-mbr-duplicate ok 'args root=/dev/xvda1 ro quiet' "$W/a03-mbr-duplicate.img"
head -c 1M /dev/zero >"$W/a04.img"; $PATCH "$W/a04.img" 510 'BB' 0x55 0xAA
run_case a04-empty-mbr-signature 2 'disk.*no filesystem' "$W/a04.img"
mbr a05-extended-at-lba0; $PATCH "$W/a05-extended-at-lba0.img" 462 '<BBBBBBBBII' 0 0 0 0 5 0 0 0 0 2048
run_case a05-extended-at-lba0 ok 'args root=' "$W/a05-extended-at-lba0.img"
# EBR linking to itself
rm -f "$W/a06.img"; truncate -s 12M "$W/a06.img"
printf 'label: dos\nstart=2048, size=20000, type=5\n' | sfdisk -q --no-reread --no-tell-kernel "$W/a06.img" >/dev/null
$PATCH "$W/a06.img" $((2048 * 512 + 446)) '<BBBBBBBBII' 0 0 0 0 0x83 0 0 0 2048 16000
$PATCH "$W/a06.img" $((2048 * 512 + 462)) '<BBBBBBBBII' 0 0 0 0 5 0 0 0 0 20000
$PATCH "$W/a06.img" $((2048 * 512 + 510)) 'BB' 0x55 0xAA
run_case a06-ebr-self-loop 2 'no bootable config' "$W/a06.img"
# GPT cases
gpt() { rm -f "$1"; truncate -s 12M "$1"
	printf 'label: gpt\nstart=2048, size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' |
		sfdisk -q --no-reread --no-tell-kernel "$1" >/dev/null
	dd if="$W/good.fs" of="$1" bs=1M seek=1 conv=notrunc status=none; }
LAST=$(( (12 * 1024 * 1024) / 512 - 1 ))
gpt "$W/a08.img"; $PATCH "$W/a08.img" 528 '<I' 0xdeadbeef; $PATCH "$W/a08.img" $((LAST * 512 + 16)) '<I' 0xdeadbeef
run_case a08-gpt-both-headers-bad-crc 3 'GPT' "$W/a08.img"
gpt "$W/a08b.img"; $PATCH "$W/a08b.img" 528 '<I' 0xdeadbeef
run_case a08b-gpt-primary-bad-backup-good ok 'args root=' "$W/a08b.img"
gpt "$W/a09.img"; $PATCH "$W/a09.img" $((512 + 80)) '<I' 0xFFFFFFFF; $PATCH "$W/a09.img" gpt-fix 512
$PATCH "$W/a09.img" $((LAST * 512 + 80)) '<I' 0xFFFFFFFF; $PATCH "$W/a09.img" gpt-fix $((LAST * 512))
run_case a09-gpt-huge-entry-count 3 'GPT.*entries' "$W/a09.img"
for sz in 0 1 127; do
	gpt "$W/a10-$sz.img"; $PATCH "$W/a10-$sz.img" $((512 + 84)) '<I' $sz; $PATCH "$W/a10-$sz.img" gpt-fix 512
	$PATCH "$W/a10-$sz.img" $((LAST * 512 + 84)) '<I' $sz; $PATCH "$W/a10-$sz.img" gpt-fix $((LAST * 512))
	run_case a10-gpt-entry-size-$sz 3 'GPT.*entries of' "$W/a10-$sz.img"
done
gpt "$W/a11.img"; $PATCH "$W/a11.img" $((512 + 12)) '<I' 20; $PATCH "$W/a11.img" $((LAST * 512 + 12)) '<I' 20
run_case a11-gpt-header-size-small 3 'GPT header.*size' "$W/a11.img"
gpt "$W/a13.img"; $PATCH "$W/a13.img" $((512 + 72)) '<Q' 0x7fffffffffff; $PATCH "$W/a13.img" gpt-fix 512
$PATCH "$W/a13.img" $((LAST * 512 + 72)) '<Q' 0x7fffffffffff; $PATCH "$W/a13.img" gpt-fix $((LAST * 512))
run_case a13-gpt-entries-beyond-disk 3 'GPT' "$W/a13.img"
gpt "$W/a14.img"; $PATCH "$W/a14.img" $((1024 + 32)) '<QQ' 5000 3000; $PATCH "$W/a14.img" gpt-fix 512
run_case a14-gpt-entry-end-before-start 2 'no bootable config' "$W/a14.img"
: >"$W/a16-0.img"; run_case a16-empty-disk 3 'empty' "$W/a16-0.img"
head -c 511 /dev/zero >"$W/a16-511.img"; run_case a16-511-bytes 2 'no bootable config|no filesystem' "$W/a16-511.img"
head -c 513 "$W/a04.img" >"$W/a16-513.img"; run_case a16-513-bytes 2 'no bootable config|no filesystem' "$W/a16-513.img"
cp "$W/good.fs" "$W/a18.img"; $PATCH "$W/a18.img" $((0x8001)) '5s' CD001
run_case a18-polyglot-cd001-on-ext4 ok 'args root=' "$W/a18.img"

# named regression inputs found by fuzzing (tests/fuzz/regress)
run_case r01-fuzz-libfdisk-ebr-leak 2 'disk 624B: no filesystem' "$here/fuzz/regress/partition/libfdisk-ebr-leak"

# === B. filesystems ===========================================================
fs_case() { cp "$W/good.fs" "$W/$1.img"; }
fs_case b01-log-block-size-30; $PATCH "$W/b01-log-block-size-30.img" $(sb 24) '<I' 30
run_case b01-log-block-size-30 3 'ext' "$W/b01-log-block-size-30.img"
fs_case b01-blocks-per-group-0; $PATCH "$W/b01-blocks-per-group-0.img" $(sb 32) '<I' 0
run_case b01-blocks-per-group-0 3 'ext' "$W/b01-blocks-per-group-0.img"
fs_case b01-inodes-per-group-0; $PATCH "$W/b01-inodes-per-group-0.img" $(sb 40) '<I' 0
run_case b01-inodes-per-group-0 3 'ext' "$W/b01-inodes-per-group-0.img"
fs_case b02-first-meta-bg; $PATCH "$W/b02-first-meta-bg.img" $(sb 96) '<I' 0x12; $PATCH "$W/b02-first-meta-bg.img" $(sb 260) '<I' 0xFFFFFF
run_case b02-first-meta-bg-out-of-range 3 'ext' "$W/b02-first-meta-bg.img"
fs_case b03-unknown-incompat; $PATCH "$W/b03-unknown-incompat.img" $(sb 96) '<I' 0x80000042
run_case b03-unknown-incompat-bit 3 'ext' "$W/b03-unknown-incompat.img"
tree "$W/t4"; ext "$W/b04.img" "$W/t4" -O metadata_csum
$PATCH "$W/b04.img" $(sb 0x3FC) '<I' 0x12345678
run_case b04-bad-metadata-csum 3 'ext' "$W/b04.img"
fs_case b05-root-not-dir; dbg "$W/b05-root-not-dir.img" "sif <2> mode 0100644"
run_case b05-root-not-dir 3 'root is not a directory' "$W/b05-root-not-dir.img"
fs_case b07-dir-reclen-0; B=$(blk_of "$W/b07-dir-reclen-0.img" /boot/grub)
$PATCH "$W/b07-dir-reclen-0.img" $((B * 1024 + 4)) '<H' 0
run_case b07-dir-rec-len-0 3 'ext|corrupt|directory' "$W/b07-dir-reclen-0.img"
fs_case b07-dir-reclen-huge; B=$(blk_of "$W/b07-dir-reclen-huge.img" /boot/grub)
$PATCH "$W/b07-dir-reclen-huge.img" $((B * 1024 + 4)) '<H' 60000
run_case b07-dir-rec-len-past-block 3 'ext|corrupt|directory' "$W/b07-dir-reclen-huge.img"
fs_case b10-kernel-100g; dbg "$W/b10-kernel-100g.img" "sif /boot/vmlinuz-1 size 0x1900000000"
run_case b10-kernel-size-100GiB 3 'cap|large|limit' "$W/b10-kernel-100g.img"
tree "$W/t11"; head -c $((1024 * 1024 + 1)) /dev/urandom >"$W/t11/boot/vmlinuz-1"; ext "$W/b11.img" "$W/t11"
PYGRUB_MAX_FILE_SIZE_MB=1 run_case b11-kernel-cap-plus-1 3 'cap' "$W/b11.img"
tree "$W/t11b"; head -c $((1024 * 1024)) /dev/urandom >"$W/t11b/boot/vmlinuz-1"; ext "$W/b11b.img" "$W/t11b"
PYGRUB_MAX_FILE_SIZE_MB=1 run_case b11-kernel-exactly-cap ok 'args root=' "$W/b11b.img"
head -c $((300 * 1024)) "$W/good.fs" >"$W/b12.img"
run_case b12-truncated-image 3 'ext|short|past the end|outside' "$W/b12.img"
tree "$W/t13"; rm "$W/t13/boot/vmlinuz-1"; mkdir "$W/t13/boot/vmlinuz-1"; ext "$W/b13.img" "$W/t13"
run_case b13-kernel-is-directory 2 'vmlinuz-1' "$W/b13.img"
tree "$W/t13f"; rm "$W/t13f/boot/vmlinuz-1"; mkfifo "$W/t13f/boot/vmlinuz-1"; ext "$W/b13f.img" "$W/t13f"
run_case b13-kernel-is-fifo 2 'vmlinuz-1' "$W/b13f.img"
if [ "$(id -u)" = 0 ]; then
	tree "$W/t13d"; rm "$W/t13d/boot/vmlinuz-1"; mknod "$W/t13d/boot/vmlinuz-1" c 1 3; ext "$W/b13d.img" "$W/t13d"
	run_case b13-kernel-is-char-device 2 'vmlinuz-1' "$W/b13d.img"
else
	skip "b13-kernel-is-char-device: needs root (mknod)"
fi
tree "$W/t14"; ln -s "$(printf 'x%.0s' $(seq 1 300))" "$W/t14/boot/vmlinuz"
sed -i 's|/boot/vmlinuz-1|/boot/vmlinuz|' "$W/t14/boot/grub/grub.cfg"; ext "$W/b14.img" "$W/t14" -O ^metadata_csum
dbg "$W/b14.img" "sif /boot/vmlinuz size 0x7fffffff"
run_case b14-slow-symlink-huge-size 3 'symlink|link|corrupt|ext' "$W/b14.img"
tree "$W/t15"; ln -s vmlinuz-1 "$W/t15/boot/vmlinuz"; sed -i 's|/boot/vmlinuz-1|/boot/vmlinuz|' "$W/t15/boot/grub/grub.cfg"
ext "$W/b15.img" "$W/t15" -O ^metadata_csum; dbg "$W/b15.img" "sif /boot/vmlinuz size 0xfffffff0"
run_case b15-fast-symlink-huge-size 3 'symlink|link|corrupt|ext' "$W/b15.img"
cp "$W/good.fs" "$W/b16.img"; $PATCH "$W/b16.img" 0x36 '8s' 'FAT16   '; $PATCH "$W/b16.img" 510 'BB' 0x55 0xAA
run_case b16-polyglot-fat-signature ok 'args root=' "$W/b16.img"
tree "$W/t20"; mkdir -p "$W/t20/boot/many"; (cd "$W/t20/boot/many" && seq -f 'file-with-a-long-name-%06g' 1 5000 | xargs touch)
mke2fs -q -F -t ext4 -N 8000 -d "$W/t20" "$W/b20.img" 32M >/dev/null 2>&1
run_case b20-5000-entries-in-boot ok 'args root=' "$W/b20.img"

# === C. config files ===========================================================
big=$W/big.cfg; { printf '%s\n' "$GRUBCFG"; head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' '#'; } >"$big"
tree "$W/tc1"; cp "$big" "$W/tc1/boot/grub/grub.cfg"; mke2fs -q -F -t ext4 -d "$W/tc1" "$W/c01.img" 16M >/dev/null 2>&1
run_case c01-grub-cfg-5MiB 3 'more than the [0-9]+ allowed' "$W/c01.img"
ext_cfg "$W/c02.img" "$(for i in $(seq 1 2000); do printf 'menuentry "e%d" { linux /boot/vmlinuz-1 }\n' $i; done)"
run_case c02-2000-menuentries 3 'entries|limit' "$W/c02.img"
ext_cfg "$W/c03.img" "menuentry \"x\" { linux /boot/vmlinuz-1 $(head -c 100000 /dev/zero | tr '\0' a) }"
run_case c03-100KB-line 3 'line|long|limit|args' "$W/c03.img"
ext_cfg "$W/c04.img" "$(for i in $(seq 1 5000); do printf 'submenu "s" {\n'; done)"
run_case c04-5000-nested-submenus 3 'nest|deep|limit|syntax|end of file|brace' "$W/c04.img"
ext_cfg "$W/c04b.img" "$GRUBCFG
}"
run_case c04-unbalanced-brace 3 '\}|brace|syntax|unexpected' "$W/c04b.img"
ext_cfg "$W/c04c.img" 'menuentry "x" { linux /boot/vmlinuz-1'
run_case c04-eof-inside-menuentry 3 'end of file|EOF|unterminated|syntax|brace' "$W/c04c.img"
ext_cfg "$W/c05.img" 'menuentry "a" { menuentry "b" { linux /boot/vmlinuz-1 } }'
run_case c05-menuentry-in-menuentry 3 'menuentry|nest|syntax' "$W/c05.img"
# the hostile default replaces GRUBCFG's own (a later default would win),
# and the fallback must say that it was that default which named nothing
for d in 99 -1 garbage '7>3>1'; do
	ext_cfg "$W/c06.img" "${GRUBCFG/set default=\"0\"/set default=\"$d\"}"
	run_case "c06-default-$d" ok 'args root=/dev/xvda1 ro quiet' "$W/c06.img"
	if grep -qF "default \"$d\" names no menu entry" "$W/err.c06-default-$d"; then
		ok "c06-default-$d-was-evaluated"
	else bad "c06-default-$d-was-evaluated: no fallback warning for default \"$d\": $(head -c 200 "$W/err.c06-default-$d")"; fi
done
ext_cfg "$W/c07.img" "set timeout=abc
$GRUBCFG
set timeout=99999999999999999"
run_case c07-bad-timeouts ok 'args root=' "$W/c07.img"
ext_cfg "$W/c09.img" "$(printf 'menuentry "x" {\n linux /boot/vmlinuz-1 a\001b\n}')"
run_case c09-control-byte-in-args 3 'args|control' "$W/c09.img"
ext_cfg "$W/c10.img" "$(printf 'menuentry "x" {\n linux /boot/vmlinuz-1 "a\nkernel /etc/shadow"\n}')"
run_case c10-newline-in-args 3 'args|control|newline' "$W/c10.img"
ext_cfg "$W/c11.img" "$(printf 'menuentry "x" {\n linux /boot/vmlinuz-1 "x\rramdisk /etc/shadow"\n}')"
run_case c11-cr-injection-in-args 3 'args|control' "$W/c11.img"
ext_cfg "$W/c12.img" "menuentry \"x\" { linux /boot/vmlinuz-1 $(head -c 1024 /dev/zero | tr '\0' a) }"
run_case c12-args-1024-bytes 3 'args|long|1023' "$W/c12.img"
ext_cfg "$W/c12b.img" "menuentry \"x\" { linux /boot/vmlinuz-1 $(head -c 1023 /dev/zero | tr '\0' a) }"
run_case c12-args-1023-bytes ok 'args a' "$W/c12b.img"
ext_cfg "$W/c13.img" 'menuentry "x" { linux (hd0/boot/vmlinuz-1 ro }'
run_case c13-unbalanced-device-paren 3 'no kernel' "$W/c13.img"
ext_cfg "$W/c14.img" "menuentry 'x { linux /boot/vmlinuz-1 }"
run_case c14-unbalanced-quote 3 'quote|end of file|syntax|unterminated' "$W/c14.img"
ext_cfg "$W/c15.img" 'source /boot/grub/grub.cfg
menuentry "x" { linux /boot/vmlinuz-1 }'
run_case c15-source-cycle 3 'source|deep|depth|limit|nest' "$W/c15.img"
ext_cfg "$W/c15b.img" 'function f { f ; }
f
menuentry "x" { linux /boot/vmlinuz-1 }'
run_case c15-recursive-function 3 'deep|depth|limit|recurs|call' "$W/c15b.img"
ext_cfg "$W/c16.img" "set a=$(head -c 4000 /dev/zero | tr '\0' x)
set a=\$a\$a\$a\$a\$a\$a\$a\$a
set a=\$a\$a\$a\$a\$a\$a\$a\$a
set a=\$a\$a\$a\$a\$a\$a\$a\$a
menuentry \"x\" { linux /boot/vmlinuz-1 \$a }"
run_case c16-expansion-bomb 3 'expan|limit|long' "$W/c16.img"
tree "$W/tc17"; rm "$W/tc17/boot/grub/grub.cfg"; mkdir -p "$W/tc17/boot/loader/entries"
for i in $(seq 1 1100); do printf 'title t%d\nversion 1.%d\nlinux /boot/vmlinuz-1\n' $i $i >"$W/tc17/boot/loader/entries/e$i.conf"; done
printf 'default e1\n' >"$W/tc17/boot/loader/loader.conf"
mke2fs -q -F -t ext4 -N 2000 -d "$W/tc17" "$W/c17.img" 16M >/dev/null 2>&1
run_case c17-bls-1100-entries 3 'entries|limit|more than' "$W/c17.img"
tree "$W/tc18"; rm "$W/tc18/boot/grub/grub.cfg"; mkdir -p "$W/tc18/boot/extlinux"
printf 'INCLUDE /boot/extlinux/extlinux.conf\nLABEL x\n KERNEL /boot/vmlinuz-1\n' >"$W/tc18/boot/extlinux/extlinux.conf"
ext "$W/c18.img" "$W/tc18"
run_case c18-extlinux-include-cycle-skipped ok 'kernel' "$W/c18.img"
tree "$W/tc19"; rm "$W/tc19/boot/grub/grub.cfg"; mkdir "$W/tc19/boot/grub/grub.cfg"; ext "$W/c19.img" "$W/tc19"
run_case c19-config-is-directory 2 'no bootable config' "$W/c19.img"
tree "$W/tc19b"; rm "$W/tc19b/boot/grub/grub.cfg"; ln -s grub.cfg "$W/tc19b/boot/grub/grub.cfg"; ext "$W/c19b.img" "$W/tc19b"
run_case c19-config-symlink-loop 2 'no bootable config' "$W/c19b.img"
tree "$W/tc20"; rm "$W/tc20/boot/grub/grub.cfg"
printf 'default 0\npassword --md5 $1$abc$def\ntitle x\n kernel /boot/vmlinuz-1 ro\n' >"$W/tc20/boot/grub/menu.lst"; ext "$W/c20.img" "$W/tc20"
run_case c20-legacy-password-md5 ok 'args ro' "$W/c20.img"
# one budget per run: 128 volumes, each with the same step-burning config,
# end at the first volume's limit (not 128 x the limit, or the CPU limit)
tree "$W/tc21"; printf 'set a=%s\nfunction burn { while true; do b="$a$a"; done; }\nburn\n%s\n' \
	"$(head -c 4000 /dev/zero | tr '\0' x)" "$GRUBCFG" >"$W/tc21/boot/grub/grub.cfg"
rm -f "$W/tc21/boot/initrd.img-1" "$W/tc21/etc/shadow"; head -c 7000 /dev/urandom >"$W/tc21/boot/vmlinuz-1"
mke2fs -q -F -t ext2 -b 1024 -N 16 -d "$W/tc21" "$W/c21.fs" 96k >/dev/null 2>&1
python3 "$here/hostile/gpt_many.py" "$W/c21.img" "$W/c21.fs"
run_case c21-128-volumes-one-step-budget 3 '^pvboot: [^:]*: p1 \(ext2\): /boot/grub/grub.cfg:2: more than 200000 commands run' "$W/c21.img"

# === D. paths and symlinks =====================================================
link_case() { # NAME TARGET...: /boot/vmlinuz -> chain, grub.cfg boots /boot/vmlinuz
	local n=$1; shift
	tree "$W/td"; sed -i 's|/boot/vmlinuz-1|/boot/vmlinuz|' "$W/td/boot/grub/grub.cfg"
	"$@"; ext "$W/$n.img" "$W/td"
}
link_case d01 sh -c "ln -s vmlinuz2 $W/td/boot/vmlinuz; ln -s vmlinuz $W/td/boot/vmlinuz2"
run_case d01-symlink-loop 3 'link|loop' "$W/d01.img"
link_case d02 sh -c "ln -s l1 $W/td/boot/vmlinuz; for i in \$(seq 1 40); do ln -s l\$((i+1)) $W/td/boot/l\$i; done; ln -s vmlinuz-1 $W/td/boot/l41"
run_case d02-41-symlinks 3 'link|loop' "$W/d02.img"
link_case d03 sh -c "ln -s /etc/shadow $W/td/boot/vmlinuz"
run_case d03-absolute-symlink-stays-in-guest ok 'args root=' "$W/d03.img"
[ -f "$W/dir.d03-absolute-symlink-stays-in-guest/"boot_kernel.* ] 2>/dev/null
if grep -q 'guest shadow' "$W/dir.d03-absolute-symlink-stays-in-guest"/boot_kernel.* 2>/dev/null; then
	ok "d03-reads-the-guests-file"; else bad "d03-reads-the-guests-file: extracted bytes are not the guest's /etc/shadow"; fi
link_case d04 sh -c "ln -s ../../../../../../../etc/shadow $W/td/boot/vmlinuz"
run_case d04-dotdot-clamps-at-guest-root ok 'args root=' "$W/d04.img"
ext_cfg "$W/d05.img" 'menuentry "x" { linux /boot/vmlinuz-1/ ro }'
run_case d05-trailing-slash-on-file 2 'vmlinuz-1' "$W/d05.img"
ext_cfg "$W/d05b.img" 'menuentry "x" { linux //boot/./grub/../vmlinuz-1 ro }'
run_case d05-dots-and-double-slashes ok 'args ro' "$W/d05b.img"
ext_cfg "$W/d06.img" "menuentry \"x\" { linux /$(printf 'a/%.0s' $(seq 1 2100))vmlinuz ro }"
run_case d06-path-over-4096 3 'path longer than 4096' "$W/d06.img"
ext_cfg "$W/d06b.img" "menuentry \"x\" { linux /boot/$(head -c 300 /dev/zero | tr '\0' n) ro }"
run_case d06-component-over-255 3 'name|long|limit' "$W/d06b.img"
ext_cfg "$W/d07.img" 'menuentry "x" { linux /boot/vmlinuz-1 ro
 initrd /boot/vmlinuz-1 }'
run_case d07-kernel-and-initrd-same-file ok 'ramdisk' "$W/d07.img"

# === E. output protocol and output files ======================================
cp "$W/good.fs" "$W/e.img"
# --output is a symlink to a decoy (never a real system file): the decoy
# must be left exactly as it was
printf 'decoy: not to be written\n' >"$W/e05-decoy"; chmod 0644 "$W/e05-decoy"
decoy_sum=$(sha256sum <"$W/e05-decoy"); decoy_stat=$(stat -c '%s %Y %a' "$W/e05-decoy")
ln -sf "$W/e05-decoy" "$W/e05-link"
out=$W/e05-dir; mkdir -p "$out"
timeout 20 "$PV" -q --output="$W/e05-link" --output-directory="$out" "$W/e.img" 2>"$W/e05.err"; rc=$?
if [ $rc -eq 4 ] && [ -z "$(ls -A "$out")" ] && [ "$(sha256sum <"$W/e05-decoy")" = "$decoy_sum" ] &&
   [ "$(stat -c '%s %Y %a' "$W/e05-decoy")" = "$decoy_stat" ]; then ok "e05-output-is-symlink (exit 4, decoy untouched)"
else bad "e05-output-is-symlink: exit $rc, decoy: $(head -c 100 "$W/e05-decoy" | tr -dc '[:print:]')"; fi
mkfifo "$W/e05-fifo"
timeout 20 "$PV" -q --output="$W/e05-fifo" --output-directory="$out" "$W/e.img" 2>"$W/e05b.err"; rc=$?
if [ $rc -eq 4 ] && [ -z "$(ls -A "$out")" ]; then ok "e05-output-is-fifo (exit 4)"; else bad "e05-output-is-fifo: exit $rc"; fi
mkdir -p "$W/e06-real"; ln -s "$W/e06-real" "$W/e06-link"
timeout 20 "$PV" -q --output="$W/e06.out" --output-directory="$W/e06-link" "$W/e.img" 2>"$W/e06.err"; rc=$?
if [ $rc -eq 4 ] && [ -z "$(ls -A "$W/e06-real")" ]; then ok "e06-output-dir-is-symlink (exit 4)"; else bad "e06-output-dir-is-symlink: exit $rc"; fi
ext_cfg "$W/e04.img" 'menuentry "x" { linux /boot/vmlinuz-1 ro
 initrd /boot/missing.img }'
run_case e04-initrd-missing-after-kernel 2 'missing.img' "$W/e04.img"
run_case e07-args-newline-simple 1 'control character 0x0a' "$W/e.img" --args="$(printf 'a\nkernel /etc/shadow')"
ext_cfg "$W/e08.img" "$(printf 'menuentry "x" {\n linux /boot/\033]52;c;AAAA\007vmlinuz ro\n}')"
run_case e08-escape-sequence-in-path 2 '\\x1b' "$W/e08.img"
# a guest file name the supervisor could not print is bad guest data (3),
# refused by the worker, not a lie (5)
tree "$W/t" "$(printf 'menuentry "x" {\n linux /boot/vmlinuz-\342\200\256gpj.exe ro\n}')"
cp "$W/t/boot/vmlinuz-1" "$W/t/boot/vmlinuz-$(printf '\342\200\256')gpj.exe"
ext "$W/e09.img" "$W/t" -O ^metadata_csum
run_case e09-bidi-in-kernel-file-name 3 'kernel path contains control character U\+202E' "$W/e09.img"
run_case e09-bidi-in-kernel-file-name-n 3 'kernel path contains control character U\+202E' "$W/e09.img" -n

# the default output directory (no --output-directory), in a private mount
# namespace over a fresh /run/xen: made 0700; refused when its mode or
# owner is wrong or it is a planted symlink, and then nothing is written
default_dir() { # SETUP: run pvboot after SETUP; print "STATUS MODE FILES"
	unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs -o mode=0755 tmpfs /run/xen &&
		'"$1"' && "$0" -q --output-format=simple0 "$1" >/dev/null 2>"$2"; rc=$?
		echo "$rc $(stat -c %a /var/run/xen/pygrub 2>/dev/null) $(ls /run/xen/decoy 2>/dev/null | wc -l)"' \
		"$PV" "$W/e.img" "$W/e10.err"
}
if [ "$(id -u)" = 0 ] && [ -d /run/xen ] && unshare -m true 2>/dev/null; then
	set -- $(default_dir true)
	if [ "$1 $2" = "0 700" ]; then ok "e10-default-dir-made-0700"
	else bad "e10-default-dir-made-0700: got '$*': $(head -c 200 "$W/e10.err")"; fi
	set -- $(default_dir 'mkdir -m 0755 /run/xen/pygrub')
	if [ "$1" = 4 ] && grep -q 'mode 0700' "$W/e10.err"; then ok "e10-default-dir-mode-0755-refused (exit 4)"
	else bad "e10-default-dir-mode-0755-refused: got '$*': $(head -c 200 "$W/e10.err")"; fi
	set -- $(default_dir 'mkdir -m 0700 /run/xen/pygrub && chown 1:1 /run/xen/pygrub')
	if [ "$1" = 4 ] && grep -q 'owned by uid 0' "$W/e10.err"; then ok "e10-default-dir-not-roots-refused (exit 4)"
	else bad "e10-default-dir-not-roots-refused: got '$*': $(head -c 200 "$W/e10.err")"; fi
	set -- $(default_dir 'mkdir -m 0700 /run/xen/decoy && ln -s decoy /run/xen/pygrub')
	if [ "$1" = 4 ] && [ "$3" = 0 ] && grep -q 'symlink' "$W/e10.err"; then ok "e10-default-dir-symlink-refused (exit 4)"
	else bad "e10-default-dir-symlink-refused: got '$*': $(head -c 200 "$W/e10.err")"; fi
else
	skip=$((skip + 4)); say "skip e10-default-dir: needs root, /run/xen and unshare -m"
fi

# === T. printed text: C1, bidi controls, separators =============================
# For each character class: in args (exit 3, like a C0 control), in the name
# of a kernel that exists (exit 3: bad guest data, not the worker's fault),
# in a title (-l prints it escaped), and in --isconfig's args (exit 3).
# No raw byte of it may reach stdout, stderr or the --output file.
# text_case NAME STATUS STDOUT_REGEX pvboot-args...
text_case() {
	local name=$1 want=$2 re=$3; shift 3
	local o=$W/g.out e=$W/g.err so=$W/g.stdout d=$W/g.dir rc
	rm -rf "$d"; mkdir -p "$d"; printf 'SENTINEL' >"$o"
	timeout -s KILL $TIMEOUT "$PV" -q --output="$o" --output-directory="$d" "$@" \
		>"$so" 2>"$e" </dev/null
	rc=$?
	if [ $rc -ne "$want" ]; then bad "$name: exit $rc, want $want: $(head -c 200 "$e" | tr -dc '[:print:]')"; return; fi
	if ! python3 "$here/hostile/unsafe_text.py" "$so" "$e" "$o" >"$W/g.why"; then bad "$name: $(cat "$W/g.why")"; return; fi
	if [ "$want" -ne 0 ] && { [ "$(wc -l <"$e")" -ne 1 ] || ! grep -q '^pvboot: ' "$e"; }; then bad "$name: not one 'pvboot:' line on stderr"; return; fi
	if [ "$want" -ne 0 ] && [ "$(cat "$o")" != SENTINEL ]; then bad "$name: --output was touched"; return; fi
	if [ -n "$re" ] && ! grep -Eq -- "$re" "$so"; then bad "$name: stdout does not match /$re/: $(head -c 200 "$so" | tr -dc '[:print:]')"; return; fi
	ok "$name (exit $rc)"
}
for cls in c1-byte:9b c1:c29b alm:d89c lrm:e2808e rlm:e2808f lre:e280aa rle:e280ab pdf:e280ac lro:e280ad rlo:e280ae lri:e281a6 rli:e281a7 fsi:e281a8 pdi:e281a9 ls:e280a8 ps:e280a9; do
	n=${cls%%:*}; x=$(printf "$(echo "${cls#*:}" | sed 's/../\\x&/g')")
	tree "$W/tg"; cp "$W/tg/boot/vmlinuz-1" "$W/tg/boot/vmlinuz-$x"
	printf 'set default=0\nmenuentry "args" { linux /boot/vmlinuz-1 ro a%sb }\nmenuentry "path" { linux /boot/vmlinuz-%s ro }\nmenuentry "title %s" { linux /boot/vmlinuz-1 ro }\n' \
		"$x" "$x" "$x" >"$W/tg/boot/grub/grub.cfg"
	ext "$W/g-$n.img" "$W/tg" -O ^metadata_csum
	text_case "g01-$n-in-args" 3 '' --entry=0 "$W/g-$n.img"
	text_case "g02-$n-in-kernel-name" 3 '' --entry=1 "$W/g-$n.img"
	text_case "g02-$n-in-kernel-name-n-sxp" 3 '' -n --entry=1 "$W/g-$n.img"
	text_case "g03-$n-in-title-listed" 0 '^title: title \\x' -l "$W/g-$n.img"
	text_case "g04-$n-in-title-boots" 0 '' --entry=2 "$W/g-$n.img"
	printf 'menuentry "x" { linux /boot/vmlinuz-1 ro a%sb }\n' "$x" >"$W/g-$n.cfg"
	text_case "g05-$n-in-isconfig-args" 3 '' --isconfig "$W/g-$n.cfg"
	printf 'menuentry "x" { linux /boot/vmlinuz-%s ro }\n' "$x" >"$W/g-$n-path.cfg"
	text_case "g05-$n-in-isconfig-kernel" 3 '' --isconfig "$W/g-$n-path.cfg"
done
# --isconfig: a quoted newline cannot forge a "kernel:" line
printf 'menuentry "x" { linux /boot/vmlinuz-1 "ro\n  kernel: /etc/shadow" }\n' >"$W/g06.cfg"
text_case g06-isconfig-newline-forges-nothing 3 '' --isconfig "$W/g06.cfg"
printf 'menuentry "x" { linux /boot/vmlinuz-1 ro quiet }\n' >"$W/g06b.cfg"
text_case g06-isconfig-clean 0 '^  kernel: /boot/vmlinuz-1$' --isconfig "$W/g06b.cfg"
# sxp: the extracted paths and args are Python's repr()
ext_cfg "$W/g07.img" "menuentry \"x\" { linux /boot/vmlinuz-1 ro \"it's\" caf$(printf '\xc3\xa9') }"
text_case g07-sxp-is-python-repr 0 '' --output-format=sxp "$W/g07.img"
# GRUB hands the kernel it\'s (its command line re-quotes); repr of that
want=$(python3 -c 'import sys; print("(args %s)" % repr("ro it\\\x27s caf\u00e9"))')
if grep -qF -- "$want" "$W/g.out"; then ok "g07-sxp-args-repr"
else bad "g07-sxp-args-repr: $(cat "$W/g.out")"; fi
# bytes that are not UTF-8 (a Latin-1 name) are bad guest data as well:
# exit 3, never 5, in a disk run and under --isconfig
tree "$W/tg8"; cp "$W/tg8/boot/vmlinuz-1" "$W/tg8/boot/vmlinuz-$(printf '\xe9')"
printf 'menuentry "x" { linux /boot/vmlinuz-\xe9 ro caf\xe9 }\n' >"$W/tg8/boot/grub/grub.cfg"
ext "$W/g08.img" "$W/tg8" -O ^metadata_csum
text_case g08-latin1-kernel-name 3 '' -n --output-format=sxp "$W/g08.img"
text_case g08-latin1-kernel-name-disk-run 3 '' "$W/g08.img"
printf 'menuentry "x" { linux /boot/vmlinuz-\xe9 ro caf\xe9 }\n' >"$W/g08.cfg"
text_case g08-latin1-isconfig 3 '' --isconfig "$W/g08.cfg"

# === V. stacked volumes: LVM2 and MD RAID1 (issue 10) ========================
# Built by tests/images/build-volumes.sh (LVM needs root and loop devices),
# then their metadata is made hostile with lvm2's checksums recomputed.
LVMPATCH="python3 $here/hostile/lvmmeta.py"
"$here/images/build-volumes.sh" "$W/vol" lvm-striped md-1.2 >"$W/vol.log" 2>&1 || true
if [ -f "$W/vol/lvm-striped.img" ]; then
	P1=$((2048 * 512)) P2=$((51200 * 512))
	lvm_case() { cp "$W/vol/lvm-striped.img" "$W/$1.img"; }
	lvm_case v01; for o in $P1 $P2; do $LVMPATCH "$W/v01.img" $o sub '"pv1", 0' '"pv1", 99999'; done
	run_case v01-lvm-segment-past-disk 2 'lv boot: extents 99999\+8 of pv1 lie outside the PV' "$W/v01.img"
	# seqno race: p2's copy claims a newer seqno but its checksum fails:
	# it is skipped (with a warning) and p1's older valid copy boots
	lvm_case v02; $LVMPATCH "$W/v02.img" $P2 sub 'seqno = [0-9]+' 'seqno = 99'; $LVMPATCH "$W/v02.img" $P2 badcrc
	run_case v02-lvm-seqno-race-newest-bad-checksum ok 'args root=/dev/mapper/vg1-root ro' "$W/v02.img"
	lvm_case v03; for o in $P1 $P2; do $LVMPATCH "$W/v03.img" $o badcrc; done
	run_case v03-lvm-every-copy-bad-checksum 2 'LVM2 PV: no valid metadata copy' "$W/v03.img"
	python3 -c "print('vg1 {\n' + 'a {\n' * 100 + '}\n' * 101)" >"$W/deep.txt"
	lvm_case v04; for o in $P1 $P2; do $LVMPATCH "$W/v04.img" $o text "$W/deep.txt"; done
	run_case v04-lvm-metadata-deep-nesting 2 'nested over 16 deep' "$W/v04.img"
	python3 -c "print('vg1 {\nx = [' + ','.join(['1'] * 100000) + ']\n}')" >"$W/many.txt"
	lvm_case v05; for o in $P1 $P2; do $LVMPATCH "$W/v05.img" $o text "$W/many.txt"; done
	run_case v05-lvm-metadata-huge-array 2 'more than 65536 values' "$W/v05.img"
	lvm_case v06; for o in $P1 $P2; do $LVMPATCH "$W/v06.img" $o sub 'type = "striped"' 'type = "thin-pool"'; done
	run_case v06-lvm-thin-pool 2 'lv boot: segment type thin-pool: not supported' "$W/v06.img"
	lvm_case v07; $LVMPATCH "$W/v07.img" $P1 sub 'pv1 \{\s*id = "[^"]*"' 'pv1 { id = "AAAAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAAAA"'; \
		$LVMPATCH "$W/v07.img" $P1 sub 'seqno = [0-9]+' 'seqno = 99'
	# stripes swapped: the LV holds no filesystem; the message names the
	# PV, its VG and each LV with its size
	lvm_case v08; for o in $P1 $P2; do $LVMPATCH "$W/v08.img" $o sub '"pv0", 0,\s*"pv1", 0' '"pv1", 0, "pv0", 0'; done
	run_case v08-lvm-names-in-diagnosis 2 'p1 24MiB@1MiB Linux LVM LVM2 PV of vg1: lv boot 16MiB: no filesystem; p2 24MiB@25MiB Linux LVM: LVM2 PV of vg1 \(its LVs are listed with p1\)' "$W/v08.img"
	run_case v07-lvm-missing-pv 2 'on pv1, a PV not on this disk: not supported' "$W/v07.img"
else
	skip "v01-v07 (LVM2): $(grep -m1 SKIP "$W/vol.log" || tail -1 "$W/vol.log")"
fi
if [ -f "$W/vol/md-1.2.img" ]; then
	# both members' data_offset far past the member (checksum recomputed)
	cp "$W/vol/md-1.2.img" "$W/v10.img"
	for m in 2048 43008; do
		python3 - "$W/v10.img" $(( m * 512 + 4096 )) <<'PY'
import struct, sys
f = open(sys.argv[1], 'r+b'); at = int(sys.argv[2])
f.seek(at); b = bytearray(f.read(4096))
struct.pack_into('<Q', b, 128, 1 << 40)
n = 256 + 2 * struct.unpack_from('<I', b, 220)[0]
s = sum(struct.unpack_from('<I', b, i)[0] for i in range(0, n, 4) if i != 216)
struct.pack_into('<I', b, 216, ((s & 0xffffffff) + (s >> 32)) & 0xffffffff)
f.seek(at); f.write(b)
PY
	done
	run_case v10-md-data-offset-past-member 2 'MD data .* lies outside the member' "$W/v10.img"
	cp "$W/vol/md-1.2.img" "$W/v11.img"
	for m in 2048 43008; do $PATCH "$W/v11.img" $(( m * 512 + 4096 + 72 )) '<I' 5; done
	run_case v11-md-superblock-bad-checksum 2 'MD 1.x superblock checksum mismatch' "$W/v11.img"
else
	skip "v10-v11 (MD): $(tail -1 "$W/vol.log")"
fi
tmd=$(mktemp -d "$W/md5.XXXXXX")
truncate -s 20M "$tmd/m"; python3 "$here/images/mdsuper.py" "$tmd/m" 1.2 level=5 raid_disks=3
dd if="$W/good.fs" of="$tmd/m" bs=1M seek=1 conv=notrunc status=none
rm -f "$W/v12.img"; truncate -s 22M "$W/v12.img"
printf 'label: dos\nstart=2048, size=40960, type=fd\n' | sfdisk -q --no-reread --no-tell-kernel "$W/v12.img" >/dev/null
dd if="$tmd/m" of="$W/v12.img" bs=1M seek=1 conv=notrunc status=none
run_case v12-md-raid5 2 'MD RAID level 5: not supported \(only RAID1\)' "$W/v12.img"

# backing chains (--allow-backing, bootloader/privileged/backing.h): an
# overlay of a bootable qcow2 whose backing name is then rewritten (-u),
# as a hostile image would hold it; each must stop with exit 3 and its
# reason before a byte is copied (tests/vdisk_backing.sh has the rest)
if command -v qemu-img >/dev/null; then
	BK=$W/bk; mkdir -p "$BK/adir" "$W/bk-outside"
	mbr_wrap "$BK/base.raw" "$W/good.fs"
	qemu-img convert -O qcow2 "$BK/base.raw" "$BK/base.qcow2"
	bk() { # FILE NAME [FORMAT]
		(cd "$BK" && qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 "$1" &&
		 qemu-img rebase -u -b "$2" -F "${3:-qcow2}" "$1")
	}
	bk ok.qcow2 base.qcow2
	run_case v20-backing-chain-boots ok 'args root=' "$BK/ok.qcow2" --allow-backing
	run_case v21-backing-not-allowed 3 'backing file.*--allow-backing' "$BK/ok.qcow2"
	bk self.qcow2 self.qcow2
	run_case v22-backing-loop-self 3 'backing file loop: self.qcow2 is already level 0' "$BK/self.qcow2" --allow-backing
	bk a.qcow2 b.qcow2; bk b.qcow2 a.qcow2
	run_case v23-backing-loop-a-b-a 3 'backing file loop: a.qcow2 is already level 0' "$BK/a.qcow2" --allow-backing
	prev=base.qcow2
	for i in 1 2 3 4 5 6 7 8 9; do bk "d$i.qcow2" "$prev"; prev=d$i.qcow2; done
	run_case v24-backing-chain-too-deep 3 'more than 8 backing files' "$BK/d9.qcow2" --allow-backing
	bk shadow.qcow2 /etc/shadow raw
	run_case v25-backing-etc-shadow 3 'backing file /etc/shadow: an absolute name outside the image directory' "$BK/shadow.qcow2" --allow-backing
	cp "$BK/base.qcow2" "$W/bk-outside/base.qcow2"; bk up.qcow2 ../bk-outside/base.qcow2
	run_case v26-backing-dotdot-escape 3 'outside the image directory' "$BK/up.qcow2" --allow-backing
	bk dir.qcow2 adir raw
	run_case v27-backing-directory 3 'backing file adir: not a regular file' "$BK/dir.qcow2" --allow-backing
	ln -s /dev/zero "$BK/zero"; bk dev.qcow2 zero raw
	run_case v28-backing-symlink-to-device 3 'backing file zero: reached through a symlink' "$BK/dev.qcow2" --allow-backing
	bk esc.qcow2 "$(printf 'base\033]0;owned\007.qcow2')"
	run_case v29-backing-name-control-chars 3 'backing file name contains a control character' "$BK/esc.qcow2" --allow-backing
else
	skip "v20-v29 (backing chains): qemu-img not installed (qemu-utils)"
fi

# === F. resources and the worker ================================================
mkfifo "$W/f05-fifo"
run_case f05-disk-is-a-fifo 1 'not a regular file or block device' "$W/f05-fifo"
# The worker's misbehaviour needs the test build's hooks (tests/hooks/);
# build/pvboot has none and must ignore the variables.
PVT=$(dirname "$PV")/pvboot-test
if [ ! -x "$PVT" ]; then
	bad "f0x-test-build: $PVT is missing: make test-build"
else
PV=$PVT PVBOOT_TEST_HOOK=crash run_case f07-worker-crashes 5 'worker killed by signal (11 \(SIGSEGV\)|31 \(SIGSYS\))' "$W/e.img"
PV=$PVT PVBOOT_TEST_HOOK=hang PVBOOT_WORKER_TIMEOUT=2 run_case f03-worker-hangs 5 'worker timed out after 2 s' "$W/e.img"
PV=$PVT PVBOOT_TEST_HOOK=garbage run_case f08-worker-sends-garbage 5 'worker|malformed|answer' "$W/e.img"
PV=$PVT PVBOOT_TEST_HOOK=huge run_case f08-worker-claims-4GiB 5 'worker|malformed|answer|large|limit' "$W/e.img"
PV=$PVT PVBOOT_TEST_HOOK=lie-range run_case f08-worker-lies-range 5 'worker|range|outside|disk' "$W/e.img"
PV=$PVT PVBOOT_TEST_HOOK=lie-size run_case f08-worker-lies-size 5 'worker|cap|large|size' "$W/e.img"
# the worker picks no exit status and sends no kernel-less boot (issue 14)
PV=$PVT PVBOOT_TEST_HOOK=lie-status run_case f12-worker-answers-status-256 5 'status 256' "$W/e.img"
PV=$PVT PVBOOT_TEST_HOOK=lie-nokernel run_case f12-worker-answers-no-kernel 5 'no kernel path' "$W/e.img"
PV=$PVT PVBOOT_TEST_HOOK=lie-nokernel run_case f12-worker-answers-no-kernel-n 5 'no kernel path' "$W/e.img" -n
PV=$PVT PVBOOT_TEST_HOOK=lie-stream run_case f12-worker-stream-ends-early 5 'bytes due' "$W/e.img"
# --allow-backing: the supervisor's own checks of what the worker asks
# for and of where it says the bytes are (bootloader/privileged/backing.h)
PV=$PVT PVBOOT_TEST_HOOK=lie-backing-name run_case f14-worker-asks-backing-unasked 5 'a backing file name without --allow-backing' "$W/e.img"
PV=$PVT PVBOOT_TEST_HOOK=lie-backing-name run_case f14-worker-asks-etc-shadow 3 'backing file /etc/shadow: an absolute name outside the image directory' "$W/e.img" --allow-backing
PV=$PVT PVBOOT_TEST_HOOK=lie-backing-ctrl run_case f14-worker-asks-control-chars 5 'backing file name is empty or contains a control character' "$W/e.img" --allow-backing
PV=$PVT PVBOOT_TEST_HOOK=lie-backing-seg run_case f14-worker-reads-unopened-backing 5 'segment 0 reads backing file 1 of 0' "$W/e.img" --allow-backing
PV=$PVT PVBOOT_TEST_HOOK=lie-stream PVBOOT_TEST_NO_TMPFILE=1 \
	run_case f12-worker-stream-ends-early-named 5 'bytes due' "$W/e.img"
# killed mid-copy (the worker stalls half-way through its stream): SIGTERM
# removes what the run named; SIGKILL leaves nothing, as the files have no
# name until they are complete (O_TMPFILE).  Each kill waits until the
# copy is under way: a named file (fallback) or an unnamed one in
# /proc/PID/fd.
kill_mid_copy() { # NAME SIGNAL NO_TMPFILE
	local name=$1 sig=$2 d=$W/dir.$1 pid kids i left
	rm -rf "$d"; mkdir -p "$d"
	PVBOOT_TEST_HOOK=stall-stream PVBOOT_WORKER_TIMEOUT=30 PVBOOT_TEST_NO_TMPFILE=$3 \
		"$PVT" -q --output="$W/out.$name" --output-directory="$d" "$W/e.img" \
		>/dev/null 2>"$W/err.$name" </dev/null &
	pid=$!
	for i in $(seq 1 200); do
		if [ -n "$3" ]; then ls "$d" | grep -q boot_kernel && break
		else ls -l "/proc/$pid/fd" 2>/dev/null | grep -q " $d/" && break; fi
		sleep 0.05
	done
	kids=$(cat /proc/$pid/task/*/children 2>/dev/null)
	kill "-$sig" "$pid"; wait "$pid" 2>/dev/null
	for k in $kids; do kill -KILL "$k" 2>/dev/null; done
	left=$(ls -A "$d")
	if [ "$i" = 200 ]; then bad "$name: the copy never started"
	elif [ -n "$left" ]; then bad "$name: left in the output directory: $left"
	else ok "$name (output directory empty)"; fi
}
kill_mid_copy f13-sigterm-mid-copy-named TERM 1
kill_mid_copy f13-sigterm-mid-copy TERM ''
kill_mid_copy f13-sigkill-mid-copy KILL ''
# each forbidden call has one right outcome (test_hooks.h): open fails
# with EACCES (the hook then exits 98; 97 is another errno, 99 success),
# everything else is killed by the seccomp filter
PV=$PVT PVBOOT_TEST_HOOK=open run_case f09-worker-tries-open 5 'worker exited with status 98 without an answer$' "$W/e.img"
for h in socket exec ptrace kill write-stderr; do
	PV=$PVT PVBOOT_TEST_HOOK=$h run_case "f09-worker-tries-$h" 5 'worker killed by signal 31 \(SIGSYS\)' "$W/e.img"
done
# a mandatory layer that cannot be put in place stops the run, naming it
for l in uid:'uid drop' mountns:'mount namespace' seccomp:seccomp; do
	if [ "$(id -u)" != 0 ] && [ "${l%%:*}" != seccomp ]; then
		skip "f10-no-${l%%:*}: only root drops the uid and unshares"
		continue
	fi
	PV=$PVT PVBOOT_TEST_FAIL_LAYER=${l%%:*} run_case "f10-no-${l%%:*}" 5 "cannot confine the worker: ${l#*:}: " "$W/e.img"
done
fi
# a plain chroot ("/" not a mount point): the kernel will not make "/"
# private, so the empty root cannot be made: stop, and say how to fix it
if [ "$(id -u)" = 0 ]; then
	c=$W/chroot; mkdir -p "$c/bin" "$c/dev" "$c/etc" "$c/img"
	cp "$PV" "$c/bin/pvboot"; cp "$W/e.img" "$c/img/"
	mknod -m 666 "$c/dev/null" c 1 3
	grep -E '^(root|nobody):' /etc/passwd >"$c/etc/passwd"
	grep -E '^(root|nogroup):' /etc/group >"$c/etc/group"
	for l in $(ldd "$PV" | grep -o '/[^ ]*'); do
		mkdir -p "$c${l%/*}"; cp "$l" "$c$l"
	done
	# /proc for the sanitizer build's runtime (it reads /proc/self)
	mkdir -p "$c/proc"; mount -t proc proc "$c/proc"
	out=$(chroot "$c" /bin/pvboot -q /img/e.img 2>&1 >/dev/null); rc=$?
	umount "$c/proc"
	if [ "$rc" = 5 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
	   printf '%s' "$out" | grep -q '^pvboot: .*cannot make / private: / is not a mount point (in a chroot, bind-mount'; then
		ok f10-chroot-not-a-mount-point
	else
		bad "f10-chroot-not-a-mount-point: exit $rc: $out"
	fi
	rm -rf "$c"
fi
# the shipped binary has no hooks: it boots whatever they say
if strings "$PV" | grep -q 'PVBOOT_TEST_'; then
	bad "f11-shipped-binary-has-no-hooks: $PV contains PVBOOT_TEST_*"
else
	PVBOOT_TEST_HOOK=exec PVBOOT_TEST_FAIL_LAYER=seccomp run_case f11-shipped-binary-has-no-hooks ok 'args' "$W/e.img"
fi
if [ "$(id -u)" = 0 ] && mkdir -p "$W/f02" && mount -t tmpfs -o size=40k tmpfs "$W/f02" 2>/dev/null; then
	run_case f02-output-dir-full 4 'No space|space|write' "$W/e.img" --output-directory="$W/f02"
	[ -z "$(ls -A "$W/f02")" ] || bad "f02-cleanup: files left on the full filesystem"
	umount "$W/f02"
elif ci_root; then
	bad "f02-output-dir-full: as root in CI the tmpfs mount must work"
else
	skip "f02-output-dir-full: needs root and a tmpfs mount"
fi

# === G. GRUB environment writes (issue 15) ====================================
# The guest's grubenv is changed by the config (next_entry cleared, as
# grub-reboot's header does) but must not be written where it would hit
# another file or the partition table, nor be unbounded.  Each case must
# boot (GRUB boots on when save_env fails), leave the disk unchanged to the
# byte and say why in a warning.
ENVCFG=$GRUB_REBOOT_CFG
envblock() { # BYTES: a grubenv of that size, next_entry=two
	{ printf '# GRUB Environment Block\nsaved_entry=one\nnext_entry=two\n'
	  head -c "$1" /dev/zero | tr '\0' '#'; } | head -c "$1"
}
# env_case NAME WARNING-REGEX IMG
env_case() {
	local name=$1 re=$2 img=$3 out=$W/out.$1 dir=$W/dir.$1 err=$W/err.$1 rc sum
	mkdir -p "$dir"; : >"$out"
	sum=$(sha256sum <"$img")
	timeout -s KILL $TIMEOUT "$PV" -q --output="$out" --output-format=simple0 \
		--output-directory="$dir" "$img" >/dev/null 2>"$err" </dev/null
	rc=$?
	if [ $rc -ne 0 ]; then bad "$name: exit $rc, want 0: $(head -c 300 "$err")"; return; fi
	if ! tr '\0' '\n' <"$out" | grep -q '^args root=/dev/xvda1 ro two$'; then
		bad "$name: did not boot next_entry: $(tr '\0' '|' <"$out")"; return; fi
	if [ "$(sha256sum <"$img")" != "$sum" ]; then bad "$name: the disk was written"; return; fi
	if ! grep -Eq -- "$re" "$err"; then bad "$name: no warning /$re/: $(head -c 300 "$err")"; return; fi
	if grep -vq '^pvboot: warning: ' "$err"; then bad "$name: stderr: $(head -c 300 "$err")"; return; fi
	ok "$name (boots, disk unchanged: $(grep -Eo -- "$re" "$err" | head -1))"
}
# g01: grubenv's block map points into the kernel, whose first bytes are
# an environment block: the worker maps it, the supervisor refuses
rm -rf "$W/g1"; mkdir -p "$W/g1/boot/grub"
{ envblock 1024; head -c 70000 /dev/urandom; } >"$W/g1/boot/vmlinuz-1"
envblock 1024 >"$W/g1/boot/grub/grubenv"
printf '%s\n' "$ENVCFG" >"$W/g1/boot/grub/grub.cfg"
ext "$W/g1.fs" "$W/g1" -O ^metadata_csum,^extent,^64bit
dbg "$W/g1.fs" "set_inode_field /boot/grub/grubenv block[0] $(blk_of "$W/g1.fs" /boot/vmlinuz-1)"
mbr_wrap "$W/g01.img" "$W/g1.fs"
env_case g01-grubenv-overlaps-kernel 'not written: range overlaps the kernel' "$W/g01.img"
# g02: the grubenv's sectors lie in the first MiB of the disk (a GPT
# partition at LBA 34): refused as the partition table area
rm -rf "$W/g2"; mkdir -p "$W/g2/boot/grub"
head -c 70000 /dev/urandom >"$W/g2/boot/vmlinuz-1"
envblock 1024 >"$W/g2/boot/grub/grubenv"
printf '%s\n' "$ENVCFG" >"$W/g2/boot/grub/grub.cfg"
ext "$W/g2.fs" "$W/g2" -O ^metadata_csum,^has_journal -N 32
rm -f "$W/g02.img"; truncate -s 12M "$W/g02.img"
printf 'label: gpt\nfirst-lba: 34\nstart=34, size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' |
	sfdisk -q --no-reread --no-tell-kernel "$W/g02.img" >/dev/null
dd if="$W/g2.fs" of="$W/g02.img" bs=512 seek=34 conv=notrunc status=none
if [ $((34 * 512 + $(blk_of "$W/g2.fs" /boot/grub/grubenv) * 1024)) -lt 1048576 ]; then
	env_case g02-grubenv-in-partition-table-area 'not written: range in the partition table area' "$W/g02.img"
else
	skip "g02-grubenv-in-partition-table-area: mke2fs put grubenv past the first MiB"
fi
# g03: a 1 MiB grubenv: read (it is under the config cap), never edited
# or sent (PV_MAX_ENVBLK_WRITE)
rm -rf "$W/g3"; mkdir -p "$W/g3/boot/grub"
head -c 70000 /dev/urandom >"$W/g3/boot/vmlinuz-1"
envblock 1048576 >"$W/g3/boot/grub/grubenv"
printf '%s\n' "$ENVCFG" >"$W/g3/boot/grub/grub.cfg"
rm -f "$W/g3.fs"; mke2fs -q -F -t ext4 -O ^metadata_csum -d "$W/g3" "$W/g3.fs" 8M >/dev/null 2>&1
mbr_wrap "$W/g03.img" "$W/g3.fs"
env_case g03-grubenv-1MiB 'save_env.*larger than 65536 bytes' "$W/g03.img"
# === K. Unified Kernel Images and kernels (issue 11) ===========================
# mkpe FILE: a small UKI, .osrel at 0x400 and .linux at 0x600 (4 KiB); the
# section table starts at 0x98, 40 bytes per section (raw size at +16, raw
# offset at +20)
# (mkpe FILE N: and a .cmdline of N bytes at 0x1600)
mkpe() {
	python3 - "$1" "${2:-0}" <<'PY'
import struct, sys
cl = int(sys.argv[2])
b = bytearray(0x1600 + cl)
secs = [(b".osrel", 0x400, 0), (b".linux", 0x600, 0x1000)]
if cl:
    secs.append((b".cmdline", 0x1600, cl))
    b[0x1600:] = b"a" * cl
b[0:2] = b"MZ"; struct.pack_into("<I", b, 0x3c, 0x80)
b[0x80:0x84] = b"PE\0\0"; struct.pack_into("<HH", b, 0x84, 0x8664, len(secs))
osrel = b'ID=x\nPRETTY_NAME="UKI"\n'
for i, (n, off, size) in enumerate(secs):
    size = size or len(osrel)
    struct.pack_into("<8sIIIII", b, 0x98 + 40 * i, n, size, 0, size, off, 0)
b[0x400:0x400 + len(osrel)] = osrel
open(sys.argv[1], "wb").write(b)
PY
}
uki_img() { # IMG [extra setup on $W/u]
	rm -rf "$W/u"; mkdir -p "$W/u/EFI/Linux"; mkpe "$W/u/EFI/Linux/x.efi"
}
uki_fs() { rm -f "$1"; mke2fs -q -F -t ext4 -b 1024 -O ^metadata_csum "${@:3}" -d "$W/u" "$1" "$2" >/dev/null 2>&1; }
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x98 + 40 + 20)) '<I' 0x100000; uki_fs "$W/g01.img" 8M
run_case k01-uki-section-outside-file 3 'PE section .linux .*lies outside the .*-byte file' "$W/g01.img"
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x98 + 40 + 20)) '<I' 0x410; uki_fs "$W/g02.img" 8M
run_case k02-uki-overlapping-sections 3 'sections .osrel and .linux overlap' "$W/g02.img"
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x98 + 40 + 8)) '<II' 0xFFFFFFFF 0; $PATCH "$W/u/EFI/Linux/x.efi" $((0x98 + 40 + 16)) '<I' 0xFFFFFFFF; uki_fs "$W/g03.img" 8M
run_case k03-uki-section-4GiB 3 'PE section .linux \(4294967295 bytes .*lies outside' "$W/g03.img"
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x86)) '<H' 20000; uki_fs "$W/g04.img" 8M
run_case k04-uki-20000-sections 3 'PE file has 20000 sections' "$W/g04.img"
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x3c)) '<I' 0xFFFFFFF0; uki_fs "$W/g05.img" 8M
run_case k05-uki-pe-header-outside 3 'PE header offset' "$W/g05.img"
uki_img; mkdir -p "$W/u/EFI/Linux/x.efi.extra.d"
for i in $(seq 1 10000); do : >"$W/u/EFI/Linux/x.efi.extra.d/a$i.addon.efi"; done
uki_fs "$W/g06.img" 24M -N 12000
run_case k06-uki-10000-addons 3 'more than 64 add-ons' "$W/g06.img"
rm -rf "$W/u"; mkdir -p "$W/u/EFI/Linux"; mkpe "$W/u/EFI/Linux/x.efi" 4000; uki_fs "$W/g09.img" 8M
run_case k09-uki-cmdline-4000-bytes 3 'kernel args are 4000 bytes; Xen keeps at most 1023' "$W/g09.img"
rm -rf "$W/u"; mkdir -p "$W/u/boot/grub"; head -c 600 /dev/zero | gzip -c >"$W/p.gz"
python3 "$here/images/mk-kernel.py" bzimage "$W/u/boot/vmlinuz-1" "$W/p.gz" --protocol 0x0200
printf 'menuentry "old" {\n\tlinux /boot/vmlinuz-1 ro\n}\n' >"$W/u/boot/grub/grub.cfg"; uki_fs "$W/g07.img" 8M
run_case k07-bzimage-protocol-2.00 3 'boot protocol 2.00: Xen.s domain builder needs 2.08' "$W/g07.img"
python3 "$here/images/mk-kernel.py" bzimage "$W/u/boot/vmlinuz-1" "$W/p.gz" --payload-outside; uki_fs "$W/g08.img" 8M
run_case k08-bzimage-payload-outside 3 'payload .* lies outside' "$W/g08.img"

finish
