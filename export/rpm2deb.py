#!/usr/bin/env python3
"""Runs inside OBS's Debian build root, from the exported debian/rules: every RPM the spec
built becomes a .deb through xenhost's own converter (packages/debian.py, the code
`./build.py packages` runs), and is listed in debian/files so dpkg-buildpackage reports it.

The export ships this file with the converter's modules, the name table and the set of
our own package names beside it (xenhost-obs/ in the source bundle)."""
import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from packages.debian import host_shlibdeps, rpm_to_deb  # noqa: E402
from packages.names import NameMap  # noqa: E402

OWN_NAMES = "own-names.txt"      # written by export/debsource.py


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="where the .debs go (dpkg: ..)")
    parser.add_argument("rpms", nargs="+", type=Path)
    args = parser.parse_args(argv)
    names = NameMap.load(set((HERE / OWN_NAMES).read_text().split()))
    for rpm_path in args.rpms:
        deb = rpm_to_deb(rpm_path, names, args.out, shlibdeps=host_shlibdeps)
        subprocess.run(["dpkg-distaddfile", deb.name, "admin", "optional"], check=True)
        print(f"rpm2deb: {rpm_path.name} -> {deb.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
