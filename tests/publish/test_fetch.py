"""fetch-snapshot.py against a real loopback HTTP server with Range support: progress and
resume, the signature and every checksum checked, tampered and unsigned files refused by
name, and no half file under a final name. The script runs as people run it: a subprocess."""
import subprocess
import sys

import pytest

from publish import layout
from conftest import REPO, make_outputs, record
from rangeserver import RangeServer

SCRIPT = REPO / "publish" / "fetch_snapshot.py"
ISO = "iso/xenhost-0.1-x86_64.iso"


@pytest.fixture
def tree(publisher, tmp_path):
    snap = publisher.publish(make_outputs(tmp_path / "b1", iso_bytes=3 << 20), record())
    return publisher.dest, snap


def fetch(*args, cwd):
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True)


def test_latest_is_downloaded_and_every_file_verified(tree, tmp_path, signer):
    root, snap = tree
    with RangeServer(root) as server:
        done = fetch("--from", server.url, "--fingerprint", signer.fingerprint(), "latest", "--dest", "dl",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "every file verified" in done.stderr and f"good signature by {signer.fingerprint()}" in done.stderr
    assert f"{ISO.rsplit('/', 1)[1]}: 100% 3.0/3.0 MiB" in done.stderr      # progress
    listed = [line.split("  ", 1)[1] for line in (snap / layout.SUMS).read_text().splitlines()]
    for name in listed:
        assert (tmp_path / "dl" / name).read_bytes() == (snap / name).read_bytes()
    assert not list((tmp_path / "dl").rglob("*.part"))
    # the copy in the snapshot verifies the download offline, as shipped
    again = subprocess.run([sys.executable, str(tmp_path / "dl" / layout.SCRIPT), "--verify", "dl",
                            "--fingerprint", signer.fingerprint()], cwd=tmp_path, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr


def test_an_interrupted_download_resumes_with_a_range_request(tree, tmp_path, signer):
    root, snap = tree
    url_path = f"/snapshots/{snap.name}/{ISO}"
    with RangeServer(root) as server:
        server.cut_after(url_path, 1 << 20)
        first = fetch("--from", server.url, "--fingerprint", signer.fingerprint(), snap.name,
                      "--only", ISO, "--dest", "dl", cwd=tmp_path)
        assert first.returncode == 1
        assert "stopped at 1048576 of 3145728 bytes" in first.stderr
        assert not (tmp_path / "dl" / ISO).exists()                 # never a half file under its name
        assert (tmp_path / "dl" / (ISO + ".part")).stat().st_size == 1 << 20
        second = fetch("--from", server.url, "--fingerprint", signer.fingerprint(), snap.name,
                       "--only", ISO, "--dest", "dl", cwd=tmp_path)
        ranges = [r for p, r in server.requests if p == url_path]
    assert second.returncode == 0, second.stderr
    assert ranges == [None, "bytes=1048576-"]
    assert (tmp_path / "dl" / ISO).read_bytes() == (snap / ISO).read_bytes()
    assert not (tmp_path / "dl" / (ISO + ".part")).exists()


def test_a_tampered_file_is_refused_by_name_and_not_kept(tree, tmp_path, signer):
    root, snap = tree
    iso = snap / ISO
    iso.write_bytes(b"X" + iso.read_bytes()[1:])                   # same size, one byte changed
    with RangeServer(root) as server:
        done = fetch("--from", server.url, "--fingerprint", signer.fingerprint(), "latest", "--dest", "dl",
                     cwd=tmp_path)
    assert done.returncode == 1
    assert "REFUSED: TAMPERED xenhost-0.1-x86_64.iso" in done.stderr and "1 file(s) refused" in done.stderr
    assert not (tmp_path / "dl" / ISO).exists() and not (tmp_path / "dl" / (ISO + ".part")).exists()
    assert (tmp_path / "dl" / "manifest.json").exists()            # the others verified


def test_a_tampered_sums_file_or_a_missing_signature_refuses_everything(tree, tmp_path, signer):
    root, snap = tree
    sums = snap / layout.SUMS
    sums.write_text(sums.read_text().replace("manifest.json", "manifest.json ", 1))
    with RangeServer(root) as server:
        done = fetch("--from", server.url, "--fingerprint", signer.fingerprint(), "latest", "--dest", "dl",
                     cwd=tmp_path)
        assert done.returncode == 1 and "REFUSED: UNSIGNED SHA256SUMS" in done.stderr
        (snap / layout.SIGNATURE).unlink()
        done = fetch("--from", server.url, "--fingerprint", signer.fingerprint(), "latest", "--dest", "dl",
                     cwd=tmp_path)
        assert done.returncode == 1 and "UNSIGNED SHA256SUMS: its signature cannot be had" in done.stderr
    assert not (tmp_path / "dl").exists()


def test_a_key_other_than_the_expected_one_is_refused(tree, tmp_path):
    root, _ = tree
    with RangeServer(root) as server:
        done = fetch("--from", server.url, "--fingerprint", "0" * 40, "latest", "--dest", "dl", cwd=tmp_path)
        assert done.returncode == 1 and "not by the expected key " + "0" * 40 in done.stderr
        done = fetch("--from", server.url, "latest", "--dest", "dl", cwd=tmp_path)
        assert done.returncode == 1 and "give --keyring" in done.stderr


def test_unsigned_files_are_refused_by_name(tree, tmp_path, signer):
    root, snap = tree
    (snap / "extra.sh").write_text("echo not in SHA256SUMS\n")
    with RangeServer(root) as server:
        done = fetch("--from", server.url, "--fingerprint", signer.fingerprint(), "latest", "--only", "extra.sh",
                     "--dest", "dl", cwd=tmp_path)
    assert done.returncode == 1 and "REFUSED: UNSIGNED extra.sh: not listed in SHA256SUMS" in done.stderr
    verify = fetch("--verify", str(snap), "--fingerprint", signer.fingerprint(), cwd=tmp_path)
    assert verify.returncode == 1 and "UNSIGNED extra.sh" in verify.stderr
    (snap / "extra.sh").unlink()
    (snap / "CHANGES").write_text("edited\n")
    verify = fetch("--verify", str(snap), "--fingerprint", signer.fingerprint(), cwd=tmp_path)
    assert verify.returncode == 1 and "TAMPERED CHANGES" in verify.stderr
