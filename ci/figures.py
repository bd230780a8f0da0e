#!/usr/bin/env python3
"""Print the walking skeleton's figures: build times, rebuild time, ISO size, e2e phases.

Figures are printed, never asserted. `--cold` builds into an empty cache (a fresh build root,
Xen compile, both kiwi images: tens of minutes); without it the current cache is used, which
measures the no-change rebuild. Ratios compare each run with its peer in the same run.

  .venv/bin/python ci/figures.py [--cold] [--skip-iso]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict) -> float:
    started = time.monotonic()
    subprocess.run(cmd, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def build_figures(env: dict, label: str, skip_iso: bool) -> dict:
    python = sys.executable
    figures = {f"{label} packages (s)": timed([python, "build.py", "packages"], env)}
    if not skip_iso:
        figures[f"{label} ISO after packages (s)"] = timed([python, "build.py", "iso", "--skip-packages"], env)
    return figures


def touched_rebuild(env: dict, spec_name: str) -> float:
    """Rebuild time after a change to one spec (a comment appended, then taken back)."""
    spec = REPO / "specs" / f"{spec_name}.spec"
    original = spec.read_text()
    try:
        spec.write_text(original + f"# figures.py touch {time.time()}\n")
        return timed([sys.executable, "build.py", "packages"], env)
    finally:
        spec.write_text(original)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold", action="store_true", help="first build into an empty cache")
    parser.add_argument("--skip-iso", action="store_true")
    parser.add_argument("--touch", action="store_true",
                        help="also time rebuilds after touching a leaf spec and xen-hypervisor")
    args = parser.parse_args()
    env = dict(os.environ)
    figures = {}
    if args.cold:
        cache = tempfile.mkdtemp(prefix="xenhost-cold-cache-", dir="/var/tmp")
        env["XENHOST_CACHE"] = cache
        figures.update(build_figures(env, "cold", args.skip_iso))
    figures.update(build_figures(env, "no-change", args.skip_iso))
    if args.cold:
        cold = figures["cold packages (s)"]
        figures["no-change / cold packages (ratio)"] = figures["no-change packages (s)"] / cold
    if args.touch:
        for name in ("xenhost-toolstack", "xen-hypervisor"):
            figures[f"packages after touching {name} (s)"] = touched_rebuild(env, name)
        # Put the repositories back to the untouched specs' packages (all cached).
        timed([sys.executable, "build.py", "packages"], env)
    for iso in sorted((REPO / "out" / "iso").glob("*.iso")):
        figures[f"ISO size {iso.name} (MiB)"] = iso.stat().st_size / 2**20
    for phases in sorted((REPO / "out" / "e2e").glob("*/phases.json")):
        for phase, seconds in json.loads(phases.read_text()).items():
            figures[f"e2e {phases.parent.name}: {phase} (s)"] = seconds
    for name, value in figures.items():
        print(f"{name:<72} {value:10.4f}" if "ratio" in name else f"{name:<72} {value:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
