"""The image's digest: computed once per file, and started early (prefetch) beside the probing."""
import hashlib

from xenhost_installer import imagedigest


def test_prefetch_hashes_in_the_background_and_preflight_gets_that_digest(tmp_path, monkeypatch):
    image = tmp_path / "dom0.img.zst"
    image.write_bytes(b"x" * (5 * 1024 * 1024 + 7))
    reads = []
    real = imagedigest.sha256_file
    monkeypatch.setattr(imagedigest, "sha256_file", lambda p: reads.append(p) or real(p))
    imagedigest.prefetch(str(image))
    imagedigest.prefetch(str(image))                 # already under way: not a second thread
    assert imagedigest.image_digest(str(image)) == hashlib.sha256(image.read_bytes()).hexdigest()
    assert imagedigest.image_digest(str(image)) == hashlib.sha256(image.read_bytes()).hexdigest()
    assert reads == [str(image)]                     # read once, by the prefetch


def test_prefetch_of_a_missing_image_leaves_the_failure_to_preflight(tmp_path):
    imagedigest.prefetch(str(tmp_path / "missing.img.zst"))     # no exception, no thread
    assert not imagedigest._PENDING
