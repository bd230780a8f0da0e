"""Fixtures of the e2e tier: the built ISO, a loopback HTTP server for answer files, a work dir."""
import functools
import http.server
import threading
from pathlib import Path

import pytest

from build_outputs import BUILD_COMMAND, OUT


@pytest.fixture(scope="session")
def iso_path() -> Path:
    found = sorted((OUT / "iso").glob("xenhost-*-x86_64.iso"))
    if not found:
        pytest.fail(f"no ISO in {OUT / 'iso'}: build it first with {BUILD_COMMAND} (ci/e2e.sh does)")
    return found[-1]


@pytest.fixture
def e2e_dir(request) -> Path:
    path = OUT / "e2e" / request.node.name     # a profile's runs beside its ISO
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*"):
        old.unlink()
    return path


@pytest.fixture
def answer_server(e2e_dir):
    """Serve e2e_dir on loopback; the guest reaches it as 10.0.2.2 through qemu's user network."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(e2e_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://10.0.2.2:{server.server_address[1]}"
    server.shutdown()
