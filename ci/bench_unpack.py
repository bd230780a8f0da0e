#!/usr/bin/env python3
"""Ways to put the dom0 image on the root partition, timed in the installer VM (qemu TCG, 2 cores):
prints figures and the ratio of each to the tarball the installer unpacked until session 7; never
asserts. Issue 10's lever "stream a filesystem image to the root partition (dd + resize2fs) instead
of unpacking a tarball", which the installer now does (installer/xenhost_installer/tasks/storage.py).

  .venv/bin/python ci/bench_unpack.py [--iso PATH]

From the ISO's own dom0 image (out/iso: the ext4 filesystem, dom0.img.zst), this host makes the
variants from its tree: the tarball as the build packed it before (zstd --long=27) and without the
long window (--long=27 makes the decoder reach back 128 MiB). One VM, under the qemu lock: the ISO's unattended
install (tests/e2e/answers-bios.yaml) with atexit=shell, then in that shell each variant is
fetched into RAM and timed onto the disk's empty backup partition, the page cache dropped before
each run: decompression alone, then tar -x onto a fresh ext4 (mkfs counted), or the install's
dd + tune2fs -U + resize2fs.
"""
import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ci import isoboot  # noqa: E402
from ci.bench_install import ANSWERS, DOM0_ON_ISO, PROMPT, serve  # noqa: E402
from buildlib.locks import QEMU_LOCK, holding  # noqa: E402
from ci.qemu import VM, VMSpec, create_disk  # noqa: E402
from iso.dom0image import ZSTD_LEVEL, ZSTD_WINDOW_LOG  # noqa: E402
from xenhost_common.dom0image import NAME  # noqa: E402

MiB = 2 ** 20
PART = "/dev/vda4"          # the backup partition: empty after a fresh install (installer/layout.py)
RESULT = re.compile(r"UNPACK (\S+) ([\d.]+)")
TAR = "tar --numeric-owner --xattrs --xattrs-include='*' -xf"
TAR_ONTO_FRESH_EXT4 = f"mkfs.ext4 -q -F {PART} && mount {PART} /mnt/u && {TAR} $F -C /mnt/u && umount /mnt/u"
UUID_AND_GROW = f"tune2fs -U random {PART} >/dev/null && resize2fs {PART} >/dev/null 2>&1"
DD_AND_GROW = f"zstd -dc -q $F | dd of={PART} bs=4M iflag=fullblock status=none && {UUID_AND_GROW}"
# O_DIRECT: 4 MiB writes straight to the disk, past the block device's page cache
DD_DIRECT_AND_GROW = f"zstd -dc -q $F | dd of={PART} bs=4M iflag=fullblock oflag=direct status=none && {UUID_AND_GROW}"
# name -> (file fetched, shell command timed; $F is the file in RAM)
VARIANTS = {
    "decompress only, tarball --long=27": ("dom0.tar.zst", "zstd -dc $F > /dev/null"),
    "decompress only, tarball, no long window": ("dom0-nolong.tar.zst", "zstd -dc $F > /dev/null"),
    "decompress only, ext4 image (today's)": (NAME, "zstd -dc $F > /dev/null"),
    "mkfs + tar -x, --long=27 (the install until session 7)": ("dom0.tar.zst", TAR_ONTO_FRESH_EXT4),
    "mkfs + tar -x, no long window": ("dom0-nolong.tar.zst", TAR_ONTO_FRESH_EXT4),
    "dd + tune2fs -U + resize2fs (session 7's first install)": (NAME, DD_AND_GROW),
    "dd oflag=direct + tune2fs -U + resize2fs": (NAME, DD_DIRECT_AND_GROW),
}
BASELINE = "mkfs + tar -x, --long=27 (the install until session 7)"
SCRIPT = """set -u
get() {{ python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$1" "$2"; }}
mkdir -p /mnt/u /tmp/u
{runs}
wipefs -a -q {part}
echo UNPACK-END
"""
RUN = """get {url}/{file} /tmp/u/{file} || echo UNPACK-FAILED
sync; echo 3 > /proc/sys/vm/drop_caches; F=/tmp/u/{file}
start=$(date +%s.%N); ( {cmd} ) || echo UNPACK-FAILED; sync; end=$(date +%s.%N)
echo "UNPACK {key} $(python3 -c "print(round($end - $start, 1))")"
"""


def make_variants(iso: Path, work: Path) -> dict:
    """The ISO's image and the two tarballs of its tree; their sizes in MiB."""
    image = work / NAME
    subprocess.run(["osirrox", "-indev", str(iso), "-extract", DOM0_ON_ISO, str(image)], check=True,
                   capture_output=True)
    filesystem, tree = work / "dom0.ext4", work / "tree"
    with open(filesystem, "wb") as out:
        subprocess.run(["zstd", "-dc", str(image)], stdout=out, check=True)
    tree.mkdir(exist_ok=True)
    subprocess.run(["mount", "-o", "loop,ro", str(filesystem), str(tree)], check=True)
    try:
        for name, long in (("dom0.tar.zst", f"--long={ZSTD_WINDOW_LOG}"), ("dom0-nolong.tar.zst", "")):
            subprocess.run(f'tar --numeric-owner --xattrs --xattrs-include="*" --sort=name -C "{tree}" -cf - . '
                           f'| zstd -q -T0 -{ZSTD_LEVEL} {long} -f -o "{work}/{name}"', shell=True, check=True)
    finally:
        subprocess.run(["umount", str(tree)], check=True)
        filesystem.unlink()
    return {name: (work / name).stat().st_size / MiB for name in (NAME, "dom0.tar.zst", "dom0-nolong.tar.zst")}


def run_in_vm(iso: Path, work: Path) -> dict:
    shutil.copy2(ANSWERS, work / "answers.yaml")
    disk = create_disk(work / "disk.qcow2", "24G")
    server, url = serve(work)
    runs = "".join(RUN.format(url=url, file=f, cmd=cmd, key=key) for key, (f, cmd) in
                   ((str(i), v) for i, v in enumerate(VARIANTS.values())))
    (work / "unpack.sh").write_text(SCRIPT.format(runs=runs, part=PART))
    try:
        boot = isoboot.direct_boot(iso, work, f"answerfile={url}/answers.yaml atexit=shell")
        with VM(VMSpec(name="installer", workdir=work, disks=[disk], cdrom=iso, no_reboot=True, **boot)) as vm:
            vm.expect_phase("install", "xenhost-installer: installation complete", 1800)
            vm.expect_phase("shell", "starting a shell", 120)
            vm.send_line("export PS1='BEN''CH> '")
            vm.expect_phase("prompt", PROMPT, 60)
            vm.send_line(f"python3 -c \"import urllib.request as u; u.urlretrieve('{url}/unpack.sh', '/tmp/unpack.sh')\""
                         " && bash /tmp/unpack.sh")
            vm.expect_phase("unpack variants", "UNPACK-END", 3600)
            log = (work / "installer-serial.log").read_bytes().decode(errors="replace")
            vm.send_line("systemctl --force poweroff")
            vm.expect_phase("power off", pexpect.EOF, 300)
    finally:
        server.shutdown()
    if "UNPACK-FAILED" in log.split("unpack.sh")[-1]:
        raise SystemExit(f"a variant failed in the VM; serial log: {work / 'installer-serial.log'}")
    names = list(VARIANTS)
    return {names[int(i)]: float(s) for i, s in RESULT.findall(log)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args, work = isoboot.bench_start(parser, REPO / "out" / "bench-unpack")
    for name, mib in make_variants(args.iso, work).items():
        print(f"{name:24} {mib:8.1f} MiB", flush=True)
    with holding(QEMU_LOCK):
        seconds = run_in_vm(args.iso, work)
    for name, value in seconds.items():
        ratio = f"  ({seconds[BASELINE] / value:.2f}x the tarball's)" if BASELINE in seconds and value else ""
        print(f"{name:48} {value:7.1f} s{ratio}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
