"""rpm -> deb is a function of the RPM: the same RPM converted twice, a second apart and under
another umask, gives the same bytes; every date in the .deb is the RPM's build time."""
import os
import subprocess
import tarfile
import time

from packages.debian import read_header, rpm_to_deb
from packages.names import NameMap
from test_debian import demo_rpm  # noqa: F401 - the module-scoped RPM fixture

NAMES = NameMap({"python3": "python3"}, own={"xenhost-release"})


def test_the_same_rpm_converted_twice_gives_identical_debs(demo_rpm, tmp_path):  # noqa: F811
    first = rpm_to_deb(demo_rpm, NAMES, tmp_path / "a")
    time.sleep(1.1)                      # "now" differs by a second: a date taken from it shows
    old = os.umask(0o077)                # a mode taken from the umask shows
    try:
        second = rpm_to_deb(demo_rpm, NAMES, tmp_path / "b")
    finally:
        os.umask(old)
    assert first.read_bytes() == second.read_bytes()


def test_every_date_in_the_deb_is_the_rpm_build_time(demo_rpm, tmp_path):  # noqa: F811
    import rpm
    built = read_header(demo_rpm)[rpm.RPMTAG_BUILDTIME]
    deb = rpm_to_deb(demo_rpm, NAMES, tmp_path)
    members = subprocess.run(["ar", "tv", str(deb)], capture_output=True, text=True, check=True).stdout
    expected = time.strftime("%b %e %H:%M %Y", time.gmtime(built)).replace("  ", " ")
    assert all(expected in " ".join(line.split()) for line in members.splitlines()), members
    subprocess.run(["ar", "x", str(deb.resolve())], cwd=tmp_path, check=True)
    for member in ("control.tar.xz", "data.tar.xz"):
        with tarfile.open(tmp_path / member) as tar:
            entries = tar.getmembers()
            assert {e.mtime for e in entries} == {built}, member
            assert {(e.uid, e.gid) for e in entries} == {(0, 0)}
