"""Boot our ISO's installer with extra kernel arguments (an answer file URL).

The ISO's GRUB menu carries no answer file, and a person adds one at GRUB's prompt. Tests do the
same two ways: `boot_with_args` types at the GRUB prompt on the serial line (needs GRUB's
serial terminal), and `direct_boot` reads the installer entry from the ISO's grub.cfg and hands
its kernel, initrd and arguments to qemu, with the ISO attached as the live medium. The kernel,
initrd and live root are the ISO's own either way.
"""
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

GRUB_CFG_CANDIDATES = ("/boot/grub2/grub.cfg", "/boot/grub/grub.cfg", "/EFI/BOOT/grub.cfg")
# Tests talk to the installer over the serial line: the menu entry whose last console= is ttyS0
# (iso/templates/installer/edit_boot_config.sh adds it).
SERIAL_ENTRY = "xenhost-installer (serial console ttyS0)"


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


def entry_titled(grub_cfg: str, title: str) -> BootEntry:
    marker = f'menuentry "{title}"'
    if marker not in grub_cfg:
        raise LookupError(f"no menu entry titled {title!r} in the ISO's grub.cfg")
    return first_entry(grub_cfg[grub_cfg.index(marker):])


def installer_entry(iso: Path, title: str = SERIAL_ENTRY) -> BootEntry:
    for candidate in GRUB_CFG_CANDIDATES:
        text = read_iso_file(iso, candidate)
        if text and "menuentry" in text:
            return entry_titled(text, title)
    raise FileNotFoundError(f"{iso}: no grub.cfg with a menu entry at {GRUB_CFG_CANDIDATES}")


def extract(iso: Path, path: str, dest: Path) -> Path:
    subprocess.run(["xorriso", "-osirrox", "on", "-indev", str(iso), "-extract", path, str(dest)],
                   check=True, capture_output=True)
    return dest


def kernel_arguments(linux_command: str) -> tuple[str, str]:
    """`linux ($root)/path arg ...` -> (path in the ISO, arguments without GRUB variables)."""
    words = linux_command.split()
    path = re.sub(r"^\(\$?\w*\)", "", words[1])
    args = [w for w in words[2:] if not w.startswith("${")]
    return path, " ".join(args)


def direct_boot(iso: Path, workdir: Path, extra_args: str) -> dict:
    """VMSpec fields that boot the ISO's installer kernel with extra_args appended."""
    entry = installer_entry(iso)
    kernel_path, args = kernel_arguments(entry.linux)
    initrd_path = re.sub(r"^\(\$?\w*\)", "", entry.initrd.split()[1])
    return {"kernel": extract(iso, kernel_path, workdir / "installer-kernel"),
            "initrd": extract(iso, initrd_path, workdir / "installer-initrd"),
            "append": f"{args} {extra_args}".strip()}


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


DEFAULT_ISO = Path(__file__).resolve().parent.parent / "out" / "iso" / "xenhost-0.1-x86_64.iso"


def bench_start(parser, workdir: Path):
    """A benchmark's --iso argument parsed and checked, and its work folder emptied: (args, workdir)."""
    parser.add_argument("--iso", type=Path, default=DEFAULT_ISO)
    args = parser.parse_args()
    if not args.iso.exists():
        raise SystemExit(f"no ISO at {args.iso}: build it with ./build.py iso")
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    return args, workdir
