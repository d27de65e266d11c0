# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by the protocol harnesses: the results counter, the image
manifests (NAME.expect), sha256 of extracted files, running pvboot on a
pty as libxl does, and the test uid for restricted runs."""
import hashlib
import os
import pty
import pwd
import select
import subprocess
import sys
import tempfile

BUILD = os.environ.get("BUILD", "build")
PVBOOT = os.path.abspath(os.environ.get("PVBOOT", os.path.join(BUILD, "pvboot")))
IMAGES = os.path.abspath(os.environ.get("IMAGES", os.path.join(BUILD, "images")))

passed = 0
failed = 0


def check(label, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   %s" % label)
    else:
        failed += 1
        print("FAIL %s%s" % (label, ": " + detail if detail else ""))
    return cond


def skip(label, why):
    print("skip %s: %s" % (label, why))


def finish():
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


def manifest(name):
    m = {}
    with open(os.path.join(IMAGES, name + ".expect")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            m.setdefault(k, v)
    return m


def image(name):
    return os.path.join(IMAGES, name + ".img")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def restricted_uid(domid):
    """The uid libxl gives a restricted bootloader: xen-qemuuser-range-base
    + domid, or (no such user here) Debian's documented base 131072 +
    domid.  Either way a real uid that owns nothing and is not root."""
    try:
        base = pwd.getpwnam("xen-qemuuser-range-base").pw_uid
    except KeyError:
        base = 131072
    return base + domid


def unique_domid():
    # a domid nobody else on this machine is using for its file names
    return 1000 + os.getpid() % 30000


def run_on_pty(argv, env, answer=None, timeout=110):
    """Run argv with stdin/stdout/stderr on one pty, as libxl does; if
    answer is given, type it once the menu shows.  Returns (status,
    text seen on the pty)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                         env=env, close_fds=True, start_new_session=True)
    os.close(slave)
    out = b""
    typed = False
    while True:
        r, _, _ = select.select([master], [], [], timeout)
        if not r:
            p.kill()
            break
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
        if answer and not typed and b"Use the" in out:
            os.write(master, answer)
            typed = True
    status = p.wait()
    os.close(master)
    return status, out.decode("utf-8", "replace")


def tempdir():
    return tempfile.mkdtemp(prefix="pvboot-protocol.")
