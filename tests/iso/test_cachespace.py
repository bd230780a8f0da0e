"""iso/cachespace.py: the free-space check before kiwi runs and the pruning of old cache entries."""
import os

import pytest

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from iso import cachespace


def entry(cache, kind, name, when, complete=True):
    path = cache / kind / name
    (path / "root").mkdir(parents=True)
    if complete:
        (path / "complete").write_text("key\n")
        os.utime(path / "complete", (when, when))
    return path


def test_too_little_room_stops_before_kiwi_and_says_what_to_free(tmp_path):
    config = BuildConfig(cache_dir=tmp_path / "cache")
    with pytest.raises(XenhostBuildError) as raised:
        cachespace.require_room(config, "the installer image", free=lambda path: 1.8 * cachespace.GiB)
    text = str(raised.value)
    assert "the installer image needs about 6 GiB free beside %s, and 1.8 GiB are left" % config.cache_dir in text
    assert str(config.cache_dir / "roots") in text and "XENHOST_CACHE" in text
    cachespace.require_room(config, "the installer image", free=lambda path: 7 * cachespace.GiB)


def test_prune_keeps_the_newest_used_and_leaves_unfinished_ones(tmp_path):
    cache = tmp_path / "cache"
    old = [entry(cache, "roots", f"dom0-{i}", 1000 + i) for i in range(5)]
    building = entry(cache, "roots", "dom0-new", 0, complete=False)
    other = entry(cache, "roots", "installer-a", 1)
    removed = cachespace.prune(BuildConfig(cache_dir=cache), "roots", "dom0", keep=2)
    assert removed == [old[2], old[1], old[0]]
    assert [p.exists() for p in old] == [False, False, False, True, True]
    assert building.exists() and other.exists()
