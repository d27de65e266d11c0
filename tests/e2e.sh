#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/e2e.sh: run the built pvboot on every image tests/images/build.sh
# makes and check the result against the image's manifest (NAME.expect):
# exit status, the output line byte for byte in each format, the extracted
# files' bytes, modes and names, and on failure the single stderr line, an
# empty output directory and an untouched --output.  Where pygrub is
# installed, compare with what it boots and check each known difference.
#
# Environment: BUILD (default build), PVBOOT (default $BUILD/pvboot),
# IMAGES (default $BUILD/images; built when missing), PYGRUB (default
# /usr/lib/xen-4.17/bin/pygrub), ONLY (space-separated image names).
# Prints one line per check and ends with "e2e: N passed, M failed, K
# skipped" (tests/counts.sh).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
PVBOOT=${PVBOOT:-$BUILD/pvboot}
IMAGES=${IMAGES:-$BUILD/images}
PYGRUB=${PYGRUB:-/usr/lib/xen-4.17/bin/pygrub}
TIMEOUT=${TIMEOUT:-60}

. "$(dirname "$0")/counts.sh" e2e

T=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT

case $PVBOOT in /*) ;; *) PVBOOT=$PWD/$PVBOOT ;; esac
if [ ! -x "$PVBOOT" ]; then
	bad "pvboot binary: $PVBOOT is missing or not executable"
	finish
fi
if [ ! -f "$IMAGES/mbr-ext4.expect" ] ||
   [ -n "$(find "$here/images" -name '*.sh' -newer "$IMAGES/mbr-ext4.expect")" ]; then
	echo "building images in $IMAGES"
	"$here/images/build.sh" "$IMAGES" >/dev/null || { bad "tests/images/build.sh failed"; finish; }
fi
IMAGES=$(cd "$IMAGES" && pwd)

# ---------------------------------------------------------------------------
# Manifest
declare -A M
VARIANTS=()
load_manifest() {
	local line key val
	M=()
	VARIANTS=()
	while IFS= read -r line; do
		key=${line%%=*}
		val=${line#*=}
		case $key in
		error_re | list_re)
			M[$key]+=${M[$key]:+$'\x1f'}$val
			;;
		variant.*.opt | variant.*.opt_printf)
			if [ "${key##*.}" = opt_printf ]; then
				val=$(printf '%b' "$val")
			fi
			key=${key%.*}.opts
			if [ -n "${M[$key]+x}" ]; then
				M[$key]+=$'\x1f'$val
			else
				M[$key]=$val
			fi
			;;
		*) M[$key]=$val ;;
		esac
		case $key in
		variant.*.*)
			key=${key#variant.}
			key=${key%%.*}
			[[ " ${VARIANTS[*]} " == *" $key "* ]] || VARIANTS+=("$key")
			;;
		esac
	done <"$1"
}

# Python repr() of an ASCII string, as pygrub's sxp output uses it.
pyrepr() {
	local s=$1 q="'"
	if [[ $s == *"'"* && $s != *'"'* ]]; then q='"'; fi
	s=${s//\\/\\\\}
	[ "$q" = "'" ] && s=${s//\'/\\\'}
	s=${s//$'\t'/\\t}
	s=${s//$'\n'/\\n}
	s=${s//$'\r'/\\r}
	printf '%s%s%s' "$q" "$s" "$q"
}

# expected_output FMT KERNEL RAMDISK|"" ARGS > file
expected_output() {
	local fmt=$1 k=$2 r=$3 a=$4 sep
	if [ "$fmt" = sxp ]; then
		printf 'linux (kernel %s)' "$(pyrepr "$k")"
		[ -n "$r" ] && printf '(ramdisk %s)' "$(pyrepr "$r")"
		[ -n "$a" ] && printf '(args %s)' "$(pyrepr "$a")"
		return 0
	fi
	if [ "$fmt" = simple ]; then sep='\n'; else sep='\0'; fi
	printf "kernel %s$sep" "$k"
	[ -n "$r" ] && printf "ramdisk %s$sep" "$r"
	[ -n "$a" ] && printf "args %s$sep" "$a"
	printf "$sep"
}

# ---------------------------------------------------------------------------
# One pvboot run: RUN_ARGS are the options; OUTPUT file is pre-created (as
# libxl does) holding SENTINEL, the output directory is a fresh 0700 one.
SENTINEL='untouched by pvboot'
RC=0
run_pvboot() { # IMAGE OPTIONS...
	local img=$1
	shift
	rm -rf "$T/run"
	mkdir -m 0700 -p "$T/run/dir"
	printf '%s' "$SENTINEL" >"$T/run/out"
	# PVBOOT_NO_ENV_WRITE: the images are fixtures, checked read-only
	# (a grubenv write would change the next run); tests/grubenv.sh
	# checks the writes on copies
	touch -d @978307200 "$T/run/out" # an old mtime a failed run must keep
	timeout "$TIMEOUT" env -i TERM=vt100 PVBOOT_NO_ENV_WRITE=1 "$PVBOOT" "$@" \
		--output="$T/run/out" --output-directory="$T/run/dir" "$img" \
		>"$T/run/stdout" 2>"$T/run/stderr" </dev/null
	RC=$?
}
fmt_of() { # OPTIONS... -> the last --output-format (default sxp)
	local f=sxp o
	for o in "$@"; do
		case $o in --output-format=*) f=${o#--output-format=} ;; esac
	done
	echo "$f"
}
stderr_line() { grep -v '^pvboot: warning: ' "$T/run/stderr" | head -c 300 | head -1; }
# files in the output dir as "kernel-name ramdisk-name extra..."
GOT_K=
GOT_R=
GOT_X=
scan_dir() {
	local f
	GOT_K=
	GOT_R=
	GOT_X=
	for f in "$T/run/dir"/* "$T/run/dir"/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		f=${f##*/}
		case $f in
		boot_kernel.??????) [ -z "$GOT_K" ] && GOT_K=$f || GOT_X+=" $f" ;;
		boot_ramdisk.??????) [ -z "$GOT_R" ] && GOT_R=$f || GOT_X+=" $f" ;;
		*) GOT_X+=" $f" ;;
		esac
	done
}

# check_boot LABEL KERNEL_SHA RAMDISK_SHA|none ARGS  (after run_pvboot)
# Sets PV_KSHA/PV_RSHA for the pygrub comparison.
PV_KSHA=
PV_RSHA=
check_boot() {
	local label=$1 ksha=$2 rsha=$3 args=$4 fmt=$5 d=$T/run/dir m kp rp
	PV_KSHA=
	PV_RSHA=
	if [ "$RC" != 0 ]; then
		bad "$label: exit $RC, expected 0: $(stderr_line)"
		return
	fi
	ok "$label: exit 0"
	scan_dir
	if [ -z "$GOT_K" ]; then
		bad "$label: no boot_kernel.XXXXXX in the output directory"
		return
	fi
	if [ "$rsha" = none ]; then
		check "$label: exactly one file (kernel) in the output directory" \
			"$([ -z "$GOT_R$GOT_X" ]; echo $?)" "found:${GOT_R:+ $GOT_R}$GOT_X"
	else
		check "$label: exactly two files (kernel, ramdisk) in the output directory" \
			"$([ -n "$GOT_R" ] && [ -z "$GOT_X" ]; echo $?)" "ramdisk=${GOT_R:-missing} extra:${GOT_X:- none}"
	fi
	m=$(stat -c '%a %F' "$d/$GOT_K")
	[ -n "$GOT_R" ] && m+=" / $(stat -c '%a %F' "$d/$GOT_R")"
	check "$label: mode 0600 regular files" \
		"$(case $m in '600 regular file' | '600 regular file / 600 regular file') echo 0 ;; *) echo 1 ;; esac)" "$m"
	PV_KSHA=$(sha256sum <"$d/$GOT_K" | cut -d' ' -f1)
	check "$label: kernel bytes (sha256)" "$([ "$PV_KSHA" = "$ksha" ]; echo $?)" \
		"got $PV_KSHA ($(stat -c %s "$d/$GOT_K") bytes), want $ksha"
	PV_RSHA=none
	if [ "$rsha" != none ] && [ -n "$GOT_R" ]; then
		PV_RSHA=$(sha256sum <"$d/$GOT_R" | cut -d' ' -f1)
		check "$label: ramdisk bytes (sha256)" "$([ "$PV_RSHA" = "$rsha" ]; echo $?)" \
			"got $PV_RSHA ($(stat -c %s "$d/$GOT_R") bytes), want $rsha"
	fi
	kp=$d/$GOT_K
	rp=
	[ -n "$GOT_R" ] && rp=$d/$GOT_R
	expected_output "$fmt" "$kp" "$rp" "$args" >"$T/run/want"
	if cmp -s "$T/run/want" "$T/run/out"; then
		ok "$label: $fmt output byte for byte (args: $args)"
	else
		bad "$label: $fmt output differs: got '$(tr '\0\n' '@|' <"$T/run/out" | head -c 400)'" \
			"want '$(tr '\0\n' '@|' <"$T/run/want" | head -c 400)' (@ = NUL, | = newline)"
	fi
}

# check_fail LABEL STATUS(number|nonzero) [ERE]  (after run_pvboot)
check_fail() {
	local label=$1 want=$2 re=${3:-} n line
	if [ "$want" = nonzero ]; then
		check "$label: exit status non-zero" "$([ "$RC" != 0 ]; echo $?)" "exit 0"
	else
		check "$label: exit status $want" "$([ "$RC" = "$want" ]; echo $?)" "exit $RC: $(stderr_line)"
	fi
	# one error line; "pvboot: warning: ..." lines may precede it
	n=$(grep -vc '^pvboot: warning: ' "$T/run/stderr")
	line=$(grep -v '^pvboot: warning: ' "$T/run/stderr" | head -c 300 | head -1)
	check "$label: one stderr error line starting 'pvboot: '" \
		"$([ "$n" = 1 ] && [[ $line == "pvboot: "* ]]; echo $?)" \
		"$n non-warning lines, first: $line"
	if [ -n "$re" ]; then
		local one res=()
		mapfile -d $'\x1f' -t res < <(printf '%s' "$re")
		for one in "${res[@]}"; do
			check "$label: message says /$one/" \
				"$(grep -Eq -- "$one" "$T/run/stderr"; echo $?)" "got: $line"
		done
	fi
	scan_dir
	check "$label: output directory left empty" \
		"$([ -z "$GOT_K$GOT_R$GOT_X" ]; echo $?)" "left:${GOT_K:+ $GOT_K}${GOT_R:+ $GOT_R}$GOT_X"
	check "$label: --output untouched" \
		"$(printf '%s' "$SENTINEL" | cmp -s - "$T/run/out"; echo $?)" \
		"now holds '$(tr '\0\n' '@|' <"$T/run/out" | head -c 200)'"
	check "$label: --output mtime untouched" \
		"$([ "$(stat -c %Y "$T/run/out")" = 978307200 ]; echo $?)" \
		"mtime $(stat -c %Y "$T/run/out")"
}

# ---------------------------------------------------------------------------
# pygrub comparison: run pygrub the way libxl does and check the recorded
# expectation (same / args differ / boots another entry / fails).
PYGRUB_OK=0
if [ -x "$PYGRUB" ] && [ -x "$(sed -n '1s/^#! *//p' "$PYGRUB" | cut -d' ' -f1)" ]; then
	PYGRUB_OK=1
fi

compare_pygrub() { # NAME IMAGE
	local n=$1 img=$2 how=${M[pygrub]:-} pk pr pa pd=$T/pygrub items
	if [ "$PYGRUB_OK" != 1 ]; then
		skip "$n: pygrub comparison ($PYGRUB not usable)"
		return
	fi
	[ -n "$how" ] || return 0
	rm -rf "$pd"
	mkdir -m 0700 -p "$pd/dir"
	: >"$pd/out"
	timeout "$TIMEOUT" "$PYGRUB" -q --output="$pd/out" --output-format=simple0 \
		--output-directory="$pd/dir" "$img" >/dev/null 2>"$pd/err" </dev/null
	local prc=$?
	if [ "$how" = fail ]; then
		local also="pvboot boots it"
		[ "${M[status]}" != 0 ] && also="so does pvboot, with a diagnosis"
		check "$n: pygrub fails here as recorded${M[pygrub_why]:+ (${M[pygrub_why]})}; $also" \
			"$([ "$prc" != 0 ]; echo $?)" "pygrub exited 0: the recorded difference is stale"
		local left
		left=$(find "$pd/dir" -type f | wc -l)
		[ "$left" != 0 ] && printf 'note %s\n' "$n: pygrub left $left file(s) in its output directory"
		return
	fi
	if [ -z "$PV_KSHA" ]; then
		skip "$n: pygrub comparison (pvboot did not boot the image)"
		return
	fi
	if [ "$prc" != 0 ]; then
		bad "$n: pygrub failed ($(tail -1 "$pd/err")), recorded as '$how'"
		return
	fi
	mapfile -d '' items <"$pd/out"
	pk=
	pr=
	pa=
	local it
	for it in "${items[@]}"; do
		case $it in
		kernel\ *) pk=${it#kernel } ;;
		ramdisk\ *) pr=${it#ramdisk } ;;
		args\ *) pa=${it#args } ;;
		esac
	done
	local pks prs=none
	pks=$(sha256sum <"$pk" | cut -d' ' -f1)
	[ -n "$pr" ] && prs=$(sha256sum <"$pr" | cut -d' ' -f1)
	case $how in
	same | args)
		check "$n: pygrub extracts the same kernel bytes as pvboot" \
			"$([ "$pks" = "$PV_KSHA" ]; echo $?)" "pygrub $pks, pvboot $PV_KSHA"
		check "$n: pygrub extracts the same ramdisk bytes as pvboot" \
			"$([ "$prs" = "$PV_RSHA" ]; echo $?)" "pygrub $prs, pvboot $PV_RSHA"
		if [ "$how" = same ]; then
			check "$n: pygrub's args equal pvboot's" \
				"$([ "$pa" = "${M[args]}" ]; echo $?)" "pygrub '$pa', pvboot '${M[args]}'"
		else
			check "$n: args differ from pygrub as recorded: pygrub '$pa', pvboot '${M[args]}' (${M[pygrub_why]:-})" \
				"$([ "$pa" = "${M[pygrub_args]}" ]; echo $?)" "pygrub gave '$pa', recorded '${M[pygrub_args]}'"
		fi
		;;
	wrong)
		local want=${M[file:${M[pygrub_kernel]}]:-}
		check "$n: pygrub boots ${M[pygrub_kernel]} as recorded (${M[pygrub_why]:-}); pvboot boots ${M[kernel]}" \
			"$([ "$pks" = "$want" ] && [ "$pks" != "$PV_KSHA" ]; echo $?)" "pygrub kernel $pks"
		;;
	*) bad "$n: unknown pygrub expectation '$how'" ;;
	esac
}

# ---------------------------------------------------------------------------
# Per image
test_image() {
	local n=$1 img=$IMAGES/$1.img fmt v opts=() ksha rsha
	load_manifest "$IMAGES/$n.expect"
	echo "# $n"
	if [ "${M[status]}" != 0 ]; then
		run_pvboot "$img" -q --output-format=simple0
		check_fail "$n" "${M[status]}" "${M[error_re]:-}"
		run_pvboot "$img" -q --output-format=sxp
		check_fail "$n (sxp)" "${M[status]}" "${M[error_re]:-}"
		compare_pygrub "$n" "$img"
		return
	fi

	for fmt in simple0 sxp simple; do
		run_pvboot "$img" -q --output-format=$fmt
		check_boot "$n ($fmt)" "${M[kernel_sha256]}" "${M[ramdisk_sha256]}" "${M[args]}" $fmt
		if [ $fmt = simple0 ]; then
			local keep_k=$PV_KSHA keep_r=$PV_RSHA
		fi
	done
	PV_KSHA=$keep_k
	PV_RSHA=$keep_r
	compare_pygrub "$n" "$img"

	# -n: nothing copied, the guest paths printed in the chosen format
	run_pvboot "$img" -q -n --output-format=simple0
	local r=${M[ramdisk]}
	[ "$r" = none ] && r=
	if [ "$RC" = 0 ]; then
		ok "$n (-n): exit 0"
		scan_dir
		check "$n (-n): nothing copied" "$([ -z "$GOT_K$GOT_R$GOT_X" ]; echo $?)" \
			"left:${GOT_K:+ $GOT_K}${GOT_R:+ $GOT_R}$GOT_X"
		expected_output simple0 "${M[kernel]}" "$r" "${M[args]}" >"$T/run/want"
		check "$n (-n): reports guest paths ${M[kernel]}${r:+, $r}" \
			"$(cmp -s "$T/run/want" "$T/run/out" || cmp -s "$T/run/want" "$T/run/stdout"; echo $?)" \
			"got '$(tr '\0\n' '@|' <"$T/run/out" | head -c 300)'"
		# note_re: what -n says about the kernel on stderr (issue 11)
		if [ -n "${M[note_re]:-}" ]; then
			check "$n (-n): stderr matches ${M[note_re]}" \
				"$(grep -Eq -- "${M[note_re]}" "$T/run/stderr"; echo $?)" \
				"got: $(head -c 300 "$T/run/stderr")"
		fi
	else
		bad "$n (-n): exit $RC: $(stderr_line)"
	fi

	# list_re: lines -l must print (the kernel check, issue 11)
	if [ -n "${M[list_re]:-}" ]; then
		run_pvboot "$img" -l
		mapfile -d $'\x1f' -t res < <(printf '%s' "${M[list_re]}")
		for re in "${res[@]}"; do
			check "$n (-l): lists /$re/" \
				"$(grep -Eq -- "$re" "$T/run/stdout"; echo $?)" "exit $RC"
		done
	fi

	# -l: every title listed
	if [ -n "${M[titles]:-}" ]; then
		run_pvboot "$img" -l
		if [ "$RC" = 0 ]; then
			local t missing=() IFS='|'
			for t in ${M[titles]}; do
				grep -qxF -- "title: $t" "$T/run/stdout" ||
					grep -q -- ">$(printf '%s' "$t" | sed 's/[][\.*^$/]/\\&/g')\$" "$T/run/stdout" ||
					missing+=("$t")
			done
			unset IFS
			check "$n (-l): lists ${M[titles]//|/, }" "${#missing[@]}" "missing: ${missing[*]}"
		else
			bad "$n (-l): exit $RC: $(stderr_line)"
		fi
	fi

	# variants
	for v in "${VARIANTS[@]}"; do
		mapfile -d $'\x1f' -t opts < <(printf '%s' "${M[variant.$v.opts]}")
		local label="$n [${opts[*]}]"
		label=${label//$'\n'/\\n}
		local st=${M[variant.$v.status]:-0}
		fmt=$(fmt_of --output-format=simple0 "${opts[@]}")
		run_pvboot "$img" -q --output-format=simple0 "${opts[@]}"
		if [ "$st" != 0 ]; then
			check_fail "$label" "$st"
			continue
		fi
		ksha=${M[file:${M[variant.$v.kernel]}]:-?}
		rsha=none
		if [ "${M[variant.$v.ramdisk]:-none}" != none ]; then
			rsha=${M[file:${M[variant.$v.ramdisk]}]:-?}
		fi
		check_boot "$label" "$ksha" "$rsha" "${M[variant.$v.args]}" "$fmt"
	done

	# --isconfig on the config file itself
	if [ -n "${M[isconfig]:-}" ]; then
		local cfg=$IMAGES/$n-${M[isconfig]##*/}
		timeout "$TIMEOUT" "$PVBOOT" --isconfig -q "$cfg" >"$T/iscfg.out" 2>"$T/iscfg.err" </dev/null
		RC=$?
		if [ "$RC" = 0 ]; then
			check "$n (--isconfig ${cfg##*/}): kernel ${M[kernel]}" \
				"$(grep -qxF "  kernel: ${M[kernel]}" "$T/iscfg.out"; echo $?)" "$(tr '\n' '|' <"$T/iscfg.out")"
			check "$n (--isconfig ${cfg##*/}): args ${M[args]}" \
				"$(grep -qxF "  args: ${M[args]}" "$T/iscfg.out"; echo $?)" "$(tr '\n' '|' <"$T/iscfg.out")"
		else
			bad "$n (--isconfig ${cfg##*/}): exit $RC: $(head -1 "$T/iscfg.err")"
		fi
	fi
}

# ---------------------------------------------------------------------------
# Checks that are about the command line and the output, not an image.
test_cli() {
	local img=$IMAGES/mbr-ext4.img
	echo "# command line"
	timeout "$TIMEOUT" "$PVBOOT" --no-such-option "$img" >"$T/cli.out" 2>"$T/cli.err" </dev/null
	RC=$?
	check "usage error: exit 1" "$([ "$RC" = 1 ]; echo $?)" "exit $RC"
	check "usage error: message starts 'pvboot: '" \
		"$([[ $(head -1 "$T/cli.err") == "pvboot: "* ]]; echo $?)" "$(head -1 "$T/cli.err")"

	run_pvboot "$T/does-not-exist.img" -q --output-format=simple0
	check_fail "missing disk image" nonzero

	# a truncated image: the partition table points past the end
	head -c $((3 * 1024 * 1024)) "$img" >"$T/truncated.img"
	run_pvboot "$T/truncated.img" -q --output-format=simple0
	check_fail "truncated disk (partition past the end)" nonzero

	# a failed run creates no --output that was not there, and no temp file
	rm -rf "$T/run"
	mkdir -m 0700 -p "$T/run/dir"
	timeout "$TIMEOUT" "$PVBOOT" -q --output="$T/run/new-out" --output-format=simple0 \
		--output-directory="$T/run/dir" "$T/truncated.img" >/dev/null 2>"$T/absent.err" </dev/null
	RC=$?
	check "failed run, absent --output: exit non-zero" "$([ "$RC" != 0 ]; echo $?)" "exit $RC"
	check "failed run, absent --output: still absent, nothing else made" \
		"$([ "$(ls -A "$T/run")" = dir ]; echo $?)" "$(ls -A "$T/run" | tr '\n' ' ')"
	# ... and a run that succeeds makes it, whole
	load_manifest "$IMAGES/mbr-ext4.expect"
	timeout "$TIMEOUT" "$PVBOOT" -q --output="$T/run/new-out" --output-format=simple \
		--output-directory="$T/run/dir" "$img" >/dev/null 2>"$T/absent.err" </dev/null
	RC=$?
	check "absent --output, run succeeds: exit 0, file made, no temp left" \
		"$([ "$RC" = 0 ] && [ -s "$T/run/new-out" ] && [ "$(ls -A "$T/run" | grep -vc '^dir$\|^new-out$')" = 0 ]; echo $?)" \
		"exit $RC: $(ls -A "$T/run" | tr '\n' ' ')"

	# --output is a symlink: refused (O_NOFOLLOW), its target untouched
	rm -rf "$T/run"
	mkdir -m 0700 -p "$T/run/dir"
	printf '%s' "$SENTINEL" >"$T/victim"
	ln -s "$T/victim" "$T/run/out"
	timeout "$TIMEOUT" "$PVBOOT" -q --output="$T/run/out" --output-format=simple0 \
		--output-directory="$T/run/dir" "$img" >/dev/null 2>"$T/run/stderr" </dev/null
	RC=$?
	check "--output symlink: exit 4" "$([ "$RC" = 4 ]; echo $?)" "exit $RC: $(stderr_line)"
	check "--output symlink: target untouched" \
		"$(printf '%s' "$SENTINEL" | cmp -s - "$T/victim"; echo $?)"
	scan_dir
	check "--output symlink: output directory left empty" "$([ -z "$GOT_K$GOT_R$GOT_X" ]; echo $?)"

	# no --output: the line goes to stdout
	rm -rf "$T/run"
	mkdir -m 0700 -p "$T/run/dir"
	load_manifest "$IMAGES/mbr-ext4.expect"
	timeout "$TIMEOUT" "$PVBOOT" -q --output-format=simple \
		--output-directory="$T/run/dir" "$img" >"$T/run/out" 2>"$T/run/stderr" </dev/null
	RC=$?
	check_boot "no --output: stdout" "${M[kernel_sha256]}" "${M[ramdisk_sha256]}" "${M[args]}" simple
}

START=$SECONDS
echo "pvboot: $PVBOOT"
echo "images: $IMAGES"
[ "$PYGRUB_OK" = 1 ] && echo "pygrub: $PYGRUB" || echo "pygrub: not usable, comparisons skipped"
NAMES=${ONLY:-$(cd "$IMAGES" && ls -- *.expect | sed 's/\.expect$//')}
for name in $NAMES; do
	test_image "$name"
done
# The 120 MiB zstd initrd streams through both processes one chunk at a
# time: it boots even when the worker may map 48 MiB, far less than the
# file (issue 14; holding it whole needs about twice the file).
if [[ " $NAMES " == *" btrfs-big-initrd "* ]]; then
	echo "# btrfs-big-initrd under PYGRUB_MAX_RAM_USAGE_MB=48"
	load_manifest "$IMAGES/btrfs-big-initrd.expect"
	rm -rf "$T/run"
	mkdir -m 0700 -p "$T/run/dir"
	timeout "$TIMEOUT" env -i TERM=vt100 PYGRUB_MAX_RAM_USAGE_MB=48 "$PVBOOT" -q \
		--output="$T/run/out" --output-format=simple0 --output-directory="$T/run/dir" \
		"$IMAGES/btrfs-big-initrd.img" >"$T/run/stdout" 2>"$T/run/stderr" </dev/null
	RC=$?
	check_boot "btrfs-big-initrd (48 MiB worker)" "${M[kernel_sha256]}" \
		"${M[ramdisk_sha256]}" "${M[args]}" simple0
fi
[ -z "${ONLY:-}" ] && test_cli
# images the builders skipped (NAME.skip, no NAME.expect): they need root's
# loop mount, so as root in CI the skip is a failure
for s in "$IMAGES"/*.skip; do
	[ -f "$s" ] && [ -z "${ONLY:-}" ] || continue
	n=$(basename "$s" .skip)
	[ -f "$IMAGES/$n.expect" ] && continue
	if ci_root; then bad "$n: image not built as root in CI: $(cat "$s")"
	else skip "$n: image not built: $(cat "$s")"; fi
done
echo "# $((SECONDS - START)) s"
finish
