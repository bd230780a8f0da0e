#!/usr/bin/env python3
"""Print the OBS/Koji export's figures: time to export, size of each exported project and of
the Koji SRPMs. Printed, never asserted. The obs-build chroot build's own time is in its log
(`[  93s]` stamps) from `pytest -m slow tests/export`.

  .venv/bin/python ci/export_figures.py [--profile full]
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def size_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="default")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="export-figures-") as tmp:
        out = Path(tmp)
        for command in ("export-obs", "export-koji"):
            started = time.monotonic()
            subprocess.run([sys.executable, "build.py", command, str(out / command),
                            "--profile", args.profile], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            print(f"{command} ({args.profile}): {time.monotonic() - started:.1f} s")
        for project in sorted((out / "export-obs").iterdir()):
            print(f"  {project.name}: {size_mib(project):.1f} MiB, "
                  f"{sum(1 for p in project.iterdir() if p.is_dir())} packages")
        print(f"  koji SRPMS: {size_mib(out / 'export-koji' / 'SRPMS'):.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
