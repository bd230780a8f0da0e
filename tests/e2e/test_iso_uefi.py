"""The ISO itself under UEFI (OVMF): its own EFI GRUB menu on the serial line, the serial menu
entry booted with an answer file typed at GRUB's prompt, an unattended install, and the installed
host booting Xen under the same firmware, first boot done and `xe host-param-list` answering."""
import shutil
from pathlib import Path

import pexpect
import pytest

from ci import isoboot
from ci.qemu import VM, VMSpec, create_disk

pytestmark = pytest.mark.e2e
ANSWERS = Path(__file__).with_name("answers-bios.yaml")     # whole disk, DHCP, reboot (xh-e2e)


def test_iso_under_ovmf_installs_and_the_host_boots(iso_path, e2e_dir, answer_server):
    shutil.copy2(ANSWERS, e2e_dir / "answers.yaml")
    iso_path = Path(shutil.copy2(iso_path, e2e_dir / "xenhost.iso"))    # a rebuild meanwhile must not change it
    disk = create_disk(e2e_dir / "disk.qcow2", "24G")
    spec = VMSpec(name="iso-uefi", workdir=e2e_dir, disks=[disk], cdrom=iso_path, boot_order="d", uefi=True,
                  no_reboot=True)
    with VM(spec) as vm:
        isoboot.boot_with_args(vm, iso_path, f"answerfile={answer_server}/answers.yaml", menu_timeout=600)
        vm.expect_phase("installer starts", "xenhost-installer: reading answer file", 1200)
        outcome = vm.expect_phase("install", ["xenhost-installer: installation complete",
                                              "xenhost-installer: INSTALLATION FAILED"], 1800)
        assert outcome == 0, f"the installer failed:\n{vm.tail(60)}"
        vm.expect_phase("installer reboots", pexpect.EOF, 300)
    host = VMSpec(name="iso-uefi-host", workdir=e2e_dir, disks=[disk], boot_order="c", uefi=True)
    with VM(host) as vm:
        vm.expect_phase("UEFI boot to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
        vm.expect_phase("first boot", "xenhost-firstboot: done", 900)
        vm.expect_phase("dom0 ready", "xh-e2e login:", 600)
        vm.login("xenhost-e2e", r"root@xh-e2e:~# ")
        vm.check("toolstack", "xe host-param-list", r"xen: 4\.17\.\d+-xenhost", r"root@xh-e2e:~# ", timeout=180)
        vm.send_line("poweroff")
        vm.expect_phase("power off", pexpect.EOF, 300)
