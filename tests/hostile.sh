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
pass=0 fail=0 skip=0
TIMEOUT=60

say() { printf '%s\n' "$*"; }
bad() { say "FAIL $1: $2"; fail=$((fail + 1)); }

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
		if [ $rc -ne 0 ]; then bad "$name" "exit $rc, want 0: $(head -c 300 "$err")"; return; fi
		if [ -n "$re" ] && ! tr '\0' '\n' <"$out" | grep -Eq -- "$re"; then
			bad "$name" "output does not match /$re/: $(tr '\0' '|' <"$out")"; return; fi
		pass=$((pass + 1)); say "ok   $name (boots: $(tr '\0' '|' <"$out" | grep -o 'args[^|]*' | head -c 60))"
		return
	fi
	if [ $rc -ge 128 ] || [ $rc -eq 137 ]; then bad "$name" "killed (status $rc)"; return; fi
	if [ $rc -ne "$want" ]; then bad "$name" "exit $rc, want $want: $(head -c 300 "$err")"; return; fi
	if [ "$lines" -ne 1 ]; then bad "$name" "$lines stderr lines: $(head -c 300 "$err")"; return; fi
	if ! grep -q '^pvboot: ' "$err"; then bad "$name" "stderr not 'pvboot: ...'"; return; fi
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$err"; then bad "$name" "raw control bytes on stderr"; return; fi
	if ! grep -Eq -- "$re" "$err"; then bad "$name" "stderr does not match /$re/: $(head -c 300 "$err")"; return; fi
	if [ "$(cat "$out")" != SENTINEL ]; then bad "$name" "--output was touched"; return; fi
	if [ -n "$(ls -A "$dir")" ]; then bad "$name" "files left in the output directory: $(ls "$dir")"; return; fi
	if [ $((t1 - t0)) -gt 30 ]; then bad "$name" "took $((t1 - t0)) s"; return; fi
	pass=$((pass + 1)); say "ok   $name (exit $rc: $(head -c 110 "$err"))"
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
for d in 99 -1 garbage '7>3>1'; do
	ext_cfg "$W/c06.img" "set default=\"$d\"
$GRUBCFG"
	sed -i '0,/set default="0"/{/set default="0"/d}' /dev/null
	run_case "c06-default-$d" ok 'args root=/dev/xvda1 ro quiet' "$W/c06.img"
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
	pass=$((pass + 1)); say "ok   d03-reads-the-guests-file"; else bad d03-reads-the-guests-file "extracted bytes are not the guest's /etc/shadow"; fi
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
ln -sf /etc/passwd "$W/e05-link"
out=$W/e05-dir; mkdir -p "$out"
timeout 20 "$PV" -q --output="$W/e05-link" --output-directory="$out" "$W/e.img" 2>"$W/e05.err"; rc=$?
if [ $rc -eq 4 ] && [ -z "$(ls -A "$out")" ] && ! grep -q '^kernel' /etc/passwd; then pass=$((pass+1)); say "ok   e05-output-is-symlink (exit 4)"; else bad e05-output-is-symlink "exit $rc"; fi
mkfifo "$W/e05-fifo"
timeout 20 "$PV" -q --output="$W/e05-fifo" --output-directory="$out" "$W/e.img" 2>"$W/e05b.err"; rc=$?
if [ $rc -eq 4 ] && [ -z "$(ls -A "$out")" ]; then pass=$((pass+1)); say "ok   e05-output-is-fifo (exit 4)"; else bad e05-output-is-fifo "exit $rc"; fi
mkdir -p "$W/e06-real"; ln -s "$W/e06-real" "$W/e06-link"
timeout 20 "$PV" -q --output="$W/e06.out" --output-directory="$W/e06-link" "$W/e.img" 2>"$W/e06.err"; rc=$?
if [ $rc -eq 4 ] && [ -z "$(ls -A "$W/e06-real")" ]; then pass=$((pass+1)); say "ok   e06-output-dir-is-symlink (exit 4)"; else bad e06-output-dir-is-symlink "exit $rc"; fi
ext_cfg "$W/e04.img" 'menuentry "x" { linux /boot/vmlinuz-1 ro
 initrd /boot/missing.img }'
run_case e04-initrd-missing-after-kernel 2 'missing.img' "$W/e04.img"
run_case e07-args-newline-simple 1 'control character 0x0a' "$W/e.img" --args="$(printf 'a\nkernel /etc/shadow')"
ext_cfg "$W/e08.img" "$(printf 'menuentry "x" {\n linux /boot/\033]52;c;AAAA\007vmlinuz ro\n}')"
run_case e08-escape-sequence-in-path 2 '\\x1b' "$W/e08.img"

# === F. resources and the worker ================================================
mkfifo "$W/f05-fifo"
run_case f05-disk-is-a-fifo 1 'not a regular file or block device' "$W/f05-fifo"
PVBOOT_TEST_HOOK=crash run_case f07-worker-crashes 5 'worker|signal|SIGSEGV' "$W/e.img"
PVBOOT_TEST_HOOK=hang PVBOOT_WORKER_TIMEOUT=2 run_case f03-worker-hangs 5 'worker|time' "$W/e.img"
PVBOOT_TEST_HOOK=garbage run_case f08-worker-sends-garbage 5 'worker|malformed|answer' "$W/e.img"
PVBOOT_TEST_HOOK=huge run_case f08-worker-claims-4GiB 5 'worker|malformed|answer|large|limit' "$W/e.img"
PVBOOT_TEST_HOOK=lie-range run_case f08-worker-lies-range 5 'worker|range|outside|disk' "$W/e.img"
PVBOOT_TEST_HOOK=lie-size run_case f08-worker-lies-size 5 'worker|cap|large|size' "$W/e.img"
for h in open socket exec write-stderr; do
	PVBOOT_TEST_HOOK=$h run_case "f09-worker-tries-$h" 5 'worker|sandbox|signal|refused' "$W/e.img"
done
if [ "$(id -u)" = 0 ] && mkdir -p "$W/f02" && mount -t tmpfs -o size=40k tmpfs "$W/f02" 2>/dev/null; then
	run_case f02-output-dir-full 4 'No space|space|write' "$W/e.img" --output-directory="$W/f02"
	[ -z "$(ls -A "$W/f02")" ] || bad f02-cleanup "files left on the full filesystem"
	umount "$W/f02"
else
	skip=$((skip + 1)); say "skip f02-output-dir-full: needs root and a tmpfs mount"
fi

# === G. Unified Kernel Images and kernels (issue 11) ===========================
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
run_case g01-uki-section-outside-file 3 'PE section .linux .*lies outside the .*-byte file' "$W/g01.img"
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x98 + 40 + 20)) '<I' 0x410; uki_fs "$W/g02.img" 8M
run_case g02-uki-overlapping-sections 3 'sections .osrel and .linux overlap' "$W/g02.img"
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x98 + 40 + 8)) '<II' 0xFFFFFFFF 0; $PATCH "$W/u/EFI/Linux/x.efi" $((0x98 + 40 + 16)) '<I' 0xFFFFFFFF; uki_fs "$W/g03.img" 8M
run_case g03-uki-section-4GiB 3 'PE section .linux \(4294967295 bytes .*lies outside' "$W/g03.img"
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x86)) '<H' 20000; uki_fs "$W/g04.img" 8M
run_case g04-uki-20000-sections 3 'PE file has 20000 sections' "$W/g04.img"
uki_img; $PATCH "$W/u/EFI/Linux/x.efi" $((0x3c)) '<I' 0xFFFFFFF0; uki_fs "$W/g05.img" 8M
run_case g05-uki-pe-header-outside 3 'PE header offset' "$W/g05.img"
uki_img; mkdir -p "$W/u/EFI/Linux/x.efi.extra.d"
for i in $(seq 1 10000); do : >"$W/u/EFI/Linux/x.efi.extra.d/a$i.addon.efi"; done
uki_fs "$W/g06.img" 24M -N 12000
run_case g06-uki-10000-addons 3 'more than 64 add-ons' "$W/g06.img"
rm -rf "$W/u"; mkdir -p "$W/u/EFI/Linux"; mkpe "$W/u/EFI/Linux/x.efi" 4000; uki_fs "$W/g09.img" 8M
run_case g09-uki-cmdline-4000-bytes 3 'kernel args are 4000 bytes; Xen keeps at most 1023' "$W/g09.img"
rm -rf "$W/u"; mkdir -p "$W/u/boot/grub"; head -c 600 /dev/zero | gzip -c >"$W/p.gz"
python3 "$here/images/mk-kernel.py" bzimage "$W/u/boot/vmlinuz-1" "$W/p.gz" --protocol 0x0200
printf 'menuentry "old" {\n\tlinux /boot/vmlinuz-1 ro\n}\n' >"$W/u/boot/grub/grub.cfg"; uki_fs "$W/g07.img" 8M
run_case g07-bzimage-protocol-2.00 3 'boot protocol 2.00: Xen.s domain builder needs 2.08' "$W/g07.img"
python3 "$here/images/mk-kernel.py" bzimage "$W/u/boot/vmlinuz-1" "$W/p.gz" --payload-outside; uki_fs "$W/g08.img" 8M
run_case g08-bzimage-payload-outside 3 'payload .* lies outside' "$W/g08.img"

say "hostile: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
