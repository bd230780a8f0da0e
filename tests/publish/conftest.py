"""Small fake build outputs (a real RPM + SRPM, a small ISO-sized file, repository files), a
real project signing key in a throwaway cache, and a Publisher over a temporary tree."""
import functools
import json
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from buildlib.config import BuildConfig
from buildlib.signing import Signer
from publish.publisher import Publisher
from publish.record import BuildRecord, Step
from publish.retention import Policy

REPO = Path(__file__).resolve().parents[2]
SPEC = """\
Name:           tiny
Version:        {version}
Release:        1
Summary:        a tiny package
License:        MIT
BuildArch:      noarch
Source0:        tiny.txt

%description
tiny

%install
install -D -m 0644 %{{SOURCE0}} %{{buildroot}}/usr/share/tiny/tiny.txt

%files
/usr/share/tiny/tiny.txt
"""


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def signer(cache_dir) -> Signer:
    return Signer(BuildConfig(cache_dir=cache_dir))


@functools.lru_cache(maxsize=None)
def _rpms(version: str) -> tuple[Path, Path]:
    """Built once per version and test session (rpmbuild takes most of a second)."""
    top = Path(tempfile.mkdtemp(prefix="publish-rpms-"))
    (top / "SOURCES").mkdir(parents=True)
    (top / "SOURCES" / "tiny.txt").write_text(f"tiny {version}\n")
    spec = top / "tiny.spec"
    spec.write_text(SPEC.format(version=version))
    subprocess.run(["rpmbuild", "-ba", "--define", f"_topdir {top}", str(spec)], check=True,
                   capture_output=True)
    return next((top / "RPMS").glob("*/*.rpm")), next((top / "SRPMS").glob("*.src.rpm"))


def make_outputs(root: Path, version: str = "1.0", iso_bytes: int = 1 << 20, pxe: bool = False) -> Path:
    """A build's out/ folder as the publisher reads it."""
    out = root / "out"
    rpm, srpm = _rpms(version)
    for folder, files in {"repo/rpm/RPMS": [rpm], "repo/rpm/SRPMS": [srpm]}.items():
        (out / folder).mkdir(parents=True)
        for f in files:
            (out / folder / f.name).write_bytes(f.read_bytes())
    (out / "repo/rpm/RPMS/repodata").mkdir()
    (out / "repo/rpm/RPMS/repodata/repomd.xml").write_text("<repomd/>\n")
    (out / "repo/deb/pool/main").mkdir(parents=True)
    (out / f"repo/deb/pool/main/tiny_{version}-1_all.deb").write_bytes(b"!<arch>\n" + version.encode())
    (out / "repo/deb/dists/xenhost").mkdir(parents=True)
    (out / "repo/deb/dists/xenhost/InRelease").write_text("signed index\n")
    (out / "repo/xenhost-archive-keyring.gpg").write_bytes(b"key")
    (out / "iso").mkdir()
    with open(out / "iso" / "xenhost-0.1-x86_64.iso", "wb") as f:
        f.write((version.encode() * (iso_bytes // len(version) + 1))[:iso_bytes])
    (out / "iso" / "xenhost-0.1-installer.packages").write_text("tiny|1.0|all\n")
    if pxe:
        (out / "pxe").mkdir()
        (out / "pxe" / "vmlinuz").write_bytes(b"kernel")
    (out / "logs").mkdir()
    (out / "logs" / "nightly-fast-tests.log").write_text("5 passed\n")
    return out


def record(commit: str = "a" * 40, e2e: str = "passed", build: str = "passed") -> BuildRecord:
    return BuildRecord(commit=commit, started="2026-12-01T01:00:00Z", finished="2026-12-01T01:30:00Z",
                       steps=[Step("iso", build, 600.0, required=True),
                              Step("fast-tests", "passed", 30.0),
                              Step("e2e", e2e, 700.0, detail="" if e2e == "passed" else "qemu install")])


class Clock:
    def __init__(self, when: datetime):
        self.when = when

    def __call__(self):
        return self.when


@pytest.fixture
def clock():
    return Clock(datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc))


@pytest.fixture
def publisher(tmp_path, signer, clock):
    return Publisher(tmp_path / "tree", signer, REPO, Policy(), progress=lambda m: None, now=clock)


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())
