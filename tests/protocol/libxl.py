#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""pvboot called as libxl (Xen 4.17+, libxl_bootloader.c) calls it:
argv in make_bootloader_args' order, TERM=vt100 as the whole environment,
stdin/stdout/stderr on one pty, --output precreated (O_TRUNC, 0600) and
--output-directory precreated (mode 0600) under /var/lib/xen as
bootloader.DOMID.out/.d, and the answer read as parse_bootloader_result
reads it.  Cases: a success, a restricted run (--runas=UID --quiet with
UID = xen-qemuuser-range-base + domid, a uid without any permission on
the disk), a run killed with SIGKILL as libxl's timeout does, and a disk
that does not boot."""
import os
import re
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (check, finish, image, manifest, restricted_uid, run_on_pty,  # noqa: E402
                    sha256, skip, unique_domid, PVBOOT)

XEN_LIB_DIR = os.environ.get("XEN_LIB_DIR", "/var/lib/xen")
ENV = {"TERM": "vt100"}


def parse_result(path):
    """parse_bootloader_result: NUL-terminated items; an item is
    'kernel'/'ramdisk'/'args' followed by whitespace, the value after the
    whitespace; anything else is only warned about (we count it)."""
    res, unexpected = {}, []
    with open(path, "rb") as f:
        data = f.read()
    items = data.split(b"\0")
    if items and items[-1] == b"":
        items.pop()
    for item in items:
        s = item.decode("utf-8", "surrogateescape")
        for key in ("kernel", "ramdisk", "args"):
            if s.startswith(key) and len(s) > len(key) and s[len(key)].isspace():
                res[key] = s[len(key):].lstrip()
                break
        else:
            if s:
                unexpected.append(s)
    return res, unexpected


def paths(domid):
    return (os.path.join(XEN_LIB_DIR, "bootloader.%d.out" % domid),
            os.path.join(XEN_LIB_DIR, "bootloader.%d.d" % domid))


def precreate(outpath, outdir, dir_exists=True, out_exists=True):
    # libxl: mkdir(outputdir, 0600) (EEXIST is fine), then
    # open(outputpath, O_WRONLY|O_CREAT|O_TRUNC, 0600)
    if dir_exists:
        os.mkdir(outdir, 0o600)
    if out_exists:
        os.close(os.open(outpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))


def cleanup(outpath, outdir):
    # libxl's bootloader_cleanup
    if os.path.exists(outpath):
        os.unlink(outpath)
    shutil.rmtree(outdir, ignore_errors=True)


def argv_for(disk, outpath, outdir, runas=None, kernel=None, args=None,
             bootloader_args=()):
    argv = [PVBOOT]
    if kernel:
        argv.append("--kernel=%s" % kernel)
    if args:
        argv.append("--args=%s" % args)
    if runas is not None:
        argv += ["--runas=%d" % runas, "--quiet"]
    argv += ["--output=%s" % outpath, "--output-format=simple0",
             "--output-directory=%s" % outdir]
    argv += list(bootloader_args)
    argv.append(disk)
    return argv


def check_boot(label, m, res, unexpected, outdir, extra_args=""):
    want_args = m["args"] + (" " + extra_args if extra_args else "")
    check(label + ": nothing but kernel/ramdisk/args", not unexpected, repr(unexpected))
    k, r = res.get("kernel", ""), res.get("ramdisk", "")
    check(label + ": kernel inside the output directory",
          os.path.dirname(k) == outdir, k)
    check(label + ": kernel bytes", os.path.isfile(k) and sha256(k) == m["kernel_sha256"])
    check(label + ": ramdisk bytes", os.path.isfile(r) and sha256(r) == m["ramdisk_sha256"])
    check(label + ": args", res.get("args") == want_args,
          "%r != %r" % (res.get("args"), want_args))
    # libxl maps the files and unlinks them
    for p in (k, r):
        if os.path.isfile(p):
            os.unlink(p)


def case_success(name):
    m = manifest(name)
    domid = unique_domid()
    outpath, outdir = paths(domid)
    cleanup(outpath, outdir)
    precreate(outpath, outdir)
    try:
        argv = argv_for(image(name), outpath, outdir, args="console=hvc0")
        # no --quiet: the menu shows on the pty; the operator presses Enter
        st, text = run_on_pty(argv, ENV, answer=b"\r")
        check("libxl success: exit 0", st == 0, text[-300:])
        check("libxl success: the menu was shown on the pty", "Use the" in text)
        res, unexpected = parse_result(outpath)
        check_boot("libxl success", m, res, unexpected, outdir, "console=hvc0")
    finally:
        cleanup(outpath, outdir)


def case_restricted(name, out_exists):
    m = manifest(name)
    domid = unique_domid() + 1
    uid = restricted_uid(domid)
    outpath, outdir = paths(domid)
    label = "libxl restricted (uid %d, output %s)" % (
        uid, "precreated" if out_exists else "absent")
    cleanup(outpath, outdir)
    precreate(outpath, outdir, out_exists=out_exists)
    # the disk is readable by root only: pvboot opens it before dropping
    disk = os.path.join(outdir + ".disk")
    shutil.copyfile(image(name), disk)
    os.chmod(disk, 0o600)
    try:
        st, text = run_on_pty(argv_for(disk, outpath, outdir, runas=uid), ENV)
        check(label + ": exit 0", st == 0, text[-300:])
        check(label + ": no menu with --quiet", "Use the" not in text)
        res, unexpected = parse_result(outpath)
        check_boot(label, m, res, unexpected, outdir)
        check(label + ": output file mode 0600",
              (os.stat(outpath).st_mode & 0o777) == 0o600)
    finally:
        os.unlink(disk)
        cleanup(outpath, outdir)


def case_killed(name):
    """libxl kills a restricted bootloader with SIGKILL on timeout: the
    worker must die with the supervisor (nothing left running as the
    uid), and --output stays as libxl precreated it."""
    domid = unique_domid() + 2
    uid = restricted_uid(domid)
    outpath, outdir = paths(domid)
    cleanup(outpath, outdir)
    precreate(outpath, outdir)
    import pty
    import subprocess
    master, slave = pty.openpty()
    # --runas never shows the menu (nobody is at the console in restricted
    # mode): the test build's hang hook keeps the worker parsing instead
    test_build = os.path.join(os.path.dirname(PVBOOT), "pvboot-test")
    argv = [test_build, "--runas=%d" % uid, "--output=%s" % outpath,
            "--output-format=simple0", "--output-directory=%s" % outdir,
            image(name)]
    env = dict(ENV, PVBOOT_TEST_HOOK="hang")
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                         env=env, start_new_session=True)
    os.close(slave)
    workers = []
    for _ in range(200):  # until the worker exists, however slow the machine
        workers = [d for d in os.listdir("/proc") if d.isdigit() and
                   os.stat("/proc/" + d).st_uid == uid]
        if workers:
            break
        time.sleep(0.05)
    check("libxl killed: the worker runs as the restricted uid", len(workers) >= 1,
          "no process with uid %d" % uid)
    p.send_signal(signal.SIGKILL)
    p.wait()
    os.close(master)
    # PR_SET_PDEATHSIG: the kernel kills the worker; wait for it to go
    left = workers
    for _ in range(200):
        left = [w for w in workers if os.path.exists("/proc/" + w)]
        if not left:
            break
        time.sleep(0.05)
    check("libxl killed: no worker left after SIGKILL", not left, repr(left))
    check("libxl killed: --output untouched", os.path.getsize(outpath) == 0)
    cleanup(outpath, outdir)


def case_failure(name):
    m = manifest(name)
    domid = unique_domid() + 3
    outpath, outdir = paths(domid)
    cleanup(outpath, outdir)
    precreate(outpath, outdir)
    try:
        st, text = run_on_pty(argv_for(image(name), outpath, outdir,
                                       runas=restricted_uid(domid)), ENV)
        lines = [l for l in text.replace("\r", "").split("\n") if l]
        check("libxl failure: exit %s" % m["status"], str(st) == m["status"], str(st))
        check("libxl failure: one pvboot: line on the pty",
              len(lines) == 1 and lines[0].startswith("pvboot: "), repr(lines))
        for rx in [v for k, v in (l.split("=", 1) for l in
                   open(image(name)[:-4] + ".expect").read().splitlines())
                   if k == "error_re"]:
            check("libxl failure: message matches %s" % rx,
                  bool(lines) and re.search(rx, lines[0]) is not None)
        res, unexpected = parse_result(outpath)
        check("libxl failure: --output left empty (libxl reads no kernel)",
              not res and not unexpected)
        check("libxl failure: output directory empty", os.listdir(outdir) == [])
    finally:
        cleanup(outpath, outdir)


def case_no_dir(name):
    """libxl always precreates bootloader.DOMID.d; without it pvboot, like
    pygrub, refuses (it never creates a caller's directory): one line,
    exit 4, --output untouched."""
    domid = unique_domid() + 4
    outpath, outdir = paths(domid)
    cleanup(outpath, outdir)
    precreate(outpath, outdir, dir_exists=False)
    try:
        st, text = run_on_pty(argv_for(image(name), outpath, outdir,
                                       runas=restricted_uid(domid)), ENV)
        lines = [l for l in text.replace("\r", "").split("\n") if l]
        check("libxl without the .d directory: exit 4, one line naming it",
              st == 4 and len(lines) == 1 and outdir in lines[0], repr((st, lines)))
        check("libxl without the .d directory: --output untouched",
              os.path.getsize(outpath) == 0 and not os.path.exists(outdir))
    finally:
        cleanup(outpath, outdir)


def main():
    if os.geteuid() != 0:
        skip("libxl protocol", "needs root (libxl runs the bootloader as root)")
        finish()
    if not os.path.isdir(XEN_LIB_DIR):
        os.makedirs(XEN_LIB_DIR, 0o755)
    case_success("mbr-ext4")
    case_restricted("gpt-sepboot", out_exists=True)
    case_restricted("gpt-sepboot", out_exists=False)
    case_killed("mbr-ext4")
    case_failure("noboot")
    case_no_dir("mbr-ext4")
    finish()


if __name__ == "__main__":
    main()
