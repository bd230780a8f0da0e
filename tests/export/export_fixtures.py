"""Shared by the export tests: the fixture specs' folder and the set of real specs that need
no download."""
from pathlib import Path

from buildlib.config import BuildConfig

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Every real spec of the default profile except the one whose upstream tarball is downloaded.
LOCAL_SPECS = {"xenhost-common", "xenhost-core", "xenhost-firstboot", "xenhost-installer",
               "xenhost-release", "xenhost-toolstack"}


def tiny_config(tmp: Path) -> BuildConfig:
    return BuildConfig(repo_root=FIXTURES, out_dir=tmp / "out")
