"""Slow tier: one exported package built here by obs-build's own `build` script, in a chroot
of Debian 12 packages downloaded into a local folder (as root; minutes the first time)."""
import os
import subprocess
from pathlib import Path

import pytest

from buildlib.config import BuildConfig
from export.localbuild import build_package

pytestmark = pytest.mark.slow
LOCK = "/tmp/xenhost-build.lock"


def _field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", deb, name], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_obs_build_makes_the_deb_our_pipeline_makes(real_export, tmp_path):
    if os.geteuid() != 0:
        pytest.fail("obs-build's chroot build needs root: run `sudo .venv/bin/python -m pytest -m slow "
                    "tests/export`")
    folder = real_export.packages_dir / "xenhost-common"
    prjconf = (real_export.packages_dir / "_config").read_text()
    with open(LOCK, "w") as lock:
        import fcntl  # noqa: PLC0415
        fcntl.flock(lock, fcntl.LOCK_EX)        # a chroot build: one heavy job at a time
        debs = build_package(BuildConfig(), folder, prjconf, tmp_path, tmp_path / "build.log")
    log = (tmp_path / "build.log").read_text()
    assert "running debian transformer" in log and "rpm2deb: xenhost-common-0.1.0-1.xh.noarch.rpm" in log
    assert [d.name for d in debs] == ["xenhost-common_0.1.0-1.xh_all.deb"]
    deb = debs[0]
    assert _field(deb, "Depends") == "python3, python3-jsonschema, python3-yaml"
    files = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    assert "./usr/lib/xenhost/python/xenhost_common/runner.py" in files
    assert "./usr/share/doc/xenhost-common/copyright" in files
