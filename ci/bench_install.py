#!/usr/bin/env python3
"""Install-speed benchmark: prints figures, never asserts (issue 10's goals are in the comments).

  .venv/bin/python ci/bench_install.py [--rebuild] [--no-qemu] [--iso PATH]

- sizes: the ISO (goal <= 400 MiB), the dom0 image on it, the network boot payload
  (kernel + initrd + installer root; goal <= 250 MiB);
- --rebuild: `./build.py iso` with no change (goal <= 5 s) and after a change to one of our
  packages (a comment added to the toolstack, then taken back; goal <= 120 s), under the build lock;
- qemu (TCG, under the qemu lock): the unattended ISO install from power-on to dom0 login
  (goal <= 240 s) with its phases, the install step (goal <= 60 s) and each installer task's
  seconds as the installer prints them; then, in the same VM before it reboots (atexit=shell),
  the same package set (the dom0 image's manifest, exact versions) installed package by package
  by mmdebstrap, the way Debian's installers work, from a repository of those .debs served by
  this host, onto the disk's empty backup partition; and the ratio of the two (goal >= 4).
"""
import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ci import isoboot  # noqa: E402
from ci.qemu import VM, VMSpec, create_disk  # noqa: E402

MiB = 2 ** 20
ANSWERS = REPO / "tests" / "e2e" / "answers-bios.yaml"
BUILD_LOCK, QEMU_LOCK = "/tmp/xenhost-build.lock", "/tmp/xenhost-qemu.lock"
TOUCHED = REPO / "toolstack" / "xenhost_toolstack" / "__init__.py"
NETBOOT = ("/boot/x86_64/loader/linux", "/boot/x86_64/loader/initrd", "/LiveOS/squashfs.img")
DOM0_ON_ISO = "/xenhost/dom0.tar.zst"


def iso_sizes(iso: Path) -> dict:
    listing = subprocess.run(["xorriso", "-indev", str(iso), "-find", "/", "-type", "f", "-exec", "lsdl"],
                             capture_output=True, text=True, check=True).stdout
    sizes = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\S+\s+\d+\s+\S+\s+\S+\s+(\d+).*'(.+)'$",
                                                              listing, re.M)}
    return {"ISO (MiB)": iso.stat().st_size / MiB,
            "dom0 image on the ISO (MiB)": sizes.get(DOM0_ON_ISO, 0) / MiB,
            "network boot payload: kernel + initrd + installer root (MiB)": sum(sizes.get(p, 0) for p in NETBOOT) / MiB}


def locked(lock: str | None, cmd: list[str]) -> float:
    """Seconds cmd took, the wait for the lock not counted (flock runs it once the lock is ours);
    lock None: the caller holds it already."""
    marker = tempfile.NamedTemporaryFile(delete=False)
    marker.close()
    wrapped = [*(["flock", lock] if lock else []), "sh", "-c", 'date +%s.%N > "$0"; exec "$@"', marker.name, *cmd]
    subprocess.run(wrapped, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    started = float(Path(marker.name).read_text())
    os.unlink(marker.name)
    return time.time() - started


def rebuild_figures(lock: str | None) -> dict:
    build = [sys.executable, "build.py", "iso"]
    figures = {"no-change ./build.py iso (s)": locked(lock, build)}
    original = TOUCHED.read_text()
    try:
        TOUCHED.write_text(original + f"# bench_install.py: a one-package change {time.time()}\n")
        figures["./build.py iso after a change to xenhost-toolstack (s)"] = locked(lock, build)
    finally:
        TOUCHED.write_text(original)
    figures["./build.py iso back to the unchanged toolstack (s)"] = locked(lock, build)
    return figures


def serve(directory: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://10.0.2.2:{server.server_address[1]}"


TASK_LINE = re.compile(r"\[ ?(\d+)/(\d+)\] (.+?) \.\.\. done(?: \((\d+(?:\.\d+)?) ?s\))?")


DEB_CACHES = (Path("/var/cache/kiwi/apt-get/archives"), Path("/var/cache/apt/archives"))
BACKUP_PARTITION = "/dev/vda4"      # installer/xenhost_installer/layout.py: empty after a fresh install
PBP_DONE = re.compile(r"PBP-SECONDS (\d+)")
PBP_SCRIPT = """set -e
get() { python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$1" "$2"; }
get {url}/mmdebstrap /tmp/mmdebstrap; get {url}/packages /tmp/packages; chmod +x /tmp/mmdebstrap
mkfs.ext4 -q -F {part}; mkdir -p /mnt/pbp; mount {part} /mnt/pbp
start=$(date +%s)
/tmp/mmdebstrap --mode=root --variant=custom --include="$(cat /tmp/packages)" bookworm /mnt/pbp \\
    "deb [trusted=yes] {url}/repo ./" > /tmp/pbp.log 2>&1 || {{ tail -20 /tmp/pbp.log; exit 1; }}
echo "PBP-SECONDS $(( $(date +%s) - start ))"
"""


def package_repo(manifest: Path, repo_pool: Path, dest: Path) -> list[str]:
    """A flat apt repository of exactly the image's packages (what kiwi installed, from the
    caches kiwi and apt keep); returns the package names."""
    dest.mkdir(parents=True)
    names = []
    for line in manifest.read_text().splitlines():
        name, version, arch = line.split("|")
        filename = f"{name}_{version.replace(':', '%3a')}_{arch}.deb"
        found = [d / filename for d in (*DEB_CACHES, repo_pool) if (d / filename).exists()]
        if not found:
            raise SystemExit(f"{filename} is in no cache ({', '.join(map(str, DEB_CACHES))}): "
                             "run ./build.py iso on this host first")
        os.link(found[0], dest / filename) if found[0].stat().st_dev == dest.stat().st_dev else \
            shutil.copy2(found[0], dest / filename)
        names.append(name)
    index = subprocess.run(["dpkg-scanpackages", "-m", "."], cwd=dest, capture_output=True, text=True, check=True)
    (dest / "Packages").write_text(index.stdout)
    return names


def package_by_package(vm, work: Path, url: str) -> float:
    """In the installer VM's shell: mmdebstrap the image's package set; seconds it took."""
    names = package_repo(REPO / "out" / "iso" / "xenhost-0.1-dom0.packages",
                         REPO / "out" / "repo" / "deb" / "pool" / "main", work / "repo")
    (work / "packages").write_text(",".join(names))
    shutil.copy2(shutil.which("mmdebstrap"), work / "mmdebstrap")
    (work / "pbp.sh").write_text(PBP_SCRIPT.format(url=url, part=BACKUP_PARTITION))
    vm.expect_phase("shell after the install", r"# $", 120)
    vm.send_line(f"python3 -c \"import urllib.request as u; u.urlretrieve('{url}/pbp.sh', '/tmp/pbp.sh')\" "
                 "&& bash /tmp/pbp.sh")
    vm.expect_phase("package-by-package install", PBP_DONE, 3600)
    return float(vm.child.match.group(1))


def install_run(iso: Path, work: Path, pbp: bool) -> dict:
    """Power-on -> dom0 login for the unattended install (qemu TCG), as tests/e2e/test_install.py does it."""
    shutil.copy2(ANSWERS, work / "answers.yaml")
    disk = create_disk(work / "disk.qcow2", "24G")
    server, url = serve(work)
    phases = {}
    try:
        boot = isoboot.direct_boot(iso, work, f"answerfile={url}/answers.yaml" + (" atexit=shell" if pbp else ""))
        with VM(VMSpec(name="installer", workdir=work, disks=[disk], cdrom=iso, no_reboot=True, **boot)) as vm:
            vm.expect_phase("power-on to installer", r"\[ ?1/\d+\]", 900)
            if vm.expect_phase("install", ["xenhost-installer: installation complete",
                                           "xenhost-installer: INSTALLATION FAILED"], 1800) != 0:
                raise SystemExit(f"the installer failed; serial log: {vm.log_path}")
            if pbp:
                seconds = package_by_package(vm, work, url)
                vm.send_line("systemctl --force reboot")
            vm.expect_phase("installer reboot", pexpect.EOF, 300)
        phases.update(vm.phases)
        pbp_phases = {k: phases.pop(k) for k in ("shell after the install", "package-by-package install") if k in phases}
        with VM(VMSpec(name="host", workdir=work, disks=[disk], boot_order="c")) as vm:
            vm.expect_phase("firmware to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
            vm.expect_phase("Xen to first boot done", "xenhost-firstboot: done", 900)
            vm.expect_phase("first boot to login", "login:", 600)
        phases.update(vm.phases)
    finally:
        server.shutdown()
    log = (work / "installer-serial.log").read_bytes().decode(errors="replace")
    figures = {f"qemu: {phase} (s)": seconds for phase, seconds in phases.items()}
    figures["qemu: power-on to dom0 login (s)"] = sum(phases.values())
    if pbp:
        figures["same VM: package-by-package install of the image's packages, mmdebstrap (s)"] = seconds
        figures["package by package / image install (ratio)"] = seconds / phases["install"]
        figures.update({f"same VM: {k} (s)": v for k, v in pbp_phases.items()})
    for match in TASK_LINE.finditer(log):
        if match.group(4):
            figures[f"  task {match.group(1):>2} {match.group(3)[:48]} (s)"] = float(match.group(4))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iso", type=Path, default=REPO / "out" / "iso" / "xenhost-0.1-x86_64.iso")
    parser.add_argument("--rebuild", action="store_true", help="time no-change and one-package rebuilds")
    parser.add_argument("--no-qemu", action="store_true", help="sizes (and rebuilds) only")
    parser.add_argument("--build-lock-held", action="store_true", help="the caller holds the build lock")
    parser.add_argument("--no-package-by-package", action="store_true", help="skip the mmdebstrap comparison")
    args = parser.parse_args()
    figures = {}
    if args.rebuild:
        figures.update(rebuild_figures(None if args.build_lock_held else BUILD_LOCK))
    if not args.iso.exists():
        raise SystemExit(f"no ISO at {args.iso}: run ./build.py iso")
    figures.update(iso_sizes(args.iso))
    if not args.no_qemu:
        work = REPO / "out" / "bench"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        lock = open(QEMU_LOCK, "w")
        import fcntl  # noqa: PLC0415
        fcntl.flock(lock, fcntl.LOCK_EX)        # one VM at a time on this machine
        try:
            figures.update(install_run(args.iso, work, not args.no_package_by_package))
        finally:
            lock.close()
    for name, value in figures.items():
        print(f"{name:<72} {value:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
