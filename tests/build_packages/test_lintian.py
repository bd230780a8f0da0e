"""Slow tier: lintian over the .debs of the last `./build.py packages` (out/repo)."""
import subprocess
from pathlib import Path

import pytest

from buildlib.config import BuildConfig

pytestmark = pytest.mark.slow


def test_built_debs_have_no_lintian_errors():
    debs = sorted((BuildConfig().repo_dir / "deb" / "pool").rglob("*.deb"))
    if not debs:
        pytest.fail("no .debs in out/repo: run ./build.py packages first")
    out = subprocess.run(["lintian", "--no-tag-display-limit", *map(str, debs)],
                         capture_output=True, text=True).stdout
    errors = [line for line in out.splitlines() if line.startswith("E:")]
    assert not errors, "lintian errors:\n" + "\n".join(errors)
