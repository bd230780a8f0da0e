"""Boot our ISO's installer with extra kernel arguments, through its own GRUB on the serial line.

The ISO's GRUB menu has no answer file argument, and a person at a serial console adds one the
same way: GRUB's command line. We read the ISO's grub.cfg for the installer entry's `linux` and
`initrd` lines, then type them with the extra arguments appended. The real boot loader, kernel
and initrd of the ISO are used; only the typing is automated.
"""
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

GRUB_CFG_CANDIDATES = ("/boot/grub2/grub.cfg", "/boot/grub/grub.cfg", "/EFI/BOOT/grub.cfg")


@dataclass(frozen=True)
class BootEntry:
    linux: str      # the whole `linux ...` command of the first menu entry
    initrd: str     # the whole `initrd ...` command


def read_iso_file(iso: Path, path: str) -> str | None:
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "f"
        proc = subprocess.run(["xorriso", "-osirrox", "on", "-indev", str(iso), "-extract", path,
                               str(dest)], capture_output=True, text=True)
        return dest.read_text(errors="replace") if proc.returncode == 0 and dest.exists() else None


def first_entry(grub_cfg: str) -> BootEntry:
    entry = grub_cfg.split("menuentry", 1)[1]
    linux = re.search(r"^\s*(linux\w*\s+.*)$", entry, re.M).group(1).strip()
    initrd = re.search(r"^\s*(initrd\w*\s+.*)$", entry, re.M).group(1).strip()
    return BootEntry(linux=linux, initrd=initrd)


def installer_entry(iso: Path) -> BootEntry:
    for candidate in GRUB_CFG_CANDIDATES:
        text = read_iso_file(iso, candidate)
        if text and "menuentry" in text:
            return first_entry(text)
    raise FileNotFoundError(f"{iso}: no grub.cfg with a menu entry at {GRUB_CFG_CANDIDATES}")


def boot_with_args(vm, iso: Path, extra_args: str, menu_timeout: float = 180) -> None:
    """At the ISO's GRUB menu, drop to GRUB's prompt and boot the installer with extra_args."""
    entry = installer_entry(iso)
    vm.expect_phase("firmware to boot menu", ["GNU GRUB", "grub>"], menu_timeout)
    vm.child.send("c")
    vm.expect_phase("boot menu to prompt", "grub>", 30)
    for command in (f"{entry.linux} {extra_args}", entry.initrd, "boot"):
        vm.send_line(command, delay=0.02)
        if command != "boot":
            vm.expect_phase("typing boot commands", "grub>", 120)
