"""The ISO as a person on a serial console uses it: its GRUB menu on the serial line, an answer
file added at GRUB's prompt, and a bad answer file refused before any disk is written."""
import json
import subprocess

import pytest

from ci import isoboot
from ci.qemu import VM, VMSpec, create_disk

pytestmark = pytest.mark.e2e

BAD_ANSWERS = """\
version: 1
disk: {primary: /dev/vdz}
root-password: {plaintext: "xenhost-e2e"}
atexit: reboot
"""


def disk_has_data(disk) -> bool:
    out = subprocess.run(["qemu-img", "map", "--output=json", str(disk)], check=True,
                         capture_output=True, text=True).stdout
    return any(extent["data"] for extent in json.loads(out))


def test_serial_menu_and_bad_answer_file_touch_no_disk(iso_path, e2e_dir, answer_server):
    (e2e_dir / "bad.yaml").write_text(BAD_ANSWERS)
    disk = create_disk(e2e_dir / "disk.qcow2", "24G")
    spec = VMSpec(name="serial-menu", workdir=e2e_dir, disks=[disk], cdrom=iso_path, boot_order="d")
    with VM(spec) as vm:
        isoboot.boot_with_args(vm, iso_path, f"answerfile={answer_server}/bad.yaml")
        vm.expect_phase("installer refuses", "xenhost-installer: INSTALLATION FAILED", 900)
        vm.expect_phase("reason names the disk", "/dev/vdz", 60)
    assert not disk_has_data(disk), "the installer wrote to a disk although preflight failed"
