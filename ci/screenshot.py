"""A screenshot of the installer's first screen on the VGA console (the look): boots the ISO's
default menu entry (the installer on the screen) in qemu and takes qemu `screendump`s until the
screens are drawn (the blue key header across the top), then prints the PNG's path.

    flock /tmp/xenhost-qemu.lock .venv/bin/python ci/screenshot.py [ISO] [OUT_DIR]
"""
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ci.qemu import VM, VMSpec, create_disk, screendump  # noqa: E402


def header_drawn(ppm: bytes) -> bool:
    """True when the top text row is mostly the header's blue (the urwid screens are up)."""
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    width, pixels = int(m.group(1)), ppm[m.end():]
    row = pixels[width * 3 * 4:width * 3 * 5]           # the 5th pixel row: inside the first text row
    blue = sum(1 for i in range(0, len(row), 3) if row[i + 2] > 120 and row[i] < 60 and row[i + 1] < 60)
    return blue > width * 0.5


def take(iso: Path, out: Path, timeout: float = 900) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    monitor = out / "monitor.sock"
    spec = VMSpec(name="screenshot", workdir=out, cdrom=iso, disks=[create_disk(out / "blank.qcow2", "24G")],
                  boot_order="d", monitor=monitor)
    png = out / "installer-first-screen.png"
    with VM(spec):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(15)
            if not monitor.exists():
                continue
            screendump(monitor, png)
            if header_drawn(png.with_suffix(".ppm").read_bytes()):
                time.sleep(5)                           # let the first screen finish drawing
                return screendump(monitor, png)
    raise SystemExit(f"the installer's screens never appeared on the VGA console in {timeout:.0f}s; last: {png}")


def main(argv):
    iso = Path(argv[0]) if argv else REPO / "out" / "iso" / "xenhost-0.1-x86_64.iso"
    out = Path(argv[1]) if len(argv) > 1 else REPO / "out" / "screenshots"
    print(take(iso, out))


if __name__ == "__main__":
    main(sys.argv[1:])
