#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""pvboot called as XenServer/XCP-ng's xenopsd calls pygrub
(ocaml/xenopsd/lib/bootloader.ml in xapi-project/xen-api):
  pygrub --output-format=simple -q [--runas=UID] [PV-bootloader-args split
  on single spaces] DEVICE
with stdout read as the answer (parse_output_simple: only kernel, ramdisk
and args lines, each at most once; a line without a space is skipped; any
other first word is an error), each path directly inside
/var/run/xen/pygrub (sanity_check_path), and on a non-zero exit the text
after "RuntimeError: " in stderr shown to the user (parse_exception;
without it, an opaque internal error).  pvboot runs under the name
pygrub (a symlink), as a host that diverts pygrub to it would."""
import hashlib
import os
import posixpath
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, finish, image, manifest, restricted_uid, sha256,  # noqa: E402
                    skip, tempdir, unique_domid, PVBOOT)

PYGRUB_DIR = "/var/run/xen/pygrub"


class BadError(Exception):
    pass


class ErrorFromBootloader(Exception):
    pass


def parse_output_simple(x):
    acc = {"kernel": None, "ramdisk": None, "args": None}
    for l in x.split("\n"):
        if " " not in l:  # String.index raises Not_found: line skipped
            continue
        first, rest = l.split(" ", 1)
        if first in acc:
            if acc[first] is not None:
                raise BadError("More than one %s line: %s" % (first, x))
            acc[first] = rest
        elif first == "":
            pass
        else:
            raise BadError("Unrecognised start of line: line=" + l)
    if acc["kernel"] is None:
        raise BadError("No kernel found in " + x)
    return acc


def sanity_check_path(p):
    if p == "":
        return p
    if not p.startswith("/"):
        raise BadError("relative path " + p)
    c = posixpath.normpath(p)
    if posixpath.dirname(c) not in (PYGRUB_DIR, "/var/run/xend/boot"):
        raise BadError("Malicious guest? path outside the allowed directories: " + p)
    return c


def parse_exception(stderr):
    i = stderr.find("RuntimeError: ")
    if i >= 0:
        raise ErrorFromBootloader(stderr[i + len("RuntimeError: "):])
    raise BadError(stderr)


def command(pygrub, disk, pv_bootloader_args="", runas=None):
    args = [] if pv_bootloader_args == "" else pv_bootloader_args.split(" ")
    argv = [pygrub, "--output-format=simple", "-q"]
    if runas is not None:
        argv.append("--runas=%d" % runas)
    return argv + args + [disk]


def extract(argv):
    """xenopsd's Bootloader.extract: run, parse, check; the result or the
    exception it would raise."""
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)
    out = p.stdout.decode("utf-8", "surrogateescape")
    err = p.stderr.decode("utf-8", "surrogateescape")
    if p.returncode != 0:
        try:
            parse_exception(err)
        except (ErrorFromBootloader, BadError) as e:
            return p, e
    try:
        r = parse_output_simple(out)
        r["kernel"] = sanity_check_path(r["kernel"])
        if r["ramdisk"] is not None:
            r["ramdisk"] = sanity_check_path(r["ramdisk"])
        return p, r
    except BadError as e:
        return p, e


def case_success(pygrub, label, runas=None):
    name = "mbr-ext4"
    m = manifest(name)
    disk = image(name)
    if runas is not None:
        # a root-only disk, as XenServer's /dev/sm/backend/... devices
        d = tempdir()
        disk = os.path.join(d, "disk")
        with open(image(name), "rb") as src, open(disk, "wb") as dst:
            dst.write(src.read())
        os.chmod(disk, 0o600)
    pv_args = "--extra_args=xencons=hvc --vm=0b0e5c8e-0000-4000-8000-000000000001"
    p, r = extract(command(pygrub, disk, pv_args, runas))
    ok = check(label + ": accepted by xenopsd's parser", isinstance(r, dict), repr(r))
    if ok:
        check(label + ": stdout is only kernel/ramdisk/args lines",
              all(l == "" or l.split(" ", 1)[0] in ("kernel", "ramdisk", "args")
                  for l in p.stdout.decode().split("\n")))
        check(label + ": kernel bytes", sha256(r["kernel"]) == m["kernel_sha256"])
        check(label + ": ramdisk bytes", sha256(r["ramdisk"]) == m["ramdisk_sha256"])
        check(label + ": args (with XCP-ng's --extra_args)",
              r["args"] == m["args"] + " xencons=hvc", repr(r["args"]))
        for f in (r["kernel"], r["ramdisk"]):  # Bootloader.delete
            os.unlink(f)
    if runas is not None:
        os.unlink(disk)
        os.rmdir(os.path.dirname(disk))


def case_failure(argv0, label, extra=(), want_runtime=True):
    name = "noboot"
    m = manifest(name)
    argv = command(argv0, image(name)) 
    argv[1:1] = list(extra)
    before = set(os.listdir(PYGRUB_DIR)) if os.path.isdir(PYGRUB_DIR) else set()
    p, r = extract(argv)
    err = p.stderr.decode("utf-8", "replace")
    check(label + ": exit %s" % m["status"], str(p.returncode) == m["status"])
    check(label + ": nothing on stdout", p.stdout == b"", repr(p.stdout))
    if want_runtime:
        ok = check(label + ": BOOTLOADER_FAILED with the reason",
                   isinstance(r, ErrorFromBootloader), repr(r))
        if ok:
            msg = str(r)
            check(label + ": the reason is one line, naming what was tried",
                  msg.endswith("\n") and msg.count("\n") == 1 and
                  "/boot/grub/grub.cfg" in msg, repr(msg))
    else:
        check(label + ": one pvboot: line, no RuntimeError",
              isinstance(r, BadError) and err.count("\n") == 1 and
              err.startswith("pvboot: "), repr(err))
    after = set(os.listdir(PYGRUB_DIR)) if os.path.isdir(PYGRUB_DIR) else set()
    check(label + ": nothing left in " + PYGRUB_DIR, after <= before)


def case_xenkernel(pygrub):
    """XCP-ng's --default_args: /xenkernel on the first partition boots,
    with /xeninitrd and the default args (then --extra_args), whatever
    the config says; without --default_args the config is used."""
    d = tempdir()
    root = os.path.join(d, "root")
    os.makedirs(os.path.join(root, "boot/grub"))
    files = {"xenkernel": b"XENKERNEL\x00" * 4000, "xeninitrd": b"XENINITRD" * 3000,
             "boot/vmlinuz": b"CFGKERNEL" * 2000}
    for rel, data in files.items():
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    with open(os.path.join(root, "boot/grub/grub.cfg"), "w") as f:
        f.write("menuentry 'cfg' {\n linux /boot/vmlinuz ro from-config\n}\n")
    disk = os.path.join(d, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(8 << 20)
    mk = subprocess.run(["mkfs.ext4", "-q", "-F", "-d", root, disk], capture_output=True)
    if mk.returncode != 0:
        skip("xenopsd --default_args", "mkfs.ext4 -d failed: %r" % mk.stderr)
        return
    p, r = extract(command(pygrub, disk, "--default_args=console=hvc0 --extra_args=quiet"))
    if check("xenopsd --default_args: accepted", isinstance(r, dict), repr(r)):
        check("xenopsd --default_args: /xenkernel booted",
              sha256(r["kernel"]) == hashlib.sha256(files["xenkernel"]).hexdigest())
        check("xenopsd --default_args: /xeninitrd loaded",
              r["ramdisk"] and sha256(r["ramdisk"]) == hashlib.sha256(files["xeninitrd"]).hexdigest())
        check("xenopsd --default_args: default args then extra args",
              r["args"] == "console=hvc0 quiet", repr(r["args"]))
        for f in (r["kernel"], r["ramdisk"]):
            if f:
                os.unlink(f)
    p, r = extract(command(pygrub, disk, "--extra_args=quiet"))
    if check("without --default_args: accepted", isinstance(r, dict), repr(r)):
        check("without --default_args: the config's kernel",
              sha256(r["kernel"]) == hashlib.sha256(files["boot/vmlinuz"]).hexdigest())
        check("without --default_args: the config's args",
              r["args"] == "ro from-config quiet", repr(r["args"]))
        os.unlink(r["kernel"])
    shutil.rmtree(d)


def main():
    if os.geteuid() != 0:
        skip("xenopsd protocol", "needs root (xenopsd runs pygrub as root)")
        finish()
    d = tempdir()
    pygrub = os.path.join(d, "pygrub")
    os.symlink(PVBOOT, pygrub)
    try:
        case_success(pygrub, "xenopsd success")
        case_success(pygrub, "xenopsd restricted", runas=restricted_uid(unique_domid()))
        case_failure(pygrub, "xenopsd failure (as pygrub)")
        case_failure(PVBOOT, "xenopsd failure (pvboot --error-format=pygrub)",
                     extra=["--error-format=pygrub"])
        case_failure(PVBOOT, "failure under the name pvboot", want_runtime=False)
        case_xenkernel(pygrub)
    finally:
        os.unlink(pygrub)
        os.rmdir(d)
    finish()


if __name__ == "__main__":
    main()
