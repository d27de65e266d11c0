#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--domain-config and --domain: xl configs in each disk syntax over the
test images; the disk libxl would hand the bootloader (the first, or
--disk=VDEV), the args it would pass (cmdline=, root=+extra=,
bootloader_args as a list or a string), the extracted bytes, and the
one-line errors (no disk, missing target, qcow2/vhd, type=hvm, a config
that does not parse, another bootloader named)."""
import os
import shutil
import subprocess
import tempfile
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, finish, image, manifest, sha256, tempdir, PVBOOT  # noqa: E402

T = tempdir()
N = [0]


def cfg(text):
    N[0] += 1
    p = os.path.join(T, "dom%d.cfg" % N[0])
    with open(p, "w") as f:
        f.write(text)
    return p


def run(args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([PVBOOT] + args, stdin=subprocess.DEVNULL,
                       capture_output=True, env=e)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def simple0(out):
    items = out.split(b"\0")
    r = {}
    for it in items:
        k, _, v = it.decode().partition(" ")
        if k:
            r[k] = v
    return r


def boots(label, config, want, extra=(), env=None):
    """-n: the chosen entry and args; then a real run: the bytes."""
    m = manifest(want["image"])
    st, out, err = run(["-q", "-n", "--output-format=simple0", "--domain-config=" + config]
                       + list(extra), env)
    if not check(label + ": -n exit 0", st == 0, err):
        return
    r = simple0(out)
    check(label + ": kernel", r.get("kernel") == want.get("kernel", m["kernel"]), repr(r))
    check(label + ": args", r.get("args") == want["args"],
          "%r != %r" % (r.get("args"), want["args"]))
    d = os.path.join(T, "out%d" % N[0])
    os.mkdir(d)
    st, out, err = run(["-q", "--output-format=simple0", "--output-directory=" + d,
                        "--domain-config=" + config] + list(extra), env)
    r = simple0(out)
    if check(label + ": run exit 0", st == 0, err) and "kernel_sha256" in want:
        check(label + ": kernel bytes", sha256(r["kernel"]) == want["kernel_sha256"])
    shutil.rmtree(d)


def fails(label, config, needle, extra=(), env=None):
    st, out, err = run(["-q", "-n", "--domain-config=" + config] + list(extra), env)
    lines = [l for l in err.split("\n") if l and not l.startswith("pvboot: warning:")]
    check(label + ": exit 1 and one line", st == 1 and len(lines) == 1, repr(err))
    check(label + ": says " + repr(needle), needle in err, repr(err))
    check(label + ": nothing on stdout", out == b"")


def main():
    img = image("mbr-ext4")
    m = manifest("mbr-ext4")
    sep = image("gpt-sepboot")
    ms = manifest("gpt-sepboot")
    base = m["args"]
    rescue = dict(image="mbr-ext4", kernel="/boot/vmlinuz-rescue",
                  kernel_sha256=[l.split("=", 1)[1] for l in
                                 open(img[:-4] + ".expect").read().splitlines()
                                 if l.startswith("file:/boot/vmlinuz-rescue=")][0])
    bl = 'bootloader = "pvboot"\n'

    # each disk syntax xl accepts, resolving to the same image
    for syntax in ['phy:%s,xvda,w', 'file:%s,xvda,w', 'tap:aio:%s,xvda,w',
                   '%s,raw,xvda,rw', 'format=raw, vdev=xvda, access=rw, target=%s',
                   'vdev=xvda, target=%s']:
        c = cfg(bl + 'disk = [ "%s" ]\n' % (syntax % img))
        boots("disk " + syntax.replace("%s", "IMG"), c,
              dict(image="mbr-ext4", args=base, kernel_sha256=m["kernel_sha256"]))

    # the first disk is the one libxl hands over; --disk picks another
    two = cfg(bl + 'disk = [ "phy:%s,xvda,w", "file:%s,xvdb,r" ]\n' % (sep, img))
    boots("two disks: the first", two, dict(image="gpt-sepboot", args=ms["args"],
                                            kernel_sha256=ms["kernel_sha256"]))
    boots("two disks: --disk=xvdb", two, dict(image="mbr-ext4", args=base,
                                              kernel_sha256=m["kernel_sha256"]),
          extra=["--disk=xvdb"])

    # cmdline as xl builds it
    c = cfg(bl + 'root = "/dev/xvda1 ro"\nextra = "console=hvc0"\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    boots("root= and extra=", c, dict(image="mbr-ext4",
                                      args=base + " root=/dev/xvda1 ro console=hvc0"))
    c = cfg(bl + 'root = "/dev/xvda1"\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    boots("root= alone", c, dict(image="mbr-ext4", args=base + " root=/dev/xvda1"))
    c = cfg(bl + 'extra = "3"\ncmdline = "quiet splash"\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    boots("cmdline= wins over extra=", c, dict(image="mbr-ext4", args=base + " quiet splash"))

    # bootloader_args, list and (deprecated) string; kernel=/ramdisk=
    c = cfg(bl + 'bootloader_args = [ "--entry=1>1" ]\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    boots("bootloader_args list", c, dict(image="mbr-ext4", args=m["args"].replace(" quiet", " single")))
    c = cfg(bl + 'bootloader_args = "-q  --entry=1>1"\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    boots("bootloader_args string", c, dict(image="mbr-ext4", args=m["args"].replace(" quiet", " single")))
    c = cfg(bl + 'kernel = "/boot/vmlinuz-rescue"\nramdisk = "/boot/initrd-rescue"\n'
            'cmdline = "ro single"\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    boots("kernel= and ramdisk=", c, dict(rescue, args="ro single"))

    # --domain=NAME: DIR/NAME, DIR/NAME.cfg, DIR/auto/NAME
    etc = os.path.join(T, "etc")
    os.makedirs(os.path.join(etc, "auto"))
    for rel, name in (("g1", "g1"), ("g2.cfg", "g2"), ("auto/g3", "g3")):
        shutil.copyfile(cfg(bl + 'disk = [ "file:%s,xvda,w" ]\n' % img), os.path.join(etc, rel))
        st, out, err = run(["-q", "-n", "--output-format=simple0", "--domain=" + name],
                           {"PVBOOT_XEN_CONFIG_DIR": etc})
        check("--domain=%s finds %s" % (name, rel), st == 0 and simple0(out).get("args") == base, err)
    st, out, err = run(["-n", "--domain=nope"], {"PVBOOT_XEN_CONFIG_DIR": etc})
    check("--domain=nope: one line naming where it looked",
          st == 1 and err.count("\n") == 1 and etc + "/auto/nope" in err, err)

    # --print-config: the lines for a direct boot of what was chosen
    c = cfg(bl + 'extra = "lang=é \\"q\\""\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    st, out, err = run(["-q", "-n", "--print-config", "--domain-config=" + c])
    want = ('kernel = "%s"\nramdisk = "%s"\ncmdline = "%s lang=é \\"q\\""\n'
            % (m["kernel"], m["ramdisk"], base))
    check("--print-config -n", st == 0 and out.decode() == want, repr(out))

    # with -l, --json, --diagnose; restricted mode from the config
    c = cfg(bl + 'disk = [ "file:%s,xvda,w" ]\n' % img)
    st, out, err = run(["-l", "--domain-config=" + c])
    check("with -l: every title", st == 0 and all(t in out.decode() for t in m["titles"].split("|")), err)
    st, out, err = run(["-l", "--json", "--domain-config=" + c])
    check("with --json: the disk is the config's", st == 0 and ('"disk": "%s"' % img) in out.decode(), err)
    st, out, err = run(["--diagnose", "--domain-config=" + c])
    check("with --diagnose: exit 0, would boot", st == 0 and "result: would boot" in out.decode(), err)
    c = cfg(bl + 'bootloader_restrict = 1\nbootloader_user = "daemon"\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    st, out, err = run(["-n", "--debug", "--output-format=simple0", "--domain-config=" + c])
    check("bootloader_restrict: --runas=bootloader_user --quiet, the worker as daemon",
          st == 0 and "worker runs as uid 1 " in err and simple0(out).get("args") == base, err[-300:])

    # errors, one line each
    fails("no disk", cfg(bl + 'disk = [ ]\n'), "has no disk")
    fails("missing target", cfg(bl + 'disk = [ "phy:/nonexistent/x,xvda,w" ]\n'),
          "/nonexistent/x: No such file")
    # qcow2 and VHD targets are read as the disks they hold (tests/vdisk.sh);
    # formats pvboot does not read are named
    tmp = tempfile.mkdtemp()
    for fmt, qfmt, spec in (("qcow2", "qcow2", 'tap:qcow2:%s,xvda,w'),
                            ("vhd", "vpc", 'format=vhd, vdev=xvda, target=%s')):
        conv = os.path.join(tmp, "disk." + fmt)
        if subprocess.run(["qemu-img", "convert", "-O", qfmt, img, conv]).returncode == 0:
            boots(fmt + " target", cfg(bl + 'disk = [ "%s" ]\n' % (spec % conv)),
                  dict(image="mbr-ext4", args=base, kernel_sha256=m["kernel_sha256"]))
        else:
            check(fmt + " target: qemu-img converts the image", False)
    shutil.rmtree(tmp)
    fails("qed", cfg(bl + 'disk = [ "format=qed, vdev=xvda, target=%s" ]\n' % img), "qed format")
    fails("type=hvm", cfg(bl + 'type = "hvm"\ndisk = [ "file:%s,xvda,w" ]\n' % img), "type=\"hvm\"")
    bad = cfg(bl + 'name = "x"\nmemory = = 3\n')
    fails("syntax error (libxlutil's message with the line)", bad, bad + ":3: config parsing error")
    fails("bad disk spec", cfg(bl + 'disk = [ "file:%s,xvda,w,bogus=1" ]\n' % img), "disk specification")
    fails("--disk names no disk", cfg(bl + 'disk = [ "file:%s,xvda,w" ]\n' % img), "no disk with vdev xvdz",
          extra=["--disk=xvdz"])
    os.chmod(T, 0o755)
    c = cfg('bootloader = "/usr/bin/pygrub"\ndisk = [ "file:%s,xvda,w" ]\n' % img)
    st, out, err = run(["-q", "-n", "--domain-config=" + c])
    check("another bootloader named: said, and still boots",
          st == 0 and "bootloader is /usr/bin/pygrub, not pvboot" in err, err)
    shutil.rmtree(T)
    finish()


if __name__ == "__main__":
    main()
