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
  this host, onto the disk's empty backup partition; and the ratio of the two (goal >= 4);
- PXE power-on to dom0 login (goal <= 240) as the last PXE e2e runs measured it (read from
  out/e2e, dated; this script starts no PXE VM). Reboot after an interactive install: ci/bench_reboot.py.
"""
import argparse
import functools
import json
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

from ci import isoboot, package_by_package, pxe_figures  # noqa: E402
from iso import pxe  # noqa: E402
from buildlib.locks import BUILD_LOCK, QEMU_LOCK, holding  # noqa: E402
from ci.qemu import VM, VMSpec, create_disk  # noqa: E402

MiB = 2 ** 20
ANSWERS = REPO / "tests" / "e2e" / "answers-bios.yaml"
TOUCHED = REPO / "toolstack" / "xenhost_toolstack" / "__init__.py"
NETBOOT = ("/boot/x86_64/loader/linux", "/boot/x86_64/loader/initrd", "/LiveOS/squashfs.img")
DOM0_ON_ISO = f"/xenhost/{pxe.DOM0}"


def iso_sizes(iso: Path) -> dict:
    listing = subprocess.run(["xorriso", "-indev", str(iso), "-find", "/", "-type", "f", "-exec", "lsdl"],
                             capture_output=True, text=True, check=True).stdout
    sizes = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\S+\s+\d+\s+\S+\s+\S+\s+(\d+).*'(.+)'$",
                                                              listing, re.M)}
    return {"ISO (MiB)": iso.stat().st_size / MiB,
            "dom0 image on the ISO (MiB)": sizes.get(DOM0_ON_ISO, 0) / MiB,
            "network boot payload: kernel + initrd + installer root (MiB)": sum(sizes.get(p, 0) for p in NETBOOT) / MiB}


def pxe_tree_sizes(tree: Path) -> dict:
    """What a network boot fetches before the installer runs, as ./build.py pxe serves it (the
    ISO-based figure above counts the ISO's squashfs; this is the tree's own root initrd)."""
    files = [tree / name for name in pxe.FILES.values()]
    if not all(f.exists() for f in files):
        print(f"(no PXE tree in {tree}: run ./build.py pxe)", flush=True)
        return {}
    return {"PXE tree: kernel + initrds incl. the root, as served (MiB), goal <= 250":
            sum(f.stat().st_size for f in files) / MiB,
            "PXE tree: dom0 image the installer fetches (MiB)": (tree / pxe.DOM0).stat().st_size / MiB}


def locked(lock: Path | None, cmd: list[str]) -> float:
    """Seconds cmd took, the wait for the lock not counted (flock runs it once the lock is ours);
    lock None: the caller holds it already."""
    marker = tempfile.NamedTemporaryFile(delete=False)
    marker.close()
    wrapped = [*(["flock", lock] if lock else []), "sh", "-c", 'date +%s.%N > "$0"; exec "$@"', marker.name, *cmd]
    subprocess.run(wrapped, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    started = float(Path(marker.name).read_text())
    os.unlink(marker.name)
    return time.time() - started


def rebuild_figures(lock: Path | None) -> dict:
    build = [sys.executable, "build.py", "iso"]
    locked(lock, build)     # up to date first: a new commit alone moves SOURCE_DATE_EPOCH, so the ISO
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


PROMPT = "BENCH> "
# systemd-analyze's "Startup finished in 7.870s (kernel) + 31.070s (initrd) + 1min 3.032s (userspace) = ..."
STARTUP = re.compile(r"Startup finished in (.+?) = ")
STARTUP_PART = re.compile(r"((?:\d+min )?[\d.]+m?s) \((\w+)\)")


def seconds_of(text: str) -> float:
    """systemd's "1min 3.032s" / "870ms" as seconds."""
    minutes = re.match(r"(\d+)min ", text)
    rest = text[minutes.end():] if minutes else text
    value = float(rest[:-2]) / 1000 if rest.endswith("ms") else float(rest.rstrip("s"))
    return value + (60 * int(minutes.group(1)) if minutes else 0)


def installer_shell(vm) -> dict:
    """In the installer's shell after the install (atexit=shell): a prompt we know, then where its
    boot went (systemd-analyze: kernel, initrd, userspace up to the installer)."""
    vm.expect_phase("shell after the install", "starting a shell", 120)
    vm.send_line("export PS1='BEN''CH> ' SYSTEMD_PAGER=cat")    # the echo is not the prompt
    vm.expect_phase("shell prompt", PROMPT, 60)
    vm.send_line("systemd-analyze; systemd-analyze critical-chain --no-pager xenhost-installer.service")
    vm.expect_phase("systemd-analyze", STARTUP.pattern, 60)     # a str pattern: pexpect makes it bytes
    boot = {f"  installer boot: {part} (s)": seconds_of(value)
            for value, part in STARTUP_PART.findall(vm.child.match.group(1).decode(errors="replace"))}
    vm.expect_phase("systemd-analyze prompt", PROMPT, 60)
    return boot


def install_run(iso: Path, work: Path, pbp: bool) -> dict:
    """Power-on -> dom0 login for the unattended install (qemu TCG), as tests/e2e/test_install.py
    does it (the ISO's installer kernel handed to qemu: the ISO's GRUB menu is not in it), and in
    the same VM, before it reboots, the package-by-package install of the same package set."""
    shutil.copy2(ANSWERS, work / "answers.yaml")
    disk = create_disk(work / "disk.qcow2", "24G")
    server, url = serve(work)
    figures, phases = {}, {}
    try:
        if pbp:
            count = package_by_package.prepare(work, url, REPO / "out" / "iso" / "xenhost-0.1-dom0.packages",
                                               REPO / "out" / "repo" / "deb" / "pool" / "main")
        boot = isoboot.direct_boot(iso, work, f"answerfile={url}/answers.yaml" + (" atexit=shell" if pbp else ""))
        with VM(VMSpec(name="installer", workdir=work, disks=[disk], cdrom=iso, no_reboot=True, **boot)) as vm:
            vm.expect_phase("boot to installer", r"\[ ?1/\d+\]", 900)
            if vm.expect_phase("install step", ["xenhost-installer: installation complete",
                                                "xenhost-installer: INSTALLATION FAILED"], 1800) != 0:
                raise SystemExit(f"the installer failed; serial log: {vm.log_path}")
            if pbp:
                figures.update(installer_shell(vm))
                print(f"(so far: {vm.phases}; {figures})", flush=True)
                seconds = package_by_package.run_in_vm(vm, url, PROMPT)
                print(f"(so far: {vm.phases}; mmdebstrap {seconds} s)", flush=True)   # kept if a later phase fails
                vm.send_line("systemctl --force reboot")        # what atexit=reboot runs
            vm.expect_phase("installer reboot", pexpect.EOF, 300)
        phases.update((k, v) for k, v in vm.phases.items()
                      if k in ("boot to installer", "install step", "installer reboot"))
        with VM(VMSpec(name="host", workdir=work, disks=[disk], boot_order="c")) as vm:
            vm.expect_phase("firmware and GRUB to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
            vm.expect_phase("Xen to dom0 kernel", "Linux version", 300)
            vm.expect_phase("dom0 kernel to first boot done", "xenhost-firstboot: done", 900)
            vm.expect_phase("first boot done to login", "login:", 600)
        phases.update(vm.phases)
    finally:
        print(f"(phases: {phases})", flush=True)
        server.shutdown()
    figures.update({f"qemu: {phase} (s)": value for phase, value in phases.items()})
    log = (work / "installer-serial.log").read_bytes().decode(errors="replace")
    for number, name, seconds in pxe_figures.task_seconds(log):
        figures[f"  task {number:>2} {name[:48]} (s)"] = seconds
    figures["qemu: install step (s), goal <= 60"] = phases["install step"]
    figures["qemu: power-on to dom0 login (s), goal <= 240"] = sum(phases.values())
    if pbp:
        figures[f"same VM: mmdebstrap of the same {count} packages (s)"] = seconds
        figures["package by package / install step (ratio), goal >= 4"] = seconds / phases["install step"]
    return figures


def pxe_e2e_figures() -> dict:
    """PXE power-on to dom0 login from the last PXE e2e runs (tests/e2e/test_pxe_install.py writes
    them; this script runs no PXE VM), labelled with the run's date."""
    figures = {}
    for path in pxe_figures.figure_files():
        data = json.loads(path.read_text())
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(path.stat().st_mtime))
        figures[f"PXE {data['firmware']} e2e of {when}: power-on to dom0 login (s), goal <= 240"] = \
            pxe_figures.to_login(data["phases"])
    if not figures:
        print("(no PXE figures: run .venv/bin/python -m pytest -m e2e tests/e2e/test_pxe_install.py)", flush=True)
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
        print(f"(rebuilds: {figures})", flush=True)     # kept if the VM part fails
    if not args.iso.exists():
        raise SystemExit(f"no ISO at {args.iso}: run ./build.py iso")
    figures.update(iso_sizes(args.iso))
    figures.update(pxe_tree_sizes(args.iso.parent.parent / "pxe"))
    figures.update(pxe_e2e_figures())
    if not args.no_qemu:
        work = REPO / "out" / "bench"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        with holding(QEMU_LOCK):                # one VM at a time on this machine
            figures.update(install_run(args.iso, work, not args.no_package_by_package))
    report(figures, work / "figures.json" if not args.no_qemu else None)
    return 0


def report(figures: dict, json_path: Path | None) -> None:
    """Print the figures one per line (and keep them as JSON for later comparison)."""
    if json_path:
        json_path.write_text(json.dumps(figures, indent=2) + "\n")
    for name, value in figures.items():
        print(f"{name:<76} {value:10.1f}")


if __name__ == "__main__":
    sys.exit(main())
