"""The network image: the build signs SHA256SUMS (iso/pxe.py with buildlib's Signer, real gpg), a
real loopback HTTP server serves the tree, and the installer's ImageSource checks it with real gpgv
and the exported public key. Tampered, unsigned and wrongly signed trees are refused."""
import functools
import hashlib
import http.server
import shutil
import threading
import urllib.error

import pytest

from buildlib.config import BuildConfig
from buildlib.signing import Signer
from iso import pxe
from xenhost_installer import imagedigest
from xenhost_installer.imagesource import ImageSource, ImageSourceError, locate, signed_checksum
from xenhost_installer.retry import Backoff

IMAGE = b"dom0 root tarball " * 50000          # ~900 KiB: several progress steps


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """The project key and a stranger's key, each with its exported public keyring."""
    out = {}
    for name in ("project", "stranger"):
        base = tmp_path_factory.mktemp(name)
        signer = Signer(BuildConfig(cache_dir=base / "cache", out_dir=base / "out"))
        keyring = signer.export_public(base)
        out[name] = (signer, str(keyring))
    return out


@pytest.fixture
def served(tmp_path):
    """A loopback HTTP server over tmp_path/www; yields (folder, base URL)."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield www, "http://127.0.0.1:%d/xenhost/" % server.server_address[1]
    server.shutdown()


def publish(www, signer, image=IMAGE):
    tree = www / "xenhost"
    tree.mkdir(exist_ok=True)
    (tree / "dom0.img.zst").write_bytes(image)
    pxe.write_signed_sums(tree, ["dom0.img.zst"], signer)
    return tree


def source(tmp_path, keyring, lines=None, **kw):
    kw.setdefault("sleep", lambda s: None)
    return ImageSource(keyring=keyring, workdir=str(tmp_path / "image"),
                       announce=(lines.append if lines is not None else lambda t: None), **kw)


def test_signed_image_is_fetched_with_progress_and_checksum_beside_it(tmp_path, keys, served):
    www, url = served
    publish(www, keys["project"][0])
    lines = []
    path = source(tmp_path, keys["project"][1], lines).fetch(url)
    with open(path, "rb") as f:
        assert f.read() == IMAGE
    with open(path + ".sha256") as f:                # what preflight.check_image reads
        assert f.read().split()[1] == "dom0.img.zst"
    assert any("100%" in line for line in lines) and any("verified" in line for line in lines)
    # hashed while downloading: preflight's check takes that digest instead of reading the file again
    assert imagedigest._DIGESTS[imagedigest.file_key(path)] == hashlib.sha256(IMAGE).hexdigest()


def test_tampered_image_is_refused_and_nothing_is_kept(tmp_path, keys, served):
    www, url = served
    tree = publish(www, keys["project"][0])
    (tree / "dom0.img.zst").write_bytes(IMAGE + b"backdoor")
    with pytest.raises(ImageSourceError) as err:
        source(tmp_path, keys["project"][1]).fetch(url)
    assert "altered or replaced" in str(err.value) and "fix:" in str(err.value)
    assert not list((tmp_path / "image").glob("dom0.img.zst*"))


def test_checksum_list_edited_after_signing_is_refused(tmp_path, keys, served):
    www, url = served
    tree = publish(www, keys["project"][0])
    (tree / "dom0.img.zst").write_bytes(b"evil")
    text = (tree / "SHA256SUMS").read_text().split()
    import hashlib
    (tree / "SHA256SUMS").write_text("%s  %s\n" % (hashlib.sha256(b"evil").hexdigest(), text[1]))
    with pytest.raises(ImageSourceError, match="not signed by the xenhost project key"):
        source(tmp_path, keys["project"][1]).fetch(url)


def test_unsigned_image_is_refused(tmp_path, keys, served):
    www, url = served
    tree = publish(www, keys["project"][0])
    (tree / "SHA256SUMS.sig").unlink()
    with pytest.raises(ImageSourceError, match="unsigned"):
        source(tmp_path, keys["project"][1]).fetch(url)


def test_image_signed_by_another_key_is_refused(tmp_path, keys, served):
    www, url = served
    publish(www, keys["stranger"][0])
    with pytest.raises(ImageSourceError, match="not signed by the xenhost project key"):
        source(tmp_path, keys["project"][1]).fetch(url)


def test_installer_without_the_project_key_refuses(tmp_path, keys, served):
    www, url = served
    publish(www, keys["project"][0])
    with pytest.raises(ImageSourceError, match="carries no project key"):
        source(tmp_path, str(tmp_path / "missing.gpg")).fetch(url)


def test_image_url_naming_the_file_itself(tmp_path, keys, served):
    www, url = served
    tree = publish(www, keys["project"][0])
    shutil.copy2(tree / "dom0.img.zst", tree / "other.tar.zst")
    pxe.write_signed_sums(tree, ["dom0.img.zst", "other.tar.zst"], keys["project"][0])
    path = source(tmp_path, keys["project"][1]).fetch(url + "other.tar.zst")
    assert path.endswith("other.tar.zst")


def test_connection_failures_are_retried_with_backoff_then_succeed(tmp_path, keys, served):
    www, url = served
    publish(www, keys["project"][0])
    failures, pauses, lines = [2], [], []
    import urllib.request

    def flaky(request, timeout):
        if request.full_url.endswith("dom0.img.zst") and failures[0]:
            failures[0] -= 1
            raise urllib.error.URLError(ConnectionResetError("connection reset"))
        return urllib.request.urlopen(request, timeout=timeout)

    src = source(tmp_path, keys["project"][1], lines, opener=flaky, sleep=pauses.append,
                 backoff=Backoff(attempts=4, first=1.0, factor=3.0, cap=5.0))
    assert src.fetch(url)
    assert pauses == [1.0, 3.0]
    assert sum("retrying in" in line for line in lines) == 2


def test_retries_are_bounded(tmp_path, keys):
    pauses = []

    def down(request, timeout):
        raise urllib.error.URLError(OSError("Network is unreachable"))

    src = source(tmp_path, keys["project"][1], opener=down, sleep=pauses.append,
                 backoff=Backoff(attempts=3, first=2.0, cap=30.0))
    with pytest.raises(ImageSourceError, match="Network is unreachable"):
        src.fetch("http://192.0.2.1/xenhost/")
    assert pauses == [2.0, 4.0]


def test_http_404_is_not_retried(tmp_path, keys, served):
    _www, url = served
    pauses = []
    with pytest.raises(ImageSourceError, match="HTTP 404"):
        source(tmp_path, keys["project"][1], sleep=pauses.append).fetch(url)
    assert pauses == []


@pytest.mark.parametrize("url, base, name", [
    ("http://h/x/", "http://h/x/", "dom0.img.zst"),
    ("http://h/x", "http://h/x/", "dom0.img.zst"),
    ("http://h:8000", "http://h:8000/", "dom0.img.zst"),
    ("https://h/a/b/img.tar.zst", "https://h/a/b/", "img.tar.zst"),
    ("https://h/a/b/dom0.img.zst", "https://h/a/b/", "dom0.img.zst"),
])
def test_locate(url, base, name):
    where = locate(url)
    assert (where.base, where.name) == (base, name)


def test_locate_refuses_other_schemes():
    with pytest.raises(ImageSourceError, match="not an http"):
        locate("nfs://h/x")


def test_checksum_lookup_needs_the_image_named():
    assert signed_checksum("%s *dom0.img.zst\n" % ("a" * 64), "dom0.img.zst", "u") == "a" * 64
    with pytest.raises(ImageSourceError, match="lists no checksum"):
        signed_checksum("%s  other\n" % ("a" * 64), "dom0.img.zst", "u")
