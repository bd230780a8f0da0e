import tarfile

import pytest
import yaml

from packages import sources
from buildlib.errors import SourceError
from packages.specs import load_specs


def _spec_with_upstream(write_spec, layout, content_sha):
    write_spec(layout, "alpha", "Source0: alpha-1.0.tar.gz\n")
    (layout.specs_dir / "sources.yaml").write_text(yaml.safe_dump({"alpha": {"upstream": {
        "alpha-1.0.tar.gz": {"sha256": content_sha, "debian-source": {"package": "alpha", "version": "1"}}}}}))
    return load_specs(layout.specs_dir)["alpha"]


def test_checksum_mismatch_is_refused_and_quarantined(write_spec, layout, tmp_path, monkeypatch):
    spec = _spec_with_upstream(write_spec, layout, "0" * 64)
    monkeypatch.setattr(sources, "fetch_debian_source",
                        lambda config, name, origin, dest: dest.write_bytes(b"tampered"))
    with pytest.raises(SourceError) as err:
        sources.gather_sources(layout, spec, tmp_path / "SOURCES")
    assert "does not match the pinned" in str(err.value)
    assert (layout.cache_dir / "sources" / "quarantine" / "alpha-1.0.tar.gz").read_bytes() == b"tampered"
    assert not (layout.cache_dir / "sources" / "verified" / "alpha-1.0.tar.gz").exists()


def test_matching_checksum_is_accepted_and_cached(write_spec, layout, tmp_path, monkeypatch):
    import hashlib
    spec = _spec_with_upstream(write_spec, layout, hashlib.sha256(b"good").hexdigest())
    calls = []

    def fake_fetch(config, name, origin, dest):
        calls.append(name)
        dest.write_bytes(b"good")
    monkeypatch.setattr(sources, "fetch_debian_source", fake_fetch)
    sources.gather_sources(layout, spec, tmp_path / "S1")
    sources.gather_sources(layout, spec, tmp_path / "S2")
    assert calls == ["alpha-1.0.tar.gz"]          # fetched once, then served from the cache
    assert (tmp_path / "S2" / "alpha-1.0.tar.gz").read_bytes() == b"good"


def test_undeclared_source_names_the_fix(write_spec, layout, tmp_path):
    write_spec(layout, "alpha", "Source0: mystery.tar.gz\n")
    (layout.specs_dir / "sources.yaml").write_text("alpha: {}\n")
    with pytest.raises(SourceError, match="mystery.tar.gz"):
        sources.gather_sources(layout, load_specs(layout.specs_dir)["alpha"], tmp_path / "S")


def test_patch_tags_must_follow_the_series(write_spec, layout, tmp_path):
    (layout.repo_root / "pq").mkdir()
    for name in ("a.patch", "b.patch"):
        (layout.repo_root / "pq" / name).write_text("")
    (layout.repo_root / "pq" / "series").write_text("a.patch\nb.patch\n")
    write_spec(layout, "alpha", "Patch0: b.patch\nPatch1: a.patch\n")
    (layout.specs_dir / "sources.yaml").write_text("alpha: {local: [pq], series: pq/series}\n")
    with pytest.raises(SourceError, match="series order"):
        sources.gather_sources(layout, load_specs(layout.specs_dir)["alpha"], tmp_path / "S")


def test_tree_tarball_is_reproducible(tmp_path):
    folder = tmp_path / "comp"
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "mod.py").write_text("x = 1\n")
    (folder / "pkg" / "__pycache__").mkdir()
    (folder / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"junk")
    sources.tree_tarball(folder, "comp-1.0", tmp_path / "a.tar.gz", 1_700_000_000)
    (folder / "pkg" / "mod.py").touch()     # a new mtime must not change the tarball
    sources.tree_tarball(folder, "comp-1.0", tmp_path / "b.tar.gz", 1_700_000_000)
    assert (tmp_path / "a.tar.gz").read_bytes() == (tmp_path / "b.tar.gz").read_bytes()
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        names = tar.getnames()
    assert "comp-1.0/pkg/mod.py" in names
    assert not any("__pycache__" in n for n in names)
