"""The Minimal PVH guest's initramfs, built as its package builds it (make-initrd.sh with Debian's
busybox-static) and booted in qemu on the ISO's kernel (the same Debian kernel the dom0 runs):
the banner comes, the shell answers, and `poweroff` (what the kernel runs when `xl shutdown`
asks a Xen guest to stop) powers it off through busybox init's shutdown actions."""
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from ci import isoboot  # noqa: E402

pytestmark = pytest.mark.slow


def test_minimal_guest_boots_prints_banner_and_powers_off(tmp_path):
    isos = sorted((REPO / "out" / "iso").glob("xenhost-*-x86_64.iso"))
    if not isos:
        pytest.fail("no ISO in out/iso (its kernel boots the guest): build it with ./build.py iso")
    if not Path("/bin/busybox").exists():
        pytest.fail("no /bin/busybox: run ./setup-host.sh (installs busybox-static)")
    kernel = isoboot.extract(isos[-1], "/boot/x86_64/loader/linux", tmp_path / "vmlinuz")
    initrd = tmp_path / "minimal-initrd.img"
    subprocess.run(["sh", str(REPO / "toolstack/guest/make-initrd.sh"), "/bin/busybox", str(initrd)], check=True)
    assert initrd.stat().st_size < 2 * 1024 * 1024          # small: seconds to load
    child = pexpect.spawn("qemu-system-x86_64", ["-m", "256", "-display", "none", "-serial", "stdio",
                                                  "-monitor", "none", "-no-reboot", "-kernel", str(kernel),
                                                  "-initrd", str(initrd), "-append", "console=ttyS0"],
                          timeout=300, logfile=open(tmp_path / "serial.log", "wb"))
    try:
        child.expect(r"xenhost-minimal-guest: booted \(kernel \S+, 1 vCPU, \d+ MiB\)")
        child.sendline("echo shell-$((6*7))")
        child.expect("shell-42")
        child.sendline("poweroff")
        child.expect("xenhost-minimal-guest: powering off")
        child.expect(pexpect.EOF, timeout=120)
    finally:
        child.close(force=True)
