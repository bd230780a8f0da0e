"""The walking skeleton's proof: ISO -> unattended install -> reboot -> Xen + dom0 + toolstack,
then the same disk booted under UEFI firmware.

Runs under qemu TCG (minutes). Phases are recorded in out/e2e/<test>/phases.json for
ci/figures.py; the serial log is beside it.
"""
import json
import shutil
from pathlib import Path

import pexpect
import pytest

from build_outputs import KERNEL, built
from ci import isoboot
from ci.qemu import VM, VMSpec, create_disk

pytestmark = pytest.mark.e2e
ANSWERS = Path(__file__).with_name("answers-bios.yaml")
PASSWORD = "xenhost-e2e"
# `uname -r` of the kernel the build profile's images ship (specs/profiles.yaml `kernel:`): ours
# carries CONFIG_LOCALVERSION="-xenhost" (hypervisor/linux/config.fragment), Debian's ends in -amd64.
RELEASE = {"linux-dom0": r"\d+\.\d+\.\d+-xenhost"}.get(KERNEL, r"\d+\.\d+\.\d+-\d+-amd64")


def _packages(manifest: Path) -> set[str]:
    return {line.split("|", 1)[0] for line in manifest.read_text().splitlines() if line}


def test_unattended_install_boots_xen_dom0_and_toolstack(iso_path, e2e_dir, answer_server):
    # Both images carry the profile's kernel (the installer boots `quiet`: its console never
    # prints the version), and the dom0 image no other one.
    for image in ("installer_packages", "dom0_packages"):
        assert KERNEL in _packages(built(image)), f"{image} lacks {KERNEL}"
    assert not ({"linux-image-amd64", "linux-dom0"} - {KERNEL}) & _packages(built("dom0_packages"))
    shutil.copy2(ANSWERS, e2e_dir / "answers.yaml")
    disk = create_disk(e2e_dir / "disk.qcow2", "24G")
    boot = isoboot.direct_boot(iso_path, e2e_dir, f"answerfile={answer_server}/answers.yaml")
    installer = VMSpec(name="installer", workdir=e2e_dir, disks=[disk], cdrom=iso_path,
                       memory_mb=3072, no_reboot=True, **boot)
    phases = {}
    with VM(installer) as vm:
        vm.expect_phase("boot to installer", r"\[ ?1/\d+\]", 900)
        outcome = vm.expect_phase("install", ["xenhost-installer: installation complete",
                                              "xenhost-installer: INSTALLATION FAILED"], 1800)
        assert outcome == 0, f"the installer failed:\n{vm.tail(60)}"
        vm.expect_phase("installer reboots", pexpect.EOF, 300)   # -no-reboot: qemu exits
    phases.update(vm.phases)
    host = VMSpec(name="host", workdir=e2e_dir, disks=[disk], memory_mb=3072, boot_order="c")
    with VM(host) as vm:
        vm.expect_phase("reboot to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
        vm.expect_phase("Xen to dom0 kernel", rf"Linux version {RELEASE} ", 300)
        vm.expect_phase("first boot", "xenhost-firstboot: done", 900)
        vm.expect_phase("dom0 ready", "login:", 600)
        vm.login(PASSWORD, r"root@xh-e2e:~# ")
        # bash ends its bracketed-paste mode before the output: "\x1b[?2004l\r6.1.176-xenhost\r\n"
        vm.check("dom0 kernel", "uname -r", rf"[\r\n]{RELEASE}\r", r"root@xh-e2e:~# ")
        # XAPI's form; plain `xe host-param-list` works too
        vm.check("toolstack", "xe host-param-list uuid=$(xe host-list --minimal)", r"xen: 4\.17\.\d+-xenhost",
                 r"root@xh-e2e:~# ", timeout=180)
        vm.send_line("poweroff")
        vm.expect_phase("power off", pexpect.EOF, 300)
    phases.update(vm.phases)
    # The same disk under UEFI firmware (OVMF): GRUB's removable-path EFI loader boots Xen too.
    uefi = VMSpec(name="uefi-host", workdir=e2e_dir, disks=[disk], memory_mb=3072, boot_order="c",
                  uefi=True)
    with VM(uefi) as vm:
        vm.expect_phase("UEFI boot to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
        vm.expect_phase("UEFI dom0 ready", "login:", 600)
    phases.update(vm.phases)
    (e2e_dir / "phases.json").write_text(json.dumps(phases, indent=2) + "\n")
