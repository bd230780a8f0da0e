"""Slow tier: the chroot backend really builds in a clean root with the network off.

A spec whose %build connects to a server listening on this host's loopback must fail inside
the build root (its own network namespace), while the same connection from the host works
and the same spec without the connection builds.
"""
import socket
import textwrap
import threading
from pathlib import Path

import pytest

from packages.backends import BuildRequest
from packages.backends.chroot import ChrootBackend
from buildlib.config import BuildConfig
from buildlib.errors import CommandFailed
from packages.pipeline import make_srpm
from packages.specs import parse_spec

pytestmark = pytest.mark.slow

SPEC = """\
Name:           netprobe
Version:        1.0
Release:        1
Summary:        reaches for the network during its build
License:        MIT
BuildArch:      noarch
BuildRequires:  python3

%description
Test package.

%build
{build}

%install
mkdir -p %{{buildroot}}/usr/share/netprobe
touch %{{buildroot}}/usr/share/netprobe/ok

%files
/usr/share/netprobe/ok

%changelog
* Sun Nov 22 2026 tests <t@example.invalid> - 1.0-1
- test
"""


@pytest.fixture
def loopback_server():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    threading.Thread(target=lambda: [server.accept()[0].close() for _ in range(4)], daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def _build(tmp_path: Path, build_body: str):
    tmp_path.mkdir(parents=True)
    spec_path = tmp_path / "netprobe.spec"
    spec_path.write_text(SPEC.format(build=textwrap.dedent(build_body)))
    spec = parse_spec(spec_path)
    config = BuildConfig(out_dir=tmp_path / "out")     # the real cache: build roots are reused
    log = tmp_path / "build.log"
    srpm = make_srpm(spec, tmp_path, tmp_path / "srpms", log, "debian")
    request = BuildRequest(spec=spec, srpm=srpm, build_requires=("python3",),
                           result_dir=tmp_path / "rpms", log=log)
    return ChrootBackend(config).build(request), log


def test_network_access_during_build_fails(tmp_path, loopback_server):
    probe = f"python3 -c \"import socket; socket.create_connection(('127.0.0.1', {loopback_server}), 3)\""
    socket.create_connection(("127.0.0.1", loopback_server), 3).close()   # reachable from the host
    with pytest.raises(CommandFailed):
        _build(tmp_path / "net", probe)
    assert "Connection refused" in (tmp_path / "net" / "build.log").read_text() or \
        "unreachable" in (tmp_path / "net" / "build.log").read_text()
    built, _log = _build(tmp_path / "quiet", "true")
    assert [p.name for p in built] == ["netprobe-1.0-1.noarch.rpm"]
