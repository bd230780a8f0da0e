"""Slow tier: exported packages built here by obs-build's own `build` script, in a chroot of
Debian 12 packages downloaded into a local folder (as root; a few minutes the first time),
compared with the .debs `./build.py packages` makes from the same specs."""
import fcntl
import os
import subprocess
from pathlib import Path

import pytest

from buildlib.config import BuildConfig
from export.localbuild import build_package
from packages.pipeline import PackageBuilder

pytestmark = pytest.mark.slow
LOCK = "/tmp/xenhost-build.lock"
PACKAGES = ("xenhost-common", "xenhost-core")      # one with sources, one with mapped Requires
FIELDS = ("Package", "Version", "Architecture", "Depends", "Provides", "Conflicts")


def _control(deb: Path) -> dict:
    return {f: subprocess.run(["dpkg-deb", "-f", deb, f], capture_output=True, text=True,
                              check=True).stdout.strip() for f in FIELDS}


def _paths(deb: Path) -> list[str]:
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True)
    return sorted(line.split()[-1] for line in listing.stdout.splitlines())


def test_obs_build_makes_the_debs_our_pipeline_makes(real_export, tmp_path):
    if os.geteuid() != 0:
        pytest.fail("obs-build's chroot build needs root: run "
                    "`sudo .venv/bin/python -m pytest -m slow tests/export` as root")
    prjconf = (real_export.packages_dir / "_config").read_text()
    built = {}
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)        # chroot builds: one heavy job at a time
        pipeline = PackageBuilder(BuildConfig(), progress=lambda _line: None)
        summary = pipeline.run(only=set(PACKAGES))
        assert summary.ok, summary.table()
        for name in PACKAGES:
            log = tmp_path / f"{name}.log"
            built[name] = build_package(BuildConfig(), real_export.packages_dir / name, prjconf,
                                        tmp_path / name, log)
            text = log.read_text()
            assert "running debian transformer" in text and "rpm2deb: " in text
    for name in PACKAGES:
        [ours] = pipeline.stores[name].debs()
        assert [d.name for d in built[name]] == [ours.name]
        assert _control(built[name][0]) == _control(ours)
        assert _paths(built[name][0]) == _paths(ours)
    core = _control(built["xenhost-core"][0])["Depends"]
    assert "xen-utils-4.17" in core and "linux-image-amd64" in core and "xen-tools" not in core
