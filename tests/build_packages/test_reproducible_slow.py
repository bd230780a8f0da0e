"""Slow tier: one package built twice from scratch gives the same bytes (SRPM, RPM, .deb), and
diffoscope explains a difference when there is one."""
import subprocess

import pytest

from buildlib.config import BuildConfig
from packages.debian import rpm_to_deb
from packages.names import NameMap
from packages.reproduce import explain, rebuild_and_compare
from test_debian import SPEC, build_rpm

pytestmark = pytest.mark.slow


def test_xenhost_release_built_twice_is_bit_identical():
    # Builds in two scratch caches; needs the build root tarball and sources of the shared
    # cache, which it makes if missing (./build.py packages makes them too).
    [result] = rebuild_and_compare(BuildConfig(), ["xenhost-release"], twice=True, progress=lambda m: None)
    assert result.reproducible, f"{result.differing} differ:\n{result.explanation}"
    assert sorted(result.identical) == ["debs/xenhost-release_0.1-1.xh_all.deb",
                                        "rpms/xenhost-release-0.1-1.xh.noarch.rpm",
                                        "srpms/xenhost-release-0.1-1.xh.src.rpm"]


def test_diffoscope_explains_a_difference(tmp_path):
    # The same spec with another changelog date: another SOURCE_DATE_EPOCH, so other dates.
    names = NameMap({"python3": "python3"}, own={"xenhost-release"})
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = rpm_to_deb(build_rpm(tmp_path / "a", "demo", SPEC), names, tmp_path / "da")
    later = SPEC.replace("Sun Nov 22 2026", "Mon Nov 23 2026")
    second = rpm_to_deb(build_rpm(tmp_path / "b", "demo", later), names, tmp_path / "db")
    assert first.read_bytes() != second.read_bytes()
    report = explain(first, second)
    assert "data.tar.xz" in report and "changelog.Debian" in report, report
    assert "-- tests <t@example.invalid>  Sun, 22 Nov 2026" in report and "Mon, 23 Nov 2026" in report
    assert subprocess.run(["which", "diffoscope"], capture_output=True).returncode == 0
