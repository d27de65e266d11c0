#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--json for -l, -n and a real run, read with python3's json module:
the schema in README.md, the entries against the image manifest, the
default and bootable flags, the boot (guest paths with -n, extracted
files with their bytes otherwise), and hostile titles (quotes,
backslashes, escape sequences, invalid UTF-8) escaped into valid JSON."""
import hashlib
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, finish, image, manifest, sha256, skip, tempdir, PVBOOT  # noqa: E402

ENTRY_KEYS = {"index", "path", "submenu", "title", "id", "kernel", "initrds", "args",
              "default", "bootable", "not_bootable_because", "source_file", "partition"}
DOC_KEYS = {"pvboot_json", "disk", "partition", "config", "format", "entries", "boot"}


def run_json(args):
    p = subprocess.run([PVBOOT, "--json"] + args, stdin=subprocess.DEVNULL,
                       capture_output=True)
    try:
        return p.returncode, json.loads(p.stdout.decode("utf-8")), p.stderr
    except ValueError as e:
        return p.returncode, e, p.stderr


def schema_ok(label, d):
    ok = check(label + ": a JSON object with the documented keys",
               isinstance(d, dict) and set(d) == DOC_KEYS, repr(d)[:300])
    if ok:
        for e in d["entries"]:
            if not check(label + ": entry keys", set(e) == ENTRY_KEYS, repr(sorted(e))):
                return False
    return ok


def main():
    name = "mbr-ext4"
    m = manifest(name)
    titles = m["titles"].split("|")
    st, d, err = run_json(["-l", image(name)])
    if schema_ok("-l", d):
        check("-l: exit 0", st == 0, err)
        check("-l: every entry, in order",
              [e["title"] for e in d["entries"]] == titles, repr([e["title"] for e in d["entries"]]))
        check("-l: submenu path", d["entries"][1]["submenu"] == ["Advanced options for Debian GNU/Linux"]
              and d["entries"][1]["path"] == "1>0")
        check("-l: the default flag on the default only",
              [e["default"] for e in d["entries"]] == [True, False, False])
        check("-l: kernel, initrds, args of the default",
              d["entries"][0]["kernel"] == m["kernel"] and
              d["entries"][0]["initrds"] == [m["ramdisk"]] and d["entries"][0]["args"] == m["args"])
        check("-l: source file and partition",
              d["config"] == "/boot/grub/grub.cfg" and d["format"] == "grub2" and
              d["entries"][0]["source_file"] == "/boot/grub/grub.cfg" and
              d["entries"][0]["partition"].startswith("p1 "))
        check("-l: no boot", d["boot"] is None)

    st, d, err = run_json(["-q", "-n", "--entry=1>1", image(name)])
    if schema_ok("-n", d):
        b = d["boot"]
        check("-n: the chosen entry and guest paths",
              b["entry"] == 2 and b["kernel"] == m["kernel"] and b["ramdisk"] == m["ramdisk"]
              and b["extracted"] is False, repr(b))
        check("-n: args", b["args"] == m["args"].replace(" quiet", " single"), repr(b["args"]))

    out = tempdir()
    st, d, err = run_json(["-q", "--output-directory=" + out, image(name)])
    if schema_ok("run", d):
        b = d["boot"]
        check("run: extracted files with the kernel's and ramdisk's bytes",
              b["extracted"] is True and os.path.dirname(b["kernel"]) == out and
              sha256(b["kernel"]) == m["kernel_sha256"] and
              sha256(b["ramdisk"]) == m["ramdisk_sha256"], repr(b))
    shutil.rmtree(out)

    # hostile titles and a non-PV entry, on a whole-disk ext4 made here
    d0 = tempdir()
    root = os.path.join(d0, "root")
    os.makedirs(os.path.join(root, "boot/grub"))
    with open(os.path.join(root, "boot/vmlinuz"), "wb") as f:
        f.write(b"K" * 5000)
    cfg = (b"set default=0\n"
           b"menuentry 'quote \" and \\\\ backslash' --id=q { linux /boot/vmlinuz a=\"1 2\" }\n"
           b"menuentry 'esc \x1b[2J clear' { linux /boot/vmlinuz }\n"
           b"menuentry 'caf\xc3\xa9 \xe5\x90\x8d' { linux /boot/vmlinuz lang=\xc3\xa9 }\n"
           b"menuentry 'bad \xff utf8' { linux /boot/vmlinuz }\n"
           b"menuentry 'chain' { chainloader +1 }\n")
    with open(os.path.join(root, "boot/grub/grub.cfg"), "wb") as f:
        f.write(cfg)
    disk = os.path.join(d0, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(8 << 20)
    mk = subprocess.run(["mkfs.ext4", "-q", "-F", "-d", root, disk], capture_output=True)
    if mk.returncode != 0:
        skip("--json hostile titles", "mkfs.ext4 -d failed")
    else:
        st, d, err = run_json(["-l", disk])
        if schema_ok("hostile titles", d):
            got = [e["title"] for e in d["entries"]]
            # single quotes keep both backslashes, as in GRUB
            want = ['quote " and \\\\ backslash', "esc \x1b[2J clear", "caf\u00e9 \u540d",
                    "bad \\xff utf8", "chain"]
            check("hostile titles: decoded back exactly (invalid UTF-8 as \\xNN text)",
                  got == want, repr(got))
            check("hostile titles: args with quotes and UTF-8",
                  d["entries"][0]["args"] == '"a=1 2"' and d["entries"][2]["args"] == "lang=\u00e9",
                  repr([e["args"] for e in d["entries"]]))
            check("hostile titles: id", d["entries"][0]["id"] == "q")
            c = d["entries"][4]
            check("non-PV entry: not bootable, and why",
                  c["bootable"] is False and c["kernel"] is None and
                  isinstance(c["not_bootable_because"], str) and c["not_bootable_because"],
                  repr(c))
        raw = subprocess.run([PVBOOT, "--json", "-l", disk], capture_output=True).stdout
        check("hostile titles: no raw control byte in the output",
              not any(b < 0x20 and b not in (0x0a,) for b in raw), repr(raw[:200]))
    shutil.rmtree(d0)
    finish()


if __name__ == "__main__":
    main()
