#!/usr/bin/env python3
"""Print the PXE figures: what crosses TFTP and what crosses HTTP (bytes), and the per-phase times of
the BIOS and UEFI PXE installs, from the e2e runs' out/e2e/<test>/pxe-figures.json (written by
tests/e2e/test_pxe_install.py). Printed, never asserted.

  .venv/bin/python ci/pxe_figures.py            # after: pytest -m e2e tests/e2e/test_pxe_install.py
"""
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


LOGIN_PHASE = "dom0 ready"      # the login prompt; the phases after it are the test's own checks


def figure_files() -> list[Path]:
    return sorted((REPO / "out" / "e2e").glob("*/pxe-figures.json"))


def to_login(phases: dict) -> float:
    """Power-on to the dom0 login prompt: the phases up to and including LOGIN_PHASE."""
    names = list(phases)
    return sum(phases[name] for name in names[:names.index(LOGIN_PHASE) + 1])


# The installer's "[ 4/19] Writing dom0 image to the root partition ... done (20.0s)" lines
TASK_LINE = re.compile(r"\[ ?(\d+)/(\d+)\] (.+?) \.\.\. done(?: \((\d+(?:\.\d+)?) ?s\))?")
# Its longest task, the same work in every run of one image format: how fast the VM was in that
# run. This machine's VMs ran 2-2.7x slower in some hours than in others with nothing else
# running here, so a total means little without it. Until session 7 the task unpacked a tarball
# (178 MB); since, it writes the ext4 image (782 MiB by dd), about half the work.
IMAGE_TASKS = ("Writing dom0 image to the root partition", "Extracting dom0 image")


def task_seconds(log: str) -> list[tuple[int, str, float]]:
    """(number, name, seconds) of each installer task the log shows done with its time."""
    return [(int(m.group(1)), m.group(3), float(m.group(4))) for m in TASK_LINE.finditer(log) if m.group(4)]


def image_task(run_dir: Path) -> tuple[str, float] | None:
    """(task name, seconds) of the run's dom0 image task as the installer printed it, None if its
    log has none."""
    log = run_dir / "installer-serial.log"
    tasks = task_seconds(log.read_bytes().decode(errors="replace")) if log.exists() else []
    return next(((name, seconds) for _, name, seconds in tasks if name in IMAGE_TASKS), None)


def main() -> int:
    runs = figure_files()
    if not runs:
        print("no PXE e2e figures in out/e2e/*/pxe-figures.json; run: "
              ".venv/bin/python -m pytest -m e2e tests/e2e/test_pxe_install.py", file=sys.stderr)
        return 1
    for path in runs:
        data = json.loads(path.read_text())
        http = sum(data["http_bytes"].values())
        print(f"{path.parent.name} ({data['firmware']})")
        print(f"  {'TFTP (loader, boot config)':<52} {data['tftp_bytes']:>14,} bytes")
        print(f"  {'HTTP (kernel, initrds, answer file, image, sums)':<52} {http:>14,} bytes")
        for name, size in sorted(data["http_bytes"].items(), key=lambda item: -item[1]):
            print(f"    {name:<50} {size:>14,}")
        print(f"  {'TFTP share of all bytes':<52} {data['tftp_bytes'] / (http + data['tftp_bytes']):>14.5f}")
        total = 0.0
        for phase, seconds in data["phases"].items():
            total += seconds
            print(f"  {phase:<52} {seconds:>10.1f} s")
        print(f"  {'sum of phases':<52} {total:>10.1f} s")
        print(f"  {'power-on to dom0 login (goal <= 240)':<52} {to_login(data['phases']):>10.1f} s")
        image = image_task(path.parent)
        if image is not None:
            print(f"  {'VM speed: ' + image[0]:<52} {image[1]:>10.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
